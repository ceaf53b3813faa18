package plenary_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The architecture map must name every package, so that it cannot go
// stale as packages are added.
func TestArchitectureNamesEveryPackage(t *testing.T) {
	doc, err := os.ReadFile("docs/ARCHITECTURE.md")
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	n := 0
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		if dir == "." {
			return nil // the root package is named in the map as "plenary (module root)"
		}
		if !strings.Contains(string(doc), "`"+dir+"`") {
			missing = append(missing, dir)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("found no packages")
	}
	seen := map[string]bool{}
	for _, m := range missing {
		if !seen[m] {
			seen[m] = true
			t.Errorf("docs/ARCHITECTURE.md does not name the package %s (write it in backquotes)", m)
		}
	}
	if !strings.Contains(string(doc), "`plenary` (module root)") {
		t.Error("docs/ARCHITECTURE.md does not name the root package")
	}
}
