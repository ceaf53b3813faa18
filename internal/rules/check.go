package rules

import (
	"fmt"

	"github.com/plenary-forum/plenary"
)

// Subject is who asks to act: one registration in one forum. The command
// layer fills it from the registration, its party's group and the
// delegation's credentials.
type Subject struct {
	// Forum is the forum's name for messages ("WCIT-12"); it may be empty.
	Forum string
	// Group is the stakeholder group the registration speaks for. Key is
	// required; empty Name or Plural fall back to the default groups. A
	// person inside a national delegation (the WCIT route for industry and
	// civil society) is registered under the delegation's group.
	Group Group
	// Role and Mode of the registration.
	Role Role
	Mode Mode
	// Credentials of the subject's delegation; empty means none presented.
	Credentials Credentials
	// Grants are the rights the secretariat gave a guest. For a guest (role
	// guest, or group guest) they replace the matrix cell entirely; for
	// anyone else they are ignored.
	Grants ActionSet
}

// IsGuest reports whether s is a guest, whose rights are its Grants rather
// than a cell of the matrix.
func (s Subject) IsGuest() bool { return s.Role == RoleGuest || s.Group.Key == GroupGuest }

// Key is the matrix cell of s.
func (s Subject) Key() Key { return Key{Group: s.Group.Key, Role: s.Role, Mode: s.Mode} }

func (s Subject) validate() error {
	if err := validateGroupKey("group", s.Group.Key); err != nil {
		return err
	}
	if !s.Role.Valid() {
		return plenary.Invalid("role", "unknown role %q", s.Role)
	}
	if !s.Mode.Valid() {
		return plenary.Invalid("mode", "unknown mode %q", s.Mode)
	}
	if !s.Credentials.Valid() {
		return plenary.Invalid("credentials", "unknown credentials state %q", s.Credentials)
	}
	return nil
}

// group returns the subject's group with its names filled in.
func (s Subject) group() Group {
	g := s.Group
	d := Groups(nil).Lookup(g.Key)
	if g.Name == "" {
		g.Name = d.Name
	}
	if g.Plural == "" {
		g.Plural = d.Plural
	}
	return g
}

// Check is the one question every command asks: may s take action a? It
// returns nil, or a *plenary.Error with code forbidden whose message names
// the missing right, for example:
//
//	Sector Members may not vote in WCIT-12
//	Remote Member States may not vote in WCIT-12
//	Member State advisers may not vote in WCIT-12
//	Member States may vote in WCIT-12 only with credentials in order (credentials: provisional)
//	This guest may not ask for the floor in WTPF-13: the secretariat has not granted that right
//
// An unknown action or a malformed subject is an invalid-input error; it is
// never allowed.
func (m Matrix) Check(s Subject, a Action) error {
	if !a.Valid() {
		return plenary.Invalid("action", "unknown action %q", a)
	}
	if err := s.validate(); err != nil {
		return err
	}
	guest := s.IsGuest()
	if guest {
		if !s.Grants.Has(a) {
			return plenary.Forbidden("This guest may not %s%s: the secretariat has not granted that right", a.Label(), s.in())
		}
	} else if !m.Get(s.Key()).Has(a) {
		return plenary.Forbidden("%s may not %s%s", m.scope(s.group(), s, a), a.Label(), s.in())
	}
	if c := m.Condition(a); !c.Satisfied(s.Credentials, a) {
		who := "Guests"
		if !guest {
			who = s.group().title()
		}
		msg := fmt.Sprintf("%s may %s%s %s (credentials: %s)", who, a.Label(), s.in(), c.LabelFor(a), s.Credentials.Label())
		if a == Vote && s.Credentials == CredentialsTransferred {
			msg += "; the delegation holding its proxy votes for it"
		}
		return plenary.Forbidden("%s", msg)
	}
	return nil
}

// in is " in <forum>" for messages, or nothing without a forum name.
func (s Subject) in() string {
	if s.Forum == "" {
		return ""
	}
	return " in " + s.Forum
}

// Allowed lists, in display order, the actions s may take now (conditions
// included: a delegation with provisional credentials does not see vote).
func (m Matrix) Allowed(s Subject) []Action {
	out := []Action{}
	for _, a := range Actions() {
		if m.Check(s, a) == nil {
			out = append(out, a)
		}
	}
	return out
}

// scope names the widest set of subjects, containing s, none of whom the
// matrix allows to take action a: the whole group, the group in one mode,
// the group's role, or the group's role in one mode. Participants are
// compared with the other participant roles of their group; offices with
// the same office in every group.
func (m Matrix) scope(g Group, s Subject, a Action) string {
	if s.Role.IsOffice() {
		some := func(mode Mode) bool {
			for k, acts := range m.cells {
				if k.Role == s.Role && (mode == "" || k.Mode == mode) && acts.Has(a) {
					return true
				}
			}
			return false
		}
		switch {
		case !some(""):
			return capitalize(s.Role.Plural())
		case !some(s.Mode):
			return inMode(s.Role.Plural(), s.Mode)
		}
		return inMode(roleOfGroup(g, s.Role), s.Mode)
	}
	some := func(role Role, mode Mode) bool {
		for _, r := range Roles() {
			if r.IsOffice() || r == RoleGuest || (role != "" && r != role) {
				continue
			}
			for _, md := range Modes() {
				if (mode == "" || md == mode) && m.Get(Key{g.Key, r, md}).Has(a) {
					return true
				}
			}
		}
		return false
	}
	switch {
	case !some("", ""):
		return g.title()
	case !some("", s.Mode):
		return inMode(g.Plural, s.Mode)
	case !some(s.Role, ""):
		return capitalize(roleOfGroup(g, s.Role))
	}
	return inMode(roleOfGroup(g, s.Role), s.Mode)
}

// roleOfGroup names a role within a group: "Member State advisers"; a role
// named like its group is said apart ("observers in the observer role", not
// "observer observers").
func roleOfGroup(g Group, r Role) string {
	if string(r) == g.Key {
		return g.Plural + " in the " + r.Label() + " role"
	}
	return g.Name + " " + r.Plural()
}

// inMode qualifies who by a mode, as the start of a sentence: "Remote
// observers", "Member State advisers in the room".
func inMode(who string, mode Mode) string {
	if mode == Remote {
		return "Remote " + who
	}
	return capitalize(who) + " in the room"
}

// guestGrantable is what a guest may be granted: a participant's part in the
// debate. Voting, signing and reservations belong to parties, and the
// powers of an office to the offices.
var guestGrantable = fullDebate

// GuestGrantable returns the actions the secretariat may grant a guest, in
// display order, for the invitation form.
func GuestGrantable() []Action { return guestGrantable.Actions() }

// ValidateGrants checks a guest's grants, given as action keys from a form or
// a file: each must be a known action that a guest may hold, listed once. An
// empty list is a valid, explicit choice (the guest may do nothing).
func ValidateGrants(keys []string) (ActionSet, error) {
	var s ActionSet
	for _, k := range keys {
		a, err := ParseAction("grants", k)
		if err != nil {
			return 0, err
		}
		if !guestGrantable.Has(a) {
			return 0, plenary.Invalid("grants", "a guest cannot be granted the right to %s", a.Label())
		}
		if s.Has(a) {
			return 0, plenary.Invalid("grants", "%q is listed twice", k)
		}
		s = s.With(a)
	}
	return s, nil
}
