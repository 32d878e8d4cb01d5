package dispatch

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// checkDispatches checks what every Dispatch a loader returns is.
func checkDispatches(t *testing.T, ds []Dispatch) {
	t.Helper()
	for _, d := range ds {
		for _, s := range []string{d.ID, d.Title, d.Date, d.Source, d.URL, d.Event, d.Text} {
			if s != strings.TrimSpace(s) || !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
				t.Fatalf("field %q of %+v: untrimmed, not UTF-8 or with a NUL", s, d)
			}
		}
		if d.ID == "" || d.Text == "" || d.Line < 1 || d.Date != "" && !ValidDate(d.Date) {
			t.Fatalf("bad dispatch %+v", d)
		}
		for i, l := range d.Labels {
			if !ValidLabel(l) {
				t.Fatalf("bad label %q in %+v", l, d)
			}
			for _, m := range d.Labels[:i] {
				if m == l {
					t.Fatalf("label %q twice in %+v", l, d)
				}
			}
		}
	}
}

// written returns ds as it reads back from the writer of format: TSVField applied for a .tsv, and no
// File or Line.
func written(ds []Dispatch, format Format) []Dispatch {
	out := make([]Dispatch, len(ds))
	for i, d := range ds {
		d.File, d.Line = "", 0
		if format == FormatTSV {
			d.ID, d.Title, d.Date, d.Source, d.URL, d.Event, d.Text = TSVField(d.ID), TSVField(d.Title), TSVField(d.Date), TSVField(d.Source), TSVField(d.URL), TSVField(d.Event), TSVField(d.Text)
		}
		out[i] = d
	}
	return out
}

// roundTrip writes ds in format, reads them back and checks they are the same.
func roundTrip(t *testing.T, ds []Dispatch, format Format) {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf, format)
	for _, d := range ds {
		if err := w.Write(d); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	r := NewReader(bytes.NewReader(buf.Bytes()), "rt"+format.String(), format)
	var again []Dispatch
	for r.Next() {
		again = append(again, r.Dispatch())
	}
	if err := r.Err(); err != nil {
		t.Fatalf("re-read of %s: %v\n%q", format, err, buf.String())
	}
	got, want := written(again, format), written(ds, format)
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s round trip:\nwrote %+v\nread  %+v\n%q", format, want, got, buf.String())
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
			if !errors.As(err, &ie) || ie.File != name || ie.Err == nil {
				t.Fatalf("error %#v (%v) is not an *InputError about %s", err, err, name)
			}
			if msg := err.Error(); strings.ContainsAny(msg, "\n\r") || !strings.HasPrefix(msg, name+":") {
				t.Fatalf("message %q is not one line about %s", msg, name)
			}
			return
		}
		checkDispatches(t, ds)
		roundTrip(t, ds, FormatTSV)
		roundTrip(t, ds, FormatJSONL)

		// a lenient reader returns the same when nothing is bad
		r := NewReader(strings.NewReader(in), name, FormatOf(name))
		r.OnBadRow = func(e *InputError) { t.Fatalf("bad row %v in input read whole", e) }
		n := 0
		for r.Next() {
			n++
		}
		if r.Err() != nil || n != len(ds) {
			t.Fatalf("lenient read: %d dispatches, %v; strict read: %d", n, r.Err(), len(ds))
		}
	})
}

// realRows are lines like those of the shared datasets and the seeds: typographic apostrophes, « »
// with U+00A0 and U+202F, quotes at the start of a field, accented capitals.
var realRows = []string{
	"politics\t\"Nous ne céderons pas\", a déclaré le ministre à l’Assemblée.",
	"science/technology\tL’État a annoncé\u00a0: « Le Maroc et la France renforcent leur coopération\u202f»\u00a0!",
	"sports\tÀ Rabat, l'équipe a gagné 2-1 ; Œuvre collective, dit l’entraîneur.",
	"Terrorisme, Migration\tDémantèlement d’une cellule liée à Daech à Tanger (BCIJ).",
}

func FuzzTSV(f *testing.F) {
	fuzzLoader(f, "f.tsv", []string{
		"labels\ttext\n" + strings.Join(realRows, "\n") + "\n",
		"\ufeffid\tdate\ttitle\tlabels\ttext\r\nd1\t2019-12\tTitre «\u00a0x\u00a0»\tterrorisme\tl’État « ok »\u00a0!\r\n",
		"text\n\"guillemet\" ouvrant\n\"\n",
		"id\ttext\nx\ta\tb\n",
		"text\tdate\nx\t2019-13-02\n",
		"text\ncaf\xe9\n",
		"text\nab\x00\n",
		"text\n\n \n\u00a0\n",
		"TEXT\tLabel\tid\nun\tA,,a, b\t\n",
	})
}

func FuzzCSV(f *testing.F) {
	fuzzLoader(f, "f.csv", []string{
		"labels,text\n\"terrorisme,migration\",\"Un \"\"texte\"\" avec ’ et «\u00a0»\"\n",
		"\ufeffid,date,text\r\nd1,2019-12-02,\"deux\r\nlignes\"\r\n",
		"text,date\ny,2019-02\n",
		"text\n\"open\n",
		"id,text\nx,un \"mot\"\n",
		"id,text\nx,y,z\n",
		"text\n\"caf\xe9\"\n",
		"text\t,labels\n\ta\t,b\n",
	})
}

func FuzzJSONL(f *testing.F) {
	fuzzLoader(f, "f.jsonl", []string{
		`{"id":"a","text":"L’État « ok »` + "\u00a0" + `!","labels":["terrorisme","Migration"]}` + "\n",
		"\ufeff{\"id\":7,\"date\":\"2019-12\",\"text\":\"a\\tb\\nc\",\"extra\":[1,{}]}\r\n\n",
		"[]\n",
		`{"text":1}`,
		`{"text":"a\u0000"}`,
		"{\"text\":\"caf\xe9\"}\n",
		`{"id":null,"title":null,"labels":null,"text":"\u2028 x \u00a0"}`,
		`{"text":"a","labels":["a,b"]}`,
	})
}

func TestWriters(t *testing.T) {
	ds := []Dispatch{
		{ID: "d1", Title: "Titre\tà\ttabs", Date: "2019-12-02", Source: "MAP", URL: "https://x.ma/a?b=1&c=<2>", Labels: []string{"terrorisme", "science/technology"}, Event: "e1",
			Text: "Deux lignes\r\net une\ttab, des \"guillemets\" et « »\u00a0!"},
		{ID: "x.tsv:3", Text: "Sans rien d’autre."},
	}
	var tsv bytes.Buffer
	if err := WriteTSV(&tsv, ds); err != nil {
		t.Fatal(err)
	}
	want := TSVHeader + "\n" +
		"d1\t2019-12-02\tMAP\tTitre à tabs\thttps://x.ma/a?b=1&c=<2>\tterrorisme,science/technology\te1\tDeux lignes  et une tab, des \"guillemets\" et « »\u00a0!\n" +
		"x.tsv:3\t\t\t\t\t\t\tSans rien d’autre.\n"
	if tsv.String() != want {
		t.Errorf("WriteTSV:\n%q\nwant\n%q", tsv.String(), want)
	}
	var jsonl bytes.Buffer
	if err := WriteJSONL(&jsonl, ds); err != nil {
		t.Fatal(err)
	}
	want = `{"id":"d1","title":"Titre\tà\ttabs","date":"2019-12-02","source":"MAP","url":"https://x.ma/a?b=1&c=<2>","labels":["terrorisme","science/technology"],"event":"e1","text":"Deux lignes\r\net une\ttab, des \"guillemets\" et « »` + "\u00a0" + `!"}` + "\n" +
		`{"id":"x.tsv:3","text":"Sans rien d’autre."}` + "\n"
	if jsonl.String() != want {
		t.Errorf("WriteJSONL:\n%s\nwant\n%s", jsonl.String(), want)
	}
	roundTrip(t, ds, FormatTSV)
	roundTrip(t, ds, FormatJSONL)

	// no dispatch: a .tsv header, so that it reads back as empty; an empty .jsonl
	for format, want := range map[Format]string{FormatTSV: TSVHeader + "\n", FormatJSONL: ""} {
		var buf bytes.Buffer
		w := NewWriter(&buf, format)
		if err := w.Flush(); err != nil || buf.String() != want {
			t.Errorf("%s with no dispatch: %q, %v", format, buf.String(), err)
		}
		if err := w.Flush(); err != nil || buf.String() != want {
			t.Errorf("%s flushed twice: %q, %v", format, buf.String(), err)
		}
	}

	// the error of the writer underneath sticks
	w := NewWriter(failingWriter{}, FormatTSV)
	w.Write(ds[0])
	if err := w.Flush(); !errors.Is(err, errWrite) {
		t.Errorf("Flush: %v, want %v", err, errWrite)
	}
	if err := w.Write(ds[1]); !errors.Is(err, errWrite) {
		t.Errorf("Write after an error: %v", err)
	}

	defer func() {
		if recover() == nil {
			t.Error("NewWriter(FormatCSV) did not panic")
		}
	}()
	NewWriter(&bytes.Buffer{}, FormatCSV)
}

var errWrite = errors.New("disk full")

type failingWriter struct{}

func (failingWriter) Write(p []byte) (int, error) { return 0, errWrite }

// FuzzDate: ValidDate accepts exactly the real calendar dates written YYYY-MM-DD or YYYY-MM, and the
// loaders agree with it.
func FuzzDate(f *testing.F) {
	for _, s := range []string{"2019-12-02", "2020-02-29", "2019-02-29", "2019-13", "2019", "", "2019-1-1", "０１２３-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ok := ValidDate(s)
		if ok {
			y, m := s[:4], s[5:7]
			if len(s) != 7 && len(s) != 10 || !isASCIIDigits(y) || !isASCIIDigits(m) || m < "01" || m > "12" {
				t.Fatalf("ValidDate(%q) = true", s)
			}
		}
		if strings.ContainsAny(s, "\t\n\r") || strings.TrimSpace(s) != s {
			return
		}
		r := NewReader(strings.NewReader("date\ttext\n"+s+"\tx\n"), "a.tsv", FormatTSV)
		got := r.Next()
		if got != (ok || s == "") {
			t.Fatalf("date %q: ValidDate %v, the reader read it: %v (%v)", s, ok, got, r.Err())
		}
	})
}

func isASCIIDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
