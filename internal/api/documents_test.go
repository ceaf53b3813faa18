package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
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

// docAPISite is a site with a forum, two parties, a delegate of each and
// an observer, and API clients for them.
type docAPISite struct {
	*servertest.Site
	sec, usa, bra, obs, anon *servertest.Client
	d                        doc
	v                        validator
}

func newDocAPISite(t *testing.T) *docAPISite {
	t.Helper()
	s := servertest.New(t, servertest.Options{Config: func(c *config.Config) { c.MaxUploadBytes = 16 << 10 }})
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
	reg := func(email, party, role string) *servertest.Client {
		a := s.User(email, email, false)
		in := participation.RegistrationInput{Email: email, Party: party, Role: role, Mode: "in_room"}
		if party == "" {
			in.Group = rules.GroupObserver
		}
		if _, err := s.Svc.Participation.Register(ctx, fixture.In(t, s.Svc.Kernel, secA, f.Slug), in); err != nil {
			t.Fatal(err)
		}
		return s.APIToken(a)
	}
	ds := &docAPISite{Site: s, sec: s.APIToken(secA), usa: reg("usa@example.org", "USA", "delegate"),
		bra: reg("bra@example.org", "BRA", "delegate"), obs: reg("obs@example.org", "", "observer"), anon: s.Client()}
	ds.d, ds.v = loadDoc(t, s)
	return ds
}

func decodeInto(t *testing.T, r servertest.Response, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("%v\n%s", err, r.Body)
	}
}

func upload(t *testing.T, c *servertest.Client, path string, fields map[string]string, name string, content []byte) servertest.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if content != nil {
		w, _ := mw.CreateFormFile("file", name)
		w.Write(content)
	}
	mw.Close()
	return c.Do("POST", path, &buf, http.Header{"Content-Type": {mw.FormDataContentType()}})
}

func TestDocumentEndpoints(t *testing.T) {
	s := newDocAPISite(t)
	base := "/api/v1/forums/wtpf-13"
	check := func(method, doc string, r servertest.Response) {
		t.Helper()
		checkResponse(t, s.d, s.v, method, doc, r)
	}

	r := s.usa.JSON("POST", base+"/documents", `{"type":"contribution","title":"Contribution from the United States","text":"On exchange points.","visibility":"members"}`)
	if r.StatusCode != 201 {
		t.Fatalf("submit: %d %s", r.StatusCode, r.Body)
	}
	check("POST", "/forums/{slug}/documents", r)
	var d documents.Document
	decodeInto(t, r, &d)
	if d.Number != "WTPF-13/1" || len(d.Parties) != 1 || d.Parties[0].Code != "USA" || r.Header.Get("Location") != base+"/documents/"+d.ID {
		t.Fatalf("submitted: %+v %s", d, r.Header.Get("Location"))
	}
	r = s.sec.JSON("POST", base+"/documents", `{"type":"report","title":"Report","text":"Public report on exchange points.","number":3}`)
	if r.StatusCode != 201 {
		t.Fatalf("report: %d %s", r.StatusCode, r.Body)
	}
	var rep documents.Document
	decodeInto(t, r, &rep)

	// Reading follows the rules.
	r = s.anon.Get(base + "/documents")
	check("GET", "/forums/{slug}/documents", r)
	var list struct{ Documents []documents.Document }
	decodeInto(t, r, &list)
	if len(list.Documents) != 1 || list.Documents[0].Number != "WTPF-13/3" {
		t.Fatalf("public register: %+v", list)
	}
	r = s.bra.Get(base + "/documents?type=contribution")
	decodeInto(t, r, &list)
	if len(list.Documents) != 1 {
		t.Fatalf("member register: %+v", list)
	}
	r = s.anon.Get(base + "/documents?number=" + url.QueryEscape("WTPF-13/3"))
	decodeInto(t, r, &list)
	if r.StatusCode != 200 || len(list.Documents) != 1 || list.Documents[0].ID != rep.ID {
		t.Fatalf("by number: %d %s", r.StatusCode, r.Body)
	}
	for _, c := range []struct {
		client *servertest.Client
		status int
	}{{s.anon, 401}, {s.obs, 403}, {s.bra, 200}, {s.usa, 200}, {s.sec, 200}} {
		r := c.client.Get(base + "/documents/" + d.ID)
		if r.StatusCode != c.status {
			t.Fatalf("get as %v: %d, want %d: %s", c.client.Token != "", r.StatusCode, c.status, r.Body)
		}
		check("GET", "/forums/{slug}/documents/{id}", r)
		if c.status == 403 && !strings.Contains(r.Body, "WTPF-13") {
			t.Fatalf("refusal does not name the forum: %s", r.Body)
		}
	}
	if r := s.anon.Get(base + "/documents?from=soon"); r.StatusCode != 422 || !strings.Contains(r.Body, `"field":"from"`) {
		t.Fatalf("bad filter: %d %s", r.StatusCode, r.Body)
	}

	// Versions.
	r = s.usa.JSON("POST", base+"/documents/"+d.ID+"/versions", `{"kind":"rev","text":"Revised."}`)
	if r.StatusCode != 201 || !strings.Contains(r.Body, `"label":"WTPF-13/1(Rev.1)"`) {
		t.Fatalf("revision: %d %s", r.StatusCode, r.Body)
	}
	check("POST", "/forums/{slug}/documents/{id}/versions", r)
	if r := s.bra.JSON("POST", base+"/documents/"+d.ID+"/versions", `{"kind":"add","text":"x"}`); r.StatusCode != 403 {
		t.Fatalf("other party's version: %d", r.StatusCode)
	}
	if r := s.usa.JSON("POST", base+"/documents/"+d.ID+"/versions", `{"kind":"rev","txt":"x"}`); r.StatusCode != 422 || !strings.Contains(r.Body, `"field":"txt"`) {
		t.Fatalf("unknown field: %d %s", r.StatusCode, r.Body)
	}

	// Files, as multipart/form-data.
	files := base + "/documents/" + d.ID + "/files"
	r = upload(t, s.usa, files, map[string]string{"language": "en"}, "contribution.pdf", []byte("%PDF-1.5\nbody\n"))
	if r.StatusCode != 201 {
		t.Fatalf("upload: %d %s", r.StatusCode, r.Body)
	}
	check("POST", "/forums/{slug}/documents/{id}/files", r)
	var fl documents.File
	decodeInto(t, r, &fl)
	if fl.ContentType != "application/pdf" || fl.Name != "contribution.pdf" {
		t.Fatalf("file: %+v", fl)
	}
	for _, c := range []struct {
		name    string
		content []byte
		status  int
		field   string
	}{
		{"x.pdf", []byte{0x89, 'P', 'N', 'G', 0, 0xff}, 422, "file"},
		{"big.txt", bytes.Repeat([]byte("a"), 16<<10+1), 413, "file"},
		{"huge.txt", bytes.Repeat([]byte("a"), 2<<20), 413, "file"},
	} {
		r := upload(t, s.usa, files, nil, c.name, c.content)
		if r.StatusCode != c.status || !strings.Contains(r.Body, `"field":"`+c.field+`"`) {
			t.Fatalf("upload %s: %d %s", c.name, r.StatusCode, r.Body)
		}
		check("POST", "/forums/{slug}/documents/{id}/files", r)
	}
	if r := upload(t, s.usa, files, nil, "", nil); r.StatusCode != 422 {
		t.Fatalf("no file: %d", r.StatusCode)
	}
	if r := s.usa.JSON("POST", files, `{}`); r.StatusCode != 422 || !strings.Contains(r.Body, "multipart/form-data") {
		t.Fatalf("JSON to the upload endpoint: %d %s", r.StatusCode, r.Body)
	}
	if r := upload(t, s.anon, files, nil, "a.txt", []byte("a")); r.StatusCode != 401 {
		t.Fatalf("anonymous upload: %d", r.StatusCode)
	}
	dl := base + "/documents/" + d.ID + "/files/" + fl.ID
	if r := s.obs.Get(dl); r.StatusCode != 403 {
		t.Fatalf("observer download: %d", r.StatusCode)
	}
	r = s.bra.Get(dl)
	if r.StatusCode != 200 || r.Body != "%PDF-1.5\nbody\n" || r.Header.Get("Content-Type") != "application/pdf" ||
		r.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("download: %d %v", r.StatusCode, r.Header)
	}

	// Visibility, by the secretariat only.
	vis := base + "/documents/" + d.ID + "/visibility"
	if r := s.usa.JSON("PUT", vis, `{"visibility":"public"}`); r.StatusCode != 403 {
		t.Fatalf("delegate: %d", r.StatusCode)
	}
	if r := s.sec.JSON("PUT", vis, `{"visibility":"public","embargo_until":"2999-01-01"}`); r.StatusCode != 422 || !strings.Contains(r.Body, "embargo_until") {
		t.Fatalf("embargo on public: %d %s", r.StatusCode, r.Body)
	}
	r = s.sec.JSON("PUT", vis, `{"visibility":"members","embargo_until":"2001-01-01T00:00:00Z"}`)
	if r.StatusCode != 200 {
		t.Fatalf("embargo: %d %s", r.StatusCode, r.Body)
	}
	check("PUT", "/forums/{slug}/documents/{id}/visibility", r)
	// The embargo has passed: the next read releases it, on the record.
	r = s.anon.Get(base + "/documents/" + d.ID)
	if r.StatusCode != 200 || !strings.Contains(r.Body, `"visibility":"public"`) || !strings.Contains(r.Body, `"released_at"`) {
		t.Fatalf("after the embargo: %d %s", r.StatusCode, r.Body)
	}
	ledger := s.anon.Get(base + "/ledger").Body
	if !strings.Contains(ledger, `"type":"document.released"`) || !strings.Contains(ledger, `"actor":"system"`) {
		t.Fatal("the release is not on the public record")
	}

	// Withdrawing.
	r = s.usa.JSON("POST", base+"/documents/"+d.ID+"/withdraw", `{"reason":"Superseded"}`)
	if r.StatusCode != 200 || !strings.Contains(r.Body, `"status":"withdrawn"`) {
		t.Fatalf("withdraw: %d %s", r.StatusCode, r.Body)
	}
	check("POST", "/forums/{slug}/documents/{id}/withdraw", r)
}

func TestSeriesAndSearchEndpoints(t *testing.T) {
	s := newDocAPISite(t)
	base := "/api/v1/forums/wtpf-13"
	check := func(method, doc string, r servertest.Response) {
		t.Helper()
		checkResponse(t, s.d, s.v, method, doc, r)
	}
	r := s.sec.JSON("POST", base+"/series", `{"slug":"dt","prefix":"DT","name":"Temporary documents"}`)
	if r.StatusCode != 201 {
		t.Fatalf("series: %d %s", r.StatusCode, r.Body)
	}
	check("POST", "/forums/{slug}/series", r)
	if r := s.usa.JSON("POST", base+"/series", `{"slug":"x","prefix":"X","name":"X"}`); r.StatusCode != 403 {
		t.Fatalf("delegate series: %d", r.StatusCode)
	}
	r = s.anon.Get(base + "/series")
	check("GET", "/forums/{slug}/series", r)
	if !strings.Contains(r.Body, `"slug":"main"`) || !strings.Contains(r.Body, `"prefix":"DT"`) {
		t.Fatalf("series list: %s", r.Body)
	}
	r = s.sec.JSON("POST", base+"/documents", `{"type":"temporary","series":"dt","number":55,"title":"Chair's package","text":"A compromise on exchange points."}`)
	if r.StatusCode != 201 || !strings.Contains(r.Body, `"number":"DT/55"`) {
		t.Fatalf("DT/55: %d %s", r.StatusCode, r.Body)
	}
	s.usa.JSON("POST", base+"/documents", `{"type":"contribution","title":"Members only","text":"Secret exchange points.","visibility":"members"}`)

	r = s.anon.Get("/api/v1/search?q=" + url.QueryEscape("exchange points"))
	if r.StatusCode != 200 {
		t.Fatalf("search: %d %s", r.StatusCode, r.Body)
	}
	check("GET", "/search", r)
	if strings.Contains(r.Body, "Secret") || !strings.Contains(r.Body, `"number":"DT/55"`) || !strings.Contains(r.Body, `\u003cmark\u003eexchange\u003c/mark\u003e`) {
		t.Fatalf("public search: %s", r.Body)
	}
	r = s.bra.Get(base + "/search?q=exchange")
	check("GET", "/forums/{slug}/search", r)
	if !strings.Contains(r.Body, "Secret") {
		t.Fatalf("member search: %s", r.Body)
	}
	r = s.anon.Get("/api/v1/search?q=nothingmatches")
	if r.StatusCode != 200 || !strings.Contains(r.Body, `"hits":[]`) {
		t.Fatalf("empty result: %s", r.Body)
	}
	for _, q := range []string{"q=", "q=x&page=0", "q=x&forum=nope", "q=x&type=memo", "q=x&from=2013"} {
		r := s.anon.Get("/api/v1/search?" + q)
		if r.StatusCode != 422 {
			t.Fatalf("%s: %d %s", q, r.StatusCode, r.Body)
		}
		check("GET", "/search", r)
	}
}

func TestOpenAPIDocumentsTheUpload(t *testing.T) {
	s := servertest.New(t)
	d, _ := loadDoc(t, s)
	op := d.Paths["/forums/{slug}/documents/{id}/files"]["post"]
	content := op["requestBody"].(map[string]any)["content"].(map[string]any)
	mt, ok := content["multipart/form-data"].(map[string]any)
	if !ok {
		t.Fatalf("upload body: %v", content)
	}
	ref := mt["schema"].(map[string]any)["$ref"].(string)
	schema := d.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
	file := schema["properties"].(map[string]any)["file"].(map[string]any)
	if file["type"] != "string" || file["contentMediaType"] != "application/octet-stream" {
		t.Fatalf("file part: %v", file)
	}
	if _, ok := d.Paths["/search"]["get"]; !ok {
		t.Fatal("search is not documented")
	}
}
