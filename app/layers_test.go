package app

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/dubanhq/duban/"

// allowed lists, for each package, the Duban packages its production code may import: the
// dependency rule of docs/architecture.md (domain at the bottom, nothing imports api,
// worker, app or cmd). A new import outside these lists fails here, so a layer that starts
// reaching where it should not is seen in review.
var allowed = map[string][]string{
	"domain":     {},
	"calendar":   {},
	"importer":   {},
	"notify":     {},
	"metrics":    {},
	"web":        {},
	"config":     {"domain"},
	"store":      {"domain", "calendar"},
	"auth":       {"domain", "store"},
	"circular":   {},
	"delivery":   {"domain", "store", "notify", "calendar", "config"},
	"assess":     {"domain", "store", "calendar"},
	"activities": {"domain", "store", "calendar", "delivery", "assess", "config", "metrics"},
	"workflows":  {"domain", "activities", "calendar"},
	"launch":     {"domain", "store", "calendar", "importer", "workflows"},
	"worker":     {"activities", "workflows", "config"},
	"embedded":   {},
	"api": {"domain", "store", "calendar", "importer", "launch", "workflows", "activities", "delivery", "assess",
		"auth", "circular", "config", "metrics", "notify", "web"},
	"app":   {"activities", "calendar", "config", "metrics", "store"},
	"bench": {"activities", "api", "app", "auth", "config", "domain", "embedded", "store", "worker"},
}

// TestLayers reads every production file's imports and checks them against allowed.
func TestLayers(t *testing.T) {
	root := filepath.Join("..")
	fset := token.NewFileSet()
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(path))
		pkg := filepath.ToSlash(rel)
		if strings.HasPrefix(pkg, "cmd/") || pkg == "integration" || strings.Contains(pkg, "test") {
			return nil // commands wire everything; test helpers and integration tests may too
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		want, known := allowed[pkg]
		seen[pkg] = true
		for _, imp := range f.Imports {
			p := strings.Trim(imp.Path.Value, `"`)
			if !strings.HasPrefix(p, module) {
				continue
			}
			dep := strings.TrimPrefix(p, module)
			if !known {
				t.Errorf("%s: package %s is not in the layer table (app/layers_test.go); add it with what it may import", path, pkg)
				return nil
			}
			if !slices.Contains(want, dep) {
				t.Errorf("%s imports %s: %s may import only %v", path, dep, pkg, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for pkg := range allowed {
		if !seen[pkg] {
			t.Errorf("the layer table names %s, which has no production code", pkg)
		}
	}
}
