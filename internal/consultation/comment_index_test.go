package consultation_test

import (
	"testing"

	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/search"
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
