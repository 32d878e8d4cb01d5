package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden pins the output of the main commands on the built-in model and corpus. After a change of the
// corpus, the model or the analysis, run go test ./cmd/depeche -update and review the diff.
func TestGolden(t *testing.T) {
	sample, err := os.ReadFile(filepath.Join("..", "..", "examples", "tanger.txt"))
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir() // no model or archive of the user's: the built-in ones
	tests := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"classify_tanger.golden", string(sample), []string{"classify", "--json"}},
		{"similar_tanger.golden", string(sample), []string{"similar", "--json", "-k", "5"}},
		{"matrix_first8.golden", "", []string{"matrix", "--limit", "8"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := cli(t, home, tc.stdin, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			p := filepath.Join("testdata", tc.name)
			if *update {
				if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if out != string(want) {
				t.Errorf("output differs from %s (review with go test ./cmd/depeche -update and git diff):\n%s", p, out)
			}
		})
	}
}
