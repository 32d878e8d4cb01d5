package archive

import (
	"context"
	"crypto/sha256"
	"flag"
	"os"
	"path/filepath"
	"testing"
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
