package opinion

import (
	"math"
	"testing"
)

func TestSampleRows(t *testing.T) {
	for _, c := range []struct {
		n, limit int
		want     []int
	}{
		{0, 3, []int{}},
		{1, 3, []int{0}},
		{3, 3, []int{0, 1, 2}},
		{4, 3, []int{0, 2}},
		{7, 3, []int{0, 3, 6}},
		{10, 5, []int{0, 2, 4, 6, 8}},
	} {
		got := sampleRows(c.n, c.limit)
		if len(got) != len(c.want) {
			t.Errorf("sampleRows(%d, %d) = %v, want %v", c.n, c.limit, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("sampleRows(%d, %d) = %v, want %v", c.n, c.limit, got, c.want)
				break
			}
		}
	}
}

func TestPairedZ(t *testing.T) {
	for _, c := range []struct {
		name string
		a, b []float64
		want float64
	}{
		{"empty", nil, nil, 0},
		{"one point", []float64{1}, []float64{0}, 0},
		{"all equal", []float64{0.5, 0.2}, []float64{0.5, 0.2}, 0},
		{"same gain everywhere", []float64{0.5, 0.3}, []float64{0.4, 0.2}, math.Inf(1)},
		{"same loss everywhere", []float64{0.4, 0.2}, []float64{0.5, 0.3}, math.Inf(-1)},
		// Differences 1, 0, -1, 2: mean 0.5, sample variance 5/3, so
		// z = 0.5 / sqrt(5/3/4).
		{"spread", []float64{1, 0, 0, 2}, []float64{0, 0, 1, 0}, 0.5 / math.Sqrt(5.0/12)},
	} {
		if got := pairedZ(c.a, c.b); !(got == c.want || math.Abs(got-c.want) < 1e-12) {
			t.Errorf("%s: pairedZ = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestChooseK(t *testing.T) {
	// per[j] holds the silhouettes of the same points under grouping j
	// (j = 0 is the fewest groups).
	noisy := func(base float64, gain []float64) []float64 {
		out := make([]float64, len(gain))
		for i, g := range gain {
			out[i] = base + g
		}
		return out
	}
	small := []float64{0.02, -0.01, 0.01, -0.015, 0.005, -0.005} // mean 0.000833, not significant
	large := []float64{0.10, 0.12, 0.09, 0.11, 0.10, 0.08}       // significant
	zero := make([]float64, 6)
	for _, c := range []struct {
		name string
		per  [][]float64
		want int
	}{
		{"one grouping", [][]float64{zero}, 0},
		{"fewest groups best", [][]float64{noisy(0.5, large), noisy(0.5, zero), noisy(0.4, zero)}, 0},
		{"more groups, not significantly better", [][]float64{noisy(0.5, zero), noisy(0.5, small)}, 0},
		{"more groups, significantly better", [][]float64{noisy(0.5, zero), noisy(0.5, large)}, 1},
		{"best significantly above the first, not the second", [][]float64{noisy(0.4, zero), noisy(0.5, zero), noisy(0.5, small)}, 1},
		{"best significantly above all smaller", [][]float64{noisy(0.3, zero), noisy(0.4, zero), noisy(0.4, large), noisy(0.2, zero)}, 2},
		{"equal silhouettes keep the fewest", [][]float64{noisy(0.5, zero), noisy(0.5, zero)}, 0},
	} {
		if got := chooseK(c.per); got != c.want {
			t.Errorf("%s: chooseK = %d, want %d", c.name, got, c.want)
		}
	}
}

func TestBaseSilhouettes(t *testing.T) {
	// Two base clusters of 2 participants, at x = 0 and x = 10, and a
	// third of 1 at x = 11.
	bx := []float64{0, 0, 10, 0, 11, 0}
	bw := []float64{2, 2, 1}
	for _, c := range []struct {
		name   string
		xs     []float64
		own    []int
		groups []int // base cluster -> group
		k      int
		want   []float64
	}{
		{
			// The participant at 0 (base 0) sees its other member at 0
			// (a = 0) and the others at 10, 10, 11 (b = 31/3): s = 1.
			name: "well apart", xs: []float64{0, 0}, own: []int{0}, groups: []int{0, 1, 1}, k: 2, want: []float64{1},
		},
		{
			// The participant at 11 (base 2) is alone in group 2: 0.
			name: "alone in its group", xs: []float64{11, 0}, own: []int{2}, groups: []int{0, 1, 2}, k: 3, want: []float64{0},
		},
		{
			// The participant at 10 (base 1) grouped with base 0: a is
			// the mean of 0 (its fellow in base 1) and 10, 10 (base 0)
			// = 20/3; b = 1 (base 2): s = (1 - 20/3) / (20/3).
			name: "misplaced", xs: []float64{10, 0}, own: []int{1}, groups: []int{0, 0, 1}, k: 2, want: []float64{(1 - 20.0/3) / (20.0 / 3)},
		},
	} {
		got := baseSilhouettes(c.xs, c.own, bx, bw, [][]int{c.groups}, []int{c.k})[0]
		for i := range c.want {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Errorf("%s: silhouette %v, want %v", c.name, got, c.want)
			}
		}
	}
}

// A statement moderated out counts, as in Polis, as a pass by everyone in
// the scaling sqrt(statements / votes) of a participant's position.
func TestProjectZeroedColumns(t *testing.T) {
	m := build(Votes{{1, 1, 1}, {1, 2, -1}, {2, 1, -1}, {2, 2, 1}, {2, 3, 1}, {3, 3, -1}})
	all := []int32{0, 1, 2}
	s := m.subset(all, nil)
	pc := [2][]float64{{1, 0, 0}, {0, 1, 0}}
	for _, c := range []struct {
		zeroed int
		row    int
		scale  float64
	}{
		{0, 0, math.Sqrt(3.0 / 2)},
		{0, 1, 1},
		{0, 2, math.Sqrt(3.0)},
		{2, 0, math.Sqrt(5.0 / 4)},
		{2, 1, 1},
		{2, 2, math.Sqrt(5.0 / 3)},
	} {
		plain := s.project(pc, 0)
		got := s.project(pc, c.zeroed)
		r := c.row
		var a, b float64
		for i := s.start[r]; i < s.start[r+1]; i++ {
			a += float64(s.val[i]) * pc[0][s.col[i]]
			b += float64(s.val[i]) * pc[1][s.col[i]]
		}
		if math.Abs(got[2*r]-a*c.scale) > 1e-9 || math.Abs(got[2*r+1]-b*c.scale) > 1e-9 {
			t.Errorf("zeroed %d, row %d: (%v, %v), want (%v, %v) (unzeroed %v)", c.zeroed, r, got[2*r], got[2*r+1], a*c.scale, b*c.scale, plain[2*r:2*r+2])
		}
	}
}

// The planted groups of the benchmark's smaller size are found, whatever
// the conversation's seed: four groups, Rand index at least 0.95.
func TestPlantedGroupsFound(t *testing.T) {
	if testing.Short() {
		t.Skip("several maps of 10,000 participants")
	}
	for _, seed := range []uint64{7, 11, 13} {
		votes, truth := planted(10_000, 1_000, 300_000, seed)
		m := Compute(votes, Options{Seed: 1})
		got := make([]int, len(m.Counted))
		want := make([]int, len(m.Counted))
		for i, p := range m.Counted {
			got[i], want[i] = p.Group, truth[p.Participant]
		}
		ri, ari := RandIndex(got, want)
		if m.K != 4 || ri < 0.95 {
			t.Errorf("seed %d: %d groups, Rand %.4f (adjusted %.4f), silhouettes %v; want the 4 planted groups, Rand ≥ 0.95", seed, m.K, ri, ari, m.Silhouettes)
		}
	}
}
