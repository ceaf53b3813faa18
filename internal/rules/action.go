package rules

import (
	"encoding/json"
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/plenary-forum/plenary"
)

// Action is something a participant may do in a forum. Its string value is a
// stable key: it is stored in the ledger and must never change.
type Action string

// The actions, in display order. The first eleven and the last (Comment)
// are what a participant does for itself or its party; the three between
// are the powers of an office (secretariat, focal point, chair, editor).
// A new action goes at the end of the table, whatever its kind, so that
// the bit positions of stored sets never move.
const (
	ReadPublic           Action = "read_public"           // read public documents
	ReadRestricted       Action = "read_restricted"       // read documents restricted to participants
	Contribute           Action = "contribute"            // submit a contribution (a numbered input document)
	ProposeAmendment     Action = "propose_amendment"     // propose an amendment to a draft text
	Cosponsor            Action = "cosponsor"             // co-sponsor someone else's proposal
	AskFloor             Action = "ask_floor"             // ask for the floor (join the speakers' queue)
	PointOfOrder         Action = "point_of_order"        // raise a point of order
	ObjectConsensus      Action = "object_consensus"      // object when consensus is called
	Vote                 Action = "vote"                  // vote in a formal vote
	Sign                 Action = "sign"                  // sign the final acts
	FileReservation      Action = "file_reservation"      // file a declaration or reservation
	ApproveRegistrations Action = "approve_registrations" // approve or decline registrations
	ManageFloor          Action = "manage_floor"          // give the floor, run the queue, call decisions
	EditDraft            Action = "edit_draft"            // produce the next revision of a draft text
	Comment              Action = "comment"               // comment in a public consultation
)

type actionInfo struct {
	action Action
	label  string
	short  string
	// office is true for the powers of an office.
	office bool
	// enforced is true when some command of Plenary checks the action
	// today; the others are recorded in the rules but not yet exercised.
	enforced bool
}

// actionTable is the single source of the order, labels, bit positions
// and of which actions Plenary enforces. Every action is enforced today:
// signatures and reservations by the final acts (internal/finalacts). An
// action added before the command that checks it is marked false, and the
// rules page says it is not yet exercised.
var actionTable = [...]actionInfo{
	{ReadPublic, "read public documents", "Read public", false, true},
	{ReadRestricted, "read restricted documents", "Read restricted", false, true},
	{Contribute, "submit a contribution", "Contribute", false, true},
	{ProposeAmendment, "propose an amendment", "Amend", false, true},
	{Cosponsor, "co-sponsor a proposal", "Co-sponsor", false, true},
	{AskFloor, "ask for the floor", "Ask floor", false, true},
	{PointOfOrder, "raise a point of order", "Point of order", false, true},
	{ObjectConsensus, "object to consensus", "Object", false, true},
	{Vote, "vote", "Vote", false, true},
	{Sign, "sign the final acts", "Sign", false, true},
	{FileReservation, "file a reservation", "Reservation", false, true},
	{ApproveRegistrations, "approve registrations", "Approve", true, true},
	{ManageFloor, "manage the floor", "Manage floor", true, true},
	{EditDraft, "edit the draft", "Edit draft", true, true},
	{Comment, "comment in a public consultation", "Comment", false, true},
}

// NotYetExercised is what the rules page says of a right that Plenary
// does not enforce yet (see [Action.Enforced]).
const NotYetExercised = "recorded in the rules, but this right is not yet exercised by any command of Plenary"

// Actions returns every action in display order.
func Actions() []Action {
	out := make([]Action, len(actionTable))
	for i, info := range actionTable {
		out[i] = info.action
	}
	return out
}

func (a Action) index() int {
	for i, info := range actionTable {
		if info.action == a {
			return i
		}
	}
	return -1
}

// Valid reports whether a is one of the defined actions.
func (a Action) Valid() bool { return a.index() >= 0 }

// Label is the action in words, written to follow "may": "ask for the
// floor", "vote". Unknown actions return their key.
func (a Action) Label() string {
	if i := a.index(); i >= 0 {
		return actionTable[i].label
	}
	return string(a)
}

// Short is a capitalised column heading for tables: "Ask floor", "Vote".
func (a Action) Short() string {
	if i := a.index(); i >= 0 {
		return actionTable[i].short
	}
	return string(a)
}

// Enforced reports whether some command of Plenary checks a today. An
// action that none checks yet is part of the rules the secretariat sets
// and publishes, but nothing exercises it. Every action is enforced now.
// Unknown actions are not enforced.
func (a Action) Enforced() bool {
	if i := a.index(); i >= 0 {
		return actionTable[i].enforced
	}
	return false
}

// IsOffice reports whether a is the power of an office (approve
// registrations, manage the floor, edit the draft) rather than something a
// participant does for its party.
func (a Action) IsOffice() bool {
	i := a.index()
	return i >= 0 && actionTable[i].office
}

// ParseAction returns the action whose key is s, or an invalid-input error
// naming field.
func ParseAction(field, s string) (Action, error) {
	a := Action(strings.TrimSpace(s))
	if !a.Valid() {
		return "", plenary.Invalid(field, "unknown action %q", s)
	}
	return a, nil
}

// ActionSet is a set of actions. Its zero value is the empty set; it is a
// plain value, safe to copy. It encodes to JSON as a list of action keys in
// display order.
type ActionSet uint32

// NewActionSet returns the set of the given actions. Unknown actions are
// ignored; use [ParseAction] to validate input first.
func NewActionSet(actions ...Action) ActionSet {
	var s ActionSet
	for _, a := range actions {
		s = s.With(a)
	}
	return s
}

// allActions is the set of every defined action.
var allActions = ActionSet(1<<len(actionTable) - 1)

// participantSet is the set of the participant actions (not the offices').
var participantSet = func() ActionSet {
	var s ActionSet
	for i, info := range actionTable {
		if !info.office {
			s |= 1 << i
		}
	}
	return s
}()

// Has reports whether a is in s.
func (s ActionSet) Has(a Action) bool {
	i := a.index()
	return i >= 0 && s&(1<<i) != 0
}

// With returns s plus the given actions.
func (s ActionSet) With(actions ...Action) ActionSet {
	for _, a := range actions {
		if i := a.index(); i >= 0 {
			s |= 1 << i
		}
	}
	return s
}

// Without returns s minus the given actions.
func (s ActionSet) Without(actions ...Action) ActionSet {
	for _, a := range actions {
		if i := a.index(); i >= 0 {
			s &^= 1 << i
		}
	}
	return s
}

// Union returns the actions in s or t.
func (s ActionSet) Union(t ActionSet) ActionSet { return s | t }

// Intersect returns the actions in both s and t.
func (s ActionSet) Intersect(t ActionSet) ActionSet { return s & t }

// Minus returns the actions in s but not in t.
func (s ActionSet) Minus(t ActionSet) ActionSet { return s &^ t }

// Len is the number of actions in s.
func (s ActionSet) Len() int { return bits.OnesCount32(uint32(s & allActions)) }

// IsEmpty reports whether s has no action.
func (s ActionSet) IsEmpty() bool { return s&allActions == 0 }

// Actions lists the actions of s in display order.
func (s ActionSet) Actions() []Action {
	out := []Action{}
	for i, info := range actionTable {
		if s&(1<<i) != 0 {
			out = append(out, info.action)
		}
	}
	return out
}

// String lists the action keys of s, comma-separated, for logs and tests.
func (s ActionSet) String() string {
	keys := make([]string, 0, s.Len())
	for _, a := range s.Actions() {
		keys = append(keys, string(a))
	}
	return "{" + strings.Join(keys, ",") + "}"
}

// MarshalJSON encodes s as a list of action keys in display order.
func (s ActionSet) MarshalJSON() ([]byte, error) { return json.Marshal(s.Actions()) }

// UnmarshalJSON decodes a list of action keys; an unknown or repeated key is
// an error.
func (s *ActionSet) UnmarshalJSON(b []byte) error {
	var keys []string
	if err := json.Unmarshal(b, &keys); err != nil {
		return plenary.Invalid("actions", "actions must be a list of action keys")
	}
	var out ActionSet
	for _, k := range keys {
		a, err := ParseAction("actions", k)
		if err != nil {
			return err
		}
		if out.Has(a) {
			return plenary.Invalid("actions", "action %q is listed twice", k)
		}
		out = out.With(a)
	}
	*s = out
	return nil
}

// describeList joins action labels as an English list: "vote, sign the final
// acts and file a reservation".
func describeList(s ActionSet) string {
	labels := make([]string, 0, s.Len())
	for _, a := range s.Actions() {
		labels = append(labels, a.Label())
	}
	return joinAnd(labels, "and")
}

// joinAnd joins words as an English list with the given conjunction.
func joinAnd(words []string, conj string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + conj + " " + words[len(words)-1]
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
