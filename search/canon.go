package search

import (
	"math/bits"
	"slices"
)

// canonicalScore returns the cosine of document d with the query of dense: each shared term's
// contribution is put at its place in the canonical order (buf, one entry per query term), marked in set,
// then the marked ones are summed in that order, so that the score has the bits canonicalSum gives. member
// tells, one bit a term id, which terms are the query's: most of a row's terms are not, and the bit set
// (a few KB) answers from the nearest cache where dense would not. set is left zero.
func (x *Index) canonicalScore(d int32, dense []slot, member []uint64, buf []float32, set []uint64) float32 {
	inv := x.inv[d]
	for _, e := range x.row(d) {
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
		buf[sl.pos] = float32(sl.q * w)
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

// accumulate adds one term's contributions to the partial scores of the documents of the p-th range.
func (x *Index) accumulate(acc []float32, t qterm, p int, lo, hi int32) {
	docs, w := x.rangeOf(t.id, p, lo, hi)
	addProducts(acc, t.q, docs, w)
}

// addProducts adds q·w[i] to acc[docs[i]], the product rounded to float32 before the sum (no fused
// multiply-add): one term's turn of a score summed in the canonical order, warm or cold.
func addProducts(acc []float32, q float32, docs []int32, w []float32) {
	w = w[:len(docs)]
	for i, d := range docs {
		acc[d] += float32(q * w[i])
	}
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

// canonicalSum returns Σ q_t·w_t in float32, summed by descending query weight, then term id, each
// product rounded to float32 before it is added.
func canonicalSum(ms []match) float32 {
	slices.SortFunc(ms, func(a, b match) int { return canonCmp(float32(a.t.q), a.t.id, float32(b.t.q), b.t.id) })
	var s float32
	for _, m := range ms {
		s += float32(float32(m.t.q) * m.w)
	}
	return s
}

// Score returns the cosine of the query with one document by reading its postings: the brute-force
// reference Search is tested against.
func (x *Index) Score(q []QueryTerm, doc int) float64 {
	if z := x.lazy; z != nil {
		z.evict.RLock()
		defer x.evictIfOver()
		defer z.evict.RUnlock()
	}
	sq := x.sharedQuery(q)
	var ms []match
	for i, t := range sq {
		l := x.list(t.id)
		if p, found := slices.BinarySearch(l.docs, int32(doc)); found {
			ms = append(ms, match{t: &sq[i], w: l.w[p]})
		}
	}
	return clamp01(float64(canonicalSum(ms)))
}
