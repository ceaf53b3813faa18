package opinion

import (
	"errors"
	"maps"
	"math"
	"slices"
)

// state is what a map keeps for Update: every vote (after the latest-wins
// rule), with each statement's sum and number of votes, the components
// with the statements they load on, the centres of the base clusters, the
// counted votes by group, and how far the number of groups was last
// chosen.
type state struct {
	full  *matrix
	pc    [2][]float64
	sid   []int // the statement of each loading of pc
	bases []float64
	// baseOf is the base cluster of each row of full, -1 for a voter
	// not counted.
	baseOf []int32
	// tally is the counted votes by group, as describe counted them.
	tally tallied
	// since is the number of updates since the number of groups was
	// last chosen, changed the participants whose votes changed over
	// them (both 0 when this map chose it).
	since, changed int
}

// tallied is a map's counted votes by group: t over the statements sid,
// the counted participants' groups assign (in the order of their rows),
// and the statements moderated out then.
type tallied struct {
	t        *counts
	sid      []int
	assign   []int
	excluded map[int]bool
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
// give on all the votes, up to the convergence of the iterations, with one
// difference: the number of groups. The power iteration starts from prev's
// components and stops once its distance left to the components is below
// Compute's tolerance, and the base clusters start from prev's centres, so
// a few new votes take a few steps, where Compute starts from random
// directions and k-means++ seeds. The grouping of the base clusters and
// everything after it is computed afresh, for the number of groups prev
// shows: Update chooses the number of groups again (as Compute does, and
// then Silhouettes holds the new scores) only once the participants whose
// votes changed since the last choice are more than 5 % of those counted,
// or on the 10th update since; in between Silhouettes holds those of the
// last choice. prev is not changed and may be updated again.
func Update(prev Map, votes Votes, opts Options) (Map, error) {
	if prev.state == nil {
		return Map{}, ErrNoVotes
	}
	return prev.state.update(prev, votes, opts), nil
}

// merge returns the matrix of old's votes and the newer votes, with its
// columns' sums and counts, and old's rows that have newer votes, in
// order: rows and columns keep their order, new participants and
// statements follow, and a newer vote on a statement replaces the old one.
// old is not changed.
func merge(old *matrix, votes Votes) (*matrix, []int32) {
	nw := build(votes)
	if len(nw.pid) == 0 {
		return old, nil
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
	// Rows: old's, then the participants new to the map. The rows with
	// newer votes, pairs (old row, nw's row) by old row; old's other rows
	// are copied in runs.
	newRow := nw.rowsOf(old.pid)
	type pair struct{ r, nr int32 }
	var pairs []pair
	var touched []int32
	inOld := make([]bool, len(nw.pid))
	for r, nr := range newRow {
		if nr >= 0 {
			pairs = append(pairs, pair{int32(r), nr})
			touched = append(touched, int32(r))
			inOld[nr] = true
		}
	}
	pid := append(make([]int, 0, len(old.pid)+len(nw.pid)-len(pairs)), old.pid...)
	var fresh []int32 // nw's rows of new participants, in nw's order
	for r, id := range nw.pid {
		if !inOld[r] {
			pid = append(pid, id)
			fresh = append(fresh, int32(r))
		}
	}
	m := &matrix{pid: pid, sid: sid, nCols: len(sid), start: make([]int32, len(pid)+1), nVotes: make([]int32, len(pid)), sum: sum, cnt: cnt}
	copy(m.nVotes, old.nVotes)
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
	from := int32(0)                // old's votes from here on not copied yet
	for _, p := range pairs {
		r, nr := p.r, p.nr
		lo, hi := old.start[r], old.start[r+1]
		m.col = append(m.col, old.col[from:lo]...)
		m.raw = append(m.raw, old.raw[from:lo]...)
		from = hi
		before := len(m.col)
		for i := nw.start[nr]; i < nw.start[nr+1]; i++ {
			mark[colOf[nw.col[i]]] = r + 1
		}
		for i := lo; i < hi; i++ {
			c := old.col[i]
			if mark[c] != r+1 {
				m.col = append(m.col, c)
				m.raw = append(m.raw, old.raw[i])
			} else {
				sum[c] -= float64(old.raw[i])
				cnt[c]--
			}
		}
		add(nr)
		m.nVotes[r] = int32(len(m.col) - before)
	}
	m.col = append(m.col, old.col[from:]...)
	m.raw = append(m.raw, old.raw[from:]...)
	for j, nr := range fresh {
		before := len(m.col)
		add(nr)
		m.nVotes[len(old.pid)+j] = int32(len(m.col) - before)
	}
	for r, n := range m.nVotes {
		m.start[r+1] = m.start[r] + n
	}
	return m, touched
}

// rowsOf returns the row of m of each participant of pid, -1 for one not
// in m.
func (m *matrix) rowsOf(pid []int) []int32 {
	out := make([]int32, len(pid))
	maxID := 0
	for _, id := range pid {
		maxID = max(maxID, id)
	}
	if maxID < 4*len(pid)+1<<16 {
		// Dense enough identifiers: a slice.
		at := make([]int32, maxID+1)
		for i := range at {
			at[i] = -1
		}
		for r, id := range m.pid {
			if id <= maxID {
				at[id] = int32(r)
			}
		}
		for i, id := range pid {
			out[i] = at[id]
		}
		return out
	}
	at := make(map[int]int32, len(m.pid))
	for r, id := range m.pid {
		at[id] = int32(r)
	}
	for i, id := range pid {
		out[i] = -1
		if r, ok := at[id]; ok {
			out[i] = r
		}
	}
	return out
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
// map s belongs to. It follows compute step by step, with these
// shortcuts: the votes are centred by their column means on the fly
// (kept current by merge, so no centred copy of the votes is made); the
// power iteration starts from the previous components and stops on an
// estimate of the distance left (settled); the counted votes are read in
// the merged matrix rather than copied out of it (countedIn), and counted
// by group from the previous counts (retally); and the number of groups
// is kept between choices (rechoose).
func (s *state) update(prev Map, votes Votes, opts Options) Map {
	opts = opts.Defaults()
	full, touched := merge(s.full, votes)
	changed := len(touched) + len(full.pid) - len(s.full.pid)
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
	xs := pxs // every voter counted: the same positions
	if len(rows) < len(full.pid) {
		xs = make([]float64, 2*len(rows))
		for i, r := range rows {
			xs[2*i], xs[2*i+1] = pxs[2*r], pxs[2*r+1]
		}
	}
	v := countedIn(full, rows, keep)
	out.Counted = make([]Point, len(rows))
	for i, r := range rows {
		out.Counted[i] = Point{Participant: v.pid[i], X: xs[2*i], Y: xs[2*i+1], Votes: int(full.nVotes[r])}
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
	assign, k, sil, bases, baseOf := group(xs, v.pid, opts, s.bases, hint, keepK)
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
	t := s.retally(v, touched, assign, k, opts.Excluded)
	if t == nil {
		t = v.tally(assign, k)
	}
	out.describe(v.pid, v.sid, xs, assign, k, opts, t, v.tally)
	return out
}

// retally counts the votes of v's participants by their groups assign
// among k from s's counts, changing only those of the participants whose
// votes or group changed (touched being s's rows with newer votes), or
// returns nil when s's counts are not of k groups or of the same
// statements moderated out.
func (s *state) retally(v *view, touched []int32, assign []int, k int, excluded map[int]bool) *counts {
	was := s.tally
	if was.t == nil || was.t.k != k || !maps.Equal(was.excluded, excluded) {
		return nil
	}
	old, full := s.full, v.full
	// Each old row's group; its counted rows are those with a base
	// cluster, in order.
	oldG := make([]int32, len(old.pid))
	i := 0
	for r := range oldG {
		oldG[r] = -1
		if r < len(s.baseOf) && s.baseOf[r] >= 0 {
			if i == len(was.assign) {
				return nil
			}
			oldG[r] = int32(was.assign[i])
			i++
		}
	}
	if i != len(was.assign) {
		return nil
	}
	newG := make([]int32, len(full.pid))
	for r := range newG {
		newG[r] = -1
	}
	for i, r := range v.rows {
		newG[r] = int32(assign[i])
	}
	// The old counts in full's columns (old's come first, in order, and
	// the counts' statements are some of them, in order): a count per
	// (group, column, vote value + 1).
	nc, pc := full.nCols, was.t.nc
	cells := make([]int32, 3*k*nc)
	j := 0
	for c, id := range old.sid {
		if j == len(was.sid) || was.sid[j] != id {
			continue
		}
		for g := range k {
			x := cells[3*(g*nc+c):]
			a, d := was.t.agree[g*pc+j], was.t.dis[g*pc+j]
			x[0], x[1], x[2] = d, was.t.seen[g*pc+j]-a-d, a
		}
		j++
	}
	if j != len(was.sid) {
		return nil
	}
	next := 0
	for r := range full.pid {
		og, ng := int32(-1), newG[r]
		moved := r >= len(old.pid)
		if !moved {
			og = oldG[r]
			if next < len(touched) && int(touched[next]) == r {
				moved = true
				next++
			}
		}
		if og == ng && !moved {
			continue
		}
		if og >= 0 {
			cell := cells[3*int(og)*nc:]
			lo, hi := old.start[r], old.start[r+1]
			raw := old.raw[lo:hi]
			for i, c := range old.col[lo:hi] {
				cell[3*int(c)+int(raw[i])+1]--
			}
		}
		if ng >= 0 {
			cell := cells[3*int(ng)*nc:]
			lo, hi := full.start[r], full.start[r+1]
			raw := full.raw[lo:hi]
			for i, c := range full.col[lo:hi] {
				cell[3*int(c)+int(raw[i])+1]++
			}
		}
	}
	// Into the tally's columns, with an empty row for no group.
	n := make([]int32, 3*(k+1)*v.nc)
	for g := range k {
		for c, d := range v.colOf {
			if d >= 0 {
				copy(n[3*(g*v.nc+int(d)):3*(g*v.nc+int(d))+3], cells[3*(g*nc+c):3*(g*nc+c)+3])
			}
		}
	}
	return fold(n, k, v.nc)
}

// view is the counted votes as compute copies them out of the merged
// matrix (subset), read in it: the participants of rows of full, the
// statements they voted on (sid; colOf gives full's column's place among
// them, or -1), nc of them.
type view struct {
	full  *matrix
	rows  []int32
	pid   []int
	sid   []int
	colOf []int32
	nc    int
}

// countedIn returns the view of the rows of full and the statements where
// keep is true.
func countedIn(full *matrix, rows []int32, keep []bool) *view {
	v := &view{full: full, rows: rows, colOf: make([]int32, full.nCols)}
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
	for c, id := range full.sid {
		v.colOf[c] = -1
		if keep[c] && left[c] > 0 {
			v.colOf[c] = int32(v.nc)
			v.sid = append(v.sid, id)
			v.nc++
		}
	}
	v.pid = make([]int, len(rows))
	for i, r := range rows {
		v.pid[i] = full.pid[r]
	}
	return v
}

// tally is matrix.tally on the view: the votes of the participants in
// groups assign among k, counted per (group, statement, vote value + 1).
func (v *view) tally(assign []int, k int) *counts {
	nc, full := v.nc, v.full
	n := make([]int32, 3*(k+1)*nc)
	for i, r := range v.rows {
		g := assign[i]
		if g < 0 {
			g = k
		}
		cell := n[3*g*nc : 3*(g+1)*nc]
		lo, hi := full.start[r], full.start[r+1]
		raw := full.raw[lo:hi]
		for j, c := range full.col[lo:hi] {
			if d := v.colOf[c]; d >= 0 {
				cell[3*int(d)+int(raw[j])+1]++
			}
		}
	}
	return fold(n, k, nc)
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
	first := max(0, slices.Index(keep, true))
	orthonormaliseAt(&v, first)
	w := [2][]float64{make([]float64, nc), make([]float64, nc)}
	// Per column, its mean, the two vectors and their products with the
	// centred votes side by side, so that each vote reads and writes
	// one place in memory.
	type entry struct{ mean, v0, v1, w0, w1 float64 }
	vi := make([]entry, nc)
	for c := range vi {
		vi[c].mean = mean[c]
	}
	iters := 0
	before := [2]float64{-1, -1}
	xbuf := make([]float64, 64) // a row's centred votes
	for iters < pcaMaxIter {
		iters++
		for c := range vi {
			e := &vi[c]
			e.v0, e.v1, e.w0, e.w1 = v[0][c], v[1][c], 0, 0
		}
		for r := range m.pid {
			lo, hi := m.start[r], m.start[r+1]
			cols, raws := m.col[lo:hi], m.raw[lo:hi:hi]
			var a, b float64
			if len(cols) > len(xbuf) {
				xbuf = make([]float64, len(cols))
			}
			xb := xbuf[:len(cols)]
			for i, c := range cols {
				e := &vi[c]
				x := float64(raws[i]) - e.mean
				xb[i] = x
				a += x * e.v0
				b += x * e.v1
			}
			for i, c := range cols {
				x := xb[i]
				e := &vi[c]
				e.w0 += x * a
				e.w1 += x * b
			}
		}
		for c := range vi {
			w[0][c], w[1][c] = 0, 0
			if keep[c] {
				w[0][c], w[1][c] = vi[c].w0, vi[c].w1
			}
		}
		orthonormaliseAt(&w, first)
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

// orthonormaliseAt is orthonormalise, a vector of zeros becoming the unit
// vector of column first (the first column kept) rather than of column 0,
// as it does in compute, where the columns left out are not there.
func orthonormaliseAt(v *[2][]float64, first int) {
	normaliseAt(v[0], first)
	d := dot(v[0], v[1])
	for i := range v[1] {
		v[1][i] -= d * v[0][i]
	}
	normaliseAt(v[1], first)
}

func normaliseAt(a []float64, first int) {
	if dot(a, a) == 0 && first < len(a) {
		a[first] = 1
		return
	}
	normalise(a)
}

// warmProject is project on the votes of m centred by mean, the columns
// where keep is false left out (kept of them kept, zeroed left out), with
// the components pc (a loading per column of m).
func warmProject(m *matrix, mean []float64, keep []bool, pc [2][]float64, kept, zeroed int) []float64 {
	// Per column, its mean and the two loadings side by side (0 for a
	// column left out).
	type entry struct{ mean, v0, v1 float64 }
	vi := make([]entry, m.nCols)
	for c := range vi {
		if keep[c] {
			vi[c] = entry{mean[c], pc[0][c], pc[1][c]}
		}
	}
	xs := make([]float64, 2*len(m.pid))
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
		n := len(cols)
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
