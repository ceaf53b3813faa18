package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// A probe is a minimal request of one operation: its body holds the fields
// the operation's schema requires, with valid values, and nothing else
// but the optional fields listed in also. Each call of a probe sets up
// what one request uses up (a fresh forum, a pending registration to
// decline, a proposal to withdraw) and gets a number new to the test, n,
// for unique values.
type probe func(n int) probeRequest

type probeRequest struct {
	c    *servertest.Client
	path string // under /api/v1
	body string
	// also lists the optional fields the body holds on purpose, as paths
	// of field names ("decisions.amendment_id"): fields needed because of
	// the value of another (a MOD needs its provision), or that lead to
	// the schema of a nested object, so that its required fields are
	// checked too.
	also []string
}

// The required fields of every request body schema are the fields the
// server requires, neither more nor fewer. The JSON decoder takes any
// subset of the fields (a missing one is a zero value), so what is
// required is decided by each command's validation; this test checks the
// declarations in schemaTable against it, operation by operation:
//
//   - a minimal body, with only the required fields (and the optional ones
//     listed in also), is accepted: no field the schema calls optional is
//     needed;
//   - the same body without any one required field, at any depth, is
//     refused with a 4xx response whose error names that field;
//   - every schema reachable from a request body is reached by a probe,
//     and each of its optional fields is left out of some accepted body.
func TestRequestSchemasRequireWhatHandlersRequire(t *testing.T) {
	ps := newProbeSite(t)
	d, _ := loadDoc(t, ps.Site)
	probes := ps.probes()
	n := 0
	next := func() int { n++; return n }
	reached := map[string]bool{}
	shownOptional := map[string]bool{} // "Schema.field" left out of an accepted body
	var ids []string
	type operation struct {
		method, mediaType string
		schema            map[string]any
	}
	ops := map[string]operation{}
	for _, item := range d.Paths {
		for method, op := range item {
			rb, ok := op["requestBody"].(map[string]any)
			if !ok {
				continue
			}
			id := op["operationId"].(string)
			for mt, c := range rb["content"].(map[string]any) {
				ops[id] = operation{strings.ToUpper(method), mt, c.(map[string]any)["schema"].(map[string]any)}
			}
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		op := ops[id]
		if len(probes[id]) == 0 {
			t.Errorf("%s has a request body but no probe: add one to probes()", id)
			continue
		}
		for i, p := range probes[id] {
			name := fmt.Sprintf("%s (probe %d)", id, i+1)
			req := p(next())
			body := decodeBody(t, name, req.body)
			w := walker{schemas: d.Components.Schemas, also: req.also, reached: reached}
			w.object(body, op.schema, "")
			for _, msg := range w.problems {
				t.Errorf("%s: %s", name, msg)
			}
			if r := ps.send(req.c, op.method, op.mediaType, req.path, req.body); r.StatusCode >= 300 {
				t.Errorf("%s: the minimal body %s was refused: %d %s", name, req.body, r.StatusCode, r.Body)
				continue
			}
			for _, f := range w.absent {
				shownOptional[f] = true
			}
			for _, field := range w.required {
				req := p(next())
				b := decodeBody(t, name, req.body)
				if !without(b, strings.Split(field, ".")) {
					t.Fatalf("%s: the probe made a body without %s", name, field)
				}
				nb, _ := json.Marshal(b)
				r := ps.send(req.c, op.method, op.mediaType, req.path, string(nb))
				last := field[strings.LastIndex(field, ".")+1:]
				if r.StatusCode < 400 || r.StatusCode >= 500 || !errorNames(r.Body, last) {
					t.Errorf("%s: the schema requires %s, but without it the answer is %d %s", name, field, r.StatusCode, r.Body)
				}
			}
		}
	}
	// Every schema a client may send is reached by some probe, and each
	// of its optional fields is left out of some accepted body.
	var unreached []string
	seen := map[string]bool{}
	for _, id := range ids {
		for _, s := range refsFrom(d.Components.Schemas, ops[id].schema, seen) {
			if !reached[s] {
				unreached = append(unreached, s)
				continue
			}
			schema := d.Components.Schemas[s].(map[string]any)
			for f := range schema["properties"].(map[string]any) {
				if !slices.Contains(asSlice(schema["required"]), any(f)) && !shownOptional[s+"."+f] {
					t.Errorf("the schema %s calls %s optional, but every probe reaching it has it (in also): add one that leaves it out", s, f)
				}
			}
		}
	}
	if len(unreached) > 0 {
		sort.Strings(unreached)
		t.Errorf("no probe reaches the request schemas %v: list a field leading to them in a probe's also", unreached)
	}
}

func decodeBody(t *testing.T, name, body string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("%s: the probe's body is not a JSON object: %v\n%s", name, err, body)
	}
	return m
}

// walker goes through a probe's body with its schema: it notes the
// schemas reached and the paths of the required fields, and complains
// about optional fields not listed in also and required ones missing.
type walker struct {
	schemas  map[string]any
	also     []string
	reached  map[string]bool
	required []string
	absent   []string // "Schema.field": optional fields left out
	problems []string
}

func (w *walker) resolve(s map[string]any) (map[string]any, string) {
	if alts, ok := s["anyOf"].([]any); ok {
		for _, a := range alts {
			if a.(map[string]any)["type"] != "null" {
				return w.resolve(a.(map[string]any))
			}
		}
	}
	if ref, ok := s["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		return w.schemas[name].(map[string]any), name
	}
	return s, ""
}

func (w *walker) object(v map[string]any, schema map[string]any, path string) {
	schema, name := w.resolve(schema)
	if name != "" {
		w.reached[name] = true
	}
	props, _ := schema["properties"].(map[string]any)
	var required []string
	for _, r := range asSlice(schema["required"]) {
		required = append(required, r.(string))
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		p := strings.TrimPrefix(path+"."+k, ".")
		ps, ok := props[k].(map[string]any)
		switch {
		case !ok:
			w.problems = append(w.problems, fmt.Sprintf("%s is not a field of %s", p, name))
			continue
		case slices.Contains(required, k):
			w.required = append(w.required, p)
			if slices.Contains(w.also, p) {
				w.problems = append(w.problems, fmt.Sprintf("%s is listed in also, but the schema requires it", p))
			}
		case !slices.Contains(w.also, p):
			w.problems = append(w.problems, fmt.Sprintf("%s is optional: leave it out of the minimal body, or list it in also saying why it is there", p))
		}
		w.value(v[k], ps, p)
	}
	for _, r := range required {
		if _, ok := v[r]; !ok {
			w.problems = append(w.problems, fmt.Sprintf("the schema of %s requires %s, which the minimal body lacks", name, strings.TrimPrefix(path+"."+r, ".")))
		}
	}
	for f := range props {
		if _, ok := v[f]; !ok && name != "" && !slices.Contains(required, f) {
			w.absent = append(w.absent, name+"."+f)
		}
	}
}

func (w *walker) value(v any, schema map[string]any, path string) {
	switch x := v.(type) {
	case map[string]any:
		w.object(x, schema, path)
	case []any:
		schema, _ = w.resolve(schema)
		items, _ := schema["items"].(map[string]any)
		for _, e := range x {
			w.value(e, items, path)
		}
	}
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

// without removes the field at path (field names; arrays are gone
// through) from every object there, reporting whether it removed any.
func without(v any, path []string) bool {
	switch x := v.(type) {
	case map[string]any:
		if len(path) == 1 {
			_, ok := x[path[0]]
			delete(x, path[0])
			return ok
		}
		return without(x[path[0]], path[1:])
	case []any:
		removed := false
		for _, e := range x {
			removed = without(e, path) || removed
		}
		return removed
	}
	return false
}

var fieldWord = regexp.MustCompile(`[A-Za-z0-9_]+`)

// errorNames reports whether an error body names field: as its field, or
// as the last word of one of its fields ("row 1: code",
// "decisions[0].amendment_id").
func errorNames(body, field string) bool {
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
	for _, n := range names {
		if words := fieldWord.FindAllString(n, -1); len(words) > 0 && words[len(words)-1] == field {
			return true
		}
	}
	return false
}

// refsFrom lists the component schemas reachable from schema, each once
// over calls sharing seen.
func refsFrom(schemas map[string]any, schema any, seen map[string]bool) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				name := strings.TrimPrefix(ref, "#/components/schemas/")
				if !seen[name] {
					seen[name] = true
					out = append(out, name)
					walk(schemas[name])
				}
				return
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(schema)
	return out
}

// probeSite is a forum with parties, a committee, delegates, an editor,
// a document and a draft text, with applications for observer status
// open.
type probeSite struct {
	*servertest.Site
	t                          *testing.T
	sec, editor, usa, bra      *servertest.Client
	document, draft, draftBase string
}

func newProbeSite(t *testing.T) *probeSite {
	s := servertest.New(t)
	ps := &probeSite{Site: s, t: t, sec: s.APIToken(s.User("sec@example.org", "Sec", true))}
	ps.ok(ps.sec, "POST", "/forums", `{"slug":"wtpf","title":"WTPF-13","kind":"policy_forum","doc_prefix":"WTPF-13"}`)
	ps.ok(ps.sec, "POST", "/forums/wtpf/parties/import", `{"parties":[{"code":"USA","name":"United States","group":"member_state"},{"code":"BRA","name":"Brazil","group":"member_state"}]}`)
	ps.ok(ps.sec, "POST", "/forums/wtpf/bodies", `{"slug":"com5","name":"Committee 5","kind":"committee"}`)
	ps.ok(ps.sec, "POST", "/forums/wtpf/groups", `{"key":"youth","name":"youth","plural":"youth participants","rights_from":"none"}`)
	ps.ok(ps.sec, "PUT", "/forums/wtpf/participation-settings", `{"applications_open":true}`)
	ps.usa = ps.registered("usa@example.org", `"party":"USA","role":"delegate"`)
	ps.bra = ps.registered("bra@example.org", `"party":"BRA","role":"delegate"`)
	ps.editor = ps.registered("editor@example.org", `"group":"secretariat","role":"editor"`)
	ps.document = ps.ok(ps.sec, "POST", "/forums/wtpf/documents", `{"type":"report","title":"Report","text":"The report."}`)["id"].(string)
	ps.draft = ps.newDraft()
	ps.draftBase = "/forums/wtpf/drafts/" + ps.draft
	return ps
}

// ok sends a request that must succeed and returns its decoded answer.
func (ps *probeSite) ok(c *servertest.Client, method, path, body string) map[string]any {
	ps.t.Helper()
	r := c.JSON(method, "/api/v1"+path, body)
	if r.StatusCode >= 300 {
		ps.t.Fatalf("set-up %s %s: %d %s", method, path, r.StatusCode, r.Body)
	}
	var m map[string]any
	json.Unmarshal([]byte(r.Body), &m)
	return m
}

// registered makes an account registered (and approved) in wtpf with the
// given registration fields, and returns its API client.
func (ps *probeSite) registered(email, fields string) *servertest.Client {
	ps.t.Helper()
	c := ps.user(email)
	ps.ok(ps.sec, "POST", "/forums/wtpf/registrations", `{"email":"`+email+`","mode":"in_room",`+fields+`}`)
	return c
}

func (ps *probeSite) user(email string) *servertest.Client {
	return ps.APIToken(ps.User(email, strings.TrimSuffix(email, "@example.org"), false))
}

// organisation sets up a fresh Sector Member in the forum and returns its code.
func (ps *probeSite) organisation(n int) string {
	code := "O" + alpha3(n)
	ps.ok(ps.sec, "POST", "/forums/wtpf/parties", `{"code":"`+code+`","name":"Organisation `+code+`","group":"sector_member"}`)
	return code
}

// forum sets up a fresh forum, for requests that change a whole forum.
func (ps *probeSite) forum(n int) string {
	slug := "forum-" + strconv.Itoa(n)
	ps.ok(ps.sec, "POST", "/forums", `{"slug":"`+slug+`","title":"Forum `+strconv.Itoa(n)+`","kind":"policy_forum"}`)
	return slug
}

// pending is a fresh pending application for observer status, with the
// applicant's client.
func (ps *probeSite) pending(n int) (*servertest.Client, string) {
	c := ps.user(fmt.Sprintf("applicant-%d@example.org", n))
	return c, ps.ok(c, "POST", "/forums/wtpf/applications", `{"affiliation":"Daily Bugle","mode":"remote"}`)["id"].(string)
}

// meeting is a fresh meeting of Committee 5 with remote participation,
// opened when open is true, as the path of its endpoints.
func (ps *probeSite) meeting(open bool) string {
	id := ps.ok(ps.sec, "POST", "/forums/wtpf/meetings", `{"body":"com5","title":"Committee 5","date":"2013-05-14","start":"09:30","end":"12:30","zone":"Europe/Zurich","remote":true}`)["id"].(string)
	path := "/forums/wtpf/meetings/" + id
	if open {
		ps.ok(ps.sec, "POST", path+"/state", `{"action":"open"}`)
	}
	return path
}

// intervention is a meeting in session and the id of its one finished
// intervention, of the United States.
func (ps *probeSite) intervention() (string, string) {
	m := ps.meeting(true)
	id := ps.ok(ps.usa, "POST", m+"/floor/requests", `{}`)["id"].(string)
	ps.ok(ps.sec, "POST", m+"/floor/requests/"+id+"/give", `{}`)
	ps.ok(ps.sec, "POST", m+"/floor/finish", `{}`)
	return m, id
}

func (ps *probeSite) newDraft() string {
	return ps.ok(ps.editor, "POST", "/forums/wtpf/drafts", `{"text":"# Draft Opinion\n\n1. that all stakeholders should take part;\n\n2. that the work should be open.\n"}`)["id"].(string)
}

// proposal is a fresh proposal of the United States on the draft.
func (ps *probeSite) proposal(draft string, n int) string {
	return ps.ok(ps.usa, "POST", "/forums/wtpf/drafts/"+draft+"/amendments", fmt.Sprintf(`{"op":"ADD","after":"p2","text":"that proposal %d be made."}`, n))["id"].(string)
}

// send sends a probe's request, as JSON or, for uploads, as
// multipart/form-data with the field "file" as the file part.
func (ps *probeSite) send(c *servertest.Client, method, mediaType, path, body string) servertest.Response {
	ps.t.Helper()
	if mediaType != "multipart/form-data" {
		return c.JSON(method, "/api/v1"+path, body)
	}
	var fields map[string]string
	if err := json.Unmarshal([]byte(body), &fields); err != nil {
		ps.t.Fatalf("multipart probe body: %v", err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if k == "file" {
			fw, _ := mw.CreateFormFile("file", "note.txt")
			fw.Write([]byte(v))
		} else {
			mw.WriteField(k, v)
		}
	}
	mw.Close()
	return c.Do(method, "/api/v1"+path, &buf, http.Header{"Content-Type": {mw.FormDataContentType()}})
}

// probes are the minimal requests, by operationId.
func (ps *probeSite) probes() map[string][]probe {
	at := func(c *servertest.Client, path, body string, also ...string) probe {
		return func(int) probeRequest { return probeRequest{c: c, path: path, body: body, also: also} }
	}
	probes := map[string][]probe{
		// Forums and bodies.
		"createForum": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: "/forums", body: fmt.Sprintf(`{"slug":"new-%d","title":"New forum","kind":"policy_forum"}`, n)}
		}},
		"updateForum": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: "/forums/" + ps.forum(n), body: `{"title":"Renamed","kind":"open_forum"}`}
		}},
		"setForumStatus": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: "/forums/" + ps.forum(n) + "/status", body: `{"status":"open"}`}
		}},
		"reopenForum": {func(n int) probeRequest {
			slug := ps.forum(n)
			ps.ok(ps.sec, "POST", "/forums/"+slug+"/status", `{"status":"closed"}`)
			return probeRequest{c: ps.sec, path: "/forums/" + slug + "/reopen", body: `{"reason":"The plenary resumes."}`}
		}},
		"discardForum": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: "/forums/" + ps.forum(n) + "/discard", body: `{"reason":"Set up to try the software."}`}
		}},
		// A first deadline needs no reason; no time removes it (here,
		// none).
		"setDeadline": {
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: "/forums/" + ps.forum(n) + "/deadlines", body: `{"kind":"proposals"}`}
			},
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: "/forums/" + ps.forum(n) + "/deadlines", body: `{"kind":"contributions","due_at":"2030-01-31"}`, also: []string{"due_at"}}
			},
		},
		"createBody": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: "/forums/wtpf/bodies", body: fmt.Sprintf(`{"slug":"wg-%d","name":"Working group %d","kind":"working_group"}`, n, n)}
		}},
		"appointOfficer": {at(ps.sec, "/forums/wtpf/bodies/com5/officers", `{"email":"usa@example.org","office":"vice_chair"}`)},
		"setBodyMembers": {at(ps.sec, "/forums/wtpf/bodies/com5/members", `{}`)},

		// Rules of participation.
		"choosePreset": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: "/forums/" + ps.forum(n) + "/rules/preset", body: `{"preset":"multistakeholder_equal"}`}
		}},
		"changeRules": {
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: "/forums/" + ps.forum(n) + "/rules", also: []string{"cells"},
					body: `{"cells":[{"group":"civil_society","role":"delegate","mode":"remote"}]}`}
			},
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: "/forums/" + ps.forum(n) + "/rules", also: []string{"conditions"},
					body: `{"conditions":[{"action":"vote"}]}`}
			},
		},
		"updateParticipationSettings": {
			at(ps.sec, "/forums/wtpf/participation-settings", `{"names_public":true}`, "names_public"),
			at(ps.sec, "/forums/wtpf/participation-settings", `{"applications_open":true}`, "applications_open"),
		},
		"addGroup": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: "/forums/wtpf/groups", body: fmt.Sprintf(`{"key":"group_%d","name":"member %d","plural":"members %d","rights_from":"observer"}`, n, n, n)}
		}},
		"renameGroup": {at(ps.sec, "/forums/wtpf/groups/youth", `{"name":"young person","plural":"young people"}`)},

		// Parties and registrations.
		// An organisation needs a code and a name; a Member State only its
		// country, which gives it its code and official name.
		"addParty": {
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: "/forums/wtpf/parties", body: fmt.Sprintf(`{"code":"%s","name":"Organisation %d","group":"sector_member"}`, alpha3(n), n),
					also: []string{"code", "name"}}
			},
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: "/forums/" + ps.forum(n) + "/parties", body: `{"group":"member_state","country":"BR"}`, also: []string{"country"}}
			},
		},
		"importParties": {
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: "/forums/wtpf/parties/import", body: fmt.Sprintf(`{"parties":[{"code":"%s","name":"Organisation %d","group":"sector_member"}]}`, alpha3(n), n),
					also: []string{"parties.code", "parties.name"}}
			},
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: "/forums/" + ps.forum(n) + "/parties/import", body: `{"parties":[{"group":"member_state","country":"Brazil"}]}`,
					also: []string{"parties.country"}}
			},
		},
		"checkPartyImport": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: "/forums/wtpf/parties/import/check", body: `{"parties":[{"group":"member_state","country":"FR"}]}`,
				also: []string{"parties.country"}}
		}},
		"updateParty": {
			func(n int) probeRequest {
				code := ps.organisation(n)
				return probeRequest{c: ps.sec, path: "/forums/wtpf/parties/" + code, body: `{"region":"Europe"}`, also: []string{"region"}}
			},
			func(n int) probeRequest {
				code := ps.organisation(n)
				return probeRequest{c: ps.sec, path: "/forums/wtpf/parties/" + code, body: `{"name":"Renamed"}`, also: []string{"name"}}
			},
		},
		"mergeParty": {func(n int) probeRequest {
			dup, keep := ps.organisation(n), "K"+alpha3(n)
			ps.ok(ps.sec, "POST", "/forums/wtpf/parties", `{"code":"`+keep+`","name":"Kept `+keep+`","group":"sector_member"}`)
			return probeRequest{c: ps.sec, path: "/forums/wtpf/parties/" + dup + "/merge", body: `{"into":"` + keep + `","reason":"Entered twice."}`}
		}},
		"withdrawParty": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: "/forums/wtpf/parties/" + ps.organisation(n) + "/withdraw", body: `{"reason":"It left."}`}
		}},
		"recordCredentials": {
			func(n int) probeRequest {
				code := ps.organisation(n)
				return probeRequest{c: ps.sec, path: "/forums/wtpf/parties/" + code + "/credentials", body: `{}`}
			},
			func(n int) probeRequest {
				code := ps.organisation(n)
				// A transfer names the party holding the proxy, and only a
				// transfer does.
				return probeRequest{c: ps.sec, path: "/forums/wtpf/parties/" + code + "/credentials", body: `{"state":"transferred","proxy":"BRA"}`, also: []string{"state", "proxy"}}
			},
		},
		"appointFocalPoint": {at(ps.sec, "/forums/wtpf/parties/BRA/focal-points", `{"email":"bra@example.org"}`)},
		"register": {func(n int) probeRequest {
			return probeRequest{c: ps.user(fmt.Sprintf("self-%d@example.org", n)), path: "/forums/wtpf/registrations", body: `{"role":"observer"}`}
		}},
		"importRegistrations": {func(n int) probeRequest {
			email := fmt.Sprintf("imported-%d@example.org", n)
			ps.User(email, "Imported", false)
			return probeRequest{c: ps.sec, path: "/forums/wtpf/registrations/import", body: `{"registrations":[{"email":"` + email + `","role":"observer"}]}`}
		}},
		"applyAsObserver": {func(n int) probeRequest {
			return probeRequest{c: ps.user(fmt.Sprintf("public-%d@example.org", n)), path: "/forums/wtpf/applications", body: `{"affiliation":"Daily Bugle"}`}
		}},
		"inviteGuest": {func(n int) probeRequest {
			email := fmt.Sprintf("guest-%d@example.org", n)
			ps.User(email, "Guest", false)
			return probeRequest{c: ps.sec, path: "/forums/wtpf/guests", body: `{"email":"` + email + `","grants":[]}`}
		}},
		"declineRegistration": {func(n int) probeRequest {
			_, id := ps.pending(n)
			return probeRequest{c: ps.sec, path: "/forums/wtpf/registrations/" + id + "/decline", body: `{"reason":"The room is full."}`}
		}},
		"assignOffice": {func(n int) probeRequest {
			email := fmt.Sprintf("chair-%d@example.org", n)
			ps.User(email, "Chair", false)
			id := ps.ok(ps.sec, "POST", "/forums/wtpf/registrations", `{"email":"`+email+`","group":"secretariat","role":"chair"}`)["id"].(string)
			return probeRequest{c: ps.sec, path: "/forums/wtpf/registrations/" + id + "/offices", body: `{"office":"editor"}`}
		}},
		"removeOffice": {func(n int) probeRequest {
			email := fmt.Sprintf("moderator-%d@example.org", n)
			ps.User(email, "Moderator", false)
			id := ps.ok(ps.sec, "POST", "/forums/wtpf/registrations", `{"email":"`+email+`","group":"secretariat","role":"chair","offices":["remote_moderator"]}`)["id"].(string)
			return probeRequest{c: ps.sec, path: "/forums/wtpf/registrations/" + id + "/offices/remove", body: `{"office":"remote_moderator"}`}
		}},
		"withdrawRegistration": {func(n int) probeRequest {
			c, id := ps.pending(n)
			return probeRequest{c: c, path: "/forums/wtpf/registrations/" + id + "/withdraw", body: `{}`}
		}},

		// Documents.
		"submitDocument": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: "/forums/wtpf/documents", body: `{"type":"report","title":"A report"}`}
		}},
		"addDocumentVersion":    {at(ps.sec, "/forums/wtpf/documents/"+ps.document+"/versions", `{"kind":"add","text":"More."}`)},
		"attachDocumentFile":    {at(ps.sec, "/forums/wtpf/documents/"+ps.document+"/files", `{"file":"A note."}`)},
		"setDocumentVisibility": {at(ps.sec, "/forums/wtpf/documents/"+ps.document+"/visibility", `{"visibility":"public"}`)},
		"withdrawDocument": {func(n int) probeRequest {
			id := ps.ok(ps.sec, "POST", "/forums/wtpf/documents", `{"type":"report","title":"To withdraw"}`)["id"].(string)
			return probeRequest{c: ps.sec, path: "/forums/wtpf/documents/" + id + "/withdraw", body: `{}`}
		}},
		"createSeries": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: "/forums/wtpf/series", body: fmt.Sprintf(`{"slug":"s-%d","prefix":"S%d","name":"Series %d"}`, n, n, n)}
		}},

		// Drafting.
		// The title is the text's first heading when not given.
		// Meetings.
		"scheduleMeeting": {at(ps.sec, "/forums/wtpf/meetings", `{"body":"com5","title":"Committee 5","date":"2013-05-14","start":"09:30","end":"12:30","zone":"Europe/Zurich"}`)},
		"updateMeeting": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: ps.meeting(false), body: `{"title":"Renamed","date":"2013-05-15","start":"10:00","end":"11:00","zone":"Europe/Zurich"}`}
		}},
		"changeMeetingState": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: ps.meeting(false) + "/state", body: `{"action":"open"}`}
		}},
		"addMeetingHub": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: ps.meeting(false) + "/hubs", body: `{"name":"Hub"}`}
		}},
		"checkIn": {func(n int) probeRequest {
			return probeRequest{c: ps.usa, path: ps.meeting(true) + "/check-in", body: `{}`}
		}},
		"recordAttendance": {func(n int) probeRequest {
			email := fmt.Sprintf("attendee-%d@example.org", n)
			ps.user(email)
			reg := ps.ok(ps.sec, "POST", "/forums/wtpf/registrations", `{"email":"`+email+`","mode":"in_room","party":"BRA","role":"delegate"}`)["id"].(string)
			return probeRequest{c: ps.sec, path: ps.meeting(true) + "/attendance", body: `{"registration":"` + reg + `"}`}
		}},
		"addAgendaItem": {
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: ps.meeting(false) + "/agenda", body: `{"title":"Item"}`}
			},
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: ps.meeting(false) + "/agenda", body: `{"title":"Item","links":[{"kind":"document","ref":"` + ps.document + `"}]}`, also: []string{"links"}}
			},
		},
		"editAgendaItem": {func(n int) probeRequest {
			m := ps.meeting(false)
			item := ps.ok(ps.sec, "POST", m+"/agenda", `{"title":"Item"}`)["id"].(string)
			return probeRequest{c: ps.sec, path: m + "/agenda/" + item, body: `{"title":"Renamed"}`}
		}},
		"moveAgendaItem": {func(n int) probeRequest {
			m := ps.meeting(false)
			item := ps.ok(ps.sec, "POST", m+"/agenda", `{"title":"Item"}`)["id"].(string)
			return probeRequest{c: ps.sec, path: m + "/agenda/" + item + "/move", body: `{}`}
		}},
		"removeAgendaItem": {func(n int) probeRequest {
			m := ps.meeting(false)
			item := ps.ok(ps.sec, "POST", m+"/agenda", `{"title":"Item"}`)["id"].(string)
			return probeRequest{c: ps.sec, path: m + "/agenda/" + item + "/remove", body: `{}`}
		}},
		"adoptAgenda": {func(n int) probeRequest {
			m := ps.meeting(false)
			ps.ok(ps.sec, "POST", m+"/agenda", `{"title":"Item"}`)
			return probeRequest{c: ps.sec, path: m + "/agenda/adopt", body: `{}`}
		}},
		"setCurrentItem": {func(n int) probeRequest {
			return probeRequest{c: ps.sec, path: ps.meeting(true) + "/current-item", body: `{}`}
		}},
		// The speakers' queue.
		"configureFloor": {
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: ps.meeting(false) + "/floor", body: `{}`}
			},
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: ps.meeting(false) + "/floor", body: `{"alternate":{"room":4,"remote":2}}`, also: []string{"alternate"}}
			},
		},
		"requestFloor": {
			func(n int) probeRequest {
				return probeRequest{c: ps.usa, path: ps.meeting(false) + "/floor/requests", body: `{}`}
			},
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: ps.meeting(false) + "/floor/requests", body: `{"guest":{"name":"Dr Guest","party":"BRA"}}`, also: []string{"guest", "guest.party"}}
			},
			func(n int) probeRequest {
				return probeRequest{c: ps.sec, path: ps.meeting(false) + "/floor/requests", body: `{"guest":{"name":"Dr Guest","group":"youth"}}`, also: []string{"guest", "guest.group"}}
			},
		},
		"moveFloorRequest": {func(n int) probeRequest {
			m := ps.meeting(false)
			id := ps.ok(ps.usa, "POST", m+"/floor/requests", `{}`)["id"].(string)
			return probeRequest{c: ps.sec, path: m + "/floor/requests/" + id + "/move", body: `{"to":1,"reason":"agreed"}`}
		}},
		"removeFloorRequest": {func(n int) probeRequest {
			m := ps.meeting(false)
			id := ps.ok(ps.usa, "POST", m+"/floor/requests", `{}`)["id"].(string)
			return probeRequest{c: ps.sec, path: m + "/floor/requests/" + id + "/remove", body: `{"reason":"out of time"}`}
		}},
		"ruleOnPointOfOrder": {func(n int) probeRequest {
			m := ps.meeting(true)
			id := ps.ok(ps.usa, "POST", m+"/floor/requests", `{"kind":"point_of_order"}`)["id"].(string)
			ps.ok(ps.sec, "POST", m+"/floor/requests/"+id+"/give", `{}`)
			return probeRequest{c: ps.sec, path: m + "/floor/rule/" + id, body: `{"ruling":"Well taken."}`}
		}},
		"finishTurn": {func(n int) probeRequest {
			m := ps.meeting(true)
			id := ps.ok(ps.usa, "POST", m+"/floor/requests", `{}`)["id"].(string)
			ps.ok(ps.sec, "POST", m+"/floor/requests/"+id+"/give", `{}`)
			return probeRequest{c: ps.sec, path: m + "/floor/finish", body: `{}`}
		}},
		// The record of interventions.
		"addTranscript": {func(n int) probeRequest {
			m, id := ps.intervention()
			return probeRequest{c: ps.sec, path: m + "/interventions/" + id + "/transcript", body: `{"text":"We agree."}`}
		}},
		"importTranscript": {func(n int) probeRequest {
			m, _ := ps.intervention()
			return probeRequest{c: ps.sec, path: m + "/transcript", body: `{"file":"WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nWe agree.\n"}`}
		}},
		"attachStatement": {func(n int) probeRequest {
			m, id := ps.intervention()
			doc := ps.ok(ps.sec, "POST", "/forums/wtpf/documents", `{"type":"statement","title":"Statement","text":"We agree.","parties":["USA"]}`)["id"].(string)
			return probeRequest{c: ps.sec, path: m + "/interventions/" + id + "/statement", body: `{"document":"` + doc + `"}`}
		}},
		"issueMinutes": {func(n int) probeRequest {
			m := ps.meeting(true)
			ps.ok(ps.sec, "POST", m+"/state", `{"action":"adjourn"}`)
			return probeRequest{c: ps.sec, path: m + "/minutes", body: `{"text":"The meeting heard one speaker."}`}
		}},
		"createDraft": {at(ps.editor, "/forums/wtpf/drafts", `{"text":"# Draft\n\n1. that the work should be open."}`)},
		"proposeAmendment": {
			at(ps.usa, ps.draftBase+"/amendments", `{"op":"ADD","text":"that the work be recorded."}`, "text"),
			at(ps.usa, ps.draftBase+"/amendments", `{"op":"SUP","provision":"p1"}`, "provision"),
		},
		// Freezing a compilation needs nothing more than the draft.
		"freezeCompilation": {at(ps.editor, ps.draftBase+"/compilation/freeze", `{}`)},
		"withdrawAmendment": {func(n int) probeRequest {
			return probeRequest{c: ps.usa, path: ps.draftBase + "/amendments/" + ps.proposal(ps.draft, n) + "/withdraw", body: `{}`}
		}},
		"cosponsorAmendment": {func(n int) probeRequest {
			return probeRequest{c: ps.bra, path: ps.draftBase + "/amendments/" + ps.proposal(ps.draft, n) + "/cosponsors", body: `{}`}
		}},
		// A revision takes at least one decision or bracket.
		"issueRevision": {
			func(n int) probeRequest {
				draft := ps.newDraft()
				id := ps.proposal(draft, n)
				return probeRequest{c: ps.editor, path: "/forums/wtpf/drafts/" + draft + "/revisions",
					body: `{"decisions":[{"action":"accept","amendment_id":"` + id + `"}]}`, also: []string{"decisions", "decisions.amendment_id"}}
			},
			func(n int) probeRequest {
				return probeRequest{c: ps.editor, path: "/forums/wtpf/drafts/" + ps.newDraft() + "/revisions",
					body: `{"decisions":[{"action":"compromise","provision_id":"p1","text":"that all stakeholders take part."}]}`,
					also: []string{"decisions", "decisions.provision_id", "decisions.text"}}
			},
			func(n int) probeRequest {
				draft := ps.newDraft()
				// Two different rewordings of one provision collide.
				ps.ok(ps.usa, "POST", "/forums/wtpf/drafts/"+draft+"/amendments", `{"op":"MOD","provision":"p2","text":"that the work should be public."}`)
				ps.ok(ps.bra, "POST", "/forums/wtpf/drafts/"+draft+"/amendments", `{"op":"MOD","provision":"p2","text":"that the work should be transparent."}`)
				comp := ps.ok(ps.editor, "GET", "/forums/wtpf/drafts/"+draft+"/compilation", "")
				collision := comp["compilation"].(map[string]any)["collisions"].([]any)[0].(map[string]any)["id"].(string)
				return probeRequest{c: ps.editor, path: "/forums/wtpf/drafts/" + draft + "/revisions",
					body: `{"brackets":[{"collision":"` + collision + `"}]}`, also: []string{"brackets"}}
			},
		},
		"setCompilationSetting": {at(ps.sec, "/forums/wtpf/compilation-setting", `{}`)},
	}
	for id, p := range ps.decisionProbes() {
		probes[id] = p
	}
	for id, p := range ps.finalActsProbes() {
		probes[id] = p
	}
	for id, p := range ps.consultationProbes() {
		probes[id] = p
	}
	return probes
}

// alpha3 is a made-up ISO 3166 alpha-3 code, different for each n (up to
// 26*26), starting with Z so as not to be one of the fixture's parties.
func alpha3(n int) string {
	return "Z" + string(rune('A'+n/26%26)) + string(rune('A'+n%26))
}
