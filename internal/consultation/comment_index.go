package consultation

import (
	"context"
	"net/url"

	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/store"
)

// CommentPath is the page of a comment: /forums/wtpf-13/comments/C-12.
func CommentPath(f forum.Forum, c Comment) string {
	return "/forums/" + f.Slug + "/comments/" + url.PathEscape(c.Ref)
}

// indexComment writes a comment's search entry in tx: what the public may
// read of it (its number, the period, the organisation, its words and the
// provision it proposes), with the visibility of its period and under the
// period's document, so that a change of the document's visibility moves
// its comments' entries with it. A hidden comment has no entry: its words
// are the secretariat's alone.
//
// The entry is written at the end of the transaction, in the same
// transaction (search.IndexAtCommit): comments arrive in groups sharing one
// transaction, and SQLite's full-text index writes out what it holds in
// memory at every savepoint, so indexing in each command would write the
// index in as many small pieces as there are comments. A command undone at
// its savepoint drops its entry with it.
func indexComment(tx *store.Tx, f forum.Forum, p Period, c Comment) {
	if c.Hidden {
		search.RemoveAtCommit(tx, search.KindComment, c.ID)
		return
	}
	text := c.Text
	if c.Proposed != "" {
		text += "\n\n" + c.Proposed
	}
	search.IndexAtCommit(tx, search.Entry{Kind: search.KindComment, RefID: c.ID, DocumentID: p.DocumentID, ForumID: f.ID,
		Visibility: p.visibility, At: c.CreatedAt, Number: c.Ref, Title: p.Title + ": " + c.Organisation, Text: text,
		Path: CommentPath(f, c)})
}

// reindexPage is how many comments one transaction of Reindex writes.
const reindexPage = 5000

// Reindex writes the search entries of every comment of forum f again
// from their rows (a hidden comment's entry is removed), a few thousand
// to a transaction, and says how many comments. The index is derived
// from the rows: rebuilding it changes nothing on the record.
func (s *Service) Reindex(ctx context.Context, f forum.Forum) (int, error) {
	rows, err := s.store.QueryContext(ctx, "SELECT "+periodColumns+" FROM consultation_periods WHERE forum_id = ? ORDER BY id", f.ID)
	if err != nil {
		return 0, err
	}
	var ps []Period
	for rows.Next() {
		p, err := scanPeriod(rows)
		if err != nil {
			rows.Close()
			return 0, err
		}
		ps = append(ps, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, p := range ps {
		for after := 0; ; {
			var cs []Comment
			if _, err := s.store.Write(ctx, func(tx *store.Tx) error {
				cs = cs[:0]
				rows, err := tx.QueryContext(ctx, "SELECT "+commentColumns+" FROM consultation_comments WHERE period_id = ? AND number > ? ORDER BY number LIMIT ?",
					p.ID, after, reindexPage)
				if err != nil {
					return err
				}
				for rows.Next() {
					c, err := scanComment(rows)
					if err != nil {
						rows.Close()
						return err
					}
					cs = append(cs, c)
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
				for _, c := range cs {
					indexComment(tx, f, p, c)
				}
				return nil
			}); err != nil {
				return 0, err
			}
			n += len(cs)
			if len(cs) < reindexPage {
				break
			}
			after = cs[len(cs)-1].Number
		}
	}
	return n, nil
}
