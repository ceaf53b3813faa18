// Package consultation is the public consultation aggregate: comment
// periods that the secretariat opens on a draft revision (drafting) or on a
// document (documents), closes and extends; comments numbered in the
// forum's public register (C-1, C-2, ...), each addressing a provision, a
// span of words in one, the text as a whole, or something missing (a new
// provision proposed after a given one); moderation that hides an abusive
// comment from the public and keeps it for the secretariat; intake bounded
// per account and per address; a disposition for every comment (the
// comment-resolution matrix), revisable with its history on the record;
// and campaigns of near-identical comments (internal/campaign), which the
// secretariat may answer with one disposition, with signs of fabrication
// shown to the secretariat alone. Every change is a consultation.* event on
// the forum's chain.
//
// Who may comment is the rights matrix's Comment cell; a period opened to
// the public (Public) also takes comments from anyone signed in, registered
// in the forum or not. Nobody comments anonymously: the bounds on intake
// count accounts.
//
// A period may have an opinion map (opinion.go): statements that
// participants vote on, and the groups of opinion the votes form. The
// statements, their counts and the map are public as the period is; a
// vote's event names the voting account, so it is the secretariat's alone
// (ledger.VisSecretariat): nobody else reading the record, its export or
// the live streams learns how an account voted.
package consultation

import (
	"log/slog"
	"sync"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
)

// Service runs the consultations' commands and queries. The exported
// fields are its settings; set them before use.
type Service struct {
	// PerAccount is how many comments one account may make in one comment
	// period within Window; PerAddress, from one client address.
	PerAccount int
	PerAddress int
	Window     time.Duration
	// BurstWindow and BurstSize: BurstSize or more comments from one
	// address within BurstWindow are flagged for the secretariat.
	BurstWindow time.Duration
	BurstSize   int
	// TemplatePositions: a campaign whose variants differ from its
	// representative at this many word positions or fewer, the same ones
	// for all, is flagged as filled in from a template.
	TemplatePositions int
	// WarmComments bounds the comments Warm reads into indexes at start.
	WarmComments int

	kernel    *forum.Kernel
	documents *documents.Service
	drafting  *drafting.Service
	store     *store.Store
	log       *slog.Logger
	clock     func() time.Time

	salts   sync.Map // forum id -> []byte
	indexes indexes
}

// The default bounds on intake and the signs of fabrication.
const (
	DefaultPerAccount        = 30
	DefaultPerAddress        = 120
	DefaultWindow            = time.Hour
	DefaultBurstWindow       = 10 * time.Minute
	DefaultBurstSize         = 10
	DefaultTemplatePositions = 3
)

// New returns the consultation aggregate over k, on the documents of d
// and the draft texts of dr.
func New(k *forum.Kernel, d *documents.Service, dr *drafting.Service) *Service {
	return &Service{
		PerAccount: DefaultPerAccount, PerAddress: DefaultPerAddress, Window: DefaultWindow,
		BurstWindow: DefaultBurstWindow, BurstSize: DefaultBurstSize, TemplatePositions: DefaultTemplatePositions, WarmComments: DefaultWarmComments,
		kernel: k, documents: d, drafting: dr, store: k.Store(), log: k.Logger(),
	}
}

// SetClock sets the clock that stamps comments and decides whether a
// period is open; nil restores the server's. The demo enters a past
// consultation on a clock of its own.
func (s *Service) SetClock(clock func() time.Time) { s.clock = clock }

func (s *Service) now() time.Time {
	if s.clock != nil {
		return s.clock().UTC().Truncate(time.Millisecond)
	}
	return plenary.Now()
}

// Limits of the texts of a consultation.
const (
	MaxTitle        = 300
	MaxOrganisation = 200
	MaxComment      = 20000
	MaxReason       = 4000
	MaxQuote        = 2000
)
