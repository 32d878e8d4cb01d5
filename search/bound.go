package search

import (
	"math"
	"runtime"
)

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
func (x *Index) searchRange(qs []qterm, k int, th *thetaBox, floor float32, allow Allow, st *scratch, rs *rangeScratch, p int, lo, hi int32) []entry {
	acc := st.acc
	a := acc[lo:hi]
	split := splitAt(qs, bands)
	readAll := func() []entry {
		// no bounds: every term read, in the canonical order, so the partial scores are the scores
		<-th.ready
		for _, t := range th.canon {
			x.accumulate(acc, t, p, lo, hi)
		}
		out, h := topRead(a, k, floor, allow, rs.top[:0], lo)
		rs.top = h
		return out
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
	cand := rs.cand[:0]
	if st.cand != nil {
		cand = st.cand[lo:lo:hi] // room for every document of the range: boundPass never grows it
	}
	cand = x.boundPass(a, &qb, reach, allow, cand, lo, hi)
	if x.stats != nil {
		x.stats.bounded.Add(1)
	}
	for split < len(qs) {
		next := splitAt(qs, int(qs[split].band))
		var read int
		for _, t := range qs[split:next] {
			read += int(int64(x.df[t.id]) * int64(hi-lo) / int64(max(x.n, 1)))
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
func (x *Index) boundPass(a []float32, qb *[bands]float32, reach float32, allow Allow, cand []int32, lo, hi int32) []int32 {
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

// parts returns how many document ranges a search of a large index is split into when it runs alone
// (the ranges the cuts are made for).
func (x *Index) parts() int {
	if x.n < parallelFrom {
		return 1
	}
	return min(runtime.GOMAXPROCS(0), 8)
}

// searchParts returns the ranges of a search that begins while others run (running counts them, this
// one included): parts() shared among them, at least one. Splitting a search makes it faster alone
// and dearer in total (each range repeats the bounds, the seeds and the merge: 1.10–1.29 ms of CPU a
// query against 1.29–1.53 split in two, BenchmarkCorpusSimilarWarm at 100k): when the searches
// already fill the cores, as on a busy server, each runs on one and the work done is the least. The
// split never changes a result (each range keeps its own exact k best; the scores are summed in the
// canonical order whatever the ranges).
func (x *Index) searchParts(running int32) int {
	return max(1, x.parts()/int(max(running, 1)))
}

// splitAt returns the index of the first query term of a band below b (qs are sorted by descending band).
func splitAt(qs []qterm, b int) int {
	i := 0
	for i < len(qs) && int(qs[i].band) >= b {
		i++
	}
	return i
}

// candidatesWorth returns how many candidates can be scored exactly for the price of reading `read`
// postings: a candidate costs a pass over its row of the forward index, and a row entry about twice a
// posting (measured: 1 to 3 times give the same speed on make_corpus.py's 100k set, 5 is slower).
func (x *Index) candidatesWorth(read int, lo, hi int32) int {
	row := max(1, int(x.nnz)*2/max(x.n, 1))
	return min(read/row, int(hi-lo))
}
