package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// lifeSite is a forum with Brazil's delegate and a public draft, and
// browser clients for the secretariat and the delegate.
type lifeSite struct {
	*servertest.Site
	f        forum.Forum
	sec, bra *servertest.Client
	draft    string // the draft's path
}

func newLifeSite(t *testing.T) *lifeSite {
	t.Helper()
	s := &lifeSite{Site: servertest.New(t)}
	ctx := context.Background()
	sec := s.User("sec@example.org", "Sofia Secretariat", true)
	f, err := s.Svc.Kernel.CreateForum(ctx, sec, forum.ForumInput{Slug: "wtpf-13", Title: "WTPF-13: Policy Forum", Kind: forum.KindPolicyForum})
	if err != nil {
		t.Fatal(err)
	}
	s.f = f
	in := func() *forum.Scope { return fixture.In(t, s.Svc.Kernel, sec, f.Slug) }
	if _, err := s.Svc.Participation.AddParty(ctx, in(), participation.PartyInput{Code: "BRA", Name: "Brazil", Group: rules.GroupMemberState}); err != nil {
		t.Fatal(err)
	}
	bra := s.User("bra@example.org", "Beatriz Delegate", false)
	if _, err := s.Svc.Participation.Register(ctx, in(), participation.RegistrationInput{Email: bra.Email, Party: "BRA", Role: "delegate"}); err != nil {
		t.Fatal(err)
	}
	d, err := s.Svc.Drafting.CreateDraft(ctx, in(), drafting.DraftInput{Text: "# Draft Opinion\n\n1. that the work should be open.\n", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	s.draft = drafting.DraftPath(f, d.ID)
	s.sec, s.bra = s.Client(), s.Client()
	s.sec.Login(sec.Email)
	s.bra.Login(bra.Email)
	return s
}

func wantPage(t *testing.T, what string, r servertest.Response, status int, says ...string) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: %d, want %d\n%.3000s", what, r.StatusCode, status, r.Body)
	}
	for _, s := range says {
		if !strings.Contains(r.Body, s) {
			t.Errorf("%s: the page does not say %q\n%.5000s", what, s, r.Body)
		}
	}
}

// The secretariat sets and extends deadlines on the forum's page; the
// forum's page and the forms they close show them, with the time left.
func TestDeadlinesOnThePages(t *testing.T) {
	s := newLifeSite(t)
	page := "/forums/wtpf-13"
	later := time.Now().UTC().Add(10*24*time.Hour + time.Hour).Truncate(time.Minute)
	past := time.Now().UTC().Add(-24 * time.Hour).Truncate(time.Minute)
	r := s.sec.PostForm(page, page+"/deadlines", url.Values{"kind": {"proposals"}, "due_at": {later.Format("2006-01-02T15:04")}})
	wantPage(t, "set proposals", r, http.StatusSeeOther)
	r = s.sec.PostForm(page, page+"/deadlines", url.Values{"kind": {"contributions"}, "due_at": {past.Format("2006-01-02T15:04")}})
	wantPage(t, "set contributions", r, http.StatusSeeOther)
	// A change without a reason is refused on the form, which keeps what
	// was sent.
	r = s.sec.PostForm(page, page+"/deadlines", url.Values{"kind": {"proposals"}, "due_at": {"2099-01-01T10:00"}})
	wantPage(t, "extend without a reason", r, http.StatusUnprocessableEntity, "is required", `value="2099-01-01T10:00"`)
	r = s.sec.PostForm(page, page+"/deadlines", url.Values{"kind": {"proposals"}, "due_at": {"soon"}, "reason": {"x"}})
	wantPage(t, "a bad time", r, http.StatusUnprocessableEntity, "must be a date")

	r = s.Client().Get(page)
	wantPage(t, "forum page", r, http.StatusOK, "Deadlines", "Proposals: <time", later.Format("2 Jan 2006 15:04 UTC"), "(10 days left)",
		"Contributions: <time", past.Format("2 Jan 2006 15:04 UTC"), "(closed)", "The deadline for proposals was set")
	if strings.Contains(r.Body, `action="/forums/wtpf-13/deadlines"`) {
		t.Error("the public sees the secretariat's deadline form")
	}
	wantPage(t, "propose form", s.bra.Get(s.draft+"/propose"), http.StatusOK, "Deadline for proposals: <time", "(10 days left)")
	wantPage(t, "document form", s.bra.Get(page+"/documents/new"), http.StatusOK, "The deadline for contributions passed on <time")

	r = s.sec.PostForm(page, page+"/deadlines", url.Values{"kind": {"contributions"}, "due_at": {later.Format("2006-01-02T15:04")}, "reason": {"Translations are late."}})
	wantPage(t, "extend", r, http.StatusSeeOther)
	wantPage(t, "forum page after the extension", s.Client().Get(page), http.StatusOK,
		"The deadline for contributions was extended from "+past.Format("2 Jan 2006 15:04 UTC")+" to "+later.Format("2 Jan 2006 15:04 UTC")+". Reason: Translations are late.")
}

// A closed forum's page says so and offers the secretariat only its
// reopening, with a reason.
func TestClosedForumPageOffersReopening(t *testing.T) {
	s := newLifeSite(t)
	page := "/forums/wtpf-13"
	for _, status := range []string{"open", "closed"} {
		wantPage(t, status, s.sec.PostForm(page, page+"/status", url.Values{"status": {status}}), http.StatusSeeOther)
	}
	r := s.sec.Get(page)
	wantPage(t, "closed forum", r, http.StatusOK, "nothing in it changes unless the secretariat reopens it", `action="/forums/wtpf-13/reopen"`)
	for _, gone := range []string{`action="/forums/wtpf-13/status"`, `action="/forums/wtpf-13/bodies"`, `action="/forums/wtpf-13/deadlines"`, `action="/forums/wtpf-13/discard"`} {
		if strings.Contains(r.Body, gone) {
			t.Errorf("a closed forum's page offers %s", gone)
		}
	}
	wantPage(t, "reopen without a reason", s.sec.PostForm(page, page+"/reopen", url.Values{"reason": {""}}), http.StatusUnprocessableEntity,
		`id="e-reason"`, "is required")
	wantPage(t, "reopen", s.sec.PostForm(page, page+"/reopen", url.Values{"reason": {"The plenary resumes."}}), http.StatusSeeOther)
	wantPage(t, "reopened forum", s.Client().Get(page), http.StatusOK, "The forum was reopened. Reason: The plenary resumes.")
}

// A forum that never opened is discarded from its page: it leaves the
// home page, and its page says it is discarded.
func TestDiscardedForumLeavesTheHomePage(t *testing.T) {
	s := newLifeSite(t)
	ctx := context.Background()
	if _, err := s.Svc.Kernel.CreateForum(ctx, forum.Actor{UserID: "x", Admin: true}, forum.ForumInput{Slug: "try-out", Title: "Try-out forum", Kind: forum.KindOpenForum}); err != nil {
		t.Fatal(err)
	}
	wantPage(t, "home", s.Client().Get("/"), http.StatusOK, "Try-out forum", "WTPF-13")
	wantPage(t, "discard without a reason", s.sec.PostForm("/forums/try-out", "/forums/try-out/discard", url.Values{}), http.StatusUnprocessableEntity,
		`id="e-discard-reason"`)
	wantPage(t, "discard", s.sec.PostForm("/forums/try-out", "/forums/try-out/discard", url.Values{"reason": {"Set up to try the software."}}), http.StatusSeeOther)
	r := s.Client().Get("/")
	wantPage(t, "home", r, http.StatusOK, "WTPF-13")
	if strings.Contains(r.Body, "Try-out forum") {
		t.Error("the home page lists a discarded forum")
	}
	wantPage(t, "the discarded forum's page", s.Client().Get("/forums/try-out"), http.StatusOK, "This forum is discarded", "The forum was discarded; its record is kept. Reason: Set up to try the software.")
	// A forum that opened offers no discarding.
	wantPage(t, "open", s.sec.PostForm("/forums/wtpf-13", "/forums/wtpf-13/status", url.Values{"status": {"open"}}), http.StatusSeeOther)
	if strings.Contains(s.sec.Get("/forums/wtpf-13").Body, `action="/forums/wtpf-13/discard"`) {
		t.Error("a forum that opened offers discarding")
	}
}

// "Latest on the record" on the forum's page numbers its entries with
// their sequence numbers on the ledger, linked to their rows on the
// Record page, as the Record page numbers them.
func TestForumActivityShowsLedgerSequenceNumbers(t *testing.T) {
	s := newLifeSite(t)
	ctx := context.Background()
	head, err := s.Svc.Kernel.Store().HeadSeq(ctx, s.f.ID)
	if err != nil || head < 3 {
		t.Fatalf("head %d: %v", head, err)
	}
	r := s.Client().Get("/forums/wtpf-13")
	wantPage(t, "forum page", r, http.StatusOK, `<ul class="activity">`)
	evs, err := s.Svc.Kernel.Store().EventsBefore(ctx, s.f.ID, head+1, 3, []string{"public"})
	if err != nil || len(evs) == 0 {
		t.Fatalf("events: %v", err)
	}
	for _, ev := range evs {
		seq := strconv.FormatInt(ev.Seq, 10)
		wantPage(t, "forum page", r, http.StatusOK,
			`<li data-seq="`+seq+`"><a class="seq" href="/forums/wtpf-13/record?before=`+strconv.FormatInt(ev.Seq+1, 10)+`#e`+seq+`">#`+seq+`</a>`)
		rec := s.Client().Get("/forums/wtpf-13/record?before=" + strconv.FormatInt(ev.Seq+1, 10))
		wantPage(t, "record page", rec, http.StatusOK, `<tr id="e`+seq+`"><td>`+seq+`</td>`)
	}
}
