package archive

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// storedStamp returns meta 'norms' and the number of inv_norms rows of the archive file.
func storedStamp(t *testing.T, a *Archive) (string, int) {
	t.Helper()
	var stamp string
	var rows int
	if err := a.db.QueryRow(`SELECT value FROM meta WHERE key = 'norms'`).Scan(&stamp); err != nil {
		t.Fatal(err)
	}
	if err := a.db.QueryRow(`SELECT count(*) FROM inv_norms`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	return stamp, rows
}

// currentNorms returns the norms stamp of the archive as it is and 1/‖d‖ of every dispatch by
// search.Weights.InvNorm over the term lists (the reference).
func currentNorms(t *testing.T, a *Archive) (string, []float64) {
	t.Helper()
	ctx := context.Background()
	r, err := a.read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Rollback()
	now, err := normsStamp(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	n, err := r.count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, df, err := loadTerms(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	want, err := computeInvNorms(ctx, r, n, df)
	if err != nil {
		t.Fatal(err)
	}
	return now, want
}

func sameBits(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

// TestStaleNorms: an add leaves no stored norm (format 3); a cold search then makes them from the
// postings, bit for bit InvNorm's over the term lists, answers as the in-memory index and the index file
// do, and, the archive being writable, stores them stamped with the state they are of; the next add
// clears them again. Every add's statistics move every norm, so norms of one state never serve another.
func TestStaleNorms(t *testing.T) {
	ctx := context.Background()
	a, _ := open(t)
	ds := engineDispatches(41, 3000)
	var queries [][]string
	for q := range 6 {
		queries = append(queries, termsOf(ds[(q*977)%len(ds)].Text))
	}
	for i, part := range [][]int{{0, 1200}, {1200, 1201}, {1201, 3000}} {
		st, err := a.Add(ctx, items(ds[part[0]:part[1]]), nil)
		if err != nil {
			t.Fatal(err)
		}
		if stamp, rows := storedStamp(t, a); stamp != "" || rows != 0 {
			t.Fatalf("add %d left norms stamped %q (%d rows)", i, stamp, rows)
		}
		now, want := currentNorms(t, a)
		r, err := a.read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		got, err := postingsInvNorms(ctx, r, len(want))
		r.Rollback()
		if err != nil || !sameBits(got, want) {
			t.Fatalf("add %d: the norms from the postings are not InvNorm's to the bit (%v)", i, err)
		}
		xf, err := a.UpdateIndex(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		checkIndexFile(t, a, xf, queries) // cold, with stale norms: made, cached, stored in the background
		a.bg.Wait()
		if stamp, rows := storedStamp(t, a); stamp != now || rows != (len(want)+normChunk-1)/normChunk {
			t.Fatalf("add %d: after a cold search the norms are stamped %q (%d rows), want %q", i, stamp, rows, now)
		}
		r, err = a.read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := r.storedNorms(ctx, len(want))
		r.Rollback()
		if err != nil || !sameBits(stored, want) {
			t.Fatalf("add %d: the stored norms are not InvNorm's to the bit (%v)", i, err)
		}
	}
	// a new process reads the stored norms (fresh), and answers the same
	a.norms = normsCache{}
	checkColdIsWarm(t, a, ds, 4)
}

// TestStaleNormsReadOnly: the cold path of a read-only archive with stale norms and no index file (the
// desk's fallback when it cannot write one) makes the norms in memory and stores nothing; its answers are
// those of the index file written before it was removed, and of the in-memory index, to the bit.
func TestStaleNormsReadOnly(t *testing.T) {
	ctx := context.Background()
	w, p := open(t)
	ds := engineDispatches(42, 2500)
	var st AddStats
	var err error
	for _, part := range [][2]int{{0, 2000}, {2000, 2500}} {
		if st, err = w.Add(ctx, items(ds[part[0]:part[1]]), nil); err != nil {
			t.Fatal(err)
		}
	}
	xf, err := w.UpdateIndex(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	var queries [][]string
	for q := range 6 {
		queries = append(queries, termsOf(ds[(q*613)%len(ds)].Text))
	}
	type answer struct {
		terms []string
		k     int
		f     Filter
		res   []Result
	}
	var want []answer
	for _, f := range []Filter{{}, {Label: "a_b"}, {Since: "2015"}} {
		for _, q := range queries {
			for _, k := range []int{1, 10, 100} {
				res, err := w.SimilarIn(ctx, xf, q, k, f)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, answer{q, k, f, res})
			}
		}
	}
	w.Close()
	for _, f := range append([]string{IndexPath(p)}, segmentFiles(t, p)...) {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}

	a, err := OpenReadOnly(p, "test-analyzer")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := a.OpenIndex(ctx); IndexProblem(err) != "missing" {
		t.Fatalf("the index file is still there: %v", err)
	}
	if stamp, rows := storedStamp(t, a); stamp != "" || rows != 0 {
		t.Fatalf("the norms are stamped %q (%d rows) after the adds", stamp, rows)
	}
	s, err := a.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		cold, err := a.Similar(ctx, w.terms, w.k, w.f)
		if err != nil {
			t.Fatal(err)
		}
		sameResults(t, "read-only cold, index file", cold, w.res)
		sameResults(t, "read-only cold, memory", cold, s.Similar(w.terms, w.k, w.f))
	}
	a.bg.Wait()
	if stamp, rows := storedStamp(t, a); stamp != "" || rows != 0 {
		t.Fatalf("a read-only open stored norms (%q, %d rows)", stamp, rows)
	}
}

// segmentFiles lists the index segment files beside the archive at p.
func segmentFiles(t *testing.T, p string) []string {
	t.Helper()
	m, err := filepath.Glob(IndexPath(p) + ".seg-*")
	if err != nil {
		t.Fatal(err)
	}
	return m
}
