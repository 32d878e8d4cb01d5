package archive

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/depeche/depeche/dispatch"
	"github.com/depeche/depeche/search"
	"github.com/depeche/depeche/vec"
)

// Filter restricts which archived dispatches a search or a listing returns. The zero value allows all.
type Filter struct {
	Label string // only dispatches carrying this label
	Since string // only dates ≥ Since (YYYY, YYYY-MM or YYYY-MM-DD); undated dispatches are left out
	Until string // only dates ≤ Until at Until's precision ("2019-12" includes 2019-12-31)
}

func (f Filter) empty() bool { return f.Label == "" && f.Since == "" && f.Until == "" }

func (f Filter) where() (string, []any) {
	var conds []string
	var args []any
	if f.Label != "" {
		// instr, not LIKE: a label id may hold "_" (and a --label "%"), which LIKE reads as wildcards, so
		// that "terror%" matched terrorisme and "a_b" matched "axb" on this path only
		conds = append(conds, `instr(labels, ?) > 0`)
		args = append(args, ","+f.Label+",")
	}
	if f.Since != "" {
		conds = append(conds, `date <> '' AND date >= ?`)
		args = append(args, f.Since)
	}
	if f.Until != "" {
		conds = append(conds, `date <> '' AND substr(date, 1, ?) <= ?`)
		args = append(args, len(f.Until), f.Until)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// allowed returns the document numbers that pass the filter as a bitmap of n entries, or nil for all.
func allowed(ctx context.Context, q querier, f Filter, n int) ([]bool, error) {
	if f.empty() {
		return nil, nil
	}
	w, args := f.where()
	rows, err := q.QueryContext(ctx, `SELECT doc FROM dispatches`+w, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ok := make([]bool, n)
	for rows.Next() {
		var d int
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		if d < n {
			ok[d] = true
		}
	}
	return ok, rows.Err()
}

// Result is one dispatch found by Similar.
type Result struct {
	Meta
	Score  float64
	Shared []string // the query terms it shares, by descending contribution to the score
}

// Similar returns the k archived dispatches most similar to a text given by its terms (as the archive's
// analyzer gives them), by cosine of TF-IDF vectors with the archive's current statistics. It reads only
// the postings of the query's terms (the cold path of a single command); Load gives an in-memory Searcher
// for many queries. Scores are exact; ties go to the earlier archived dispatch.
func (a *Archive) Similar(ctx context.Context, terms []string, k int, f Filter) ([]Result, error) {
	tx, err := a.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM dispatches`).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 || k <= 0 {
		return []Result{}, nil
	}
	counts := map[string]int32{}
	for _, t := range terms {
		counts[t]++
	}
	// the query's known terms with their ids and df
	type qt struct {
		term string
		id   int32
		df   int
		w    float64
	}
	var qs []qt
	stmt, err := tx.PrepareContext(ctx, `SELECT id, df FROM terms WHERE term = ?`)
	if err != nil {
		return nil, err
	}
	for t := range counts {
		var id int32
		var df int
		if err := stmt.QueryRowContext(ctx, t).Scan(&id, &df); err == nil {
			qs = append(qs, qt{term: t, id: id, df: df})
		}
	}
	stmt.Close()
	var qn float64
	for i := range qs {
		qs[i].w = search.Weights{}.TF(counts[qs[i].term]) * float64(search.Weights{N: n}.IDF(qs[i].df))
		qn += qs[i].w * qs[i].w
	}
	if qn == 0 {
		return []Result{}, nil
	}
	qn = math.Sqrt(qn)
	sort.Slice(qs, func(i, j int) bool { return qs[i].term < qs[j].term })
	norms, err := loadNorms(ctx, tx, n)
	if err != nil {
		return nil, err
	}
	allow, err := allowed(ctx, tx, f, n)
	if err != nil {
		return nil, err
	}
	acc := make([]float64, n)
	type contrib struct {
		doc int32
		v   float64
	}
	per := make([][]contrib, len(qs))
	pst, err := tx.PrepareContext(ctx, `SELECT data FROM postings WHERE term = ? ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer pst.Close()
	var docs, cnts []int32
	for i, q := range qs {
		docs, cnts = docs[:0], cnts[:0]
		rows, err := pst.QueryContext(ctx, q.id)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var blob []byte
			if err := rows.Scan(&blob); err != nil {
				rows.Close()
				return nil, err
			}
			if docs, cnts, err = decodePostings(blob, docs, cnts); err != nil {
				rows.Close()
				return nil, err
			}
		}
		rows.Close()
		qw := q.w / qn * float64(search.Weights{N: n}.IDF(q.df))
		for p, d := range docs {
			if int(d) >= n || allow != nil && !allow[d] || norms[d] == 0 {
				continue
			}
			v := qw * search.Weights{}.TF(cnts[p]) / float64(norms[d])
			acc[d] += v
			per[i] = append(per[i], contrib{d, v})
		}
	}
	top := topDocs(acc, k)
	if len(top) == 0 {
		return []Result{}, nil
	}
	res := make([]Result, len(top))
	for r, d := range top {
		res[r].Doc = d
		res[r].Score = math.Min(1, acc[d])
		type tv struct {
			t string
			v float64
		}
		var sh []tv
		for i := range qs {
			j := sort.Search(len(per[i]), func(j int) bool { return per[i][j].doc >= int32(d) })
			if j < len(per[i]) && per[i][j].doc == int32(d) {
				sh = append(sh, tv{qs[i].term, per[i][j].v})
			}
		}
		sort.Slice(sh, func(x, y int) bool {
			if sh[x].v != sh[y].v {
				return sh[x].v > sh[y].v
			}
			return sh[x].t < sh[y].t
		})
		for _, s := range sh {
			res[r].Shared = append(res[r].Shared, s.t)
		}
	}
	if err := fillMeta(ctx, tx, res); err != nil {
		return nil, err
	}
	return res, nil
}

// topDocs returns the k documents with the highest positive scores, best first, ties by document number.
func topDocs(acc []float64, k int) []int {
	var idx []int
	for d, s := range acc {
		if s > 0 {
			idx = append(idx, d)
		}
	}
	sort.Slice(idx, func(i, j int) bool {
		if acc[idx[i]] != acc[idx[j]] {
			return acc[idx[i]] > acc[idx[j]]
		}
		return idx[i] < idx[j]
	})
	if len(idx) > k {
		idx = idx[:k]
	}
	return idx
}

func loadNorms(ctx context.Context, q querier, n int) ([]float32, error) {
	rows, err := q.QueryContext(ctx, `SELECT data FROM norms ORDER BY chunk`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	norms := make([]float32, 0, n)
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		norms = decodeFloats(b, norms)
	}
	if len(norms) != n {
		return nil, fmt.Errorf("archive: %d norms for %d dispatches: the archive is inconsistent", len(norms), n)
	}
	return norms, rows.Err()
}

func fillMeta(ctx context.Context, q querier, res []Result) error {
	for i := range res {
		m, err := metaOf(ctx, q, `doc = ?`, res[i].Doc)
		if err != nil {
			return err
		}
		res[i].Meta = m
	}
	return nil
}

func metaOf(ctx context.Context, q querier, where string, arg any) (Meta, error) {
	var m Meta
	var labels string
	err := q.QueryRowContext(ctx, `SELECT doc, id, title, date, source, url, event, labels, hash FROM dispatches WHERE `+where, arg).
		Scan(&m.Doc, &m.ID, &m.Title, &m.Date, &m.Source, &m.URL, &m.Event, &labels, &m.Hash)
	if err == sql.ErrNoRows {
		return m, ErrNotFound
	}
	m.Labels = parseLabels(labels)
	return m, err
}

// Get returns an archived dispatch with its text.
func (a *Archive) Get(ctx context.Context, id string) (dispatch.Dispatch, error) {
	var d dispatch.Dispatch
	var labels string
	err := a.db.QueryRowContext(ctx, `SELECT id, title, date, source, url, event, labels, text FROM dispatches WHERE id = ?`, id).
		Scan(&d.ID, &d.Title, &d.Date, &d.Source, &d.URL, &d.Event, &labels, &d.Text)
	if err == sql.ErrNoRows {
		return d, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	d.Labels = parseLabels(labels)
	return d, err
}

// SetLabels replaces the labels of an archived dispatch.
func (a *Archive) SetLabels(ctx context.Context, id string, labels []string) error {
	tx, err := a.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	r, err := tx.ExecContext(ctx, `UPDATE dispatches SET labels = ? WHERE id = ?`, labelsField(sortedUnique(labels)), id)
	if err != nil {
		return err
	}
	if n, _ := r.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	return tx.Commit()
}

// Each calls fn for every archived dispatch that passes the filter, in archive order, with its text, until
// fn returns an error.
func (a *Archive) Each(ctx context.Context, f Filter, fn func(dispatch.Dispatch) error) error {
	w, args := f.where()
	rows, err := a.db.QueryContext(ctx, `SELECT id, title, date, source, url, event, labels, text FROM dispatches`+w+` ORDER BY doc`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d dispatch.Dispatch
		var labels string
		if err := rows.Scan(&d.ID, &d.Title, &d.Date, &d.Source, &d.URL, &d.Event, &labels, &d.Text); err != nil {
			return err
		}
		d.Labels = parseLabels(labels)
		if err := fn(d); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Vectors returns the unit TF-IDF vectors (rows, features = archive term ids) and the metadata of the
// archived dispatches that pass the filter, at most limit of them (0: all), in archive order.
func (a *Archive) Vectors(ctx context.Context, f Filter, limit int) (*vec.Matrix, []Meta, error) {
	tx, err := a.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM dispatches`).Scan(&n); err != nil {
		return nil, nil, err
	}
	_, df, err := loadTerms(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	w, args := f.where()
	q := `SELECT doc, id, title, date, source, url, event, labels, terms FROM dispatches` + w + ` ORDER BY doc`
	if limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", limit)
	}
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	m := vec.NewMatrix(len(df))
	var metas []Meta
	for rows.Next() {
		var md Meta
		var labels string
		var blob []byte
		if err := rows.Scan(&md.Doc, &md.ID, &md.Title, &md.Date, &md.Source, &md.URL, &md.Event, &labels, &blob); err != nil {
			return nil, nil, err
		}
		md.Labels = parseLabels(labels)
		d, err := decodeTerms(blob)
		if err != nil {
			return nil, nil, err
		}
		v := vec.Vector{Ind: d.Terms, Val: make([]float32, len(d.Terms))}
		for k, t := range d.Terms {
			v.Val[k] = float32(search.Weights{}.TF(d.Counts[k]) * float64(search.Weights{N: n}.IDF(int(df[t]))))
		}
		v.Normalize()
		m.AppendRow(v)
		metas = append(metas, md)
	}
	return m, metas, rows.Err()
}

// Searcher is the archive loaded in memory for many queries (the server, near-duplicate checks,
// benchmarks): an inverted index and every dispatch's metadata.
type Searcher struct {
	Index *search.Index
	Metas []Meta
}

// Load reads the whole archive into a Searcher.
func (a *Archive) Load(ctx context.Context) (*Searcher, error) {
	tx, err := a.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	vocab, _, err := loadTerms(ctx, tx)
	if err != nil {
		return nil, err
	}
	terms := make([]string, len(vocab))
	for t, id := range vocab {
		terms[id] = t
	}
	rows, err := tx.QueryContext(ctx, `SELECT doc, id, title, date, source, url, event, labels, terms, hash FROM dispatches ORDER BY doc`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// the term lists stay encoded (a few bytes a term, against 8 decoded) until Build reads them: at a
	// million dispatches that is the difference between 0.3 and 0.9 GB held beside the index being built
	var blobs [][]byte
	var metas []Meta
	var d search.DocTerms
	for rows.Next() {
		var md Meta
		var labels string
		var blob []byte
		if err := rows.Scan(&md.Doc, &md.ID, &md.Title, &md.Date, &md.Source, &md.URL, &md.Event, &labels, &blob, &md.Hash); err != nil {
			return nil, err
		}
		md.Labels = parseLabels(labels)
		if err := decodeTermsInto(blob, &d); err != nil {
			return nil, err
		}
		blobs = append(blobs, blob)
		metas = append(metas, md)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	x := search.Build(terms, len(blobs), func(i int) search.DocTerms {
		decodeTermsInto(blobs[i], &d) // checked above
		return d
	})
	return &Searcher{Index: x, Metas: metas}, nil
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

// Similar is Archive.Similar over the loaded index (the same scores).
func (s *Searcher) Similar(terms []string, k int, f Filter) []Result {
	var allow search.Allow
	if !f.empty() {
		allow = func(d int) bool { return f.match(s.Metas[d]) }
	}
	hits := s.Index.Search(s.Index.Query(terms), k, allow)
	out := make([]Result, len(hits))
	for i, h := range hits {
		out[i] = Result{Meta: s.Metas[h.Doc], Score: h.Score, Shared: h.Shared}
	}
	return out
}

func (f Filter) match(m Meta) bool {
	if f.Label != "" {
		found := false
		for _, l := range m.Labels {
			found = found || l == f.Label
		}
		if !found {
			return false
		}
	}
	if f.Since != "" && (m.Date == "" || m.Date < f.Since) {
		return false
	}
	if f.Until != "" {
		if m.Date == "" {
			return false
		}
		p := m.Date
		if len(p) > len(f.Until) {
			p = p[:len(f.Until)]
		}
		if p > f.Until {
			return false
		}
	}
	return true
}

// MatchFilter reports whether a dispatch held outside the archive (the built-in corpus) passes f.
func MatchFilter(f Filter, d dispatch.Dispatch) bool {
	return f.match(Meta{Labels: d.Labels, Date: d.Date})
}
