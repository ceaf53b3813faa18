package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// The buttons and links a page offers come from the rights the commands
// check, so for every demo persona a page shows a button exactly when
// pressing it is accepted. Each persona gets a fresh demo site, reads the
// pages, then presses every button it might have had: the withdrawal and
// co-sponsoring of every proposal on the draft of Opinion 5 (with party
// names shown, and again with anonymised compilations), the approval
// queue in the forum's navigation, and the withdrawal of every document.

// rightsSite is the demo loaded on a fresh site, with pending proposals of
// several parties on the draft of Opinion 5 and one withdrawn.
type rightsSite struct {
	*servertest.Site
	f     forum.Forum
	draft drafting.DraftText
}

func newRightsSite(t *testing.T, anonymised bool) *rightsSite {
	t.Helper()
	s := &rightsSite{Site: servertest.New(t)}
	ctx := context.Background()
	if err := demo.Load(ctx, s.Svc); err != nil {
		t.Fatal(err)
	}
	var err error
	if s.f, err = s.Svc.Kernel.ForumBySlug(ctx, demo.WTPFSlug); err != nil {
		t.Fatal(err)
	}
	sec, bra := s.persona(t, "secretariat"), s.persona(t, "member_state")
	in := func(a forum.Actor) *forum.Scope { return fixture.In(t, s.Svc.Kernel, a, s.f.Slug) }
	doc, err := s.Svc.Documents.DocumentByNumber(ctx, in(sec), demo.OpinionNumber)
	if err != nil {
		t.Fatal(err)
	}
	if s.draft, err = s.Svc.Drafting.DraftText(ctx, in(sec), doc.ID); err != nil {
		t.Fatal(err)
	}
	usa, err := s.Svc.Documents.Documents(ctx, in(sec), documents.DocumentFilter{Party: "USA", Type: documents.DocContribution})
	if err != nil || len(usa) == 0 {
		t.Fatalf("the United States' contribution: %v", err)
	}
	for _, p := range []struct {
		who forum.Actor
		in  drafting.ProposalInput
	}{
		{bra, drafting.ProposalInput{Op: "MOD", Provision: "p7", Text: "Brazil's wording of the seventh provision."}},
		{bra, drafting.ProposalInput{Op: "SUP", Provision: "p2"}},
		{sec, drafting.ProposalInput{Op: "MOD", Provision: "p7", Party: "USA", Contribution: usa[0].ID, Text: "The United States' wording of the seventh provision."}},
	} {
		if _, err := s.Svc.Drafting.ProposeAmendment(ctx, in(p.who), s.draft.ID, p.in); err != nil {
			t.Fatal(err)
		}
	}
	gone, err := s.Svc.Drafting.ProposeAmendment(ctx, in(bra), s.draft.ID, drafting.ProposalInput{Op: "NOC", Provision: "p3"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Svc.Drafting.WithdrawAmendment(ctx, in(bra), s.draft.ID, gone.ID, "Withdrawn in the test."); err != nil {
		t.Fatal(err)
	}
	if anonymised {
		if _, err := s.Svc.Drafting.SetCompilationsAnonymised(ctx, in(sec), true); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// persona is the actor of a demo account.
func (s *rightsSite) persona(t *testing.T, key string) forum.Actor {
	t.Helper()
	u, err := s.Svc.Accounts.UserByEmail(context.Background(), demo.LoginByKey(key).Email)
	if err != nil {
		t.Fatal(err)
	}
	return forum.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Admin: u.Admin}
}

// client is a browser logged in as the demo account key ("" anonymous).
func (s *rightsSite) client(t *testing.T, key string) *servertest.Client {
	t.Helper()
	c := s.Client()
	if key != "" {
		l := demo.LoginByKey(key)
		c.LoginWithPassword(l.Email, l.Password)
	}
	return c
}

// personas are the demo accounts, and the anonymous visitor ("").
func personas() []string {
	keys := []string{""}
	for _, l := range demo.Logins {
		keys = append(keys, l.Key)
	}
	return keys
}

// press sends the form behind a button as a browser would and reports
// whether it was accepted (the redirect after a command). The CSRF token
// comes from the login page, which every visitor may open.
func press(c *servertest.Client, path string, form url.Values) (bool, servertest.Response) {
	r := c.PostForm("/login", path, form)
	return r.StatusCode == http.StatusSeeOther, r
}

func personaName(key string) string {
	if key == "" {
		return "anonymous"
	}
	return key
}

var amendmentButtonRE = regexp.MustCompile(`action="[^"]*/amendments/([^/"]+)/(withdraw|cosponsor)"`)

func TestProposalButtonsAreWhatTheCommandsAllow(t *testing.T) {
	for _, anonymised := range []bool{false, true} {
		for _, key := range personas() {
			name := personaName(key)
			if anonymised {
				name += " (anonymised)"
			}
			t.Run(name, func(t *testing.T) {
				s := newRightsSite(t, anonymised)
				ams, err := s.Svc.Drafting.Amendments(context.Background(), fixture.In(t, s.Svc.Kernel, s.persona(t, "secretariat"), s.f.Slug), s.draft.ID, drafting.AmendmentFilter{})
				if err != nil {
					t.Fatal(err)
				}
				c := s.client(t, key)
				page := drafting.DraftPath(s.f, s.draft.ID) + "/amendments"
				r := c.Get(page)
				wantStatus(t, r, http.StatusOK)
				shown := map[string]bool{}
				for _, m := range amendmentButtonRE.FindAllStringSubmatch(r.Body, -1) {
					shown[m[1]+" "+m[2]] = true
				}
				pressed := 0
				for _, am := range ams {
					// Co-sponsoring first: it leaves the right to withdraw as it was.
					for _, what := range []string{"cosponsor", "withdraw"} {
						ok, resp := press(c, drafting.DraftPath(s.f, s.draft.ID)+"/amendments/"+am.ID+"/"+what, url.Values{"reason": {"Pressed in the test."}})
						if ok != shown[am.ID+" "+what] {
							t.Errorf("%s %s (%s): the page offers it: %v; the command accepts it: %v (%d %.300s)",
								what, am.Label, am.Status, shown[am.ID+" "+what], ok, resp.StatusCode, resp.Body)
						}
						if ok {
							pressed++
						}
					}
				}
				t.Logf("%d of %d buttons pressed with success", pressed, 2*len(ams))
			})
		}
	}
}

var docWithdrawRE = regexp.MustCompile(`action="/forums/[^/"]+/documents/([^/"]+)/withdraw"`)

func TestApprovalsLinkAndDocumentFormsAreWhatTheCommandsAllow(t *testing.T) {
	for _, key := range personas() {
		t.Run(personaName(key), func(t *testing.T) {
			s := newRightsSite(t, false)
			c := s.client(t, key)
			base := "/forums/" + s.f.Slug
			// The approval queue: linked from the navigation of every
			// forum page exactly when the actor may open it.
			r := c.Get(base)
			wantStatus(t, r, http.StatusOK)
			linked := regexp.MustCompile(`href="` + base + `/approvals"`).MatchString(r.Body)
			q := c.Get(base + "/approvals")
			if opens := q.StatusCode == http.StatusOK; opens != linked {
				t.Errorf("approvals: linked %v, but the queue answers %d", linked, q.StatusCode)
			}
			// Every document's withdrawal form, and the command.
			docs, err := s.Svc.Documents.Documents(context.Background(), fixture.In(t, s.Svc.Kernel, s.persona(t, "secretariat"), s.f.Slug), documents.DocumentFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) < 3 {
				t.Fatalf("only %d documents in the demo", len(docs))
			}
			pressed := 0
			for _, d := range docs {
				path := base + "/documents/" + d.ID
				r := c.Get(path)
				shown := false
				for _, m := range docWithdrawRE.FindAllStringSubmatch(r.Body, -1) {
					shown = shown || m[1] == d.ID
				}
				ok, resp := press(c, path+"/withdraw", url.Values{"reason": {"Pressed in the test."}})
				if ok != shown {
					t.Errorf("withdraw %s (page %d): the page offers it: %v; the command accepts it: %v (%d %.300s)",
						d.Number, r.StatusCode, shown, ok, resp.StatusCode, resp.Body)
				}
				if ok {
					pressed++
				}
			}
			t.Logf("%d of %d documents withdrawn", pressed, len(docs))
		})
	}
}
