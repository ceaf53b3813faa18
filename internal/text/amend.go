package text

import (
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/text/worddiff"
)

// AmendOp is the kind of proposal, in ITU marks.
type AmendOp string

// The kinds of proposal.
const (
	OpADD AmendOp = "ADD" // a new provision
	OpMOD AmendOp = "MOD" // new wording of a provision
	OpSUP AmendOp = "SUP" // delete a provision
	OpNOC AmendOp = "NOC" // no change: a recorded position that the provision stays as it is
)

// Valid reports whether op is one of the four marks.
func (op AmendOp) Valid() bool {
	switch op {
	case OpADD, OpMOD, OpSUP, OpNOC:
		return true
	}
	return false
}

// Status is the state of a proposal.
type Status string

// The states of a proposal. Submitted is the only pending state; the others
// are final.
const (
	StatusSubmitted        Status = "submitted"
	StatusWithdrawn        Status = "withdrawn"
	StatusAccepted         Status = "accepted"
	StatusAcceptedModified Status = "accepted_modified"
	StatusMerged           Status = "merged"
	StatusRejected         Status = "rejected"
	StatusSuperseded       Status = "superseded"
	StatusNoted            Status = "noted" // taken into account without changing the text
)

// Valid reports whether s is one of the states.
func (s Status) Valid() bool {
	switch s {
	case StatusSubmitted, StatusWithdrawn, StatusAccepted, StatusAcceptedModified,
		StatusMerged, StatusRejected, StatusSuperseded, StatusNoted:
		return true
	}
	return false
}

// Pending reports whether a proposal in this state is still to be decided.
func (s Status) Pending() bool { return s == StatusSubmitted }

// Transition checks a change of state. A submitted proposal may be withdrawn
// by its proposer, or accepted, accepted as modified, merged into another,
// rejected or superseded by the editor; every other state is final. The
// error is a conflict naming both states.
func Transition(from, to Status) error {
	if !from.Valid() {
		return plenary.Invalid("status", "unknown status %q", from)
	}
	if !to.Valid() {
		return plenary.Invalid("status", "unknown status %q", to)
	}
	if from == to {
		return plenary.Conflict("the proposal is already %s", from)
	}
	if from != StatusSubmitted {
		return plenary.Conflict("the proposal is %s, which is final; it cannot become %s", from, to)
	}
	if to == StatusSubmitted {
		return plenary.Conflict("the proposal is already submitted")
	}
	return nil
}

// SetStatus returns a with its status changed to to, after Transition
// allows it. A merge names the proposal it merges into; other states take
// none.
func SetStatus(a Amendment, to Status, mergedInto string) (Amendment, error) {
	if err := Transition(a.Status, to); err != nil {
		return a, err
	}
	switch {
	case to == StatusMerged && (mergedInto == "" || mergedInto == a.ID):
		return a, plenary.Invalid("merged_into", "name the other proposal %s merges into", a.Ref())
	case to != StatusMerged && mergedInto != "":
		return a, plenary.Invalid("merged_into", "only a merged proposal merges into another")
	}
	a.Status, a.MergedInto = to, mergedInto
	return a, nil
}

// Amendment is a proposal against one revision of a draft.
//
// For MOD, Text is the whole new text of the provision as the proposer wrote
// it, and Edits the word edits computed from it by Propose: positions are
// tokens of the provision's body (worddiff.Tokenize), each bracket counting
// as one token. For ADD, Text is the text of the new provision, placed after
// the provision After ("" for the start of the text), with the given Kind
// and Intro (by default those of its neighbour) and, when NewLabel is set,
// that fixed label. SUP and NOC name the Provision only.
type Amendment struct {
	ID           string          `json:"id"`
	Label        string          `json:"label,omitempty"`
	Op           AmendOp         `json:"op"`
	Revision     int             `json:"revision"`
	Provision    string          `json:"provision,omitempty"`
	After        string          `json:"after,omitempty"`
	Text         string          `json:"text,omitempty"`
	Edits        []worddiff.Edit `json:"edits,omitempty"`
	Kind         Kind            `json:"kind,omitempty"`
	Intro        string          `json:"intro,omitempty"`
	NewLabel     string          `json:"new_label,omitempty"`
	Proposer     string          `json:"proposer"`
	CoSponsors   []string        `json:"co_sponsors,omitempty"`
	Rationale    string          `json:"rationale,omitempty"`
	Contribution string          `json:"contribution_id,omitempty"`
	Status       Status          `json:"status"`
	MergedInto   string          `json:"merged_into,omitempty"`
}

// Proponents returns the proposer followed by the co-sponsors.
func (a *Amendment) Proponents() []string {
	return appendUnique([]string{a.Proposer}, a.CoSponsors...)
}

// Ref is how the proposal is named: its label, or its id when it has none.
func (a *Amendment) Ref() string {
	if a.Label != "" {
		return a.Label
	}
	return a.ID
}

// Target is the provision the proposal is about: Provision for MOD, SUP and
// NOC, After for ADD.
func (a *Amendment) Target() string {
	if a.Op == OpADD {
		return a.After
	}
	return a.Provision
}

// FormatLabel writes a proposal label in the ITU style party/document/
// sequence: FormatLabel("USA", "6", 1) is "USA/6/1". A full document number
// is cut to its number: "WTPF-13/6(Rev.1)" gives 6.
func FormatLabel(party, document string, seq int) string {
	doc := document
	if i := strings.LastIndexByte(doc, '/'); i >= 0 {
		doc = doc[i+1:]
	}
	if i := strings.IndexAny(doc, "( "); i > 0 {
		doc = doc[:i]
	}
	doc = strings.TrimSuffix(doc, "-E")
	return strings.TrimSpace(party) + "/" + doc + "/" + strconv.Itoa(seq)
}

// Propose validates a new proposal against the revision it targets and
// returns it ready to store: Revision set to the draft's, Status submitted,
// texts trimmed, co-sponsors without duplicates or the proposer, an ADD's
// Kind and Intro filled in from its neighbour, and a MOD's Edits computed.
//
// It rejects: a missing id or proposer; an unknown op; MOD, SUP or NOC of a
// provision that is not in the revision; ADD after one that is not; ADD or
// MOD without text; MOD that changes nothing ("use NOC"); MOD that changes
// an open bracket, and square brackets in proposed text (brackets are made
// by the editor); text given with SUP or NOC.
func Propose(d *Draft, a Amendment) (Amendment, error) {
	if strings.TrimSpace(a.ID) == "" {
		return a, plenary.Invalid("id", "a proposal needs an id")
	}
	a.Proposer = strings.TrimSpace(a.Proposer)
	if a.Proposer == "" {
		return a, plenary.Invalid("proposer", "a proposal needs a proposer")
	}
	if !a.Op.Valid() {
		return a, plenary.Invalid("op", "unknown proposal kind %q; use ADD, MOD, SUP or NOC", a.Op)
	}
	if a.Status == "" {
		a.Status = StatusSubmitted
	}
	if a.Status != StatusSubmitted {
		return a, plenary.Invalid("status", "a new proposal is submitted, not %s", a.Status)
	}
	a.Revision = d.Revision
	a.MergedInto = ""
	var co []string
	for _, c := range a.CoSponsors {
		if c = strings.TrimSpace(c); c != a.Proposer {
			co = appendUnique(co, c)
		}
	}
	a.CoSponsors = co
	a.Text = strings.TrimSpace(a.Text)
	switch a.Op {
	case OpADD:
		return proposeADD(d, a)
	case OpMOD:
		return proposeMOD(d, a)
	default:
		if _, ok := d.Provision(a.Provision); !ok {
			return a, plenary.Invalid("provision", "provision %q is not in revision %d", a.Provision, d.Revision)
		}
		if a.Text != "" {
			return a, plenary.Invalid("text", "%s takes no text", a.Op)
		}
		a.After, a.Edits, a.Kind, a.Intro, a.NewLabel = "", nil, "", "", ""
		return a, nil
	}
}

func proposeMOD(d *Draft, a Amendment) (Amendment, error) {
	p, ok := d.Provision(a.Provision)
	if !ok {
		return a, plenary.Invalid("provision", "provision %q is not in revision %d", a.Provision, d.Revision)
	}
	if a.Text == "" {
		return a, plenary.Invalid("text", "the new text is empty; use SUP to delete the provision")
	}
	edits, _, err := diffBody(p.Body, a.Text, "text")
	if err != nil {
		return a, err
	}
	if len(edits) == 0 {
		return a, plenary.Invalid("text", "the text is the same as provision %s; use NOC to record no change", displayName(p))
	}
	a.Edits, a.After, a.Kind, a.Intro, a.NewLabel = edits, "", "", "", ""
	return a, nil
}

func proposeADD(d *Draft, a Amendment) (Amendment, error) {
	if a.Text == "" {
		return a, plenary.Invalid("text", "a new provision needs text")
	}
	if strings.ContainsAny(a.Text, "[]") {
		return a, plenary.Invalid("text", "square brackets mark unagreed text and are made by the editor; propose the words without them")
	}
	at := 0
	if a.After != "" {
		i := d.Index(a.After)
		if i < 0 {
			return a, plenary.Invalid("after", "provision %q is not in revision %d", a.After, d.Revision)
		}
		at = i + 1
	}
	if a.Kind != "" && !a.Kind.Valid() {
		return a, plenary.Invalid("kind", "unknown provision kind %q", a.Kind)
	}
	if a.Kind == "" {
		a.Kind, a.Intro = neighbourKind(d, at)
	}
	a.Intro = strings.TrimSpace(a.Intro)
	a.NewLabel = strings.TrimSpace(a.NewLabel)
	a.Provision, a.Edits = "", nil
	return a, nil
}

// neighbourKind picks the kind and intro of a provision inserted at
// position at: those of the clause before it, or, after a heading or article
// (or at the start), those of the provision that follows.
func neighbourKind(d *Draft, at int) (Kind, string) {
	if at > 0 {
		p := &d.Provisions[at-1]
		if p.Kind != KindHeading && p.Kind != KindArticle {
			return p.Kind, p.Intro
		}
	}
	if at < len(d.Provisions) {
		p := &d.Provisions[at]
		if p.Kind != KindHeading && p.Kind != KindArticle {
			return p.Kind, p.Intro
		}
	}
	return KindParagraph, ""
}

func displayName(p *Provision) string {
	if p.Label != "" {
		if p.Intro != "" {
			return p.Intro + " " + p.Label
		}
		return p.Label
	}
	return p.ID
}

// AddCoSponsor returns a with party joined as a co-sponsor. Parties join
// while the proposal is pending; the proposer and existing co-sponsors
// cannot join again.
func AddCoSponsor(a Amendment, party string) (Amendment, error) {
	party = strings.TrimSpace(party)
	if party == "" {
		return a, plenary.Invalid("party", "name the party that co-sponsors")
	}
	if !a.Status.Pending() {
		return a, plenary.Conflict("proposal %s is %s; co-sponsors join pending proposals only", a.Ref(), a.Status)
	}
	if party == a.Proposer {
		return a, plenary.Conflict("%s is the proposer of %s", party, a.Ref())
	}
	for _, c := range a.CoSponsors {
		if c == party {
			return a, plenary.Conflict("%s already co-sponsors %s", party, a.Ref())
		}
	}
	a.CoSponsors = append(append([]string(nil), a.CoSponsors...), party)
	return a, nil
}

// CarryOver moves a pending proposal made against old onto the next
// revision next, when that is safe: the provision it targets (or follows,
// for ADD) is still there, and, for MOD, SUP and NOC, its text did not
// change. Otherwise the result is a conflict, and the proposal should be
// marked superseded and proposed again.
func CarryOver(a Amendment, old, next *Draft) (Amendment, error) {
	if !a.Status.Pending() {
		return a, plenary.Conflict("proposal %s is %s; only pending proposals carry over", a.Ref(), a.Status)
	}
	if a.Revision != old.Revision {
		return a, plenary.Conflict("proposal %s was made against revision %d, not %d", a.Ref(), a.Revision, old.Revision)
	}
	target := a.Target()
	if target != "" {
		np, ok := next.Provision(target)
		if !ok {
			return a, plenary.Conflict("provision %s of proposal %s is not in revision %d", target, a.Ref(), next.Revision)
		}
		if a.Op != OpADD {
			op, ok := old.Provision(target)
			if !ok || op.Text() != np.Text() {
				return a, plenary.Conflict("provision %s changed in revision %d; proposal %s must be made again", displayName(np), next.Revision, a.Ref())
			}
		}
	}
	a.Revision = next.Revision
	a.Edits = append([]worddiff.Edit(nil), a.Edits...)
	return a, nil
}

// naturalLess orders strings with embedded numbers by value: "USA/6/2"
// before "USA/6/10".
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := isDigitByte(a[0]), isDigitByte(b[0])
		if da && db {
			i, j := 0, 0
			for i < len(a) && isDigitByte(a[i]) {
				i++
			}
			for j < len(b) && isDigitByte(b[j]) {
				j++
			}
			na, nb := strings.TrimLeft(a[:i], "0"), strings.TrimLeft(b[:j], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			if i != j {
				return i < j
			}
			a, b = a[i:], b[j:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }
