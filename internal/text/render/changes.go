package render

import (
	"bytes"
	"strings"

	"github.com/plenary-forum/plenary/internal/text"
)

// CompilationMarkdown renders the compilation as Markdown: a section per
// provision with its current text and a list of the proposals, insertions
// in **bold** and deletions in ~~strikethrough~~, then the collisions.
// With opts.Anonymised it renders the anonymised copy.
func CompilationMarkdown(c *text.Compilation, opts text.RenderOptions) []byte {
	if opts.Anonymised && !c.Anonymous {
		c = c.Anonymised()
	}
	var buf bytes.Buffer
	buf.WriteString("# " + escapeMarkdown(c.Heading()) + "\n\n")
	buf.WriteString(c.Summary() + "\n\n")
	if len(c.AtStart) > 0 {
		buf.WriteString("## At the start of the text\n\n")
		writeProposalsMarkdown(&buf, c.AtStart)
	}
	for i := range c.Entries {
		e := &c.Entries[i]
		p := &e.Provision
		buf.WriteString("## " + escapeMarkdown(provisionHeading(p)) + "\n\n")
		if p.Kind != text.KindHeading && p.Kind != text.KindArticle && len(p.Body) > 0 {
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
		writeProposalsMarkdown(&buf, e.Proposals)
		if len(e.Added) > 0 {
			buf.WriteString("Proposed after it:\n\n")
			writeProposalsMarkdown(&buf, e.Added)
		}
	}
	if notes := c.CollisionNotes(); len(notes) > 0 {
		buf.WriteString("## Collisions\n\n")
		for _, n := range notes {
			buf.WriteString("- " + escapeMarkdown(n.ID+" ("+n.Kind.Label()+") at "+n.Place+": "+strings.Join(n.Names, ", ")) + "\n")
		}
		buf.WriteString("\n")
	}
	return buf.Bytes()
}

// provisionHeading names a provision in a compilation heading.
func provisionHeading(p *text.Provision) string {
	switch p.Kind {
	case text.KindHeading:
		return p.Text()
	case text.KindArticle:
		if t := p.Text(); t != "" {
			return p.Label + " — " + t
		}
		return p.Label
	}
	name := p.DisplayLabel()
	if p.Intro != "" {
		name = strings.TrimSpace(p.Intro + " " + name)
	}
	if name == "" {
		name = "Provision " + p.ID
	}
	return name
}

func writeProposalsMarkdown(buf *bytes.Buffer, list []text.CompiledProposal) {
	for i := range list {
		cp := &list[i]
		line := "- **" + string(cp.Op) + "** " + escapeMarkdown(cp.Name())
		if len(cp.Proponents) > 0 {
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
func ChangesMarkdown(changes []text.Change) string {
	var sb strings.Builder
	for _, c := range changes {
		s := escapeMarkdown(c.Text)
		if c.Bracket != "" {
			s = strings.NewReplacer(`\[`, "[", `\]`, "]").Replace(s)
		}
		mark := ""
		switch c.Op {
		case text.OpInsert:
			mark = "**"
		case text.OpDelete:
			mark = "~~"
		}
		if mark == "" {
			sb.WriteString(s)
			continue
		}
		core := strings.TrimSpace(s)
		if core == "" {
			sb.WriteString(s)
			continue
		}
		lead := s[:strings.Index(s, core)]
		trail := s[len(lead)+len(core):]
		sb.WriteString(lead + mark + core + mark + trail)
	}
	return sb.String()
}

// RedlineMarkdown renders the redline as Markdown, in the draft's layout,
// with insertions in **bold**, deletions in ~~strikethrough~~, and a note
// after provisions that were added, deleted or moved.
func RedlineMarkdown(r *text.Redline) []byte {
	var buf bytes.Buffer
	buf.WriteString("# " + escapeMarkdown(r.Heading()) + "\n\n")
	buf.WriteString(r.Summary() + "\n\n")
	var prev *text.Provision
	for i := range r.Entries {
		e := &r.Entries[i]
		p := e.Provision()
		if endsGroup(prev, p) {
			buf.WriteString("---\n\n")
		}
		if text.StartsGroup(prev, p) {
			buf.WriteString("*" + escapeMarkdown(p.Intro) + "*\n\n")
		}
		body := ChangesMarkdown(e.Changes)
		switch {
		case e.Status == text.RedlineAdded, e.Status == text.RedlineDeleted:
			body += " *(" + strings.ToLower(e.Status.Label()) + ")*"
		}
		if e.Moved {
			body += " *(moved)*"
		}
		if e.Relabelled && e.Status != text.RedlineAdded && e.Status != text.RedlineDeleted && e.OldLabel != "" {
			old := &text.Provision{Label: e.OldLabel}
			body += " *(was " + escapeMarkdown(old.DisplayLabel()) + ")*"
		}
		writeLabelledMarkdown(&buf, p, body)
		prev = p
	}
	return buf.Bytes()
}
