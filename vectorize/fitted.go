package vectorize

import (
	"fmt"
	"sync"

	"github.com/depeche/depeche/search"
)

// The state of a fitted Vectorizer: its vocabulary, document frequencies and idf table, as Fit learns
// them or a model file gives them back.

// NewFitted rebuilds a fitted Vectorizer from its state (as a model file stores it): the sorted
// vocabulary, the document frequency of each term and the number of training documents.
func NewFitted(a *Analyzer, terms []string, df []int32, n int, sublinear bool) (*Vectorizer, error) {
	voc, err := NewVocabulary(terms)
	if err != nil {
		return nil, err
	}
	v, err := NewFittedVocabulary(a, voc, df, n, sublinear)
	if err == nil {
		v.terms = terms
		v.termsOnce.Do(func() {})
	}
	return v, err
}

// NewFittedVocabulary is NewFitted over a packed vocabulary, which it keeps (as df) and reads in place.
// Every document frequency must be in [0, n].
func NewFittedVocabulary(a *Analyzer, voc *Vocabulary, df []int32, n int, sublinear bool) (*Vectorizer, error) {
	if voc.Len() != len(df) {
		return nil, fmt.Errorf("vectorize: %d terms but %d document frequencies", voc.Len(), len(df))
	}
	for _, d := range df {
		if d < 0 || int(d) > n {
			return nil, fmt.Errorf("vectorize: document frequency %d for %d documents", d, n)
		}
	}
	v := &Vectorizer{Analyzer: a, MinDF: 1, MaxDF: 1, Sublinear: sublinear}
	v.vocab, v.df, v.n = voc, df, n
	v.setIDF()
	return v, nil
}

// setVocabulary sets the state Fit learned: the sorted, distinct terms and their document frequencies.
func (v *Vectorizer) setVocabulary(terms []string, df []int32, n int) {
	voc, err := NewVocabulary(terms)
	if err != nil {
		panic(err) // Fit's terms come from a map, sorted
	}
	v.vocab, v.df, v.n = voc, df, n
	v.terms = terms
	v.termsOnce = sync.Once{}
	v.termsOnce.Do(func() {})
	v.setIDF()
}

// setIDF fills the idf of every document frequency up to the largest one.
func (v *Vectorizer) setIDF() {
	hi := int32(0)
	for _, d := range v.df {
		hi = max(hi, d)
	}
	v.idf = make([]float32, hi+1)
	for d := range v.idf {
		v.idf[d] = IDF(v.n, d)
	}
}

// IDF is the smoothed inverse document frequency ln((1+n)/(1+df)) + 1, rounded to float32: search's
// (search.Weights.IDF), the one formula of depeche's idf, so that a model's features and the archive's
// similarity weigh a term alike. The Vectorizer always stored the float32 rounding of this value, so
// taking search's rounded value changes no bit of a model.
func IDF(n, df int) float32 { return search.Weights{N: n}.IDF(df) }

// Terms returns the vocabulary, sorted; the index of a term is its feature id. Do not modify it. For a
// vectorizer read from a model file, the first call makes the strings (Term and Vocabulary do not).
func (v *Vectorizer) Terms() []string {
	v.termsOnce.Do(func() { v.terms = v.vocab.terms() })
	return v.terms
}

// Vocabulary returns the packed vocabulary.
func (v *Vectorizer) Vocabulary() *Vocabulary { return v.vocab }

// Term returns the term of feature id.
func (v *Vectorizer) Term(id int32) string { return v.vocab.Term(id) }

// Len returns the number of features (terms).
func (v *Vectorizer) Len() int { return v.vocab.Len() }

// DF returns the document frequency of each term, in the order of Terms. Do not modify it.
func (v *Vectorizer) DF() []int32 { return v.df }

// Docs returns the number of documents the vocabulary was learned from.
func (v *Vectorizer) Docs() int { return v.n }

// Lookup returns the feature id of a term.
func (v *Vectorizer) Lookup(term string) (int32, bool) { return v.vocab.Lookup(term) }
