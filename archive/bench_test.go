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

// BenchmarkHotReads: what a server's requests read of the archive besides the search, over a
// 20k-dispatch archive and its index file: a search's read transaction with its stamp check and its 10
// hits' metadata and labels (SimilarIn without the search), a whole SimilarIn, Get, and a listing page.
func BenchmarkHotReads(b *testing.B) {
	ctx := context.Background()
	p := filepath.Join(b.TempDir(), "a.db")
	a, err := Open(p, "bench", true)
	if err != nil {
		b.Fatal(err)
	}
	defer a.Close()
	ds := engineDispatches(5, 20000)
	st, err := a.Add(ctx, items(ds), nil)
	if err != nil {
		b.Fatal(err)
	}
	xf, err := a.UpdateIndex(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("hits=10", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		docs := make([]int, 10)
		for b.Loop() {
			r, err := a.readFresh(ctx, xf)
			if err != nil {
				b.Fatal(err)
			}
			for k := range docs {
				docs[k] = (i*7919 + k*31) % 2000 // a server's hits come back: most rows are cached
			}
			if _, err := r.metasOf(ctx, docs); err != nil {
				b.Fatal(err)
			}
			r.Rollback()
			i++
		}
	})
	b.Run("similar-in/k=10", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := a.SimilarIn(ctx, xf, termsOf(ds[(i*7919)%len(ds)].Text), 10, Filter{}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("get", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := a.Get(ctx, ds[(i*7919)%len(ds)].ID); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("page=20", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, _, err := a.Page(ctx, Filter{}, (i*20)%2000, 20); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
