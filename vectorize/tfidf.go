package vectorize

import (
	"errors"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/depeche/depeche/search"
	"github.com/depeche/depeche/vec"
)

// ErrNoDocuments is returned by Fit when there is nothing to learn a vocabulary from.
var ErrNoDocuments = errors.New("vectorize: no documents")

// ErrEmptyVocabulary is returned by Fit when no term passes the document-frequency limits.
var ErrEmptyVocabulary = errors.New("vectorize: no term passes the document-frequency limits")

// Vectorizer turns texts into L2-normalised TF-IDF vectors over a vocabulary learned by Fit.
//
// For a term t of document d, with tf(t,d) its count in d, n the number of training documents and df(t)
// the number of them that contain t:
//
//	w(t,d) = tf'(t,d) · idf(t),  tf' = 1 + ln tf (Sublinear) or tf,  idf(t) = ln((1+n)/(1+df(t))) + 1
//
// then each document vector is scaled to unit L2 norm. This is scikit-learn's TfidfVectorizer with
// smooth_idf=True and norm='l2' (the +1 keeps a term found in every document from weighing 0, which
// james-bowman/nlp's TfidfTransformer does not do). Terms that Fit did not keep are ignored by Transform;
// a text with no known term gives the zero vector.
//
// The vocabulary is sorted, so term ids, and the files that store them, are the same for the same input.
// A fitted Vectorizer is safe for concurrent Transform calls.
type Vectorizer struct {
	Analyzer *Analyzer
	// MinDF drops terms found in fewer than MinDF training documents (default 2; 1 keeps all).
	MinDF int
	// MaxDF drops terms found in more than MaxDF × n training documents (default 1.0: none dropped).
	MaxDF float64
	// Sublinear uses 1 + ln(tf) instead of tf (default true).
	Sublinear bool
	// Workers is the number of goroutines Fit and Transform use (default GOMAXPROCS).
	Workers int

	vocab *Vocabulary
	df    []int32
	// idf is the idf of each document frequency (idf[df(t)]): a table of at most n+1 values, computed at
	// once, where one per term would take a logarithm and 4 bytes for each of tens of thousands of terms
	// before a model read from a file could score its first article.
	idf []float32
	n   int
	// terms is the vocabulary as strings, made on the first call of Terms for a vocabulary read from a file.
	termsOnce sync.Once
	terms     []string
	// grams caches the known character n-gram ids of each word TransformTokens met (features.go).
	gramsOnce sync.Once
	grams     *gramCache
}

// NewVectorizer returns an unfitted Vectorizer with the defaults: MinDF 2, MaxDF 1.0, Sublinear.
func NewVectorizer(a *Analyzer) *Vectorizer {
	return &Vectorizer{Analyzer: a, MinDF: 2, MaxDF: 1.0, Sublinear: true}
}

func (v *Vectorizer) workers() int {
	if v.Workers > 0 {
		return v.Workers
	}
	return runtime.GOMAXPROCS(0)
}

// chunkResult is what one worker learns from its share of the documents.
type chunkResult struct {
	vocab map[string]int32 // term → local id
	terms []string         // local id → term
	df    []int32          // local id → document frequency within the chunk
	// the documents' (local id, count) pairs, sorted by id, one after the other in two arenas (one
	// allocation per chunk rather than two per document): document i is [ptr[i], ptr[i+1])
	ptr    []int
	ids    []int32
	counts []int32
}

// Fit learns the vocabulary and the document frequencies from docs. Calling Fit again starts from scratch.
//
// Each document is analysed once, in parallel: this replaces nlp.CountVectoriser, which tokenises every
// document twice into a map-backed matrix (benchmark BenchmarkFit compares the two; ReferenceFitTransform is
// the nlp path, and a test checks that both give the same vectors).
func (v *Vectorizer) Fit(docs []string) error {
	_, err := v.fit(docs, false)
	return err
}

// FitTransform is Fit followed by Transform of the same documents, analysing each document once.
func (v *Vectorizer) FitTransform(docs []string) (*vec.Matrix, error) {
	return v.fit(docs, true)
}

func (v *Vectorizer) fit(docs []string, transform bool) (*vec.Matrix, error) {
	if len(docs) == 0 {
		return nil, ErrNoDocuments
	}
	chunks := v.analyzeChunks(docs)
	// merge the chunk vocabularies into the first one's, which serves as the global vocabulary as it is
	c0 := chunks[0]
	global := c0.vocab
	gterms := c0.terms
	gdf := c0.df
	for _, c := range chunks[1:] {
		for lid, t := range c.terms {
			g, ok := global[t]
			if !ok {
				g = int32(len(gterms))
				global[t] = g
				gterms = append(gterms, t)
				gdf = append(gdf, 0)
			}
			gdf[g] += c.df[lid]
		}
	}
	n := len(docs)
	minDF, maxDF := v.dfBounds(n)
	keep := make([]int32, 0, len(gterms))
	for g, d := range gdf {
		if int(d) >= minDF && int(d) <= maxDF {
			keep = append(keep, int32(g))
		}
	}
	if len(keep) == 0 {
		return nil, ErrEmptyVocabulary
	}
	sort.Slice(keep, func(i, j int) bool { return gterms[keep[i]] < gterms[keep[j]] })
	terms := make([]string, len(keep))
	df := make([]int32, len(keep))
	final := make([]int32, len(gterms)) // global id → final id, -1 when pruned
	for i := range final {
		final[i] = -1
	}
	for f, g := range keep {
		terms[f] = gterms[g]
		df[f] = gdf[g]
		final[g] = int32(f)
	}
	v.setVocabulary(terms, df, n)
	if !transform {
		return nil, nil
	}
	// rows from the chunks' counts: local id → global id → final id
	// the matrix is allocated once at its final size (at a million documents, growing it by appends would
	// hold two copies), and each chunk's counts are released as soon as its rows are built
	var nnz int
	for _, c := range chunks {
		nnz += len(c.ids)
	}
	m := &vec.Matrix{Ptr: make([]int64, 1, len(docs)+1), Ind: make([]int32, 0, nnz), Val: make([]float32, 0, nnz), Cols: len(terms)}
	var ind []int32
	var cnt []int32
	var row vec.Vector
	for ci, c := range chunks {
		toFinal := final[:len(c.terms)] // chunk 0's local ids are the global ids
		if ci > 0 {
			toFinal = make([]int32, len(c.terms))
			for lid, t := range c.terms {
				toFinal[lid] = final[global[t]]
			}
		}
		for d := 0; d+1 < len(c.ptr); d++ {
			ind, cnt = ind[:0], cnt[:0]
			for k := c.ptr[d]; k < c.ptr[d+1]; k++ {
				if f := toFinal[c.ids[k]]; f >= 0 {
					ind = append(ind, f)
					cnt = append(cnt, c.counts[k])
				}
			}
			sortPairs(ind, cnt)
			row = v.weighInto(row, ind, cnt)
			m.AppendRow(row)
		}
		chunks[ci] = nil
	}
	return m, nil
}

// analyzeChunks analyses docs on the workers, each over a contiguous share, in document order.
func (v *Vectorizer) analyzeChunks(docs []string) []*chunkResult {
	w := v.workers()
	if w > len(docs) {
		w = len(docs)
	}
	// one chunk per worker: every chunk has its own vocabulary, and merging them is costly (bigrams)
	nchunks := w
	if nchunks > len(docs) {
		nchunks = len(docs)
	}
	chunks := make([]*chunkResult, nchunks)
	next := make(chan int, nchunks)
	for i := range nchunks {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []string
			var ids []int32
			// bigrams are counted here by pairs of ids, without building a string for each occurrence
			bigrams := v.Analyzer.opts.Bigrams
			for ci := range next {
				lo, hi := ci*len(docs)/nchunks, (ci+1)*len(docs)/nchunks
				c := &chunkResult{vocab: make(map[string]int32), ptr: make([]int, 1, hi-lo+1)}
				pairs := make(map[uint64]int32)
				for _, text := range docs[lo:hi] {
					ids = ids[:0]
					if v.Analyzer.opts.CharNgrams {
						// n-grams need each word's surface: the general path, bigrams as strings
						for _, t := range v.Analyzer.AppendTerms(buf[:0], text) {
							ids = append(ids, c.id(t))
						}
					} else {
						buf = v.Analyzer.appendUnigrams(buf[:0], text)
						for _, t := range buf {
							ids = append(ids, c.id(t))
						}
					}
					if bigrams && !v.Analyzer.opts.CharNgrams {
						n := len(ids)
						for k := 0; k+1 < n; k++ {
							key := uint64(uint32(ids[k]))<<32 | uint64(uint32(ids[k+1]))
							id, ok := pairs[key]
							if !ok {
								id = c.id(c.terms[ids[k]] + " " + c.terms[ids[k+1]])
								pairs[key] = id
							}
							ids = append(ids, id)
						}
					}
					n0 := len(c.ids)
					c.ids, c.counts = vec.AppendCounts(c.ids, c.counts, ids)
					for _, id := range c.ids[n0:] {
						c.df[id]++
					}
					c.ptr = append(c.ptr, len(c.ids))
				}
				chunks[ci] = c
			}
		}()
	}
	wg.Wait()
	return chunks
}

// id returns the local id of term, adding it to the chunk's vocabulary when new.
func (c *chunkResult) id(term string) int32 {
	id, ok := c.vocab[term]
	if !ok {
		id = int32(len(c.terms))
		c.vocab[term] = id
		c.terms = append(c.terms, term)
		c.df = append(c.df, 0)
	}
	return id
}

// weigh turns sorted (feature id, count) pairs into a unit-length TF-IDF vector (fresh slices).
func (v *Vectorizer) weigh(ind, cnt []int32) vec.Vector { return v.weighInto(vec.Vector{}, ind, cnt) }

// weighInto is weigh reusing out's storage.
func (v *Vectorizer) weighInto(out vec.Vector, ind, cnt []int32) vec.Vector {
	out.Ind = append(out.Ind[:0], ind...)
	out.Val = out.Val[:0]
	for k, id := range ind {
		out.Val = append(out.Val, float32(v.tf(cnt[k])*float64(v.idf[v.df[id]])))
	}
	out.Normalize()
	return out
}

// tf is search's sublinear tf (1 + ln c, from its table for small counts: the same float64) or the raw
// count. The weights themselves differ from search's on purpose: here each product tf·idf is rounded to
// float32 and the vector is then scaled by float32(1/‖v‖) (vec.Normalize), the order every trained model
// and pinned figure was made with; search multiplies tf·idf·(1/‖d‖) in float64 and rounds once, the
// order the archive's stored norms are made with (search.Weights). Making one the other would change
// the last bits of model weights or of similarity scores.
func (v *Vectorizer) tf(c int32) float64 {
	if v.Sublinear {
		return search.Weights{}.TF(c)
	}
	return float64(c)
}

// TransformOne returns the TF-IDF vector of one text. It panics if the Vectorizer is not fitted.
func (v *Vectorizer) TransformOne(text string) vec.Vector {
	return v.transform(v.Analyzer.AppendTerms(nil, text))
}

// TransformTerms returns the TF-IDF vector of an already analysed text (the features AppendTerms gives).
func (v *Vectorizer) TransformTerms(terms []string) vec.Vector { return v.transform(terms) }

func (v *Vectorizer) transform(terms []string) vec.Vector {
	if v.vocab == nil {
		panic("vectorize: Transform called before Fit")
	}
	ids := make([]int32, 0, len(terms))
	for _, t := range terms {
		if id, ok := v.vocab.Lookup(t); ok {
			ids = append(ids, id)
		}
	}
	tids, counts := vec.AppendCounts(nil, nil, ids)
	return v.weigh(tids, counts)
}

// Transform returns the TF-IDF vectors of docs, one row per document, in order, analysed in parallel.
func (v *Vectorizer) Transform(docs []string) *vec.Matrix {
	rows := make([]vec.Vector, len(docs))
	v.transformInto(rows, docs)
	m := vec.NewMatrix(v.vocab.Len())
	for _, r := range rows {
		m.AppendRow(r)
	}
	return m
}

// transformInto sets rows[i] to the vector of docs[i], the documents shared out between the workers.
func (v *Vectorizer) transformInto(rows []vec.Vector, docs []string) {
	w := max(v.workers(), 1)
	var wg sync.WaitGroup
	for k := range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []string
			for i := k; i < len(docs); i += w {
				buf = v.Analyzer.AppendTerms(buf[:0], docs[i])
				rows[i] = v.transform(buf)
			}
		}()
	}
	wg.Wait()
}

// sortPairs sorts ind ascending, moving cnt along: local ids follow first occurrence while final ids follow
// the alphabet, so the order is arbitrary.
func sortPairs(ind, cnt []int32) {
	if slices.IsSorted(ind) {
		return
	}
	type pair struct{ id, c int32 }
	ps := make([]pair, len(ind))
	for k := range ind {
		ps[k] = pair{ind[k], cnt[k]}
	}
	slices.SortFunc(ps, func(a, b pair) int { return int(a.id - b.id) })
	for k, p := range ps {
		ind[k], cnt[k] = p.id, p.c
	}
}
