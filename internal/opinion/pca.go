package opinion

import "math"

const (
	pcaMaxIter   = 200
	pcaTolerance = 1e-8
)

// pca returns the first two principal components of the centred sparse
// matrix m (loadings per column) and the number of iterations taken, by
// simultaneous power iteration on YᵀY: each step multiplies both vectors by
// Y (one pass over the rows) and by Yᵀ (a second pass), then orthonormalises
// them by Gram-Schmidt.
//
// Given start (two vectors of a loading per column, the previous map's), the
// iteration starts from them, which takes a few steps when the votes have
// changed little.
func pca(m *matrix, seed uint64, start [2][]float64) ([2][]float64, int) {
	nc := m.nCols
	var v [2][]float64
	rng := newRand(seed ^ 0x9e3779b97f4a7c15)
	for k := range v {
		v[k] = make([]float64, nc)
		if len(start[k]) == nc && dot(start[k], start[k]) > 0 {
			copy(v[k], start[k])
			continue
		}
		for c := range v[k] {
			v[k][c] = rng.float() - 0.5
		}
	}
	orthonormalise(&v)
	w := [2][]float64{make([]float64, nc), make([]float64, nc)}
	// The two vectors interleaved (v0[c], v1[c] side by side), so each
	// vote reads and writes one place in memory.
	vi := make([]float64, 2*nc)
	wi := make([]float64, 2*nc)
	iters := 0
	for iters < pcaMaxIter {
		iters++
		for c := 0; c < nc; c++ {
			vi[2*c], vi[2*c+1] = v[0][c], v[1][c]
		}
		clear(wi)
		for r := range m.pid {
			lo, hi := m.start[r], m.start[r+1]
			cols, vals := m.col[lo:hi], m.val[lo:hi]
			var a, b float64
			for i, c := range cols {
				x := float64(vals[i])
				a += x * vi[2*c]
				b += x * vi[2*c+1]
			}
			for i, c := range cols {
				x := float64(vals[i])
				wi[2*c] += x * a
				wi[2*c+1] += x * b
			}
		}
		for c := 0; c < nc; c++ {
			w[0][c], w[1][c] = wi[2*c], wi[2*c+1]
		}
		orthonormalise(&w)
		d0 := math.Abs(dot(w[0], v[0]))
		d1 := math.Abs(dot(w[1], v[1]))
		v, w = w, v
		if 1-d0 < pcaTolerance && 1-d1 < pcaTolerance {
			break
		}
	}
	// Fix the signs: the largest loading of each component is positive.
	for k := range v {
		big := 0.0
		for _, x := range v[k] {
			if math.Abs(x) > math.Abs(big) {
				big = x
			}
		}
		if big < 0 {
			for c := range v[k] {
				v[k][c] = -v[k][c]
			}
		}
	}
	return v, iters
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func orthonormalise(v *[2][]float64) {
	normalise(v[0])
	d := dot(v[0], v[1])
	for i := range v[1] {
		v[1][i] -= d * v[0][i]
	}
	normalise(v[1])
}

func normalise(a []float64) {
	n := math.Sqrt(dot(a, a))
	if n == 0 {
		if len(a) > 0 {
			a[0] = 1
		}
		return
	}
	for i := range a {
		a[i] /= n
	}
}

// rand is a small deterministic generator (SplitMix64), so that maps do not
// depend on the standard library's generator across Go versions.
type rand struct{ s uint64 }

func newRand(seed uint64) *rand { return &rand{s: seed} }

func (r *rand) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float returns a number in [0, 1).
func (r *rand) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// intn returns a number in [0, n).
func (r *rand) intn(n int) int { return int(r.next() % uint64(n)) }
