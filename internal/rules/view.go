package rules

import "strings"

// Mark is what a table cell shows for one action.
type Mark uint8

// The marks.
const (
	MarkNo          Mark = iota // not allowed
	MarkYes                     // allowed
	MarkConditional             // allowed under the action's condition
)

// Label is the mark in words: "Yes", "No", or "Yes, under a condition"
// (a table names the condition itself when it can).
func (k Mark) Label() string {
	switch k {
	case MarkYes:
		return "Yes"
	case MarkConditional:
		return "Yes, under a condition"
	}
	return "No"
}

// String is the mark's key: "no", "yes" or "conditional".
func (k Mark) String() string {
	switch k {
	case MarkYes:
		return "yes"
	case MarkConditional:
		return "conditional"
	}
	return "no"
}

// Column is one action column of the public table.
type Column struct {
	Action    Action
	Label     string // "ask for the floor"
	Short     string // "Ask floor"
	Condition string // "only with credentials in order", or empty
	Enforced  bool   // some command checks the action today ([Action.Enforced])
	Note      string // [NotYetExercised] when not Enforced, or empty
}

// Row is one line of a group's table: a role in one or both modes.
type Row struct {
	Role      Role
	RoleLabel string // capitalised plural: "Heads of delegation"
	Modes     []Mode // the modes this row covers: one, or both when they agree
	ModeLabel string // "in the room", "remotely" or "in the room and remotely"
	Marks     []Mark // one per View.Columns; nil when ByGrant
	ByGrant   bool   // a guest row: rights are set per guest by the secretariat
}

// GroupTable is one stakeholder group on the rules page.
type GroupTable struct {
	Group   Group
	Summary string // "Member States: everything, vote only with credentials in order and in the room, sign the final acts ...; ..."
	ByGrant bool   // the guest group: every right is granted per guest
	Rows    []Row  // roles that have some right, or are set by grant
	// NoRights lists the roles of the group that may do nothing, in either
	// mode, so that the page can say so rather than leave it unsaid.
	NoRights []Role
	// NotYet says which of the rights in Summary Plenary does not
	// exercise yet (see [Action.Enforced]), or is empty when there are
	// none.
	NotYet string
}

// View is the rights matrix arranged for the public "Rules of
// participation" page.
type View struct {
	Columns    []Column
	Conditions []string     // one sentence per conditional action: "Vote: only with credentials in order."
	Remote     string       // how remote rights differ from those in the room, in one sentence
	Offices    []string     // one sentence per office role
	Groups     []GroupTable // in the order of the groups given, then any other group of the matrix
	// NotYet names the rights that are recorded in the rules but that
	// Plenary does not exercise yet, in one sentence.
	NotYet string
}

// notEnforced is the set of the actions no command checks yet.
func notEnforced() ActionSet {
	var s ActionSet
	for _, a := range Actions() {
		if !a.Enforced() {
			s = s.With(a)
		}
	}
	return s
}

// notYetSentence says that the actions of s are not exercised yet, or is
// empty when s is.
func notYetSentence(s ActionSet, lead string) string {
	list := describeList(s)
	if lead == "" {
		list = capitalize(list)
	}
	switch s.Len() {
	case 0:
		return ""
	case 1:
		return lead + list + " is " + NotYetExercised + "."
	}
	return lead + list + " are " + strings.Replace(NotYetExercised, "this right is", "these rights are", 1) + "."
}

// participantRoles are the roles a group's summary describes.
var participantRoles = []Role{RoleHeadOfDelegation, RoleDelegate, RoleAdviser, RoleObserver}

// View arranges m for reading: the given groups in their order (with their
// names), then any group the matrix mentions that the list lacks.
func (m Matrix) View(groups Groups) View {
	v := View{}
	conditional := m.Conditional()
	for _, a := range Actions() {
		c := Column{Action: a, Label: a.Label(), Short: a.Short(), Condition: m.Condition(a).LabelFor(a), Enforced: a.Enforced()}
		if !c.Enforced {
			c.Note = NotYetExercised
		}
		v.Columns = append(v.Columns, c)
		if conditional.Has(a) {
			v.Conditions = append(v.Conditions, capitalize(a.Label())+": "+m.Condition(a).LabelFor(a)+".")
		}
	}
	all := append(Groups(nil), groups...)
	for _, k := range m.GroupKeys() {
		if _, ok := all.Find(k); !ok {
			all = append(all, groups.Lookup(k))
		}
	}
	for _, g := range all {
		v.Groups = append(v.Groups, m.groupTable(g))
	}
	v.NotYet = notYetSentence(notEnforced(), "")
	v.Remote = m.remoteSentence(all)
	v.Offices = m.officeSentences(all)
	return v
}

func (m Matrix) groupTable(g Group) GroupTable {
	t := GroupTable{Group: g, Summary: m.Summary(g)}
	var has ActionSet
	for _, r := range participantRoles {
		for _, mode := range Modes() {
			has |= m.Get(Key{g.Key, r, mode}) & participantSet
		}
	}
	t.NotYet = notYetSentence(has.Intersect(notEnforced()), "Of these rights, ")
	if g.Key == GroupGuest {
		t.ByGrant = true
		return t
	}
	conditional := m.Conditional()
	marks := func(s ActionSet) []Mark {
		out := make([]Mark, 0, len(actionTable))
		for _, a := range Actions() {
			switch {
			case !s.Has(a):
				out = append(out, MarkNo)
			case conditional.Has(a):
				out = append(out, MarkConditional)
			default:
				out = append(out, MarkYes)
			}
		}
		return out
	}
	for _, r := range Roles() {
		label := capitalize(r.Plural())
		if r == RoleGuest {
			t.Rows = append(t.Rows, Row{Role: r, RoleLabel: label, Modes: Modes(), ModeLabel: bothModes, ByGrant: true})
			continue
		}
		room, remote := m.Get(Key{g.Key, r, InRoom}), m.Get(Key{g.Key, r, Remote})
		switch {
		case room.IsEmpty() && remote.IsEmpty():
			t.NoRights = append(t.NoRights, r)
		case room == remote:
			t.Rows = append(t.Rows, Row{Role: r, RoleLabel: label, Modes: Modes(), ModeLabel: bothModes, Marks: marks(room)})
		default:
			t.Rows = append(t.Rows,
				Row{Role: r, RoleLabel: label, Modes: []Mode{InRoom}, ModeLabel: InRoom.Label(), Marks: marks(room)},
				Row{Role: r, RoleLabel: label, Modes: []Mode{Remote}, ModeLabel: Remote.Label(), Marks: marks(remote)})
		}
	}
	return t
}

// bothModes is both modes in words: "in the room and remotely".
var bothModes = InRoom.Label() + " and " + Remote.Label()

// Summary describes in one line what a group's participants (heads of
// delegation, delegates, advisers, observers) may do, for example
//
//	Member States: everything, vote only with credentials in order and in the room, sign the final acts only with credentials in order or in order for signature only and in the room; heads of delegation may also approve registrations; advisers may not vote, sign the final acts or file a reservation; observers may only read public documents and read restricted documents
//
// Offices are described by [View] separately, since they do not depend on
// the group.
func (m Matrix) Summary(g Group) string {
	if g.Plural == "" {
		g = Groups(nil).Lookup(g.Key)
	}
	if g.Key == GroupGuest {
		return g.title() + ": rights set for each guest by the secretariat"
	}
	var base, room, remote ActionSet
	for _, r := range participantRoles {
		in, out := m.Get(Key{g.Key, r, InRoom}), m.Get(Key{g.Key, r, Remote})
		room |= in & participantSet
		remote |= out & participantSet
	}
	base = room | remote
	head := describeSet(base)
	roomOnly, remoteOnly := room.Minus(remote), remote.Minus(room)
	byCond := m.conditionGroups(base)
	headRoom, headRemote := roomOnly, remoteOnly
	switch {
	case !base.IsEmpty() && roomOnly == base && len(byCond) == 0:
		head += ", only in the room"
		headRoom = 0
	case !base.IsEmpty() && remoteOnly == base && len(byCond) == 0:
		head += ", only remotely"
		headRemote = 0
	}
	var condActions ActionSet
	for _, c := range byCond {
		condActions |= c.actions
	}
	if len(byCond) > 0 && condActions == headRoom {
		for _, c := range byCond {
			head += ", " + describeList(c.actions) + " " + c.label + " and in the room"
		}
	} else {
		for _, c := range byCond {
			head += ", " + describeList(c.actions) + " " + c.label
		}
		if !headRoom.IsEmpty() {
			head += ", " + describeList(headRoom) + " only in the room"
		}
	}
	if !headRemote.IsEmpty() {
		head += ", " + describeList(headRemote) + " only remotely"
	}
	clauses := []string{g.title() + ": " + head}
	for _, r := range participantRoles {
		in, out := m.Get(Key{g.Key, r, InRoom}), m.Get(Key{g.Key, r, Remote})
		u := in | out
		own := u & participantSet
		who := r.Plural()
		if string(r) == g.Key {
			who = "those in the " + r.Label() + " role"
		}
		if extra := u.Minus(participantSet); !extra.IsEmpty() {
			clauses = append(clauses, who+" may also "+describeList(extra))
		}
		gap := base.Minus(own)
		switch {
		case gap.IsEmpty():
		case own.IsEmpty():
			clauses = append(clauses, who+" have no rights")
		case own.Len() <= gap.Len():
			clauses = append(clauses, who+" may only "+describeList(own))
		default:
			clauses = append(clauses, who+" may not "+describeOr(gap))
		}
		if d := (in & participantSet).Minus(out).Minus(roomOnly).Intersect(own); !d.IsEmpty() {
			clauses = append(clauses, who+" may "+describeList(d)+" only in the room")
		}
		if d := (out & participantSet).Minus(in).Minus(remoteOnly).Intersect(own); !d.IsEmpty() {
			clauses = append(clauses, who+" may "+describeList(d)+" only remotely")
		}
	}
	return strings.Join(clauses, "; ")
}

type condGroup struct {
	label   string
	actions ActionSet
}

// conditionGroups splits the conditional actions of s by condition.
func (m Matrix) conditionGroups(s ActionSet) []condGroup {
	var out []condGroup
	for _, a := range s.Actions() {
		c := m.Condition(a)
		if c == NoCondition {
			continue
		}
		label := c.LabelFor(a)
		found := false
		for i := range out {
			if out[i].label == label {
				out[i].actions = out[i].actions.With(a)
				found = true
			}
		}
		if !found {
			out = append(out, condGroup{label, set(a)})
		}
	}
	return out
}

// describeSet names a set of participant actions compactly: "everything",
// "everything except vote, sign the final acts and file a reservation", a
// list, or "no rights".
func describeSet(s ActionSet) string {
	s &= participantSet
	switch {
	case s.IsEmpty():
		return "no rights"
	case s == participantSet:
		return "everything"
	case s.Len() > participantSet.Len()/2:
		return "everything except " + describeList(participantSet.Minus(s))
	}
	return describeList(s)
}

// describeOr joins action labels with "or": "vote, sign the final acts or
// file a reservation".
func describeOr(s ActionSet) string {
	labels := make([]string, 0, s.Len())
	for _, a := range s.Actions() {
		labels = append(labels, a.Label())
	}
	return joinAnd(labels, "or")
}

// remoteSentence says how remote rights differ from those in the room.
func (m Matrix) remoteSentence(groups Groups) string {
	var diffs []string
	for _, g := range groups {
		if g.Key == GroupGuest {
			continue
		}
		type diff struct {
			roomOnly, remoteOnly ActionSet
			roles                []Role
		}
		var ds []diff
		for _, r := range Roles() {
			in, out := m.Get(Key{g.Key, r, InRoom}), m.Get(Key{g.Key, r, Remote})
			d := diff{roomOnly: in.Minus(out), remoteOnly: out.Minus(in)}
			if d.roomOnly.IsEmpty() && d.remoteOnly.IsEmpty() {
				continue
			}
			merged := false
			for i := range ds {
				if ds[i].roomOnly == d.roomOnly && ds[i].remoteOnly == d.remoteOnly {
					ds[i].roles = append(ds[i].roles, r)
					merged = true
				}
			}
			if !merged {
				d.roles = []Role{r}
				ds = append(ds, d)
			}
		}
		for _, d := range ds {
			who := g.Plural
			if len(ds) > 1 {
				who = rolesOfGroup(g, d.roles)
			}
			if !d.roomOnly.IsEmpty() {
				diffs = append(diffs, who+" may "+describeList(d.roomOnly)+" only in the room")
			}
			if !d.remoteOnly.IsEmpty() {
				diffs = append(diffs, who+" may "+describeList(d.remoteOnly)+" only remotely")
			}
		}
	}
	if len(diffs) == 0 {
		return "Remote participants have the same rights as participants in the room."
	}
	return "Remote participants have the same rights as participants in the room, except that " + joinAnd(diffs, "and") + "."
}

// rolesOfGroup names several roles of a group: "Member State heads of
// delegation and delegates".
func rolesOfGroup(g Group, roles []Role) string {
	if len(roles) == 1 {
		return roleOfGroup(g, roles[0])
	}
	plurals := make([]string, len(roles))
	for i, r := range roles {
		plurals[i] = r.Plural()
	}
	return g.Name + " " + joinAnd(plurals, "and")
}

// officeSentences describe each office role: one sentence when the office
// has the same rights in every group and mode, else a pointer to the table.
func (m Matrix) officeSentences(groups Groups) []string {
	var out []string
	for _, r := range Roles() {
		if !r.IsOffice() {
			continue
		}
		var first ActionSet
		same, seen := true, false
		for _, g := range groups {
			if g.Key == GroupGuest {
				continue
			}
			for _, md := range Modes() {
				s := m.Get(Key{g.Key, r, md})
				if !seen {
					first, seen = s, true
				} else if s != first {
					same = false
				}
			}
		}
		title := capitalize(r.Plural())
		switch {
		case !seen:
		case !same:
			out = append(out, title+": rights differ by group; see each group's table.")
		case first.IsEmpty():
			out = append(out, title+", in any group: no rights.")
		default:
			out = append(out, title+", in any group: "+describeList(first)+".")
		}
	}
	return out
}
