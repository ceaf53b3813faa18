package api

import (
	"path"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/forum"
)

// Every component schema has a name chosen in schemaTable: none is made
// from a Go package and type name, no two types share one, and the table
// lists nothing the document does not use.
func TestSchemaNamesAreExplicit(t *testing.T) {
	index, err := schemaIndex(schemaTable)
	if err != nil {
		t.Fatal(err)
	}
	chosen := map[string]reflect.Type{}
	for typ, e := range index {
		name := e.name
		chosen[name] = typ
		pkg := path.Base(typ.PkgPath())
		if derived := strings.ToUpper(pkg[:1]) + pkg[1:] + typ.Name(); name == derived {
			t.Errorf("%s is named %q, its package and type name: choose a name that does not depend on where the type lives", typ, name)
		}
	}
	spec, err := New(nil, nil, Options{}).OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	schemas := spec["components"].(map[string]any)["schemas"].(map[string]any)
	for name := range schemas {
		if _, ok := chosen[name]; !ok {
			t.Errorf("component schema %q is not a name from schemaTable", name)
		}
	}
	for name, typ := range chosen {
		if _, ok := schemas[name]; !ok {
			t.Errorf("schemaTable names %s %q, but no body uses it: remove it", typ, name)
		}
	}
}

func TestSchemaTableRefusesCollisions(t *testing.T) {
	_, err := schemaIndex([]schemaEntry{named[forum.Forum]("Forum"), named[forum.Body]("Forum")})
	if err == nil || !strings.Contains(err.Error(), `both named "Forum"`) {
		t.Errorf("two types of one name: %v", err)
	}
	_, err = schemaIndex([]schemaEntry{named[forum.Forum]("Forum"), named[forum.Forum]("ForumAgain")})
	if err == nil || !strings.Contains(err.Error(), "listed twice") {
		t.Errorf("one type listed twice: %v", err)
	}
}

type unlisted struct {
	Inner unlistedInner `json:"inner"`
}

type unlistedInner struct {
	N int `json:"n"`
}

// A body type missing from the table stops the document from being built
// (and so the API from starting), naming every such type: no name is ever
// made up for it.
func TestOpenAPIRefusesUnnamedTypes(t *testing.T) {
	h := New(nil, nil, Options{})
	h.ops = append(h.ops, &Op{Method: "POST", Path: "/x", ID: "x", Summary: "x", Tag: "x", Request: unlisted{}, Response: []unlisted{}, Status: 200})
	_, err := h.OpenAPI()
	if err == nil {
		t.Fatal("the document was built with an unnamed type")
	}
	for _, typ := range []string{"api.unlisted", "api.unlistedInner"} {
		if !strings.Contains(err.Error(), typ) {
			t.Errorf("the error does not name %s: %v", typ, err)
		}
	}
	if got := strings.Count(err.Error(), "api.unlisted,"); got > 1 {
		t.Errorf("a type named more than once: %v", err)
	}
	if slices.ContainsFunc(schemaTable, func(e schemaEntry) bool { return e.typ == reflect.TypeFor[unlisted]() }) {
		t.Fatal("the test type is in the table")
	}
}

// A type clients send must be declared with input, so that its required
// fields are what the server requires, and those must be its fields.
func TestOpenAPIRefusesUndeclaredInputs(t *testing.T) {
	h := New(nil, nil, Options{})
	h.ops = append(h.ops, &Op{Method: "POST", Path: "/x", ID: "sendsAForum", Summary: "x", Tag: "x", Request: []forum.Forum{}, Status: 200})
	_, err := h.OpenAPI()
	if err == nil || !strings.Contains(err.Error(), "Forum (forum.Forum) is sent in the request body of sendsAForum") {
		t.Errorf("a response type sent in a request: %v", err)
	}
	index, err := schemaIndex(append(slices.Clone(schemaTable), input[unlisted]("Unlisted", "inner", "outer")))
	if err != nil {
		t.Fatal(err)
	}
	g := &schemaGen{defs: map[string]any{}, index: index, unnamed: map[reflect.Type]bool{}}
	g.ref(reflect.TypeFor[unlisted]())
	if len(g.problems) != 1 || !strings.Contains(g.problems[0], `requires "outer", which is not one of its fields`) {
		t.Errorf("a required field the type does not have: %q", g.problems)
	}
}
