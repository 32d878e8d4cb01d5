package depeche

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/data"
)

// Get returns the dispatch id, with its text, from the archive file (or the built-in corpus). An unknown
// id is ErrNotFound.
func (d *Desk) Get(ctx context.Context, id string) (Dispatch, error) {
	if d.archive != nil {
		x, err := d.archive.Get(ctx, id)
		if errors.Is(err, archive.ErrNotFound) {
			return x, fmt.Errorf("%w: no dispatch has the id %q", ErrNotFound, id)
		}
		return x, archive.Explain(err)
	}
	ds, err := data.Corpus()
	if err != nil {
		return Dispatch{}, err
	}
	for _, x := range ds {
		if x.ID == id {
			return x, nil
		}
	}
	return Dispatch{}, fmt.Errorf("%w: no dispatch has the id %q", ErrNotFound, id)
}

// ListOptions choose a page of archived dispatches.
type ListOptions struct {
	Filter
	// Query, when not empty, ranks the dispatches that pass the filter by the cosine of their TF-IDF
	// vector with the query's words, best first, as Similar ranks them (the first MaxK); empty
	// lists them by date, newest first (undated ones last, the latest added first among equals).
	Query  string
	Offset int // dispatches skipped
	Limit  int // at most this many (0: DefaultLimit)
}

// DefaultLimit is the size of a page of List when ListOptions.Limit is 0.
const DefaultLimit = 50

// Entry is one dispatch of a listing, without its text.
type Entry struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	Date   string   `json:"date"`
	Source string   `json:"source,omitempty"`
	Labels []string `json:"labels"`
	Event  string   `json:"event,omitempty"`
	Score  float64  `json:"score,omitempty"` // with a Query: the cosine with it
}

// Page is one page of List. Without a Query, Total dispatches pass the filter; with one, the ranking is
// only computed as far as the page (and one more, for More), so Total is Offset + len(Items) and More
// says whether there are others.
type Page struct {
	Total  int     `json:"total"`
	Offset int     `json:"offset"`
	Limit  int     `json:"limit"`
	More   bool    `json:"more"`
	Items  []Entry `json:"items"`
}

// searcher returns the dispatches held in memory (given to NewDesk, or the built-in corpus), or nil for
// an archive file, whose reads are queries of the archive.
func (d *Desk) searcher() (*archive.Searcher, error) {
	switch {
	case d.mem != nil:
		return d.mem, nil
	case d.archive == nil:
		return d.builtinSearcher()
	}
	return nil, nil
}

// metas returns the metadata of every dispatch held in memory that passes f, in archive order.
func metas(s *archive.Searcher, f Filter) []archive.Meta {
	var out []archive.Meta
	for _, m := range s.Metas {
		if archive.MatchFilter(f, Dispatch{Labels: m.Labels, Date: m.Date}) {
			out = append(out, m)
		}
	}
	return out
}

// List returns a page of the archived dispatches that pass o.Filter (see ListOptions). The filter is
// taken as it is: check it first with CheckFilter.
func (d *Desk) List(ctx context.Context, o ListOptions) (Page, error) {
	if o.Limit <= 0 {
		o.Limit = DefaultLimit
	}
	o.Offset = max(o.Offset, 0)
	p := Page{Offset: o.Offset, Limit: o.Limit, Items: []Entry{}}
	if strings.TrimSpace(o.Query) != "" {
		// ranked as far as the page and one more (a top 1000 costs twice a top 20 at 100k dispatches)
		res, err := d.Similar(ctx, o.Query, min(o.Offset+o.Limit+1, MaxK+1), o.Filter)
		if err != nil {
			return p, err
		}
		p.More = len(res) > o.Offset+o.Limit && o.Offset+o.Limit < MaxK
		for _, r := range res[min(o.Offset, len(res)):min(o.Offset+o.Limit, len(res))] {
			p.Items = append(p.Items, Entry{ID: r.ID, Title: r.Title, Date: r.Date, Source: r.Source, Labels: r.Labels, Event: r.Event, Score: r.Score})
		}
		p.Total = o.Offset + len(p.Items)
		return p, nil
	}
	s, err := d.searcher()
	if err != nil {
		return p, err
	}
	var page []archive.Meta
	if s == nil {
		// the archive's date index read backwards: the same order as below
		if p.Total, page, err = d.archive.Page(ctx, o.Filter, o.Offset, o.Limit); err != nil {
			return p, archive.Explain(err)
		}
	} else {
		ms := metas(s, o.Filter)
		// newest first; undated last; the later added first among equals
		slices.SortStableFunc(ms, func(a, b archive.Meta) int {
			switch {
			case a.Date == b.Date:
				return b.Doc - a.Doc
			case a.Date == "":
				return 1
			case b.Date == "":
				return -1
			}
			return strings.Compare(b.Date, a.Date)
		})
		p.Total = len(ms)
		page = ms[min(o.Offset, len(ms)):min(o.Offset+o.Limit, len(ms))]
	}
	p.More = o.Offset+o.Limit < p.Total
	for _, m := range page {
		labels := m.Labels
		if labels == nil {
			labels = []string{}
		}
		p.Items = append(p.Items, Entry{ID: m.ID, Title: m.Title, Date: m.Date, Source: m.Source, Labels: labels, Event: m.Event})
	}
	return p, nil
}

// Month is the number of dispatches of one month (YYYY-MM).
type Month struct {
	Month string `json:"month"`
	Count int    `json:"count"`
}

// Timeline counts the dispatches that pass f month by month, from the first month to the last with a
// dispatch (months with none included, as 0), and the undated ones apart (always 0 when f has a date).
func (d *Desk) Timeline(ctx context.Context, f Filter) (months []Month, undated int, err error) {
	s, err := d.searcher()
	if err != nil {
		return nil, 0, err
	}
	var counts map[string]int
	if s == nil {
		if counts, undated, err = d.archive.Months(ctx, f); err != nil {
			return nil, 0, archive.Explain(err)
		}
	} else {
		counts = map[string]int{}
		for _, m := range metas(s, f) {
			if len(m.Date) < 7 {
				undated++
				continue
			}
			counts[m.Date[:7]]++
		}
	}
	first, last := "", ""
	for mo := range counts {
		if first == "" || mo < first {
			first = mo
		}
		if mo > last {
			last = mo
		}
	}
	months = []Month{}
	if first == "" {
		return months, undated, nil
	}
	y, mo := 0, 0
	fmt.Sscanf(first, "%d-%d", &y, &mo)
	for {
		k := fmt.Sprintf("%04d-%02d", y, mo)
		months = append(months, Month{k, counts[k]})
		if k >= last || len(months) > 12*200 {
			break
		}
		if mo++; mo > 12 {
			y, mo = y+1, 1
		}
	}
	return months, undated, nil
}

// LabelCounts returns how many dispatches carry each label: of an archive file, one query of its label
// index (Labels); of dispatches held in memory, from them.
func (d *Desk) LabelCounts(ctx context.Context) (map[string]int, error) {
	if d.mem == nil {
		return d.Labels(ctx)
	}
	counts := map[string]int{}
	for _, m := range d.mem.Metas {
		for _, l := range m.Labels {
			counts[l]++
		}
	}
	return counts, nil
}

// CheckLabel refuses a label filter that no dispatch carries, naming the labels there are, so that an
// empty answer is not read as "nothing similar". field names the filter as the caller knows it.
func (d *Desk) CheckLabel(ctx context.Context, field, label string) error {
	if label == "" {
		return nil
	}
	if d.archive != nil {
		// one probe of the label index: the counts below are only for the message
		ok, err := d.archive.HasLabel(ctx, label)
		if err != nil || ok {
			return archive.Explain(err)
		}
	}
	counts, err := d.LabelCounts(ctx)
	if err != nil {
		return err
	}
	if counts[label] > 0 {
		return nil
	}
	known := make([]string, 0, len(counts))
	for l := range counts {
		known = append(known, l)
	}
	slices.Sort(known)
	if len(known) == 0 {
		return invalidf(field, "%s %s: no dispatch of the archive carries a label yet (label some with \"depeche label\")", field, label)
	}
	return invalidf(field, "%s %s: no dispatch carries this label; the labels are: %s", field, label, strings.Join(known, ", "))
}

// MaxMatrix is the largest set Matrix compares.
const MaxMatrix = 200

// Matrix is the pairwise similarity of a set of dispatches, rows and columns in the same order.
type Matrix struct {
	IDs    []string    `json:"ids"`
	Titles []string    `json:"titles"`
	Dates  []string    `json:"dates"`
	Labels [][]string  `json:"labels"`
	Matrix [][]float32 `json:"matrix"`
}

// Matrix returns the cosine similarity of every pair of the dispatches ids (at most MaxMatrix), as
// "depeche matrix" computes it for files (TF-IDF over the set itself, terms of one dispatch kept), in
// the order of an average-linkage clustering (similar dispatches side by side). An unknown id is
// ErrNotFound.
func (d *Desk) Matrix(ctx context.Context, ids []string) (*Matrix, error) {
	if len(ids) > MaxMatrix {
		return nil, invalidf("ids", "ids: %d dispatches; the matrix compares at most %d", len(ids), MaxMatrix)
	}
	out := &Matrix{IDs: []string{}, Titles: []string{}, Dates: []string{}, Labels: [][]string{}, Matrix: [][]float32{}}
	if len(ids) == 0 {
		return out, nil
	}
	ds := make([]Dispatch, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		x, err := d.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		ds = append(ds, x)
	}
	c, err := Compare(ds)
	if err != nil {
		return nil, err
	}
	sim := c.Cosines()
	order := ClusterOrder(sim)
	for _, i := range order {
		x := ds[i]
		labels := x.Labels
		if labels == nil {
			labels = []string{}
		}
		out.IDs, out.Titles, out.Dates, out.Labels = append(out.IDs, x.ID), append(out.Titles, x.Title), append(out.Dates, x.Date), append(out.Labels, labels)
		row := make([]float32, len(order))
		for j, k := range order {
			row[j] = float32(int(sim[i][k]*1e4+0.5)) / 1e4
		}
		out.Matrix = append(out.Matrix, row)
	}
	return out, nil
}

// NewID returns the id a dispatch added without one gets: "d-" and 12 hex digits of the hash of its
// normalised text (archive.Hash), so that the same text always gets the same id.
func NewID(text string) string { return "d-" + hex.EncodeToString(archive.Hash(text))[:12] }
