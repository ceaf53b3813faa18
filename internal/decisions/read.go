package decisions

import (
	"context"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/rules"
)

// timeFormat writes a time of the record in the meeting's zone.
func timeFormat(m meetings.Meeting) func(ms int64) string {
	loc := m.Location()
	return func(ms int64) string {
		return time.UnixMilli(ms).In(loc).Format("2 January 2006 15:04 MST")
	}
}

// Decision reads one decision with everything a page shows: what it is,
// on what, where it stands, its objections, explanations, counts, tally
// and arithmetic (hidden while open when the vote hides its results),
// roll-call order, recorded votes, package and the ledger seqs of its
// events. Whoever may see its meeting may read it.
func (s *Service) Decision(ctx context.Context, sc *forum.Scope, id string) (Decision, error) {
	r, err := s.row(ctx, s.store, sc.Forum.ID, id)
	if err != nil {
		return Decision{}, err
	}
	m, err := s.meetings.Meeting(ctx, sc, r.MeetingID)
	if err != nil {
		if plenary.ErrorCode(err) == plenary.CodeNotFound {
			return Decision{}, plenary.NotFound("no decision %q in this forum", id)
		}
		return Decision{}, err
	}
	return s.decision(ctx, sc, r, m)
}

func (s *Service) decision(ctx context.Context, sc *forum.Scope, r row, m meetings.Meeting) (Decision, error) {
	st, err := s.load(ctx, s.store, r)
	if err != nil {
		return Decision{}, err
	}
	now := s.now().UnixMilli()
	d := Decision{ID: r.ID, MeetingID: m.ID, MeetingNumber: m.Number, Item: r.ItemID, Kind: r.Kind, Label: r.Kind.Label(),
		Binding: r.Kind.Binding(), Title: r.Title, Note: r.Note, Draft: r.DraftID, Revision: r.Revision, Open: !r.Closed,
		Outcome: r.Outcome, Seqs: st.seqs, OpenedAt: time.UnixMilli(r.OpenedAt).UTC()}
	if d.Seqs == nil {
		d.Seqs = []int64{}
	}
	if r.Closed {
		t := time.UnixMilli(r.ClosedAt).UTC()
		d.ClosedAt = &t
	}
	switch r.Kind {
	case decide.ConsensusCall:
		st.c.SetTimeFormat(timeFormat(m))
		res := st.c.Result(now)
		d.Consensus = &res
		d.Subject = res.Subject
		d.Status = res.Status
		d.Outcome = res.Outcome
	case decide.StrawPoll:
		res := st.st.Result()
		d.Straw = &res
		if p := st.st.Poll(); p.Subject != nil {
			d.Subject = *p.Subject
		}
		d.Outcome = decide.Pending
		d.Status = decide.StrawNotice
		d.Open = !st.st.Closed()
	default:
		v := st.v.Vote()
		vv := &VoteView{Method: v.Rules.Method, MethodLabel: v.Rules.Method.Label(), Rules: v.Rules, RuleLabel: v.Rules.Majority.Label(),
			Seed: v.Seed}
		if letter, order := st.v.Order(); letter != 0 {
			vv.Letter, vv.Order = string(letter), order
		}
		vv.Voters = st.v.Voters()
		d.Subject = v.Subject
		if st.v.Closed() {
			res, err := st.v.Result()
			if err != nil {
				return Decision{}, err
			}
			vv.Result = &res
			d.Status = res.Arithmetic.Sentence
		} else {
			p := st.v.View()
			vv.Progress = &p
			d.Status = p.Sentence
		}
		d.Vote = vv
	}
	d.SubjectLabel = d.Subject.Kind.Label()
	if d.Subject.Ref != "" {
		d.SubjectLabel += ": " + d.Subject.Ref
	}
	if r.PackageID != "" {
		pk, err := s.packageRow(ctx, s.store, sc.Forum.ID, r.PackageID)
		if err != nil {
			return Decision{}, err
		}
		d.Package = &PackageRef{ID: pk.ID, Name: pk.Name, Outcome: pk.Outcome, OutcomeLabel: pk.Outcome.Label(), Provisional: decide.Provisional(pk.Outcome)}
		if r.Kind.Binding() {
			d.Outcome = decide.PackageOutcome([]decide.Outcome{d.Outcome}, pk.Outcome)[0]
			if !d.Open {
				d.Status += " " + decide.PackageStatus(r.Outcome, pk.Name, pk.Outcome) + "."
			}
		}
	}
	d.OutcomeLabel = d.Outcome.Label()
	if r.DocumentID != "" {
		var num string
		if err := s.store.QueryRowContext(ctx, "SELECT number FROM documents WHERE id = ?", r.DocumentID).Scan(&num); err == nil {
			d.Document = &DocumentRef{ID: r.DocumentID, Number: num}
		}
	}
	return d, nil
}

// Decisions lists the decisions of the forum that the reader may see, in
// the order they were opened, optionally of one meeting and one agenda
// item of it.
func (s *Service) Decisions(ctx context.Context, sc *forum.Scope, f Filter) ([]Decision, error) {
	q := "SELECT " + rowColumns + " FROM decisions WHERE forum_id = ?"
	args := []any{sc.Forum.ID}
	var only *meetings.Meeting
	if f.Meeting = strings.TrimSpace(f.Meeting); f.Meeting != "" {
		m, err := s.meetings.Meeting(ctx, sc, f.Meeting)
		if err != nil {
			return nil, err
		}
		only = &m
		q += " AND meeting_id = ?"
		args = append(args, m.ID)
	}
	if f.Item = strings.TrimSpace(f.Item); f.Item != "" {
		q += " AND item_id = ?"
		args = append(args, f.Item)
	}
	rows, err := s.store.QueryContext(ctx, q+" ORDER BY opened_at, id", args...)
	if err != nil {
		return nil, err
	}
	var rs []row
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		rs = append(rs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []Decision{}
	seen := map[string]*meetings.Meeting{}
	for _, r := range rs {
		m := only
		if m == nil {
			if x, ok := seen[r.MeetingID]; ok {
				m = x
			} else {
				mm, err := s.meetings.Meeting(ctx, sc, r.MeetingID)
				if err != nil && plenary.ErrorCode(err) != plenary.CodeNotFound {
					return nil, err
				}
				if err == nil {
					m = &mm
				}
				seen[r.MeetingID] = m
			}
		}
		if m == nil {
			continue // a closed meeting the reader may not see
		}
		d, err := s.decision(ctx, sc, r, *m)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// MeetingDecisions lists a meeting's decisions in the order opened, for
// its live page and its minutes.
func (s *Service) MeetingDecisions(ctx context.Context, sc *forum.Scope, meetingID string) ([]Decision, error) {
	if strings.TrimSpace(meetingID) == "" {
		return nil, plenary.Invalid("meeting", "name the meeting")
	}
	return s.Decisions(ctx, sc, Filter{Meeting: meetingID})
}

// MayCallDecisions reports whether the actor may open, count and close
// decisions (consensus calls, straw polls, votes) and packages: whoever
// may manage the floor.
func (s *Service) MayCallDecisions(ctx context.Context, sc *forum.Scope) (bool, error) {
	if !sc.Actor.LoggedIn() {
		return false, nil
	}
	return forum.Allowed(mayManageFloor(ctx, sc))
}

// MayObject reports whether the actor may object to consensus (for its
// own party).
func (s *Service) MayObject(ctx context.Context, sc *forum.Scope) (bool, error) {
	if !sc.Actor.LoggedIn() {
		return false, nil
	}
	_, err := sc.Authorize(ctx, rules.ObjectConsensus, "")
	return forum.Allowed(err)
}

// MayVote reports whether the actor holds the rights matrix's vote right
// for its party. Whether a given vote takes its ballot (credentials,
// presence, one vote per party) is said when it casts.
func (s *Service) MayVote(ctx context.Context, sc *forum.Scope) (bool, error) {
	if !sc.Actor.LoggedIn() {
		return false, nil
	}
	_, err := sc.Authorize(ctx, rules.Vote, "")
	return forum.Allowed(err)
}

// MayAnswerStrawPoll reports whether the actor may answer straw polls
// from a device: a participant with an approved registration.
func (s *Service) MayAnswerStrawPoll(ctx context.Context, sc *forum.Scope) (bool, error) {
	if !sc.Actor.LoggedIn() {
		return false, nil
	}
	regs, err := s.participation.ApprovedRegistrationsOf(ctx, s.store, sc.Forum, sc.Actor.UserID)
	return len(regs) > 0, err
}
