package vectorize

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchTexts reads the texts of a shared dataset TSV (labels<TAB>text), repeated up to n documents.
func benchTexts(b *testing.B, n int) []string {
	b.Helper()
	p := filepath.Join("..", "..", "shared", "datasets", "masakhanews-fra", "train.tsv")
	f, err := os.Open(p)
	if err != nil {
		b.Skipf("../shared not found (%v): benchmarks read its real French news", err)
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	sc.Scan() // header
	for sc.Scan() {
		if _, text, ok := strings.Cut(sc.Text(), "\t"); ok {
			texts = append(texts, text)
		}
	}
	out := make([]string, 0, n)
	for len(out) < n {
		for _, t := range texts {
			if len(out) == n {
				break
			}
			// vary repeated documents a little so that they are not byte-identical
			out = append(out, fmt.Sprintf("%s (%d)", t, len(out)))
		}
	}
	return out
}

func totalBytes(docs []string) int64 {
	var n int64
	for _, d := range docs {
		n += int64(len(d))
	}
	return n
}

func BenchmarkAnalyze(b *testing.B) {
	docs := benchTexts(b, 548)
	a := MustAnalyzer(Options{})
	var buf []string
	b.SetBytes(totalBytes(docs))
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			buf = a.AppendTerms(buf[:0], d)
		}
	}
	b.ReportMetric(float64(len(docs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkFit compares the one-pass parallel FitTransform with the reference path through
// james-bowman/nlp's CountVectoriser and TfidfTransformer (research memo §3.5).
func BenchmarkFit(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		docs := benchTexts(b, n)
		for _, path := range []string{"depeche", "nlp-reference"} {
			if path == "nlp-reference" && n > 1000 {
				continue // the map-backed reference needs minutes and gigabytes at this size
			}
			b.Run(fmt.Sprintf("path=%s/docs=%d", path, n), func(b *testing.B) {
				a := MustAnalyzer(Options{Bigrams: true})
				b.SetBytes(totalBytes(docs))
				b.ReportAllocs()
				for b.Loop() {
					if path == "depeche" {
						v := NewVectorizer(a)
						if _, err := v.FitTransform(docs); err != nil {
							b.Fatal(err)
						}
					} else if _, _, err := ReferenceFitTransform(a, docs, 2, 1, true); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
			})
		}
	}
}

func BenchmarkTransformOne(b *testing.B) {
	docs := benchTexts(b, 548)
	v := NewVectorizer(MustAnalyzer(Options{Bigrams: true}))
	if err := v.Fit(docs); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		v.TransformOne(docs[i%len(docs)])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}
