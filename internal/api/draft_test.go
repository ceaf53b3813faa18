package api_test

import (
	"context"
	"encoding/xml"
	"net/http"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/drafting"
	"github.com/plenary-forum/plenary/internal/export"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// draftAPISite is a forum with a draft opinion and API clients for the
// secretariat, the editor, two delegates and an observer.
type draftAPISite struct {
	*servertest.Site
	sec, editor, usa, bra, obs, anon *servertest.Client
	d                                doc
	v                                validator
	base                             string // /api/v1/forums/wtpf-13/drafts/ID
}

const apiOpinion = "# Draft Opinion 5\n\n*recognizing*\n\na) that the Internet is a global resource;\n\n*is of the view*\n\n1. that all stakeholders should take part in their respective roles;\n\n2. that the work should be open.\n"

func newDraftAPISite(t *testing.T) *draftAPISite {
	t.Helper()
	s := servertest.New(t)
	ctx := context.Background()
	secA := s.User("sec@example.org", "Sec", true)
	f, err := s.Svc.Kernel.CreateForum(ctx, secA, forum.ForumInput{Slug: "wtpf-13", Title: "WTPF-13: Policy Forum", Kind: forum.KindPolicyForum, DocPrefix: "WTPF-13"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []participation.PartyInput{{Code: "USA", Name: "United States", Group: rules.GroupMemberState}, {Code: "BRA", Name: "Brazil", Group: rules.GroupMemberState}} {
		if _, err := s.Svc.Participation.AddParty(ctx, fixture.In(t, s.Svc.Kernel, secA, f.Slug), p); err != nil {
			t.Fatal(err)
		}
	}
	reg := func(email, party, group, role string) *servertest.Client {
		a := s.User(email, email, false)
		if _, err := s.Svc.Participation.Register(ctx, fixture.In(t, s.Svc.Kernel, secA, f.Slug), participation.RegistrationInput{Email: email, Party: party, Group: group, Role: role, Mode: "in_room"}); err != nil {
			t.Fatal(err)
		}
		return s.APIToken(a)
	}
	ds := &draftAPISite{Site: s, sec: s.APIToken(secA), editor: reg("editor@example.org", "", rules.GroupSecretariat, "editor"),
		usa: reg("usa@example.org", "USA", "", "delegate"), bra: reg("bra@example.org", "BRA", "", "delegate"),
		obs: reg("obs@example.org", "", rules.GroupObserver, "observer"), anon: s.Client()}
	ds.d, ds.v = loadDoc(t, s)
	r := ds.editor.JSON("POST", "/api/v1/forums/wtpf-13/drafts", `{"text": `+jsonString(apiOpinion)+`, "visibility": "public"}`)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create draft: %d %s", r.StatusCode, r.Body)
	}
	checkResponse(t, ds.d, ds.v, "POST", "/forums/{slug}/drafts", r)
	var dt drafting.DraftText
	decodeInto(t, r, &dt)
	ds.base = "/api/v1/forums/wtpf-13/drafts/" + dt.ID
	return ds
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\n':
			b.WriteString(`\n`)
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// check sends a request and validates the response against the
// documented schema of pattern.
func (s *draftAPISite) check(t *testing.T, c *servertest.Client, method, pattern, path, body string, status int) servertest.Response {
	t.Helper()
	r := c.JSON(method, path, body)
	if r.StatusCode != status {
		t.Fatalf("%s %s: %d, want %d\n%s", method, path, r.StatusCode, status, r.Body)
	}
	checkResponse(t, s.d, s.v, method, pattern, r)
	return r
}

func TestDraftingThroughTheAPI(t *testing.T) {
	s := newDraftAPISite(t)
	p := "/forums/{slug}/drafts/{id}"
	// Proposals: a MOD given as the provision's new text, colliding with
	// another, and an ADD.
	r := s.check(t, s.bra, "POST", p+"/amendments", s.base+"/amendments",
		`{"op": "MOD", "provision": "p2", "text": "that all stakeholders should take part on an equal footing;", "rationale": "Equal footing."}`, http.StatusCreated)
	var bra drafting.Amendment
	decodeInto(t, r, &bra)
	if bra.Label != "BRA/1/1" || len(bra.Edits) == 0 || r.Header.Get("Location") != s.base+"/amendments/"+bra.ID {
		t.Fatalf("proposal: %+v %s", bra, r.Header.Get("Location"))
	}
	s.check(t, s.usa, "POST", p+"/amendments", s.base+"/amendments",
		`{"op": "MOD", "provision": "p2", "text": "that all stakeholders should take part in their respective roles and responsibilities;"}`, http.StatusCreated)
	r = s.check(t, s.usa, "POST", p+"/amendments", s.base+"/amendments", `{"op": "ADD", "after": "p3", "text": "that the Forum should report."}`, http.StatusCreated)
	var add drafting.Amendment
	decodeInto(t, r, &add)
	s.check(t, s.usa, "POST", p+"/amendments/{aid}/cosponsors", s.base+"/amendments/"+bra.ID+"/cosponsors", `{}`, http.StatusOK)

	// Refusals name the rule or the field, in the error envelope.
	r = s.check(t, s.obs, "POST", p+"/amendments", s.base+"/amendments", `{"op": "SUP", "provision": "p1"}`, http.StatusForbidden)
	if !strings.Contains(r.Body, "may not propose an amendment") {
		t.Fatalf("observer: %s", r.Body)
	}
	r = s.check(t, s.bra, "POST", p+"/amendments", s.base+"/amendments", `{"op": "MOD", "provision": "p9", "text": "x"}`, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Body, `"field":"provision"`) {
		t.Fatalf("bad provision: %s", r.Body)
	}
	s.check(t, s.bra, "POST", p+"/amendments", s.base+"/amendments", `{"op": "MOD", "provision": "p2", "colour": "red"}`, http.StatusUnprocessableEntity)
	s.check(t, s.anon, "POST", p+"/amendments", s.base+"/amendments", `{"op": "SUP", "provision": "p1"}`, http.StatusUnauthorized)

	// Reading.
	for _, g := range []struct{ pattern, path string }{
		{"/forums/{slug}/drafts", "/api/v1/forums/wtpf-13/drafts"},
		{p, s.base}, {p, s.base + "?revision=1"},
		{p + "/compilation", s.base + "/compilation"},
		{p + "/consolidated", s.base + "/consolidated"},
		{p + "/brackets", s.base + "/brackets"},
		{p + "/amendments", s.base + "/amendments?status=submitted"},
		{p + "/amendments/{aid}", s.base + "/amendments/" + bra.ID},
		{p + "/provisions/{pid}/log", s.base + "/provisions/p2/log"},
	} {
		s.check(t, s.anon, "GET", g.pattern, g.path, "", http.StatusOK)
	}
	r = s.check(t, s.anon, "GET", p+"/compilation", s.base+"/compilation", "", http.StatusOK)
	var cv drafting.CompilationView
	decodeInto(t, r, &cv)
	if cv.Compilation.Proposals != 3 || len(cv.Compilation.Collisions) != 1 {
		t.Fatalf("compilation: %+v", cv.Compilation)
	}
	s.check(t, s.anon, "GET", p+"/amendments", s.base+"/amendments?revision=0", "", http.StatusUnprocessableEntity)

	// Only the editor issues the revision.
	in := `{"revision": 1, "brackets": [{"collision": "c1"}], "decisions": [{"action": "accept", "amendment_id": "` + add.ID + `"}], "note": "First reading"}`
	s.check(t, s.sec, "POST", p+"/revisions", s.base+"/revisions", in, http.StatusForbidden)
	s.check(t, s.editor, "POST", p+"/revisions", s.base+"/revisions", `{"decisions": [{"action": "accept", "amendment_id": "nope"}]}`, http.StatusUnprocessableEntity)
	r = s.check(t, s.editor, "POST", p+"/revisions", s.base+"/revisions", in, http.StatusCreated)
	var out drafting.RevisionOutcome
	decodeInto(t, r, &out)
	if out.Info.Revision != 2 || out.Info.OpenBrackets != 1 || out.Info.Label != "WTPF-13/1(Rev.1)" {
		t.Fatalf("revision: %+v", out.Info)
	}
	r = s.check(t, s.anon, "GET", p+"/brackets", s.base+"/brackets", "", http.StatusOK)
	if !strings.Contains(r.Body, `"supporters":["BRA","USA"]`) {
		t.Fatalf("brackets: %s", r.Body)
	}
	r = s.check(t, s.anon, "GET", p+"/redline", s.base+"/redline", "", http.StatusOK)
	if !strings.Contains(r.Body, `"added":1`) || !strings.Contains(r.Body, `"changed":1`) {
		t.Fatalf("redline: %s", r.Body)
	}
	s.check(t, s.anon, "GET", p+"/redline", s.base+"/redline?from=1&to=5", "", http.StatusUnprocessableEntity)

	// Akoma Ntoso.
	for _, path := range []string{s.base + "/revisions/2/akn", s.base + "/revisions/1/proposals/akn"} {
		r = s.anon.Get(path)
		var root struct{ XMLName xml.Name }
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/akn+xml" || xml.Unmarshal([]byte(r.Body), &root) != nil || root.XMLName.Space != export.Namespace {
			t.Fatalf("%s: %d %v %.200s", path, r.StatusCode, r.Header, r.Body)
		}
	}
	if r := s.anon.Get(s.base + "/revisions/9/akn"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown revision: %d", r.StatusCode)
	}

	// Withdrawing, and the attribution setting.
	r = s.check(t, s.usa, "POST", p+"/amendments", s.base+"/amendments", `{"op": "NOC", "provision": "p1"}`, http.StatusCreated)
	var noc drafting.Amendment
	decodeInto(t, r, &noc)
	s.check(t, s.bra, "POST", p+"/amendments/{aid}/withdraw", s.base+"/amendments/"+noc.ID+"/withdraw", `{"reason": "not mine"}`, http.StatusForbidden)
	s.check(t, s.usa, "POST", p+"/amendments/{aid}/withdraw", s.base+"/amendments/"+noc.ID+"/withdraw", `{"reason": "Agreed in the room."}`, http.StatusOK)
	s.check(t, s.bra, "PUT", "/forums/{slug}/compilation-setting", "/api/v1/forums/wtpf-13/compilation-setting", `{"anonymised": true}`, http.StatusForbidden)
	s.check(t, s.sec, "PUT", "/forums/{slug}/compilation-setting", "/api/v1/forums/wtpf-13/compilation-setting", `{"anonymised": true}`, http.StatusOK)
	r = s.check(t, s.anon, "GET", p+"/amendments", s.base+"/amendments", "", http.StatusOK)
	if strings.Contains(r.Body, "BRA/1/1") || !strings.Contains(r.Body, `"anonymous":true`) {
		t.Fatalf("anonymised list: %s", r.Body)
	}
}
