package floor

import (
	"testing"

	"github.com/plenary-forum/plenary"
)

func TestPolicyValidate(t *testing.T) {
	tests := []struct {
		name  string
		p     Policy
		field string
	}{
		{"zero policy", Policy{}, ""},
		{"everything", Policy{Precedence: true, Rotation: []string{"a", "b"}, Alternate: Alternation{4, 2}, LeastSpoken: true, Lots: true, Seed: 7,
			ReplyCap: 1, Limits: map[Kind]int64{Speak: 120, Reply: 60}, Budgets: map[string]int64{"group:civil_society": 600, "party:BR": 300}}, ""},
		{"empty group in rotation", Policy{Rotation: []string{"a", " "}}, "rotation[1]"},
		{"group twice", Policy{Rotation: []string{"a", "b", "a"}}, "rotation[2]"},
		{"rotation of one", Policy{Rotation: []string{"a"}}, "rotation"},
		{"room only", Policy{Alternate: Alternation{4, 0}}, "alternate"},
		{"negative", Policy{Alternate: Alternation{-1, 2}}, "alternate"},
		{"too many slots", Policy{Alternate: Alternation{101, 2}}, "alternate"},
		{"negative cap", Policy{ReplyCap: -1}, "reply_cap"},
		{"unknown kind", Policy{Limits: map[Kind]int64{"speech": 60}}, "limits.speech"},
		{"zero limit", Policy{Limits: map[Kind]int64{Speak: 0}}, "limits.speak"},
		{"day-long limit", Policy{Limits: map[Kind]int64{Reply: 86401}}, "limits.reply"},
		{"budget key", Policy{Budgets: map[string]int64{"civil_society": 60}}, "budgets[civil_society]"},
		{"budget empty key", Policy{Budgets: map[string]int64{"group:": 60}}, "budgets[group:]"},
		{"budget zero", Policy{Budgets: map[string]int64{"group:x": 0}}, "budgets[group:x]"},
		{"first bad budget in key order", Policy{Budgets: map[string]int64{"party:b": -1, "group:a": -1}}, "budgets[group:a]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			pe := plenary.AsError(err)
			if err == nil || pe.Code != plenary.CodeInvalid || pe.Field != tt.field {
				t.Fatalf("err = %v; want invalid %s", err, tt.field)
			}
		})
	}
}

func TestPolicyDescribeAndLimits(t *testing.T) {
	tests := []struct {
		p    Policy
		want string
	}{
		{Policy{}, "Order of request."},
		{Policy{Precedence: true}, "Order of request, with protocol precedence."},
		{Policy{Precedence: true, LeastSpoken: true, Lots: true, Seed: 9}, "Order of request, with protocol precedence, least speaking time first and drawing by lots (seed 9)."},
		{Policy{Rotation: []string{"government", "civil_society"}, Alternate: Alternation{4, 2}},
			"Order of request; rotation across government, civil society; 4 in the room, then 2 remote."},
		{Policy{Alternate: Alternation{1, 1}}, "Order of request; 1 in the room, then 1 remote."},
	}
	for _, tt := range tests {
		if got := tt.p.Describe(); got != tt.want {
			t.Errorf("Describe = %q; want %q", got, tt.want)
		}
	}
	p := Policy{Limits: map[Kind]int64{Speak: 120}, ReplyCap: 1}
	for k, want := range map[Kind]int64{Speak: 120, PointOfOrder: 60, Reply: 120, Question: 60} {
		if got := p.Limit(k); got != want {
			t.Errorf("Limit(%s) = %d; want %d", k, got, want)
		}
	}
	if p.Cap() != 1 || (Policy{}).Cap() != 2 || (Policy{}).Limit(Speak) != 180 {
		t.Error("caps and default limits")
	}
	// The state keeps its own copy of the policy.
	s := replay(t, configure(p))
	p.Limits[Speak] = 1
	if s.Policy().Limit(Speak) != 120 {
		t.Error("the state shares the caller's map")
	}
}

// Every rule of the queue that refuses an event: the error names the rule,
// and the state is unchanged.
func TestRulesRefuse(t *testing.T) {
	reply := func(id, to string, p person) *Request {
		r := p.req(id, Reply)
		r.ReplyTo = to
		return r
	}
	question := func(id string, p person) *Request { return p.req(id, Question) }
	spoken := []Event{item("op1"), ask(usa.req("r1", Speak)), give("r1"), start(), finish()}
	tests := []struct {
		name  string
		setup []Event
		e     Event
		code  plenary.Code
		field string
		msg   string
	}{
		{"time missing", nil, Event{Type: Closed, At: -1}, plenary.CodeInvalid, "at", "needs its time"},
		{"time backwards", []Event{item("op1")}, Event{Type: Closed, At: t0}, plenary.CodeInvalid, "at", "earlier than the last"},
		{"unknown event", nil, Event{Type: "adjourned"}, plenary.CodeInvalid, "type", `no queue event "adjourned"`},
		{"no policy", nil, Event{Type: Configured}, plenary.CodeInvalid, "policy", "needs a policy"},
		{"bad policy", nil, configure(Policy{Alternate: Alternation{0, 2}}), plenary.CodeInvalid, "alternate", "room slot"},
		{"no item", nil, item(""), plenary.CodeInvalid, "item", "name the agenda item"},
		{"same item", []Event{item("op1")}, item("op1"), plenary.CodeConflict, "", "already under discussion"},
		{"no request", nil, Event{Type: Requested}, plenary.CodeInvalid, "request", "missing"},
		{"no id", nil, ask(usa.req("", Speak)), plenary.CodeInvalid, "id", "needs an id"},
		{"duplicate id", []Event{ask(usa.req("r1", Speak))}, ask(brazil.req("r1", Speak)), plenary.CodeConflict, "", "already a request r1"},
		{"bad kind", nil, ask(usa.req("r1", "motion")), plenary.CodeInvalid, "kind", `no kind of request "motion"`},
		{"no speaker", nil, ask(&Request{ID: "r1", Kind: Speak, Origin: Room}), plenary.CodeInvalid, "speaker", "who will speak"},
		{"bad origin", nil, ask(&Request{ID: "r1", Kind: Speak, Speaker: "x", Origin: "moon"}), plenary.CodeInvalid, "origin", "moon"},
		{"hub without a name", nil, ask(&Request{ID: "r1", Kind: Speak, Speaker: "x", Origin: Hub}), plenary.CodeInvalid, "hub", "name the remote hub"},
		{"bad rank", nil, ask(&Request{ID: "r1", Kind: Speak, Speaker: "x", Origin: Room, Rank: 6}), plenary.CodeInvalid, "rank", "between 1"},
		{"closed list refuses a speaker", []Event{item("op1"), closeList()}, ask(usa.req("r1", Speak)), plenary.CodeConflict, "",
			"the list of speakers is closed: only points of order and rights of reply are accepted"},
		{"closed list refuses a question", []Event{item("op1"), ask(usa.req("r1", Speak)), give("r1"), closeList()}, ask(question("q1", brazil)), plenary.CodeConflict, "",
			"the list of speakers is closed"},
		{"twice on the list", []Event{ask(usa.req("r1", Speak))}, ask(usa.req("r2", Speak)), plenary.CodeConflict, "",
			"United States is already on the list of speakers for this item (request r1)"},
		{"question with nobody at the floor", nil, ask(question("q1", brazil)), plenary.CodeConflict, "", "only while a speaker has the floor"},
		{"question during a point of order", []Event{ask(usa.req("p1", PointOfOrder)), give("p1")}, ask(question("q1", brazil)), plenary.CodeConflict, "", "only while a speaker has the floor"},
		{"question to someone else", []Event{ask(usa.req("r1", Speak)), give("r1")}, ask(&Request{ID: "q1", Kind: Question, Speaker: "x", Origin: Room, ReplyTo: "r0"}), plenary.CodeInvalid, "reply_to", "speaker at the floor now (request r1)"},
		{"question to oneself", []Event{ask(usa.req("r1", Speak)), give("r1")}, ask(question("q1", usa)), plenary.CodeConflict, "", "to themselves"},
		{"question on another item", []Event{item("op1"), ask(usa.req("r1", Speak)), give("r1")}, ask(&Request{ID: "q1", Kind: Question, Speaker: "x", Origin: Room, Item: "op2"}), plenary.CodeInvalid, "item", "on the item under discussion"},
		{"reply to nothing", nil, ask(brazil.req("y1", Reply)), plenary.CodeInvalid, "reply_to", "name the intervention"},
		{"reply to an unknown turn", spoken, ask(reply("y1", "r9", brazil)), plenary.CodeInvalid, "reply_to", "no intervention r9"},
		{"reply to a waiting request", []Event{ask(usa.req("r1", Speak))}, ask(reply("y1", "r1", brazil)), plenary.CodeInvalid, "reply_to", "no intervention r1"},
		{"third reply", append(append([]Event{}, spoken...), ask(reply("y1", "r1", brazil)), ask(reply("y2", "r1", brazil))), ask(reply("y3", "r1", brazil)), plenary.CodeConflict, "",
			"Brazil has used its 2 rights of reply on this item"},
		{"cap of one", append([]Event{configure(Policy{ReplyCap: 1})}, append(append([]Event{}, spoken...), ask(reply("y1", "r1", brazil)), give("y1"), finish())...), ask(reply("y2", "r1", brazil)), plenary.CodeConflict, "",
			"Brazil has used its 1 rights of reply on this item"},
		{"point of order replying", nil, ask(&Request{ID: "p1", Kind: PointOfOrder, Speaker: "x", Origin: Room, ReplyTo: "r1"}), plenary.CodeInvalid, "reply_to", "replies to no one"},
		{"speaker replying", spoken, ask(&Request{ID: "r2", Kind: Speak, Speaker: "x", Origin: Room, ReplyTo: "r1"}), plenary.CodeInvalid, "reply_to", "only a right of reply"},
		{"withdraw unknown", nil, withdraw("r7"), plenary.CodeNotFound, "", "request r7 is not in the queue"},
		{"withdraw no id", nil, withdraw(""), plenary.CodeInvalid, "id", "name the request"},
		{"withdraw twice", []Event{ask(usa.req("r1", Speak)), withdraw("r1")}, withdraw("r1"), plenary.CodeNotFound, "", "not in the queue"},
		{"withdraw after the turn", spoken, withdraw("r1"), plenary.CodeNotFound, "", "not in the queue"},
		{"remove without reason", []Event{ask(usa.req("r1", Speak))}, remove("r1", " "), plenary.CodeInvalid, "reason", "with a reason"},
		{"remove unknown", nil, remove("r1", "off topic"), plenary.CodeNotFound, "", "not in the queue"},
		{"move without reason", []Event{ask(usa.req("r1", Speak))}, move("r1", 1, ""), plenary.CodeInvalid, "reason", "with a reason"},
		{"move out of range", []Event{ask(usa.req("r1", Speak))}, move("r1", 2, "x"), plenary.CodeInvalid, "to", "between 1 and 1"},
		{"move to zero", []Event{ask(usa.req("r1", Speak))}, move("r1", 0, "x"), plenary.CodeInvalid, "to", "between 1 and 1"},
		{"move ahead of a point of order", []Event{ask(usa.req("r1", Speak)), ask(brazil.req("p1", PointOfOrder))}, move("r1", 1, "x"), plenary.CodeConflict, "",
			"position 1 is ahead of a point of order"},
		{"move a point of order", []Event{ask(usa.req("r1", Speak)), ask(brazil.req("p1", PointOfOrder))}, move("p1", 2, "x"), plenary.CodeConflict, "", "cannot be moved"},
		{"move on another item", []Event{item("op1"), ask(&Request{ID: "r1", Kind: Speak, Speaker: "x", Origin: Room, Item: "op2"})}, move("r1", 1, "x"), plenary.CodeConflict, "", "on item op2"},
		{"close twice", []Event{closeList()}, closeList(), plenary.CodeConflict, "", "already closed"},
		{"reopen an open list", nil, reopen(), plenary.CodeConflict, "", "not closed"},
		{"give unknown", nil, give("r1"), plenary.CodeNotFound, "", "request r1 is not in the queue"},
		{"give on another item", []Event{item("op1"), ask(&Request{ID: "r1", Kind: Speak, Speaker: "x", Origin: Room, Item: "op2"})}, give("r1"), plenary.CodeConflict, "",
			"request r1 is on item op2, not on the item under discussion"},
		{"give while someone speaks", []Event{ask(usa.req("r1", Speak)), ask(brazil.req("r2", Speak)), give("r1")}, give("r2"), plenary.CodeConflict, "",
			"United States has the floor: finish that turn first"},
		{"give a reply while someone speaks", append(append([]Event{}, spoken...), ask(reply("y1", "r1", brazil)), ask(apc.req("r2", Speak)), give("r2")), give("y1"), plenary.CodeConflict, "", "finish that turn first"},
		{"give over a group budget", []Event{configure(Policy{Budgets: map[string]int64{"group:civil_society": 600}}), ask(apc.req("r1", Speak)), give("r1"), start(), wait(600), finish(), ask(eff.req("r2", Speak))}, give("r2"), plenary.CodeConflict, "",
			"civil society has used its time budget of 10 min"},
		{"give over a party budget", []Event{configure(Policy{Budgets: map[string]int64{"party:BR": 90}}), ask(brazil.req("r1", Speak)), give("r1"), start(), wait(85), finish(), ask(reply("y1", "r1", usa)), give("y1"), finish(), ask(brazil.req("r2", Speak))}, give("r2"), plenary.CodeConflict, "",
			"Brazil has used its time budget of 1 min 30 s"},
		{"start with nobody", nil, start(), plenary.CodeConflict, "", "nobody has the floor"},
		{"start twice", []Event{ask(usa.req("r1", Speak)), give("r1"), start()}, start(), plenary.CodeConflict, "", "already started"},
		{"start someone else", []Event{ask(usa.req("r1", Speak)), give("r1")}, Event{Type: Started, ID: "r2"}, plenary.CodeConflict, "", "request r2 does not have the floor: United States does"},
		{"pause a stopped clock", []Event{ask(usa.req("r1", Speak)), give("r1")}, pause(), plenary.CodeConflict, "", "not running"},
		{"pause twice", []Event{ask(usa.req("r1", Speak)), give("r1"), start(), pause()}, pause(), plenary.CodeConflict, "", "not running"},
		{"resume a running clock", []Event{ask(usa.req("r1", Speak)), give("r1"), start()}, resume(), plenary.CodeConflict, "", "not paused"},
		{"finish with nobody", nil, finish(), plenary.CodeConflict, "", "nobody has the floor"},
		{"finish someone else", []Event{ask(usa.req("r1", Speak)), give("r1")}, Event{Type: Finished, ID: "r2"}, plenary.CodeConflict, "", "does not have the floor"},
		{"rule without ruling", []Event{ask(usa.req("p1", PointOfOrder)), give("p1")}, rule("p1", ""), plenary.CodeInvalid, "ruling", "write the chair's ruling"},
		{"rule on a speaker", spoken, rule("r1", "in order"), plenary.CodeNotFound, "", "no point of order r1"},
		{"rule on a waiting point", []Event{ask(usa.req("p1", PointOfOrder))}, rule("p1", "in order"), plenary.CodeConflict, "", "once it has been given the floor"},
		{"rule twice", []Event{ask(usa.req("p1", PointOfOrder)), give("p1"), rule("p1", "in order"), finish()}, rule("p1", "again"), plenary.CodeConflict, "", "already ruled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			es := events(append(append([]Event{}, tt.setup...), tt.e)...)
			s, err := Replay(es[:len(es)-1])
			if err != nil {
				t.Fatal(err)
			}
			before := snap(s)
			e := es[len(es)-1]
			if tt.e.At != 0 {
				e.At = tt.e.At
			}
			wantError(t, s.Apply(e), tt.code, tt.field, tt.msg)
			equal(t, "state after a refused event", snap(s), before)
		})
	}
}

func TestReplayNamesTheEvent(t *testing.T) {
	s, err := Replay(events(item("op1"), ask(usa.req("r1", Speak)), withdraw("r2")))
	wantError(t, err, plenary.CodeNotFound, "", "event 3 (withdrawn): request r2 is not in the queue")
	if len(s.Order()) != 1 {
		t.Errorf("the state before the failing event: %v", ids(s.Order()))
	}
}
