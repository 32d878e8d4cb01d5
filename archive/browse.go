package archive

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/depeche/depeche/search"
)

// The reads of a desk that holds no metadata in memory (a server over the index file): a page of a
// listing, a timeline, label counts, each one indexed query in a read transaction, so that what another
// process labelled or added is in the next answer.

// where returns the SQL condition (with its arguments) that keeps exactly the dispatches d that pass f
// (search.Filter.Match, byte for byte): a date bound leaves out the undated; since is ≥ by bytes; until
// compares the date's first len(until) bytes, which is date < until followed by 0xff (a byte no UTF-8
// text holds); a label is a row of dispatch_labels (format 1: ",label," within the labels column).
func (r *reader) where(f Filter) (string, []any) {
	var conds []string
	var args []any
	if f.Since != "" || f.Until != "" {
		conds = append(conds, `d.date <> ''`)
	}
	if f.Since != "" {
		conds, args = append(conds, `d.date >= ?`), append(args, f.Since)
	}
	if f.Until != "" {
		conds, args = append(conds, `d.date < ?`), append(args, f.Until+"\xff")
	}
	switch {
	case f.Label == "":
	case r.format == 1:
		conds, args = append(conds, `instr(d.labels, ',' || ? || ',') > 0`), append(args, f.Label)
	default:
		conds, args = append(conds, `d.doc IN (SELECT doc FROM dispatch_labels WHERE label = ?)`), append(args, f.Label)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return ` WHERE ` + strings.Join(conds, ` AND `), args
}

// docs returns the number of document numbers (the largest + 1; they are dense, as Load checks).
func (r *reader) docs(ctx context.Context) (int, error) {
	var n int
	err := r.QueryRowContext(ctx, `SELECT coalesce(max(doc)+1, 0) FROM dispatches`).Scan(&n)
	return n, err
}

// Docs returns the number of archived dispatches, from the largest document number (one step of the
// primary key, where count(*) reads a whole index: 1M entries at 1M dispatches).
func (a *Archive) Docs(ctx context.Context) (int, error) {
	r, err := a.read(ctx)
	if err != nil {
		return 0, err
	}
	defer r.Rollback()
	return r.docs(ctx)
}

// Page returns the dispatches that pass f, newest first (the undated last, the later added first among
// equal dates), skipping offset and at most limit, with how many pass f. The order is the date index read
// backwards (an index on date holds the document number after it).
func (a *Archive) Page(ctx context.Context, f Filter, offset, limit int) (int, []Meta, error) {
	r, err := a.read(ctx)
	if err != nil {
		return 0, nil, err
	}
	defer r.Rollback()
	w, args := r.where(f)
	var total int
	if f.IsZero() {
		total, err = r.docs(ctx)
	} else {
		err = r.QueryRowContext(ctx, `SELECT count(*) FROM dispatches d`+w, args...).Scan(&total)
	}
	if err != nil {
		return 0, nil, err
	}
	rows, err := r.QueryContext(ctx, `SELECT doc FROM dispatches d`+w+` ORDER BY d.date DESC, d.doc DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	var docs []int
	for rows.Next() {
		var doc int
		if err := rows.Scan(&doc); err != nil {
			return 0, nil, err
		}
		docs = append(docs, doc)
	}
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	rows.Close()
	ms, err := r.metasOf(ctx, docs)
	return total, ms, err
}

// metasOf returns the Meta of the documents docs, in their order: at most two queries (the rows not
// read before, their labels) whatever their number, where one a document costs a search's k of them.
func (r *reader) metasOf(ctx context.Context, docs []int) ([]Meta, error) {
	if len(docs) == 0 {
		return []Meta{}, nil
	}
	ms := make([]Meta, len(docs))
	at := make(map[int]int, len(docs))
	var missing []any
	for i, doc := range docs {
		at[doc] = i
		if m, ok := r.metas.get(doc, r.format); ok {
			ms[i] = m
		} else {
			missing = append(missing, doc)
		}
	}
	if len(missing) > 0 {
		found := 0
		want := len(missing)
		missing = docArgs(missing)
		rows, err := r.QueryContext(ctx, r.metasQuery(len(missing)), missing...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var m Meta
			var v1 string
			if err := rows.Scan(&m.Doc, &m.ID, &m.Title, &m.Date, &m.Source, &m.URL, &m.Event, &m.Hash, &v1); err != nil {
				return nil, err
			}
			if r.format == 1 {
				m.Labels = parseLabelsV1(v1)
			} else {
				r.metas.put(m)
			}
			ms[at[m.Doc]] = m
			found++
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		rows.Close()
		if found != want {
			return nil, fmt.Errorf("archive: %d of %d dispatches are missing: the archive is inconsistent", want-found, len(at))
		}
	}
	if r.format == 1 {
		return ms, nil
	}
	args := make([]any, len(docs))
	for i, doc := range docs {
		args[i] = doc
		ms[i].Labels = []string{}
	}
	args = docArgs(args)
	lrows, err := r.QueryContext(ctx, labelsQuery(len(args)), args...)
	if err != nil {
		return nil, err
	}
	defer lrows.Close()
	for lrows.Next() {
		var doc int
		var l string
		if err := lrows.Scan(&doc, &l); err != nil {
			return nil, err
		}
		ms[at[doc]].Labels = append(ms[at[doc]].Labels, l)
	}
	return ms, lrows.Err()
}

// metaCache keeps the metadata of dispatches that searches returned, but their labels: in format 2 a
// dispatch's row never changes once committed (an add only appends rows, a label writes
// dispatch_labels, nothing deletes), and a read transaction sees only committed rows, so a row read once
// is the row for good. It saves a server the read of each hit's row (whose text makes it span pages) at
// every search; its memory is bounded (cleared when full: a few MB).
type metaCache struct {
	mu sync.Mutex
	m  map[int]Meta
}

// metaCacheSize bounds the dispatches the cache holds (about 200 bytes each).
const metaCacheSize = 1 << 16

func (c *metaCache) get(doc, format int) (Meta, bool) {
	if format == 1 {
		return Meta{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.m[doc]
	return m, ok
}

func (c *metaCache) put(m Meta) {
	m.Labels = nil
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= metaCacheSize {
		c.m = make(map[int]Meta)
	}
	c.m[m.Doc] = m
}

// Months returns how many dispatches that pass f fall in each month (a date's first 7 bytes, YYYY-MM),
// and how many are undated (a date shorter than 7 bytes).
func (a *Archive) Months(ctx context.Context, f Filter) (map[string]int, int, error) {
	r, err := a.read(ctx)
	if err != nil {
		return nil, 0, err
	}
	defer r.Rollback()
	w, args := r.where(f)
	rows, err := r.QueryContext(ctx, `SELECT CASE WHEN length(CAST(d.date AS BLOB)) < 7 THEN '' ELSE substr(CAST(d.date AS BLOB), 1, 7) END AS m, count(*) FROM dispatches d`+w+` GROUP BY m`, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	counts := map[string]int{}
	undated := 0
	for rows.Next() {
		var m []byte
		var n int
		if err := rows.Scan(&m, &n); err != nil {
			return nil, 0, err
		}
		if len(m) == 0 {
			undated += n
		} else {
			counts[string(m)] += n
		}
	}
	return counts, undated, rows.Err()
}

// LabelCounts returns how many dispatches carry each label (a label repeated in a format-1 column once).
func (a *Archive) LabelCounts(ctx context.Context) (map[string]int, error) {
	r, err := a.read(ctx)
	if err != nil {
		return nil, err
	}
	defer r.Rollback()
	counts := map[string]int{}
	if r.format == 1 {
		err = r.each(ctx, `SELECT doc, labels FROM dispatches WHERE labels <> ''`, nil, func(_ int, f string) {
			for _, l := range uniqueLabels(parseLabelsV1(f)) {
				counts[l]++
			}
		})
		return counts, err
	}
	rows, err := r.QueryContext(ctx, `SELECT label, count(*) FROM dispatch_labels GROUP BY label`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var l string
		var n int
		if err := rows.Scan(&l, &n); err != nil {
			return nil, err
		}
		counts[l] = n
	}
	return counts, rows.Err()
}

// HasLabel reports whether some dispatch carries label (one probe of the label index).
func (a *Archive) HasLabel(ctx context.Context, label string) (bool, error) {
	r, err := a.read(ctx)
	if err != nil {
		return false, err
	}
	defer r.Rollback()
	var one int
	q := `SELECT count(*) FROM (SELECT 1 FROM dispatch_labels WHERE label = ? LIMIT 1)`
	if r.format == 1 {
		q = `SELECT count(*) FROM (SELECT 1 FROM dispatches WHERE instr(labels, ',' || ? || ',') > 0 LIMIT 1)`
	}
	err = r.QueryRowContext(ctx, q, label).Scan(&one)
	return one > 0, err
}

// CheckIndex returns nil when the index file xf matches the archive as it is now, ErrStaleIndex when an
// add (or a migration) came since.
func (a *Archive) CheckIndex(ctx context.Context, xf *search.File) error {
	r, err := a.readFresh(ctx, xf)
	if err != nil {
		return err
	}
	r.Rollback()
	return nil
}

// SimilarBefore is SimilarIn on an index file written before the archive's last adds, for a server
// between another process's commit and the index file that process writes after it: the ranking of the
// archive as it was when xf was written (its weights; the dispatches added since left out), with the
// filter and the hits' metadata as they are now (labels current). It returns ErrStaleIndex when the
// archive does not extend xf (it holds fewer dispatches than xf).
func (a *Archive) SimilarBefore(ctx context.Context, xf *search.File, terms []string, k int, f Filter) ([]Result, error) {
	r, err := a.read(ctx)
	if err != nil {
		return nil, err
	}
	defer r.Rollback()
	n, err := r.docs(ctx)
	if err != nil {
		return nil, err
	}
	if n < xf.Index.Len() {
		return nil, fmt.Errorf("%w: the archive holds %d dispatches, the index %d", ErrStaleIndex, n, xf.Index.Len())
	}
	return r.similarOn(ctx, xf, terms, k, f)
}

// IndexFresh reports whether the index file on disk is of the archive as it is now, reading only its
// header (the stamp): what a server waiting for another process's index file polls.
func (a *Archive) IndexFresh(ctx context.Context) (bool, error) {
	have, err := search.ReadStamp(IndexPath(a.path))
	if IndexProblem(err) != "" {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	r, err := a.read(ctx)
	if err != nil {
		return false, err
	}
	defer r.Rollback()
	st, err := r.stamp(ctx, a.fingerprint)
	return err == nil && string(st) == string(have), err
}
