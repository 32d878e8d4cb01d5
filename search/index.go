package search

import (
	"math"
	"math/bits"
	"slices"
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
	terms map[string]int32 // Build's; an index file's are in tt
	vocab []string
	tt    *termTable
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
	// df[t] is the number of documents of term t, nnz the number of postings
	df  []int32
	nnz int64
	// segs are the mapped segments of an index file (nil for Build's), whose postings lazy weighs
	segs []*segment
	lazy *lazyLists
	pool sync.Pool
	// free holds the huge-page scratches of a large index (getScratch)
	free     chan *scratch
	freeOnce sync.Once
	// searching counts the searches running on the index (searchParts)
	searching atomic.Int32
	// stats, when set (by tests), counts which paths searches took
	stats *pathStats
	wt    Weights // last: the fields above keep the offsets the hot loops were measured with
}

// pathStats counts, over searches, the ranges searched with bounds, those that read more bands after
// the first bound pass, the candidates scored exactly, and how searches were split.
type pathStats struct {
	bounded, refined, scored atomic.Int64
	// searches split over several ranges, and those run as one because others ran (searchParts)
	split, whole atomic.Int64
}

// DocTerms is one document as sorted term ids and the count of each, the form the archive stores.
type DocTerms struct {
	Terms  []int32
	Counts []int32
}

// Build makes an index of n documents over a vocabulary (term id → term) from each document's term counts.
// doc(i) returns document i's terms; term ids must be < len(vocab). Document frequencies come from the
// documents themselves; the weights are Weights{N: n}'s. Build calls doc twice for each document, in
// order, and keeps nothing of what it returns past the next call, so doc may decode into the same slices
// each time.
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
	wt := Weights{N: n}
	x := &Index{n: n, wt: wt, df: df, nnz: nnz, terms: make(map[string]int32, len(vocab)), vocab: slices.Clone(vocab), idf: wt.IDFs(df),
		lists: make([]plist, len(vocab)), band: make([]uint8, len(vocab))}
	for t, s := range vocab {
		x.terms[s] = int32(t)
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
	for i := range n {
		d := doc(i)
		x.fwdOff[i] = int64(len(x.fwd))
		inv := wt.InvNorm(d, x.idf)
		if inv == 0 {
			continue
		}
		x.inv[i] = inv
		var bn [bands + 1]float64
		for k, t := range d.Terms {
			l := &x.lists[t]
			v := wt.Weight(d.Counts[k], x.idf[t], inv)
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
	return int(x.nnz)
}

// rangeOf returns term t's postings of documents in [lo, hi), the p-th range: from the cuts made at Build
// when the ranges are those, else by binary search.
func (x *Index) rangeOf(t int32, p int, lo, hi int32) ([]int32, []float32) {
	l := x.list(t)
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

// weightOf returns w_{t,d} exactly as Build computed it, from the count kept in the forward index; a count
// that did not fit (255 means 255 or more) is read from the postings.
func (x *Index) weightOf(d int32, t int32, c uint32, inv float64) float32 {
	if c == 0xff {
		l := x.list(t)
		if p, found := slices.BinarySearch(l.docs, d); found {
			return l.w[p]
		}
		return 0
	}
	return countWeight(c, x.idf[t], inv)
}
