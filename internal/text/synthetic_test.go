package text_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/render"
	"github.com/plenary-forum/plenary/internal/text/texttest"
)

// TestSyntheticPipeline runs generated negotiations through every step and
// checks each result is a valid draft and the redline accounts for every
// provision.
func TestSyntheticPipeline(t *testing.T) {
	for seed := range uint64(6) {
		d, amendments := texttest.Synthetic(texttest.SyntheticConfig{Provisions: 150, Amendments: 300, Seed: seed})
		if err := d.Validate(); err != nil {
			t.Fatalf("seed %d: generated draft: %v", seed, err)
		}
		c, err := text.Compile(d, amendments)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		cons, err := text.Consolidate(d, amendments)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if err := cons.Draft.Validate(); err != nil {
			t.Fatalf("seed %d: consolidated: %v", seed, err)
		}
		if len(cons.Bracketed)+len(cons.Unresolved) != len(c.Collisions) {
			t.Errorf("seed %d: %d collisions, %d bracketed, %d unresolved", seed, len(c.Collisions), len(cons.Bracketed), len(cons.Unresolved))
		}
		var ds []text.Decision
		inGroup := make(map[string]bool)
		for _, col := range c.Collisions {
			ds = append(ds, col.BracketDecision(true))
			for _, id := range col.Amendments {
				inGroup[id] = true
			}
		}
		for _, a := range amendments {
			if !inGroup[a.ID] {
				ds = append(ds, text.Decision{Action: text.ActAccept, AmendmentID: a.ID})
			}
		}
		res, err := text.Revise(d, amendments, ds)
		if err != nil {
			t.Fatalf("seed %d: revise: %v", seed, err)
		}
		nd := res.Draft
		if err := nd.Validate(); err != nil {
			t.Fatalf("seed %d: revision: %v", seed, err)
		}
		if len(res.Undecided) != 0 || len(res.Statuses) != len(amendments) {
			t.Errorf("seed %d: %d undecided, %d statuses for %d proposals", seed, len(res.Undecided), len(res.Statuses), len(amendments))
		}
		// Every accepted MOD's provision now reads as proposed, unless a
		// bracket or deletion took it.
		for _, a := range amendments {
			if a.Op != text.OpMOD || inGroup[a.ID] {
				continue
			}
			p, ok := nd.Provision(a.Provision)
			if !ok {
				continue
			}
			others := 0
			for _, b := range amendments {
				if b.Op == text.OpMOD && b.Provision == a.Provision {
					others++
				}
			}
			if others == 1 && p.Text() != a.Text {
				t.Errorf("seed %d: %s: provision reads %q, proposal %q", seed, a.ID, p.Text(), a.Text)
			}
		}
		// Brackets made here, then cleared to their first alternative,
		// leave a clean text.
		var clear []text.Decision
		for _, ref := range nd.Brackets() {
			clear = append(clear, text.Decision{Action: text.ActClear, BracketID: ref.Bracket.ID, Alternative: 1})
		}
		res2, err := text.Revise(nd, nil, clear)
		if err != nil {
			t.Fatalf("seed %d: clearing: %v", seed, err)
		}
		if n := res2.Draft.OpenBrackets(); n != 0 || strings.ContainsAny(string(render.Plain(res2.Draft)), "[]") {
			t.Errorf("seed %d: %d brackets left after clearing all", seed, n)
		}
		r := text.Compare(d, nd)
		seen := make(map[string]bool)
		for _, e := range r.Entries {
			seen[e.ID] = true
		}
		for _, p := range d.Provisions {
			if !seen[p.ID] {
				t.Errorf("seed %d: redline misses old %s", seed, p.ID)
			}
		}
		for _, p := range nd.Provisions {
			if !seen[p.ID] {
				t.Errorf("seed %d: redline misses new %s", seed, p.ID)
			}
		}
		if r.Added != len(nd.Provisions)-len(d.Provisions)+r.Deleted {
			t.Errorf("seed %d: redline counts %d added %d deleted for %d -> %d provisions", seed, r.Added, r.Deleted, len(d.Provisions), len(nd.Provisions))
		}
	}
}

// TestCompileDeterministic renders a compilation and a consolidated text,
// in HTML (package export), Markdown and JSON, twice: the bytes must not
// depend on the order the proposals are given in.
func TestCompileDeterministic(t *testing.T) {
	d, amendments := texttest.Synthetic(texttest.SyntheticConfig{Provisions: 300, Amendments: 400, Seed: 3})
	output := func() []byte {
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
		buf.Write(render.CompilationMarkdown(c, text.RenderOptions{}))
		buf.Write(export.DraftHTML(cons.Draft, text.RenderOptions{Supporters: true}))
		buf.Write(render.Markdown(cons.Draft))
		j, _ := json.Marshal(c)
		buf.Write(j)
		return buf.Bytes()
	}
	first := output()
	// Shuffled input order must not change the output.
	rev := append([]text.Amendment(nil), amendments...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	amendments = rev
	second := output()
	if !bytes.Equal(first, second) {
		t.Fatal("compilation output differs between runs")
	}
}
