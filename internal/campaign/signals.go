package campaign

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Item is a comment as intake saw it: its id, the network address it came
// from, and when.
type Item struct {
	ID      int64
	Address string
	At      time.Time
}

// Burst is a run of comments from one address, each of them among n or
// more that came within the window: a sign, for the secretariat, that the
// comments may not come from as many people as they claim. It hides
// nothing.
type Burst struct {
	Address  string
	IDs      []int64 // in the order they came
	From, To time.Time
	Reason   string
}

// Bursts finds the bursts: for each address, the comments that are among n
// or more from that address within window of each other; overlapping runs
// are one burst. The bursts are ordered by address, then time. n below 2 or
// a window not above zero finds none.
func Bursts(items []Item, window time.Duration, n int) []Burst {
	if n < 2 || window <= 0 {
		return nil
	}
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(a, b Item) int {
		if c := cmp.Compare(a.Address, b.Address); c != 0 {
			return c
		}
		return a.At.Compare(b.At)
	})
	var out []Burst
	for lo := 0; lo < len(sorted); {
		hi := lo
		for hi < len(sorted) && sorted[hi].Address == sorted[lo].Address {
			hi++
		}
		out = append(out, burstsOf(sorted[lo:hi], window, n)...)
		lo = hi
	}
	return out
}

// burstsOf finds the bursts of one address's items, sorted by time.
func burstsOf(items []Item, window time.Duration, n int) []Burst {
	var out []Burst
	start, end := -1, -1 // the current burst: items[start..end]
	flush := func() {
		if start < 0 {
			return
		}
		run := items[start : end+1]
		b := Burst{Address: run[0].Address, From: run[0].At, To: run[len(run)-1].At}
		for _, it := range run {
			b.IDs = append(b.IDs, it.ID)
		}
		b.Reason = fmt.Sprintf("%d comments from the address %s between %s and %s, %d or more of them within %s",
			len(run), b.Address, b.From.UTC().Format(time.RFC3339), b.To.UTC().Format(time.RFC3339), n, window)
		out = append(out, b)
		start, end = -1, -1
	}
	i := 0
	for j := range items {
		for items[j].At.Sub(items[i].At) > window {
			i++
		}
		if j-i+1 < n {
			continue
		}
		if start >= 0 && i <= end {
			end = j
			continue
		}
		flush()
		start, end = i, j
	}
	flush()
	return out
}

// TemplateSign says that a campaign's variants look filled in from one
// template: they have the representative's number of words and differ from
// it only at a few word positions, the same ones for all (a name, a town).
type TemplateSign struct {
	Positions []int    // word positions, from 1, where the variants differ
	Examples  []string // the words of a few variants at those positions
	Reason    string
}

// Template says whether a campaign's variants differ from its
// representative only at maxPositions word positions or fewer, the same
// positions for all, with at least two variants; and why. A campaign whose
// variants differ in length or at more positions is no template sign (it
// may still be a campaign).
func Template(c Campaign, maxPositions int) (TemplateSign, bool) {
	if len(c.Variants) < 2 || maxPositions < 1 {
		return TemplateSign{}, false
	}
	rep := strings.Fields(c.Representative)
	differ := map[int]bool{}
	for _, v := range c.Variants[1:] {
		words := strings.Fields(v.Text)
		if len(words) != len(rep) {
			return TemplateSign{}, false
		}
		for i := range words {
			if words[i] != rep[i] {
				differ[i] = true
				if len(differ) > maxPositions {
					return TemplateSign{}, false
				}
			}
		}
	}
	var t TemplateSign
	for i := range differ {
		t.Positions = append(t.Positions, i+1)
	}
	slices.Sort(t.Positions)
	for _, v := range c.Variants {
		if len(t.Examples) == 3 {
			break
		}
		words := strings.Fields(v.Text)
		var ex []string
		for _, p := range t.Positions {
			ex = append(ex, words[p-1])
		}
		t.Examples = append(t.Examples, strings.Join(ex, " "))
	}
	pos := make([]string, len(t.Positions))
	for i, p := range t.Positions {
		pos[i] = fmt.Sprint(p)
	}
	word := "words"
	if len(pos) == 1 {
		word = "word"
	}
	ex := make([]string, len(t.Examples))
	for i, e := range t.Examples {
		ex[i] = fmt.Sprintf("%q", e)
	}
	t.Reason = fmt.Sprintf("the %d comments of this campaign have %d variants of %d words that differ only at %s %s (for example %s), as if filled in from one template",
		len(c.Members), len(c.Variants), len(rep), word, strings.Join(pos, ", "), strings.Join(ex, ", "))
	return t, true
}
