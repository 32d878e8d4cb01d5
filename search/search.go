// Package search owns top-k cosine similarity search over TF-IDF vectors held as an inverted index in
// memory: for each term, the documents that contain it (ascending) with their final weights.
//
// # Scoring
//
// A document d and a query q are weighted as vectorize.Vectorizer does (1 + ln tf, smoothed idf, L2 norm),
// with the statistics (n, df) of the collection the index was built from, and scored by their cosine:
//
//	score(q, d) = Σ_t q_t · w_{t,d}
//
// Only the postings of the query's terms are read. Search is exact: it returns the same top k as a scan of
// every document (a test checks it), ties broken by ascending document number. It prunes with per-term
// upper bounds (MaxScore): once the k-th best score exceeds what the remaining terms could add to an unseen
// document, those terms only update the documents already in the running.
//
// # Concurrency
//
// An Index is immutable once built and safe for concurrent Search calls; each call allocates its own
// accumulator (or takes one from a pool).
package search

import (
	"container/heap"
	"math"
	"slices"
	"sort"
	"sync"
)

// Posting lists of one term: Docs ascending, W the weight of the term in each document's unit vector.
type plist struct {
	docs []int32
	w    []float32
	maxW float32
}

// Index is an in-memory inverted index of unit-length document vectors.
type Index struct {
	n     int
	terms map[string]int32
	idf   []float32
	lists []plist
	pool  sync.Pool
}

// DocTerms is one document as sorted term ids and the count of each, the form the archive stores.
type DocTerms struct {
	Terms  []int32
	Counts []int32
}

// IDF is the smoothed inverse document frequency ln((1+n)/(1+df)) + 1, as vectorize uses.
func IDF(n, df int) float64 { return math.Log(float64(1+n)/float64(1+df)) + 1 }

// TF is the sublinear term frequency 1 + ln tf.
func TF(c int32) float64 {
	if c <= 0 {
		return 0
	}
	return 1 + math.Log(float64(c))
}

// Build makes an index of n documents over a vocabulary (term id → term) from each document's term counts.
// doc(i) returns document i's terms; term ids must be < len(vocab). Document frequencies come from the
// documents themselves.
func Build(vocab []string, n int, doc func(i int) DocTerms) *Index {
	df := make([]int32, len(vocab))
	for i := range n {
		for _, t := range doc(i).Terms {
			df[t]++
		}
	}
	x := &Index{n: n, terms: make(map[string]int32, len(vocab)), idf: make([]float32, len(vocab)), lists: make([]plist, len(vocab))}
	for t, s := range vocab {
		x.terms[s] = int32(t)
		x.idf[t] = float32(IDF(n, int(df[t])))
		x.lists[t].docs = make([]int32, 0, df[t])
		x.lists[t].w = make([]float32, 0, df[t])
	}
	var w []float64
	for i := range n {
		d := doc(i)
		w = w[:0]
		var norm float64
		for k, t := range d.Terms {
			v := TF(d.Counts[k]) * float64(x.idf[t])
			w = append(w, v)
			norm += v * v
		}
		if norm == 0 {
			continue
		}
		inv := 1 / math.Sqrt(norm)
		for k, t := range d.Terms {
			l := &x.lists[t]
			v := float32(w[k] * inv)
			l.docs = append(l.docs, int32(i))
			l.w = append(l.w, v)
			if v > l.maxW {
				l.maxW = v
			}
		}
	}
	return x
}

// Len returns the number of documents.
func (x *Index) Len() int { return x.n }

// Terms returns the number of terms of the vocabulary.
func (x *Index) Terms() int { return len(x.lists) }

// NNZ returns the number of postings.
func (x *Index) NNZ() int {
	var n int
	for _, l := range x.lists {
		n += len(l.docs)
	}
	return n
}

// QueryTerm is one term of a query with its weight in the query's unit vector.
type QueryTerm struct {
	Term   string
	Weight float64
}

// Query weights the terms of a text (as the analyzer gives them, repeated as they occur) with the index's
// statistics and returns them L2-normalised, sorted by term. Terms the index does not know are left out.
func (x *Index) Query(terms []string) []QueryTerm {
	counts := map[string]int32{}
	for _, t := range terms {
		if _, ok := x.terms[t]; ok {
			counts[t]++
		}
	}
	q := make([]QueryTerm, 0, len(counts))
	var norm float64
	for t, c := range counts {
		w := TF(c) * float64(x.idf[x.terms[t]])
		q = append(q, QueryTerm{t, w})
		norm += w * w
	}
	sort.Slice(q, func(i, j int) bool { return q[i].Term < q[j].Term })
	if norm > 0 {
		inv := 1 / math.Sqrt(norm)
		for i := range q {
			q[i].Weight *= inv
		}
	}
	return q
}

// Hit is one result: a document number, its cosine with the query, and the query terms it shares, by
// descending contribution.
type Hit struct {
	Doc    int
	Score  float64
	Shared []string
}

// Filter tells whether a document may be returned; nil allows all.
type Filter func(doc int) bool

type qterm struct {
	id int32
	q  float32
	ub float32 // q · maxW: the most this term adds to any document
}

type state struct {
	acc     []float32
	touched []int32
}

// Search returns the k documents most similar to the query (from Query), best first, ties by ascending
// document number. Documents with score 0 are never returned.
func (x *Index) Search(q []QueryTerm, k int, allow Filter) []Hit {
	return x.SearchAbove(q, k, 0, allow)
}

// SearchAbove is Search restricted to documents scoring at least minScore. A high minScore (near-duplicate
// detection asks for 0.9) lets the pruning discard most postings from the start.
func (x *Index) SearchAbove(q []QueryTerm, k int, minScore float64, allow Filter) []Hit {
	if k <= 0 || x.n == 0 {
		return nil
	}
	qs := make([]qterm, 0, len(q))
	for _, t := range q {
		id, ok := x.terms[t.Term]
		if !ok || t.Weight <= 0 || len(x.lists[id].docs) == 0 {
			continue
		}
		qs = append(qs, qterm{id: id, q: float32(t.Weight), ub: float32(t.Weight) * x.lists[id].maxW})
	}
	// highest possible contribution first: rare, heavy terms open the candidate set
	slices.SortFunc(qs, func(a, b qterm) int {
		switch {
		case a.ub > b.ub:
			return -1
		case a.ub < b.ub:
			return 1
		}
		return int(a.id - b.id)
	})
	// rest[i] = Σ_{j ≥ i} ub_j: the most that terms i… can add to a document
	rest := make([]float32, len(qs)+1)
	for i := len(qs) - 1; i >= 0; i-- {
		// the margin covers float32 rounding of the accumulated sums, so that pruning stays exact
		rest[i] = (rest[i+1] + qs[i].ub) * (1 + 1e-5)
	}
	st, _ := x.pool.Get().(*state)
	if st == nil || len(st.acc) != x.n {
		st = &state{acc: make([]float32, x.n)}
	}
	acc := st.acc
	touched := st.touched[:0]
	theta := float32(minScore) * (1 - 1e-6)
	maxAcc := float32(0)
	lastCheck := float32(math.MaxFloat32)
	i := 0
	// Phase 1: every posting of the leading terms, until no unseen document can reach the top k. The k-th
	// best score is at most maxAcc, so it is only worth computing once the remaining bound falls below it,
	// and again each time that bound has fallen by a tenth.
	for ; i < len(qs); i++ {
		if theta > 0 && rest[i] < theta && i > 0 {
			break // nothing unseen can reach minScore
		}
		if len(touched) >= k && rest[i] < maxAcc && rest[i] < lastCheck*0.9 {
			lastCheck = rest[i]
			theta = max(theta, kth(acc, touched, k, allow))
			if theta > 0 && rest[i] < theta {
				break
			}
		}
		l := &x.lists[qs[i].id]
		qv := qs[i].q
		for p, d := range l.docs {
			a := acc[d]
			if a == 0 {
				touched = append(touched, d)
			}
			a += qv * l.w[p]
			acc[d] = a
			if a > maxAcc {
				maxAcc = a
			}
		}
	}
	// Phase 2: the remaining terms only update candidates that can still reach the top k.
	if i < len(qs) {
		cand := touched[:0:0]
		for _, d := range touched {
			if acc[d]+rest[i] >= theta && (allow == nil || allow(int(d))) {
				cand = append(cand, d)
			}
		}
		slices.Sort(cand)
		for ; i < len(qs) && len(cand) > 0; i++ {
			l := &x.lists[qs[i].id]
			qv := qs[i].q
			addSorted(acc, cand, l.docs, l.w, qv)
			// drop candidates that can no longer make it
			if i+1 < len(qs) {
				j := 0
				for _, d := range cand {
					if acc[d]+rest[i+1] >= theta {
						cand[j] = d
						j++
					}
				}
				cand = cand[:j]
			}
		}
	}
	hits := topK(acc, touched, k, allow, float32(minScore)*(1-1e-6))
	for _, d := range touched {
		acc[d] = 0
	}
	st.touched = touched[:0]
	x.pool.Put(st)
	for h := range hits {
		hits[h].Shared = x.shared(q, hits[h].Doc)
	}
	return hits
}

// addSorted adds qv·w to acc for each candidate document (ascending) found in docs (ascending), by a
// merge when the lists are of similar size and by binary search when the candidates are few.
func addSorted(acc []float32, cand, docs []int32, w []float32, qv float32) {
	if len(cand)*16 < len(docs) {
		lo := 0
		for _, d := range cand {
			p, found := slices.BinarySearch(docs[lo:], d)
			p += lo
			if found {
				acc[d] += qv * w[p]
			}
			lo = p
		}
		return
	}
	p := 0
	for _, d := range cand {
		for p < len(docs) && docs[p] < d {
			p++
		}
		if p < len(docs) && docs[p] == d {
			acc[d] += qv * w[p]
		}
	}
}

// kth returns the k-th largest accumulated score among allowed touched documents (0 if fewer than k).
func kth(acc []float32, touched []int32, k int, allow Filter) float32 {
	h := make(minHeap, 0, k)
	for _, d := range touched {
		if allow != nil && !allow(int(d)) {
			continue
		}
		s := acc[d]
		if len(h) < k {
			heap.Push(&h, entry{s, d})
		} else if s > h[0].s {
			h[0] = entry{s, d}
			heap.Fix(&h, 0)
		}
	}
	if len(h) < k {
		return 0
	}
	return h[0].s
}

func topK(acc []float32, touched []int32, k int, allow Filter, floor float32) []Hit {
	h := make(minHeap, 0, k)
	for _, d := range touched {
		s := acc[d]
		if s <= 0 || s < floor || allow != nil && !allow(int(d)) {
			continue
		}
		e := entry{s, d}
		if len(h) < k {
			heap.Push(&h, e)
		} else if e.better(h[0]) {
			h[0] = e
			heap.Fix(&h, 0)
		}
	}
	out := make([]Hit, len(h))
	for i := len(h) - 1; i >= 0; i-- {
		e := heap.Pop(&h).(entry)
		out[i] = Hit{Doc: int(e.d), Score: clamp01(float64(e.s))}
	}
	return out
}

func clamp01(x float64) float64 {
	if x > 1 {
		return 1
	}
	if x < 0 {
		return 0
	}
	return x
}

type entry struct {
	s float32
	d int32
}

// better orders results: higher score first, then lower document number.
func (e entry) better(o entry) bool { return e.s > o.s || e.s == o.s && e.d < o.d }

// minHeap keeps the worst of the best k at its root.
type minHeap []entry

func (h minHeap) Len() int           { return len(h) }
func (h minHeap) Less(i, j int) bool { return h[j].better(h[i]) }
func (h minHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)        { *h = append(*h, x.(entry)) }
func (h *minHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}

// shared returns the query terms found in doc, by descending contribution q_t · w_{t,doc}.
func (x *Index) shared(q []QueryTerm, doc int) []string {
	type c struct {
		t string
		v float64
	}
	var cs []c
	for _, t := range q {
		id, ok := x.terms[t.Term]
		if !ok {
			continue
		}
		l := &x.lists[id]
		if p, found := slices.BinarySearch(l.docs, int32(doc)); found {
			cs = append(cs, c{t.Term, t.Weight * float64(l.w[p])})
		}
	}
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].v != cs[j].v {
			return cs[i].v > cs[j].v
		}
		return cs[i].t < cs[j].t
	})
	out := make([]string, len(cs))
	for i, e := range cs {
		out[i] = e.t
	}
	return out
}

// Score returns the cosine of the query with one document by reading its postings: the brute-force
// reference Search is tested against.
func (x *Index) Score(q []QueryTerm, doc int) float64 {
	var s float32
	for _, t := range q {
		id, ok := x.terms[t.Term]
		if !ok {
			continue
		}
		l := &x.lists[id]
		if p, found := slices.BinarySearch(l.docs, int32(doc)); found {
			s += float32(t.Weight) * l.w[p]
		}
	}
	return clamp01(float64(s))
}
