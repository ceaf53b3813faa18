package floor

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Place is a waiting request at its place in the order.
type Place struct {
	Request
	Position int    `json:"position"` // 1-based
	Why      string `json:"why"`      // why this request is here, in one or two sentences
	Blocked  string `json:"blocked,omitempty"`
	Pinned   bool   `json:"pinned,omitempty"` // moved by the chair
}

// LotKey is a request's key in a drawing by lots: the first 8 bytes,
// big-endian, of the SHA-256 of the seed in decimal, a colon and the
// request's id. The lower key goes first. Anyone can recompute it:
//
//	printf '%s' '42:r7' | sha256sum | cut -c1-16
func LotKey(seed uint64, id string) uint64 {
	h := sha256.Sum256([]byte(strconv.FormatUint(seed, 10) + ":" + id))
	return binary.BigEndian.Uint64(h[:8])
}

// Count is a number of turns and the time spoken in them, in ms.
type Count struct {
	Turns  int   `json:"turns"`
	Spoken int64 `json:"spoken"`
}

// Tally is the speaking time so far, per stakeholder group, per party (or
// speaker without a party: key "speaker:<key>"), and per origin.
type Tally struct {
	Groups  map[string]Count `json:"groups"`
	Parties map[string]Count `json:"parties"`
	Origins map[Origin]Count `json:"origins"`
	Total   Count            `json:"total"`

	byKey map[string]int64 // keyed as least-spoken counts: "party:<key>" or "speaker:<key>"
}

// Spoken is the tally at the time of the last event.
func (s *State) Spoken() Tally { return s.SpokenAt(s.last) }

// SpokenAt is the tally at now: finished turns, and the turns at the floor or
// interrupted, counted up to now.
func (s *State) SpokenAt(now int64) Tally {
	t := Tally{Groups: map[string]Count{}, Parties: map[string]Count{}, Origins: map[Origin]Count{}, byKey: map[string]int64{}}
	add := func(tr *Turn) {
		d := tr.Spoken(now)
		inc := func(c Count) Count { c.Turns++; c.Spoken += d; return c }
		if tr.Group != "" {
			t.Groups[tr.Group] = inc(t.Groups[tr.Group])
		}
		if tr.Party != "" {
			t.Parties[tr.Party] = inc(t.Parties[tr.Party])
		}
		t.Origins[tr.Origin] = inc(t.Origins[tr.Origin])
		t.Total = inc(t.Total)
		t.byKey[tr.partyKey()] += d
	}
	for i := range s.turns {
		add(&s.turns[i])
	}
	for _, tr := range s.stack {
		add(tr)
	}
	if s.current != nil {
		add(s.current)
	}
	return t
}

// overBudget says why r cannot be given the floor at now for want of time
// budget, or "".
func (s *State) overBudget(r Request, now int64) string {
	if len(s.policy.Budgets) == 0 {
		return ""
	}
	return s.overBudgetIn(r, s.SpokenAt(now))
}

func (s *State) overBudgetIn(r Request, t Tally) string {
	if len(s.policy.Budgets) == 0 || r.Kind == PointOfOrder {
		return ""
	}
	check := func(key, name string, spent func(Tally) int64) string {
		b, ok := s.policy.Budgets[key]
		if !ok {
			return ""
		}
		if spent(t) >= b*1000 {
			return fmt.Sprintf("%s has used its time budget of %s", name, duration(b*1000))
		}
		return ""
	}
	if r.Group != "" {
		name := r.GroupName
		if name == "" {
			name = humanKey(r.Group)
		}
		if w := check("group:"+r.Group, name, func(t Tally) int64 { return t.Groups[r.Group].Spoken }); w != "" {
			return w
		}
	}
	if r.Party != "" {
		return check("party:"+r.Party, r.who(), func(t Tally) int64 { return t.Parties[r.Party].Spoken })
	}
	return ""
}

// Order is the waiting requests on the item under discussion in the order
// they will be called, as of the last event.
func (s *State) Order() []Place {
	if s.cache == nil {
		s.cache = s.OrderAt(s.last)
	}
	return append([]Place(nil), s.cache...)
}

func byRequest(a, b *entry) bool {
	if a.At != b.At {
		return a.At < b.At
	}
	return a.ID < b.ID
}

// OrderAt is the order as of now: time budgets count the turn at the floor
// up to now.
func (s *State) OrderAt(now int64) []Place {
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

	sim := s.newSim(now, speaks)
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

// sim is the slot-by-slot simulation of the speakers to come, continuing
// from the history of the item: the alternation's position, the last group
// in the rotation, the speaking time so far.
type sim struct {
	s         *State
	p         Policy
	rest      []*entry
	given     int
	lastGroup string
	spoken    map[string]int64
	names     map[string]string
}

func (s *State) newSim(now int64, speaks []*entry) *sim {
	m := &sim{s: s, p: s.policy, rest: append([]*entry(nil), speaks...), given: s.given, lastGroup: s.lastGroup}
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

func (m *sim) left() int { return len(m.rest) }

func (m *sim) groupName(k string) string {
	if n := m.names[k]; n != "" {
		return n
	}
	return humanKey(k)
}

// served advances the simulation past e, as if e had been given the floor
// and spoken its full limit.
func (m *sim) served(e *entry) {
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

func filter(c []*entry, keep func(*entry) bool) []*entry {
	var out []*entry
	for _, e := range c {
		if keep(e) {
			out = append(out, e)
		}
	}
	return out
}

// next picks the speaker for the next slot and says why.
func (m *sim) next() (*entry, string) {
	c := m.rest
	var why []string

	var slotWhy string
	if a := m.p.Alternate; a.on() {
		remote := m.given%(a.Room+a.Remote) >= a.Room
		sub := filter(c, func(e *entry) bool { return e.Origin.remote() == remote })
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
				c, found = filter(c, func(e *entry) bool { return e.Group == g }), true
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
			c = filter(c, func(e *entry) bool { return slicesIndex(rot, e.Group) < 0 })
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
		if sub := filter(c, func(e *entry) bool { return rank(e) == best }); len(sub) < len(c) {
			c = sub
			why = append(why, "protocol precedence ("+rankLabel(best)+")")
		}
	}
	if m.p.LeastSpoken && len(c) > 1 {
		best := m.spoken[c[0].partyKey()]
		for _, e := range c[1:] {
			best = min(best, m.spoken[e.partyKey()])
		}
		if sub := filter(c, func(e *entry) bool { return m.spoken[e.partyKey()] == best }); len(sub) < len(c) {
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
