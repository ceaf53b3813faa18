package rules

// CellChange is one cell whose actions differ between two matrices.
type CellChange struct {
	Key
	Before ActionSet `json:"before"`
	After  ActionSet `json:"after"`
}

// Added returns the actions the cell gained.
func (c CellChange) Added() ActionSet { return c.After.Minus(c.Before) }

// Removed returns the actions the cell lost.
func (c CellChange) Removed() ActionSet { return c.Before.Minus(c.After) }

// ConditionChange is one action whose condition differs between two matrices.
type ConditionChange struct {
	Action Action    `json:"action"`
	Before Condition `json:"before"`
	After  Condition `json:"after"`
}

// Describe says the change in words: "Vote: now only with credentials in
// order." or "Vote: no longer conditional (was only with credentials in
// order)."
func (c ConditionChange) Describe() string {
	label := capitalize(c.Action.Label())
	if c.After == NoCondition {
		return label + ": no longer conditional (was " + c.Before.LabelFor(c.Action) + ")."
	}
	return label + ": now " + c.After.LabelFor(c.Action) + "."
}

// Changes is the difference between two matrices, in a fixed order: the
// payload of a public "rules changed" event.
type Changes struct {
	Cells      []CellChange      `json:"cells"`
	Conditions []ConditionChange `json:"conditions"`
}

// Diff returns the cells and conditions that differ from old to new. Cells
// come in key order, conditions in action display order.
func Diff(old, new Matrix) Changes {
	ch := Changes{Cells: []CellChange{}, Conditions: []ConditionChange{}}
	keys := map[Key]bool{}
	for _, k := range old.Keys() {
		keys[k] = true
	}
	for _, k := range new.Keys() {
		keys[k] = true
	}
	all := make([]Key, 0, len(keys))
	for k := range keys {
		all = append(all, k)
	}
	sortKeys(all)
	for _, k := range all {
		if b, a := old.Get(k), new.Get(k); b != a {
			ch.Cells = append(ch.Cells, CellChange{Key: k, Before: b, After: a})
		}
	}
	for _, a := range Actions() {
		if b, n := old.Condition(a), new.Condition(a); b != n {
			ch.Conditions = append(ch.Conditions, ConditionChange{Action: a, Before: b, After: n})
		}
	}
	return ch
}

// IsEmpty reports whether nothing changed.
func (c Changes) IsEmpty() bool { return len(c.Cells) == 0 && len(c.Conditions) == 0 }

// Describe says the changes in words, one sentence per line, for the public
// record. Cells of one group that changed alike are described together:
//
//	Civil society heads of delegation, delegates and advisers in the room and remotely: may now vote.
//	Remote Member State delegates: may no longer sign the final acts.
//	Vote: now only with credentials in order.
//
// Group names come from groups (the defaults, or the key, when missing).
func (c Changes) Describe(groups Groups) []string {
	type bucket struct {
		group          string
		added, removed ActionSet
		roles          []Role
		modes          map[Role][]Mode
	}
	var buckets []*bucket
	for _, cc := range c.Cells {
		var b *bucket
		for _, x := range buckets {
			if x.group == cc.Group && x.added == cc.Added() && x.removed == cc.Removed() {
				b = x
			}
		}
		if b == nil {
			b = &bucket{group: cc.Group, added: cc.Added(), removed: cc.Removed(), modes: map[Role][]Mode{}}
			buckets = append(buckets, b)
		}
		if _, ok := b.modes[cc.Role]; !ok {
			b.roles = append(b.roles, cc.Role)
		}
		b.modes[cc.Role] = append(b.modes[cc.Role], cc.Mode)
	}
	out := []string{}
	for _, b := range buckets {
		g := groups.Lookup(b.group)
		// Split the bucket's roles by the modes they changed in, keeping order.
		var modeSets [][]Mode
		rolesBy := map[string][]Role{}
		for _, r := range b.roles {
			ms := b.modes[r]
			k := modesKey(ms)
			if _, ok := rolesBy[k]; !ok {
				modeSets = append(modeSets, ms)
			}
			rolesBy[k] = append(rolesBy[k], r)
		}
		for _, ms := range modeSets {
			roles := rolesBy[modesKey(ms)]
			who := rolesOfGroup(g, roles)
			switch {
			case len(ms) == 2:
				who = capitalize(who) + " " + bothModes
			default:
				who = inMode(who, ms[0])
			}
			out = append(out, describeCellChange(who, b.added, b.removed, g.Key == GroupGuest || containsRole(roles, RoleGuest)))
		}
	}
	for _, cc := range c.Conditions {
		out = append(out, cc.Describe())
	}
	return out
}

func describeCellChange(who string, added, removed ActionSet, guest bool) string {
	s := who + ":"
	if !added.IsEmpty() {
		s += " may now " + describeList(added)
	}
	if !removed.IsEmpty() {
		if !added.IsEmpty() {
			s += ";"
		}
		s += " may no longer " + describeOr(removed)
	}
	s += "."
	if guest {
		s += " (Each guest's own grants still decide what the guest may do.)"
	}
	return s
}

func modesKey(ms []Mode) string {
	k := ""
	for _, m := range ms {
		k += string(m) + " "
	}
	return k
}

func containsRole(rs []Role, r Role) bool {
	for _, x := range rs {
		if x == r {
			return true
		}
	}
	return false
}
