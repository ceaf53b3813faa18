package campaign

import (
	"cmp"
	"runtime"
	"slices"
	"sync"
)

// bucketCap is how many members of one campaign a band's bucket keeps (the
// most recent): a new comment that agrees with a campaign on a band is
// compared with these, not with the thousands of copies behind them.
const bucketCap = 8

// Index groups comments one at a time, as they arrive. The zero value is
// not usable; make one with NewIndex. An Index is not safe for concurrent
// use.
type Index struct {
	threshold int // least number of agreeing signature positions

	ids     []int64
	low     []lowBytes       // each member's signature, its low bytes
	variant []int32          // member → index in texts
	texts   []string         // distinct normalized texts
	textID  map[string]int32 // normalized text → index in texts
	byID    map[int64]int32  // comment id → member
	heads   [Bands]map[uint32]int32
	next    [][Bands]int32 // member → previous member in the same bucket, per band

	parent  []int32
	members [][]int32 // root → its members in the order they were added
	// seen marks, with the number of the add in progress (gen), the
	// members it has compared the new comment with: a member shares many
	// bands with it, and comparing them again in each band gives the same
	// answer. Where a letter's variants make several campaigns whose
	// members share bands, this was most of an add's time.
	seen []uint32
	gen  uint32
}

// NewIndex makes an empty index. threshold is the least estimated Jaccard
// similarity of near-duplicates, in (0, 1]; 0 means DefaultThreshold.
func NewIndex(threshold float64) *Index {
	if threshold <= 0 || threshold > 1 {
		threshold = DefaultThreshold
	}
	ix := &Index{
		threshold: int(threshold*NumHashes + 0.999999),
		textID:    map[string]int32{},
		byID:      map[int64]int32{},
	}
	for b := range ix.heads {
		ix.heads[b] = map[uint32]int32{}
	}
	return ix
}

// Grow makes room for n more comments, so that adding them does not copy
// what the index holds as it grows. Its maps grow as they fill: the
// comments of a campaign share their keys.
func (ix *Index) Grow(n int) {
	ix.ids = slices.Grow(ix.ids, n)
	ix.low = slices.Grow(ix.low, n)
	ix.variant = slices.Grow(ix.variant, n)
	ix.parent = slices.Grow(ix.parent, n)
	ix.members = slices.Grow(ix.members, n)
	ix.next = slices.Grow(ix.next, n)
	ix.seen = slices.Grow(ix.seen, n)
}

// grow makes room for n more comments.
func (ix *Index) grow(n int) {
	ix.Grow(n)
	if len(ix.ids) == 0 {
		ix.textID = make(map[string]int32, n)
		ix.byID = make(map[int64]int32, n)
		for b := range ix.heads {
			ix.heads[b] = make(map[uint32]int32, n)
		}
	}
}

// Joined says what adding a comment did.
type Joined struct {
	// Campaign is the id of the campaign the comment is now in: the id of
	// that campaign's first comment (the comment's own id when it is
	// alone).
	Campaign int64
	// Size is the campaign's number of comments, this one included.
	Size int
	// Merged are the ids that the campaigns this comment joined together
	// had before, when it joined more than one (campaigns that were
	// apart until this comment bridged them); empty otherwise.
	Merged []int64
}

// Len is the number of comments in the index.
func (ix *Index) Len() int { return len(ix.ids) }

// Add adds a comment by its id and text (normalized and fingerprinted
// here) and says which campaign it joined. Adding an id already in the
// index changes nothing and says where it is.
func (ix *Index) Add(id int64, text string) Joined {
	if _, ok := ix.byID[id]; ok {
		return ix.where(id)
	}
	n := Normalize(text)
	return ix.add(id, n, FingerprintNormalized(n))
}

// AddFingerprint adds a comment whose signature was computed before (at
// intake, then stored), without hashing its text again. text is the
// comment's text, normalized or not; it names the campaign's variants.
func (ix *Index) AddFingerprint(id int64, text string, sig Signature) Joined {
	if _, ok := ix.byID[id]; ok {
		return ix.where(id)
	}
	return ix.add(id, Normalize(text), sig)
}

// AddNormalized is AddFingerprint for a text already normalized (by
// Normalize): the index keeps that string as it is, so a caller that
// keeps it too shares it rather than holding a second copy.
func (ix *Index) AddNormalized(id int64, normalized string, sig Signature) Joined {
	if _, ok := ix.byID[id]; ok {
		return ix.where(id)
	}
	return ix.add(id, normalized, sig)
}

// Text is the normalized text of the comment id, and whether the index
// has it.
func (ix *Index) Text(id int64) (string, bool) {
	m, ok := ix.byID[id]
	if !ok {
		return "", false
	}
	return ix.texts[ix.variant[m]], true
}

func (ix *Index) where(id int64) Joined {
	r := ix.find(ix.byID[id])
	return Joined{Campaign: ix.ids[ix.members[r][0]], Size: len(ix.members[r])}
}

func bandKey(sig *Signature, b int) uint32 {
	x := uint64(b)
	for _, v := range sig[b*Rows : (b+1)*Rows] {
		x = mix64(x ^ uint64(v))
	}
	return uint32(x >> 32)
}

func (ix *Index) add(id int64, normalized string, sig Signature) Joined {
	m := int32(len(ix.ids))
	ix.ids = append(ix.ids, id)
	ix.low = append(ix.low, sig.low())
	t, ok := ix.textID[normalized]
	if !ok {
		t = int32(len(ix.texts))
		ix.texts = append(ix.texts, normalized)
		ix.textID[normalized] = t
	}
	ix.variant = append(ix.variant, t)
	ix.byID[id] = m
	ix.parent = append(ix.parent, m)
	ix.members = append(ix.members, []int32{m})
	ix.next = append(ix.next, [Bands]int32{})
	ix.seen = append(ix.seen, 0)
	if ix.gen++; ix.gen == 0 {
		clear(ix.seen)
		ix.gen = 1
	}

	var keys [Bands]uint32
	var heads [Bands]int32 // each band's bucket's head, -1 for none
	var merged []int64
	s := &ix.low[m]
	for b := range Bands {
		keys[b] = bandKey(&sig, b)
		head, ok := ix.heads[b][keys[b]]
		if !ok {
			head = -1
		}
		heads[b] = head
		for c := head; c >= 0; c = ix.next[c][b] {
			if ix.seen[c] == ix.gen {
				continue
			}
			ix.seen[c] = ix.gen
			rc, rm := ix.find(c), ix.find(m)
			if rc == rm {
				continue
			}
			if s.agreesOn(&ix.low[c], ix.threshold) {
				merged = append(merged, ix.ids[ix.members[rc][0]])
				ix.union(rc, rm)
			}
		}
	}
	// Link the comment at the head of each band's bucket, and drop from
	// the bucket the members of its campaign beyond the bucketCap most
	// recent: later comments are compared with those.
	r := ix.find(m)
	for b := range Bands {
		head := heads[b]
		ix.next[m][b] = -1
		ix.heads[b][keys[b]] = m
		if head < 0 {
			continue
		}
		ix.next[m][b] = head
		same := 1
		for prev, c := m, head; c >= 0; c = ix.next[c][b] {
			if ix.find(c) == r {
				if same >= bucketCap {
					ix.next[prev][b] = ix.next[c][b]
					continue
				}
				same++
			}
			prev = c
		}
	}
	j := Joined{Campaign: ix.ids[ix.members[r][0]], Size: len(ix.members[r])}
	if len(merged) > 1 {
		slices.Sort(merged)
		j.Merged = merged
	}
	return j
}

func (ix *Index) find(x int32) int32 {
	for ix.parent[x] != x {
		ix.parent[x] = ix.parent[ix.parent[x]]
		x = ix.parent[x]
	}
	return x
}

// union joins two roots; the campaign with the earlier first member gives
// its root, so a campaign's id stays the id of its first comment.
func (ix *Index) union(a, b int32) {
	ma, mb := ix.members[a], ix.members[b]
	if ma[0] > mb[0] {
		a, b = b, a
		ma, mb = mb, ma
	}
	ix.parent[b] = a
	if ma[len(ma)-1] < mb[0] {
		ix.members[a] = append(ma, mb...) // the usual case: a new comment joins
	} else {
		ix.members[a] = mergeSorted(ma, mb)
	}
	ix.members[b] = nil
}

func mergeSorted(a, b []int32) []int32 {
	out := make([]int32, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if a[i] < b[j] {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// Campaign is a group of near-identical comments, or one comment alone.
type Campaign struct {
	// ID is the id of its first comment.
	ID int64
	// Members are the ids of its comments, in the order they were added.
	Members []int64
	// Variants are its distinct normalized texts, the most frequent first
	// (ties in the order they first came).
	Variants []Variant
	// Representative is the most frequent variant's text (Variants[0]).
	Representative string
}

// Variant is one distinct normalized text of a campaign and how many of its
// comments have it.
type Variant struct {
	Text  string
	Count int
	First int64 // the id of its first comment
}

// Campaign is the campaign of the comment with this id, and false when
// the index holds no such comment.
func (ix *Index) Campaign(id int64) (Campaign, bool) {
	m, ok := ix.byID[id]
	if !ok {
		return Campaign{}, false
	}
	return ix.campaign(ix.find(m)), true
}

func (ix *Index) campaign(r int32) Campaign {
	ms := ix.members[r]
	c := Campaign{ID: ix.ids[ms[0]], Members: make([]int64, len(ms))}
	count := map[int32]int{}
	first := map[int32]int64{}
	var order []int32
	for i, m := range ms {
		c.Members[i] = ix.ids[m]
		t := ix.variant[m]
		if count[t] == 0 {
			order = append(order, t)
			first[t] = ix.ids[m]
		}
		count[t]++
	}
	slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(count[b], count[a]) })
	for _, t := range order {
		c.Variants = append(c.Variants, Variant{Text: ix.texts[t], Count: count[t], First: first[t]})
	}
	c.Representative = c.Variants[0].Text
	return c
}

// Campaigns are all the campaigns, singletons included, the largest first
// (ties by id): every comment of the index is in exactly one.
func (ix *Index) Campaigns() []Campaign {
	var out []Campaign
	for m := range ix.ids {
		if ix.parent[m] == int32(m) {
			out = append(out, ix.campaign(int32(m)))
		}
	}
	slices.SortStableFunc(out, func(a, b Campaign) int {
		if c := cmp.Compare(len(b.Members), len(a.Members)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

// Comment is a comment to group: its id and its text.
type Comment struct {
	ID   int64
	Text string
}

// Group groups a batch of comments into campaigns with the given threshold
// (0 for DefaultThreshold), as an Index would adding them in order; the
// fingerprints are computed on every processor. Every comment is in
// exactly one campaign; a repeated id is counted once.
func Group(comments []Comment, threshold float64) []Campaign {
	norms := make([]string, len(comments))
	sigs := make([]Signature, len(comments))
	workers := min(runtime.GOMAXPROCS(0), max(1, len(comments)/256))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(comments); i += workers {
				norms[i] = Normalize(comments[i].Text)
				sigs[i] = FingerprintNormalized(norms[i])
			}
		})
	}
	wg.Wait()
	ix := NewIndex(threshold)
	ix.grow(len(comments))
	for i, c := range comments {
		if _, ok := ix.byID[c.ID]; !ok {
			ix.add(c.ID, norms[i], sigs[i])
		}
	}
	return ix.Campaigns()
}
