package floor

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
)

func TestClockAndInterruptions(t *testing.T) {
	s := replay(t, configure(Policy{Limits: map[Kind]int64{Speak: 60}}),
		ask(usa.req("r1", Speak)), give("r1"), wait(5), start(), wait(20), pause(), wait(30), resume(), wait(10),
		ask(brazil.req("p1", PointOfOrder)), give("p1"), start())
	// The point of order interrupted the US, whose clock paused.
	c, ok := s.Current()
	if !ok || c.ID != "p1" || !c.Running || c.Interrupted != "r1" {
		t.Fatalf("current = %+v", c)
	}
	in := s.Interrupted()
	if len(in) != 1 || in[0].ID != "r1" || !in[0].Paused() || in[0].Spoken(s.Last()+99000) != 60000 {
		t.Fatalf("interrupted = %+v", in)
	}
	for _, e := range []Event{rule("p1", "The delegate is in order."), finish()} {
		e.At = s.Last() + 15000
		if err := s.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	// Back to the US, still paused until the chair resumes.
	c, _ = s.Current()
	if c.ID != "r1" || c.Running || !c.Paused() {
		t.Fatalf("current after the point of order = %+v", c)
	}
	now := s.Last()
	for _, e := range []Event{{Type: Resumed, At: now + 1000}, {Type: Finished, At: now + 31000, Reason: "cut off at the limit"}} {
		if err := s.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	tu := s.Turns()
	if len(tu) != 2 || tu[0].ID != "p1" || tu[0].Ruling != "The delegate is in order." || tu[1].ID != "r1" {
		t.Fatalf("turns = %+v", tu)
	}
	us := tu[1]
	// 30 s before the pause, 30 s after it until the point of order, 30 s
	// after the resumption: 90 s against a limit of 60 s.
	if got := us.Spoken(0); got != 90000 {
		t.Errorf("spoken = %d", got)
	}
	if us.Remaining(0) != -30000 || us.Overtime(us.EndedAt) != 30000 || us.Reason != "cut off at the limit" {
		t.Errorf("remaining %d, overtime %d, reason %q", us.Remaining(0), us.Overtime(0), us.Reason)
	}
	if _, ok := s.Current(); ok {
		t.Error("someone still has the floor")
	}
	// A turn given but never started spoke nothing.
	if (Turn{GivenAt: 5, Limit: 60}).Spoken(1000) != 0 {
		t.Error("unstarted turn")
	}
}

func TestQuestionInterruptsTheSpeaker(t *testing.T) {
	s := replay(t, ask(usa.req("r1", Speak)), ask(apc.req("r2", Speak)), give("r1"), start(),
		ask(brazil.req("q1", Question)), give("q1"), start(), finish())
	c, _ := s.Current()
	if c.ID != "r1" || len(c.Pauses) != 1 {
		t.Fatalf("current = %+v", c)
	}
	if q := s.Turns()[0]; q.ReplyTo != "r1" || q.Interrupted != "r1" {
		t.Errorf("question turn = %+v", q)
	}
	equal(t, "order", ids(s.Order()), []string{"r2"})
}

// Determinism: the same events always give the same order, whatever the
// order of map iteration in the process.
func TestDeterminism(t *testing.T) {
	es := randomMeeting(rand.New(rand.NewPCG(1, 2)), 300)
	var first []Place
	for i := range 30 {
		s, err := Replay(es)
		if err != nil {
			t.Fatal(err)
		}
		o := s.Order()
		if i == 0 {
			first = o
			if len(o) == 0 {
				t.Fatal("empty order")
			}
			continue
		}
		if !reflect.DeepEqual(o, first) {
			t.Fatalf("replay %d differs", i)
		}
	}
}

var people = []person{brazil, usa, india, sweden, apc, isoc, ripe, cisco, icc, eff, kenya, germany, guest, observr}

// randomMeeting makes n valid commands: at each step it tries random events
// until the state accepts one.
func randomMeeting(r *rand.Rand, n int) []Event {
	s := New()
	now := t0
	var out []Event
	budgets := map[string]int64{"group:civil_society": 400, "party:BR": 300}
	policies := []Policy{
		{}, {Precedence: true}, {Rotation: []string{"government", "private_sector", "civil_society", "technical_community"}, Alternate: Alternation{4, 2}},
		{LeastSpoken: true, Budgets: budgets}, {Lots: true, Seed: r.Uint64(), Precedence: true, Budgets: budgets, ReplyCap: 1},
	}
	items := []string{"op1", "op2", "op3"}
	for id := 0; len(out) < n; {
		now += int64(r.IntN(60000) + 1)
		var e Event
		pick := func() string {
			if w := s.Waiting(); len(w) > 0 {
				return w[r.IntN(len(w))].ID
			}
			return "none"
		}
		switch k := r.IntN(20); {
		case k < 7:
			id++
			p := people[r.IntN(len(people))]
			kinds := []Kind{Speak, Speak, Speak, PointOfOrder, Reply, Question}
			req := p.req("r"+strconv.Itoa(id), kinds[r.IntN(len(kinds))])
			if tu := s.Turns(); req.Kind == Reply && len(tu) > 0 {
				req.ReplyTo = tu[r.IntN(len(tu))].ID
			}
			e = Event{Type: Requested, Request: req}
		case k < 10:
			o := s.Order()
			if len(o) > 0 && r.IntN(3) > 0 {
				e = Event{Type: Given, ID: o[0].ID}
			} else {
				e = Event{Type: Given, ID: pick()}
			}
		case k < 12:
			e = Event{Type: Started}
		case k < 14:
			e = Event{Type: Finished}
		case k == 14:
			e = Event{Type: []EventType{Paused, Resumed}[r.IntN(2)]}
		case k == 15:
			e = Event{Type: Withdrawn, ID: pick()}
		case k == 16:
			e = Event{Type: Moved, ID: pick(), To: 1 + r.IntN(len(s.Order())+1), Reason: "the chair's discretion"}
		case k == 17:
			e = Event{Type: []EventType{Removed, Closed, Reopened}[r.IntN(3)], ID: pick(), Reason: "out of order"}
		case k == 18:
			e = Event{Type: ItemOpened, Item: items[r.IntN(len(items))]}
		default:
			if r.IntN(4) == 0 {
				p := policies[r.IntN(len(policies))]
				e = Event{Type: Configured, Policy: &p}
			} else if tu := s.Turns(); len(tu) > 0 {
				e = Event{Type: Ruled, ID: tu[r.IntN(len(tu))].ID, Ruling: "in order"}
			}
		}
		e.At = now
		if s.Apply(e) == nil {
			out = append(out, e)
		}
	}
	return out
}

// The property: with any sequence of valid commands, every request is
// served exactly once, or withdrawn or removed, or still waiting; points of
// order are never behind a speaker; no one over a budget is given the floor;
// no party has more rights of reply on an item than the cap.
func TestQueueProperties(t *testing.T) {
	for seed := range uint64(60) {
		r := rand.New(rand.NewPCG(seed, 7))
		checkProperties(t, randomMeeting(r, 200))
	}
}

func checkProperties(t *testing.T, es []Event) {
	t.Helper()
	s := New()
	requested := map[string]bool{}
	// Rights of reply per item opening and party, counted apart from the
	// state: opening an item starts its rights of reply afresh.
	gen := 0
	replies := map[string]map[string]bool{}
	replyOf := map[string]string{}
	for i, e := range es {
		if e.Type == Given {
			en := s.reqs[e.ID]
			if en != nil && en.Kind != PointOfOrder && s.overBudget(en.Request, e.At) != "" {
				t.Fatalf("event %d: over budget and given", i)
			}
		}
		if err := s.Apply(e); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		switch e.Type {
		case ItemOpened:
			gen++
		case Requested:
			requested[e.Request.ID] = true
			if e.Request.Kind == Reply {
				k := strconv.Itoa(gen) + "/" + e.Request.partyKey()
				if replies[k] == nil {
					replies[k] = map[string]bool{}
				}
				replies[k][e.Request.ID] = true
				replyOf[e.Request.ID] = k
				if n := len(replies[k]); n > DefaultReplyCap {
					t.Fatalf("event %d: %s has %d rights of reply", i, k, n)
				}
			}
		case Withdrawn, Removed:
			if k, ok := replyOf[e.ID]; ok {
				delete(replies[k], e.ID)
			}
		}
		speaker := false
		for _, p := range s.Order() {
			if p.Kind == PointOfOrder && speaker {
				t.Fatalf("event %d: a point of order behind a speaker: %v", i, ids(s.Order()))
			}
			if p.Kind != PointOfOrder {
				speaker = true
			}
		}
	}
	seen := map[string]int{}
	for _, tu := range s.Turns() {
		seen[tu.ID]++
	}
	for _, tu := range s.Interrupted() {
		seen[tu.ID]++
	}
	if c, ok := s.Current(); ok {
		seen[c.ID]++
	}
	for _, w := range s.Withdrawn() {
		seen[w.ID]++
	}
	for _, w := range s.Removed() {
		seen[w.ID]++
	}
	for _, w := range s.Waiting() {
		seen[w.ID]++
	}
	for id := range requested {
		if seen[id] != 1 {
			t.Fatalf("request %s accounted for %d times", id, seen[id])
		}
	}
	if len(seen) != len(requested) {
		t.Fatalf("%d accounted for, %d requested", len(seen), len(requested))
	}
}

func FuzzFloor(f *testing.F) {
	f.Add(uint64(1), uint16(50))
	f.Add(uint64(2013), uint16(300))
	f.Fuzz(func(t *testing.T, seed uint64, n uint16) {
		checkProperties(t, randomMeeting(rand.New(rand.NewPCG(seed, 1)), int(n%400)))
	})
}

// BenchmarkOrder500 recomputes the order of a queue of 500 requests under
// every policy at once.
func BenchmarkOrder500(b *testing.B) {
	s := New()
	now := t0
	p := Policy{Precedence: true, Rotation: []string{"member_state", "civil_society", "technical_community", "private_sector"},
		Alternate: Alternation{4, 2}, LeastSpoken: true, Lots: true, Seed: 42, Budgets: map[string]int64{"group:observer": 600}}
	if err := s.Apply(Event{Type: Configured, Policy: &p, At: now}); err != nil {
		b.Fatal(err)
	}
	for i := range 500 {
		now += 1000
		pp := people[i%len(people)]
		r := pp.req("r"+strconv.Itoa(i), Speak)
		r.Speaker += strconv.Itoa(i)
		if i%50 == 0 {
			r.Kind = PointOfOrder
		}
		if err := s.Apply(Event{Type: Requested, Request: r, At: now}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if len(s.OrderAt(now)) != 500 {
			b.Fatal("short order")
		}
	}
}
