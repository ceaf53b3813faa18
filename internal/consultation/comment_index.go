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
func indexComment(ctx context.Context, tx *store.Tx, f forum.Forum, p Period, c Comment) error {
	if c.Hidden {
		return search.Remove(ctx, tx, search.KindComment, c.ID)
	}
	text := c.Text
	if c.Proposed != "" {
		text += "\n\n" + c.Proposed
	}
	return search.Index(ctx, tx, search.Entry{Kind: search.KindComment, RefID: c.ID, DocumentID: p.DocumentID, ForumID: f.ID,
		Visibility: p.visibility, At: c.CreatedAt, Number: c.Ref, Title: p.Title + ": " + c.Organisation, Text: text,
		Path: CommentPath(f, c)})
}
