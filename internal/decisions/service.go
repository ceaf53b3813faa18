// Package decisions is the decisions aggregate: the consensus calls, straw
// polls and formal votes taken in a forum's meetings, on agenda items and
// draft texts, and the packages that link them. Each decision is the fold
// of its events (internal/decide), kept in order in decision_events and
// recorded on the ledger as decision.* events with the meeting's
// visibility, naming the meeting and the decision. A consensus finding or
// a vote that adopts a draft revision marks the draft adopted (drafting)
// and files the adopted text as a numbered document.
package decisions

import (
	"log/slog"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/store"
)

// Service runs the decisions' commands and queries.
type Service struct {
	kernel        *forum.Kernel
	participation *participation.Service
	documents     *documents.Service
	drafting      *drafting.Service
	meetings      *meetings.Service
	store         *store.Store
	log           *slog.Logger
	memo          memo
	clock         func() time.Time
}

// New returns the decisions aggregate over k, tied to the meetings of
// meetings, deciding on the draft texts of drafting.
func New(k *forum.Kernel, p *participation.Service, d *documents.Service, dr *drafting.Service, m *meetings.Service) *Service {
	s := &Service{kernel: k, participation: p, documents: d, drafting: dr, meetings: m, store: k.Store(), log: k.Logger()}
	m.OnDebate(s.debateDecisions)
	return s
}

// SetClock sets the clock that stamps the decisions' events; nil restores
// the server's. The demo enters past decisions on a clock of its own.
func (s *Service) SetClock(clock func() time.Time) { s.clock = clock }

func (s *Service) now() time.Time {
	if s.clock != nil {
		return s.clock()
	}
	return plenary.Now()
}

// Limits of the texts of decisions.
const (
	MaxTitle  = 300
	MaxLine   = 300
	MaxText   = 20000
	MaxReason = 4000
)

// SubjectInput is what a decision is taken on: a draft text's revision
// (Draft and Revision, 0 for the current one), provisions of it
// (Provisions too), an agenda item of the meeting (Item) or a procedural
// question (Text). Kind is revision, provisions, item or question.
type SubjectInput struct {
	Kind       decide.SubjectKind `json:"kind"`
	Draft      string             `json:"draft,omitempty"`
	Revision   int                `json:"revision,omitempty"`
	Provisions []string           `json:"provisions,omitempty"`
	Item       string             `json:"item,omitempty"`
	Text       string             `json:"text,omitempty"`
}

// OpenInput is what every decision opens with: the meeting (id or
// number), optionally its agenda item, a title, the subject and a note
// for the record.
type OpenInput struct {
	Meeting string       `json:"meeting"`
	Item    string       `json:"item,omitempty"`
	Title   string       `json:"title"`
	Subject SubjectInput `json:"subject"`
	Note    string       `json:"note,omitempty"`
}

// ConsensusInput opens a consensus call: in the room until the chair
// closes it, or, with Silence, a written silence procedure until Until.
type ConsensusInput struct {
	OpenInput
	Silence bool       `json:"silence,omitempty"`
	Until   *time.Time `json:"until,omitempty"`
}

// ObjectionInput is an objection to consensus, for a party (id or code;
// "" is the objector's own when it has one).
type ObjectionInput struct {
	Party      string   `json:"party,omitempty"`
	Reason     string   `json:"reason"`
	Provisions []string `json:"provisions,omitempty"`
}

// FindingInput is the chair's finding closing a consensus call. With
// adopted_objections_addressed, Answers says how each standing objection
// was addressed. Without a finding, a silence procedure whose time has
// passed with no objection is closed as kept.
type FindingInput struct {
	Finding decide.Finding  `json:"finding"`
	Answers []decide.Answer `json:"answers,omitempty"`
	Note    string          `json:"note,omitempty"`
}

// ExplanationInput is an explanation of position after adoption, for a
// party (id or code; "" is the explainer's own).
type ExplanationInput struct {
	Party string `json:"party,omitempty"`
	Text  string `json:"text"`
}

// StrawInput opens a straw poll: the question, its options, how it is
// counted (entered by the secretariat, or answered from devices), and
// whether it is counted per stakeholder group (the forum's groups).
type StrawInput struct {
	OpenInput
	Question string          `json:"question"`
	Options  []decide.Option `json:"options"`
	Entry    decide.Entry    `json:"entry"`
	ByGroup  bool            `json:"by_group,omitempty"`
}

// StrawCountsInput is the totals the secretariat enters for a straw poll
// (replacing earlier ones).
type StrawCountsInput struct {
	Counts []decide.Count `json:"counts"`
}

// StrawAnswerInput is a participant's answer to a straw poll from a
// device.
type StrawAnswerInput struct {
	Option string `json:"option"`
}

// VoteInput opens a formal vote with its rules. Roll lists the parties
// (codes) called in a roll-call; empty is every active Member State. A
// roll-call's seed is drawn here and put on the record. Members defaults
// to the number of active Member States when a majority or quorum needs
// it.
type VoteInput struct {
	OpenInput
	Method      decide.Method          `json:"method"`
	Majority    decide.Majority        `json:"majority"`
	Members     int                    `json:"members,omitempty"`
	Quorum      decide.Quorum          `json:"quorum"`
	Credentials decide.CredentialsRule `json:"credentials,omitempty"`
	Presence    bool                   `json:"presence,omitempty"`
	HideResults bool                   `json:"hide_results,omitempty"`
	Roll        []string               `json:"roll,omitempty"`
}

// TallyInput is the tally of a show of hands, entered by the secretariat
// or the chair.
type TallyInput struct {
	Tally decide.Tally `json:"tally"`
}

// CastInput is a ballot: for a party (id or code; "" is the voter's own),
// and For, a party whose powers were transferred to the voter's
// delegation, for a proxy vote.
type CastInput struct {
	Party  string        `json:"party,omitempty"`
	For    string        `json:"for,omitempty"`
	Choice decide.Choice `json:"choice"`
}

// Cast is what a voter gets back: the party whose vote it is, and for a
// secret ballot the receipt with its nonce, given once and never kept by
// the server.
type Cast struct {
	Decision string          `json:"decision"`
	Party    decide.Party    `json:"party"`
	Choice   decide.Choice   `json:"choice,omitempty"`
	Receipt  *decide.Receipt `json:"receipt,omitempty"`
}

// CloseVoteInput closes a vote; Present is the number of members present,
// for the quorum (0: not stated).
type CloseVoteInput struct {
	Present int `json:"present,omitempty"`
}

// ReceiptCheck is a receipt to verify against a secret ballot's published
// list: the choice and nonce the voter kept.
type ReceiptCheck struct {
	Choice decide.Choice `json:"choice"`
	Nonce  string        `json:"nonce"`
}

// Verification is the answer to a receipt check.
type Verification struct {
	Decision   string `json:"decision"`
	Receipt    string `json:"receipt"`
	Found      bool   `json:"found"`
	BallotHash string `json:"ballot_hash"`
	Sentence   string `json:"sentence"`
}

// PackageInput links decisions of a meeting into a package: "nothing is
// agreed until everything is agreed".
type PackageInput struct {
	Meeting   string   `json:"meeting"`
	Name      string   `json:"name"`
	Decisions []string `json:"decisions"`
}

// PackageDecisionInput decides a package by a closed decision on the
// record (a consensus call or a formal vote on the package as a whole):
// its outcome is the package's.
type PackageDecisionInput struct {
	Decision string `json:"decision"`
}

// ReopenInput reopens an adopted draft text by a decision of the chair on
// the record, in a meeting, with the reason.
type ReopenInput struct {
	Meeting string `json:"meeting"`
	Reason  string `json:"reason"`
}

// Filter selects decisions: of a meeting (id or number), of an agenda
// item.
type Filter struct {
	Meeting string `json:"meeting,omitempty"`
	Item    string `json:"item,omitempty"`
}
