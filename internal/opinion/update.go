package opinion

import (
	"errors"
	"maps"
	"math"
)

// state is what a map keeps for Update: every vote (after the latest-wins
// rule), the components with the statements they load on, and the centres
// of the base clusters.
type state struct {
	full  *matrix
	pc    [2][]float64
	sid   []int // the statement of each loading of pc
	bases []float64
	// baseOf is the base cluster of each row of full, -1 for a voter
	// not counted.
	baseOf []int32
	// since is the number of updates since the number of groups was
	// last chosen, changed the participants whose votes changed over
	// them (both 0 when this map chose it).
	since, changed int
}

// components returns the kept components' loadings on the statements
// sid, in that order; a statement new to the map loads 0.
func (s *state) components(sid []int) [2][]float64 {
	at := make(map[int]int, len(s.sid))
	for i, id := range s.sid {
		at[id] = i
	}
	var out [2][]float64
	for k := range out {
		out[k] = make([]float64, len(sid))
		for c, id := range sid {
			if i, ok := at[id]; ok {
				out[k][c] = s.pc[k][i]
			}
		}
	}
	return out
}

// ErrNoVotes is returned by Update when the previous map does not hold its
// votes: a Map decoded from JSON, or the zero Map.
var ErrNoVotes = errors.New("opinion: the previous map does not hold its votes; compute it with Compute")

// Update makes the map of prev's votes and the votes cast since (votes, in
// the order they were cast; a participant's vote on a statement replaces
// its earlier one, in prev or in votes). It gives the map Compute would
// give on all the votes, up to the convergence of the iterations: the
// power iteration starts from prev's components and the base clusters from
// prev's centres, so a few new votes take a few steps, where Compute starts
// from random directions and k-means++ seeds. The grouping of the base
// clusters and everything after it is computed afresh. prev is not
// changed and may be updated again.
func Update(prev Map, votes Votes, opts Options) (Map, error) {
	if prev.state == nil {
		return Map{}, ErrNoVotes
	}
	return prev.state.update(prev, votes, opts), nil
}

// merge returns the matrix of old's votes and the newer votes, with its
// columns' sums and counts, and the number of its rows whose votes
// changed (a participant new to the map included): rows and columns keep
// their order, new participants and statements follow, and a newer vote on
// a statement replaces the old one. old is not changed.
func merge(old *matrix, votes Votes) (*matrix, int) {
	nw := build(votes)
	if len(nw.pid) == 0 {
		return old, 0
	}
	// Columns: old's, then the statements new to the map.
	sidAt := make(map[int]int32, len(old.sid)+len(nw.sid))
	sid := append(make([]int, 0, len(old.sid)+len(nw.sid)), old.sid...)
	for c, id := range old.sid {
		sidAt[id] = int32(c)
	}
	colOf := make([]int32, len(nw.sid)) // nw's column -> merged column
	for c, id := range nw.sid {
		at, ok := sidAt[id]
		if !ok {
			at = int32(len(sid))
			sidAt[id] = at
			sid = append(sid, id)
		}
		colOf[c] = at
	}
	sum, cnt := old.sum, old.cnt
	if sum == nil {
		sum, cnt = columnSums(old)
	}
	sum = append(append(make([]float64, 0, len(sid)), sum...), make([]float64, len(sid)-len(sum))...)
	cnt = append(append(make([]float64, 0, len(sid)), cnt...), make([]float64, len(sid)-len(cnt))...)
	// Rows: old's, then the participants new to the map.
	rowAt := make(map[int]int32, len(nw.pid))
	for r, id := range nw.pid {
		rowAt[id] = int32(r)
	}
	newRow := make([]int32, len(old.pid)) // old row -> nw's row, or -1
	for r, id := range old.pid {
		newRow[r] = -1
		if nr, ok := rowAt[id]; ok {
			newRow[r] = nr
			delete(rowAt, id)
		}
	}
	pid := append(make([]int, 0, len(old.pid)+len(rowAt)), old.pid...)
	var fresh []int32 // nw's rows of new participants, in nw's order
	for r, id := range nw.pid {
		if _, ok := rowAt[id]; ok {
			pid = append(pid, id)
			fresh = append(fresh, int32(r))
		}
	}
	m := &matrix{pid: pid, sid: sid, nCols: len(sid), start: make([]int32, len(pid)+1), nVotes: make([]int32, len(pid)), sum: sum, cnt: cnt}
	m.col = make([]int32, 0, len(old.col)+len(nw.col))
	m.raw = make([]int8, 0, len(old.col)+len(nw.col))
	add := func(nr int32) {
		for i := nw.start[nr]; i < nw.start[nr+1]; i++ {
			c := colOf[nw.col[i]]
			m.col = append(m.col, c)
			m.raw = append(m.raw, nw.raw[i])
			sum[c] += float64(nw.raw[i])
			cnt[c]++
		}
	}
	mark := make([]int32, len(sid)) // mark[c] == r+1: row r has a newer vote on c
	changed := len(fresh)
	for r := range old.pid {
		lo, hi := old.start[r], old.start[r+1]
		nr := newRow[r]
		if nr < 0 {
			m.col = append(m.col, old.col[lo:hi]...)
			m.raw = append(m.raw, old.raw[lo:hi]...)
		} else {
			changed++
			for i := nw.start[nr]; i < nw.start[nr+1]; i++ {
				mark[colOf[nw.col[i]]] = int32(r) + 1
			}
			for i := lo; i < hi; i++ {
				c := old.col[i]
				if mark[c] != int32(r)+1 {
					m.col = append(m.col, c)
					m.raw = append(m.raw, old.raw[i])
				} else {
					sum[c] -= float64(old.raw[i])
					cnt[c]--
				}
			}
			add(nr)
		}
		m.start[r+1] = int32(len(m.col))
		m.nVotes[r] = m.start[r+1] - m.start[r]
	}
	for j, nr := range fresh {
		r := len(old.pid) + j
		add(nr)
		m.start[r+1] = int32(len(m.col))
		m.nVotes[r] = m.start[r+1] - m.start[r]
	}
	return m, changed
}

// columnSums returns the sum of the votes and their number in each column
// of m.
func columnSums(m *matrix) (sum, cnt []float64) {
	sum = make([]float64, m.nCols)
	cnt = make([]float64, m.nCols)
	for i, c := range m.col {
		sum[c] += float64(m.raw[i])
		cnt[c]++
	}
	return sum, cnt
}

// The number of groups is chosen again (by silhouette, as Compute
// chooses it) on the update where the participants whose votes changed
// since the last choice exceed rechooseShare of the counted participants,
// or on the rechooseUpdates-th update since; in between an update keeps
// the previous number of groups and makes its groups afresh. Polis
// likewise keeps its number of groups until several updates agree on
// another.
const (
	rechooseShare   = 0.05
	rechooseUpdates = 10
)

// rechoose says whether an update chooses the number of groups again,
// since updates after the last choice (this one included) having changed
// the votes of changed participants, counted being counted.
func rechoose(since, changed, counted int) bool {
	return since >= rechooseUpdates || float64(changed) > rechooseShare*float64(counted)
}

// update makes the map of s's votes and the newer votes, prev being the
// map s belongs to. It follows compute step by step, with three
// shortcuts: the votes are centred by their column means on the fly
// (kept current by merge, so no centred copy of the votes is made), the
// power iteration starts from the previous components, and the number of
// groups is kept between choices (rechoose).
func (s *state) update(prev Map, votes Votes, opts Options) Map {
	opts = opts.Defaults()
	full, changed := merge(s.full, votes)
	out := Map{Participants: len(full.pid), Statements: full.nCols, Silhouettes: map[int]float64{}}
	if full.nCols == 0 {
		return out
	}
	nc := full.nCols
	minVotes := min(opts.MinVotes, nc)
	// The statements moderated out are columns of zeros (see compute).
	keep := make([]bool, nc)
	mean := make([]float64, nc)
	zeroed := 0
	var sid []int
	for c, id := range full.sid {
		if opts.Excluded[id] {
			zeroed++
			continue
		}
		keep[c] = true
		sid = append(sid, id)
		if full.cnt[c] > 0 {
			mean[c] = full.sum[c] / full.cnt[c]
		}
	}
	out.StatementIDs = sid
	start := s.components(full.sid)
	for k := range start {
		for c := range start[k] {
			if !keep[c] {
				start[k][c] = 0
			}
		}
	}
	pcFull, iters := warmPCA(full, mean, keep, start, opts.Seed)
	var pc [2][]float64
	for k := range pc {
		pc[k] = make([]float64, 0, len(sid))
		for c, x := range pcFull[k] {
			if keep[c] {
				pc[k] = append(pc[k], x)
			}
		}
	}
	out.Components = pc
	out.Iterations = iters
	pxs := warmProject(full, mean, keep, pcFull, len(sid), zeroed)
	var rows []int32
	for r := range full.pid {
		if int(full.nVotes[r]) >= minVotes {
			rows = append(rows, int32(r))
		}
	}
	xs := make([]float64, 2*len(rows))
	for i, r := range rows {
		xs[2*i], xs[2*i+1] = pxs[2*r], pxs[2*r+1]
	}
	out.Counted = make([]Point, len(rows))
	for i, r := range rows {
		out.Counted[i] = Point{Participant: full.pid[r], X: xs[2*i], Y: xs[2*i+1], Votes: int(full.nVotes[r])}
	}
	next := &state{full: full, pc: pc, sid: sid, since: s.since + 1, changed: s.changed + changed}
	out.state = next
	if len(rows) == 0 {
		return out
	}
	keepK := prev.K
	if rechoose(next.since, next.changed, len(rows)) {
		keepK = 0
	}
	hint := make([]int32, len(rows))
	for i, r := range rows {
		hint[i] = -1
		if int(r) < len(s.baseOf) {
			hint[i] = s.baseOf[r]
		}
	}
	assign, k, sil, bases, baseOf := group(xs, opts, s.bases, hint, keepK)
	if keepK == 0 || len(sil) > 0 {
		next.since, next.changed = 0, 0
	} else {
		sil = maps.Clone(prev.Silhouettes)
	}
	next.bases = bases
	next.baseOf = make([]int32, len(full.pid))
	for i := range next.baseOf {
		next.baseOf[i] = -1
	}
	for i, b := range baseOf {
		next.baseOf[rows[i]] = int32(b)
	}
	out.K = k
	out.Silhouettes = sil
	for i := range out.Counted {
		out.Counted[i].Group = assign[i]
	}
	pid, mid, tally := counted(full, rows, keep)
	out.describe(pid, mid, xs, assign, k, opts, tally)
	return out
}

// counted returns the participants of the rows of full, the statements
// they voted on (where keep is true), and a tally of their votes by group:
// what compute reads from the counted votes it copies out of full
// (subset), read in full.
func counted(full *matrix, rows []int32, keep []bool) (pid, sid []int, tally func([]int, int) *counts) {
	// A column is kept when a counted participant voted on it: when not
	// all its votes are those of participants not counted, who cast few.
	left := append([]float64(nil), full.cnt...)
	next := 0
	for r := range full.pid {
		if next < len(rows) && int(rows[next]) == r {
			next++
			continue
		}
		for _, c := range full.col[full.start[r]:full.start[r+1]] {
			left[c]--
		}
	}
	colOf := make([]int32, full.nCols) // full's column -> the tally's, or -1
	nc := 0
	for c, id := range full.sid {
		colOf[c] = -1
		if keep[c] && left[c] > 0 {
			colOf[c] = int32(nc)
			sid = append(sid, id)
			nc++
		}
	}
	pid = make([]int, len(rows))
	for i, r := range rows {
		pid[i] = full.pid[r]
	}
	tally = func(assign []int, k int) *counts {
		// As matrix.tally: a count per (group, statement, vote value + 1).
		n := make([]int32, 3*(k+1)*nc)
		for i, r := range rows {
			g := assign[i]
			if g < 0 {
				g = k
			}
			cell := n[3*g*nc : 3*(g+1)*nc]
			lo, hi := full.start[r], full.start[r+1]
			raw := full.raw[lo:hi]
			for j, c := range full.col[lo:hi] {
				if d := colOf[c]; d >= 0 {
					cell[3*int(d)+int(raw[j])+1]++
				}
			}
		}
		return fold(n, k, nc)
	}
	return pid, sid, tally
}

// warmPCA is pca on the votes of m, the columns where keep is false left
// out (zero) and each vote centred by its column's mean, from the vectors
// start (a loading per column of m). The centring is done on the fly: a
// vote x on column c contributes (x - mean[c])·v[c] to a row's product
// with v, looked up in a table of the three values a vote can take, and
// the products of the rows are summed per column and vote before being
// multiplied by (x - mean[c]) once per column. No centred copy of the
// votes is made, and a step reads 5 bytes a vote.
func warmPCA(m *matrix, mean []float64, keep []bool, start [2][]float64, seed uint64) ([2][]float64, int) {
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
			if keep[c] {
				v[k][c] = rng.float() - 0.5
			}
		}
	}
	orthonormalise(&v)
	w := [2][]float64{make([]float64, nc), make([]float64, nc)}
	// Per column, its mean and the two vectors side by side, and the
	// products of the centred votes with them, so each vote reads and
	// writes one place in memory.
	type entry struct{ mean, v0, v1 float64 }
	type prod struct{ w0, w1 float64 }
	vi := make([]entry, nc)
	wi := make([]prod, nc)
	for c := range vi {
		vi[c].mean = mean[c]
	}
	iters := 0
	before := [2]float64{-1, -1}
	for iters < pcaMaxIter {
		iters++
		for c := range vi {
			vi[c].v0, vi[c].v1 = v[0][c], v[1][c]
		}
		clear(wi)
		for r := range m.pid {
			lo, hi := m.start[r], m.start[r+1]
			cols, raws := m.col[lo:hi], m.raw[lo:hi:hi]
			var a, b float64
			for i, c := range cols {
				e := &vi[c]
				x := float64(raws[i]) - e.mean
				a += x * e.v0
				b += x * e.v1
			}
			for i, c := range cols {
				x := float64(raws[i]) - vi[c].mean
				p := &wi[c]
				p.w0 += x * a
				p.w1 += x * b
			}
		}
		for c := range wi {
			w[0][c], w[1][c] = 0, 0
			if keep[c] {
				w[0][c], w[1][c] = wi[c].w0, wi[c].w1
			}
		}
		orthonormalise(&w)
		var now [2]float64
		for k := range now {
			now[k] = math.Acos(min(1, math.Abs(dot(w[k], v[k]))))
		}
		v, w = w, v
		if settled(before, now) {
			break
		}
		before = now
	}
	// Fix the signs as pca does: the largest loading of each component
	// is positive.
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

// warmProject is project on the votes of m centred by mean, the columns
// where keep is false left out (kept of them kept, zeroed left out), with
// the components pc (a loading per column of m).
func warmProject(m *matrix, mean []float64, keep []bool, pc [2][]float64, kept, zeroed int) []float64 {
	nc := m.nCols
	table := make([]float64, 6*nc)
	for c := 0; c < nc; c++ {
		if !keep[c] {
			continue
		}
		for x := range 3 {
			d := float64(x-1) - mean[c]
			table[6*c+2*x], table[6*c+2*x+1] = d*pc[0][c], d*pc[1][c]
		}
	}
	xs := make([]float64, 2*len(m.pid))
	for r := range m.pid {
		lo, hi := m.start[r], m.start[r+1]
		cols, raws := m.col[lo:hi], m.raw[lo:hi:hi]
		var a, b float64
		n := len(cols)
		for i, c := range cols {
			j := 6*int(c) + 2*int(raws[i]) + 2
			a += table[j]
			b += table[j+1]
		}
		if zeroed > 0 {
			for _, c := range cols {
				if !keep[c] {
					n--
				}
			}
		}
		if n += zeroed; n > 0 {
			s := math.Sqrt(float64(kept+zeroed) / float64(n))
			a *= s
			b *= s
		}
		xs[2*r], xs[2*r+1] = a, b
	}
	return xs
}

// settled says whether the warm power iteration may stop after a step that
// moved component k by the angle now[k] (radians), the step before having
// moved it by before[k] (negative: no step before). A component is settled
// when the step moved it by less than the angle whose 1 - cos is
// pcaTolerance (compute's rule), or when the steps shrink geometrically,
// by ρ = now/before < 1 a step, and the distance left to the limit,
// now·ρ/(1 - ρ), is below that angle: the components are then as close to
// their limit as compute's rule leaves them. From the previous
// components, a step or two fewer.
func settled(before, now [2]float64) bool {
	tol := math.Sqrt(2 * pcaTolerance)
	for k := range now {
		if now[k] < tol {
			continue
		}
		if before[k] <= 0 {
			return false
		}
		rho := now[k] / before[k]
		if rho >= 1 || now[k]*rho/(1-rho) >= tol {
			return false
		}
	}
	return true
}
