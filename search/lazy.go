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
	mem   *arena // the weighed postings (under mu)
	// evict is held for reading by every search (the weighed postings stay while it runs) and for
	// writing by evictIfOver, which drops them all when they hold more than limit bytes
	evict sync.RWMutex
	bytes int64 // under mu
	limit int64 // 0: no limit
	over  atomic.Bool
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
	runtime.AddCleanup(x, func(z *lazyLists) { z.mem.close() }, x.lazy)
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

// weigh makes term t's postings from the segments' counts (weighMany of t alone).
func (x *Index) weigh(t int32) { x.weighMany([]int32{t}, x.parts()) }

// weighBlock is the number of documents whose norms (8 bytes each) weighMany keeps in cache while it
// weighs every term's postings among them.
const weighBlock = 1 << 16

// weighMany makes the postings of the terms ids that are not weighed yet from the segments' counts,
// checking them (ascending documents of the segment, counts above 0, as many as the term's document
// frequency, documents with a norm): a damaged posting panics with a corruptPanic, every time, and
// nothing of it is kept. A search calls it first with every term it will read: the terms are weighed
// together, block of documents by block, each range of documents by its own goroutine, so that the norms
// 1/‖d‖ (read at random by each term's postings, most of a cold query's time when taken term by term) are
// read from cache.
func (x *Index) weighMany(ids []int32, parts int) {
	z := x.lazy
	if !slices.ContainsFunc(ids, func(t int32) bool { return !z.ready[t].Load() }) {
		return // the warm case: no lock
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	type term struct {
		t      int32
		docs   []int32
		counts []uint32
		w      []float32
	}
	var todo []term
	total := 0
	for _, t := range ids {
		if !z.ready[t].Load() && !slices.ContainsFunc(todo, func(p term) bool { return p.t == t }) {
			todo = append(todo, term{t: t})
			total += int(x.df[t])
		}
	}
	if len(todo) == 0 {
		return
	}
	// the postings are read (positioned reads, see the package doc) into the arena
	for k := range todo {
		p := &todo[k]
		df := int(x.df[p.t])
		// the counts are read into the weights' memory, each overwritten by its weight (same size, same
		// place): no buffer of their own to touch
		p.docs, p.w = z.mem.int32s(df)[:df], z.mem.floats(df)[:df]
		p.counts = sliceOf[uint32](bytesOf(p.w))
		at := 0
		for _, s := range x.segs {
			d, c := s.postings(p.t)
			if len(d) == 0 {
				continue
			}
			if at+len(d) > df {
				panic(corruptPanic{fmt.Sprintf("search: the index file is corrupt: term %d has more than %d postings", p.t, df)})
			}
			dd, cc := p.docs[at:at+len(d)], p.counts[at:at+len(d)]
			if err := s.readPostings(d, c, dd, cc); err != nil {
				panic(corruptPanic{fmt.Sprintf("search: the index file cannot be read: %v", err)})
			}
			at += len(d)
			prev, hi := int32(s.info.Base)-1, int32(s.info.Base+s.info.N)
			for i, doc := range dd {
				if doc <= prev || doc >= hi || cc[i] == 0 {
					panic(corruptPanic{fmt.Sprintf("search: the index file is corrupt: posting %d of term %d in %s", i, p.t, s.info.Name)})
				}
				prev = doc
			}
		}
		if at != df {
			panic(corruptPanic{fmt.Sprintf("search: the index file is corrupt: term %d has %d postings, not %d", p.t, at, df)})
		}
	}
	parts = max(parts, 1)
	weighRange := func(lo, hi int32) {
		inv := x.inv
		cur := make([]int, len(todo))
		for k, p := range todo {
			cur[k], _ = slices.BinarySearch(p.docs, lo)
		}
		for b := lo; b < hi; b += min(weighBlock, hi-b) {
			e := min(b+weighBlock, hi)
			for k := range todo {
				p := &todo[k]
				idf := float64(x.idf[p.t])
				i := cur[k]
				for ; i < len(p.docs) && p.docs[i] < e; i++ {
					v := inv[p.docs[i]]
					if v == 0 {
						panic(corruptPanic{fmt.Sprintf("search: the index file is corrupt: term %d in document %d, which has no term", p.t, p.docs[i])})
					}
					// Weights.Weight, to the bit
					p.w[i] = float32(x.wt.TF(int32(min(p.counts[i], 1<<31-1))) * idf * v)
				}
				cur[k] = i
			}
		}
	}
	if parts == 1 || total < weighBlock {
		weighRange(0, int32(x.n))
	} else {
		var wg sync.WaitGroup
		var fault faultBox
		for q := range parts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer fault.catch()
				weighRange(int32(q*x.n/parts), int32((q+1)*x.n/parts))
			}()
		}
		wg.Wait()
		fault.rethrow()
	}
	z.bytes += 8 * int64(total)
	if z.limit > 0 && z.bytes > z.limit {
		z.over.Store(true)
	}
	for _, p := range todo {
		x.lists[p.t] = plist{docs: p.docs, w: p.w}
		if x.cutParts > 1 {
			c := x.cuts[int(p.t)*(x.cutParts+1) : (int(p.t)+1)*(x.cutParts+1)]
			for q := range x.cutParts {
				i, _ := slices.BinarySearch(p.docs, int32(q*x.n/x.cutParts))
				c[q] = int32(i)
			}
			c[x.cutParts] = int32(len(p.docs))
		}
		z.ready[p.t].Store(true)
	}
}

// SetCacheLimit bounds the memory an index file's weighed postings hold (8 bytes a posting; 0, the
// default: no bound). Past it they are all dropped, once no search runs (each holds a read lock on
// them), to be weighed again as searches need them: a server's resident memory stays bounded whatever
// the archive's size (a million dispatches' rarer terms alone are 70M postings, 562 MB), at the price of
// cold searches after each drop. A batch of searches over the whole archive (an import's near-duplicates)
// is better without. It has no effect on an index made by Build, whose postings are all kept.
func (x *Index) SetCacheLimit(bytes int64) {
	if z := x.lazy; z != nil {
		z.mu.Lock()
		z.limit = max(bytes, 0)
		z.over.Store(z.limit > 0 && z.bytes > z.limit)
		z.mu.Unlock()
	}
}

// evictIfOver drops every weighed posting when they hold more than the limit, once no search is running
// (each holds evict for reading): nothing a search reads is freed under it.
func (x *Index) evictIfOver() {
	z := x.lazy
	if z == nil || !z.over.Load() {
		return
	}
	z.evict.Lock()
	defer z.evict.Unlock()
	if !z.over.Load() {
		return // another search dropped them first
	}
	x.dropLocked()
}

// dropLocked drops every weighed posting and unmaps their memory; z.evict is held for writing.
func (x *Index) dropLocked() {
	z := x.lazy
	z.mu.Lock()
	defer z.mu.Unlock()
	for t := range z.ready {
		z.ready[t].Store(false)
		x.lists[t] = plist{}
	}
	z.mem.close()
	z.bytes = 0
	z.over.Store(false)
}

// Release drops the postings an index file's searches have weighed and gives their memory back to the
// system at once, after the searches running end; a later search weighs what it needs again. A server
// calls it on the index it has just replaced: the weighed postings live outside the Go heap, so the
// collector, which sees none of their weight, could keep an old index's (hundreds of MB) for long after
// the swap.
func (x *Index) Release() {
	z := x.lazy
	if z == nil {
		return
	}
	z.evict.Lock()
	defer z.evict.Unlock()
	x.dropLocked()
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

// WarmFrom weighs the postings that old had weighed (old: an index of an older state of the same
// collection, the one a server is about to replace by x after an add), on the calling goroutine, a few
// terms at a time and within x's cache limit, and returns how many terms it weighed. Every weight of a
// new state differs from the old one's (the idf and every 1/‖d‖ follow the number of documents), so
// without it the first searches after each swap would all be cold at once: at 100k dispatches under
// load, half a second of answers five to twenty times slower. Called before the swap, the work is the
// same but is done once, on one core, while searches go on over old.
func (x *Index) WarmFrom(old *Index) int {
	z, oz := x.lazy, old.lazy
	if z == nil || oz == nil || x == old {
		return 0
	}
	var ids []int32
	for t := range oz.ready {
		if !oz.ready[t].Load() {
			continue
		}
		if id, ok := x.lookup(old.term(int32(t))); ok && x.df[id] > 0 && !z.ready[id].Load() {
			ids = append(ids, id)
		}
	}
	z.mu.Lock()
	used, limit := z.bytes, z.limit
	z.mu.Unlock()
	if limit > 0 {
		// within the bound: past it the next search would drop them all
		keep := ids[:0]
		for _, id := range ids {
			if c := 8 * int64(x.df[id]); used+c <= limit {
				used += c
				keep = append(keep, id)
			}
		}
		ids = keep
	}
	z.evict.RLock()
	defer z.evict.RUnlock()
	n := 0
	for len(ids) > 0 && !z.over.Load() {
		// a batch at a time: a search that needs a term meanwhile waits for one batch, not for all
		b := ids[:min(warmBatch, len(ids))]
		ids = ids[len(b):]
		x.weighMany(b, 1)
		n += len(b)
	}
	return n
}

// warmBatch is how many terms WarmFrom weighs under one hold of the postings' lock.
const warmBatch = 64

// Weighed returns how many terms of an index file have their postings weighed and the bytes these hold
// (0, 0 for an index made by Build, whose postings are all in memory).
func (x *Index) Weighed() (terms int, bytes int64) {
	z := x.lazy
	if z == nil {
		return 0, 0
	}
	for i := range z.ready {
		if z.ready[i].Load() {
			terms++
		}
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	return terms, z.bytes
}
