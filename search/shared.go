package search

import (
	"slices"
	"strings"
)

// sharedTerm is a query term, by id, for shared: its weight in the query and its idf (Stream's; the
// index reads its own).
type sharedTerm struct {
	id   int32
	term string
	q    float64
	idf  float32
}

// sharedQuery returns the query's known terms by ascending id.
func (x *Index) sharedQuery(q []QueryTerm) []sharedTerm {
	out := make([]sharedTerm, 0, len(q))
	for _, t := range q {
		if id, ok := x.termID(t); ok {
			out = append(out, sharedTerm{id: id, term: t.Term, q: t.Weight})
		}
	}
	slices.SortFunc(out, func(a, b sharedTerm) int { return int(a.id - b.id) })
	return out
}

// shared returns the query terms (from sharedQuery) found in doc, by descending contribution q_t·w_{t,doc},
// from a merge of the query with the document's row of the forward index.
func (x *Index) shared(q []sharedTerm, doc int) []string {
	var ms []match
	row := x.row(int32(doc))
	i := 0
	for _, e := range row {
		t := int32(e >> 8)
		for i < len(q) && q[i].id < t {
			i++
		}
		if i == len(q) {
			break
		}
		if q[i].id == t {
			ms = append(ms, newMatch(&q[i], x.weightOf(int32(doc), t, e&0xff, x.inv[doc])))
		}
	}
	return sharedNames(ms)
}

// newMatch is query term t found in a document with weight w there.
func newMatch(t *sharedTerm, w float32) match { return match{t, w, t.q * float64(w)} }

// sharedNames returns the terms of the matches by descending contribution, then by term: the order of a
// Hit's Shared, warm or cold.
func sharedNames(ms []match) []string {
	slices.SortFunc(ms, func(a, b match) int {
		va, vb := a.v, b.v
		switch {
		case va > vb:
			return -1
		case va < vb:
			return 1
		}
		return strings.Compare(a.t.term, b.t.term)
	})
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.t.term
	}
	return out
}

// match is a query term found in a document, with its weight there.
type match struct {
	t *sharedTerm
	w float32
	v float64 // q_t · w, the contribution
}
