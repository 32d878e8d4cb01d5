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
	"runtime"
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
	touched [][]int32 // one per parallel range
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
	// heaviest query terms first: they open the candidate set and, once done, leave little query mass
	slices.SortFunc(qs, func(a, b qterm) int {
		switch {
		case a.q > b.q:
			return -1
		case a.q < b.q:
			return 1
		}
		return int(a.id - b.id)
	})
	// rest[i] bounds what terms i… can add to any document's score, the smaller of two bounds:
	//   Σ_{j≥i} q_j·maxW_j                 (each term at its largest weight in the collection), and
	//   ‖q_{i…}‖₂ · ‖d_{i…}‖₂ ≤ ‖q_{i…}‖₂   (Cauchy–Schwarz: document vectors have unit length).
	// The second is what makes long queries (a whole article) prunable: the sum of many small maxima stays
	// large long after the query's remaining mass has become small.
	rest := make([]float32, len(qs)+1)
	var sumUB, sumSq float64
	for i := len(qs) - 1; i >= 0; i-- {
		sumUB += float64(qs[i].ub)
		sumSq += float64(qs[i].q) * float64(qs[i].q)
		// the margin covers float32 rounding of the accumulated sums, so that pruning stays exact
		rest[i] = float32(math.Min(sumUB, math.Sqrt(sumSq))*(1+1e-5) + 1e-6)
	}
	st, _ := x.pool.Get().(*state)
	if st == nil || len(st.acc) != x.n {
		st = &state{acc: make([]float32, x.n)}
	}
	// Large indexes are searched by two (GOMAXPROCS) goroutines, each over its own range of documents with
	// its own running top k; a range's k-th best is at most the global one, so pruning stays exact. The
	// ranges' hits are merged.
	parts := 1
	if x.n >= parallelFrom {
		parts = min(runtime.GOMAXPROCS(0), 8)
	}
	if len(st.touched) < parts {
		st.touched = make([][]int32, parts)
	}
	results := make([][]entry, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := int32(p*x.n/parts), int32((p+1)*x.n/parts)
		run := func() {
			results[p] = x.searchRange(qs, rest, k, float32(minScore), allow, st.acc, &st.touched[p], lo, hi)
		}
		if p == parts-1 {
			run()
		} else {
			wg.Add(1)
			go func() { defer wg.Done(); run() }()
		}
	}
	wg.Wait()
	x.pool.Put(st)
	var all []entry
	for _, r := range results {
		all = append(all, r...)
	}
	slices.SortFunc(all, func(a, b entry) int {
		if a.better(b) {
			return -1
		}
		if b.better(a) {
			return 1
		}
		return 0
	})
	if len(all) > k {
		all = all[:k]
	}
	hits := make([]Hit, len(all))
	for h, e := range all {
		hits[h] = Hit{Doc: int(e.d), Score: clamp01(float64(e.s)), Shared: x.shared(q, int(e.d))}
	}
	return hits
}

// parallelFrom is the index size from which one search uses several goroutines.
const parallelFrom = 20000

// searchRange runs the two phases over the documents in [lo, hi) and returns their top k, best first. It
// leaves acc zero over the range.
func (x *Index) searchRange(qs []qterm, rest []float32, k int, minScore float32, allow Filter, acc []float32, touchedp *[]int32, lo, hi int32) []entry {
	touched := (*touchedp)[:0]
	theta := minScore * (1 - 1e-6)
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
		docs, w := x.lists[qs[i].id].rangeOf(lo, hi)
		qv := qs[i].q
		for p, d := range docs {
			a := acc[d]
			if a == 0 {
				touched = append(touched, d)
			}
			a += qv * w[p]
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
			docs, w := x.lists[qs[i].id].rangeOf(lo, hi)
			addSorted(acc, cand, docs, w, qs[i].q)
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
	top := topK(acc, touched, k, allow, minScore*(1-1e-6))
	for _, d := range touched {
		acc[d] = 0
	}
	*touchedp = touched
	return top
}

// rangeOf returns the postings of documents in [lo, hi).
func (l *plist) rangeOf(lo, hi int32) ([]int32, []float32) {
	if lo == 0 && (len(l.docs) == 0 || l.docs[len(l.docs)-1] < hi) {
		return l.docs, l.w
	}
	a, _ := slices.BinarySearch(l.docs, lo)
	b, _ := slices.BinarySearch(l.docs, hi)
	return l.docs[a:b], l.w[a:b]
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
	top := topK(acc, touched, k, allow, 0)
	if len(top) < k {
		return 0
	}
	return top[k-1].s
}

func topK(acc []float32, touched []int32, k int, allow Filter, floor float32) []entry {
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
	out := make([]entry, len(h))
	for i := len(h) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&h).(entry)
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
