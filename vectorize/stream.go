package vectorize

import (
	"math"
	"slices"
	"sort"
	"sync"

	"github.com/depeche/depeche/vec"
)

// Texts is a source of documents that can be read more than once: each call runs through all of them in
// the same order, calling yield with each text, and returns the first error met.
type Texts func(yield func(text string)) error

// FitStream is Fit over a source read once, holding no text: each worker keeps only the document
// frequencies of the terms it met. With TransformStream it trains on more documents than memory holds
// (a million dispatches are 1.6 GB of text). The vocabulary is the one Fit learns from the same texts.
func (v *Vectorizer) FitStream(texts Texts) (int, error) {
	w := v.workers()
	ch := make(chan string, 256)
	locals := make([]map[string]int32, w)
	var wg sync.WaitGroup
	for k := range w {
		locals[k] = make(map[string]int32)
		wg.Add(1)
		go func() {
			defer wg.Done()
			df := locals[k]
			var buf []string
			for text := range ch {
				buf = v.Analyzer.AppendTerms(buf[:0], text)
				slices.Sort(buf)
				for i, t := range buf {
					if i == 0 || t != buf[i-1] {
						df[t]++
					}
				}
			}
		}()
	}
	n := 0
	err := texts(func(text string) { ch <- text; n++ })
	close(ch)
	wg.Wait()
	if err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, ErrNoDocuments
	}
	global := locals[0]
	for _, l := range locals[1:] {
		for t, d := range l {
			global[t] += d
		}
	}
	minDF, maxDF := v.dfBounds(n)
	terms := make([]string, 0, len(global))
	for t, d := range global {
		if int(d) >= minDF && int(d) <= maxDF {
			terms = append(terms, t)
		}
	}
	if len(terms) == 0 {
		return 0, ErrEmptyVocabulary
	}
	sort.Strings(terms)
	df := make([]int32, len(terms))
	for i, t := range terms {
		df[i] = global[t]
	}
	v.setVocabulary(terms, df, n)
	return n, nil
}

// transformBatch is the number of texts TransformStream holds at once.
const transformBatch = 4096

// TransformStream returns the TF-IDF rows of the source's documents, in order, holding at most a batch of
// texts at a time; n, when known, is their number.
func (v *Vectorizer) TransformStream(texts Texts, n int) (*vec.Matrix, error) {
	m := &vec.Matrix{Ptr: make([]int64, 1, n+1), Cols: v.vocab.Len()}
	if n == v.n {
		// the texts the vocabulary was fitted on: Σ df is the number of entries, so the matrix is
		// allocated once at its size instead of growing by doubling (a million documents hold over a GB)
		var nnz int64
		for _, d := range v.df {
			nnz += int64(d)
		}
		m.Ind, m.Val = make([]int32, 0, nnz), make([]float32, 0, nnz)
	}
	batch := make([]string, 0, transformBatch)
	rows := make([]vec.Vector, transformBatch)
	flush := func() {
		v.transformInto(rows[:len(batch)], batch)
		for i := range batch {
			m.AppendRow(rows[i])
			rows[i] = vec.Vector{}
		}
		batch = batch[:0]
	}
	err := texts(func(text string) {
		batch = append(batch, text)
		if len(batch) == transformBatch {
			flush()
		}
	})
	if err != nil {
		return nil, err
	}
	flush()
	return m, nil
}

// dfBounds returns the document frequencies a kept term must lie within, for n training documents:
// at least MinDF (1 when unset) and at most ⌊MaxDF·n⌋ (n when MaxDF is unset or 1). Fit and FitStream
// prune by it alike.
func (v *Vectorizer) dfBounds(n int) (minDF, maxDF int) {
	minDF, maxDF = max(v.MinDF, 1), n
	if v.MaxDF > 0 && v.MaxDF < 1 {
		maxDF = int(math.Floor(v.MaxDF * float64(n)))
	}
	return minDF, maxDF
}
