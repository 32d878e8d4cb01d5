package archive

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkSimilar: one query of a whole dispatch, cold (Archive.Similar, postings read from the file) and
// warm (Searcher.Similar), over a 20k-dispatch archive, with no filter and with a label and a date bound.
func BenchmarkSimilar(b *testing.B) {
	ctx := context.Background()
	p := filepath.Join(b.TempDir(), "a.db")
	a, err := Open(p, "bench", true)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	ds := synth(3, 20000)
	for i := range ds {
		if i%7 == 0 {
			ds[i].Labels = []string{"a_b"}
		}
	}
	if _, err := a.Add(ctx, items(ds), nil); err != nil {
		b.Fatal(err)
	}
	s, err := a.Load(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range []Filter{{}, {Label: "a_b", Since: "2015"}} {
		name := "none"
		if f.Label != "" {
			name = "label+since"
		}
		b.Run(fmt.Sprintf("cold/docs=20000/filter=%s", name), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := a.Similar(ctx, termsOf(ds[(i*7919)%len(ds)].Text), 10, f); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		b.Run(fmt.Sprintf("warm/docs=20000/filter=%s", name), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				s.Similar(termsOf(ds[(i*7919)%len(ds)].Text), 10, f)
				i++
			}
		})
	}
}
