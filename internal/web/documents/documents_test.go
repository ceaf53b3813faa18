package documents_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/config"
	"github.com/plenary-forum/plenary/internal/documents"
	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/participation"
	"github.com/plenary-forum/plenary/internal/rules"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// docSite is a site with a WTPF-like forum, parties and people:
// the secretariat, a United States delegate, a Brazilian delegate and an
// observer (who may not read restricted documents under the ITU policy
// forum rules).
type docSite struct {
	*servertest.Site
	f                      forum.Forum
	sec, usa, bra, obs     forum.Actor
	pub, members, delegate documents.Document
	dataDir                string
}

const maxUpload = 32 << 10

func newDocSite(t *testing.T) *docSite {
	t.Helper()
	ds := &docSite{}
	ds.Site = servertest.New(t, servertest.Options{Config: func(c *config.Config) {
		c.MaxUploadBytes = maxUpload
		ds.dataDir = c.DataDir
	}})
	ctx := context.Background()
	ds.sec = ds.User("sec@example.org", "Sofia Secretariat", true)
	f, err := ds.Svc.Kernel.CreateForum(ctx, ds.sec, forum.ForumInput{Slug: "wtpf-13", Title: "WTPF-13: Policy Forum", Kind: forum.KindPolicyForum,
		DocPrefix: "WTPF-13", Languages: []string{"en", "fr"}})
	if err != nil {
		t.Fatal(err)
	}
	ds.f = f
	for _, p := range []participation.PartyInput{
		{Code: "USA", Name: "United States", Group: rules.GroupMemberState},
		{Code: "BRA", Name: "Brazil", Group: rules.GroupMemberState},
	} {
		if _, err := ds.Svc.Participation.AddParty(ctx, fixture.In(t, ds.Svc.Kernel, ds.sec, f.Slug), p); err != nil {
			t.Fatal(err)
		}
	}
	reg := func(email, name, party, role string) forum.Actor {
		a := ds.User(email, name, false)
		in := participation.RegistrationInput{Email: email, Party: party, Role: role, Mode: string(rules.InRoom)}
		if party == "" {
			in.Group = rules.GroupObserver
		}
		if _, err := ds.Svc.Participation.Register(ctx, fixture.In(t, ds.Svc.Kernel, ds.sec, f.Slug), in); err != nil {
			t.Fatalf("register %s: %v", email, err)
		}
		return a
	}
	ds.usa = reg("usa@example.org", "Una States", "USA", "delegate")
	ds.bra = reg("bra@example.org", "Beatriz Delegate", "BRA", "delegate")
	ds.obs = reg("obs@example.org", "Oscar Observer", "", "observer")
	sub := func(a forum.Actor, in documents.DocumentInput) documents.Document {
		d, err := ds.Svc.Documents.SubmitDocument(ctx, fixture.In(t, ds.Svc.Kernel, a, f.Slug), in)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	ds.pub = sub(ds.sec, documents.DocumentInput{Type: documents.DocReport, Number: 3, Title: "Report of the Secretary-General",
		Text: "Internet exchange points and <b>broadband</b>.", Files: []documents.FileInput{{Name: "report.pdf", Language: "en", Content: strings.NewReader("%PDF-1.4\nreport\n")}}})
	ds.members = sub(ds.usa, documents.DocumentInput{Type: documents.DocContribution, Title: "Members-only contribution", Text: "Confidential exchange points.",
		Visibility: "members", Files: []documents.FileInput{{Name: "members.txt", Content: strings.NewReader("members only text")}}})
	ds.delegate = sub(ds.bra, documents.DocumentInput{Type: documents.DocContribution, Title: "Brazil's own paper", Text: "Delegation exchange points.", Visibility: "delegation"})
	return ds
}

func (ds *docSite) docPath(d documents.Document) string { return "/forums/wtpf-13/documents/" + d.ID }

func (ds *docSite) login(a forum.Actor) *servertest.Client {
	c := ds.Client()
	c.Login(a.Email)
	return c
}

// multipartForm posts a multipart form as a browser would: the fields,
// an optional file in the field "file", and the CSRF token of the page
// at from.
func multipartForm(t *testing.T, c *servertest.Client, s *servertest.Site, from, path string, fields map[string][]string, fileName string, content []byte) servertest.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if from != "" {
		mw.WriteField("csrf_token", c.CSRF(from))
	}
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if content != nil {
		w, err := mw.CreateFormFile("file", fileName)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(content)
	}
	mw.Close()
	h := http.Header{"Content-Type": {mw.FormDataContentType()}, "Origin": {s.URL}, "Sec-Fetch-Site": {"same-origin"}}
	return c.Do("POST", path, &buf, h)
}

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

var fileLinkRE = regexp.MustCompile(`href="(/forums/wtpf-13/documents/[0-9a-f]+/files/[0-9a-f]+)"`)

func TestRegisterAndDocumentPagesFollowVisibility(t *testing.T) {
	ds := newDocSite(t)
	anon := ds.Client()
	r := anon.Get("/forums/wtpf-13/documents")
	if r.StatusCode != 200 {
		t.Fatalf("register: %d", r.StatusCode)
	}
	mustContain(t, r, "WTPF-13/3", "Report of the Secretary-General", `<span class="badge vis-public">Public</span>`, `<th scope="col">Number</th>`, "<caption>")
	mustNotContain(t, r, "Members-only contribution", "Brazil&#39;s own paper", "Submit a document")

	usa := ds.login(ds.usa)
	r = usa.Get("/forums/wtpf-13/documents")
	mustContain(t, r, "Members-only contribution", "Members only", "Submit a document")
	mustNotContain(t, r, "Brazil&#39;s own paper")
	r = ds.login(ds.bra).Get("/forums/wtpf-13/documents")
	mustContain(t, r, "Brazil&#39;s own paper", "Delegation of Brazil only")

	// The document page, its versions and files.
	r = anon.Get(ds.docPath(ds.pub))
	if r.StatusCode != 200 {
		t.Fatalf("public document: %d", r.StatusCode)
	}
	mustContain(t, r, "<h1>Report of the Secretary-General</h1>", "&lt;b&gt;broadband&lt;/b&gt;", "report.pdf", "PDF")
	m := fileLinkRE.FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatal("no file link")
	}
	f := anon.Get(m[1])
	if f.StatusCode != 200 || f.Body != "%PDF-1.4\nreport\n" || f.Header.Get("Content-Type") != "application/pdf" ||
		f.Header.Get("X-Content-Type-Options") != "nosniff" || f.Header.Get("Content-Disposition") != `attachment; filename=report.pdf` {
		t.Fatalf("download: %d %v %q", f.StatusCode, f.Header, f.Body)
	}

	// Restricted: the public is sent to log in, the observer is refused
	// with the rule, the member reads it.
	r = anon.Get(ds.docPath(ds.members))
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous on a members document: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	obs := ds.login(ds.obs)
	r = obs.Get(ds.docPath(ds.members))
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("observer: %d", r.StatusCode)
	}
	mustContain(t, r, "WTPF-13")
	mustNotContain(t, r, "Confidential")
	r = usa.Get(ds.docPath(ds.members))
	mustContain(t, r, "Confidential exchange points.", "members.txt")
	m = fileLinkRE.FindStringSubmatch(r.Body)
	if f := obs.Get(m[1]); f.StatusCode != http.StatusForbidden || strings.Contains(f.Body, "members only text") {
		t.Fatalf("observer downloading a members file: %d", f.StatusCode)
	}
	if f := usa.Get(m[1]); f.StatusCode != 200 || f.Body != "members only text" || f.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("member downloading: %d %q", f.StatusCode, f.Body)
	}
	if r := usa.Get(ds.docPath(ds.delegate)); r.StatusCode != http.StatusForbidden {
		t.Fatalf("other delegation: %d", r.StatusCode)
	}
	if r := anon.Get("/forums/wtpf-13/documents/nope"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown document: %d", r.StatusCode)
	}
	if r := anon.Get(ds.docPath(ds.pub) + "/files/nope"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown file: %d", r.StatusCode)
	}
}

func TestRegisterFiltersNumberLookupAndLiveFragment(t *testing.T) {
	ds := newDocSite(t)
	anon := ds.Client()
	r := anon.Get("/forums/wtpf-13/documents?type=contribution")
	mustContain(t, r, "No document matches the filter.", "Show all")
	r = anon.Get("/forums/wtpf-13/documents?type=report&from=2000-01-01")
	mustContain(t, r, "WTPF-13/3", "1 document matching the filter")
	r = anon.Get("/forums/wtpf-13/documents?from=yesterday")
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad filter: %d", r.StatusCode)
	}
	mustContain(t, r, `aria-invalid="true" aria-describedby="e-from"`, "WTPF-13/3")
	r = anon.Get("/forums/wtpf-13/documents?number=" + url.QueryEscape("WTPF-13/3"))
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != ds.docPath(ds.pub) {
		t.Fatalf("number lookup: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r := anon.Get("/forums/wtpf-13/documents?number=WTPF-13/99"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown number: %d", r.StatusCode)
	}
	// The live refresh asks for the register alone.
	r = anon.Do("GET", "/forums/wtpf-13/documents", nil, http.Header{"HX-Request": {"true"}, "HX-Target": {"register"}})
	if r.StatusCode != 200 || strings.Contains(r.Body, "<html") || !strings.HasPrefix(strings.TrimSpace(r.Body), `<div id="register"`) {
		t.Fatalf("fragment: %d %.200s", r.StatusCode, r.Body)
	}
	r = anon.Get("/forums/wtpf-13/documents")
	mustContain(t, r, `hx-ext="sse" sse-connect="/forums/wtpf-13/events?since=`, `hx-trigger="sse:message"`)
	if r := anon.Get("/forums/nope/documents"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown forum: %d", r.StatusCode)
	}
}

func (ds *docSite) objects(t *testing.T) int {
	n := 0
	root := filepath.Join(ds.dataDir, "files")
	filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, p)
		if err == nil && !e.IsDir() && !strings.HasPrefix(rel, "tmp"+string(os.PathSeparator)) {
			n++
		}
		return nil
	})
	return n
}

func TestSubmitDocumentForm(t *testing.T) {
	ds := newDocSite(t)
	if r := ds.Client().Get("/forums/wtpf-13/documents/new"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("form for the public: %d", r.StatusCode)
	}
	usa := ds.login(ds.usa)
	r := usa.Get("/forums/wtpf-13/documents/new")
	if r.StatusCode != 200 {
		t.Fatalf("form: %d", r.StatusCode)
	}
	mustContain(t, r, `enctype="multipart/form-data"`, `name="csrf_token"`, `<label for="f-file">`, `<legend>Who may read it</legend>`, "United States of America (USA)")
	mustNotContain(t, r, `name="number"`)
	// Only the types the delegate may file are offered.
	mustContain(t, r, `<option value="contribution" selected>`, `<option value="proposal"`)
	mustNotContain(t, r, `<option value="report"`, `<option value="minutes"`, `<option value="draft_text"`)
	if r := ds.login(ds.sec).Get("/forums/wtpf-13/documents/new"); !strings.Contains(r.Body, `<option value="report"`) {
		t.Fatalf("the secretariat's form lacks reports:\n%s", r.Body)
	}
	before := ds.objects(t)

	fields := map[string][]string{"type": {"contribution"}, "title": {"Contribution from the United States"}, "text": {"First paragraph.\n\nSecond."},
		"languages": {"en", "fr"}, "visibility": {""}, "file_language": {"fr"}}
	// A file that is not what it claims: refused, the form comes back.
	r = multipartForm(t, usa, ds.Site, "/forums/wtpf-13/documents/new", "/forums/wtpf-13/documents", fields, "contribution.pdf", []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff"))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong type: %d", r.StatusCode)
	}
	mustContain(t, r, `id="f-file"`, `aria-invalid="true"`, `id="e-file"`, "is not a PDF", `value="Contribution from the United States"`)
	// Too large: 413, naming the field.
	r = multipartForm(t, usa, ds.Site, "/forums/wtpf-13/documents/new", "/forums/wtpf-13/documents", fields, "big.txt", bytes.Repeat([]byte("a"), maxUpload+1))
	if r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("too large: %d", r.StatusCode)
	}
	mustContain(t, r, "file", "larger than the limit")
	// Far too large: the body is cut off before it is read.
	r = multipartForm(t, usa, ds.Site, "/forums/wtpf-13/documents/new", "/forums/wtpf-13/documents", fields, "huge.txt", bytes.Repeat([]byte("a"), 3<<20))
	if r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("far too large: %d", r.StatusCode)
	}
	mustContain(t, r, "file")
	if n := ds.objects(t); n != before {
		t.Fatalf("refused uploads stored %d objects", n-before)
	}
	// Without the CSRF token: refused.
	r = multipartForm(t, usa, ds.Site, "", "/forums/wtpf-13/documents", fields, "", nil)
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("no CSRF token: %d", r.StatusCode)
	}
	list, _ := ds.Svc.Documents.Documents(context.Background(), fixture.In(t, ds.Svc.Kernel, ds.sec, ds.f), documents.DocumentFilter{})
	if len(list) != 3 {
		t.Fatalf("refused forms filed documents: %d", len(list))
	}
	// Missing title: 422 with the field.
	bad := map[string][]string{"type": {"contribution"}, "title": {""}}
	r = multipartForm(t, usa, ds.Site, "/forums/wtpf-13/documents/new", "/forums/wtpf-13/documents", bad, "", nil)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no title: %d", r.StatusCode)
	}
	mustContain(t, r, `id="e-title"`, `aria-describedby="e-title"`)
	// A report is the secretariat's: 403 naming the rule.
	rep := map[string][]string{"type": {"report"}, "title": {"A report"}}
	r = multipartForm(t, usa, ds.Site, "/forums/wtpf-13/documents/new", "/forums/wtpf-13/documents", rep, "", nil)
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("report by a delegate: %d", r.StatusCode)
	}
	mustContain(t, r, "only the secretariat of WTPF-13", `id="f-title"`, `value="A report"`, `name="csrf_token"`)

	r = multipartForm(t, usa, ds.Site, "/forums/wtpf-13/documents/new", "/forums/wtpf-13/documents", fields, "contribution.txt", []byte("Texte en français."))
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d\n%s", r.StatusCode, r.Body)
	}
	loc := r.Header.Get("Location")
	r = usa.Get(loc)
	mustContain(t, r, "WTPF-13/6", "Contribution from the United States", "<p>First paragraph.</p><p>Second.</p>", "contribution.txt", "Plain text", "is filed")
	if n := ds.objects(t); n != before+1 {
		t.Fatalf("%d objects after a good upload", n-before)
	}
}

func TestVersionsFilesVisibilityAndWithdrawForms(t *testing.T) {
	ds := newDocSite(t)
	usa := ds.login(ds.usa)
	page := ds.docPath(ds.members)
	r := usa.Get(page)
	mustContain(t, r, "Issue a revision, addendum or corrigendum", "Attach a file", "Withdraw this document")
	mustNotContain(t, r, "Change who may read it")
	r = multipartForm(t, usa, ds.Site, page, page+"/versions", map[string][]string{"kind": {"rev"}, "title": {"Revised contribution"}, "text": {"Revised text."}, "note": {"Merged comments"}}, "", nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("revision: %d %s", r.StatusCode, r.Body)
	}
	r = usa.Get(page)
	mustContain(t, r, "WTPF-13/4(Rev.1)", "Revised text.", "Merged comments", "(document WTPF-13/4)", "WTPF-13/4(Rev.1) is issued.")
	r = multipartForm(t, usa, ds.Site, page, page+"/versions", map[string][]string{"kind": {"rev"}, "text": {""}}, "", nil)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty revision: %d", r.StatusCode)
	}
	mustContain(t, r, `id="e-vtext"`)
	r = multipartForm(t, usa, ds.Site, page, page+"/files", map[string][]string{"file_language": {"fr"}}, "annexe.txt", []byte("Annexe."))
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("attach: %d %s", r.StatusCode, r.Body)
	}
	r = multipartForm(t, usa, ds.Site, page, page+"/files", nil, "x.exe", []byte("MZ\x90\x00\x03"))
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad attachment: %d", r.StatusCode)
	}
	mustContain(t, r, `id="e-afile"`)
	mustContain(t, usa.Get(page), "annexe.txt")
	// Brazil may not change the United States' document.
	bra := ds.login(ds.bra)
	if r := multipartForm(t, bra, ds.Site, "/forums/wtpf-13/documents", page+"/versions", map[string][]string{"kind": {"add"}, "text": {"x"}}, "", nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("other party's revision: %d", r.StatusCode)
	}

	// The secretariat's controls.
	sec := ds.login(ds.sec)
	r = sec.Get(page)
	mustContain(t, r, "Change who may read it", `<legend>Visibility</legend>`)
	r = sec.PostForm(page, page+"/visibility", url.Values{"visibility": {"members"}, "embargo_until": {"someday"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad embargo: %d", r.StatusCode)
	}
	mustContain(t, r, `id="e-sembargo"`)
	r = sec.PostForm(page, page+"/visibility", url.Values{"visibility": {"public"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("make public: %d", r.StatusCode)
	}
	mustContain(t, ds.Client().Get(page), "Revised text.")
	if r := usa.PostForm(page, page+"/visibility", url.Values{"visibility": {"members"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("delegate changing visibility: %d", r.StatusCode)
	}
	r = usa.PostForm(page, page+"/withdraw", url.Values{"reason": {"Superseded"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("withdraw: %d", r.StatusCode)
	}
	r = ds.Client().Get(page)
	mustContain(t, r, "This document was withdrawn: Superseded.", `<span class="badge withdrawn">Withdrawn</span>`)
	if r := usa.PostForm(page, page+"/withdraw", nil); r.StatusCode != http.StatusConflict {
		t.Fatalf("withdraw twice: %d", r.StatusCode)
	}
	// The record tells it.
	r = ds.Client().Get("/forums/wtpf-13/record")
	mustContain(t, r, "WTPF-13/4 is now public.", "WTPF-13/4 was withdrawn.", "WTPF-13/3 was submitted: Report of the Secretary-General.")
}

func TestSeriesForm(t *testing.T) {
	ds := newDocSite(t)
	sec := ds.login(ds.sec)
	r := sec.Get("/forums/wtpf-13/documents")
	mustContain(t, r, "Add a numbering series")
	r = sec.PostForm("/forums/wtpf-13/documents", "/forums/wtpf-13/series", url.Values{"name": {"Temporary documents"}, "prefix": {"DT"}, "series_slug": {"dt"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("series: %d %s", r.StatusCode, r.Body)
	}
	mustContain(t, sec.Get("/forums/wtpf-13/documents/new"), "DT/n: Temporary documents")
	r = sec.PostForm("/forums/wtpf-13/documents", "/forums/wtpf-13/series", url.Values{"name": {"Again"}, "prefix": {"WTPF-13"}, "series_slug": {"again"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("own prefix: %d", r.StatusCode)
	}
	usa := ds.login(ds.usa)
	if r := usa.PostForm("/forums/wtpf-13/documents", "/forums/wtpf-13/series", url.Values{"name": {"X"}, "prefix": {"X"}, "series_slug": {"x"}}); r.StatusCode != http.StatusForbidden {
		t.Fatalf("delegate adding a series: %d", r.StatusCode)
	}
}

func TestSearchPage(t *testing.T) {
	ds := newDocSite(t)
	anon := ds.Client()
	r := anon.Get("/forums/wtpf-13/search")
	if r.StatusCode != 200 {
		t.Fatalf("empty search page: %d", r.StatusCode)
	}
	mustContain(t, r, `role="search"`, `<label for="f-q">`)
	mustNotContain(t, r, "Nothing found")
	r = anon.Get("/forums/wtpf-13/search?q=exchange+points")
	mustContain(t, r, "WTPF-13/3", "<mark>exchange</mark>", "&lt;b&gt;")
	mustNotContain(t, r, "Confidential", "Members-only", "Delegation exchange")
	r = ds.login(ds.usa).Get("/search?q=exchange")
	mustContain(t, r, "Members-only contribution", "<mark>exchange</mark>", "WTPF-13: Policy Forum")
	mustNotContain(t, r, "Delegation exchange")
	r = anon.Get("/forums/wtpf-13/search?q=zzzzqqq")
	mustContain(t, r, "Nothing found")
	r = anon.Get("/forums/wtpf-13/search?q=-only")
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("only exclusions: %d", r.StatusCode)
	}
	mustContain(t, r, `aria-invalid="true"`, `id="e-q"`)
	r = anon.Get("/search?q=exchange&forum=nope")
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("unknown forum: %d", r.StatusCode)
	}
	r = anon.Get("/forums/wtpf-13/search?q=exchange&type=report&from=2000-01-01&page=1")
	mustContain(t, r, "WTPF-13/3")
	// Paging.
	for i := 0; i < 25; i++ {
		if _, err := ds.Svc.Documents.SubmitDocument(context.Background(), fixture.In(t, ds.Svc.Kernel, ds.sec, ds.f.Slug), documents.DocumentInput{Type: documents.DocInformation,
			Title: fmt.Sprintf("Paged %d", i), Text: "pagedword"}); err != nil {
			t.Fatal(err)
		}
	}
	r = anon.Get("/forums/wtpf-13/search?q=pagedword")
	mustContain(t, r, `rel="next"`)
	r = anon.Get("/forums/wtpf-13/search?q=pagedword&page=2")
	mustContain(t, r, `rel="prev"`, "page 2")
	mustNotContain(t, r, `rel="next"`)
}

// Downloads serve ranges and conditional requests, in a sandbox.
func TestDocumentDownloadIsRangedAndTagged(t *testing.T) {
	ds := newDocSite(t)
	anon := ds.Client()
	m := fileLinkRE.FindStringSubmatch(anon.Get(ds.docPath(ds.pub)).Body)
	r := anon.Do("GET", m[1], nil, http.Header{"Range": {"bytes=0-3"}})
	if r.StatusCode != http.StatusPartialContent || r.Body != "%PDF" {
		t.Fatalf("range: %d %q", r.StatusCode, r.Body)
	}
	etag := anon.Get(m[1]).Header.Get("ETag")
	if r := anon.Do("GET", m[1], nil, http.Header{"If-None-Match": {etag}}); r.StatusCode != http.StatusNotModified {
		t.Fatalf("conditional: %d", r.StatusCode)
	}
	if !strings.Contains(anon.Get(m[1]).Header.Get("Content-Security-Policy"), "sandbox") {
		t.Fatal("downloads are not sandboxed")
	}
}

// The web page's link and the API serve a file through one download: the
// same status, headers and bytes, whether plain, ranged, conditional or
// HEAD, for the public and for a delegate (cookie or token).
func TestBothFacesServeTheSameDownload(t *testing.T) {
	ds := newDocSite(t)
	ctx := context.Background()
	fl, err := ds.Svc.Documents.AttachFile(ctx, fixture.In(t, ds.Svc.Kernel, ds.usa, ds.f.Slug), ds.members.ID, documents.AttachInput{
		FileInput: documents.FileInput{Name: "Contribution \"é\" 2.txt", Language: "en", Content: strings.NewReader("members only, more text")}})
	if err != nil {
		t.Fatal(err)
	}
	pub := ds.pub.Versions[0].Files[0]
	for _, c := range []struct {
		name     string
		web, api *servertest.Client
		doc      documents.Document
		file     documents.File
	}{
		{"public", ds.Client(), ds.Client(), ds.pub, pub},
		{"delegate", ds.login(ds.usa), ds.APIToken(ds.usa), ds.members, fl},
	} {
		path := "/forums/" + ds.f.Slug + "/documents/" + c.doc.ID + "/files/" + c.file.ID
		first := c.web.Get(path)
		if first.StatusCode != http.StatusOK || first.Header.Get("ETag") == "" {
			t.Fatalf("%s: %d %v", c.name, first.StatusCode, first.Header)
		}
		for _, req := range []struct {
			method string
			header http.Header
			status int
		}{
			{"GET", nil, http.StatusOK},
			{"HEAD", nil, http.StatusOK},
			{"GET", http.Header{"Range": {"bytes=2-5"}}, http.StatusPartialContent},
			{"GET", http.Header{"If-None-Match": {first.Header.Get("ETag")}}, http.StatusNotModified},
		} {
			w := c.web.Do(req.method, path, nil, req.header)
			a := c.api.Do(req.method, "/api/v1"+path, nil, req.header)
			what := fmt.Sprintf("%s %s %v", c.name, req.method, req.header)
			if w.StatusCode != req.status || a.StatusCode != req.status {
				t.Errorf("%s: web %d, API %d, want %d", what, w.StatusCode, a.StatusCode, req.status)
			}
			if w.Body != a.Body {
				t.Errorf("%s: web sends %q, API %q", what, w.Body, a.Body)
			}
			// The date differs between two responses, and cookies are
			// the web face's session, not part of the download.
			wh, ah := w.Header.Clone(), a.Header.Clone()
			for _, k := range []string{"Date", "Set-Cookie"} {
				wh.Del(k)
				ah.Del(k)
			}
			if fmt.Sprint(wh) != fmt.Sprint(ah) {
				t.Errorf("%s: the headers differ\nweb: %v\nAPI: %v", what, wh, ah)
			}
		}
		if got := first.Header.Get("Content-Disposition"); !strings.HasPrefix(got, "attachment; filename") {
			t.Errorf("%s: Content-Disposition %q", c.name, got)
		}
	}
}
