package parse

import (
	"testing"

	"github.com/plenary-forum/plenary/internal/text/render"
	"github.com/plenary-forum/plenary/internal/text/texttest"
)

func BenchmarkParseMarkdown(b *testing.B) {
	d, _ := texttest.Synthetic(texttest.SyntheticConfig{Seed: 1})
	md := string(render.Markdown(d))
	b.SetBytes(int64(len(md)))
	for b.Loop() {
		if _, err := Markdown(md, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
