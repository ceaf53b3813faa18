package meetings

import (
	"context"
	"encoding/json"
	"sort"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/cache"
	"github.com/plenary-forum/plenary/internal/floor"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// FloorTurn is a turn at the floor as of the server's now.
type FloorTurn struct {
	floor.Turn
	Paused      bool  `json:"paused"`
	SpokenMS    int64 `json:"spoken_ms"`
	RemainingMS int64 `json:"remaining_ms"` // negative in overtime
	OvertimeMS  int64 `json:"overtime_ms"`
	// Deadline is when the time runs out, while the clock runs: a page
	// counts down to it.
	Deadline *time.Time `json:"deadline,omitempty"`
}

// MyRequest is one of the viewer's waiting requests, with its place.
type MyRequest struct {
	floor.Request
	// Position is its place in the order (1 is next); 0 when it is not
	// in the order (on another item).
	Position int    `json:"position"`
	Why      string `json:"why,omitempty"`
}

// Intervention is one finished turn at the floor.
type Intervention struct {
	ID          string        `json:"id"`
	MeetingID   string        `json:"meeting_id"`
	Item        string        `json:"item,omitempty"`
	Kind        floor.Kind    `json:"kind"`
	Speaker     string        `json:"speaker"`
	Name        string        `json:"name"`
	PartyID     string        `json:"party_id,omitempty"`
	PartyName   string        `json:"party_name,omitempty"`
	Group       string        `json:"group,omitempty"`
	GroupName   string        `json:"group_name,omitempty"`
	OnBehalf    string        `json:"on_behalf,omitempty"`
	Origin      floor.Origin  `json:"origin"`
	Hub         string        `json:"hub,omitempty"`
	Provision   string        `json:"provision,omitempty"`
	ReplyTo     string        `json:"reply_to,omitempty"`
	RequestedAt time.Time     `json:"requested_at"`
	GivenAt     time.Time     `json:"given_at"`
	StartedAt   *time.Time    `json:"started_at,omitempty"`
	EndedAt     time.Time     `json:"ended_at"`
	Pauses      []floor.Pause `json:"pauses"`
	SpokenMS    int64         `json:"spoken_ms"`
	Limit       int64         `json:"limit_s"`
	OvertimeMS  int64         `json:"overtime_ms"`
	Ruling      string        `json:"ruling,omitempty"`
	Reason      string        `json:"reason,omitempty"`
	Seq         int64         `json:"seq"`
	Statement   string        `json:"statement_doc_id,omitempty"`
}

// FloorView is a meeting's speakers' queue as a page shows it.
type FloorView struct {
	Meeting    Meeting      `json:"meeting"`
	Policy     floor.Policy `json:"policy"`
	PolicyText string       `json:"policy_text"`
	Item       *AgendaItem  `json:"item,omitempty"`
	Closed     bool         `json:"closed"`
	Current    *FloorTurn   `json:"current,omitempty"`
	// Interrupted are the turns a point of order or a question
	// interrupted, outermost first.
	Interrupted []FloorTurn    `json:"interrupted"`
	Order       []floor.Place  `json:"order"`
	Mine        []MyRequest    `json:"mine"`
	Last        []Intervention `json:"last"`
	Events      int            `json:"events"`
	Now         time.Time      `json:"now"`
}

// floorSnap is what is kept of a meeting's queue until the forum's chain
// moves: the replayed state and what a view reads of it. Nothing in it
// changes once made, so readers share it.
type floorSnap struct {
	st          *floor.State
	events      int
	order       []floor.Place
	waiting     []floor.Request
	current     *floor.Turn
	interrupted []floor.Turn
}

// whyTime writes the times of the Why sentences at the venue.
func whyTime(m Meeting) func(ms int64) string {
	loc := m.Location()
	return func(ms int64) string { return time.UnixMilli(ms).In(loc).Format("15:04:05 MST") }
}

func newSnap(m Meeting, st *floor.State, events int) *floorSnap {
	st.SetTimeFormat(whyTime(m))
	sn := &floorSnap{st: st, events: events, order: st.Order(), waiting: st.Waiting(), interrupted: st.Interrupted()}
	if c, ok := st.Current(); ok {
		sn.current = &c
	}
	return sn
}

// snap is the kept state of a meeting's queue.
func (s *Service) snap(ctx context.Context, m Meeting) (*floorSnap, error) {
	return cache.Get(s.kernel.Cache(), m.ForumID, "floor|"+m.ID, func() (*floorSnap, error) {
		st, n, err := s.floorState(ctx, s.store, m.ID)
		if err != nil {
			return nil, err
		}
		s.memo.put(m.ID, n, st.Clone())
		return newSnap(m, st, n), nil
	})
}

func turnAt(t floor.Turn, now int64) FloorTurn {
	ft := FloorTurn{Turn: t, Paused: t.Paused(), SpokenMS: t.Spoken(now), RemainingMS: t.Remaining(now), OvertimeMS: t.Overtime(now)}
	if t.Running {
		d := time.UnixMilli(now + ft.RemainingMS).UTC()
		ft.Deadline = &d
	}
	return ft
}

// Floor is the meeting's speakers' queue for whoever may see the meeting:
// the policy, the item, the turn at the floor with its clock at the
// server's now, the order with why each request is there, the viewer's
// own requests, and the last interventions.
func (s *Service) Floor(ctx context.Context, sc *forum.Scope, ref string) (FloorView, error) {
	m, err := s.Meeting(ctx, sc, ref)
	if err != nil {
		return FloorView{}, err
	}
	sn, err := s.snap(ctx, m)
	if err != nil {
		return FloorView{}, err
	}
	now := plenary.Now()
	ms := now.UnixMilli()
	if ms < sn.st.Last() {
		ms = sn.st.Last()
	}
	p := sn.st.Policy()
	v := FloorView{Meeting: m, Policy: p, PolicyText: p.Describe(), Closed: sn.st.Closed(), Order: sn.order,
		Interrupted: []FloorTurn{}, Mine: []MyRequest{}, Events: sn.events, Now: now}
	if len(p.Budgets) > 0 && sn.current != nil {
		v.Order = sn.st.OrderAt(ms)
	}
	if v.Order == nil {
		v.Order = []floor.Place{}
	}
	for _, it := range m.Agenda {
		if it.ID == sn.st.Item() {
			it := it
			v.Item = &it
		}
	}
	if sn.current != nil {
		ct := turnAt(*sn.current, ms)
		v.Current = &ct
	}
	for _, t := range sn.interrupted {
		v.Interrupted = append(v.Interrupted, turnAt(t, ms))
	}
	if sc.Actor.LoggedIn() {
		mine := map[string]bool{"user:" + sc.Actor.UserID: true}
		regs, err := s.participation.ApprovedRegistrationsOf(ctx, s.store, sc.Forum, sc.Actor.UserID)
		if err != nil {
			return FloorView{}, err
		}
		for _, r := range regs {
			mine[r.ID] = true
		}
		for _, r := range sn.waiting {
			if !mine[r.Speaker] && r.By != sc.Actor.UserID {
				continue
			}
			my := MyRequest{Request: r}
			for _, pl := range v.Order {
				if pl.ID == r.ID {
					my.Position, my.Why = pl.Position, pl.Why
				}
			}
			v.Mine = append(v.Mine, my)
		}
	}
	if v.Last, err = s.interventions(ctx, s.store, m.ID, 5); err != nil {
		return FloorView{}, err
	}
	return v, nil
}

const interventionColumns = `id, meeting_id, item_id, kind, speaker, speaker_name, party_id, party_name, group_key, group_name,
	on_behalf, origin, hub, provision, reply_to, requested_at, given_at, started_at, ended_at, pauses, spoken_ms, limit_s,
	overtime_ms, ruling, reason, seq, statement_doc_id`

// interventions reads a meeting's interventions in order; with last > 0,
// only the last ones, still in order.
func (s *Service) interventions(ctx context.Context, q store.Querier, meetingID string, last int) ([]Intervention, error) {
	query := "SELECT " + interventionColumns + " FROM meeting_interventions WHERE meeting_id = ? ORDER BY seq, ended_at, id"
	args := []any{meetingID}
	if last > 0 {
		query = "SELECT " + interventionColumns + " FROM meeting_interventions WHERE meeting_id = ? ORDER BY seq DESC, ended_at DESC, id DESC LIMIT ?"
		args = append(args, last)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Intervention{}
	for rows.Next() {
		var in Intervention
		var kind, origin, pauses string
		var req, given, started, ended int64
		if err := rows.Scan(&in.ID, &in.MeetingID, &in.Item, &kind, &in.Speaker, &in.Name, &in.PartyID, &in.PartyName, &in.Group,
			&in.GroupName, &in.OnBehalf, &origin, &in.Hub, &in.Provision, &in.ReplyTo, &req, &given, &started, &ended, &pauses,
			&in.SpokenMS, &in.Limit, &in.OvertimeMS, &in.Ruling, &in.Reason, &in.Seq, &in.Statement); err != nil {
			return nil, err
		}
		in.Kind, in.Origin = floor.Kind(kind), floor.Origin(origin)
		in.RequestedAt, in.GivenAt, in.EndedAt = time.UnixMilli(req).UTC(), time.UnixMilli(given).UTC(), time.UnixMilli(ended).UTC()
		if started > 0 {
			t := time.UnixMilli(started).UTC()
			in.StartedAt = &t
		}
		if err := json.Unmarshal([]byte(pauses), &in.Pauses); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if last > 0 {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, nil
}

// Interventions lists a meeting's interventions in order.
func (s *Service) Interventions(ctx context.Context, sc *forum.Scope, ref string) ([]Intervention, error) {
	m, err := s.Meeting(ctx, sc, ref)
	if err != nil {
		return nil, err
	}
	return s.interventions(ctx, s.store, m.ID, 0)
}

// SpeakingCount is the number of turns and the time spoken of one group,
// party or origin.
type SpeakingCount struct {
	Key      string `json:"key"`
	Name     string `json:"name"`
	Turns    int    `json:"turns"`
	SpokenMS int64  `json:"spoken_ms"`
}

// SpeakingTime is the time spoken per stakeholder group, per party (or
// speaker without a party) and per origin (room, remote, hub), most
// first.
type SpeakingTime struct {
	Meeting string          `json:"meeting,omitempty"` // the meeting's number; "" for the forum
	Groups  []SpeakingCount `json:"groups"`
	Parties []SpeakingCount `json:"parties"`
	Origins []SpeakingCount `json:"origins"`
	Total   SpeakingCount   `json:"total"`
	// Live: the turn at the floor is counted up to the server's now.
	Live bool `json:"live"`
}

type tally struct {
	groups, parties, origins map[string]*SpeakingCount
	total                    SpeakingCount
}

func newTally() *tally {
	return &tally{groups: map[string]*SpeakingCount{}, parties: map[string]*SpeakingCount{}, origins: map[string]*SpeakingCount{}}
}

func (t *tally) add(group, groupName, party, partyName, speaker, speakerName, origin string, ms int64) {
	bump := func(m map[string]*SpeakingCount, key, name string) {
		c := m[key]
		if c == nil {
			c = &SpeakingCount{Key: key, Name: name}
			m[key] = c
		}
		c.Turns++
		c.SpokenMS += ms
	}
	if groupName == "" {
		groupName = group
	}
	bump(t.groups, group, groupName)
	if party != "" {
		bump(t.parties, party, partyName)
	} else {
		bump(t.parties, "speaker:"+speaker, speakerName)
	}
	labels := map[string]string{string(floor.Room): "In the room", string(floor.Remote): "Remote", string(floor.Hub): "At a remote hub"}
	bump(t.origins, origin, labels[origin])
	t.total.Turns++
	t.total.SpokenMS += ms
}

func sorted(m map[string]*SpeakingCount) []SpeakingCount {
	out := make([]SpeakingCount, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].SpokenMS != out[j].SpokenMS {
			return out[i].SpokenMS > out[j].SpokenMS
		}
		return out[i].Name+out[i].Key < out[j].Name+out[j].Key
	})
	return out
}

func (t *tally) result() SpeakingTime {
	return SpeakingTime{Groups: sorted(t.groups), Parties: sorted(t.parties), Origins: sorted(t.origins),
		Total: SpeakingCount{Key: "total", Name: "Total", Turns: t.total.Turns, SpokenMS: t.total.SpokenMS}}
}

func (s *Service) tallyRows(ctx context.Context, t *tally, where string, args ...any) error {
	rows, err := s.store.QueryContext(ctx, `SELECT i.group_key, i.group_name, i.party_id, i.party_name, i.speaker, i.speaker_name,
		i.origin, i.spoken_ms FROM meeting_interventions i JOIN meetings m ON m.id = i.meeting_id `+where+` ORDER BY i.seq`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var g, gn, p, pn, sp, spn, o string
		var ms int64
		if err := rows.Scan(&g, &gn, &p, &pn, &sp, &spn, &o, &ms); err != nil {
			return err
		}
		t.add(g, gn, p, pn, sp, spn, o, ms)
	}
	return rows.Err()
}

// SpeakingTime is a meeting's speaking time, from its interventions and,
// while it sits, the turn at the floor up to now.
func (s *Service) SpeakingTime(ctx context.Context, sc *forum.Scope, ref string) (SpeakingTime, error) {
	m, err := s.Meeting(ctx, sc, ref)
	if err != nil {
		return SpeakingTime{}, err
	}
	t := newTally()
	if err := s.tallyRows(ctx, t, "WHERE i.meeting_id = ?", m.ID); err != nil {
		return SpeakingTime{}, err
	}
	live := false
	if m.Sitting() {
		sn, err := s.snap(ctx, m)
		if err != nil {
			return SpeakingTime{}, err
		}
		now := plenary.Now().UnixMilli()
		if now < sn.st.Last() {
			now = sn.st.Last()
		}
		turns := append([]floor.Turn{}, sn.interrupted...)
		if sn.current != nil {
			turns = append(turns, *sn.current)
		}
		for _, c := range turns {
			t.add(c.Group, c.GroupName, c.Party, c.PartyName, c.Speaker, c.Name, string(c.Origin), c.Spoken(now))
			live = true
		}
	}
	out := t.result()
	out.Meeting, out.Live = m.Number, live
	return out, nil
}

// ForumSpeakingTime is the forum's speaking time over the meetings the
// actor may see, from their interventions.
func (s *Service) ForumSpeakingTime(ctx context.Context, sc *forum.Scope) (SpeakingTime, error) {
	v, err := sc.Viewer(ctx)
	if err != nil {
		return SpeakingTime{}, err
	}
	where, args := "WHERE m.forum_id = ?", []any{sc.Forum.ID}
	if !v.CanSee("members") {
		where += " AND m.access = ?"
		args = append(args, AccessOpen)
	}
	t := newTally()
	if err := s.tallyRows(ctx, t, where, args...); err != nil {
		return SpeakingTime{}, err
	}
	return t.result(), nil
}

// MayRequestFloor reports whether the actor may make a request of the
// kind for themself now: the meeting takes requests, the list is open
// (or the kind is taken on a closed list) and the rights matrix allows it.
func (s *Service) MayRequestFloor(ctx context.Context, sc *forum.Scope, ref string, kind floor.Kind) (bool, error) {
	if !sc.Actor.LoggedIn() {
		return false, nil
	}
	m, err := s.Meeting(ctx, sc, ref)
	if ok, err := forum.Allowed(err); !ok {
		return false, err
	}
	if err := floorAllowed(m, floor.Requested); err != nil {
		return false, nil
	}
	if kind == "" {
		kind = floor.Speak
	}
	sn, err := s.snap(ctx, m)
	if err != nil {
		return false, err
	}
	if sn.st.Closed() && kind != floor.PointOfOrder && kind != floor.Reply {
		return false, nil
	}
	if kind == floor.Question && sn.current == nil {
		return false, nil
	}
	return sc.May(ctx, action(kind), "")
}

// FloorReplay is a meeting's queue recomputed from the ledger alone.
type FloorReplay struct {
	Events int           `json:"events"`
	Order  []floor.Place `json:"order"`
	Turns  []floor.Turn  `json:"turns"`
	State  *floor.State  `json:"-"`
}

// ReplayFloor recomputes a meeting's queue from its floor.* events on
// the forum's ledger, not from the meeting's tables: anyone holding the
// ledger gets the order, and the why sentences, that the meeting showed.
func (s *Service) ReplayFloor(ctx context.Context, sc *forum.Scope, ref string) (FloorReplay, error) {
	m, err := s.Meeting(ctx, sc, ref)
	if err != nil {
		return FloorReplay{}, err
	}
	rows, err := s.store.QueryContext(ctx, "SELECT payload FROM ledger_events WHERE chain = ? AND type LIKE ? ORDER BY seq", m.ForumID, "floor.%")
	if err != nil {
		return FloorReplay{}, err
	}
	defer rows.Close()
	var events []floor.Event
	for rows.Next() {
		var raw string
		if err := rows.Scan(&raw); err != nil {
			return FloorReplay{}, err
		}
		var p struct {
			Meeting string      `json:"meeting"`
			Event   floor.Event `json:"event"`
		}
		if err := json.Unmarshal([]byte(raw), &p); err != nil {
			return FloorReplay{}, err
		}
		if p.Meeting == m.ID {
			events = append(events, p.Event)
		}
	}
	if err := rows.Err(); err != nil {
		return FloorReplay{}, err
	}
	st, err := floor.Replay(events)
	if err != nil {
		return FloorReplay{}, err
	}
	st.SetTimeFormat(whyTime(m))
	return FloorReplay{Events: len(events), Order: st.Order(), Turns: st.Turns(), State: st}, nil
}

// RequestAction is the right a kind of request takes, for pages.
func RequestAction(k floor.Kind) rules.Action { return action(k) }
