package decisions

import (
	"context"
	"strconv"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/meetings"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

func itoa(n int) string { return strconv.Itoa(n) }

// acting is the party a participant acts for in a decision, and the
// rights matrix's answer for the action, as decide records it.
type acting struct {
	cap   forum.Capacity
	party decide.Party
	right decide.Right
}

// actFor asks the rights matrix whether the actor may take action for the
// party (id or code; "" is its own). A refusal of the matrix is not an
// error here: it is stated in the Right, which decide quotes when it
// refuses, so the refusal names the rule.
func actFor(ctx context.Context, sc *forum.Scope, action rules.Action, party string) (acting, error) {
	if err := forum.RequireLogin(sc.Actor); err != nil {
		return acting{}, err
	}
	c, err := sc.Authorize(ctx, action, party)
	if err == nil {
		if c.PartyID == "" {
			return acting{}, plenary.Invalid("party", "%s acts for no party here: name the party", sc.Actor.Name)
		}
		return acting{cap: c, party: decide.Party{Code: c.PartyCode, Name: c.PartyName}, right: decide.Right{Holds: true}}, nil
	}
	pe := plenary.AsError(err)
	if pe == nil || pe.Code != plenary.CodeForbidden {
		return acting{}, err
	}
	a := acting{right: decide.Right{Holds: false, Rule: pe.Message}}
	if party != "" {
		if p, perr := sc.Party(ctx, party); perr == nil {
			a.party = decide.Party{Code: p.Code, Name: p.Name}
			a.cap = forum.Capacity{PartyID: p.ID, PartyCode: p.Code, PartyName: p.Name, Group: p.Group}
		}
	}
	if a.party.Code == "" {
		// No party to state the refusal for: the matrix's refusal stands.
		return acting{}, err
	}
	return a, nil
}

// OpenConsensus opens a consensus call ("Is there any objection?") in a
// sitting meeting: in the room until the chair closes it, or a written
// silence procedure until in.Until. Whoever may manage the floor may.
func (s *Service) OpenConsensus(ctx context.Context, sc *forum.Scope, in ConsensusInput) (Decision, error) {
	o, err := s.checkOpen(ctx, sc, decide.ConsensusCall, in.OpenInput, true)
	if err != nil {
		return Decision{}, err
	}
	call := decide.Call{ID: o.ID, Subject: o.subject, Silence: in.Silence}
	if in.Until != nil {
		if !in.Silence {
			return Decision{}, plenary.Invalid("until", "only a silence procedure runs until a stated time")
		}
		call.Until = in.Until.UnixMilli()
	}
	if err := call.Validate(s.now().UnixMilli()); err != nil {
		return Decision{}, err
	}
	if _, err := s.open(ctx, sc, "decisions.OpenConsensus", o, func(sc *forum.Scope) error { return mayManageFloor(ctx, sc) },
		func(id string) (any, map[string]any, error) {
			return decide.ConsensusEvent{Type: decide.CallOpened, Call: &call}, map[string]any{"silence": call.Silence, "until": call.Until}, nil
		}); err != nil {
		return Decision{}, err
	}
	return s.Decision(ctx, sc, o.ID)
}

// Object raises a formal objection to consensus for a party, with a
// reason and optionally the provisions it is about. The party's delegate
// needs the right to object to consensus; a refusal names the rule.
func (s *Service) Object(ctx context.Context, sc *forum.Scope, id string, in ObjectionInput) (decide.Objection, error) {
	var err error
	if in.Reason, err = forum.CheckText("reason", strings.TrimSpace(in.Reason), MaxReason); err != nil {
		return decide.Objection{}, err
	}
	if in.Reason == "" {
		return decide.Objection{}, plenary.Invalid("reason", "is required: why the party objects")
	}
	for i, p := range in.Provisions {
		if in.Provisions[i], err = forum.CheckLine("provisions", strings.TrimSpace(p), MaxLine); err != nil {
			return decide.Objection{}, err
		}
	}
	var obj decide.Objection
	err = s.decisionCommand(ctx, sc, id, "decisions.Object", "objected", func(tx *store.Tx, sc *forum.Scope, r row, m meetings.Meeting, st *state) (step, error) {
		if err := wantKind(r, decide.ConsensusCall, "an objection is raised to a consensus call"); err != nil {
			return step{}, err
		}
		a, err := actFor(ctx, sc, rules.ObjectConsensus, strings.TrimSpace(in.Party))
		if err != nil {
			return step{}, err
		}
		obj = decide.Objection{ID: plenary.NewID(), Party: a.party, By: sc.Actor.Name, Reason: in.Reason,
			Provisions: dedupe(in.Provisions), Right: a.right}
		return step{event: decide.ConsensusEvent{Type: decide.ObjectionRaised, Objection: &obj},
			human: map[string]any{"party": a.party.Code, "party_name": a.party.String(), "by": sc.Actor.Name, "reason": in.Reason, "objection": obj.ID}}, nil
	})
	return obj, err
}

// WithdrawObjection withdraws a standing objection; its party's delegates
// (those who may object for it) may.
func (s *Service) WithdrawObjection(ctx context.Context, sc *forum.Scope, id, objection string) error {
	err := s.decisionCommand(ctx, sc, id, "decisions.WithdrawObjection", "objection_withdrawn", func(tx *store.Tx, sc *forum.Scope, r row, m meetings.Meeting, st *state) (step, error) {
		if err := wantKind(r, decide.ConsensusCall, "objections belong to consensus calls"); err != nil {
			return step{}, err
		}
		var found *decide.Objection
		for _, o := range st.c.Objections() {
			if o.ID == objection {
				o := o
				found = &o
			}
		}
		if found == nil {
			return step{}, plenary.NotFound("there is no objection %q to this call", objection)
		}
		c, err := sc.Authorize(ctx, rules.ObjectConsensus, found.Party.Code)
		if err != nil {
			return step{}, err
		}
		if c.PartyCode != found.Party.Code {
			return step{}, plenary.Forbidden("only a delegate of %s may withdraw its objection", found.Party)
		}
		return step{event: decide.ConsensusEvent{Type: decide.ObjectionWithdrawn, ID: objection, Party: found.Party.Code},
			human: map[string]any{"party": found.Party.Code, "party_name": found.Party.String(), "objection": objection}}, nil
	})
	return err
}

// CloseConsensus closes a consensus call with the chair's finding; with
// "adopted with objections addressed" the chair answers each standing
// objection. Without a finding, a silence procedure whose time has passed
// unbroken is closed as kept (adopted). A finding that adopts a draft
// revision marks the draft adopted and files the adopted text.
func (s *Service) CloseConsensus(ctx context.Context, sc *forum.Scope, id string, in FindingInput) (Decision, error) {
	var err error
	if in.Note, err = forum.CheckText("note", strings.TrimSpace(in.Note), MaxText); err != nil {
		return Decision{}, err
	}
	if in.Finding != "" && !in.Finding.Valid() {
		return Decision{}, plenary.Invalid("finding", "must be adopted, adopted_objections_addressed or not_adopted")
	}
	for i, a := range in.Answers {
		if in.Answers[i].Text, err = forum.CheckText("answers", strings.TrimSpace(a.Text), MaxReason); err != nil {
			return Decision{}, err
		}
	}
	err = s.decisionCommand(ctx, sc, id, "decisions.CloseConsensus", "closed", func(tx *store.Tx, sc *forum.Scope, r row, m meetings.Meeting, st *state) (step, error) {
		if err := wantKind(r, decide.ConsensusCall, "a finding closes a consensus call"); err != nil {
			return step{}, err
		}
		if err := mayManageFloor(ctx, sc); err != nil {
			return step{}, err
		}
		ev := decide.ConsensusEvent{Type: decide.CallClosed, Finding: in.Finding, Answers: in.Answers, Note: in.Note}
		if in.Finding == "" && !st.c.Call().Silence && !st.c.Closed() {
			return step{}, plenary.Invalid("finding", "is required: the chair closes a call in the room with a finding (adopted, adopted_objections_addressed or not_adopted)")
		}
		if in.Finding == "" {
			ev = decide.ConsensusEvent{Type: decide.SilenceKept}
		}
		return step{event: ev, human: map[string]any{"finding": string(in.Finding), "note": in.Note},
			after: func(tx *store.Tx, st *state, seq int64) error {
				return s.closed(ctx, tx, sc, r, m, st.c.Outcome())
			}}, nil
	})
	if err != nil {
		return Decision{}, err
	}
	return s.Decision(ctx, sc, id)
}

// FileExplanation files an explanation of position after adoption, for a
// party: one each. Those who may object to consensus for the party may.
func (s *Service) FileExplanation(ctx context.Context, sc *forum.Scope, id string, in ExplanationInput) (decide.Explanation, error) {
	var err error
	if in.Text, err = forum.CheckText("text", strings.TrimSpace(in.Text), MaxText); err != nil {
		return decide.Explanation{}, err
	}
	if in.Text == "" {
		return decide.Explanation{}, plenary.Invalid("text", "is required: the explanation of position")
	}
	var ex decide.Explanation
	err = s.decisionCommand(ctx, sc, id, "decisions.FileExplanation", "explained", func(tx *store.Tx, sc *forum.Scope, r row, m meetings.Meeting, st *state) (step, error) {
		if err := wantKind(r, decide.ConsensusCall, "explanations of position follow adoption by consensus"); err != nil {
			return step{}, err
		}
		c, err := sc.Authorize(ctx, rules.ObjectConsensus, strings.TrimSpace(in.Party))
		if err != nil {
			return step{}, err
		}
		if c.PartyID == "" {
			return step{}, plenary.Invalid("party", "an explanation of position is a party's: name the party")
		}
		ex = decide.Explanation{Party: decide.Party{Code: c.PartyCode, Name: c.PartyName}, By: sc.Actor.Name, Text: in.Text}
		return step{event: decide.ConsensusEvent{Type: decide.PositionExplained, Explanation: &ex},
			human: map[string]any{"party": c.PartyCode, "party_name": c.PartyName, "by": sc.Actor.Name}}, nil
	})
	ex.At = s.now().UnixMilli()
	return ex, err
}

func wantKind(r row, k decide.Kind, why string) error {
	if r.Kind != k {
		return plenary.Conflict("this decision is a %s: %s", strings.ToLower(r.Kind.Label()), why)
	}
	return nil
}

// closed records a decision's outcome on its row, in the closing
// transaction, and adopts its draft revision when it adopts one.
func (s *Service) closed(ctx context.Context, tx *store.Tx, sc *forum.Scope, r row, m meetings.Meeting, out decide.Outcome) error {
	now := s.now().UnixMilli()
	if _, err := tx.ExecContext(ctx, "UPDATE decisions SET closed = ?, outcome = ?, closed_at = ? WHERE id = ?", true, string(out), now, r.ID); err != nil {
		return err
	}
	if out != decide.Adopted || r.DraftID == "" {
		return nil
	}
	doc, err := s.drafting.MarkAdopted(ctx, tx, sc, r.DraftID, r.Revision, r.ID, "")
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE decisions SET document_id = ? WHERE id = ?", doc.ID, r.ID)
	return err
}
