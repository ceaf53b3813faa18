package text

import (
	"bytes"
	"html"
	"html/template"
	"strings"
)

// RenderOptions tunes the HTML and Markdown renderers.
type RenderOptions struct {
	// Anonymised hides every party name: proponents in a compilation and
	// supporters of bracket alternatives. The data keeps them.
	Anonymised bool
	// Supporters writes the supporters of each bracket alternative as
	// visible text after it. They are always in the alternative's title
	// attribute unless Anonymised.
	Supporters bool
}

// ProvisionAnchor is the id attribute of a provision in rendered HTML:
// "prov-" and the provision id, so pages can link to "#prov-p12".
func ProvisionAnchor(id string) string { return "prov-" + id }

// HTML renders the draft as an HTML fragment: an <article> with the title,
// intros and one element per provision carrying id="prov-<id>". All text is
// escaped.
func (d *Draft) HTML(opts RenderOptions) []byte {
	var buf bytes.Buffer
	buf.WriteString(`<article class="draft" data-revision="`)
	buf.WriteString(itoa(d.Revision))
	buf.WriteString("\">\n")
	if d.Title != "" {
		buf.WriteString(`<h1 class="draft-title">`)
		buf.WriteString(html.EscapeString(d.Title))
		buf.WriteString("</h1>\n")
	}
	var prev *Provision
	for i := range d.Provisions {
		p := &d.Provisions[i]
		if startsGroup(prev, p) {
			writeIntroHTML(&buf, p.Intro)
		}
		writeProvisionHTML(&buf, p, ProvisionAnchor(p.ID), "", "", string(BodyHTML(p, opts)))
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
func writeProvisionHTML(buf *bytes.Buffer, p *Provision, anchor, extraClass, labelHTML, body string) {
	tag := "p"
	switch p.Kind {
	case KindHeading, KindArticle:
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
		labelHTML = html.EscapeString(displayLabel(p))
	}
	if labelHTML != "" {
		buf.WriteString(`<span class="label">` + labelHTML + "</span> ")
	}
	buf.WriteString(`<span class="body">`)
	buf.WriteString(body)
	buf.WriteString("</span></" + tag + ">\n")
}

// displayLabel is the label as shown: "1." for an operative clause
// numbered 1, the label itself otherwise.
func displayLabel(p *Provision) string {
	if isDigits(p.Label) {
		return p.Label + "."
	}
	return p.Label
}

// DisplayLabel returns the label as it is shown in the text: "1." for a
// clause or paragraph numbered 1, otherwise the label as stored.
func (p *Provision) DisplayLabel() string { return displayLabel(p) }

// BodyHTML renders a provision body as escaped HTML, with each bracket as
// BracketHTML renders it. Newlines become <br>.
func BodyHTML(p *Provision, opts RenderOptions) template.HTML {
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
// opts.Supporters, as visible text in a nested <span class="supporters">),
// unless opts.Anonymised. The alternative agreed ad referendum has the class
// "agreed"; an empty alternative shows NoText in <span class="no-text">.
func BracketHTML(b *Bracket, opts RenderOptions) template.HTML {
	var sb strings.Builder
	status := string(b.Status)
	sb.WriteString(`<span class="bracket`)
	if b.Status != BracketOpen {
		sb.WriteString(" " + status)
	}
	sb.WriteString(`" data-bracket="` + html.EscapeString(b.ID) + `" data-status="` + html.EscapeString(status) + `" role="group" aria-label="`)
	label := "Bracket " + b.ID + ", " + itoa(len(b.Alternatives)) + " alternatives"
	if b.Status == BracketAdReferendum {
		label += ", agreed ad referendum"
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
		if !opts.Anonymised && len(a.Supporters) > 0 {
			sb.WriteString(` title="Supported by ` + html.EscapeString(strings.Join(a.Supporters, ", ")) + `"`)
		}
		sb.WriteString(">")
		if a.Text == "" {
			sb.WriteString(`<span class="no-text">` + html.EscapeString(NoText) + `</span>`)
		} else {
			sb.WriteString(escapeHTMLText(a.Text))
		}
		if opts.Supporters && !opts.Anonymised && len(a.Supporters) > 0 {
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
func ChangesHTML(changes []Change, p *Provision, opts RenderOptions) template.HTML {
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
		switch c.Op {
		case OpInsert:
			sb.WriteString("<ins>" + inner + "</ins>")
		case OpDelete:
			sb.WriteString("<del>" + inner + "</del>")
		default:
			sb.WriteString(inner)
		}
	}
	return template.HTML(sb.String())
}
