package forum

import (
	"strings"

	"github.com/plenary-forum/plenary/internal/rules"
)

// A registration is a person in a forum: for a party (or none, for public
// observers, guests and secretariat staff), in a role and a mode. It is
// pending until the party's focal point, a head of delegation the rules
// allow to approve, or the secretariat approves or declines it, with a
// reason; who decided, and in what capacity, is recorded. Offices (chair,
// editor, remote moderator, secretariat) and registrations without a party
// are decided by the secretariat alone. Nobody but the site secretariat
// approves their own registration.
//
// On the record, each step of a registration is an event visible to the
// party's delegation and the secretariat ("party:<id>"), or to the
// secretariat alone for a registration without a party; it carries the
// person's name, never their e-mail address. When a registration is
// approved, or an approved one is withdrawn, a public "participants.changed"
// event follows with the new counts; it names the person only when the
// forum's participant list is public (ParticipationSettings.NamesPublic),
// and always states a guest's rights.

// Registration states.
const (
	RegPending   = "pending"
	RegApproved  = "approved"
	RegDeclined  = "declined"
	RegWithdrawn = "withdrawn"
)

// RegistrationStates lists the states with their labels.
var RegistrationStates = []Choice{
	{Value: RegPending, Label: "Waiting for approval"},
	{Value: RegApproved, Label: "Approved"},
	{Value: RegDeclined, Label: "Declined"},
	{Value: RegWithdrawn, Label: "Withdrawn"},
}

func ParseGrants(s string) rules.ActionSet {
	var set rules.ActionSet
	for _, k := range strings.Split(s, ",") {
		if a := rules.Action(k); a.Valid() {
			set = set.With(a)
		}
	}
	return set
}

func FormatGrants(set rules.ActionSet) string {
	keys := make([]string, 0, set.Len())
	for _, a := range set.Actions() {
		keys = append(keys, string(a))
	}
	return strings.Join(keys, ",")
}

// ParseOffices reads the offices a registration holds beside its role
// (comma-separated role keys), in display order; what is not an office
// is left out.
func ParseOffices(s string) []rules.Role {
	held := map[rules.Role]bool{}
	for _, k := range strings.Split(s, ",") {
		if r := rules.Role(strings.TrimSpace(k)); r.IsOffice() {
			held[r] = true
		}
	}
	var out []rules.Role
	for _, r := range rules.Roles() {
		if held[r] {
			out = append(out, r)
		}
	}
	return out
}

// FormatOffices writes offices as ParseOffices reads them.
func FormatOffices(offices []rules.Role) string {
	keys := make([]string, 0, len(offices))
	for _, r := range offices {
		keys = append(keys, string(r))
	}
	return strings.Join(keys, ",")
}

// OfficesLabel names a role and the offices held beside it, capitalised
// and in display order: "Chair, Editor".
func OfficesLabel(role rules.Role, offices []rules.Role) string {
	names := []string{upperFirst(role.Label())}
	for _, o := range offices {
		if o != role {
			names = append(names, upperFirst(o.Label()))
		}
	}
	return strings.Join(names, ", ")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
