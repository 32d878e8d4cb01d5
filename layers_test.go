package depeche_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLayers holds the rule of the facade: the command line and the server call the root package and
// hold no policy of their own, so neither imports the packages under it but dispatch (the dispatch type
// and the file readers) and, for the command line, server. A change that reaches past the facade fails
// here with the file and the import.
func TestLayers(t *testing.T) {
	allowed := map[string][]string{
		"cmd/depeche": {"github.com/depeche/depeche", "github.com/depeche/depeche/dispatch", "github.com/depeche/depeche/server"},
		"server":      {"github.com/depeche/depeche"},
	}
	for dir, ok := range allowed {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go file (%v)", dir, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, im := range af.Imports {
				p := strings.Trim(im.Path.Value, `"`)
				if strings.HasPrefix(p, "github.com/depeche/depeche") && !slices.Contains(ok, p) {
					t.Errorf("%s imports %s: call the facade (package depeche) instead", f, p)
				}
			}
		}
	}
}
