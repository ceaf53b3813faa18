package decisions

import (
	"context"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
)

// ReopenDraft reopens an adopted draft text to proposals: a decision of
// the chair on the record, in a sitting meeting, with its reason. Whoever
// may manage the floor may.
func (s *Service) ReopenDraft(ctx context.Context, sc *forum.Scope, draftID string, in ReopenInput) error {
	var err error
	if in.Reason, err = forum.CheckText("reason", strings.TrimSpace(in.Reason), MaxReason); err != nil {
		return err
	}
	if in.Reason == "" {
		return plenary.Invalid("reason", "is required: why the adopted text is reopened")
	}
	if strings.TrimSpace(in.Meeting) == "" {
		return plenary.Invalid("meeting", "is required: the meeting that decides to reopen it")
	}
	m, err := s.meetings.Meeting(ctx, sc, strings.TrimSpace(in.Meeting))
	if err != nil {
		if plenary.ErrorCode(err) == plenary.CodeNotFound {
			return plenary.Invalid("meeting", "no meeting %q in this forum", in.Meeting)
		}
		return err
	}
	if !m.Sitting() {
		return plenary.Conflict("meeting %s is %s; decisions are taken while it sits", m.Number, strings.ToLower(m.StateLabel()))
	}
	dt, err := s.drafting.DraftText(ctx, sc, draftID)
	if err != nil {
		return err
	}
	return s.kernel.Command(ctx, sc, "decisions.ReopenDraft", func(tx *store.Tx, sc *forum.Scope) error {
		if err := mayManageFloor(ctx, sc); err != nil {
			return err
		}
		ref := plenary.NewID()
		if _, err := s.drafting.ReopenAdopted(ctx, tx, sc, dt.ID, ref, in.Reason); err != nil {
			return err
		}
		_, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "decision.draft_reopened", m.Visibility(), map[string]any{
			"meeting": m.ID, "number": m.Number, "decision": ref, "draft_id": dt.ID, "draft_number": dt.Number, "reason": in.Reason})
		return err
	})
}
