package decisions

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/decide"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/store"
)

type packageRow struct {
	ID, MeetingID, Name string
	Outcome             decide.Outcome
	DecidedBy           string
}

func (s *Service) packageRow(ctx context.Context, q store.Querier, forumID, id string) (packageRow, error) {
	var p packageRow
	var out string
	err := q.QueryRowContext(ctx, "SELECT id, meeting_id, name, outcome, decided_by FROM decision_packages WHERE id = ? AND forum_id = ?", id, forumID).
		Scan(&p.ID, &p.MeetingID, &p.Name, &out, &p.DecidedBy)
	if errors.Is(err, sql.ErrNoRows) {
		return p, plenary.NotFound("no package %q in this forum", id)
	}
	p.Outcome = decide.Outcome(out)
	return p, err
}

// CreatePackage links binding decisions of a meeting into a package:
// each stays provisional until the package is decided, and falls if it
// fails. A decision belongs to one package at most; straw polls belong to
// none. Whoever may manage the floor may.
func (s *Service) CreatePackage(ctx context.Context, sc *forum.Scope, in PackageInput) (Package, error) {
	var err error
	if in.Name, err = forum.CheckName("name", strings.TrimSpace(in.Name), MaxTitle); err != nil {
		return Package{}, err
	}
	if in.Name == "" {
		return Package{}, plenary.Invalid("name", "is required: the package's name")
	}
	ids := dedupe(in.Decisions)
	if len(ids) == 0 {
		return Package{}, plenary.Invalid("decisions", "name the decisions of the package")
	}
	if strings.TrimSpace(in.Meeting) == "" {
		return Package{}, plenary.Invalid("meeting", "is required: the meeting of the package")
	}
	m, err := s.meetings.Meeting(ctx, sc, strings.TrimSpace(in.Meeting))
	if err != nil {
		if plenary.ErrorCode(err) == plenary.CodeNotFound {
			return Package{}, plenary.Invalid("meeting", "no meeting %q in this forum", in.Meeting)
		}
		return Package{}, err
	}
	id := plenary.NewID()
	err = s.kernel.Command(ctx, sc, "decisions.CreatePackage", func(tx *store.Tx, sc *forum.Scope) error {
		if err := mayManageFloor(ctx, sc); err != nil {
			return err
		}
		var titles []string
		for _, did := range ids {
			r, err := s.row(ctx, tx, sc.Forum.ID, did)
			if err != nil {
				return plenary.Invalid("decisions", "no decision %q in this forum", did)
			}
			switch {
			case r.MeetingID != m.ID:
				return plenary.Invalid("decisions", "%q was not taken in meeting %s", r.Title, m.Number)
			case !r.Kind.Binding():
				return plenary.Invalid("decisions", "%q is a straw poll: it decides nothing, so it cannot be part of a package", r.Title)
			case r.PackageID != "":
				return plenary.Invalid("decisions", "%q is already part of a package", r.Title)
			}
			titles = append(titles, r.Title)
		}
		led, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "decision.package_created", m.Visibility(), map[string]any{
			"meeting": m.ID, "number": m.Number, "package": id, "name": in.Name, "decisions": ids, "titles": titles})
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO decision_packages (id, forum_id, meeting_id, name, seq, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			id, sc.Forum.ID, m.ID, in.Name, led.Seq, s.now().UnixMilli()); err != nil {
			return err
		}
		for _, did := range ids {
			if _, err := tx.ExecContext(ctx, "UPDATE decisions SET package_id = ? WHERE id = ?", id, did); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Package{}, err
	}
	return s.Package(ctx, sc, id)
}

// DecidePackage decides a package by a closed binding decision on the
// package as a whole (not one of its members): its outcome is the
// package's. If the package is not adopted, every decision in it falls.
// Whoever may manage the floor may.
func (s *Service) DecidePackage(ctx context.Context, sc *forum.Scope, id string, in PackageDecisionInput) (Package, error) {
	if strings.TrimSpace(in.Decision) == "" {
		return Package{}, plenary.Invalid("decision", "name the decision that decided the package")
	}
	pk, err := s.packageRow(ctx, s.store, sc.Forum.ID, id)
	if err != nil {
		return Package{}, err
	}
	m, err := s.meetings.Meeting(ctx, sc, pk.MeetingID)
	if err != nil {
		return Package{}, err
	}
	err = s.kernel.Command(ctx, sc, "decisions.DecidePackage", func(tx *store.Tx, sc *forum.Scope) error {
		if err := mayManageFloor(ctx, sc); err != nil {
			return err
		}
		pk, err := s.packageRow(ctx, tx, sc.Forum.ID, id)
		if err != nil {
			return err
		}
		if pk.Outcome != decide.Pending {
			return plenary.Conflict("package %s was already decided: %s", pk.Name, strings.ToLower(pk.Outcome.Label()))
		}
		r, err := s.row(ctx, tx, sc.Forum.ID, strings.TrimSpace(in.Decision))
		if err != nil {
			return plenary.Invalid("decision", "no decision %q in this forum", in.Decision)
		}
		switch {
		case r.PackageID == id:
			return plenary.Invalid("decision", "%q is part of the package; the package is decided by a decision on the package as a whole", r.Title)
		case !r.Kind.Binding():
			return plenary.Invalid("decision", "%q is a straw poll: it decides nothing", r.Title)
		case !r.Closed:
			return plenary.Invalid("decision", "%q is still open", r.Title)
		}
		out := r.Outcome
		if out != decide.Adopted {
			out = decide.NotAdopted
		}
		if _, err := tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "decision.package_decided", m.Visibility(), map[string]any{
			"meeting": m.ID, "number": m.Number, "package": id, "name": pk.Name, "decision": r.ID, "outcome": string(out)}); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE decision_packages SET outcome = ?, decided_by = ?, decided_at = ? WHERE id = ?",
			string(out), r.ID, s.now().UnixMilli(), id)
		return err
	})
	if err != nil {
		return Package{}, err
	}
	return s.Package(ctx, sc, id)
}

// Package reads a package with its members' statuses.
func (s *Service) Package(ctx context.Context, sc *forum.Scope, id string) (Package, error) {
	pk, err := s.packageRow(ctx, s.store, sc.Forum.ID, id)
	if err != nil {
		return Package{}, err
	}
	if _, err := s.meetings.Meeting(ctx, sc, pk.MeetingID); err != nil {
		if plenary.ErrorCode(err) == plenary.CodeNotFound {
			return Package{}, plenary.NotFound("no package %q in this forum", id)
		}
		return Package{}, err
	}
	out := Package{ID: pk.ID, MeetingID: pk.MeetingID, Name: pk.Name, Outcome: pk.Outcome, OutcomeLabel: pk.Outcome.Label(), DecidedBy: pk.DecidedBy,
		Members: []PackageMember{}}
	rows, err := s.store.QueryContext(ctx, "SELECT id, title, outcome FROM decisions WHERE package_id = ? ORDER BY opened_at, id", id)
	if err != nil {
		return Package{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var mb PackageMember
		var o string
		if err := rows.Scan(&mb.Decision, &mb.Title, &o); err != nil {
			return Package{}, err
		}
		mb.Outcome = decide.PackageOutcome([]decide.Outcome{decide.Outcome(o)}, pk.Outcome)[0]
		mb.Status = decide.PackageStatus(decide.Outcome(o), pk.Name, pk.Outcome)
		out.Members = append(out.Members, mb)
	}
	return out, rows.Err()
}
