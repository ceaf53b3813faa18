package text

import (
	"bytes"
	"regexp"
	"strings"
)

// Markdown renders the draft in the convention package parse reads
// (parse.Markdown): parsing the result gives back the same provisions,
// kinds, intros, labels and bodies (supporters of bracket alternatives,
// sources and ids are not carried by Markdown).
func (d *Draft) Markdown() []byte {
	var buf bytes.Buffer
	if d.Title != "" {
		buf.WriteString("# ")
		buf.WriteString(escapeMarkdownLine(d.Title))
		buf.WriteString("\n\n")
	}
	var prev *Provision
	for i := range d.Provisions {
		p := &d.Provisions[i]
		if endsGroup(prev, p) {
			buf.WriteString("---\n\n")
		}
		if StartsGroup(prev, p) {
			buf.WriteString("*")
			buf.WriteString(escapeMarkdown(p.Intro))
			buf.WriteString("*\n\n")
		}
		writeProvisionMarkdown(&buf, p, func(pt Part) string { return bracketMarkdown(pt.Bracket) })
		prev = p
	}
	return buf.Bytes()
}

// Plain renders the draft as plain text: the title, each clause group's
// intro on its own line, and each provision as its display label and text,
// brackets written "[a / b]", paragraphs separated by blank lines.
func (d *Draft) Plain() []byte {
	var buf bytes.Buffer
	if d.Title != "" {
		buf.WriteString(d.Title + "\n\n")
	}
	var prev *Provision
	for i := range d.Provisions {
		p := &d.Provisions[i]
		if StartsGroup(prev, p) {
			buf.WriteString(p.Intro + "\n\n")
		}
		line := p.Text()
		if p.Label != "" {
			sep := " "
			if p.Kind == KindArticle && line != "" {
				sep = " – "
			}
			line = strings.TrimRight(displayLabel(p)+sep+line, " ")
		}
		buf.WriteString(line + "\n\n")
		prev = p
	}
	return buf.Bytes()
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

// endsGroup reports whether a provision without an intro follows a clause
// group, so Markdown needs a thematic break to end the group.
func endsGroup(prev, p *Provision) bool {
	return prev != nil && prev.Intro != "" && p.Intro == "" &&
		(prev.Kind == KindPreamble || prev.Kind == KindOperative) &&
		p.Kind != KindHeading && p.Kind != KindArticle
}

// writeProvisionMarkdown writes one provision as a Markdown block, with
// brackets written by br.
func writeProvisionMarkdown(buf *bytes.Buffer, p *Provision, br func(Part) string) {
	var body strings.Builder
	for _, pt := range p.Body {
		if pt.Bracket != nil {
			body.WriteString(br(pt))
		} else {
			body.WriteString(escapeMarkdown(pt.Text))
		}
	}
	writeLabelledMarkdown(buf, p, body.String())
}

// writeLabelledMarkdown writes a provision whose body is already Markdown.
func writeLabelledMarkdown(buf *bytes.Buffer, p *Provision, body string) {
	body = hardBreaks(body)
	switch p.Kind {
	case KindHeading:
		level := p.Level
		if level < 1 || level > 6 {
			level = 2
		}
		buf.WriteString(strings.Repeat("#", level))
		buf.WriteByte(' ')
		buf.WriteString(escapeLineStart(body))
	case KindArticle:
		level := p.Level
		if level < 1 || level > 6 {
			level = 2
		}
		buf.WriteString(strings.Repeat("#", level))
		buf.WriteByte(' ')
		buf.WriteString(p.Label)
		if body != "" {
			buf.WriteString(" — ")
			buf.WriteString(body)
		}
	default:
		switch {
		case p.Label == "":
			buf.WriteString(escapeLineStart(body))
		case isDigits(p.Label):
			buf.WriteString(p.Label)
			buf.WriteString(". ")
			buf.WriteString(body)
		default:
			buf.WriteString(p.Label)
			buf.WriteByte(' ')
			buf.WriteString(body)
		}
	}
	buf.WriteString("\n\n")
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

// hardBreaks writes newlines inside a body as Markdown hard breaks, and
// escapes what would start a block at the start of each new line.
func hardBreaks(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	lines := strings.Split(s, "\n")
	for i := 1; i < len(lines); i++ {
		lines[i] = escapeLineStart(strings.TrimLeft(lines[i], " \t"))
	}
	return strings.Join(lines, "\\\n")
}

var markdownSpecial = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `\<`, `>`, `\>`, `&`, `\&`, `~`, `\~`, `|`, `\|`, `#`, `\#`,
)

// escapeMarkdown escapes inline Markdown syntax in plain text.
func escapeMarkdown(s string) string { return markdownSpecial.Replace(s) }

// escapeMarkdownLine escapes text that stands alone on a line.
func escapeMarkdownLine(s string) string { return escapeLineStart(escapeMarkdown(s)) }

var reBlockStart = regexp.MustCompile(`^(\d{1,9}(?:\.\d{1,9})*[.)]?|\(?[a-z]{1,3}\)|\(\d{1,4}\))(\s|$)`)

// escapeLineStart escapes a line of escaped text so that it does not read as
// a heading, list item, numbered provision, intro or quote.
func escapeLineStart(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '-', '+', '=', '*', '_':
		return `\` + s
	}
	if strings.HasPrefix(s, "• ") {
		return `\` + s
	}
	if m := reBlockStart.FindStringSubmatchIndex(s); m != nil {
		// Escape the first punctuation of the marker: "1\.", "a\)", "\(a)".
		for i := m[2]; i < m[3]; i++ {
			if isASCIIPunct(s[i]) {
				return s[:i] + `\` + s[i:]
			}
		}
		// A bare number such as "1" followed by a space is not a marker.
	}
	return s
}

// isASCIIPunct reports whether c is ASCII punctuation, which a backslash
// escapes in Markdown.
func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// bracketMarkdown writes a bracket in Markdown: "[a / b]", escaped.
func bracketMarkdown(b *Bracket) string {
	var sb strings.Builder
	sb.WriteByte('[')
	alts := b.Alternatives
	if len(alts) == 2 && alts[1].Text == "" && alts[0].Text != "" {
		alts = alts[:1]
	}
	for i, a := range alts {
		if i > 0 {
			sb.WriteString(" / ")
		}
		sb.WriteString(escapeAlternative(a.Text))
	}
	sb.WriteByte(']')
	return sb.String()
}

func escapeAlternative(s string) string {
	switch s {
	case "":
		return NoText
	case NoText:
		return `\` + s
	}
	return strings.ReplaceAll(escapeMarkdown(s), "/", `\/`)
}
