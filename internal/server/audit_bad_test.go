package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// auditBad is one bad input: a request, and the field its refusal must
// name ("" when any 4xx will do: a body too large for any field, an
// unknown path).
type auditBad struct {
	Label        string // stable: "POST /forums/{slug}/documents title: invalid UTF-8"
	Client       *servertest.Client
	Method, Path string
	Body         []byte
	ContentType  string
	Field        string
	Web          bool // an HTML form: the field is named on the page
	// Lenient: a page (not the API, not a form) that may also ignore a
	// bad query parameter and answer 200; that is noted, not a finding.
	Lenient bool
}

// badInputs sends bad input to the API and the forms, and requires a 4xx
// whose error names the field at fault, and no 500.
func (a *audit) badInputs() {
	var bad []auditBad
	bad = append(bad, a.badJSON()...)
	bad = append(bad, a.badQueries()...)
	bad = append(bad, a.badForms()...)
	for _, b := range bad {
		a.mu.Lock()
		a.input = "bad input: " + b.Label
		a.mu.Unlock()
		status, body := a.send(b.Client, b.Method, b.Path, b.Body, b.ContentType)
		a.mu.Lock()
		a.input = ""
		a.mu.Unlock()
		a.count("bad inputs", 1)
		if os.Getenv("PLENARY_AUDIT_VERBOSE") != "" {
			a.t.Logf("bad input %s: %d %s", b.Label, status, firstLine(body))
		}
		switch {
		case status == 0:
			a.find("bad input: "+b.Label, "%s %s: no answer within 5 s (a stream opened, or the server hangs), want a 4xx naming %q", b.Method, b.Path, b.Field)
		case status >= 500:
			// Reported by the site's middleware, with this input named.
		case status < 400 && b.Lenient:
			a.note("a page ignores a bad parameter: %s %s: %d", b.Method, b.Path, status)
		case status < 400:
			a.find("bad input: "+b.Label, "%s %s: %d (accepted), want a 4xx naming %q", b.Method, b.Path, status, b.Field)
		case b.Field == "*" && !b.Web && !apiErrorNames(body, ""):
			a.find("bad input: "+b.Label, "%s %s: %d, but the error names no field: %s", b.Method, b.Path, status, firstLine(body))
		case b.Field != "" && b.Field != "*" && !b.Web && !apiErrorNames(body, b.Field):
			a.find("bad input: "+b.Label, "%s %s: %d, but the error does not name %q: %s", b.Method, b.Path, status, b.Field, firstLine(body))
		case b.Field != "" && b.Web && !pageNames(body, b.Field):
			a.find("bad input: "+b.Label, "%s %s: %d, but the page does not name the field %q", b.Method, b.Path, status, b.Field)
		}
	}
}

// send sends a request and reads the answer, giving up after 5 s (status
// 0): a bad parameter of an event stream must be refused, not streamed.
func (a *audit) send(c *servertest.Client, method, path string, body []byte, ct string) (int, string) {
	ctx, cancel := context.WithTimeout(a.ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, a.s.URL+path, bytes.NewReader(body))
	if err != nil {
		return 400, "" // a path no client can send
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	req.Header.Set("Origin", a.s.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, ""
	}
	return resp.StatusCode, string(b)
}

var auditFieldWord = regexp.MustCompile(`[A-Za-z0-9_-]+`)

// apiErrorNames reports whether an API error names field, as its field or
// as the last word of one of its fields ("decisions[0].text").
func apiErrorNames(body, field string) bool {
	var e struct {
		Error struct {
			Field  string `json:"field"`
			Fields []struct {
				Field string `json:"field"`
			} `json:"fields"`
		} `json:"error"`
	}
	if json.Unmarshal([]byte(body), &e) != nil {
		return false
	}
	names := []string{e.Error.Field}
	for _, f := range e.Error.Fields {
		names = append(names, f.Field)
	}
	if field == "" {
		return e.Error.Field != ""
	}
	for _, n := range names {
		if n == field {
			return true
		}
		if w := auditFieldWord.FindAllString(n, -1); len(w) > 0 && w[len(w)-1] == field {
			return true
		}
	}
	return false
}

// pageNames reports whether an HTML answer names a field: a control
// marked aria-invalid, a link to it in the form's problem list, or the
// field in the error page's list.
func pageNames(body, field string) bool {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return false
	}
	found := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if v, _ := attr(n, "aria-invalid"); v == "true" {
				if name, _ := attr(n, "name"); name == field {
					found = true
				}
			}
			if href, _ := attr(n, "href"); href == "#f-"+field {
				found = true
			}
			if n.Data == "strong" && strings.TrimSpace(textOf(n)) == field {
				found = true
			}
		}
		for c := n.FirstChild; c != nil && !found; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

// auditEndpoint is an API operation with a body, for the bad inputs: a
// valid body (n makes its unique values unique), who sends it, and its
// number fields with their bad values.
type auditEndpoint struct {
	Method, Path, Shape string
	Client              func() *servertest.Client
	Body                func(n int) map[string]any
}

// badJSON makes the bad bodies: for every field of a valid body, invalid
// UTF-8, control characters and a value of the wrong type; for each body,
// an unknown field, a body too large, broken JSON, JSON that is not one
// object, and the wrong media type; out-of-range numbers.
func (a *audit) badJSON() []auditBad {
	slug := demo.WTPFSlug
	base := "/api/v1/forums/" + slug
	sec, bra, chair := a.sec.API, a.persona("member_state").API, a.persona("chair").API
	draft := a.ok(sec, "POST", "/forums/"+slug+"/drafts", `{"text":"# Draft for bad input\n\n1. that the work be open;\n\n2. that the work continue.\n"}`)["id"].(string)
	doc := a.ok(sec, "POST", "/forums/"+slug+"/documents", `{"type":"report","title":"For bad input"}`)["id"].(string)
	fixed := func(c *servertest.Client) func() *servertest.Client { return func() *servertest.Client { return c } }
	applicants := 0
	// Each application is sent by an account of its own: one that was
	// wrongly accepted must not make the next refused for applying twice.
	applicant := func() *servertest.Client {
		applicants++
		return a.s.APIToken(a.s.User(fmt.Sprintf("bad.applicant.%d@example.org", applicants), "Bad Applicant", false))
	}
	eps := []auditEndpoint{
		{"POST", "/api/v1/forums", "/forums", fixed(sec), func(n int) map[string]any {
			return map[string]any{"slug": fmt.Sprintf("bad-%d", n), "title": "A forum", "kind": "open_forum", "venue": "Geneva",
				"description": "About it.", "starts_on": "2026-01-01", "ends_on": "2026-01-02", "languages": []any{"en"}, "doc_prefix": "BAD", "default_public": true}
		}},
		{"POST", base + "/documents", "/forums/{slug}/documents", fixed(sec), func(n int) map[string]any {
			return map[string]any{"type": "report", "title": "A report", "text": "Its text.", "agenda_item": "Item 1", "issued_on": "2013-05-14",
				"languages": []any{"en"}, "visibility": "members", "embargo_until": "2030-01-01", "body": "plenary", "number": 0, "parties": []any{}}
		}},
		{"POST", base + "/documents/" + doc + "/versions", "/forums/{slug}/documents/{id}/versions", fixed(sec), func(n int) map[string]any {
			return map[string]any{"kind": "add", "title": "Addendum", "text": "More.", "note": "Adds more."}
		}},
		{"PUT", base + "/documents/" + doc + "/visibility", "/forums/{slug}/documents/{id}/visibility", fixed(sec), func(n int) map[string]any {
			return map[string]any{"visibility": "members", "embargo_until": "2031-01-01"}
		}},
		{"POST", base + "/bodies", "/forums/{slug}/bodies", fixed(sec), func(n int) map[string]any {
			return map[string]any{"slug": fmt.Sprintf("bad-body-%d", n), "name": "A body", "kind": "working_group", "parent_slug": "plenary"}
		}},
		{"POST", base + "/groups", "/forums/{slug}/groups", fixed(sec), func(n int) map[string]any {
			return map[string]any{"key": fmt.Sprintf("bad_group_%d", n), "name": fmt.Sprintf("bad one %d", n), "plural": fmt.Sprintf("bad ones %d", n),
				"description": "For bad input."}
		}},
		{"POST", base + "/parties", "/forums/{slug}/parties", fixed(sec), func(n int) map[string]any {
			return map[string]any{"code": fmt.Sprintf("B%c%c", 'A'+n/26%26, 'A'+n%26), "name": "A state", "group": "member_state", "kind": "member_state",
				"region": "Europe", "member_2012": true}
		}},
		{"POST", base + "/series", "/forums/{slug}/series", fixed(sec), func(n int) map[string]any {
			return map[string]any{"slug": fmt.Sprintf("bad-series-%d", n), "prefix": fmt.Sprintf("BS%d", n), "name": "Bad series"}
		}},
		{"POST", base + "/drafts", "/forums/{slug}/drafts", fixed(sec), func(n int) map[string]any {
			return map[string]any{"text": "# A draft\n\n1. that the work be open.\n", "title": "A draft", "note": "From the chair.", "format": "markdown", "visibility": "public"}
		}},
		{"POST", base + "/drafts/" + draft + "/amendments", "/forums/{slug}/drafts/{id}/amendments", fixed(bra), func(n int) map[string]any {
			return map[string]any{"op": "ADD", "after": "p1", "text": "that the work be recorded.", "rationale": "Records help.", "intro": "", "co_sponsors": []any{}}
		}},
		{"POST", base + "/drafts/" + draft + "/revisions", "/forums/{slug}/drafts/{id}/revisions", fixed(chair), func(n int) map[string]any {
			return map[string]any{"revision": 0, "title": "Revised", "note": "Revised.",
				"decisions": []any{map[string]any{"action": "compromise", "provision_id": "p2", "text": "that the work go on."}}}
		}},
		{"POST", base + "/applications", "/forums/{slug}/applications", applicant, func(n int) map[string]any {
			return map[string]any{"mode": "remote", "affiliation": "A newspaper", "statement": "I report on it."}
		}},
	}
	var out []auditBad
	n := 0
	add := func(ep auditEndpoint, label, field string, body []byte, ct string) {
		out = append(out, auditBad{Label: "API " + ep.Method + " " + ep.Shape + " " + label, Client: ep.Client(), Method: ep.Method, Path: ep.Path,
			Body: body, ContentType: ct, Field: field})
	}
	marshal := func(m map[string]any) []byte {
		b, err := json.Marshal(m)
		if err != nil {
			a.t.Fatal(err)
		}
		return b
	}
	for _, ep := range eps {
		n++
		keys := make([]string, 0)
		for k := range ep.Body(n) {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			n++
			switch v := ep.Body(n)[k].(type) {
			case string:
				for _, c := range []struct{ what, value string }{
					{"invalid UTF-8", "\xff\xfeBAD"}, {"a NUL character", "a\x00b"}, {"an escape character", "a\x1b[31mb"},
					{"a bell character", "a\x07b"}, {"a lone surrogate escape", "SURROGATE"},
				} {
					n++
					m := ep.Body(n)
					m[k] = v + c.value
					b := marshal(m)
					// encoding/json would repair invalid UTF-8 and lone
					// surrogates on the way out: put them in raw.
					b = bytes.Replace(b, []byte(`\ufffd\ufffdBAD`), []byte("\xff\xfeBAD"), 1)
					b = bytes.Replace(b, []byte("SURROGATE"), []byte(`\ud800`), 1)
					add(ep, k+": "+c.what, k, b, "application/json")
				}
				n++
				m := ep.Body(n)
				m[k] = 12345
				add(ep, k+": a number instead of a string", k, marshal(m), "application/json")
			case int:
				for _, c := range []struct{ what, raw string }{
					{"a negative number", "-1"}, {"a fraction", "1.5"}, {"a number out of range", "1000000000000"},
					{"a number beyond int64", "99999999999999999999"}, {"1e400", "1e400"}, {"a string instead of a number", `"7"`},
				} {
					n++
					m := ep.Body(n)
					m[k] = "NUMBER"
					add(ep, k+": "+c.what, k, bytes.Replace(marshal(m), []byte(`"NUMBER"`), []byte(c.raw), 1), "application/json")
				}
			case bool:
				n++
				m := ep.Body(n)
				m[k] = "yes"
				add(ep, k+": a string instead of true or false", k, marshal(m), "application/json")
			case []any:
				n++
				m := ep.Body(n)
				m[k] = "not a list"
				add(ep, k+": a string instead of an array", k, marshal(m), "application/json")
				if len(v) > 0 {
					if _, ok := v[0].(map[string]any); ok {
						n++
						m := ep.Body(n)
						m[k] = []any{map[string]any{"action": "compromise", "provision_id": "p2", "text": "x", "colour": "red"}}
						add(ep, k+": an unknown field inside", "colour", marshal(m), "application/json")
					}
				}
			}
		}
		n++
		m := ep.Body(n)
		m["titel"] = "misspelt"
		add(ep, "an unknown field", "titel", marshal(m), "application/json")
		n++
		m = ep.Body(n)
		big := marshal(m)
		big = append(big[:len(big)-1], []byte(`,"padding":"`+strings.Repeat("x", 2<<20)+`"}`)...)
		add(ep, "a body over the limit", "body", big, "application/json")
		for _, c := range []struct{ what, body string }{
			{"broken JSON", `{"title":`}, {"an array", `[]`}, {"a string", `"title"`},
			{"two objects", string(marshal(ep.Body(n))) + `{}`}, {"an empty body", ``}, {"deep nesting", strings.Repeat("[", 20000) + strings.Repeat("]", 20000)},
		} {
			add(ep, c.what, "body", []byte(c.body), "application/json")
		}
		// null is no object: the error may name any required field.
		add(ep, "null", "*", []byte(`null`), "application/json")
		n++
		add(ep, "as text/plain", "Content-Type", marshal(ep.Body(n)), "text/plain")
	}
	// Values that are well-formed but out of range.
	ep := eps[1]
	for _, c := range []struct{ field, what, value string }{
		{"issued_on", "February 30", "2013-02-30"}, {"issued_on", "year 99999", "99999-01-01"}, {"issued_on", "not a date", "yesterday"},
		{"embargo_until", "not a date", "soon"}, {"embargo_until", "hour 25", "2030-01-01T25:00"}, {"title", "300 KB", strings.Repeat("t", 300<<10)},
		{"type", "an unknown type", "memo"}, {"visibility", "an unknown visibility", "everyone"}, {"visibility", "an unknown party", "party:ZZZ"},
		{"languages", "an unknown language", "xx-klingon"}, {"body", "an unknown body", "no-such-body"}, {"parties", "an unknown party", "ZZZ"},
		{"title", "only spaces", "   "},
	} {
		n++
		m := ep.Body(n)
		switch c.field {
		case "languages", "parties":
			m[c.field] = []any{c.value}
		default:
			m[c.field] = c.value
		}
		add(ep, c.field+": "+c.what, c.field, marshal(m), "application/json")
	}
	n++
	m := eps[0].Body(n)
	m["ends_on"], m["starts_on"] = "2026-01-01", "2026-02-01"
	add(eps[0], "ends_on: before starts_on", "ends_on", marshal(m), "application/json")
	// A CSV import with a bad row.
	for _, c := range []struct{ what, code, name string }{{"invalid UTF-8", "BQZ", "\xff\xfe"}, {"an escape character", "BQW", `a\u001bb`}} {
		body := []byte(`{"parties":[{"code":"` + c.code + `","name":"` + c.name + `","group":"member_state"}]}`)
		out = append(out, auditBad{Label: "API POST /forums/{slug}/parties/import name: " + c.what, Client: sec, Method: "POST",
			Path: base + "/parties/import", Body: body, ContentType: "application/json", Field: "name"})
	}
	return out
}

// badQueries are bad query parameters and path segments of the API and
// the pages.
func (a *audit) badQueries() []auditBad {
	slug := demo.WTPFSlug
	var draft string
	for _, o := range a.restricted {
		if o.Draft {
			draft = o.ID
			break
		}
	}
	sec := a.sec.API
	var out []auditBad
	add := func(label, path, field string, c *servertest.Client, web bool) {
		face := "API "
		if !strings.HasPrefix(path, "/api/") {
			face = "page "
		}
		out = append(out, auditBad{Label: face + "GET " + label, Client: c, Method: "GET", Path: path, Field: field, Web: web, Lenient: web})
	}
	for _, v := range []string{"-1", "0", "abc", "1.5", "99999999999999999999", "%ff"} {
		add("/api/v1/forums/{slug}/documents?page="+v, "/api/v1/forums/"+slug+"/documents?page="+v, "page", sec, false)
		add("/api/v1/search?q=x&page="+v, "/api/v1/search?q=x&page="+v, "page", sec, false)
		add("/api/v1/forums/{slug}/drafts/{id}?revision="+v, "/api/v1/forums/"+slug+"/drafts/"+draft+"?revision="+v, "revision", sec, false)
		add("/api/v1/forums/{slug}/drafts/{id}/redline?from="+v, "/api/v1/forums/"+slug+"/drafts/"+draft+"/redline?from="+v, "from", sec, false)
		if v != "0" { // since=0 is the start of the chain
			add("/api/v1/forums/{slug}/events?since="+v, "/api/v1/forums/"+slug+"/events?since="+v, "since", sec, false)
		}
		add("/forums/{slug}/drafts/{id}?revision="+v, "/forums/"+slug+"/drafts/"+draft+"?revision="+v, "revision", a.sec.Web, true)
		add("/forums/{slug}/activity?before="+v, "/forums/"+slug+"/activity?before="+v, "before", a.sec.Web, true)
		add("/forums/{slug}/documents?page="+v, "/forums/"+slug+"/documents?page="+v, "page", a.sec.Web, true)
	}
	for _, v := range []string{"2013-13-45", "yesterday", "99999-01-01"} {
		add("/api/v1/forums/{slug}/documents?from="+v, "/api/v1/forums/"+slug+"/documents?from="+v, "from", sec, false)
		add("/forums/{slug}/documents?from="+v, "/forums/"+slug+"/documents?from="+v, "from", a.sec.Web, true)
	}
	for _, v := range []string{"-1", "0", "abc", "99999999999999999999"} {
		add("/api/v1/forums/{slug}/drafts/{id}/revisions/"+v+"/akn", "/api/v1/forums/"+slug+"/drafts/"+draft+"/revisions/"+v+"/akn", "", sec, false)
		add("/forums/{slug}/drafts/{id}/revisions/"+v+"/draft.md", "/forums/"+slug+"/drafts/"+draft+"/revisions/"+v+"/draft.md", "", a.sec.Web, false)
	}
	for _, p := range []struct{ what, path string }{{"%ff", "%ff"}, {"8000 letters", strings.Repeat("a", 8000)},
		{"..%2f..%2fetc%2fpasswd", "..%2f..%2fetc%2fpasswd"}, {"%00", "%00"}} {
		add("/api/v1/forums/{slug}/documents/"+p.what, "/api/v1/forums/"+slug+"/documents/"+p.path, "", sec, false)
		add("/forums/{slug}/documents/"+p.what, "/forums/"+slug+"/documents/"+p.path, "", a.sec.Web, false)
		add("/api/v1/forums/"+p.what, "/api/v1/forums/"+p.path, "", sec, false)
		add("/forums/"+p.what, "/forums/"+p.path, "", a.sec.Web, false)
	}
	return out
}

// badForms are bad values in the HTML forms, sent as a browser would with
// a valid CSRF token.
func (a *audit) badForms() []auditBad {
	slug := demo.WTPFSlug
	c := a.sec.Web
	token := c.CSRF("/forums/" + slug + "/settings")
	var out []auditBad
	n := 0
	form := func(label, path, field string, v url.Values) {
		v.Set("csrf_token", token)
		out = append(out, auditBad{Label: "form POST " + label, Client: c, Method: "POST", Path: path, Body: []byte(v.Encode()),
			ContentType: "application/x-www-form-urlencoded", Field: field, Web: true})
	}
	raw := func(label, path, field, body string) {
		out = append(out, auditBad{Label: "form POST " + label, Client: c, Method: "POST", Path: path, Body: []byte("csrf_token=" + url.QueryEscape(token) + "&" + body),
			ContentType: "application/x-www-form-urlencoded", Field: field, Web: true})
	}
	multi := func(label, path, field string, fields map[string]string, fileName string, content []byte) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.WriteField("csrf_token", token)
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			_ = mw.WriteField(k, fields[k])
		}
		if fileName != "" {
			w, _ := mw.CreateFormFile("file", fileName)
			_, _ = w.Write(content)
		}
		_ = mw.Close()
		out = append(out, auditBad{Label: "form POST " + label, Client: c, Method: "POST", Path: path, Body: buf.Bytes(),
			ContentType: mw.FormDataContentType(), Field: field, Web: true})
	}
	for _, bv := range []struct{ what, value string }{{"invalid UTF-8", "%FF%FE"}, {"a NUL character", "a%00b"}, {"an escape character", "a%1Bb"}, {"a bell character", "a%07b"}} {
		n++
		raw("/forums/{slug}/bodies name: "+bv.what, "/forums/"+slug+"/bodies", "name", fmt.Sprintf("body_slug=badf-%d&kind=working_group&name=A%s", n, bv.value))
		raw("/forums/{slug}/groups name: "+bv.what, "/forums/"+slug+"/groups", "name", fmt.Sprintf("key=badf_%d&plural=bads&name=A%s", n, bv.value))
		raw("/forums/{slug}/parties name: "+bv.what, "/forums/"+slug+"/parties", "name", fmt.Sprintf("code=BF%c&group=member_state&kind=member_state&name=A%s", 'A'+n, bv.value))
		raw("/forums/{slug}/settings title: "+bv.what, "/forums/"+slug+"/settings", "title", "kind=policy_forum&languages=en&doc_prefix=WTPF-13&title=WTPF-13"+bv.value)
		raw("/account/tokens name: "+bv.what, "/account/tokens", "name", "name=t"+bv.value)
		raw("/forums/{slug}/series name: "+bv.what, "/forums/"+slug+"/series", "name", fmt.Sprintf("series_slug=badf-%d&prefix=BF%d&name=A%s", n, n, bv.value))
	}
	for _, c := range []struct{ what, value string }{{"a negative number", "-5"}, {"not a number", "abc"}, {"beyond int64", "99999999999999999999"}, {"a fraction", "1.5"}} {
		multi("/forums/{slug}/documents number: "+c.what, "/forums/"+slug+"/documents", "number", map[string]string{"type": "report", "title": "A report", "number": c.value}, "", nil)
	}
	for _, c := range []struct{ field, what, value string }{{"issued_on", "February 30", "2013-02-30"}, {"embargo_until", "not a date", "soon"},
		{"title", "invalid UTF-8", "\xff\xfe"}, {"title", "a NUL character", "a\x00b"}, {"text", "a NUL character", "a\x00b"}} {
		multi("/forums/{slug}/documents "+c.field+": "+c.what, "/forums/"+slug+"/documents", c.field,
			map[string]string{"type": "report", "title": "A report", "visibility": "members", c.field: c.value}, "", nil)
	}
	multi("/forums/{slug}/documents file: over the upload limit", "/forums/"+slug+"/documents", "file",
		map[string]string{"type": "report", "title": "Big"}, "big.txt", bytes.Repeat([]byte("x"), 300<<10))
	multi("/forums/{slug}/documents file: a program", "/forums/"+slug+"/documents", "file",
		map[string]string{"type": "report", "title": "A program"}, "run.exe", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), bytes.Repeat([]byte{0}, 512)...))
	multi("/forums/{slug}/parties/import file: invalid UTF-8", "/forums/"+slug+"/parties/import", "file",
		map[string]string{"membership": "member_now"}, "parties.csv", []byte("code,name,group\nBQY,\xff\xfe,member_state\n"))
	form("/forums/{slug}/settings starts_on: February 30", "/forums/"+slug+"/settings", "starts_on",
		url.Values{"title": {"WTPF-13"}, "kind": {"policy_forum"}, "languages": {"en"}, "doc_prefix": {"WTPF-13"}, "starts_on": {"2013-02-30"}})
	raw("/forums/{slug}/bodies: broken percent-encoding", "/forums/"+slug+"/bodies", "", "name=%zz&body_slug=x&kind=working_group")
	raw("/forums/{slug}/bodies: a form over the limit", "/forums/"+slug+"/bodies", "", "name="+strings.Repeat("x", 2<<20))
	return out
}
