package finalacts

import (
	"context"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/store"
)

// target is what a statement is kept with, as resolved for the record.
type target struct {
	kind, id, label, visibility string
}

// resolveTarget reads a statement's target as the filer may see it.
func (s *Service) resolveTarget(ctx context.Context, sc *forum.Scope, kind StatementKind, in TargetInput) (target, error) {
	in.Kind, in.ID = strings.TrimSpace(in.Kind), strings.TrimSpace(in.ID)
	switch in.Kind {
	case OnDecision:
		if in.ID == "" {
			return target{}, plenary.Invalid("target.id", "name the decision")
		}
		d, err := s.decisions.Decision(ctx, sc, in.ID)
		if err != nil {
			if plenary.ErrorCode(err) == plenary.CodeNotFound {
				return target{}, plenary.Invalid("target.id", "no decision %q in this forum", in.ID)
			}
			return target{}, err
		}
		m, err := s.meetings.Meeting(ctx, sc, d.MeetingID)
		if err != nil {
			return target{}, err
		}
		return target{kind: OnDecision, id: d.ID, label: d.Title, visibility: m.Visibility()}, nil
	case OnDocument:
		if in.ID == "" {
			return target{}, plenary.Invalid("target.id", "name the document (its id)")
		}
		d, err := s.documents.Document(ctx, sc, in.ID)
		if err != nil {
			if plenary.ErrorCode(err) == plenary.CodeNotFound {
				return target{}, plenary.Invalid("target.id", "no document %q in this forum", in.ID)
			}
			return target{}, err
		}
		return target{kind: OnDocument, id: d.ID, label: strings.TrimSpace(d.Number + " " + d.Title), visibility: d.Visibility}, nil
	case OnForum:
		if kind != ClosingStatement {
			return target{}, plenary.Invalid("target.kind", "an explanation of position explains a position on a decision or a text: name it")
		}
		if in.ID != "" {
			return target{}, plenary.Invalid("target.id", "a statement on the forum as a whole names nothing else")
		}
		return target{kind: OnForum, label: sc.Forum.Title, visibility: ledger.VisPublic}, nil
	}
	return target{}, plenary.Invalid("target.kind", "must be decision, document or forum")
}

// FileStatement keeps an explanation of position or a closing statement
// with a decision, a document or the forum as a whole. A party's is filed
// by whoever may object to consensus for it (as decisions' explanations
// of position), or by the secretariat for it; one by a named group or
// coalition (Author, with no party) by the secretariat.
func (s *Service) FileStatement(ctx context.Context, sc *forum.Scope, in StatementInput) (Statement, error) {
	var err error
	if in.Kind != Explanation && in.Kind != ClosingStatement {
		return Statement{}, plenary.Invalid("kind", "must be explanation or closing (a closing statement)")
	}
	if in.Text, err = forum.CheckText("text", strings.TrimSpace(in.Text), MaxText); err != nil {
		return Statement{}, err
	}
	if in.Text == "" {
		return Statement{}, plenary.Invalid("text", "is required: the text of the statement")
	}
	if in.Author, err = forum.CheckLine("author", strings.TrimSpace(in.Author), MaxAuthor); err != nil {
		return Statement{}, err
	}
	in.Party = strings.TrimSpace(in.Party)
	if err := forum.RequireLogin(sc.Actor); err != nil {
		return Statement{}, err
	}
	t, err := s.resolveTarget(ctx, sc, in.Kind, in.Target)
	if err != nil {
		return Statement{}, err
	}
	var out Statement
	err = s.kernel.Command(ctx, sc, "finalacts.FileStatement", func(tx *store.Tx, sc *forum.Scope) error {
		v, err := sc.Viewer(ctx)
		if err != nil {
			return err
		}
		var party *PartyRef
		capacity := ""
		if in.Party == "" && in.Author != "" {
			if !v.Secretariat {
				return plenary.Forbidden("a statement by a named group or coalition is entered by the secretariat; a party files its own")
			}
			capacity = string(rules.RoleSecretariat)
		} else {
			c, aerr := sc.Authorize(ctx, rules.ObjectConsensus, in.Party)
			switch {
			case aerr == nil && c.PartyID != "":
				p, err := s.participation.Party(ctx, tx, sc.Forum, c.PartyID)
				if err != nil {
					return err
				}
				ref := refOf(p)
				party, capacity = &ref, c.Role
			case v.Secretariat && in.Party != "":
				p, err := s.participation.Party(ctx, tx, sc.Forum, in.Party)
				if err != nil {
					return plenary.Invalid("party", "no party %q in this forum", in.Party)
				}
				ref := refOf(p)
				party, capacity = &ref, string(rules.RoleSecretariat)
			case aerr != nil:
				return aerr
			default:
				return plenary.Invalid("party", "a statement is a party's or a named group's: name the party, or the group (author)")
			}
		}
		now := s.now().UnixMilli()
		payload := map[string]any{"kind": string(in.Kind), "kind_label": in.Kind.Label(), "target_kind": t.kind, "target_id": t.id,
			"target_label": t.label, "text": in.Text, "by": sc.Actor.Name, "capacity": capacity}
		partyID := ""
		if party != nil {
			payload["party"], payload["party_name"], partyID = party.Code, party.Name, party.ID
		}
		if in.Author != "" {
			payload["author"] = in.Author
		}
		led, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "finalacts.statement_filed", t.visibility, payload)
		if err != nil {
			return err
		}
		id := plenary.NewID()
		if _, err := tx.ExecContext(ctx, `INSERT INTO final_act_statements (id, forum_id, kind, target_kind, target_id, target_label, party_id, author, body,
			visibility, filed_by, capacity, seq, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, sc.Forum.ID, string(in.Kind), t.kind, t.id, t.label, partyID, in.Author, in.Text, t.visibility, sc.Actor.Name, capacity, led.Seq, now); err != nil {
			return err
		}
		out = Statement{ID: id, Kind: in.Kind, KindLabel: in.Kind.Label(), TargetKind: t.kind, TargetID: t.id, TargetLabel: t.label,
			Party: party, Author: in.Author, Text: in.Text, Visibility: t.visibility, FiledBy: sc.Actor.Name, Capacity: capacity, Seq: led.Seq, At: timeOf(now)}
		return nil
	})
	return out, err
}
