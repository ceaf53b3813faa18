package worddiff

import (
	"hash/maphash"
	"slices"
	"sort"
	"strings"

	"github.com/plenary-forum/plenary"
)

// Edit replaces the tokens Start..End-1 of an old token list by the text New.
// Start == End is an insertion before token Start; New == "" is a deletion.
// A list of edits is sorted by Start, and edits do not overlap.
type Edit struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	New   string `json:"new"`
}

// The diff is bounded by design. It strips the common prefix and suffix,
// then anchors on tokens that occur exactly once in both sides (patience
// diff), keeping the longest increasing run of such anchors, and recurses
// into the gaps between anchors, at most maxDepth levels deep. A gap without
// anchors goes to Myers' O(ND) algorithm, which stops when it has spent its
// share of a fixed work budget; the gap is then reported as one replacement.
// Every level of recursion costs O(n log n), so the whole diff does too.
const (
	maxDepth   = 8
	diffBudget = 1 << 20 // Myers steps per diff call, shared by all gaps
)

// Hunk is a changed region found by Hunks: the old tokens A0..A1-1 become
// the new tokens B0..B1-1.
type Hunk struct{ A0, A1, B0, B1 int }

// DiffTokens compares two token lists and returns the edits that turn a into
// b: applying them to a (ApplyEdits) gives exactly the concatenation of b.
// It runs in O(n log n) time whatever the input; on inputs it cannot align
// within its budget it reports coarser, but still exact, edits.
func DiffTokens(a, b []string) []Edit {
	return hunksToEdits(Hunks(a, b), b)
}

// DiffLines compares two texts line by line (SplitLines) and returns edits on
// the old text's lines.
func DiffLines(oldText, newText string) []Edit {
	return DiffTokens(SplitLines(oldText), SplitLines(newText))
}

// DiffWords compares two texts word by word (Tokenize) and returns edits on
// the old text's tokens. Edits separated only by spaces or punctuation are
// merged, so "the quick brown" -> "a slow brown" is one edit, not two.
func DiffWords(oldText, newText string) []Edit {
	a, b := Tokenize(oldText), Tokenize(newText)
	return hunksToEdits(MergeHunks(Hunks(a, b), func(i int) bool { return !IsWord(a[i]) }), b)
}

func hunksToEdits(hs []Hunk, b []string) []Edit {
	edits := make([]Edit, len(hs))
	for i, h := range hs {
		edits[i] = Edit{Start: h.A0, End: h.A1, New: strings.Join(b[h.B0:h.B1], "")}
	}
	return edits
}

// MergeHunks joins hunks separated only by old tokens for which skippable
// is true (given the token's index in the old list), such as spaces and
// punctuation. It reuses the memory of hs.
func MergeHunks(hs []Hunk, skippable func(i int) bool) []Hunk {
	if len(hs) < 2 {
		return hs
	}
	out := hs[:1]
next:
	for _, h := range hs[1:] {
		last := &out[len(out)-1]
		for k := last.A1; k < h.A0; k++ {
			if !skippable(k) {
				out = append(out, h)
				continue next
			}
		}
		last.A1, last.B1 = h.A1, h.B1
	}
	return out
}

// ApplyEdits applies edits to a token list and returns the resulting text.
// It rejects edits that are out of range, unsorted or overlapping.
func ApplyEdits(tokens []string, edits []Edit) (string, error) {
	if err := CheckEdits(edits, len(tokens)); err != nil {
		return "", err
	}
	var sb strings.Builder
	pos := 0
	for _, e := range edits {
		for _, t := range tokens[pos:e.Start] {
			sb.WriteString(t)
		}
		sb.WriteString(e.New)
		pos = e.End
	}
	for _, t := range tokens[pos:] {
		sb.WriteString(t)
	}
	return sb.String(), nil
}

// CheckEdits verifies that edits on a list of n tokens are sorted, in range
// and do not overlap; the error is invalid, on the field "edits", and names
// the first bad edit. Two insertions at the same place are allowed in a
// sorted list only when they come from one diff, which never produces them,
// so they are rejected.
func CheckEdits(edits []Edit, n int) error {
	pos := 0
	for i, e := range edits {
		if e.Start < pos || e.End < e.Start || e.End > n {
			return errEdits(i)
		}
		if i > 0 && e.Start == e.End && edits[i-1].End == e.Start && edits[i-1].Start == e.Start {
			return errEdits(i)
		}
		pos = e.End
	}
	return nil
}

func errEdits(i int) error {
	return plenary.Invalid("edits", "edit %d is out of range, out of order or overlaps the one before", i+1)
}

// Hunks compares two token lists and returns the changed regions between
// them, in order. It is the diff beneath DiffTokens, for callers that keep
// their own tokens beside the strings compared (a token may stand for
// something that is not text, such as a bracket).
func Hunks(a, b []string) []Hunk {
	// Common prefix and suffix first: cheap, and they need no interning.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	am, bm := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(am) == 0 && len(bm) == 0 {
		return nil
	}
	whole := []Hunk{{pre, pre + len(am), pre, pre + len(bm)}}
	if len(am) == 0 || len(bm) == 0 {
		return whole
	}
	// Tokens are interned by a 64-bit hash, which is fast on large inputs;
	// the equal runs found are then checked string by string, and in the
	// (astronomically rare) case of a hash collision the diff is redone
	// with exact interning.
	ai, bi, nsym, common := internHashed(am, bm)
	if !common {
		return whole
	}
	hs := diffIDs(ai, bi, nsym)
	if !equalRunsHold(hs, am, bm) {
		ai, bi, nsym = internExact(am, bm)
		hs = diffIDs(ai, bi, nsym)
	}
	for i := range hs {
		hs[i].A0 += pre
		hs[i].A1 += pre
		hs[i].B0 += pre
		hs[i].B1 += pre
	}
	return hs
}

// equalRunsHold checks that the tokens between hunks are equal.
func equalRunsHold(hs []Hunk, a, b []string) bool {
	pa, pb := 0, 0
	check := func(a0, b0, n int) bool {
		for k := range n {
			if a[a0+k] != b[b0+k] {
				return false
			}
		}
		return true
	}
	for _, h := range hs {
		if h.A0-pa != h.B0-pb || !check(pa, pb, h.A0-pa) {
			return false
		}
		pa, pb = h.A1, h.B1
	}
	return len(a)-pa == len(b)-pb && check(pa, pb, len(a)-pa)
}

// hashSlot is one slot of the interning table.
type hashSlot struct {
	h   uint64 // 0: empty
	id  int32
	inA bool // the token occurs in the old list
}

var internSeed = maphash.MakeSeed()

// internHashed gives each distinct token (by hash) a small integer. common
// reports whether any token of b also occurs in a.
//
// Large inputs are interned in a cache-friendly way: the hashes are first
// partitioned by their top bits into buckets of a few hundred tokens, then
// each bucket is interned in a small table that stays in the processor's
// cache, instead of one table too large for it where every probe misses.
func internHashed(a, b []string) (ai, bi []int32, nsym int, common bool) {
	n := len(a) + len(b)
	hs := make([]uint64, n)
	for i, s := range a {
		hs[i] = maphash.String(internSeed, s) | 1
	}
	for i, s := range b {
		hs[len(a)+i] = maphash.String(internSeed, s) | 1
	}
	ids := make([]int32, n)
	// Partition token indices by the top bits of their hash.
	bits := 0
	for n>>bits > 256 {
		bits++
	}
	shift := uint(64 - bits)
	bucket := func(h uint64) uint64 {
		if bits == 0 {
			return 0
		}
		return h >> shift
	}
	start := make([]int32, (1<<bits)+1)
	for _, h := range hs {
		start[bucket(h)+1]++
	}
	largest := int32(0)
	for k := 1; k < len(start); k++ {
		largest = max(largest, start[k])
		start[k] += start[k-1]
	}
	order := make([]int32, n)
	fill := append([]int32(nil), start[:len(start)-1]...)
	for i, h := range hs {
		k := bucket(h)
		order[fill[k]] = int32(i)
		fill[k]++
	}
	// Intern each bucket in a small open-addressing table.
	size := 16
	for size < 2*int(largest) {
		size <<= 1
	}
	table := make([]hashSlot, size)
	mask := uint64(size - 1)
	next := int32(0)
	nA := int32(len(a))
	for k := 0; k+1 < len(start); k++ {
		members := order[start[k]:start[k+1]]
		for _, idx := range members {
			h := hs[idx]
			i := (h ^ h>>29) & mask
			for table[i].h != h && table[i].h != 0 {
				i = (i + 1) & mask
			}
			sl := &table[i]
			if sl.h == 0 {
				*sl = hashSlot{h: h, id: next}
				next++
			}
			ids[idx] = sl.id
			if idx < nA {
				sl.inA = true
			} else if sl.inA {
				common = true
			}
		}
		for _, idx := range members {
			h := hs[idx]
			i := (h ^ h>>29) & mask
			for table[i].h != 0 {
				table[i] = hashSlot{}
				i = (i + 1) & mask
			}
		}
	}
	return ids[:len(a)], ids[len(a):], int(next), common
}

// internExact gives each distinct token a small integer, comparing strings.
func internExact(a, b []string) (ai, bi []int32, nsym int) {
	ids := make(map[string]int32, len(a)+len(b))
	intern := func(list []string) []int32 {
		out := make([]int32, len(list))
		for i, s := range list {
			id, ok := ids[s]
			if !ok {
				id = int32(len(ids))
				ids[s] = id
			}
			out[i] = id
		}
		return out
	}
	ai = intern(a)
	bi = intern(b)
	return ai, bi, len(ids)
}

// differ holds the state of one diff of two symbol lists.
type differ struct {
	a, b   []int32
	runs   []run   // equal runs found, in order
	budget int     // Myers steps left
	cntA   []int32 // per symbol: occurrences in the current a range
	cntB   []int32
	posB   []int32  // per symbol: position in b of its (last) occurrence
	cand   []anchor // scratch for anchors
	prev   []int32  // scratch for anchors
}

// run is an equal run: a[a:a+n] == b[b:b+n].
type run struct{ a, b, n int }

// diffIDs returns the changed regions between two symbol lists.
func diffIDs(a, b []int32, nsym int) []Hunk {
	d := &differ{
		a: a, b: b,
		budget: diffBudget,
		cntA:   make([]int32, nsym),
		cntB:   make([]int32, nsym),
		posB:   make([]int32, nsym),
		cand:   make([]anchor, 0, min(len(a), len(b))),
	}
	d.diff(0, len(a), 0, len(b), 0)
	// Turn equal runs into hunks.
	var hs []Hunk
	pa, pb := 0, 0
	for _, r := range d.runs {
		if r.n == 0 {
			continue
		}
		if r.a > pa || r.b > pb {
			hs = append(hs, Hunk{pa, r.a, pb, r.b})
		}
		pa, pb = r.a+r.n, r.b+r.n
	}
	if pa < len(a) || pb < len(b) {
		hs = append(hs, Hunk{pa, len(a), pb, len(b)})
	}
	return hs
}

func (d *differ) emit(a, b, n int) {
	if n == 0 {
		return
	}
	if k := len(d.runs); k > 0 {
		l := &d.runs[k-1]
		if l.a+l.n == a && l.b+l.n == b {
			l.n += n
			return
		}
	}
	d.runs = append(d.runs, run{a, b, n})
}

// diff finds equal runs between a[a0:a1] and b[b0:b1] and emits them in order.
func (d *differ) diff(a0, a1, b0, b1, depth int) {
	pre := 0
	for a0+pre < a1 && b0+pre < b1 && d.a[a0+pre] == d.b[b0+pre] {
		pre++
	}
	d.emit(a0, b0, pre)
	a0, b0 = a0+pre, b0+pre
	suf := 0
	for a1-suf > a0 && b1-suf > b0 && d.a[a1-1-suf] == d.b[b1-1-suf] {
		suf++
	}
	a1, b1 = a1-suf, b1-suf
	if a0 < a1 && b0 < b1 {
		anchors := d.anchors(a0, a1, b0, b1)
		switch {
		case len(anchors) > 0 && depth < maxDepth:
			pa, pb := a0, b0
			for _, an := range anchors {
				d.diff(pa, an.a, pb, an.b, depth+1)
				d.emit(an.a, an.b, 1)
				pa, pb = an.a+1, an.b+1
			}
			d.diff(pa, a1, pb, b1, depth+1)
		default:
			d.myers(a0, a1, b0, b1)
		}
	}
	d.emit(a1, b1, suf)
}

// anchor is a pair of positions holding the same symbol, unique on both sides.
type anchor struct{ a, b int }

// anchors returns the longest increasing sequence of symbols that occur
// exactly once in a[a0:a1] and once in b[b0:b1], by patience sorting.
func (d *differ) anchors(a0, a1, b0, b1 int) []anchor {
	for _, s := range d.a[a0:a1] {
		d.cntA[s]++
	}
	for i, s := range d.b[b0:b1] {
		d.cntB[s]++
		d.posB[s] = int32(b0 + i)
	}
	cand := d.cand[:0]
	for i, s := range d.a[a0:a1] {
		if d.cntA[s] == 1 && d.cntB[s] == 1 {
			cand = append(cand, anchor{a0 + i, int(d.posB[s])})
		}
	}
	for _, s := range d.a[a0:a1] {
		d.cntA[s] = 0
	}
	for _, s := range d.b[b0:b1] {
		d.cntB[s] = 0
	}
	d.cand = cand[:0]
	if len(cand) == 0 {
		return nil
	}
	// Longest increasing subsequence of cand[i].b (cand is sorted by a).
	tails := make([]int32, 0, 16) // index into cand of the smallest tail of each length
	if cap(d.prev) < len(cand) {
		d.prev = make([]int32, len(cand))
	}
	prev := d.prev[:len(cand)]
	for i, c := range cand {
		// Binary search for the first tail >= c.b; runs that only grow
		// (the common case) hit the end at once.
		k := len(tails)
		if k > 0 && cand[tails[k-1]].b >= c.b {
			k = sort.Search(len(tails), func(j int) bool { return cand[tails[j]].b >= c.b })
		}
		if k > 0 {
			prev[i] = tails[k-1]
		} else {
			prev[i] = -1
		}
		if k == len(tails) {
			tails = append(tails, int32(i))
		} else {
			tails[k] = int32(i)
		}
	}
	out := make([]anchor, len(tails))
	for i, k := len(tails)-1, tails[len(tails)-1]; i >= 0; i-- {
		out[i] = cand[k]
		k = prev[k]
	}
	return out
}

// myers runs Myers' greedy algorithm on a[a0:a1] and b[b0:b1] within the
// remaining budget. When the budget runs out, the span is left as one change.
func (d *differ) myers(a0, a1, b0, b1 int) {
	A, B := d.a[a0:a1], d.b[b0:b1]
	n, m := len(A), len(B)
	dmax := n + m
	if lim := isqrt(d.budget); dmax > lim {
		dmax = lim
	}
	off := dmax + 1
	v := make([]int32, 2*dmax+3)
	for i := range v {
		v[i] = -1
	}
	var trace [][]int32
	work := 0
	for D := 0; D <= dmax; D++ {
		for k := -D; k <= D; k += 2 {
			var x int
			if D == 0 {
				x = 0
			} else {
				x = -1
				// down from k+1 (an insertion)
				if k < D {
					if xd := int(v[off+k+1]); xd >= 0 && xd-k <= m {
						x = xd
					}
				}
				// right from k-1 (a deletion)
				if k > -D {
					if xr := int(v[off+k-1]); xr >= 0 && xr+1 <= n && xr+1 > x {
						x = xr + 1
					}
				}
				if x < 0 {
					v[off+k] = -1
					work++
					continue
				}
			}
			y := x - k
			x0 := x
			for x < n && y < m && A[x] == B[y] {
				x++
				y++
			}
			work += 1 + x - x0
			v[off+k] = int32(x)
			if x == n && y == m {
				snap := make([]int32, 2*D+1)
				copy(snap, v[off-D:off+D+1])
				trace = append(trace, snap)
				d.budget -= work
				d.backtrack(trace, a0, b0, n, m)
				return
			}
		}
		snap := make([]int32, 2*D+1)
		copy(snap, v[off-D:off+D+1])
		trace = append(trace, snap)
		if work > d.budget {
			break
		}
	}
	// Over budget: no equal runs inside this span.
	d.budget = 0
}

// backtrack walks the Myers trace back from (n, m) and emits the equal runs.
func (d *differ) backtrack(trace [][]int32, a0, b0, n, m int) {
	var runs []run
	x, y := n, m
	for D := len(trace) - 1; D > 0; D-- {
		k := x - y
		prev := trace[D-1] // indexed by k+(D-1)
		get := func(k int) int {
			if k < -(D-1) || k > D-1 {
				return -1
			}
			return int(prev[k+D-1])
		}
		// Recompute the choice made in the forward pass.
		px, pk := -1, 0
		if k < D {
			if xd := get(k + 1); xd >= 0 && xd-k <= m {
				px, pk = xd, k+1
			}
		}
		if k > -D {
			if xr := get(k - 1); xr >= 0 && xr+1 <= n && xr+1 > px {
				px, pk = xr+1, k-1
			}
		}
		// The move lands at mx, my; the snake runs from there to x, y.
		mx := px
		my := mx - k
		if l := x - mx; l > 0 {
			runs = append(runs, run{a0 + mx, b0 + my, l})
		}
		x = get(pk)
		y = x - pk
	}
	if x > 0 {
		runs = append(runs, run{a0, b0, x})
	}
	slices.Reverse(runs)
	for _, r := range runs {
		d.emit(r.a, r.b, r.n)
	}
}

func isqrt(n int) int {
	if n <= 0 {
		return 0
	}
	r := 1
	for r*r <= n {
		r *= 2
	}
	lo, hi := r/2, r
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if mid*mid <= n {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}
