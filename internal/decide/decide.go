package decide

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/plenary-forum/plenary"
)

// Kind is what a decision is: a consensus call, a straw poll or a formal
// vote. Every page, export and record names it by [Kind.Label].
type Kind string

// The kinds of decision.
const (
	ConsensusCall Kind = "consensus_call" // "Is there any objection?"
	StrawPoll     Kind = "straw_poll"     // the "temperature of the room": indicative, never binding
	FormalVote    Kind = "vote"           // a vote under the rules of procedure
)

// Kinds lists the kinds in a stable order.
func Kinds() []Kind { return []Kind{ConsensusCall, StrawPoll, FormalVote} }

// Valid reports whether k is a defined kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds(), k) }

// Binding reports whether a decision of this kind can bind the meeting. A
// straw poll never can: it measures the room and decides nothing.
func (k Kind) Binding() bool { return k == ConsensusCall || k == FormalVote }

// Label is the kind as every page and export names it.
func (k Kind) Label() string {
	switch k {
	case ConsensusCall:
		return "Consensus call"
	case StrawPoll:
		return "Straw poll (indicative, not binding)"
	case FormalVote:
		return "Formal vote"
	}
	return string(k)
}

// Outcome is where a decision stands.
type Outcome string

// The outcomes.
const (
	Pending    Outcome = "pending"     // not decided yet
	Adopted    Outcome = "adopted"     // adopted (by consensus or by vote)
	NotAdopted Outcome = "not_adopted" // not adopted (no consensus, or the vote failed)
	NoResult   Outcome = "no_result"   // the vote had no result (no quorum)
	Fallen     Outcome = "fallen"      // adopted or not, it fell with its package
)

// Outcomes lists the outcomes in a stable order.
func Outcomes() []Outcome { return []Outcome{Pending, Adopted, NotAdopted, NoResult, Fallen} }

// Valid reports whether o is a defined outcome.
func (o Outcome) Valid() bool { return slices.Contains(Outcomes(), o) }

// Label is the outcome in words.
func (o Outcome) Label() string {
	switch o {
	case Pending:
		return "Pending"
	case Adopted:
		return "Adopted"
	case NotAdopted:
		return "Not adopted"
	case NoResult:
		return "No result"
	case Fallen:
		return "Fell with its package"
	}
	return string(o)
}

// Party is a delegation or other participating party: its stable code and
// its name as shown.
type Party struct {
	Code string `json:"code"`
	Name string `json:"name,omitempty"`
}

// String is the party's name, or its code without one.
func (p Party) String() string {
	if p.Name != "" {
		return p.Name
	}
	return p.Code
}

// Right is what the caller states about one right of the rights matrix for
// the person acting: whether it is held, and when it is not, the matrix's
// sentence saying why ("Sector Members may not vote in WCIT-12"), which
// the refusal quotes. decide does not read the matrix; the command layer
// asks it (rules.Matrix.Check) and passes the answer here, so the answer is
// on the record with the act.
type Right struct {
	Holds bool   `json:"holds"`
	Rule  string `json:"rule,omitempty"`
}

// SubjectKind is what a decision is taken on.
type SubjectKind string

// The subjects of a decision.
const (
	OnRevision   SubjectKind = "revision"   // a draft text's revision, as a whole
	OnProvisions SubjectKind = "provisions" // one or more provisions of a draft
	OnItem       SubjectKind = "item"       // an agenda item
	OnQuestion   SubjectKind = "question"   // a procedural question, in words
)

// Label is the subject kind in words.
func (k SubjectKind) Label() string {
	switch k {
	case OnRevision:
		return "draft revision"
	case OnProvisions:
		return "provisions"
	case OnItem:
		return "agenda item"
	case OnQuestion:
		return "procedural question"
	}
	return string(k)
}

// Subject is what a decision is on. Ref names the draft revision or the
// agenda item in the aggregate's terms; Provisions the provision ids;
// Text is the question put, in the chair's words (required for a
// procedural question, optional otherwise).
type Subject struct {
	Kind       SubjectKind `json:"kind"`
	Ref        string      `json:"ref,omitempty"`
	Provisions []string    `json:"provisions,omitempty"`
	Text       string      `json:"text,omitempty"`
}

// Validate checks a subject; the error names the field at fault.
func (s Subject) Validate() error {
	switch s.Kind {
	case OnRevision, OnItem:
		if strings.TrimSpace(s.Ref) == "" {
			return plenary.Invalid("subject.ref", "name the %s the decision is on", s.Kind.Label())
		}
	case OnProvisions:
		if strings.TrimSpace(s.Ref) == "" {
			return plenary.Invalid("subject.ref", "name the draft revision whose provisions the decision is on")
		}
		if len(s.Provisions) == 0 {
			return plenary.Invalid("subject.provisions", "name at least one provision")
		}
	case OnQuestion:
		if strings.TrimSpace(s.Text) == "" {
			return plenary.Invalid("subject.text", "write the procedural question put to the meeting")
		}
	default:
		return plenary.Invalid("subject.kind", "a decision is on a draft revision, provisions, an agenda item or a procedural question, not %q", s.Kind)
	}
	if err := checkList("subject.provisions", s.Provisions); err != nil {
		return err
	}
	return checkText("subject.text", s.Text, false)
}

func (s Subject) clone() Subject {
	s.Provisions = slices.Clone(s.Provisions)
	return s
}

// checkList refuses empty entries and repeated ones in a list of keys.
func checkList(field string, xs []string) error {
	seen := make(map[string]bool, len(xs))
	for i, x := range xs {
		f := fmt.Sprintf("%s[%d]", field, i)
		if strings.TrimSpace(x) == "" {
			return plenary.Invalid(f, "an entry is empty")
		}
		if seen[x] {
			return plenary.Invalid(f, "%q is named twice", x)
		}
		seen[x] = true
		if err := checkText(f, x, false); err != nil {
			return err
		}
	}
	return nil
}

// checkText refuses invalid UTF-8, and control characters other than the
// tab (and line breaks when multi is set).
func checkText(field, s string, multi bool) error {
	if !utf8.ValidString(s) {
		return plenary.Invalid(field, "the text is not valid UTF-8")
	}
	for _, r := range s {
		if r == '\t' || (multi && r == '\n') {
			continue
		}
		if r < 0x20 || r == 0x7f {
			return plenary.Invalid(field, "the text has a control character")
		}
	}
	return nil
}

// need refuses an empty text.
func need(field, s, what string) error {
	if strings.TrimSpace(s) == "" {
		return plenary.Invalid(field, "%s", what)
	}
	return nil
}

// plural writes n with its noun: "1 abstention", "8 abstentions".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// partyList writes parties as an English list: "Spain", "Spain and Sweden",
// "Spain, Sweden and Kenya".
func partyList(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// replayError names the failing event's index in the error of a replay.
func replayError(i int, typ string, err error) error {
	pe := plenary.AsError(err)
	out := *pe
	out.Message = fmt.Sprintf("event %d (%s): %s", i+1, typ, pe.Message)
	return &out
}

// checkAt refuses an event without a time, or one earlier than the last.
func checkAt(at, last int64) error {
	if at <= 0 {
		return plenary.Invalid("at", "an event needs its time")
	}
	if at < last {
		return plenary.Invalid("at", "events come in the order of the server's clock: this one is earlier than the last")
	}
	return nil
}
