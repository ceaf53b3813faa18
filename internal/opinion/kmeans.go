package opinion

import (
	"cmp"
	"iter"
	"math"
	"slices"
	"sort"
)

var kmDebug func(int, int)

const (
	baseClusters = 100 // Polis' base k
	// silhouetteSample bounds the participants whose silhouettes score a
	// grouping; beyond it, an evenly spaced sample.
	silhouetteSample = 20000
	kmeansMaxIter    = 100
	// kmeansStill: k-means over many points stops once fewer than one
	// point in kmeansStill changes cluster in an iteration; over fewer
	// points, once none does.
	kmeansStill = 200
	// kmeansStarts: k-means++ starts per k besides Polis' when grouping
	// the base clusters (see groupBases).
	kmeansStarts = 5
)

// group clusters the 2-D points xs (x0, y0, x1, y1, …), the point i being
// participant pids[i]: base clusters first, then groups of base clusters
// for each k, chosen by silhouette. It returns each point's group, the k
// chosen and the silhouette of each k.
//
// As in Polis, the base clusters start from the first baseClusters
// distinct points, and each grouping of the base clusters into k groups
// from the first k distinct base centres, in the same order. Polis takes
// the points in its vote matrix's row order, the order in which
// participants first appear in its polls of the votes; the map takes them
// in the order of the participants' identifiers, which Polis gives as
// participants join, so that the map does not depend on the order the
// votes come in. Given bases
// (the previous map's centres, as many as the base clusters to make), the
// base clusters start from them instead, each point's scan for its nearest
// centre beginning at its base cluster in hint when it has one (≥ 0);
// group returns the base centres and each point's base cluster. Given
// keepK (> 0) among the k tried, that k is kept without scoring the
// groupings (no silhouettes).
func group(xs []float64, pids []int, opts Options, bases []float64, hint []int32, keepK int) ([]int, int, map[int]float64, []float64, []int) {
	n := len(xs) / 2
	rng := newRand(opts.Seed)
	sil := map[int]float64{}
	if n == 1 {
		return []int{0}, 1, sil, nil, nil
	}
	kb := min(baseClusters, n)
	if len(bases) != 2*kb {
		bases, hint = firstDistinct(xs, byParticipant(pids, baseClusters), baseClusters), nil
		kb = len(bases) / 2
	}
	baseCenters, baseOf := kmeans(xs, nil, kb, bases, hint)
	// Keep the non-empty base clusters, weighted by their sizes.
	weight := make([]float64, kb)
	for _, b := range baseOf {
		weight[b]++
	}
	var bx, bw []float64
	renum := make([]int, kb)
	for b := 0; b < kb; b++ {
		renum[b] = -1
		if weight[b] > 0 {
			renum[b] = len(bw)
			bx = append(bx, baseCenters[2*b], baseCenters[2*b+1])
			bw = append(bw, weight[b])
		}
	}
	nb := len(bw)
	maxK := min(opts.MaxK, 2+nb/12, nb)
	var clusterings [][]int // each base cluster's group, for each k in ks
	var ks []int
	baseOrder := make([]int32, nb)
	for b := range baseOrder {
		baseOrder[b] = int32(b)
	}
	for k := 2; k <= maxK; k++ {
		init := firstDistinct(bx, slices.Values(baseOrder), k)
		if len(init) < 2*k {
			break // fewer distinct base centres than groups
		}
		assign := groupBases(bx, bw, k, init, rng)
		if assign == nil {
			continue
		}
		clusterings = append(clusterings, assign)
		ks = append(ks, k)
	}
	var best []int
	bestK := 1
	if j := slices.Index(ks, keepK); j >= 0 {
		bestK, best = ks[j], clusterings[j]
	} else if len(ks) > 0 {
		// The silhouette of each grouping over the participants (an
		// evenly spaced sample of them beyond silhouetteSample), each
		// participant taking its base cluster's group and seeing the
		// other participants at their base clusters' centres.
		sample := sampleRows(n, silhouetteSample)
		px := make([]float64, 0, 2*len(sample))
		own := make([]int, len(sample))
		for s, i := range sample {
			px = append(px, xs[2*i], xs[2*i+1])
			own[s] = renum[baseOf[i]]
		}
		per := baseSilhouettes(px, own, bx, bw, clusterings, ks)
		for j, k := range ks {
			sil[k] = mean(per[j])
		}
		j := chooseK(per)
		bestK, best = ks[j], clusterings[j]
	}
	out := make([]int, n)
	if best == nil { // too few points to split
		return out, 1, sil, baseCenters, baseOf
	}
	// Number the groups by size, largest first; ties by centroid x.
	size := make([]float64, bestK)
	cx := make([]float64, bestK)
	for b, g := range best {
		size[g] += bw[b]
		cx[g] += bw[b] * bx[2*b]
	}
	order := make([]int, bestK)
	for g := range order {
		order[g] = g
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if size[a] != size[b] {
			return size[a] > size[b]
		}
		return cx[a]/size[a] < cx[b]/size[b]
	})
	rank := make([]int, bestK)
	for i, g := range order {
		rank[g] = i
	}
	for i, b := range baseOf {
		out[i] = rank[best[renum[b]]]
	}
	return out, bestK, sil, baseCenters, baseOf
}

// firstDistinct returns the first k distinct points of xs (x0, y0, x1, y1,
// …) met in the order of the point indexes order yields, as centres: Polis'
// start for k-means (init-clusters in its clusters.clj). It returns fewer
// when there are fewer distinct points.
func firstDistinct(xs []float64, order iter.Seq[int32], k int) []float64 {
	out := make([]float64, 0, 2*k)
	seen := make(map[[2]float64]bool, k)
	for i := range order {
		if len(out) == 2*k {
			break
		}
		p := [2]float64{xs[2*i], xs[2*i+1]}
		if !seen[p] {
			seen[p] = true
			out = append(out, p[0], p[1])
		}
	}
	return out
}

// byParticipant yields the indexes of pids in increasing order of the
// identifier (ties by index). The caller usually needs only the first few
// (about k, unless many points coincide), so it selects the smallest 2k
// identifiers first and sorts everything only when those run out.
func byParticipant(pids []int, k int) iter.Seq[int32] {
	return func(yield func(int32) bool) {
		n := len(pids)
		less := func(a, b int32) int {
			if c := cmp.Compare(pids[a], pids[b]); c != 0 {
				return c
			}
			return cmp.Compare(a, b)
		}
		if m := 2 * k; m < n {
			// A max-heap of the m smallest so far.
			h := make([]int32, 0, m)
			down := func(i int) {
				for {
					l, big := 2*i+1, i
					if l < len(h) && less(h[l], h[big]) > 0 {
						big = l
					}
					if r := l + 1; r < len(h) && less(h[r], h[big]) > 0 {
						big = r
					}
					if big == i {
						return
					}
					h[i], h[big] = h[big], h[i]
					i = big
				}
			}
			for i := range int32(n) {
				switch {
				case len(h) < m:
					h = append(h, i)
					for j := len(h) - 1; j > 0; {
						p := (j - 1) / 2
						if less(h[j], h[p]) <= 0 {
							break
						}
						h[j], h[p] = h[p], h[j]
						j = p
					}
				case less(i, h[0]) < 0:
					h[0] = i
					down(0)
				}
			}
			slices.SortFunc(h, less)
			for _, i := range h {
				if !yield(i) {
					return
				}
			}
			// Every one of the m smallest was used: go on through the
			// rest, in order.
			rest := make([]int32, 0, n-m)
			last := h[len(h)-1]
			for i := range int32(n) {
				if less(i, last) > 0 {
					rest = append(rest, i)
				}
			}
			slices.SortFunc(rest, less)
			for _, i := range rest {
				if !yield(i) {
					return
				}
			}
			return
		}
		all := make([]int32, n)
		for i := range all {
			all[i] = int32(i)
		}
		slices.SortFunc(all, less)
		for _, i := range all {
			if !yield(i) {
				return
			}
		}
	}
}

// groupBases groups the base clusters (centres bx, sizes bw) into k groups
// by k-means and returns each base cluster's group, or nil when the
// grouping loses a group (Polis then drops the cluster, leaving fewer than
// k groups; that k is not tried).
//
// The run that counts is Polis': from init, the first k distinct base
// centres. k-means has local optima, and Polis' start can land in one that
// fits the participants far worse than another (two starting centres in
// one dense group leave two groups merged), so the grouping is also run from
// kmeansStarts k-means++ starts; the one with the least inertia replaces
// Polis' only when it fits the participants significantly better: the
// paired differences of each participant's squared distance to its group's
// centre (the participant standing at its base centre) give a one-sided z
// of at least zCritical. Between groupings that fit equally well, Polis'
// start decides, as in Polis.
func groupBases(bx, bw []float64, k int, init []float64, rng *rand) []int {
	cp, ap := kmeans(bx, bw, k, init, nil)
	best, bestCost := ap, cost(bx, bw, cp, ap)
	if !everyGroupUsed(ap, k) {
		best, bestCost = nil, math.Inf(1)
	}
	var ca []float64
	var aa []int
	altCost := math.Inf(1)
	for range kmeansStarts {
		c, a := kmeans(bx, bw, k, seedPlusPlus(bx, bw, k, rng), nil)
		if x := cost(bx, bw, c, a); x < altCost-1e-12 && everyGroupUsed(a, k) {
			ca, aa, altCost = c, a, x
		}
	}
	switch {
	case aa == nil:
		return best
	case best == nil:
		return aa
	case altCost < bestCost && fitZ(bx, bw, cp, ap, ca, aa) >= zCritical:
		return aa
	}
	return best
}

// fitZ is the one-sided z statistic of the mean, over the participants
// (base cluster b counted bw[b] times), of the squared distance to its
// group's centre under grouping a (centres ca, groups aa) minus that under
// grouping b (cb, ab): positive when b fits better. +Inf when every
// participant gains the same.
func fitZ(bx, bw, ca []float64, aa []int, cb []float64, ab []int) float64 {
	var n, sum float64
	d := make([]float64, len(bw))
	for b := range bw {
		d[b] = dist2(bx, b, ca, aa[b]) - dist2(bx, b, cb, ab[b])
		n += bw[b]
		sum += bw[b] * d[b]
	}
	if n < 2 {
		return 0
	}
	m := sum / n
	ss := 0.0
	for b := range bw {
		ss += bw[b] * (d[b] - m) * (d[b] - m)
	}
	se := math.Sqrt(ss / (n - 1) / n)
	if se == 0 {
		switch {
		case m > 0:
			return math.Inf(1)
		case m < 0:
			return math.Inf(-1)
		}
		return 0
	}
	return m / se
}

// everyGroupUsed says whether each of the groups 0…k-1 has a member.
func everyGroupUsed(assign []int, k int) bool {
	used := make([]bool, k)
	n := 0
	for _, g := range assign {
		if !used[g] {
			used[g] = true
			n++
		}
	}
	return n == k
}

func dist2(xs []float64, i int, c []float64, j int) float64 {
	dx, dy := xs[2*i]-c[2*j], xs[2*i+1]-c[2*j+1]
	return dx*dx + dy*dy
}

func cost(xs, w, c []float64, a []int) float64 {
	s := 0.0
	for i, j := range a {
		s += wt(w, i) * dist2(xs, i, c, j)
	}
	return s
}

func wt(w []float64, i int) float64 {
	if w == nil {
		return 1
	}
	return w[i]
}

// seedPlusPlus picks k initial centres by k-means++ (weighted by w).
func seedPlusPlus(xs, w []float64, k int, rng *rand) []float64 {
	n := len(xs) / 2
	c := make([]float64, 0, 2*k)
	d := make([]float64, n)
	total := 0.0
	for i := range d {
		total += wt(w, i)
	}
	pick := func(r float64) int {
		for i := range d {
			r -= wt(w, i) * d[i]
			if r < 0 {
				return i
			}
		}
		return n - 1
	}
	for i := range d {
		d[i] = 1
	}
	first := pick(rng.float() * total)
	c = append(c, xs[2*first], xs[2*first+1])
	for i := range d {
		d[i] = dist2(xs, i, c, 0)
	}
	for j := 1; j < k; j++ {
		sum := 0.0
		for i := range d {
			sum += wt(w, i) * d[i]
		}
		var next int
		if sum == 0 {
			next = rng.intn(n)
		} else {
			next = pick(rng.float() * sum)
		}
		c = append(c, xs[2*next], xs[2*next+1])
		for i := range d {
			if e := dist2(xs, i, c, j); e < d[i] {
				d[i] = e
			}
		}
	}
	return c
}

// kmeans clusters the weighted 2-D points by Lloyd's iterations with
// Hamerly's bounds (a point whose distance to its centre is below half the
// gap to the nearest other centre, and below its lower bound to every other
// centre, is not examined), from the k centres init. It returns the centres
// and each point's cluster. Given init (k centres), it starts from them;
// given hint, a point's first scan for its nearest centre begins at
// hint[i] (when in 0…k-1), which finds it in a few steps when the point
// was near that centre.
func kmeans(xs, w []float64, k int, init []float64, hint []int32) ([]float64, []int) {
	n := len(xs) / 2
	c := append([]float64(nil), init[:2*k]...)
	a := make([]int, n)
	u := make([]float64, n) // upper bound on the distance to the own centre
	l := make([]float64, n) // lower bound on the distance to any other centre
	// half[j*k+o] is half the distance between centres j and o: a centre
	// o cannot be closer to a point than its centre j when that half
	// distance exceeds the point's distance to j (the triangle
	// inequality), so most centres are skipped without a distance.
	half := make([]float64, k*k)
	// near[j*(k-1):(j+1)*(k-1)] lists the other centres by increasing
	// distance from centre j: once one is too far to be closer than the
	// best found, so are all the following, and the scan stops.
	near := make([]int32, k*(k-1))
	sorted := false
	halves := func() {
		for j := 0; j < k; j++ {
			for o := 0; o < k; o++ {
				dx, dy := c[2*j]-c[2*o], c[2*j+1]-c[2*o+1]
				half[j*k+o] = math.Sqrt(dx*dx+dy*dy) / 2
			}
			row := near[j*(k-1) : (j+1)*(k-1)]
			h := half[j*k : (j+1)*k]
			if !sorted {
				r := 0
				for o := 0; o < k; o++ {
					if o != j {
						row[r] = int32(o)
						r++
					}
				}
				slices.SortFunc(row, func(x, y int32) int {
					return cmp.Compare(h[x], h[y])
				})
				continue
			}
			// The centres moved a little since the row was sorted:
			// an insertion sort puts it back in order in about one
			// pass.
			for a := 1; a < len(row); a++ {
				x := row[a]
				hx := h[x]
				b := a
				for b > 0 && h[row[b-1]] > hx {
					row[b] = row[b-1]
					b--
				}
				row[b] = x
			}
		}
		sorted = true
	}
	closest := func(i int) (int, float64, float64) {
		start := a[i]
		d0 := math.Sqrt(dist2(xs, i, c, start))
		b1, d1, d2 := start, d0, math.Inf(1)
		for _, o := range near[start*(k-1) : (start+1)*(k-1)] {
			j := int(o)
			// |x - c_j| >= |c_start - c_j| - |x - c_start|, and the
			// centres after j are farther from c_start still.
			if lb := 2*half[start*k+j] - d0; lb >= d1 {
				d2 = min(d2, lb) // a lower bound is enough for the second
				break
			}
			d := math.Sqrt(dist2(xs, i, c, j))
			if d < d1 {
				b1, d1, d2 = j, d, d1
			} else if d < d2 {
				d2 = d
			}
		}
		return b1, d1, d2
	}
	halves()
	if len(hint) == n {
		for i, h := range hint {
			if h >= 0 && int(h) < k {
				a[i] = int(h)
			}
		}
	}
	for i := 0; i < n; i++ {
		a[i], u[i], l[i] = closest(i)
	}
	s := make([]float64, k)
	sx := make([]float64, 2*k)
	sw := make([]float64, k)
	cnt := make([]int, k)
	moved := make([]float64, k)
	// Each cluster's weighted sums, kept up to date as points change
	// cluster, so an iteration reads only the points it examines.
	for i, j := range a {
		x := wt(w, i)
		sx[2*j] += x * xs[2*i]
		sx[2*j+1] += x * xs[2*i+1]
		sw[j] += x
		cnt[j]++
	}
	for it := 0; it < kmeansMaxIter; it++ {
		// New centres.
		maxMove, second, maxJ := 0.0, 0.0, -1
		for j := 0; j < k; j++ {
			moved[j] = 0
			if cnt[j] == 0 || sw[j] <= 0 {
				continue
			}
			nx, ny := sx[2*j]/sw[j], sx[2*j+1]/sw[j]
			moved[j] = math.Hypot(nx-c[2*j], ny-c[2*j+1])
			c[2*j], c[2*j+1] = nx, ny
			if moved[j] > maxMove {
				second, maxMove, maxJ = maxMove, moved[j], j
			} else if moved[j] > second {
				second = moved[j]
			}
		}
		if maxMove == 0 && it > 0 {
			break
		}
		halves()
		for j := 0; j < k; j++ {
			s[j] = math.Inf(1)
			for o := 0; o < k; o++ {
				if o != j {
					s[j] = min(s[j], half[j*k+o])
				}
			}
		}
		changed := 0
		for i := 0; i < n; i++ {
			j := a[i]
			u[i] += moved[j]
			if j == maxJ {
				l[i] -= second
			} else {
				l[i] -= maxMove
			}
			bound := max(s[j], l[i])
			if u[i] <= bound {
				continue
			}
			u[i] = math.Sqrt(dist2(xs, i, c, j))
			if u[i] <= bound {
				continue
			}
			b, d1, d2 := closest(i)
			if b != j {
				changed++
				a[i] = b
				x := wt(w, i)
				sx[2*j] -= x * xs[2*i]
				sx[2*j+1] -= x * xs[2*i+1]
				sw[j] -= x
				cnt[j]--
				sx[2*b] += x * xs[2*i]
				sx[2*b+1] += x * xs[2*i+1]
				sw[b] += x
				cnt[b]++
			}
			u[i], l[i] = d1, d2
		}
		if kmDebug != nil && k == 100 {
			kmDebug(it, changed)
		}
		if changed == 0 || changed*kmeansStill < n {
			break
		}
	}
	return c, a
}

// sampleRows returns the indexes 0…n-1 when n ≤ limit, otherwise about
// limit evenly spaced ones (deterministic, so the map is).
func sampleRows(n, limit int) []int {
	step := max(1, (n+limit-1)/limit)
	out := make([]int, 0, (n+step-1)/step)
	for i := 0; i < n; i += step {
		out = append(out, i)
	}
	return out
}

// baseSilhouettes returns, for each grouping groups[j] of the base
// clusters (centres bx, sizes bw) into ks[j] groups, the silhouette of each
// point of xs, in base cluster own[i], the other participants standing at
// their base clusters' centres (the point itself left out of its own base
// cluster): (b - a) / max(a, b), where a is the mean distance to the
// participants of its group and b the smallest mean distance to those of
// another group (Rousseeuw, 1987); 0 when it is alone in its group. Unlike
// a silhouette over the base centres counted once each, the participants'
// density counts: a base cluster of 300 weighs 300 times one of 1.
func baseSilhouettes(xs []float64, own []int, bx, bw []float64, groups [][]int, ks []int) [][]float64 {
	n, nb := len(xs)/2, len(bw)
	out := make([][]float64, len(ks))
	for j := range ks {
		out[j] = make([]float64, n)
	}
	d := make([]float64, nb)
	// size[j][g]: the participants in group g of grouping j.
	size := make([][]float64, len(ks))
	maxK := 0
	for j, k := range ks {
		size[j] = make([]float64, k)
		for b, g := range groups[j] {
			size[j][g] += bw[b]
		}
		maxK = max(maxK, k)
	}
	sum := make([]float64, maxK)
	for i := 0; i < n; i++ {
		for b := 0; b < nb; b++ {
			d[b] = math.Sqrt(dist2(xs, i, bx, b))
		}
		for j, k := range ks {
			g := groups[j]
			sum := sum[:k]
			clear(sum)
			for b, x := range d {
				sum[g[b]] += bw[b] * x
			}
			mine := g[own[i]]
			sum[mine] -= d[own[i]] // the point itself
			in, other := 0.0, math.Inf(1)
			if size[j][mine] <= 1 {
				continue
			}
			in = sum[mine] / (size[j][mine] - 1)
			for o := 0; o < k; o++ {
				if o != mine && size[j][o] > 0 {
					other = min(other, sum[o]/size[j][o])
				}
			}
			if m := max(in, other); m > 0 && !math.IsInf(other, 1) {
				out[j][i] = (other - in) / m
			}
		}
	}
	return out
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// chooseK picks among groupings (by increasing number of groups, per[j]
// the silhouettes of the same points under grouping j) the one with the
// fewest groups whose mean silhouette is not significantly below the best
// one's: the best is significantly better when the paired difference of
// the points' silhouettes has a one-sided z statistic of at least
// zCritical. More groups are adopted only when the participants show them.
func chooseK(per [][]float64) int {
	best := 0
	for j := range per {
		if mean(per[j]) > mean(per[best])+1e-12 {
			best = j
		}
	}
	for j := 0; j < best; j++ {
		if pairedZ(per[best], per[j]) < zCritical {
			return j
		}
	}
	return best
}

// pairedZ is the z statistic of the mean of a[i] - b[i]: +Inf when every
// difference is the same positive number, 0 when they are all zero.
func pairedZ(a, b []float64) float64 {
	n := len(a)
	if n == 0 {
		return 0
	}
	d := make([]float64, n)
	for i := range a {
		d[i] = a[i] - b[i]
	}
	m := mean(d)
	if n < 2 {
		return 0
	}
	ss := 0.0
	for _, x := range d {
		ss += (x - m) * (x - m)
	}
	se := math.Sqrt(ss / float64(n-1) / float64(n))
	if se == 0 {
		switch {
		case m > 0:
			return math.Inf(1)
		case m < 0:
			return math.Inf(-1)
		}
		return 0
	}
	return m / se
}
