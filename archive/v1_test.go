package archive

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/depeche/depeche/dispatch"
)

// testdata/archive_v1.db is an archive of format 1, made once by the code of format 1 (commit 6ec5a6a's
// archive package, with -gen-v1) from v1Dispatches, and never rewritten: its SHA-256 is pinned below.
// testdata/archive_v1_similar.golden holds what that code's Similar (cold, float64) and Searcher.Similar
// (warm, float32) answered for v1Queries: every later format must read the file and answer the same.
var genV1 = flag.Bool("gen-v1", false, "write testdata/archive_v1.db and its golden (only with the format-1 code)")

const (
	v1Fixture = "testdata/archive_v1.db"
	v1Golden  = "testdata/archive_v1_similar.golden"
	v1Each    = "testdata/archive_v1_each.golden"
	// v1SHA256 pins the fixture's bytes: a test fails if they change
	v1SHA256 = "1f1d1528df204847defb5202dc9b4a1ecf4844f07706f467e3ad09dd2e128249"
)

// v1Dispatches is the fixture's content: 60 deterministic dispatches, added in two batches, with label
// ids holding '_', '%' and '-', one label lists in input order (not sorted), and dates of every precision.
func v1Dispatches() (first, second []dispatch.Dispatch) {
	r := rand.New(rand.NewPCG(2026, 12))
	z := rand.NewZipf(r, 1.2, 2, uint64(len(words)-1))
	labels := [][]string{{"terrorisme"}, {"a_b"}, {"axb"}, {"crime-organise"}, nil, {"x%y"},
		{"x%y", "a_b"}, {"crime-organise", "terrorisme", "migration"}, {"%"}, nil}
	ds := make([]dispatch.Dispatch, 60)
	for i := range ds {
		var b strings.Builder
		for range 12 + r.IntN(30) {
			b.WriteString(words[z.Uint64()])
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "f%d", i) // unique texts
		var date string
		switch i % 4 {
		case 1:
			date = strconv.Itoa(2015 + i%6)
		case 2:
			date = fmt.Sprintf("%d-%02d", 2015+i%6, 1+i%12)
		case 3:
			date = fmt.Sprintf("%d-%02d-%02d", 2015+i%6, 1+i%12, 1+i%28)
		}
		ds[i] = dispatch.Dispatch{ID: fmt.Sprintf("v1-%02d", i), Text: b.String(), Date: date, Labels: labels[i%len(labels)],
			Title: fmt.Sprintf("Dépêche %d", i), Source: "fixture", File: "fixture", Line: i + 1}
	}
	return ds[:40], ds[40:]
}

// v1Query is one query of the golden: its terms, k and filter.
type v1Query struct {
	name  string
	terms []string
	k     int
	f     Filter
}

// v1Queries are the golden's queries: texts of the fixture (whole, cut short, two at once) and a few
// words, under every kind of filter.
func v1Queries() []v1Query {
	first, second := v1Dispatches()
	ds := append(first, second...)
	texts := []struct {
		name  string
		terms []string
	}{
		{"d0", termsOf(ds[0].Text)},
		{"d7", termsOf(ds[7].Text)},
		{"d33", termsOf(ds[33].Text)},
		{"d45", termsOf(ds[45].Text)},
		{"d58", termsOf(ds[58].Text)},
		{"d12+d51", termsOf(ds[12].Text + " " + ds[51].Text)},
		{"d21-short", termsOf(ds[21].Text)[:4]},
		{"words", termsOf("cannabis saisie Tanger réseau trafic")},
		{"common", termsOf("terrorisme cellule migrants")},
		{"unknown", []string{"zzz", "yyy"}},
	}
	filters := []Filter{{}, {Label: "terrorisme"}, {Label: "a_b"}, {Label: "axb"}, {Label: "_xb"}, {Label: "x%y"}, {Label: "%"},
		{Label: "terror%"}, {Label: "crime-organise"}, {Label: "migration"}, {Since: "2017"}, {Until: "2016-06"},
		{Since: "2016-03-05", Until: "2018"}, {Since: "2019-02"}, {Until: "2017-07-14"}, {Label: "a_b", Since: "2016"}}
	var qs []v1Query
	for _, t := range texts {
		for fi, f := range filters {
			k := []int{5, 100}[fi%2]
			qs = append(qs, v1Query{t.name, t.terms, k, f})
		}
	}
	return qs
}

func (q v1Query) key() string {
	return fmt.Sprintf("%s k=%d label=%q since=%q until=%q", q.name, q.k, q.f.Label, q.f.Since, q.f.Until)
}

// TestGenV1 writes the fixture and its golden, with -gen-v1, from the format-1 code only.
func TestGenV1(t *testing.T) {
	if !*genV1 {
		t.Skip("writes the format-1 fixture with -gen-v1 (only once, with the format-1 code)")
	}
	if FormatVersion != 1 {
		t.Fatalf("this code writes format %d: the format-1 fixture is made by the format-1 code only", FormatVersion)
	}
	ctx := context.Background()
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(v1Fixture); err == nil {
		t.Fatalf("%s exists: it is never rewritten", v1Fixture)
	}
	a, err := Open(v1Fixture, "test-analyzer", true)
	if err != nil {
		t.Fatal(err)
	}
	first, second := v1Dispatches()
	if _, err := a.Add(ctx, items(first), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Add(ctx, items(second), nil); err != nil {
		t.Fatal(err)
	}
	// labels set after the add (sorted by SetLabels), one taken off
	if err := a.SetLabels(ctx, "v1-04", []string{"terrorisme", "a_b"}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetLabels(ctx, "v1-05", nil); err != nil {
		t.Fatal(err)
	}
	s, err := a.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(v1Golden)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(out)
	fmt.Fprintln(w, "# archive_v1.db: Similar of the format-1 code, cold (Archive.Similar, float64) and warm (Searcher.Similar, float32)")
	fmt.Fprintln(w, "# query\trank\tid\tcold score\twarm score (the float64 bits in hex)\tshared terms (warm)")
	for _, q := range v1Queries() {
		cold, err := a.Similar(ctx, q.terms, q.k, q.f)
		if err != nil {
			t.Fatal(err)
		}
		warm := s.Similar(q.terms, q.k, q.f)
		if len(cold) != len(warm) {
			t.Fatalf("%s: cold %d results, warm %d", q.key(), len(cold), len(warm))
		}
		fmt.Fprintf(w, "%s\t%d results\n", q.key(), len(cold))
		for i := range cold {
			if cold[i].ID != warm[i].ID {
				t.Fatalf("%s rank %d: cold %s, warm %s", q.key(), i, cold[i].ID, warm[i].ID)
			}
			fmt.Fprintf(w, "%s\t%d\t%s\t%.17g\t%016x\t%s\n", q.key(), i, cold[i].ID, cold[i].Score, math.Float64bits(warm[i].Score), strings.Join(warm[i].Shared, ","))
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	for _, x := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(v1Fixture + x); err == nil {
			t.Fatalf("%s%s left behind: the fixture must be one file", v1Fixture, x)
		}
	}
	b, err := os.ReadFile(v1Fixture)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d bytes, sha256 %x", v1Fixture, len(b), sha256.Sum256(b))
}

// v1Filters are the filters of the Each golden.
var v1Filters = []Filter{{}, {Label: "terrorisme"}, {Label: "a_b"}, {Label: "axb"}, {Label: "_xb"}, {Label: "x%y"}, {Label: "%"},
	{Label: "terror%"}, {Label: "crime-organise"}, {Label: "migration"}, {Since: "2017"}, {Until: "2016-06"},
	{Since: "2016-03-05", Until: "2018"}, {Since: "2019-02"}, {Until: "2017-07-14"}, {Since: "2016-06", Until: "2016-06"},
	{Label: "a_b", Since: "2016"}}

// eachLines lists, for each of v1Filters, the dispatches Each gives (id, date, labels in their order).
func eachLines(t *testing.T, a *Archive) []string {
	var lines []string
	for _, f := range v1Filters {
		err := a.Each(context.Background(), f, func(d dispatch.Dispatch) error {
			lines = append(lines, fmt.Sprintf("label=%q since=%q until=%q\t%s\t%s\t%s\t%q", f.Label, f.Since, f.Until, d.ID, d.Date, strings.Join(d.Labels, ","), d.Title))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return lines
}

// TestGenV1Each writes, with -gen-v1, the Each golden from the fixture (only with the format-1 code).
func TestGenV1Each(t *testing.T) {
	if !*genV1 {
		t.Skip("writes the format-1 Each golden with -gen-v1 (only once, with the format-1 code)")
	}
	if FormatVersion != 1 {
		t.Fatalf("this code writes format %d: the format-1 golden is made by the format-1 code only", FormatVersion)
	}
	a, err := OpenReadOnly(copyV1(t), "test-analyzer")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	head := "# archive_v1.db: Each of the format-1 code for each filter: filter, id, date, labels, title\n"
	if err := os.WriteFile(v1Each, []byte(head+strings.Join(eachLines(t, a), "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestV1FixturePinned: the format-1 fixture is the file the format-1 code made, byte for byte.
func TestV1FixturePinned(t *testing.T) { assertSum(t, v1Fixture, v1SHA256) }

// assertSum fails unless the file at p has this SHA-256.
func assertSum(t *testing.T, p, want string) {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		t.Fatalf("%s has sha256 %s, want %s: a format fixture must never change (restore it with git checkout)", p, got, want)
	}
}

// copyV1 copies the fixture into a temporary directory (the fixture itself is never opened for writing).
func copyV1(t *testing.T) string {
	b, err := os.ReadFile(v1Fixture)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "archive_v1.db")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// goldenLine is one result of the golden.
type goldenLine struct {
	id     string
	cold   float64
	warm   float64
	shared string
}

// readV1Golden returns the golden's results by query key.
func readV1Golden(t *testing.T) map[string][]goldenLine {
	f, err := os.Open(v1Golden)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]goldenLine{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Split(line, "\t")
		if len(fs) == 2 {
			out[fs[0]] = []goldenLine{}
			continue
		}
		if len(fs) != 6 {
			t.Fatalf("golden line %q", line)
		}
		cold, err1 := strconv.ParseFloat(fs[3], 64)
		bits, err2 := strconv.ParseUint(fs[4], 16, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("golden line %q", line)
		}
		out[fs[0]] = append(out[fs[0]], goldenLine{fs[2], cold, math.Float64frombits(bits), fs[5]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkV1 compares results with the golden: the same ids in the same order with the same shared terms,
// the score of the format-1 code's warm path to the last bit (the engine's float32 canonical sum), and
// within 1e-6 of its cold path (float64 there).
func checkV1(t *testing.T, what string, q v1Query, got []Result, want []goldenLine) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s %s: %d results, the format-1 code %d", what, q.key(), len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.ID != w.id || math.Abs(g.Score-w.cold) > 1e-6 || strings.Join(g.Shared, ",") != w.shared {
			t.Fatalf("%s %s rank %d: %s %.17g [%s], the format-1 code %s %.17g [%s]", what, q.key(), i, g.ID, g.Score, strings.Join(g.Shared, ","), w.id, w.cold, w.shared)
		}
		if g.Score != w.warm {
			t.Fatalf("%s %s rank %d: %s score %v, the format-1 code's warm path %v", what, q.key(), i, g.ID, g.Score, w.warm)
		}
	}
}

// TestV1ReadOnly: a read-only open of the format-1 fixture (which cannot migrate it) reads it as it is
// and answers what the format-1 code answered: Similar, cold and warm, to the bit (the format-1 code's
// warm scores, its cold ones within 1e-6), and Each under every filter; the file is left as it was.
func TestV1ReadOnly(t *testing.T) {
	p := copyV1(t)
	a, err := OpenReadOnly(p, "test-analyzer")
	if err != nil {
		t.Fatal(err)
	}
	if a.Format() != 1 {
		t.Fatalf("format %d, want 1", a.Format())
	}
	checkV1Answers(t, a)
	if err := a.SetLabels(context.Background(), "v1-00", []string{"x"}); err == nil {
		t.Error("a read-only open took a write")
	}
	in, err := a.Info(context.Background())
	// the counts of the Each golden
	if err != nil || in.Format != 1 || in.Dispatches != 60 || in.Labels["a_b"] != 13 || in.Labels["x%y"] != 11 || in.Labels["%"] != 6 || in.Labeled != 48 {
		t.Errorf("info %+v, %v", in, err)
	}
	a.Close()
	assertSum(t, p, v1SHA256)
}

// TestV1Migration: the first write to a format-1 archive (a copy of the fixture) migrates it to the
// current format (through format 2) in its transaction; the archive then answers what the format-1 code answered, cold and warm to the
// bit; a reader opened before the migration reads the new format; later adds and labels work.
func TestV1Migration(t *testing.T) {
	ctx := context.Background()
	p := copyV1(t)
	early, err := OpenReadOnly(p, "test-analyzer")
	if err != nil {
		t.Fatal(err)
	}
	defer early.Close()
	a, err := Open(p, "test-analyzer", false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.Format() != 1 {
		t.Fatalf("format %d before any write, want 1", a.Format())
	}
	// an add of nothing is a write: it migrates
	if st, err := a.Add(ctx, items(nil), nil); err != nil || st.Added != 0 {
		t.Fatalf("add: %+v %v", st, err)
	}
	if a.Format() != FormatVersion {
		t.Fatalf("format %d after a write, want %d", a.Format(), FormatVersion)
	}
	var cols int
	if err := a.db.QueryRow(`SELECT count(*) FROM pragma_table_info('dispatches') WHERE name = 'labels'`).Scan(&cols); err != nil || cols != 0 {
		t.Fatalf("the labels column is still there (%d, %v)", cols, err)
	}
	checkV1Answers(t, a)
	checkV1Answers(t, early) // opened as format 1, reads format 2 now
	if early.Format() != FormatVersion {
		t.Errorf("the early reader says format %d", early.Format())
	}
	if in, err := a.Info(ctx); err != nil || in.Format != FormatVersion || in.Labels["a_b"] != 13 || in.Labels["x%y"] != 11 || in.Labels["%"] != 6 || in.Labeled != 48 {
		t.Errorf("info after the migration %+v, %v", in, err)
	}
	if got := IntegrityCheck(p); got != "ok" {
		t.Fatalf("integrity_check: %s", got)
	}
	// the migrated archive takes writes, and stays the same engine cold and warm
	first, _ := v1Dispatches()
	more := synth(21, 30)
	more[0].Labels = []string{"a_b", "nouveau"}
	if st, err := a.Add(ctx, items(append(more, first[0])), nil); err != nil || st.Added != 30 || st.Duplicates != 1 {
		t.Fatalf("add after the migration: %+v %v", st, err)
	}
	if err := a.SetLabels(ctx, "v1-06", []string{"x%y", "crime-organise"}); err != nil {
		t.Fatal(err)
	}
	d, err := a.Get(ctx, "v1-06")
	if err != nil || strings.Join(d.Labels, ",") != "crime-organise,x%y" {
		t.Fatalf("labels after SetLabels: %v %v", d.Labels, err)
	}
	s, err := a.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range v1Queries() {
		cold, err := a.Similar(ctx, q.terms, q.k, q.f)
		if err != nil {
			t.Fatal(err)
		}
		sameResults(t, q.key(), cold, s.Similar(q.terms, q.k, q.f))
	}
}

// TestV1MigrationByLabel: a label is a write too; it migrates the archive and then sets the labels.
func TestV1MigrationByLabel(t *testing.T) {
	ctx := context.Background()
	a, err := Open(copyV1(t), "test-analyzer", false)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.SetLabels(ctx, "v1-06", []string{"x%y", "a_b", "x%y"}); err != nil || a.Format() != FormatVersion {
		t.Fatalf("label: %v, format %d", err, a.Format())
	}
	d, err := a.Get(ctx, "v1-07")
	if err != nil || strings.Join(d.Labels, ",") != "crime-organise,terrorisme,migration" {
		t.Fatalf("v1-07's labels after the migration: %v %v, want them in their order", d.Labels, err)
	}
	var n int
	a.Each(ctx, Filter{Label: "a_b"}, func(dispatch.Dispatch) error { n++; return nil })
	if n != 13 {
		t.Fatalf("%d dispatches labelled a_b, want 13 (v1-06 had it already)", n)
	}
}

// checkV1Answers checks an archive holding the fixture against the goldens of the format-1 code.
func checkV1Answers(t *testing.T, a *Archive) {
	t.Helper()
	ctx := context.Background()
	s, err := a.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	golden := readV1Golden(t)
	qs := v1Queries()
	if len(golden) != len(qs) {
		t.Fatalf("golden has %d queries, want %d", len(golden), len(qs))
	}
	for _, q := range qs {
		cold, err := a.Similar(ctx, q.terms, q.k, q.f)
		if err != nil {
			t.Fatal(err)
		}
		checkV1(t, "cold", q, cold, golden[q.key()])
		checkV1(t, "warm", q, s.Similar(q.terms, q.k, q.f), golden[q.key()])
	}
	checkEach(t, a)
}

// checkEach compares Each's dispatches, filter by filter, with the golden of the format-1 code.
func checkEach(t *testing.T, a *Archive) {
	t.Helper()
	b, err := os.ReadFile(v1Each)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")[1:]
	got := eachLines(t, a)
	for i := range max(len(got), len(want)) {
		if i >= len(got) || i >= len(want) || got[i] != want[i] {
			t.Fatalf("Each line %d: %q, the format-1 code %q (%d lines, want %d)", i, at(got, i), at(want, i), len(got), len(want))
		}
	}
}

func at(xs []string, i int) string {
	if i < len(xs) {
		return xs[i]
	}
	return "(none)"
}
