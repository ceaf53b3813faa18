package text_test

import (
	"testing"

	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/render"
)

// FuzzProposeCompile: any two proposed texts for a provision either are
// refused by Propose or compile, consolidate and revise into valid drafts,
// and accepting a lone MOD gives exactly its text.
func FuzzProposeCompile(f *testing.F) {
	f.Add("Member States to take part [fully / actively] now;", "all Member States to take part [fully / actively];")
	f.Add("x", "y")
	f.Add("Member States [fully / actively]", "")
	f.Fuzz(func(t *testing.T, x, y string) {
		d := mustDraft(t, smallMD)
		var list []text.Amendment
		for i, s := range []string{x, y} {
			a, err := text.Propose(d, text.Amendment{ID: string(rune('a' + i)), Op: text.OpMOD, Provision: "p3", Proposer: "P", Text: s})
			if err != nil {
				continue
			}
			list = append(list, a)
		}
		c, err := text.Compile(d, list)
		if err != nil {
			t.Fatalf("Compile: %v", err)
		}
		cons, err := text.Consolidate(d, list)
		if err != nil {
			t.Fatalf("Consolidate: %v", err)
		}
		if err := cons.Draft.Validate(); err != nil {
			t.Fatalf("consolidated draft: %v", err)
		}
		render.CompilationMarkdown(c, text.RenderOptions{})
		for _, a := range list {
			res, err := text.Revise(d, list, []text.Decision{{Action: text.ActAccept, AmendmentID: a.ID}})
			if err != nil {
				t.Fatalf("Revise: %v", err)
			}
			p, _ := res.Draft.Provision("p3")
			if p.Text() != a.Text {
				t.Fatalf("accepted %q, provision reads %q", a.Text, p.Text())
			}
			if err := res.Draft.Validate(); err != nil {
				t.Fatalf("revision: %v", err)
			}
		}
	})
}
