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

// lineDiff shows the first few places where two texts differ, line by
// line, with a little context: a diff for people, not for patch. After a
// difference it resynchronises on the nearest run of three equal lines
// within a window, which is enough for the changes a schema goes through.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	const window, context, hunks = 200, 2, 5
	same := func(i, j int) bool {
		for k := 0; k < 3; k++ {
			if i+k >= len(w) || j+k >= len(g) {
				return i+k >= len(w) && j+k >= len(g)
			}
			if w[i+k] != g[j+k] {
				return false
			}
		}
		return true
	}
	var b strings.Builder
	n := 0
	for i, j := 0, 0; i < len(w) || j < len(g); {
		if i < len(w) && j < len(g) && w[i] == g[j] {
			i, j = i+1, j+1
			continue
		}
		if n == hunks {
			b.WriteString("... and more differences\n")
			break
		}
		n++
		// The nearest resynchronisation: fewest lines skipped in all.
		ni, nj := len(w), len(g)
	search:
		for d := 1; d <= 2*window; d++ {
			for di := max(0, d-window); di <= min(d, window); di++ {
				if same(i+di, j+d-di) {
					ni, nj = i+di, j+d-di
					break search
				}
			}
		}
		fmt.Fprintf(&b, "@@ golden line %d, served line %d @@\n", i+1, j+1)
		for _, l := range w[max(0, i-context):i] {
			fmt.Fprintf(&b, "  %s\n", l)
		}
		show(&b, "-", w[i:ni])
		show(&b, "+", g[j:nj])
		for _, l := range w[ni:min(ni+context, len(w))] {
			fmt.Fprintf(&b, "  %s\n", l)
		}
		i, j = ni, nj
	}
	return b.String()
}

// show writes lines with a sign, at most 12 of them.
func show(b *strings.Builder, sign string, lines []string) {
	const most = 12
	for k, l := range lines {
		if k == most {
			fmt.Fprintf(b, "%s ... %d more lines\n", sign, len(lines)-most)
			return
		}
		fmt.Fprintf(b, "%s %s\n", sign, l)
	}
}
