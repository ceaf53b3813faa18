package text

import (
	"strconv"
	"strings"
)

// RenderOptions tunes the renderers of drafts, brackets and compilations:
// the Markdown ones of package render and the HTML ones of package export.
type RenderOptions struct {
	// Anonymised renders what is given as its anonymised copy would
	// read (Compilation.Anonymised, Bracket.Anonymised): no party names,
	// proposals named "Proposal N". The data given keeps them.
	Anonymised bool
	// Supporters writes the supporters of each bracket alternative as
	// visible text after it. They are always in the alternative's title
	// attribute when the alternative has them.
	Supporters bool
	// ContributionLink, when set, names a proposal's source contribution
	// by its id: the number to show and the address to link it to. An
	// empty number leaves the contribution unnamed. Without it the
	// renderers show the id.
	ContributionLink func(id string) (number, href string)
}

// ProvisionAnchor is the id attribute of a provision in rendered HTML:
// "prov-" and the provision id, so pages can link to "#prov-p12".
func ProvisionAnchor(id string) string { return "prov-" + id }

// DisplayLabel returns the label as it is shown in the text: "1." for a
// clause or paragraph numbered 1, otherwise the label as stored.
func (p *Provision) DisplayLabel() string { return displayLabel(p) }

// displayLabel is the label as shown: "1." for an operative clause
// numbered 1, the label itself otherwise.
func displayLabel(p *Provision) string {
	if isDigits(p.Label) {
		return p.Label + "."
	}
	return p.Label
}

// Heading is the title of the compilation as rendered:
// "Compilation of proposals: <title> (revision N)".
func (c *Compilation) Heading() string {
	t := "Compilation of proposals"
	if c.Title != "" {
		t += ": " + c.Title
	}
	return t + " (revision " + itoa(c.Revision) + ")"
}

// Summary counts the pending proposals and the collisions:
// "9 pending proposals, 3 collisions."
func (c *Compilation) Summary() string {
	return itoa(c.Proposals) + " pending proposals, " + itoa(len(c.Collisions)) + " collisions."
}

// CollisionNote is a collision as the renderers list it: where it is and
// the names of its proposals.
type CollisionNote struct {
	Collision
	// Place names where the collision is: the provision ("considering
	// b)"), "after" it for additions, or "the start of the text".
	Place string
	// Names are the names shown for the proposals, in the order of
	// Numbers ("Proposal N" when anonymised).
	Names []string
}

// CollisionNotes returns the collisions of the compilation, in order, with
// their places and the names of their proposals.
func (c *Compilation) CollisionNotes() []CollisionNote {
	if len(c.Collisions) == 0 {
		return nil
	}
	names, places := c.proposalNames(), c.provisionNames()
	notes := make([]CollisionNote, len(c.Collisions))
	for i, col := range c.Collisions {
		n := CollisionNote{Collision: col, Place: c.collisionPlace(col, places), Names: make([]string, len(col.Numbers))}
		for k, num := range col.Numbers {
			n.Names[k] = names[num]
		}
		notes[i] = n
	}
	return notes
}

// collisionPlace names where a collision is: the provision, "after" it for
// additions, or the start of the text.
func (c *Compilation) collisionPlace(col Collision, names map[string]string) string {
	if col.ProvisionID == "" {
		return "the start of the text"
	}
	where := names[col.ProvisionID]
	if col.Kind == CollisionAddition {
		where = "after " + where
	}
	return where
}

// provisionNames maps provision ids to the names shown.
func (c *Compilation) provisionNames() map[string]string {
	m := make(map[string]string, len(c.Entries))
	for i := range c.Entries {
		m[c.Entries[i].Provision.ID] = displayName(&c.Entries[i].Provision)
	}
	return m
}

// proposalNames maps proposal numbers to the names shown.
func (c *Compilation) proposalNames() map[int]string {
	names := make(map[int]string, c.Proposals)
	put := func(list []CompiledProposal) {
		for i := range list {
			names[list[i].Number] = list[i].Name()
		}
	}
	put(c.AtStart)
	for i := range c.Entries {
		put(c.Entries[i].Proposals)
		put(c.Entries[i].Added)
	}
	return names
}

// Heading is the title of the redline as rendered: "Changes from revision
// 1 to revision 2", after the draft's title when it has one.
func (r *Redline) Heading() string {
	title := "Changes from revision " + itoa(r.From) + " to revision " + itoa(r.To)
	if r.Title != "" {
		title = r.Title + ": " + strings.ToLower(title[:1]) + title[1:]
	}
	return title
}

// Summary counts the provisions by what happened to them:
// "1 added, 1 deleted, 2 changed, 0 moved."
func (r *Redline) Summary() string {
	return itoa(r.Added) + " added, " + itoa(r.Deleted) + " deleted, " + itoa(r.Changed) + " changed, " + itoa(r.Moved) + " moved."
}

// Provision returns the provision of the entry as a redline shows it: its
// id, kind, level, intro and label (the old label when it was deleted),
// without a body.
func (e *RedlineEntry) Provision() *Provision {
	p := &Provision{ID: e.ID, Kind: e.Kind, Level: e.Level, Intro: e.Intro, Label: e.Label}
	if e.Status == RedlineDeleted {
		p.Label = e.OldLabel
	}
	return p
}

// StartsGroup reports whether p, following prev (nil for the first
// provision), opens a new clause group, so that its intro is shown before
// it.
func StartsGroup(prev, p *Provision) bool {
	if p.Intro == "" || (p.Kind != KindPreamble && p.Kind != KindOperative) {
		return false
	}
	return prev == nil || prev.Kind != p.Kind || prev.Intro != p.Intro
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// itoa is strconv.Itoa, for brevity in renderers.
func itoa(n int) string { return strconv.Itoa(n) }
