package consultation_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/plenary-forum/plenary/internal/browsertest"
	"github.com/plenary-forum/plenary/internal/consultation"
	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/server/servertest"
	webconsultation "github.com/plenary-forum/plenary/internal/web/consultation"
)

type mapSite struct {
	*servertest.Site
	ctx context.Context
	sec forum.Actor
}

func (s *mapSite) scope(t *testing.T, a forum.Actor) *forum.Scope {
	t.Helper()
	sc, err := s.Svc.Kernel.Scope(s.ctx, a, demo.WTPFSlug)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func (s *mapSite) login(t *testing.T, key string) *servertest.Client {
	t.Helper()
	c := s.Client()
	l := demo.LoginByKey(key)
	c.LoginWithPassword(l.Email, l.Password)
	return c
}

func mapStatus(t *testing.T, r servertest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, status, r.Body)
	}
}

func mapContains(t *testing.T, r servertest.Response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.Body, s) {
			t.Fatalf("%s %s: no %q in the page", r.Request.Method, r.Request.URL.Path, s)
		}
	}
}

// twoCampsConversation: n imported voters in two camps over six
// statements.
func twoCampsConversation(n int) consultation.ImportInput {
	in := consultation.ImportInput{Source: "camps"}
	for c := 0; c < 6; c++ {
		in.Statements = append(in.Statements, consultation.ImportStatement{External: fmt.Sprint(c), Text: fmt.Sprintf("Camp %d holds statement %d", c/3, c)})
	}
	for p := 0; p < n; p++ {
		for c := 0; c < 6; c++ {
			v := -1
			if c/3 == p%2 {
				v = 1
			}
			in.Votes = append(in.Votes, consultation.ImportVote{Voter: fmt.Sprint(p), Statement: fmt.Sprint(c), Value: v})
		}
	}
	return in
}

var pointRE = regexp.MustCompile(`<circle class="pt" `)

// newMapSite loads the demo and opens a comment period on its first
// draft text.
func newMapSite(t *testing.T) (*mapSite, consultation.Period) {
	t.Helper()
	s := &mapSite{Site: servertest.New(t), ctx: context.Background()}
	if err := demo.Load(s.ctx, s.Svc); err != nil {
		t.Fatal(err)
	}
	u, err := s.Svc.Accounts.UserByEmail(s.ctx, demo.LoginByKey("secretariat").Email)
	if err != nil {
		t.Fatal(err)
	}
	s.sec = forum.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Via: "test"}
	drafts, err := s.Svc.Drafting.DraftTexts(s.ctx, s.scope(t, s.sec))
	if err != nil || len(drafts) == 0 {
		t.Fatalf("drafts: %d, %v", len(drafts), err)
	}
	p, err := s.Svc.Consultation.OpenPeriod(s.ctx, s.scope(t, s.sec), consultation.PeriodInput{Draft: drafts[0].ID, Title: "Comments on the draft",
		Closes: time.Now().Add(72 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return s, p
}

func TestOpinionMapPage(t *testing.T) {
	s, p := newMapSite(t)
	path := webconsultation.MapPath(demo.WTPFSlug, p.ID)
	sec := s.login(t, "secretariat")
	anon := s.Client()

	// Before it has a map: the secretariat is offered one, others find nothing.
	mapStatus(t, anon.Get(path), http.StatusNotFound)
	r := sec.Get(path)
	mapStatus(t, r, http.StatusOK)
	mapContains(t, r, "Give this period an opinion map")
	delegate := s.login(t, "member_state")
	mapStatus(t, delegate.PostForm(sec.Get(path).Request.URL.Path, path+"/enable", url.Values{"csrf_token": {delegate.CSRF("/forums/" + demo.WTPFSlug)}}), http.StatusForbidden)
	mapStatus(t, sec.PostForm(path, path+"/enable", nil), http.StatusSeeOther)
	mapStatus(t, sec.PostForm(path, path+"/seed", nil), http.StatusSeeOther)
	r = sec.Get(path)
	mapStatus(t, r, http.StatusOK)
	mapContains(t, r, "No groups yet", "No statement awaits moderation", "S-1: ")

	rep, err := s.Svc.Consultation.ImportConversation(s.ctx, s.scope(t, s.sec), p.ID, twoCampsConversation(30))
	if err != nil || rep.NewVoters != 30 {
		t.Fatalf("import: %+v, %v", rep, err)
	}

	// The map: one point per counted participant, the groups outlined and
	// labelled, and the table equivalent.
	n0 := s.Svc.Consultation.MapComputations()
	r = anon.Get(path)
	mapStatus(t, r, http.StatusOK)
	if n := len(pointRE.FindAllString(r.Body, -1)); n != 30 {
		t.Errorf("%d points on the map, want the 30 counted participants", n)
	}
	mapContains(t, r, `role="img" aria-labelledby="omap-title omap-desc"`, `<title id="omap-title">`, "<desc id=\"omap-desc\">Scatter plot of the 30 participants counted",
		`class="hull"`, "Group A (15)", "Group B (15)",
		"<caption>The groups of the map and the statements that set each apart</caption>",
		`<th scope="row"><svg class="swatch"`, "100% agree, 0% disagree of 15", "Where the groups agree", "Statements that bridge the groups",
		"By stakeholder group")
	if strings.Contains(r.Body, "<script") && strings.Contains(r.Body[strings.Index(r.Body, `<svg xmlns`):], "<script") {
		t.Error("script inside the map")
	}
	if strings.Contains(r.Body, "Submit a statement") || strings.Contains(r.Body, "Moderation") {
		t.Error("the public is shown the forms")
	}
	for i := 0; i < 3; i++ {
		anon.Get(path)
	}
	if n := s.Svc.Consultation.MapComputations() - n0; n != 1 {
		t.Errorf("%d computations for four views of unchanged votes, want 1", n)
	}

	// A delegate votes, one statement at a time, without JavaScript.
	r = delegate.Get(path)
	mapContains(t, r, `name="statement" value="S-1"`, `name="vote" value="agree"`, `name="vote" value="pass"`, "Your stakeholder group")
	r = delegate.PostForm(path, path+"/vote", url.Values{"statement": {"S-1"}, "vote": {"agree"}})
	mapStatus(t, r, http.StatusUnprocessableEntity)
	mapContains(t, r, "declare your stakeholder group", `aria-invalid="true" aria-describedby="e-vgroup"`)
	mapStatus(t, delegate.PostForm(path, path+"/vote", url.Values{"statement": {"S-1"}, "vote": {"agree"}, "group": {"government"}}), http.StatusSeeOther)
	r = delegate.Get(path)
	mapContains(t, r, `name="statement" value="S-2"`, "(1 of ")
	if strings.Contains(r.Body, `id="f-vgroup"`) {
		t.Error("the group is asked again once declared")
	}
	if s.Svc.Consultation.MapComputations()-n0 != 2 {
		t.Errorf("the vote did not lead to one new computation: %d", s.Svc.Consultation.MapComputations()-n0)
	}

	// A statement from the delegate, moderated by the secretariat.
	r = delegate.PostForm(path, path+"/statements", url.Values{"text": {""}})
	mapStatus(t, r, http.StatusUnprocessableEntity)
	mapContains(t, r, `id="e-text"`)
	mapStatus(t, delegate.PostForm(path, path+"/statements", url.Values{"text": {"Roaming charges should fall"}}), http.StatusSeeOther)
	if strings.Contains(anon.Get(path).Body, "Roaming charges should fall") {
		t.Error("a statement awaiting moderation is public")
	}
	r = sec.Get(path)
	mapContains(t, r, "Roaming charges should fall", `value="accept"`)
	ref := regexp.MustCompile(`/statements/(S-\d+)/moderate`).FindStringSubmatch(r.Body)
	if ref == nil {
		t.Fatal("no moderation form")
	}
	mapStatus(t, delegate.PostForm(path, path+"/statements/"+ref[1]+"/moderate", url.Values{"decision": {"accept"}}), http.StatusForbidden)
	r = sec.PostForm(path, path+"/statements/"+ref[1]+"/moderate", url.Values{"decision": {"reject"}})
	mapStatus(t, r, http.StatusUnprocessableEntity)
	mapContains(t, r, "say why the statement is rejected")
	mapStatus(t, sec.PostForm(path, path+"/statements/"+ref[1]+"/moderate", url.Values{"decision": {"accept"}}), http.StatusSeeOther)
	mapContains(t, anon.Get(path), "Roaming charges should fall")
}

// In a real browser, the map's page passes the accessibility checks: for
// the public, and for a delegate voting through the form, without
// JavaScript of the page's own.
func TestOpinionMapPageInABrowser(t *testing.T) {
	s, p := newMapSite(t)
	sc := s.scope(t, s.sec)
	if err := s.Svc.Consultation.EnableOpinionMap(s.ctx, sc, p.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Svc.Consultation.SeedStatements(s.ctx, sc, p.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Svc.Consultation.ImportConversation(s.ctx, sc, p.ID, twoCampsConversation(30)); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	url := s.URL + webconsultation.MapPath(demo.WTPFSlug, p.ID)
	public := b.NewTab(t)
	public.Navigate(url)
	public.WaitVisible("svg.opinion-map")
	browsertest.CheckAccessibility(t, public)

	delegate := b.NewTab(t)
	l := demo.LoginByKey("member_state")
	delegate.Navigate(s.URL + "/login")
	delegate.Fill("#f-email", l.Email)
	delegate.Fill("#f-password", l.Password)
	delegate.Click("form[action='/login'] button[type=submit]")
	delegate.WaitText("header nav", l.Name)
	delegate.Navigate(url)
	delegate.WaitVisible("form.vote")
	browsertest.CheckAccessibility(t, delegate)
	delegate.Fill("#f-vgroup", "government")
	delegate.Click("form.vote button[value=agree]")
	delegate.WaitText(".flash", "Your vote is recorded")
	delegate.WaitText("form.vote legend", "Statement S-2 (1 of ")
	browsertest.CheckAccessibility(t, delegate)
	delegate.CheckNoJSErrors()
}
