package opinion

import (
	"reflect"
	"testing"
)

func TestLatestVoteWins(t *testing.T) {
	votes := Votes{{1, 10, 1}, {1, 10, -1}, {1, 11, 0}, {2, 10, 1}, {1, 10, 1}, {1, 12, 5}, {-1, 3, 1}}
	m := build(votes)
	if len(m.pid) != 2 || m.nCols != 2 {
		t.Fatalf("%d participants, %d statements; want 2 and 2", len(m.pid), m.nCols)
	}
	if m.nVotes[0] != 2 {
		t.Fatalf("participant 1 has %d votes, want 2", m.nVotes[0])
	}
	got := map[int]int8{}
	for i := m.start[0]; i < m.start[1]; i++ {
		got[m.sid[m.col[i]]] = m.raw[i]
	}
	if want := map[int]int8{10: 1, 11: 0}; !reflect.DeepEqual(got, want) {
		t.Fatalf("participant 1's votes %v, want %v", got, want)
	}
}

func TestRandIndex(t *testing.T) {
	ri, ari := RandIndex([]int{0, 0, 1, 1}, []int{5, 5, 3, 3})
	if ri != 1 || ari != 1 {
		t.Errorf("identical partitions: %v %v", ri, ari)
	}
	ri, _ = RandIndex([]int{0, 0, 1, 1}, []int{0, 1, 0, 1})
	if ri != 2.0/6 {
		t.Errorf("crossed partitions: Rand %v, want 1/3", ri)
	}
}

func TestMapOfPlantedGroups(t *testing.T) {
	votes, truth := planted(2000, 100, 100000, 3)
	declared := map[int]string{}
	names := []string{"Business", "Civil society", "Government", "Technical community"}
	for p, g := range truth {
		declared[p] = names[g]
	}
	m := Compute(votes, Options{Seed: 5, DeclaredGroups: declared})
	again := Compute(votes, Options{Seed: 5, DeclaredGroups: declared})
	if !reflect.DeepEqual(m, again) {
		t.Fatal("two computations with the same seed differ")
	}
	if m.K != 4 {
		t.Fatalf("%d groups, want the 4 planted (silhouettes %v)", m.K, m.Silhouettes)
	}
	got := make([]int, len(m.Counted))
	want := make([]int, len(m.Counted))
	for i, p := range m.Counted {
		got[i], want[i] = p.Group, truth[p.Participant]
	}
	if ri, ari := RandIndex(got, want); ri < 0.95 {
		t.Fatalf("Rand index %.3f (adjusted %.3f), want at least 0.95", ri, ari)
	}
	for _, a := range []Analysis{m.Clusters, *m.Declared} {
		if len(a.Groups) != 4 {
			t.Fatalf("%d groups", len(a.Groups))
		}
		for _, g := range a.Groups {
			// A group holding position 0 on both axes disagrees with every
			// axis statement, so some groups have one side only.
			if len(g.Agree)+len(g.Disagree) == 0 {
				t.Errorf("group %s: %d agreeing and %d disagreeing representative statements", g.Label, len(g.Agree), len(g.Disagree))
			}
			for _, r := range append(g.Agree, g.Disagree...) {
				if r.Z < zCritical || r.ZP < zCritical || r.P <= r.PRest {
					t.Errorf("group %s: statement %d is not significant: %+v", g.Label, r.Statement, r)
				}
			}
		}
		// The statements everyone agrees with (every 50th) bridge the
		// groups, which split on the others.
		if len(a.Splits) == 0 || len(a.Bridging) == 0 {
			t.Fatalf("%d splits, %d bridges", len(a.Splits), len(a.Bridging))
		}
		for _, b := range a.Bridging {
			if b.Statement%50 != 0 || !b.Agree {
				t.Errorf("bridging statement %d (agree %v) is not one agreed by all", b.Statement, b.Agree)
			}
		}
		if c := a.GroupConsensus[0]; c.Statement%50 != 0 || !c.Agree {
			t.Errorf("first group-informed consensus %+v is not one agreed by all", c)
		}
	}
	if m.Declared.Groups[0].Label != "Business" || m.DeclaredMissing != 0 {
		t.Errorf("declared groups %q, %d missing", m.Declared.Groups[0].Label, m.DeclaredMissing)
	}
	if len(m.Consensus) == 0 || m.Consensus[0].Statement%50 != 0 {
		t.Errorf("consensus %v does not start with a statement agreed by all", m.Consensus)
	}
}
