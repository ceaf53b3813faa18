package consultation

import (
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
