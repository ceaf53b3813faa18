package documents

import (
	"context"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/store"
)

// mergeParty moves the documents of a duplicate party onto the party kept,
// inside the merge's transaction: the documents it is a source of name the
// party kept instead (once, where both were sources), and those restricted
// to its delegation are restricted to the delegation of the party kept,
// which its people have joined. It counts the documents it is a source of.
func (s *Service) mergeParty(ctx context.Context, tx *store.Tx, f forum.Forum, from, into participation.Party) (string, int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM document_parties WHERE party_id = ?", from.ID).Scan(&n); err != nil {
		return "", 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE document_parties SET party_id = ?, code = ?, name = ? WHERE party_id = ? AND document_id NOT IN
		(SELECT document_id FROM document_parties WHERE party_id = ?)`, into.ID, into.Code, into.Name, from.ID, into.ID); err != nil {
		return "", 0, err
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM document_parties WHERE party_id = ?", from.ID); err != nil {
		return "", 0, err
	}
	if err := search.MoveParty(ctx, tx, from.ID, into.ID); err != nil {
		return "", 0, err
	}
	rows, err := tx.QueryContext(ctx, "SELECT id FROM documents WHERE forum_id = ? AND visibility = ?", f.ID, ledger.VisParty(from.ID))
	if err != nil {
		return "", 0, err
	}
	var restricted []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return "", 0, err
		}
		restricted = append(restricted, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return "", 0, err
	}
	for _, id := range restricted {
		if _, err := tx.ExecContext(ctx, "UPDATE documents SET visibility = ? WHERE id = ?", ledger.VisParty(into.ID), id); err != nil {
			return "", 0, err
		}
		if err := search.SetVisibility(ctx, tx, id, ledger.VisParty(into.ID)); err != nil {
			return "", 0, err
		}
	}
	return "documents", n, nil
}
