package consultation_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/server/servertest"
	webconsultation "github.com/plenary-forum/plenary/internal/web/consultation"
)

const draftOpinion = `# Draft Opinion 5: Supporting multi-stakeholderism

*recognizing*

a) that the Internet is a global resource that every stakeholder shapes;

*is of the view*

1. that all stakeholders should take part in Internet governance in their respective roles;

2. that the work of the Forum should be open to all.
`

// site is a forum with a public draft opinion, its secretariat, a
// delegate of Brazil and a member of the public (an account registered in
// no forum).
type site struct {
	*servertest.Site
	f                  forum.Forum
	d                  drafting.DraftText
	sec, bra, public   forum.Actor
	editor             forum.Actor
	secC, braC, pubC   *servertest.Client
	anon               *servertest.Client
	base, draftPath    string
	clause1, preambleA string
}

func newSite(t *testing.T) *site {
	t.Helper()
	s := &site{Site: servertest.New(t)}
	ctx := context.Background()
	s.sec = s.User("sec@example.org", "Sofia Secretariat", true)
	f, err := s.Svc.Kernel.CreateForum(ctx, s.sec, forum.ForumInput{Slug: "wtpf-13", Title: "WTPF-13: Policy Forum", Kind: forum.KindPolicyForum, DocPrefix: "WTPF-13"})
	if err != nil {
		t.Fatal(err)
	}
	s.f = f
	in := fixture.In(t, s.Svc.Kernel, s.sec, f.Slug)
	if _, err := s.Svc.Participation.AddParty(ctx, in, participation.PartyInput{Code: "BRA", Name: "Brazil", Group: rules.GroupMemberState}); err != nil {
		t.Fatal(err)
	}
	s.bra = s.User("bra@example.org", "Beatriz Delegate", false)
	if _, err := s.Svc.Participation.Register(ctx, in, participation.RegistrationInput{Email: s.bra.Email, Party: "BRA", Role: "delegate", Mode: string(rules.InRoom)}); err != nil {
		t.Fatal(err)
	}
	s.editor = s.User("editor@example.org", "Edith Editor", false)
	if _, err := s.Svc.Participation.Register(ctx, in, participation.RegistrationInput{Email: s.editor.Email, Group: rules.GroupSecretariat, Role: "editor", Mode: string(rules.InRoom)}); err != nil {
		t.Fatal(err)
	}
	s.public = s.User("pat@example.org", "Pat Public", false)
	if s.d, err = s.Svc.Drafting.CreateDraft(ctx, in, drafting.DraftInput{Text: draftOpinion, Visibility: "public", Number: 5}); err != nil {
		t.Fatal(err)
	}
	rv, err := s.Svc.Drafting.DraftRevision(ctx, in, s.d.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rv.Text.Provisions {
		switch rv.Text.Provisions[i].DisplayLabel() {
		case "1.":
			s.clause1 = rv.Text.Provisions[i].ID
		case "a)":
			s.preambleA = rv.Text.Provisions[i].ID
		}
	}
	if s.clause1 == "" || s.preambleA == "" {
		t.Fatalf("provisions %+v", rv.Text.Provisions)
	}
	s.base = "/forums/" + f.Slug
	s.draftPath = drafting.DraftPath(f, s.d.ID)
	s.secC, s.braC, s.pubC, s.anon = s.Client(), s.Client(), s.Client(), s.Client()
	s.secC.Login(s.sec.Email)
	s.braC.Login(s.bra.Email)
	s.pubC.Login(s.public.Email)
	return s
}

// open opens a period through the secretariat's form and returns its page.
func (s *site) open(t *testing.T, public bool) string {
	t.Helper()
	form := url.Values{"title": {"Comments on draft Opinion 5"}, "draft": {s.d.ID},
		"closes": {time.Now().UTC().Add(48 * time.Hour).Format("2006-01-02T15:04")}}
	if public {
		form.Set("public", "1")
	}
	r := s.secC.PostForm(s.base+"/consultations", s.base+"/consultations", form)
	wantStatus(t, r, http.StatusSeeOther)
	return r.Header.Get("Location")
}

// comment posts the comment form as c and returns the response.
// submitMany submits n comments from the public, without the bounds on
// intake, to the period at the path period; the i-th is made by in(i), as
// from an individual in civil society.
func (s *site) submitMany(t *testing.T, period string, n int, in func(i int) consultation.CommentInput) {
	t.Helper()
	s.Svc.Consultation.PerAccount, s.Svc.Consultation.PerAddress = 0, 0
	id := period[strings.LastIndex(period, "/")+1:]
	sc := fixture.In(t, s.Svc.Kernel, s.public, s.f.Slug)
	for i := range n {
		c := in(i)
		c.Group, c.Organisation, c.Address = "civil_society", "individual", "192.0.2.9"
		if _, err := s.Svc.Consultation.SubmitComment(context.Background(), sc, id, c); err != nil {
			t.Fatal(err)
		}
	}
}

func (s *site) comment(c *servertest.Client, period string, form url.Values) servertest.Response {
	for k, v := range map[string]string{"group": "civil_society", "organisation": "individual", "target": "whole"} {
		if form.Get(k) == "" {
			form.Set(k, v)
		}
	}
	return c.PostForm(s.base, period+"/comments", form)
}

func wantStatus(t *testing.T, r servertest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, mainOf(r.Body))
	}
}

func mustContain(t *testing.T, r servertest.Response, subs ...string) {
	t.Helper()
	for _, x := range subs {
		if !strings.Contains(r.Body, x) {
			t.Fatalf("%s %s: no %q in\n%s", r.Request.Method, r.Request.URL.Path, x, mainOf(r.Body))
		}
	}
}

func mustNotContain(t *testing.T, r servertest.Response, subs ...string) {
	t.Helper()
	for _, x := range subs {
		if strings.Contains(r.Body, x) {
			t.Fatalf("%s %s: %q should not be in\n%s", r.Request.Method, r.Request.URL.Path, x, mainOf(r.Body))
		}
	}
}

func mainOf(body string) string {
	_, after, found := strings.Cut(body, `<main id="main"`)
	if !found {
		return body
	}
	m, _, _ := strings.Cut(after, "</main>")
	return m
}

func TestCommentingAndAnsweringThroughThePages(t *testing.T) {
	s := newSite(t)
	period := s.open(t, true)
	if !strings.HasPrefix(period, s.base+"/consultations/") {
		t.Fatalf("opened at %q", period)
	}
	// The tab, the list and the period's page, for anyone.
	r := s.anon.Get(s.base)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, `href="/forums/wtpf-13/consultations"`)
	r = s.anon.Get(s.base + "/consultations")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Comments on draft Opinion 5", consultation.Open.Label(), "WTPF-13/5, revision 1")
	r = s.anon.Get(period)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Sign in</a> to comment", "0 unanswered")
	// The draft's page links each provision to the comment form.
	r = s.pubC.Get(s.draftPath)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Public comment on this revision", "/comment?provision="+s.clause1+"&amp;target=provision")

	// A member of the public comments on clause 1, on words in it, and
	// proposes missing text after it.
	form := url.Values{"target": {"provision"}, "provision": {s.clause1}, "group": {"civil_society"}, "organisation": {"Open Net Coalition"},
		"text": {"Say how stakeholders take part."}}
	r = s.comment(s.pubC, period, form)
	wantStatus(t, r, http.StatusSeeOther)
	c1 := r.Header.Get("Location")
	if !strings.HasSuffix(c1, "/comments/C-1") {
		t.Fatalf("comment at %q", c1)
	}
	r = s.comment(s.pubC, period, url.Values{"target": {"span"}, "provision": {s.clause1}, "quote": {"respective roles"}, "text": {"Roles are not fixed."}})
	wantStatus(t, r, http.StatusSeeOther)
	r = s.comment(s.pubC, period, url.Values{"target": {"missing"}, "after": {s.clause1}, "proposed": {"that surveillance be limited by law;"},
		"text": {"The draft is silent on surveillance."}})
	wantStatus(t, r, http.StatusSeeOther)
	r = s.anon.Get(period)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "C-1", "C-2", "C-3", "Pat Public", "Open Net Coalition", "civil society", "respective roles",
		"New provisions proposed after", "that surveillance be limited by law;", "3 unanswered")
	// The provision's own page has its comments, not the others.
	r = s.anon.Get(period + "/provisions/" + s.preambleA)
	wantStatus(t, r, http.StatusOK)
	mustNotContain(t, r, "Say how stakeholders take part.")
	r = s.anon.Get(period + "/provisions/" + s.clause1)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Say how stakeholders take part.", "Roles are not fixed.")
	wantStatus(t, s.anon.Get(period+"/provisions/p999"), http.StatusNotFound)

	// Refused input keeps what was written and names the field.
	r = s.comment(s.pubC, period, url.Values{"target": {"span"}, "provision": {s.clause1}, "quote": {"words not in the text"}, "text": {"Kept text of mine."}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "Kept text of mine.", `id="e-quote"`)

	// The delegate of Brazil may not hide or answer.
	r = s.braC.PostForm(s.base, c1+"/hide", url.Values{"reason": {"no"}})
	wantStatus(t, r, http.StatusForbidden)
	r = s.braC.PostForm(s.base, c1+"/dispose", url.Values{"outcome": {"accepted"}, "reason": {"no"}})
	wantStatus(t, r, http.StatusForbidden)

	// The secretariat answers C-1, linking clause 1; a disposition without
	// its reason is refused naming the field.
	r = s.secC.PostForm(c1, c1+"/dispose", url.Values{"outcome": {"accepted"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, `id="e-reason"`)
	r = s.secC.PostForm(c1, c1+"/dispose", url.Values{"outcome": {"accepted_in_part"}, "reason": {"Clause 1 now names the roles."},
		"link_revision": {"1"}, "link_provision": {s.clause1}})
	wantStatus(t, r, http.StatusSeeOther)
	r = s.pubC.Get(c1)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Disposition: "+consultation.AcceptedInPart.Label(), "Clause 1 now names the roles.", "#prov-"+s.clause1)
	// The link names the provision as the text does, not by its id.
	mustContain(t, r, ">The provision is of the view 1. in revision 1</a>")
	mustNotContain(t, r, "The provision "+s.clause1)
	// The drafting log of clause 1 shows it; the revision form counts
	// the two unanswered.
	r = s.anon.Get(s.draftPath + "/provisions/" + s.clause1)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Public comments on this provision", "Clause 1 now names the roles.", "The draft is silent on surveillance.")
	edC := s.Client()
	edC.Login(s.editor.Email)
	r = edC.Get(s.draftPath + "/revise")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "2 comments still unanswered")

	// Hiding: the public reads the reason, the secretariat the text.
	r = s.secC.PostForm(s.base+"/comments/C-2", s.base+"/comments/C-2/hide", url.Values{"reason": {"abusive language"}})
	wantStatus(t, r, http.StatusSeeOther)
	r = s.anon.Get(period)
	mustContain(t, r, "hidden by the secretariat: abusive language", "1 hidden")
	mustNotContain(t, r, "Roles are not fixed.")
	r = s.secC.Get(period)
	mustContain(t, r, "hidden by the secretariat: abusive language", "Roles are not fixed.")
	r = s.secC.PostForm(s.base+"/comments/C-2", s.base+"/comments/C-2/hide", url.Values{"reason": {"again"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)

	// The disposition table and its downloads.
	table := s.base + "/drafts/" + s.d.ID + "/revisions/1/dispositions"
	r = s.anon.Get(table)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "C-1", "Clause 1 now names the roles.", "hidden by the secretariat: abusive language")
	mustNotContain(t, r, "Roles are not fixed.")
	// Read 2 rows before the answer, the others while writing it.
	wasFirst := *webconsultation.DownloadFirstPage
	*webconsultation.DownloadFirstPage = 2
	t.Cleanup(func() { *webconsultation.DownloadFirstPage = wasFirst })
	r = s.anon.Get(table + ".csv")
	wantStatus(t, r, http.StatusOK)
	if ct, cd := r.Header.Get("Content-Type"), r.Header.Get("Content-Disposition"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(cd, `.csv"`) {
		t.Fatalf("CSV headers %q %q", ct, cd)
	}
	recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || recs[0][0] != "comment" || recs[1][0] != "C-1" || recs[1][11] != string(consultation.AcceptedInPart) {
		t.Fatalf("CSV %q", recs)
	}
	r = s.anon.Get(table + ".json")
	wantStatus(t, r, http.StatusOK)
	var doc consultation.TableDocument
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil {
		t.Fatal(err)
	}
	if r.Header.Get("Content-Type") != "application/json" || !strings.Contains(r.Header.Get("Content-Disposition"), `.json"`) ||
		doc.Format != consultation.TableFormat || len(doc.Rows) != 3 || doc.Rows[1].Text == "Roles are not fixed." {
		t.Fatalf("JSON %s %+v", r.Header, doc)
	}
	wantStatus(t, s.anon.Get(s.base+"/drafts/"+s.d.ID+"/revisions/7/dispositions"), http.StatusNotFound)

	// The period is extended with a reason, then closed; no comment after.
	r = s.secC.PostForm(period, period+"/extend", url.Values{"closes": {time.Now().UTC().Add(96 * time.Hour).Format("2006-01-02T15:04")}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, `id="e-reason"`)
	r = s.secC.PostForm(period, period+"/extend", url.Values{"closes": {time.Now().UTC().Add(96 * time.Hour).Format("2006-01-02T15:04")}, "reason": {"Many asked for more time."}})
	wantStatus(t, r, http.StatusSeeOther)
	// The period's page says it was extended, from when, and why.
	mustContain(t, s.anon.Get(period), "Extended by the secretariat on", "Reason given: Many asked for more time.")
	r = s.braC.PostForm(period, period+"/close", nil)
	wantStatus(t, r, http.StatusForbidden)
	r = s.secC.PostForm(period, period+"/close", nil)
	wantStatus(t, r, http.StatusSeeOther)
	r = s.comment(s.pubC, period, url.Values{"text": {"Too late?"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "closed", "Too late?")
	wantStatus(t, s.pubC.Get(period+"/comment"), http.StatusConflict)
	r = s.anon.Get(s.base + "/record")
	mustContain(t, r, "Many asked for more time.", "The secretariat hid comment C-2: abusive language")
}

func TestWhoMayComment(t *testing.T) {
	s := newSite(t)
	period := s.open(t, false)
	// Anonymous visitors are sent to sign in; a member of the public may
	// not comment in a period not open to the public; a participant may.
	r := s.anon.Get(period + "/comment")
	wantStatus(t, r, http.StatusSeeOther)
	if !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("sent to %q", r.Header.Get("Location"))
	}
	wantStatus(t, s.pubC.Get(period+"/comment"), http.StatusForbidden)
	r = s.comment(s.pubC, period, url.Values{"text": {"Let me in."}})
	wantStatus(t, r, http.StatusForbidden)
	r = s.braC.Get(period + "/comment?target=provision&provision=" + s.clause1)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, `value="`+s.clause1+`" selected`, "Your stakeholder group", "Your organisation", "The text you propose")
	r = s.comment(s.braC, period, url.Values{"group": {"no_such_group"}, "text": {"Brazil's view."}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, `id="e-group"`, "Brazil&#39;s view.")

	// Intake is bounded: over the bound, 429 with the text kept.
	s.Svc.Consultation.PerAccount = 2
	for i := range 2 {
		wantStatus(t, s.comment(s.braC, period, url.Values{"text": {"Comment number " + string(rune('a'+i))}}), http.StatusSeeOther)
	}
	r = s.comment(s.braC, period, url.Values{"text": {"One too many."}})
	wantStatus(t, r, http.StatusTooManyRequests)
	mustContain(t, r, "One too many.", "send it again later")

	// A period on a draft that is not public is not found by the public.
	ctx := context.Background()
	in := fixture.In(t, s.Svc.Kernel, s.sec, s.f.Slug)
	d, err := s.Svc.Drafting.CreateDraft(ctx, in, drafting.DraftInput{Text: draftOpinion, Visibility: "members", Number: 6})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Svc.Consultation.OpenPeriod(ctx, in, consultation.PeriodInput{Draft: d.ID, Title: "Members only", Closes: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, s.anon.Get(s.base+"/consultations/"+p.ID), http.StatusNotFound)
	wantStatus(t, s.pubC.Get(s.base+"/consultations/"+p.ID), http.StatusNotFound)
	for _, c := range []*servertest.Client{s.anon, s.pubC} {
		r = c.Get(s.base + "/consultations")
		wantStatus(t, r, http.StatusOK)
		mustNotContain(t, r, "Members only")
		wantStatus(t, c.Get(s.base), http.StatusOK)
	}
	wantStatus(t, s.braC.Get(s.base+"/consultations/"+p.ID), http.StatusOK)
}

func TestCampaignsAndTheSecretariatsForms(t *testing.T) {
	s := newSite(t)
	// A non-secretariat may not open a period; a refused one keeps input.
	r := s.braC.PostForm(s.base, s.base+"/consultations", url.Values{"title": {"x"}, "draft": {s.d.ID}, "closes": {"2099-01-01T00:00"}})
	wantStatus(t, r, http.StatusForbidden)
	r = s.secC.PostForm(s.base+"/consultations", s.base+"/consultations", url.Values{"title": {"Kept title"}, "draft": {s.d.ID}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, `id="e-closes"`, `value="Kept title"`)
	period := s.open(t, true)
	text := "We ask the Forum to protect the open Internet for everyone, everywhere, now and in the future."
	for _, c := range []*servertest.Client{s.pubC, s.braC, s.secC} {
		wantStatus(t, s.comment(c, period, url.Values{"text": {text}}), http.StatusSeeOther)
	}
	wantStatus(t, s.comment(s.pubC, period, url.Values{"text": {"Something else entirely, about the brackets."}}), http.StatusSeeOther)
	r = s.anon.Get(period + "/campaigns")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Campaign C-1: 3 comments", "in the words of its first comment", "We ask the Forum to protect the open Internet for everyone, everywhere", `href="/forums/wtpf-13/comments/C-3"`)
	mustNotContain(t, r, "Signs of fabrication")
	r = s.secC.Get(period + "/campaigns")
	mustContain(t, r, "Signs of fabrication", "Answer the campaign")
	wantStatus(t, s.braC.PostForm(s.base, period+"/campaigns/1/dispose", url.Values{"outcome": {"noted"}, "reason": {"x"}}), http.StatusForbidden)
	r = s.secC.PostForm(period+"/campaigns", period+"/campaigns/1/dispose", url.Values{"outcome": {"noted"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	r = s.secC.PostForm(period+"/campaigns", period+"/campaigns/1/dispose", url.Values{"outcome": {"noted"}, "reason": {"Taken into account in clause 2."}})
	wantStatus(t, r, http.StatusSeeOther)
	r = s.anon.Get(s.base + "/comments/C-3")
	mustContain(t, r, "Taken into account in clause 2.", "Given to the whole campaign C-1")
	r = s.anon.Get(period)
	mustContain(t, r, "1 unanswered")
}

// A period's page shows its comments a page at a time, with links to go
// on and back to the first, keeping its filter.
func TestPeriodPageGoesThroughCommentsInPages(t *testing.T) {
	s := newSite(t)
	period := s.open(t, true)
	s.Svc.Consultation.PerAccount, s.Svc.Consultation.PerAddress = 0, 0
	was := webconsultation.CommentsPerPage
	webconsultation.CommentsPerPage = 2
	t.Cleanup(func() { webconsultation.CommentsPerPage = was })
	for i := range 5 {
		r := s.comment(s.pubC, period, url.Values{"text": {fmt.Sprintf("Remark number %d on the whole.", i+1)}})
		wantStatus(t, r, http.StatusSeeOther)
	}
	r := s.anon.Get(period)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Comments C-1 to C-2", "Remark number 1 ", "Remark number 2 ", `href="`+period+`?after=2" rel="next">Later comments`)
	mustNotContain(t, r, "Remark number 3 ", "From the first")
	r = s.anon.Get(period + "?after=2")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Comments C-3 to C-4", "Remark number 3 ", `href="`+period+`">From the first`, `href="`+period+`?after=4"`)
	mustNotContain(t, r, "Remark number 2 ", "Remark number 5 ")
	r = s.anon.Get(period + "?after=C-4")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Comments C-5 to C-5", "Remark number 5 ")
	mustNotContain(t, r, "Later comments")
	// The filter is kept from page to page.
	r = s.anon.Get(period + "?unanswered=1")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, `href="`+period+`?after=2&amp;unanswered=1"`)
	r = s.anon.Get(period + "?after=soon")
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, "comment number")

	// The disposition table too; its downloads have every row.
	table := webconsultation.TablePath(s.f.Slug, s.d.ID, s.d.Revision)
	r = s.anon.Get(table)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Comments C-1 to C-2", `href="`+table+`?after=2" rel="next">Later comments`)
	r = s.anon.Get(table + "?after=4")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Comments C-5 to C-5", `href="`+table+`">From the first`, "Remark number 5 ")
	mustNotContain(t, r, "Later comments", "Remark number 4 ")
	// Read 2 rows before the answer, the others while writing it.
	wasFirst := *webconsultation.DownloadFirstPage
	*webconsultation.DownloadFirstPage = 2
	t.Cleanup(func() { *webconsultation.DownloadFirstPage = wasFirst })
	r = s.anon.Get(table + ".csv")
	wantStatus(t, r, http.StatusOK)
	if recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll(); err != nil || len(recs) != 6 || recs[5][0] != "C-5" {
		t.Errorf("the CSV download: %v, %d records", err, len(recs))
	}
	r = s.anon.Get(table + ".json")
	wantStatus(t, r, http.StatusOK)
	var doc consultation.TableDocument
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil || len(doc.Rows) != 5 {
		t.Errorf("the JSON download: %v, %d rows", err, len(doc.Rows))
	}
}

// The page of all campaigns shows the first variants and comments of a
// large campaign and links to its own page, which shows every one.
func TestALargeCampaignHasItsOwnPage(t *testing.T) {
	s := newSite(t)
	period := s.open(t, true)
	s.submitMany(t, period, 45, func(i int) consultation.CommentInput {
		return consultation.CommentInput{Target: consultation.TargetWhole,
			Text: fmt.Sprintf("We ask the Forum to protect the open Internet for everyone, everywhere, now and in the future. Signed, voter %d.", i+1)}
	})
	r := s.anon.Get(period + "/campaigns")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Campaign C-1: 45 comments", `href="/forums/wtpf-13/comments/C-40"`, "and 5 more", "And 35 other variants",
		`href="`+period+`/campaigns/1"`)
	mustNotContain(t, r, `href="/forums/wtpf-13/comments/C-41"`, "signed voter 45</li>")
	r = s.anon.Get(period + "/campaigns/1")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "<h1>Campaign C-1</h1>", `the first <a href="/forums/wtpf-13/comments/C-45">C-45</a>`, "signed voter 45</li>", `href="`+period+`/campaigns">All the period`)
	mustNotContain(t, r, "and 5 more", "other variants")
	wantStatus(t, s.anon.Get(period+"/campaigns/2"), http.StatusNotFound)
	wantStatus(t, s.anon.Get(period+"/campaigns/nothing"), http.StatusNotFound)
}

// A provision's drafting log shows the first fifty comments of a period on
// it and links to the period's page of the provision for every one.
func TestProvisionLogShowsTheFirstComments(t *testing.T) {
	s := newSite(t)
	period := s.open(t, true)
	s.submitMany(t, period, 51, func(i int) consultation.CommentInput {
		return consultation.CommentInput{Target: consultation.TargetProvision, Provision: s.clause1, Text: fmt.Sprintf("Point %d on clause one.", i+1)}
	})
	r := s.anon.Get(s.draftPath + "/provisions/" + s.clause1)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Public comments on this provision", "Point 50 on clause one.", `href="`+period+`/provisions/`+s.clause1+`">Every comment on this provision`)
	mustNotContain(t, r, "Point 51 on clause one.")
	r = s.anon.Get(period + "/provisions/" + s.clause1)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Point 51 on clause one.")
}
