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
// pressing it is accepted. Each persona reads a page, then presses every
// button it might have had: the withdrawal and co-sponsoring of every
// proposal on a draft text (with party names shown, and again with
// anonymised compilations), the approval queue and the settings in the
// forum's navigation, and the withdrawal of every document. (That a right
// which cannot be read fails the page is tested with the approvals tab,
// in internal/web/participation.)

// rightsSite is the demo loaded on a fresh site.
type rightsSite struct {
	*servertest.Site
	f       forum.Forum
	clients map[string]*servertest.Client
}

func newRightsSite(t *testing.T) *rightsSite {
	t.Helper()
	s := &rightsSite{Site: servertest.New(t), clients: map[string]*servertest.Client{}}
	ctx := context.Background()
	if err := demo.Load(ctx, s.Svc); err != nil {
		t.Fatal(err)
	}
	var err error
	if s.f, err = s.Svc.Kernel.ForumBySlug(ctx, demo.WTPFSlug); err != nil {
		t.Fatal(err)
	}
	return s
}

// freshDraft files a draft text in the demo forum with pending proposals
// of Brazil, the United States (recorded by the secretariat from its
// contribution) and Example Telecom, one co-sponsored by Example Telecom,
// and one withdrawn.
func (s *rightsSite) freshDraft(t *testing.T) drafting.DraftText {
	t.Helper()
	ctx := context.Background()
	sec, bra, extel := s.persona(t, "secretariat"), s.persona(t, "member_state"), s.persona(t, "sector_member")
	in := func(a forum.Actor) *forum.Scope { return fixture.In(t, s.Svc.Kernel, a, s.f.Slug) }
	d, err := s.Svc.Drafting.CreateDraft(ctx, in(sec), drafting.DraftInput{Text: draftOpinion, Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	rv, err := s.Svc.Drafting.DraftRevision(ctx, in(sec), d.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rv.Text.Provisions) < 3 {
		t.Fatalf("%d provisions", len(rv.Text.Provisions))
	}
	p := func(i int) string { return rv.Text.Provisions[i].ID }
	usa, err := s.Svc.Documents.Documents(ctx, in(sec), documents.DocumentFilter{Party: "USA", Type: documents.DocContribution})
	if err != nil || len(usa) == 0 {
		t.Fatalf("the United States' contribution: %v", err)
	}
	propose := func(a forum.Actor, pi drafting.ProposalInput) drafting.Amendment {
		t.Helper()
		am, err := s.Svc.Drafting.ProposeAmendment(ctx, in(a), d.ID, pi)
		if err != nil {
			t.Fatal(err)
		}
		return am
	}
	braMod := propose(bra, drafting.ProposalInput{Op: "MOD", Provision: p(0), Text: "Brazil's wording of the first provision."})
	propose(bra, drafting.ProposalInput{Op: "SUP", Provision: p(1)})
	propose(sec, drafting.ProposalInput{Op: "MOD", Provision: p(2), Party: "USA", Contribution: usa[0].ID, Text: "The United States' wording."})
	propose(extel, drafting.ProposalInput{Op: "ADD", After: p(2), Text: "Example Telecom's new provision."})
	if _, err := s.Svc.Drafting.CosponsorAmendment(ctx, in(extel), d.ID, braMod.ID, ""); err != nil {
		t.Fatal(err)
	}
	gone := propose(bra, drafting.ProposalInput{Op: "NOC", Provision: p(2)})
	if _, err := s.Svc.Drafting.WithdrawAmendment(ctx, in(bra), d.ID, gone.ID, "Withdrawn in the test."); err != nil {
		t.Fatal(err)
	}
	return d
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

// client is a browser logged in as the demo account key ("" anonymous),
// once per site: logins from one address are rate-limited.
func (s *rightsSite) client(t *testing.T, key string) *servertest.Client {
	t.Helper()
	if c, ok := s.clients[key]; ok {
		return c
	}
	c := s.Client()
	if key != "" {
		l := demo.LoginByKey(key)
		c.LoginWithPassword(l.Email, l.Password)
	}
	s.clients[key] = c
	return c
}

// personas are the anonymous visitor (""), and the demo accounts with the
// secretariat last.
func personas() []string {
	keys := []string{""}
	for _, l := range demo.Logins {
		if l.Key != "secretariat" {
			keys = append(keys, l.Key)
		}
	}
	return append(keys, "secretariat")
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
	s := newRightsSite(t)
	anonymise := func(t *testing.T, anonymised bool) {
		if _, err := s.Svc.Drafting.SetCompilationsAnonymised(context.Background(), fixture.In(t, s.Svc.Kernel, s.persona(t, "secretariat"), s.f.Slug), anonymised); err != nil {
			t.Fatal(err)
		}
	}
	for _, anonymised := range []bool{false, true} {
		for _, key := range personas() {
			name := personaName(key)
			if anonymised {
				name += " (anonymised)"
			}
			t.Run(name, func(t *testing.T) {
				anonymise(t, false)
				d := s.freshDraft(t)
				anonymise(t, anonymised)
				ams, err := s.Svc.Drafting.Amendments(context.Background(), fixture.In(t, s.Svc.Kernel, s.persona(t, "secretariat"), s.f.Slug), d.ID, drafting.AmendmentFilter{})
				if err != nil {
					t.Fatal(err)
				}
				c := s.client(t, key)
				r := c.Get(drafting.DraftPath(s.f, d.ID) + "/amendments")
				wantStatus(t, r, http.StatusOK)
				shown := map[string]bool{}
				for _, m := range amendmentButtonRE.FindAllStringSubmatch(r.Body, -1) {
					shown[m[1]+" "+m[2]] = true
				}
				pressed := 0
				for _, am := range ams {
					// Co-sponsoring first: it leaves the right to withdraw as it was.
					for _, what := range []string{"cosponsor", "withdraw"} {
						ok, resp := press(c, drafting.DraftPath(s.f, d.ID)+"/amendments/"+am.ID+"/"+what, url.Values{"reason": {"Pressed in the test."}})
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
	s := newRightsSite(t)
	// Each persona withdraws what it may; the secretariat, which may
	// withdraw every document, comes last, and those before it withdraw
	// only their own party's.
	for _, key := range personas() {
		t.Run(personaName(key), func(t *testing.T) {
			c := s.client(t, key)
			base := "/forums/" + s.f.Slug
			// The approval queue and the forum's settings: linked from the
			// navigation of every forum page exactly when the actor may
			// open them.
			r := c.Get(base)
			wantStatus(t, r, http.StatusOK)
			for _, page := range []string{"/approvals", "/settings"} {
				linked := regexp.MustCompile(`href="` + base + page + `"`).MatchString(r.Body)
				if q := c.Get(base + page); (q.StatusCode == http.StatusOK) != linked {
					t.Errorf("%s: linked %v, but the page answers %d", page, linked, q.StatusCode)
				}
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

// draftOpinion is the text of the draft texts filed in these tests.
const draftOpinion = `# Draft Opinion 5: Supporting multi-stakeholderism

*recognizing*

a) that the Internet is a global resource that every stakeholder shapes;

*is of the view*

1. that all stakeholders should take part in Internet governance in their respective roles;

2. that the work of the Forum should be open to all.
`

func wantStatus(t *testing.T, r servertest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("status %d, want %d\n%.3000s", r.StatusCode, status, r.Body)
	}
}
