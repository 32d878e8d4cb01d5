package archive

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/depeche/depeche/search"
)

// checkIndexFile fails unless the index file's answers (SimilarIn) are the cold path's (a full scan of
// the query's postings, streamed from SQLite) and the in-memory index's, dispatches, scores to the bit,
// shared terms and current labels, under filters of every kind.
func checkIndexFile(t *testing.T, a *Archive, xf *search.File, queries [][]string) {
	t.Helper()
	ctx := context.Background()
	s, err := a.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nonEmpty := 0
	for _, f := range []Filter{{}, {Label: "terrorisme"}, {Label: "a_b"}, {Label: "nouveau"}, {Since: "2015"}, {Label: "x%y", Until: "2019"}} {
		for q, terms := range queries {
			for _, k := range []int{1, 10, 100} {
				what := fmt.Sprintf("query %d k=%d filter %+v", q, k, f)
				got, err := a.SimilarIn(ctx, xf, terms, k, f)
				if err != nil {
					t.Fatal(err)
				}
				cold, err := a.Similar(ctx, terms, k, f)
				if err != nil {
					t.Fatal(err)
				}
				sameResults(t, what+" (file, cold)", got, cold)
				sameResults(t, what+" (file, memory)", got, s.Similar(terms, k, f))
				if len(got) > 0 {
					nonEmpty++
				}
			}
		}
	}
	if nonEmpty == 0 {
		t.Fatal("every answer was empty")
	}
}

// TestIndexFile: the index file answers as the cold path and the in-memory index do, bit for bit, after
// a first add, after a second one (new terms, every idf and norm moved) with exact duplicates re-added,
// and after labels changed without the file being written again; a file of an older state is stale.
func TestIndexFile(t *testing.T) {
	ctx := context.Background()
	a, p := open(t)
	ds := engineDispatches(11, 9000) // past the sizes where search bounds and splits the documents
	var queries [][]string
	for q := range 8 {
		terms := termsOf(ds[(q*7919)%len(ds)].Text)
		if q%3 == 1 {
			terms = terms[:3]
		}
		queries = append(queries, terms)
	}
	var notes []string
	a.OnIndex = func(msg string) { notes = append(notes, msg) }
	st, err := a.Add(ctx, items(ds[:5000]), nil)
	if err != nil {
		t.Fatal(err)
	}
	xf, err := a.UpdateIndex(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	checkIndexFile(t, a, xf, queries)
	first := len(xf.Segments)

	if st, err = a.Add(ctx, items(append(ds[5000:], ds[:50]...)), nil); err != nil || st.Duplicates != 50 {
		t.Fatalf("second add: %+v %v", st, err)
	}
	if _, err := a.SimilarIn(ctx, xf, queries[0], 10, Filter{}); !errors.Is(err, ErrStaleIndex) {
		t.Fatalf("a search on the file of before the add: %v, want ErrStaleIndex", err)
	}
	if _, err := a.OpenIndex(ctx); IndexProblem(err) != "stale" {
		t.Fatalf("OpenIndex after an add: %v, want stale", err)
	}
	infoSays(t, a, "stale")
	if xf, err = a.UpdateIndex(ctx, st); err != nil {
		t.Fatal(err)
	}
	// the second add's segments were added to the first's, none written again
	if len(xf.Segments) != first+1 {
		t.Fatalf("segments after the second add: %+v (first add: %d)", xf.Segments, first)
	}
	if len(notes) != 0 {
		t.Fatalf("adds onto a fresh index wrote it again: %q", notes)
	}
	checkIndexFile(t, a, xf, queries)
	// merged into one segment, the same answers
	if xf, err = a.Optimize(ctx); err != nil || len(xf.Segments) != 1 {
		t.Fatalf("Optimize: %v", err)
	}
	if err := xf.Verify(); err != nil {
		t.Fatal(err)
	}
	// a third add onto an index that went missing writes it whole, saying so once
	os.Remove(IndexPath(p))
	if st, err = a.Add(ctx, items(engineDispatches(12, 40)), nil); err != nil || st.Added == 0 {
		t.Fatalf("third add: %+v %v", st, err)
	}
	if xf, err = a.UpdateIndex(ctx, st); err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 {
		t.Fatalf("an add onto a missing index: %q, want one message", notes)
	}
	for i := 0; i < 9000; i += 7 {
		if err := a.SetLabels(ctx, ds[i].ID, []string{"nouveau", "a_b"}); err != nil {
			t.Fatal(err)
		}
	}
	checkIndexFile(t, a, xf, queries) // labels are read from the archive: current without a new file
	infoSays(t, a, "fresh")
	if err := os.Remove(IndexPath(p)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.OpenIndex(ctx); IndexProblem(err) != "missing" {
		t.Fatalf("OpenIndex without the file: %v, want missing", err)
	}
	infoSays(t, a, "missing")
}

func infoSays(t *testing.T, a *Archive, state string) {
	t.Helper()
	in, err := a.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if in.Index != state {
		t.Fatalf("Info: index %q, want %q", in.Index, state)
	}
}

// TestIndexFileCorrupt: a damaged file is reported as corrupt, never searched.
func TestIndexFileCorrupt(t *testing.T) {
	ctx := context.Background()
	a, p := open(t)
	if _, err := a.Add(ctx, items(synth(3, 300)), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.WriteIndex(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(IndexPath(p))
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []int{0, 30, 600, len(b) - 1} {
		c := append([]byte(nil), b...)
		c[at] ^= 0x41
		if err := os.WriteFile(IndexPath(p), c, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := a.OpenIndex(ctx); IndexProblem(err) != "corrupt" {
			t.Errorf("byte %d flipped: %v, want corrupt", at, err)
		}
	}
	if err := os.WriteFile(IndexPath(p), b[:len(b)/3], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := a.OpenIndex(ctx); IndexProblem(err) != "corrupt" {
		t.Errorf("truncated: %v, want corrupt", err)
	}
}

// TestIndexFileBadPostings: damage in the postings, which opening does not checksum (Verify does), never crashes
// SimilarIn; on the two-goroutine path of a large index it gives search.ErrCorrupt.
func TestIndexFileBadPostings(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{300, 9000} { // one goroutine; ranges searched at once (from 8,192 documents)
		a, p := open(t)
		ds := synth(5, n)
		if _, err := a.Add(ctx, items(ds), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := a.WriteIndex(ctx); err != nil {
			t.Fatal(err)
		}
		_, segs, err := search.ReadSegments(IndexPath(p))
		if err != nil {
			t.Fatal(err)
		}
		seg := filepath.Join(filepath.Dir(p), segs[0].Name)
		b, err := os.ReadFile(seg)
		if err != nil {
			t.Fatal(err)
		}
		// the section table of a segment follows its header's fixed fields: (offset, length, crc) per
		// section, 24 bytes each; section 2 holds the postings' document numbers (search/segment.go)
		const docsEntry = 64 + 2*24
		off, ln := binary.LittleEndian.Uint64(b[docsEntry:]), binary.LittleEndian.Uint64(b[docsEntry+8:])
		for i := off; i+4 <= off+ln; i += 4 {
			binary.LittleEndian.PutUint32(b[i:], 0x7fffffff)
		}
		if err := os.WriteFile(seg, b, 0o644); err != nil {
			t.Fatal(err)
		}
		xf, err := a.OpenIndex(ctx)
		if err != nil {
			t.Fatalf("%d documents: the postings are not checked at open, got %v", n, err)
		}
		// the postings a search reads are checked as it first weighs them
		_, err = a.SimilarIn(ctx, xf, termsOf(ds[7].Text), 10, Filter{})
		if !errors.Is(err, search.ErrCorrupt) {
			t.Errorf("%d documents: SimilarIn over damaged postings: %v, want search.ErrCorrupt", n, err)
		}
		a.Close()
	}
}

// TestKilledIndexWrite kills, with SIGKILL, a process that has committed an add and is writing the index
// file (again and again, so that the kill lands in a write, at a random moment): the file left is the old
// one (stale), the new one (whose answers are the cold path's), or detected as corrupt; never a file that
// gives another answer.
func TestKilledIndexWrite(t *testing.T) {
	if p := os.Getenv("DEPECHE_TEST_INDEX_CHILD"); p != "" {
		a, err := Open(p, "test-analyzer", false)
		if err != nil {
			panic(err)
		}
		ctx := context.Background()
		// adds, each followed by its index update (segments, then the small index file), and a whole
		// rewrite now and then: the kill lands in any of them
		for i := 0; ; i++ {
			st, err := a.Add(ctx, items(synth(uint64(100+i), 3000)), nil)
			if err != nil {
				panic(err)
			}
			if i == 0 {
				os.WriteFile(os.Getenv("DEPECHE_TEST_INDEX_MARK"), nil, 0o644)
			}
			if _, err := a.UpdateIndex(ctx, st); err != nil {
				panic(err)
			}
			if i%3 == 2 {
				if _, err := a.WriteIndex(ctx); err != nil {
					panic(err)
				}
			}
		}
	}
	if testing.Short() {
		t.Skip("spawns an import")
	}
	ctx := context.Background()
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
	outcomes := map[string]int{}
	for round := range 3 {
		a, p := open(t)
		if _, err := a.Add(ctx, items(synth(20, 500)), nil); err != nil {
			t.Fatal(err)
		}
		if _, err := a.WriteIndex(ctx); err != nil {
			t.Fatal(err)
		}
		mark := filepath.Join(t.TempDir(), "committed")
		cmd := exec.Command(os.Args[0], "-test.run", "^TestKilledIndexWrite$")
		cmd.Env = append(os.Environ(), "DEPECHE_TEST_INDEX_CHILD="+p, "DEPECHE_TEST_INDEX_MARK="+mark)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		for deadline := time.Now().Add(120 * time.Second); ; time.Sleep(2 * time.Millisecond) {
			if _, err := os.Stat(mark); err == nil {
				break
			}
			select {
			case err := <-done:
				t.Fatalf("the child ended (%v) before its add committed", err)
			default:
			}
			if time.Now().After(deadline) {
				t.Fatal("the child's add did not commit in 120 s")
			}
		}
		time.Sleep(time.Duration(r.IntN(1500)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		err := <-done
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: the child was not killed by the signal (%v)", round, err)
		}
		xf, err := a.OpenIndex(ctx)
		problem := IndexProblem(err)
		switch {
		case err == nil:
			problem = "new"
			q := termsOf(synth(21, 1)[0].Text)
			got, err := a.SimilarIn(ctx, xf, q, 10, Filter{})
			if err != nil {
				t.Fatal(err)
			}
			cold, err := a.Similar(ctx, q, 10, Filter{})
			if err != nil {
				t.Fatal(err)
			}
			sameResults(t, "after the kill", got, cold)
		case problem == "":
			t.Fatalf("round %d: after the kill: %v", round, err)
		}
		outcomes[problem]++
		// the next add brings the index up to date whatever the kill left, with the cold path's answers
		st, err := a.Add(ctx, items(synth(99, 50)), nil)
		if err != nil {
			t.Fatal(err)
		}
		if xf, err = a.UpdateIndex(ctx, st); err != nil {
			t.Fatalf("round %d: the add after the kill: %v", round, err)
		}
		q := termsOf(synth(99, 1)[0].Text)
		got, err := a.SimilarIn(ctx, xf, q, 10, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		cold, err := a.Similar(ctx, q, 10, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		sameResults(t, "after the kill and an add", got, cold)
	}
	t.Logf("index files after a kill: %v", outcomes)
}
