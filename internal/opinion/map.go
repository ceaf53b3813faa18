package opinion

import (
	"maps"
	"math"
	"sort"
)

// Vote is one participant's vote on one statement: +1 agree, -1 disagree,
// 0 pass. Identifiers are the caller's, non-negative.
type Vote struct {
	Participant int
	Statement   int
	Value       int8
}

// Votes in the order they were cast: a later vote of a participant on a
// statement replaces an earlier one. Votes with a negative identifier or a
// value outside -1..+1 are ignored.
type Votes []Vote

// Options of Compute. The zero value is made usable by Defaults.
type Options struct {
	// MinVotes is the number of votes a participant must cast to be
	// counted (Polis uses 7); capped at the number of statements.
	MinVotes int
	// MaxK is the largest number of groups tried (Polis uses 5); at least 2.
	MaxK int
	// Seed drives the power iteration's random start and the k-means++
	// starts tried besides Polis'; the same seed gives the same map.
	Seed uint64
	// MaxRepresentative bounds the representative statements listed per
	// group and side (default 5).
	MaxRepresentative int
	// Excluded statements (moderated out) take no part in the map, but
	// votes on them count toward a participant's MinVotes, as in Polis.
	Excluded map[int]bool
	// DeclaredGroups gives some participants a declared group (a
	// stakeholder group); when set, the map holds the same analysis by
	// declared group.
	DeclaredGroups map[int]string
}

// Defaults fills the zero fields of o with Polis' values.
func (o Options) Defaults() Options {
	if o.MinVotes <= 0 {
		o.MinVotes = 7
	}
	if o.MaxK < 2 {
		o.MaxK = 5
	}
	if o.MaxRepresentative <= 0 {
		o.MaxRepresentative = 5
	}
	return o
}

// Point is a counted participant on the map.
type Point struct {
	Participant int
	X, Y        float64
	Group       int // index into Map.Groups
	Votes       int // votes cast (after the latest-wins rule)
}

// Group is one group of the map: a cluster, or a declared group.
type Group struct {
	Label    string // "A", "B", … for clusters; the declared name otherwise
	Size     int
	Centroid [2]float64 // clusters only; the mean position for declared groups
	// Representative statements, agreeing then disagreeing, best first.
	Agree, Disagree []Rep
}

// Rep is a representative statement of a group.
type Rep struct {
	Statement int
	// Votes in the group: agree, disagree, seen (including passes).
	Agrees, Disagrees, Seen int
	// P is the smoothed probability (1+n)/(2+seen) in the group of the
	// side (agree or disagree); PRest the same outside the group.
	P, PRest float64
	// Z is the two-proportion test statistic of P against PRest; ZP the
	// one-proportion statistic of P against one half.
	Z, ZP float64
	// Metric is the ranking value (P/PRest)·Z·P·ZP.
	Metric float64
}

// Consensus is a statement most of the participants (or every group) take
// the same side on.
type Consensus struct {
	Statement int
	Agree     bool    // the side: agree, or disagree
	P         float64 // probability of that side (overall; or product over groups)
	Z         float64 // one-proportion statistic overall (0 for group-informed)
}

// Bridge is a statement on which groups that disagree elsewhere agree.
type Bridge struct {
	Statement int
	Agree     bool
	// MinP is the smallest probability of the side over the groups.
	MinP float64
	// Splits is how many statements divide these same groups.
	Splits int
}

// Split is a statement that divides the groups.
type Split struct {
	Statement int
	// AgreeGroups and DisagreeGroups are the indexes of the groups whose
	// significant majority agrees, or disagrees.
	AgreeGroups, DisagreeGroups []int
	// Spread is the largest minus the smallest pa over the groups.
	Spread float64
}

// Analysis is what the map says about one grouping of the participants.
type Analysis struct {
	Groups []Group
	// GroupConsensus is the group-informed consensus, best first: the
	// statements every group is most likely to agree (or disagree) with.
	GroupConsensus []Consensus
	Bridging       []Bridge
	Splits         []Split
}

// Map is the opinion map of a conversation.
type Map struct {
	Participants int // participants who voted
	Statements   int // statements voted on
	Counted      []Point
	// Components are the two principal directions, a loading per
	// statement (Statements holds their identifiers, in the same order).
	Components      [2][]float64
	StatementIDs    []int
	Iterations      int // power iterations taken
	K               int
	Silhouettes     map[int]float64 // the silhouette of each k tried
	Clusters        Analysis
	Consensus       []Consensus // over all counted participants
	Declared        *Analysis   // nil without Options.DeclaredGroups
	DeclaredMissing int         // counted participants with no declared group

	state *state // what Update starts from
}

// matrix is the sparse, centred vote matrix, one row per participant.
type matrix struct {
	pid    []int     // participant identifiers, by row
	sid    []int     // statement identifiers, by column
	start  []int32   // row r is col[start[r]:start[r+1]]
	col    []int32   // column index
	raw    []int8    // the vote
	val    []float32 // the vote minus the column mean
	nVotes []int32   // votes per row
	nCols  int
	mean   []float64
	// sum and cnt are each column's sum of votes and number of votes
	// (matrices made by build and merge), which Update keeps current.
	sum, cnt []float64
}

// index maps non-negative identifiers to dense indexes, with a slice when
// the identifiers are dense enough, a map otherwise.
type index struct {
	dense []int32
	m     map[int]int32
	ids   []int
}

func newIndex(maxID, n int) *index {
	if maxID < 4*n+1<<16 {
		d := make([]int32, maxID+1)
		for i := range d {
			d[i] = -1
		}
		return &index{dense: d}
	}
	return &index{m: make(map[int]int32)}
}

func (x *index) get(id int) int32 {
	if x.dense != nil {
		i := x.dense[id]
		if i < 0 {
			i = int32(len(x.ids))
			x.dense[id] = i
			x.ids = append(x.ids, id)
		}
		return i
	}
	i, ok := x.m[id]
	if !ok {
		i = int32(len(x.ids))
		x.m[id] = i
		x.ids = append(x.ids, id)
	}
	return i
}

func build(votes Votes) *matrix {
	maxP, maxS, n := 0, 0, 0
	for _, v := range votes {
		if v.Participant < 0 || v.Statement < 0 || v.Value < -1 || v.Value > 1 {
			continue
		}
		n++
		maxP = max(maxP, v.Participant)
		maxS = max(maxS, v.Statement)
	}
	pi, si := newIndex(maxP, n), newIndex(maxS, n)
	row := make([]int32, 0, n)
	cols := make([]int32, 0, n)
	vals := make([]int8, 0, n)
	for _, v := range votes {
		if v.Participant < 0 || v.Statement < 0 || v.Value < -1 || v.Value > 1 {
			continue
		}
		row = append(row, pi.get(v.Participant))
		cols = append(cols, si.get(v.Statement))
		vals = append(vals, v.Value)
	}
	nr, nc := len(pi.ids), len(si.ids)
	// Counting sort by row, stable: within a row the votes keep their order.
	count := make([]int32, nr+1)
	for _, r := range row {
		count[r+1]++
	}
	for r := 0; r < nr; r++ {
		count[r+1] += count[r]
	}
	pos := make([]int32, nr)
	copy(pos, count[:nr])
	col := make([]int32, n)
	raw := make([]int8, n)
	for i, r := range row {
		col[pos[r]] = cols[i]
		raw[pos[r]] = vals[i]
		pos[r]++
	}
	row, cols, vals = nil, nil, nil
	// Latest vote wins: walk each row backwards, keep a statement's first
	// sighting, and compact.
	seen := make([]int32, nc)
	for i := range seen {
		seen[i] = -1
	}
	m := &matrix{pid: pi.ids, sid: si.ids, nCols: nc, start: make([]int32, nr+1), nVotes: make([]int32, nr)}
	w := int32(0)
	// The compaction writes forwards over the rows while each row is read
	// backwards, so a row is read from a copy: written in place, its
	// first votes would be overwritten before they are read.
	var rc []int32
	var rv []int8
	for r := 0; r < nr; r++ {
		lo, hi := count[r], count[r+1]
		rc = append(rc[:0], col[lo:hi]...)
		rv = append(rv[:0], raw[lo:hi]...)
		begin := w
		for i := len(rc) - 1; i >= 0; i-- {
			c := rc[i]
			if seen[c] == int32(r) {
				continue
			}
			seen[c] = int32(r)
			col[w], raw[w] = c, rv[i]
			w++
		}
		// Restore the original order within the row (not needed for the
		// maths, but keeps rows in a stable order).
		for a, b := begin, w-1; a < b; a, b = a+1, b-1 {
			col[a], col[b] = col[b], col[a]
			raw[a], raw[b] = raw[b], raw[a]
		}
		m.start[r+1] = w
		m.nVotes[r] = w - begin
	}
	m.col, m.raw = col[:w:w], raw[:w:w]
	sum := make([]float64, nc)
	cnt := make([]float64, nc)
	for i, c := range m.col {
		sum[c] += float64(m.raw[i])
		cnt[c]++
	}
	m.mean = make([]float64, nc)
	for c := range sum {
		if cnt[c] > 0 {
			m.mean[c] = sum[c] / cnt[c]
		}
	}
	m.sum, m.cnt = sum, cnt
	return m
}

// Compute makes the opinion map of votes.
func Compute(votes Votes, opts Options) Map {
	return compute(build(votes), opts, nil)
}

// compute makes the map of the votes in full, from warm starts when prev
// (an earlier map) is given.
func compute(full *matrix, opts Options, prev *state) Map {
	opts = opts.Defaults()
	out := Map{Participants: len(full.pid), Statements: full.nCols, Silhouettes: map[int]float64{}}
	if full.nCols == 0 {
		return out
	}
	minVotes := min(opts.MinVotes, full.nCols)
	// Every voter takes part in the PCA (as in Polis); the counted ones
	// are grouped.
	all := make([]int32, len(full.pid))
	var rows []int32
	for r := range full.pid {
		all[r] = int32(r)
		if int(full.nVotes[r]) >= minVotes {
			rows = append(rows, int32(r))
		}
	}
	p := full.subset(all, opts.Excluded)
	out.StatementIDs = p.sid
	var start [2][]float64
	if prev != nil {
		start = prev.components(p.sid)
	}
	pc, iters := pca(p, opts.Seed, start)
	out.Components = pc
	out.Iterations = iters
	// As in Polis, a statement moderated out is a column of zeros
	// (a pass by everyone): it moves no component, but it counts among
	// the statements and among each voter's votes in the scaling.
	zeroed := 0
	for _, id := range full.sid {
		if opts.Excluded[id] {
			zeroed++
		}
	}
	pxs := p.project(pc, zeroed)
	m := p // every voter is counted: the same matrix
	if len(rows) < len(all) {
		m = full.subset(rows, opts.Excluded)
	}
	xs := make([]float64, 2*len(rows))
	for i, r := range rows {
		xs[2*i], xs[2*i+1] = pxs[2*r], pxs[2*r+1]
	}
	out.Counted = make([]Point, len(m.pid))
	for r := range m.pid {
		out.Counted[r] = Point{Participant: m.pid[r], X: xs[2*r], Y: xs[2*r+1], Votes: int(full.nVotes[rows[r]])}
	}
	out.state = &state{full: full, pc: pc, sid: p.sid}
	if len(m.pid) == 0 {
		return out
	}
	var bases []float64
	var hint []int32
	if prev != nil {
		bases = prev.bases
		hint = make([]int32, len(rows))
		for i, r := range rows {
			hint[i] = -1
			if int(r) < len(prev.baseOf) {
				hint[i] = prev.baseOf[r]
			}
		}
	}
	assign, k, sil, bases, baseOf := group(xs, m.pid, opts, bases, hint, 0)
	out.state.bases = bases
	out.state.baseOf = make([]int32, len(full.pid))
	for i := range out.state.baseOf {
		out.state.baseOf[i] = -1
	}
	for i, b := range baseOf {
		out.state.baseOf[rows[i]] = int32(b)
	}
	out.K = k
	out.Silhouettes = sil
	for r := range out.Counted {
		out.Counted[r].Group = assign[r]
	}
	out.describe(m.pid, m.sid, xs, assign, k, opts, m.tally(assign, k), m.tally)
	return out
}

// describe fills the groups' analysis, the consensus and the declared
// groups' analysis of out from the counted participants pid, the
// statements sid they voted on, their positions xs, their groups assign
// among k, t, their votes counted by those groups, and tally, which counts
// them by other groups. out's state keeps the groups and the counts.
func (out *Map) describe(pid, sid []int, xs []float64, assign []int, k int, opts Options, t *counts, tally func(assign []int, k int) *counts) {
	if out.state != nil {
		out.state.tally = tallied{t: t, sid: sid, assign: assign, excluded: maps.Clone(opts.Excluded)}
	}
	labels := make([]string, k)
	for g := range labels {
		labels[g] = string(rune('A' + g))
	}
	out.Clusters = analyse(t, labels, opts.MaxRepresentative, sid)
	for g := range out.Clusters.Groups {
		out.Clusters.Groups[g].Centroid = centroid(xs, assign, g)
		out.Clusters.Groups[g].Size = members(assign, g)
	}
	out.Consensus = consensus(t, sid)
	if opts.DeclaredGroups != nil {
		var names []string
		byName := map[string]int{}
		for _, id := range pid {
			if s, ok := opts.DeclaredGroups[id]; ok {
				if _, seen := byName[s]; !seen {
					byName[s] = 0
					names = append(names, s)
				}
			}
		}
		sort.Strings(names)
		for i, s := range names {
			byName[s] = i
		}
		da := make([]int, len(pid))
		for r, id := range pid {
			if s, ok := opts.DeclaredGroups[id]; ok {
				da[r] = byName[s]
			} else {
				da[r] = -1
				out.DeclaredMissing++
			}
		}
		dt := tally(da, len(names))
		a := analyse(dt, names, opts.MaxRepresentative, sid)
		for g := range a.Groups {
			a.Groups[g].Centroid = centroid(xs, da, g)
			a.Groups[g].Size = members(da, g)
		}
		out.Declared = &a
	}
}

// subset keeps the given rows; the column means are those of the kept rows,
// and val holds the centred votes.
func (m *matrix) subset(rows []int32, drop map[int]bool) *matrix {
	if m.whole(rows, drop) {
		// Every row and every column: the votes are shared, read only.
		s := &matrix{pid: m.pid, sid: m.sid, start: m.start, col: m.col, raw: m.raw, nVotes: m.nVotes, nCols: m.nCols}
		s.centre()
		return s
	}
	s := &matrix{nCols: m.nCols, start: make([]int32, len(rows)+1), nVotes: make([]int32, len(rows)), pid: make([]int, len(rows))}
	n := 0
	for _, r := range rows {
		n += int(m.nVotes[r])
	}
	s.col = make([]int32, 0, n)
	s.raw = make([]int8, 0, n)
	for i, r := range rows {
		s.pid[i] = m.pid[r]
		s.col = append(s.col, m.col[m.start[r]:m.start[r+1]]...)
		s.raw = append(s.raw, m.raw[m.start[r]:m.start[r+1]]...)
		s.start[i+1] = int32(len(s.col))
		s.nVotes[i] = m.nVotes[r]
	}
	// Drop columns nobody counted voted on, renumbering the rest.
	used := make([]int32, m.nCols)
	for i := range used {
		used[i] = -1
	}
	for _, c := range s.col {
		if !drop[m.sid[c]] {
			used[c] = 0
		}
	}
	nc := int32(0)
	for c := range used {
		if used[c] == 0 {
			used[c] = nc
			s.sid = append(s.sid, m.sid[c])
			nc++
		}
	}
	w := 0
	for r := range s.pid {
		lo, hi := s.start[r], s.start[r+1]
		s.start[r] = int32(w)
		for i := lo; i < hi; i++ {
			if c := used[s.col[i]]; c >= 0 {
				s.col[w], s.raw[w] = c, s.raw[i]
				w++
			}
		}
		s.nVotes[r] = int32(w) - s.start[r]
	}
	s.start[len(s.pid)] = int32(w)
	s.col, s.raw = s.col[:w], s.raw[:w]
	s.nCols = int(nc)
	s.centre()
	return s
}

// whole says whether rows are all of m's, in order, and no column of m is
// dropped (every column of a matrix made by build or merge has a vote).
func (m *matrix) whole(rows []int32, drop map[int]bool) bool {
	if len(rows) != len(m.pid) {
		return false
	}
	for i, r := range rows {
		if r != int32(i) {
			return false
		}
	}
	for _, id := range m.sid {
		if drop[id] {
			return false
		}
	}
	return true
}

// centre sets the column means and the centred votes.
func (s *matrix) centre() {
	nc := s.nCols
	sum := make([]float64, nc)
	cnt := make([]float64, nc)
	for i, c := range s.col {
		sum[c] += float64(s.raw[i])
		cnt[c]++
	}
	s.mean = make([]float64, nc)
	for c := range sum {
		if cnt[c] > 0 {
			s.mean[c] = sum[c] / cnt[c]
		}
	}
	s.val = make([]float32, len(s.col))
	for i, c := range s.col {
		s.val[i] = float32(float64(s.raw[i]) - s.mean[c])
	}
}

// project places each row on the plane of the components, scaled by
// sqrt(columns / votes), where zeroed columns (statements moderated out)
// count among both the columns and each row's votes. The result is x0, y0,
// x1, y1, ….
func (m *matrix) project(pc [2][]float64, zeroed int) []float64 {
	xs := make([]float64, 2*len(m.pid))
	for r := range m.pid {
		var a, b float64
		for i := m.start[r]; i < m.start[r+1]; i++ {
			v := float64(m.val[i])
			c := m.col[i]
			a += v * pc[0][c]
			b += v * pc[1][c]
		}
		if n := int(m.nVotes[r]) + zeroed; n > 0 {
			s := math.Sqrt(float64(m.nCols+zeroed) / float64(n))
			a *= s
			b *= s
		}
		xs[2*r], xs[2*r+1] = a, b
	}
	return xs
}

// members counts the participants assigned to group g.
func members(assign []int, g int) int {
	n := 0
	for _, a := range assign {
		if a == g {
			n++
		}
	}
	return n
}

func centroid(xs []float64, assign []int, g int) [2]float64 {
	var c [2]float64
	n := 0
	for r, a := range assign {
		if a == g {
			c[0] += xs[2*r]
			c[1] += xs[2*r+1]
			n++
		}
	}
	if n > 0 {
		c[0] /= float64(n)
		c[1] /= float64(n)
	}
	return c
}
