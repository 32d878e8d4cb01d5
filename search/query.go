package search

import (
	"runtime"
	"slices"
	"sync"
)

// QueryTerm is one term of a query with its weight in the query's unit vector.
type QueryTerm struct {
	Term   string
	Weight float64
	id     int32 // 1 + the term's id in the collection that weighed it (Query, NewStream), 0 if unknown
}

// termID returns t's id in x, without a map lookup when t came from x.Query.
func (x *Index) termID(t QueryTerm) (int32, bool) {
	if i := t.id - 1; i >= 0 && int(i) < len(x.df) && x.term(i) == t.Term {
		return i, true
	}
	return x.lookup(t.Term)
}

// Query weights the terms of a text (as the analyzer gives them, repeated as they occur) with the index's
// statistics and returns them L2-normalised, sorted by term (Weights). Terms the index does not know are
// left out.
func (x *Index) Query(terms []string) []QueryTerm {
	ids := make([]int32, 0, len(terms))
	for _, t := range terms {
		if id, ok := x.lookup(t); ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var ts []queryTerm
	for i := 0; i < len(ids); {
		j := i + 1
		for j < len(ids) && ids[j] == ids[i] {
			j++
		}
		id := ids[i]
		ts = append(ts, queryTerm{term: x.term(id), id: id, count: int32(j - i), idf: x.idf[id]})
		i = j
	}
	return x.wt.query(ts)
}

// Hit is one result: a document number, its cosine with the query, and the query terms it shares, by
// descending contribution.
type Hit struct {
	Doc    int
	Score  float64
	Shared []string
}

// Similar returns the k documents most similar to a text (its terms as the analyzer gives them) among
// those that pass f, whose dates and labels facets gives: Search of Query with f's Allow.
func (x *Index) Similar(terms []string, k int, f Filter, facets Facets) []Hit {
	return x.Search(x.Query(terms), k, f.Allow(facets))
}

type qterm struct {
	id   int32
	q    float32
	band uint8
}

// scratch is the per-search memory, pooled: acc holds the exact partial score of every document (over the
// terms read from postings so far), indexed by document; each parallel range uses only its own documents.
type scratch struct {
	acc    []float32
	sacc   []float32 // the seeds' partial scores, apart from acc: seeds and ranges run at once
	dense  []slot    // the query's terms by term id, zero elsewhere
	member []uint64  // one bit a term id: the query's terms
	seeds  []int32
	cand   []int32 // n entries, [lo, hi) the candidates of the range [lo, hi) (large indexes only)
	buf    []float32
	set    []uint64
	ranges []rangeScratch
}

// getScratch returns a search's memory: a pooled one, or a new one. Huge-page scratches (large indexes,
// newScratch) wait in a free list of their own, which the collector does not empty as it does a
// sync.Pool: each new one is 12 bytes a document mapped and zeroed again, and a busy server collects
// often.
func (x *Index) getScratch() *scratch {
	if 8*x.n >= hugePage {
		select {
		case st := <-x.freeList():
			return st
		default:
		}
	} else if st, _ := x.pool.Get().(*scratch); st != nil && len(st.acc) == x.n {
		return st
	}
	return newScratch(x.n, len(x.lists))
}

// putScratch gives a search's memory back (a huge-page scratch the free list has no room for is given
// back to the system by its cleanup once unreachable).
func (x *Index) putScratch(st *scratch) {
	if 8*x.n >= hugePage {
		select {
		case x.freeList() <- st:
		default:
		}
		return
	}
	x.pool.Put(st)
}

func (x *Index) freeList() chan *scratch {
	x.freeOnce.Do(func() { x.free = make(chan *scratch, 2*runtime.GOMAXPROCS(0)) })
	return x.free
}

// scratchOutside is the size (12 bytes a document) from which a search's scratch is outside the heap:
// about 21,000 documents.
const scratchOutside = 256 << 10

// newScratch makes the memory of a search over n documents and V terms. The two accumulators and the
// candidates of a large index are outside the heap, in huge pages faulted in at once (hugeScratch): a
// search touches them all over, and a cold process paid a first touch for each of their 4 KB pages (and
// the candidates' growth) — two, in heap memory, whose first touch is a read (see hugeScratch).
func newScratch(n, V int) *scratch {
	st := &scratch{dense: make([]slot, V), member: make([]uint64, (V+63)/64)}
	if 12*n < scratchOutside {
		st.acc, st.sacc = make([]float32, n), make([]float32, n)
		return st
	}
	b, release := hugeScratch(12 * n)
	all := sliceOf[float32](b)
	st.acc, st.sacc = all[:n:n], all[n:2*n:2*n]
	st.cand = sliceOf[int32](b[8*n:])
	runtime.AddCleanup(st, func(release func()) { release() }, release)
	return st
}

type rangeScratch struct {
	cand []int32
	part []float32
	top  minHeap
	buf  []float32 // one entry per query term, for canonicalScore
	set  []uint64
}

// slot is a query term in the dense query: its weight, its idf, and its place in the canonical order.
type slot struct {
	q, idf float32
	pos    int32
}

// Search returns the k documents most similar to the query (from Query), best first, ties by ascending
// document number. Documents with score 0 are never returned.
func (x *Index) Search(q []QueryTerm, k int, allow Allow) []Hit {
	return x.SearchAbove(q, k, 0, allow)
}

// SearchAbove is Search restricted to documents scoring at least minScore. A high minScore (near-duplicate
// detection asks for 0.9) lets the bounds discard nearly every document from the start.
func (x *Index) SearchAbove(q []QueryTerm, k int, minScore float64, allow Allow) []Hit {
	if z := x.lazy; z != nil {
		defer x.evictIfOver() // after the unlock
		z.evict.RLock()
		defer z.evict.RUnlock()
	}
	return x.searchAbove(q, k, minScore, allow)
}

func (x *Index) searchAbove(q []QueryTerm, k int, minScore float64, allow Allow) []Hit {
	if k <= 0 || x.n == 0 {
		return nil
	}
	qs := make([]qterm, 0, len(q))
	for _, t := range q {
		id, ok := x.termID(t)
		if !ok || t.Weight <= 0 || x.df[id] == 0 {
			continue
		}
		qs = append(qs, qterm{id: id, q: float32(t.Weight), band: x.band[id]})
	}
	// rarest band first (short postings, read exactly), then in the canonical order within a band
	slices.SortFunc(qs, func(a, b qterm) int {
		if a.band != b.band {
			return int(b.band) - int(a.band)
		}
		return canonCmp(a.q, a.id, b.q, b.id)
	})
	parts := x.searchParts(x.searching.Add(1))
	defer x.searching.Add(-1)
	if x.stats != nil && x.parts() > 1 {
		if parts > 1 {
			x.stats.split.Add(1)
		} else {
			x.stats.whole.Add(1)
		}
	}
	if x.lazy != nil {
		// the terms every range reads from postings, weighed at once (weighMany): the rarer ones, or all
		// where the ranges are not bounded (searchRange)
		read := qs
		if split := splitAt(qs, bands); x.dnorm != nil && x.n/parts >= boundFrom {
			read = qs[:split]
		}
		ids := make([]int32, len(read))
		for i, t := range read {
			ids[i] = t.id
		}
		x.weighMany(ids, parts)
	}
	st := x.getScratch()
	floor := float32(minScore) * (1 - 1e-6)
	// Large indexes are searched by two (GOMAXPROCS) goroutines, each over its own range of documents with
	// its own k best; a range's k-th best is at most the global one, so its pruning stays exact. The
	// ranges' hits are merged. The canonical order and the seeds' score to reach (theta) are made while the
	// other ranges read their rarer terms, which need neither. A search that begins while others run
	// takes fewer ranges (searchParts).
	if len(st.ranges) < parts {
		st.ranges = make([]rangeScratch, parts)
	}
	th := &thetaBox{ready: make(chan struct{})}
	results := make([][]entry, parts)
	var wg sync.WaitGroup
	var fault faultBox
	// A mapped index file's large sections are checksummed by Verify, not at open: a damaged document
	// number there fails a bounds check in whichever goroutine reads it. The ranges' goroutines hand
	// such a panic to the caller's (rethrow), and a panic of the caller's own part first lets them finish,
	// so that the caller of Search can recover it (archive does, and writes the file again).
	defer func() {
		if r := recover(); r != nil {
			th.release()
			wg.Wait()
			panic(r)
		}
	}()
	for p := range parts - 1 {
		lo, hi := int32(p*x.n/parts), int32((p+1)*x.n/parts)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer fault.catch()
			results[p] = x.searchRange(qs, k, th, floor, allow, st, &st.ranges[p], p, lo, hi)
		}()
	}
	// the canonical order: descending weight, then term id (every score is summed in it)
	canon := slices.Clone(qs)
	slices.SortFunc(canon, func(a, b qterm) int { return canonCmp(a.q, a.id, b.q, b.id) })
	for i, t := range canon {
		st.dense[t.id] = slot{t.q, x.idf[t.id], int32(i)}
		st.member[t.id>>6] |= 1 << (t.id & 63)
	}
	st.buf, st.set = canonBufs(st.buf, st.set, len(qs))
	th.canon = canon
	th.v = floor
	if x.dnorm != nil {
		th.v = max(floor, x.seedTheta(qs, k, allow, st))
	}
	th.release()
	p := parts - 1
	results[p] = x.searchRange(qs, k, th, floor, allow, st, &st.ranges[p], p, int32(p*x.n/parts), int32(x.n))
	wg.Wait()
	fault.rethrow()
	for _, t := range qs {
		st.dense[t.id] = slot{}
		st.member[t.id>>6] = 0
	}
	x.putScratch(st)
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
	sq := x.sharedQuery(q)
	fill := func(from, to int) {
		for h := from; h < to; h++ {
			e := all[h]
			hits[h] = Hit{Doc: int(e.d), Score: clamp01(float64(e.s)), Shared: x.shared(sq, int(e.d))}
		}
	}
	// the shared-word lists are a tenth of a query's time: the two halves at once
	if half := len(all) / 2; parts > 1 && half >= 2 {
		wg.Add(1)
		go func() { defer wg.Done(); defer fault.catch(); fill(0, half) }()
		fill(half, len(all))
		wg.Wait()
		fault.rethrow()
	} else {
		fill(0, len(all))
	}
	return hits
}
