package search

import (
	"slices"
	"sync"
)

// seedTheta returns a score that at least k allowed documents reach: the k-th best exact score of a few
// documents likely to be among the best, those with the highest partial score over the query's rarest
// terms (0 if fewer than k of them score above 0).
func (x *Index) seedTheta(qs []qterm, k int, allow Allow, st *scratch) float32 {
	acc := st.sacc
	touched := st.seeds[:0]
	budget := min(seedPostings, max(x.n/8, 256))
	for _, t := range qs {
		if int(x.df[t.id]) > budget {
			continue
		}
		l := x.list(t.id)
		docs, w := l.docs, l.w
		w = w[:len(docs)]
		for i, d := range docs {
			if acc[d] == 0 {
				touched = append(touched, d)
			}
			acc[d] += float32(t.q * w[i])
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

// thetaBox holds, once ready is closed, the score that seedTheta found k documents to reach (v) and the
// query terms in the canonical order; the dense query (scratch.dense) is set by then too.
type thetaBox struct {
	ready chan struct{}
	once  sync.Once
	v     float32
	canon []qterm
}

// release closes ready, once.
func (th *thetaBox) release() { th.once.Do(func() { close(th.ready) }) }

// faultBox carries the first panic of a search's goroutines to the goroutine that called Search.
type faultBox struct {
	mu sync.Mutex
	v  any
}

// catch is deferred by a search goroutine: it keeps the goroutine's panic, if any.
func (f *faultBox) catch() {
	if r := recover(); r != nil {
		f.mu.Lock()
		if f.v == nil {
			f.v = r
		}
		f.mu.Unlock()
	}
}

// rethrow panics, in the caller's goroutine, with the first panic caught.
func (f *faultBox) rethrow() {
	f.mu.Lock()
	v := f.v
	f.mu.Unlock()
	if v != nil {
		panic(v)
	}
}
