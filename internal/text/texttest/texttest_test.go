package texttest_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/plenary-forum/plenary/internal/text/render"
	"github.com/plenary-forum/plenary/internal/text/texttest"
)

// Only tests and benchmarks may import texttest: its data has no place in
// the program.
func TestImportedOnlyByTests(t *testing.T) {
	const self = "github.com/plenary-forum/plenary/internal/text/texttest"
	root := filepath.Join("..", "..", "..")
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		n++
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); p == self {
				t.Errorf("%s imports texttest; only tests may", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("walked only %d Go files from %s", n, root)
	}
}

func TestSyntheticIsDeterministic(t *testing.T) {
	cfg := texttest.SyntheticConfig{Provisions: 120, Amendments: 200, Seed: 9}
	d1, a1 := texttest.Synthetic(cfg)
	d2, a2 := texttest.Synthetic(cfg)
	if string(render.Markdown(d1)) != string(render.Markdown(d2)) || len(a1) != len(a2) {
		t.Fatal("two drafts from one configuration differ")
	}
	for i := range a1 {
		if a1[i].Label != a2[i].Label || a1[i].Text != a2[i].Text || a1[i].Kind != a2[i].Kind {
			t.Fatalf("proposal %d differs: %+v and %+v", i, a1[i], a2[i])
		}
	}
	if err := d1.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(d1.Provisions) != cfg.Provisions || len(a1) != cfg.Amendments {
		t.Errorf("%d provisions and %d proposals, want %d and %d", len(d1.Provisions), len(a1), cfg.Provisions, cfg.Amendments)
	}
}
