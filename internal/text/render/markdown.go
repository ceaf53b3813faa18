package render

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/plenary-forum/plenary/internal/text"
)

// Markdown renders the draft in the convention package parse reads
// (parse.Markdown): parsing the result gives back the same provisions,
// kinds, intros, labels and bodies (supporters of bracket alternatives,
// sources and ids are not carried by Markdown).
func Markdown(d *text.Draft) []byte {
	var buf bytes.Buffer
	if d.Title != "" {
		buf.WriteString("# ")
		buf.WriteString(escapeMarkdownLine(d.Title))
		buf.WriteString("\n\n")
	}
	var prev *text.Provision
	for i := range d.Provisions {
		p := &d.Provisions[i]
		if endsGroup(prev, p) {
			buf.WriteString("---\n\n")
		}
		if text.StartsGroup(prev, p) {
			buf.WriteString("*")
			buf.WriteString(escapeMarkdown(p.Intro))
			buf.WriteString("*\n\n")
		}
		writeProvisionMarkdown(&buf, p, func(pt text.Part) string { return bracketMarkdown(pt.Bracket) })
		prev = p
	}
	return buf.Bytes()
}

// endsGroup reports whether a provision without an intro follows a clause
// group, so Markdown needs a thematic break to end the group.
func endsGroup(prev, p *text.Provision) bool {
	return prev != nil && prev.Intro != "" && p.Intro == "" &&
		(prev.Kind == text.KindPreamble || prev.Kind == text.KindOperative) &&
		p.Kind != text.KindHeading && p.Kind != text.KindArticle
}

// writeProvisionMarkdown writes one provision as a Markdown block, with
// brackets written by br.
func writeProvisionMarkdown(buf *bytes.Buffer, p *text.Provision, br func(text.Part) string) {
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
func writeLabelledMarkdown(buf *bytes.Buffer, p *text.Provision, body string) {
	body = hardBreaks(body)
	switch p.Kind {
	case text.KindHeading:
		level := p.Level
		if level < 1 || level > 6 {
			level = 2
		}
		buf.WriteString(strings.Repeat("#", level))
		buf.WriteByte(' ')
		buf.WriteString(escapeLineStart(body))
	case text.KindArticle:
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
		if p.Label == "" {
			buf.WriteString(escapeLineStart(body))
		} else {
			// "1. " for a numbered clause or paragraph, "a) " otherwise.
			buf.WriteString(p.DisplayLabel())
			buf.WriteByte(' ')
			buf.WriteString(body)
		}
	}
	buf.WriteString("\n\n")
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
func bracketMarkdown(b *text.Bracket) string {
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
		return text.NoText
	case text.NoText:
		return `\` + s
	}
	return strings.ReplaceAll(escapeMarkdown(s), "/", `\/`)
}
