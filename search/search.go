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
// Search is exact: it returns the same top k as a scan of every document (a test checks it), ties broken
// by ascending document number, and every hit's score is summed in one canonical order, so that a
// document gets the same score to the last bit whichever way it was found.
//
// # Pruning
//
// A whole article as a query shares a few dozen common words with most of the archive, and their postings
// are most of the work of an inverted-index product (what scikit-learn's q @ X.T does). Search reads
// exactly only the postings of the query's rarer terms (those in at most n/16 documents); what the common
// terms could add to a document is bounded band by band by Cauchy–Schwarz, with each document's norm in
// each document-frequency band kept at Build. The k-th best exact score of a few likely documents (seeds)
// then rules out every document whose partial score plus bound is below it; the few left are scored
// exactly from a forward index (each document's terms and counts). When too many are left, one more band
// is read. On make_corpus.py's 100k set a query reads 13–22 % of the postings a full product reads when
// the bounds suffice (others read one band more) and scores exactly a few tens of documents: 12–14×
// faster than scikit-learn's product at 100k documents, 29× at 1M (bench/RESULTS.md).
//
// # Memory
//
// Per posting 12 bytes: the document (int32) and weight (float32) in the postings, and the term and count
// (uint32) in the forward index; per document 32 bytes (band norms 16, row offset 8, norm 8), and 8 more
// for each search running at once (its two accumulators, pooled).
//
// # Concurrency
//
// An Index is immutable once built and safe for concurrent Search calls; each call takes its accumulators
// from a pool (or allocates them). From 8,192 documents one call splits the documents into GOMAXPROCS
// ranges (at most 8) searched at once, and finds the seeds' score while the other ranges read their rarer
// terms.
package search

import (
	"container/heap"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Posting lists of one term: Docs ascending, W the weight of the term in each document's unit vector.
type plist struct {
	docs []int32
	w    []float32
}

// Index is an in-memory inverted index of unit-length document vectors.
type Index struct {
	n     int
	terms map[string]int32
	vocab []string
	idf   []float32
	lists []plist
	// band[t] is floor(log2(n/df_t)), capped at bands: the common terms' bands are bounded by dnorm
	band []uint8
	// dnorm[d][b] is the norm of document d's weights over the terms of band b, rounded up (nil below
	// boundFrom documents)
	dnorm [][bands]float32
	// cuts[t*(cutParts+1)+p] is the first posting of term t in the p-th of cutParts document ranges, the
	// ranges a search splits the documents into
	cuts     []int32
	cutParts int
	// the forward index: document d's terms, ascending, in fwd[fwdOff[d]:fwdOff[d+1]], each as
	// term<<8 | min(count, 255), and inv[d] = 1/‖d‖ before normalisation, so that w_{t,d} can be made
	// again without a search through the postings (shared terms)
	fwd    []uint32
	fwdOff []int64
	inv    []float64
	pool   sync.Pool
	// stats, when set (by tests), counts which paths searches took
	stats *pathStats
}

// pathStats counts, over searches, the ranges searched with bounds, those that read more bands after
// the first bound pass, and the candidates scored exactly.
type pathStats struct {
	bounded, refined, scored atomic.Int64
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
// documents themselves. Build calls doc twice for each document, in order, and keeps nothing of what it
// returns past the next call, so doc may decode into the same slices each time.
func Build(vocab []string, n int, doc func(i int) DocTerms) *Index {
	if len(vocab) >= 1<<24 {
		panic("search: vocabulary of 2^24 terms or more")
	}
	df := make([]int32, len(vocab))
	var nnz int64
	for i := range n {
		ts := doc(i).Terms
		for _, t := range ts {
			df[t]++
		}
		nnz += int64(len(ts))
	}
	x := &Index{n: n, terms: make(map[string]int32, len(vocab)), vocab: slices.Clone(vocab), idf: make([]float32, len(vocab)),
		lists: make([]plist, len(vocab)), band: make([]uint8, len(vocab))}
	for t, s := range vocab {
		x.terms[s] = int32(t)
		x.idf[t] = float32(IDF(n, int(df[t])))
		x.lists[t].docs = make([]int32, 0, df[t])
		x.lists[t].w = make([]float32, 0, df[t])
		x.band[t] = bands
		if df[t] > 0 {
			x.band[t] = uint8(min(bits.Len(uint(n/int(df[t])))-1, bands))
		}
	}
	bounds := n >= boundFrom
	if bounds {
		x.dnorm = make([][bands]float32, n)
	}
	x.fwd = make([]uint32, 0, nnz)
	x.fwdOff = make([]int64, n+1)
	x.inv = make([]float64, n)
	var w []float64
	for i := range n {
		d := doc(i)
		x.fwdOff[i] = int64(len(x.fwd))
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
		x.inv[i] = inv
		var bn [bands + 1]float64
		for k, t := range d.Terms {
			l := &x.lists[t]
			v := float32(w[k] * inv)
			l.docs = append(l.docs, int32(i))
			l.w = append(l.w, v)
			bn[x.band[t]] += float64(v) * float64(v)
			x.fwd = append(x.fwd, uint32(t)<<8|uint32(min(d.Counts[k], 0xff)))
		}
		if bounds {
			for b := range bands {
				x.dnorm[i][b] = float32(math.Sqrt(bn[b]) * (1 + 1e-6))
			}
		}
	}
	x.fwdOff[n] = int64(len(x.fwd))
	if parts := x.parts(); parts > 1 {
		x.cutParts = parts
		x.cuts = make([]int32, len(vocab)*(parts+1))
		for t := range x.lists {
			docs := x.lists[t].docs
			c := x.cuts[t*(parts+1) : (t+1)*(parts+1)]
			for p := range parts {
				i, _ := slices.BinarySearch(docs, int32(p*n/parts))
				c[p] = int32(i)
			}
			c[parts] = int32(len(docs))
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
	id     int32 // 1 + the term's id in the index that made it (Query), 0 if unknown
}

// termID returns t's id in x, without a map lookup when t came from x.Query.
func (x *Index) termID(t QueryTerm) (int32, bool) {
	if i := t.id - 1; i >= 0 && int(i) < len(x.vocab) && x.vocab[i] == t.Term {
		return i, true
	}
	id, ok := x.terms[t.Term]
	return id, ok
}

// Query weights the terms of a text (as the analyzer gives them, repeated as they occur) with the index's
// statistics and returns them L2-normalised, sorted by term. Terms the index does not know are left out.
func (x *Index) Query(terms []string) []QueryTerm {
	ids := make([]int32, 0, len(terms))
	for _, t := range terms {
		if id, ok := x.terms[t]; ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	var q []QueryTerm
	for i := 0; i < len(ids); {
		j := i + 1
		for j < len(ids) && ids[j] == ids[i] {
			j++
		}
		id := ids[i]
		q = append(q, QueryTerm{Term: x.vocab[id], Weight: TF(int32(j-i)) * float64(x.idf[id]), id: id + 1})
		i = j
	}
	slices.SortFunc(q, func(a, b QueryTerm) int { return strings.Compare(a.Term, b.Term) })
	var norm float64
	for _, t := range q {
		norm += t.Weight * t.Weight
	}
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
	buf    []float32
	set    []uint64
	ranges []rangeScratch
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
func (x *Index) Search(q []QueryTerm, k int, allow Filter) []Hit {
	return x.SearchAbove(q, k, 0, allow)
}

// SearchAbove is Search restricted to documents scoring at least minScore. A high minScore (near-duplicate
// detection asks for 0.9) lets the bounds discard nearly every document from the start.
func (x *Index) SearchAbove(q []QueryTerm, k int, minScore float64, allow Filter) []Hit {
	if k <= 0 || x.n == 0 {
		return nil
	}
	qs := make([]qterm, 0, len(q))
	for _, t := range q {
		id, ok := x.termID(t)
		if !ok || t.Weight <= 0 || len(x.lists[id].docs) == 0 {
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
	st, _ := x.pool.Get().(*scratch)
	if st == nil || len(st.acc) != x.n {
		st = &scratch{acc: make([]float32, x.n), sacc: make([]float32, x.n), dense: make([]slot, len(x.lists)),
			member: make([]uint64, (len(x.lists)+63)/64)}
	}
	floor := float32(minScore) * (1 - 1e-6)
	// Large indexes are searched by two (GOMAXPROCS) goroutines, each over its own range of documents with
	// its own k best; a range's k-th best is at most the global one, so its pruning stays exact. The
	// ranges' hits are merged. The canonical order and the seeds' score to reach (theta) are made while the
	// other ranges read their rarer terms, which need neither.
	parts := x.parts()
	if len(st.ranges) < parts {
		st.ranges = make([]rangeScratch, parts)
	}
	th := &thetaBox{ready: make(chan struct{})}
	results := make([][]entry, parts)
	var wg sync.WaitGroup
	for p := range parts - 1 {
		lo, hi := int32(p*x.n/parts), int32((p+1)*x.n/parts)
		wg.Add(1)
		go func() {
			defer wg.Done()
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
	close(th.ready)
	p := parts - 1
	results[p] = x.searchRange(qs, k, th, floor, allow, st, &st.ranges[p], p, int32(p*x.n/parts), int32(x.n))
	wg.Wait()
	for _, t := range qs {
		st.dense[t.id] = slot{}
		st.member[t.id>>6] = 0
	}
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
		go func() { defer wg.Done(); fill(0, half) }()
		fill(half, len(all))
		wg.Wait()
	} else {
		fill(0, len(all))
	}
	return hits
}

const (
	// parallelFrom is the index size from which one search uses several goroutines (each range then
	// holds at least boundFrom documents).
	parallelFrom = 2 * boundFrom
	// bands is the number of document-frequency bands whose terms may be bounded instead of read: band b
	// holds the terms in more than n/2^(b+1) documents (and at most n/2^b), so the bounded terms are those
	// in more than n/16 documents; rarer terms are always read. On make_corpus.py's 100k set, reading the
	// rarer terms costs 13–22 % of the query's postings and leaves tens to a few thousand candidates (then
	// band 3 is read too); with 3 bands the reads double, with 5 most documents stay candidates.
	bands = 4
	// boundFrom is the range size from which bounds are worth their passes over the range's documents.
	boundFrom = 4096
	// seedsPer·k documents are scored exactly first, to set the k-th best score that every other document
	// must be able to reach: those of highest partial score over the query's rarest terms, as many of
	// them as fit in seedPostings postings (n/8 in a small index).
	seedsPer     = 3
	seedPostings = 4096
)

// seedTheta returns a score that at least k allowed documents reach: the k-th best exact score of a few
// documents likely to be among the best, those with the highest partial score over the query's rarest
// terms (0 if fewer than k of them score above 0).
func (x *Index) seedTheta(qs []qterm, k int, allow Filter, st *scratch) float32 {
	acc := st.sacc
	touched := st.seeds[:0]
	budget := min(seedPostings, max(x.n/8, 256))
	for _, t := range qs {
		docs, w := x.lists[t.id].docs, x.lists[t.id].w
		if len(docs) > budget {
			continue
		}
		w = w[:len(docs)]
		for i, d := range docs {
			if acc[d] == 0 {
				touched = append(touched, d)
			}
			acc[d] += t.q * w[i]
		}
		budget -= len(docs)
	}
	h := make(minHeap, 0, seedsPer*k)
	for _, d := range touched {
		s := acc[d]
		acc[d] = 0
		if allow != nil && !allow(int(d)) {
			continue
		}
		e := entry{s, d}
		h.offer(e, cap(h))
	}
	st.seeds = touched
	if len(h) < k {
		return 0
	}
	scores := make([]float32, 0, len(h))
	for _, e := range h {
		if s := x.canonicalScore(e.d, st.dense, st.member, st.buf, st.set); s > 0 {
			scores = append(scores, s)
		}
	}
	if len(scores) < k {
		return 0
	}
	slices.SortFunc(scores, cmpDesc)
	return scores[k-1]
}

// canonicalScore returns the cosine of document d with the query of dense: each shared term's
// contribution is put at its place in the canonical order (buf, one entry per query term), marked in set,
// then the marked ones are summed in that order, so that the score has the bits canonicalSum gives. member
// tells, one bit a term id, which terms are the query's: most of a row's terms are not, and the bit set
// (a few KB) answers from the nearest cache where dense would not. set is left zero.
func (x *Index) canonicalScore(d int32, dense []slot, member []uint64, buf []float32, set []uint64) float32 {
	inv := x.inv[d]
	for _, e := range x.fwd[x.fwdOff[d]:x.fwdOff[d+1]] {
		t := e >> 8
		if member[t>>6]&(1<<(t&63)) == 0 {
			continue
		}
		sl := dense[t]
		c := e & 0xff
		var w float32
		if c == 0xff {
			w = x.weightOf(d, int32(t), c, inv)
		} else {
			w = countWeight(c, sl.idf, inv)
		}
		buf[sl.pos] = sl.q * w
		set[sl.pos>>6] |= 1 << (sl.pos & 63)
	}
	var s float32
	for i, word := range set {
		for word != 0 {
			s += buf[i<<6|bits.TrailingZeros64(word)]
			word &= word - 1
		}
		set[i] = 0
	}
	return s
}

// canonBufs returns the memory canonicalScore needs for a query of n terms.
func canonBufs(buf []float32, set []uint64, n int) ([]float32, []uint64) {
	if cap(buf) < n {
		buf = make([]float32, n)
	}
	w := (n + 63) / 64
	if cap(set) < w {
		set = make([]uint64, w)
	}
	return buf[:n], set[:w]
}

// thetaBox holds, once ready is closed, the score that seedTheta found k documents to reach (v) and the
// query terms in the canonical order; the dense query (scratch.dense) is set by then too.
type thetaBox struct {
	ready chan struct{}
	v     float32
	canon []qterm
}

// searchRange returns the k best documents of the p-th range [lo, hi) that score at least th.v (the
// score that seedTheta found k documents to reach), best first. It leaves acc zero over the range.
//
// The common terms (many postings, small weights) are what make a long query slow: an article shares a
// few dozen of them with most of the archive. So the terms are read from postings band by band, rarest
// first, into exact partial scores; what the unread bands could add to a document is bounded, band by
// band, by Cauchy–Schwarz: Σ_{t∈b} q_t·w_{t,d} ≤ ‖q_b‖·‖d_b‖, with ‖d_b‖ (the norm of the document's
// weights in band b) computed at Build. A document whose partial score plus bound is below theta cannot
// be in the top k. The others are scored exactly on the unread terms from their rows of the forward
// index. If too many are left, reading one more band costs less than scoring them, and the bounds are
// made again with it read.
func (x *Index) searchRange(qs []qterm, k int, th *thetaBox, floor float32, allow Filter, st *scratch, rs *rangeScratch, p int, lo, hi int32) []entry {
	acc := st.acc
	a := acc[lo:hi]
	split := splitAt(qs, bands)
	readAll := func() []entry {
		// no bounds: every term read, in the canonical order, so the partial scores are the scores
		<-th.ready
		for _, t := range th.canon {
			x.accumulate(acc, t, p, lo, hi)
		}
		return x.topRead(a, k, floor, allow, rs, lo)
	}
	if x.dnorm == nil || hi-lo < boundFrom || split == len(qs) {
		return readAll()
	}
	for _, t := range qs[:split] {
		x.accumulate(acc, t, p, lo, hi)
	}
	<-th.ready
	theta := th.v
	if theta == 0 {
		// nothing to bound against (fewer than k seeds scored): start again, all read (rare)
		clear(a)
		return readAll()
	}
	// a bound within float32 rounding of theta may still hide a score equal to it
	reach := max(theta*(1-1e-5)-1e-6, floor, 1e-30)
	qb := bandNorms(qs[split:])
	cand := x.boundPass(a, &qb, reach, allow, rs.cand[:0], lo, hi)
	if x.stats != nil {
		x.stats.bounded.Add(1)
	}
	for split < len(qs) {
		next := splitAt(qs, int(qs[split].band))
		var read int
		for _, t := range qs[split:next] {
			read += x.lists[t.id].count(lo, hi, x.n)
		}
		if len(cand) <= x.candidatesWorth(read, lo, hi) {
			break
		}
		// too many candidates: reading the next band costs less than scoring them; the bounds with
		// it read are smaller, so the candidates left are among these
		for _, t := range qs[split:next] {
			x.accumulate(acc, t, p, lo, hi)
		}
		split = next
		if x.stats != nil {
			x.stats.refined.Add(1)
		}
		qb = bandNorms(qs[split:])
		cand = x.refine(cand, a, &qb, reach, lo)
	}
	rs.cand = cand
	if x.stats != nil {
		x.stats.scored.Add(int64(len(cand)))
	}
	clear(a)
	// the candidates' scores, exact and summed in the canonical order (not acc's, read band by band)
	part := rs.part[:0]
	rs.buf, rs.set = canonBufs(rs.buf, rs.set, len(qs))
	for _, d := range cand {
		part = append(part, x.canonicalScore(d, st.dense, st.member, rs.buf, rs.set))
	}
	rs.part = part
	return topOf(rs.top[:0], cand, part, k, floor)
}

// topRead returns the k best of the documents of [lo, hi) by their scores a (every term read), best first,
// and zeroes a.
func (x *Index) topRead(a []float32, k int, floor float32, allow Filter, rs *rangeScratch, lo int32) []entry {
	h := rs.top[:0]
	for i, s := range a {
		if s == 0 {
			continue
		}
		a[i] = 0
		d := lo + int32(i)
		if s < floor || allow != nil && !allow(int(d)) {
			continue
		}
		e := entry{s, d}
		h.offer(e, k)
	}
	rs.top = h
	return drain(h)
}

// bandNorms returns ‖q_b‖ for each band of the unread terms qs, rounded up as the documents' norms are,
// so that bounds stay above every float32 score.
func bandNorms(qs []qterm) [bands]float32 {
	var qn [bands]float64
	for _, t := range qs {
		qn[t.band] += float64(t.q) * float64(t.q) * (1 + 1e-5)
	}
	var qb [bands]float32
	for b := range qb {
		qb[b] = float32(math.Sqrt(qn[b]))
	}
	return qb
}

// boundPass appends to cand the allowed documents of [lo, hi) (a holds their partial scores) whose
// partial score plus Σ_b qb[b]·‖d_b‖ reaches reach.
func (x *Index) boundPass(a []float32, qb *[bands]float32, reach float32, allow Filter, cand []int32, lo, hi int32) []int32 {
	n := int(hi - lo)
	a = a[:n]
	dn := x.dnorm[lo:hi]
	dn = dn[:n]
	// the bands unrolled (a zero ‖q_b‖ costs less than a loop) and summed as a tree (a shorter chain of
	// dependent additions), the weights in locals: a helper taking qb costs 3–8 % of a query (measured)
	q0, q1, q2, q3 := qb[0], qb[1], qb[2], qb[3]
	for i := range a {
		r := &dn[i]
		if (a[i]+q0*r[0])+(q1*r[1]+(q2*r[2]+q3*r[3])) < reach {
			continue
		}
		d := lo + int32(i)
		if allow == nil || allow(int(d)) {
			cand = append(cand, d)
		}
	}
	return cand
}

// refine keeps the candidates whose bound, made again with smaller band norms qb, still reaches reach.
func (x *Index) refine(cand []int32, a []float32, qb *[bands]float32, reach float32, lo int32) []int32 {
	q0, q1, q2, q3 := qb[0], qb[1], qb[2], qb[3]
	j := 0
	for _, d := range cand {
		// the bound of boundPass, in the same order
		r := &x.dnorm[d]
		if (a[d-lo]+q0*r[0])+(q1*r[1]+(q2*r[2]+q3*r[3])) >= reach {
			cand[j] = d
			j++
		}
	}
	return cand[:j]
}

// parts returns how many document ranges a search runs in parallel.
func (x *Index) parts() int {
	if x.n < parallelFrom {
		return 1
	}
	return min(runtime.GOMAXPROCS(0), 8)
}

// splitAt returns the index of the first query term of a band below b (qs are sorted by descending band).
func splitAt(qs []qterm, b int) int {
	i := 0
	for i < len(qs) && int(qs[i].band) >= b {
		i++
	}
	return i
}

// accumulate adds one term's contributions to the partial scores of the documents of the p-th range.
func (x *Index) accumulate(acc []float32, t qterm, p int, lo, hi int32) {
	docs, w := x.rangeOf(t.id, p, lo, hi)
	qv := t.q
	w = w[:len(docs)]
	for i, d := range docs {
		acc[d] += qv * w[i]
	}
}

// rangeOf returns term t's postings of documents in [lo, hi), the p-th range: from the cuts made at Build
// when the ranges are those, else by binary search.
func (x *Index) rangeOf(t int32, p int, lo, hi int32) ([]int32, []float32) {
	l := &x.lists[t]
	if x.cutParts > 0 && lo == int32(p*x.n/x.cutParts) && hi == int32((p+1)*x.n/x.cutParts) {
		c := x.cuts[int(t)*(x.cutParts+1)+p:]
		return l.docs[c[0]:c[1]], l.w[c[0]:c[1]]
	}
	if lo == 0 && (len(l.docs) == 0 || l.docs[len(l.docs)-1] < hi) {
		return l.docs, l.w
	}
	a, _ := slices.BinarySearch(l.docs, lo)
	b, _ := slices.BinarySearch(l.docs, hi)
	return l.docs[a:b], l.w[a:b]
}

// count estimates the postings of [lo, hi) without searching for them.
func (l *plist) count(lo, hi int32, n int) int {
	return int(int64(len(l.docs)) * int64(hi-lo) / int64(max(n, 1)))
}

// candidatesWorth returns how many candidates can be scored exactly for the price of reading `read`
// postings: a candidate costs a pass over its row of the forward index, and a row entry about twice a
// posting (measured: 1 to 3 times give the same speed on make_corpus.py's 100k set, 5 is slower).
func (x *Index) candidatesWorth(read int, lo, hi int32) int {
	row := max(1, len(x.fwd)*2/max(x.n, 1))
	return min(read/row, int(hi-lo))
}

// weightOf returns w_{t,d} exactly as Build computed it, from the count kept in the forward index; a count
// that did not fit (255 means 255 or more) is read from the postings.
func (x *Index) weightOf(d int32, t int32, c uint32, inv float64) float32 {
	if c == 0xff {
		l := &x.lists[t]
		if p, found := slices.BinarySearch(l.docs, d); found {
			return l.w[p]
		}
		return 0
	}
	return countWeight(c, x.idf[t], inv)
}

// countWeight is w_{t,d} from a count below 255, term t's idf and 1/‖d‖, computed as Build computes it
// (the same operations in the same order), so that the bits are the postings' weight.
func countWeight(c uint32, idf float32, inv float64) float32 {
	return float32(tfTable[c] * float64(idf) * inv)
}

// tfTable[c] is TF(c) for the counts the forward index holds.
var tfTable = func() (t [256]float64) {
	for c := range t {
		t[c] = TF(int32(c))
	}
	return
}()

// topOf returns the k best of the scored candidates, best first (h is the heap's memory).
func topOf(h minHeap, cand []int32, part []float32, k int, floor float32) []entry {
	for i, d := range cand {
		s := part[i]
		if s <= 0 || s < floor {
			continue
		}
		e := entry{s, d}
		h.offer(e, k)
	}
	return drain(h)
}

// drain empties a heap of the k best into a slice, best first.
func drain(h minHeap) []entry {
	out := make([]entry, len(h))
	for i := len(h) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&h).(entry)
	}
	return out
}

func cmpDesc(a, b float32) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
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

// offer puts e among the best k, if it is one of them.
func (h *minHeap) offer(e entry, k int) {
	if len(*h) < k {
		heap.Push(h, e)
	} else if e.better((*h)[0]) {
		(*h)[0] = e
		heap.Fix(h, 0)
	}
}

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

// sharedTerm is a query term, by id, for shared.
type sharedTerm struct {
	id   int32
	term string
	q    float64
}

// sharedQuery returns the query's known terms by ascending id.
func (x *Index) sharedQuery(q []QueryTerm) []sharedTerm {
	out := make([]sharedTerm, 0, len(q))
	for _, t := range q {
		if id, ok := x.termID(t); ok {
			out = append(out, sharedTerm{id, t.Term, t.Weight})
		}
	}
	slices.SortFunc(out, func(a, b sharedTerm) int { return int(a.id - b.id) })
	return out
}

// shared returns the query terms (from sharedQuery) found in doc, by descending contribution q_t·w_{t,doc},
// from a merge of the query with the document's row of the forward index.
func (x *Index) shared(q []sharedTerm, doc int) []string {
	var ms []match
	row := x.fwd[x.fwdOff[doc]:x.fwdOff[doc+1]]
	i := 0
	for _, e := range row {
		t := int32(e >> 8)
		for i < len(q) && q[i].id < t {
			i++
		}
		if i == len(q) {
			break
		}
		if q[i].id == t {
			w := x.weightOf(int32(doc), t, e&0xff, x.inv[doc])
			ms = append(ms, match{&q[i], w, q[i].q * float64(w)})
		}
	}
	slices.SortFunc(ms, func(a, b match) int {
		va, vb := a.v, b.v
		switch {
		case va > vb:
			return -1
		case va < vb:
			return 1
		}
		return strings.Compare(a.t.term, b.t.term)
	})
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.t.term
	}
	return out
}

// match is a query term found in a document, with its weight there.
type match struct {
	t *sharedTerm
	w float32
	v float64 // q_t · w, the contribution
}

// canonCmp orders query terms canonically, by descending float32 weight, then ascending term id: the
// order every score is summed in.
func canonCmp(qa float32, ida int32, qb float32, idb int32) int {
	switch {
	case qa > qb:
		return -1
	case qa < qb:
		return 1
	}
	return int(ida - idb)
}

// canonicalSum returns Σ q_t·w_t in float32, summed by descending query weight, then term id.
func canonicalSum(ms []match) float32 {
	slices.SortFunc(ms, func(a, b match) int { return canonCmp(float32(a.t.q), a.t.id, float32(b.t.q), b.t.id) })
	var s float32
	for _, m := range ms {
		s += float32(m.t.q) * m.w
	}
	return s
}

// Score returns the cosine of the query with one document by reading its postings: the brute-force
// reference Search is tested against.
func (x *Index) Score(q []QueryTerm, doc int) float64 {
	sq := x.sharedQuery(q)
	var ms []match
	for i, t := range sq {
		l := &x.lists[t.id]
		if p, found := slices.BinarySearch(l.docs, int32(doc)); found {
			ms = append(ms, match{t: &sq[i], w: l.w[p]})
		}
	}
	return clamp01(float64(canonicalSum(ms)))
}
