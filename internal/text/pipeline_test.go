package text

import (
	"strings"
	"testing"
)

// TestSyntheticPipeline runs generated negotiations through every step and
// checks each result is a valid draft and the redline accounts for every
// provision.
func TestSyntheticPipeline(t *testing.T) {
	for seed := range uint64(6) {
		d, amendments := Synthetic(SyntheticConfig{Provisions: 150, Amendments: 300, Seed: seed})
		if err := d.Validate(); err != nil {
			t.Fatalf("seed %d: generated draft: %v", seed, err)
		}
		c, err := Compile(d, amendments)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		cons, err := Consolidate(d, amendments)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		if err := cons.Draft.Validate(); err != nil {
			t.Fatalf("seed %d: consolidated: %v", seed, err)
		}
		if len(cons.Bracketed)+len(cons.Unresolved) != len(c.Collisions) {
			t.Errorf("seed %d: %d collisions, %d bracketed, %d unresolved", seed, len(c.Collisions), len(cons.Bracketed), len(cons.Unresolved))
		}
		var ds []Decision
		inGroup := make(map[string]bool)
		for _, col := range c.Collisions {
			ds = append(ds, col.BracketDecision(true))
			for _, id := range col.Amendments {
				inGroup[id] = true
			}
		}
		for _, a := range amendments {
			if !inGroup[a.ID] {
				ds = append(ds, Decision{Action: ActAccept, AmendmentID: a.ID})
			}
		}
		res, err := Revise(d, amendments, ds)
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
			if a.Op != OpMOD || inGroup[a.ID] {
				continue
			}
			p, ok := nd.Provision(a.Provision)
			if !ok {
				continue
			}
			others := 0
			for _, b := range amendments {
				if b.Op == OpMOD && b.Provision == a.Provision {
					others++
				}
			}
			if others == 1 && p.Text() != a.Text {
				t.Errorf("seed %d: %s: provision reads %q, proposal %q", seed, a.ID, p.Text(), a.Text)
			}
		}
		// Brackets made here, then cleared to their first alternative,
		// leave a clean text.
		var clear []Decision
		for _, ref := range nd.Brackets() {
			clear = append(clear, Decision{Action: ActClear, BracketID: ref.Bracket.ID, Alternative: 1})
		}
		res2, err := Revise(nd, nil, clear)
		if err != nil {
			t.Fatalf("seed %d: clearing: %v", seed, err)
		}
		if n := res2.Draft.OpenBrackets(); n != 0 || strings.ContainsAny(string(res2.Draft.Plain()), "[]") {
			t.Errorf("seed %d: %d brackets left after clearing all", seed, n)
		}
		r := Compare(d, nd)
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

// FuzzProposeCompile: any two proposed texts for a provision either are
// refused by Propose or compile, consolidate and revise into valid drafts,
// and accepting a lone MOD gives exactly its text.
func FuzzProposeCompile(f *testing.F) {
	f.Add("Member States to take part [fully / actively] now;", "all Member States to take part [fully / actively];")
	f.Add("x", "y")
	f.Add("Member States [fully / actively]", "")
	f.Fuzz(func(t *testing.T, x, y string) {
		d := mustDraft(t, smallMD)
		var list []Amendment
		for i, s := range []string{x, y} {
			a, err := Propose(d, Amendment{ID: string(rune('a' + i)), Op: OpMOD, Provision: "p3", Proposer: "P", Text: s})
			if err != nil {
				continue
			}
			list = append(list, a)
		}
		c, err := Compile(d, list)
		if err != nil {
			t.Fatalf("Compile: %v", err)
		}
		cons, err := Consolidate(d, list)
		if err != nil {
			t.Fatalf("Consolidate: %v", err)
		}
		if err := cons.Draft.Validate(); err != nil {
			t.Fatalf("consolidated draft: %v", err)
		}
		c.Markdown(RenderOptions{})
		for _, a := range list {
			res, err := Revise(d, list, []Decision{{Action: ActAccept, AmendmentID: a.ID}})
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
