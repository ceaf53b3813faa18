package worddiff

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestTokenizeTable(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"a", []string{"a"}},
		{"the Member States,  noting", []string{"the", " ", "Member", " ", "States", ",", "  ", "noting"}},
		{"multi-stakeholder", []string{"multi-stakeholder"}},
		{"Member's rights", []string{"Member's", " ", "rights"}},
		{"end-", []string{"end", "-"}},
		{"3.1 and 1,000.5.", []string{"3.1", " ", "and", " ", "1,000.5", "."}},
		{"a.b", []string{"a", ".", "b"}},
		{"[x / y]", []string{"[", "x", " ", "/", " ", "y", "]"}},
		{"café\u0301 été", []string{"café\u0301", " ", "été"}},
		{"\xff\xfeab", []string{"\xff", "\xfe", "ab"}},
		{"a\n\nb", []string{"a", "\n\n", "b"}},
	}
	for _, tt := range tests {
		got := Tokenize(tt.in)
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"", "a b", "multi-stakeholder's 3.1,", "\xff\u2019x", "  \t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks := Tokenize(s)
		if got := strings.Join(toks, ""); got != s {
			t.Fatalf("join(Tokenize(%q)) = %q", s, got)
		}
		for _, tok := range toks {
			if tok == "" {
				t.Fatalf("empty token in %q", toks)
			}
		}
		if got := strings.Join(SplitLines(s), ""); got != s {
			t.Fatalf("join(SplitLines(%q)) = %q", s, got)
		}
	})
}

// checkDiff applies edits to a and checks the result is b, and that the
// edits are minimal enough to keep every common prefix and suffix.
func checkDiff(t *testing.T, a, b []string, edits []Edit) {
	t.Helper()
	got, err := ApplyEdits(a, edits)
	if err != nil {
		t.Fatalf("ApplyEdits: %v", err)
	}
	if want := strings.Join(b, ""); got != want {
		t.Fatalf("applying %v to %q gives %q, want %q", edits, a, got, want)
	}
}

func TestDiffWordsTable(t *testing.T) {
	tests := []struct {
		old, new string
		want     []Edit
	}{
		{"same text", "same text", nil},
		{"", "new", []Edit{{0, 0, "new"}}},
		{"old", "", []Edit{{0, 1, ""}}},
		{"the quick brown fox", "a slow brown fox", []Edit{{0, 3, "a slow"}}},
		{"the quick brown fox", "the quick red fox", []Edit{{4, 5, "red"}}},
		{"invites Member States", "invites all Member States", []Edit{{2, 2, "all "}}},
		{"a b c d e", "a c d e b", []Edit{{2, 4, ""}, {9, 9, " b"}}},
		{"to promote, to foster", "to promote and to foster", []Edit{{3, 4, " and"}}},
	}
	for _, tt := range tests {
		got := DiffWords(tt.old, tt.new)
		checkDiff(t, Tokenize(tt.old), Tokenize(tt.new), got)
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("DiffWords(%q, %q) = %v, want %v", tt.old, tt.new, got, tt.want)
		}
	}
}

func TestApplyEditsRejects(t *testing.T) {
	toks := Tokenize("a b c")
	for _, edits := range [][]Edit{
		{{Start: 3, End: 2}},
		{{Start: 0, End: 9}},
		{{Start: 2, End: 3}, {Start: 0, End: 1}},
		{{Start: 0, End: 2}, {Start: 1, End: 3}},
		{{Start: 1, End: 1, New: "x"}, {Start: 1, End: 1, New: "y"}},
		{{Start: -1, End: 0}},
	} {
		if _, err := ApplyEdits(toks, edits); err == nil {
			t.Errorf("ApplyEdits(%v) accepted bad edits", edits)
		}
	}
}

func TestDiffLinesKeepsCommonLines(t *testing.T) {
	oldText := "a\nb\nc\nd\ne\n"
	newText := "a\nB\nc\nd\ne\nf\n"
	edits := DiffLines(oldText, newText)
	want := []Edit{{1, 2, "B\n"}, {5, 5, "f\n"}}
	if fmt.Sprint(edits) != fmt.Sprint(want) {
		t.Errorf("DiffLines = %v, want %v", edits, want)
	}
}

// TestMyersBudget forces the Myers fallback over its budget and checks the
// result is still exact.
func TestMyersBudget(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	a := make([]string, 5000)
	b := make([]string, 5000)
	for i := range a {
		a[i] = string(rune('a' + r.IntN(3)))
		b[i] = string(rune('a' + r.IntN(3)))
	}
	edits := DiffTokens(a, b)
	checkDiff(t, a, b, edits)
}

func TestMyersFindsSmallEdits(t *testing.T) {
	// No unique tokens: the patience step finds nothing and Myers does it all.
	a := strings.Split("x y x y x y x y", " ")
	b := strings.Split("x y x x y x y x y", " ")
	edits := DiffTokens(a, b)
	checkDiff(t, a, b, edits)
	if len(edits) != 1 || edits[0].End != edits[0].Start {
		t.Errorf("want one insertion, got %v", edits)
	}
}

func FuzzDiff(f *testing.F) {
	f.Add("the quick brown fox", "the slow brown dog")
	f.Add("a b a b a b", "b a b a b a")
	f.Add("", "x")
	f.Add("considering a) that", "considering [a / b]")
	f.Fuzz(func(t *testing.T, x, y string) {
		a, b := Tokenize(x), Tokenize(y)
		checkDiff(t, a, b, DiffTokens(a, b))
		checkDiff(t, a, b, DiffWords(x, y))
		got, err := ApplyEdits(SplitLines(x), DiffLines(x, y))
		if err != nil || got != y {
			t.Fatalf("line diff of %q -> %q gives %q, %v", x, y, got, err)
		}
		// Shorter symbol alphabets reach the Myers path more often.
		sa, sb := strings.Split(x, ""), strings.Split(y, "")
		checkDiff(t, sa, sb, DiffTokens(sa, sb))
	})
}

// shiftedLines returns a text of n lines and the same text with its
// lines rotated by a third.
func shiftedLines(n int) (string, string) {
	lines := make([]string, n)
	for i := range lines {
		lines[i] = fmt.Sprintf("%d. The Member States shall take appropriate measures (line %d)\n", i%97, i)
	}
	k := n / 3
	rot := append(append([]string{}, lines[k:]...), lines[:k]...)
	return strings.Join(lines, ""), strings.Join(rot, "")
}

func differentLines(n int) (string, string) {
	var a, b strings.Builder
	for i := range n {
		fmt.Fprintf(&a, "alpha %d\n", i)
		fmt.Fprintf(&b, "beta %d\n", i)
	}
	return a.String(), b.String()
}

// repetitiveLines has few distinct lines, so nothing is unique and the
// patience step finds no anchor (the diff-match-patch #26 shape).
func repetitiveLines(n int) (string, string) {
	var a, b strings.Builder
	r := rand.New(rand.NewPCG(7, 7))
	for range n {
		fmt.Fprintf(&a, "%c\n", 'a'+r.IntN(4))
		fmt.Fprintf(&b, "%c\n", 'a'+r.IntN(4))
	}
	return a.String(), b.String()
}

// interleavedLines mixes unique and repeated lines, shifted by one.
func interleavedLines(n int) (string, string) {
	var a, b strings.Builder
	for i := range n {
		if i%2 == 0 {
			fmt.Fprintf(&a, "unique %d\n", i)
		} else {
			a.WriteString("}\n")
		}
		if (i+1)%2 == 0 {
			fmt.Fprintf(&b, "unique %d\n", n-i)
		} else {
			b.WriteString("}\n")
		}
	}
	return a.String(), b.String()
}

func TestAdversarialDiffsAreExact(t *testing.T) {
	for name, gen := range map[string]func(int) (string, string){
		"shifted": shiftedLines, "different": differentLines,
		"repetitive": repetitiveLines, "interleaved": interleavedLines,
	} {
		x, y := gen(20000)
		got, err := ApplyEdits(SplitLines(x), DiffLines(x, y))
		if err != nil || got != y {
			t.Errorf("%s: line diff does not reproduce the new text (%v)", name, err)
		}
	}
}

// BenchmarkDiffAdversarial measures goal G7: the worst single diff of
// adversarial inputs of 200,000 lines.
func BenchmarkDiffAdversarial(b *testing.B) {
	for _, c := range []struct {
		name string
		gen  func(int) (string, string)
	}{
		{"shifted-200k", shiftedLines},
		{"different-200k", differentLines},
		{"repetitive-200k", repetitiveLines},
		{"interleaved-200k", interleavedLines},
	} {
		x, y := c.gen(200000)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				DiffLines(x, y)
			}
		})
	}
}

func BenchmarkDiffWordsParagraph(b *testing.B) {
	x := strings.Repeat("the Member States shall promote multistakeholder participation, ", 8)
	y := strings.Replace(x, "promote", "foster", 3)
	for b.Loop() {
		DiffWords(x, y)
	}
}
