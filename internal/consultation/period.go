package consultation

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/cache"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/store"
)

const periodColumns = `id, forum_id, document_id, draft_id, revision, title, public, visibility, opens_at, closes_at, closed_early, created_at, updated_at, ` +
	`extended_from, extended_at, extension_reason`

// scanPeriod scans periodColumns, then extra.
func scanPeriod(sc interface{ Scan(...any) error }, extra ...any) (Period, error) {
	var p Period
	var opens, closes, created, updated int64
	var extFrom, extAt sql.NullInt64
	var extReason string
	err := sc.Scan(append([]any{&p.ID, &p.ForumID, &p.DocumentID, &p.DraftID, &p.Revision, &p.Title, &p.Public, &p.visibility,
		&opens, &closes, &p.ClosedEarly, &created, &updated, &extFrom, &extAt, &extReason}, extra...)...)
	p.OpensAt, p.ClosesAt = time.UnixMilli(opens).UTC(), time.UnixMilli(closes).UTC()
	p.CreatedAt, p.UpdatedAt = time.UnixMilli(created).UTC(), time.UnixMilli(updated).UTC()
	if extAt.Valid {
		p.Extension = &Extension{From: time.UnixMilli(extFrom.Int64).UTC(), At: time.UnixMilli(extAt.Int64).UTC(), Reason: extReason}
	}
	return p, err
}

func (s *Service) period(ctx context.Context, q store.Querier, forumID, id string) (Period, error) {
	if id == "" || !forum.IsRef(id) {
		return Period{}, plenary.NotFound("no comment period %q in this forum", id)
	}
	p, err := scanPeriod(q.QueryRowContext(ctx, "SELECT "+periodColumns+" FROM consultation_periods WHERE id = ? AND forum_id = ?", id, forumID))
	if errors.Is(err, sql.ErrNoRows) {
		return Period{}, plenary.NotFound("no comment period %q in this forum", id)
	}
	return p, err
}

// readable checks that the reader may read what the period is on; a
// period on a document the reader may not read is not found.
func (s *Service) readable(ctx context.Context, sc *forum.Scope, p Period) error {
	return notFoundUnlessRead(p, s.documents.Readable(ctx, sc, p.DocumentID))
}

func notFoundUnlessRead(p Period, err error) error {
	switch plenary.ErrorCode(err) {
	case plenary.CodeNotFound, plenary.CodeForbidden, plenary.CodeUnauthorized:
		return plenary.NotFound("no comment period %q in this forum", p.ID)
	}
	return err
}

// periodWithDocument selects a period's columns and its document's number,
// visibility and embargo.
var periodWithDocument = "SELECT p." + strings.ReplaceAll(periodColumns, ", ", ", p.") +
	", d.number, d.visibility, d.embargo_until FROM consultation_periods p JOIN documents d ON d.id = p.document_id"

// Period returns a comment period, if the reader may read what it is on:
// the period and what the check needs of its document in one query.
func (s *Service) Period(ctx context.Context, sc *forum.Scope, id string) (Period, error) {
	if id == "" || !forum.IsRef(id) {
		return Period{}, plenary.NotFound("no comment period %q in this forum", id)
	}
	var number, visibility string
	var embargo sql.NullInt64
	p, err := scanPeriod(s.store.QueryRowContext(ctx, periodWithDocument+" WHERE p.id = ? AND p.forum_id = ?", id, sc.Forum.ID),
		&number, &visibility, &embargo)
	if errors.Is(err, sql.ErrNoRows) {
		return Period{}, plenary.NotFound("no comment period %q in this forum", id)
	}
	if err != nil {
		return Period{}, err
	}
	return p, notFoundUnlessRead(p, s.documents.ReadableAs(ctx, sc, p.DocumentID, number, visibility, embargo))
}

// PeriodFilter selects periods: on a draft text (and one of its
// revisions), or on a document.
type PeriodFilter struct {
	Draft    string `json:"draft,omitempty"`
	Revision int    `json:"revision,omitempty"`
	Document string `json:"document,omitempty"`
}

// Periods lists the forum's comment periods the reader may see, the most
// recently opened first.
func (s *Service) Periods(ctx context.Context, sc *forum.Scope, flt PeriodFilter) ([]Period, error) {
	// A forum has few periods: all of them are kept until its chain moves
	// (every change to a period is an event on it), so the forum's pages,
	// whose tab asks whether there is any, read none.
	kept, err := cache.Get(s.kernel.Cache(), sc.Forum.ID, "consultation-periods", func() ([]Period, error) {
		return s.forumPeriods(ctx, sc.Forum.ID)
	})
	if err != nil {
		return nil, err
	}
	var all []Period
	for _, p := range kept {
		if (flt.Draft == "" || p.DraftID == flt.Draft) && (flt.Draft == "" || flt.Revision == 0 || p.Revision == flt.Revision) &&
			(flt.Document == "" || p.DocumentID == flt.Document) {
			all = append(all, p)
		}
	}
	out := []Period{}
	for _, p := range all {
		err := s.readable(ctx, sc, p)
		switch {
		case err == nil:
			out = append(out, p)
		case plenary.ErrorCode(err) != plenary.CodeNotFound:
			return nil, err
		}
	}
	return out, nil
}

// MayManage reports whether the actor may open, close and extend comment
// periods, moderate comments and give dispositions: the forum's
// secretariat.
func (s *Service) MayManage(ctx context.Context, sc *forum.Scope) (bool, error) {
	return forum.Allowed(sc.RequireSecretariat(ctx))
}

// OpenPeriod opens a comment period. The secretariat opens it on a draft
// revision or a document it may read.
func (s *Service) OpenPeriod(ctx context.Context, sc *forum.Scope, in PeriodInput) (Period, error) {
	title, err := forum.CheckLine("title", in.Title, MaxTitle)
	if err != nil {
		return Period{}, err
	}
	if title == "" {
		return Period{}, plenary.Invalid("title", "a comment period needs a title")
	}
	if (in.Draft == "") == (in.Document == "") {
		return Period{}, plenary.Invalid("draft", "name either a draft text or a document, not both")
	}
	if !forum.IsRef(in.Draft) || !forum.IsRef(in.Document) {
		return Period{}, plenary.Invalid("draft", "not a valid reference")
	}
	now := s.now()
	opens := in.Opens.UTC().Truncate(time.Millisecond)
	if in.Opens.IsZero() {
		opens = now
	}
	closes := in.Closes.UTC().Truncate(time.Millisecond)
	if in.Closes.IsZero() {
		return Period{}, plenary.Invalid("closes", "give the time the period closes")
	}
	if !closes.After(opens) {
		return Period{}, plenary.Invalid("closes", "the period must close after it opens (%s)", opens.Format(time.RFC3339))
	}
	if !closes.After(now) {
		return Period{}, plenary.Invalid("closes", "the close time %s has passed", closes.Format(time.RFC3339))
	}
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Period{}, err
	}
	p := Period{ID: plenary.NewID(), ForumID: sc.Forum.ID, Title: title, Public: in.Public, OpensAt: opens, ClosesAt: closes,
		CreatedAt: now, UpdatedAt: now}
	if in.Draft != "" {
		dt, err := s.drafting.DraftText(ctx, sc, in.Draft)
		if err != nil {
			if plenary.ErrorCode(err) == plenary.CodeNotFound {
				return Period{}, plenary.Invalid("draft", "no draft text %q in this forum", in.Draft)
			}
			return Period{}, err
		}
		rev := in.Revision
		if rev == 0 {
			rev = dt.Revision
		} else if err := dt.CheckRevision("revision", rev); err != nil {
			return Period{}, err
		}
		p.DraftID, p.Revision, p.DocumentID = dt.ID, rev, dt.ID
	} else {
		d, err := s.documents.Document(ctx, sc, in.Document)
		if err != nil {
			if plenary.ErrorCode(err) == plenary.CodeNotFound {
				return Period{}, plenary.Invalid("document", "no document %q in this forum", in.Document)
			}
			return Period{}, err
		}
		p.DocumentID = d.ID
	}
	d, err := s.documents.Document(ctx, sc, p.DocumentID)
	if err != nil {
		return Period{}, err
	}
	// The period's events are seen by those who may read its document
	// (public, members or one delegation), as it stands when it opens.
	p.visibility = d.Visibility
	if p.visibility == "" {
		p.visibility = ledger.VisMembers
	}
	err = s.kernel.Command(ctx, sc, "consultation.OpenPeriod", func(tx *store.Tx, sc *forum.Scope) error {
		if err := sc.RequireSecretariat(ctx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO consultation_periods (id, forum_id, document_id, draft_id, revision, title, public, visibility,
			opens_at, closes_at, closed_early, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ID, p.ForumID, p.DocumentID, p.DraftID, p.Revision, p.Title, p.Public, p.visibility,
			p.OpensAt.UnixMilli(), p.ClosesAt.UnixMilli(), false, sc.Actor.LedgerID(), now.UnixMilli(), now.UnixMilli())
		if err != nil {
			return err
		}
		_, err = tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "consultation.period_opened", p.visibility, map[string]any{
			"period": p.ID, "title": p.Title, "document_id": p.DocumentID, "draft_id": p.DraftID, "revision": p.Revision,
			"document": d.Number, "public": p.Public, "opens_at": p.OpensAt, "closes_at": p.ClosesAt,
		})
		return err
	})
	return p, err
}

// ClosePeriod closes a period before its time, on the record.
func (s *Service) ClosePeriod(ctx context.Context, sc *forum.Scope, id string) (Period, error) {
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Period{}, err
	}
	var p Period
	err := s.kernel.Command(ctx, sc, "consultation.ClosePeriod", func(tx *store.Tx, sc *forum.Scope) error {
		if err := sc.RequireSecretariat(ctx); err != nil {
			return err
		}
		var err error
		if p, err = s.period(ctx, tx, sc.Forum.ID, id); err != nil {
			return err
		}
		now := s.now()
		if !now.Before(p.ClosesAt) {
			return plenary.Conflict("the comment period closed at %s", p.ClosesAt.Format(time.RFC3339))
		}
		p.ClosesAt, p.ClosedEarly, p.UpdatedAt = now, true, now
		if p.OpensAt.After(now) {
			p.OpensAt = now
		}
		if _, err := tx.ExecContext(ctx, "UPDATE consultation_periods SET opens_at = ?, closes_at = ?, closed_early = ?, updated_at = ? WHERE id = ?",
			p.OpensAt.UnixMilli(), now.UnixMilli(), true, now.UnixMilli(), p.ID); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "consultation.period_closed", p.visibility, map[string]any{
			"period": p.ID, "title": p.Title, "closed_at": now,
		})
		return err
	})
	return p, err
}

// ExtendPeriod moves a period's close time later, with the reason; a
// period closed by the passing of its time may be extended (and so
// reopened), one closed early may not.
func (s *Service) ExtendPeriod(ctx context.Context, sc *forum.Scope, id string, in ExtendInput) (Period, error) {
	reason, err := forum.CheckText("reason", in.Reason, MaxReason)
	if err != nil {
		return Period{}, err
	}
	if reason == "" {
		return Period{}, plenary.Invalid("reason", "say why the period is extended")
	}
	if in.Closes.IsZero() {
		return Period{}, plenary.Invalid("closes", "give the new close time")
	}
	closes := in.Closes.UTC().Truncate(time.Millisecond)
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Period{}, err
	}
	var p Period
	err = s.kernel.Command(ctx, sc, "consultation.ExtendPeriod", func(tx *store.Tx, sc *forum.Scope) error {
		if err := sc.RequireSecretariat(ctx); err != nil {
			return err
		}
		var err error
		if p, err = s.period(ctx, tx, sc.Forum.ID, id); err != nil {
			return err
		}
		if p.ClosedEarly {
			return plenary.Conflict("the comment period was closed early at %s; open a new one", p.ClosesAt.Format(time.RFC3339))
		}
		if !closes.After(p.ClosesAt) {
			return plenary.Invalid("closes", "the new close time must be later than the current one, %s", p.ClosesAt.Format(time.RFC3339))
		}
		now := s.now()
		if !closes.After(now) {
			return plenary.Invalid("closes", "the new close time %s has passed", closes.Format(time.RFC3339))
		}
		before := p.ClosesAt
		p.ClosesAt, p.UpdatedAt = closes, now
		p.Extension = &Extension{From: before, At: now.UTC().Truncate(time.Millisecond), Reason: reason}
		if _, err := tx.ExecContext(ctx, `UPDATE consultation_periods SET closes_at = ?, updated_at = ?,
			extended_from = ?, extended_at = ?, extension_reason = ? WHERE id = ?`,
			closes.UnixMilli(), now.UnixMilli(), before.UnixMilli(), now.UnixMilli(), reason, p.ID); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, sc.Forum.ID, sc.Actor.LedgerID(), "consultation.period_extended", p.visibility, map[string]any{
			"period": p.ID, "title": p.Title, "closes_at": closes, "was": before, "reason": reason,
		})
		return err
	})
	return p, err
}

// forumPeriods reads every period of the forum, the latest opening first.
func (s *Service) forumPeriods(ctx context.Context, forumID string) ([]Period, error) {
	rows, err := s.store.QueryContext(ctx, "SELECT "+periodColumns+" FROM consultation_periods WHERE forum_id = ? ORDER BY opens_at DESC, id", forumID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []Period
	for rows.Next() {
		p, err := scanPeriod(rows)
		if err != nil {
			return nil, err
		}
		all = append(all, p)
	}
	return all, rows.Err()
}
