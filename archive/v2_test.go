package archive

import (
	"context"
	"crypto/sha256"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/depeche/depeche/search"
)

// testdata/archive_v2.db is an archive of format 2, made once by the code of format 2 (commit 1b75a97's
// archive package, with -gen-v2) from v1Dispatches in the same two adds and two label changes as the
// format-1 fixture, and never rewritten: its SHA-256 is pinned below. Its content is the format-1
// fixture's, so it answers the format-1 goldens (warm scores to the bit); its inv_norms hold 1/‖d‖ of its
// state, unstamped (format 2 rewrote them at every add).
var genV2 = flag.Bool("gen-v2", false, "write testdata/archive_v2.db (only with the format-2 code)")

const (
	v2Fixture = "testdata/archive_v2.db"
	v2SHA256  = "1aead616e32634f932aded495d90082eac9d71322a6b5e7f63daf7df5178bd56"
)

// TestGenV2 writes the format-2 fixture, with -gen-v2, from the format-2 code only.
func TestGenV2(t *testing.T) {
	if !*genV2 {
		t.Skip("writes the format-2 fixture with -gen-v2 (only once, with the format-2 code)")
	}
	if FormatVersion != 2 {
		t.Fatalf("this code writes format %d: the format-2 fixture is made by the format-2 code only", FormatVersion)
	}
	ctx := context.Background()
	if _, err := os.Stat(v2Fixture); err == nil {
		t.Fatalf("%s exists: it is never rewritten", v2Fixture)
	}
	a, err := Open(v2Fixture, "test-analyzer", true)
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
	if err := a.SetLabels(ctx, "v1-04", []string{"terrorisme", "a_b"}); err != nil {
		t.Fatal(err)
	}
	if err := a.SetLabels(ctx, "v1-05", nil); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	for _, x := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(v2Fixture + x); err == nil {
			t.Fatalf("%s%s left behind: the fixture must be one file", v2Fixture, x)
		}
	}
	b, err := os.ReadFile(v2Fixture)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d bytes, sha256 %x", v2Fixture, len(b), sha256.Sum256(b))
}

// copyV2 copies the format-2 fixture into a temporary directory (the fixture itself is never opened for
// writing).
func copyV2(t *testing.T) string {
	b, err := os.ReadFile(v2Fixture)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "archive_v2.db")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestV2FixturePinned: the format-2 fixture is the file the format-2 code made, byte for byte.
func TestV2FixturePinned(t *testing.T) { assertSum(t, v2Fixture, v2SHA256) }

// TestV2ReadOnly: a read-only open of the format-2 fixture reads it as it is and answers what the
// format-1 code answered for the same dispatches (Similar cold and warm, Each); the file is left as it
// was.
func TestV2ReadOnly(t *testing.T) {
	p := copyV2(t)
	a, err := OpenReadOnly(p, "test-analyzer")
	if err != nil {
		t.Fatal(err)
	}
	if a.Format() != 2 {
		t.Fatalf("format %d, want 2", a.Format())
	}
	checkV1Answers(t, a)
	a.Close()
	assertSum(t, p, v2SHA256)
}

// TestV2Migration: the first write to a format-2 archive (a copy of the fixture) migrates it to format 3
// in its transaction: its norms, which format 2 kept fresh, are stamped with its state and serve the cold
// path as they are (the format-1 goldens still hold), until an add makes them stale. An add that
// migrates puts its segments onto the index file written in format 2 (the migration moves no weight)
// instead of writing the index again, and the index file, the cold path and the in-memory index then agree
// to the bit.
func TestV2Migration(t *testing.T) {
	ctx := context.Background()
	t.Run("by an empty add", func(t *testing.T) {
		a, err := Open(copyV2(t), "test-analyzer", false)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		if a.Format() != 2 {
			t.Fatalf("format %d before any write, want 2", a.Format())
		}
		if st, err := a.Add(ctx, items(nil), nil); err != nil || st.Added != 0 {
			t.Fatalf("add: %+v %v", st, err)
		}
		if a.Format() != 3 {
			t.Fatalf("format %d after a write, want 3", a.Format())
		}
		now, want := currentNorms(t, a)
		if stamp, rows := storedStamp(t, a); stamp != now || rows != 1 {
			t.Fatalf("the format-2 norms are stamped %q (%d rows), want %q", stamp, rows, now)
		}
		r, err := a.read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		stored, err := r.storedNorms(ctx, len(want))
		r.Rollback()
		if err != nil || !sameBits(stored, want) {
			t.Fatalf("the format-2 norms are not InvNorm's to the bit (%v)", err)
		}
		checkV1Answers(t, a)
		if got := IntegrityCheck(a.Path()); got != "ok" {
			t.Fatalf("integrity_check: %s", got)
		}
	})
	for _, how := range []string{"label", "empty add"} {
		t.Run("by a "+how+" beside its index file", func(t *testing.T) {
			p := copyV2Indexed(t)
			before, segs, err := search.ReadSegments(IndexPath(p))
			if err != nil {
				t.Fatal(err)
			}
			a, err := Open(p, "test-analyzer", false)
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			var notes []string
			a.OnIndex = func(msg string) { notes = append(notes, msg) }
			if how == "label" {
				err = a.SetLabels(ctx, "v1-06", []string{"nouveau"})
			} else {
				var st AddStats
				if st, err = a.Add(ctx, items(nil), nil); err == nil {
					_, err = a.UpdateIndex(ctx, st)
				}
			}
			if err != nil || a.Format() != 3 {
				t.Fatalf("%s: %v, format %d", how, err, a.Format())
			}
			xf, err := a.OpenIndex(ctx)
			if err != nil {
				t.Fatalf("the index file after the migration: %v, want it stamped again (was %s)", err, before)
			}
			if len(notes) != 0 || len(xf.Segments) != 1 || xf.Segments[0].Name != segs[0].Name {
				t.Fatalf("the index was written again (%q, %+v), want its segment stamped again", notes, xf.Segments)
			}
			var queries [][]string
			for _, q := range v1Queries()[:20] {
				queries = append(queries, q.terms)
			}
			checkIndexFile(t, a, xf, queries)
		})
	}
	t.Run("by an add onto its index file", func(t *testing.T) {
		p := copyV2Indexed(t)
		a, err := Open(p, "test-analyzer", false)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		var notes []string
		a.OnIndex = func(msg string) { notes = append(notes, msg) }
		first, _ := v1Dispatches()
		more := synth(22, 40)
		more[0].Labels = []string{"a_b", "nouveau"}
		st, err := a.Add(ctx, items(append(more, first[0])), nil)
		if err != nil || st.Added != 40 || st.Duplicates != 1 || a.Format() != 3 {
			t.Fatalf("add: %+v %v, format %d", st, err, a.Format())
		}
		if stamp, rows := storedStamp(t, a); stamp != "" || rows != 0 {
			t.Fatalf("the add left norms stamped %q (%d rows)", stamp, rows)
		}
		xf, err := a.UpdateIndex(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) != 0 || len(xf.Segments) != 2 {
			t.Fatalf("the migrating add wrote the index again (%q; %d segments, want the old one and the add's)", notes, len(xf.Segments))
		}
		var queries [][]string
		for _, q := range v1Queries()[:40] {
			queries = append(queries, q.terms)
		}
		checkIndexFile(t, a, xf, queries)
	})
}

// copyV2Indexed is copyV2 with an index file written beside the copy by a read-only handle, so stamped
// with format 2.
func copyV2Indexed(t *testing.T) string {
	t.Helper()
	p := copyV2(t)
	ro, err := OpenReadOnly(p, "test-analyzer")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ro.WriteIndex(context.Background()); err != nil {
		t.Fatal(err)
	}
	ro.Close()
	return p
}
