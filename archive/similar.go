package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"

	"github.com/depeche/depeche/dispatch"
	"github.com/depeche/depeche/search"
)

// Filter restricts which archived dispatches a search or a listing returns: search.Filter, the one
// filter of every path (an exact label, date bounds YYYY, YYYY-MM or YYYY-MM-DD). The zero value allows
// all.
type Filter = search.Filter

// Result is one dispatch found by Similar.
type Result struct {
	Meta
	Score  float64
	Shared []string // the query terms it shares, by descending contribution to the score
}

// Similar returns the k archived dispatches most similar to a text given by its terms (as the archive's
// analyzer gives them), by cosine of TF-IDF vectors with the archive's current statistics. It reads only
// the postings of the query's terms and streams them into search's engine (a search.Stream): the cold
// path of a single command; Load gives an in-memory Searcher for many queries. Both give the same
// dispatches with the same scores, to the last bit, and the same shared terms; ties go to the earlier
// archived dispatch.
func (a *Archive) Similar(ctx context.Context, terms []string, k int, f Filter) ([]Result, error) {
	r, err := a.read(ctx)
	if err != nil {
		return nil, err
	}
	defer r.Rollback()
	n, err := r.count(ctx)
	if err != nil {
		return nil, err
	}
	if n == 0 || k <= 0 {
		return []Result{}, nil
	}
	stmt, err := r.PrepareContext(ctx, `SELECT id, df FROM terms WHERE term = ?`)
	if err != nil {
		return nil, err
	}
	defer stmt.Close()
	st, err := search.NewStream(n, terms, func(t string) (search.TermStats, bool, error) {
		var ts search.TermStats
		err := stmt.QueryRowContext(ctx, t).Scan(&ts.ID, &ts.DF)
		if errors.Is(err, sql.ErrNoRows) {
			return ts, false, nil
		}
		return ts, err == nil, err
	})
	if err != nil {
		return nil, err
	}
	if len(st.Order()) == 0 {
		return []Result{}, nil
	}
	inv, err := r.invNorms(ctx, n)
	if err != nil {
		return nil, err
	}
	if err := r.streamPostings(ctx, st, inv); err != nil {
		return nil, err
	}
	allow, err := r.allow(ctx, f, n)
	if err != nil {
		return nil, err
	}
	hits := st.Top(k, allow)
	res := make([]Result, len(hits))
	for i, h := range hits {
		m, d, err := r.hitOf(ctx, h.Doc)
		if err != nil {
			return nil, err
		}
		res[i] = Result{Meta: m, Score: h.Score, Shared: st.Shared(d, inv[h.Doc])}
	}
	return res, nil
}

// streamPostings feeds the stream the postings of its terms, chunk by chunk, in the order it asks.
func (r *reader) streamPostings(ctx context.Context, st *search.Stream, inv []float64) error {
	pst, err := r.PrepareContext(ctx, `SELECT data FROM postings WHERE term = ? ORDER BY seq`)
	if err != nil {
		return err
	}
	defer pst.Close()
	var docs, counts []int32
	for i, id := range st.Order() {
		rows, err := pst.QueryContext(ctx, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var blob []byte
			err := rows.Scan(&blob)
			if err == nil {
				docs, counts, err = decodePostings(blob, docs[:0], counts[:0])
			}
			if err == nil {
				err = st.Add(i, docs, counts, inv)
			}
			if err != nil {
				rows.Close()
				return fmt.Errorf("archive: postings of term %d: %w", id, err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// allow returns which of the n dispatches pass f, nil for all. The store streams the dispatches that may
// pass, with what f reads of them: when f has a label, those carrying it (the dispatch_labels index, by
// equality; in format 1 every dispatch, with its labels column), and when it has date bounds, those
// dated within the bounds' range (the date index). f decides on each (search.Filter.Match).
func (r *reader) allow(ctx context.Context, f Filter, n int) (search.Allow, error) {
	if f.IsZero() {
		return nil, nil
	}
	var q string
	var args []any
	switch {
	case f.Label != "" && r.format > 1:
		q, args = `SELECT l.doc, d.date, l.label FROM dispatch_labels l JOIN dispatches d ON d.doc = l.doc WHERE l.label = ?`, []any{f.Label}
	case f.Label != "":
		q = `SELECT doc, date, labels FROM dispatches d WHERE 1`
	default:
		q = `SELECT doc, date, '' FROM dispatches d WHERE 1`
	}
	// the dates the bounds may let through: ≥ Since, and below Until followed by a byte no UTF-8 text
	// holds (a date that starts with Until is below it); the same comparison as Go's, byte by byte
	if f.Since != "" {
		q += ` AND d.date >= ?`
		args = append(args, f.Since)
	}
	if f.Until != "" {
		q += ` AND d.date < ?`
		args = append(args, f.Until+"\xff")
	}
	rows, err := r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ok := make([]bool, n)
	var one [1]string
	for rows.Next() {
		var doc int
		var date, labels string
		if err := rows.Scan(&doc, &date, &labels); err != nil {
			return nil, err
		}
		if doc < 0 || doc >= n {
			continue
		}
		ls := one[:0]
		switch {
		case f.Label == "":
		case r.format == 1:
			ls = parseLabelsV1(labels)
		default:
			one[0] = labels
			ls = one[:]
		}
		ok[doc] = f.Match(date, ls)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return func(doc int) bool { return ok[doc] }, nil
}

// hitOf returns the Meta and the term list of document doc.
func (r *reader) hitOf(ctx context.Context, doc int) (Meta, search.DocTerms, error) {
	var m Meta
	var v1 string
	var blob []byte
	err := r.QueryRowContext(ctx, `SELECT `+r.metaColumns()+`, terms FROM dispatches WHERE doc = ?`, doc).
		Scan(&m.Doc, &m.ID, &m.Title, &m.Date, &m.Source, &m.URL, &m.Event, &m.Hash, &v1, &blob)
	if errors.Is(err, sql.ErrNoRows) {
		return m, search.DocTerms{}, fmt.Errorf("archive: dispatch %d is missing: the archive is inconsistent", doc)
	}
	if err != nil {
		return m, search.DocTerms{}, err
	}
	d, err := decodeTerms(blob)
	if err != nil {
		return m, d, err
	}
	m.Labels, err = r.labelsOf(ctx, int64(doc), v1)
	return m, d, err
}

// Searcher is the archive loaded in memory for many queries (the server, near-duplicate checks,
// benchmarks): an inverted index and every dispatch's metadata.
type Searcher struct {
	Index *search.Index
	Metas []Meta
}

// Load reads the whole archive into a Searcher.
func (a *Archive) Load(ctx context.Context) (*Searcher, error) {
	r, err := a.read(ctx)
	if err != nil {
		return nil, err
	}
	defer r.Rollback()
	x, metas, err := r.build(ctx, true, true)
	if err != nil {
		return nil, err
	}
	return &Searcher{Index: x, Metas: metas}, nil
}

// build reads, in one pass over the dispatches, every term list to build the index (search.Build) when
// index is true, and every dispatch's metadata when metas is true.
func (r *reader) build(ctx context.Context, index, metas bool) (*search.Index, []Meta, error) {
	vocab, _, err := loadTerms(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	terms := make([]string, len(vocab))
	for t, id := range vocab {
		terms[id] = t
	}
	var labels *labelRows
	q := `SELECT doc, terms FROM dispatches ORDER BY doc`
	if metas {
		if labels, err = r.labelScan(ctx); err != nil {
			return nil, nil, err
		}
		defer labels.close()
		q = `SELECT ` + r.metaColumns() + ` FROM dispatches ORDER BY doc`
		if index {
			q = `SELECT ` + r.metaColumns() + `, terms FROM dispatches ORDER BY doc`
		}
	}
	rows, err := r.QueryContext(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	// the term lists stay encoded (a few bytes a term, against 8 decoded) until Build reads them: at a
	// million dispatches that is the difference between 0.3 and 0.9 GB held beside the index being built
	var blobs [][]byte
	var ms []Meta
	var d search.DocTerms
	for rows.Next() {
		var doc int
		var blob []byte
		switch {
		case metas:
			var extra []any
			if index {
				extra = []any{&blob}
			}
			md, err := scanMeta(rows, labels, extra...)
			if err != nil {
				return nil, nil, err
			}
			if md.Doc != len(ms) {
				return nil, nil, fmt.Errorf("archive: dispatch %s (%d) does not fit the archive's numbering: the archive is inconsistent", md.ID, md.Doc)
			}
			ms = append(ms, md)
			doc = md.Doc
			if !index {
				continue
			}
		default:
			if err := rows.Scan(&doc, &blob); err != nil {
				return nil, nil, err
			}
		}
		if err := decodeTermsInto(blob, &d); err != nil {
			return nil, nil, err
		}
		if doc != len(blobs) || len(d.Terms) > 0 && int(d.Terms[len(d.Terms)-1]) >= len(terms) {
			return nil, nil, fmt.Errorf("archive: dispatch %d does not fit the archive's terms and numbering: the archive is inconsistent", doc)
		}
		blobs = append(blobs, blob)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if !index {
		return nil, ms, nil
	}
	x := search.Build(terms, len(blobs), func(i int) search.DocTerms {
		decodeTermsInto(blobs[i], &d) // checked above
		return d
	})
	return x, ms, nil
}

// NewSearcher indexes dispatches held in memory (the built-in corpus when there is no archive file), each
// analysed by terms.
func NewSearcher(ds []dispatch.Dispatch, terms func(string) []string) *Searcher {
	vocab := map[string]int32{}
	var byID []string
	docs := make([]search.DocTerms, len(ds))
	metas := make([]Meta, len(ds))
	for i, d := range ds {
		counts := map[int32]int32{}
		for _, t := range terms(d.Text) {
			id, ok := vocab[t]
			if !ok {
				id = int32(len(byID))
				vocab[t] = id
				byID = append(byID, t)
			}
			counts[id]++
		}
		var dt search.DocTerms
		for id := range counts {
			dt.Terms = append(dt.Terms, id)
		}
		sort.Slice(dt.Terms, func(a, b int) bool { return dt.Terms[a] < dt.Terms[b] })
		for _, id := range dt.Terms {
			dt.Counts = append(dt.Counts, counts[id])
		}
		docs[i] = dt
		labels := d.Labels
		if labels == nil {
			labels = []string{}
		}
		metas[i] = Meta{Doc: i, ID: d.ID, Title: d.Title, Date: d.Date, Source: d.Source, URL: d.URL, Event: d.Event, Labels: labels, Hash: Hash(d.Text)}
	}
	return &Searcher{Index: search.Build(byID, len(ds), func(i int) search.DocTerms { return docs[i] }), Metas: metas}
}

// Similar is Archive.Similar over the loaded index (the same results, to the last bit).
func (s *Searcher) Similar(terms []string, k int, f Filter) []Result {
	hits := s.Index.Similar(terms, k, f, s.facets)
	out := make([]Result, len(hits))
	for i, h := range hits {
		out[i] = Result{Meta: s.Metas[h.Doc], Score: h.Score, Shared: h.Shared}
	}
	return out
}

// facets gives what a Filter reads of a loaded dispatch.
func (s *Searcher) facets(doc int) (string, []string) { return s.Metas[doc].Date, s.Metas[doc].Labels }

// MatchFilter reports whether a dispatch held outside the archive (the built-in corpus) passes f.
func MatchFilter(f Filter, d dispatch.Dispatch) bool { return f.Match(d.Date, d.Labels) }
