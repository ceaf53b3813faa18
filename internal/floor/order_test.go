package floor

import (
	"strings"
	"testing"
)

// Each policy alone and in the combinations, over one set of requests.
func TestOrderPolicies(t *testing.T) {
	// Asked in this order: USA (delegate, room), APC (civil society,
	// remote), India (minister, room), ISOC (hub), Brazil (head of
	// delegation, room), Sweden (delegate, remote), UNESCO (observer), a guest
	// (unranked).
	asks := []Event{
		ask(usa.req("us", Speak)), ask(apc.req("apc", Speak)), ask(india.req("in", Speak)), ask(isoc.req("isoc", Speak)),
		ask(brazil.req("br", Speak)), ask(sweden.req("se", Speak)), ask(observr.req("un", Speak)), ask(guest.req("g", Speak)),
	}
	// History: Brazil has already spoken 2 minutes, the US 30 s.
	history := []Event{
		ask(brazil.req("h1", Speak)), give("h1"), start(), wait(110), finish(),
		ask(usa.req("h2", Speak)), give("h2"), start(), wait(20), finish(),
	}
	tests := []struct {
		name    string
		p       Policy
		history bool
		want    []string
		why     map[string]string
	}{
		{"order of request", Policy{}, false, []string{"us", "apc", "in", "isoc", "br", "se", "un", "g"},
			map[string]string{"us": "Order of request: first to ask, at 10:00:30 UTC.", "g": "Order of request: asked at 10:01:40 UTC."}},
		{"precedence", Policy{Precedence: true}, false, []string{"in", "br", "us", "se", "apc", "isoc", "un", "g"},
			map[string]string{"in": "Protocol precedence (a minister).", "us": "Protocol precedence (a Member State delegate); first to ask among them, at 10:00:30 UTC.", "se": "Protocol precedence (a Member State delegate).",
				"un": "Protocol precedence (an observer).", "g": "Order of request: asked at 10:01:40 UTC."}},
		{"alternation 2 room 1 remote", Policy{Alternate: Alternation{2, 1}}, false, []string{"us", "in", "apc", "br", "un", "isoc", "g", "se"},
			map[string]string{"isoc": "A remote slot (2 in the room, then 1 remote); first to ask among them, at 10:01:00 UTC.",
				"se": "A room slot, but nobody in the room is waiting, so a remote participant takes it (2 in the room, then 1 remote)."}},
		{"rotation", Policy{Rotation: []string{"member_state", "civil_society", "technical_community"}}, false,
			[]string{"us", "apc", "isoc", "in", "g", "br", "se", "un"},
			map[string]string{"br": "Member States's turn in the rotation, passing over technical community with nobody waiting (Member States, civil society, technical community); first to ask among them, at 10:01:10 UTC.",
				"un": "Nobody from the groups in the rotation is waiting, so a speaker outside it."}},
		{"least spoken", Policy{LeastSpoken: true}, true, []string{"apc", "in", "isoc", "se", "un", "g", "us", "br"},
			map[string]string{"apc": "Least speaking time so far (none yet); first to ask among them, at 10:04:10 UTC.",
				"us": "Least speaking time so far (30 s, counting the turns before it at their full limit).",
				"br": "Order of request: asked at 10:04:40 UTC."}},
		{"lots", Policy{Lots: true, Seed: 2013}, false, lotOrder(2013, "us", "apc", "in", "isoc", "br", "se", "un", "g"),
			map[string]string{"us": "Drawn by lot (seed 2013)."}},
		{"precedence and lots", Policy{Precedence: true, Lots: true, Seed: 5}, false,
			append(append([]string{"in", "br"}, lotOrder(5, "us", "se")...), append(lotOrder(5, "apc", "isoc"), "un", "g")...), nil},
		{"precedence and alternation", Policy{Precedence: true, Alternate: Alternation{1, 1}}, false, []string{"in", "se", "br", "apc", "us", "isoc", "un", "g"},
			map[string]string{"se": "A remote slot (1 in the room, then 1 remote); protocol precedence (a Member State delegate)."}},
		{"rotation, alternation, precedence", Policy{Precedence: true, Rotation: []string{"member_state", "civil_society", "technical_community"}, Alternate: Alternation{2, 1}}, false,
			[]string{"in", "g", "isoc", "br", "us", "apc", "un", "se"},
			map[string]string{"g": "Civil society's turn in the rotation (Member States, civil society, technical community); a room slot (2 in the room, then 1 remote).",
				"us": "Member States's turn in the rotation, passing over civil society and technical community with nobody waiting (Member States, civil society, technical community); a room slot (2 in the room, then 1 remote).",
				"un": "Nobody from the groups in the rotation is waiting, so a speaker outside it; a room slot (2 in the room, then 1 remote)."}},
		{"least spoken and precedence", Policy{Precedence: true, LeastSpoken: true}, true, []string{"in", "br", "se", "us", "apc", "isoc", "un", "g"},
			map[string]string{"se": "Protocol precedence (a Member State delegate); least speaking time so far (none yet)."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := []Event{configure(tt.p), item("op1")}
			if tt.history {
				es = append(es, history...)
			}
			s := replay(t, append(es, asks...)...)
			order := s.Order()
			equal(t, "order", ids(order), tt.want)
			for _, p := range order {
				if w, ok := tt.why[p.ID]; ok && p.Why != w {
					t.Errorf("%s: Why = %q\n                 want %q", p.ID, p.Why, w)
				}
				if p.Position < 1 || order[p.Position-1].ID != p.ID {
					t.Errorf("%s: position %d", p.ID, p.Position)
				}
			}
		})
	}
}

// lotOrder sorts ids by LotKey, the documented rule, computed here apart
// from the simulation.
func lotOrder(seed uint64, ids ...string) []string {
	out := append([]string(nil), ids...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if LotKey(seed, out[j]) < LotKey(seed, out[i]) {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestLotKeyIsDocumented(t *testing.T) {
	// printf '%s' '42:r7' | sha256sum | cut -c1-16
	if got := LotKey(42, "r7"); got != 0x4ffa77236d745b89 {
		t.Errorf("LotKey(42, r7) = %#x", got)
	}
	if LotKey(1, "r7") == LotKey(2, "r7") {
		t.Error("the seed does not change the key")
	}
}

// The sections of the order and the rules of the queue that change it.
func TestOrderRules(t *testing.T) {
	replyTo := func(r *Request, to string) *Request { r.ReplyTo = to; return r }
	tests := []struct {
		name string
		es   []Event
		want []string
		why  map[string]string
	}{
		{"points of order first, first come first served",
			[]Event{ask(usa.req("r1", Speak)), ask(brazil.req("p1", PointOfOrder)), ask(apc.req("p2", PointOfOrder))},
			[]string{"p1", "p2", "r1"}, nil},
		{"questions after points of order, before speakers",
			[]Event{ask(usa.req("r1", Speak)), give("r1"), ask(apc.req("r2", Speak)), ask(brazil.req("q1", Question)), ask(sweden.req("p1", PointOfOrder))},
			[]string{"p1", "q1", "r2"},
			map[string]string{"q1": "Question to the current speaker: questions go after points of order, before other speakers."}},
		{"replies at the end of the item",
			[]Event{ask(usa.req("r1", Speak)), give("r1"), finish(), ask(replyTo(brazil.req("y1", Reply), "r1")), ask(apc.req("r2", Speak)), ask(replyTo(india.req("y2", Reply), "r1"))},
			[]string{"r2", "y1", "y2"}, nil},
		{"closed list accepts points of order and replies",
			[]Event{ask(usa.req("r1", Speak)), give("r1"), finish(), closeList(), ask(replyTo(brazil.req("y1", Reply), "r1")), ask(apc.req("p1", PointOfOrder))},
			[]string{"p1", "y1"}, nil},
		{"reopened list accepts speakers",
			[]Event{closeList(), reopen(), ask(usa.req("r1", Speak))}, []string{"r1"}, nil},
		{"withdrawn and removed leave the order",
			[]Event{ask(usa.req("r1", Speak)), ask(apc.req("r2", Speak)), ask(brazil.req("r3", Speak)), withdraw("r2"), remove("r3", "not on the item")},
			[]string{"r1"}, nil},
		{"withdrawn reply is given back",
			[]Event{ask(usa.req("r1", Speak)), give("r1"), finish(), ask(replyTo(brazil.req("y1", Reply), "r1")), ask(replyTo(brazil.req("y2", Reply), "r1")), withdraw("y1"), ask(replyTo(brazil.req("y3", Reply), "r1"))},
			[]string{"y2", "y3"}, nil},
		{"moved request is pinned",
			[]Event{ask(usa.req("r1", Speak)), ask(apc.req("r2", Speak)), ask(brazil.req("r3", Speak)), move("r3", 1, "the Chair of WG1 reports first")},
			[]string{"r3", "r1", "r2"}, map[string]string{"r3": "Moved by the chair: the Chair of WG1 reports first."}},
		{"a later point of order goes ahead of a pin",
			[]Event{ask(usa.req("r1", Speak)), ask(apc.req("r2", Speak)), move("r2", 1, "x"), ask(india.req("p1", PointOfOrder)), ask(brazil.req("r3", Speak))},
			[]string{"p1", "r2", "r1", "r3"}, nil},
		{"a later move takes the position",
			[]Event{ask(usa.req("r1", Speak)), ask(apc.req("r2", Speak)), ask(brazil.req("r3", Speak)), move("r3", 1, "a"), move("r2", 1, "b")},
			[]string{"r2", "r3", "r1"}, nil},
		{"pin beyond the end after a withdrawal",
			[]Event{ask(usa.req("r1", Speak)), ask(apc.req("r2", Speak)), ask(brazil.req("r3", Speak)), move("r1", 3, "last"), withdraw("r2")},
			[]string{"r3", "r1"}, nil},
		{"a reply moved ahead of speakers",
			[]Event{ask(usa.req("r1", Speak)), give("r1"), finish(), ask(replyTo(brazil.req("y1", Reply), "r1")), ask(apc.req("r2", Speak)), move("y1", 1, "reply at once")},
			[]string{"y1", "r2"}, nil},
		{"requests on another item wait for it",
			[]Event{item("op1"), ask(usa.req("r1", Speak)), item("op2"), ask(apc.req("r2", Speak))},
			[]string{"r2"}, nil},
		{"and come back with it",
			[]Event{item("op1"), ask(usa.req("r1", Speak)), item("op2"), ask(apc.req("r2", Speak)), item("op1")},
			[]string{"r1"}, nil},
		{"a request for a later item",
			[]Event{item("op1"), ask(&Request{ID: "r1", Kind: Speak, Speaker: "x", Origin: Room, Item: "op2"}), ask(usa.req("r2", Speak))},
			[]string{"r2"}, nil},
		{"a new item reopens the list",
			[]Event{item("op1"), closeList(), item("op2"), ask(usa.req("r1", Speak))}, []string{"r1"}, nil},
		{"blocked by a budget comes last",
			[]Event{configure(Policy{Budgets: map[string]int64{"group:civil_society": 60}}), ask(apc.req("r1", Speak)), give("r1"), start(), wait(60), finish(),
				ask(eff.req("r2", Speak)), ask(usa.req("r3", Speak)), ask(eff.req("p1", PointOfOrder))},
			[]string{"p1", "r3", "r2"},
			map[string]string{"r2": "Over a time budget: blocked requests come last, in order of request."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := replay(t, tt.es...)
			order := s.Order()
			equal(t, "order", ids(order), tt.want)
			for _, p := range order {
				if w, ok := tt.why[p.ID]; ok && p.Why != w {
					t.Errorf("%s: Why = %q; want %q", p.ID, p.Why, w)
				}
			}
		})
	}
}

func TestBlockedSaysWhy(t *testing.T) {
	s := replay(t, configure(Policy{Budgets: map[string]int64{"group:civil_society": 600}}), ask(apc.req("r1", Speak)), give("r1"), start(), wait(580),
		ask(eff.req("r2", Speak)))
	// While APC speaks, the budget runs out: Order is as of the last event,
	// OrderAt as of any time.
	if b := s.Order()[0].Blocked; b != "" {
		t.Errorf("blocked too early: %q", b)
	}
	if b := orderList(s.OrderAt(s.Last() + 10000)).At(0).Blocked; b != "civil society has used its time budget of 10 min" {
		t.Errorf("Blocked = %q", b)
	}
}

// At is a helper for the tests: the place at index i.
func (ps orderList) At(i int) Place { return ps[i] }

type orderList []Place

// Rights checks are not in floor; who asked and from where are recorded.
func TestWhoAsked(t *testing.T) {
	r := apc.req("r1", Speak)
	r.By, r.OnBehalf = "remote-moderator:room-3", "the Association for Progressive Communications and 12 NGOs"
	s := replay(t, ask(r))
	p := s.Order()[0]
	if p.By != "remote-moderator:room-3" || p.OnBehalf == "" || p.Origin != Remote || p.Item != "" || p.At != at(0, 10) {
		t.Errorf("place = %+v", p)
	}
	if !strings.HasPrefix(p.Why, "Order of request") {
		t.Errorf("Why = %q", p.Why)
	}
}
