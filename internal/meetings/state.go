package meetings

import (
	"context"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// mayManageFloor is the right to run a meeting: change its state, move
// through its agenda and change the agenda. The chair and the secretariat
// hold it (rules.ManageFloor).
func mayManageFloor(ctx context.Context, sc *forum.Scope) error {
	_, err := sc.Authorize(ctx, rules.ManageFloor, "")
	return err
}

// MayManageFloor reports whether the actor may run the forum's meetings.
func (s *Service) MayManageFloor(ctx context.Context, sc *forum.Scope) (bool, error) {
	if !sc.Actor.LoggedIn() {
		return false, nil
	}
	ok, err := sc.May(ctx, rules.ManageFloor, "")
	return ok, err
}

// MaySchedule reports whether the actor may schedule and edit meetings
// and their hubs: the forum's secretariat.
func (s *Service) MaySchedule(ctx context.Context, sc *forum.Scope) (bool, error) {
	return forum.Allowed(sc.RequireSecretariat(ctx))
}

// ChangeState makes one of the transitions of a meeting (Transitions, by
// its action: open, suspend, resume, adjourn, close, cancel), with a
// reason on the record (required to cancel). Whoever may manage the floor
// may. A change not allowed from the current state is refused naming the
// state and the changes allowed.
func (s *Service) ChangeState(ctx context.Context, sc *forum.Scope, ref, action, reason string) (Meeting, error) {
	t, ok := TransitionByAction(strings.TrimSpace(action))
	if !ok {
		return Meeting{}, plenary.Invalid("action", "must be one of open, suspend, resume, adjourn, close, cancel")
	}
	reason, err := forum.CheckLine("reason", strings.TrimSpace(reason), MaxReason)
	if err != nil {
		return Meeting{}, err
	}
	if t.NeedsReason && reason == "" {
		return Meeting{}, plenary.Invalid("reason", "is required to %s the meeting", t.Action)
	}
	if err := mayManageFloor(ctx, sc); err != nil {
		return Meeting{}, err
	}
	old, err := s.meeting(ctx, sc.Querier(), sc.Forum.ID, ref)
	if err != nil {
		return Meeting{}, err
	}
	var m Meeting
	err = s.kernel.Command(ctx, sc, "meetings.ChangeState", func(tx *store.Tx, sc *forum.Scope) error {
		m, err = s.lockMeeting(ctx, tx, sc.Forum.ID, old.ID)
		if err != nil {
			return err
		}
		allowed := false
		for _, f := range t.From {
			allowed = allowed || f == m.State
		}
		if !allowed {
			return stateError(m, t.Action)
		}
		from := m.State
		m.State, m.StateReason, m.UpdatedAt = t.To, reason, forum.NowUTC()
		if _, err := tx.ExecContext(ctx, "UPDATE meetings SET state = ?, state_reason = ?, updated_at = ? WHERE id = ?",
			m.State, m.StateReason, m.UpdatedAt.UnixMilli(), m.ID); err != nil {
			return err
		}
		return s.emit(ctx, tx, sc, m, "meeting.state_changed", map[string]any{
			"title": m.Title, "action": t.Action, "from": from, "to": m.State, "reason": reason})
	})
	return m, err
}
