package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/depeche/depeche/dispatch"
	"github.com/depeche/depeche/search"
	"github.com/depeche/depeche/vec"
)

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader is a read transaction (one snapshot of the file) and the format of that snapshot: every read
// goes through one, so that a migration made by another process since the open cannot mislead it.
type reader struct {
	*sql.Tx
	format int
	metas  *metaCache
	a      *Archive
}

// read begins a read transaction.
func (a *Archive) read(ctx context.Context) (*reader, error) {
	a.beganRead()
	tx, err := a.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	r := &reader{Tx: tx, metas: &a.metas, a: a}
	if r.format, err = formatOf(ctx, r); err != nil {
		tx.Rollback()
		return nil, err
	}
	a.format.Store(int32(r.format))
	return r, nil
}

// metaColumns are the columns of a Meta, then labelsColumn.
func (r *reader) metaColumns() string {
	return `doc, id, title, date, source, url, event, hash, ` + r.labelsColumn()
}

// labelsColumn is the format-1 labels column, or an empty string in format 2 (whose labels are rows of
// dispatch_labels).
func (r *reader) labelsColumn() string {
	if r.format == 1 {
		return `labels`
	}
	return `''`
}

// labelRows streams the labels of the dispatches in document order, for a scan in the same order.
type labelRows struct {
	rows  *sql.Rows // nil in format 1, or when the rows are done
	doc   int64
	label string
	err   error
}

// labelScan starts streaming every dispatch's labels (format 2).
func (r *reader) labelScan(ctx context.Context) (*labelRows, error) {
	if r.format == 1 {
		return &labelRows{}, nil
	}
	rows, err := r.QueryContext(ctx, `SELECT doc, label FROM dispatch_labels ORDER BY doc, seq`)
	if err != nil {
		return nil, err
	}
	l := &labelRows{rows: rows}
	l.advance()
	return l, nil
}

func (l *labelRows) advance() {
	if l.rows.Next() {
		l.err = l.rows.Scan(&l.doc, &l.label)
		return
	}
	l.err = l.rows.Err()
	l.rows.Close()
	l.rows = nil
}

// of returns the labels of document doc (documents asked for in ascending order); v1 is the format-1
// labels column of its row.
func (l *labelRows) of(doc int64, v1 string) ([]string, error) {
	labels := []string{}
	if v1 != "" {
		labels = parseLabelsV1(v1)
	}
	for l.rows != nil && l.err == nil && l.doc <= doc {
		if l.doc == doc {
			labels = append(labels, l.label)
		}
		l.advance()
	}
	return labels, l.err
}

func (l *labelRows) close() {
	if l.rows != nil {
		l.rows.Close()
	}
}

// labelsOf returns the labels of one document.
func (r *reader) labelsOf(ctx context.Context, doc int64, v1 string) ([]string, error) {
	if r.format == 1 {
		return parseLabelsV1(v1), nil
	}
	rows, err := r.QueryContext(ctx, `SELECT label FROM dispatch_labels WHERE doc = ? ORDER BY seq`, doc)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	labels := []string{}
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, err
		}
		labels = append(labels, l)
	}
	return labels, rows.Err()
}

// labelFilter returns the SQL condition that keeps, of the dispatches, those that may carry f's label:
// in format 2 those of its rows in dispatch_labels (an exact match on the index); in format 1 all (the
// filter decides in Go, from the parsed column). The filter itself (search.Filter.Match) always decides.
func (r *reader) labelFilter(f Filter) (string, []any) {
	if f.Label == "" || r.format == 1 {
		return "", nil
	}
	return ` WHERE doc IN (SELECT doc FROM dispatch_labels WHERE label = ?)`, []any{f.Label}
}

// scanMeta reads a row of metaColumns (then, with terms, the terms blob) and its labels.
func scanMeta(rows *sql.Rows, labels *labelRows, extra ...any) (Meta, error) {
	var m Meta
	var v1 string
	dest := append([]any{&m.Doc, &m.ID, &m.Title, &m.Date, &m.Source, &m.URL, &m.Event, &m.Hash, &v1}, extra...)
	if err := rows.Scan(dest...); err != nil {
		return m, err
	}
	var err error
	m.Labels, err = labels.of(int64(m.Doc), v1)
	return m, err
}

// loadTerms returns the vocabulary (term → id) and the document frequencies by id.
func loadTerms(ctx context.Context, q querier) (map[string]int32, []int32, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, term, df FROM terms ORDER BY id`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	vocab := map[string]int32{}
	var df []int32
	for rows.Next() {
		var id, d int32
		var t string
		if err := rows.Scan(&id, &t, &d); err != nil {
			return nil, nil, err
		}
		if int(id) != len(df) {
			return nil, nil, errors.New("archive: term ids are not dense")
		}
		vocab[t] = id
		df = append(df, d)
	}
	return vocab, df, rows.Err()
}

// count returns the number of archived dispatches.
func (r *reader) count(ctx context.Context) (int, error) {
	var n int
	err := r.QueryRowContext(ctx, `SELECT count(*) FROM dispatches`).Scan(&n)
	return n, err
}

// Count returns the number of archived dispatches.
func (a *Archive) Count(ctx context.Context) (int, error) {
	var n int
	err := a.rdb.QueryRowContext(ctx, `SELECT count(*) FROM dispatches`).Scan(&n)
	return n, err
}

// Get returns an archived dispatch with its text.
func (a *Archive) Get(ctx context.Context, id string) (dispatch.Dispatch, error) {
	var d dispatch.Dispatch
	r, err := a.read(ctx)
	if err != nil {
		return d, err
	}
	defer r.Rollback()
	var doc int64
	var v1 string
	err = r.QueryRowContext(ctx, `SELECT doc, id, title, date, source, url, event, text, `+r.labelsColumn()+` FROM dispatches WHERE id = ?`, id).
		Scan(&doc, &d.ID, &d.Title, &d.Date, &d.Source, &d.URL, &d.Event, &d.Text, &v1)
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	if err != nil {
		return d, err
	}
	d.Labels, err = r.labelsOf(ctx, doc, v1)
	return d, err
}

// Each calls fn for every archived dispatch that passes the filter, in archive order, with its text, until
// fn returns an error.
func (a *Archive) Each(ctx context.Context, f Filter, fn func(dispatch.Dispatch) error) error {
	r, err := a.read(ctx)
	if err != nil {
		return err
	}
	defer r.Rollback()
	labels, err := r.labelScan(ctx)
	if err != nil {
		return err
	}
	defer labels.close()
	w, args := r.labelFilter(f)
	rows, err := r.QueryContext(ctx, `SELECT `+r.metaColumns()+`, text FROM dispatches`+w+` ORDER BY doc`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var text string
		m, err := scanMeta(rows, labels, &text)
		if err != nil {
			return err
		}
		if !f.Match(m.Date, m.Labels) {
			continue
		}
		d := dispatch.Dispatch{ID: m.ID, Title: m.Title, Date: m.Date, Source: m.Source, URL: m.URL, Event: m.Event, Labels: m.Labels, Text: text}
		if err := fn(d); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Vectors returns the unit TF-IDF vectors (rows, features = archive term ids; search.Weights, the
// index's weights) and the metadata of the archived dispatches that pass the filter, at most limit of
// them (0: all), in archive order.
func (a *Archive) Vectors(ctx context.Context, f Filter, limit int) (*vec.Matrix, []Meta, error) {
	r, err := a.read(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer r.Rollback()
	n, err := r.count(ctx)
	if err != nil {
		return nil, nil, err
	}
	_, df, err := loadTerms(ctx, r)
	if err != nil {
		return nil, nil, err
	}
	wt := search.Weights{N: n}
	idf := wt.IDFs(df)
	labels, err := r.labelScan(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer labels.close()
	w, args := r.labelFilter(f)
	rows, err := r.QueryContext(ctx, `SELECT `+r.metaColumns()+`, terms FROM dispatches`+w+` ORDER BY doc`, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	m := vec.NewMatrix(len(df))
	var metas []Meta
	for rows.Next() && (limit <= 0 || len(metas) < limit) {
		var blob []byte
		md, err := scanMeta(rows, labels, &blob)
		if err != nil {
			return nil, nil, err
		}
		if !f.Match(md.Date, md.Labels) {
			continue
		}
		d, err := decodeTerms(blob)
		if err != nil {
			return nil, nil, err
		}
		for _, t := range d.Terms {
			if int(t) >= len(idf) {
				return nil, nil, fmt.Errorf("archive: dispatch %s has term %d of %d: the archive is inconsistent", md.ID, t, len(idf))
			}
		}
		inv := wt.InvNorm(d, idf)
		v := vec.Vector{Ind: d.Terms, Val: make([]float32, len(d.Terms))}
		for k, t := range d.Terms {
			v.Val[k] = wt.Weight(d.Counts[k], idf[t], inv)
		}
		m.AppendRow(v)
		metas = append(metas, md)
	}
	return m, metas, rows.Err()
}

// each calls fn with every row of a query of (doc, string).
func (r *reader) each(ctx context.Context, q string, args []any, fn func(int, string)) error {
	rows, err := r.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var doc int
		var s string
		if err := rows.Scan(&doc, &s); err != nil {
			return err
		}
		fn(doc, s)
	}
	return rows.Err()
}
