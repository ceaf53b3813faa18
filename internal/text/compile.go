package text

import (
	"sort"
	"strconv"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/text/worddiff"
)

// CollisionKind says why proposals collide.
type CollisionKind string

// The kinds of collision.
const (
	// CollisionOverlap: MODs that change overlapping words of a provision
	// (or insert different words at the same place).
	CollisionOverlap CollisionKind = "overlap"
	// CollisionSuppression: a SUP beside any other proposal (MOD or NOC) on
	// the same provision.
	CollisionSuppression CollisionKind = "suppression"
	// CollisionAddition: two or more ADDs at the same place.
	CollisionAddition CollisionKind = "addition"
)

// Collision is a group of pending proposals that cannot all be applied as
// they stand. ProvisionID is the provision they change or, for additions,
// the one they follow ("" for the start of the text). Start and End give,
// for an overlap, the span of tokens of the provision body the group
// touches (each bracket one token). Numbers are the proposals' numbers in
// the compilation, for anonymised views.
type Collision struct {
	ID          string        `json:"id"`
	Kind        CollisionKind `json:"kind"`
	ProvisionID string        `json:"provision_id"`
	Amendments  []string      `json:"amendment_ids,omitempty"`
	Numbers     []int         `json:"numbers"`
	Start       int           `json:"start,omitempty"`
	End         int           `json:"end,omitempty"`
}

// Compilation is the synoptic view of a revision (the WCIT DT/1 table): per
// provision, its current text and every pending proposal on it, with
// collisions grouped and marked. Proposals are numbered 1, 2, 3... in
// document order: those at the start of the text (AtStart), then for each
// provision its SUPs, MODs and NOCs, then the ADDs that follow it. Within
// one place, proposals are sorted by label (naturally: USA/6/2 before
// USA/6/10), then id.
//
// The compilation always holds the attributed data; Anonymised returns the
// copy without party names to publish when the forum chooses so.
type Compilation struct {
	Title      string              `json:"title"`
	Revision   int                 `json:"revision"`
	Anonymous  bool                `json:"anonymous,omitempty"`
	AtStart    []CompiledProposal  `json:"at_start,omitempty"`
	Entries    []CompiledProvision `json:"entries"`
	Collisions []Collision         `json:"collisions,omitempty"`
	Proposals  int                 `json:"proposals"`
}

// CompiledProvision is one row of the compilation: a provision as it stands
// in the revision, the proposals on it, and the ADDs that would follow it.
type CompiledProvision struct {
	Provision Provision          `json:"provision"`
	Proposals []CompiledProposal `json:"proposals,omitempty"`
	Added     []CompiledProposal `json:"added,omitempty"`
}

// CompiledProposal is one proposal in the compilation, with its inline
// changes against the current text: for MOD the word changes, for SUP the
// whole text deleted, for ADD the new text inserted, for NOC none. Kind,
// Intro and NewLabel describe the provision an ADD would make. Collision is
// the id of the collision it belongs to, if any.
type CompiledProposal struct {
	Number       int      `json:"number"`
	AmendmentID  string   `json:"amendment_id,omitempty"`
	Label        string   `json:"label,omitempty"`
	Op           AmendOp  `json:"op"`
	Proponents   []string `json:"proponents,omitempty"`
	Contribution string   `json:"contribution_id,omitempty"`
	Rationale    string   `json:"rationale,omitempty"`
	Changes      []Change `json:"changes,omitempty"`
	Kind         Kind     `json:"kind,omitempty"`
	Intro        string   `json:"intro,omitempty"`
	NewLabel     string   `json:"new_label,omitempty"`
	Collision    string   `json:"collision,omitempty"`
}

// Name is how the proposal is shown: its label, or "Proposal N" when the
// compilation is anonymised or the proposal has no label.
func (p *CompiledProposal) Name() string {
	if p.Label != "" {
		return p.Label
	}
	return "Proposal " + strconv.Itoa(p.Number)
}

// prop is a pending proposal under analysis.
type prop struct {
	a      *Amendment
	edits  []worddiff.Edit
	number int
	group  *group
}

// group is a collision under analysis.
type group struct {
	id         string
	kind       CollisionKind
	prov       int // provision index; for additions the slot (0 = start, i+1 = after provision i)
	members    []*prop
	start, end int
}

// analysis is the pending proposals of a revision, placed and grouped.
type analysis struct {
	d      *Draft
	toks   []bodyTokens // per provision, filled where proposals are
	onProv [][]*prop    // per provision: SUP, MOD, NOC
	adds   [][]*prop    // per slot: 0 = start, i+1 = after provision i
	groups []*group
	byID   map[string]*prop
}

var opRank = map[AmendOp]int{OpSUP: 0, OpMOD: 1, OpNOC: 2, OpADD: 3}

// analyze places the pending proposals and finds the collisions. It fails on
// a pending proposal that is not against d's revision or does not fit it.
func analyze(d *Draft, amendments []Amendment) (*analysis, error) {
	n := len(d.Provisions)
	an := &analysis{
		d: d, toks: make([]bodyTokens, n), onProv: make([][]*prop, n), adds: make([][]*prop, n+1),
		byID: make(map[string]*prop),
	}
	idx := d.index()
	tokenized := make([]bool, n)
	for i := range amendments {
		a := &amendments[i]
		field := "amendments[" + strconv.Itoa(i) + "]"
		if !a.Status.Valid() {
			return nil, plenary.Invalid(field+".status", "unknown status %q", a.Status)
		}
		if !a.Status.Pending() {
			continue
		}
		if an.byID[a.ID] != nil || a.ID == "" {
			return nil, plenary.Invalid(field+".id", "proposal id %q is empty or used twice", a.ID)
		}
		if a.Revision != d.Revision {
			return nil, plenary.Conflict("proposal %s was made against revision %d, not revision %d; carry it over or mark it superseded", a.Ref(), a.Revision, d.Revision)
		}
		p := &prop{a: a}
		switch a.Op {
		case OpADD:
			slot := 0
			if a.After != "" {
				j, ok := idx[a.After]
				if !ok {
					return nil, plenary.Invalid(field+".after", "proposal %s: provision %q is not in revision %d", a.Ref(), a.After, d.Revision)
				}
				slot = j + 1
			}
			if a.Text == "" {
				return nil, plenary.Invalid(field+".text", "proposal %s adds no text", a.Ref())
			}
			an.adds[slot] = append(an.adds[slot], p)
		case OpMOD, OpSUP, OpNOC:
			j, ok := idx[a.Provision]
			if !ok {
				return nil, plenary.Invalid(field+".provision", "proposal %s: provision %q is not in revision %d", a.Ref(), a.Provision, d.Revision)
			}
			if !tokenized[j] {
				an.toks[j] = tokenizeBody(d.Provisions[j].Body)
				tokenized[j] = true
			}
			if a.Op == OpMOD {
				edits, err := modEdits(&d.Provisions[j], an.toks[j], a, field)
				if err != nil {
					return nil, err
				}
				p.edits = edits
			}
			an.onProv[j] = append(an.onProv[j], p)
		default:
			return nil, plenary.Invalid(field+".op", "unknown proposal kind %q", a.Op)
		}
		an.byID[a.ID] = p
	}
	less := func(list []*prop) func(i, j int) bool {
		return func(i, j int) bool {
			a, b := list[i].a, list[j].a
			if ra, rb := opRank[a.Op], opRank[b.Op]; ra != rb {
				return ra < rb
			}
			if a.Ref() != b.Ref() {
				return naturalLess(a.Ref(), b.Ref())
			}
			return a.ID < b.ID
		}
	}
	num := 0
	numberAll := func(list []*prop) {
		sort.SliceStable(list, less(list))
		for _, p := range list {
			num++
			p.number = num
		}
	}
	numberAll(an.adds[0])
	an.findAddGroup(0)
	for i := range n {
		numberAll(an.onProv[i])
		an.findProvisionGroups(i)
		numberAll(an.adds[i+1])
		an.findAddGroup(i + 1)
	}
	return an, nil
}

// modEdits returns a MOD's edits on the provision: the stored ones after a
// check, or computed from its text.
func modEdits(p *Provision, t bodyTokens, a *Amendment, field string) ([]worddiff.Edit, error) {
	if len(a.Edits) == 0 {
		if a.Text == "" {
			return nil, plenary.Invalid(field+".text", "proposal %s has no text", a.Ref())
		}
		edits, _, err := diffBody(p.Body, a.Text, field+".text")
		if err != nil {
			return nil, err
		}
		if len(edits) == 0 {
			return nil, plenary.Invalid(field+".text", "proposal %s changes nothing; it should be a NOC", a.Ref())
		}
		return edits, nil
	}
	if err := worddiff.CheckEdits(a.Edits, len(t.text)); err != nil {
		return nil, plenary.Invalid(field+".edits", "proposal %s: %s", a.Ref(), plenary.AsError(err).Message)
	}
	for _, e := range a.Edits {
		for k := e.Start; k < e.End; k++ {
			if t.br[k] != nil {
				return nil, plenary.Invalid(field+".edits", "proposal %s changes bracket %s", a.Ref(), t.br[k].ID)
			}
		}
	}
	return a.Edits, nil
}

func (an *analysis) newGroup(kind CollisionKind, prov int, members []*prop) *group {
	g := &group{id: "c" + strconv.Itoa(len(an.groups)+1), kind: kind, prov: prov}
	for _, p := range members {
		p.group = g
	}
	g.members = members
	an.groups = append(an.groups, g)
	return g
}

func (an *analysis) findAddGroup(slot int) {
	if len(an.adds[slot]) > 1 {
		an.newGroup(CollisionAddition, slot, an.adds[slot])
	}
}

// findProvisionGroups finds the collisions among the proposals on provision
// i: one suppression group when a SUP stands beside any other proposal;
// otherwise groups of MODs whose edits overlap. A MOD whose edits fall
// inside the span of a group joins it, so that groups and the other
// proposals never touch the same tokens.
func (an *analysis) findProvisionGroups(i int) {
	list := an.onProv[i]
	sups := 0
	for _, p := range list {
		if p.a.Op == OpSUP {
			sups++
		}
	}
	if sups > 0 && sups < len(list) {
		an.newGroup(CollisionSuppression, i, list)
		return
	}
	var mods []*prop
	for _, p := range list {
		if p.a.Op == OpMOD {
			mods = append(mods, p)
		}
	}
	if len(mods) < 2 {
		return
	}
	// Union-find over the MODs of this provision.
	parent := make([]int, len(mods))
	for k := range parent {
		parent[k] = k
	}
	find := func(x int) int {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(x, y int) bool {
		x, y = find(x), find(y)
		if x == y {
			return false
		}
		if y < x {
			x, y = y, x
		}
		parent[y] = x
		return true
	}
	type ref struct {
		e worddiff.Edit
		m int
	}
	var all []ref
	for m, p := range mods {
		for _, e := range p.edits {
			all = append(all, ref{e, m})
		}
	}
	sort.SliceStable(all, func(x, y int) bool {
		if all[x].e.Start != all[y].e.Start {
			return all[x].e.Start < all[y].e.Start
		}
		return all[x].e.End < all[y].e.End
	})
	// Sweep clusters of overlapping edits.
	for k := 0; k < len(all); {
		cs, ce := all[k].e.Start, all[k].e.End
		j := k + 1
		for j < len(all) && overlaps(cs, ce, all[j].e.Start, all[j].e.End) {
			ce = max(ce, all[j].e.End)
			j++
		}
		if j-k > 1 {
			same := true
			for x := k + 1; x < j; x++ {
				if all[x].e != all[k].e {
					same = false
				}
			}
			if !same {
				for x := k + 1; x < j; x++ {
					union(all[k].m, all[x].m)
				}
			}
		}
		k = j
	}
	// Close the groups over their spans: a MOD with an edit inside the span
	// of a group joins it, and groups whose spans overlap merge.
	type span struct{ s, e, root int }
	for changed := true; changed; {
		changed = false
		size := make([]int, len(mods))
		for m := range mods {
			size[find(m)]++
		}
		var spans []span
		first := make(map[int]int) // root -> index in spans
		for m, p := range mods {
			r := find(m)
			if size[r] < 2 {
				continue
			}
			for _, e := range p.edits {
				k, ok := first[r]
				if !ok {
					first[r] = len(spans)
					spans = append(spans, span{e.Start, e.End, r})
					continue
				}
				spans[k].s, spans[k].e = min(spans[k].s, e.Start), max(spans[k].e, e.End)
			}
		}
		if len(spans) == 0 {
			break
		}
		sort.Slice(spans, func(x, y int) bool {
			return spans[x].s < spans[y].s || spans[x].s == spans[y].s && spans[x].e < spans[y].e
		})
		merged := spans[:1]
		for _, sp := range spans[1:] {
			last := &merged[len(merged)-1]
			if overlaps(last.s, last.e, sp.s, sp.e) {
				if union(last.root, sp.root) {
					changed = true
				}
				last.e = max(last.e, sp.e)
				continue
			}
			merged = append(merged, sp)
		}
		for m, p := range mods {
			for _, e := range p.edits {
				k := sort.Search(len(merged), func(x int) bool { return merged[x].s > e.Start })
				for x := max(k-2, 0); x < min(k+1, len(merged)); x++ {
					if find(m) != find(merged[x].root) && overlaps(merged[x].s, merged[x].e, e.Start, e.End) && union(m, merged[x].root) {
						changed = true
					}
				}
			}
		}
	}
	members := make(map[int][]*prop)
	var roots []int
	for m, p := range mods {
		r := find(m)
		if len(members[r]) == 0 {
			roots = append(roots, r)
		}
		members[r] = append(members[r], p)
	}
	sort.Ints(roots)
	for _, r := range roots {
		if len(members[r]) < 2 {
			continue
		}
		g := an.newGroup(CollisionOverlap, i, members[r])
		g.start, g.end = -1, -1
		for _, p := range g.members {
			for _, e := range p.edits {
				if g.start < 0 || e.Start < g.start {
					g.start = e.Start
				}
				if e.End > g.end {
					g.end = e.End
				}
			}
		}
	}
}

// overlaps reports whether two token ranges touch the same tokens: two
// non-empty ranges that share a token, an insertion inside or at either end
// of a range (words inserted next to words replaced collide), or two
// insertions at the same place.
func overlaps(s1, e1, s2, e2 int) bool {
	switch {
	case s1 < e1 && s2 < e2:
		return s1 < e2 && s2 < e1
	case s1 == e1 && s2 == e2:
		return s1 == s2
	case s1 == e1:
		return s2 <= s1 && s1 <= e2
	default:
		return s1 <= s2 && s2 <= e1
	}
}

func (g *group) collision(an *analysis) Collision {
	c := Collision{ID: g.id, Kind: g.kind}
	if g.kind == CollisionAddition {
		if g.prov > 0 {
			c.ProvisionID = an.d.Provisions[g.prov-1].ID
		}
	} else {
		c.ProvisionID = an.d.Provisions[g.prov].ID
	}
	if g.kind == CollisionOverlap {
		c.Start, c.End = g.start, g.end
	}
	for _, p := range g.members {
		c.Amendments = append(c.Amendments, p.a.ID)
		c.Numbers = append(c.Numbers, p.number)
	}
	return c
}

// Compile builds the synoptic view of revision d with its pending proposals
// (amendments in any other state are ignored). It fails if a pending
// proposal was made against another revision or does not fit this one.
func Compile(d *Draft, amendments []Amendment) (*Compilation, error) {
	an, err := analyze(d, amendments)
	if err != nil {
		return nil, err
	}
	c := &Compilation{Title: d.Title, Revision: d.Revision, Entries: make([]CompiledProvision, len(d.Provisions))}
	c.AtStart = an.compileAdds(0)
	for i := range d.Provisions {
		e := &c.Entries[i]
		e.Provision = d.Provisions[i].Clone()
		for _, p := range an.onProv[i] {
			e.Proposals = append(e.Proposals, an.compileProp(p, i))
		}
		e.Added = an.compileAdds(i + 1)
	}
	for _, g := range an.groups {
		c.Collisions = append(c.Collisions, g.collision(an))
	}
	c.Proposals = len(an.byID)
	return c, nil
}

func (an *analysis) compileAdds(slot int) []CompiledProposal {
	var out []CompiledProposal
	for _, p := range an.adds[slot] {
		out = append(out, an.compileProp(p, -1))
	}
	return out
}

func (an *analysis) compileProp(p *prop, i int) CompiledProposal {
	a := p.a
	cp := CompiledProposal{
		Number: p.number, AmendmentID: a.ID, Label: a.Label, Op: a.Op,
		Proponents: a.Proponents(), Contribution: a.Contribution, Rationale: a.Rationale,
	}
	if p.group != nil {
		cp.Collision = p.group.id
	}
	switch a.Op {
	case OpADD:
		cp.Changes = []Change{{Op: OpInsert, Text: a.Text}}
		cp.Kind, cp.Intro, cp.NewLabel = a.Kind, a.Intro, a.NewLabel
	case OpMOD:
		cp.Changes = bodyChanges(an.toks[i], p.edits)
	case OpSUP:
		cp.Changes = bodyChanges(an.toks[i], []worddiff.Edit{{Start: 0, End: len(an.toks[i].text)}})
	}
	return cp
}
