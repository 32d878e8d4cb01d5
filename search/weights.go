package search

import (
	"math"
	"slices"
	"strings"
)

// Weights is the TF-IDF weighting of a collection of N documents, the one every path of depeche's
// similarity uses (the index, the cold path, the archive's norms and vectors). For a term t found in df_t
// documents, with count c in a document d:
//
//	tf(c)    = 1 + ln c                              (0 for c ≤ 0)
//	idf_t    = float32(ln((1+N)/(1+df_t)) + 1)       (smoothed: a term of every document weighs 1)
//	‖d‖      = √(Σ_t (tf(c_t) · idf_t)²)             (float64, over d's terms by ascending id)
//	w_{t,d}  = float32(tf(c_t) · idf_t · (1/‖d‖))    (the unit vector; an empty document has none)
//
// as vectorize.Vectorizer weighs (scikit-learn's sublinear_tf, smooth_idf, norm='l2'; vectorize takes its tf
// and idf from here, but rounds each tf·idf to float32 before the norm, the order its models were made with,
// where these weights round once after 1/‖d‖, the order of the archive's stored norms). A query is weighed
// the same way, by its own counts, and normalised (Query). The idf is rounded to float32 once, and every
// weight is made from that rounded value, so that two paths given the same counts get the same bits.
type Weights struct {
	N int // documents in the collection
}

// IDF returns idf for a term found in df of the N documents, rounded to float32.
func (w Weights) IDF(df int) float32 { return float32(math.Log(float64(1+w.N)/float64(1+df)) + 1) }

// IDFs returns the idf of each term from its document frequency, by term id.
func (w Weights) IDFs(df []int32) []float32 {
	idf := make([]float32, len(df))
	for t, d := range df {
		idf[t] = w.IDF(int(d))
	}
	return idf
}

// TF returns the sublinear term frequency 1 + ln c (0 for c ≤ 0).
func (Weights) TF(c int32) float64 {
	if c < int32(len(tfTable)) {
		if c <= 0 {
			return 0
		}
		return tfTable[c]
	}
	return 1 + math.Log(float64(c))
}

// tfTable[c] is 1 + ln c for the counts the forward index holds (tfTable[0] is unused).
var tfTable = func() (t [256]float64) {
	for c := 1; c < len(t); c++ {
		t[c] = 1 + math.Log(float64(c))
	}
	return
}()

// InvNorm returns 1/‖d‖ for a document's terms (ascending ids) and counts, idf by term id; 0 for a
// document with no term. The squares are summed in float64 in the order of d's terms, each rounded
// before it is added, so that the store (which keeps this value) and Build agree to the bit.
func (w Weights) InvNorm(d DocTerms, idf []float32) float64 {
	var norm float64
	for k, t := range d.Terms {
		v := w.TF(d.Counts[k]) * float64(idf[t])
		norm += float64(v * v)
	}
	if norm == 0 {
		return 0
	}
	return 1 / math.Sqrt(norm)
}

// Weight returns w_{t,d}: the weight of a term of idf idf and count c in a document of 1/‖d‖ inv.
func (w Weights) Weight(c int32, idf float32, inv float64) float32 {
	return float32(w.TF(c) * float64(idf) * inv)
}

// countWeight is Weight for a count below 255, from the table: what the forward index holds.
func countWeight(c uint32, idf float32, inv float64) float32 {
	return float32(tfTable[c] * float64(idf) * inv)
}

// queryTerm is a term of a query text before weighting: the term, its id, its count in the text and its
// idf in the collection.
type queryTerm struct {
	term  string
	id    int32
	count int32
	idf   float32
}

// query weighs the terms of a query text and returns them L2-normalised, sorted by term: the query of
// Index.Query and of NewStream alike. The squares are summed in float64 in term order.
func (w Weights) query(ts []queryTerm) []QueryTerm {
	q := make([]QueryTerm, len(ts))
	for i, t := range ts {
		q[i] = QueryTerm{Term: t.term, Weight: w.TF(t.count) * float64(t.idf), id: t.id + 1}
	}
	slices.SortFunc(q, func(a, b QueryTerm) int { return strings.Compare(a.Term, b.Term) })
	var norm float64
	for _, t := range q {
		norm += float64(t.Weight * t.Weight)
	}
	if norm > 0 {
		inv := 1 / math.Sqrt(norm)
		for i := range q {
			q[i].Weight *= inv
		}
	}
	return q
}
