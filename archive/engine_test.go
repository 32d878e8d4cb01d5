package archive

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/depeche/depeche/dispatch"
)

// sameResults fails unless the cold and warm results are the same dispatches, in the same order, with the
// same scores to the last bit and the same shared terms.
func sameResults(t *testing.T, what string, cold, warm []Result) {
	t.Helper()
	if len(cold) != len(warm) {
		t.Fatalf("%s: %d cold results, %d warm", what, len(cold), len(warm))
	}
	for i := range cold {
		c, w := cold[i], warm[i]
		if c.ID != w.ID || c.Doc != w.Doc || c.Score != w.Score || !slices.Equal(c.Shared, w.Shared) || !slices.Equal(c.Labels, w.Labels) || c.Date != w.Date {
			t.Fatalf("%s rank %d: cold %s %v %v %v, warm %s %v %v %v", what, i, c.ID, c.Score, c.Shared, c.Labels, w.ID, w.Score, w.Shared, w.Labels)
		}
	}
}

// engineDispatches are n dispatches with labels holding '_', '%' and '-' (and ids that a LIKE or a
// substring test would confuse: a_b and axb, x%y and %), several labels a dispatch, dates of every
// precision and none.
func engineDispatches(seed uint64, n int) []dispatch.Dispatch {
	ds := synth(seed, n)
	labels := [][]string{{"terrorisme"}, {"a_b"}, {"axb"}, {"crime-organise"}, nil, {"x%y"}, {"%"},
		{"x%y", "a_b", "crime-organise"}, {"terrorisme-financement", "a"}, nil, {"_"}}
	for i := range ds {
		ds[i].Labels = labels[i%len(labels)]
		switch i % 5 {
		case 0:
			ds[i].Date = ""
		case 1:
			ds[i].Date = fmt.Sprint(2010 + i%15)
		case 2:
			ds[i].Date = fmt.Sprintf("%d-%02d-%02d", 2010+i%15, 1+i%12, 1+i%28)
		}
	}
	return ds
}

// engineFilters are filters of every kind: exact labels among look-alikes, date bounds at each precision.
var engineFilters = []Filter{{}, {Label: "terrorisme"}, {Label: "terror%"}, {Label: "%"}, {Label: "_"}, {Label: "a_b"},
	{Label: "axb"}, {Label: "_xb"}, {Label: "x%y"}, {Label: "crime-organise"}, {Label: "crime"}, {Label: "a"},
	{Since: "2015"}, {Until: "2013-06"}, {Since: "2012-03-05", Until: "2019"}, {Since: "2020-02", Until: "2020-02"},
	{Until: "2016-07-14"}, {Label: "a_b", Since: "2014", Until: "2021-12"}, {Label: "nothing", Since: "2015"}}

// checkColdIsWarm runs queries of every kind under every filter, cold (Archive.Similar) and warm
// (Searcher.Similar), and fails unless they agree to the bit.
func checkColdIsWarm(t *testing.T, a *Archive, ds []dispatch.Dispatch, queries int) {
	t.Helper()
	ctx := context.Background()
	s, err := a.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var texts [][]string
	for q := range queries {
		d := ds[(q*7919)%len(ds)]
		terms := termsOf(d.Text)
		switch q % 4 {
		case 1:
			terms = terms[:min(3, len(terms))]
		case 2:
			terms = append(terms, termsOf(ds[(q*31)%len(ds)].Text)...)
		case 3:
			terms = append(terms, "inconnu", "melilla", "melilla")
		}
		texts = append(texts, terms)
	}
	nonEmpty := 0
	for _, f := range engineFilters {
		for q, terms := range texts {
			for _, k := range []int{1, 10, 200} {
				what := fmt.Sprintf("query %d k=%d filter %+v", q, k, f)
				cold, err := a.Similar(ctx, terms, k, f)
				if err != nil {
					t.Fatal(err)
				}
				warm := s.Similar(terms, k, f)
				sameResults(t, what, cold, warm)
				for _, r := range cold {
					if !f.Match(r.Date, r.Labels) {
						t.Fatalf("%s: %s (%s %v) does not pass the filter", what, r.ID, r.Date, r.Labels)
					}
				}
				if len(cold) > 0 {
					nonEmpty++
				}
			}
		}
	}
	if nonEmpty == 0 {
		t.Fatal("every answer was empty")
	}
}

// TestColdIsWarm: the cold path (postings streamed from SQLite into search.Stream) and the warm path (the
// index in memory) give the same dispatches with the same scores to the last bit and the same shared
// terms, with and without filters, labels with '_', '%' and '-' included, over an archive made in
// several adds (several postings chunks a term) whose statistics changed between them.
func TestColdIsWarm(t *testing.T) {
	ctx := context.Background()
	a, _ := open(t)
	ds := engineDispatches(31, 600)
	for _, part := range [][]dispatch.Dispatch{ds[:250], ds[250:251], ds[251:]} {
		if _, err := a.Add(ctx, items(part), nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.SetLabels(ctx, ds[4].ID, []string{"a_b", "%"}); err != nil {
		t.Fatal(err)
	}
	checkColdIsWarm(t, a, ds, 12)
}

// TestColdIsWarmLarge: the same on an archive large enough for the index to search with bounds and in
// parallel ranges (the cold path always reads every posting of the query).
func TestColdIsWarmLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("adds 12k dispatches")
	}
	ctx := context.Background()
	a, _ := open(t)
	ds := engineDispatches(32, 12000)
	if _, err := a.Add(ctx, items(ds[:9000]), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Add(ctx, items(ds[9000:]), nil); err != nil {
		t.Fatal(err)
	}
	checkColdIsWarm(t, a, ds, 6)
}

// TestLabelsTable: labels are rows of dispatch_labels, in their order, each once; no query of the package
// matches labels with LIKE, instr or a ",a,b," string.
func TestLabelsTable(t *testing.T) {
	ctx := context.Background()
	a, _ := open(t)
	ds := synth(6, 3)
	ds[0].Labels = []string{"x%y", "a_b", "x%y"}
	if _, err := a.Add(ctx, items(ds), nil); err != nil {
		t.Fatal(err)
	}
	d, err := a.Get(ctx, ds[0].ID)
	if err != nil || strings.Join(d.Labels, ",") != "x%y,a_b" {
		t.Fatalf("labels %q %v, want x%%y,a_b", d.Labels, err)
	}
	var n int
	if err := a.db.QueryRow(`SELECT count(*) FROM dispatch_labels WHERE doc = 0`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d label rows (%v), want 2", n, err)
	}
	if err := a.SetLabels(ctx, ds[0].ID, nil); err != nil {
		t.Fatal(err)
	}
	if d, err := a.Get(ctx, ds[0].ID); err != nil || len(d.Labels) != 0 || d.Labels == nil {
		t.Fatalf("labels %#v %v after they were taken off, want []", d.Labels, err)
	}
}
