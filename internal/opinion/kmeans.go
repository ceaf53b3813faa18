package opinion

import (
	"cmp"
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
	kmeansStill  = 200
	kmeansStarts = 5 // k-means++ starts per k when grouping base clusters
)

// group clusters the 2-D points xs (x0, y0, x1, y1, …): base clusters
// first, then groups of base clusters for each k, chosen by silhouette. It
// returns each point's group, the k chosen and the silhouette of each k.
//
// The base clusters start from the centres bases when there are as many
// as the base clusters to make (the previous map's), by k-means++
// otherwise, each point's scan for its nearest centre beginning at its
// base cluster in hint when it has one (≥ 0); group returns the base
// centres and each point's base cluster. Given keepK (> 0) among the k
// tried, that k is kept without scoring the groupings (no silhouettes).
func group(xs []float64, opts Options, bases []float64, hint []int32, keepK int) ([]int, int, map[int]float64, []float64, []int) {
	n := len(xs) / 2
	rng := newRand(opts.Seed)
	sil := map[int]float64{}
	if n == 1 {
		return []int{0}, 1, sil, nil, nil
	}
	kb := min(baseClusters, n)
	if len(bases) != 2*kb {
		bases, hint = nil, nil
	}
	baseCenters, baseOf := kmeans(xs, nil, kb, rng, bases, hint)
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
	var clusterings [][]int // by k - 2, each base cluster's group
	var ks []int
	for k := 2; k <= maxK; k++ {
		var assign []int
		inertia := math.Inf(1)
		for s := 0; s < kmeansStarts; s++ {
			c, a := kmeans(bx, bw, k, rng, nil, nil)
			if in := cost(bx, bw, c, a); in < inertia-1e-12 {
				inertia, assign = in, a
			}
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
// centre, is not examined), from a k-means++ start. It returns the centres
// and each point's cluster. Given init (k centres), it starts from them;
// given hint, a point's first scan for its nearest centre begins at
// hint[i] (when in 0…k-1), which finds it in a few steps when the point
// was near that centre.
func kmeans(xs, w []float64, k int, rng *rand, init []float64, hint []int32) ([]float64, []int) {
	n := len(xs) / 2
	var c []float64
	if len(init) == 2*k {
		c = append([]float64(nil), init...)
	} else {
		c = seedPlusPlus(xs, w, k, rng)
	}
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
	halves := func() {
		for j := 0; j < k; j++ {
			for o := 0; o < k; o++ {
				dx, dy := c[2*j]-c[2*o], c[2*j+1]-c[2*o+1]
				half[j*k+o] = math.Sqrt(dx*dx+dy*dy) / 2
			}
			row := near[j*(k-1) : (j+1)*(k-1)]
			r := 0
			for o := 0; o < k; o++ {
				if o != j {
					row[r] = int32(o)
					r++
				}
			}
			h := half[j*k : (j+1)*k]
			slices.SortFunc(row, func(x, y int32) int {
				return cmp.Compare(h[x], h[y])
			})
		}
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
	moved := make([]float64, k)
	for it := 0; it < kmeansMaxIter; it++ {
		// New centres.
		clear(sx)
		clear(sw)
		for i, j := range a {
			x := wt(w, i)
			sx[2*j] += x * xs[2*i]
			sx[2*j+1] += x * xs[2*i+1]
			sw[j] += x
		}
		maxMove, second, maxJ := 0.0, 0.0, -1
		for j := 0; j < k; j++ {
			moved[j] = 0
			if sw[j] == 0 {
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
		for i, j := range a {
			u[i] += moved[j]
			if j == maxJ {
				l[i] -= second
			} else {
				l[i] -= maxMove
			}
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
			bound := max(s[a[i]], l[i])
			if u[i] <= bound {
				continue
			}
			u[i] = math.Sqrt(dist2(xs, i, c, a[i]))
			if u[i] <= bound {
				continue
			}
			b, d1, d2 := closest(i)
			if b != a[i] {
				changed++
				a[i] = b
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
