package floor

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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

// cmpRequest orders by request: At, then ID (unique in a meeting).
func cmpRequest(a, b *entry) int {
	if c := cmp.Compare(a.At, b.At); c != 0 {
		return c
	}
	return strings.Compare(a.ID, b.ID)
}

// OrderAt is the order as of now: time budgets count the turn at the floor
// up to now.
func (s *State) OrderAt(now int64) []Place {
	var orders, questions, speaks, replies, blocked, pins []*entry
	var tally Tally
	if len(s.policy.Budgets) > 0 || s.policy.LeastSpoken {
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
		slices.SortFunc(l, cmpRequest)
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
		slices.SortFunc(pins, func(a, b *entry) int {
			if c := cmp.Compare(a.pinTo, b.pinTo); c != 0 {
				return c
			}
			return cmp.Compare(b.pinSeq, a.pinSeq)
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

	sim := s.newSim(speaks, tally)
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
		case sim.left > 0:
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
//
// The waiting speakers are put once into buckets by origin (room or remote,
// when slots alternate) and stakeholder group (each group in the rotation,
// and one bucket for everyone else), which are the sets the alternation and
// the rotation choose among. Within a bucket the speakers of the same rank
// and party (or speaker without a party) make a run, sorted by the last
// tie-breakers (lots, then order of request); the runs are kept in a heap by
// rank, speaking time so far and the key of their first speaker. The first
// run's first speaker is the bucket's choice; counts per rank and per rank
// and speaking time give the Why sentence the size of each tie. A slot costs
// O(log n) but for the rotation's pass over groups with nobody waiting.
type sim struct {
	s         *State
	p         Policy
	left      int   // speakers not yet placed
	limit     int64 // ms a placed speaker counts for: the limit of a request to speak
	given     int
	lastGroup string

	rot      map[string]int // group key -> place in the rotation; nil without one
	rotNames []string       // the rotation's groups as Why sentences name them
	rotList  string         // rotNames joined, as the Why sentences say it
	ng       int            // buckets per origin: len(rotation) + 1, or 1
	buckets  []bucket       // origin*ng + group
	classes  [2]int         // speakers waiting in the room and remote
	slotWhy  [2][2]string   // [remote][the other origin takes it]

	parties map[partyID]int // party or speaker -> index in spoken; with least spoken
	spoken  []int64         // speaking time so far, counting placed speakers
	first   []*run          // each party's first run, linked by nextOfParty
	counts  map[countKey]int

	buf, capBuf []byte
}

// partyID is what least spoken counts against, as partyKey says it.
type partyID struct {
	party bool
	key   string
}

func partyOf(e *entry) partyID {
	if e.Party != "" {
		return partyID{true, e.Party}
	}
	return partyID{false, e.Speaker}
}

type countKey struct {
	bucket, rank int
	spoken       int64
}

// bucket is the waiting speakers of one origin and group.
type bucket struct {
	n     int
	ranks [RankObserver + 2]int // speakers per rank
	heap  []*run
}

// run is the speakers of one bucket, rank and party, in order of the last
// tie-breakers; es[head] is the next.
type run struct {
	es          []*entry
	head        int
	bucket      int
	rank        int // the precedence rank (unranked is RankObserver+1), or 0 without precedence
	party       int // index in sim.spoken, or 0 without least spoken
	pos         int // in the bucket's heap
	nextOfParty *run
}

// speaker is a waiting speaker with its run's key, for the one sort that
// makes the runs.
type speaker struct {
	e                   *entry
	bucket, rank, party int
}

func precedenceRank(e *entry) int {
	if e.Rank == 0 {
		return RankObserver + 1
	}
	return e.Rank
}

func (s *State) newSim(speaks []*entry, tally Tally) *sim {
	p := s.policy
	m := &sim{s: s, p: p, left: len(speaks), limit: p.Limit(Speak) * 1000, given: s.given, lastGroup: s.lastGroup, ng: 1}
	if len(p.Rotation) > 0 {
		m.ng = len(p.Rotation) + 1
		m.rot = make(map[string]int, len(p.Rotation))
		for i, g := range p.Rotation {
			m.rot[g] = i
		}
		m.rotNames = make([]string, len(p.Rotation))
		missing := len(p.Rotation)
		name := func(group, groupName string) {
			if i, ok := m.rot[group]; ok && groupName != "" && m.rotNames[i] == "" {
				m.rotNames[i] = groupName
				missing--
			}
		}
		for _, e := range s.queue {
			if missing == 0 {
				break
			}
			name(e.Group, e.GroupName)
		}
		for i := range s.turns {
			if missing == 0 {
				break
			}
			name(s.turns[i].Group, s.turns[i].GroupName)
		}
		for i, g := range p.Rotation {
			if m.rotNames[i] == "" {
				m.rotNames[i] = humanKey(g)
			}
		}
		m.rotList = strings.Join(m.rotNames, ", ")
	}
	if a := p.Alternate; a.on() {
		d := " (" + a.describe() + ")"
		m.slotWhy = [2][2]string{
			{"a room slot" + d, "a room slot, but nobody in the room is waiting, so a remote participant takes it" + d},
			{"a remote slot" + d, "a remote slot, but nobody remote is waiting, so the room takes it" + d},
		}
	}
	m.buckets = make([]bucket, 2*m.ng)
	if len(speaks) == 0 {
		return m
	}
	if p.LeastSpoken {
		m.parties = map[partyID]int{}
		m.counts = map[countKey]int{}
	}

	sp := make([]speaker, len(speaks))
	for i, e := range speaks {
		c := 0
		if p.Alternate.on() && e.Origin.remote() {
			c = 1
		}
		g := m.ng - 1
		if i, ok := m.rot[e.Group]; ok {
			g = i
		}
		x := speaker{e: e, bucket: c*m.ng + g}
		if p.Precedence {
			x.rank = precedenceRank(e)
		}
		if p.LeastSpoken {
			k := partyOf(e)
			pi, ok := m.parties[k]
			if !ok {
				pi = len(m.spoken)
				m.parties[k] = pi
				m.spoken = append(m.spoken, tally.byKey[e.partyKey()])
			}
			x.party = pi
		}
		sp[i] = x
		m.classes[c]++
		b := &m.buckets[x.bucket]
		b.n++
		b.ranks[x.rank]++
		if m.counts != nil {
			m.counts[countKey{x.bucket, x.rank, m.spoken[x.party]}]++
		}
	}
	slices.SortFunc(sp, func(a, b speaker) int {
		if c := cmp.Compare(a.bucket, b.bucket); c != 0 {
			return c
		}
		if c := cmp.Compare(a.rank, b.rank); c != 0 {
			return c
		}
		if c := cmp.Compare(a.party, b.party); c != 0 {
			return c
		}
		return m.cmpTie(a.e, b.e)
	})
	nruns := 0
	for i := range sp {
		if i == 0 || sp[i].bucket != sp[i-1].bucket || sp[i].rank != sp[i-1].rank || sp[i].party != sp[i-1].party {
			nruns++
		}
	}
	runs := make([]run, nruns)
	heaps := make([]*run, nruns)
	es := make([]*entry, len(sp))
	if p.LeastSpoken {
		m.first = make([]*run, len(m.spoken))
	}
	r := -1
	for i, x := range sp {
		es[i] = x.e
		if r < 0 || x.bucket != runs[r].bucket || x.rank != runs[r].rank || x.party != runs[r].party {
			r++
			runs[r] = run{es: es[i:i], bucket: x.bucket, rank: x.rank, party: x.party}
			if p.LeastSpoken {
				runs[r].nextOfParty = m.first[x.party]
				m.first[x.party] = &runs[r]
			}
		}
		runs[r].es = runs[r].es[:len(runs[r].es)+1]
	}
	// The runs are in order of bucket: each bucket's heap is its part of
	// heaps, which only shrinks.
	for lo := 0; lo < nruns; {
		b := runs[lo].bucket
		hi := lo
		for hi < nruns && runs[hi].bucket == b {
			heaps[hi] = &runs[hi]
			hi++
		}
		h := heaps[lo:hi:hi]
		for i, x := range h {
			x.pos = i
		}
		m.buckets[b].heap = h
		for i := len(h)/2 - 1; i >= 0; i-- {
			m.down(h, i)
		}
		lo = hi
	}
	return m
}

// cmpTie compares by the last tie-breakers: lots (when drawn), then order
// of request.
func (m *sim) cmpTie(a, b *entry) int {
	if m.p.Lots && a.lot != b.lot {
		return cmp.Compare(a.lot, b.lot)
	}
	return cmpRequest(a, b)
}

// less orders the runs of a bucket: rank, speaking time so far, then the
// first speaker's tie-breakers.
func (m *sim) less(a, b *run) bool {
	if a.rank != b.rank {
		return a.rank < b.rank
	}
	if m.spoken != nil {
		if sa, sb := m.spoken[a.party], m.spoken[b.party]; sa != sb {
			return sa < sb
		}
	}
	return m.cmpTie(a.es[a.head], b.es[b.head]) < 0
}

func (m *sim) down(h []*run, i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		j := l
		if r := l + 1; r < len(h) && m.less(h[r], h[l]) {
			j = r
		}
		if !m.less(h[j], h[i]) {
			return
		}
		h[i], h[j] = h[j], h[i]
		h[i].pos, h[j].pos = i, j
		i = j
	}
}

func (m *sim) up(h []*run, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !m.less(h[i], h[p]) {
			return
		}
		h[i], h[p] = h[p], h[i]
		h[i].pos, h[p].pos = i, p
		i = p
	}
}

// take removes the first speaker of run r, the first run of its bucket.
func (m *sim) take(r *run) {
	b := &m.buckets[r.bucket]
	m.left--
	m.classes[r.bucket/m.ng]--
	b.n--
	b.ranks[r.rank]--
	if m.counts != nil {
		m.dec(countKey{r.bucket, r.rank, m.spoken[r.party]}, 1)
	}
	r.head++
	h := b.heap
	if r.head < len(r.es) {
		m.down(h, r.pos)
		return
	}
	last := len(h) - 1
	i := r.pos
	if i != last {
		h[i] = h[last]
		h[i].pos = i
	}
	b.heap = h[:last]
	if i != last {
		m.down(b.heap, i)
		m.up(b.heap, i)
	}
}

func (m *sim) dec(k countKey, n int) {
	if c := m.counts[k] - n; c > 0 {
		m.counts[k] = c
	} else {
		delete(m.counts, k)
	}
}

// served advances the simulation past e, as if e had been given the floor
// and spoken its full limit. The caller has taken e from its bucket, or e
// is a pinned request, in no bucket.
func (m *sim) served(e *entry) {
	m.given++
	if _, ok := m.rot[e.Group]; ok {
		m.lastGroup = e.Group
	}
	if m.spoken == nil {
		return
	}
	pi, ok := m.parties[partyOf(e)]
	if !ok {
		return
	}
	old := m.spoken[pi]
	m.spoken[pi] += m.limit
	for r := m.first[pi]; r != nil; r = r.nextOfParty {
		n := len(r.es) - r.head
		if n == 0 {
			continue
		}
		m.dec(countKey{r.bucket, r.rank, old}, n)
		m.counts[countKey{r.bucket, r.rank, m.spoken[pi]}] += n
		m.down(m.buckets[r.bucket].heap, r.pos)
	}
}

// next picks the speaker for the next slot and says why.
func (m *sim) next() (*entry, string) {
	m.buf = m.buf[:0]
	part := func() {
		if len(m.buf) > 0 {
			m.buf = append(m.buf, "; "...)
		}
	}

	class, slotWhy := 0, ""
	if a := m.p.Alternate; a.on() {
		remote := 0
		if m.given%(a.Room+a.Remote) >= a.Room {
			remote = 1
		}
		class = remote
		other := 0
		if m.classes[remote] == 0 {
			class, other = 1-remote, 1
		}
		slotWhy = m.slotWhy[remote][other]
	}
	g := 0
	if rot := m.p.Rotation; len(rot) > 0 {
		start := -1
		if i, ok := m.rot[m.lastGroup]; ok {
			start = i
		}
		start++
		g = m.ng - 1
		for k := range rot {
			i := (start + k) % len(rot)
			if m.buckets[class*m.ng+i].n == 0 {
				continue
			}
			g = i
			m.buf = append(m.buf, m.rotNames[i]...)
			m.buf = append(m.buf, "'s turn in the rotation"...)
			if k > 0 {
				m.buf = append(m.buf, ", passing over "...)
				for j := range k {
					switch {
					case j == 0:
					case j == k-1:
						m.buf = append(m.buf, " and "...)
					default:
						m.buf = append(m.buf, ", "...)
					}
					m.buf = append(m.buf, m.rotNames[(start+j)%len(rot)]...)
				}
				m.buf = append(m.buf, " with nobody waiting"...)
			}
			m.buf = append(m.buf, " ("...)
			m.buf = append(m.buf, m.rotList...)
			m.buf = append(m.buf, ')')
			break
		}
		if g == m.ng-1 {
			m.buf = append(m.buf, "nobody from the groups in the rotation is waiting, so a speaker outside it"...)
		}
	}
	if slotWhy != "" {
		part()
		m.buf = append(m.buf, slotWhy...)
	}

	b := &m.buckets[class*m.ng+g]
	r := b.heap[0]
	pick := r.es[r.head]
	// The sizes of the ties: all in the bucket, those of the best rank, and
	// of those the ones with the least speaking time.
	n, nRank := b.n, b.ranks[r.rank]
	nSpoken := nRank
	if m.counts != nil {
		nSpoken = m.counts[countKey{r.bucket, r.rank, m.spoken[r.party]}]
	}
	if m.p.Precedence && nRank < n {
		part()
		m.buf = append(m.buf, "protocol precedence ("...)
		m.buf = append(m.buf, rankLabel(r.rank)...)
		m.buf = append(m.buf, ')')
	}
	if m.p.LeastSpoken && nSpoken < nRank {
		part()
		m.buf = append(m.buf, "least speaking time so far"...)
		if best := m.spoken[r.party]; best == 0 {
			m.buf = append(m.buf, " (none yet)"...)
		} else {
			m.buf = append(m.buf, " ("...)
			m.buf = appendDuration(m.buf, best)
			m.buf = append(m.buf, ", counting the turns before it at their full limit)"...)
		}
	}
	tie := nSpoken
	if m.p.Lots && tie > 1 {
		part()
		m.buf = append(m.buf, "drawn by lot (seed "...)
		m.buf = strconv.AppendUint(m.buf, m.p.Seed, 10)
		m.buf = append(m.buf, ')')
		tie = 1
	}
	switch {
	case tie > 1 && len(m.buf) == 0:
		m.buf = append(m.buf, "order of request: first to ask, at "...)
		m.buf = m.s.appendClock(m.buf, pick.At)
	case tie > 1:
		m.buf = append(m.buf, "; first to ask among them, at "...)
		m.buf = m.s.appendClock(m.buf, pick.At)
	case len(m.buf) == 0:
		m.buf = append(m.buf, "order of request: asked at "...)
		m.buf = m.s.appendClock(m.buf, pick.At)
	}
	m.buf = append(m.buf, '.')
	m.take(r)
	m.served(pick)

	// The sentence with its first letter capitalized, as capitalize does.
	w := m.buf
	if c, size := utf8.DecodeRune(w); size > 0 {
		if u := unicode.ToUpper(c); u != c {
			m.capBuf = utf8.AppendRune(m.capBuf[:0], u)
			w = append(m.capBuf, w[size:]...)
			m.capBuf = w
		}
	}
	return pick, string(w)
}

// appendClock appends a time as [State.clock] writes it.
func (s *State) appendClock(b []byte, ms int64) []byte {
	if s.format != nil {
		return append(b, s.format(ms)...)
	}
	return append(time.UnixMilli(ms).UTC().AppendFormat(b, "15:04:05"), " UTC"...)
}
