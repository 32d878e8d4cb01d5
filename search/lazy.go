package search

import (
	"fmt"
	"runtime"
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
	mem   *arena   // the weighed postings (under mu)
	cnt   []uint32 // the counts being weighed (under mu)
}

// arena hands out the memory of weighed postings from large huge-page chunks (hugeAlloc), given back
// together when the Index is no longer reachable: a cold query weighs millions of postings, whose first
// touch in 4 KB heap pages cost more than the weighing itself (bench/RESULTS.md).
type arena struct {
	left    []byte
	release []func()
}

// arenaChunk is the smallest chunk an arena maps: a small index's whole cache, a large one's several
// terms.
const arenaChunk = 4 << 20

// take returns n bytes, 8-byte aligned.
func (a *arena) take(n int) []byte {
	n = (n + 7) &^ 7
	if n > len(a.left) {
		b, rel := hugeAlloc(max(n, arenaChunk))
		a.left = b
		a.release = append(a.release, rel)
	}
	b := a.left[:n:n]
	a.left = a.left[n:]
	return b
}

func (a *arena) floats(n int) []float32 { return sliceOf[float32](a.take(4 * n))[:0:n] }
func (a *arena) int32s(n int) []int32   { return sliceOf[int32](a.take(4 * n))[:0:n] }

// counts returns a buffer of n counts, the same one each time (under mu).
func (z *lazyLists) counts(n int) []uint32 {
	if len(z.cnt) < n {
		b, rel := hugeAlloc(4 * max(n, 1<<16))
		z.mem.release = append(z.mem.release, rel)
		z.cnt = sliceOf[uint32](b)
	}
	return z.cnt[:n]
}

func (a *arena) close() {
	for _, r := range a.release {
		r()
	}
	a.release, a.left = nil, nil
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
	if len(voff) != V+1 || voff[0] != 0 {
		return nil, corrupt("vocabulary offsets")
	}
	for t := range V {
		if a, b := voff[t], voff[t+1]; a > b || uint64(b) > uint64(len(vb)) {
			return nil, corrupt("term %d at %d:%d", t, a, b)
		}
	}
	tt, ok := newTermTable(vb, voff)
	if !ok {
		return nil, corrupt("a term is listed twice")
	}
	x.tt = tt
	x.lists = make([]plist, V)
	x.lazy = &lazyLists{ready: make([]atomic.Bool, V), mem: &arena{}}
	runtime.AddCleanup(x, func(a *arena) { a.close() }, x.lazy.mem)
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
	// the postings are read (positioned reads, see OpenFile) into the arena: docs are kept there, the
	// counts only until weighed
	docs := z.mem.int32s(df)[:df]
	counts := z.counts(df)
	at := 0
	w := z.mem.floats(df)
	idf := x.idf[t]
	for _, s := range segs {
		d, c := s.postings(t)
		if len(d) == 0 {
			continue
		}
		if at+len(d) > df {
			panic(corruptPanic{fmt.Sprintf("search: the index file is corrupt: term %d has more than %d postings", t, df)})
		}
		dd, cc := docs[at:at+len(d)], counts[at:at+len(d)]
		if err := s.readPostings(d, c, dd, cc); err != nil {
			panic(corruptPanic{fmt.Sprintf("search: the index file cannot be read: %v", err)})
		}
		at += len(d)
		prev, hi := int32(s.info.Base)-1, int32(s.info.Base+s.info.N)
		for i, doc := range dd {
			if doc <= prev || doc >= hi || cc[i] == 0 || x.inv[doc] == 0 {
				panic(corruptPanic{fmt.Sprintf("search: the index file is corrupt: posting %d of term %d in %s", i, t, s.info.Name)})
			}
			prev = doc
			w = append(w, x.wt.Weight(int32(min(cc[i], 1<<31-1)), idf, x.inv[doc]))
		}
	}
	if len(w) != df {
		panic(corruptPanic{fmt.Sprintf("search: the index file is corrupt: term %d has %d postings, not %d", t, len(w), df)})
	}
	x.lists[t] = plist{docs: docs, w: w}
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
