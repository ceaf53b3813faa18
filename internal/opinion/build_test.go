package opinion

import "testing"

// Every participant keeps each of its votes, the latest on a statement
// winning: the first participant's votes too, which compacting the rows
// in place once overwrote before they were read.
func TestBuildKeepsEveryParticipantsVotes(t *testing.T) {
	var vs Votes
	for p := 0; p < 4; p++ {
		for c := 0; c < 3; c++ {
			vs = append(vs, Vote{Participant: p, Statement: c, Value: 1})
		}
	}
	vs = append(vs, Vote{Participant: 0, Statement: 1, Value: -1}) // a change of mind
	m := build(vs)
	for r, n := range m.nVotes {
		if n != 3 {
			t.Errorf("participant %d has %d votes, want 3", m.pid[r], n)
		}
	}
	for i := m.start[0]; i < m.start[1]; i++ {
		if m.sid[m.col[i]] == 1 && m.raw[i] != -1 {
			t.Errorf("participant 0's latest vote on statement 1 is %d, want -1", m.raw[i])
		}
	}
}
