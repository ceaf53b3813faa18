package api_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/fixture"
	"github.com/plenary-forum/plenary/internal/forum"
	"github.com/plenary-forum/plenary/internal/ledger"
	"github.com/plenary-forum/plenary/internal/server/servertest"
)

// validator checks JSON values against the OpenAPI document's schemas: the
// subset the generator emits ($ref, type, properties, required,
// additionalProperties, items, anyOf).
type validator struct {
	schemas map[string]any
}

func (v validator) check(path string, schema map[string]any, val any) error {
	if ref, ok := schema["$ref"].(string); ok {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		s, ok := v.schemas[name].(map[string]any)
		if !ok {
			return fmt.Errorf("%s: unknown schema %s", path, name)
		}
		return v.check(path, s, val)
	}
	if alts, ok := schema["anyOf"].([]any); ok {
		var errs []string
		for _, s := range alts {
			if err := v.check(path, s.(map[string]any), val); err == nil {
				return nil
			} else {
				errs = append(errs, err.Error())
			}
		}
		return fmt.Errorf("%s: matches no alternative: %s", path, strings.Join(errs, "; "))
	}
	var types []string
	switch t := schema["type"].(type) {
	case string:
		types = []string{t}
	case []any:
		for _, x := range t {
			types = append(types, x.(string))
		}
	}
	if len(types) == 0 {
		return nil
	}
	kind := "null"
	switch x := val.(type) {
	case string:
		kind = "string"
	case bool:
		kind = "boolean"
	case float64:
		kind = "number"
		if x == float64(int64(x)) {
			kind = "integer"
		}
	case []any:
		kind = "array"
	case map[string]any:
		kind = "object"
	}
	ok := false
	for _, t := range types {
		ok = ok || t == kind || (t == "number" && kind == "integer")
	}
	if !ok {
		return fmt.Errorf("%s: is %s, schema says %v", path, kind, types)
	}
	switch x := val.(type) {
	case []any:
		items, _ := schema["items"].(map[string]any)
		for i, e := range x {
			if err := v.check(fmt.Sprintf("%s[%d]", path, i), items, e); err != nil {
				return err
			}
		}
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		req, _ := schema["required"].([]any)
		for _, r := range req {
			if _, ok := x[r.(string)]; !ok {
				return fmt.Errorf("%s: required field %s is missing", path, r)
			}
		}
		for k, e := range x {
			ps, ok := props[k].(map[string]any)
			if !ok {
				if schema["additionalProperties"] == false {
					return fmt.Errorf("%s: field %s is not in the schema", path, k)
				}
				if ap, ok := schema["additionalProperties"].(map[string]any); ok {
					ps = ap
				} else {
					continue
				}
			}
			if err := v.check(path+"."+k, ps, e); err != nil {
				return err
			}
		}
	}
	return nil
}

type doc struct {
	Paths      map[string]map[string]map[string]any `json:"paths"`
	Components struct {
		Schemas map[string]any `json:"schemas"`
	} `json:"components"`
}

func loadDoc(t *testing.T, s *servertest.Site) (doc, validator) {
	t.Helper()
	r := s.Client().Get("/api/v1/openapi.json")
	if r.StatusCode != 200 {
		t.Fatalf("openapi.json: %d", r.StatusCode)
	}
	var d doc
	if err := json.Unmarshal([]byte(r.Body), &d); err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	json.Unmarshal([]byte(r.Body), &raw)
	if raw["openapi"] != "3.1.0" {
		t.Fatalf("openapi version %v", raw["openapi"])
	}
	return d, validator{schemas: d.Components.Schemas}
}

// checkResponse validates a response body against the documented schema
// of the operation and status.
func checkResponse(t *testing.T, d doc, v validator, method, path string, r servertest.Response) {
	t.Helper()
	op, ok := d.Paths[path][strings.ToLower(method)]
	if !ok {
		t.Fatalf("%s %s is not documented", method, path)
	}
	responses := op["responses"].(map[string]any)
	resp, ok := responses[fmt.Sprint(r.StatusCode)].(map[string]any)
	if !ok {
		resp = responses["default"].(map[string]any)
	}
	content, _ := resp["content"].(map[string]any)
	mt, _ := content["application/json"].(map[string]any)
	if mt == nil {
		t.Fatalf("%s %s %d: no JSON schema documented", method, path, r.StatusCode)
	}
	var val any
	if err := json.Unmarshal([]byte(r.Body), &val); err != nil {
		t.Fatalf("%s %s: body is not JSON: %v\n%s", method, path, err, r.Body)
	}
	if err := v.check("body", mt["schema"].(map[string]any), val); err != nil {
		t.Errorf("%s %s %d: %v\n%s", method, path, r.StatusCode, err, r.Body)
	}
}

func TestOpenAPIDocumentsEveryOperation(t *testing.T) {
	s := servertest.New(t)
	d, _ := loadDoc(t, s)
	if len(d.Paths) == 0 {
		t.Fatal("no paths")
	}
	var ids []string
	seen := map[string]bool{}
	for p, item := range d.Paths {
		for m, op := range item {
			id, _ := op["operationId"].(string)
			sum, _ := op["summary"].(string)
			if id == "" || sum == "" {
				t.Errorf("%s %s lacks operationId or summary", m, p)
			}
			if seen[id] {
				t.Errorf("operationId %s used twice", id)
			}
			seen[id] = true
			ids = append(ids, id)
			if _, ok := op["responses"].(map[string]any)["default"]; !ok {
				t.Errorf("%s %s documents no error response", m, p)
			}
		}
	}
	sort.Strings(ids)
	// Every documented operation answers with something other than the
	// API's catch-all 404 for unknown endpoints.
	for p, item := range d.Paths {
		for m := range item {
			path := strings.NewReplacer("{slug}", "no-such-forum", "{id}", "x", "{number}", "1").Replace(p)
			r := s.Client().Do(strings.ToUpper(m), "/api/v1"+path, strings.NewReader("{}"), http.Header{"Content-Type": {"application/json"}})
			if strings.Contains(r.Body, "no API endpoint") {
				t.Errorf("%s %s is documented but not routed", m, p)
			}
		}
	}
}

func TestForumEndpointsMatchTheirSchemas(t *testing.T) {
	s := servertest.New(t)
	d, v := loadDoc(t, s)
	sec := s.User("sec@example.org", "Sec", true)
	api := s.APIToken(sec)

	r := api.JSON("POST", "/api/v1/forums", `{"slug":"wcit-12","title":"WCIT-12","kind":"treaty_conference","starts_on":"2012-12-03","ends_on":"2012-12-14","languages":["en","fr"]}`)
	if r.StatusCode != 201 || r.Header.Get("Location") != "/api/v1/forums/wcit-12" {
		t.Fatalf("create: %d %s", r.StatusCode, r.Body)
	}
	checkResponse(t, d, v, "POST", "/forums", r)
	for _, c := range []struct{ method, path, doc, body string }{
		{"GET", "/api/v1/forums", "/forums", ""},
		{"GET", "/api/v1/forums/wcit-12", "/forums/{slug}", ""},
		{"PUT", "/api/v1/forums/wcit-12", "/forums/{slug}", `{"title":"WCIT-12, Dubai","kind":"treaty_conference"}`},
		{"POST", "/api/v1/forums/wcit-12/bodies", "/forums/{slug}/bodies", `{"slug":"com5","name":"Committee 5","kind":"committee"}`},
		{"GET", "/api/v1/forums/wcit-12/bodies", "/forums/{slug}/bodies", ""},
		{"POST", "/api/v1/forums/wcit-12/status", "/forums/{slug}/status", `{"status":"open"}`},
		{"GET", "/api/v1/me", "/me", ""},
	} {
		r := api.JSON(c.method, c.path, c.body)
		if r.StatusCode >= 300 {
			t.Errorf("%s %s: %d %s", c.method, c.path, r.StatusCode, r.Body)
			continue
		}
		checkResponse(t, d, v, c.method, c.doc, r)
	}
	// Errors follow the documented error schema too.
	r = api.JSON("POST", "/api/v1/forums", `{"slug":"BAD","title":"","kind":"x"}`)
	checkResponse(t, d, v, "POST", "/forums", r)
}

func TestAPIErrors(t *testing.T) {
	s := servertest.New(t)
	sec := s.User("sec@example.org", "Sec", true)
	del := s.User("del@example.org", "Del", false)
	api := s.APIToken(sec)
	type errBody struct {
		Error struct {
			Code, Message, Field string
			Fields               []struct{ Field, Message string }
		}
	}
	tests := []struct {
		name   string
		client *servertest.Client
		method string
		path   string
		body   string
		status int
		code   string
		field  string
	}{
		{"unknown field", api, "POST", "/api/v1/forums", `{"slug":"a","title":"A","kind":"open_forum","colour":"red"}`, 422, "invalid", "colour"},
		{"wrong type", api, "POST", "/api/v1/forums", `{"slug":"a","title":7,"kind":"open_forum"}`, 422, "invalid", "title"},
		{"bad value", api, "POST", "/api/v1/forums", `{"slug":"a","title":"A","kind":"open_forum","starts_on":"tomorrow"}`, 422, "invalid", "starts_on"},
		{"not JSON", api, "POST", "/api/v1/forums", `{"slug":`, 422, "invalid", "body"},
		{"two objects", api, "POST", "/api/v1/forums", `{"slug":"a","title":"A","kind":"open_forum"}{}`, 422, "invalid", "body"},
		{"too large", api, "POST", "/api/v1/forums", `{"slug":"a","title":"A","kind":"open_forum","description":"` + strings.Repeat("x", 2<<20) + `"}`, 413, "too_large", "body"},
		{"no token", s.Client(), "POST", "/api/v1/forums", `{}`, 401, "unauthorized", ""},
		{"not the secretariat", s.APIToken(del), "POST", "/api/v1/forums", `{"slug":"a","title":"A","kind":"open_forum"}`, 403, "forbidden", ""},
		{"missing forum", api, "GET", "/api/v1/forums/nope", ``, 404, "not_found", ""},
		{"unknown endpoint", api, "GET", "/api/v1/nothing-here", ``, 404, "not_found", ""},
	}
	for _, tt := range tests {
		r := tt.client.JSON(tt.method, tt.path, tt.body)
		var eb errBody
		if err := json.Unmarshal([]byte(r.Body), &eb); err != nil {
			t.Errorf("%s: body not JSON: %s", tt.name, r.Body)
			continue
		}
		if r.StatusCode != tt.status || eb.Error.Code != tt.code || eb.Error.Field != tt.field || eb.Error.Message == "" {
			t.Errorf("%s: %d %+v, want %d %s field %q", tt.name, r.StatusCode, eb.Error, tt.status, tt.code, tt.field)
		}
	}
	bad := s.Client()
	bad.Token = "plenary_not-a-real-token"
	if r := bad.Get("/api/v1/me"); r.StatusCode != 401 || r.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("bad token: %d", r.StatusCode)
	}
	if r := s.Client().Do("GET", "/api/v1/me", nil, http.Header{"Authorization": {"Basic abc"}}); r.StatusCode != 401 {
		t.Errorf("basic auth: %d", r.StatusCode)
	}
	fs, _ := s.Svc.Kernel.Forums(t.Context())
	if len(fs) != 0 {
		t.Fatalf("rejected requests created %d forums", len(fs))
	}
}

func TestAPIIgnoresCookies(t *testing.T) {
	s := servertest.New(t)
	s.User("sec@example.org", "Sec", true)
	c := s.Client()
	c.Login("sec@example.org")
	// Logged in by cookie, but the API wants a token: a browser session
	// cannot be ridden by another site's script through the API.
	r := c.JSON("POST", "/api/v1/forums", `{"slug":"a","title":"A","kind":"open_forum"}`)
	if r.StatusCode != 401 {
		t.Fatalf("cookie-authenticated API write: %d", r.StatusCode)
	}
}

func TestLedgerExportVerifies(t *testing.T) {
	s := servertest.New(t)
	sec := s.User("sec@example.org", "Sec", true)
	s.Forum(sec, "wtpf", "WTPF")
	r := s.Client().Get("/api/v1/forums/wtpf/ledger")
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/x-ndjson" {
		t.Fatalf("%d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	lines := strings.Split(strings.TrimSpace(r.Body), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], `"format":"plenary-ledger/v1"`) || !strings.Contains(lines[2], `"checkpoint"`) {
		t.Fatalf("export:\n%s", r.Body)
	}
}

func TestLatestCheckpointIsPublishedAndAnExportExtendsIt(t *testing.T) {
	s := servertest.New(t)
	sec := s.User("sec@example.org", "Sec", true)
	s.Forum(sec, "wtpf", "WTPF")
	r := s.Client().Get("/api/v1/forums/wtpf/checkpoint")
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("%d %s: %s", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
	}
	cp, err := ledger.ParseCheckpoint([]byte(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	pub := s.Svc.Signer().Public()
	if err := ledger.VerifyCheckpoint(pub, cp); err != nil {
		t.Fatalf("the published checkpoint does not verify with the server's key: %v", err)
	}
	// A later export extends the kept checkpoint.
	if _, err := s.Svc.Kernel.CreateBody(context.Background(), fixture.In(t, s.Svc.Kernel, sec, "wtpf"), forum.BodyInput{Slug: "plenary", Name: "Plenary", Kind: "plenary"}); err != nil {
		t.Fatal(err)
	}
	exp := s.Client().Get("/api/v1/forums/wtpf/ledger")
	rep, err := ledger.VerifyStreamWith(strings.NewReader(exp.Body), ledger.VerifyOptions{Keys: []ed25519.PublicKey{pub}, Since: &cp})
	if err != nil || !rep.OK() {
		t.Fatalf("export does not extend the published checkpoint: %+v %v", rep, err)
	}
	if r := s.Client().Get("/api/v1/forums/nowhere/checkpoint"); r.StatusCode != 404 {
		t.Fatalf("unknown forum: %d", r.StatusCode)
	}
}
