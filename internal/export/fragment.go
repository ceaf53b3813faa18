package export

import (
	"bytes"
	"html"
	"html/template"
	"strings"

	"github.com/plenary-forum/plenary/internal/text"
)

// This file renders the texts of package text as HTML fragments, for the
// pages of the site and for the standalone page HTML writes: a draft, a
// provision body, a bracket, inline changes, a compilation and a redline.
// All text is escaped; the fragments are the same bytes for the same input.

// CompilationAnchor is the id attribute of a provision's row in a rendered
// compilation: "comp-" and the provision id.
func CompilationAnchor(provisionID string) string { return "comp-" + provisionID }

// ProposalAnchor is the id attribute of a proposal in a rendered
// compilation: "proposal-" and its number.
func ProposalAnchor(number int) string { return "proposal-" + itoa(number) }

// CollisionAnchor is the id attribute of a collision in a rendered
// compilation: "collision-" and its id.
func CollisionAnchor(id string) string { return "collision-" + id }

// DraftHTML renders the draft as an HTML fragment: an <article> with the
// title, intros and one element per provision carrying id="prov-<id>"
// (text.ProvisionAnchor).
func DraftHTML(d *text.Draft, opts text.RenderOptions) []byte {
	var buf bytes.Buffer
	buf.WriteString(`<article class="draft" data-revision="`)
	buf.WriteString(itoa(d.Revision))
	buf.WriteString("\">\n")
	if d.Title != "" {
		buf.WriteString(`<h1 class="draft-title">`)
		buf.WriteString(html.EscapeString(d.Title))
		buf.WriteString("</h1>\n")
	}
	var prev *text.Provision
	for i := range d.Provisions {
		p := &d.Provisions[i]
		if text.StartsGroup(prev, p) {
			writeIntroHTML(&buf, p.Intro)
		}
		writeProvisionHTML(&buf, p, text.ProvisionAnchor(p.ID), "", "", string(BodyHTML(p, opts)))
		prev = p
	}
	buf.WriteString("</article>\n")
	return buf.Bytes()
}

func writeIntroHTML(buf *bytes.Buffer, intro string) {
	buf.WriteString(`<p class="intro"><em>`)
	buf.WriteString(html.EscapeString(intro))
	buf.WriteString("</em></p>\n")
}

// writeProvisionHTML writes the element of one provision. anchor is its id
// attribute ("" for none), extraClass is added to its classes, labelHTML
// replaces the escaped label when set, and body is already HTML.
func writeProvisionHTML(buf *bytes.Buffer, p *text.Provision, anchor, extraClass, labelHTML, body string) {
	tag := "p"
	switch p.Kind {
	case text.KindHeading, text.KindArticle:
		level := p.Level
		if level < 1 || level > 6 {
			level = 2
		}
		tag = "h" + itoa(level)
	}
	buf.WriteString("<" + tag + ` class="provision ` + html.EscapeString(string(p.Kind)))
	if extraClass != "" {
		buf.WriteString(" " + extraClass)
	}
	buf.WriteString(`"`)
	if anchor != "" {
		buf.WriteString(` id="` + html.EscapeString(anchor) + `"`)
	}
	buf.WriteString(` data-provision="` + html.EscapeString(p.ID) + `">`)
	if labelHTML == "" && p.Label != "" {
		labelHTML = html.EscapeString(p.DisplayLabel())
	}
	if labelHTML != "" {
		buf.WriteString(`<span class="label">` + labelHTML + "</span> ")
	}
	buf.WriteString(`<span class="body">`)
	buf.WriteString(body)
	buf.WriteString("</span></" + tag + ">\n")
}

// BodyHTML renders a provision body as escaped HTML, with each bracket as
// BracketHTML renders it. Newlines become <br>.
func BodyHTML(p *text.Provision, opts text.RenderOptions) template.HTML {
	var sb strings.Builder
	for _, pt := range p.Body {
		if pt.Bracket != nil {
			sb.WriteString(string(BracketHTML(pt.Bracket, opts)))
		} else {
			sb.WriteString(escapeHTMLText(pt.Text))
		}
	}
	return template.HTML(sb.String())
}

// escapeHTMLText escapes text and turns newlines into <br>.
func escapeHTMLText(s string) string {
	s = html.EscapeString(s)
	if strings.Contains(s, "\n") {
		s = strings.ReplaceAll(s, "\n", "<br>\n")
	}
	return s
}

// BracketHTML renders a bracket as
//
//	<span class="bracket" data-bracket="b1" data-status="open" role="group" aria-label="...">
//	[<span class="alternative" data-alternative="1" title="Supported by USA, BRA">text</span>
//	 / <span class="alternative">...</span>]</span>
//
// with the supporters of each alternative in its title (and, with
// opts.Supporters, as visible text in a nested <span class="supporters">);
// with opts.Anonymised, it renders the bracket's anonymised copy, which has
// none. The alternative agreed ad referendum has the class
// "agreed"; an empty alternative shows text.NoText in
// <span class="no-text">.
func BracketHTML(b *text.Bracket, opts text.RenderOptions) template.HTML {
	if opts.Anonymised {
		b = b.Anonymised()
	}
	var sb strings.Builder
	status := string(b.Status)
	sb.WriteString(`<span class="bracket`)
	if b.Status != text.BracketOpen {
		sb.WriteString(" " + status)
	}
	sb.WriteString(`" data-bracket="` + html.EscapeString(b.ID) + `" data-status="` + html.EscapeString(status) + `" role="group" aria-label="`)
	label := "Bracket " + b.ID + ", " + itoa(len(b.Alternatives)) + " alternatives"
	if b.Status == text.BracketAdReferendum {
		label += ", " + strings.ToLower(b.Status.Label())
	}
	sb.WriteString(html.EscapeString(label))
	sb.WriteString(`">[`)
	for i, a := range b.Alternatives {
		if i > 0 {
			sb.WriteString(" / ")
		}
		sb.WriteString(`<span class="alternative`)
		if b.Agreed != nil && *b.Agreed == i {
			sb.WriteString(" agreed")
		}
		sb.WriteString(`" data-alternative="` + itoa(i+1) + `"`)
		if len(a.Supporters) > 0 {
			sb.WriteString(` title="Supported by ` + html.EscapeString(strings.Join(a.Supporters, ", ")) + `"`)
		}
		sb.WriteString(">")
		if a.Text == "" {
			sb.WriteString(`<span class="no-text">` + html.EscapeString(text.NoText) + `</span>`)
		} else {
			sb.WriteString(escapeHTMLText(a.Text))
		}
		if opts.Supporters && len(a.Supporters) > 0 {
			sb.WriteString(` <span class="supporters">(` + html.EscapeString(strings.Join(a.Supporters, ", ")) + `)</span>`)
		}
		sb.WriteString("</span>")
	}
	sb.WriteString("]</span>")
	return template.HTML(sb.String())
}

// ChangesHTML renders inline changes: kept text as is, insertions in <ins>,
// deletions in <del>, all escaped. A change that is a bracket of the
// provision is rendered by BracketHTML when p is given and holds it.
func ChangesHTML(changes []text.Change, p *text.Provision, opts text.RenderOptions) template.HTML {
	var sb strings.Builder
	for _, c := range changes {
		inner := escapeHTMLText(c.Text)
		if c.Bracket != "" && p != nil {
			for _, pt := range p.Body {
				if pt.Bracket != nil && pt.Bracket.ID == c.Bracket {
					inner = string(BracketHTML(pt.Bracket, opts))
				}
			}
		}
		writeChangeHTML(&sb, c.Op, inner)
	}
	return template.HTML(sb.String())
}

// writeChangeHTML writes inner, already HTML, in <ins> or <del> as op
// says.
func writeChangeHTML(sb *strings.Builder, op text.Op, inner string) {
	switch op {
	case text.OpInsert:
		sb.WriteString("<ins>" + inner + "</ins>")
	case text.OpDelete:
		sb.WriteString("<del>" + inner + "</del>")
	default:
		sb.WriteString(inner)
	}
}

// CompilationHTML renders the compilation as an HTML fragment: a <section>
// per provision with its current text and an ordered list of the proposals
// on it (op, name, proponents, inline <ins>/<del> changes, rationale), the
// ADDs that follow it, and the list of collisions. With opts.Anonymised it
// renders the compilation's anonymised copy: proposals named "Proposal N",
// no party shown.
func CompilationHTML(c *text.Compilation, opts text.RenderOptions) []byte {
	if opts.Anonymised && !c.Anonymous {
		c = c.Anonymised()
	}
	opts.Anonymised = false // the copy has nothing left to hide
	var buf bytes.Buffer
	buf.WriteString(`<section class="compilation" data-revision="` + itoa(c.Revision) + "\">\n")
	buf.WriteString(`<h1 class="compilation-title">` + html.EscapeString(c.Heading()) + "</h1>\n")
	buf.WriteString(`<p class="compilation-summary">` + c.Summary() + "</p>\n")
	if len(c.AtStart) > 0 {
		buf.WriteString(`<section class="compiled-slot" id="comp-start"><h2>At the start of the text</h2>` + "\n")
		writeProposalsHTML(&buf, "added", c.AtStart, nil, opts)
		buf.WriteString("</section>\n")
	}
	var prev *text.Provision
	for i := range c.Entries {
		e := &c.Entries[i]
		p := &e.Provision
		cls := "compiled-provision"
		if len(e.Proposals) > 0 {
			cls += " has-proposals"
		}
		buf.WriteString(`<section class="` + cls + `" id="` + html.EscapeString(CompilationAnchor(p.ID)) + `" data-provision="` + html.EscapeString(p.ID) + "\">\n")
		if text.StartsGroup(prev, p) {
			writeIntroHTML(&buf, p.Intro)
		}
		writeProvisionHTML(&buf, p, "", "current", "", string(BodyHTML(p, opts)))
		writeProposalsHTML(&buf, "proposals", e.Proposals, p, opts)
		writeProposalsHTML(&buf, "added", e.Added, nil, opts)
		buf.WriteString("</section>\n")
		prev = p
	}
	if notes := c.CollisionNotes(); len(notes) > 0 {
		buf.WriteString("<section class=\"collisions\">\n<h2>Collisions</h2>\n<ul>\n")
		for _, n := range notes {
			buf.WriteString(`<li class="collision ` + string(n.Kind) + `" id="` + html.EscapeString(CollisionAnchor(n.ID)) + `">`)
			buf.WriteString(html.EscapeString(n.ID) + " (" + html.EscapeString(n.Kind.Label()) + ")")
			buf.WriteString(` at <a href="#` + html.EscapeString(slotAnchor(n.Collision)) + `">` + html.EscapeString(n.Place) + "</a>:")
			for k, num := range n.Numbers {
				if k > 0 {
					buf.WriteString(",")
				}
				buf.WriteString(` <a href="#` + ProposalAnchor(num) + `">` + html.EscapeString(n.Names[k]) + "</a>")
			}
			buf.WriteString("</li>\n")
		}
		buf.WriteString("</ul>\n</section>\n")
	}
	buf.WriteString("</section>\n")
	return buf.Bytes()
}

// slotAnchor is the anchor of the place a collision is at.
func slotAnchor(col text.Collision) string {
	if col.ProvisionID == "" {
		return "comp-start"
	}
	return CompilationAnchor(col.ProvisionID)
}

func writeProposalsHTML(buf *bytes.Buffer, class string, list []text.CompiledProposal, p *text.Provision, opts text.RenderOptions) {
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
		buf.WriteString(`<span class="ref">` + html.EscapeString(cp.Name()) + "</span>")
		if len(cp.Proponents) > 0 {
			buf.WriteString(` <span class="proponents">(` + html.EscapeString(strings.Join(cp.Proponents, ", ")) + ")</span>")
		}
		if cp.Collision != "" {
			buf.WriteString(` <a class="collision-mark" href="#` + html.EscapeString(CollisionAnchor(cp.Collision)) + `">collision ` + html.EscapeString(cp.Collision) + "</a>")
		}
		writeContributionHTML(buf, cp.Contribution, opts)
		if len(cp.Changes) > 0 {
			buf.WriteString(`<div class="changes">` + string(ChangesHTML(cp.Changes, p, opts)) + "</div>")
		}
		if cp.Rationale != "" {
			buf.WriteString(`<p class="rationale">` + escapeHTMLText(cp.Rationale) + "</p>")
		}
		buf.WriteString("</li>\n")
	}
	buf.WriteString("</ol>\n")
}

// writeContributionHTML names a proposal's source contribution: by its
// number, linked, when opts says how; by its id otherwise.
func writeContributionHTML(buf *bytes.Buffer, id string, opts text.RenderOptions) {
	if id == "" {
		return
	}
	if opts.ContributionLink == nil {
		buf.WriteString(` <span class="contribution">` + html.EscapeString(id) + "</span>")
		return
	}
	number, href := opts.ContributionLink(id)
	switch {
	case number == "":
	case href == "":
		buf.WriteString(` <span class="contribution">from ` + html.EscapeString(number) + "</span>")
	default:
		buf.WriteString(` <span class="contribution">from <a href="` + html.EscapeString(href) + `">` + html.EscapeString(number) + "</a></span>")
	}
}

// RedlineHTML renders the redline as an HTML fragment in the order of the
// newer revision: one element per provision with id="prov-<id>" (for a
// deleted one "prov-deleted-<id>"), a status class (unchanged, changed,
// added, deleted, and moved), word changes in <ins>/<del>, and changed
// labels shown as <del>old</del> <ins>new</ins>.
func RedlineHTML(r *text.Redline) []byte {
	var buf bytes.Buffer
	buf.WriteString(`<section class="redline" data-from="` + itoa(r.From) + `" data-to="` + itoa(r.To) + "\">\n")
	buf.WriteString(`<h1 class="redline-title">` + html.EscapeString(r.Heading()) + "</h1>\n")
	buf.WriteString(`<p class="redline-summary">` + r.Summary() + "</p>\n")
	var prev *text.Provision
	for i := range r.Entries {
		e := &r.Entries[i]
		p := e.Provision()
		if text.StartsGroup(prev, p) {
			writeIntroHTML(&buf, p.Intro)
		}
		cls := string(e.Status)
		if e.Moved {
			cls += " moved"
		}
		label := ""
		if e.Relabelled && e.Status != text.RedlineAdded && e.Status != text.RedlineDeleted {
			o, n := &text.Provision{Label: e.OldLabel}, &text.Provision{Label: e.Label}
			if e.OldLabel != "" {
				label = "<del>" + html.EscapeString(o.DisplayLabel()) + "</del>"
			}
			if e.Label != "" {
				if label != "" {
					label += " "
				}
				label += "<ins>" + html.EscapeString(n.DisplayLabel()) + "</ins>"
			}
		}
		body := redlineChangesHTML(e.Changes)
		if e.Moved {
			body += ` <span class="moved-note">(moved)</span>`
		}
		anchor := text.ProvisionAnchor(e.ID)
		if e.Status == text.RedlineDeleted {
			anchor = "prov-deleted-" + e.ID
		}
		writeProvisionHTML(&buf, p, anchor, cls, label, body)
		prev = p
	}
	buf.WriteString("</section>\n")
	return buf.Bytes()
}

// redlineChangesHTML renders the changes of a redline entry, a bracket
// as its plain form in a <span class="bracket">.
func redlineChangesHTML(changes []text.Change) string {
	var sb strings.Builder
	for _, c := range changes {
		inner := escapeHTMLText(c.Text)
		if c.Bracket != "" {
			inner = `<span class="bracket" data-bracket="` + html.EscapeString(c.Bracket) + `">` + inner + "</span>"
		}
		writeChangeHTML(&sb, c.Op, inner)
	}
	return sb.String()
}
