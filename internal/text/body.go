package text

import (
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/text/worddiff"
)

// bodyTokens is a provision body as tokens, each bracket one atomic token.
// Edits of a MOD refer to these token positions.
type bodyTokens struct {
	text []string   // the text of each token; a bracket's is its plain rendering
	key  []string   // what the diff compares: the text, or "\x00"+id for a bracket
	br   []*Bracket // the bracket at each position, or nil
}

func tokenizeBody(body []Part) bodyTokens {
	var t bodyTokens
	for _, pt := range body {
		if pt.Bracket != nil {
			t.text = append(t.text, pt.Bracket.Plain())
			t.key = append(t.key, "\x00"+pt.Bracket.ID)
			t.br = append(t.br, pt.Bracket)
			continue
		}
		for _, tok := range worddiff.Tokenize(pt.Text) {
			t.text = append(t.text, tok)
			t.key = append(t.key, tok)
			t.br = append(t.br, nil)
		}
	}
	return t
}

// tokenizeAgainst tokenizes a proposed text of a provision, reading each
// plain rendering of one of the body's brackets as that bracket's token.
func tokenizeAgainst(body []Part, s string) bodyTokens {
	var brs []*Bracket
	var plains []string
	for _, pt := range body {
		if pt.Bracket != nil {
			brs = append(brs, pt.Bracket)
			plains = append(plains, pt.Bracket.Plain())
		}
	}
	var t bodyTokens
	addText := func(s string) {
		for _, tok := range worddiff.Tokenize(s) {
			t.text = append(t.text, tok)
			t.key = append(t.key, tok)
			t.br = append(t.br, nil)
		}
	}
	used := make([]bool, len(brs))
	pos := 0
	for {
		best, at := -1, len(s)
		for i, p := range plains {
			if used[i] {
				continue
			}
			if j := strings.Index(s[pos:], p); j >= 0 && pos+j < at {
				best, at = i, pos+j
			}
		}
		if best < 0 {
			break
		}
		used[best] = true
		addText(s[pos:at])
		t.text = append(t.text, plains[best])
		t.key = append(t.key, "\x00"+brs[best].ID)
		t.br = append(t.br, brs[best])
		pos = at + len(plains[best])
	}
	addText(s[pos:])
	return t
}

// diffBody computes the edits that turn a provision body into newText.
// Edits never touch a bracket: the result is an error if they would, or if
// the inserted text holds a square bracket (brackets are made by the
// editor's decisions, not by proposals).
func diffBody(body []Part, newText, field string) ([]worddiff.Edit, bodyTokens, error) {
	old := tokenizeBody(body)
	nw := tokenizeAgainst(body, newText)
	hs := worddiff.MergeHunks(worddiff.Hunks(old.key, nw.key), func(i int) bool {
		return old.br[i] == nil && !worddiff.IsWord(old.text[i])
	})
	edits := make([]worddiff.Edit, len(hs))
	for i, h := range hs {
		for k := h.A0; k < h.A1; k++ {
			if old.br[k] != nil {
				return nil, old, plenary.Invalid(field, "the change touches bracket %s %s; brackets are settled by the editor's decisions", old.br[k].ID, old.text[k])
			}
		}
		for k := h.B0; k < h.B1; k++ {
			if nw.br[k] != nil {
				return nil, old, plenary.Invalid(field, "the change moves or repeats bracket %s; brackets are settled by the editor's decisions", nw.br[k].ID)
			}
		}
		ins := strings.Join(nw.text[h.B0:h.B1], "")
		if strings.ContainsAny(ins, "[]") {
			return nil, old, plenary.Invalid(field, "square brackets mark unagreed text and are made by the editor; propose the words without them")
		}
		edits[i] = worddiff.Edit{Start: h.A0, End: h.A1, New: ins}
	}
	return edits, old, nil
}

// bodyChanges renders edits on a body's tokens as inline changes, each
// bracket as its own change carrying its id.
func bodyChanges(t bodyTokens, edits []worddiff.Edit) []Change {
	var out []Change
	add := func(op Op, i, j int) {
		for k := i; k < j; k++ {
			if b := t.br[k]; b != nil {
				out = append(out, Change{Op: op, Text: t.text[k], Bracket: b.ID})
				continue
			}
			if n := len(out); n > 0 && out[n-1].Op == op && out[n-1].Bracket == "" {
				out[n-1].Text += t.text[k]
				continue
			}
			out = append(out, Change{Op: op, Text: t.text[k]})
		}
	}
	pos := 0
	for _, e := range edits {
		add(OpEqual, pos, e.Start)
		add(OpDelete, e.Start, e.End)
		if e.New != "" {
			if n := len(out); n > 0 && out[n-1].Op == OpInsert && out[n-1].Bracket == "" {
				out[n-1].Text += e.New
			} else {
				out = append(out, Change{Op: OpInsert, Text: e.New})
			}
		}
		pos = e.End
	}
	add(OpEqual, pos, len(t.text))
	return out
}

// bodyEdit replaces tokens start..end-1 of a body by parts. tidy removes a
// doubled space left where a bracket is cleared to no text.
type bodyEdit struct {
	start, end int
	parts      []Part
	tidy       bool
	origin     string // what asked for it, for error messages
	proposal   bool   // it comes from a proposal accepted as submitted
}

// applyBody applies sorted, non-overlapping edits to a body's tokens and
// returns the new body. Brackets kept are copies.
func applyBody(t bodyTokens, edits []bodyEdit) []Part {
	var out []Part
	addText := func(s string) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Bracket == nil {
			out[n-1].Text += s
			return
		}
		out = append(out, Part{Text: s})
	}
	keep := func(i, j int) {
		for k := i; k < j; k++ {
			if t.br[k] != nil {
				out = append(out, Part{Bracket: t.br[k].Clone()})
			} else {
				addText(t.text[k])
			}
		}
	}
	pos := 0
	for _, e := range edits {
		keep(pos, e.start)
		for _, pt := range e.parts {
			if pt.Bracket != nil {
				out = append(out, pt)
			} else {
				addText(pt.Text)
			}
		}
		pos = e.end
		if e.tidy && len(e.parts) == 0 && pos < len(t.text) && t.br[pos] == nil && isSpaceToken(t.text[pos]) {
			if n := len(out); n == 0 || out[n-1].Bracket == nil && (out[n-1].Text == "" || endsWithSpace(out[n-1].Text)) {
				pos++ // drop the second space
			}
		}
	}
	keep(pos, len(t.text))
	out = normalizeBody(out)
	if len(out) > 0 && out[0].Bracket == nil {
		out[0].Text = strings.TrimLeft(out[0].Text, " ")
	}
	if n := len(out); n > 0 && out[n-1].Bracket == nil {
		out[n-1].Text = strings.TrimRight(out[n-1].Text, " ")
	}
	return normalizeBody(out)
}

func isSpaceToken(s string) bool { return s != "" && strings.TrimSpace(s) == "" }

func endsWithSpace(s string) bool { return s != "" && (s[len(s)-1] == ' ' || s[len(s)-1] == '\n') }
