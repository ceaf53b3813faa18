package campaign

import (
	"math/rand/v2"
	"strings"
)

// gen makes synthetic comments, deterministic for a seed: random texts over
// a vocabulary of pseudo-words, and planted campaigns whose variants are a
// template with a signer's name added at the end, cosmetic changes (case,
// punctuation, accents, spacing) and, for some, one word changed.
type gen struct {
	rng   *rand.Rand
	vocab []string
}

func newGen(seed uint64) *gen {
	g := &gen{rng: rand.New(rand.NewPCG(seed, 0x636f6d6d656e74))}
	syl := []string{"ka", "lo", "mi", "ne", "ra", "to", "su", "vi", "de", "po", "li", "an", "er", "ol", "un", "ta", "be", "gu", "fo", "ze"}
	seen := map[string]bool{}
	for len(g.vocab) < 4000 {
		var b strings.Builder
		for range 1 + g.rng.IntN(3) {
			b.WriteString(syl[g.rng.IntN(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			g.vocab = append(g.vocab, w)
		}
	}
	return g
}

func (g *gen) words(n int) []string {
	w := make([]string, n)
	for i := range w {
		w[i] = g.vocab[g.rng.IntN(len(g.vocab))]
	}
	return w
}

// text is a random comment of 60 to 100 words.
func (g *gen) text() string { return strings.Join(g.words(60+g.rng.IntN(41)), " ") }

// template is a campaign's letter, 70 to 120 words.
func (g *gen) template() []string { return g.words(70 + g.rng.IntN(51)) }

var firstNames = []string{"Maria", "John", "Aïcha", "Wei", "Olusegun", "Ana", "Pedro", "Fatima", "Lars", "Priya"}
var lastNames = []string{"López", "Smith", "Diallo", "Chen", "Adeyemi", "Kowalska", "Silva", "Haddad", "Berg", "Nair"}

// variant is one copy of a template: a signer's name added at the end,
// cosmetic changes, and with probability edit one word in the middle
// replaced.
func (g *gen) variant(tpl []string, edit float64) string {
	w := append([]string(nil), tpl...)
	if g.rng.Float64() < edit {
		i := len(w)/4 + g.rng.IntN(len(w)/2)
		w[i] = g.vocab[g.rng.IntN(len(g.vocab))]
	}
	for i := range w {
		switch g.rng.IntN(12) {
		case 0:
			w[i] = strings.ToUpper(w[i])
		case 1:
			w[i] += ","
		case 2:
			w[i] = strings.Replace(w[i], "e", "é", 1)
		case 3:
			w[i] += " "
		}
	}
	w = append(w, "—", firstNames[g.rng.IntN(len(firstNames))], lastNames[g.rng.IntN(len(lastNames))]+".")
	return strings.Join(w, " ")
}
