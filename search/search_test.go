package search

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"sync"
	"testing"
)

// zipfCorpus makes n documents over v terms with Zipf-distributed term draws, like real text.
func zipfCorpus(seed uint64, n, v, length int) ([]string, []DocTerms) {
	r := rand.New(rand.NewPCG(seed, seed))
	z := rand.NewZipf(r, 1.1, 1, uint64(v-1))
	vocab := make([]string, v)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("t%05d", i)
	}
	docs := make([]DocTerms, n)
	for i := range docs {
		counts := map[int32]int32{}
		l := length/2 + r.IntN(length)
		for range l {
			counts[int32(z.Uint64())]++
		}
		var d DocTerms
		for t := range counts {
			d.Terms = append(d.Terms, t)
		}
		sort.Slice(d.Terms, func(a, b int) bool { return d.Terms[a] < d.Terms[b] })
		for _, t := range d.Terms {
			d.Counts = append(d.Counts, counts[t])
		}
		docs[i] = d
	}
	return vocab, docs
}

func queryOf(vocab []string, d DocTerms) []string {
	var q []string
	for k, t := range d.Terms {
		for range d.Counts[k] {
			q = append(q, vocab[t])
		}
	}
	return q
}

// Search must return the same top k as scoring every document.
func TestSearchExact(t *testing.T) {
	vocab, docs := zipfCorpus(1, 30000, 5000, 60)
	x := Build(vocab, len(docs), func(i int) DocTerms { return docs[i] })
	r := rand.New(rand.NewPCG(7, 7))
	for _, k := range []int{1, 5, 10, 50} {
		for trial := range 20 {
			qd := docs[r.IntN(len(docs))]
			if trial%2 == 1 { // a short query of a few terms
				qd = DocTerms{Terms: qd.Terms[:min(4, len(qd.Terms))], Counts: qd.Counts[:min(4, len(qd.Terms))]}
			}
			q := x.Query(queryOf(vocab, qd))
			var allow Allow
			if trial%3 == 2 {
				allow = func(d int) bool { return d%3 != 0 }
			}
			got := x.Search(q, k, allow)
			type sd struct {
				d int
				s float64
			}
			var all []sd
			for d := range docs {
				if allow != nil && !allow(d) {
					continue
				}
				if s := x.Score(q, d); s > 0 {
					all = append(all, sd{d, s})
				}
			}
			sort.Slice(all, func(a, b int) bool {
				if all[a].s != all[b].s {
					return all[a].s > all[b].s
				}
				return all[a].d < all[b].d
			})
			if len(all) > k {
				all = all[:k]
			}
			if len(got) != len(all) {
				t.Fatalf("k=%d trial %d: %d hits, brute force %d", k, trial, len(got), len(all))
			}
			for i := range got {
				if math.Abs(got[i].Score-all[i].s) > 1e-5 {
					t.Fatalf("k=%d trial %d rank %d: score %g (doc %d), brute force %g (doc %d)", k, trial, i, got[i].Score, got[i].Doc, all[i].s, all[i].d)
				}
				if got[i].Doc != all[i].d && math.Abs(all[i].s-x.Score(q, got[i].Doc)) > 1e-5 {
					t.Fatalf("k=%d trial %d rank %d: doc %d, brute force doc %d", k, trial, i, got[i].Doc, all[i].d)
				}
				if allow != nil && !allow(got[i].Doc) {
					t.Fatalf("filtered document %d returned", got[i].Doc)
				}
			}
		}
	}
}

func TestSearchSelfFirst(t *testing.T) {
	vocab, docs := zipfCorpus(2, 500, 2000, 80)
	x := Build(vocab, len(docs), func(i int) DocTerms { return docs[i] })
	for i := 0; i < 50; i++ {
		hits := x.Search(x.Query(queryOf(vocab, docs[i])), 3, nil)
		if len(hits) == 0 || math.Abs(hits[0].Score-1) > 1e-5 {
			t.Fatalf("doc %d: best hit %+v, want itself with score 1", i, hits)
		}
		if len(hits[0].Shared) == 0 {
			t.Fatalf("doc %d: no shared terms", i)
		}
	}
}

func TestSearchEdgeCases(t *testing.T) {
	x := Build([]string{"a", "b"}, 2, func(i int) DocTerms {
		return []DocTerms{{Terms: []int32{0}, Counts: []int32{1}}, {}}[i]
	})
	if h := x.Search(x.Query([]string{"zzz"}), 5, nil); len(h) != 0 {
		t.Errorf("unknown terms: %v, want no hit", h)
	}
	if h := x.Search(x.Query([]string{"a"}), 0, nil); h != nil {
		t.Errorf("k=0: %v", h)
	}
	h := x.Search(x.Query([]string{"a"}), 5, nil)
	if len(h) != 1 || h[0].Doc != 0 || h[0].Score != 1 {
		t.Errorf("got %+v, want doc 0 with score 1 only (doc 1 is empty)", h)
	}
}

func BenchmarkSearch(b *testing.B) {
	for _, n := range []int{10000, 100000} {
		vocab, docs := zipfCorpus(3, n, 48000, 150)
		x := Build(vocab, n, func(i int) DocTerms { return docs[i] })
		queries := make([][]QueryTerm, 200)
		for i := range queries {
			queries[i] = x.Query(queryOf(vocab, docs[(i*7919)%n]))
		}
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				x.Search(queries[i%len(queries)], 10, nil)
				i++
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/query")
		})
	}
}

// bruteTop scores every document by reading all the query's postings in the canonical order (descending
// query weight, then term id), the order Search sums hits in, and returns the k best at or above
// minScore: what Search must return, to the last bit.
func bruteTop(x *Index, q []QueryTerm, k int, minScore float64, allow Allow) []Hit {
	sq := x.sharedQuery(q)
	slices.SortFunc(sq, func(a, b sharedTerm) int { return canonCmp(float32(a.q), a.id, float32(b.q), b.id) })
	acc := make([]float32, x.n)
	for _, t := range sq {
		l := x.list(t.id)
		for p, d := range l.docs {
			acc[d] += float32(float32(t.q) * l.w[p])
		}
	}
	var all []Hit
	for d, s := range acc {
		if s > 0 && float64(s) >= minScore*(1-1e-6) && (allow == nil || allow(d)) {
			all = append(all, Hit{Doc: d, Score: clamp01(float64(s))})
		}
	}
	sort.Slice(all, func(a, b int) bool {
		if all[a].Score != all[b].Score {
			return all[a].Score > all[b].Score
		}
		return all[a].Doc < all[b].Doc
	})
	if len(all) > k {
		all = all[:k]
	}
	return all
}

// The bounded path (common terms bounded, seeds, band reads, exact scoring from the forward index) must
// return exactly the top k of a full scan: long and short queries, queries of common words only, filters
// from none to very selective, near-duplicate thresholds.
func TestSearchBoundedExact(t *testing.T) {
	vocab, docs := zipfCorpus(5, 30000, 3000, 90)
	x := Build(vocab, len(docs), func(i int) DocTerms { return docs[i] })
	x.stats = &pathStats{}
	r := rand.New(rand.NewPCG(11, 11))
	filters := []struct {
		name  string
		allow Allow
	}{
		{"none", nil},
		{"two thirds", func(d int) bool { return d%3 != 0 }},
		{"one in 97", func(d int) bool { return d%97 == 0 }},
	}
	for trial := range 90 {
		qd := docs[r.IntN(len(docs))]
		kind := "article"
		switch trial % 5 {
		case 1: // a few terms
			n := min(4, len(qd.Terms))
			qd = DocTerms{Terms: qd.Terms[len(qd.Terms)-n:], Counts: qd.Counts[len(qd.Terms)-n:]}
			kind = "short"
		case 2: // the commonest words only
			qd = DocTerms{Terms: []int32{0, 1, 2, 3, 4, 5, 6, 7}, Counts: []int32{3, 1, 2, 1, 1, 2, 1, 1}}
			kind = "common"
		case 3: // two articles in one
			o := docs[r.IntN(len(docs))]
			qd = DocTerms{Terms: append(slices.Clone(qd.Terms), o.Terms...), Counts: append(slices.Clone(qd.Counts), o.Counts...)}
			kind = "two articles"
		}
		q := x.Query(queryOf(vocab, qd))
		k := []int{1, 3, 10, 40}[trial%4]
		minScore := []float64{0, 0, 0.2, 0.5, 0.9}[trial%5]
		f := filters[trial%3]
		got := x.SearchAbove(q, k, minScore, f.allow)
		want := bruteTop(x, q, k, minScore, f.allow)
		if len(got) != len(want) {
			t.Fatalf("trial %d (%s query, k=%d, min %.1f, filter %s): %d hits, full scan %d", trial, kind, k, minScore, f.name, len(got), len(want))
		}
		for i := range got {
			if got[i].Score != want[i].Score || got[i].Doc != want[i].Doc {
				t.Fatalf("trial %d (%s query, k=%d, min %.1f, filter %s) rank %d: doc %d score %v, full scan doc %d score %v",
					trial, kind, k, minScore, f.name, i, got[i].Doc, got[i].Score, want[i].Doc, want[i].Score)
			}
		}
	}
	// the test is only worth its name if the searches took the bounded path, and read more bands at times
	if b, rf, sc := x.stats.bounded.Load(), x.stats.refined.Load(), x.stats.scored.Load(); b < 100 || rf == 0 || sc == 0 {
		t.Fatalf("paths taken: %d bounded ranges, %d band reads after bounding, %d exact scorings; want many, some, some", b, rf, sc)
	}
}

// TestSearchWholeWhenBusy: searches that run at once take fewer ranges (searchParts) and answer as a
// search alone does, hit for hit, score for score and shared word for shared word, from the in-memory
// index and from an index file; the searches alone agree with a full scan.
func TestSearchWholeWhenBusy(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one core: searches are never split")
	}
	vocab, docs := zipfCorpus(13, 3*parallelFrom, 2500, 80)
	x := Build(vocab, len(docs), func(i int) DocTerms { return docs[i] })
	path, _ := writeFile(t, t.TempDir(), vocab, docs, len(docs)*7, "stamp")
	xf, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		idx  *Index
	}{{"built", x}, {"file", xf.Index}} {
		t.Run(c.name, func(t *testing.T) {
			f := c.idx
			f.stats = &pathStats{}
			defer func() { f.stats = nil }()
			r := rand.New(rand.NewPCG(3, 3))
			queries := make([][]QueryTerm, 60)
			alone := make([][]Hit, len(queries))
			for i := range queries {
				queries[i] = f.Query(queryOf(vocab, docs[r.IntN(len(docs))]))
				alone[i] = f.Search(queries[i], 10, nil)
				brute := bruteTop(x, queries[i], 10, 0, nil)
				for j := range brute {
					if j >= len(alone[i]) || alone[i][j].Doc != brute[j].Doc || alone[i][j].Score != brute[j].Score {
						t.Fatalf("query %d alone, rank %d: not the full scan's", i, j)
					}
				}
			}
			if s, w := f.stats.split.Load(), f.stats.whole.Load(); s != int64(len(queries)) || w != 0 {
				t.Fatalf("searches alone: %d split, %d whole; want all split", s, w)
			}
			// four at once, over and over: most begin while another runs
			var wg sync.WaitGroup
			for g := range 4 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for rep := range 5 {
						for i := g; i < len(queries); i += 4 {
							if d := diffHits(fmt.Sprintf("query %d, pass %d, at once against alone", i, rep), f.Search(queries[i], 10, nil), alone[i]); d != "" {
								t.Error(d)
								return
							}
						}
					}
				}()
			}
			wg.Wait()
			if t.Failed() {
				return
			}
			if f.stats.whole.Load() == 0 {
				t.Fatalf("searches at once: %d split, none whole", f.stats.split.Load()-int64(len(queries)))
			}
		})
	}
}
