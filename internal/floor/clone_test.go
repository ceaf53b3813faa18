package floor

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// A clone taken at any point of a meeting, given the events that follow,
// ends where a replay of the whole meeting ends; and the state it was
// taken from does not move.
func TestCloneContinuesAsAReplay(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		events := randomMeeting(r, 150)
		full, err := Replay(events)
		if err != nil {
			t.Fatal(err)
		}
		cut := r.IntN(len(events) + 1)
		prefix, err := Replay(events[:cut])
		if err != nil {
			t.Fatal(err)
		}
		before := view(prefix)
		c := prefix.Clone()
		for _, e := range events[cut:] {
			if err := c.Apply(e); err != nil {
				t.Fatalf("seed %d: the clone refused event %+v: %v", seed, e, err)
			}
		}
		if got, want := view(c), view(full); !reflect.DeepEqual(got, want) {
			t.Errorf("seed %d, cut at %d of %d: the clone ends as\n%+v\nbut the replay as\n%+v", seed, cut, len(events), got, want)
		}
		if after := view(prefix); !reflect.DeepEqual(after, before) {
			t.Errorf("seed %d: applying events to the clone changed the original", seed)
		}
	}
}

// stateView is what a state shows: everything a page or a command reads.
type stateView struct {
	Order       []Place
	Current     Turn
	AtFloor     bool
	Turns       []Turn
	Interrupted []Turn
	Waiting     []Request
	Withdrawn   []Request
	Removed     []Removal
	Closed      bool
	Item        string
	Last        int64
	Spoken      Tally
}

func view(s *State) stateView {
	c, ok := s.Current()
	return stateView{Order: s.Order(), Current: c, AtFloor: ok, Turns: s.Turns(), Interrupted: s.Interrupted(), Waiting: s.Waiting(),
		Withdrawn: s.Withdrawn(), Removed: s.Removed(), Closed: s.Closed(), Item: s.Item(), Last: s.Last(), Spoken: s.Spoken()}
}
