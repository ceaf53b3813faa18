package rules

import (
	"strings"

	"github.com/plenary-forum/plenary"
)

// Role is the capacity in which a person is registered in a forum. Its
// string value is a stable key.
type Role string

// The roles, in display order. The first five are participants of a party
// (or of the public); the last four are offices.
const (
	RoleHeadOfDelegation Role = "head_of_delegation"
	RoleDelegate         Role = "delegate"
	RoleAdviser          Role = "adviser"
	RoleObserver         Role = "observer"
	RoleGuest            Role = "guest"
	RoleChair            Role = "chair"
	RoleEditor           Role = "editor"
	RoleRemoteModerator  Role = "remote_moderator"
	RoleSecretariat      Role = "secretariat"
)

var roleTable = [...]struct {
	role          Role
	label, plural string
	office        bool
}{
	{RoleHeadOfDelegation, "head of delegation", "heads of delegation", false},
	{RoleDelegate, "delegate", "delegates", false},
	{RoleAdviser, "adviser", "advisers", false},
	{RoleObserver, "observer", "observers", false},
	{RoleGuest, "guest", "guests", false},
	{RoleChair, "chair", "chairs", true},
	{RoleEditor, "editor", "editors", true},
	{RoleRemoteModerator, "remote moderator", "remote moderators", true},
	{RoleSecretariat, "secretariat", "secretariat staff", true},
}

// Roles returns every role in display order.
func Roles() []Role {
	out := make([]Role, len(roleTable))
	for i, r := range roleTable {
		out[i] = r.role
	}
	return out
}

func (r Role) index() int {
	for i, x := range roleTable {
		if x.role == r {
			return i
		}
	}
	return -1
}

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool { return r.index() >= 0 }

// Label is the role in words, singular: "head of delegation".
func (r Role) Label() string {
	if i := r.index(); i >= 0 {
		return roleTable[i].label
	}
	return string(r)
}

// Plural is the role in words, plural: "heads of delegation".
func (r Role) Plural() string {
	if i := r.index(); i >= 0 {
		return roleTable[i].plural
	}
	return string(r)
}

// IsOffice reports whether r is an office of the forum (chair, editor,
// remote moderator, secretariat) rather than a participant's role.
func (r Role) IsOffice() bool {
	i := r.index()
	return i >= 0 && roleTable[i].office
}

// ParseRole returns the role whose key is s, or an invalid-input error
// naming field.
func ParseRole(field, s string) (Role, error) {
	r := Role(strings.TrimSpace(s))
	if !r.Valid() {
		return "", plenary.Invalid(field, "unknown role %q", s)
	}
	return r, nil
}

// Mode is how a person takes part: in the room or remotely.
type Mode string

// The modes, in display order.
const (
	InRoom Mode = "in_room"
	Remote Mode = "remote"
)

// Modes returns both modes in display order.
func Modes() []Mode { return []Mode{InRoom, Remote} }

// Valid reports whether m is a defined mode.
func (m Mode) Valid() bool { return m == InRoom || m == Remote }

// Label is the mode in words: "in the room", "remotely".
func (m Mode) Label() string {
	switch m {
	case InRoom:
		return "in the room"
	case Remote:
		return "remotely"
	}
	return string(m)
}

// ParseMode returns the mode whose key is s, or an invalid-input error
// naming field.
func ParseMode(field, s string) (Mode, error) {
	m := Mode(strings.TrimSpace(s))
	if !m.Valid() {
		return "", plenary.Invalid(field, "unknown mode %q", s)
	}
	return m, nil
}

// Credentials is the state of a delegation's credentials at a treaty
// conference (ITU Convention Art. 31). The zero value means none presented.
type Credentials string

// The credentials states, as seen at WCIT-12: vote and sign (in order); sign
// only; transfer of powers to another delegation (a proxy); none presented.
// Provisional is the state while the credentials committee has not reported.
const (
	CredentialsNone        Credentials = "none"        // none presented
	CredentialsProvisional Credentials = "provisional" // presented, not yet examined
	CredentialsInOrder     Credentials = "in_order"    // in order: the delegation may vote and sign
	CredentialsSignOnly    Credentials = "sign_only"   // in order for signature only: may sign, may not vote
	CredentialsTransferred Credentials = "transferred" // powers transferred to another delegation, which votes for it
)

// AllCredentials returns every credentials state in display order.
func AllCredentials() []Credentials {
	return []Credentials{CredentialsNone, CredentialsProvisional, CredentialsInOrder, CredentialsSignOnly, CredentialsTransferred}
}

// Valid reports whether c is a defined state; the empty string is valid and
// means none presented.
func (c Credentials) Valid() bool {
	switch c {
	case "", CredentialsNone, CredentialsProvisional, CredentialsInOrder, CredentialsSignOnly, CredentialsTransferred:
		return true
	}
	return false
}

// Label is the state in words.
func (c Credentials) Label() string {
	switch c {
	case "", CredentialsNone:
		return "none presented"
	case CredentialsProvisional:
		return "provisional"
	case CredentialsInOrder:
		return "in order"
	case CredentialsSignOnly:
		return "in order for signature only"
	case CredentialsTransferred:
		return "powers transferred to another delegation"
	}
	return string(c)
}

// ParseCredentials returns the state whose key is s ("" means none), or an
// invalid-input error naming field and listing the valid keys.
func ParseCredentials(field, s string) (Credentials, error) {
	c := Credentials(strings.TrimSpace(s))
	if !c.Valid() {
		keys := make([]string, 0, len(AllCredentials()))
		for _, k := range AllCredentials() {
			keys = append(keys, string(k))
		}
		return "", plenary.Invalid(field, "unknown credentials state %q: must be one of %s", s, strings.Join(keys, ", "))
	}
	if c == "" {
		c = CredentialsNone
	}
	return c, nil
}

// Condition is an extra requirement an action carries in a matrix, on top
// of the cell that grants it. The zero value is no condition.
type Condition string

// The conditions.
const (
	// NoCondition: the cell alone decides.
	NoCondition Condition = ""
	// NeedsCredentials: the subject's delegation must have credentials in
	// order. Credentials in order for signature only satisfy it for every
	// action except voting; provisional, transferred and missing
	// credentials never do (a delegation whose powers are transferred votes
	// through the delegation holding its proxy, not itself).
	NeedsCredentials Condition = "credentials_in_order"
)

// Conditions returns the conditions an action may carry, in display order
// (not NoCondition, which is their absence).
func Conditions() []Condition { return []Condition{NeedsCredentials} }

// Valid reports whether c is a defined condition.
func (c Condition) Valid() bool { return c == NoCondition || c == NeedsCredentials }

// Label is the condition in words, written to follow the action: "only with
// credentials in order". No condition has an empty label. What it means for
// one action is LabelFor's.
func (c Condition) Label() string {
	if c == NeedsCredentials {
		return "only with credentials in order"
	}
	return ""
}

// LabelFor is the condition in words for action a, written to follow the
// action and naming exactly the credentials states that satisfy it there:
// "only with credentials in order" for voting, "only with credentials in
// order or in order for signature only" for signing. No condition has an
// empty label.
func (c Condition) LabelFor(a Action) string {
	if c == NoCondition {
		return ""
	}
	var states []string
	for _, cred := range AllCredentials() {
		if c.Satisfied(cred, a) {
			states = append(states, cred.Label())
		}
	}
	if len(states) == 0 {
		return "never"
	}
	return "only with credentials " + strings.Join(states, " or ")
}

// Satisfied reports whether a subject with credentials cred meets c for
// action a.
func (c Condition) Satisfied(cred Credentials, a Action) bool {
	switch c {
	case NoCondition:
		return true
	case NeedsCredentials:
		switch cred {
		case CredentialsInOrder:
			return true
		case CredentialsSignOnly:
			return a != Vote
		}
	}
	return false
}
