package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// coldStore is a collection held as a store holds it: each term's postings (documents and counts) in
// chunks, its document frequency, and each document's 1/‖d‖.
type coldStore struct {
	n      int
	vocab  []string
	ids    map[string]int32
	df     []int32
	chunks [][][2][]int32 // chunks[t][c] = {docs, counts}
	inv    []float64
	docs   []DocTerms
}

// newColdStore stores docs in postings chunks of `chunk` documents, as successive adds write them.
func newColdStore(vocab []string, docs []DocTerms, chunk int) *coldStore {
	s := &coldStore{n: len(docs), vocab: vocab, ids: map[string]int32{}, df: make([]int32, len(vocab)),
		chunks: make([][][2][]int32, len(vocab)), docs: docs}
	for i, t := range vocab {
		s.ids[t] = int32(i)
	}
	for d, dt := range docs {
		for k, t := range dt.Terms {
			s.df[t]++
			c := &s.chunks[t]
			if len(*c) == 0 || d/chunk != int((*c)[len(*c)-1][0][0])/chunk {
				*c = append(*c, [2][]int32{})
			}
			last := &(*c)[len(*c)-1]
			last[0] = append(last[0], int32(d))
			last[1] = append(last[1], dt.Counts[k])
		}
	}
	w := Weights{N: len(docs)}
	idf := w.IDFs(s.df)
	s.inv = make([]float64, len(docs))
	for d, dt := range docs {
		s.inv[d] = w.InvNorm(dt, idf)
	}
	return s
}

// similar is the cold path over the store: the stream fed the postings term by term, in Order.
func (s *coldStore) similar(t testing.TB, terms []string, k int, allow Allow) []Hit {
	st, err := NewStream(s.n, terms, func(term string) (TermStats, bool, error) {
		id, ok := s.ids[term]
		if !ok || s.df[id] == 0 {
			return TermStats{}, false, nil
		}
		return TermStats{ID: id, DF: int(s.df[id])}, true, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range st.Order() {
		for _, c := range s.chunks[id] {
			if err := st.Add(i, c[0], c[1], s.inv); err != nil {
				t.Fatal(err)
			}
		}
	}
	hits := st.Top(k, allow)
	for i := range hits {
		hits[i].Shared = st.Shared(s.docs[hits[i].Doc], s.inv[hits[i].Doc])
	}
	return hits
}

// sameHits fails unless got and want are the same documents with the same scores (to the bit) and the same
// shared terms.
func sameHits(t testing.TB, what string, got, want []Hit) {
	t.Helper()
	if d := diffHits(what, got, want); d != "" {
		t.Fatal(d)
	}
}

// diffHits says how got differs from want (documents, scores to the bit, shared terms), "" when it does
// not: what a test's goroutines, which may not call t.Fatal, report with t.Error.
func diffHits(what string, got, want []Hit) string {
	if len(got) != len(want) {
		return fmt.Sprintf("%s: %d hits, want %d", what, len(got), len(want))
	}
	for i := range got {
		if got[i].Doc != want[i].Doc || got[i].Score != want[i].Score || !slices.Equal(got[i].Shared, want[i].Shared) {
			return fmt.Sprintf("%s rank %d: doc %d score %v %v, want doc %d score %v %v", what, i, got[i].Doc, got[i].Score, got[i].Shared, want[i].Doc, want[i].Score, want[i].Shared)
		}
	}
	return ""
}

// TestStreamIsSearch: the cold path (postings streamed in chunks into a Stream) returns the index's hits,
// documents, scores to the last bit and shared terms, for long, short and common-word queries, with and
// without filters, on an index large enough to take the bounded path.
func TestStreamIsSearch(t *testing.T) {
	vocab, docs := zipfCorpus(5, 20000, 3000, 90)
	// a few counts of 255 and more, which the forward index does not hold
	for i := 0; i < len(docs); i += 997 {
		docs[i].Counts[0] += 300
	}
	x := Build(vocab, len(docs), func(i int) DocTerms { return docs[i] })
	x.stats = &pathStats{}
	cold := newColdStore(vocab, docs, 3000)
	r := rand.New(rand.NewPCG(13, 13))
	filters := []struct {
		name  string
		allow Allow
	}{{"none", nil}, {"two thirds", func(d int) bool { return d%3 != 0 }}, {"one in 97", func(d int) bool { return d%97 == 0 }}}
	for trial := range 60 {
		qd := docs[r.IntN(len(docs))]
		switch trial % 4 {
		case 1:
			n := min(3, len(qd.Terms))
			qd = DocTerms{Terms: qd.Terms[len(qd.Terms)-n:], Counts: qd.Counts[len(qd.Terms)-n:]}
		case 2:
			qd = DocTerms{Terms: []int32{0, 1, 2, 5, 8}, Counts: []int32{2, 1, 1, 3, 1}}
		}
		terms := append(queryOf(vocab, qd), "unknown-term")
		k := []int{1, 5, 10, 60}[trial%4]
		f := filters[trial%3]
		want := x.Search(x.Query(terms), k, f.allow)
		sameHits(t, f.name, cold.similar(t, terms, k, f.allow), want)
	}
	if x.stats.bounded.Load() == 0 {
		t.Fatal("the index never took its bounded path: the comparison is with a full scan only")
	}
}

// TestStreamQuery: a Stream weighs a query as the index does, to the bit.
func TestStreamQuery(t *testing.T) {
	vocab, docs := zipfCorpus(3, 500, 400, 40)
	x := Build(vocab, len(docs), func(i int) DocTerms { return docs[i] })
	cold := newColdStore(vocab, docs, 100)
	terms := append(queryOf(vocab, docs[7]), queryOf(vocab, docs[8])...)
	st, err := NewStream(len(docs), terms, func(term string) (TermStats, bool, error) {
		id, ok := cold.ids[term]
		return TermStats{ID: id, DF: int(cold.df[id])}, ok && cold.df[id] > 0, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := x.Query(terms)
	got := st.Query()
	if len(got) != len(want) {
		t.Fatalf("%d terms, the index %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("term %d: %+v, the index %+v", i, got[i], want[i])
		}
	}
}

// TestStreamOrder: terms given out of Order are a programmer's error, and a posting outside the
// collection is an error.
func TestStreamOrder(t *testing.T) {
	vocab, docs := zipfCorpus(4, 50, 30, 20)
	cold := newColdStore(vocab, docs, 50)
	st, err := NewStream(len(docs), queryOf(vocab, docs[0]), func(term string) (TermStats, bool, error) {
		id, ok := cold.ids[term]
		return TermStats{ID: id, DF: int(cold.df[id])}, ok && cold.df[id] > 0, nil
	})
	if err != nil || len(st.Order()) < 2 {
		t.Fatalf("%v, %d terms", err, len(st.Order()))
	}
	if err := st.Add(0, []int32{int32(len(docs))}, []int32{1}, cold.inv); err == nil {
		t.Error("a posting of a document outside the collection was taken")
	}
	st.Add(1, nil, nil, cold.inv)
	defer func() {
		if recover() == nil {
			t.Error("a term after the next one in Order was taken")
		}
	}()
	st.Add(0, nil, nil, cold.inv)
}
