package archive

import (
	"context"
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
	LabelsOrder []string       `json:"-"`
}

// Info counts what the archive holds.
func (a *Archive) Info(ctx context.Context) (*Info, error) {
	in := &Info{Path: a.path, Format: a.format, Analyzer: a.fingerprint, Labels: map[string]int{}}
	q := a.db.QueryRowContext(ctx, `SELECT count(*), coalesce(min(nullif(date,'')),''), coalesce(max(nullif(date,'')),'') FROM dispatches`)
	if err := q.Scan(&in.Dispatches, &in.FirstDate, &in.LastDate); err != nil {
		return nil, err
	}
	if err := a.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(df),0) FROM terms`).Scan(&in.Terms, &in.Postings); err != nil {
		return nil, err
	}
	rows, err := a.db.QueryContext(ctx, `SELECT labels FROM dispatches WHERE labels <> ''`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var f string
		if err := rows.Scan(&f); err != nil {
			return nil, err
		}
		in.Labeled++
		for _, l := range parseLabels(f) {
			in.Labels[l]++
		}
	}
	var pages, size int64
	a.db.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages)
	a.db.QueryRowContext(ctx, `PRAGMA page_size`).Scan(&size)
	in.SizeBytes = pages * size
	for l := range in.Labels {
		in.LabelsOrder = append(in.LabelsOrder, l)
	}
	sort.Strings(in.LabelsOrder)
	return in, rows.Err()
}
