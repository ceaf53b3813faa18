package api_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/api"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// consultSite is a policy forum with a draft text of two provisions, a
// delegate of the United States, and a member of the public with no
// registration.
type consultSite struct {
	*servertest.Site
	t             *testing.T
	sec, usa, pub *servertest.Client
	draft         string
	d             doc
	v             validator
}

const cBase = "/forums/wtpf/consultations"

func newConsultSite(t *testing.T) *consultSite {
	s := &consultSite{Site: servertest.New(t), t: t}
	s.sec = s.APIToken(s.User("sec@example.org", "Sec", true))
	s.ok(s.sec, "POST", "/forums", `{"slug":"wtpf","title":"WTPF-13","kind":"policy_forum","doc_prefix":"WTPF-13"}`)
	s.ok(s.sec, "POST", "/forums/wtpf/parties/import", `{"parties":[{"code":"USA","name":"United States","group":"member_state"}]}`)
	s.usa = s.APIToken(s.User("usa@example.org", "Uma Delegate", false))
	s.ok(s.sec, "POST", "/forums/wtpf/registrations", `{"email":"usa@example.org","mode":"in_room","party":"USA","role":"delegate"}`)
	s.pub = s.APIToken(s.User("pat@example.org", "Pat Public", false))
	s.draft = s.ok(s.sec, "POST", "/forums/wtpf/drafts", `{"text":"# Draft Opinion\n\n1. that all stakeholders should take part;\n\n2. that the work should be open.\n","visibility":"public"}`)["id"].(string)
	s.d, s.v = loadDoc(t, s.Site)
	return s
}

func (s *consultSite) ok(c *servertest.Client, method, path, body string) map[string]any {
	s.t.Helper()
	r := c.JSON(method, "/api/v1"+path, body)
	if r.StatusCode >= 300 {
		s.t.Fatalf("%s %s: %d %s", method, path, r.StatusCode, r.Body)
	}
	var m map[string]any
	json.Unmarshal([]byte(r.Body), &m)
	return m
}

// get reads path as c and checks the answer against the documented
// schema of the operation at pattern.
func (s *consultSite) get(c *servertest.Client, pattern, path string) map[string]any {
	s.t.Helper()
	r := c.JSON("GET", "/api/v1"+path, "")
	if r.StatusCode != http.StatusOK {
		s.t.Fatalf("GET %s: %d %s", path, r.StatusCode, r.Body)
	}
	checkResponse(s.t, s.d, s.v, "GET", pattern, r)
	var m map[string]any
	json.Unmarshal([]byte(r.Body), &m)
	return m
}

func refs(list []any) []string {
	var out []string
	for _, x := range list {
		out = append(out, x.(map[string]any)["ref"].(string))
	}
	return out
}

func TestConsultationAPIPeriodsCommentsAndDispositions(t *testing.T) {
	s := newConsultSite(t)
	open := `{"draft":"` + s.draft + `","title":"Comments on the draft","public":true,"closes":"2099-01-01T00:00:00Z"}`
	wantRefusal(t, "anonymous opening", s.Client().JSON("POST", "/api/v1"+cBase, open), http.StatusUnauthorized)
	wantRefusal(t, "a delegate opening", s.usa.JSON("POST", "/api/v1"+cBase, open), http.StatusForbidden)
	wantRefusal(t, "a period without a close time", s.sec.JSON("POST", "/api/v1"+cBase, `{"draft":"`+s.draft+`","title":"T"}`), http.StatusUnprocessableEntity, "closes")
	r := s.sec.JSON("POST", "/api/v1"+cBase, open)
	if r.StatusCode != http.StatusCreated || !strings.HasPrefix(r.Header.Get("Location"), "/api/v1"+cBase+"/") {
		t.Fatalf("open: %d %s %s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	checkResponse(t, s.d, s.v, "POST", cBase[:len("/forums/")]+"{slug}/consultations", r)
	pid := jsonField(t, r.Body, "id")
	pp := cBase + "/" + pid

	// Comments on a provision, words in one, the whole and something missing.
	com := func(c *servertest.Client, body string) string {
		return s.ok(c, "POST", pp+"/comments", body)["ref"].(string)
	}
	c1 := com(s.usa, `{"group":"government","organisation":"Department of State","target":"provision","provision":"p1","text":"Say who the stakeholders are."}`)
	c2 := com(s.pub, `{"group":"civil_society","organisation":"individual","target":"span","provision":"p2","quote":"open","text":"Open and transparent, please."}`)
	c3 := com(s.pub, `{"group":"civil_society","organisation":"individual","target":"whole","text":"A good start."}`)
	c4 := com(s.usa, `{"group":"government","organisation":"Department of State","target":"missing","provision":"p2","proposed":"3. that developing countries be supported.","text":"Something is missing."}`)
	if c1 != "C-1" || c4 != "C-4" {
		t.Fatalf("numbers: %s %s", c1, c4)
	}
	wantRefusal(t, "an anonymous comment", s.Client().JSON("POST", "/api/v1"+pp+"/comments", `{"group":"government","organisation":"x","target":"whole","text":"x"}`), http.StatusUnauthorized)
	wantRefusal(t, "a comment without a group", s.usa.JSON("POST", "/api/v1"+pp+"/comments", `{"organisation":"x","target":"whole","text":"x"}`), http.StatusUnprocessableEntity, "group")
	wantRefusal(t, "a span outside the text", s.usa.JSON("POST", "/api/v1"+pp+"/comments", `{"group":"government","organisation":"x","target":"span","provision":"p1","quote":"no such words","text":"x"}`), http.StatusUnprocessableEntity, "quote")

	// Reads and filters.
	p := s.get(s.Client(), "/forums/{slug}/consultations/{id}", pp)
	if p["state"] != "open" || p["counts"].(map[string]any)["unanswered"].(float64) != 4 || p["may_comment"] != false {
		t.Fatalf("period: %v", p)
	}
	if l := s.get(s.Client(), "/forums/{slug}/consultations", cBase+"?draft="+s.draft)["periods"].([]any); len(l) != 1 {
		t.Fatalf("periods: %v", l)
	}
	if got := refs(s.get(s.Client(), "/forums/{slug}/consultations/{id}/comments", pp+"/comments?provision=p2")["comments"].([]any)); strings.Join(got, ",") != "C-2,C-4" {
		t.Errorf("on p2: %v", got)
	}
	wantRefusal(t, "an unknown outcome filter", s.Client().JSON("GET", "/api/v1"+pp+"/comments?outcome=maybe", ""), http.StatusUnprocessableEntity, "outcome")
	wantRefusal(t, "a comment of nobody", s.Client().JSON("GET", "/api/v1/forums/wtpf/comments/C-99", ""), http.StatusNotFound)

	// Moderation.
	wantRefusal(t, "a delegate hiding", s.usa.JSON("POST", "/api/v1/forums/wtpf/comments/"+c3+"/hide", `{"reason":"Off topic."}`), http.StatusForbidden)
	s.ok(s.sec, "POST", "/forums/wtpf/comments/"+c3+"/hide", `{"reason":"Abusive language."}`)
	pubView := s.get(s.Client(), "/forums/{slug}/comments/{ref}", "/forums/wtpf/comments/"+c3)
	if pubView["hidden"] != true || pubView["text"] != "" || pubView["hidden_reason"] != "Abusive language." {
		t.Errorf("hidden, as the public reads it: %v", pubView)
	}
	if secView := s.get(s.sec, "/forums/{slug}/comments/{ref}", "/forums/wtpf/comments/"+c3); secView["text"] != "A good start." {
		t.Errorf("hidden, as the secretariat reads it: %v", secView)
	}
	wantRefusal(t, "hiding twice", s.sec.JSON("POST", "/api/v1/forums/wtpf/comments/"+c3+"/hide", `{"reason":"Again."}`), http.StatusConflict)

	// Dispositions, with a link to the revision's provision.
	disp := `{"outcome":"accepted","reason":"The stakeholders are named.","revision":1,"provision":"p1"}`
	wantRefusal(t, "a delegate disposing", s.usa.JSON("POST", "/api/v1/forums/wtpf/comments/"+c1+"/disposition", disp), http.StatusForbidden)
	wantRefusal(t, "a disposition without a reason", s.sec.JSON("POST", "/api/v1/forums/wtpf/comments/"+c1+"/disposition", `{"outcome":"noted"}`), http.StatusUnprocessableEntity, "reason")
	d := s.ok(s.sec, "POST", "/forums/wtpf/comments/"+c1+"/disposition", disp)
	if d["outcome"] != "accepted" || d["provision"] != "p1" || d["version"].(float64) != 1 {
		t.Fatalf("disposition: %v", d)
	}
	s.ok(s.sec, "POST", "/forums/wtpf/comments/"+c2+"/disposition", `{"outcome":"noted","reason":"The text says open already."}`)
	s.ok(s.sec, "POST", "/forums/wtpf/comments/"+c2+"/disposition", `{"outcome":"accepted_in_part","reason":"Transparent is added."}`)
	if h := s.get(s.Client(), "/forums/{slug}/comments/{ref}/dispositions", "/forums/wtpf/comments/"+c2+"/dispositions")["dispositions"].([]any); len(h) != 2 {
		t.Errorf("history: %v", h)
	}
	if got := refs(s.get(s.Client(), "/forums/{slug}/consultations/{id}/comments", pp+"/comments?unanswered=true")["comments"].([]any)); strings.Join(got, ",") != "C-3,C-4" {
		t.Errorf("unanswered: %v", got)
	}
	if got := refs(s.get(s.Client(), "/forums/{slug}/consultations/{id}/comments", pp+"/comments?outcome=accepted_in_part")["comments"].([]any)); strings.Join(got, ",") != "C-2" {
		t.Errorf("accepted in part: %v", got)
	}
	// Pages: after a number, at most a limit, and where the next page starts.
	cpattern := "/forums/{slug}/consultations/{id}/comments"
	pg := s.get(s.Client(), cpattern, pp+"/comments?limit=3")
	if got := refs(pg["comments"].([]any)); strings.Join(got, ",") != "C-1,C-2,C-3" || pg["next_after"] != float64(3) {
		t.Errorf("first page: %v, next_after %v", got, pg["next_after"])
	}
	pg = s.get(s.Client(), cpattern, pp+"/comments?limit=3&after=C-3")
	if got := refs(pg["comments"].([]any)); strings.Join(got, ",") != "C-4" || pg["next_after"] != nil {
		t.Errorf("last page: %v, next_after %v", got, pg["next_after"])
	}
	if got := refs(s.get(s.Client(), cpattern, pp+"/comments?unanswered=true&after=3&limit=1")["comments"].([]any)); strings.Join(got, ",") != "C-4" {
		t.Errorf("unanswered after C-3: %v", got)
	}
	wantRefusal(t, "a limit of zero", s.Client().JSON("GET", "/api/v1"+pp+"/comments?limit=0", ""), http.StatusUnprocessableEntity, "limit")
	wantRefusal(t, "a limit too high", s.Client().JSON("GET", "/api/v1"+pp+"/comments?limit=5001", ""), http.StatusUnprocessableEntity, "limit")
	wantRefusal(t, "an after that is no number", s.Client().JSON("GET", "/api/v1"+pp+"/comments?after=soon", ""), http.StatusUnprocessableEntity, "after")

	// The disposition table, as JSON and as CSV.
	tbl := s.get(s.Client(), "/forums/{slug}/drafts/{id}/dispositions", "/forums/wtpf/drafts/"+s.draft+"/dispositions")
	rows := tbl["rows"].([]any)
	if tbl["format"] != "plenary-dispositions/1" || len(rows) != 4 || rows[0].(map[string]any)["link_provision"] != "p1" {
		t.Fatalf("table: %v", tbl)
	}
	if rows[2].(map[string]any)["text"] != "hidden by the secretariat: Abusive language." {
		t.Errorf("a hidden row: %v", rows[2])
	}
	for _, how := range []struct {
		path   string
		header http.Header
	}{
		{"/api/v1/forums/wtpf/drafts/" + s.draft + "/dispositions.csv", nil},
		{"/api/v1/forums/wtpf/drafts/" + s.draft + "/dispositions?revision=1", http.Header{"Accept": {"text/csv"}}},
	} {
		r := s.Client().Do("GET", how.path, nil, how.header)
		if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(r.Body, "comment,period,") ||
			strings.Count(r.Body, "\n") != 5 || strings.Contains(r.Body, "A good start.") {
			t.Errorf("%s: %d %s\n%s", how.path, r.StatusCode, r.Header.Get("Content-Type"), r.Body)
		}
	}
	wantRefusal(t, "a table of revision 0", s.Client().JSON("GET", "/api/v1/forums/wtpf/drafts/"+s.draft+"/dispositions?revision=0", ""), http.StatusUnprocessableEntity, "revision")

	// Closing and extending.
	wantRefusal(t, "a delegate closing", s.usa.JSON("POST", "/api/v1"+pp+"/close", ""), http.StatusForbidden)
	wantRefusal(t, "an extension without a reason", s.sec.JSON("POST", "/api/v1"+pp+"/extend", `{"closes":"2099-06-01T00:00:00Z"}`), http.StatusUnprocessableEntity, "reason")
	if e := s.ok(s.sec, "POST", pp+"/extend", `{"closes":"2099-06-01T00:00:00Z","reason":"More time was asked for."}`); !strings.HasPrefix(e["closes_at"].(string), "2099-06-01") {
		t.Errorf("extended: %v", e)
	}
	if c := s.ok(s.sec, "POST", pp+"/close", ""); c["state"] != "closed" {
		t.Errorf("closed: %v", c)
	}
	wantRefusal(t, "a comment after the close", s.usa.JSON("POST", "/api/v1"+pp+"/comments", `{"group":"government","organisation":"x","target":"whole","text":"Late."}`), http.StatusConflict)
}

func TestConsultationAPICampaignsIntakeAndExport(t *testing.T) {
	s := newConsultSite(t)
	s.Svc.Consultation.PerAccount = 3
	s.Svc.Consultation.BurstSize = 3
	pid := s.ok(s.sec, "POST", cBase, `{"draft":"`+s.draft+`","title":"Comments","public":true,"closes":"2099-01-01T00:00:00Z"}`)["id"].(string)
	pp := cBase + "/" + pid
	letter := `{"group":"civil_society","organisation":"individual","target":"whole","text":"I ask the forum to keep the Internet open, free and governed by all its stakeholders, ` // + town
	for _, town := range []string{"Recife", "Natal", "Belém"} {
		s.ok(s.pub, "POST", pp+"/comments", letter+`from `+town+`."}`)
	}
	// The fourth from one account is over the bound: 429, with Retry-After.
	r := s.pub.JSON("POST", "/api/v1"+pp+"/comments", letter+`from Manaus."}`)
	wantRefusal(t, "a comment over the bound", r, http.StatusTooManyRequests, "per account")
	if r.Header.Get("Retry-After") == "" {
		t.Errorf("429 without Retry-After: %v", r.Header)
	}
	s.ok(s.usa, "POST", pp+"/comments", `{"group":"government","organisation":"Department of State","target":"whole","text":"The draft says too little about security."}`)

	pubList := s.get(s.Client(), "/forums/{slug}/consultations/{id}/campaigns", pp+"/campaigns")
	camps := pubList["campaigns"].([]any)
	if len(camps) != 1 || camps[0].(map[string]any)["size"].(float64) != 3 || camps[0].(map[string]any)["ref"] != "C-1" {
		t.Fatalf("campaigns: %v", pubList)
	}
	if _, ok := pubList["flags"]; ok {
		t.Errorf("the public sees the signs of fabrication: %v", pubList)
	}
	// The list gives the first comments and the most frequent variants of
	// each campaign, as many as asked for, and counts them all; one
	// campaign's own answer gives them all.
	full := camps[0].(map[string]any)
	vc := full["variant_count"].(float64)
	if len(full["variants"].([]any)) != int(vc) || vc < 2 {
		t.Fatalf("variants of a small campaign: %v", full)
	}
	trimmed := s.get(s.Client(), "/forums/{slug}/consultations/{id}/campaigns", pp+"/campaigns?members=2&variants=1")["campaigns"].([]any)[0].(map[string]any)
	if len(trimmed["members"].([]any)) != 2 || len(trimmed["variants"].([]any)) != 1 || trimmed["size"].(float64) != 3 || trimmed["variant_count"].(float64) != vc {
		t.Errorf("a trimmed campaign: %v", trimmed)
	}
	for _, q := range []string{"members=0", "members=10001", "variants=x"} {
		field, _, _ := strings.Cut(q, "=")
		r := s.Client().JSON("GET", "/api/v1"+pp+"/campaigns?"+q, "")
		wantRefusal(t, "campaigns?"+q, r, http.StatusUnprocessableEntity, "from 1 to")
		if !strings.Contains(r.Body, `"`+field+`"`) {
			t.Errorf("campaigns?%s: the refusal does not name the field: %s", q, r.Body)
		}
	}
	one := s.get(s.Client(), "/forums/{slug}/consultations/{id}/campaigns/{campaign}", pp+"/campaigns/C-1")
	if len(one["members"].([]any)) != 3 || one["variant_count"].(float64) != vc || one["ref"] != "C-1" {
		t.Errorf("one campaign: %v", one)
	}
	wantRefusal(t, "a campaign that is not one", s.Client().JSON("GET", "/api/v1"+pp+"/campaigns/C-4", ""), http.StatusNotFound)
	secList := s.get(s.sec, "/forums/{slug}/consultations/{id}/campaigns", pp+"/campaigns")
	flags, _ := secList["flags"].([]any)
	kinds := map[string]bool{}
	for _, f := range flags {
		kinds[f.(map[string]any)["kind"].(string)] = true
	}
	if !kinds["burst"] {
		t.Errorf("the secretariat's flags: %v", secList)
	}
	// The signs of fabrication are trimmed as the campaigns are.
	for _, f := range s.get(s.sec, "/forums/{slug}/consultations/{id}/campaigns", pp+"/campaigns?members=1")["flags"].([]any) {
		f := f.(map[string]any)
		if len(f["comments"].([]any)) != 1 || f["comment_count"].(float64) < 3 {
			t.Errorf("a trimmed flag: %v", f)
		}
	}
	campDisp := `{"outcome":"noted","reason":"The text keeps the Internet open."}`
	wantRefusal(t, "a delegate disposing of a campaign", s.usa.JSON("POST", "/api/v1"+pp+"/campaigns/C-1/disposition", campDisp), http.StatusForbidden)
	wantRefusal(t, "a campaign of nothing", s.sec.JSON("POST", "/api/v1"+pp+"/campaigns/nothing/disposition", campDisp), http.StatusNotFound)
	if ds := s.ok(s.sec, "POST", pp+"/campaigns/1/disposition", campDisp)["dispositions"].([]any); len(ds) != 3 {
		t.Fatalf("campaign disposition: %v", ds)
	}
	s.ok(s.sec, "POST", "/forums/wtpf/comments/C-4/hide", `{"reason":"Abusive language."}`)

	// The bulk export: the public gets the hidden comment without its
	// text; the secretariat with it. It reads the comments a page at a
	// time: here, three pages.
	was := *api.ExportPage
	*api.ExportPage = 2
	t.Cleanup(func() { *api.ExportPage = was })
	read := func(c *servertest.Client) (map[string]any, map[string][]map[string]any) {
		t.Helper()
		r := c.Do("GET", "/api/v1"+pp+"/export", nil, nil)
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/zip" {
			t.Fatalf("export: %d %s %s", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(r.Body)), int64(len(r.Body)))
		if err != nil {
			t.Fatal(err)
		}
		var manifest map[string]any
		files := map[string][]map[string]any{}
		for i, f := range zr.File {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			if i == 0 {
				if f.Name != "manifest.json" {
					t.Fatalf("the first file is %s", f.Name)
				}
				json.Unmarshal(b, &manifest)
				continue
			}
			sc := bufio.NewScanner(bytes.NewReader(b))
			for sc.Scan() {
				var m map[string]any
				if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
					t.Fatalf("%s: %v", f.Name, err)
				}
				files[f.Name] = append(files[f.Name], m)
			}
		}
		return manifest, files
	}
	manifest, files := read(s.Client())
	if manifest["format"] != "plenary-consultation/1" || len(manifest["files"].([]any)) != 2 {
		t.Fatalf("manifest: %v", manifest)
	}
	if n := len(files["comments.jsonl"]); n != 4 || len(files["dispositions.jsonl"]) != 3 {
		t.Fatalf("files: %d comments, %d dispositions", n, len(files["dispositions.jsonl"]))
	}
	hidden := files["comments.jsonl"][3]
	if hidden["hidden"] != true || hidden["text"] != "" || hidden["hidden_reason"] != "Abusive language." {
		t.Errorf("the hidden comment, exported to the public: %v", hidden)
	}
	if files["comments.jsonl"][0]["campaign"] != "C-1" || files["dispositions.jsonl"][0]["campaign"] != "C-1" {
		t.Errorf("campaign: %v %v", files["comments.jsonl"][0], files["dispositions.jsonl"][0])
	}
	if _, files := read(s.sec); !strings.Contains(files["comments.jsonl"][3]["text"].(string), "security") {
		t.Errorf("the hidden comment, exported to the secretariat: %v", files["comments.jsonl"][3])
	}
}
