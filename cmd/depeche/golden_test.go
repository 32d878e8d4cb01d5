package main

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

// longFloat matches a number written with more than 6 decimals (JSON's shortest round-trip form).
var longFloat = regexp.MustCompile(`\b\d+\.\d{7,}(e-?\d+)?\b`)

// fixedPrecision rewrites every number of more than 6 decimals with 6: the goldens pin what a reader
// sees, and the last bits of a float may differ across architectures (a fused multiply-add on arm64)
// without any result changing.
func fixedPrecision(s string) string {
	return longFloat.ReplaceAllStringFunc(s, func(m string) string {
		f, err := strconv.ParseFloat(m, 64)
		if err != nil {
			return m
		}
		return strconv.FormatFloat(f, 'f', 6, 64)
	})
}

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
			out = fixedPrecision(out)
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

func TestFixedPrecision(t *testing.T) {
	for in, want := range map[string]string{
		`{"score":0.9042689095341143}`: `{"score":0.904269}`,
		`0.5 1.25 3.1234567`:           `0.5 1.25 3.123457`,
		`TER-0001 2019-12-02`:          `TER-0001 2019-12-02`,
		`1.0000000001e-05`:             `0.000010`,
	} {
		if got := fixedPrecision(in); got != want {
			t.Errorf("fixedPrecision(%q) = %q, want %q", in, got, want)
		}
	}
}
