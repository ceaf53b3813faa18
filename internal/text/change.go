package text

import (
	"strings"

	"github.com/plenary-forum/plenary/internal/text/worddiff"
)

// Op is the kind of one piece of an inline change.
type Op string

// The pieces of an inline change.
const (
	OpEqual  Op = "equal"
	OpInsert Op = "insert"
	OpDelete Op = "delete"
)

// Change is one piece of an inline word-level change: text kept, inserted or
// deleted. When the piece is an open bracket of the provision, Bracket holds
// its id and Text its plain rendering.
type Change struct {
	Op      Op     `json:"op"`
	Text    string `json:"text"`
	Bracket string `json:"bracket_id,omitempty"`
}

// EditChanges turns edits on a token list into inline changes: the kept text,
// and for each edit the deleted old text and the inserted new text.
func EditChanges(tokens []string, edits []worddiff.Edit) []Change {
	var out []Change
	add := func(op Op, s string) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += s
			return
		}
		out = append(out, Change{Op: op, Text: s})
	}
	pos := 0
	for _, e := range edits {
		add(OpEqual, strings.Join(tokens[pos:e.Start], ""))
		add(OpDelete, strings.Join(tokens[e.Start:e.End], ""))
		add(OpInsert, e.New)
		pos = e.End
	}
	add(OpEqual, strings.Join(tokens[pos:], ""))
	return out
}
