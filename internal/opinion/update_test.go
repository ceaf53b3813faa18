package opinion

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"sort"
	"testing"
)

// votesOf lists a matrix's votes by participant and statement identifier.
func votesOf(m *matrix) map[int]map[int]int8 {
	out := map[int]map[int]int8{}
	for r, p := range m.pid {
		row := map[int]int8{}
		for i := m.start[r]; i < m.start[r+1]; i++ {
			row[m.sid[m.col[i]]] = m.raw[i]
		}
		if int(m.nVotes[r]) != len(row) {
			panic(fmt.Sprintf("participant %d: %d votes counted, %d held", p, m.nVotes[r], len(row)))
		}
		out[p] = row
	}
	return out
}

func TestMerge(t *testing.T) {
	old := Votes{{1, 10, 1}, {1, 11, -1}, {2, 10, 0}, {3, 12, 1}}
	for _, c := range []struct {
		name string
		new  Votes
	}{
		{"nothing new", nil},
		{"only invalid votes", Votes{{-1, 10, 1}, {1, 10, 7}}},
		{"a change of mind", Votes{{1, 11, 1}}},
		{"a new statement", Votes{{2, 13, -1}}},
		{"a new participant", Votes{{4, 10, 1}, {4, 12, -1}}},
		{"a new participant on a new statement", Votes{{5, 14, 1}}},
		{"changes within the new votes", Votes{{1, 10, -1}, {1, 10, 0}, {6, 10, 1}, {6, 10, -1}}},
		{"everything at once", Votes{{3, 12, -1}, {7, 15, 1}, {1, 15, 0}, {2, 10, 1}, {-3, 1, 1}}},
	} {
		o := build(old)
		m, touched := merge(o, c.new)
		want := build(append(append(Votes{}, old...), c.new...))
		if got, w := votesOf(m), votesOf(want); !reflect.DeepEqual(got, w) {
			t.Errorf("%s: merged votes %v, want %v", c.name, got, w)
		}
		// The columns' sums and counts are those of the merged votes,
		// and the changed rows those with a valid new vote.
		sum, cnt := columnSums(m)
		if !reflect.DeepEqual(m.sum, sum) || !reflect.DeepEqual(m.cnt, cnt) {
			t.Errorf("%s: column sums %v and counts %v kept, %v and %v held", c.name, m.sum, m.cnt, sum, cnt)
		}
		nw := map[int]bool{}
		for _, p := range build(c.new).pid {
			nw[p] = true
		}
		var rows []int32
		for r, p := range o.pid {
			if nw[p] {
				rows = append(rows, int32(r))
			}
		}
		if !reflect.DeepEqual(touched, rows) || len(touched)+len(m.pid)-len(o.pid) != len(nw) {
			t.Errorf("%s: old rows with newer votes %v, want %v", c.name, touched, rows)
		}
		if m.nCols != len(m.sid) || len(m.start) != len(m.pid)+1 || int(m.start[len(m.pid)]) != len(m.col) {
			t.Errorf("%s: inconsistent matrix: %d columns for %d statements, %d starts for %d rows", c.name, m.nCols, len(m.sid), len(m.start), len(m.pid))
		}
	}
	// The old matrix is not changed.
	o := build(old)
	before := votesOf(o)
	sum, cnt := append([]float64(nil), o.sum...), append([]float64(nil), o.cnt...)
	merge(o, Votes{{1, 10, -1}, {9, 10, 1}, {9, 16, 1}})
	if !reflect.DeepEqual(votesOf(o), before) || !reflect.DeepEqual(o.sum, sum) || !reflect.DeepEqual(o.cnt, cnt) {
		t.Error("merge changed the old matrix")
	}
}

func TestUpdateWithoutVotes(t *testing.T) {
	if _, err := Update(Map{}, Votes{{1, 1, 1}}, Options{}); !errors.Is(err, ErrNoVotes) {
		t.Errorf("Update of the zero Map: %v, want ErrNoVotes", err)
	}
}

// Update gives the map Compute gives on all the votes, up to where the
// iterations stop.
func TestUpdateMatchesCompute(t *testing.T) {
	all, truth := planted(2000, 100, 102_000, 3)
	opts := Options{Seed: 5}
	for _, c := range []struct {
		name string
		cut  int // votes in the first map
	}{
		{"a few new votes", 101_900},
		{"two thousand new votes", 100_000},
		{"half the votes new", 51_000},
	} {
		t.Run(c.name, func(t *testing.T) {
			prev := Compute(all[:c.cut], opts)
			again := Compute(all[:c.cut], opts)
			got, err := Update(prev, all[c.cut:], opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(prev, again) {
				t.Error("Update changed the previous map")
			}
			want := Compute(all, opts)
			if got.K != want.K || got.Participants != want.Participants || got.Statements != want.Statements || len(got.Counted) != len(want.Counted) {
				t.Fatalf("update: %d groups, %d participants, %d statements, %d counted; compute: %d, %d, %d, %d",
					got.K, got.Participants, got.Statements, len(got.Counted), want.K, want.Participants, want.Statements, len(want.Counted))
			}
			byID := map[int]Point{}
			for _, p := range want.Counted {
				byID[p.Participant] = p
			}
			a := make([]int, len(got.Counted))
			b := make([]int, len(got.Counted))
			tr := make([]int, len(got.Counted))
			for i, p := range got.Counted {
				w, ok := byID[p.Participant]
				if !ok || w.Votes != p.Votes {
					t.Fatalf("participant %d: %+v in the update, %+v (%v) in the computation", p.Participant, p, w, ok)
				}
				a[i], b[i], tr[i] = p.Group, w.Group, truth[p.Participant]
			}
			// The base clusters start elsewhere, so participants on a
			// border may fall on its other side: two computations of
			// these votes with seeds 6, 7 and 8 agree with seed 5's at
			// 0.986 to 0.991.
			if ri, _ := RandIndex(a, b); ri < 0.98 {
				t.Errorf("Rand index between the update and the computation %.4f, want at least 0.98", ri)
			}
			if ri, _ := RandIndex(a, tr); ri < 0.95 {
				t.Errorf("Rand index of the update against the planted groups %.4f, want at least 0.95", ri)
			}
			for k := range 2 {
				if cos := math.Abs(dot(got.Components[k], want.Components[k])); cos < 0.999 {
					t.Errorf("component %d: cosine %.6f between the update and the computation", k, cos)
				}
			}
			if c.cut >= 100_000 && got.Iterations >= want.Iterations {
				t.Errorf("the update took %d power iterations, the computation %d: the warm start saved none", got.Iterations, want.Iterations)
			}
		})
	}
}

func TestTally(t *testing.T) {
	// Participants 1, 2 in group 0, 3 in group 1, 4 in no group;
	// statements 10, 11.
	m := build(Votes{{1, 10, 1}, {1, 11, -1}, {2, 10, 1}, {2, 11, 0}, {3, 10, -1}, {4, 10, 1}, {4, 11, -1}})
	c := m.tally([]int{0, 0, 1, -1}, 2)
	col := map[int]int{}
	for i, id := range m.sid {
		col[id] = i
	}
	for _, w := range []struct {
		g, statement          int // g = -1: everyone
		agree, disagree, seen int32
	}{
		{0, 10, 2, 0, 2},
		{0, 11, 0, 1, 2},
		{1, 10, 0, 1, 1},
		{1, 11, 0, 0, 0},
		{-1, 10, 3, 1, 4},
		{-1, 11, 0, 2, 3},
	} {
		cc := col[w.statement]
		var a, d, s int32
		if w.g < 0 {
			a, d, s = c.allA[cc], c.allD[cc], c.allS[cc]
		} else {
			j := w.g*c.nc + cc
			a, d, s = c.agree[j], c.dis[j], c.seen[j]
		}
		if a != w.agree || d != w.disagree || s != w.seen {
			t.Errorf("group %d, statement %d: %d agree, %d disagree, %d seen; want %d, %d, %d", w.g, w.statement, a, d, s, w.agree, w.disagree, w.seen)
		}
	}
}

// topReps gives the n first of a stable sort by metric (descending), then
// statement, whether it selects or sorts.
func TestTopReps(t *testing.T) {
	rng := newRand(9)
	for _, size := range []int{0, 1, 3, 19, 20, 21, 200} {
		for _, n := range []int{0, 1, 5} {
			r := make([]Rep, size)
			for i := range r {
				// Few distinct metrics and statements, so there are ties.
				r[i] = Rep{Statement: rng.intn(8), Metric: float64(rng.intn(4)), Seen: i}
			}
			want := append([]Rep(nil), r...)
			sort.SliceStable(want, func(i, j int) bool {
				if want[i].Metric != want[j].Metric {
					return want[i].Metric > want[j].Metric
				}
				return want[i].Statement < want[j].Statement
			})
			if len(want) > n {
				want = want[:n]
			}
			got := topReps(append([]Rep(nil), r...), n)
			if len(got) != len(want) || (len(got) > 0 && !reflect.DeepEqual(got, want)) {
				t.Errorf("%d reps, n = %d: got %v, want %v", size, n, got, want)
			}
		}
	}
}

func TestSettled(t *testing.T) {
	tol := math.Sqrt(2 * pcaTolerance) // 1.414e-4 rad
	for _, c := range []struct {
		name        string
		before, now [2]float64
		want        bool
	}{
		{"a first step below the tolerance", [2]float64{-1, -1}, [2]float64{1e-5, 1e-6}, true},
		{"a first step above it", [2]float64{-1, -1}, [2]float64{1e-5, 1e-3}, false},
		{"a step of exactly the tolerance, no step before", [2]float64{-1, -1}, [2]float64{0, tol}, false},
		{"steps shrinking fast: little left", [2]float64{2.4e-3, 2.4e-3}, [2]float64{1.9e-4, 1.9e-4}, true},
		{"steps shrinking slowly: much left", [2]float64{4e-4, 4e-4}, [2]float64{3e-4, 3e-4}, false},
		{"left just above the tolerance", [2]float64{1e-3, 1e-3}, [2]float64{5e-4, 2.9e-4}, false},
		{"steps growing", [2]float64{2e-4, 2e-4}, [2]float64{3e-4, 3e-4}, false},
		{"steps not shrinking", [2]float64{3e-4, 3e-4}, [2]float64{3e-4, 3e-4}, false},
		{"one below the tolerance, one shrinking fast", [2]float64{-1, 1e-3}, [2]float64{1e-5, 2e-4}, true},
		{"one below the tolerance, one shrinking slowly", [2]float64{-1, 3e-4}, [2]float64{1e-5, 2e-4}, false},
		{"a zero step before", [2]float64{0, 0}, [2]float64{2e-4, 2e-4}, false},
		{"no move at all", [2]float64{0, 0}, [2]float64{0, 0}, true},
	} {
		if got := settled(c.before, c.now); got != c.want {
			t.Errorf("%s: settled(%v, %v) = %v, want %v", c.name, c.before, c.now, got, c.want)
		}
	}
}

func TestRechoose(t *testing.T) {
	for _, c := range []struct {
		since, changed, counted int
		want                    bool
	}{
		{1, 0, 1000, false},
		{1, 50, 1000, false}, // 5 %: not more
		{1, 51, 1000, true},
		{9, 50, 1000, false},
		{10, 0, 1000, true},
		{11, 0, 1000, true},
		{3, 1, 20, false},
		{3, 2, 20, true},
		{1, 1, 0, true},
	} {
		if got := rechoose(c.since, c.changed, c.counted); got != c.want {
			t.Errorf("rechoose(%d updates, %d changed, %d counted) = %v, want %v", c.since, c.changed, c.counted, got, c.want)
		}
	}
}

// group keeps the number of groups it is given when it tries it, without
// silhouettes, and chooses otherwise.
func TestGroupKeepsK(t *testing.T) {
	all, _ := planted(2000, 100, 60_000, 3)
	m := Compute(all, Options{Seed: 5})
	xs := make([]float64, 0, 2*len(m.Counted))
	pids := make([]int, 0, len(m.Counted))
	for _, p := range m.Counted {
		xs = append(xs, p.X, p.Y)
		pids = append(pids, p.Participant)
	}
	opts := Options{Seed: 5}.Defaults()
	for _, c := range []struct {
		keep, wantK int
		scored      bool
	}{
		{0, m.K, true},
		{2, 2, false},
		{3, 3, false},
		{5, 5, false},
		{1, m.K, true}, // not tried: chosen
		{9, m.K, true}, // beyond MaxK: chosen
	} {
		assign, k, sil, _, _ := group(xs, pids, opts, nil, nil, c.keep)
		if k != c.wantK || (len(sil) > 0) != c.scored {
			t.Errorf("keep %d: %d groups, silhouettes %v; want %d groups, scored %v", c.keep, k, sil, c.wantK, c.scored)
		}
		seen := map[int]bool{}
		for _, g := range assign {
			seen[g] = true
		}
		if len(seen) != k {
			t.Errorf("keep %d: %d groups used, %d made", c.keep, len(seen), k)
		}
	}
}

// Small updates keep the number of groups and the silhouettes of the last
// choice; the rechooseUpdates-th update, or one changing the votes of
// more than rechooseShare of the participants, chooses again.
func TestUpdateRechoosesK(t *testing.T) {
	all, _ := planted(2000, 100, 100_000, 3)
	opts := Options{Seed: 5}
	first := Compute(all[:60_000], opts)
	m := first
	next := 60_000
	for u := 1; u <= rechooseUpdates; u++ {
		var err error
		// 10 votes: at most 10 participants changed, 0.5 % each time.
		m, err = Update(m, all[next:next+10], opts)
		if err != nil {
			t.Fatal(err)
		}
		next += 10
		if u < rechooseUpdates {
			if m.state.since != u || !reflect.DeepEqual(m.Silhouettes, first.Silhouettes) || m.K != first.K {
				t.Fatalf("update %d: %d updates since the choice, silhouettes %v, %d groups; want %d, %v, %d", u, m.state.since, m.Silhouettes, m.K, u, first.Silhouettes, first.K)
			}
		} else if m.state.since != 0 || m.state.changed != 0 || reflect.DeepEqual(m.Silhouettes, first.Silhouettes) || len(m.Silhouettes) == 0 {
			t.Errorf("update %d: %d updates since the choice, %d changed, silhouettes %v; want a new choice", u, m.state.since, m.state.changed, m.Silhouettes)
		}
	}
	// Votes of more than 5 % of the participants: chosen again at once.
	big, err := Update(first, all[60_000:70_000], opts)
	if err != nil {
		t.Fatal(err)
	}
	if big.state.since != 0 || len(big.Silhouettes) == 0 || reflect.DeepEqual(big.Silhouettes, first.Silhouettes) {
		t.Errorf("an update changing %d participants: %d updates since the choice, silhouettes %v; want a new choice", len(build(all[60_000:70_000]).pid), big.state.since, big.Silhouettes)
	}
	// The updated map's silhouettes are the caller's to change.
	small, _ := Update(first, all[60_000:60_010], opts)
	for k := range small.Silhouettes {
		small.Silhouettes[k] = -9
	}
	if reflect.DeepEqual(small.Silhouettes, first.Silhouettes) {
		t.Error("the update shares its silhouettes with the previous map")
	}
}

// mixed is a conversation with what the planted one lacks: participants
// with too few votes to be counted, among them some arriving in the last
// votes, and a statement first voted on in the last votes.
func mixed() Votes {
	all, _ := planted(2000, 100, 80_000, 3)
	rng := newRand(11)
	for p := 5000; p < 5150; p++ {
		for range 1 + rng.intn(6) {
			all = append(all, Vote{Participant: p, Statement: rng.intn(100), Value: int8(rng.intn(3)) - 1})
		}
	}
	for i := range 300 {
		all = append(all, Vote{Participant: i * 7 % 2000, Statement: 100, Value: 1})
	}
	return all
}

// countedIn reads from the whole matrix what compute copies out of it.
func TestCountedMatchesSubset(t *testing.T) {
	full := build(mixed())
	for _, drop := range []map[int]bool{nil, {7: true, 50: true}, {100: true}} {
		for _, minVotes := range []int{1, 7, 40} {
			var rows []int32
			for r := range full.pid {
				if int(full.nVotes[r]) >= minVotes {
					rows = append(rows, int32(r))
				}
			}
			keep := make([]bool, full.nCols)
			for c, id := range full.sid {
				keep[c] = !drop[id]
			}
			want := full.subset(rows, drop)
			v := countedIn(full, rows, keep)
			if !reflect.DeepEqual(v.pid, want.pid) || !reflect.DeepEqual(v.sid, want.sid) {
				t.Fatalf("drop %v, %d votes: %d participants and statements %v, want %d and %v", drop, minVotes, len(v.pid), v.sid, len(want.pid), want.sid)
			}
			assign := make([]int, len(rows))
			for i := range assign {
				assign[i] = i%4 - 1 // some in no group
			}
			if got, w := v.tally(assign, 3), want.tally(assign, 3); !reflect.DeepEqual(got, w) {
				t.Errorf("drop %v, %d votes: the tallies differ", drop, minVotes)
			}
		}
	}
}

// warmPCA and warmProject, centring on the fly, give what pca and project
// give on the centred copy.
func TestWarmPCAMatchesPCA(t *testing.T) {
	full := build(mixed())
	for _, drop := range []map[int]bool{nil, {7: true, 50: true}} {
		all := make([]int32, len(full.pid))
		for i := range all {
			all[i] = int32(i)
		}
		p := full.subset(all, drop)
		keep := make([]bool, full.nCols)
		mean := make([]float64, full.nCols)
		zeroed := 0
		for c, id := range full.sid {
			keep[c] = !drop[id]
			mean[c] = full.sum[c] / full.cnt[c]
			if drop[id] {
				zeroed++
			}
		}
		want, _ := pca(p, 1, [2][]float64{})
		got, _ := warmPCA(full, mean, keep, [2][]float64{}, 1)
		var pc [2][]float64 // got, in p's columns
		for k := range got {
			for c, x := range got[k] {
				if keep[c] {
					pc[k] = append(pc[k], x)
				} else if x != 0 {
					t.Errorf("drop %v: component %d loads %g on a statement moderated out", drop, k, x)
				}
			}
			if cos := dot(pc[k], want[k]); cos < 1-pcaTolerance {
				t.Errorf("drop %v: component %d: cosine %.12f with pca's", drop, k, cos)
			}
		}
		wx := p.project(pc, zeroed)
		gx := warmProject(full, mean, keep, got, len(p.sid), zeroed)
		for i := range wx {
			if math.Abs(gx[i]-wx[i]) > 1e-5*(1+math.Abs(wx[i])) {
				t.Fatalf("drop %v: coordinate %d: %g, project gives %g", drop, i, gx[i], wx[i])
			}
		}
	}
}

// With participants not counted, new statements, statements moderated out
// and declared groups, Update gives what Compute gives: the same counted
// participants and statements, the same consensus and declared groups'
// statements (which do not depend on the clusters), and the clusters up
// to their borders.
func TestUpdateMatchesComputeMixed(t *testing.T) {
	all := mixed()
	declared := map[int]string{}
	for p := 0; p < 2000; p += 2 {
		declared[p] = []string{"government", "civil society", "business"}[p%3]
	}
	opts := Options{Seed: 5, Excluded: map[int]bool{7: true, 50: true}, DeclaredGroups: declared}
	// The last 500 votes: new participants with few votes, and most of
	// the new statement's.
	cut := len(all) - 500
	prev := Compute(all[:cut], opts)
	got, err := Update(prev, all[cut:], opts)
	if err != nil {
		t.Fatal(err)
	}
	want := Compute(all, opts)
	if !reflect.DeepEqual(got.StatementIDs, want.StatementIDs) || got.Participants != want.Participants || got.Statements != want.Statements || got.K != want.K {
		t.Fatalf("update: statements %v, %d participants, %d statements, %d groups; compute: %v, %d, %d, %d",
			got.StatementIDs, got.Participants, got.Statements, got.K, want.StatementIDs, want.Participants, want.Statements, want.K)
	}
	if len(got.Counted) != len(want.Counted) {
		t.Fatalf("%d counted, want %d", len(got.Counted), len(want.Counted))
	}
	a := make([]int, len(got.Counted))
	b := make([]int, len(got.Counted))
	for i, p := range got.Counted {
		w := want.Counted[i]
		if p.Participant != w.Participant || p.Votes != w.Votes {
			t.Fatalf("counted %d: %+v, want %+v", i, p, w)
		}
		if math.Hypot(p.X-w.X, p.Y-w.Y) > 1e-3*(1+math.Hypot(w.X, w.Y)) {
			t.Errorf("participant %d at (%g, %g), want (%g, %g)", p.Participant, p.X, p.Y, w.X, w.Y)
		}
		a[i], b[i] = p.Group, w.Group
	}
	if ri, _ := RandIndex(a, b); ri < 0.98 {
		t.Errorf("Rand index between the update and the computation %.4f, want at least 0.98", ri)
	}
	if !reflect.DeepEqual(got.Consensus, want.Consensus) {
		t.Errorf("consensus %v, want %v", got.Consensus, want.Consensus)
	}
	if got.Declared == nil || want.Declared == nil || len(got.Declared.Groups) != 3 || got.DeclaredMissing != want.DeclaredMissing {
		t.Fatalf("declared groups %v (%d missing), want %v (%d)", got.Declared, got.DeclaredMissing, want.Declared, want.DeclaredMissing)
	}
	for g, dg := range got.Declared.Groups {
		wg := want.Declared.Groups[g]
		if dg.Label != wg.Label || dg.Size != wg.Size || !reflect.DeepEqual(dg.Agree, wg.Agree) || !reflect.DeepEqual(dg.Disagree, wg.Disagree) {
			t.Errorf("declared group %d: %+v, want %+v", g, dg, wg)
		}
	}
	if !reflect.DeepEqual(got.Declared.Splits, want.Declared.Splits) || !reflect.DeepEqual(got.Declared.GroupConsensus, want.Declared.GroupConsensus) {
		t.Error("the declared groups' splits or consensus differ")
	}
}

// The counts Update keeps from one map to the next (retally) are those
// of a count from scratch, through updates that bring new participants,
// counted or not, new statements, changes of mind and changes of group,
// and fall back to a count from scratch when the number of groups or the
// statements moderated out change.
func TestRetally(t *testing.T) {
	all := mixed()
	// Reorder so that the participants not counted and the new statement
	// come in the middle, with changes of mind after them.
	rng := newRand(21)
	for i := len(all) - 1; i > 60_000; i-- {
		j := 60_000 + rng.intn(i-60_000+1)
		all[i], all[j] = all[j], all[i]
	}
	for range 2000 {
		all = append(all, Vote{Participant: rng.intn(2000), Statement: rng.intn(101), Value: int8(rng.intn(3)) - 1})
	}
	excl := map[int]bool{7: true}
	opts := Options{Seed: 5, Excluded: excl}
	m := Compute(all[:60_000], opts)
	incremental := 0
	for step, at := 0, 60_000; at < len(all); step++ {
		end := min(len(all), at+[]int{40, 700, 3000}[step%3])
		chunk := all[at:end]
		at = end
		o := opts
		if step == 4 {
			o.Excluded = map[int]bool{7: true, 8: true}
		}
		if step == 6 {
			o.MaxK = 2
		}
		prev := m
		var err error
		if m, err = Update(prev, chunk, o); err != nil {
			t.Fatal(err)
		}
		full := m.state.full
		_, touched := merge(prev.state.full, chunk)
		minVotes := min(7, full.nCols)
		var rows []int32
		for r := range full.pid {
			if int(full.nVotes[r]) >= minVotes {
				rows = append(rows, int32(r))
			}
		}
		keep := make([]bool, full.nCols)
		for c, id := range full.sid {
			keep[c] = !o.Excluded[id]
		}
		v := countedIn(full, rows, keep)
		assign := make([]int, len(m.Counted))
		for i, p := range m.Counted {
			assign[i] = p.Group
		}
		want := v.tally(assign, m.K)
		if !reflect.DeepEqual(m.state.tally.t, want) {
			t.Fatalf("step %d: the kept counts differ from a count from scratch", step)
		}
		got := prev.state.retally(v, touched, assign, m.K, o.Excluded)
		sameRules := prev.K == m.K && maps.Equal(prev.state.tally.excluded, o.Excluded)
		if (got != nil) != sameRules {
			t.Errorf("step %d: %d groups then %d, moderated out %v then %v: counted again %v", step, prev.K, m.K, prev.state.tally.excluded, o.Excluded, got != nil)
		}
		if got != nil {
			incremental++
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("step %d: the counts changed from the previous ones differ from a count from scratch", step)
			}
		}
		opts = o
	}
	if incremental < 10 {
		t.Errorf("only %d updates counted from the previous counts", incremental)
	}
}

// With all statements but one or none moderated out, Update gives
// Compute's statements and components: a component with nothing to load
// on loads on the first statement kept, not on one moderated out.
func TestUpdateFewStatementsKept(t *testing.T) {
	var all Votes
	for p := range 30 {
		for s := range 3 {
			all = append(all, Vote{p, 10 + s, int8((p*7+s*3)%3) - 1})
		}
	}
	for _, ex := range []map[int]bool{{10: true}, {10: true, 11: true}, {11: true, 12: true}, {10: true, 11: true, 12: true}} {
		opts := Options{Seed: 2, MinVotes: 2, Excluded: ex}
		got, err := Update(Compute(all[:60], opts), all[60:], opts)
		if err != nil {
			t.Fatal(err)
		}
		want := Compute(all, opts)
		if !reflect.DeepEqual(got.StatementIDs, want.StatementIDs) || got.K != want.K || len(got.Counted) != len(want.Counted) {
			t.Fatalf("moderated out %v: statements %v, %d groups, %d counted; want %v, %d, %d", ex, got.StatementIDs, got.K, len(got.Counted), want.StatementIDs, want.K, len(want.Counted))
		}
		for k := range 2 {
			if len(got.Components[k]) != len(want.Components[k]) {
				t.Fatalf("moderated out %v: component %d %v, want %v", ex, k, got.Components[k], want.Components[k])
			}
			for c := range got.Components[k] {
				if math.Abs(got.Components[k][c]-want.Components[k][c]) > 1e-9 {
					t.Errorf("moderated out %v: component %d %v, want %v", ex, k, got.Components[k], want.Components[k])
					break
				}
			}
		}
	}
}

// The map keeps its own copy of the statements moderated out: a caller
// changing its map of them between two updates has the votes counted
// again, not wrongly from the previous counts.
func TestUpdateExcludedChangedInPlace(t *testing.T) {
	all := mixed()
	excl := map[int]bool{7: true, 8: true}
	opts := Options{Seed: 5, Excluded: excl}
	prev := Compute(all[:70_000], opts)
	delete(excl, 8) // in place: statement 8 back in the map
	got, err := Update(prev, all[70_000:70_010], opts)
	if err != nil {
		t.Fatal(err)
	}
	want := Compute(all[:70_010], opts)
	if !reflect.DeepEqual(got.StatementIDs, want.StatementIDs) || !reflect.DeepEqual(got.Consensus, want.Consensus) {
		t.Errorf("statements %v, consensus %v; want %v, %v", got.StatementIDs, got.Consensus, want.StatementIDs, want.Consensus)
	}
	if !reflect.DeepEqual(got.state.tally.t.allA, want.state.tally.t.allA) || !reflect.DeepEqual(got.state.tally.t.allS, want.state.tally.t.allS) {
		t.Error("the counts of everyone counted differ from Compute's")
	}
}
