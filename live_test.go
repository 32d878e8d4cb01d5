package depeche

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/depeche/depeche/archive"
)

// synthetic returns n dispatches of words drawn from a small vocabulary, with dates that repeat (and
// some undated, some of a month only) and a few labels, so that listings have ties to order.
func synthetic(n int, seed uint64) []Dispatch {
	rng := rand.New(rand.NewPCG(seed, 1))
	words := strings.Fields("saisie cannabis port Tanger réseau démantelé migrants embarcation Lampedusa naufrage " +
		"attentat Sahel armée parlement budget vote loi finances douane cocaïne tribunal procès juge enquête " +
		"élection ministre frontière garde côtière pêcheurs marché prix récolte sécheresse barrage")
	dates := []string{"", "2019-03-02", "2019-03-02", "2020-07", "2020-07-30", "2021-01-15", "2021", "2024-12-31"}
	labels := []string{"drogue", "migration", "terrorisme", "parlement"}
	ds := make([]Dispatch, n)
	for i := range ds {
		var b strings.Builder
		for j := range 12 + rng.IntN(20) {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[rng.IntN(len(words))])
		}
		fmt.Fprintf(&b, " n%d.", i) // every text its own
		var ls []string
		for _, l := range labels {
			if rng.IntN(3) == 0 {
				ls = append(ls, l)
			}
		}
		ds[i] = Dispatch{ID: fmt.Sprintf("s-%04d", i), Title: fmt.Sprintf("dépêche %d", i), Date: dates[rng.IntN(len(dates))], Text: b.String(), Labels: ls}
	}
	return ds
}

// fileDesk returns a desk over a new archive file holding ds, its index file mapped (LoadIndex), and a
// second desk over the same file: another process's handle (its own connections).
func fileDesk(t *testing.T, ds []Dispatch) (served, other *Desk, path string) {
	t.Helper()
	ctx := context.Background()
	path = filepath.Join(t.TempDir(), "archive.db")
	w, err := CreateArchive(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if _, err := w.Add(ctx, ds); err != nil {
		t.Fatal(err)
	}
	d, err := OpenArchive(Config{Archive: path}, w.Model(), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if err := d.LoadIndex(ctx); err != nil {
		t.Fatal(err)
	}
	return d, w, path
}

// TestListFromArchive: listings, timelines and label counts read from the archive (indexed queries) are
// those computed from the same dispatches held in memory, filter by filter and page by page.
func TestListFromArchive(t *testing.T) {
	ctx := context.Background()
	ds := synthetic(300, 1)
	d, _, _ := fileDesk(t, ds)
	mem, err := NewDesk(d.Model(), ds)
	if err != nil {
		t.Fatal(err)
	}
	filters := []Filter{{}, {Label: "drogue"}, {Label: "absent"}, {Since: "2020"}, {Until: "2020-07"}, {Since: "2019-03-02", Until: "2021"},
		{Label: "migration", Since: "2020-07-30"}, {Until: "2019"}}
	for _, f := range filters {
		for _, o := range []ListOptions{{Limit: 7}, {Offset: 5, Limit: 40}, {Offset: 290, Limit: 50}, {Offset: 1000}} {
			o.Filter = f
			got, err := d.List(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			want, err := mem.List(ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("List %+v:\n archive %+v\n memory  %+v", o, got, want)
			}
		}
		gm, gu, err := d.Timeline(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		wm, wu, _ := mem.Timeline(ctx, f)
		if !reflect.DeepEqual(gm, wm) || gu != wu {
			t.Errorf("Timeline %+v: archive %v %d, memory %v %d", f, gm, gu, wm, wu)
		}
	}
	got, err := d.LabelCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want, _ := mem.LabelCounts(ctx); !reflect.DeepEqual(got, want) {
		t.Errorf("LabelCounts: archive %v, memory %v", got, want)
	}
	if err := d.CheckLabel(ctx, "label", "absent"); err == nil || !strings.Contains(err.Error(), "drogue, migration, parlement, terrorisme") {
		t.Errorf("CheckLabel of a label no dispatch carries: %v", err)
	}
	if err := d.CheckLabel(ctx, "label", "drogue"); err != nil {
		t.Errorf("CheckLabel drogue: %v", err)
	}
}

// TestLabelsOfAnotherProcess: labels set through another handle of the archive (another process's
// "depeche label") are in the served desk's next answer — listing, search filter, dispatch, counts —
// with no reload, and the index file mapped stays the same (labels change no weight).
func TestLabelsOfAnotherProcess(t *testing.T) {
	ctx := context.Background()
	ds := synthetic(120, 2)
	d, other, _ := fileDesk(t, ds)
	xf := d.file.Load()
	if xf == nil {
		t.Fatal("LoadIndex mapped no index file")
	}
	target := ds[17]
	if err := other.Label(ctx, target.ID, []string{"nouveau"}); err != nil {
		t.Fatal(err)
	}
	p, err := d.List(ctx, ListOptions{Filter: Filter{Label: "nouveau"}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 1 || len(p.Items) != 1 || p.Items[0].ID != target.ID {
		t.Errorf("listing by the new label: %+v", p)
	}
	res, err := d.Similar(ctx, target.Text+" supplément", 3, Filter{Label: "nouveau"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].ID != target.ID || !reflect.DeepEqual(res[0].Labels, []string{"nouveau"}) {
		t.Errorf("similar with the new label: %+v", res)
	}
	res, err = d.Similar(ctx, target.Text+" supplément", 1, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || !reflect.DeepEqual(res[0].Labels, []string{"nouveau"}) {
		t.Errorf("similar shows the old labels: %+v", res)
	}
	if x, err := d.Get(ctx, target.ID); err != nil || !reflect.DeepEqual(x.Labels, []string{"nouveau"}) {
		t.Errorf("Get: %v %v", x.Labels, err)
	}
	if c, err := d.LabelCounts(ctx); err != nil || c["nouveau"] != 1 {
		t.Errorf("label counts: %v %v", c, err)
	}
	if d.file.Load() != xf {
		t.Error("a change of labels replaced the index file mapped")
	}
	if err := d.Reload(ctx); err != nil || d.file.Load() != xf {
		t.Errorf("Reload after labels only: %v; the file mapped changed: %v", err, d.file.Load() != xf)
	}
}

// TestAddOfAnotherProcess: after another process's add, and before the index file that process writes
// is mapped, a search answers from the file mapped before (the archive before the add: the new
// dispatch not found yet, labels current); Reload maps the new file and then the new dispatch is found,
// with the scores a fresh desk gives.
func TestAddOfAnotherProcess(t *testing.T) {
	ctx := context.Background()
	ds := synthetic(80, 3)
	d, other, path := fileDesk(t, ds)
	xf := d.file.Load()
	extra := Dispatch{ID: "new-1", Date: "2025-01-01", Text: "Un chalutier inconnu échoue sur la grève de Dakhla au petit matin."}
	// the other process commits, then writes its index file: the served desk must not search a file
	// of the state after the add with the weights before it, nor fail
	if _, err := other.archive.Add(ctx, func() func() (archive.Item, bool, error) {
		done := false
		return func() (archive.Item, bool, error) {
			if done {
				return archive.Item{}, false, nil
			}
			done = true
			return archive.Item{Dispatch: extra, Terms: other.analyzer.AppendTerms(nil, extra.Text)}, true, nil
		}
	}(), nil); err != nil {
		t.Fatal(err)
	}
	d.refreshing.Store(true) // no background refresh: the window between the commit and the new file
	res, err := d.Similar(ctx, extra.Text, 3, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.ID == extra.ID {
			t.Fatalf("the dispatch added is found before its index file: %+v", res)
		}
	}
	if d.file.Load() != xf || d.stale.Load() != xf {
		t.Fatal("the stale file was dropped before the new one was mapped, or not noted as stale")
	}
	// the second search goes to the file of before at once, with the same answer
	again, err := d.Similar(ctx, extra.Text, 3, Filter{})
	if err != nil || !reflect.DeepEqual(again, res) {
		t.Errorf("the second search in the window: %+v %v, the first %+v", again, err, res)
	}
	if p, err := d.List(ctx, ListOptions{}); err != nil || p.Total != 81 || p.Items[0].ID != extra.ID {
		t.Errorf("the listing (the archive itself) does not show the add: %+v %v", p, err)
	}
	if _, err := d.Similar(ctx, ds[0].Text, 3, Filter{}); err != nil { // terms the old file knows
		t.Fatal(err)
	}
	d.refreshing.Store(false)
	other.writeIndex(ctx)
	if err := d.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	if d.file.Load() == xf {
		t.Fatal("Reload after an add kept the stale file")
	}
	if terms, _ := d.file.Load().Index.Weighed(); terms == 0 {
		t.Fatal("the new file was not warmed from the old one's weighed postings")
	}
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if terms, _ := xf.Index.Weighed(); terms == 0 {
			break
		} else if time.Now().After(end) {
			t.Fatalf("the replaced file still holds %d weighed terms", terms)
		}
	}
	got, err := d.Similar(ctx, extra.Text+" Dakhla", 3, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := OpenArchive(Config{Archive: path}, d.Model(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	want, err := fresh.Similar(ctx, extra.Text+" Dakhla", 3, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].ID != extra.ID || !reflect.DeepEqual(got, want) {
		t.Errorf("after Reload:\n %+v\nfresh desk:\n %+v", got, want)
	}
	if n, _ := d.Size(ctx); n != 81 {
		t.Errorf("Size %d, want 81", n)
	}
}

// TestLoadIndexReadsNoMetadata: mapping the index file is all LoadIndex does: it allocates what opening
// the file allocates (its small sections' checks) and no more, where holding every dispatch's metadata,
// as before, took some 300 bytes a dispatch; and the desk answers Similar and List from the archive.
func TestLoadIndexReadsNoMetadata(t *testing.T) {
	ctx := context.Background()
	const n = 3000
	ds := synthetic(n, 4)
	_, w, path := fileDesk(t, ds)
	allocs := func(f func()) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		f()
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	open := allocs(func() {
		if _, err := w.archive.OpenIndex(ctx); err != nil {
			t.Fatal(err)
		}
	})
	d, err := OpenArchive(Config{Archive: path}, w.Model(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	d.SetIndexLog(func(msg string) { t.Errorf("LoadIndex: %s", msg) })
	load := allocs(func() {
		if err := d.LoadIndex(ctx); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("%d dispatches: opening the index file allocated %d bytes, LoadIndex %d", n, open, load)
	if load > open+64<<10 {
		t.Errorf("LoadIndex allocated %d bytes, opening the index file %d: it reads more of the archive than the file's stamp", load, open)
	}
	if res, err := d.Similar(ctx, ds[n/2].Text+" encore", 1, Filter{}); err != nil || len(res) != 1 || res[0].ID != ds[n/2].ID {
		t.Errorf("Similar %+v %v", res, err)
	}
	if p, err := d.List(ctx, ListOptions{Limit: 3}); err != nil || p.Total != n || len(p.Items) != 3 {
		t.Errorf("List %+v %v", p, err)
	}
}

// TestListFormat1: the listing queries of format 1 (labels in a column, read without migrating: a
// read-only open) give what the dispatches give held in memory.
func TestListFormat1(t *testing.T) {
	ctx := context.Background()
	src, err := os.Open("archive/testdata/archive_v1.db")
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	p := filepath.Join(t.TempDir(), "v1.db")
	dst, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		t.Fatal(err)
	}
	dst.Close()
	m, err := builtinModel()
	if err != nil {
		t.Fatal(err)
	}
	a, err := archive.OpenReadOnly(p, "") // the fixture's terms are of a test analysis
	if err != nil {
		t.Fatal(err)
	}
	d := &Desk{archive: a, analyzer: ArchiveAnalyzer()}
	d.SetModel(m, "test")
	defer d.Close()
	if d.archive.Format() != 1 {
		t.Fatalf("format %d, want 1", d.archive.Format())
	}
	var ds []Dispatch
	if err := d.archive.Each(ctx, Filter{}, func(x Dispatch) error { ds = append(ds, x); return nil }); err != nil {
		t.Fatal(err)
	}
	mem, err := NewDesk(m, ds)
	if err != nil {
		t.Fatal(err)
	}
	counts, _ := mem.LabelCounts(ctx)
	if len(counts) == 0 {
		t.Fatal("the fixture has no labels")
	}
	filters := []Filter{{}, {Since: "2020"}}
	for l := range counts {
		filters = append(filters, Filter{Label: l})
	}
	for _, f := range filters {
		o := ListOptions{Filter: f, Limit: 1000}
		got, err := d.List(ctx, o)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := mem.List(ctx, o)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("List %+v:\n archive %+v\n memory  %+v", f, got, want)
		}
	}
	if got, err := d.LabelCounts(ctx); err != nil || !reflect.DeepEqual(got, counts) {
		t.Errorf("LabelCounts %v %v, want %v", got, err, counts)
	}
}

// TestSetIndexCache: a desk whose index keeps no weighed posting between searches (one byte) answers as
// one without a bound (the default), to the bit, and the bound follows the index file through an add.
func TestSetIndexCache(t *testing.T) {
	ctx := context.Background()
	ds := synthetic(300, 3)
	d, _, _ := fileDesk(t, ds)
	keep, _, _ := fileDesk(t, ds)
	d.SetIndexCache(1)
	check := func(what string) {
		for i := 0; i < len(ds); i += 23 {
			got, err := d.Similar(ctx, ds[i].Text, 5, Filter{})
			if err != nil {
				t.Fatal(err)
			}
			want, err := keep.Similar(ctx, ds[i].Text, 5, Filter{})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("%s, dispatch %d: %v, want %v", what, i, got, want)
			}
		}
	}
	check("first")
	more := synthetic(40, 4)
	for i := range more {
		more[i].ID = fmt.Sprintf("m-%04d", i)
	}
	for _, x := range []*Desk{d, keep} {
		if _, err := x.Add(ctx, more); err != nil {
			t.Fatal(err)
		}
	}
	check("after an add")
}

// TestPrefetchIndex: a desk that prefetches its index file answers as one that does not; and when
// another process adds (and writes its index file) after the prefetch read the file, the prefetched
// file is dropped for the new one, so that the first search already finds the dispatch added.
func TestPrefetchIndex(t *testing.T) {
	ctx := context.Background()
	ds := synthetic(80, 5)
	plain, other, path := fileDesk(t, ds)
	open := func() *Desk {
		d, err := OpenArchive(Config{Archive: path, ReadOnly: true, PrefetchIndex: true}, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { d.Close() })
		return d
	}
	d := open()
	want, err := plain.Similar(ctx, ds[9].Text, 5, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.Similar(ctx, ds[9].Text, 5, Filter{})
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("prefetched: %+v %v\nwithout: %+v", got, err, want)
	}
	if d.prefetched != nil {
		t.Fatal("the prefetched file was not taken")
	}

	late := open()
	p := <-late.prefetched // the file is read: now the other process adds
	late.prefetched <- p
	extra := Dispatch{ID: "new-1", Date: "2025-01-01", Text: "Un chalutier inconnu échoue sur la grève de Dakhla au petit matin."}
	if st, err := other.Add(ctx, []Dispatch{extra}); err != nil || st.Added != 1 {
		t.Fatal(st, err)
	}
	// (the text itself would be left out: an archived copy of the article searched with)
	got, err = late.Similar(ctx, extra.Text+" Dakhla", 3, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].ID != extra.ID {
		t.Fatalf("the first search after the add, from a file prefetched before it: %+v", got)
	}
	if late.file.Load() == p.xf {
		t.Fatal("the stale prefetched file was kept")
	}
}

// TestImportCountsAsAdd: an import (analysed and hashed by its workers, prefetched before the lock) makes
// the archive that Add makes of the same dispatches: the same term ids and document frequencies, the same
// answers to the bit.
func TestImportCountsAsAdd(t *testing.T) {
	ctx := context.Background()
	ds := synthetic(120, 11)
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id\ttext\n")
	for _, d := range ds {
		fmt.Fprintf(&b, "%s\t%s\n", d.ID, d.Text)
	}
	tsv := filepath.Join(dir, "in.tsv")
	if err := os.WriteFile(tsv, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	imp, err := OpenArchive(Config{Archive: filepath.Join(dir, "imp.db"), Create: true}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	defer imp.Close()
	if rep, err := imp.Import(ctx, []string{tsv}, ImportOptions{NoNearDuplicates: true}); err != nil || rep.Added != len(ds) {
		t.Fatal(rep, err)
	}
	add, err := CreateArchive(filepath.Join(dir, "add.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer add.Close()
	plain := make([]Dispatch, len(ds))
	for i, d := range ds {
		plain[i] = Dispatch{ID: d.ID, Text: d.Text}
	}
	if _, err := add.Add(ctx, plain); err != nil {
		t.Fatal(err)
	}
	vocab := func(d *Desk) string {
		db, err := sql.Open("sqlite", "file:"+d.archive.Path()+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var v string
		if err := db.QueryRow(`SELECT group_concat(id || ':' || term || ':' || df, ' ') FROM (SELECT * FROM terms ORDER BY id)`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if vocab(imp) != vocab(add) {
		t.Fatalf("the import's vocabulary (ids, df) differs from Add's:\n%.300s\n%.300s", vocab(imp), vocab(add))
	}
	for _, q := range []string{ds[3].Text + " Tanger", "saisie de cannabis au port", ds[70].Text[:40]} {
		a, err := imp.Similar(ctx, q, 8, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		w, err := add.Similar(ctx, q, 8, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, w) {
			t.Errorf("%q:\nimport %+v\nadd    %+v", q, a, w)
		}
	}
}
