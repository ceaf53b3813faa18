package text

// Consolidation is the consolidated text of a revision: what the draft
// would read if every pending proposal were accepted.
//
// Proposals that do not collide are applied: MODs change their words, SUPs
// delete, ADDs insert, NOCs change nothing. Each collision is shown as a
// bracket instead, the current text being one alternative (supported by the
// NOC proponents, if any) beside each proposal's version, supported by its
// proponents: an overlap brackets the span of words the group touches, a
// suppression brackets the whole provision with "no text" as the SUP's
// alternative, and colliding ADDs become one new provision whose body is a
// bracket of their texts. Bracketed lists those collisions. A collision
// that would put a bracket inside an existing bracket is left out, the text
// unchanged, and listed in Unresolved.
//
// The draft is a preview: its revision number is that of the draft given,
// its id counters have moved on, and its provisions' sources record the
// pending proposals (SourcePreview) and brackets (SourceBracketed) applied.
type Consolidation struct {
	Draft      *Draft      `json:"draft"`
	Collisions []Collision `json:"collisions,omitempty"`
	Bracketed  []string    `json:"bracketed,omitempty"`
	Unresolved []string    `json:"unresolved,omitempty"`
}

// Consolidate builds the consolidated text of revision d with its pending
// proposals. It fails as Compile does.
func Consolidate(d *Draft, amendments []Amendment) (*Consolidation, error) {
	an, err := analyze(d, amendments)
	if err != nil {
		return nil, err
	}
	pl := newPlan(d, d.Revision+1)
	res := &Consolidation{}
	for _, g := range an.groups {
		res.Collisions = append(res.Collisions, g.collision(an))
	}
	bracketed := func(g *group, ok bool) {
		if ok {
			res.Bracketed = append(res.Bracketed, g.id)
		} else {
			res.Unresolved = append(res.Unresolved, g.id)
		}
	}
	pl.ins[0] = an.consolidateAdds(pl, 0, bracketed)
	for i := range d.Provisions {
		props := an.onProv[i]
		if len(props) > 0 {
			an.consolidateProvision(pl, i, props, bracketed)
		}
		pl.ins[i+1] = an.consolidateAdds(pl, i+1, bracketed)
	}
	nd, err := pl.build()
	if err != nil {
		return nil, err
	}
	res.Draft = nd
	return res, nil
}

func (an *analysis) consolidateProvision(pl *plan, i int, props []*prop, bracketed func(*group, bool)) {
	t := pl.tokens(i)
	if g := props[0].group; g != nil && g.kind == CollisionSuppression {
		as, err := wholeAlternatives(t, g.members, true)
		var b *Bracket
		if err == nil {
			b, err = as.bracket(pl.newBracketID())
		}
		bracketed(g, err == nil)
		if err != nil {
			return
		}
		pl.per[i].whole, pl.per[i].hasWhole, pl.per[i].wholeBy = []Part{{Bracket: b}}, true, g.id
		for _, p := range g.members {
			pl.source(i, Source{Kind: SourceBracketed, AmendmentID: p.a.ID, Label: p.a.Label, Contribution: p.a.Contribution, BracketID: b.ID})
		}
		return
	}
	allSUP := true
	for _, p := range props {
		if p.a.Op != OpSUP {
			allSUP = false
		}
	}
	if allSUP {
		pl.per[i].remove, pl.per[i].removedBy = true, props[0].a.Ref()
		return
	}
	type key struct {
		s, e int
		n    string
	}
	seen := make(map[key]bool)
	done := make(map[*group]bool)
	for _, p := range props {
		switch {
		case p.a.Op != OpMOD:
			continue
		case p.group == nil:
			for _, e := range p.edits {
				k := key{e.Start, e.End, e.New}
				if seen[k] {
					continue
				}
				seen[k] = true
				pl.per[i].edits = append(pl.per[i].edits, bodyEdit{start: e.Start, end: e.End, parts: TextPart(e.New), origin: p.a.Ref()})
			}
			pl.source(i, amendmentSource(SourcePreview, p.a))
		case !done[p.group]:
			g := p.group
			done[g] = true
			as, err := spanAlternatives(t, g.start, g.end, g.members, true)
			var b *Bracket
			if err == nil {
				b, err = as.bracket(pl.newBracketID())
			}
			bracketed(g, err == nil)
			if err != nil {
				continue
			}
			pl.per[i].edits = append(pl.per[i].edits, bodyEdit{start: g.start, end: g.end, parts: []Part{{Bracket: b}}, origin: g.id})
			for _, m := range g.members {
				pl.source(i, Source{Kind: SourceBracketed, AmendmentID: m.a.ID, Label: m.a.Label, Contribution: m.a.Contribution, BracketID: b.ID})
			}
		}
	}
}

func (an *analysis) consolidateAdds(pl *plan, slot int, bracketed func(*group, bool)) []Provision {
	adds := an.adds[slot]
	if len(adds) == 0 {
		return nil
	}
	if g := adds[0].group; g != nil {
		b, err := addAlternatives(g.members, false).bracket(pl.newBracketID())
		bracketed(g, err == nil)
		if err != nil {
			// Equal texts: one provision.
			p := newProvision(an.d, adds[0].a, slot, TextPart(adds[0].a.Text))
			for _, m := range g.members {
				p.Sources = append(p.Sources, amendmentSource(SourcePreview, m.a))
			}
			return []Provision{p}
		}
		p := newProvision(an.d, adds[0].a, slot, []Part{{Bracket: b}})
		for _, m := range g.members {
			p.Sources = append(p.Sources, Source{Kind: SourceBracketed, AmendmentID: m.a.ID, Label: m.a.Label, Contribution: m.a.Contribution, BracketID: b.ID})
		}
		return []Provision{p}
	}
	var out []Provision
	for _, m := range adds {
		p := newProvision(an.d, m.a, slot, TextPart(m.a.Text))
		p.Sources = []Source{amendmentSource(SourcePreview, m.a)}
		out = append(out, p)
	}
	return out
}
