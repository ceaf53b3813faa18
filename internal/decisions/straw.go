package decisions

import (
	"context"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/store"
)

// A straw poll measures the room and decides nothing: every read says
// "binding": false with its label, no command turns it into a decision,
// and closing it records no outcome.

// OpenStrawPoll opens a straw poll ("temperature of the room") with its
// options; whoever may manage the floor may.
func (s *Service) OpenStrawPoll(ctx context.Context, sc *forum.Scope, in StrawInput) (Decision, error) {
	o, err := s.checkOpen(ctx, sc, decide.StrawPoll, in.OpenInput, false)
	if err != nil {
		return Decision{}, err
	}
	if in.Question, err = forum.CheckText("question", strings.TrimSpace(in.Question), MaxReason); err != nil {
		return Decision{}, err
	}
	if in.Question == "" {
		in.Question = o.Title
	}
	if in.Entry == "" {
		in.Entry = decide.Entered
	}
	for i, op := range in.Options {
		if strings.TrimSpace(op.Key) == "" {
			return Decision{}, plenary.Invalid("options["+itoa(i)+"].key", "is required: a short key for the option")
		}
		if strings.TrimSpace(op.Label) == "" {
			return Decision{}, plenary.Invalid("options["+itoa(i)+"].label", "is required: the option in words")
		}
		if in.Options[i].Key, err = forum.CheckLine("options", strings.TrimSpace(op.Key), MaxLine); err != nil {
			return Decision{}, err
		}
		if in.Options[i].Label, err = forum.CheckLine("options", strings.TrimSpace(op.Label), MaxLine); err != nil {
			return Decision{}, err
		}
	}
	sub := o.subject
	poll := decide.Poll{ID: o.ID, Question: in.Question, Subject: &sub, Options: in.Options, Entry: in.Entry}
	if in.ByGroup {
		groups, err := sc.Groups(ctx)
		if err != nil {
			return Decision{}, err
		}
		for _, g := range groups {
			poll.Groups = append(poll.Groups, decide.Group{Key: g.Key, Name: g.Name})
		}
	}
	if err := poll.Validate(); err != nil {
		return Decision{}, err
	}
	if _, err := s.open(ctx, sc, "decisions.OpenStrawPoll", o, func(sc *forum.Scope) error { return mayManageFloor(ctx, sc) },
		func(id string) (any, map[string]any, error) {
			return decide.StrawEvent{Type: decide.PollOpened, Poll: &poll}, map[string]any{"question": poll.Question, "entry": string(poll.Entry)}, nil
		}); err != nil {
		return Decision{}, err
	}
	return s.Decision(ctx, sc, o.ID)
}

// EnterStrawCounts enters the totals of a straw poll counted by the
// secretariat (a show of placards), replacing earlier ones. Whoever may
// manage the floor may.
func (s *Service) EnterStrawCounts(ctx context.Context, sc *forum.Scope, id string, in StrawCountsInput) (Decision, error) {
	err := s.decisionCommand(ctx, sc, id, "decisions.EnterStrawCounts", "poll_counted", func(tx *store.Tx, sc *forum.Scope, r row, m meetings.Meeting, st *state) (step, error) {
		if err := wantKind(r, decide.StrawPoll, "totals are entered for a straw poll"); err != nil {
			return step{}, err
		}
		if err := mayManageFloor(ctx, sc); err != nil {
			return step{}, err
		}
		return step{event: decide.StrawEvent{Type: decide.PollCount, Counts: in.Counts}, human: map[string]any{"counts": in.Counts}}, nil
	})
	if err != nil {
		return Decision{}, err
	}
	return s.Decision(ctx, sc, id)
}

// AnswerStrawPoll records a participant's answer from a device to a
// straw poll answered so (a later answer replaces it). Any participant
// with an approved registration may answer.
func (s *Service) AnswerStrawPoll(ctx context.Context, sc *forum.Scope, id string, in StrawAnswerInput) error {
	if err := forum.RequireLogin(sc.Actor); err != nil {
		return err
	}
	in.Option = strings.TrimSpace(in.Option)
	if in.Option == "" {
		return plenary.Invalid("option", "choose one of the poll's options")
	}
	err := s.decisionCommand(ctx, sc, id, "decisions.AnswerStrawPoll", "poll_answered", func(tx *store.Tx, sc *forum.Scope, r row, m meetings.Meeting, st *state) (step, error) {
		if err := wantKind(r, decide.StrawPoll, "participants answer a straw poll"); err != nil {
			return step{}, err
		}
		regs, err := s.participation.ApprovedRegistrationsOf(ctx, tx, sc.Forum, sc.Actor.UserID)
		if err != nil {
			return step{}, err
		}
		if len(regs) == 0 {
			return step{}, plenary.Forbidden("only registered participants of %s answer its straw polls", forum.ShortName(sc.Forum))
		}
		ev := decide.StrawEvent{Type: decide.PollAnswer, Participant: "user:" + sc.Actor.UserID, Option: in.Option}
		if len(st.st.Poll().Groups) > 0 {
			ev.Group = regs[0].Group
		}
		// The answer itself is not on the public record: only that one was given.
		return step{event: ev}, nil
	})
	return err
}

// CloseStrawPoll closes a straw poll. It records no outcome: a straw poll
// is indicative and binds nobody.
func (s *Service) CloseStrawPoll(ctx context.Context, sc *forum.Scope, id string) (Decision, error) {
	err := s.decisionCommand(ctx, sc, id, "decisions.CloseStrawPoll", "poll_closed", func(tx *store.Tx, sc *forum.Scope, r row, m meetings.Meeting, st *state) (step, error) {
		if err := wantKind(r, decide.StrawPoll, "this closes a straw poll"); err != nil {
			return step{}, err
		}
		if err := mayManageFloor(ctx, sc); err != nil {
			return step{}, err
		}
		return step{event: decide.StrawEvent{Type: decide.PollClosed}, human: map[string]any{"notice": decide.StrawNotice},
			after: func(tx *store.Tx, st *state, seq int64) error {
				_, err := tx.ExecContext(ctx, "UPDATE decisions SET closed = ?, closed_at = ? WHERE id = ?", true, s.now().UnixMilli(), r.ID)
				return err
			}}, nil
	})
	if err != nil {
		return Decision{}, err
	}
	return s.Decision(ctx, sc, id)
}
