package search

import (
	"fmt"
	"slices"
)

// Stream is the engine over postings read from a store term by term: the cold path of one query, with no
// index in memory (the archive's Similar). It weighs the query as Index.Query does, takes each term's
// postings in the canonical order (Order), adds every product to its document's score as Index's full
// scan does, and keeps the k best as Index.Search does, so that it returns the same documents with the
// same scores, to the last bit, and the same shared terms.
//
// A Stream is used by one goroutine; it holds 4 bytes a document of the collection.
type Stream struct {
	wt    Weights
	q     []QueryTerm  // sorted by term, as Index.Query returns it
	order []int32      // the known terms' ids in the canonical order
	canon []streamTerm // the same, weighed
	sq    []sharedTerm // by ascending id, for Shared
	acc   []float32
	w     []float32
	at    int // the term Add was last given
}

type streamTerm struct {
	q, idf float32
}

// TermStats is what a store knows of a term: its id there and the number of documents that contain it.
type TermStats struct {
	ID int32
	DF int
}

// NewStream weighs a query, the terms of a text as the analyzer gives them (repeated as they occur),
// against a collection of n documents. lookup gives the id and document frequency of a term, with false
// for a term the collection does not know (left out, as Index.Query leaves it out); it is called once for
// each distinct term, and its error is returned.
func NewStream(n int, terms []string, lookup func(term string) (TermStats, bool, error)) (*Stream, error) {
	s := &Stream{wt: Weights{N: n}, at: -1}
	counts := map[string]int32{}
	var distinct []string
	for _, t := range terms {
		if counts[t] == 0 {
			distinct = append(distinct, t)
		}
		counts[t]++
	}
	var ts []queryTerm
	for _, t := range distinct {
		st, ok, err := lookup(t)
		if err != nil {
			return nil, err
		}
		if ok && st.DF > 0 {
			ts = append(ts, queryTerm{term: t, id: st.ID, count: counts[t], idf: s.wt.IDF(st.DF)})
		}
	}
	s.q = s.wt.query(ts)
	idf := make(map[int32]float32, len(ts))
	for _, t := range ts {
		idf[t.id] = t.idf
	}
	type ct struct {
		id int32
		t  streamTerm
	}
	cs := make([]ct, 0, len(s.q))
	for _, t := range s.q {
		if t.Weight > 0 {
			cs = append(cs, ct{t.id - 1, streamTerm{float32(t.Weight), idf[t.id-1]}})
		}
		s.sq = append(s.sq, sharedTerm{id: t.id - 1, term: t.Term, q: t.Weight, idf: idf[t.id-1]})
	}
	slices.SortFunc(cs, func(a, b ct) int { return canonCmp(a.t.q, a.id, b.t.q, b.id) })
	for _, c := range cs {
		s.order = append(s.order, c.id)
		s.canon = append(s.canon, c.t)
	}
	slices.SortFunc(s.sq, func(a, b sharedTerm) int { return int(a.id - b.id) })
	if len(s.order) > 0 {
		s.acc = make([]float32, n)
	}
	return s, nil
}

// Query returns the weighed query, sorted by term: what Index.Query returns for the same text and
// statistics.
func (s *Stream) Query() []QueryTerm { return s.q }

// Order returns the ids of the query's terms in the order Add must be given their postings: the canonical
// order (descending query weight, then ascending id). It is empty when no term is known.
func (s *Stream) Order() []int32 { return s.order }

// Add adds postings of the i-th term of Order: documents, their counts of the term, and inv, 1/‖d‖ of
// every document of the collection by number (Weights.InvNorm, as the store keeps it). A term's postings
// may come in several calls (chunks, each document once); the terms must come in Order, each after the
// one before (Add panics otherwise: the scores would not be the canonical sums). A document outside the
// collection is an error.
func (s *Stream) Add(i int, docs, counts []int32, inv []float64) error {
	if i < s.at || i >= len(s.order) {
		panic(fmt.Sprintf("search: Stream.Add of term %d after term %d (of %d): the terms must come in Order", i, s.at, len(s.order)))
	}
	s.at = i
	t := s.canon[i]
	s.w = s.w[:0]
	for p, d := range docs {
		if d < 0 || int(d) >= len(s.acc) || int(d) >= len(inv) {
			return fmt.Errorf("search: a posting of document %d in a collection of %d", d, len(s.acc))
		}
		s.w = append(s.w, s.wt.Weight(counts[p], t.idf, inv[d]))
	}
	addProducts(s.acc, t.q, docs, s.w)
	return nil
}

// Top returns the k best documents that allow lets through, best first, ties by ascending document
// number, with their scores: Index.Search's hits, without Shared (Shared gives them from the hits' terms).
// It ends the stream: the scores are cleared.
func (s *Stream) Top(k int, allow Allow) []Hit {
	if k <= 0 || len(s.acc) == 0 {
		return nil
	}
	top, _ := topRead(s.acc, k, 0, allow, nil, 0)
	hits := make([]Hit, len(top))
	for i, e := range top {
		hits[i] = Hit{Doc: int(e.d), Score: clamp01(float64(e.s))}
	}
	return hits
}

// Shared returns the query's terms found in a document, given its terms (ascending ids) and counts and its
// 1/‖d‖, by descending contribution: a Hit's Shared as Index.Search gives it.
func (s *Stream) Shared(d DocTerms, inv float64) []string {
	var ms []match
	i := 0
	for k, t := range d.Terms {
		for i < len(s.sq) && s.sq[i].id < t {
			i++
		}
		if i == len(s.sq) {
			break
		}
		if s.sq[i].id == t {
			ms = append(ms, newMatch(&s.sq[i], s.wt.Weight(d.Counts[k], s.sq[i].idf, inv)))
		}
	}
	return sharedNames(ms)
}
