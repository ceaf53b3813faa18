package text

import (
	"strconv"
	"strings"
)

// Renumber recomputes the display labels of the provisions whose LabelFixed
// is false. The automatic scheme:
//
//   - preamble clauses are lettered a), b), c)... and operative clauses
//     numbered 1, 2, 3..., starting again in each group (a run of clauses of
//     the same kind and intro word, unbroken by a heading or article);
//   - articles are "Article 1", "Article 2"...;
//   - paragraphs are numbered "3.1", "3.2"... inside Article 3, or 1, 2, 3...
//     through the text when there is no article before them;
//   - headings have no label.
//
// A fixed label that reads as a number sets the count for those after it
// (after "Article 5", the next automatic article is "Article 6"; after
// "(c)", the next clause is "(d)", in the same style).
func (d *Draft) Renumber() {
	var n numberer
	for i := range d.Provisions {
		p := &d.Provisions[i]
		auto := n.next(p)
		if !p.LabelFixed {
			p.Label = auto
		}
		n.commit(p)
	}
}

// numberer carries the counters of the automatic numbering scheme.
type numberer struct {
	prevKind  Kind
	prevIntro string
	started   bool
	group     int    // position in the current clause group
	pre, suf  string // decoration of the group's labels, e.g. "(" and ")"
	article   int    // number of the current article, 0 before the first
	para      int    // paragraph count inside the article or the text
}

// sameGroup reports whether p continues the clause group of the provision
// before it.
func (n *numberer) sameGroup(p *Provision) bool {
	return n.started && p.Kind == n.prevKind && p.Intro == n.prevIntro &&
		(p.Kind == KindPreamble || p.Kind == KindOperative)
}

// next returns the automatic label of p.
func (n *numberer) next(p *Provision) string {
	switch p.Kind {
	case KindPreamble, KindOperative:
		g, pre, suf := 0, "", ")"
		if p.Kind == KindOperative {
			suf = ""
		}
		if n.sameGroup(p) {
			g, pre, suf = n.group, n.pre, n.suf
		}
		if p.Kind == KindPreamble {
			return pre + letters(g+1) + suf
		}
		return pre + strconv.Itoa(g+1) + suf
	case KindArticle:
		return "Article " + strconv.Itoa(n.article+1)
	case KindParagraph:
		if n.article > 0 {
			return strconv.Itoa(n.article) + "." + strconv.Itoa(n.para+1)
		}
		return strconv.Itoa(n.para + 1)
	}
	return ""
}

// commit updates the counters with p's final label.
func (n *numberer) commit(p *Provision) {
	switch p.Kind {
	case KindPreamble, KindOperative:
		if !n.sameGroup(p) {
			n.group, n.pre, n.suf = 0, "", ")"
			if p.Kind == KindOperative {
				n.suf = ""
			}
		}
		if v, pre, suf, ok := parseOrdinal(p.Label, p.Kind == KindPreamble); ok {
			n.group, n.pre, n.suf = v, pre, suf
		}
	case KindArticle:
		if v, ok := leadingNumber(strings.TrimSpace(strings.TrimPrefix(p.Label, "Article"))); ok {
			n.article, n.para = v, 0
		}
	case KindParagraph:
		lab := strings.TrimSuffix(p.Label, ".")
		if n.article > 0 {
			if a, b, ok := strings.Cut(lab, "."); ok && a == strconv.Itoa(n.article) {
				if v, ok := leadingNumber(b); ok {
					n.para = v
				}
			}
		} else if v, err := strconv.Atoi(lab); err == nil && v > 0 {
			n.para = v
		}
	}
	n.started = true
	n.prevKind, n.prevIntro = p.Kind, p.Intro
	if p.Kind == KindHeading || p.Kind == KindArticle {
		n.started = false
	}
}

// letters writes n in the a, b, ... z, aa, ab ... sequence.
func letters(n int) string {
	var b []byte
	for n > 0 {
		n--
		b = append([]byte{byte('a' + n%26)}, b...)
		n /= 26
	}
	return string(b)
}

// parseOrdinal reads a clause label such as "a)", "(b)", "3" or "3." and
// returns its value and decoration. Letters are read when letter is true,
// digits otherwise.
func parseOrdinal(label string, letter bool) (v int, pre, suf string, ok bool) {
	i := 0
	for i < len(label) && (label[i] == '(' || label[i] == '[') {
		i++
	}
	j := i
	for j < len(label) && (letter && label[j] >= 'a' && label[j] <= 'z' || !letter && label[j] >= '0' && label[j] <= '9') {
		j++
	}
	if j == i || j-i > 6 {
		return 0, "", "", false
	}
	rest := label[j:]
	if rest != "" && rest != ")" && rest != "." && rest != "]" {
		return 0, "", "", false
	}
	core := label[i:j]
	if letter {
		for k := 0; k < len(core); k++ {
			v = v*26 + int(core[k]-'a') + 1
		}
	} else {
		v, _ = strconv.Atoi(core)
	}
	return v, label[:i], rest, v > 0
}

func leadingNumber(s string) (int, bool) {
	j := 0
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == 0 || j > 9 {
		return 0, false
	}
	v, _ := strconv.Atoi(s[:j])
	return v, true
}
