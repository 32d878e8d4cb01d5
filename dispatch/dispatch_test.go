package dispatch

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func readAll(name, input string) ([]Dispatch, error) {
	r := NewReader(strings.NewReader(input), name, FormatOf(name))
	var out []Dispatch
	for r.Next() {
		out = append(out, r.Dispatch())
	}
	return out, r.Err()
}

func TestReaderErrors(t *testing.T) {
	tests := []struct {
		name, file, input string
		want              *InputError
	}{
		{"tsv without text column", "a.tsv", "id\ttitle\nx\ty\n", &InputError{File: "a.tsv", Line: 1, Err: ErrNoTextColumn}},
		{"tsv empty file", "a.tsv", "", &InputError{File: "a.tsv", Err: ErrNoTextColumn}},
		{"tsv field count", "a.tsv", "id\ttext\nx\ty\tz\n", &InputError{File: "a.tsv", Line: 2, Err: ErrFieldCount}},
		{"tsv bad date", "a.tsv", "text\tdate\nbonjour\t2019-13-02\n", &InputError{File: "a.tsv", Line: 2, Field: "date", Err: ErrBadDate}},
		{"tsv empty text", "a.tsv", "id\ttext\nx\t  \n", &InputError{File: "a.tsv", Line: 2, Field: "text", Err: ErrNoText}},
		{"tsv bad label", "a.tsv", "labels\ttext\nterror isme\tbonjour\n", &InputError{File: "a.tsv", Line: 2, Field: "labels", Err: ErrBadLabel}},
		{"tsv invalid utf8", "a.tsv", "text\nok\n\xff\xfe\n", &InputError{File: "a.tsv", Line: 3, Err: ErrEncoding}},
		{"tsv binary", "a.tsv", "text\nab\x00cd\n", &InputError{File: "a.tsv", Line: 2, Err: ErrBinary}},
		{"csv field count", "a.csv", "id,text\nx,y,z\n", &InputError{File: "a.csv", Line: 2, Err: ErrFieldCount}},
		{"csv invalid utf8", "a.csv", "id,text\nx,\"caf\xe9\"\n", &InputError{File: "a.csv", Line: 2, Err: ErrEncoding}},
		{"csv no text column", "a.csv", "id,body\nx,y\n", &InputError{File: "a.csv", Line: 1, Err: ErrNoTextColumn}},
		{"jsonl not an object", "a.jsonl", "{\"text\":\"a\"}\n[1,2]\n", &InputError{File: "a.jsonl", Line: 2, Err: ErrJSON}},
		{"jsonl no text", "a.jsonl", "{\"id\":\"a\"}\n", &InputError{File: "a.jsonl", Line: 1, Field: "text", Err: ErrNoText}},
		{"txt empty", "a.txt", " \n\t", &InputError{File: "a.txt", Err: ErrNoText}},
		{"txt binary", "a.txt", "ab\ncd\x00", &InputError{File: "a.txt", Line: 2, Err: ErrBinary}},
		{"txt invalid utf8", "a.txt", "ok\nok\n\xc3\x28\n", &InputError{File: "a.txt", Line: 3, Err: ErrEncoding}},
		{"unknown format", "a.pdf", "x", &InputError{File: "a.pdf", Err: ErrFormat}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(tc.file, tc.input)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("err = %v, want an *InputError", err)
			}
			if ie.File != tc.want.File || ie.Line != tc.want.Line || ie.Field != tc.want.Field || !errors.Is(ie, tc.want.Err) {
				t.Errorf("err = %#v (%v), want %#v", ie, ie, tc.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("message has several lines: %q", err)
			}
		})
	}
}

func TestReaderFormats(t *testing.T) {
	want := []Dispatch{
		{ID: "d1", Title: "Titre", Date: "2019-12-02", Source: "MAP", Labels: []string{"terrorisme", "migration"}, Text: `Un "texte" avec ’ et « »`, File: "x", Line: 2},
		{ID: "x:3", Date: "2020-01", Text: "Deuxième texte", File: "x", Line: 3},
	}
	cases := map[string]string{
		"x.tsv":   "\ufeffID\tTitle\tDate\tSource\tLabels\tText\td1\n",
		"x.csv":   "",
		"x.jsonl": "",
	}
	_ = cases
	tsv := "\ufeffID\ttitle\tdate\tsource\tlabels\ttext\r\nd1\tTitre\t2019-12-02\tMAP\tTerrorisme, migration,,terrorisme\tUn \"texte\" avec ’ et « »\r\n\t\t2020-01\t\t\tDeuxième texte\n\n"
	csv := "id,title,date,source,labels,text\nd1,Titre,2019-12-02,MAP,\"terrorisme,migration\",\"Un \"\"texte\"\" avec ’ et « »\"\n,,2020-01,,,Deuxième texte\n"
	jsonl := "{\"id\":\"d1\",\"title\":\"Titre\",\"date\":\"2019-12-02\",\"source\":\"MAP\",\"labels\":[\"terrorisme\",\"migration\"],\"text\":\"Un \\\"texte\\\" avec ’ et « »\",\"extra\":1}\n{\"date\":\"2020-01\",\"text\":\"Deuxième texte\"}\n"
	for name, in := range map[string]string{"x.tsv": tsv, "x.csv": csv, "x.jsonl": jsonl} {
		t.Run(name, func(t *testing.T) {
			got, err := readAll(name, in)
			if err != nil {
				t.Fatal(err)
			}
			w := make([]Dispatch, len(want))
			copy(w, want)
			for i := range w {
				w[i].File = name
				if strings.HasPrefix(w[i].ID, "x:") {
					w[i].ID = name + ":3"
				}
			}
			if name == "x.jsonl" { // no header line
				w[0].Line, w[1].Line = 1, 2
				w[1].ID = name + ":2"
			}
			if !reflect.DeepEqual(got, w) {
				t.Errorf("got  %+v\nwant %+v", got, w)
			}
		})
	}
}

func TestReadText(t *testing.T) {
	d, err := ReadText(strings.NewReader("\ufeff  Un article.\n"), "stdin")
	if err != nil || d.Text != "Un article." || d.ID != "stdin" {
		t.Fatalf("got %+v, %v", d, err)
	}
	_, err = ReadText(strings.NewReader(""), "stdin")
	if !errors.Is(err, ErrNoText) || !strings.Contains(err.Error(), "pipe an article") {
		t.Fatalf("empty stdin: %v", err)
	}
}

func TestDirectory(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("Texte B"), 0o644)
	os.WriteFile(filepath.Join(dir, "a.tsv"), []byte("text\nTexte A\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.md"), []byte("ignored"), 0o644)
	os.WriteFile(filepath.Join(dir, ".hidden.txt"), []byte("ignored"), 0o644)
	ds, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].Text != "Texte A" || ds[1].ID != "b" {
		t.Fatalf("got %+v", ds)
	}
	if _, err := Load(filepath.Join(dir, "missing.tsv")); err == nil || !strings.Contains(err.Error(), "missing.tsv") {
		t.Fatalf("missing file: %v", err)
	}
}

func sharedDir(t testing.TB) string {
	dir := filepath.Join("..", "..", "shared")
	if _, err := os.Stat(filepath.Join(dir, "datasets")); err != nil {
		t.Skipf("../shared not found (%v): the datasets live beside the project root in CI", err)
	}
	return dir
}

func TestSharedDatasets(t *testing.T) {
	dir := sharedDir(t)
	for file, n := range map[string]int{
		"masakhanews-fra/train.tsv": 548, "masakhanews-fra/dev.tsv": 211, "masakhanews-fra/test.tsv": 422,
		"sib200-fra/train.tsv": 701, "sib200-fra/dev.tsv": 99, "sib200-fra/test.tsv": 204,
	} {
		ds, err := Load(filepath.Join(dir, "datasets", file))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if len(ds) != n {
			t.Errorf("%s: %d rows, want %d", file, len(ds), n)
		}
		for _, d := range ds {
			if len(d.Labels) != 1 {
				t.Fatalf("%s: %s has labels %v", file, d.ID, d.Labels)
			}
		}
	}
	_, err := Load(filepath.Join(dir, "datasets", "stsb-fr", "test.tsv"))
	if !errors.Is(err, ErrNoTextColumn) || !strings.Contains(err.Error(), "text1") {
		t.Errorf("stsb-fr: %v, want a missing text column error listing text1", err)
	}
	seeds, err := Load(filepath.Join(dir, "seeds"))
	if err != nil || len(seeds) != 5 {
		t.Fatalf("seeds: %d, %v", len(seeds), err)
	}
}

func roundTrip(t *testing.T, ds []Dispatch, write func(*bytes.Buffer, []Dispatch) error, format Format) {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf, ds); err != nil {
		t.Fatal(err)
	}
	r := NewReader(&buf, "rt", format)
	var again []Dispatch
	for r.Next() {
		again = append(again, r.Dispatch())
	}
	if err := r.Err(); err != nil {
		t.Fatalf("re-read: %v\n%s", err, buf.String())
	}
	if len(again) != len(ds) {
		t.Fatalf("re-read %d records, wrote %d", len(again), len(ds))
	}
	for i := range ds {
		a, b := ds[i], again[i]
		if a.ID != b.ID || a.Date != b.Date || a.Title != b.Title || strings.Join(a.Labels, ",") != strings.Join(b.Labels, ",") ||
			strings.Join(strings.Fields(a.Text), " ") != strings.Join(strings.Fields(b.Text), " ") {
			t.Fatalf("record %d: wrote %+v, read %+v", i, a, b)
		}
	}
}

func fuzzLoader(f *testing.F, name string, seeds []string) {
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		ds, err := readAll(name, in)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *InputError", err)
			}
			return
		}
		for i := range ds { // TSV cannot keep leading/trailing spaces of ids; normalise like the writer
			ds[i].ID = strings.TrimSpace(strings.NewReplacer("\t", " ", "\n", " ", "\r", " ").Replace(ds[i].ID))
			if ds[i].ID == "" {
				return
			}
		}
		wb := func(b *bytes.Buffer, d []Dispatch) error { return WriteTSV(b, d) }
		roundTrip(t, ds, wb, FormatTSV)
		wj := func(b *bytes.Buffer, d []Dispatch) error { return WriteJSONL(b, d) }
		roundTrip(t, ds, wj, FormatJSONL)
	})
}

func FuzzTSV(f *testing.F) {
	fuzzLoader(f, "f.tsv", []string{"id\ttext\nx\tl’État « ok »\u00a0!\n", "\ufefftext\tlabels\n\"a\tb,c\n", "text\n\xff\n", "a\tb\n1\t2\t3\n"})
}

func FuzzCSV(f *testing.F) {
	fuzzLoader(f, "f.csv", []string{"id,text\nx,\"a \"\"b\"\"\"\n", "text,date\ny,2019-02\n", "text\n\"open\n"})
}

func FuzzJSONL(f *testing.F) {
	fuzzLoader(f, "f.jsonl", []string{`{"id":"a","text":"b","labels":["x"]}` + "\n", "[]\n", `{"text":1}`})
}
