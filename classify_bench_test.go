package depeche_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/depeche/depeche"
	"github.com/depeche/depeche/data"
	"github.com/depeche/depeche/internal/cputime"
	"github.com/depeche/depeche/models"
)

// benchTexts are the articles of BenchmarkClassify: the project's sample dispatch, the five seed
// dispatches when ../shared is there, and a long article (the 8 longest dispatches of the built-in
// corpus end to end, about 30 kB: what a pasted press review or a scraped page makes).
func benchTexts(b *testing.B) map[string][]string {
	b.Helper()
	short, err := os.ReadFile(filepath.Join("examples", "tanger.txt"))
	if err != nil {
		b.Fatal(err)
	}
	out := map[string][]string{"short": {string(short)}}
	if seeds, err := filepath.Glob(filepath.Join("..", "shared", "seeds", "*.txt")); err == nil && len(seeds) > 0 {
		for _, p := range seeds {
			t, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			out["seeds"] = append(out["seeds"], string(t))
		}
	}
	ds, err := data.Corpus()
	if err != nil {
		b.Fatal(err)
	}
	texts := make([]string, len(ds))
	for i, d := range ds {
		texts[i] = d.Text
	}
	slices.SortStableFunc(texts, func(x, y string) int { return len(y) - len(x) })
	out["long"] = []string{strings.Join(texts[:8], "\n\n")}
	return out
}

// BenchmarkClassify: Desk.Classify with the built-in model (what serve's POST /v1/classify and the
// classify command call per article): analysis, character n-grams, TF-IDF, the 15 scores, the confidence
// and 5 evidence words per label. B/op and allocs/op are per article.
func BenchmarkClassify(b *testing.B) {
	desk, err := depeche.OpenBuiltin()
	if err != nil {
		b.Fatal(err)
	}
	texts := benchTexts(b)
	for _, name := range []string{"short", "seeds", "long"} {
		ts := texts[name]
		if len(ts) == 0 {
			continue // no ../shared
		}
		b.Run(name, func(b *testing.B) {
			var size int64
			for _, t := range ts {
				size += int64(len(t))
			}
			b.SetBytes(size / int64(len(ts)))
			for _, t := range ts { // the analyzer's word cache warm, as in a server
				desk.Classify(t)
			}
			b.ReportAllocs()
			i := 0
			cpu0 := cputime.Now()
			for b.Loop() {
				desk.Classify(ts[i%len(ts)])
				i++
			}
			// the process's CPU time (GC included): on a shared machine, what the loop cost rather than
			// how long it waited for a core
			b.ReportMetric(float64(cputime.Now()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkBuiltinModel: decoding the built-in model, which every classify command does before its first
// article (with DecodeEmbedded; Decode also checks the checksum and the vocabulary's table).
func BenchmarkBuiltinModel(b *testing.B) {
	for name, decode := range map[string]func([]byte) (*models.Model, error){"Decode": models.Decode, "DecodeEmbedded": models.DecodeEmbedded} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data.Model())))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := decode(data.Model()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
