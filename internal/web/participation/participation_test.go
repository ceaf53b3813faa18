package participation_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/server/servertest"
	"golang.org/x/net/html"
)

// pwSite is a test site with a WCIT-like treaty conference: the
// secretariat, Brazil (with a delegate who is its focal point), a Sector
// Member delegate, and a member of the public with no registration.
type pwSite struct {
	*servertest.Site
	f                         forum.Forum
	sec, bea, samir, pat, obs forum.Actor
}

func pwSetup(t *testing.T) *pwSite {
	t.Helper()
	s := &pwSite{Site: servertest.New(t)}
	ctx := context.Background()
	s.sec = s.User("sec@example.org", "Sofia Secretariat", true)
	s.bea = s.User("bea@example.org", "Beatriz Delegate", false)
	s.samir = s.User("samir@example.org", "Samir Sector", false)
	s.pat = s.User("pat@example.org", "Pat Public", false)
	s.obs = s.User("obs@example.org", "Olga Observer", false)
	f, err := s.Svc.Kernel.CreateForum(ctx, s.sec, forum.ForumInput{Slug: "wcit", Title: "WCIT-12: World Conference", Kind: forum.KindTreatyConference})
	if err != nil {
		t.Fatal(err)
	}
	s.f = f
	for _, p := range []participation.PartyInput{
		{Code: "BRA", Name: "Brazil", Group: rules.GroupMemberState},
		{Code: "CHE", Name: "Switzerland", Group: rules.GroupMemberState},
		{Code: "EXTEL", Name: "Example Telecom", Group: rules.GroupSectorMember},
	} {
		if _, err := s.Svc.Participation.AddParty(ctx, fixture.In(t, s.Svc.Kernel, s.sec, f.Slug), p); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []participation.RegistrationInput{
		{Email: s.bea.Email, Party: "BRA", Role: "delegate"},
		{Email: s.samir.Email, Party: "EXTEL", Role: "delegate", Mode: "remote"},
		{Email: s.obs.Email, Role: "observer"},
	} {
		if _, err := s.Svc.Participation.Register(ctx, fixture.In(t, s.Svc.Kernel, s.sec, f.Slug), r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Svc.Participation.AppointFocalPoint(ctx, fixture.In(t, s.Svc.Kernel, s.sec, f.Slug), "BRA", s.bea.Email); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *pwSite) client(a forum.Actor) *servertest.Client {
	c := s.Client()
	if a.LoggedIn() {
		c.Login(a.Email)
	}
	return c
}

func pwParse(t *testing.T, body string) *html.Node {
	t.Helper()
	n, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func pwAttr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// pwAll returns the elements with the given tag (any when "") whose
// attributes include every key=value in attrs (a value of "*" matches any).
func pwAll(n *html.Node, tag string, attrs ...string) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (tag == "" || n.Data == tag) {
			ok := true
			for i := 0; i+1 < len(attrs); i += 2 {
				v, has := pwAttr(n, attrs[i])
				if !has || (attrs[i+1] != "*" && v != attrs[i+1]) {
					ok = false
				}
			}
			if ok {
				out = append(out, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func pwText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func pwStatus(t *testing.T, r servertest.Response, want int, contains string) {
	t.Helper()
	if r.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, want, r.Body)
	}
	if contains != "" && !strings.Contains(pwText(pwParse(t, r.Body)), contains) && !strings.Contains(r.Body, contains) {
		t.Fatalf("%s %s: the page does not say %q\n%s", r.Request.Method, r.Request.URL.Path, contains, pwText(pwParse(t, r.Body)))
	}
}

// pwInvalid checks a 422 page: the field is marked invalid and described
// by its message.
func pwInvalid(t *testing.T, r servertest.Response, id string) {
	t.Helper()
	pwStatus(t, r, http.StatusUnprocessableEntity, "")
	doc := pwParse(t, r.Body)
	els := pwAll(doc, "", "id", id)
	if len(els) != 1 {
		t.Fatalf("%s: no element #%s on the 422 page\n%s", r.Request.URL.Path, id, pwText(doc))
	}
	el := els[0]
	inv, _ := pwAttr(el, "aria-invalid")
	desc, _ := pwAttr(el, "aria-describedby")
	if el.Data != "fieldset" && inv != "true" {
		t.Fatalf("#%s is not marked aria-invalid", id)
	}
	found := false
	for _, d := range strings.Fields(desc) {
		if e := pwAll(doc, "", "id", d); len(e) == 1 && strings.Contains(pwClass(e[0]), "fielderror") {
			found = true
		}
	}
	if !found {
		t.Fatalf("#%s is not described by its error message (aria-describedby %q)", id, desc)
	}
}

func pwClass(n *html.Node) string { v, _ := pwAttr(n, "class"); return v }

// pwTablesAccessible checks that every table has a caption and its header
// cells a scope.
func pwTablesAccessible(t *testing.T, doc *html.Node) {
	t.Helper()
	for _, tb := range pwAll(doc, "table") {
		if len(pwAll(tb, "caption")) != 1 {
			t.Errorf("a table has no caption: %.80s", pwText(tb))
		}
		for _, th := range pwAll(tb, "th") {
			if _, ok := pwAttr(th, "scope"); !ok {
				t.Errorf("a header cell has no scope: %q", pwText(th))
			}
		}
	}
}

func TestRulesPageIsPublicAndReadable(t *testing.T) {
	s := pwSetup(t)
	anon := s.Client()
	r := anon.Get("/forums/wcit/rules")
	pwStatus(t, r, 200, "ITU treaty conference (WCIT)")
	doc := pwParse(t, r.Body)
	pwTablesAccessible(t, doc)
	caps := map[string]bool{}
	for _, c := range pwAll(doc, "caption") {
		caps[pwText(c)] = true
	}
	for _, want := range []string{"What Member States may do", "What Sector Members may do", "What observers may do"} {
		if !caps[want] {
			t.Errorf("no table %q; captions %v", want, caps)
		}
	}
	// The Member State table says in words where voting is conditional.
	var ms *html.Node
	for _, tb := range pwAll(doc, "table") {
		if strings.Contains(pwText(tb), "What Member States may do") {
			ms = tb
		}
	}
	if ms == nil || !strings.Contains(pwText(ms), "Yes, only with credentials in order") {
		t.Fatal("the Member State table does not state the credentials condition in words")
	}
	// Sign-only delegations may sign, not vote: the page says so exactly.
	for _, want := range []string{"Vote: only with credentials in order.", "Sign the final acts: only with credentials in order or in order for signature only."} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the rules page lacks %q", want)
		}
	}
	if len(pwAll(doc, "a", "href", "/forums/wcit/rules/edit")) != 0 {
		t.Error("an anonymous visitor is offered to change the rules")
	}
	if !strings.Contains(r.Body, "The rules have not changed") {
		t.Error("no history section")
	}
	// The navigation has the participation tabs, not the approvals.
	if len(pwAll(doc, "a", "href", "/forums/wcit/rules", "aria-current", "page")) != 1 ||
		len(pwAll(doc, "a", "href", "/forums/wcit/participants")) == 0 || len(pwAll(doc, "a", "href", "/forums/wcit/approvals")) != 0 {
		t.Error("forum navigation: want Participants, Rules (current), and no Approvals for the public")
	}
	if r := anon.Get("/forums/nope/rules"); r.StatusCode != 404 {
		t.Errorf("unknown forum: %d", r.StatusCode)
	}
}

func TestChangingTheRulesThroughThePages(t *testing.T) {
	s := pwSetup(t)
	sec, bea, anon := s.client(s.sec), s.client(s.bea), s.Client()
	// Anonymous: sent to log in; a form post is 401. Others: 403.
	if r := anon.Get("/forums/wcit/rules/edit"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous edit page: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	r := anon.PostForm("/login", "/forums/wcit/rules/preset", url.Values{"preset": {"itu_policy_forum"}})
	pwStatus(t, r, http.StatusUnauthorized, "")
	pwStatus(t, bea.Get("/forums/wcit/rules/edit"), http.StatusForbidden, "only the secretariat of WCIT-12: World Conference may change its rules")
	r = bea.PostForm("/forums/wcit/participants", "/forums/wcit/rules/preset", url.Values{"preset": {"itu_policy_forum"}})
	pwStatus(t, r, http.StatusForbidden, "only the secretariat")
	// CSRF token missing: refused.
	r = sec.Do("POST", "/forums/wcit/rules/preset", strings.NewReader("preset=itu_policy_forum"), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
	pwStatus(t, r, http.StatusForbidden, "reload the page")

	doc := pwParse(t, sec.Get("/forums/wcit/rules/edit").Body)
	if len(pwAll(doc, "fieldset")) < 3 || len(pwAll(doc, "legend")) < 3 || len(pwAll(doc, "input", "type", "radio", "name", "preset")) != 4 {
		t.Fatal("the edit page lacks its fieldsets of radio buttons")
	}
	r = sec.PostForm("/forums/wcit/rules/edit", "/forums/wcit/rules/preset", url.Values{"preset": {"no_such_preset"}})
	pwStatus(t, r, http.StatusUnprocessableEntity, "preset")
	if !strings.Contains(r.Body, `id="e-preset"`) {
		t.Fatal("the preset error is not shown next to the choice")
	}
	r = sec.PostForm("/forums/wcit/rules/edit", "/forums/wcit/rules/preset", url.Values{"preset": {"multistakeholder_equal"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	// One group's grid: Sector Members' delegates in the room may now vote.
	doc = pwParse(t, sec.Get("/forums/wcit/rules/groups/sector_member").Body)
	boxes := pwAll(doc, "input", "type", "checkbox", "name", "cell")
	if len(boxes) != 8*2*len(rules.Actions()) {
		t.Fatalf("%d checkboxes in the grid", len(boxes))
	}
	form := url.Values{"form": {"cells"}}
	for _, b := range boxes {
		if _, checked := pwAttr(b, "checked"); checked {
			v, _ := pwAttr(b, "value")
			form.Add("cell", v)
		}
		if l, _ := pwAttr(b, "aria-label"); l == "" {
			t.Fatal("a checkbox of the grid has no label")
		}
	}
	form.Add("cell", "delegate|remote|vote")
	r = sec.PostForm("/forums/wcit/rules/groups/sector_member", "/forums/wcit/rules/groups/sector_member", form)
	pwStatus(t, r, http.StatusSeeOther, "")
	r = sec.PostForm("/forums/wcit/rules/groups/sector_member", "/forums/wcit/rules/groups/sector_member", url.Values{"cell": {"king|in_room|vote"}})
	pwStatus(t, r, http.StatusUnprocessableEntity, "cell")
	if _, err := s.Svc.Kernel.Authorize(context.Background(), s.samir, s.f, rules.Vote, ""); err != nil {
		t.Fatalf("the grid did not change the matrix: %v", err)
	}
	// Settings and conditions.
	r = sec.PostForm("/forums/wcit/rules/edit", "/forums/wcit/participation/settings", url.Values{"names_public": {"yes"}, "applications_open": {"no"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	r = sec.PostForm("/forums/wcit/rules/edit", "/forums/wcit/participation/settings", url.Values{"names_public": {"maybe"}})
	pwStatus(t, r, http.StatusUnprocessableEntity, "names_public")
	r = sec.PostForm("/forums/wcit/rules/edit", "/forums/wcit/rules/conditions", url.Values{"condition_vote": {"credentials_in_order"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	r = sec.PostForm("/forums/wcit/rules/edit", "/forums/wcit/rules/conditions", url.Values{"condition_vote": {"full_moon"}})
	pwStatus(t, r, http.StatusUnprocessableEntity, "condition")
	// Groups: add one (bad key first), rename one.
	r = sec.PostForm("/forums/wcit/rules/edit", "/forums/wcit/groups", url.Values{"key": {"Bad Key"}, "name": {"youth"}, "plural": {"youth"}})
	pwInvalid(t, r, "f-key")
	// A new group says whose rights it starts with: none is a choice, not
	// a default.
	r = sec.PostForm("/forums/wcit/rules/edit", "/forums/wcit/groups", url.Values{"key": {"youth"}, "name": {"youth"}, "plural": {"youth participants"}})
	pwInvalid(t, r, "f-rights-from")
	if !strings.Contains(r.Body, `<option value="none"`) || !strings.Contains(r.Body, `<option value="civil_society"`) {
		t.Fatal("the form offers neither the groups' rights nor none")
	}
	r = sec.PostForm("/forums/wcit/rules/edit", "/forums/wcit/groups", url.Values{"key": {"youth"}, "name": {"youth"}, "plural": {"youth participants"},
		"rights_from": {"civil_society"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	r = sec.Get(r.Header.Get("Location"))
	pwStatus(t, r, 200, "with the rights of civil society participants")
	r = sec.PostForm("/forums/wcit/rules/groups/youth", "/forums/wcit/rules/groups/youth", url.Values{"form": {"rename"}, "name": {""}, "plural": {"young people"}})
	pwInvalid(t, r, "f-name")
	r = sec.PostForm("/forums/wcit/rules/groups/youth", "/forums/wcit/rules/groups/youth", url.Values{"form": {"rename"}, "name": {"young person"}, "plural": {"young people"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	pwStatus(t, sec.Get("/forums/wcit/rules/groups/nobody"), http.StatusNotFound, "")

	// The public page shows the history, and the record describes it.
	r = s.Client().Get("/forums/wcit/rules")
	pwStatus(t, r, 200, "Remote Sector Member delegates: may now vote")
	if !strings.Contains(r.Body, "The rules now follow the preset Multistakeholder") || !strings.Contains(r.Body, "What young people may do") {
		t.Fatalf("rules page after the changes:\n%s", pwText(pwParse(t, r.Body)))
	}
	pwStatus(t, s.Client().Get("/forums/wcit/record"), 200, "The rules of participation changed")
}

func TestParticipantsAndTheRestrictedListOfNames(t *testing.T) {
	s := pwSetup(t)
	anon, obs, bea := s.Client(), s.client(s.obs), s.client(s.bea)
	r := anon.Get("/forums/wcit/participants")
	pwStatus(t, r, 200, "3 registered participants")
	doc := pwParse(t, r.Body)
	pwTablesAccessible(t, doc)
	if strings.Contains(r.Body, "Beatriz") || strings.Contains(r.Body, "@example.org") {
		t.Fatal("the public participants page shows a name or an e-mail address in a counts-only forum")
	}
	if len(pwAll(doc, "a", "href", "/forums/wcit/parties/BRA")) != 1 {
		t.Fatal("no link to Brazil's delegation")
	}
	// The list of names: a restricted document here.
	if r := anon.Get("/forums/wcit/participants/names"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("anonymous names: %d", r.StatusCode)
	}
	pwStatus(t, obs.Get("/forums/wcit/participants/names"), http.StatusForbidden, "Observers may not read restricted documents in WCIT-12")
	r = bea.Get("/forums/wcit/participants/names")
	pwStatus(t, r, 200, "Beatriz Delegate")
	pwTablesAccessible(t, pwParse(t, r.Body))
	if strings.Contains(r.Body, "@example.org") {
		t.Fatal("the list of names shows e-mail addresses")
	}
	// The delegation page: counts for the public, names for Brazil's delegate.
	r = anon.Get("/forums/wcit/parties/BRA")
	pwStatus(t, r, 200, "1 person registered")
	if strings.Contains(r.Body, "Beatriz") {
		t.Fatal("the delegation page names people in a counts-only forum")
	}
	pwStatus(t, bea.Get("/forums/wcit/parties/BRA"), 200, "Beatriz Delegate")
	pwStatus(t, anon.Get("/forums/wcit/parties/XXX"), http.StatusNotFound, "")
}

func TestPartiesCredentialsAndFocalPointsThroughThePages(t *testing.T) {
	s := pwSetup(t)
	sec, bea := s.client(s.sec), s.client(s.bea)
	r := sec.PostForm("/forums/wcit/participants", "/forums/wcit/parties", url.Values{"code": {"X"}, "name": {"Nowhere"}, "group": {"member_state"}})
	pwInvalid(t, r, "f-code")
	r = sec.PostForm("/forums/wcit/participants", "/forums/wcit/parties", url.Values{"code": {"ESP"}, "name": {"Spain"}, "group": {"member_state"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	r = bea.PostForm("/forums/wcit/participants", "/forums/wcit/parties", url.Values{"code": {"ARG"}, "name": {"Argentina"}, "group": {"member_state"}})
	pwStatus(t, r, http.StatusForbidden, "")
	// Credentials: a transfer needs a proxy.
	r = sec.PostForm("/forums/wcit/parties/ESP", "/forums/wcit/parties/ESP/credentials", url.Values{"state": {"transferred"}})
	pwInvalid(t, r, "f-proxy")
	r = sec.PostForm("/forums/wcit/parties/ESP", "/forums/wcit/parties/ESP/credentials", url.Values{"state": {"transferred"}, "proxy": {"CHE"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	pwStatus(t, s.Client().Get("/forums/wcit/parties/ESP"), 200, "Powers transferred to another delegation: to Switzerland")
	pwStatus(t, s.Client().Get("/forums/wcit/participants"), 200, "Powers transferred to another delegation (to CHE)")
	r = bea.PostForm("/forums/wcit/parties/BRA", "/forums/wcit/parties/BRA/credentials", url.Values{"state": {"in_order"}})
	pwStatus(t, r, http.StatusForbidden, "only the secretariat")
	// Focal points.
	r = sec.PostForm("/forums/wcit/parties/ESP", "/forums/wcit/parties/ESP/focal-points", url.Values{"email": {"nobody@example.org"}})
	pwInvalid(t, r, "f-email")
	r = sec.PostForm("/forums/wcit/parties/ESP", "/forums/wcit/parties/ESP/focal-points", url.Values{"email": {s.pat.Email}})
	pwStatus(t, r, http.StatusSeeOther, "")
	r = sec.PostForm("/forums/wcit/parties/ESP", "/forums/wcit/parties/ESP/focal-points/"+s.pat.UserID+"/remove", nil)
	pwStatus(t, r, http.StatusSeeOther, "")
}

func pwMultipart(t *testing.T, c *servertest.Client, s *pwSite, path, csrf, file, membership string) servertest.Response {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if csrf != "" {
		_ = mw.WriteField("csrf_token", csrf)
	}
	_ = mw.WriteField("membership", membership)
	fw, _ := mw.CreateFormFile("file", "parties.csv")
	_, _ = fw.Write([]byte(file))
	mw.Close()
	return c.Do("POST", path, &b, http.Header{"Content-Type": {mw.FormDataContentType()}, "Origin": {s.URL}, "Sec-Fetch-Site": {"same-origin"}})
}

func TestImportPartiesThroughThePage(t *testing.T) {
	s := pwSetup(t)
	sec := s.client(s.sec)
	csrf := sec.CSRF("/forums/wcit/participants")
	bad := "code,name,group\nISOC,Internet Society,technical_community\nX,Short,civil_society\nRIPE,RIPE NCC,nobody\n"
	r := pwMultipart(t, sec, s, "/forums/wcit/parties/import", csrf, bad, "")
	pwStatus(t, r, http.StatusUnprocessableEntity, "Row 3, code")
	if !strings.Contains(r.Body, "Row 4, group") || !strings.Contains(r.Body, "nothing was imported") {
		t.Fatalf("the bad rows are not all listed:\n%s", pwText(pwParse(t, r.Body)))
	}
	if ps, _ := s.Svc.Participation.Parties(context.Background(), fixture.In(t, s.Svc.Kernel, forum.Anonymous, s.f)); len(ps) != 3 {
		t.Fatalf("%d parties after a refused import", len(ps))
	}
	r = pwMultipart(t, sec, s, "/forums/wcit/parties/import", "", bad, "")
	pwStatus(t, r, http.StatusForbidden, "reload the page")
	states, err := os.ReadFile("../../demo/data/itu-member-states.csv")
	if err != nil {
		t.Fatal(err)
	}
	// Brazil and Switzerland exist already: those two rows are refused, nothing imported.
	r = pwMultipart(t, sec, s, "/forums/wcit/parties/import", csrf, string(states), "2012-2013")
	pwStatus(t, r, http.StatusUnprocessableEntity, "this forum already has a party BRA")
	f2, err := s.Svc.Kernel.CreateForum(context.Background(), s.sec, forum.ForumInput{Slug: "pp", Title: "PP-14", Kind: forum.KindTreatyConference})
	if err != nil {
		t.Fatal(err)
	}
	r = pwMultipart(t, sec, s, "/forums/pp/parties/import", sec.CSRF("/forums/pp/participants"), string(states), "2012-2013")
	pwStatus(t, r, http.StatusSeeOther, "")
	if ps, _ := s.Svc.Participation.Parties(context.Background(), fixture.In(t, s.Svc.Kernel, forum.Anonymous, f2)); len(ps) != 193 {
		t.Fatalf("%d parties imported, want 193", len(ps))
	}
	r = pwMultipart(t, s.client(s.bea), s, "/forums/pp/parties/import", s.client(s.bea).CSRF("/forums/pp/participants"), bad, "")
	pwStatus(t, r, http.StatusForbidden, "")
}

func TestObserverApplicationThroughThePages(t *testing.T) {
	s := pwSetup(t)
	pat, sec, bea := s.client(s.pat), s.client(s.sec), s.client(s.bea)
	if r := s.Client().Get("/forums/wcit/apply"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous application form: %d", r.StatusCode)
	}
	r := s.Client().PostForm("/login", "/forums/wcit/apply", url.Values{"affiliation": {"individual"}})
	pwStatus(t, r, http.StatusUnauthorized, "")
	doc := pwParse(t, pat.Get("/forums/wcit/apply").Body)
	for _, id := range []string{"f-affiliation", "f-group", "f-background", "f-statement", "f-mode"} {
		if len(pwAll(doc, "label", "for", id)) != 1 {
			t.Errorf("no label for #%s", id)
		}
	}
	if len(pwAll(doc, "textarea", "name", "background")) != 1 || len(pwAll(doc, "option", "value", "civil_society")) != 1 ||
		len(pwAll(doc, "option", "value", "secretariat")) != 0 {
		t.Error("the background is not free text, or the group choice is not the observers'")
	}
	if len(pwAll(doc, "legend")) == 0 {
		t.Error("the mode radios have no legend")
	}
	r = pat.PostForm("/forums/wcit/apply", "/forums/wcit/apply", url.Values{"mode": {"remote"}})
	pwInvalid(t, r, "f-affiliation")
	r = pat.PostForm("/forums/wcit/apply", "/forums/wcit/apply", url.Values{"mode": {"remote"}, "affiliation": {"Daily Bugle"}, "group": {"civil_society"},
		"background": {"A technology journalist, ten years on the ITU beat."}, "statement": {"I cover the ITU."}})
	pwStatus(t, r, http.StatusSeeOther, "")
	if loc := r.Header.Get("Location"); loc != "/registrations" {
		t.Fatalf("after applying: redirected to %q", loc)
	}
	r = pat.Get("/registrations")
	pwStatus(t, r, 200, "Waiting for approval")
	pwTablesAccessible(t, pwParse(t, r.Body))
	if len(pwAll(pwParse(t, r.Body), "a", "href", "/registrations", "aria-current", "page")) != 1 {
		t.Error("the site navigation has no current link to your registrations")
	}
	// The approval queue: the secretariat sees the applicant with the
	// e-mail address; Brazil's focal point is refused the public's applications.
	pwStatus(t, s.client(s.samir).Get("/forums/wcit/approvals"), http.StatusForbidden, "")
	r = bea.Get("/forums/wcit/approvals")
	pwStatus(t, r, 200, "Nobody is waiting for your decision")
	if len(pwAll(pwParse(t, r.Body), "a", "href", "/forums/wcit/approvals", "aria-current", "page")) != 1 {
		t.Error("a focal point has no Approvals tab")
	}
	r = sec.Get("/forums/wcit/approvals")
	pwStatus(t, r, 200, "pat@example.org")
	pwStatus(t, r, 200, "Background: A technology journalist, ten years on the ITU beat.")
	regs, _ := s.Svc.Participation.MyRegistrations(context.Background(), s.pat)
	id := regs[0].ID
	r = bea.PostForm("/forums/wcit/approvals", "/forums/wcit/registrations/"+id+"/approve", nil)
	pwStatus(t, r, http.StatusForbidden, "only the secretariat")
	r = sec.PostForm("/forums/wcit/approvals", "/forums/wcit/registrations/"+id+"/decline", url.Values{"reason": {""}})
	pwInvalid(t, r, "f-reason-"+id)
	r = sec.PostForm("/forums/wcit/approvals", "/forums/wcit/registrations/"+id+"/approve", nil)
	pwStatus(t, r, http.StatusSeeOther, "")
	r = sec.PostForm("/forums/wcit/approvals", "/forums/wcit/registrations/"+id+"/approve", nil)
	pwStatus(t, r, http.StatusConflict, "approved")
	r = pat.Get("/registrations")
	pwStatus(t, r, 200, "Approved")
	// She withdraws herself.
	r = pat.PostForm("/registrations", "/forums/wcit/registrations/"+id+"/withdraw", url.Values{"next": {"/registrations"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	pwStatus(t, pat.Get("/registrations"), 200, "Withdrawn")
}

func TestRegisterAndInviteGuestsThroughThePages(t *testing.T) {
	s := pwSetup(t)
	pat, sec, bea := s.client(s.pat), s.client(s.sec), s.client(s.bea)
	r := pat.PostForm("/forums/wcit/register", "/forums/wcit/register", url.Values{"party": {"BRA"}, "role": {"king"}})
	pwInvalid(t, r, "f-role")
	r = pat.PostForm("/forums/wcit/register", "/forums/wcit/register", url.Values{"party": {"BRA"}, "role": {"adviser"}, "mode": {"in_room"},
		"affiliation": {"Example Telecom"}, "background": {"private_sector"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	pwStatus(t, pat.Get("/registrations"), 200, "Waiting for approval")
	// Brazil's focal point decides it.
	r = bea.Get("/forums/wcit/approvals")
	pwStatus(t, r, 200, "Pat Public")
	if strings.Contains(r.Body, "pat@example.org") {
		t.Fatal("a focal point sees an e-mail address")
	}
	regs, _ := s.Svc.Participation.MyRegistrations(context.Background(), s.pat)
	r = bea.PostForm("/forums/wcit/approvals", "/forums/wcit/registrations/"+regs[0].ID+"/approve", nil)
	pwStatus(t, r, http.StatusSeeOther, "")
	pwStatus(t, bea.Get("/forums/wcit/parties/BRA"), 200, "This delegation includes people from private sector")
	// Registering someone else takes the right to approve it.
	r = s.client(s.samir).PostForm("/forums/wcit/register", "/forums/wcit/register", url.Values{"email": {s.obs.Email}, "party": {"BRA"}, "role": {"delegate"}})
	pwStatus(t, r, http.StatusForbidden, "")
	// Guests: only the secretariat, with explicit rights.
	pwStatus(t, bea.Get("/forums/wcit/guests/new"), http.StatusForbidden, "only the secretariat")
	g := s.User("guest@example.org", "Gil Guest", false)
	r = sec.PostForm("/forums/wcit/guests/new", "/forums/wcit/guests", url.Values{"email": {g.Email}})
	pwInvalid(t, r, "f-grants")
	r = sec.PostForm("/forums/wcit/guests/new", "/forums/wcit/guests", url.Values{"email": {g.Email}, "grants": {"ask_floor"}, "no_rights": {"yes"}})
	pwInvalid(t, r, "f-grants")
	r = sec.PostForm("/forums/wcit/guests/new", "/forums/wcit/guests", url.Values{"email": {g.Email}, "grants": {"read_public", "ask_floor"}, "mode": {"remote"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	r = s.Client().Get("/forums/wcit/rules")
	pwStatus(t, r, 200, "read public documents, ask for the floor")
	if strings.Contains(r.Body, "Gil Guest") {
		t.Fatal("a guest's name is public in a counts-only forum")
	}
}

func TestBodyPageOfficersAndMembership(t *testing.T) {
	s := pwSetup(t)
	ctx := context.Background()
	if _, err := s.Svc.Kernel.CreateBody(ctx, fixture.In(t, s.Svc.Kernel, s.sec, "wcit"), forum.BodyInput{Slug: "com5", Name: "Committee 5", Kind: "committee"}); err != nil {
		t.Fatal(err)
	}
	sec := s.client(s.sec)
	if doc := pwParse(t, s.Client().Get("/forums/wcit").Body); len(pwAll(doc, "a", "href", "/forums/wcit/bodies/com5")) != 1 {
		t.Error("the overview does not link to the body's page")
	}
	pwStatus(t, s.Client().Get("/forums/wcit/bodies/com5"), 200, "Open to every participant")
	r := sec.PostForm("/forums/wcit/bodies/com5", "/forums/wcit/bodies/com5/officers", url.Values{"email": {s.pat.Email}, "office": {"chair"}})
	pwInvalid(t, r, "f-email")
	r = sec.PostForm("/forums/wcit/bodies/com5", "/forums/wcit/bodies/com5/officers", url.Values{"email": {s.bea.Email}, "office": {"chair"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	r = sec.PostForm("/forums/wcit/bodies/com5", "/forums/wcit/bodies/com5/members", url.Values{"parties": {"BRA, ZZZ"}})
	pwInvalid(t, r, "f-parties")
	r = sec.PostForm("/forums/wcit/bodies/com5", "/forums/wcit/bodies/com5/members", url.Values{"parties": {"BRA CHE"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	r = s.Client().Get("/forums/wcit/bodies/com5")
	pwStatus(t, r, 200, "Chair: Beatriz Delegate")
	if !strings.Contains(r.Body, "Limited to these parties") {
		t.Fatal("membership not shown")
	}
	r = s.client(s.bea).PostForm("/forums/wcit/participants", "/forums/wcit/bodies/com5/members", url.Values{"parties": {""}})
	pwStatus(t, r, http.StatusForbidden, "")
	r = sec.PostForm("/forums/wcit/bodies/com5", "/forums/wcit/bodies/com5/officers/"+s.bea.UserID+"/remove", nil)
	pwStatus(t, r, http.StatusSeeOther, "")
	pwStatus(t, s.Client().Get("/forums/wcit/bodies/nope"), http.StatusNotFound, "")
}

func TestForumOverviewShowsTheParticipationSummary(t *testing.T) {
	s := pwSetup(t)
	r := s.Client().Get("/forums/wcit")
	pwStatus(t, r, 200, "3 registered participants")
	doc := pwParse(t, r.Body)
	if len(pwAll(doc, "section", "aria-labelledby", "part-summary-h")) != 1 || len(pwAll(doc, "a", "href", "/forums/wcit/rules")) < 2 {
		t.Fatal("no participation summary linking to the rules")
	}
	if strings.Contains(r.Body, "csrf") {
		t.Error("the anonymous overview carries a CSRF token")
	}
	if len(pwAll(doc, "a", "href", "/forums/wcit/apply")) != 1 {
		t.Error("no link to apply for observer status")
	}
	closed := false
	if _, err := s.Svc.Participation.UpdateParticipationSettings(context.Background(), fixture.In(t, s.Svc.Kernel, s.sec, "wcit"), forum.SettingsInput{ApplicationsOpen: &closed}); err != nil {
		t.Fatal(err)
	}
	if doc := pwParse(t, s.Client().Get("/forums/wcit").Body); len(pwAll(doc, "a", "href", "/forums/wcit/apply")) != 0 {
		t.Error("the overview invites applications after they closed")
	}
}

// Every participation form is refused without its CSRF token, and changes
// nothing.
func TestParticipationFormsNeedTheCSRFToken(t *testing.T) {
	s := pwSetup(t)
	sec := s.client(s.sec)
	regs, _ := s.Svc.Participation.ApprovalQueue(context.Background(), fixture.In(t, s.Svc.Kernel, s.sec, s.f))
	id := "x"
	if len(regs) > 0 {
		id = regs[0].ID
	}
	before, _ := s.Store.HeadSeq(context.Background(), s.f.ID)
	for _, path := range []string{
		"/forums/wcit/rules/preset", "/forums/wcit/rules/conditions", "/forums/wcit/rules/groups/member_state",
		"/forums/wcit/participation/settings", "/forums/wcit/groups", "/forums/wcit/groups/observer",
		"/forums/wcit/parties", "/forums/wcit/parties/BRA/credentials", "/forums/wcit/parties/BRA/focal-points",
		"/forums/wcit/parties/BRA/focal-points/" + s.bea.UserID + "/remove", "/forums/wcit/apply", "/forums/wcit/register",
		"/forums/wcit/guests", "/forums/wcit/registrations/" + id + "/approve", "/forums/wcit/registrations/" + id + "/decline",
		"/forums/wcit/registrations/" + id + "/withdraw", "/forums/wcit/bodies/plenary/officers",
		"/forums/wcit/bodies/plenary/officers/" + s.bea.UserID + "/remove", "/forums/wcit/bodies/plenary/members",
	} {
		form := url.Values{"preset": {"itu_policy_forum"}, "names_public": {"yes"}, "code": {"ARG"}, "name": {"Argentina"},
			"group": {"member_state"}, "state": {"in_order"}, "affiliation": {"x"}, "role": {"delegate"}, "party": {"BRA"}}
		r := sec.Do("POST", path, strings.NewReader(form.Encode()), http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
		if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "reload the page") {
			t.Errorf("POST %s without a token: %d", path, r.StatusCode)
		}
	}
	if after, _ := s.Store.HeadSeq(context.Background(), s.f.ID); after != before {
		t.Fatalf("refused forms appended %d events", after-before)
	}
}

func TestRegisterFormAndRenamingAGroupDirectly(t *testing.T) {
	s := pwSetup(t)
	pat, sec := s.client(s.pat), s.client(s.sec)
	r := pat.Get("/forums/wcit/register?party=CHE")
	pwStatus(t, r, 200, "Register")
	doc := pwParse(t, r.Body)
	if sel := pwAll(doc, "option", "value", "CHE", "selected", "*"); len(sel) != 1 {
		t.Error("the party from the link is not preselected")
	}
	for _, id := range []string{"f-email", "f-party", "f-group", "f-role", "f-affiliation", "f-background"} {
		if len(pwAll(doc, "label", "for", id)) != 1 {
			t.Errorf("no label for #%s", id)
		}
	}
	if r := s.Client().Get("/forums/wcit/register"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous register form: %d", r.StatusCode)
	}
	r = sec.PostForm("/forums/wcit/rules/groups/observer", "/forums/wcit/groups/observer", url.Values{"name": {"watcher"}, "plural": {"watchers"}})
	pwStatus(t, r, http.StatusSeeOther, "")
	pwStatus(t, s.Client().Get("/forums/wcit/rules"), 200, "What watchers may do")
	r = s.client(s.bea).PostForm("/forums/wcit/participants", "/forums/wcit/groups/observer", url.Values{"name": {"x"}, "plural": {"xs"}})
	pwStatus(t, r, http.StatusForbidden, "")
}

func pwMultipartFields(t *testing.T, c *servertest.Client, s *pwSite, path, csrf, file string, fields url.Values) servertest.Response {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("csrf_token", csrf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", "parties.csv")
	_, _ = fw.Write([]byte(file))
	mw.Close()
	return c.Do("POST", path, &b, http.Header{"Content-Type": {mw.FormDataContentType()}, "Origin": {s.URL}, "Sec-Fetch-Site": {"same-origin"}})
}

func TestImportPartiesDryRunAndWarningsThroughThePage(t *testing.T) {
	s := pwSetup(t)
	sec := s.client(s.sec)
	csrf := sec.CSRF("/forums/wcit/participants")
	file := "group,country,code,name\nmember_state,FR,,\nsector_member,,EXTEL2,Example  TELECOM\n"
	r := pwMultipartFields(t, sec, s, "/forums/wcit/parties/import", csrf, file, url.Values{"dry_run": {"yes"}})
	pwStatus(t, r, 200, "Dry run: nothing was imported")
	for _, want := range []string{"2 parties would be imported", "Row 3, name: Example  TELECOM is nearly the same as Example Telecom, of the party EXTEL", "France"} {
		if !strings.Contains(r.Body, want) {
			t.Fatalf("the report lacks %q:\n%s", want, pwText(pwParse(t, r.Body)))
		}
	}
	if ps, _ := s.Svc.Participation.Parties(context.Background(), fixture.In(t, s.Svc.Kernel, forum.Anonymous, s.f)); len(ps) != 3 {
		t.Fatalf("a dry run imported: %d parties", len(ps))
	}
	r = pwMultipartFields(t, sec, s, "/forums/wcit/parties/import", csrf, file, nil)
	pwStatus(t, r, 200, "2 parties were imported")
	if !strings.Contains(r.Body, "is nearly the same as Example Telecom") {
		t.Fatal("the import's warnings are not shown")
	}
	pwStatus(t, s.Client().Get("/forums/wcit/participants"), 200, "France")
}

func TestPartiesAreCorrectedMergedAndWithdrawnThroughThePages(t *testing.T) {
	s := pwSetup(t)
	ctx := context.Background()
	sec, bea, anon := s.client(s.sec), s.client(s.bea), s.Client()
	f, err := s.Svc.Kernel.CreateForum(ctx, s.sec, forum.ForumInput{Slug: "wtpf", Title: "WTPF-13", Kind: forum.KindPolicyForum, Languages: []string{"en", "fr", "ar"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []participation.PartyInput{
		{Country: "BR", Group: rules.GroupMemberState},
		{Code: "EXTEL", Name: "Example Telecom", Group: rules.GroupSectorMember},
		{Code: "EXTEL2", Name: "Example Telecom S.A.", Group: rules.GroupSectorMember},
	} {
		if _, err := s.Svc.Participation.AddParty(ctx, fixture.In(t, s.Svc.Kernel, s.sec, f.Slug), p); err != nil {
			t.Fatal(err)
		}
	}
	// A State's page has its official names in the forum's languages.
	r := anon.Get("/forums/wtpf/parties/BRA")
	pwStatus(t, r, 200, `<span lang="fr">Brésil</span>`)
	if !strings.Contains(r.Body, `<span lang="ar">البرازيل</span>`) || strings.Contains(r.Body, "Correct the party") {
		t.Fatalf("the public page of Brazil:\n%s", pwText(pwParse(t, r.Body)))
	}
	// Corrections: a State's name is not the secretariat's to change.
	r = sec.PostForm("/forums/wtpf/parties/BRA", "/forums/wtpf/parties/BRA", url.Values{"name": {"Brasil"}})
	pwInvalid(t, r, "f-e-name")
	r = sec.PostForm("/forums/wtpf/parties/EXTEL2", "/forums/wtpf/parties/EXTEL2", url.Values{"code": {"EXTEL2"}, "group": {"nobody"}})
	pwInvalid(t, r, "f-e-group")
	r = sec.PostForm("/forums/wtpf/parties/EXTEL2", "/forums/wtpf/parties/EXTEL2", url.Values{"code": {"EXTEL2"}, "name": {"Example Telecom SA"},
		"group": {"sector_member"}, "kind": {"company"}, "country": {"FR"}, "region": {""}, "reason": {"As registered."}})
	pwStatus(t, r, http.StatusSeeOther, "")
	pwStatus(t, anon.Get("/forums/wtpf/parties/EXTEL2"), 200, "Example Telecom SA")
	r = bea.PostForm("/forums/wtpf/parties/BRA", "/forums/wtpf/parties/EXTEL2/withdraw", url.Values{"reason": {"x"}})
	pwStatus(t, r, http.StatusForbidden, "")
	// A merge names the party kept and says why.
	r = sec.PostForm("/forums/wtpf/parties/EXTEL2", "/forums/wtpf/parties/EXTEL2/merge", url.Values{"into": {"EXTEL"}})
	pwInvalid(t, r, "f-m-reason")
	r = sec.PostForm("/forums/wtpf/parties/EXTEL2", "/forums/wtpf/parties/EXTEL2/merge", url.Values{"into": {"EXTEL"}, "reason": {"Entered twice."}})
	pwStatus(t, r, http.StatusSeeOther, "")
	if loc := r.Header.Get("Location"); loc != "/forums/wtpf/parties/EXTEL" {
		t.Fatalf("after the merge: %s", loc)
	}
	r = anon.Get("/forums/wtpf/parties/EXTEL2")
	pwStatus(t, r, 200, "it was merged into Example Telecom (EXTEL)")
	if strings.Contains(r.Body, "Register for") {
		t.Fatal("a merged party offers registration")
	}
	// A withdrawal needs its reason.
	r = sec.PostForm("/forums/wtpf/parties/EXTEL", "/forums/wtpf/parties/EXTEL/withdraw", nil)
	pwInvalid(t, r, "f-w-reason")
	r = sec.PostForm("/forums/wtpf/parties/EXTEL", "/forums/wtpf/parties/EXTEL/withdraw", url.Values{"reason": {"It left the Sector."}})
	pwStatus(t, r, http.StatusSeeOther, "")
	pwStatus(t, anon.Get("/forums/wtpf/parties/EXTEL"), 200, "Example Telecom has withdrawn from WTPF-13. Reason: It left the Sector.")
	r = anon.Get("/forums/wtpf/participants")
	pwStatus(t, r, 200, "Withdrawn and merged parties")
	pwTablesAccessible(t, pwParse(t, r.Body))
	r = anon.Get("/forums/wtpf/record")
	for _, want := range []string{"The party Example Telecom SA was corrected (iso2, iso3, name): As registered.",
		"Example Telecom SA (EXTEL2) was merged into Example Telecom (EXTEL): Entered twice.", "Example Telecom withdrew: It left the Sector."} {
		if !strings.Contains(r.Body, want) {
			t.Fatalf("the record lacks %q:\n%s", want, pwText(pwParse(t, r.Body)))
		}
	}
}

// Every right is exercised now (signatures and reservations by the final
// acts): the rules page marks no column "not yet" and has no legend for it.
func TestRulesPageMarksNoRightNotYetExercised(t *testing.T) {
	s := pwSetup(t)
	r := s.Client().Get("/forums/wcit/rules")
	pwStatus(t, r, 200, "What Member States may do")
	doc := pwParse(t, r.Body)
	var ms *html.Node
	for _, tb := range pwAll(doc, "table") {
		if strings.Contains(pwText(tb), "What Member States may do") {
			ms = tb
		}
	}
	if ms == nil {
		t.Fatal("no Member State table")
	}
	heads := map[string]string{}
	for _, th := range pwAll(ms, "th", "scope", "col") {
		for _, ab := range pwAll(th, "abbr") {
			title, _ := pwAttr(ab, "title")
			heads[pwText(ab)] = pwText(th) + " | " + title
		}
	}
	for _, a := range []rules.Action{rules.Sign, rules.FileReservation, rules.Vote, rules.ProposeAmendment} {
		if h := heads[a.Short()]; h == "" || strings.Contains(h, "not yet") {
			t.Errorf("the %s column is marked as not yet exercised, or missing: %q", a.Short(), h)
		}
	}
	if n := len(pwAll(doc, "p", "id", "not-yet")) + len(pwAll(doc, "p", "class", "notyet-note")); n != 0 {
		t.Errorf("%d notes say a right is not yet exercised", n)
	}
	if strings.Contains(r.Body, "does not take signatures") || strings.Contains(r.Body, `href="#not-yet"`) {
		t.Error("the page still says signatures are not taken, or links to a legend it lacks")
	}
}
