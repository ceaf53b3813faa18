package text_test

import (
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/render"
	"github.com/plenary-forum/plenary/internal/text/texttest"
	"github.com/plenary-forum/plenary/internal/text/worddiff"
)

// BenchmarkCompile measures goal G6: a 100-page text (3,000 provisions,
// about 50,000 words) with 4,000 pending proposals given as text, compiled
// into the synoptic view and the consolidated text, both rendered to HTML
// and Markdown. Run with GOMAXPROCS=1 for the one-core figure. The metric
// worst-diff-ns is the slowest single word diff among the proposals.
func BenchmarkCompile(b *testing.B) {
	d, amendments := texttest.Synthetic(texttest.SyntheticConfig{Seed: 1})
	worst := time.Duration(0)
	for _, a := range amendments {
		if a.Op != text.OpMOD {
			continue
		}
		p, _ := d.Provision(a.Provision)
		start := time.Now()
		text.DiffBody(p.Body, a.Text, "text")
		worst = max(worst, time.Since(start))
	}
	words := 0
	for i := range d.Provisions {
		words += worddiff.CountWords(d.Provisions[i].Text())
	}
	for b.Loop() {
		c, err := text.Compile(d, amendments)
		if err != nil {
			b.Fatal(err)
		}
		cons, err := text.Consolidate(d, amendments)
		if err != nil {
			b.Fatal(err)
		}
		export.CompilationHTML(c, text.RenderOptions{Supporters: true})
		render.CompilationMarkdown(c, text.RenderOptions{})
		export.DraftHTML(cons.Draft, text.RenderOptions{Supporters: true})
		render.Markdown(cons.Draft)
	}
	b.ReportMetric(float64(words), "words")
	b.ReportMetric(float64(worst.Nanoseconds()), "worst-diff-ns")
}

// BenchmarkCompileParts splits the G6 pipeline into its steps.
func BenchmarkCompileParts(b *testing.B) {
	d, amendments := texttest.Synthetic(texttest.SyntheticConfig{Seed: 1})
	prepared := make([]text.Amendment, len(amendments))
	for i, a := range amendments {
		p, err := text.Propose(d, a)
		if err != nil {
			b.Fatal(err)
		}
		prepared[i] = p
	}
	c, _ := text.Compile(d, prepared)
	cons, _ := text.Consolidate(d, prepared)
	b.Run("propose-4000", func(b *testing.B) {
		for b.Loop() {
			for _, a := range amendments {
				text.Propose(d, a)
			}
		}
	})
	b.Run("compile-prepared", func(b *testing.B) {
		for b.Loop() {
			text.Compile(d, prepared)
		}
	})
	b.Run("consolidate-prepared", func(b *testing.B) {
		for b.Loop() {
			text.Consolidate(d, prepared)
		}
	})
	b.Run("render-compilation-html", func(b *testing.B) {
		for b.Loop() {
			export.CompilationHTML(c, text.RenderOptions{Supporters: true})
		}
	})
	b.Run("render-consolidated-html", func(b *testing.B) {
		for b.Loop() {
			export.DraftHTML(cons.Draft, text.RenderOptions{Supporters: true})
		}
	})
}

// BenchmarkRevise makes the next revision of the G6 text, accepting every
// proposal that does not collide and bracketing the collisions.
func BenchmarkRevise(b *testing.B) {
	d, amendments := texttest.Synthetic(texttest.SyntheticConfig{Seed: 1})
	c, err := text.Compile(d, amendments)
	if err != nil {
		b.Fatal(err)
	}
	decisions := reviseAll(c)
	if _, err := text.Revise(d, amendments, decisions); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		text.Revise(d, amendments, decisions)
	}
}

// reviseAll decides every proposal of a compilation: colliding groups are
// bracketed, the others accepted.
func reviseAll(c *text.Compilation) []text.Decision {
	var ds []text.Decision
	groups := make(map[string][]string)
	var order []string
	visit := func(list []text.CompiledProposal) {
		for _, p := range list {
			if p.Collision == "" {
				ds = append(ds, text.Decision{Action: text.ActAccept, AmendmentID: p.AmendmentID})
				continue
			}
			if groups[p.Collision] == nil {
				order = append(order, p.Collision)
			}
			groups[p.Collision] = append(groups[p.Collision], p.AmendmentID)
		}
	}
	visit(c.AtStart)
	for _, e := range c.Entries {
		visit(e.Proposals)
		visit(e.Added)
	}
	for _, id := range order {
		ds = append(ds, text.Decision{Action: text.ActBracket, AmendmentIDs: groups[id], IncludeCurrent: true})
	}
	return ds
}

func BenchmarkRedline(b *testing.B) {
	d, amendments := texttest.Synthetic(texttest.SyntheticConfig{Seed: 1})
	c, _ := text.Compile(d, amendments)
	res, err := text.Revise(d, amendments, reviseAll(c))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		export.RedlineHTML(text.Compare(d, res.Draft))
	}
}
