package archive

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/depeche/depeche/dispatch"
)

// TestBadFiles: what is not a sound archive is named as such, whatever SQLite says.
func TestBadFiles(t *testing.T) {
	ctx := context.Background()
	a, p := open(t)
	if _, err := a.Add(ctx, items(synth(1, 300)), nil); err != nil {
		t.Fatal(err)
	}
	a.Close()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		q := filepath.Join(dir, name)
		if err := os.WriteFile(q, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return q
	}
	random := make([]byte, 8192)
	for i := range random {
		random[i] = byte(i*7919 + i/13)
	}
	sub := filepath.Join(dir, "a-directory.db")
	os.Mkdir(sub, 0o755)
	for _, c := range []struct {
		name string
		path string
		want error
	}{
		{"truncated", write("trunc.db", b[:len(b)/2]), ErrCorrupt},
		{"random bytes", write("random.db", random), ErrNotArchive},
		{"a text file", write("text.db", []byte("id\ttext\nx\tUn texte.\n")), ErrNotArchive},
		{"a directory", sub, ErrNotArchive},
		{"another SQLite database", func() string {
			q := filepath.Join(dir, "other.db")
			o, err := openDSN(q, "file:"+q, "", true)
			if err != nil {
				t.Fatal(err)
			}
			o.db.Exec(`DROP TABLE meta`)
			o.db.Exec(`CREATE TABLE x(y)`)
			o.Close()
			return q
		}(), ErrNotArchive},
	} {
		t.Run(c.name, func(t *testing.T) {
			for mode, opener := range map[string]func() (*Archive, error){
				"read-write": func() (*Archive, error) { return Open(c.path, "test-analyzer", false) },
				"read-only":  func() (*Archive, error) { return OpenReadOnly(c.path, "test-analyzer") },
			} {
				a, err := opener()
				if err == nil {
					// a truncated file may open: the damage shows in the first query that reaches it
					_, err = a.Similar(ctx, []string{"t1", "t2"}, 5, Filter{})
					if err == nil {
						_, err = a.Load(ctx)
					}
					a.Close()
				}
				if !errors.Is(Explain(err), c.want) {
					t.Errorf("%s: %v, want %v", mode, err, c.want)
				}
			}
		})
	}
}

// TestReadOnly: a read-only open answers queries and refuses writes.
func TestReadOnly(t *testing.T) {
	ctx := context.Background()
	a, p := open(t)
	ds := synth(2, 200)
	if _, err := a.Add(ctx, items(ds), nil); err != nil {
		t.Fatal(err)
	}
	a.Close()
	r, err := OpenReadOnly(p, "test-analyzer")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if n, err := r.Count(ctx); err != nil || n != 200 {
		t.Fatalf("count %d, %v", n, err)
	}
	if res, err := r.Similar(ctx, termsOf(ds[0].Text), 3, Filter{}); err != nil || len(res) == 0 {
		t.Fatalf("similar: %v, %v", res, err)
	}
	if err := r.SetLabels(ctx, ds[0].ID, []string{"x"}); err == nil {
		t.Error("a read-only archive took a write")
	}
	if _, err := OpenReadOnly(filepath.Join(t.TempDir(), "absent.db"), "test-analyzer"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("read-only open of a missing file: %v", err)
	}
}

// TestWriterWaits: a second writer waits for the first instead of failing, and is told it waits.
func TestWriterWaits(t *testing.T) {
	ctx := context.Background()
	a, p := open(t)
	if _, err := a.Add(ctx, items(synth(3, 50)), nil); err != nil {
		t.Fatal(err)
	}
	b, err := Open(p, "test-analyzer", false)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var waited sync.WaitGroup
	waited.Add(1)
	b.OnWait = waited.Done
	// the first writer holds the write lock past one busy wait while it "analyses"
	release := make(chan struct{})
	slow := func() func() (Item, bool, error) {
		next := items(synth(4, 20))
		first := true
		return func() (Item, bool, error) {
			if first {
				first = false
				<-release
			}
			return next()
		}
	}()
	done := make(chan error, 1)
	go func() { _, err := a.Add(ctx, slow, nil); done <- err }()
	time.Sleep(100 * time.Millisecond) // let it take the lock
	labelled := make(chan error, 1)
	ds := synth(3, 50)
	go func() { labelled <- b.SetLabels(ctx, ds[0].ID, []string{"attendu"}) }()
	waited.Wait() // OnWait was called: the label is waiting, not failing
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := <-labelled; err != nil {
		t.Fatalf("the waiting writer failed: %v", err)
	}
	d, err := b.Get(ctx, ds[0].ID)
	if err != nil || len(d.Labels) != 1 || d.Labels[0] != "attendu" {
		t.Errorf("label after the wait: %v %v", d.Labels, err)
	}
}

// TestConcurrentWriters: a 100k add in one process while a 5k add runs in another and 20 labels are set
// from a third: every write succeeds (the later ones wait for the lock, they do not fail after a timeout
// as they did), and the archive holds everything.
func TestConcurrentWriters(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a 100k import")
	}
	ctx := context.Background()
	a, p := open(t)
	base := synth(7, 200)
	if _, err := a.Add(ctx, items(base), nil); err != nil {
		t.Fatal(err)
	}
	a.Close()
	spawn := func(seed, n int) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestKilledAdd$")
		cmd.Env = append(os.Environ(), "DEPECHE_TEST_KILL_CHILD="+p, "DEPECHE_TEST_KILL_N="+strconv.Itoa(n), "DEPECHE_TEST_KILL_SEED="+strconv.Itoa(seed))
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	big := spawn(11, 100_000)
	time.Sleep(300 * time.Millisecond)
	small := spawn(12, 5_000)
	b, err := Open(p, "test-analyzer", false)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	waits := 0
	b.OnWait = func() { waits++ }
	for i := range 20 {
		if err := b.SetLabels(ctx, base[i].ID, []string{"etiquette"}); err != nil {
			t.Fatalf("label %d during the adds: %v", i, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := big.Wait(); err != nil {
		t.Fatalf("the 100k add failed: %v", err)
	}
	if err := small.Wait(); err != nil {
		t.Fatalf("the 5k add failed: %v", err)
	}
	if n, err := b.Count(ctx); err != nil || n != 200+100_000+5_000 {
		t.Fatalf("%d dispatches after the adds (%v), want %d", n, err, 200+100_000+5_000)
	}
	for i := range 20 {
		d, err := b.Get(ctx, base[i].ID)
		if err != nil || len(d.Labels) != 1 || d.Labels[0] != "etiquette" {
			t.Fatalf("%s: labels %v (%v)", base[i].ID, d.Labels, err)
		}
	}
	t.Logf("the labels waited for the lock %d times", waits)
}

// TestLabelFilterIsExact: --label matches a label id exactly on the cold path and in memory, whatever
// characters it holds (LIKE made "%" match every labelled dispatch and "terror%" match terrorisme).
func TestLabelFilterIsExact(t *testing.T) {
	ctx := context.Background()
	a, _ := open(t)
	ds := synth(5, 60)
	for i := range ds {
		ds[i].Labels = [][]string{{"terrorisme"}, {"a_b"}, {"axb"}, {"crime-organise"}, nil, {"x%y"}}[i%6]
	}
	if _, err := a.Add(ctx, items(ds), nil); err != nil {
		t.Fatal(err)
	}
	s, err := a.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	q := termsOf(ds[0].Text + " " + ds[1].Text + " " + ds[2].Text + " " + ds[3].Text + " " + ds[5].Text)
	for _, c := range []struct {
		label string
		want  int
	}{{"terrorisme", 10}, {"terror%", 0}, {"%", 0}, {"a_b", 10}, {"axb", 10}, {"_xb", 0}, {"crime-organise", 10}, {"x%y", 10}, {"x", 0}} {
		cold, err := a.Similar(ctx, q, 100, Filter{Label: c.label})
		if err != nil {
			t.Fatal(err)
		}
		warm := s.Similar(q, 100, Filter{Label: c.label})
		if len(cold) != c.want || len(warm) != c.want {
			t.Errorf("--label %q: %d cold, %d warm results, want %d", c.label, len(cold), len(warm), c.want)
		}
		n := 0
		a.Each(ctx, Filter{Label: c.label}, func(dispatch.Dispatch) error { n++; return nil })
		if n != c.want {
			t.Errorf("--label %q: Each gave %d, want %d", c.label, n, c.want)
		}
	}
}
