package drafting_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/server/servertest"
	"github.com/plenary-forum/plenary/internal/text"
)

const draftOpinion = `# Draft Opinion 5: Supporting multi-stakeholderism

*recognizing*

a) that the Internet is a global resource that every stakeholder shapes;

*is of the view*

1. that all stakeholders should take part in Internet governance in their respective roles;

2. that the work of the Forum should be open to all.
`

// draftSite is a site with a WTPF-like forum, a draft opinion numbered
// WTPF-13/5, and people: the secretariat, the editor, delegates of Brazil
// and the United States, a civil-society delegate and an observer.
type draftSite struct {
	*servertest.Site
	f                             forum.Forum
	d                             drafting.DraftText
	sec, editor, bra, usa, isoc   forum.Actor
	obs                           forum.Actor
	base                          string
	braClient, edClient, anClient *servertest.Client
}

func newDraftSite(t *testing.T) *draftSite {
	t.Helper()
	s := &draftSite{Site: servertest.New(t)}
	ctx := context.Background()
	s.sec = s.User("sec@example.org", "Sofia Secretariat", true)
	f, err := s.Svc.Kernel.CreateForum(ctx, s.sec, forum.ForumInput{Slug: "wtpf-13", Title: "WTPF-13: Policy Forum", Kind: forum.KindPolicyForum, DocPrefix: "WTPF-13"})
	if err != nil {
		t.Fatal(err)
	}
	s.f = f
	for _, p := range []participation.PartyInput{
		{Code: "USA", Name: "United States", Group: rules.GroupMemberState},
		{Code: "BRA", Name: "Brazil", Group: rules.GroupMemberState},
		{Code: "ISOC", Name: "Internet Society", Group: rules.GroupCivilSociety},
	} {
		if _, err := s.Svc.Participation.AddParty(ctx, fixture.In(t, s.Svc.Kernel, s.sec, f.Slug), p); err != nil {
			t.Fatal(err)
		}
	}
	reg := func(email, name, party, group, role string) forum.Actor {
		a := s.User(email, name, false)
		if _, err := s.Svc.Participation.Register(ctx, fixture.In(t, s.Svc.Kernel, s.sec, f.Slug), participation.RegistrationInput{Email: email, Party: party, Group: group, Role: role, Mode: string(rules.InRoom)}); err != nil {
			t.Fatalf("register %s: %v", email, err)
		}
		return a
	}
	s.editor = reg("editor@example.org", "Edith Editor", "", rules.GroupSecretariat, "editor")
	s.bra = reg("bra@example.org", "Beatriz Delegate", "BRA", "", "delegate")
	s.usa = reg("usa@example.org", "Una States", "USA", "", "delegate")
	s.isoc = reg("isoc@example.org", "Ines Society", "ISOC", "", "delegate")
	s.obs = reg("obs@example.org", "Oscar Observer", "", rules.GroupObserver, "observer")
	s.d, err = s.Svc.Drafting.CreateDraft(ctx, fixture.In(t, s.Svc.Kernel, s.sec, f.Slug), drafting.DraftInput{Text: draftOpinion, Visibility: "public", Number: 5})
	if err != nil {
		t.Fatal(err)
	}
	s.base = drafting.DraftPath(f, s.d.ID)
	s.braClient, s.edClient, s.anClient = s.Client(), s.Client(), s.Client()
	s.braClient.Login(s.bra.Email)
	s.edClient.Login(s.editor.Email)
	return s
}

func (s *draftSite) propose(t *testing.T, a forum.Actor, in drafting.ProposalInput) drafting.Amendment {
	t.Helper()
	am, err := s.Svc.Drafting.ProposeAmendment(context.Background(), fixture.In(t, s.Svc.Kernel, a, s.f.Slug), s.d.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return am
}

func wantStatus(t *testing.T, r servertest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("status %d, want %d\n%.3000s", r.StatusCode, status, r.Body)
	}
}

func TestDraftPagesRenderForAnyone(t *testing.T) {
	s := newDraftSite(t)
	s.propose(t, s.usa, drafting.ProposalInput{Op: "NOC", Provision: "p1"})
	c := s.anClient
	for path, wants := range map[string][]string{
		"/forums/wtpf-13/drafts":              {"WTPF-13/5", "Draft Opinion 5", "<caption>", "attributed"},
		s.base:                                {`id="prov-p2"`, `<p class="intro"><em>is of the view</em></p>`, "0 open brackets", "Drafting log<span class=\"visually-hidden\"> of is of the view 1.</span>", "Akoma Ntoso 3.0 XML", `aria-label="Draft text"`},
		s.base + "/compilation":               {`hx-ext="sse" sse-connect="/forums/wtpf-13/events?since=`, `hx-trigger="sse:message"`, `<div id="compilation"`, "USA/5/1", "1 pending proposal"},
		s.base + "/brackets":                  {"Open brackets per revision", "Revision 1 has no brackets."},
		s.base + "/redline":                   {"changes from revision 1 to revision 1", `<select id="f-from"`},
		s.base + "/amendments":                {`id="am-`, "USA/5/1", "Pending", "in the room"},
		s.base + "/provisions/p2":             {"Drafting log of is of the view 1.", "Revision 1", "Added"},
		"/forums/wtpf-13/documents/" + s.d.ID: {"Read it provision by provision", s.base},
	} {
		r := c.Get(path)
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, wants...)
		mustNotContain(t, r, "Propose a change<", "Make the next revision")
	}
	// Forms for the logged-in only; errors are pages, not crashes.
	if r := c.Get(s.base + "/propose"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("propose anonymously: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	for path, status := range map[string]int{
		s.base + "/provisions/p99":        http.StatusNotFound,
		s.base + "?rev=9":                 http.StatusUnprocessableEntity, // a query names no revision: bad input
		s.base + "/brackets?rev=9":        http.StatusUnprocessableEntity,
		s.base + "/amendments?revision=9": http.StatusUnprocessableEntity,
		s.base + "?rev=x":                 http.StatusUnprocessableEntity,
		s.base + "/redline?from=1&to=4":   http.StatusUnprocessableEntity,
		"/forums/wtpf-13/drafts/nope":     http.StatusNotFound,
		s.base + "/amendments?status=x":   http.StatusUnprocessableEntity,
	} {
		if r := c.Get(path); r.StatusCode != status {
			t.Errorf("%s: %d, want %d", path, r.StatusCode, status)
		}
	}
	// The live refresh asks for the compilation alone.
	r := c.Do("GET", s.base+"/compilation", nil, http.Header{"HX-Request": {"true"}, "HX-Target": {"compilation"}})
	if r.StatusCode != 200 || strings.Contains(r.Body, "<html") || !strings.HasPrefix(strings.TrimSpace(r.Body), `<div id="compilation"`) {
		t.Fatalf("fragment: %d %.300s", r.StatusCode, r.Body)
	}
}

var textareaRE = regexp.MustCompile(`(?s)<textarea id="f-text" name="text"[^>]*>(.*?)</textarea>`)

func TestProposingByEditingTheText(t *testing.T) {
	s := newDraftSite(t)
	c := s.braClient
	r := c.Get(s.base + "/propose?provision=p2")
	wantStatus(t, r, http.StatusOK)
	m := textareaRE.FindStringSubmatch(r.Body)
	if m == nil || m[1] != "that all stakeholders should take part in Internet governance in their respective roles;" {
		t.Fatalf("the text box does not hold the provision's text: %v", m)
	}
	mustContain(t, r, "You propose for <strong>Brazil</strong>", `value="MOD" checked`)
	// The same text is no proposal: the form comes back with the error.
	form := url.Values{"op": {"MOD"}, "provision": {"p2"}, "text": {m[1]}, "revision": {"1"}}
	r = c.PostForm(s.base+"/propose", s.base+"/amendments", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, `id="e-text"`, "use NOC", `aria-invalid="true"`)
	form.Set("text", "that all stakeholders should take part in Internet governance on an equal footing;")
	form.Set("rationale", "Equal footing for every stakeholder.")
	r = c.PostForm(s.base+"/propose", s.base+"/amendments", form)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != s.base+"/compilation" {
		t.Fatalf("propose: %d %s\n%.2000s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	r = c.Get(s.base + "/compilation")
	mustContain(t, r, "BRA/5/1", "(BRA)", "<del>in their respective roles</del>", "<ins>on an equal footing</ins>", "BRA/5/1 is filed")
	// An addition through the same form goes after the chosen provision.
	r = c.PostForm(s.base+"/propose", s.base+"/amendments", url.Values{"op": {"ADD"}, "provision": {"p3"}, "text": {"that the Forum should report on its work."}})
	wantStatus(t, r, http.StatusSeeOther)
	// A deletion ignores the text box.
	r = c.PostForm(s.base+"/propose", s.base+"/amendments", url.Values{"op": {"SUP"}, "provision": {"p1"}, "text": {"whatever is in the box"}})
	wantStatus(t, r, http.StatusSeeOther)
	list, _ := s.Svc.Drafting.Amendments(context.Background(), fixture.In(t, s.Svc.Kernel, s.bra, s.f), s.d.ID, drafting.AmendmentFilter{})
	if len(list) != 3 || list[1].After != "p3" || list[2].Op != text.OpSUP {
		t.Fatalf("proposals: %+v", list)
	}
	// An observer may not propose: the rule says so.
	obs := s.Client()
	obs.Login(s.obs.Email)
	r = obs.PostForm(s.base, s.base+"/amendments", url.Values{"op": {"NOC"}, "provision": {"p1"}})
	wantStatus(t, r, http.StatusForbidden)
	mustContain(t, r, "may not propose an amendment")

	// Co-sponsoring and withdrawing from the list of proposals.
	usa := s.Client()
	usa.Login(s.usa.Email)
	r = usa.Get(s.base + "/amendments")
	mustContain(t, r, "Co-sponsor BRA/5/1 for United States")
	mustNotContain(t, r, "Withdraw BRA/5/1")
	r = usa.PostForm(s.base+"/amendments", s.base+"/amendments/"+list[0].ID+"/cosponsor", nil)
	if r.StatusCode != http.StatusSeeOther || !strings.HasSuffix(r.Header.Get("Location"), "#am-"+list[0].ID) {
		t.Fatalf("co-sponsor: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	r = c.Get(s.base + "/amendments")
	mustContain(t, r, "Proposed by <strong>BRA, USA</strong>", "Withdraw BRA/5/2")
	r = c.PostForm(s.base+"/amendments", s.base+"/amendments/"+list[1].ID+"/withdraw", nil)
	wantStatus(t, r, http.StatusSeeOther)
	r = c.Get(s.base + "/amendments?status=withdrawn")
	mustContain(t, r, "BRA/5/2", "Withdrawn")
	mustNotContain(t, r, "BRA/5/1")
}

func TestEditorMakesABracketAndIssuesTheRevision(t *testing.T) {
	s := newDraftSite(t)
	bra := s.propose(t, s.bra, drafting.ProposalInput{Op: "MOD", Provision: "p2", Text: "that all stakeholders should take part in Internet governance on an equal footing;"})
	s.propose(t, s.usa, drafting.ProposalInput{Op: "MOD", Provision: "p2", Text: "that all stakeholders should take part in Internet governance in their respective roles and responsibilities;"})
	add := s.propose(t, s.usa, drafting.ProposalInput{Op: "ADD", After: "p3", Text: "that the Forum should report on its work."})

	// Only the editor has the form.
	if r := s.braClient.Get(s.base + "/revise"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a delegate on the revision form: %d", r.StatusCode)
	}
	r := s.edClient.Get(s.base + "/revise")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Collision c1 on is of the view 1.: BRA/5/1, USA/5/1", `name="col-c1" type="radio" value="bracket"`, `name="am-`+add.ID+`"`)

	// A wrong decision comes back on the form, naming the field.
	form := url.Values{"revision": {"1"}, "col-c1": {"bracket"}, "am-" + add.ID: {"accept_modified"}, "am-" + add.ID + "-text": {""}}
	r = s.edClient.PostForm(s.base+"/revise", s.base+"/revisions", form)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, `href="#f-am-`+add.ID+`-text"`, `id="e-am-`+add.ID+`-text"`, `value="bracket" checked`)
	if d, _ := s.Svc.Drafting.DraftText(context.Background(), fixture.In(t, s.Svc.Kernel, s.editor, s.f), s.d.ID); d.Revision != 1 {
		t.Fatalf("a refused revision changed the draft: %d", d.Revision)
	}
	form.Set("am-"+add.ID, "accept")
	form.Set("note", "After the first reading")
	r = s.edClient.PostForm(s.base+"/revise", s.base+"/revisions", form)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != s.base+"/redline?from=1&to=2" {
		t.Fatalf("issue: %d %s\n%.3000s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	r = s.anClient.Get(s.base + "/redline?from=1&to=2")
	mustContain(t, r, "1 added", "<ins>", "<del>in their respective roles</del>", "that the Forum should report on its work.")
	r = s.anClient.Get(s.base)
	mustContain(t, r, "WTPF-13/5(Rev.1)", "1 open bracket", `data-bracket="b1"`, `title="Supported by BRA"`)
	r = s.anClient.Get(s.base + "?supporters=1")
	mustContain(t, r, `<span class="supporters">(BRA)</span>`)
	r = s.anClient.Get(s.base + "/brackets")
	mustContain(t, r, "Bracket b1 in", "Supported by: BRA", "from BRA/5/1", "Supported by: USA")
	r = s.anClient.Get(s.base + "/provisions/p2")
	mustContain(t, r, "BRA/5/1 became an alternative of bracket b1.", "Proposal made an alternative of a bracket", "#am-"+bra.ID)
	// The stale form is refused whole.
	r = s.edClient.PostForm(s.base+"/revise", s.base+"/revisions", form)
	wantStatus(t, r, http.StatusConflict)
	mustContain(t, r, "has been issued since")
}

func TestExportsOfARevision(t *testing.T) {
	s := newDraftSite(t)
	s.propose(t, s.bra, drafting.ProposalInput{Op: "MOD", Provision: "p2", Text: "that all stakeholders should take part on an equal footing;", Rationale: "Equal."})
	c := s.anClient
	path := s.base + "/revisions/1/"
	r := c.Get(path + "draft.xml")
	wantStatus(t, r, http.StatusOK)
	if r.Header.Get("Content-Type") != "application/akn+xml" || r.Header.Get("Content-Disposition") != `attachment; filename="WTPF-13-5.xml"` {
		t.Fatalf("headers: %v", r.Header)
	}
	var root struct {
		XMLName   xml.Name
		Statement struct {
			Name string `xml:"name,attr"`
		} `xml:"statement"`
	}
	if err := xml.Unmarshal([]byte(r.Body), &root); err != nil || root.XMLName.Space != export.Namespace || root.Statement.Name != "opinion" {
		t.Fatalf("Akoma Ntoso: %+v %v", root, err)
	}
	r = c.Get(path + "proposals.xml")
	mustContain(t, r, "<amendmentList", "<docNumber>BRA/5/1</docNumber>", "<amendmentJustification>")
	r = c.Get(path + "draft.md")
	if r.Header.Get("Content-Type") != "text/markdown; charset=utf-8" || !strings.HasPrefix(r.Body, "# Draft Opinion 5") {
		t.Fatalf("Markdown: %v %.100s", r.Header, r.Body)
	}
	r = c.Get(path + "draft.json")
	var doc export.Document
	if err := json.Unmarshal([]byte(r.Body), &doc); err != nil || doc.Meta.Number != "WTPF-13/5" || len(doc.Draft.Provisions) != 3 {
		t.Fatalf("JSON: %v %+v", err, doc.Meta)
	}
	r = c.Get(path + "draft.html")
	mustContain(t, r, "<!doctype html>", `id="prov-p2"`)
	for _, p := range []string{path + "draft.docx", s.base + "/revisions/7/draft.md", s.base + "/revisions/x/draft.md"} {
		if r := c.Get(p); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", p, r.StatusCode)
		}
	}
}

func TestAnonymisedCompilationPages(t *testing.T) {
	s := newDraftSite(t)
	sec := s.Client()
	sec.Login(s.sec.Email)
	r := sec.Get("/forums/wtpf-13/drafts")
	mustContain(t, r, "Publish anonymised compilations")
	r = sec.PostForm("/forums/wtpf-13/drafts", "/forums/wtpf-13/drafts/settings", url.Values{"anonymised": {"true"}})
	wantStatus(t, r, http.StatusSeeOther)
	if r := s.braClient.PostForm("/forums/wtpf-13/drafts", "/forums/wtpf-13/drafts/settings", url.Values{"anonymised": {"false"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a delegate changed the setting: %d", r.StatusCode)
	}
	s.propose(t, s.bra, drafting.ProposalInput{Op: "SUP", Provision: "p3"})
	for _, who := range []*servertest.Client{s.anClient, s.loginAs(s.isoc)} {
		for _, p := range []string{s.base + "/compilation", s.base + "/amendments"} {
			r := who.Get(p)
			wantStatus(t, r, http.StatusOK)
			mustContain(t, r, "anonymised")
			mustNotContain(t, r, "BRA/5/1", "(BRA)", "Brazil")
		}
	}
	mustContain(t, sec.Get(s.base+"/compilation"), "BRA/5/1", "(BRA)")
	mustContain(t, s.edClient.Get(s.base+"/compilation"), "BRA/5/1")
	// Brazil still sees its own proposal.
	mustContain(t, s.braClient.Get(s.base+"/amendments"), "BRA/5/1")
	r = s.anClient.Get("/forums/wtpf-13/activity")
	mustContain(t, r, "A proposal (SUP) was made on WTPF-13/5, is of the view 2.")
	mustNotContain(t, r, "BRA/5/1")
}

func (s *draftSite) loginAs(a forum.Actor) *servertest.Client {
	c := s.Client()
	c.Login(a.Email)
	return c
}

func TestNewDraftForm(t *testing.T) {
	s := newDraftSite(t)
	r := s.edClient.Get("/forums/wtpf-13/drafts")
	mustContain(t, r, "File a new draft text")
	r = s.edClient.Get("/forums/wtpf-13/drafts/new")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, `<textarea id="f-text" name="text"`, `value="markdown" checked`)
	if r := s.anClient.Get("/forums/wtpf-13/drafts/new"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("new draft form for the public: %d", r.StatusCode)
	}
	mustNotContain(t, s.braClient.Get("/forums/wtpf-13/drafts"), "File a new draft text")
	r = s.edClient.PostForm("/forums/wtpf-13/drafts/new", "/forums/wtpf-13/drafts", url.Values{"text": {"a [b"}, "title": {"Broken"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	mustContain(t, r, `id="e-text"`, "without")
	r = s.edClient.PostForm("/forums/wtpf-13/drafts/new", "/forums/wtpf-13/drafts", url.Values{"format": {"plain"}, "title": {"Draft treaty"},
		"text": {"Article 1 – Purpose\n1.1 These Regulations establish general principles.\n"}, "visibility": {"members"}})
	wantStatus(t, r, http.StatusSeeOther)
	loc := r.Header.Get("Location")
	mustContain(t, s.edClient.Get(loc), "Draft treaty", "Article 1", `id="prov-p2"`)
	if r := s.anClient.Get(loc); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("a members draft for the public: %d", r.StatusCode)
	}
	if r := s.braClient.PostForm("/forums/wtpf-13/drafts", "/forums/wtpf-13/drafts", url.Values{"text": {"1. one"}, "title": {"Mine"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("a delegate filed a draft: %d", r.StatusCode)
	}
}

// mustContain and mustNotContain are the documents pages' test helpers
// (internal/web/documents).
func mustContain(t *testing.T, r servertest.Response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(r.Body, s) {
			t.Fatalf("response %d lacks %q:\n%s", r.StatusCode, s, r.Body)
		}
	}
}

func mustNotContain(t *testing.T, r servertest.Response, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if strings.Contains(r.Body, s) {
			t.Fatalf("response %d has %q", r.StatusCode, s)
		}
	}
}

// The compilation names a proposal's source contribution by its document
// number, linked to the document, not by its id.
func TestCompilationNamesContributionByNumber(t *testing.T) {
	s := newDraftSite(t)
	doc, err := s.Svc.Documents.SubmitDocument(context.Background(), fixture.In(t, s.Svc.Kernel, s.bra, s.f.Slug),
		documents.DocumentInput{Type: documents.DocContribution, Title: "Brazil on draft Opinion 5", Visibility: "public"})
	if err != nil {
		t.Fatal(err)
	}
	s.propose(t, s.bra, drafting.ProposalInput{Op: "NOC", Provision: "p1", Contribution: doc.ID})
	for _, c := range []*servertest.Client{s.anClient, s.edClient} {
		r := c.Get(s.base + "/compilation")
		wantStatus(t, r, http.StatusOK)
		mustContain(t, r, `from <a href="/forums/wtpf-13/documents/`+doc.ID+`">`+doc.Number+`</a>`)
		mustNotContain(t, r, `<span class="contribution">`+doc.ID)
	}
}

func TestDecisionReasonsShowWhereverTheDecisionIs(t *testing.T) {
	s := newDraftSite(t)
	bra := s.propose(t, s.bra, drafting.ProposalInput{Op: "MOD", Provision: "p2", Text: "that all stakeholders should take part in Internet governance on an equal footing;"})
	usa := s.propose(t, s.usa, drafting.ProposalInput{Op: "MOD", Provision: "p3", Text: "that the work of the Forum should be open to Member States."})
	noted := s.propose(t, s.bra, drafting.ProposalInput{Op: "MOD", Provision: "p1", Text: "that the Internet is a global resource that all stakeholders shape;"})

	r := s.edClient.Get(s.base + "/revise")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, `name="am-`+noted.ID+`" type="radio" value="note"`, `name="am-`+bra.ID+`-reason"`, "Noted: taken into account without changing the text")

	form := url.Values{"revision": {"1"},
		"am-" + bra.ID: {"accept"}, "am-" + bra.ID + "-reason": {"Widely supported in the first reading"},
		"am-" + usa.ID: {"reject"}, "am-" + usa.ID + "-reason": {"Narrower than the mandate allows"},
		"am-" + noted.ID: {"note"}, "am-" + noted.ID + "-reason": {"Reflected in the report of the session"},
	}
	r = s.edClient.PostForm(s.base+"/revise", s.base+"/revisions", form)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("issue: %d\n%.3000s", r.StatusCode, r.Body)
	}
	reasons := []string{"Widely supported in the first reading", "Narrower than the mandate allows", "Reflected in the report of the session"}

	r = s.anClient.Get(s.base + "/amendments")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, append([]string{"Reason for the decision:", "Noted"}, reasons...)...)
	r = s.anClient.Get(s.base + "/amendments?status=noted")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, "Reflected in the report of the session")

	r = s.anClient.Get(s.base + "/provisions/p2")
	mustContain(t, r, "BRA/5/1 was accepted.", "Reason: Widely supported in the first reading")
	r = s.anClient.Get(s.base + "/provisions/p3")
	mustContain(t, r, "USA/5/1 was rejected.", "Reason: Narrower than the mandate allows")
	r = s.anClient.Get(s.base + "/provisions/p1")
	mustContain(t, r, "BRA/5/2 was "+text.ActNote.Label()+".", "Reason: Reflected in the report of the session")

	r = s.anClient.Get(s.base + "/redline?from=1&to=2")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r, append([]string{"Decisions that made these changes"}, reasons...)...)
}
