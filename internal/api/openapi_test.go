package api_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/api"
)

var update = flag.Bool("update", false, "rewrite testdata/openapi.golden.json with the served OpenAPI document")

const goldenPath = "testdata/openapi.golden.json"

// servedDocument is the OpenAPI document as the API serves it, in
// canonical indentation. The base URL is fixed so that the document does
// not depend on where a test server listens; nothing else in it depends
// on the database, so no service is needed.
func servedDocument(t *testing.T) []byte {
	t.Helper()
	h := api.New(nil, nil, api.Options{BaseURL: "https://plenary.example"})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json: %d %s", rec.Code, rec.Body)
	}
	var compact, out bytes.Buffer
	if err := json.Compact(&compact, rec.Body.Bytes()); err != nil {
		t.Fatalf("the served document is not JSON: %v", err)
	}
	if err := json.Indent(&out, compact.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// The API contract is frozen in testdata/openapi.golden.json: any change
// to the served document, a renamed schema, a field made required, a new
// operation, shows up here and in the diff of the golden file.
func TestOpenAPIGolden(t *testing.T) {
	got := servedDocument(t)
	if *update {
		if err := os.MkdirAll(filepath.Dir(goldenPath), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", goldenPath)
		return
	}
	want, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v\nto create it, run: go test ./internal/api -run Golden -update", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("the served OpenAPI document differs from %s:\n%s\n"+
			"If the change to the API contract is intended, run: go test ./internal/api -run Golden -update\n"+
			"and review the diff of the golden file.", goldenPath, lineDiff(string(want), string(got)))
	}
}

// lineDiff shows where two texts first differ, with a few lines of
// context, and how many lines differ in all.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	first := 0
	for first < len(w) && first < len(g) && w[first] == g[first] {
		first++
	}
	// The common tail, so that an inserted or deleted block is shown as
	// such rather than as every line after it.
	tail := 0
	for tail < len(w)-first && tail < len(g)-first && w[len(w)-1-tail] == g[len(g)-1-tail] {
		tail++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "first difference at line %d (%d lines of the golden file replaced by %d):\n", first+1, len(w)-first-tail, len(g)-first-tail)
	from := max(first-3, 0)
	for _, l := range w[from:first] {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	const most = 20
	show := func(sign string, lines []string) {
		for i, l := range lines {
			if i == most {
				fmt.Fprintf(&b, "%s ... (%d more)\n", sign, len(lines)-most)
				break
			}
			fmt.Fprintf(&b, "%s %s\n", sign, l)
		}
	}
	show("-", w[first:len(w)-tail])
	show("+", g[first:len(g)-tail])
	for _, l := range w[len(w)-tail : min(len(w)-tail+3, len(w))] {
		fmt.Fprintf(&b, "  %s\n", l)
	}
	return b.String()
}
