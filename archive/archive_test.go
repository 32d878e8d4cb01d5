package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/depeche/depeche/dispatch"
	"github.com/depeche/depeche/vec"
)

var words = strings.Fields(`terrorisme cellule démantèlement migrants clôture Melilla cannabis saisie tonnes port
Tanger Casablanca parlement députés séance projet loi finances budget match football stade festival musique
santé hôpital vaccination coopération sécurité ministre Intérieur réunion frontière pirogue Canaries cocaïne
réseau trafic drogue enquête parquet tribunal attentat extrémiste Sahel Mali Niger Europol Frontex douane`)

// synth makes n dispatches of Zipf-drawn words, deterministic.
func synth(seed uint64, n int) []dispatch.Dispatch {
	r := rand.New(rand.NewPCG(seed, 1))
	z := rand.NewZipf(r, 1.2, 2, uint64(len(words)-1))
	ds := make([]dispatch.Dispatch, n)
	for i := range ds {
		var b strings.Builder
		for range 20 + r.IntN(40) {
			b.WriteString(words[z.Uint64()])
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "n%d", i) // unique texts
		ds[i] = dispatch.Dispatch{ID: fmt.Sprintf("d%d-%d", seed, i), Text: b.String(), Date: fmt.Sprintf("20%02d-0%d", 10+i%15, 1+i%9), File: "synth", Line: i + 1}
		if i%3 == 0 {
			ds[i].Labels = []string{"terrorisme"}
		}
	}
	return ds
}

func termsOf(text string) []string { return strings.Fields(strings.ToLower(text)) }

func items(ds []dispatch.Dispatch) func() (Item, bool, error) {
	i := 0
	return func() (Item, bool, error) {
		if i == len(ds) {
			return Item{}, false, nil
		}
		d := ds[i]
		i++
		return Item{Dispatch: d, Terms: termsOf(d.Text)}, true, nil
	}
}

func open(t testing.TB) (*Archive, string) {
	p := filepath.Join(t.TempDir(), "a.db")
	a, err := Open(p, "test-analyzer", true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a, p
}

func TestAddAndSimilar(t *testing.T) {
	ctx := context.Background()
	a, _ := open(t)
	ds := synth(1, 400)
	st, err := a.Add(ctx, items(ds[:250]), nil)
	if err != nil || st.Added != 250 {
		t.Fatalf("add: %+v %v", st, err)
	}
	// a second add: statistics change, weights follow
	dup := append(ds[250:], ds[0], dispatch.Dispatch{ID: "d1-3", Text: "autre texte pour le même id", File: "x", Line: 9})
	st, err = a.Add(ctx, items(dup), nil)
	if err != nil || st.Added != 150 || st.Duplicates != 1 || len(st.Rejected) != 1 {
		t.Fatalf("second add: %+v %v", st, err)
	}
	s, err := a.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m, metas, err := a.Vectors(ctx, Filter{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Filter{{}, {Label: "terrorisme"}, {Since: "2015", Until: "2020-03"}} {
		for q := 0; q < 20; q++ {
			text := ds[q*17].Text
			cold, err := a.Similar(ctx, termsOf(text), 5, f)
			if err != nil {
				t.Fatal(err)
			}
			warm := s.Similar(termsOf(text), 5, f)
			if len(cold) != len(warm) {
				t.Fatalf("filter %+v query %d: cold %d results, warm %d", f, q, len(cold), len(warm))
			}
			for i := range cold {
				if cold[i].ID != warm[i].ID || cold[i].Score != warm[i].Score {
					t.Fatalf("filter %+v query %d rank %d: cold %s %.6f, warm %s %.6f", f, q, i, cold[i].ID, cold[i].Score, warm[i].ID, warm[i].Score)
				}
				if !f.Match(cold[i].Date, cold[i].Labels) {
					t.Fatalf("result %+v does not pass %+v", cold[i].Meta, f)
				}
				if metas[cold[i].Doc].ID != cold[i].ID || m.Row(cold[i].Doc).Len() == 0 {
					t.Fatalf("vectors out of order")
				}
			}
			// brute force: the query is an archived dispatch, so its TF-IDF vector is its stored unit row,
			// and its cosine with every dispatch that passes the filter is a dot product of unit rows
			self := q * 17
			type sd struct {
				s   float64
				doc int
			}
			var all []sd
			for d := range m.Rows() {
				if f.Match(metas[d].Date, metas[d].Labels) {
					if c := vec.Dot(m.Row(self), m.Row(d)); c > 0 {
						all = append(all, sd{c, d})
					}
				}
			}
			sort.Slice(all, func(i, j int) bool { return all[i].s > all[j].s || all[i].s == all[j].s && all[i].doc < all[j].doc })
			for i := range cold {
				if i >= len(all) || math.Abs(all[i].s-cold[i].Score) > 1e-5 {
					t.Fatalf("filter %+v query %d rank %d: score %.6f, brute force %v", f, q, i, cold[i].Score, all[min(i, len(all)-1)])
				}
			}
			if f == (Filter{}) && cold[0].ID != ds[q*17].ID {
				t.Fatalf("query %d: best %s, want itself", q, cold[0].ID)
			}
		}
	}
}

func TestLabelsAndInfo(t *testing.T) {
	ctx := context.Background()
	a, _ := open(t)
	if _, err := a.Add(ctx, items(synth(2, 30)), nil); err != nil {
		t.Fatal(err)
	}
	if err := a.SetLabels(ctx, "d2-1", []string{"migration", "drogue", "migration"}); err != nil {
		t.Fatal(err)
	}
	d, err := a.Get(ctx, "d2-1")
	if err != nil || strings.Join(d.Labels, ",") != "drogue,migration" {
		t.Fatalf("labels %v %v", d.Labels, err)
	}
	if err := a.SetLabels(ctx, "nope", nil); err == nil {
		t.Fatal("unknown id accepted")
	}
	in, err := a.Info(ctx)
	if err != nil || in.Dispatches != 30 || in.Labels["drogue"] != 1 || in.Terms == 0 {
		t.Fatalf("info %+v %v", in, err)
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(filepath.Join(dir, "missing.db"), "x", false); err == nil {
		t.Error("missing file opened")
	}
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("this is not a database, just text that is long enough to have a header......"), 0o644)
	if _, err := Open(junk, "x", true); err == nil {
		t.Error("a text file opened as an archive")
	}
	p := filepath.Join(dir, "a.db")
	a, err := Open(p, "one", true)
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	_, err = Open(p, "two", false)
	if _, ok := err.(*AnalyzerError); !ok {
		t.Errorf("another analyzer: err = %v", err)
	}
}

// TestKilledAdd kills (SIGKILL) a process in the middle of a 100k import: the archive must open, pass
// PRAGMA integrity_check and hold none or all of that import.
func TestKilledAdd(t *testing.T) {
	if p := os.Getenv("DEPECHE_TEST_KILL_CHILD"); p != "" {
		n, _ := strconv.Atoi(os.Getenv("DEPECHE_TEST_KILL_N"))
		a, err := Open(p, "test-analyzer", true)
		if err != nil {
			panic(err)
		}
		seed := 9
		if s := os.Getenv("DEPECHE_TEST_KILL_SEED"); s != "" {
			seed, _ = strconv.Atoi(s)
		}
		// with DEPECHE_TEST_KILL_MARK the child says when it is halfway through its one transaction
		mark := os.Getenv("DEPECHE_TEST_KILL_MARK")
		progress := func(read int) {
			if mark != "" && read == n/2 {
				os.WriteFile(mark, nil, 0o644)
			}
		}
		if _, err := a.Add(context.Background(), items(synth(uint64(seed), n)), progress); err != nil {
			panic(err)
		}
		a.Close()
		return
	}
	if testing.Short() {
		t.Skip("spawns a 100k import")
	}
	// "wal": an add onto an archive of 100 dispatches; "fresh": a new archive's first add, which is
	// written with a rollback journal (openArchive)
	for _, tc := range []struct {
		name string
		pre  int
	}{{"wal", 100}, {"fresh", 0}} {
		t.Run(tc.name, func(t *testing.T) { killAdd(t, tc.pre) })
	}
}

// killAdd kills a child process in the middle of a 100k import onto an archive of pre dispatches (none:
// an archive the child creates).
func killAdd(t *testing.T, pre int) {
	ctx := context.Background()
	p := filepath.Join(t.TempDir(), "a.db")
	if pre > 0 {
		a, err := Open(p, "test-analyzer", true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Add(ctx, items(synth(8, pre)), nil); err != nil {
			t.Fatal(err)
		}
		a.Close()
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestKilledAdd$")
	mark := filepath.Join(t.TempDir(), "halfway")
	cmd.Env = append(os.Environ(), "DEPECHE_TEST_KILL_CHILD="+p, "DEPECHE_TEST_KILL_N=100000", "DEPECHE_TEST_KILL_MARK="+mark)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// kill when the import has inserted half its dispatches: in the middle of its one transaction, which
	// commits only after the last
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.Now().Add(120 * time.Second)
	midway := false
	for time.Now().Before(deadline) && !midway {
		if _, err := os.Stat(mark); err == nil {
			midway = true
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the import ended (%v) before it could be killed in its transaction: the test proved nothing", err)
		case <-time.After(5 * time.Millisecond):
		}
	}
	if !midway {
		t.Fatal("the import did not reach half its dispatches in 120 s: no kill in the middle of its transaction")
	}
	cmd.Process.Signal(syscall.SIGKILL)
	err := <-done
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("the import was not killed by the signal (it ended with %v): the test proved nothing", err)
	}
	if pre == 0 {
		if _, err := os.Stat(p + "-journal"); err != nil {
			t.Fatalf("the killed first add left no rollback journal (%v): was it written in WAL mode?", err)
		}
	}
	db, err := sql.Open("sqlite", "file:"+p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	db.Close()
	b, err := Open(p, "test-analyzer", false)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	n, err := b.Count(ctx)
	// killed in the middle of its one transaction (the WAL, or the file with its journal, held
	// uncommitted pages): none of it is there
	if err != nil || n != pre {
		t.Fatalf("after the kill in the middle of the import the archive holds %d dispatches (%v), want the %d from before", n, err, pre)
	}
	if _, err := b.Add(ctx, items(synth(8, 20)), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Similar(ctx, termsOf(synth(8, 1)[0].Text), 3, Filter{}); err != nil {
		t.Fatal(err)
	}
	if m := journalMode(t, b); m != "wal" {
		t.Errorf("the archive reopened after the kill is in journal mode %q, want wal", m)
	}
	t.Logf("killed import left %d dispatches", n)
}

// journalMode returns the archive's journal mode, as its writer connection reads it.
func journalMode(t *testing.T, a *Archive) string {
	t.Helper()
	var m string
	if err := a.db.QueryRow(`PRAGMA journal_mode`).Scan(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestFreshArchiveTurnsWAL: a new archive's first add is written with a rollback journal and the file
// is in WAL mode after it (so that readers of other processes read during the next adds); a reader of
// another handle sees the add, and no journal is left beside it.
func TestFreshArchiveTurnsWAL(t *testing.T) {
	ctx := context.Background()
	a, p := open(t)
	if m := journalMode(t, a); m != "delete" {
		t.Fatalf("a new archive before its first add is in journal mode %q, want delete", m)
	}
	if _, err := a.Add(ctx, items(synth(4, 60)), nil); err != nil {
		t.Fatal(err)
	}
	if m := journalMode(t, a); m != "wal" {
		t.Fatalf("after the first add: journal mode %q, want wal", m)
	}
	if _, err := os.Stat(p + "-journal"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a rollback journal is left: %v", err)
	}
	r, err := OpenReadOnly(p, "test-analyzer")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := a.Add(ctx, items(synth(5, 10)), nil); err != nil {
		t.Fatal(err)
	}
	if n, err := r.Count(ctx); err != nil || n != 70 {
		t.Fatalf("the other handle counts %d (%v), want 70", n, err)
	}
}

// TestConcurrentAddSimilar runs an add in another process while this one searches: both succeed.
func TestConcurrentAddSimilar(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns an import")
	}
	ctx := context.Background()
	a, p := open(t)
	if _, err := a.Add(ctx, items(synth(7, 200)), nil); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestKilledAdd$")
	cmd.Env = append(os.Environ(), "DEPECHE_TEST_KILL_CHILD="+p, "DEPECHE_TEST_KILL_N=20000")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	queries := 0
	for {
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("the add process failed: %v", err)
			}
			if queries == 0 {
				t.Fatal("no query ran during the add")
			}
			n, _ := a.Count(ctx)
			if n != 20200 {
				t.Fatalf("%d dispatches after the add, want 20200", n)
			}
			return
		default:
		}
		if _, err := a.Similar(ctx, termsOf(synth(7, 1)[0].Text), 5, Filter{}); err != nil {
			t.Fatalf("similar during the add: %v", err)
		}
		queries++
	}
}

func BenchmarkAdd(b *testing.B) {
	ds := synth(3, 20000)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		p := filepath.Join(b.TempDir(), "a.db")
		a, err := Open(p, "bench", true)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := a.Add(context.Background(), items(ds), nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		a.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(ds))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

func TestHash(t *testing.T) {
	long := strings.Repeat("Sécurité  renforcée\u00a0à Tanger ", 40)
	same := [][2]string{
		{"Le  Maroc\n et la France ", "le maroc et la france"},
		{"se\u0301curite\u0301", "sécurité"},
		{long, strings.ToLower(strings.Join(strings.Fields(long), " "))},
	}
	for _, p := range same {
		if string(Hash(p[0])) != string(Hash(p[1])) {
			t.Errorf("Hash(%q) != Hash(%q)", p[0], p[1])
		}
	}
	if string(Hash("a b")) == string(Hash("ab")) {
		t.Error("Hash ignores the space between words")
	}
}
