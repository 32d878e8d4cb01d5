package search

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
)

// An Index over an index file holds the statistics of the whole collection (vocabulary, idf, bands, and
// each document's 1/‖d‖ and band norms) and maps the segments, which hold raw counts: a term's postings
// are weighed (w = Weights.Weight of the count, the term's idf and the document's 1/‖d‖, the bits of
// Build) the first time a search reads them, and kept. A cold process so weighs only the terms its query
// reads exactly; the common terms it bounds are never read.
type lazyLists struct {
	mu    sync.Mutex
	ready []atomic.Bool
}

// corruptPanic is the panic of a search that finds damaged postings: a runtime.Error, as an index
// read out of bounds would be, so that the callers that recover those (archive) report ErrCorrupt.
type corruptPanic struct{ msg string }

func (e corruptPanic) Error() string    { return e.msg }
func (e corruptPanic) RuntimeError()    {}
func (e corruptPanic) Unwrap() error    { return ErrCorrupt }
func (e corruptPanic) String() string   { return e.msg }
func (e corruptPanic) GoString() string { return e.msg }

// newFileIndex makes the Index over an index file's sections and segments.
func newFileIndex(xf *File, n int, df []int32) (*Index, error) {
	x := &Index{n: n, wt: Weights{N: n}, df: df}
	x.idf = sliceOf[float32](xf.secs[secIDF])
	x.band = xf.secs[secBand]
	x.inv = sliceOf[float64](xf.secs[secInv])
	if n >= boundFrom {
		x.dnorm = sliceOf[[bands]float32](xf.secs[secDnorm])
	}
	for _, b := range x.band {
		if b > bands {
			return nil, corrupt("band %d", b)
		}
	}
	// the vocabulary is copied to the heap: a hit's shared terms are these strings and may outlive the
	// mapping
	vb := string(xf.secs[secVocab])
	voff := sliceOf[uint32](xf.secs[secVocabOff])
	V := len(df)
	x.vocab = make([]string, V)
	x.terms = make(map[string]int32, V)
	for t := range x.vocab {
		a, b := voff[t], voff[t+1]
		if a > b || uint64(b) > uint64(len(vb)) {
			return nil, corrupt("term %d at %d:%d", t, a, b)
		}
		x.vocab[t] = vb[a:b]
		x.terms[x.vocab[t]] = int32(t)
	}
	if len(x.terms) != V {
		return nil, corrupt("a term is listed twice")
	}
	x.lists = make([]plist, V)
	x.lazy = &lazyLists{ready: make([]atomic.Bool, V)}
	if parts := x.parts(); parts > 1 {
		x.cutParts = parts
		x.cuts = make([]int32, V*(parts+1))
	}
	for _, s := range xf.segs {
		x.nnz += int64(len(s.fwd))
	}
	x.segs = xf.segs
	if len(xf.segs) == 1 {
		x.fwd, x.fwdOff = xf.segs[0].fwd, xf.segs[0].fwdOff
	}
	return x, nil
}

// list returns term t's postings, weighed.
func (x *Index) list(t int32) *plist {
	if x.lazy != nil && !x.lazy.ready[t].Load() {
		x.weigh(t)
	}
	return &x.lists[t]
}

// weigh makes term t's postings from the segments' counts, checking them (ascending documents of the
// segment, counts above 0, as many as the term's document frequency): a damaged posting panics with a
// corruptPanic, every time, and is never kept.
func (x *Index) weigh(t int32) {
	z := x.lazy
	z.mu.Lock()
	defer z.mu.Unlock()
	if z.ready[t].Load() {
		return
	}
	segs := x.segs
	df := int(x.df[t])
	var docs []int32
	var parts int
	for _, s := range segs {
		if d, _ := s.postings(t); len(d) > 0 {
			parts++
			docs = d
		}
	}
	if parts != 1 {
		docs = make([]int32, 0, df)
	}
	w := make([]float32, 0, df)
	idf := x.idf[t]
	for _, s := range segs {
		d, c := s.postings(t)
		prev, hi := int32(s.info.Base)-1, int32(s.info.Base+s.info.N)
		for i, doc := range d {
			if doc <= prev || doc >= hi || c[i] == 0 || x.inv[doc] == 0 || len(w) == df {
				panic(corruptPanic{fmt.Sprintf("search: the index file is corrupt: posting %d of term %d in %s", i, t, s.info.Name)})
			}
			prev = doc
			w = append(w, x.wt.Weight(int32(min(c[i], 1<<31-1)), idf, x.inv[doc]))
		}
		if parts != 1 {
			docs = append(docs, d...)
		}
	}
	if len(w) != df {
		panic(corruptPanic{fmt.Sprintf("search: the index file is corrupt: term %d has %d postings, not %d", t, len(w), df)})
	}
	x.lists[t] = plist{docs: docs[:df:df], w: w}
	if x.cutParts > 1 {
		c := x.cuts[int(t)*(x.cutParts+1) : (int(t)+1)*(x.cutParts+1)]
		for p := range x.cutParts {
			i, _ := slices.BinarySearch(docs, int32(p*x.n/x.cutParts))
			c[p] = int32(i)
		}
		c[x.cutParts] = int32(df)
	}
	z.ready[t].Store(true)
}

// row returns document d's forward row.
func (x *Index) row(d int32) []uint32 {
	if len(x.segs) <= 1 {
		return x.fwd[x.fwdOff[d]:x.fwdOff[d+1]]
	}
	i, _ := slices.BinarySearchFunc(x.segs, d, func(s *segment, d int32) int {
		switch {
		case int(d) < s.info.Base:
			return 1
		case int(d) >= s.info.Base+s.info.N:
			return -1
		}
		return 0
	})
	return x.segs[i].row(d)
}
