package meetings

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/floor"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// The speakers' queue of a meeting. Its state is the fold (floor.Replay)
// of the meeting's queue events, kept in meeting_floor_events in order and
// recorded on the ledger as floor.<type> events. Every command locks the
// meeting, replays its events inside the transaction, applies the new one
// with the server's clock, and records it if floor accepts it; floor's
// refusals are the command's errors. A finished turn becomes a row of
// meeting_interventions.

// Guest is a person without an account for whom the secretariat or the
// chair enters a request (W3C's "q+").
type Guest struct {
	Name string `json:"name"`
	// Party is the party (id or code) the guest speaks for; optional.
	Party string `json:"party,omitempty"`
	// Group is the guest's stakeholder group; the party's when empty.
	Group string `json:"group,omitempty"`
}

// RequestInput is a request for the floor. Who asks is one of: nobody
// named (the actor, for themself); For (a remote moderator relays a
// remote participant's request); Hub (the hub's moderator asks for the
// hub); Guest (the chair or the secretariat enters a request for a person
// without an account).
type RequestInput struct {
	// Kind is speak (the default), point_of_order, reply or question.
	Kind floor.Kind `json:"kind"`
	// Provision is the provision spoken on, optional.
	Provision string `json:"provision,omitempty"`
	// ReplyTo is the earlier intervention replied to (reply), or the turn
	// at the floor (question).
	ReplyTo string `json:"reply_to,omitempty"`
	// OnBehalf is the group of parties or stakeholder group spoken for.
	OnBehalf string `json:"on_behalf,omitempty"`
	// Party chooses which of the actor's parties, when asking for oneself.
	Party string `json:"party,omitempty"`
	// For is the registration id of the remote participant relayed.
	For string `json:"for,omitempty"`
	// Hub is the id of the remote hub asking.
	Hub string `json:"hub,omitempty"`
	// Group is the hub's stakeholder group (the moderator's when empty).
	Group string `json:"group,omitempty"`
	// Guest is the person without an account.
	Guest *Guest `json:"guest,omitempty"`
	// Minister ranks the speaker first in protocol precedence; only the
	// chair or the secretariat may say so.
	Minister bool `json:"minister,omitempty"`
}

// Limits of the queue's texts.
const (
	MaxRuling = 2000
)

// floorStates are the states in which each kind of queue event is taken.
func floorAllowed(m Meeting, t floor.EventType) error {
	switch m.State {
	case StateAdjourned, StateClosed, StateCancelled:
		return plenary.Conflict("meeting %s is %s; its list of speakers no longer changes", m.Number, strings.ToLower(m.StateLabel()))
	}
	switch t {
	case floor.Given, floor.Started, floor.Resumed:
		if m.State != StateInSession {
			return plenary.Conflict("meeting %s is %s; the floor is given and the clock runs only while it is in session", m.Number, strings.ToLower(m.StateLabel()))
		}
	case floor.Paused, floor.Finished, floor.Ruled:
		if !m.Sitting() {
			return plenary.Conflict("meeting %s is %s; nobody has the floor before it opens", m.Number, strings.ToLower(m.StateLabel()))
		}
	}
	return nil
}

// floorStep is what a queue command adds: the event (its At is set by
// floorCommand) and the human fields of its ledger payload.
type floorStep struct {
	event floor.Event
	human map[string]any
}

// floorCommand runs one queue command: lock the meeting, replay its queue,
// let build make the event (authorizing inside the transaction), apply it
// with the server's clock and record it.
func (s *Service) floorCommand(ctx context.Context, sc *forum.Scope, ref, name string, typ floor.EventType,
	build func(tx *store.Tx, sc *forum.Scope, m Meeting, st *floor.State) (floorStep, error)) (floor.Event, error) {
	old, err := s.meeting(ctx, sc.Querier(), sc.Forum.ID, ref)
	if err != nil {
		return floor.Event{}, err
	}
	if err := s.checkVisible(ctx, sc, old); err != nil {
		return floor.Event{}, err
	}
	var (
		ev   floor.Event
		kept *floor.State
		n    int
	)
	err = s.kernel.Command(ctx, sc, name, func(tx *store.Tx, sc *forum.Scope) error {
		m, err := s.lockMeeting(ctx, tx, sc.Forum.ID, old.ID)
		if err != nil {
			return err
		}
		if err := floorAllowed(m, typ); err != nil {
			return err
		}
		st, count, err := s.floorState(ctx, tx, m.ID)
		if err != nil {
			return err
		}
		step, err := build(tx, sc, m, st)
		if err != nil {
			return err
		}
		step.event.Type = typ
		if ev, err = s.appendFloor(ctx, tx, sc, m, st, count, step); err != nil {
			return err
		}
		kept, n = st, count+1
		return nil
	})
	if err == nil && kept != nil {
		// Committed: the next command starts from here.
		s.memo.put(old.ID, n, kept)
	}
	return ev, err
}

// appendFloor applies one event to st (replayed from n events) at the
// server's clock and records it: the row, the ledger event, and the
// interventions of the turns it ended.
func (s *Service) appendFloor(ctx context.Context, tx *store.Tx, sc *forum.Scope, m Meeting, st *floor.State, n int, step floorStep) (floor.Event, error) {
	e := step.event
	e.At = s.now().UnixMilli()
	if e.At < st.Last() {
		e.At = st.Last()
	}
	turns := len(st.Turns())
	if err := st.Apply(e); err != nil {
		return floor.Event{}, err
	}
	payload := map[string]any{"event": e, "title": m.Title}
	for k, v := range step.human {
		payload[k] = v
	}
	payload["meeting"] = m.ID
	payload["number"] = m.Number
	led, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "floor."+string(e.Type), m.Visibility(), payload)
	if err != nil {
		return floor.Event{}, err
	}
	raw, err := json.Marshal(e)
	if err != nil {
		return floor.Event{}, err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO meeting_floor_events (meeting_id, n, seq, at, type, event) VALUES (?, ?, ?, ?, ?, ?)",
		m.ID, n+1, led.Seq, e.At, string(e.Type), string(raw)); err != nil {
		return floor.Event{}, err
	}
	for _, t := range st.Turns()[turns:] {
		if err := s.insertIntervention(ctx, tx, sc.Forum.ID, m.ID, t, led.Seq); err != nil {
			return floor.Event{}, err
		}
	}
	if e.Type == floor.Ruled {
		if _, err := tx.ExecContext(ctx, "UPDATE meeting_interventions SET ruling = ? WHERE id = ? AND meeting_id = ?", e.Ruling, e.ID, m.ID); err != nil {
			return floor.Event{}, err
		}
	}
	return e, nil
}

func (s *Service) insertIntervention(ctx context.Context, tx *store.Tx, forumID, meetingID string, t floor.Turn, seq int64) error {
	pauses := t.Pauses
	if pauses == nil {
		pauses = []floor.Pause{}
	}
	raw, err := json.Marshal(pauses)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO meeting_interventions (id, meeting_id, forum_id, item_id, kind, speaker, speaker_name,
		party_id, party_name, group_key, group_name, on_behalf, origin, hub, provision, reply_to, requested_at, given_at, started_at,
		ended_at, pauses, spoken_ms, limit_s, overtime_ms, ruling, reason, seq)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, meetingID, forumID, t.Item, string(t.Kind), t.Speaker, t.Name, t.Party, t.PartyName, t.Group, t.GroupName, t.OnBehalf,
		string(t.Origin), t.Hub, t.Provision, t.ReplyTo, t.At, t.GivenAt, t.StartedAt, t.EndedAt, string(raw),
		t.Spoken(t.EndedAt), t.Limit, t.Overtime(t.EndedAt), t.Ruling, t.Reason, seq)
	return err
}

// openFloorItem records that an agenda item came under discussion, in the
// transaction of SetCurrentItem: the queue restarts its rotation and
// alternation and reopens its list on the item. Moving to no item records
// nothing.
func (s *Service) openFloorItem(ctx context.Context, tx *store.Tx, sc *forum.Scope, m Meeting, it AgendaItem) error {
	if it.ID == "" {
		return nil
	}
	st, count, err := s.floorState(ctx, tx, m.ID)
	if err != nil {
		return err
	}
	if st.Item() == it.ID {
		return nil
	}
	_, err = s.appendFloor(ctx, tx, sc, m, st, count, floorStep{
		event: floor.Event{Type: floor.ItemOpened, Item: it.ID},
		human: map[string]any{"item_number": it.Number, "item_title": it.Title}})
	return err
}

// ConfigureFloor sets the meeting's order policy. Whoever may manage the
// floor may. With drawing by lots and no seed, a random seed is drawn
// here and recorded, so that anyone can recompute the order.
func (s *Service) ConfigureFloor(ctx context.Context, sc *forum.Scope, ref string, p floor.Policy) (floor.Policy, error) {
	if p.Lots && p.Seed == 0 {
		var b [8]byte
		if _, err := rand.Read(b[:]); err != nil {
			return floor.Policy{}, err
		}
		p.Seed = binary.BigEndian.Uint64(b[:]) >> 11 // exact in JSON numbers
		if p.Seed == 0 {
			p.Seed = 1
		}
	}
	switch a := p.Alternate; {
	case a.Room == 0 && a.Remote > 0:
		return floor.Policy{}, plenary.Invalid("alternate.room", "alternating slots need at least one room slot (or no remote slot)")
	case a.Remote == 0 && a.Room > 0:
		return floor.Policy{}, plenary.Invalid("alternate.remote", "alternating slots need at least one remote slot (or no room slot)")
	}
	if err := p.Validate(); err != nil {
		return floor.Policy{}, err
	}
	_, err := s.floorCommand(ctx, sc, ref, "meetings.ConfigureFloor", floor.Configured, func(tx *store.Tx, sc *forum.Scope, m Meeting, st *floor.State) (floorStep, error) {
		if err := mayManageFloor(ctx, sc); err != nil {
			return floorStep{}, err
		}
		return floorStep{event: floor.Event{Policy: &p}, human: map[string]any{"policy_text": p.Describe()}}, nil
	})
	return p, err
}

// RequestFloor makes a request for the floor (see RequestInput for who
// may ask). Requests are taken while the meeting is scheduled or sitting.
// It returns the request as recorded.
func (s *Service) RequestFloor(ctx context.Context, sc *forum.Scope, ref string, in RequestInput) (floor.Request, error) {
	if in.Kind == "" {
		in.Kind = floor.Speak
	}
	valid := false
	for _, k := range floor.Kinds() {
		valid = valid || k == in.Kind
	}
	if !valid {
		return floor.Request{}, plenary.Invalid("kind", "must be speak, point_of_order, reply or question")
	}
	var err error
	for _, f := range []struct {
		name string
		v    *string
	}{{"provision", &in.Provision}, {"reply_to", &in.ReplyTo}, {"on_behalf", &in.OnBehalf}, {"party", &in.Party},
		{"for", &in.For}, {"hub", &in.Hub}, {"group", &in.Group}} {
		if *f.v, err = forum.CheckLine(f.name, strings.TrimSpace(*f.v), MaxLine); err != nil {
			return floor.Request{}, err
		}
	}
	who := 0
	for _, b := range []bool{in.For != "", in.Hub != "", in.Guest != nil} {
		if b {
			who++
		}
	}
	if who > 1 {
		return floor.Request{}, plenary.Invalid("for", "name at most one of for, hub and guest")
	}
	if in.Guest != nil {
		if in.Guest.Name, err = forum.CheckLine("guest.name", strings.TrimSpace(in.Guest.Name), MaxLine); err != nil {
			return floor.Request{}, err
		}
		if in.Guest.Name == "" {
			return floor.Request{}, plenary.Invalid("guest.name", "is required: who will speak")
		}
		in.Guest.Party, in.Guest.Group = strings.TrimSpace(in.Guest.Party), strings.TrimSpace(in.Guest.Group)
	}
	var req floor.Request
	_, err = s.floorCommand(ctx, sc, ref, "meetings.RequestFloor", floor.Requested, func(tx *store.Tx, sc *forum.Scope, m Meeting, st *floor.State) (floorStep, error) {
		r, err := s.whoAsks(ctx, tx, sc, m, in)
		if err != nil {
			return floorStep{}, err
		}
		r.ID = plenary.NewID()
		r.Kind, r.Provision, r.ReplyTo, r.OnBehalf = in.Kind, in.Provision, in.ReplyTo, in.OnBehalf
		req = r
		return floorStep{event: floor.Event{Request: &r}, human: map[string]any{"name": r.Name, "party_name": r.PartyName,
			"group_name": r.GroupName, "origin": string(r.Origin), "hub": r.Hub, "kind": string(r.Kind), "item": st.Item()}}, nil
	})
	if err != nil {
		return floor.Request{}, err
	}
	return req, nil
}

// action is the right a kind of request takes.
func action(k floor.Kind) rules.Action {
	if k == floor.PointOfOrder {
		return rules.PointOfOrder
	}
	return rules.AskFloor
}

// rank is protocol precedence from a capacity: heads of delegation 2,
// delegates and advisers of Member States 3, observers and guests 5,
// other participants 4.
func rank(role, group string) int {
	switch {
	case role == string(rules.RoleHeadOfDelegation):
		return floor.RankHeadOfDelegation
	case group == rules.GroupObserver || group == rules.GroupGuest || role == string(rules.RoleObserver) || role == string(rules.RoleGuest):
		return floor.RankObserver
	case group == rules.GroupMemberState && (role == string(rules.RoleDelegate) || role == string(rules.RoleAdviser)):
		return floor.RankMemberStateDelegate
	}
	return floor.RankParticipant
}

// originOf is where a registered person speaks from in meeting m: from
// their attendance in it when they checked in, else from their
// registration's mode.
func (s *Service) originOf(ctx context.Context, q store.Querier, m Meeting, regID, mode string) (floor.Origin, string, error) {
	var amode, hub string
	err := q.QueryRowContext(ctx, `SELECT a.mode, COALESCE(h.name, '') FROM meeting_attendance a LEFT JOIN meeting_hubs h ON h.id = a.hub_id
		WHERE a.meeting_id = ? AND a.registration_id = ? AND a.present = ?`, m.ID, regID, true).Scan(&amode, &hub)
	if err == nil {
		switch amode {
		case ModeHub:
			return floor.Hub, hub, nil
		case ModeRemote:
			return floor.Remote, "", nil
		}
		return floor.Room, "", nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", "", err
	}
	if mode == string(rules.Remote) {
		return floor.Remote, "", nil
	}
	return floor.Room, "", nil
}

// whoAsks checks the rights of a request and says who will speak, for
// whom and from where.
func (s *Service) whoAsks(ctx context.Context, tx *store.Tx, sc *forum.Scope, m Meeting, in RequestInput) (floor.Request, error) {
	act := action(in.Kind)
	groups, err := sc.Groups(ctx)
	if err != nil {
		return floor.Request{}, err
	}
	manages := func() (bool, error) {
		if !sc.Actor.LoggedIn() {
			return false, nil
		}
		return sc.May(ctx, rules.ManageFloor, "")
	}
	var r floor.Request
	switch {
	case in.Guest != nil:
		if err := mayManageFloor(ctx, sc); err != nil {
			return r, err
		}
		g := *in.Guest
		r = floor.Request{Speaker: "guest:" + g.Name, Name: g.Name, Origin: floor.Room, By: sc.Actor.UserID, Rank: floor.RankObserver}
		if g.Party != "" {
			p, err := sc.Party(ctx, g.Party)
			if err != nil {
				return r, plenary.Invalid("guest.party", "no party %q in this forum", g.Party)
			}
			r.Party, r.PartyName, r.Group = p.ID, p.Name, p.Group
		}
		if g.Group != "" {
			if _, ok := groups.Find(g.Group); !ok {
				return r, plenary.Invalid("guest.group", "no stakeholder group %q in this forum", g.Group)
			}
			r.Group = g.Group
		}
		if r.Group == "" {
			return r, plenary.Invalid("guest.group", "is required: the stakeholder group of the guest (or a party)")
		}
	case in.Hub != "":
		hubs, err := s.hubs(ctx, tx, m.ID)
		if err != nil {
			return r, err
		}
		var h Hub
		for _, x := range hubs {
			if x.ID == in.Hub {
				h = x
			}
		}
		if h.ID == "" {
			return r, plenary.Invalid("hub", "meeting %s has no hub %q", m.Number, in.Hub)
		}
		ok, err := manages()
		if err != nil {
			return r, err
		}
		var modGroup string
		if h.ModeratorRegistration != "" {
			mod, err := s.participation.RegistrationIn(ctx, tx, sc.Forum, h.ModeratorRegistration)
			if err == nil {
				modGroup = mod.Group
				ok = ok || (sc.Actor.LoggedIn() && mod.UserID == sc.Actor.UserID && mod.State == "approved")
			}
		}
		if !ok {
			if err := forum.RequireLogin(sc.Actor); err != nil {
				return r, err
			}
			return r, plenary.Forbidden("only the moderator of the hub %s, the chair or the secretariat may ask for the floor for it", h.Name)
		}
		r = floor.Request{Speaker: "hub:" + h.ID, Name: h.Name, Origin: floor.Hub, Hub: h.Name, By: sc.Actor.UserID,
			Group: modGroup, Rank: floor.RankParticipant}
		if in.Group != "" {
			if _, ok := groups.Find(in.Group); !ok {
				return r, plenary.Invalid("group", "no stakeholder group %q in this forum", in.Group)
			}
			r.Group = in.Group
		}
	case in.For != "":
		if err := forum.RequireLogin(sc.Actor); err != nil {
			return r, err
		}
		ok, err := manages()
		if err != nil {
			return r, err
		}
		if !ok {
			c, err := sc.Authorize(ctx, rules.AskFloor, "")
			if err != nil || c.Role != string(rules.RoleRemoteModerator) {
				return r, plenary.Forbidden("only a remote moderator, the chair or the secretariat may ask for the floor for a remote participant")
			}
		}
		reg, err := s.participation.RegistrationIn(ctx, tx, sc.Forum, in.For)
		if err != nil || reg.State != "approved" || reg.UserID == "" {
			return r, plenary.Invalid("for", "no approved registration %q in this forum", in.For)
		}
		origin, hub, err := s.originOf(ctx, tx, m, reg.ID, string(reg.Mode))
		if err != nil {
			return r, err
		}
		if origin == floor.Room && !ok {
			return r, plenary.Invalid("for", "%s takes part in the room: a remote moderator relays the requests of remote participants", reg.Name)
		}
		// The relayed person's own rights, in their group, role and mode.
		if _, err := sc.As(forum.Actor{UserID: reg.UserID, Name: reg.Name}).Authorize(ctx, act, reg.PartyID); err != nil {
			return r, err
		}
		r = floor.Request{Speaker: reg.ID, Name: reg.Name, Party: reg.PartyID, PartyName: reg.PartyName, Group: reg.Group,
			Origin: origin, Hub: hub, By: sc.Actor.UserID, Rank: rank(string(reg.Role), reg.Group)}
	default:
		c, err := sc.Authorize(ctx, act, in.Party)
		if err != nil {
			return r, err
		}
		origin, hub, err := s.originOf(ctx, tx, m, c.RegistrationID, c.Mode)
		if err != nil {
			return r, err
		}
		speaker := c.RegistrationID
		if speaker == "" {
			speaker = "user:" + sc.Actor.UserID
		}
		r = floor.Request{Speaker: speaker, Name: sc.Actor.Name, Party: c.PartyID, PartyName: c.PartyName, Group: c.Group,
			Origin: origin, Hub: hub, Rank: rank(c.Role, c.Group)}
	}
	if r.Group != "" {
		r.GroupName = groups.Lookup(r.Group).Name
	}
	if in.Minister {
		if err := mayManageFloor(ctx, sc); err != nil {
			return r, plenary.Invalid("minister", "only the chair or the secretariat may rank a speaker as a minister")
		}
		r.Rank = floor.RankMinister
	}
	return r, nil
}

// mayWithdraw: the requester, whoever relayed the request, or whoever
// may manage the floor.
func (s *Service) mayWithdraw(ctx context.Context, q store.Querier, sc *forum.Scope, m Meeting, r floor.Request) error {
	if err := forum.RequireLogin(sc.Actor); err != nil {
		return err
	}
	if r.By != "" && r.By == sc.Actor.UserID {
		return nil
	}
	if r.Speaker == "user:"+sc.Actor.UserID {
		return nil
	}
	regs, err := s.participation.ApprovedRegistrationsOf(ctx, q, sc.Forum, sc.Actor.UserID)
	if err != nil {
		return err
	}
	for _, reg := range regs {
		if reg.ID == r.Speaker {
			return nil
		}
	}
	if strings.HasPrefix(r.Speaker, "hub:") {
		hubs, err := s.hubs(ctx, q, m.ID)
		if err != nil {
			return err
		}
		for _, h := range hubs {
			for _, reg := range regs {
				if "hub:"+h.ID == r.Speaker && h.ModeratorRegistration == reg.ID {
					return nil
				}
			}
		}
	}
	if err := mayManageFloor(ctx, sc); err != nil {
		return plenary.Forbidden("only the person who asked for the floor, whoever relayed the request, the chair or the secretariat may withdraw it")
	}
	return nil
}

// WithdrawRequest withdraws a waiting request.
func (s *Service) WithdrawRequest(ctx context.Context, sc *forum.Scope, ref, id string) error {
	_, err := s.floorCommand(ctx, sc, ref, "meetings.WithdrawRequest", floor.Withdrawn, func(tx *store.Tx, sc *forum.Scope, m Meeting, st *floor.State) (floorStep, error) {
		r, ok := st.Request(id)
		if !ok {
			return floorStep{}, plenary.NotFound("there is no request %q in meeting %s", id, m.Number)
		}
		if err := s.mayWithdraw(ctx, tx, sc, m, r); err != nil {
			return floorStep{}, err
		}
		return floorStep{event: floor.Event{ID: id}, human: requestFields(r)}, nil
	})
	return err
}

func requestFields(r floor.Request) map[string]any {
	return map[string]any{"name": r.Name, "party_name": r.PartyName, "origin": string(r.Origin), "hub": r.Hub, "kind": string(r.Kind)}
}

// chairCommand is a queue command of whoever may manage the floor.
func (s *Service) chairCommand(ctx context.Context, sc *forum.Scope, ref, name string, e floor.Event) (floor.Event, error) {
	var err error
	if e.Reason, err = forum.CheckLine("reason", strings.TrimSpace(e.Reason), MaxReason); err != nil {
		return floor.Event{}, err
	}
	if e.Ruling, err = forum.CheckText("ruling", strings.TrimSpace(e.Ruling), MaxRuling); err != nil {
		return floor.Event{}, err
	}
	if e.ID, err = forum.CheckLine("id", strings.TrimSpace(e.ID), MaxLine); err != nil {
		return floor.Event{}, err
	}
	return s.floorCommand(ctx, sc, ref, name, e.Type, func(tx *store.Tx, sc *forum.Scope, m Meeting, st *floor.State) (floorStep, error) {
		if err := mayManageFloor(ctx, sc); err != nil {
			return floorStep{}, err
		}
		human := map[string]any{}
		id := e.ID
		if id == "" {
			if c, ok := st.Current(); ok {
				id = c.ID
			}
		}
		if r, ok := st.Request(id); ok {
			human = requestFields(r)
		}
		return floorStep{event: e, human: human}, nil
	})
}

// MoveRequest places a waiting request at a position of the order (1 is
// first), with a reason on the record.
func (s *Service) MoveRequest(ctx context.Context, sc *forum.Scope, ref, id string, to int, reason string) error {
	_, err := s.chairCommand(ctx, sc, ref, "meetings.MoveRequest", floor.Event{Type: floor.Moved, ID: id, To: to, Reason: reason})
	return err
}

// RemoveRequest removes a waiting request, with a reason on the record.
func (s *Service) RemoveRequest(ctx context.Context, sc *forum.Scope, ref, id, reason string) error {
	_, err := s.chairCommand(ctx, sc, ref, "meetings.RemoveRequest", floor.Event{Type: floor.Removed, ID: id, Reason: reason})
	return err
}

// CloseList closes the list of speakers: only points of order and rights
// of reply are taken after.
func (s *Service) CloseList(ctx context.Context, sc *forum.Scope, ref string) error {
	_, err := s.chairCommand(ctx, sc, ref, "meetings.CloseList", floor.Event{Type: floor.Closed})
	return err
}

// ReopenList reopens the list of speakers.
func (s *Service) ReopenList(ctx context.Context, sc *forum.Scope, ref string) error {
	_, err := s.chairCommand(ctx, sc, ref, "meetings.ReopenList", floor.Event{Type: floor.Reopened})
	return err
}

// GiveFloor gives the floor to a waiting request on the item under
// discussion, while the meeting is in session.
func (s *Service) GiveFloor(ctx context.Context, sc *forum.Scope, ref, id string) error {
	if strings.TrimSpace(id) == "" {
		return plenary.Invalid("id", "name the request given the floor")
	}
	_, err := s.chairCommand(ctx, sc, ref, "meetings.GiveFloor", floor.Event{Type: floor.Given, ID: id})
	return err
}

// StartClock starts the clock of the turn at the floor.
func (s *Service) StartClock(ctx context.Context, sc *forum.Scope, ref string) error {
	_, err := s.chairCommand(ctx, sc, ref, "meetings.StartClock", floor.Event{Type: floor.Started})
	return err
}

// PauseClock pauses it.
func (s *Service) PauseClock(ctx context.Context, sc *forum.Scope, ref string) error {
	_, err := s.chairCommand(ctx, sc, ref, "meetings.PauseClock", floor.Event{Type: floor.Paused})
	return err
}

// ResumeClock resumes it.
func (s *Service) ResumeClock(ctx context.Context, sc *forum.Scope, ref string) error {
	_, err := s.chairCommand(ctx, sc, ref, "meetings.ResumeClock", floor.Event{Type: floor.Resumed})
	return err
}

// FinishTurn ends the turn at the floor, with an optional reason; it
// becomes an intervention.
func (s *Service) FinishTurn(ctx context.Context, sc *forum.Scope, ref, reason string) error {
	_, err := s.chairCommand(ctx, sc, ref, "meetings.FinishTurn", floor.Event{Type: floor.Finished, Reason: reason})
	return err
}

// RuleOnPointOfOrder records the chair's ruling on a point of order that
// was given the floor.
func (s *Service) RuleOnPointOfOrder(ctx context.Context, sc *forum.Scope, ref, id, ruling string) error {
	if strings.TrimSpace(ruling) == "" {
		return plenary.Invalid("ruling", "write the chair's ruling")
	}
	_, err := s.chairCommand(ctx, sc, ref, "meetings.RuleOnPointOfOrder", floor.Event{Type: floor.Ruled, ID: id, Ruling: ruling})
	return err
}
