package decide_test

import (
	"testing"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decide"
)

func feelOfTheRoom(entry decide.Entry, groups ...decide.Group) decide.StrawEvent {
	return decide.StrawEvent{Type: decide.PollOpened, At: t0, Poll: &decide.Poll{ID: "s1",
		Question: "Should the resolution on the Internet be in the text?", Entry: entry, Groups: groups,
		Options: []decide.Option{{Key: "in", Label: "In"}, {Key: "out", Label: "Out"}}}}
}

func TestStrawPollEntered(t *testing.T) {
	ms := decide.Group{Key: "member_state", Name: "Member States"}
	sm := decide.Group{Key: "sector_member", Name: "Sector Members"}
	s := decide.NewStraw()
	steps := []struct {
		e    decide.StrawEvent
		code plenary.Code
		frag string
	}{
		{decide.StrawEvent{Type: decide.PollClosed, At: t0}, plenary.CodeConflict, "has not been opened"},
		{feelOfTheRoom(decide.Entered, ms, sm), "", ""},
		{decide.StrawEvent{Type: decide.PollAnswer, At: atMin(1), Participant: "p1", Option: "in", Group: "member_state"}, plenary.CodeConflict, "the secretariat counts this straw poll"},
		{decide.StrawEvent{Type: decide.PollCount, At: atMin(1), Counts: []decide.Count{{Option: "maybe", Group: "member_state", N: 1}}}, plenary.CodeInvalid, `no option "maybe"`},
		{decide.StrawEvent{Type: decide.PollCount, At: atMin(1), Counts: []decide.Count{{Option: "in", N: 1}}}, plenary.CodeInvalid, "counts the groups it names"},
		{decide.StrawEvent{Type: decide.PollCount, At: atMin(1), Counts: []decide.Count{{Option: "in", Group: "member_state", N: -1}}}, plenary.CodeInvalid, "not negative"},
		{decide.StrawEvent{Type: decide.PollCount, At: atMin(1), Counts: []decide.Count{{Option: "in", Group: "member_state", N: 1}, {Option: "in", Group: "member_state", N: 2}}}, plenary.CodeInvalid, "counted twice"},
		{decide.StrawEvent{Type: decide.PollCount, At: atMin(1), Counts: []decide.Count{{Option: "in", Group: "member_state", N: 60}}}, "", ""},
		{decide.StrawEvent{Type: decide.PollCount, At: atMin(2), Counts: []decide.Count{
			{Option: "in", Group: "member_state", N: 70}, {Option: "out", Group: "member_state", N: 40}, {Option: "out", Group: "sector_member", N: 3}}}, "", ""},
		{decide.StrawEvent{Type: decide.PollClosed, At: atMin(3)}, "", ""},
		{decide.StrawEvent{Type: decide.PollCount, At: atMin(4)}, plenary.CodeConflict, "closed"},
	}
	for i, st := range steps {
		wantErr(t, s.Apply(st.e), st.code, st.frag)
		if t.Failed() {
			t.Fatalf("step %d", i+1)
		}
	}
	r := s.Result()
	if r.Total != 113 || r.Options[0].Count != 70 || r.Options[1].Count != 43 || !r.Closed {
		t.Fatalf("%+v", r)
	}
	if g := r.Options[1].Groups; len(g) != 2 || g[0].Count != 40 || g[1].Count != 3 || g[1].Name != "Sector Members" {
		t.Fatalf("groups %+v", g)
	}
}

func TestStrawPollDevices(t *testing.T) {
	s, err := decide.ReplayStraw([]decide.StrawEvent{
		feelOfTheRoom(decide.Devices),
		{Type: decide.PollAnswer, At: atMin(1), Participant: "p1", Option: "in"},
		{Type: decide.PollAnswer, At: atMin(2), Participant: "p2", Option: "in"},
		{Type: decide.PollAnswer, At: atMin(3), Participant: "p1", Option: "out"}, // p1 changes its answer
	})
	if err != nil {
		t.Fatal(err)
	}
	r := s.Result()
	if r.Total != 2 || r.Options[0].Count != 1 || r.Options[1].Count != 1 || r.Closed {
		t.Fatalf("%+v", r)
	}
	wantErr(t, s.Apply(decide.StrawEvent{Type: decide.PollCount, At: atMin(4)}), plenary.CodeConflict, "from their devices")
	wantErr(t, s.Apply(decide.StrawEvent{Type: decide.PollAnswer, At: atMin(4), Option: "in"}), plenary.CodeInvalid, "say who answers")
	wantErr(t, s.Apply(decide.StrawEvent{Type: decide.PollAnswer, At: atMin(4), Participant: "p3", Option: "in", Group: "x"}), plenary.CodeInvalid, "does not count stakeholder groups")
	if err := s.Apply(decide.StrawEvent{Type: decide.PollClosed, At: atMin(5)}); err != nil {
		t.Fatal(err)
	}
	wantErr(t, s.Apply(decide.StrawEvent{Type: decide.PollAnswer, At: atMin(6), Participant: "p2", Option: "out"}), plenary.CodeConflict, "closed")
	if s.Result().Options[1].Count != 1 {
		t.Fatal("an answer after the close counted")
	}
	_, err = decide.ReplayStraw([]decide.StrawEvent{feelOfTheRoom(decide.Devices), feelOfTheRoom(decide.Devices)})
	wantErr(t, err, plenary.CodeConflict, "event 2 (opened): the straw poll is already open")
}

func TestPollValidation(t *testing.T) {
	two := []decide.Option{{Key: "a", Label: "A"}, {Key: "b", Label: "B"}}
	for _, c := range []struct {
		p     decide.Poll
		field string
	}{
		{decide.Poll{Question: "q", Options: two, Entry: decide.Entered}, "id"},
		{decide.Poll{ID: "s", Options: two, Entry: decide.Entered}, "question"},
		{decide.Poll{ID: "s", Question: "q", Options: two[:1], Entry: decide.Entered}, "options"},
		{decide.Poll{ID: "s", Question: "q", Options: []decide.Option{{Key: "a", Label: "A"}, {Key: "a", Label: "B"}}, Entry: decide.Entered}, "options[1]"},
		{decide.Poll{ID: "s", Question: "q", Options: []decide.Option{{Key: "a", Label: "A"}, {Key: "b"}}, Entry: decide.Entered}, "options[1].label"},
		{decide.Poll{ID: "s", Question: "q", Options: two, Entry: "hum"}, "entry"},
		{decide.Poll{ID: "s", Question: "q", Options: two, Entry: decide.Entered, Groups: []decide.Group{{Key: "g"}, {Key: "g"}}}, "groups[1]"},
		{decide.Poll{ID: "s", Question: "q\x01", Options: two, Entry: decide.Entered}, "question"},
	} {
		if pe := plenary.AsError(c.p.Validate()); pe.Code != plenary.CodeInvalid || pe.Field != c.field {
			t.Errorf("%+v: got %v, want invalid %s", c.p, pe, c.field)
		}
	}
}
