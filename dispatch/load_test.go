package dispatch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeFiles creates the files (path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func ids(ds []Dispatch) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.ID
	}
	return out
}

func TestLoadDirectory(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"b.txt":              "Texte B",
		"a.tsv":              "id\ttext\na1\tTexte A1\na2\tTexte A2\n",
		"sub/c.csv":          "id,text\nc1,\"Texte, C1\"\n",
		"sub/deeper/d.JSONL": "{\"id\":\"d1\",\"text\":\"Texte D1\"}\n",
		"notes.md":           "ignored",
		"model.depeche":      "ignored",
		".hidden.txt":        "ignored",
		".git/e.txt":         "ignored",
		"sub/.cache/f.tsv":   "ignored",
	})
	if err := os.Symlink(filepath.Join(dir, "b.txt"), filepath.Join(dir, "sub", "link.txt")); err != nil {
		t.Log("no symlink:", err)
	}
	ds, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a1", "a2", "b", "c1", "d1", "link"}
	if _, err := os.Lstat(filepath.Join(dir, "sub", "link.txt")); err != nil {
		want = want[:5]
	}
	if got := ids(ds); !reflect.DeepEqual(got, want) {
		t.Fatalf("ids %v, want %v", got, want)
	}
	if ds[3].File != filepath.Join(dir, "sub", "c.csv") || ds[3].Line != 2 || ds[3].Text != "Texte, C1" {
		t.Errorf("c1 = %+v", ds[3])
	}

	// the same through LoadAll, twice, and an explicitly named hidden file
	writeFiles(t, dir, map[string]string{".hidden/x.txt": "Texte X"})
	all, err := LoadAll([]string{filepath.Join(dir, "sub"), filepath.Join(dir, "a.tsv"), filepath.Join(dir, ".hidden.txt"), filepath.Join(dir, ".hidden")})
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"c1", "d1", "link", "a1", "a2", ".hidden", "x"}
	if _, err := os.Lstat(filepath.Join(dir, "sub", "link.txt")); err != nil {
		want = []string{"c1", "d1", "a1", "a2", ".hidden", "x"}
	}
	if got := ids(all); !reflect.DeepEqual(got, want) {
		t.Errorf("LoadAll ids %v, want %v", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"ok.tsv":          "text\nun\n",
		"bad/a.tsv":       "text\nun\n",
		"bad/b.tsv":       "text\tdate\ndeux\t2019-13-02\n",
		"notes.md":        "x",
		"empty/README.md": "nothing to load",
	})
	p := func(name string) string { return filepath.Join(dir, filepath.FromSlash(name)) }
	tests := []struct {
		name string
		path string
		want InputError
		msg  string
	}{
		{"missing file", p("missing.tsv"), InputError{File: p("missing.tsv"), Err: fs.ErrNotExist}, p("missing.tsv") + ": no such file or directory"},
		{"unsupported type", p("notes.md"), InputError{File: p("notes.md"), Err: ErrFormat}, p("notes.md") + `: unsupported file type ".md": use one of .txt, .tsv, .csv, .jsonl`},
		{"no supported file", p("empty"), InputError{File: p("empty"), Err: ErrNoFiles}, p("empty") + ": no .txt, .tsv, .csv or .jsonl file in this directory"},
		{"bad row in a directory", p("bad"), InputError{File: p("bad/b.tsv"), Line: 2, Field: "date", Err: ErrBadDate}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := Load(tc.path)
			if !sameInputError(err, &tc.want) || ds != nil {
				t.Fatalf("Load: %d dispatches, err %#v (%v)\nwant %#v", len(ds), err, err, tc.want)
			}
			if tc.msg != "" && err.Error() != tc.msg {
				t.Errorf("message\n got %s\nwant %s", err, tc.msg)
			}
			if _, err := LoadAll([]string{p("ok.tsv"), tc.path}); !sameInputError(err, &tc.want) {
				t.Errorf("LoadAll: %v", err)
			}
		})
	}
	if os.Getuid() != 0 { // root reads anything
		writeFiles(t, dir, map[string]string{"locked.tsv": "text\nun\n"})
		os.Chmod(p("locked.tsv"), 0)
		if _, err := Load(p("locked.tsv")); !sameInputError(err, &InputError{File: p("locked.tsv"), Err: fs.ErrPermission}) {
			t.Errorf("locked file: %v", err)
		}
	}
}

func TestEach(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.tsv": "id\ttext\tdate\n1\tun\t\n2\tdeux\t2019-13-01\n3\ttrois\t\n",
		"b.txt": "quatre",
	})
	stop := errors.New("stop")
	var seen []string
	err := Each(dir, func(d Dispatch) error {
		seen = append(seen, d.ID)
		return stop
	})
	if err != stop || len(seen) != 1 {
		t.Fatalf("Each: %v after %v, want the error of fn as it is, after one dispatch", err, seen)
	}

	seen = nil
	err = Each(dir, func(d Dispatch) error { seen = append(seen, d.ID); return nil })
	if !sameInputError(err, &InputError{File: filepath.Join(dir, "a.tsv"), Line: 3, Field: "date", Err: ErrBadDate}) || len(seen) != 1 {
		t.Fatalf("Each: %v after %v", err, seen)
	}

	seen = nil
	var bad []string
	err = EachLenient(dir, func(d Dispatch) error { seen = append(seen, d.ID); return nil }, func(e *InputError) { bad = append(bad, e.Error()) })
	if err != nil || !reflect.DeepEqual(seen, []string{"1", "3", "b"}) || len(bad) != 1 || !strings.HasSuffix(bad[0], `a.tsv:3: column "date": "2019-13-01" is not YYYY-MM-DD or YYYY-MM`) {
		t.Fatalf("EachLenient: %v, seen %v, bad %q", err, seen, bad)
	}
}

func TestReadText(t *testing.T) {
	tests := []struct {
		name, in string
		want     Dispatch
		err      *InputError
		msg      string
	}{
		{name: "article", in: "\ufeff  Un article.\n\nDeux paragraphes.\n", want: Dispatch{ID: "stdin", Text: "Un article.\n\nDeux paragraphes.", File: "stdin", Line: 1}},
		{name: "empty", in: "", err: &InputError{File: "stdin", Err: ErrNoText},
			msg: "stdin: no text to read: pipe an article, e.g. depeche classify < article.txt, or name files"},
		{name: "white space", in: " \n\u00a0\n", err: &InputError{File: "stdin", Err: ErrNoText}},
		{name: "latin-1", in: "caf\xe9", err: &InputError{File: "stdin", Line: 1, Err: ErrEncoding}},
		{name: "binary", in: "\x89PNG\r\n\x1a\n\x00\x00", err: &InputError{File: "stdin", Line: 3, Err: ErrBinary}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := ReadText(strings.NewReader(tc.in), "stdin")
			if tc.err != nil {
				if !sameInputError(err, tc.err) {
					t.Fatalf("err = %v, want %v", err, tc.err)
				}
				if tc.msg != "" && err.Error() != tc.msg {
					t.Errorf("message\n got %s\nwant %s", err, tc.msg)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(d, tc.want) {
				t.Fatalf("got %+v, %v; want %+v", d, err, tc.want)
			}
		})
	}
	if d, err := ReadText(strings.NewReader("x"), "in/article.txt"); err != nil || d.ID != "article" || d.File != "in/article.txt" {
		t.Errorf("ReadText names the dispatch as a .txt file: %+v, %v", d, err)
	}
}

func TestDirectoryWithABadFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.tsv"), []byte("text\nUn.\nDeux.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.tsv"), []byte("corps\nSans colonne text.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "c.txt"), []byte("Trois."), 0o644)
	var got []string
	var bad []*InputError
	err := EachWith(dir, Options{}, func(d Dispatch) error { got = append(got, d.Text); return nil }, func(e *InputError) { bad = append(bad, e) })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || len(bad) != 1 || bad[0].File != filepath.Join(dir, "b.tsv") || !errors.Is(bad[0], ErrNoTextColumn) {
		t.Errorf("read %v, bad %v", got, bad)
	}
	// strict reading still stops at the bad file
	if err := Each(dir, func(Dispatch) error { return nil }); !errors.Is(err, ErrNoTextColumn) {
		t.Errorf("Each: %v", err)
	}
}
