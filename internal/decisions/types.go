package decisions

import (
	"time"

	"github.com/plenary-forum/plenary/internal/decide"
)

// Decision is one decision as pages, the API and the minutes show it:
// what it is (Label, Binding), on what, where it stands in a sentence,
// and the detail of its kind (Consensus, Straw or Vote), with the ledger
// seqs of its events for links to the record.
type Decision struct {
	ID            string         `json:"id"`
	MeetingID     string         `json:"meeting"`
	MeetingNumber string         `json:"meeting_number"`
	Item          string         `json:"item,omitempty"`
	Kind          decide.Kind    `json:"kind"`
	Label         string         `json:"label"`
	Binding       bool           `json:"binding"`
	Title         string         `json:"title"`
	Note          string         `json:"note,omitempty"`
	Subject       decide.Subject `json:"subject"`
	SubjectLabel  string         `json:"subject_label"`
	Draft         string         `json:"draft,omitempty"`
	Revision      int            `json:"revision,omitempty"`
	Open          bool           `json:"open"`
	// Outcome is pending while open, and for a straw poll always: a
	// straw poll has no outcome.
	Outcome      decide.Outcome `json:"outcome"`
	OutcomeLabel string         `json:"outcome_label"`
	// Status is where it stands in a sentence, with its package's
	// provisional status when it belongs to one.
	Status    string                  `json:"status"`
	Consensus *decide.ConsensusResult `json:"consensus,omitempty"`
	Straw     *decide.StrawResult     `json:"straw,omitempty"`
	Vote      *VoteView               `json:"vote,omitempty"`
	Package   *PackageRef             `json:"package,omitempty"`
	// Document is the adopted text filed as a numbered document.
	Document *DocumentRef `json:"document,omitempty"`
	Seqs     []int64      `json:"seqs"`
	OpenedAt time.Time    `json:"opened_at"`
	ClosedAt *time.Time   `json:"closed_at,omitempty"`
}

// VoteView is a formal vote as anyone may see it: its rules; while open,
// its progress (only the ballots cast when results are hidden, and always
// for a secret ballot); once closed, its result with the arithmetic.
type VoteView struct {
	Method      decide.Method      `json:"method"`
	MethodLabel string             `json:"method_label"`
	Rules       decide.VoteRules   `json:"rules"`
	RuleLabel   string             `json:"rule_label"`
	Progress    *decide.Progress   `json:"progress,omitempty"`
	Result      *decide.VoteResult `json:"result,omitempty"`
	// Roll-call: the letter drawn by lot, its seed and the calling order.
	Letter string         `json:"letter,omitempty"`
	Seed   uint64         `json:"seed,omitempty"`
	Order  []decide.Party `json:"order,omitempty"`
	// Secret ballot: who voted, never what.
	Voters []decide.Voted `json:"voters,omitempty"`
}

// PackageRef is the package a decision belongs to.
type PackageRef struct {
	ID           string         `json:"id"`
	Name         string         `json:"name"`
	Outcome      decide.Outcome `json:"outcome"`
	OutcomeLabel string         `json:"outcome_label"`
	Provisional  bool           `json:"provisional"`
}

// Package is a package of decisions with its members' statuses.
type Package struct {
	ID           string          `json:"id"`
	MeetingID    string          `json:"meeting"`
	Name         string          `json:"name"`
	Outcome      decide.Outcome  `json:"outcome"`
	OutcomeLabel string          `json:"outcome_label"`
	DecidedBy    string          `json:"decided_by,omitempty"`
	Members      []PackageMember `json:"members"`
}

// PackageMember is one decision of a package and its status in words.
type PackageMember struct {
	Decision string         `json:"decision"`
	Title    string         `json:"title"`
	Outcome  decide.Outcome `json:"outcome"`
	Status   string         `json:"status"`
}

// DocumentRef is a numbered document a decision produced.
type DocumentRef struct {
	ID     string `json:"id"`
	Number string `json:"number"`
}
