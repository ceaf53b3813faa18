package text

import (
	"bytes"
	"html"
	"strings"
)

// CompilationAnchor is the id attribute of a provision's row in a rendered
// compilation: "comp-" and the provision id.
func CompilationAnchor(provisionID string) string { return "comp-" + provisionID }

// ProposalAnchor is the id attribute of a proposal in a rendered
// compilation: "proposal-" and its number.
func ProposalAnchor(number int) string { return "proposal-" + itoa(number) }

// CollisionAnchor is the id attribute of a collision in a rendered
// compilation: "collision-" and its id.
func CollisionAnchor(id string) string { return "collision-" + id }

// HTML renders the compilation as an HTML fragment: a <section> per
// provision with its current text and an ordered list of the proposals on
// it (op, name, proponents, inline <ins>/<del> changes, rationale), the ADDs
// that follow it, and the list of collisions. With opts.Anonymised, or when
// the compilation is an anonymised copy, proposals are named "Proposal N"
// and no party is shown. The output is the same bytes for the same input.
func (c *Compilation) HTML(opts RenderOptions) []byte {
	anon := opts.Anonymised || c.Anonymous
	opts.Anonymised = anon
	var buf bytes.Buffer
	buf.WriteString(`<section class="compilation" data-revision="` + itoa(c.Revision) + "\">\n")
	buf.WriteString(`<h1 class="compilation-title">` + html.EscapeString(compilationTitle(c)) + "</h1>\n")
	buf.WriteString(`<p class="compilation-summary">` + itoa(c.Proposals) + " pending proposals, " + itoa(len(c.Collisions)) + " collisions.</p>\n")
	if len(c.AtStart) > 0 {
		buf.WriteString(`<section class="compiled-slot" id="comp-start"><h2>At the start of the text</h2>` + "\n")
		writeProposalsHTML(&buf, "added", c.AtStart, nil, opts)
		buf.WriteString("</section>\n")
	}
	var prev *Provision
	for i := range c.Entries {
		e := &c.Entries[i]
		p := &e.Provision
		cls := "compiled-provision"
		if len(e.Proposals) > 0 {
			cls += " has-proposals"
		}
		buf.WriteString(`<section class="` + cls + `" id="` + html.EscapeString(CompilationAnchor(p.ID)) + `" data-provision="` + html.EscapeString(p.ID) + "\">\n")
		if startsGroup(prev, p) {
			writeIntroHTML(&buf, p.Intro)
		}
		writeProvisionHTML(&buf, p, "", "current", "", string(BodyHTML(p, opts)))
		writeProposalsHTML(&buf, "proposals", e.Proposals, p, opts)
		writeProposalsHTML(&buf, "added", e.Added, nil, opts)
		buf.WriteString("</section>\n")
		prev = p
	}
	if len(c.Collisions) > 0 {
		buf.WriteString("<section class=\"collisions\">\n<h2>Collisions</h2>\n<ul>\n")
		names, places := c.proposalNames(anon), c.provisionNames()
		for _, col := range c.Collisions {
			buf.WriteString(`<li class="collision ` + string(col.Kind) + `" id="` + html.EscapeString(CollisionAnchor(col.ID)) + `">`)
			buf.WriteString(html.EscapeString(col.ID) + " (" + html.EscapeString(collisionWords(col.Kind)) + ")")
			buf.WriteString(` at <a href="#` + html.EscapeString(slotAnchor(col)) + `">` + html.EscapeString(c.collisionPlace(col, places)) + "</a>:")
			for k, n := range col.Numbers {
				if k > 0 {
					buf.WriteString(",")
				}
				buf.WriteString(` <a href="#` + ProposalAnchor(n) + `">` + html.EscapeString(names[n]) + "</a>")
			}
			buf.WriteString("</li>\n")
		}
		buf.WriteString("</ul>\n</section>\n")
	}
	buf.WriteString("</section>\n")
	return buf.Bytes()
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

func slotAnchor(col Collision) string {
	if col.ProvisionID == "" {
		return "comp-start"
	}
	return CompilationAnchor(col.ProvisionID)
}

func compilationTitle(c *Compilation) string {
	t := "Compilation of proposals"
	if c.Title != "" {
		t += ": " + c.Title
	}
	return t + " (revision " + itoa(c.Revision) + ")"
}

func collisionWords(k CollisionKind) string {
	switch k {
	case CollisionOverlap:
		return "proposals change the same words"
	case CollisionSuppression:
		return "deletion beside other proposals"
	case CollisionAddition:
		return "additions at the same place"
	}
	return string(k)
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
func (c *Compilation) proposalNames(anon bool) map[int]string {
	names := make(map[int]string, c.Proposals)
	put := func(list []CompiledProposal) {
		for i := range list {
			p := &list[i]
			if anon {
				names[p.Number] = "Proposal " + itoa(p.Number)
			} else {
				names[p.Number] = p.Name()
			}
		}
	}
	put(c.AtStart)
	for i := range c.Entries {
		put(c.Entries[i].Proposals)
		put(c.Entries[i].Added)
	}
	return names
}

func writeProposalsHTML(buf *bytes.Buffer, class string, list []CompiledProposal, p *Provision, opts RenderOptions) {
	if len(list) == 0 {
		return
	}
	buf.WriteString(`<ol class="` + class + "\">\n")
	for i := range list {
		cp := &list[i]
		cls := "proposal " + strings.ToLower(string(cp.Op))
		if cp.Collision != "" {
			cls += " collides"
		}
		buf.WriteString(`<li class="` + html.EscapeString(cls) + `" id="` + ProposalAnchor(cp.Number) + `" data-number="` + itoa(cp.Number) + `"`)
		if cp.Collision != "" {
			buf.WriteString(` data-collision="` + html.EscapeString(cp.Collision) + `"`)
		}
		buf.WriteString(">")
		buf.WriteString(`<span class="op">` + html.EscapeString(string(cp.Op)) + "</span> ")
		name := "Proposal " + itoa(cp.Number)
		if !opts.Anonymised {
			name = cp.Name()
		}
		buf.WriteString(`<span class="ref">` + html.EscapeString(name) + "</span>")
		if !opts.Anonymised && len(cp.Proponents) > 0 {
			buf.WriteString(` <span class="proponents">(` + html.EscapeString(strings.Join(cp.Proponents, ", ")) + ")</span>")
		}
		if cp.Collision != "" {
			buf.WriteString(` <a class="collision-mark" href="#` + html.EscapeString(CollisionAnchor(cp.Collision)) + `">collision ` + html.EscapeString(cp.Collision) + "</a>")
		}
		if !opts.Anonymised && cp.Contribution != "" {
			buf.WriteString(` <span class="contribution">` + html.EscapeString(cp.Contribution) + "</span>")
		}
		if len(cp.Changes) > 0 {
			buf.WriteString(`<div class="changes">` + string(ChangesHTML(cp.Changes, p, opts)) + "</div>")
		}
		if !opts.Anonymised && cp.Rationale != "" {
			buf.WriteString(`<p class="rationale">` + escapeHTMLText(cp.Rationale) + "</p>")
		}
		buf.WriteString("</li>\n")
	}
	buf.WriteString("</ol>\n")
}

// Markdown renders the compilation as Markdown: a section per provision
// with its current text and a list of the proposals, insertions in
// **bold** and deletions in ~~strikethrough~~, then the collisions.
func (c *Compilation) Markdown(opts RenderOptions) []byte {
	anon := opts.Anonymised || c.Anonymous
	var buf bytes.Buffer
	buf.WriteString("# " + escapeMarkdown(compilationTitle(c)) + "\n\n")
	buf.WriteString(itoa(c.Proposals) + " pending proposals, " + itoa(len(c.Collisions)) + " collisions.\n\n")
	if len(c.AtStart) > 0 {
		buf.WriteString("## At the start of the text\n\n")
		writeProposalsMarkdown(&buf, c.AtStart, anon)
	}
	for i := range c.Entries {
		e := &c.Entries[i]
		p := &e.Provision
		buf.WriteString("## " + escapeMarkdown(provisionHeading(p)) + "\n\n")
		if p.Kind != KindHeading && p.Kind != KindArticle && len(p.Body) > 0 {
			var body strings.Builder
			for _, pt := range p.Body {
				if pt.Bracket != nil {
					body.WriteString(bracketMarkdown(pt.Bracket))
				} else {
					body.WriteString(escapeMarkdown(pt.Text))
				}
			}
			buf.WriteString(escapeLineStart(hardBreaks(body.String())) + "\n\n")
		}
		writeProposalsMarkdown(&buf, e.Proposals, anon)
		if len(e.Added) > 0 {
			buf.WriteString("Proposed after it:\n\n")
			writeProposalsMarkdown(&buf, e.Added, anon)
		}
	}
	if len(c.Collisions) > 0 {
		names, places := c.proposalNames(anon), c.provisionNames()
		buf.WriteString("## Collisions\n\n")
		for _, col := range c.Collisions {
			var refs []string
			for _, n := range col.Numbers {
				refs = append(refs, names[n])
			}
			buf.WriteString("- " + escapeMarkdown(col.ID+" ("+collisionWords(col.Kind)+") at "+c.collisionPlace(col, places)+": "+strings.Join(refs, ", ")) + "\n")
		}
		buf.WriteString("\n")
	}
	return buf.Bytes()
}

// provisionHeading names a provision in a compilation or redline heading.
func provisionHeading(p *Provision) string {
	switch p.Kind {
	case KindHeading:
		return p.Text()
	case KindArticle:
		if t := p.Text(); t != "" {
			return p.Label + " — " + t
		}
		return p.Label
	}
	name := displayLabel(p)
	if p.Intro != "" {
		name = strings.TrimSpace(p.Intro + " " + name)
	}
	if name == "" {
		name = "Provision " + p.ID
	}
	return name
}

func writeProposalsMarkdown(buf *bytes.Buffer, list []CompiledProposal, anon bool) {
	for i := range list {
		cp := &list[i]
		name := "Proposal " + itoa(cp.Number)
		if !anon {
			name = cp.Name()
		}
		line := "- **" + string(cp.Op) + "** " + escapeMarkdown(name)
		if !anon && len(cp.Proponents) > 0 {
			line += " (" + escapeMarkdown(strings.Join(cp.Proponents, ", ")) + ")"
		}
		if cp.Collision != "" {
			line += " — collision " + escapeMarkdown(cp.Collision)
		}
		if len(cp.Changes) > 0 {
			line += ": " + ChangesMarkdown(cp.Changes)
		}
		buf.WriteString(strings.ReplaceAll(line, "\n", "\\\n  ") + "\n")
	}
	if len(list) > 0 {
		buf.WriteString("\n")
	}
}

// ChangesMarkdown renders inline changes as Markdown: insertions in
// **bold**, deletions in ~~strikethrough~~, with the spaces at their edges
// kept outside the markers so that they render.
func ChangesMarkdown(changes []Change) string {
	var sb strings.Builder
	for _, c := range changes {
		text := escapeMarkdown(c.Text)
		if c.Bracket != "" {
			text = strings.NewReplacer(`\[`, "[", `\]`, "]").Replace(text)
		}
		mark := ""
		switch c.Op {
		case OpInsert:
			mark = "**"
		case OpDelete:
			mark = "~~"
		}
		if mark == "" {
			sb.WriteString(text)
			continue
		}
		core := strings.TrimSpace(text)
		if core == "" {
			sb.WriteString(text)
			continue
		}
		lead := text[:strings.Index(text, core)]
		trail := text[len(lead)+len(core):]
		sb.WriteString(lead + mark + core + mark + trail)
	}
	return sb.String()
}

// HTML renders the redline as an HTML fragment in the order of the newer
// revision: one element per provision with id="prov-<id>" (for a deleted
// one "prov-deleted-<id>"), a status class
// (unchanged, changed, added, deleted, and moved), word changes in
// <ins>/<del>, and changed labels shown as <del>old</del> <ins>new</ins>.
func (r *Redline) HTML() []byte {
	var buf bytes.Buffer
	buf.WriteString(`<section class="redline" data-from="` + itoa(r.From) + `" data-to="` + itoa(r.To) + "\">\n")
	title := "Changes from revision " + itoa(r.From) + " to revision " + itoa(r.To)
	if r.Title != "" {
		title = r.Title + ": " + strings.ToLower(title[:1]) + title[1:]
	}
	buf.WriteString(`<h1 class="redline-title">` + html.EscapeString(title) + "</h1>\n")
	buf.WriteString(`<p class="redline-summary">` + redlineSummary(r) + "</p>\n")
	var prev *Provision
	for i := range r.Entries {
		e := &r.Entries[i]
		p := &Provision{ID: e.ID, Kind: e.Kind, Level: e.Level, Intro: e.Intro, Label: e.Label}
		if e.Status == RedlineDeleted {
			p.Label = e.OldLabel
		}
		if startsGroup(prev, p) {
			writeIntroHTML(&buf, p.Intro)
		}
		cls := string(e.Status)
		if e.Moved {
			cls += " moved"
		}
		label := ""
		if e.Relabelled && e.Status != RedlineAdded && e.Status != RedlineDeleted {
			o, n := &Provision{Label: e.OldLabel}, &Provision{Label: e.Label}
			if e.OldLabel != "" {
				label = "<del>" + html.EscapeString(displayLabel(o)) + "</del>"
			}
			if e.Label != "" {
				if label != "" {
					label += " "
				}
				label += "<ins>" + html.EscapeString(displayLabel(n)) + "</ins>"
			}
		}
		body := redlineChangesHTML(e.Changes)
		if e.Moved {
			body += ` <span class="moved-note">(moved)</span>`
		}
		anchor := ProvisionAnchor(e.ID)
		if e.Status == RedlineDeleted {
			anchor = "prov-deleted-" + e.ID
		}
		writeProvisionHTML(&buf, p, anchor, cls, label, body)
		prev = p
	}
	buf.WriteString("</section>\n")
	return buf.Bytes()
}

func redlineSummary(r *Redline) string {
	return itoa(r.Added) + " added, " + itoa(r.Deleted) + " deleted, " + itoa(r.Changed) + " changed, " + itoa(r.Moved) + " moved."
}

func redlineChangesHTML(changes []Change) string {
	var sb strings.Builder
	for _, c := range changes {
		inner := escapeHTMLText(c.Text)
		if c.Bracket != "" {
			inner = `<span class="bracket" data-bracket="` + html.EscapeString(c.Bracket) + `">` + inner + "</span>"
		}
		switch c.Op {
		case OpInsert:
			sb.WriteString("<ins>" + inner + "</ins>")
		case OpDelete:
			sb.WriteString("<del>" + inner + "</del>")
		default:
			sb.WriteString(inner)
		}
	}
	return sb.String()
}

// Markdown renders the redline as Markdown, in the draft's layout, with
// insertions in **bold**, deletions in ~~strikethrough~~, and a note after
// provisions that were added, deleted or moved.
func (r *Redline) Markdown() []byte {
	var buf bytes.Buffer
	title := "Changes from revision " + itoa(r.From) + " to revision " + itoa(r.To)
	if r.Title != "" {
		title = r.Title + ": " + strings.ToLower(title[:1]) + title[1:]
	}
	buf.WriteString("# " + escapeMarkdown(title) + "\n\n")
	buf.WriteString(redlineSummary(r) + "\n\n")
	var prev *Provision
	for i := range r.Entries {
		e := &r.Entries[i]
		p := &Provision{ID: e.ID, Kind: e.Kind, Level: e.Level, Intro: e.Intro, Label: e.Label}
		if e.Status == RedlineDeleted {
			p.Label = e.OldLabel
		}
		if endsGroup(prev, p) {
			buf.WriteString("---\n\n")
		}
		if startsGroup(prev, p) {
			buf.WriteString("*" + escapeMarkdown(p.Intro) + "*\n\n")
		}
		body := ChangesMarkdown(e.Changes)
		switch {
		case e.Status == RedlineAdded:
			body += " *(added)*"
		case e.Status == RedlineDeleted:
			body += " *(deleted)*"
		}
		if e.Moved {
			body += " *(moved)*"
		}
		if e.Relabelled && e.Status != RedlineAdded && e.Status != RedlineDeleted && e.OldLabel != "" {
			body += " *(was " + escapeMarkdown(displayLabel(&Provision{Label: e.OldLabel})) + ")*"
		}
		writeLabelledMarkdown(&buf, p, body)
		prev = p
	}
	return buf.Bytes()
}
