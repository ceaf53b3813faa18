package campaign

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// corpus is 100,000 synthetic comments of which campaigns × size are
// copies of planted letters (variant with one word changed in 30 %), the
// rest random texts, in a shuffled order; truth gives each id's planted
// campaign (-1 for a random text).
type corpus struct {
	comments []Comment
	truth    map[int64]int
}

var corpora sync.Map // "campaigns×size" → *corpus

func makeCorpus(total, campaigns, size int) *corpus {
	key := fmt.Sprint(total, campaigns, size)
	if c, ok := corpora.Load(key); ok {
		return c.(*corpus)
	}
	g := newGen(2026)
	tpls := make([][]string, campaigns)
	for i := range tpls {
		tpls[i] = g.template()
	}
	kind := make([]int, total)
	for i := range kind {
		kind[i] = -1
		if i < campaigns*size {
			kind[i] = i / size
		}
	}
	g.rng.Shuffle(len(kind), func(i, j int) { kind[i], kind[j] = kind[j], kind[i] })
	c := &corpus{comments: make([]Comment, total), truth: make(map[int64]int, total)}
	for i, k := range kind {
		id := int64(i + 1)
		text := ""
		if k >= 0 {
			text = g.variant(tpls[k], 0.3)
		} else {
			text = g.text()
		}
		c.comments[i] = Comment{id, text}
		c.truth[id] = k
	}
	corpora.Store(key, c)
	return c
}

// pairs counts the pairs of comments grouped together that the planting put
// together (precision) and the planted pairs grouped together (recall).
func pairs(got []Campaign, truth map[int64]int, campaigns, size int) (precision, recall float64) {
	var together, right float64
	for _, c := range got {
		n := float64(len(c.Members))
		together += n * (n - 1) / 2
		count := map[int]float64{}
		for _, m := range c.Members {
			if k := truth[m]; k >= 0 {
				count[k]++
			}
		}
		for _, x := range count {
			right += x * (x - 1) / 2
		}
	}
	planted := float64(campaigns) * float64(size) * float64(size-1) / 2
	precision = 1
	if together > 0 {
		precision = right / together
	}
	return precision, right / planted
}

const benchWords = 80

func benchText() string {
	g := newGen(7)
	return g.variant(g.words(benchWords-2), 0)
}

func BenchmarkFingerprint(b *testing.B) {
	text := benchText()
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		_ = Fingerprint(text)
	}
}

// BenchmarkFingerprintSHA256 is the baseline: what exact-duplicate
// detection costs per comment, a SHA-256 of the text.
func BenchmarkFingerprintSHA256(b *testing.B) {
	text := benchText()
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		_ = sha256.Sum256([]byte(text))
	}
}

// BenchmarkGroup100k groups 100,000 comments with three planted campaigns
// of 5,000 copies each (15 %), and of 10,000 each (30 %, the figure).
// Outside the timed loop it checks that each planted campaign is found
// exactly and no random text is grouped.
func BenchmarkGroup100k(b *testing.B) {
	for _, size := range []int{5000, 10000} {
		b.Run(fmt.Sprintf("campaigns=3x%d", size), func(b *testing.B) {
			c := makeCorpus(100_000, 3, size)
			got := Group(c.comments, 0)
			checkPlanted(b, got, c.truth, 3)
			p, r := pairs(got, c.truth, 3, size)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				got = Group(c.comments, 0)
			}
			b.StopTimer()
			if len(got) != 100_000-3*size+3 {
				b.Fatalf("%d campaigns", len(got))
			}
			b.ReportMetric(p, "precision")
			b.ReportMetric(r, "recall")
		})
	}
}

// BenchmarkGroup100kSHA256 is the baseline: grouping the same comments by
// the SHA-256 of their text, which finds only exact copies.
func BenchmarkGroup100kSHA256(b *testing.B) {
	c := makeCorpus(100_000, 3, 5000)
	b.ReportAllocs()
	b.ResetTimer()
	var groups map[[32]byte][]int64
	for b.Loop() {
		groups = make(map[[32]byte][]int64, len(c.comments))
		for _, x := range c.comments {
			h := sha256.Sum256([]byte(x.Text))
			groups[h] = append(groups[h], x.ID)
		}
	}
	b.StopTimer()
	if len(groups) < 100_000-3*5000 {
		b.Fatalf("%d groups", len(groups))
	}
}

// BenchmarkIndexAdd adds comments one at a time, as intake does, to an
// index that grows with b.N (the stream of the 15 % corpus, repeated with
// new ids), fingerprinting included.
func BenchmarkIndexAdd(b *testing.B) {
	c := makeCorpus(100_000, 3, 5000)
	ix := NewIndex(0)
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		x := c.comments[i%len(c.comments)]
		ix.Add(int64(i+1), x.Text)
		i++
	}
	b.StopTimer()
	if ix.Len() != i {
		b.Fatalf("index holds %d of %d", ix.Len(), i)
	}
}

func TestBenchText(t *testing.T) {
	if n := len(strings.Fields(Normalize(benchText()))); n != benchWords {
		t.Errorf("the benchmark's comment has %d words, want %d", n, benchWords)
	}
}
