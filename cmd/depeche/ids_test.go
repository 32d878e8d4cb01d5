package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSameNameFiles: rows without an id in files of the same name in two folders all reach the archive
// (they were rejected as "already archived with another text" when ids carried the base name only), and
// importing the same files again adds nothing.
func TestSameNameFiles(t *testing.T) {
	home := t.TempDir()
	for _, y := range []string{"2019", "2020"} {
		os.MkdirAll(filepath.Join(home, y), 0o755)
		var b strings.Builder
		b.WriteString("labels\ttext\n")
		for i := range 50 {
			b.WriteString("terrorisme\tDépêche " + y + " numéro " + strings.Repeat("x", i+1) + " sur une cellule démantelée à Tanger.\n")
		}
		os.WriteFile(filepath.Join(home, y, "depeches.tsv"), []byte(b.String()), 0o644)
	}
	db := filepath.Join(home, "a.db")
	a, b := filepath.Join(home, "2019", "depeches.tsv"), filepath.Join(home, "2020", "depeches.tsv")
	code, out, errOut := cli(t, home, "", "add", "--no-near-duplicates", "--archive", db, a, b)
	if code != 0 || !strings.Contains(out, "added 100,") || !strings.Contains(out, "rejected 0") {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	code, out, _ = cli(t, home, "", "add", "--no-near-duplicates", "--archive", db, a, b)
	if code != 0 || !strings.Contains(out, "added 0, duplicates skipped 100") {
		t.Fatalf("second import: exit %d: %s", code, out)
	}
}
