package documents

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/plenary-forum/plenary"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/store"
)

// VisibilityInput is the input of SetDocumentVisibility.
type VisibilityInput struct {
	// Visibility is public, members, delegation (the first source
	// party's) or party:<id or code>.
	Visibility string `json:"visibility"`
	// EmbargoUntil, for a restricted document, is when it becomes public
	// by itself; "" for none.
	EmbargoUntil string `json:"embargo_until"`
}

// SetDocumentVisibility changes who may read a document and its embargo.
// The forum's secretariat may. The change is a public event (with the
// title only when the document becomes public): the record shows every
// document's visibility history.
func (s *Service) SetDocumentVisibility(ctx context.Context, sc *forum.Scope, docID string, in VisibilityInput) (Document, error) {
	a := sc.Actor
	f := sc.Forum
	if err := sc.RequireSecretariat(ctx); err != nil {
		return Document{}, err
	}
	d, err := s.Document(ctx, sc, docID)
	if err != nil {
		return Document{}, err
	}
	if in.Visibility == "" {
		return Document{}, plenary.Invalid("visibility", "choose public, members or delegation")
	}
	vis, err := s.resolveVisibility(ctx, s.store, f, in.Visibility, d.Parties)
	if err != nil {
		return Document{}, err
	}
	embargo, err := parseWhen("embargo_until", in.EmbargoUntil)
	if err != nil {
		return Document{}, err
	}
	if embargo != nil && vis == ledger.VisPublic {
		return Document{}, plenary.Invalid("embargo_until", "only a restricted document can have an embargo; a public one is already public")
	}
	if vis == d.Visibility && sameTime(embargo, d.EmbargoUntil) {
		return d, nil
	}
	now := forum.NowUTC()
	err = s.kernel.Command(ctx, sc, "documents.SetDocumentVisibility", func(tx *store.Tx, sc *forum.Scope) error {
		if _, err := tx.ExecContext(ctx, "UPDATE documents SET visibility = ?, embargo_until = ?, updated_at = ? WHERE id = ?",
			vis, nullMillis(embargo), now.UnixMilli(), d.ID); err != nil {
			return err
		}
		if err := search.SetVisibility(ctx, tx, d.ID, vis); err != nil {
			return err
		}
		p := map[string]any{"document_id": d.ID, "number": d.Number, "from": VisibilityKind(d.Visibility), "to": VisibilityKind(vis)}
		if embargo != nil {
			p["embargo_until"] = embargo
		}
		if vis == ledger.VisPublic {
			p["title"] = d.Title
		}
		_, err := tx.Emit(ctx, f.ID, a.LedgerID(), "document.visibility_changed", ledger.VisPublic, p)
		return err
	})
	if err != nil {
		return Document{}, err
	}
	return s.Document(ctx, sc, d.ID)
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// ReleaseEmbargoed makes public every restricted document whose embargo
// has passed, each as a document.released event by the system, and
// returns how many it released. The server runs it every minute; reading a
// document or a register runs it too, so nobody waits for the sweep.
func (s *Service) ReleaseEmbargoed(ctx context.Context) (int, error) {
	return s.releaseWhere(ctx, "")
}

// releaseDue releases what is due in one forum.
func (s *Service) releaseDue(ctx context.Context, forumID string) error {
	_, err := s.releaseWhere(ctx, forumID)
	return err
}

func (s *Service) releaseWhere(ctx context.Context, forumID string) (int, error) {
	q := "SELECT id FROM documents WHERE embargo_until IS NOT NULL AND embargo_until <= ? AND visibility <> ?"
	args := []any{forum.NowUTC().UnixMilli(), ledger.VisPublic}
	if forumID != "" {
		q += " AND forum_id = ?"
		args = append(args, forumID)
	}
	ids, err := store.Strings(ctx, s.store, q+" ORDER BY embargo_until", args...)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		ok, err := s.releaseDocument(ctx, id)
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// releaseDocument makes one document public if its embargo has passed,
// in its own transaction with the row locked, so that two sweeps (or a
// sweep and a reader) release it once.
func (s *Service) releaseDocument(ctx context.Context, id string) (bool, error) {
	released := false
	err := s.kernel.Write(ctx, func(tx *store.Tx) error {
		var forumID, number, title, typ, vis string
		var embargo sql.NullInt64
		err := tx.QueryRowContext(ctx, "SELECT forum_id, number, title, type, visibility, embargo_until FROM documents WHERE id = ?"+tx.ForUpdate(), id).
			Scan(&forumID, &number, &title, &typ, &vis, &embargo)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		now := forum.NowUTC()
		if vis == ledger.VisPublic || !embargo.Valid || embargo.Int64 > now.UnixMilli() {
			return nil
		}
		if _, err := tx.ExecContext(ctx, "UPDATE documents SET visibility = ?, embargo_until = NULL, released_at = ?, updated_at = ? WHERE id = ?",
			ledger.VisPublic, now.UnixMilli(), now.UnixMilli(), id); err != nil {
			return err
		}
		if err := search.SetVisibility(ctx, tx, id, ledger.VisPublic); err != nil {
			return err
		}
		_, err = tx.Emit(ctx, forumID, forum.System.LedgerID(), "document.released", ledger.VisPublic, map[string]any{
			"document_id": id, "number": number, "title": title, "type": typ, "from": VisibilityKind(vis),
			"embargo_until": time.UnixMilli(embargo.Int64).UTC()})
		released = err == nil
		return err
	})
	return released, err
}

// RunEmbargoSweep releases embargoed documents every interval until ctx
// ends; errors are logged and the sweep goes on.
func (s *Service) RunEmbargoSweep(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		n, err := s.ReleaseEmbargoed(ctx)
		if err != nil && ctx.Err() == nil {
			s.log.Error("embargo sweep", "err", err)
		}
		if n > 0 {
			s.log.Info("released embargoed documents", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
