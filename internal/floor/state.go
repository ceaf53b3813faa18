package floor

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
)

// EventType names a queue event.
type EventType string

// The queue events.
const (
	Configured EventType = "configured" // the chair sets the policy
	ItemOpened EventType = "item"       // an agenda item comes under discussion
	Requested  EventType = "requested"  // a request for the floor
	Withdrawn  EventType = "withdrawn"  // the requester withdraws a waiting request
	Moved      EventType = "moved"      // the chair places a waiting request at a position, with a reason
	Removed    EventType = "removed"    // the chair removes a waiting request, with a reason
	Closed     EventType = "closed"     // the chair closes the list of speakers
	Reopened   EventType = "reopened"   // the chair reopens it
	Given      EventType = "given"      // the chair gives the floor to a waiting request
	Started    EventType = "started"    // the clock of the turn at the floor starts
	Paused     EventType = "paused"     // it pauses
	Resumed    EventType = "resumed"    // it resumes
	Finished   EventType = "finished"   // the turn ends (the clock stops)
	Ruled      EventType = "ruled"      // the chair rules on a point of order
)

// Event is one queue event, as the meeting's ledger records it.
type Event struct {
	Type    EventType `json:"type"`
	At      int64     `json:"at"`                // Unix ms, server clock
	Policy  *Policy   `json:"policy,omitempty"`  // configured
	Item    string    `json:"item,omitempty"`    // item
	Request *Request  `json:"request,omitempty"` // requested
	ID      string    `json:"id,omitempty"`      // withdrawn, moved, removed, given, ruled
	To      int       `json:"to,omitempty"`      // moved: the new 1-based position in Order
	Reason  string    `json:"reason,omitempty"`  // moved, removed (required); finished (optional)
	Ruling  string    `json:"ruling,omitempty"`  // ruled (required)
}

// Pause is one pause of a turn's clock; To is 0 while paused.
type Pause struct {
	From int64 `json:"from"`
	To   int64 `json:"to,omitempty"`
}

// Turn is one turn at the floor: a request that was given the floor.
type Turn struct {
	Request
	GivenAt   int64   `json:"given_at"`
	StartedAt int64   `json:"started_at,omitempty"` // 0 until the clock starts
	Running   bool    `json:"running"`              // the clock is running
	Pauses    []Pause `json:"pauses,omitempty"`
	EndedAt   int64   `json:"ended_at,omitempty"` // 0 while at the floor
	Limit     int64   `json:"limit"`              // seconds
	Ruling    string  `json:"ruling,omitempty"`   // a point of order's ruling
	Reason    string  `json:"reason,omitempty"`   // why the chair moved it, or ended it
	// Interrupted is the turn a point of order or a question interrupted:
	// it comes back to the floor, paused, when this turn finishes.
	Interrupted string `json:"interrupted,omitempty"`
}

// Spoken is the time spoken in ms by now (or by the end of the turn),
// excluding pauses. The clock starts at "started", not at "given".
func (t Turn) Spoken(now int64) int64 {
	if t.StartedAt == 0 {
		return 0
	}
	end := now
	if t.EndedAt != 0 {
		end = t.EndedAt
	}
	d := end - t.StartedAt
	for _, p := range t.Pauses {
		to := p.To
		if to == 0 {
			to = end
		}
		if to > p.From {
			d -= to - p.From
		}
	}
	return max(d, 0)
}

// Remaining is the time left in ms; negative in overtime.
func (t Turn) Remaining(now int64) int64 { return t.Limit*1000 - t.Spoken(now) }

// Overtime is the time over the limit in ms, 0 if none.
func (t Turn) Overtime(now int64) int64 { return max(-t.Remaining(now), 0) }

// Paused reports whether the turn's clock is paused.
func (t Turn) Paused() bool { return len(t.Pauses) > 0 && t.Pauses[len(t.Pauses)-1].To == 0 }

// Removal is a request the chair removed, with the reason on the record.
type Removal struct {
	Request
	At     int64  `json:"at_removed"`
	Reason string `json:"reason"`
}

// status of a request.
type status int

const (
	waiting status = iota
	onFloor
	served
	withdrawn
	removed
)

// entry is a request with its place in the state.
type entry struct {
	Request
	seq    int // order of arrival, the last tie-breaker after At and ID
	status status
	// A moved request is pinned: pinTo is its position among the places
	// after the points of order, pinSeq the order of the moves.
	pinned    bool
	pinTo     int
	pinSeq    int
	pinReason string
	lot       uint64
}

// State is the fold of a meeting's queue events. The zero value is not
// ready; use [New].
type State struct {
	policy Policy
	item   string
	closed bool
	last   int64 // the time of the last event

	reqs    map[string]*entry
	queue   []*entry // waiting requests in order of arrival
	seq     int
	pinSeq  int
	current *Turn
	stack   []*Turn // turns interrupted by the current one, innermost last
	turns   []Turn  // finished turns, in order

	withdrawn []Request
	removed   []Removal
	replies   map[string]int // item + "\x00" + party key -> rights of reply requested

	// The history the order policies continue from, on the current item:
	// speak turns given (the alternation's position) and the last group in
	// the rotation that was given the floor.
	given     int
	lastGroup string

	format func(ms int64) string
	cache  []Place
}

// New returns the state of a meeting with no events: order of request, no
// item, the list open.
func New() *State {
	return &State{reqs: map[string]*entry{}, replies: map[string]int{}}
}

// Replay folds events into a new state. On error it returns the state
// before the failing event and the error, which names the event's index.
func Replay(events []Event) (*State, error) {
	s := New()
	for i, e := range events {
		if err := s.Apply(e); err != nil {
			pe := plenary.AsError(err)
			out := *pe
			out.Message = fmt.Sprintf("event %d (%s): %s", i+1, e.Type, pe.Message)
			return s, &out
		}
	}
	return s, nil
}

// SetTimeFormat sets how the times of requests are written in the Why
// sentences; the default is the UTC time of day, "10:02:13 UTC". It is a
// matter of display only and is not an event.
func (s *State) SetTimeFormat(f func(ms int64) string) {
	s.format = f
	s.cache = nil
}

func (s *State) clock(ms int64) string {
	if s.format != nil {
		return s.format(ms)
	}
	return time.UnixMilli(ms).UTC().Format("15:04:05") + " UTC"
}

// Policy is the meeting's order policy.
func (s *State) Policy() Policy { return s.policy.clone() }

// Item is the agenda item under discussion.
func (s *State) Item() string { return s.item }

// Closed reports whether the list of speakers is closed.
func (s *State) Closed() bool { return s.closed }

// Last is the time of the last event applied.
func (s *State) Last() int64 { return s.last }

// Current is the turn at the floor now, if any.
func (s *State) Current() (Turn, bool) {
	if s.current == nil {
		return Turn{}, false
	}
	return cloneTurn(*s.current), true
}

// Interrupted lists the turns a point of order or a question interrupted,
// outermost first; each comes back to the floor when the one above it ends.
func (s *State) Interrupted() []Turn {
	out := make([]Turn, len(s.stack))
	for i, t := range s.stack {
		out[i] = cloneTurn(*t)
	}
	return out
}

// Turns are the finished turns in order; they become the interventions.
func (s *State) Turns() []Turn {
	out := make([]Turn, len(s.turns))
	for i, t := range s.turns {
		out[i] = cloneTurn(t)
	}
	return out
}

// Withdrawn lists the requests withdrawn by their requesters, in order.
func (s *State) Withdrawn() []Request { return append([]Request(nil), s.withdrawn...) }

// Removed lists the requests the chair removed, in order, with the reasons.
func (s *State) Removed() []Removal { return append([]Removal(nil), s.removed...) }

// Waiting lists every waiting request in order of arrival, including those
// on items not under discussion, which [State.Order] leaves out.
func (s *State) Waiting() []Request {
	out := make([]Request, 0, len(s.queue))
	for _, e := range s.queue {
		out = append(out, e.Request)
	}
	return out
}

// Request finds any request ever made in the meeting.
func (s *State) Request(id string) (Request, bool) {
	e, ok := s.reqs[id]
	if !ok {
		return Request{}, false
	}
	return e.Request, true
}

func cloneTurn(t Turn) Turn {
	t.Pauses = append([]Pause(nil), t.Pauses...)
	return t
}

// Apply validates e against the state and applies it. On error the state is
// unchanged and the error, a *plenary.Error, names the rule broken.
func (s *State) Apply(e Event) error {
	if e.At <= 0 {
		return plenary.Invalid("at", "an event needs its time")
	}
	if e.At < s.last {
		return plenary.Invalid("at", "events come in the order of the server's clock: this one is earlier than the last")
	}
	var err error
	switch e.Type {
	case Configured:
		err = s.configure(e)
	case ItemOpened:
		err = s.openItem(e)
	case Requested:
		err = s.request(e)
	case Withdrawn:
		err = s.withdraw(e)
	case Moved:
		err = s.move(e)
	case Removed:
		err = s.remove(e)
	case Closed:
		if s.closed {
			err = plenary.Conflict("the list of speakers is already closed")
		} else {
			s.closed = true
		}
	case Reopened:
		if !s.closed {
			err = plenary.Conflict("the list of speakers is not closed")
		} else {
			s.closed = false
		}
	case Given:
		err = s.give(e)
	case Started, Paused, Resumed:
		err = s.clockEvent(e)
	case Finished:
		err = s.finish(e)
	case Ruled:
		err = s.rule(e)
	default:
		err = plenary.Invalid("type", "there is no queue event %q", e.Type)
	}
	if err != nil {
		return err
	}
	s.last = e.At
	s.cache = nil
	return nil
}

func (s *State) configure(e Event) error {
	if e.Policy == nil {
		return plenary.Invalid("policy", "a configuration needs a policy")
	}
	if err := e.Policy.Validate(); err != nil {
		return err
	}
	s.policy = e.Policy.clone()
	for _, en := range s.reqs {
		en.lot = LotKey(s.policy.Seed, en.ID)
	}
	s.given, s.lastGroup = 0, ""
	return nil
}

func (s *State) openItem(e Event) error {
	if strings.TrimSpace(e.Item) == "" {
		return plenary.Invalid("item", "name the agenda item")
	}
	if e.Item == s.item {
		return plenary.Conflict("item %s is already under discussion", e.Item)
	}
	s.item = e.Item
	s.closed = false
	s.given, s.lastGroup = 0, ""
	for k := range s.replies {
		if strings.HasPrefix(k, e.Item+"\x00") {
			delete(s.replies, k)
		}
	}
	return nil
}

func replyKey(item, party string) string { return item + "\x00" + party }

func (s *State) request(e Event) error {
	if e.Request == nil {
		return plenary.Invalid("request", "a request is missing")
	}
	r := *e.Request
	switch {
	case strings.TrimSpace(r.ID) == "":
		return plenary.Invalid("id", "a request needs an id")
	case s.reqs[r.ID] != nil:
		return plenary.Conflict("there is already a request %s in this meeting", r.ID)
	case !r.Kind.valid():
		return plenary.Invalid("kind", "there is no kind of request %q", r.Kind)
	case strings.TrimSpace(r.Speaker) == "":
		return plenary.Invalid("speaker", "say who will speak")
	case !r.Origin.valid():
		return plenary.Invalid("origin", "a request comes from the room, a remote participant or a hub, not %q", r.Origin)
	case r.Origin == Hub && strings.TrimSpace(r.Hub) == "":
		return plenary.Invalid("hub", "name the remote hub")
	case r.Rank < 0 || r.Rank > RankObserver:
		return plenary.Invalid("rank", "a rank of precedence is between 1 (minister) and 5 (observer), or 0 for none")
	}
	if r.At == 0 {
		r.At = e.At
	}
	if r.Item == "" {
		r.Item = s.item
	}
	onItem := r.Item == s.item
	if s.closed && onItem && (r.Kind == Speak || r.Kind == Question) {
		return plenary.Conflict("the list of speakers is closed: only points of order and rights of reply are accepted")
	}
	switch r.Kind {
	case Speak:
		for _, w := range s.queue {
			if w.Kind == Speak && w.Speaker == r.Speaker && w.Item == r.Item {
				return plenary.Conflict("%s is already on the list of speakers for this item (request %s)", r.who(), w.ID)
			}
		}
	case Question:
		if !onItem {
			return plenary.Invalid("item", "a question is to the current speaker, on the item under discussion")
		}
		if s.current == nil || (s.current.Kind != Speak && s.current.Kind != Reply) {
			return plenary.Conflict("a question can be asked only while a speaker has the floor")
		}
		if r.ReplyTo == "" {
			r.ReplyTo = s.current.ID
		} else if r.ReplyTo != s.current.ID {
			return plenary.Invalid("reply_to", "a question is to the speaker at the floor now (request %s)", s.current.ID)
		}
		if r.Speaker == s.current.Speaker {
			return plenary.Conflict("the speaker at the floor cannot put a question to themselves")
		}
	case Reply:
		if r.ReplyTo == "" {
			return plenary.Invalid("reply_to", "name the intervention replied to")
		}
		if !s.wasGiven(r.ReplyTo) {
			return plenary.Invalid("reply_to", "there is no intervention %s to reply to", r.ReplyTo)
		}
		if n := s.replies[replyKey(r.Item, r.partyKey())]; n >= s.policy.Cap() {
			return plenary.Conflict("%s has used its %d rights of reply on this item", r.who(), s.policy.Cap())
		}
	case PointOfOrder:
		if r.ReplyTo != "" {
			return plenary.Invalid("reply_to", "a point of order replies to no one")
		}
	}
	if r.Kind != Reply && r.Kind != Question && r.ReplyTo != "" {
		return plenary.Invalid("reply_to", "only a right of reply or a question names an earlier intervention")
	}
	s.seq++
	en := &entry{Request: r, seq: s.seq, lot: LotKey(s.policy.Seed, r.ID)}
	s.reqs[r.ID] = en
	s.queue = append(s.queue, en)
	if r.Kind == Reply {
		s.replies[replyKey(r.Item, r.partyKey())]++
	}
	return nil
}

// wasGiven reports whether the request id has been given the floor.
func (s *State) wasGiven(id string) bool {
	e := s.reqs[id]
	return e != nil && (e.status == onFloor || e.status == served)
}

// waitingEntry finds a waiting request, or says why it is not one.
func (s *State) waitingEntry(id string) (*entry, error) {
	if id == "" {
		return nil, plenary.Invalid("id", "name the request")
	}
	e := s.reqs[id]
	if e == nil || e.status != waiting {
		return nil, plenary.NotFound("request %s is not in the queue", id)
	}
	return e, nil
}

func (s *State) dequeue(e *entry, st status) {
	for i, w := range s.queue {
		if w == e {
			s.queue = append(s.queue[:i:i], s.queue[i+1:]...)
			break
		}
	}
	e.status = st
	e.pinned = false
}

func (s *State) withdraw(e Event) error {
	en, err := s.waitingEntry(e.ID)
	if err != nil {
		return err
	}
	s.dequeue(en, withdrawn)
	s.withdrawn = append(s.withdrawn, en.Request)
	s.releaseReply(en)
	return nil
}

// releaseReply gives back a right of reply withdrawn or removed before it
// was taken.
func (s *State) releaseReply(en *entry) {
	if en.Kind != Reply {
		return
	}
	k := replyKey(en.Item, en.partyKey())
	if s.replies[k] > 0 {
		s.replies[k]--
	}
}

func (s *State) remove(e Event) error {
	en, err := s.waitingEntry(e.ID)
	if err != nil {
		return err
	}
	if strings.TrimSpace(e.Reason) == "" {
		return plenary.Invalid("reason", "the chair removes a request with a reason on the record")
	}
	s.dequeue(en, removed)
	s.removed = append(s.removed, Removal{Request: en.Request, At: e.At, Reason: e.Reason})
	s.releaseReply(en)
	return nil
}

func (s *State) move(e Event) error {
	en, err := s.waitingEntry(e.ID)
	if err != nil {
		return err
	}
	if strings.TrimSpace(e.Reason) == "" {
		return plenary.Invalid("reason", "the chair moves a request with a reason on the record")
	}
	if en.Item != s.item {
		return plenary.Conflict("request %s is on item %s, not on the item under discussion", en.ID, en.Item)
	}
	if en.Kind == PointOfOrder {
		return plenary.Conflict("points of order are taken first come first served: they cannot be moved")
	}
	order := s.Order()
	orders := 0
	for _, p := range order {
		if p.Kind == PointOfOrder {
			orders++
		}
	}
	if e.To < 1 || e.To > len(order) {
		return plenary.Invalid("to", "the position must be between 1 and %d", len(order))
	}
	if e.To <= orders {
		return plenary.Conflict("position %d is ahead of a point of order: points of order go before every speaker", e.To)
	}
	s.pinSeq++
	en.pinned, en.pinTo, en.pinSeq, en.pinReason = true, e.To-orders, s.pinSeq, e.Reason
	return nil
}

func (s *State) give(e Event) error {
	en, err := s.waitingEntry(e.ID)
	if err != nil {
		return err
	}
	if en.Item != s.item {
		return plenary.Conflict("request %s is on item %s, not on the item under discussion", en.ID, en.Item)
	}
	interrupt := false
	if s.current != nil {
		switch {
		case en.Kind == PointOfOrder:
			interrupt = true
		case en.Kind == Question && en.ReplyTo == s.current.ID:
			interrupt = true
		default:
			return plenary.Conflict("%s has the floor: finish that turn first", s.current.who())
		}
	}
	if en.Kind != PointOfOrder {
		if why := s.overBudget(en.Request, e.At); why != "" {
			return plenary.Conflict("%s", why)
		}
	}
	t := &Turn{Request: en.Request, GivenAt: e.At, Limit: s.policy.Limit(en.Kind), Reason: en.pinReason}
	if interrupt {
		c := s.current
		if c.Running {
			c.Running = false
			c.Pauses = append(c.Pauses, Pause{From: e.At})
		}
		t.Interrupted = c.ID
		s.stack = append(s.stack, c)
	}
	if en.Kind == Speak {
		s.given++
		if slicesIndex(s.policy.Rotation, en.Group) >= 0 {
			s.lastGroup = en.Group
		}
	}
	s.dequeue(en, onFloor)
	s.current = t
	return nil
}

func slicesIndex(xs []string, x string) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

func (s *State) clockEvent(e Event) error {
	c := s.current
	if c == nil {
		return plenary.Conflict("nobody has the floor")
	}
	if e.ID != "" && e.ID != c.ID {
		return plenary.Conflict("request %s does not have the floor: %s does", e.ID, c.who())
	}
	switch e.Type {
	case Started:
		if c.StartedAt != 0 {
			return plenary.Conflict("the clock of %s has already started", c.who())
		}
		c.StartedAt, c.Running = e.At, true
	case Paused:
		if !c.Running {
			return plenary.Conflict("the clock of %s is not running", c.who())
		}
		c.Running = false
		c.Pauses = append(c.Pauses, Pause{From: e.At})
	case Resumed:
		if !c.Paused() {
			return plenary.Conflict("the clock of %s is not paused", c.who())
		}
		c.Running = true
		c.Pauses[len(c.Pauses)-1].To = e.At
	}
	return nil
}

func (s *State) finish(e Event) error {
	c := s.current
	if c == nil {
		return plenary.Conflict("nobody has the floor")
	}
	if e.ID != "" && e.ID != c.ID {
		return plenary.Conflict("request %s does not have the floor: %s does", e.ID, c.who())
	}
	if c.Paused() {
		c.Pauses[len(c.Pauses)-1].To = e.At
	}
	c.Running = false
	c.EndedAt = e.At
	if e.Reason != "" {
		c.Reason = e.Reason
	}
	s.reqs[c.ID].status = served
	s.turns = append(s.turns, *c)
	s.current = nil
	if n := len(s.stack); n > 0 {
		s.current = s.stack[n-1]
		s.stack = s.stack[:n-1]
	}
	return nil
}

func (s *State) rule(e Event) error {
	if strings.TrimSpace(e.Ruling) == "" {
		return plenary.Invalid("ruling", "write the chair's ruling")
	}
	en := s.reqs[e.ID]
	if en == nil || en.Kind != PointOfOrder {
		return plenary.NotFound("there is no point of order %s", e.ID)
	}
	var t *Turn
	switch {
	case s.current != nil && s.current.ID == e.ID:
		t = s.current
	default:
		for i := range s.turns {
			if s.turns[i].ID == e.ID {
				t = &s.turns[i]
			}
		}
	}
	if t == nil {
		return plenary.Conflict("the chair rules on point of order %s once it has been given the floor", e.ID)
	}
	if t.Ruling != "" {
		return plenary.Conflict("the chair has already ruled on point of order %s", e.ID)
	}
	t.Ruling = e.Ruling
	return nil
}

// Clone returns a copy of s that shares nothing that either may change:
// applying events to the copy leaves s as it was. A meeting keeps the
// state of its queue and applies only the events recorded since, rather
// than replaying them all for every command.
func (s *State) Clone() *State {
	c := &State{
		policy: s.policy.clone(), item: s.item, closed: s.closed, last: s.last,
		reqs:  make(map[string]*entry, len(s.reqs)),
		queue: make([]*entry, len(s.queue)),
		seq:   s.seq, pinSeq: s.pinSeq,
		turns:     slices.Clone(s.turns),
		withdrawn: slices.Clone(s.withdrawn),
		removed:   slices.Clone(s.removed),
		replies:   make(map[string]int, len(s.replies)),
		given:     s.given, lastGroup: s.lastGroup,
		format: s.format,
	}
	for id, en := range s.reqs {
		cp := *en
		c.reqs[id] = &cp
	}
	for i, en := range s.queue {
		c.queue[i] = c.reqs[en.ID]
	}
	for k, v := range s.replies {
		c.replies[k] = v
	}
	turn := func(t *Turn) *Turn {
		cp := *t
		cp.Pauses = slices.Clone(t.Pauses)
		return &cp
	}
	if s.current != nil {
		c.current = turn(s.current)
	}
	for _, t := range s.stack {
		c.stack = append(c.stack, turn(t))
	}
	return c
}
