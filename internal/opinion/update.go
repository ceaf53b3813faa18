package opinion

import "errors"

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
	return compute(merge(prev.state.full, votes), opts, prev.state), nil
}

// merge returns the matrix of old's votes and the newer votes: rows and
// columns keep their order, new participants and statements follow, and a
// newer vote on a statement replaces the old one. old is not changed.
func merge(old *matrix, votes Votes) *matrix {
	nw := build(votes)
	if len(nw.pid) == 0 {
		return old
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
	m := &matrix{pid: pid, sid: sid, nCols: len(sid), start: make([]int32, len(pid)+1), nVotes: make([]int32, len(pid))}
	m.col = make([]int32, 0, len(old.col)+len(nw.col))
	m.raw = make([]int8, 0, len(old.col)+len(nw.col))
	mark := make([]int32, len(sid)) // mark[c] == r+1: row r has a newer vote on c
	for r := range old.pid {
		lo, hi := old.start[r], old.start[r+1]
		nr := newRow[r]
		if nr < 0 {
			m.col = append(m.col, old.col[lo:hi]...)
			m.raw = append(m.raw, old.raw[lo:hi]...)
		} else {
			for i := nw.start[nr]; i < nw.start[nr+1]; i++ {
				mark[colOf[nw.col[i]]] = int32(r) + 1
			}
			for i := lo; i < hi; i++ {
				if mark[old.col[i]] != int32(r)+1 {
					m.col = append(m.col, old.col[i])
					m.raw = append(m.raw, old.raw[i])
				}
			}
			for i := nw.start[nr]; i < nw.start[nr+1]; i++ {
				m.col = append(m.col, colOf[nw.col[i]])
				m.raw = append(m.raw, nw.raw[i])
			}
		}
		m.start[r+1] = int32(len(m.col))
		m.nVotes[r] = m.start[r+1] - m.start[r]
	}
	for j, nr := range fresh {
		r := len(old.pid) + j
		for i := nw.start[nr]; i < nw.start[nr+1]; i++ {
			m.col = append(m.col, colOf[nw.col[i]])
			m.raw = append(m.raw, nw.raw[i])
		}
		m.start[r+1] = int32(len(m.col))
		m.nVotes[r] = m.start[r+1] - m.start[r]
	}
	return m
}
