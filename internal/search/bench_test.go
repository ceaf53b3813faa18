package search_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/store"
	"github.com/plenary-forum/plenary/internal/store/storetest"
)

// The benchmark corpus is the one of the FTS5 baseline probe
// (shared/baselines/ftsbench): paragraphs of about 120 words drawn from a
// Zipf-distributed vocabulary of 50,000 synthetic words, so the two can be
// read side by side. Here they are provisions of draft texts in 20
// forums, 80% public, 15% members-only and 5% for one delegation, and the
// queries go through Search with a viewer's access filter.

var benchSyl = []string{"ka", "lo", "mi", "tre", "su", "ven", "dor", "ab", "pel", "ri", "con", "ta", "ne", "gu", "sha", "ment", "ion", "ter", "bra", "qui"}

func benchWord(i int) string {
	var b strings.Builder
	i++
	for i > 0 {
		b.WriteString(benchSyl[i%len(benchSyl)])
		i /= len(benchSyl)
	}
	return b.String()
}

const benchVocab = 50000

var benchWords = func() []string {
	ws := make([]string, benchVocab)
	for i := range ws {
		ws[i] = benchWord(i)
	}
	return ws
}()

// benchCorpus indexes the corpus in a fresh store on the test engine,
// removed when b ends.
func benchCorpus(b *testing.B) *store.Store {
	n := 100000
	if s := os.Getenv("PLENARY_BENCH_ENTRIES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	st := storetest.New(b)
	r := rand.New(rand.NewSource(1))
	z := rand.NewZipf(r, 1.07, 2, benchVocab-1)
	gen := func() string {
		k := 120/3 + r.Intn(120*4/3)
		ws := make([]string, k)
		for i := range ws {
			ws[i] = benchWords[z.Uint64()]
		}
		return strings.Join(ws, " ")
	}
	t0 := time.Now()
	base := time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC)
	const batch = 5000
	for i := 0; i < n; i += batch {
		_, err := st.Write(context.Background(), func(tx *store.Tx) error {
			for j := i; j < i+batch && j < n; j++ {
				vis := "public"
				switch j % 20 {
				case 0, 7, 14:
					vis = "members"
				case 3:
					vis = "party:p" + strconv.Itoa(j%7)
				}
				e := search.Entry{Kind: search.KindProvision, RefID: fmt.Sprintf("prov%d", j), DocumentID: fmt.Sprintf("doc%d", j/40),
					ForumID: fmt.Sprintf("forum%d", j%20), Visibility: vis, Type: "draft_text",
					At: base.Add(time.Duration(j) * time.Minute), Number: fmt.Sprintf("DOC-%d/%d §%d", j%20, j/40, j%40+1),
					Title: fmt.Sprintf("Provision %d", j%40+1), Text: gen(), Parties: []string{"p" + strconv.Itoa(j%7)}}
				if err := search.Index(context.Background(), tx, e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	d := time.Since(t0)
	b.Logf("%d entries on %s indexed in %v (%.0f entries/s)", n, st.Dialect(), d.Round(time.Millisecond), float64(n)/d.Seconds())
	return st
}

// BenchmarkSearch reports p50 and p95 latency of a top-20 search with
// snippets per query class, for an anonymous viewer (public entries only)
// and for a member of one forum, on 100,000 entries
// (PLENARY_BENCH_ENTRIES to change). Run with a fixed count, e.g.
// -benchtime=200x.
func BenchmarkSearch(b *testing.B) {
	st := benchCorpus(b)
	w := func(lo, hi int) func(i int) string {
		return func(i int) string { return benchWords[lo+(i*7919)%(hi-lo)] }
	}
	classes := []struct {
		name string
		q    func(i int) string
	}{
		{"rare", w(20000, 40000)},
		{"mid", w(1000, 2000)},
		{"common", w(10, 50)},
		{"two_mid_terms", func(i int) string { return benchWords[500+(i*31)%1000] + " " + benchWords[700+(i*17)%1000] }},
		{"phrase", func(i int) string { return `"` + benchWords[100+(i*31)%400] + " " + benchWords[100+(i*17)%400] + `"` }},
		{"prefix", func(i int) string { return benchWords[3000+i*13%20000][:5] + "*" }},
	}
	viewers := []struct {
		name   string
		access search.Access
		forum  string
	}{
		{"anonymous", search.Access{}, ""},
		{"member_in_forum", search.Access{Restricted: map[string][]string{"forum3": {"members", "party:p3"}}}, "forum3"},
	}
	for _, v := range viewers {
		for _, c := range classes {
			b.Run(v.name+"/"+c.name, func(b *testing.B) {
				ds := make([]time.Duration, 0, b.N)
				hits := 0
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					t := time.Now()
					r, err := search.Search(context.Background(), st, search.Query{Text: c.q(i), Access: v.access, ForumID: v.forum})
					if err != nil {
						b.Fatal(err)
					}
					ds = append(ds, time.Since(t))
					hits += len(r.Hits)
				}
				b.StopTimer()
				sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
				b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(ds[(len(ds)*95)/100].Microseconds())/1000, "p95-ms")
				b.ReportMetric(float64(hits)/float64(b.N), "hits/op")
			})
		}
	}
}
