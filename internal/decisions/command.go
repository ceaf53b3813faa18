package decisions

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"sync"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// row is a decision's row.
type row struct {
	ID, ForumID, MeetingID, ItemID string
	Kind                           decide.Kind
	Title, Note, DraftID           string
	Revision                       int
	PackageID                      string
	Closed                         bool
	Outcome                        decide.Outcome
	DocumentID, CreatedBy          string
	OpenedAt, ClosedAt             int64
}

const rowColumns = `id, forum_id, meeting_id, item_id, kind, title, note, draft_id, revision, package_id, closed, outcome,
	document_id, created_by, opened_at, closed_at`

func scanRow(sc interface{ Scan(...any) error }) (row, error) {
	var r row
	var kind, outcome string
	err := sc.Scan(&r.ID, &r.ForumID, &r.MeetingID, &r.ItemID, &kind, &r.Title, &r.Note, &r.DraftID, &r.Revision, &r.PackageID,
		&r.Closed, &outcome, &r.DocumentID, &r.CreatedBy, &r.OpenedAt, &r.ClosedAt)
	r.Kind, r.Outcome = decide.Kind(kind), decide.Outcome(outcome)
	return r, err
}

func (s *Service) row(ctx context.Context, q store.Querier, forumID, id string) (row, error) {
	if !forum.IsRef(id) || id == "" {
		return row{}, plenary.NotFound("no decision %q in this forum", id)
	}
	r, err := scanRow(q.QueryRowContext(ctx, "SELECT "+rowColumns+" FROM decisions WHERE id = ? AND forum_id = ?", id, forumID))
	if errors.Is(err, sql.ErrNoRows) {
		return row{}, plenary.NotFound("no decision %q in this forum", id)
	}
	return r, err
}

// state is a decision's fold: one of c, st, v by its kind.
type state struct {
	kind decide.Kind
	c    *decide.Consensus
	st   *decide.Straw
	v    *decide.Voting
	n    int
	seqs []int64
}

func newState(k decide.Kind) *state {
	switch k {
	case decide.ConsensusCall:
		return &state{kind: k, c: decide.NewConsensus()}
	case decide.StrawPoll:
		return &state{kind: k, st: decide.NewStraw()}
	}
	return &state{kind: k, v: decide.NewVoting()}
}

func (st *state) apply(raw []byte) (any, error) {
	switch st.kind {
	case decide.ConsensusCall:
		var e decide.ConsensusEvent
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, err
		}
		return e, st.c.Apply(e)
	case decide.StrawPoll:
		var e decide.StrawEvent
		if err := json.Unmarshal(raw, &e); err != nil {
			return nil, err
		}
		return e, st.st.Apply(e)
	}
	var e decide.VoteEvent
	if err := json.Unmarshal(raw, &e); err != nil {
		return nil, err
	}
	return e, st.v.Apply(e)
}

// applyEvent applies a new event of the decision's kind.
func (st *state) applyEvent(e any) error {
	switch x := e.(type) {
	case decide.ConsensusEvent:
		return st.c.Apply(x)
	case decide.StrawEvent:
		return st.st.Apply(x)
	case decide.VoteEvent:
		return st.v.Apply(x)
	}
	return errors.New("decisions: unknown event")
}

// catchUp applies the events recorded after the first st.n.
func (s *Service) catchUp(ctx context.Context, q store.Querier, id string, st *state) error {
	rows, err := q.QueryContext(ctx, "SELECT n, seq, event FROM decision_events WHERE decision_id = ? AND n > ? ORDER BY n", id, st.n)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		var seq int64
		var raw string
		if err := rows.Scan(&n, &seq, &raw); err != nil {
			return err
		}
		if _, err := st.apply([]byte(raw)); err != nil {
			return err
		}
		st.n = n
		st.seqs = append(st.seqs, seq)
	}
	return rows.Err()
}

// load replays a decision from its events, for a read.
func (s *Service) load(ctx context.Context, q store.Querier, r row) (*state, error) {
	st := newState(r.Kind)
	return st, s.catchUp(ctx, q, r.ID, st)
}

// memo keeps each decision's fold after its events so far, so that a
// command applies only the events recorded since, not the whole decision
// (a secret ballot of 10,000 voters would otherwise replay its casts for
// every cast). An entry is used under its own lock by one command at a
// time, and dropped when a command fails, to be replayed when next needed.
type memo struct {
	mu sync.Mutex
	m  map[string]*memoEntry
}

type memoEntry struct {
	mu sync.Mutex
	st *state
}

const memoDecisions = 1024

func (m *memo) entry(id string) *memoEntry {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]*memoEntry{}
	}
	e, ok := m.m[id]
	if !ok {
		if len(m.m) >= memoDecisions {
			for k := range m.m {
				delete(m.m, k)
				break
			}
		}
		e = &memoEntry{}
		m.m[id] = e
	}
	return e
}

// step is what a command adds: the event of decide (its At is set here),
// the human fields of its ledger payload, and what to do after it is
// applied, in the transaction.
type step struct {
	event any
	human map[string]any
	after func(tx *store.Tx, st *state, seq int64) error
}

// decisionCommand runs one command on a decision: lock its row, bring its
// fold up to date, let build make the event (authorizing inside the
// transaction), apply it at the server's clock and record it.
func (s *Service) decisionCommand(ctx context.Context, sc *forum.Scope, id, name, typ string,
	build func(tx *store.Tx, sc *forum.Scope, r row, m meetings.Meeting, st *state) (step, error)) error {
	old, err := s.row(ctx, sc.Querier(), sc.Forum.ID, id)
	if err != nil {
		return err
	}
	m, err := s.meetings.Meeting(ctx, sc, old.MeetingID)
	if err != nil {
		if plenary.ErrorCode(err) == plenary.CodeNotFound {
			return plenary.NotFound("no decision %q in this forum", id)
		}
		return err
	}
	e := s.memo.entry(old.ID)
	e.mu.Lock()
	defer e.mu.Unlock()
	var final *state
	err = s.kernel.Command(ctx, sc, name, func(tx *store.Tx, sc *forum.Scope) error {
		if _, err := tx.ExecContext(ctx, "UPDATE decisions SET updated_at = ? WHERE id = ?", s.now().UnixMilli(), old.ID); err != nil {
			return err
		}
		r, err := s.row(ctx, tx, sc.Forum.ID, old.ID)
		if err != nil {
			return err
		}
		st := e.st
		if st == nil {
			st = newState(r.Kind)
		}
		e.st = nil // until the command commits
		if err := s.catchUp(ctx, tx, r.ID, st); err != nil {
			return err
		}
		sp, err := build(tx, sc, r, m, st)
		if err != nil {
			e.st = st // nothing applied: decide changes nothing on a refusal
			return err
		}
		if err := s.appendEvent(ctx, tx, sc, r, m, st, typ, sp); err != nil {
			return err
		}
		if sp.after != nil {
			if err := sp.after(tx, st, st.seqs[len(st.seqs)-1]); err != nil {
				return err
			}
		}
		final = st
		return nil
	})
	if err != nil {
		return err
	}
	e.st = final
	return nil
}

// appendEvent stamps, applies and records one event.
func (s *Service) appendEvent(ctx context.Context, tx *store.Tx, sc *forum.Scope, r row, m meetings.Meeting, st *state, typ string, sp step) error {
	at := s.now().UnixMilli()
	var ev any
	switch x := sp.event.(type) {
	case decide.ConsensusEvent:
		x.At = at
		ev = x
	case decide.StrawEvent:
		x.At = at
		ev = x
	case decide.VoteEvent:
		x.At = at
		ev = x
	}
	if err := st.applyEvent(ev); err != nil {
		return err
	}
	payload := map[string]any{"meeting": m.ID, "number": m.Number, "decision": r.ID, "kind": string(r.Kind), "title": r.Title}
	for k, v := range sp.human {
		payload[k] = v
	}
	led, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "decision."+typ, m.Visibility(), payload)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	st.n++
	st.seqs = append(st.seqs, led.Seq)
	_, err = tx.ExecContext(ctx, "INSERT INTO decision_events (decision_id, n, seq, at, type, event) VALUES (?, ?, ?, ?, ?, ?)",
		r.ID, st.n, led.Seq, at, typ, string(raw))
	return err
}

// opened is a decision about to be opened: its row and meeting.
type opened struct {
	row
	subject decide.Subject
	meeting meetings.Meeting
	item    meetings.AgendaItem
}

// checkOpen validates what every decision opens with, reading the meeting
// and the subject. It does not authorize.
func (s *Service) checkOpen(ctx context.Context, sc *forum.Scope, kind decide.Kind, in OpenInput, subjectRequired bool) (opened, error) {
	var o opened
	var err error
	if in.Title, err = forum.CheckName("title", strings.TrimSpace(in.Title), MaxTitle); err != nil {
		return o, err
	}
	if in.Title == "" {
		return o, plenary.Invalid("title", "is required: what the decision is on, in a few words")
	}
	if in.Note, err = forum.CheckText("note", strings.TrimSpace(in.Note), MaxText); err != nil {
		return o, err
	}
	if strings.TrimSpace(in.Meeting) == "" {
		return o, plenary.Invalid("meeting", "is required: the meeting the decision is taken in")
	}
	m, err := s.meetings.Meeting(ctx, sc, strings.TrimSpace(in.Meeting))
	if err != nil {
		if plenary.ErrorCode(err) == plenary.CodeNotFound {
			return o, plenary.Invalid("meeting", "no meeting %q in this forum", in.Meeting)
		}
		return o, err
	}
	if !m.Sitting() {
		return o, plenary.Conflict("meeting %s is %s; decisions are taken while it sits", m.Number, strings.ToLower(m.StateLabel()))
	}
	o.meeting = m
	findItem := func(field, ref string) (meetings.AgendaItem, error) {
		for _, it := range m.Agenda {
			if it.ID == ref || it.Number == ref {
				return it, nil
			}
		}
		return meetings.AgendaItem{}, plenary.Invalid(field, "meeting %s has no agenda item %q", m.Number, ref)
	}
	if in.Item = strings.TrimSpace(in.Item); in.Item != "" {
		if o.item, err = findItem("item", in.Item); err != nil {
			return o, err
		}
	}
	sub := in.Subject
	if subjectRequired && sub.Kind == "" && sub.Draft == "" && sub.Item == "" && sub.Text == "" && len(sub.Provisions) == 0 {
		return o, plenary.Invalid("subject", "is required: what is decided (a draft revision, provisions of it, an agenda item or a procedural question)")
	}
	if sub.Kind == "" && !subjectRequired {
		sub.Kind = decide.OnQuestion
		if strings.TrimSpace(sub.Text) == "" {
			sub.Text = in.Title
		}
	}
	if sub.Text, err = forum.CheckText("subject.text", strings.TrimSpace(sub.Text), MaxReason); err != nil {
		return o, err
	}
	for i, p := range sub.Provisions {
		if sub.Provisions[i], err = forum.CheckLine("subject.provisions", strings.TrimSpace(p), MaxLine); err != nil {
			return o, err
		}
	}
	subject := decide.Subject{Kind: sub.Kind, Provisions: dedupe(sub.Provisions), Text: sub.Text}
	switch sub.Kind {
	case decide.OnRevision, decide.OnProvisions:
		if strings.TrimSpace(sub.Draft) == "" {
			return o, plenary.Invalid("subject.draft", "name the draft text decided on")
		}
		dt, err := s.drafting.DraftText(ctx, sc, strings.TrimSpace(sub.Draft))
		if err != nil {
			return o, plenary.Invalid("subject.draft", "no draft text %q in this forum", sub.Draft)
		}
		rev := sub.Revision
		if rev == 0 {
			rev = dt.Revision
		}
		if err := dt.CheckRevision("subject.revision", rev); err != nil {
			return o, err
		}
		o.DraftID, o.Revision = dt.ID, rev
		subject.Ref = dt.Number + "#" + itoa(rev)
		for _, r := range dt.Revisions {
			if r.Revision == rev {
				subject.Ref = r.Label
			}
		}
	case decide.OnItem:
		ref := sub.Item
		if ref == "" {
			ref = in.Item
		}
		if ref == "" {
			return o, plenary.Invalid("subject.item", "name the agenda item decided on")
		}
		it, err := findItem("subject.item", ref)
		if err != nil {
			return o, err
		}
		subject.Ref = it.Number + " " + it.Title
		if o.item.ID == "" {
			o.item = it
		}
	}
	if err := subject.Validate(); err != nil {
		return o, err
	}
	o.subject = subject
	now := s.now().UnixMilli()
	o.row = row{ID: plenary.NewID(), ForumID: sc.Forum.ID, MeetingID: m.ID, ItemID: o.item.ID, Kind: kind, Title: in.Title,
		Note: in.Note, CreatedBy: sc.Actor.UserID, OpenedAt: now, Outcome: decide.Pending, DraftID: o.DraftID, Revision: o.Revision}
	return o, nil
}

// open inserts a decision and records its opening event.
func (s *Service) open(ctx context.Context, sc *forum.Scope, name string, o opened, authorize func(sc *forum.Scope) error,
	event func(id string) (any, map[string]any, error)) (row, error) {
	e := s.memo.entry(o.ID)
	e.mu.Lock()
	defer e.mu.Unlock()
	err := s.kernel.Command(ctx, sc, name, func(tx *store.Tx, sc *forum.Scope) error {
		if err := authorize(sc); err != nil {
			return err
		}
		r := o.row
		if _, err := tx.ExecContext(ctx, `INSERT INTO decisions (id, forum_id, meeting_id, item_id, kind, title, note, draft_id, revision,
			created_by, opened_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.ForumID, r.MeetingID, r.ItemID, string(r.Kind), r.Title, r.Note, r.DraftID, r.Revision, r.CreatedBy, r.OpenedAt, r.OpenedAt); err != nil {
			return err
		}
		ev, human, err := event(r.ID)
		if err != nil {
			return err
		}
		st := newState(r.Kind)
		if human == nil {
			human = map[string]any{}
		}
		human["subject"] = o.subject
		human["label"] = r.Kind.Label()
		human["binding"] = r.Kind.Binding()
		if o.item.ID != "" {
			human["item"], human["item_number"] = o.item.ID, o.item.Number
		}
		if err := s.appendEvent(ctx, tx, sc, r, o.meeting, st, "opened", step{event: ev, human: human}); err != nil {
			return err
		}
		e.st = st
		return nil
	})
	if err != nil {
		e.st = nil
		return row{}, err
	}
	return o.row, nil
}

// mayManageFloor is the chair's right: whoever may manage the floor
// calls, closes and counts decisions.
func mayManageFloor(ctx context.Context, sc *forum.Scope) error {
	_, err := sc.Authorize(ctx, rules.ManageFloor, "")
	return err
}

func dedupe(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
