package consultation

import (
	"time"

	"github.com/plenary-forum/plenary/internal/forum"
)

// Period is a comment period on a draft revision or a document.
type Period struct {
	ID         string `json:"id"`
	ForumID    string `json:"forum_id"`
	DocumentID string `json:"document_id"`
	// DraftID and Revision name the draft revision commented on; DraftID
	// is empty for a period on a document.
	DraftID  string `json:"draft_id,omitempty"`
	Revision int    `json:"revision,omitempty"`
	Title    string `json:"title"`
	// Public: anyone signed in may comment, not only those the rights
	// matrix lets comment.
	Public      bool      `json:"public"`
	OpensAt     time.Time `json:"opens_at"`
	ClosesAt    time.Time `json:"closes_at"`
	ClosedEarly bool      `json:"closed_early,omitempty"`
	// Extension is the period's latest extension, if it was extended.
	Extension *Extension `json:"extension,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`

	visibility string
}

// Extension is a period's latest extension: the close time it moved from
// (the period now closes at its ClosesAt), when, and why.
type Extension struct {
	From   time.Time `json:"from"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
}

// PeriodState is where a period stands at a time.
type PeriodState string

// The states of a period.
const (
	Upcoming PeriodState = "upcoming"
	Open     PeriodState = "open"
	Closed   PeriodState = "closed"
)

// Label is the state in words.
func (st PeriodState) Label() string {
	switch st {
	case Upcoming:
		return "not yet open"
	case Open:
		return "open for comment"
	case Closed:
		return "closed"
	}
	return string(st)
}

// StateAt is the period's state at t.
func (p Period) StateAt(t time.Time) PeriodState {
	switch {
	case t.Before(p.OpensAt):
		return Upcoming
	case t.Before(p.ClosesAt):
		return Open
	}
	return Closed
}

// PeriodInput opens a comment period: on a draft text's revision (Draft,
// and Revision, 0 for the current one) or on a document (Document), from
// Opens (zero: now) to Closes.
type PeriodInput struct {
	Draft    string    `json:"draft,omitempty"`
	Revision int       `json:"revision,omitempty"`
	Document string    `json:"document,omitempty"`
	Title    string    `json:"title"`
	Public   bool      `json:"public,omitempty"`
	Opens    time.Time `json:"opens,omitempty"`
	Closes   time.Time `json:"closes"`
}

// ExtendInput extends a period to a later close time, with the reason.
type ExtendInput struct {
	Closes time.Time `json:"closes"`
	Reason string    `json:"reason"`
}

// Target is what a comment addresses.
type Target string

// The targets of a comment.
const (
	TargetProvision Target = "provision" // a provision
	TargetSpan      Target = "span"      // words inside a provision
	TargetWhole     Target = "whole"     // the text as a whole
	TargetMissing   Target = "missing"   // something missing: a new provision after a given one
)

// Targets lists the targets in display order.
func Targets() []Target { return []Target{TargetProvision, TargetSpan, TargetWhole, TargetMissing} }

// Label is the target in words.
func (t Target) Label() string {
	switch t {
	case TargetProvision:
		return "a provision"
	case TargetSpan:
		return "words in a provision"
	case TargetWhole:
		return "the text as a whole"
	case TargetMissing:
		return "something missing"
	}
	return string(t)
}

// StandardGroups are the six stakeholder groups a commenter may declare
// in any forum, beside the forum's own groups.
func StandardGroups() []forum.Choice {
	return []forum.Choice{
		{Value: "government", Label: "Government"},
		{Value: "private_sector", Label: "Private sector"},
		{Value: "civil_society", Label: "Civil society"},
		{Value: "technical_community", Label: "Technical community"},
		{Value: "academia", Label: "Academia"},
		{Value: "igo", Label: "Intergovernmental organisation"},
	}
}

// Individual is the organisation of someone commenting in their own name.
const Individual = "individual"

// CommentInput is a comment. Group is a stakeholder group (one of the
// forum's, or of StandardGroups); Organisation is the commenter's, or
// "individual". Target says what it addresses: Provision (an id of the
// period's revision) for provision and span; for a span, Start and End
// (characters of the provision's text, from 0, End excluded) or Quote
// (the words, found in the text), or both, which must agree; for missing,
// Provision is the one the new provision goes after ("" for the
// beginning) and Proposed its text. Address is the client's network
// address, set by the face, never shown or stored raw.
type CommentInput struct {
	Group        string `json:"group"`
	Organisation string `json:"organisation"`
	Target       Target `json:"target"`
	Provision    string `json:"provision,omitempty"`
	Start        int    `json:"start,omitempty"`
	End          int    `json:"end,omitempty"`
	Quote        string `json:"quote,omitempty"`
	Proposed     string `json:"proposed,omitempty"`
	Text         string `json:"text"`
	Address      string `json:"-"`
}

// Comment is a comment as a reader may see it. For the public, a hidden
// comment's Text and Proposed are empty and Hidden says why.
type Comment struct {
	ID           string    `json:"id"`
	PeriodID     string    `json:"period_id"`
	Number       int       `json:"number"`
	Ref          string    `json:"ref"` // C-<number>
	Author       string    `json:"author"`
	Group        string    `json:"group"`
	GroupLabel   string    `json:"group_label"`
	Organisation string    `json:"organisation"`
	Target       Target    `json:"target"`
	Provision    string    `json:"provision,omitempty"`
	Start        int       `json:"start,omitempty"`
	End          int       `json:"end,omitempty"`
	Quote        string    `json:"quote,omitempty"`
	Proposed     string    `json:"proposed,omitempty"`
	Text         string    `json:"text"`
	Hidden       bool      `json:"hidden,omitempty"`
	HiddenReason string    `json:"hidden_reason,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	// Disposition is the current disposition, nil while unanswered.
	Disposition *Disposition `json:"disposition,omitempty"`

	userID      string
	fingerprint []byte // campaign.Signature.Encode
	address     string
}

// HiddenNotice is what the public reads in place of a hidden comment.
func (c Comment) HiddenNotice() string {
	if !c.Hidden {
		return ""
	}
	return "hidden by the secretariat: " + c.HiddenReason
}

// Outcome is the outcome of a disposition.
type Outcome string

// The outcomes of a disposition.
const (
	Accepted       Outcome = "accepted"
	AcceptedInPart Outcome = "accepted_in_part"
	Noted          Outcome = "noted"
	NotAccepted    Outcome = "not_accepted"
	OutOfScope     Outcome = "out_of_scope"
)

// Outcomes lists the outcomes in display order.
func Outcomes() []Outcome { return []Outcome{Accepted, AcceptedInPart, Noted, NotAccepted, OutOfScope} }

// Label is the outcome in words.
func (o Outcome) Label() string {
	switch o {
	case Accepted:
		return "accepted"
	case AcceptedInPart:
		return "accepted in part"
	case Noted:
		return "noted"
	case NotAccepted:
		return "not accepted"
	case OutOfScope:
		return "out of scope"
	}
	return string(o)
}

// Valid reports whether o is an outcome.
func (o Outcome) Valid() bool {
	for _, x := range Outcomes() {
		if o == x {
			return true
		}
	}
	return false
}

// DispositionInput answers a comment (or a campaign): the outcome, the
// reason, and optionally the proposal (Amendment, an id of a proposal on
// the period's draft text) or the revision provision (Revision and
// Provision) that acted on it.
type DispositionInput struct {
	Outcome   Outcome `json:"outcome"`
	Reason    string  `json:"reason"`
	Amendment string  `json:"amendment,omitempty"`
	Revision  int     `json:"revision,omitempty"`
	Provision string  `json:"provision,omitempty"`
}

// Disposition is a comment's answer, in its Version (1, 2, ... as it is
// revised). Campaign is the number of the campaign's first comment when it
// was given to a whole campaign.
type Disposition struct {
	CommentID string    `json:"comment_id"`
	Version   int       `json:"version"`
	Outcome   Outcome   `json:"outcome"`
	Reason    string    `json:"reason"`
	Amendment string    `json:"amendment,omitempty"`
	Revision  int       `json:"revision,omitempty"`
	Provision string    `json:"provision,omitempty"`
	Campaign  int       `json:"campaign,omitempty"`
	DecidedAt time.Time `json:"decided_at"`
}

// OutcomeLabel is the outcome in words.
func (d Disposition) OutcomeLabel() string { return d.Outcome.Label() }
