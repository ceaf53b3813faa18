package opinion

import (
	"math"
	"sort"
)

const (
	baseClusters  = 100 // Polis' base k
	kmeansMaxIter = 100
	kmeansStarts  = 5 // k-means++ starts per k when grouping base clusters
)

// group clusters the 2-D points xs (x0, y0, x1, y1, …): base clusters
// first, then groups of base clusters for each k, chosen by silhouette. It
// returns each point's group, the k chosen and the silhouette of each k.
func group(xs []float64, opts Options) ([]int, int, map[int]float64) {
	n := len(xs) / 2
	rng := newRand(opts.Seed)
	sil := map[int]float64{}
	if n == 1 {
		return []int{0}, 1, sil
	}
	kb := min(baseClusters, n)
	baseCenters, baseOf := kmeans(xs, nil, kb, rng)
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
	bestK, bestS := 1, math.Inf(-1)
	var best []int
	for k := 2; k <= maxK; k++ {
		var assign []int
		inertia := math.Inf(1)
		for s := 0; s < kmeansStarts; s++ {
			c, a := kmeans(bx, bw, k, rng)
			if in := cost(bx, bw, c, a); in < inertia-1e-12 {
				inertia, assign = in, a
			}
		}
		s := silhouette(bx, nil, assign, k) // each base cluster counts once, as in Polis
		sil[k] = s
		if s > bestS+1e-12 {
			bestK, bestS, best = k, s, assign
		}
	}
	out := make([]int, n)
	if best == nil { // too few points to split
		return out, 1, sil
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
	return out, bestK, sil
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
// and each point's cluster.
func kmeans(xs, w []float64, k int, rng *rand) ([]float64, []int) {
	n := len(xs) / 2
	c := seedPlusPlus(xs, w, k, rng)
	a := make([]int, n)
	u := make([]float64, n) // upper bound on the distance to the own centre
	l := make([]float64, n) // lower bound on the distance to any other centre
	// half[j*k+o] is half the distance between centres j and o: a centre
	// o cannot be closer to a point than its centre j when that half
	// distance exceeds the point's distance to j (the triangle
	// inequality), so most centres are skipped without a distance.
	half := make([]float64, k*k)
	halves := func() {
		for j := 0; j < k; j++ {
			for o := 0; o < k; o++ {
				dx, dy := c[2*j]-c[2*o], c[2*j+1]-c[2*o+1]
				half[j*k+o] = math.Sqrt(dx*dx+dy*dy) / 2
			}
		}
	}
	closest := func(i int) (int, float64, float64) {
		start := a[i]
		d0 := math.Sqrt(dist2(xs, i, c, start))
		b1, d1, d2 := start, d0, math.Inf(1)
		for j := 0; j < k; j++ {
			if j == start {
				continue
			}
			// |x - c_j| >= |c_start - c_j| - |x - c_start|.
			if lb := 2*half[start*k+j] - d0; lb >= d1 {
				d2 = min(d2, lb) // a lower bound is enough for the second
				continue
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
		if changed == 0 {
			break
		}
	}
	return c, a
}

// silhouette is the weighted mean silhouette of the weighted points: a
// point of weight w stands for w coincident participants.
func silhouette(xs, w []float64, a []int, k int) float64 {
	n := len(xs) / 2
	cw := make([]float64, k)
	for i, g := range a {
		cw[g] += wt(w, i)
	}
	sum, total := 0.0, 0.0
	d := make([]float64, k)
	for i := 0; i < n; i++ {
		clear(d)
		for j := 0; j < n; j++ {
			if j != i {
				d[a[j]] += wt(w, j) * math.Sqrt(dist2(xs, i, xs, j))
			}
		}
		total += wt(w, i)
		own := a[i]
		if cw[own] <= 1 {
			continue // a lone participant's silhouette is 0
		}
		in := d[own] / (cw[own] - 1)
		out := math.Inf(1)
		for g := 0; g < k; g++ {
			if g != own && cw[g] > 0 {
				out = min(out, d[g]/cw[g])
			}
		}
		if m := max(in, out); m > 0 && !math.IsInf(out, 1) {
			sum += wt(w, i) * (out - in) / m
		}
	}
	if total == 0 {
		return 0
	}
	return sum / total
}
