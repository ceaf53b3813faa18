package floor

import (
	"strings"
	"testing"
)

// The demo's WTPF-13 working group: order of request with protocol
// precedence; Brazil and the United States in the room, a civil-society
// participant remote, an Internet Society hub, and one point of order
// pending. Replaying the ledger gives the order the meeting showed.
func TestDemoWTPFWorkingGroup(t *testing.T) {
	es := []Event{
		configure(Policy{Precedence: true}),
		item("opinion-1"),
		ask(usa.req("r1", Speak)),
		ask(apc.req("r2", Speak)),
		ask(isoc.req("r3", Speak)),
		ask(brazil.req("r4", Speak)),
		give("r1"), start(), wait(140), finish(),
		ask(brazil.req("r5", Reply)),
		ask(sweden.req("r6", PointOfOrder)),
	}
	es[10].Request.ReplyTo = "r1"
	s := replay(t, es...)
	equal(t, "order", whys(s.Order()), []string{
		"r6: Point of order: points of order go before every speaker, first come first served.",
		"r4: Protocol precedence (a head of delegation).",
		"r2: Order of request: first to ask, at 10:00:40 UTC.",
		"r3: Order of request: asked at 10:00:50 UTC.",
		"r5: Right of reply: rights of reply are taken at the end of the item, first come first served.",
	})
	if got := s.Policy().Describe(); got != "Order of request, with protocol precedence." {
		t.Errorf("Describe = %q", got)
	}
	tu := s.Turns()
	if len(tu) != 1 || tu[0].Spoken(0) != 150000 || tu[0].Overtime(tu[0].EndedAt) != 0 {
		t.Errorf("turns = %+v", tu)
	}
	// The same ledger through a fresh state, with the secretariat's formatter.
	s2, err := Replay(events(es...))
	if err != nil {
		t.Fatal(err)
	}
	s2.SetTimeFormat(func(ms int64) string { return "+" + duration(ms-t0) })
	if w := s2.Order()[2].Why; w != "Order of request: first to ask, at +40 s." {
		t.Errorf("formatted Why = %q", w)
	}
}

// The demo's IGF/NETmundial-style session: rotation across four stakeholder
// groups and alternation, four in the room then two remote.
func TestDemoNETmundialSession(t *testing.T) {
	p := Policy{
		Rotation:  []string{"government", "private_sector", "civil_society", "technical_community"},
		Alternate: Alternation{Room: 4, Remote: 2},
		Limits:    map[Kind]int64{Speak: 120},
	}
	es := []Event{
		configure(p),
		item("principles"),
		ask(eff.req("a1", Speak)),     // civil society, room
		ask(apc.req("a2", Speak)),     // civil society, remote
		ask(cisco.req("a3", Speak)),   // private sector, room
		ask(kenya.req("a4", Speak)),   // government, room
		ask(isoc.req("a5", Speak)),    // technical community, hub
		ask(ripe.req("a6", Speak)),    // technical community, room
		ask(germany.req("a7", Speak)), // government, remote
		ask(icc.req("a8", Speak)),     // private sector, remote
		ask(guest.req("a9", Speak)),   // civil society, room, asked by the secretariat
	}
	es[10].Request.By = "secretariat"
	s := replay(t, es...)
	rot := " (government, private sector, civil society, technical community)"
	slot := func(k string) string { return "a " + k + " slot (4 in the room, then 2 remote)" }
	equal(t, "order", whys(s.Order()), []string{
		"a4: Government's turn in the rotation" + rot + "; " + slot("room") + ".",
		"a3: Private sector's turn in the rotation" + rot + "; " + slot("room") + ".",
		"a1: Civil society's turn in the rotation" + rot + "; " + slot("room") + "; first to ask among them, at 10:00:30 UTC.",
		"a6: Technical community's turn in the rotation" + rot + "; " + slot("room") + ".",
		"a7: Government's turn in the rotation" + rot + "; " + slot("remote") + ".",
		"a8: Private sector's turn in the rotation" + rot + "; " + slot("remote") + ".",
		"a9: Civil society's turn in the rotation" + rot + "; " + slot("room") + ".",
		"a5: Technical community's turn in the rotation" + rot + "; a room slot, but nobody in the room is waiting, so a remote participant takes it (4 in the room, then 2 remote).",
		"a2: Civil society's turn in the rotation, passing over government and private sector with nobody waiting" + rot + "; a room slot, but nobody in the room is waiting, so a remote participant takes it (4 in the room, then 2 remote).",
	})
	// The chair follows the order; the order of the rest does not change as
	// each is given the floor and finishes.
	want := ids(s.Order())
	for len(want) > 0 {
		if err := s.Apply(Event{Type: Given, ID: want[0], At: s.Last() + 1000}); err != nil {
			t.Fatal(err)
		}
		if err := s.Apply(Event{Type: Started, At: s.Last() + 1000}); err != nil {
			t.Fatal(err)
		}
		if err := s.Apply(Event{Type: Finished, At: s.Last() + 60000}); err != nil {
			t.Fatal(err)
		}
		want = want[1:]
		equal(t, "order after a turn", ids(s.Order()), want)
	}
	tally := s.Spoken()
	if tally.Origins[Room].Turns != 5 || tally.Origins[Remote].Turns != 3 || tally.Origins[Hub].Turns != 1 {
		t.Errorf("origins = %+v", tally.Origins)
	}
	if tally.Groups["civil_society"].Spoken != 3*60000 || tally.Total.Turns != 9 {
		t.Errorf("tally = %+v", tally)
	}
	if !strings.Contains(s.Policy().Describe(), "; rotation across government, private sector, civil society, technical community; 4 in the room, then 2 remote.") {
		t.Errorf("Describe = %q", s.Policy().Describe())
	}
}
