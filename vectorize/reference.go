package vectorize

import (
	"math"
	"sort"

	"github.com/depeche/depeche/vec"
	"github.com/james-bowman/nlp"
	"github.com/james-bowman/sparse"
)

// ReferenceFitTransform computes what Vectorizer.FitTransform computes, through james-bowman/nlp: the
// Analyzer plugged into nlp.CountVectoriser as its Tokeniser, nlp.TfidfTransformer for the idf. It is the
// reference the fast path is tested against, and the baseline of BenchmarkFit.
//
// nlp's idf is ln((1+n)/(1+df)) with no +1 and without L2 normalisation (research memo §3.4), so the +1 is
// added here as tf'·(idf_nlp + 1) = nlp's product + tf', then each document is L2-normalised.
// It returns rows in document order over the sorted vocabulary, like FitTransform.
func ReferenceFitTransform(a *Analyzer, docs []string, minDF int, maxDF float64, sublinear bool) (*vec.Matrix, []string, error) {
	if len(docs) == 0 {
		return nil, nil, ErrNoDocuments
	}
	cv := nlp.NewCountVectoriser()
	cv.Tokeniser = a
	counts, err := cv.FitTransform(docs...)
	if err != nil {
		return nil, nil, err
	}
	csr := counts.(sparse.TypeConverter).ToCSR() // terms × documents
	nterms, ndocs := csr.Dims()
	byID := make([]string, nterms)
	for t, id := range cv.Vocabulary {
		byID[id] = t
	}
	if minDF < 1 {
		minDF = 1
	}
	maxCount := ndocs
	if maxDF > 0 && maxDF < 1 {
		maxCount = int(math.Floor(maxDF * float64(ndocs)))
	}
	var kept []int
	for i := 0; i < nterms; i++ {
		if df := csr.RowNNZ(i); df >= minDF && df <= maxCount {
			kept = append(kept, i)
		}
	}
	if len(kept) == 0 {
		return nil, nil, ErrEmptyVocabulary
	}
	sort.Slice(kept, func(i, j int) bool { return byID[kept[i]] < byID[kept[j]] })
	terms := make([]string, len(kept))
	tfm := sparse.NewDOK(len(kept), ndocs)
	for r, i := range kept {
		terms[r] = byID[i]
		csr.DoRowNonZero(i, func(_, j int, c float64) {
			if sublinear {
				c = 1 + math.Log(c)
			}
			tfm.Set(r, j, c)
		})
	}
	tfidf, err := nlp.NewTfidfTransformer().FitTransform(tfm)
	if err != nil {
		return nil, nil, err
	}
	// per document: term → tf'·idf_nlp + tf'
	rows := make([]map[int]float64, ndocs)
	for j := range rows {
		rows[j] = make(map[int]float64)
	}
	add := func(r, j int, x float64) { rows[j][r] += x }
	tfidf.(*sparse.CSR).DoNonZero(add)
	tfm.DoNonZero(add)
	out := vec.NewMatrix(len(terms))
	for _, m := range rows {
		var row vec.Vector
		ids := make([]int, 0, len(m))
		for r := range m {
			ids = append(ids, r)
		}
		sort.Ints(ids)
		for _, r := range ids {
			row.Ind = append(row.Ind, int32(r))
			row.Val = append(row.Val, float32(m[r]))
		}
		row.Normalize()
		out.AppendRow(row)
	}
	return out, terms, nil
}
