package drafting_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/server/servertest"
	"github.com/plenary-forum/plenary/internal/text"
)

// ledgerHeads is the head of every chain of the site's ledger.
func ledgerHeads(t *testing.T, s *servertest.Site) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	chains, err := s.Store.AllChains(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, c := range chains {
		if out[c], err = s.Store.HeadSeq(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func wantSameHeads(t *testing.T, what string, before map[string]int64, s *servertest.Site) {
	t.Helper()
	after := ledgerHeads(t, s)
	if len(after) != len(before) {
		t.Fatalf("%s: chains %v, then %v", what, before, after)
	}
	for c, n := range before {
		if after[c] != n {
			t.Fatalf("%s appended events to chain %s: %d -> %d", what, c, n, after[c])
		}
	}
}

// A form field that is not valid UTF-8 is refused naming the field, and
// nothing is stored; a control character comes back on the form.
func TestFormsRefuseTextThatIsNotValid(t *testing.T) {
	s := newDraftSite(t)
	sec := s.Client()
	sec.Login(s.sec.Email)
	before := ledgerHeads(t, s.Site)
	form := url.Values{"slug": {"wcit-12"}, "title": {"WCIT-12, Duba\xef"}, "kind": {forum.KindTreatyConference}, "languages": {"en"}}
	r := sec.PostForm("/forums/new", "/forums", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "<strong>title</strong>: is not valid UTF-8 text")
	form.Set("title", "WCIT-12\x1b[2J")
	r = sec.PostForm("/forums/new", "/forums", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "must not contain control characters (it holds U&#43;001B)", `name="title"`)
	form.Set("title", "WCIT-12")
	form.Set("venue", "Dubai\x00")
	r = sec.PostForm("/forums/new", "/forums", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "must not contain control characters (it holds U&#43;0000)")
	wantSameHeads(t, "refused forms", before, s.Site)
	if _, err := s.Svc.Kernel.ForumBySlug(context.Background(), "wcit-12"); err == nil {
		t.Fatal("a refused forum was stored")
	}
	// A language written twice is kept once, in its first place.
	form.Set("venue", "Dubai")
	form.Set("languages", "ar, en, ar, fr, en")
	r = sec.PostForm("/forums/new", "/forums", form)
	wantStatus(t, r, http.StatusSeeOther)
	f, err := s.Svc.Kernel.ForumBySlug(context.Background(), "wcit-12")
	if err != nil || strings.Join(f.Languages, ",") != "ar,en,fr" {
		t.Fatalf("languages %v, %v", f.Languages, err)
	}

	// A proposal: invalid UTF-8, a control character, the limit of a
	// provision.
	before = ledgerHeads(t, s.Site)
	for _, tt := range []struct{ text, msg string }{
		{"that all stakeholders \xff;", "<strong>text</strong>: is not valid UTF-8 text"},
		{"that all\x07 stakeholders;", "must not contain control characters (it holds U&#43;0007)"},
		{strings.Repeat("words ", text.MaxProvisionText/6+1), "a provision&#39;s text must be at most 65536 bytes"},
	} {
		r = s.braClient.PostForm(s.base+"/propose", s.base+"/amendments", url.Values{"op": {"MOD"}, "provision": {"p2"}, "text": {tt.text}, "revision": {"1"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, tt.msg)
	}
	wantSameHeads(t, "refused proposals", before, s.Site)
}

// A revision number out of range on the forms is refused naming the field
// (422), not taken for a stale form (409) nor for the current revision.
func TestFormsRefuseRevisionsOutOfRange(t *testing.T) {
	s := newDraftSite(t)
	am := s.propose(t, s.usa, drafting.ProposalInput{Op: "NOC", Provision: "p1"})
	before := ledgerHeads(t, s.Site)
	for _, rev := range []string{"99", "x", "-1"} {
		r := s.edClient.PostForm(s.base+"/revise", s.base+"/revisions", url.Values{"revision": {rev}, "am-" + am.ID: {"reject"}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "revision: must be a revision of WTPF-13/5, from 1 to 1")
		r = s.braClient.PostForm(s.base+"/propose", s.base+"/amendments", url.Values{"op": {"NOC"}, "provision": {"p2"}, "revision": {rev}})
		wantStatus(t, r, http.StatusUnprocessableEntity)
		mustContain(t, r, "revision: must be a revision")
	}
	wantSameHeads(t, "refused forms", before, s.Site)
	if d, _ := s.Svc.Drafting.DraftText(context.Background(), fixture.In(t, s.Svc.Kernel, forum.Anonymous, s.f), s.d.ID); d.Revision != 1 {
		t.Fatalf("revision %d issued from a refused form", d.Revision)
	}
	r := s.anClient.Get(s.base + "?rev=9")
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "<strong>rev</strong>: must be a revision of WTPF-13/5, from 1 to 1")
}
