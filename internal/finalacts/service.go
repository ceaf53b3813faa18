// Package finalacts is the final acts aggregate: the treaty text a
// conference presents for signature, the signatures of the delegations,
// the declarations and reservations they deposit before signing, and the
// explanations of position and closing statements that keep dissent on the
// record. Every command is recorded on the ledger as a finalacts.* event
// with the final acts' document's visibility (a statement: its target's).
//
// # Final acts and their text
//
// The secretariat assembles the final acts (Assemble) from one or more
// adopted draft revisions (drafting knows which revision of a draft text
// was adopted), in a stated order, and files them as a numbered document
// of type final_acts. Each provision keeps its identity from the drafting
// history: its key is the draft text's id and the provision's id
// ("draft:provision"), beside the draft's number, the revision adopted, the
// provision's label and text. A revision (Revise, e.g. a corrigendum)
// assembles them again as a new version of the same document; every text
// is kept with its hash.
//
// The text's hash is [TextHash]: SHA-256, in lower-case hex, over
//
//	"plenary final acts v1\n"
//
// followed, for each provision in order, by its key, label and text, each
// written as its length in bytes in decimal, a colon, the bytes and a
// comma (a netstring), and a newline after the provision's three fields.
// Anyone holding the provisions can recompute it.
//
// # Signature
//
// The secretariat opens the final acts for signature at a stated time and
// closes them at another (OpenForSignature, CloseForSignature); a
// signature is taken at times t with open <= t < close. A party signs
// (Sign) through its head of delegation, or a delegate named to sign
// (NameSigner: by the head, or by the secretariat entering whom the
// credentials name); the signer's registration needs the rights matrix's
// sign right for the party (rules.Sign through the scope's Authorize, so
// the matrix's credentials condition applies: in the ITU preset, credentials
// in order or in order for signature only), and a party that transferred
// its powers never signs. The states are signed, signed subject to
// ratification, declined, and not yet (no signature). The signer states
// the hash of the text it saw; a signature on any other text is refused
// ("the final acts changed since you opened them"). Every act is kept,
// numbered per party; the last is the party's state. A party's state
// stands, with two exceptions: a party that declined may sign while the
// final acts are open, and a party whose signature was made on a text that
// has since been revised may sign the current text. A signature on a
// superseded text keeps the hash it was made on and reads as superseded.
//
// # Declarations and reservations
//
// A party deposits a declaration or a reservation (Deposit), alone or
// jointly with others, before the cut-off the secretariat sets (SetCutoff;
// with no cut-off set, until the final acts close for signature, and at
// any time before they are ever opened). The depositor needs
// rules.FileReservation for each party it deposits for; the secretariat
// may enter one for any party whose head of delegation holds that right
// (the paper handed in at the secretariat's desk). Deposits are numbered
// 1, 2, ... in order of deposit per final acts, under the forum's lock, so
// concurrent deposits neither skip nor repeat a number. An additional
// declaration or reservation answers earlier ones, whose numbers it cites.
// Each is tied to provisions of the current text (by key), or to the final
// acts as a whole.
//
// # Explanations of position and closing statements
//
// FileStatement keeps, with a decision, a document (an adopted text, the
// final acts) or the forum as a whole, a party's explanation of position
// or closing statement, or one by a named group or coalition entered by
// the secretariat. (The explanations of position filed on a consensus call
// itself stay with the decision, in package decisions.)
//
// # Eligibility and tallies
//
// A party is eligible to sign when it is active and its head of
// delegation, in the room, would hold the sign right under the forum's
// rights matrix with the party's credentials as they stand (in the ITU
// preset: a Member State with credentials in order or in order for
// signature only), and it has not transferred its powers. Tallies count
// the eligible parties by their state; signed counts both signed states,
// of which those on a superseded text are counted again apart. A party
// that signed and is no longer eligible is listed, not counted.
package finalacts

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decisions"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/store"
)

// Service runs the final acts' commands and queries.
type Service struct {
	kernel        *forum.Kernel
	participation *participation.Service
	documents     *documents.Service
	drafting      *drafting.Service
	decisions     *decisions.Service
	meetings      *meetings.Service
	store         *store.Store
	log           *slog.Logger
	clock         func() time.Time
}

// New returns the final acts aggregate over k, assembling the adopted
// texts of drafting, with statements on the decisions of decisions (taken
// in the meetings of m).
func New(k *forum.Kernel, p *participation.Service, d *documents.Service, dr *drafting.Service, dec *decisions.Service, m *meetings.Service) *Service {
	s := &Service{kernel: k, participation: p, documents: d, drafting: dr, decisions: dec, meetings: m, store: k.Store(), log: k.Logger()}
	d.OnRevisions(s.revisedHere)
	return s
}

// revisedHere refuses a free-text Rev. of a final acts' document (the
// documents' pages and API): its text is assembled from adopted texts and
// signed by its hash, so a revision is assembled again by Revise.
func (s *Service) revisedHere(ctx context.Context, q store.Querier, f forum.Forum, docID string) (bool, error) {
	var number string
	err := q.QueryRowContext(ctx, "SELECT number FROM final_acts WHERE id = ? AND forum_id = ?", docID, f.ID).Scan(&number)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, plenary.Invalid("kind", "%s are final acts: their text is assembled from adopted texts and signed by its hash, "+
		"so it is not revised as a free-text Rev.; use the final acts' revise command (Revise the text, on the final acts' page), which assembles them again with a new hash", number)
}

// SetClock sets the clock that stamps the final acts' events and against
// which the signature window and the cut-off are checked; nil restores
// the server's. The demo enters past signatures on a clock of its own.
func (s *Service) SetClock(clock func() time.Time) { s.clock = clock }

// Now is the time on the clock the signature window is checked against:
// pages say by it whether a window opened or closed.
func (s *Service) Now() time.Time { return s.now() }

func (s *Service) now() time.Time {
	if s.clock != nil {
		return s.clock().UTC().Truncate(time.Millisecond)
	}
	return plenary.Now()
}

// Limits of the texts of the final acts.
const (
	MaxTitle  = 300
	MaxNote   = 4000
	MaxText   = 20000
	MaxAuthor = 300
	// MaxParties is how many parties one declaration may be deposited for.
	MaxParties = 200
	// MaxRefs is how many provisions or earlier numbers one declaration cites.
	MaxRefs = 500
)
