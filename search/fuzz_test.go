package search

import (
	"sync"
	"testing"
)

type fuzzSet struct {
	vocab []string
	x     *Index
	cold  *coldStore
}

var fuzzIndex = sync.OnceValue(func() fuzzSet {
	// large enough for two bounded ranges (2 × boundFrom documents and more)
	vocab, docs := zipfCorpus(9, 12000, 2000, 70)
	return fuzzSet{vocab, Build(vocab, len(docs), func(i int) DocTerms { return docs[i] }), newColdStore(vocab, docs, 5000)}
})

// FuzzSearch drives the query, k, threshold and filter of a search on a fixed index: whatever they are,
// the hits must be the top k of a full scan, bit for bit, and the cold path (a Stream) must return the
// index's hits. Each pair of input bytes is a term (first byte,
// spread over the vocabulary with a bias to the common terms) and a count (second byte).
func FuzzSearch(f *testing.F) {
	f.Add([]byte{0, 1, 1, 1, 2, 3, 40, 1, 200, 2}, uint8(10), uint8(0), uint8(0))
	f.Add([]byte{0, 3, 1, 1}, uint8(1), uint8(50), uint8(3))
	f.Add([]byte{250, 1, 251, 1, 252, 1, 3, 1}, uint8(40), uint8(90), uint8(97))
	f.Fuzz(func(t *testing.T, terms []byte, k, minPct, mod uint8) {
		set := fuzzIndex()
		vocab, x := set.vocab, set.x
		var q []string
		for i := 0; i+1 < len(terms) && i < 400; i += 2 {
			b := int(terms[i])
			id := b * b * (len(vocab) - 1) / (255 * 255) // quadratic: most draws among the common terms
			for range 1 + int(terms[i+1])%5 {
				q = append(q, vocab[id])
			}
		}
		var allow Allow
		if mod > 1 {
			allow = func(d int) bool { return d%int(mod) == 0 }
		}
		kk := 1 + int(k)%50
		minScore := float64(minPct%101) / 100
		qt := x.Query(q)
		got := x.SearchAbove(qt, kk, minScore, allow)
		want := bruteTop(x, qt, kk, minScore, allow)
		if len(got) != len(want) {
			t.Fatalf("%d hits, a full scan %d (k=%d, min %.2f, mod %d)", len(got), len(want), kk, minScore, mod)
		}
		for i := range got {
			if got[i].Doc != want[i].Doc || got[i].Score != want[i].Score {
				t.Fatalf("rank %d: doc %d score %v, a full scan doc %d score %v", i, got[i].Doc, got[i].Score, want[i].Doc, want[i].Score)
			}
		}
		sameHits(t, "cold", set.cold.similar(t, q, kk, allow), x.Search(qt, kk, allow))
	})
}
