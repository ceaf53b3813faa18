// Package texttest makes test and benchmark data for package text: long
// synthetic drafts with many pending proposals. It is imported only by
// tests and benchmarks.
package texttest

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary/internal/text"
	"github.com/plenary-forum/plenary/internal/text/worddiff"
)

// SyntheticConfig sizes a synthetic negotiation made by Synthetic.
type SyntheticConfig struct {
	Provisions int    // provisions in the draft; 3,000 when zero
	Amendments int    // pending proposals; 4,000 when zero
	Words      int    // average words per provision; 17 when zero (about 50,000 words for 3,000)
	Seed       uint64 // the same seed gives the same draft and proposals
}

var syntheticWords = strings.Fields(`the Member States shall take all appropriate measures to ensure
that international telecommunication services are provided in an efficient manner and
with due regard to the development of networks access affordability security privacy
stakeholders governments private sector civil society technical academic community
Internet governance multistakeholder cooperation capacity building infrastructure
exchange points broadband connectivity developing countries least developed small island
administrations operating agencies authorized Union Secretary-General Bureau Council
resolution opinion report contribution public policy issues relating to critical resources
names numbers addresses transition deployment adoption promote foster encourage support
invite recognize consider note recall affirm emphasize principles human rights freedom
expression information knowledge society sustainable innovation investment competition`)

var syntheticParties = []string{"USA", "BRA", "RUS", "CHN", "IND", "JPN", "GBR", "FRA", "DEU", "EGY",
	"ZAF", "KEN", "NGA", "ARG", "MEX", "CAN", "AUS", "KOR", "SAU", "ARE", "IRN", "TUR", "SWE", "CHE", "ISOC", "RIPE"}

// Synthetic makes a draft text in the shape of a long treaty or opinion —
// preamble clauses, then articles with numbered paragraphs — and pending
// proposals against it: about 70% MOD (a few words replaced, inserted or
// deleted; given as text only, so their edits are computed), 10% SUP, 8%
// NOC and 12% ADD, spread over the text with some provisions much more
// contested than others, from a few dozen parties with co-sponsors. It is
// deterministic for a given configuration.
func Synthetic(cfg SyntheticConfig) (*text.Draft, []text.Amendment) {
	if cfg.Provisions <= 0 {
		cfg.Provisions = 3000
	}
	if cfg.Amendments <= 0 {
		cfg.Amendments = 4000
	}
	if cfg.Words <= 0 {
		cfg.Words = 17
	}
	r := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	sentence := func(n int) string {
		var sb strings.Builder
		for i := range n {
			if i > 0 {
				if r.IntN(12) == 0 {
					sb.WriteString(", ")
				} else {
					sb.WriteByte(' ')
				}
			}
			sb.WriteString(syntheticWords[r.IntN(len(syntheticWords))])
		}
		sb.WriteByte(';')
		return sb.String()
	}
	words := func() int { return max(3, cfg.Words/2+r.IntN(cfg.Words+1)) }
	d := text.NewDraft("Synthetic draft of " + strconv.Itoa(cfg.Provisions) + " provisions")
	preamble := min(cfg.Provisions/10, 60)
	intros := []string{"considering", "recognizing", "noting", "bearing in mind"}
	// Provisions are appended directly, with ids from the draft's counter,
	// and numbered once at the end: Draft.Append would renumber the whole
	// draft at every provision.
	add := func(p text.Provision) {
		p.ID = "p" + strconv.Itoa(d.NextProvision)
		d.NextProvision++
		d.Provisions = append(d.Provisions, p)
	}
	for i := range preamble {
		add(text.Provision{Kind: text.KindPreamble, Intro: intros[i*len(intros)/max(preamble, 1)], Body: text.TextPart("that " + sentence(words()))})
	}
	for len(d.Provisions) < cfg.Provisions {
		if (len(d.Provisions)-preamble)%20 == 0 {
			add(text.Provision{Kind: text.KindArticle, Level: 2, Body: text.TextPart(strings.TrimSuffix(sentence(3), ";"))})
			continue
		}
		add(text.Provision{Kind: text.KindParagraph, Body: text.TextPart(sentence(words()))})
	}
	d.Renumber()
	// Proposals: a quarter of them on a few hot provisions.
	hot := make([]int, max(cfg.Provisions/50, 1))
	for i := range hot {
		hot[i] = r.IntN(cfg.Provisions)
	}
	seq := make(map[string]int)
	amendments := make([]text.Amendment, 0, cfg.Amendments)
	for n := range cfg.Amendments {
		party := syntheticParties[r.IntN(len(syntheticParties))]
		doc := strconv.Itoa(1 + (n*7+len(party))%60)
		seq[party+doc]++
		a := text.Amendment{
			ID: "s" + strconv.Itoa(n+1), Label: text.FormatLabel(party, doc, seq[party+doc]), Proposer: party,
			Contribution: "contribution-" + doc, Revision: d.Revision, Status: text.StatusSubmitted,
		}
		if r.IntN(3) == 0 {
			a.CoSponsors = []string{syntheticParties[r.IntN(len(syntheticParties))]}
			if a.CoSponsors[0] == party {
				a.CoSponsors = nil
			}
		}
		i := r.IntN(cfg.Provisions)
		if r.IntN(4) == 0 {
			i = hot[r.IntN(len(hot))]
		}
		p := &d.Provisions[i]
		switch x := r.IntN(100); {
		case x < 12:
			a.Op, a.After, a.Text = text.OpADD, p.ID, sentence(words())
			// Propose gives it the kind and intro of its neighbour.
			var err error
			if a, err = text.Propose(d, a); err != nil {
				panic("texttest: synthetic ADD: " + err.Error())
			}
		case x < 22:
			a.Op, a.Provision = text.OpSUP, p.ID
		case x < 30:
			a.Op, a.Provision = text.OpNOC, p.ID
		default:
			a.Op, a.Provision = text.OpMOD, p.ID
			toks := worddiff.Tokenize(p.Text())
			for range 1 + r.IntN(3) {
				k := r.IntN(len(toks))
				if !worddiff.IsWord(toks[k]) {
					continue
				}
				switch r.IntN(3) {
				case 0:
					toks[k] = syntheticWords[r.IntN(len(syntheticWords))]
				case 1:
					toks[k] = syntheticWords[r.IntN(len(syntheticWords))] + " " + toks[k]
				default:
					toks[k] = ""
				}
			}
			a.Text = strings.Join(strings.Fields(strings.Join(toks, "")), " ")
			if a.Text == p.Text() || a.Text == "" {
				a.Op, a.Provision, a.Text = text.OpNOC, p.ID, ""
			}
		}
		amendments = append(amendments, a)
	}
	return d, amendments
}
