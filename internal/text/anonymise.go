package text

import "github.com/plenary-forum/plenary/internal/text/worddiff"

// Anonymisation. A forum may publish its compilations without party names:
// then who proposed, co-sponsored or supports what, and whatever leads to
// a party (a proposal's label, which names it, its contribution and
// rationale, the ids that link to the attributed records), is left out of
// what most readers see. These methods are the one definition of what is
// left out, for each thing that carries it: each returns a copy and never
// changes what it is given. The renderers of this package and of package
// export apply them when asked to (RenderOptions.Anonymised); package
// drafting decides who sees which (drafting.Anonymiser).

// Anonymised returns a copy of the amendment without its label, proposer,
// co-sponsors, rationale, contribution or the proposal it merged into.
func (a Amendment) Anonymised() Amendment {
	a.Label, a.Proposer, a.CoSponsors, a.Rationale, a.Contribution, a.MergedInto = "", "", nil, "", "", ""
	a.Edits = append([]worddiff.Edit(nil), a.Edits...)
	return a
}

// Anonymised returns a copy of the compiled proposal without its amendment
// id, label, proponents, contribution or rationale: it keeps its number,
// and Name calls it "Proposal N".
func (p CompiledProposal) Anonymised() CompiledProposal {
	p.AmendmentID, p.Label, p.Proponents, p.Contribution, p.Rationale = "", "", nil, "", ""
	p.Changes = append([]Change(nil), p.Changes...)
	return p
}

// Anonymised returns a copy of the collision without the ids of its
// proposals; their numbers in the compilation stay.
func (c Collision) Anonymised() Collision {
	c.Amendments = nil
	c.Numbers = append([]int(nil), c.Numbers...)
	return c
}

// Anonymised returns a copy of the provision without its drafting log or
// the supporters and proposals of its brackets' alternatives.
func (p Provision) Anonymised() Provision {
	p = p.Clone()
	p.anonymise()
	return p
}

// anonymise removes, in place, the provision's drafting log and the
// supporters and proposals of its brackets' alternatives.
func (p *Provision) anonymise() {
	p.Sources = nil
	for _, pt := range p.Body {
		if pt.Bracket != nil {
			pt.Bracket.anonymise()
		}
	}
}

// Anonymised returns a copy of the bracket without the supporters and
// proposals of its alternatives.
func (b *Bracket) Anonymised() *Bracket {
	c := b.Clone()
	c.anonymise()
	return c
}

// anonymise removes, in place, the supporters and proposals of the
// bracket's alternatives.
func (b *Bracket) anonymise() {
	for k := range b.Alternatives {
		b.Alternatives[k].Supporters = nil
		b.Alternatives[k].Amendments = nil
	}
}

// Anonymised returns a copy of the draft with every provision anonymised.
func (d *Draft) Anonymised() *Draft {
	c := d.Clone()
	for i := range c.Provisions {
		c.Provisions[i].anonymise()
	}
	return c
}

// Anonymised returns a copy of the log entry without the proposal's id and
// label, its contribution or the proposal it merged into: Describe then
// says "A proposal".
func (e LogEntry) Anonymised() LogEntry {
	e.AmendmentID, e.Label, e.Contribution, e.Into = "", "", "", ""
	return e
}

// Anonymised returns a copy of the compilation with every proposal,
// provision and collision anonymised, marked Anonymous.
func (c *Compilation) Anonymised() *Compilation {
	out := *c
	out.Anonymous = true
	anon := func(list []CompiledProposal) []CompiledProposal {
		if list == nil {
			return nil
		}
		res := make([]CompiledProposal, len(list))
		for i, p := range list {
			res[i] = p.Anonymised()
		}
		return res
	}
	out.AtStart = anon(c.AtStart)
	out.Entries = make([]CompiledProvision, len(c.Entries))
	for i, e := range c.Entries {
		e.Provision = e.Provision.Anonymised()
		e.Proposals = anon(e.Proposals)
		e.Added = anon(e.Added)
		out.Entries[i] = e
	}
	out.Collisions = make([]Collision, len(c.Collisions))
	for i, col := range c.Collisions {
		out.Collisions[i] = col.Anonymised()
	}
	return &out
}

// Anonymised returns a copy of the consolidated text with its draft and
// collisions anonymised.
func (c *Consolidation) Anonymised() *Consolidation {
	out := *c
	out.Draft = c.Draft.Anonymised()
	if c.Collisions != nil {
		out.Collisions = make([]Collision, len(c.Collisions))
		for i, col := range c.Collisions {
			out.Collisions[i] = col.Anonymised()
		}
	}
	return &out
}
