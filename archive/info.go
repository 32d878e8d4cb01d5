package archive

import (
	"context"

	"github.com/depeche/depeche/search"
	"sort"
)

// Info describes an archive's content.
type Info struct {
	Path        string         `json:"path"`
	Format      int            `json:"format"`
	Analyzer    string         `json:"analyzer"`
	Dispatches  int            `json:"dispatches"`
	Labeled     int            `json:"labeled"`
	Labels      map[string]int `json:"labels"`
	Terms       int            `json:"terms"`
	Postings    int64          `json:"postings"`
	FirstDate   string         `json:"first_date,omitempty"`
	LastDate    string         `json:"last_date,omitempty"`
	SizeBytes   int64          `json:"size_bytes"`
	Index       string         `json:"index"`       // the index file: "fresh", "missing", "stale" or "corrupt"
	IndexBytes  int64          `json:"index_bytes"` // its size
	LabelsOrder []string       `json:"-"`
}

// Info counts what the archive holds.
func (a *Archive) Info(ctx context.Context) (*Info, error) {
	r, err := a.read(ctx)
	if err != nil {
		return nil, err
	}
	defer r.Rollback()
	in := &Info{Path: a.path, Format: r.format, Analyzer: a.fingerprint, Labels: map[string]int{}}
	q := r.QueryRowContext(ctx, `SELECT count(*), coalesce(min(nullif(date,'')),''), coalesce(max(nullif(date,'')),'') FROM dispatches`)
	if err := q.Scan(&in.Dispatches, &in.FirstDate, &in.LastDate); err != nil {
		return nil, err
	}
	if err := r.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(df),0) FROM terms`).Scan(&in.Terms, &in.Postings); err != nil {
		return nil, err
	}
	if r.format == 1 {
		err = r.each(ctx, `SELECT doc, labels FROM dispatches WHERE labels <> ''`, nil, func(_ int, f string) {
			in.Labeled++
			for _, l := range uniqueLabels(parseLabelsV1(f)) {
				in.Labels[l]++
			}
		})
	} else {
		err = r.QueryRowContext(ctx, `SELECT count(DISTINCT doc) FROM dispatch_labels`).Scan(&in.Labeled)
		if err == nil {
			rows, qerr := r.QueryContext(ctx, `SELECT label, count(*) FROM dispatch_labels GROUP BY label`)
			if qerr != nil {
				return nil, qerr
			}
			defer rows.Close()
			for rows.Next() {
				var l string
				var c int
				if err := rows.Scan(&l, &c); err != nil {
					return nil, err
				}
				in.Labels[l] = c
			}
			err = rows.Err()
		}
	}
	if err != nil {
		return nil, err
	}
	var pages, size int64
	r.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages)
	r.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&size)
	in.SizeBytes = pages * size
	for l := range in.Labels {
		in.LabelsOrder = append(in.LabelsOrder, l)
	}
	sort.Strings(in.LabelsOrder)
	// the index file's header only (its stamp): the whole file is checked by optimize
	in.Index = "fresh"
	st, err := r.stamp(ctx, a.fingerprint)
	if err != nil {
		return nil, err
	}
	if have, err := search.ReadStamp(IndexPath(a.path)); err != nil {
		if in.Index = IndexProblem(err); in.Index == "" {
			return nil, err
		}
	} else if string(have) != string(st) {
		in.Index = "stale"
	}
	in.IndexBytes = IndexSize(IndexPath(a.path))
	return in, nil
}
