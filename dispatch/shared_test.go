package dispatch

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// sharedDir returns ../../shared (the shared datasets and seeds beside the repository), or skips the test.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared")
	if _, err := os.Stat(filepath.Join(dir, "datasets")); err != nil {
		t.Skipf("../shared not found: %v (the shared datasets live beside the repository, at ../../shared from this package)", err)
	}
	return dir
}

func TestSharedDatasets(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "datasets")
	tests := []struct {
		file   string
		rows   int
		labels string // the label set, when the README gives it
	}{
		{"masakhanews-fra/train.tsv", 548, "business health politics sports technology"},
		{"masakhanews-fra/dev.tsv", 211, "business health politics sports technology"},
		{"masakhanews-fra/test.tsv", 422, "business health politics sports technology"},
		{"sib200-fra/train.tsv", 701, "science/technology travel politics sports health entertainment geography"},
		{"sib200-fra/dev.tsv", 99, "science/technology travel politics sports health entertainment geography"},
		{"sib200-fra/test.tsv", 204, "science/technology travel politics sports health entertainment geography"},
		{"an-questions-rubriques/all.tsv", 1308, ""}, // README: 1,308 rows, 172 rubriques
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join(dir, filepath.FromSlash(tc.file))
			ds, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != tc.rows {
				t.Errorf("%d rows, want %d", len(ds), tc.rows)
			}
			labels := map[string]int{}
			quoted := 0
			for i, d := range ds {
				if len(d.Labels) != 1 {
					t.Fatalf("%s: labels %v, want one", d.ID, d.Labels)
				}
				labels[d.Labels[0]]++
				if d.Line != i+2 || d.ID != filepath.ToSlash(path)+":"+strconv.Itoa(i+2) || d.Text == "" {
					t.Fatalf("row %d: %+v", i, shorten([]Dispatch{d}))
				}
				if strings.HasPrefix(d.Text, `"`) {
					quoted++
				}
			}
			if tc.labels != "" {
				for l := range labels {
					if !strings.Contains(" "+tc.labels+" ", " "+l+" ") {
						t.Errorf("label %q is not one of %s", l, tc.labels)
					}
				}
			}
			if tc.file == "an-questions-rubriques/all.tsv" && len(labels) != 172 {
				t.Errorf("%d labels, want 172", len(labels))
			}
			if tc.file == "masakhanews-fra/test.tsv" && quoted == 0 {
				t.Errorf("no text starts with a quote: the README says some do, and a .tsv keeps them")
			}
		})
	}
	for _, f := range []string{"train.tsv", "dev.tsv", "test.tsv"} {
		t.Run("stsb-fr/"+f, func(t *testing.T) {
			path := filepath.Join(dir, "stsb-fr", f)
			_, err := Load(path)
			want := &InputError{File: path, Line: 1, Err: ErrNoTextColumn}
			if !sameInputError(err, want) {
				t.Fatalf("err = %v, want %v", err, want)
			}
			for _, s := range []string{`no "text" column`, `"score", "text1", "text2", "genre", "source"`} {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("%v: does not say %s", err, s)
				}
			}
		})
	}
}

func TestSharedDatasetsAllLoadOrSayWhy(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "datasets")
	files, err := Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if FormatOf(f) != FormatTSV {
			continue // README.md is skipped, LICENSE.upstream.txt is a dispatch
		}
		_, err := Load(f)
		if strings.Contains(f, "stsb-fr") != errors.Is(err, ErrNoTextColumn) || err != nil && !errors.Is(err, ErrNoTextColumn) {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestSharedSeeds(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "seeds")
	ds, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	paths, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(ds) != len(paths) || len(ds) == 0 {
		t.Fatalf("%d dispatches from %d files", len(ds), len(paths))
	}
	for i, d := range ds {
		raw, err := os.ReadFile(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(paths[i])
		want := strings.TrimSpace(strings.TrimPrefix(string(raw), "\ufeff"))
		if d.ID != strings.TrimSuffix(name, ".txt") || d.Line != 1 || d.File != paths[i] || d.Text != want {
			t.Errorf("%s: %+v", name, shorten([]Dispatch{d}))
		}
	}
}
