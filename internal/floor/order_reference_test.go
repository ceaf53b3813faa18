package floor

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// referenceOrderAt is the order as first written, slot by slot, filtering
// the remaining speakers at each slot: quadratic, but a direct reading of
// the rules in doc.go. [State.OrderAt] must give exactly the same places.
func referenceOrderAt(s *State, now int64) []Place {
	var orders, questions, speaks, replies, blocked, pins []*entry
	var tally Tally
	if len(s.policy.Budgets) > 0 {
		tally = s.SpokenAt(now)
	}
	for _, e := range s.queue {
		if e.Item != s.item {
			continue
		}
		if e.Kind == PointOfOrder {
			orders = append(orders, e)
			continue
		}
		if s.overBudgetIn(e.Request, tally) != "" {
			blocked = append(blocked, e)
			continue
		}
		switch {
		case e.pinned:
			pins = append(pins, e)
		case e.Kind == Question:
			questions = append(questions, e)
		case e.Kind == Reply:
			replies = append(replies, e)
		default:
			speaks = append(speaks, e)
		}
	}
	for _, l := range [][]*entry{orders, questions, replies, blocked, speaks} {
		sort.Slice(l, func(i, j int) bool { return byRequest(l[i], l[j]) })
	}
	out := make([]Place, 0, len(orders)+len(questions)+len(speaks)+len(replies)+len(blocked)+len(pins))
	add := func(e *entry, why string) {
		out = append(out, Place{Request: e.Request, Position: len(out) + 1, Why: why, Pinned: e.pinned})
	}
	for _, e := range orders {
		add(e, "Point of order: points of order go before every speaker, first come first served.")
	}

	// The places after the points of order, with the chair's pins first
	// placed at their positions: a later move takes the position and an
	// earlier pin there moves down one.
	m := len(questions) + len(speaks) + len(replies) + len(pins)
	slot := make([]*entry, m)
	if len(pins) > 0 {
		sort.Slice(pins, func(i, j int) bool {
			if pins[i].pinTo != pins[j].pinTo {
				return pins[i].pinTo < pins[j].pinTo
			}
			return pins[i].pinSeq > pins[j].pinSeq
		})
		pos := make([]int, len(pins))
		prev := 0
		for i, p := range pins {
			pos[i] = max(p.pinTo, prev+1)
			prev = pos[i]
		}
		for i := len(pins) - 1; i >= 0; i-- {
			pos[i] = min(pos[i], m-(len(pins)-1-i))
			slot[pos[i]-1] = pins[i]
		}
	}

	sim := newRefSim(s, now, speaks)
	for i := range m {
		if p := slot[i]; p != nil {
			add(p, "Moved by the chair: "+strings.TrimSuffix(p.pinReason, ".")+".")
			if p.Kind == Speak {
				sim.served(p)
			}
			continue
		}
		switch {
		case len(questions) > 0:
			add(questions[0], "Question to the current speaker: questions go after points of order, before other speakers.")
			questions = questions[1:]
		case sim.left() > 0:
			e, why := sim.next()
			add(e, why)
		default:
			add(replies[0], "Right of reply: rights of reply are taken at the end of the item, first come first served.")
			replies = replies[1:]
		}
	}
	for _, e := range blocked {
		add(e, "Over a time budget: blocked requests come last, in order of request.")
		out[len(out)-1].Blocked = s.overBudgetIn(e.Request, tally)
	}
	return out
}

// refSim is the slot-by-slot simulation of the speakers to come, continuing
// from the history of the item: the alternation's position, the last group
// in the rotation, the speaking time so far.
type refSim struct {
	s         *State
	p         Policy
	rest      []*entry
	given     int
	lastGroup string
	spoken    map[string]int64
	names     map[string]string
}

func newRefSim(s *State, now int64, speaks []*entry) *refSim {
	m := &refSim{s: s, p: s.policy, rest: append([]*entry(nil), speaks...), given: s.given, lastGroup: s.lastGroup}
	if s.policy.LeastSpoken {
		m.spoken = s.SpokenAt(now).byKey
	}
	if len(s.policy.Rotation) > 0 {
		m.names = map[string]string{}
		for _, e := range s.queue {
			if e.GroupName != "" && m.names[e.Group] == "" {
				m.names[e.Group] = e.GroupName
			}
		}
		for _, t := range s.turns {
			if t.GroupName != "" && m.names[t.Group] == "" {
				m.names[t.Group] = t.GroupName
			}
		}
	}
	return m
}

func (m *refSim) left() int { return len(m.rest) }

func (m *refSim) groupName(k string) string {
	if n := m.names[k]; n != "" {
		return n
	}
	return humanKey(k)
}

// served advances the simulation past e, as if e had been given the floor
// and spoken its full limit.
func (m *refSim) served(e *entry) {
	m.given++
	if slicesIndex(m.p.Rotation, e.Group) >= 0 {
		m.lastGroup = e.Group
	}
	if m.spoken != nil {
		m.spoken[e.partyKey()] += m.p.Limit(e.Kind) * 1000
	}
	for i, x := range m.rest {
		if x == e {
			m.rest = append(m.rest[:i:i], m.rest[i+1:]...)
			break
		}
	}
}

func refFilter(c []*entry, keep func(*entry) bool) []*entry {
	var out []*entry
	for _, e := range c {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}

// next picks the speaker for the next slot and says why.
func (m *refSim) next() (*entry, string) {
	c := m.rest
	var why []string

	var slotWhy string
	if a := m.p.Alternate; a.on() {
		remote := m.given%(a.Room+a.Remote) >= a.Room
		sub := refFilter(c, func(e *entry) bool { return e.Origin.remote() == remote })
		want, other := "a room slot", "nobody in the room is waiting, so a remote participant takes it"
		if remote {
			want, other = "a remote slot", "nobody remote is waiting, so the room takes it"
		}
		if len(sub) == 0 {
			slotWhy = want + ", but " + other + " (" + a.describe() + ")"
		} else {
			slotWhy = want + " (" + a.describe() + ")"
			c = sub
		}
	}
	if rot := m.p.Rotation; len(rot) > 0 {
		start := slicesIndex(rot, m.lastGroup) + 1
		var skipped []string
		found := false
		for k := range rot {
			g := rot[(start+k)%len(rot)]
			if slices.ContainsFunc(c, func(e *entry) bool { return e.Group == g }) {
				c, found = refFilter(c, func(e *entry) bool { return e.Group == g }), true
				names := make([]string, len(rot))
				for i, r := range rot {
					names[i] = m.groupName(r)
				}
				w := m.groupName(g) + "'s turn in the rotation"
				if len(skipped) > 0 {
					w += ", passing over " + joinAnd(skipped) + " with nobody waiting"
				}
				why = append(why, w+" ("+strings.Join(names, ", ")+")")
				break
			}
			skipped = append(skipped, m.groupName(g))
		}
		if !found {
			c = refFilter(c, func(e *entry) bool { return slicesIndex(rot, e.Group) < 0 })
			why = append(why, "nobody from the groups in the rotation is waiting, so a speaker outside it")
		}
	}
	if slotWhy != "" {
		why = append(why, slotWhy)
	}
	if m.p.Precedence && len(c) > 1 {
		rank := func(e *entry) int {
			if e.Rank == 0 {
				return RankObserver + 1
			}
			return e.Rank
		}
		best := rank(c[0])
		for _, e := range c[1:] {
			best = min(best, rank(e))
		}
		if sub := refFilter(c, func(e *entry) bool { return rank(e) == best }); len(sub) < len(c) {
			c = sub
			why = append(why, "protocol precedence ("+rankLabel(best)+")")
		}
	}
	if m.p.LeastSpoken && len(c) > 1 {
		best := m.spoken[c[0].partyKey()]
		for _, e := range c[1:] {
			best = min(best, m.spoken[e.partyKey()])
		}
		if sub := refFilter(c, func(e *entry) bool { return m.spoken[e.partyKey()] == best }); len(sub) < len(c) {
			c = sub
			w := "least speaking time so far"
			if best == 0 {
				w += " (none yet)"
			} else {
				w += " (" + duration(best) + ", counting the turns before it at their full limit)"
			}
			why = append(why, w)
		}
	}
	if m.p.Lots && len(c) > 1 {
		best := c[0]
		for _, e := range c[1:] {
			if e.lot < best.lot || (e.lot == best.lot && byRequest(e, best)) {
				best = e
			}
		}
		c = []*entry{best}
		why = append(why, fmt.Sprintf("drawn by lot (seed %d)", m.p.Seed))
	}
	pick := c[0]
	for _, e := range c[1:] {
		if byRequest(e, pick) {
			pick = e
		}
	}
	switch {
	case len(c) > 1 && len(why) == 0:
		why = append(why, "order of request: first to ask, at "+m.s.clock(pick.At))
	case len(c) > 1:
		why = append(why, "first to ask among them, at "+m.s.clock(pick.At))
	case len(why) == 0:
		why = append(why, "order of request: asked at "+m.s.clock(pick.At))
	}
	m.served(pick)
	return pick, capitalize(strings.Join(why, "; ")) + "."
}

// morePeople adds speakers of parties that already have one, in another
// origin, rank or group, and a group nobody names, so that a party's
// speakers fall in several buckets of the simulation.
var morePeople = append(append([]person(nil), people...),
	person{"p-br2", "Ms Rocha", "BR", "Brazil", "member_state", "Member States", Remote, "", RankMemberStateDelegate},
	person{"p-isoc2", "Ms Kende", "ISOC", "Internet Society", "civil_society", "civil society", Room, "", RankParticipant},
	person{"p-apc2", "Mr Souter", "APC", "", "civil_society", "", Hub, "APC hub, Johannesburg", 0},
	person{"guest:Ana Lima", "Ana Lima", "", "", "technical_community", "", Remote, "", 0},
	person{"p-x", "Mr Tan", "", "", "academia_and_research", "", Room, "", RankObserver},
)

// policyCombinations is every combination of the order policies, with
// budgets on or off and a shorter limit for requests to speak in some.
func policyCombinations(seed uint64) []Policy {
	rotations := [][]string{nil,
		{"government", "private_sector", "civil_society", "technical_community"},
		{"member_state", "academia_and_research", "nobody_waiting", "civil_society"}}
	alternations := []Alternation{{}, {4, 2}, {1, 1}, {1, 3}}
	var out []Policy
	for i := range 2 * len(rotations) * len(alternations) * 2 * 2 * 2 {
		x := i
		bit := func(n int) int { v := x % n; x /= n; return v }
		p := Policy{Precedence: bit(2) == 1, Rotation: rotations[bit(len(rotations))], Alternate: alternations[bit(len(alternations))],
			LeastSpoken: bit(2) == 1, Lots: bit(2) == 1}
		if bit(2) == 1 {
			p.Budgets = map[string]int64{"group:civil_society": 400, "party:BR": 300, "party:US": 200}
		}
		if p.Lots {
			p.Seed = seed + uint64(i)
		}
		if i%3 == 0 {
			p.Limits = map[Kind]int64{Speak: 90}
		}
		out = append(out, p)
	}
	return out
}

// checkReference replays es and compares OrderAt with referenceOrderAt
// after every event, at the event's time and 45 s later (a running turn
// uses up budgets meanwhile).
func checkReference(t *testing.T, es []Event, format func(int64) string) {
	t.Helper()
	s := New()
	if format != nil {
		s.SetTimeFormat(format)
	}
	for i, e := range es {
		if err := s.Apply(e); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		for _, now := range []int64{s.Last(), s.Last() + 45000} {
			got, want := s.OrderAt(now), referenceOrderAt(s, now)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("event %d (%s), policy %+v, at %d: the order differs from the reference\n got %q\nwant %q",
					i, e.Type, s.policy, now-s.Last(), whys(got), whys(want))
			}
		}
	}
}

// The order is exactly the reference's, Why sentences included, over
// random valid meetings under every combination of the policies.
func TestOrderMatchesReference(t *testing.T) {
	minutes := func(ms int64) string { return strconv.FormatInt((ms-t0)/60000, 10) + " min in" }
	for i, p := range policyCombinations(2013) {
		r := rand.New(rand.NewPCG(uint64(i), 11))
		n := 120
		if testing.Short() {
			n = 40
		}
		var format func(int64) string
		if i%4 == 0 {
			format = minutes
		}
		checkReference(t, randomMeetingWith(r, n, meetingGen{policy: &p, people: morePeople, ties: true}), format)
	}
	// And the meetings of the property test, whose policies change.
	for seed := range uint64(20) {
		checkReference(t, randomMeeting(rand.New(rand.NewPCG(seed, 7)), 200), nil)
	}
}

// A long queue, to compare more slots than a random meeting keeps waiting.
func TestOrderMatchesReferenceLongQueue(t *testing.T) {
	for i, p := range policyCombinations(7) {
		s := New()
		now := t0
		if err := s.Apply(Event{Type: Configured, Policy: &p, At: now}); err != nil {
			t.Fatal(err)
		}
		r := rand.New(rand.NewPCG(uint64(i), 3))
		for j := range 300 {
			now += 1000
			pp := morePeople[r.IntN(len(morePeople))]
			req := pp.req("q"+strconv.Itoa(j), Speak)
			req.Speaker += "#" + strconv.Itoa(j)
			if r.IntN(4) == 0 {
				req.At = now - now%30000
			}
			if err := s.Apply(Event{Type: Requested, Request: req, At: now}); err != nil {
				t.Fatal(err)
			}
		}
		if got, want := s.OrderAt(now), referenceOrderAt(s, now); !reflect.DeepEqual(got, want) {
			t.Fatalf("policy %+v: the order differs from the reference\n got %q\nwant %q", p, whys(got), whys(want))
		}
	}
}
