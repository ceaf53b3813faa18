package render

import (
	"bytes"
	"strings"

	"github.com/plenary-forum/plenary/internal/text"
)

// Plain renders the draft as plain text, as package parse reads it back
// (parse.Plain): the title, each clause group's intro on its own line, and
// each provision as its display label and text, brackets written
// "[a / b]", paragraphs separated by blank lines.
func Plain(d *text.Draft) []byte {
	var buf bytes.Buffer
	if d.Title != "" {
		buf.WriteString(d.Title + "\n\n")
	}
	var prev *text.Provision
	for i := range d.Provisions {
		p := &d.Provisions[i]
		if text.StartsGroup(prev, p) {
			buf.WriteString(p.Intro + "\n\n")
		}
		line := p.Text()
		if p.Label != "" {
			sep := " "
			if p.Kind == text.KindArticle && line != "" {
				sep = " – "
			}
			line = strings.TrimRight(p.DisplayLabel()+sep+line, " ")
		}
		buf.WriteString(line + "\n\n")
		prev = p
	}
	return buf.Bytes()
}
