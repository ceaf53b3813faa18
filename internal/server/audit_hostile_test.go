package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/plenary-forum/plenary/internal/demo"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// auditHostile are the hostile texts: a script, an attribute broken out
// of, javascript: URLs (bare and as a Markdown link), template syntax, an
// event handler in single quotes, and a textarea closed early. Each is
// sent with a tag of its own after it ("hq0042"), which tells where a text
// shown unescaped was sent.
var auditHostile = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`javascript:alert(1)//`,
	`{{.}}`,
	`' onmouseover=alert(1) x='`,
	`</textarea><svg onload=alert(1)>`,
	`[link](javascript:alert(1))`,
}

var auditTagRE = regexp.MustCompile(`hq[0-9]{4}`)

// hostile returns hostile text number kind with a fresh tag, and
// remembers where it is sent.
func (a *audit) hostile(kind int, where string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.tags++
	tag := fmt.Sprintf("hq%04d", a.tags)
	a.payloads[tag] = auditHostile[kind]
	a.sentAs[tag] = where
	return auditHostile[kind] + tag
}

// sawTags notes the tags a page shows: hostile text that was stored and
// is shown back (escaped, or checkShown reports it).
func (a *audit) sawTags(body string) {
	for _, tag := range auditTagRE.FindAllString(body, -1) {
		a.mu.Lock()
		a.seen[tag] = true
		a.mu.Unlock()
	}
}

// hostileInputs sends hostile text into every text field of every form
// the crawl found (as the persona that found it) and of the API bodies
// that take text, hostile query strings and paths, and forms without a
// CSRF token, with a wrong one, or from another origin.
func (a *audit) hostileInputs() {
	a.crossSite()
	a.reflected()
	a.hostileForms()
	a.hostileAPI()
}

// --- forms ---

// auditConstrained are fields whose value has a format (an address, a
// slug, a code, a date, a list): the storing variant keeps their value,
// or makes a valid one, so that the text fields beside them are stored.
var auditConstrained = map[string]bool{"email": true, "slug": true, "body_slug": true, "series_slug": true, "code": true, "key": true,
	"prefix": true, "doc_prefix": true, "languages": true, "number": true, "proxy": true, "password": true, "next": true, "parties": true,
	"embargo_until": true, "issued_on": true, "starts_on": true, "ends_on": true}

// textual reports whether a control takes free text.
func textual(f auditField) bool {
	switch f.Kind {
	case "text", "textarea", "email", "search", "url", "tel", "password":
		return true
	}
	return false
}

// values are the values a browser would send for form f, with fill
// choosing those of the text fields (ok false: leave it as it is).
func (a *audit) values(f auditForm, fill func(auditField) (string, bool)) url.Values {
	v := url.Values{}
	radios := map[string]bool{}
	for _, fl := range f.Fields {
		switch {
		case fl.Kind == "radio":
			if fl.Checked && !radios[fl.Name] {
				v.Set(fl.Name, fl.Value)
				radios[fl.Name] = true
			}
		case fl.Kind == "checkbox":
			if fl.Checked {
				val := fl.Value
				if val == "" {
					val = "on"
				}
				v.Add(fl.Name, val)
			}
		case fl.Kind == "select":
			if fl.Value != "" || !fl.Multiple {
				for _, s := range strings.Split(fl.Value, "\x00") {
					v.Add(fl.Name, s)
				}
			}
		case fl.Kind == "file", fl.Kind == "submit", fl.Kind == "button", fl.Kind == "reset", fl.Kind == "image":
		case textual(fl) && fill != nil:
			if s, ok := fill(fl); ok {
				v.Set(fl.Name, s)
			} else {
				v.Set(fl.Name, fl.Value)
			}
		default:
			v.Set(fl.Name, fl.Value)
		}
	}
	// A radio group with nothing checked sends its first choice.
	for _, fl := range f.Fields {
		if fl.Kind == "radio" && !radios[fl.Name] {
			v.Set(fl.Name, fl.Value)
			radios[fl.Name] = true
		}
	}
	return v
}

// auditFile is a file part of a form.
type auditFile struct{ Field, Name, Content string }

// post sends a form's values (multipart when the form says so) with the
// headers of a same-site browser, changed by hdr.
func (a *audit) post(c *servertest.Client, f auditForm, v url.Values, files []auditFile, hdr http.Header) servertest.Response {
	h := http.Header{"Origin": {a.s.URL}, "Sec-Fetch-Site": {"same-origin"}}
	for k, vs := range hdr {
		if len(vs) == 0 || vs[0] == "" {
			h.Del(k)
			continue
		}
		h[k] = vs
	}
	if f.Enctype == "multipart/form-data" {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, s := range v[k] {
				_ = mw.WriteField(k, s)
			}
		}
		for _, fl := range files {
			w, _ := mw.CreateFormFile(fl.Field, fl.Name)
			_, _ = w.Write([]byte(fl.Content))
		}
		_ = mw.Close()
		h.Set("Content-Type", mw.FormDataContentType())
		return c.Do("POST", f.Action, &buf, h)
	}
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do("POST", f.Action, strings.NewReader(v.Encode()), h)
}

// auditSkipForms are forms the hostile inputs leave alone: they end the
// persona's session or token, close or discard a forum, reset its rules,
// or undo the standing the later checks rely on. crossSite still sends
// each of them without a token.
var auditSkipForms = []string{"/logout", "/status", "/discard", "/rules/preset", "/revoke", "/remove", "/login"}

func skipForm(action string) bool {
	u, _ := url.Parse(action)
	for _, s := range auditSkipForms {
		if strings.HasSuffix(u.Path, s) {
			return true
		}
	}
	// A persona withdrawing its own registration loses its standing.
	return strings.Contains(u.Path, "/registrations/") && strings.HasSuffix(u.Path, "/withdraw") ||
		strings.Contains(u.Path, "/documents/") && strings.HasSuffix(u.Path, "/withdraw")
}

// hostileForms fills every text field of every form with each hostile
// text, twice: once every text field (the answer re-shows the form with
// its errors), and once only the free-text fields, with valid values in
// the others, so that the text is stored and shown on the pages the crawl
// after reads.
func (a *audit) hostileForms() {
	n := 0
	gen := func(fl auditField) string {
		n++
		switch fl.Name {
		case "email":
			return fmt.Sprintf("hostile%d@example.org", n)
		case "code":
			return "Q" + string(rune('B'+n/26%24)) + string(rune('A'+n%26))
		case "prefix", "doc_prefix":
			return fmt.Sprintf("HQ%d", n)
		case "password":
			return fmt.Sprintf("hostile-password-%d", n)
		}
		return fmt.Sprintf("hq-%d", n)
	}
	for _, p := range a.personas {
		for _, f := range a.forms[p.Name] {
			if skipForm(f.Action) {
				continue
			}
			au, _ := url.Parse(f.Action)
			sh := auditShape(au)
			var texts int
			for _, fl := range f.Fields {
				if textual(fl) {
					texts++
				}
			}
			hasFile := false
			for _, fl := range f.Fields {
				hasFile = hasFile || fl.Kind == "file"
			}
			if texts == 0 && !hasFile {
				continue
			}
			for kind := range auditHostile {
				for _, storing := range []bool{false, true} {
					sent := 0
					v := a.values(f, func(fl auditField) (string, bool) {
						if storing && auditConstrained[fl.Name] {
							if fl.Value != "" {
								return fl.Value, true
							}
							return gen(fl), true
						}
						sent++
						h := a.hostile(kind, fmt.Sprintf("as %s in field %s of the form posting to %s", p.Name, fl.Name, sh))
						if storing && fl.Name == "text" && strings.HasSuffix(au.Path, "/drafts") {
							return "# " + h + "\n\n1. that " + h + ";\n\n2. that the work continue.\n", true
						}
						return h, true
					})
					var files []auditFile
					if hasFile {
						for _, fl := range f.Fields {
							if fl.Kind == "file" {
								h := a.hostile(kind, fmt.Sprintf("as %s as the name of file %s of the form posting to %s", p.Name, fl.Name, sh))
								files = append(files, auditFile{Field: fl.Name, Name: h + ".txt", Content: "A file " + h + "\n"})
								sent++
							}
						}
					}
					r := a.post(p.Web, f, v, files, nil)
					a.count("hostile inputs: text in form fields", sent)
					a.checkShown(p.Name, f.Action, r)
				}
			}
		}
	}
}

// --- cross-site requests ---

// heads reads the head of every chain, to tell whether a refused request
// changed anything.
func (a *audit) heads() string {
	rows, err := a.s.Store.QueryContext(a.ctx, "SELECT chain, seq FROM ledger_heads ORDER BY chain")
	if err != nil {
		a.t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var c string
		var seq int64
		if err := rows.Scan(&c, &seq); err != nil {
			a.t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%d ", c, seq)
	}
	return b.String()
}

// crossSite sends every form the crawl found without its CSRF token, with
// another one, and from another origin, and the API's writes with the
// browser's cookies instead of a token: each must be refused and change
// nothing.
func (a *audit) crossSite() {
	evil := "http://evil.example"
	cases := []struct {
		name  string
		token func(string) string
		hdr   http.Header
	}{
		{"without a CSRF token", func(string) string { return "" }, nil},
		{"with another session's CSRF token", func(string) string { return "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }, nil},
		{"from another origin", nil, http.Header{"Origin": {evil}, "Sec-Fetch-Site": {"cross-site"}}},
		{"from another site without an Origin", nil, http.Header{"Origin": {""}, "Sec-Fetch-Site": {"cross-site"}}},
		{"from an opaque origin", nil, http.Header{"Origin": {"null"}, "Sec-Fetch-Site": {""}}},
	}
	for _, p := range a.personas {
		for _, f := range a.forms[p.Name] {
			au, _ := url.Parse(f.Action)
			sh := auditShape(au)
			for _, cs := range cases {
				v := a.values(f, nil)
				if cs.token != nil {
					if tok := cs.token(v.Get("csrf_token")); tok == "" {
						v.Del("csrf_token")
					} else {
						v.Set("csrf_token", tok)
					}
				}
				before := a.heads()
				r := a.post(p.Web, f, v, nil, cs.hdr)
				a.count("hostile inputs: forms without a CSRF token, with a wrong one, or cross-origin", 1)
				if r.StatusCode < 400 || r.StatusCode >= 500 {
					a.find("csrf: "+p.Name+" "+sh+" "+cs.name, "POST %s as %s %s: %d, want a refusal", f.Action, p.Name, cs.name, r.StatusCode)
				}
				if after := a.heads(); after != before {
					a.find("csrf: "+p.Name+" "+sh+" "+cs.name+" changed the record", "POST %s as %s %s changed the ledger: %s -> %s", f.Action, p.Name, cs.name, before, after)
				}
			}
		}
		if p.Actor.LoggedIn() {
			if r := p.Web.Get("/account"); r.StatusCode != http.StatusOK {
				a.find("csrf: "+p.Name+" logged out by a cross-site request", "GET /account as %s after the cross-site requests: %d", p.Name, r.StatusCode)
			}
		}
	}
	// The API never reads cookies: a logged-in browser's cookies sent by
	// another site's page are nobody's.
	slug := demo.WTPFSlug
	writes := []struct{ method, path, body string }{
		{"POST", "/api/v1/forums", `{"slug":"evil","title":"Evil","kind":"open_forum"}`},
		{"POST", "/api/v1/forums/" + slug + "/documents", `{"type":"report","title":"Evil"}`},
		{"POST", "/api/v1/forums/" + slug + "/bodies", `{"slug":"evil","name":"Evil","kind":"working_group"}`},
		{"POST", "/api/v1/forums/" + slug + "/parties", `{"code":"EVL","name":"Evil","group":"member_state"}`},
		{"PUT", "/api/v1/forums/" + slug + "/participation-settings", `{"applications_open":false}`},
		{"PUT", "/api/v1/forums/" + slug + "/rules/preset", `{"preset":"ietf_rough_consensus"}`},
		{"POST", "/api/v1/forums/" + slug + "/registrations", `{"role":"observer"}`},
		{"POST", "/api/v1/forums/" + slug + "/applications", `{"affiliation":"Evil"}`},
	}
	for _, p := range a.personas[1:] {
		for _, w := range writes {
			for _, ct := range []string{"application/json", "text/plain", "application/x-www-form-urlencoded"} {
				before := a.heads()
				r := p.Web.Do(w.method, w.path, strings.NewReader(w.body), http.Header{"Content-Type": {ct}, "Origin": {evil}, "Sec-Fetch-Site": {"cross-site"}})
				a.count("hostile inputs: forms without a CSRF token, with a wrong one, or cross-origin", 1)
				if r.StatusCode != http.StatusUnauthorized {
					a.find("csrf: API "+w.method+" "+w.path+" with cookies", "%s %s (%s) with %s's cookies from another site: %d, want 401", w.method, w.path, ct, p.Name, r.StatusCode)
				}
				if after := a.heads(); after != before {
					a.find("csrf: API "+w.method+" "+w.path+" with cookies changed the record", "%s %s with %s's cookies changed the ledger", w.method, w.path, p.Name)
				}
			}
		}
	}
}

// --- reflected input ---

// reflected sends hostile text in query strings and paths of the pages
// that read them, as the anonymous visitor and the secretariat, and
// hostile next parameters to the login and sign-up pages.
func (a *audit) reflected() {
	slug := demo.WTPFSlug
	var draft string
	for _, o := range a.restricted {
		if o.Draft {
			draft = "/forums/" + o.Slug + "/drafts/" + o.ID
			break
		}
	}
	paths := []string{
		"/search?q=%s", "/forums/" + slug + "/search?q=%s",
		"/forums/" + slug + "/documents?type=%[1]s&party=%[1]s&body=%[1]s&from=%[1]s&to=%[1]s&series=%[1]s&status=%[1]s",
		"/forums/" + slug + "/activity?before=%s", "/login?next=%s", "/signup?next=%s",
		"/forums/" + slug + "/register?party=%s",
		draft + "/propose?op=%[1]s&provision=%[1]s", draft + "/redline?from=%[1]s&to=%[1]s", draft + "?supporters=%[1]s&revision=%[1]s",
		"/forums/%s", "/forums/" + slug + "/documents/%s", "/forums/" + slug + "/parties/%s", "/forums/" + slug + "/bodies/%s",
		"/api/v1/search?q=%s", "/api/v1/forums/" + slug + "/documents?type=%s", "/api/v1/forums/%s",
	}
	for _, p := range []*auditPersona{a.personas[0], a.sec} {
		for kind := range auditHostile {
			for _, tpl := range paths {
				u, _ := url.Parse(strings.NewReplacer("%[1]s", "X", "%s", "X").Replace(tpl))
				h := a.hostile(kind, "as "+p.Name+" in the URL "+auditShape(u))
				path := fmt.Sprintf(tpl, url.QueryEscape(h))
				if strings.Count(path, "?") == 0 {
					path = fmt.Sprintf(tpl, url.PathEscape(h))
				}
				c := p.Web
				if strings.HasPrefix(path, "/api/") {
					c = p.API
				}
				r := c.Get(path)
				a.count("hostile inputs: text in query strings and paths", 1)
				a.checkShown(p.Name, path, r)
				if loc := r.Header.Get("Location"); loc != "" && (!strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//")) {
					a.find("redirect: "+auditShape(u), "GET %s redirects to %q", path, loc)
				}
			}
		}
	}
	// Where a login may send the browser: only to this site.
	for _, next := range []string{"//evil.example/", "https://evil.example/", "javascript:alert(1)", `/\evil.example`, "/%2f%2fevil.example",
		"/%09/evil.example", "\\\\evil.example", "http:evil.example", "/\r\nLocation: http://evil.example"} {
		for _, page := range []string{"/login", "/signup"} {
			r := a.personas[0].Web.Get(page + "?next=" + url.QueryEscape(next))
			a.count("hostile inputs: open-redirect attempts", 1)
			if strings.Contains(r.Body, `name="next" value="`+htmlAttr(next)+`"`) && next != "/" {
				a.find("redirect: "+page+" keeps next "+next, "GET %s?next=%q puts it in the form", page, next)
			}
		}
		l := demo.LoginByKey("public")
		c := a.s.Client()
		r := c.PostForm("/login", "/login", url.Values{"email": {l.Email}, "password": {"wrong password"}, "next": {next}})
		a.count("hostile inputs: open-redirect attempts", 1)
		if loc := r.Header.Get("Location"); loc != "" && (!strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\")) {
			a.find("redirect: login to "+next, "POST /login with next=%q redirects to %q", next, loc)
		}
	}
}

func htmlAttr(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")
	return r.Replace(s)
}

// --- the API ---

// hostileAPI sends hostile text in every text field of the API's bodies
// that take text, as those who may send them, so that it is stored and
// shown on the pages the crawl after reads.
func (a *audit) hostileAPI() {
	slug := demo.WTPFSlug
	base := "/forums/" + slug
	sec, bra, chair := a.sec.API, a.persona("member_state").API, a.persona("chair").API
	a.ok(sec, "PUT", base+"/participation-settings", `{"applications_open":true,"names_public":true}`)
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	stored, sent := 0, 0
	send := func(c *servertest.Client, method, path, body string, fields int) map[string]any {
		r := c.JSON(method, "/api/v1"+path, body)
		a.count("hostile inputs: text in API bodies", fields)
		sent++
		a.checkShown("the API", path, r)
		if r.StatusCode < 300 {
			stored++
			return apiJSON(r)
		}
		a.note("hostile text refused: %s %s: %d %s", method, path, r.StatusCode, firstLine(r.Body))
		return nil
	}
	draft := a.ok(sec, "POST", base+"/drafts", `{"text":"# Draft for hostile proposals\n\n1. that the work be open;\n\n2. that the work continue.\n"}`)["id"].(string)
	for kind := range auditHostile {
		h := func(field string) string { return q(a.hostile(kind, "through the API in "+field)) }
		fslug := fmt.Sprintf("hq-forum-%d", kind)
		send(sec, "POST", "/forums", fmt.Sprintf(`{"slug":%q,"title":%s,"kind":"open_forum","venue":%s,"description":%s}`, fslug, h("forum title"), h("forum venue"), h("forum description")), 3)
		send(sec, "PUT", "/forums/"+fslug, fmt.Sprintf(`{"title":%s,"kind":"open_forum","venue":%s,"description":%s}`, h("forum title (update)"), h("forum venue (update)"), h("forum description (update)")), 3)
		send(sec, "POST", base+"/bodies", fmt.Sprintf(`{"slug":"hq-body-%d","name":%s,"kind":"working_group"}`, kind, h("body name")), 1)
		send(sec, "POST", base+"/groups", fmt.Sprintf(`{"key":"hq_group_%d","name":%s,"plural":%s,"description":%s}`, kind, h("group name"), h("group plural"), h("group description")), 3)
		send(sec, "PUT", base+fmt.Sprintf("/groups/hq_group_%d", kind), fmt.Sprintf(`{"name":%s,"plural":%s}`, h("group name (rename)"), h("group plural (rename)")), 2)
		code := fmt.Sprintf("QX%c", 'A'+kind)
		send(sec, "POST", base+"/parties", fmt.Sprintf(`{"code":%q,"name":%s,"group":"member_state"}`, code, h("party name")), 1)
		send(sec, "POST", base+"/parties/import", fmt.Sprintf(`{"parties":[{"code":"QY%c","name":%s,"group":"member_state"}]}`, 'A'+kind, h("imported party name")), 1)
		send(sec, "PUT", base+"/parties/"+code+"/credentials", fmt.Sprintf(`{"state":"provisional","note":%s}`, h("credentials note")), 1)
		send(sec, "POST", base+"/series", fmt.Sprintf(`{"slug":"hq-series-%d","prefix":"HQS%d","name":%s}`, kind, kind, h("series name")), 1)
		doc := send(sec, "POST", base+"/documents", fmt.Sprintf(`{"type":"report","title":%s,"text":%s,"agenda_item":%s}`, h("document title"), h("document text"), h("document agenda item")), 3)
		send(bra, "POST", base+"/documents", fmt.Sprintf(`{"type":"contribution","title":%s,"text":%s}`, h("contribution title"), h("contribution text")), 2)
		if doc != nil {
			id := doc["id"].(string)
			send(sec, "POST", base+"/documents/"+id+"/versions", fmt.Sprintf(`{"kind":"rev","title":%s,"text":%s,"note":%s}`, h("version title"), h("version text"), h("version note")), 3)
			fn := a.hostile(kind, "through the API as a file name")
			body, ct := uploadBody(fn+".txt", "A file.\n")
			r := sec.Do("POST", "/api/v1"+base+"/documents/"+id+"/files", body, http.Header{"Content-Type": {ct}})
			a.count("hostile inputs: text in API bodies", 1)
			a.checkShown("the API", base+"/documents/"+id+"/files", r)
			w := a.ok(sec, "POST", base+"/documents", `{"type":"report","title":"To be withdrawn"}`)["id"].(string)
			send(sec, "POST", base+"/documents/"+w+"/withdraw", fmt.Sprintf(`{"reason":%s}`, h("withdrawal reason")), 1)
		}
		t := a.hostile(kind, "through the API in a draft's text")
		send(sec, "POST", base+"/drafts", fmt.Sprintf(`{"text":%s,"note":%s}`, q("# "+t+"\n\n1. that "+t+";\n\n2. that [the work / "+t+"] continue.\n"), h("draft note")), 2)
		am := send(bra, "POST", base+"/drafts/"+draft+"/amendments", fmt.Sprintf(`{"op":"ADD","after":"p1","text":%s,"intro":%s,"rationale":%s}`, h("proposal text"), h("proposal intro"), h("proposal rationale")), 3)
		send(bra, "POST", base+"/drafts/"+draft+"/amendments", fmt.Sprintf(`{"op":"MOD","provision":"p2","text":%s,"rationale":%s}`, h("proposal text (MOD)"), h("proposal rationale (MOD)")), 2)
		if am != nil {
			w := send(bra, "POST", base+"/drafts/"+draft+"/amendments", `{"op":"SUP","provision":"p1"}`, 0)
			if w != nil {
				send(bra, "POST", base+"/drafts/"+draft+"/amendments/"+w["id"].(string)+"/withdraw", fmt.Sprintf(`{"reason":%s}`, h("proposal withdrawal reason")), 1)
			}
		}
		send(chair, "POST", base+"/drafts/"+draft+"/revisions", fmt.Sprintf(`{"decisions":[{"action":"compromise","provision_id":"p2","text":%s}],"title":%s,"note":%s}`,
			h("compromise text"), h("revision title"), h("revision note")), 3)
		// People: an applicant with a hostile name, affiliation and
		// statement; one registered by the secretariat; a guest; a
		// declined application with a hostile reason.
		name := a.hostile(kind, "as an account's name (made by the service)")
		app := a.s.APIToken(a.s.User(fmt.Sprintf("hq-applicant-%d@example.org", kind), name, false))
		reg := send(app, "POST", base+"/applications", fmt.Sprintf(`{"mode":"remote","affiliation":%s,"statement":%s}`, h("application affiliation"), h("application statement")), 2)
		a.s.User(fmt.Sprintf("hq-registered-%d@example.org", kind), a.hostile(kind, "as an account's name (made by the service)"), false)
		send(sec, "POST", base+"/registrations", fmt.Sprintf(`{"email":"hq-registered-%d@example.org","group":"civil_society","role":"observer","mode":"remote","affiliation":%s,"statement":%s}`,
			kind, h("registration affiliation"), h("registration statement")), 2)
		a.s.User(fmt.Sprintf("hq-guest-%d@example.org", kind), "Guest "+fmt.Sprint(kind), false)
		send(sec, "POST", base+"/guests", fmt.Sprintf(`{"email":"hq-guest-%d@example.org","affiliation":%s,"statement":%s,"grants":[]}`, kind, h("guest affiliation"), h("guest statement")), 2)
		if reg != nil && kind%2 == 1 {
			send(sec, "POST", base+"/registrations/"+reg["id"].(string)+"/decline", fmt.Sprintf(`{"reason":%s}`, h("decline reason")), 1)
		}
	}
	a.note("hostile API requests: %d sent, %d accepted and stored", sent, stored)
	// What the API gives back holds the texts as JSON, never as markup.
	for _, p := range a.personas {
		for _, path := range []string{base + "/documents", base + "/parties", base + "/bodies", base + "/groups", base + "/drafts",
			base + "/drafts/" + draft + "/amendments", base + "/drafts/" + draft + "/compilation", base + "/participants", base + "/registrations",
			"/forums", "/search?q=hq"} {
			r := p.API.Get("/api/v1" + path)
			a.checkShown(p.Name, "/api/v1"+path, r)
		}
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 160 {
		s = s[:160] + "..."
	}
	return s
}
