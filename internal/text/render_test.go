package text_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/text"
)

// TestCompileDeterministic renders a compilation and a consolidated text,
// in HTML (package export), Markdown and JSON, twice: the bytes must not
// depend on the order the proposals are given in.
func TestCompileDeterministic(t *testing.T) {
	d, amendments := text.Synthetic(text.SyntheticConfig{Provisions: 300, Amendments: 400, Seed: 3})
	render := func() []byte {
		c, err := text.Compile(d, amendments)
		if err != nil {
			t.Fatal(err)
		}
		cons, err := text.Consolidate(d, amendments)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		buf.Write(export.CompilationHTML(c, text.RenderOptions{Supporters: true}))
		buf.Write(c.Markdown(text.RenderOptions{}))
		buf.Write(export.DraftHTML(cons.Draft, text.RenderOptions{Supporters: true}))
		buf.Write(cons.Draft.Markdown())
		j, _ := json.Marshal(c)
		buf.Write(j)
		return buf.Bytes()
	}
	first := render()
	// Shuffled input order must not change the output.
	rev := append([]text.Amendment(nil), amendments...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	amendments = rev
	second := render()
	if !bytes.Equal(first, second) {
		t.Fatal("compilation output differs between runs")
	}
}
