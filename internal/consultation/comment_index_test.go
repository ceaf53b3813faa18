package consultation_test

import (
	"testing"

	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/search"
	"github.com/plenary-forum/plenary/internal/store"
)

// commentHits searches the forum as a and returns the comment hits.
func (s *setup) commentHits(t *testing.T, a forum.Actor, q string) []search.Hit {
	t.Helper()
	res, err := s.Svc.Documents.Search(s.Ctx, a, documents.SearchInput{Q: q, Forum: s.F.Slug})
	if err != nil {
		t.Fatal(err)
	}
	var out []search.Hit
	for _, h := range res.Hits {
		if h.Kind == search.KindComment {
			out = append(out, h)
		}
	}
	return out
}

func TestSearchFindsCommentsButNotHiddenOnes(t *testing.T) {
	s := newSetup(t)
	p := s.open(t, true)
	c := s.comment(t, s.Outsider, p, consultation.CommentInput{Text: "Multistakeholder governance needs zanzibarian transparency.",
		Organisation: "Open Net Coalition"})
	s.comment(t, s.Isoc, p, consultation.CommentInput{Text: "An unrelated remark about interconnection."})

	hits := s.commentHits(t, s.Isoc, "zanzibarian")
	if len(hits) != 1 {
		t.Fatalf("a search for the comment's word finds %d comments, want 1: %+v", len(hits), hits)
	}
	h := hits[0]
	if h.RefID != c.ID || h.Number != c.Ref || h.Path != "/forums/"+s.F.Slug+"/comments/"+c.Ref || h.ForumID != s.F.ID {
		t.Errorf("the hit is %+v, want comment %s (%s)", h, c.ID, c.Ref)
	}
	if h.Title != p.Title+": Open Net Coalition" {
		t.Errorf("the hit's title is %q", h.Title)
	}
	if got := s.commentHits(t, s.Isoc, "interconnection"); len(got) != 1 || got[0].Number != "C-2" {
		t.Errorf("a search for the second comment finds %+v", got)
	}

	// Hidden: its words leave the index, for everyone; shown again: back.
	if _, err := s.C.HideComment(s.Ctx, s.in(t, s.Admin), c.Ref, "off topic"); err != nil {
		t.Fatal(err)
	}
	for _, a := range []forum.Actor{s.Isoc, s.Admin} {
		if got := s.commentHits(t, a, "zanzibarian"); len(got) != 0 {
			t.Errorf("a hidden comment is found by %s: %+v", a.Name, got)
		}
	}
	if got := s.commentHits(t, s.Isoc, "interconnection"); len(got) != 1 {
		t.Errorf("hiding one comment took another out of the index: %+v", got)
	}
	if _, err := s.C.UnhideComment(s.Ctx, s.in(t, s.Admin), c.Ref); err != nil {
		t.Fatal(err)
	}
	if got := s.commentHits(t, s.Isoc, "zanzibarian"); len(got) != 1 || got[0].RefID != c.ID {
		t.Errorf("a comment shown again is not found: %+v", got)
	}
}

// Reindexing writes every entry again from the rows: the comments, the
// draft's provisions and the documents, and no hidden comment.
func TestReindexRebuildsLostEntries(t *testing.T) {
	s := newSetup(t)
	p := s.open(t, true)
	s.comment(t, s.Outsider, p, consultation.CommentInput{Text: "Multistakeholder governance needs zanzibarian transparency."})
	hidden := s.comment(t, s.Isoc, p, consultation.CommentInput{Text: "A zanzibarian insult."})
	if _, err := s.C.HideComment(s.Ctx, s.in(t, s.Admin), hidden.Ref, "abuse"); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		var n int
		if err := s.St.QueryRowContext(s.Ctx, "SELECT COUNT(*) FROM search_entries WHERE forum_id = ?", s.F.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	if _, err := s.St.Write(s.Ctx, func(tx *store.Tx) error {
		rows, err := tx.QueryContext(s.Ctx, "SELECT kind, ref_id FROM search_entries WHERE forum_id = ?", s.F.ID)
		if err != nil {
			return err
		}
		var refs [][2]string
		for rows.Next() {
			var k, r string
			rows.Scan(&k, &r)
			refs = append(refs, [2]string{k, r})
		}
		rows.Close()
		for _, r := range refs {
			if err := search.Remove(s.Ctx, tx, r[0], r[1]); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 0 || len(s.commentHits(t, s.Isoc, "zanzibarian")) != 0 {
		t.Fatalf("%d entries left after removing them", n)
	}
	docs, err := s.Svc.Documents.Reindex(s.Ctx, s.F)
	if err != nil || docs == 0 {
		t.Fatalf("documents: %d, %v", docs, err)
	}
	drafts, err := s.Svc.Drafting.Reindex(s.Ctx, s.F)
	if err != nil || drafts != 1 {
		t.Fatalf("drafts: %d, %v", drafts, err)
	}
	comments, err := s.C.Reindex(s.Ctx, s.F)
	if err != nil || comments != 2 {
		t.Fatalf("comments: %d, %v", comments, err)
	}
	if n := count(); n != before {
		t.Errorf("%d entries after reindexing, %d before they were lost", n, before)
	}
	if hits := s.commentHits(t, s.Admin, "zanzibarian"); len(hits) != 1 || hits[0].RefID == hidden.ID {
		t.Errorf("after reindexing, the search finds %+v: want the one comment not hidden", hits)
	}
}
