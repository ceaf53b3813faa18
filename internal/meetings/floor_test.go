package meetings_test

import (
	"encoding/json"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/floor"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/participation"
)

// floorSetup is a meeting in session on an item, with remote
// participation, a hub moderated by ISOC's delegate, a remote moderator
// and a remote civil-society participant.
type floorSetup struct {
	*setup
	m         meetings.Meeting
	item      meetings.AgendaItem
	hub       meetings.Hub
	moderator forum.Actor
	remote    forum.Actor
	remoteReg participation.Registration
}

func (s *setup) register(t *testing.T, email, name string, in participation.RegistrationInput) (forum.Actor, participation.Registration) {
	t.Helper()
	a := s.User(t, email, name, false)
	in.Email = email
	r, err := s.Svc.Participation.Register(s.Ctx, s.in(t, s.Admin), in)
	if err != nil {
		t.Fatalf("register %s: %v", email, err)
	}
	return a, r
}

func newFloor(t *testing.T) *floorSetup {
	t.Helper()
	s := &floorSetup{setup: newSetup(t)}
	s.m = s.schedule(t, meetings.MeetingInput{Remote: true, ChairRegistration: s.chairReg.ID})
	ch := s.in(t, s.chair)
	var err error
	if s.item, err = s.M.AddItem(s.Ctx, ch, s.m.ID, meetings.ItemInput{Title: "Draft Opinion 5"}); err != nil {
		t.Fatal(err)
	}
	if s.hub, err = s.M.AddHub(s.Ctx, s.in(t, s.Admin), s.m.ID, meetings.HubInput{Name: "Internet Society hub", ModeratorRegistration: s.regs["isoc"]}); err != nil {
		t.Fatal(err)
	}
	s.moderator, _ = s.register(t, "moderator@example.org", "Remote Moderator", participation.RegistrationInput{Role: "remote_moderator", Mode: "remote", Group: "secretariat"})
	s.remote, s.remoteReg = s.register(t, "remote@example.org", "Rita Remote", participation.RegistrationInput{Party: "ISOC", Role: "delegate", Mode: "remote"})
	if _, err := s.M.ChangeState(s.Ctx, ch, s.m.ID, "open", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.M.SetCurrentItem(s.Ctx, ch, s.m.ID, s.item.ID); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *floorSetup) ask(t *testing.T, a forum.Actor, in meetings.RequestInput) floor.Request {
	t.Helper()
	r, err := s.M.RequestFloor(s.Ctx, s.in(t, a), s.m.ID, in)
	if err != nil {
		t.Fatalf("%s asks %+v: %v", a.Name, in, err)
	}
	return r
}

func (s *floorSetup) view(t *testing.T, a forum.Actor) meetings.FloorView {
	t.Helper()
	v, err := s.M.Floor(s.Ctx, s.in(t, a), s.m.ID)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func ids(ps []floor.Place) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func TestFloorRequestsAndRights(t *testing.T) {
	s := newFloor(t)
	ch := s.in(t, s.chair)
	if _, err := s.M.ConfigureFloor(s.Ctx, ch, s.m.ID, floor.Policy{Precedence: true}); err != nil {
		t.Fatal(err)
	}
	_, err := s.M.ConfigureFloor(s.Ctx, s.in(t, s.Usa), s.m.ID, floor.Policy{})
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	_, err = s.M.ConfigureFloor(s.Ctx, ch, s.m.ID, floor.Policy{ReplyCap: -1})
	if plenary.ErrorCode(err) != plenary.CodeInvalid {
		t.Fatalf("bad policy: %v", err)
	}
	lots, err := s.M.ConfigureFloor(s.Ctx, ch, s.m.ID, floor.Policy{Precedence: true, Lots: true})
	if err != nil || lots.Seed == 0 {
		t.Fatalf("lots without a seed: %v %+v", err, lots)
	}

	usa := s.ask(t, s.Usa, meetings.RequestInput{})
	bra := s.ask(t, s.Bra, meetings.RequestInput{})
	if usa.Rank != floor.RankMemberStateDelegate || bra.Rank != floor.RankHeadOfDelegation || usa.Origin != floor.Room || usa.PartyName != "United States" {
		t.Fatalf("ranks and origins: %+v %+v", usa, bra)
	}
	// The remote moderator relays Rita's request; ISOC's delegate asks for the hub.
	rita := s.ask(t, s.moderator, meetings.RequestInput{For: s.remoteReg.ID})
	if rita.Origin != floor.Remote || rita.Speaker != s.remoteReg.ID || rita.By != s.moderator.UserID || rita.Name != "Rita Remote" {
		t.Fatalf("relayed: %+v", rita)
	}
	hub := s.ask(t, s.Isoc, meetings.RequestInput{Hub: s.hub.ID})
	if hub.Origin != floor.Hub || hub.Hub != "Internet Society hub" || hub.Group != "civil_society" {
		t.Fatalf("hub: %+v", hub)
	}
	guest := s.ask(t, s.Admin, meetings.RequestInput{Guest: &meetings.Guest{Name: "Dr Guest", Group: "academia"}, Minister: true})
	if guest.Speaker != "guest:Dr Guest" || guest.Rank != floor.RankMinister || guest.Origin != floor.Room {
		t.Fatalf("guest: %+v", guest)
	}
	v := s.view(t, s.Bra)
	if len(v.Order) != 5 || v.Order[0].ID != guest.ID || v.Order[1].ID != bra.ID || !strings.Contains(v.Order[0].Why, "precedence") && !strings.Contains(v.Order[0].Why, "minister") {
		t.Fatalf("order: %v %+v", ids(v.Order), v.Order[0])
	}
	if len(v.Mine) != 1 || v.Mine[0].ID != bra.ID || v.Mine[0].Position != 2 || v.Mine[0].Why == "" {
		t.Fatalf("Brazil's own: %+v", v.Mine)
	}
	if mod := s.view(t, s.moderator); len(mod.Mine) != 1 || mod.Mine[0].ID != rita.ID {
		t.Fatalf("the moderator's relayed request is not among theirs: %+v", mod.Mine)
	}

	// Refusals, each changing nothing.
	before := s.view(t, s.Admin).Events
	for _, tt := range []struct {
		who  forum.Actor
		in   meetings.RequestInput
		code plenary.Code
		text string
	}{
		{s.Usa, meetings.RequestInput{}, plenary.CodeConflict, "already on the list"},
		{s.Outsider, meetings.RequestInput{}, plenary.CodeForbidden, "not registered"},
		{forum.Actor{}, meetings.RequestInput{}, plenary.CodeUnauthorized, ""},
		{s.Usa, meetings.RequestInput{For: s.remoteReg.ID}, plenary.CodeForbidden, "remote moderator"},
		{s.moderator, meetings.RequestInput{For: s.regs["usa"]}, plenary.CodeInvalid, "in the room"},
		{s.Usa, meetings.RequestInput{Hub: s.hub.ID}, plenary.CodeForbidden, "moderator of the hub"},
		{s.Usa, meetings.RequestInput{Guest: &meetings.Guest{Name: "X", Group: "academia"}}, plenary.CodeForbidden, ""},
		{s.Admin, meetings.RequestInput{Guest: &meetings.Guest{Name: "X", Group: "nope"}}, plenary.CodeInvalid, ""},
		{s.Admin, meetings.RequestInput{Guest: &meetings.Guest{Name: " "}}, plenary.CodeInvalid, ""},
		{s.Usa, meetings.RequestInput{Kind: "shout"}, plenary.CodeInvalid, ""},
		{s.Usa, meetings.RequestInput{Kind: floor.Question}, plenary.CodeConflict, "while a speaker has the floor"},
		{s.Usa, meetings.RequestInput{Minister: true}, plenary.CodeInvalid, "minister"},
		{s.Usa, meetings.RequestInput{For: s.remoteReg.ID, Hub: s.hub.ID}, plenary.CodeInvalid, ""},
	} {
		_, err := s.M.RequestFloor(s.Ctx, s.in(t, tt.who), s.m.ID, tt.in)
		if plenary.ErrorCode(err) != tt.code || !strings.Contains(err.Error(), tt.text) {
			t.Errorf("%s %+v: %v, want %s %q", tt.who.Name, tt.in, err, tt.code, tt.text)
		}
	}
	if after := s.view(t, s.Admin).Events; after != before {
		t.Fatalf("refusals recorded events: %d -> %d", before, after)
	}

	// Withdrawals: the requester, the relayer, the chair; not someone else.
	err = s.M.WithdrawRequest(s.Ctx, s.in(t, s.Usa), s.m.ID, bra.ID)
	fixture.ExpectCode(t, err, plenary.CodeForbidden)
	if err := s.M.WithdrawRequest(s.Ctx, s.in(t, s.moderator), s.m.ID, rita.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.M.WithdrawRequest(s.Ctx, s.in(t, s.Usa), s.m.ID, usa.ID); err != nil {
		t.Fatal(err)
	}
	// The chair moves and removes, with reasons; a delegate may not.
	fixture.ExpectCode(t, s.M.MoveRequest(s.Ctx, s.in(t, s.Usa), s.m.ID, hub.ID, 1, "x"), plenary.CodeForbidden)
	fixture.ExpectField(t, s.M.MoveRequest(s.Ctx, ch, s.m.ID, hub.ID, 1, ""), "reason")
	if err := s.M.MoveRequest(s.Ctx, ch, s.m.ID, hub.ID, 1, "the hub's connection is failing"); err != nil {
		t.Fatal(err)
	}
	v = s.view(t, s.Observer)
	if v.Order[0].ID != hub.ID || !v.Order[0].Pinned || !strings.Contains(v.Order[0].Why, "the hub's connection is failing") {
		t.Fatalf("moved: %+v", v.Order[0])
	}
	if err := s.M.RemoveRequest(s.Ctx, ch, s.m.ID, guest.ID, "the guest left"); err != nil {
		t.Fatal(err)
	}
	// The list closes: a request to speak is refused, a point of order is not.
	fixture.ExpectCode(t, s.M.CloseList(s.Ctx, s.in(t, s.Bra), s.m.ID), plenary.CodeForbidden)
	if err := s.M.CloseList(s.Ctx, ch, s.m.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.M.RequestFloor(s.Ctx, s.in(t, s.Usa), s.m.ID, meetings.RequestInput{})
	if plenary.ErrorCode(err) != plenary.CodeConflict || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("on a closed list: %v", err)
	}
	if ok, err := s.M.MayRequestFloor(s.Ctx, s.in(t, s.Usa), s.m.ID, floor.Speak); err != nil || ok {
		t.Fatalf("may request on a closed list: %v %v", ok, err)
	}
	po := s.ask(t, s.Usa, meetings.RequestInput{Kind: floor.PointOfOrder})
	if err := s.M.ReopenList(s.Ctx, ch, s.m.ID); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.M.MayRequestFloor(s.Ctx, s.in(t, s.Usa), s.m.ID, floor.Speak); err != nil || !ok {
		t.Fatalf("may not request on an open list: %v %v", ok, err)
	}
	v = s.view(t, s.Observer)
	if v.Order[0].ID != po.ID || v.Order[0].Kind != floor.PointOfOrder {
		t.Fatalf("the point of order is not first: %v", ids(v.Order))
	}
	// The floor: a delegate may not give it; the chair does.
	fixture.ExpectCode(t, s.M.GiveFloor(s.Ctx, s.in(t, s.Usa), s.m.ID, po.ID), plenary.CodeForbidden)
	if err := s.M.GiveFloor(s.Ctx, ch, s.m.ID, po.ID); err != nil {
		t.Fatal(err)
	}
	fixture.ExpectCode(t, s.M.GiveFloor(s.Ctx, ch, s.m.ID, bra.ID), plenary.CodeConflict) // finish that turn first
	for _, step := range []func() error{
		func() error { return s.M.StartClock(s.Ctx, ch, s.m.ID) },
		func() error { return s.M.PauseClock(s.Ctx, ch, s.m.ID) },
		func() error { return s.M.ResumeClock(s.Ctx, ch, s.m.ID) },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	v = s.view(t, s.Observer)
	if v.Current == nil || v.Current.ID != po.ID || v.Current.Deadline == nil || v.Current.Limit != floor.DefaultOrderLimit {
		t.Fatalf("current: %+v", v.Current)
	}
	fixture.ExpectCode(t, s.M.RuleOnPointOfOrder(s.Ctx, s.in(t, s.Bra), s.m.ID, po.ID, "x"), plenary.CodeForbidden)
	fixture.ExpectField(t, s.M.RuleOnPointOfOrder(s.Ctx, ch, s.m.ID, po.ID, " "), "ruling")
	if err := s.M.FinishTurn(s.Ctx, ch, s.m.ID, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.M.RuleOnPointOfOrder(s.Ctx, ch, s.m.ID, po.ID, "The point is well taken."); err != nil {
		t.Fatal(err)
	}
	fixture.ExpectCode(t, s.M.FinishTurn(s.Ctx, ch, s.m.ID, ""), plenary.CodeConflict) // nobody has the floor
	ins, err := s.M.Interventions(s.Ctx, s.in(t, s.Observer), s.m.ID)
	if err != nil || len(ins) != 1 || ins[0].ID != po.ID || ins[0].Ruling != "The point is well taken." || ins[0].StartedAt == nil ||
		ins[0].Kind != floor.PointOfOrder || ins[0].PartyName != "United States" || ins[0].Seq == 0 || len(ins[0].Pauses) != 1 {
		t.Fatalf("interventions: %v %+v", err, ins)
	}
	// Suspended: the floor is not given; adjourned: nothing.
	if _, err := s.M.ChangeState(s.Ctx, ch, s.m.ID, "suspend", ""); err != nil {
		t.Fatal(err)
	}
	err = s.M.GiveFloor(s.Ctx, ch, s.m.ID, bra.ID)
	if plenary.ErrorCode(err) != plenary.CodeConflict || !strings.Contains(err.Error(), "in session") {
		t.Fatalf("giving the floor while suspended: %v", err)
	}
	if _, err := s.M.ChangeState(s.Ctx, ch, s.m.ID, "adjourn", ""); err != nil {
		t.Fatal(err)
	}
	_, err = s.M.RequestFloor(s.Ctx, s.in(t, s.Usa), s.m.ID, meetings.RequestInput{})
	if plenary.ErrorCode(err) != plenary.CodeConflict || !strings.Contains(err.Error(), "adjourned") {
		t.Fatalf("asking in an adjourned meeting: %v", err)
	}
	// Every accepted command is on the ledger as floor.<type>.
	for _, typ := range []string{"configured", "item", "requested", "withdrawn", "moved", "removed", "closed", "reopened", "given", "started", "paused", "resumed", "finished", "ruled"} {
		evs := s.Events(t, "floor."+typ)
		if len(evs) == 0 {
			t.Errorf("no floor.%s on the ledger", typ)
			continue
		}
		var p map[string]any
		if err := json.Unmarshal(evs[0].Payload, &p); err != nil || p["meeting"] != s.m.ID || p["event"] == nil || p["number"] != s.m.Number {
			t.Fatalf("payload of floor.%s: %s", typ, evs[0].Payload)
		}
	}
}

func TestFloorObserverRefusedByTheMatrix(t *testing.T) {
	s := newFloor(t)
	// The policy forum's matrix: does the observer hold ask_floor? The
	// command's answer must be the matrix's own.
	sc := s.in(t, s.Observer)
	may, err := sc.May(s.Ctx, meetings.RequestAction(floor.Speak), "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.M.RequestFloor(s.Ctx, s.in(t, s.Observer), s.m.ID, meetings.RequestInput{})
	if may || plenary.ErrorCode(err) != plenary.CodeForbidden {
		t.Fatalf("observers hold ask_floor in WTPF-13's rules (%v), or the command answered %v", may, err)
	}
	_, want := s.in(t, s.Observer).Authorize(s.Ctx, meetings.RequestAction(floor.Speak), "")
	if !strings.Contains(err.Error(), want.Error()) || !strings.Contains(err.Error(), "may not ask for the floor") {
		t.Fatalf("refusal %q, want the matrix's %q", err, want)
	}
	if ok, err := s.M.MayRequestFloor(s.Ctx, s.in(t, s.Observer), s.m.ID, floor.Speak); ok || err != nil {
		t.Fatalf("the button is offered to the observer: %v %v", ok, err)
	}
}

func TestFloorRelayChecksTheRelayedPersonsRights(t *testing.T) {
	s := newFloor(t)
	// Civil society participants may ask for the floor but not raise a
	// point of order in this forum's rules: the moderator relaying Rita's
	// point of order is refused with the matrix's sentence about her.
	_, err := s.M.RequestFloor(s.Ctx, s.in(t, s.moderator), s.m.ID, meetings.RequestInput{For: s.remoteReg.ID, Kind: floor.PointOfOrder})
	if plenary.ErrorCode(err) != plenary.CodeForbidden || !strings.Contains(err.Error(), "Civil society participants may not raise a point of order") {
		t.Fatalf("relaying a point of order for someone without the right: %v", err)
	}
	// The moderator themself may raise one? Their own right is not what counts.
	if _, err := s.M.RequestFloor(s.Ctx, s.in(t, s.moderator), s.m.ID, meetings.RequestInput{For: s.remoteReg.ID}); err != nil {
		t.Fatalf("relaying a request to speak: %v", err)
	}
}

func TestFloorLedgerReplayAndSpeakingTime(t *testing.T) {
	s := newFloor(t)
	ch := s.in(t, s.chair)
	if _, err := s.M.ConfigureFloor(s.Ctx, ch, s.m.ID, floor.Policy{Rotation: []string{"member_state", "civil_society"}, Alternate: floor.Alternation{Room: 1, Remote: 1}}); err != nil {
		t.Fatal(err)
	}
	usa := s.ask(t, s.Usa, meetings.RequestInput{})
	bra := s.ask(t, s.Bra, meetings.RequestInput{})
	rita := s.ask(t, s.moderator, meetings.RequestInput{For: s.remoteReg.ID})
	hub := s.ask(t, s.Isoc, meetings.RequestInput{Hub: s.hub.ID})
	for _, r := range []floor.Request{usa, rita} {
		if err := s.M.GiveFloor(s.Ctx, ch, s.m.ID, r.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.M.StartClock(s.Ctx, ch, s.m.ID); err != nil {
			t.Fatal(err)
		}
		if err := s.M.FinishTurn(s.Ctx, ch, s.m.ID, "thanked by the chair"); err != nil {
			t.Fatal(err)
		}
	}
	v := s.view(t, s.Observer)
	rp, err := s.M.ReplayFloor(s.Ctx, s.in(t, s.Observer), s.m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rp.Events != v.Events || len(rp.Order) != len(v.Order) || len(rp.Order) != 2 {
		t.Fatalf("replay: %d events, %v; view %d, %v", rp.Events, ids(rp.Order), v.Events, ids(v.Order))
	}
	for i := range rp.Order {
		if rp.Order[i].ID != v.Order[i].ID || rp.Order[i].Why != v.Order[i].Why || rp.Order[i].Why == "" {
			t.Fatalf("place %d: replay %+v, view %+v", i, rp.Order[i], v.Order[i])
		}
	}
	_ = bra
	_ = hub
	ins, err := s.M.Interventions(s.Ctx, s.in(t, s.Observer), s.m.ID)
	if err != nil || len(ins) != 2 || ins[0].ID != usa.ID || ins[1].Origin != floor.Remote || ins[1].Reason != "thanked by the chair" ||
		ins[0].EndedAt.Before(ins[0].GivenAt) || ins[0].SpokenMS < 0 || ins[0].Limit != floor.DefaultSpeakLimit {
		t.Fatalf("interventions: %v %+v", err, ins)
	}
	st, err := s.M.SpeakingTime(s.Ctx, s.in(t, s.Observer), s.m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Total.Turns != 2 || len(st.Groups) != 2 || len(st.Parties) != 2 || len(st.Origins) != 2 || st.Meeting != s.m.Number {
		t.Fatalf("speaking time: %+v", st)
	}
	var sum int64
	for _, g := range st.Groups {
		sum += g.SpokenMS
		if g.Turns != 1 || g.Name == "" {
			t.Fatalf("group: %+v", g)
		}
	}
	if sum != st.Total.SpokenMS || sum != ins[0].SpokenMS+ins[1].SpokenMS {
		t.Fatalf("the groups add up to %d, total %d", sum, st.Total.SpokenMS)
	}
	fst, err := s.M.ForumSpeakingTime(s.Ctx, s.in(t, forum.Actor{}))
	if err != nil || fst.Total.Turns != 2 {
		t.Fatalf("forum speaking time: %v %+v", err, fst)
	}
	// A closed meeting's interventions are not counted for the public.
	closed := s.schedule(t, meetings.MeetingInput{Access: "closed"})
	if _, err := s.M.Floor(s.Ctx, s.in(t, forum.Actor{}), closed.ID); plenary.ErrorCode(err) != plenary.CodeNotFound {
		t.Fatalf("the public reads a closed meeting's floor: %v", err)
	}
}

// TestFloorProperty drives the service with a seeded random sequence of
// commands against the database and checks the invariants: every request
// is served once, or withdrawn or removed, and points of order are never
// behind a speaker in any view.
func TestFloorProperty(t *testing.T) {
	s := newFloor(t)
	ch := s.in(t, s.chair)
	if _, err := s.M.ConfigureFloor(s.Ctx, ch, s.m.ID, floor.Policy{Precedence: true, LeastSpoken: true}); err != nil {
		t.Fatal(err)
	}
	people := []forum.Actor{s.Usa, s.Bra, s.Isoc, s.chair}
	rng := rand.New(rand.NewSource(13))
	asked := map[string]bool{}
	steps := 60
	if testing.Short() {
		steps = 25
	}
	for i := 0; i < steps; i++ {
		v := s.view(t, s.chair)
		seenSpeaker := false
		for _, p := range v.Order {
			if p.Kind == floor.PointOfOrder && seenSpeaker {
				t.Fatalf("step %d: a point of order behind a speaker: %v", i, ids(v.Order))
			}
			seenSpeaker = seenSpeaker || p.Kind != floor.PointOfOrder
		}
		var err error
		switch op := rng.Intn(7); {
		case op <= 1:
			kind := floor.Speak
			if rng.Intn(4) == 0 {
				kind = floor.PointOfOrder
			}
			var r floor.Request
			r, err = s.M.RequestFloor(s.Ctx, s.in(t, people[rng.Intn(len(people))]), s.m.ID, meetings.RequestInput{Kind: kind})
			if err == nil {
				asked[r.ID] = true
			}
		case op == 2 && len(v.Order) > 0:
			err = s.M.GiveFloor(s.Ctx, ch, s.m.ID, v.Order[0].ID)
		case op == 3 && v.Current != nil:
			err = s.M.FinishTurn(s.Ctx, ch, s.m.ID, "")
		case op == 4 && v.Current != nil && v.Current.StartedAt == 0:
			err = s.M.StartClock(s.Ctx, ch, s.m.ID)
		case op == 5 && len(v.Order) > 0:
			err = s.M.WithdrawRequest(s.Ctx, ch, s.m.ID, v.Order[len(v.Order)-1].ID)
		case op == 6 && len(v.Order) > 1:
			err = s.M.RemoveRequest(s.Ctx, ch, s.m.ID, v.Order[1].ID, "out of time")
		}
		if c := plenary.ErrorCode(err); err != nil && c != plenary.CodeConflict && c != plenary.CodeForbidden {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	// Serve everyone left.
	for n := 0; n < 100; n++ {
		v := s.view(t, s.chair)
		if v.Current != nil {
			if err := s.M.FinishTurn(s.Ctx, ch, s.m.ID, ""); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if len(v.Order) == 0 {
			break
		}
		if err := s.M.GiveFloor(s.Ctx, ch, s.m.ID, v.Order[0].ID); err != nil {
			t.Fatal(err)
		}
	}
	rp, err := s.M.ReplayFloor(s.Ctx, ch, s.m.ID)
	if err != nil {
		t.Fatal(err)
	}
	done := map[string]int{}
	for _, tu := range rp.Turns {
		done[tu.ID]++
	}
	for _, r := range rp.State.Withdrawn() {
		done[r.ID]++
	}
	for _, r := range rp.State.Removed() {
		done[r.ID]++
	}
	ins, _ := s.M.Interventions(s.Ctx, ch, s.m.ID)
	if len(ins) != len(rp.Turns) {
		t.Fatalf("%d interventions, %d turns", len(ins), len(rp.Turns))
	}
	for id := range asked {
		if done[id] != 1 {
			t.Errorf("request %s was served, withdrawn or removed %d times", id, done[id])
		}
	}
	if len(asked) == 0 {
		t.Fatal("no request was made")
	}
}

// A queue recorded after the fact runs on a clock of its own: its events
// are stamped by it, so a turn lasts as long as that clock says; with the
// server's clock back, events are still never stamped before the last.
func TestFloorOnAClockOfItsOwn(t *testing.T) {
	s := newFloor(t)
	ch := s.in(t, s.chair)
	at := plenary.Now().Add(time.Hour).Truncate(time.Millisecond)
	s.M.SetClock(func() time.Time { return at })
	defer s.M.SetClock(nil)
	bra := s.ask(t, s.Bra, meetings.RequestInput{})
	if err := s.M.GiveFloor(s.Ctx, ch, s.m.ID, bra.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.M.StartClock(s.Ctx, ch, s.m.ID); err != nil {
		t.Fatal(err)
	}
	at = at.Add(95 * time.Second)
	if err := s.M.FinishTurn(s.Ctx, ch, s.m.ID, ""); err != nil {
		t.Fatal(err)
	}
	ins, err := s.M.Interventions(s.Ctx, s.in(t, s.Observer), s.m.ID)
	if err != nil || len(ins) != 1 {
		t.Fatalf("interventions: %v %+v", err, ins)
	}
	if ins[0].SpokenMS != 95000 || !ins[0].EndedAt.Equal(at) {
		t.Fatalf("the turn lasted %d ms and ended at %v, want 95000 ms ending at %v", ins[0].SpokenMS, ins[0].EndedAt, at)
	}
	s.M.SetClock(nil)
	usa := s.ask(t, s.Usa, meetings.RequestInput{})
	v := s.view(t, s.Observer)
	if len(v.Order) != 1 || v.Order[0].ID != usa.ID || v.Order[0].At != at.UnixMilli() {
		t.Fatalf("with the server's clock back, the request is %+v, not stamped at the last event %v", v.Order, at)
	}
}
