package dispatch

import (
	"encoding/csv"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// readAll reads every dispatch of input as the file name, in the format of its extension.
func readAll(name, input string) ([]Dispatch, error) {
	r := NewReader(strings.NewReader(input), name, FormatOf(name))
	var out []Dispatch
	for r.Next() {
		out = append(out, r.Dispatch())
	}
	return out, r.Err()
}

// sameInputError reports whether got is an *InputError equal to want, with got.Err wrapping want.Err.
func sameInputError(got error, want *InputError) bool {
	var ie *InputError
	return errors.As(got, &ie) && ie.File == want.File && ie.Line == want.Line && ie.Field == want.Field && errors.Is(ie.Err, want.Err)
}

// rows returns a .tsv header and n good rows, so that the next row is on line n+2.
func rows(header string, n int, row string) string {
	return header + "\n" + strings.Repeat(row+"\n", n)
}

func TestReaderErrors(t *testing.T) {
	long := strings.Repeat("a", MaxRecord+1)
	tests := []struct {
		name, file, input string
		want              InputError
		msg               string // the whole message, when it is worth pinning
	}{
		// .tsv
		{name: "tsv no text column", file: "train.tsv", input: "score\ttext1\ttext2\tgenre\tsource\n4.5\ta\tb\tnews\tx\n",
			want: InputError{File: "train.tsv", Line: 1, Err: ErrNoTextColumn},
			msg:  `train.tsv:1: no "text" column: the header names "score", "text1", "text2", "genre", "source"; name the column of the article text "text", or name it with --text-column (optional columns: id, title, date, source, url, labels, event)`},
		{name: "tsv comma header", file: "a.tsv", input: "id,text\nx,y\n", want: InputError{File: "a.tsv", Line: 1, Err: ErrNoTextColumn},
			msg: `a.tsv:1: no "text" column: the header names "id,text" (there is no tab in the header: if the file is comma-separated, name it .csv); name the column of the article text "text", or name it with --text-column (optional columns: id, title, date, source, url, labels, event)`},
		{name: "tsv empty", file: "a.tsv", input: "", want: InputError{File: "a.tsv", Err: ErrNoTextColumn},
			msg: `a.tsv: the file is empty: it needs a header row naming a "text" column (optional: id, title, date, source, url, labels, event)`},
		{name: "tsv blank lines only", file: "a.tsv", input: "\n \r\n\n", want: InputError{File: "a.tsv", Err: ErrNoTextColumn}},
		{name: "tsv BOM only", file: "a.tsv", input: "\ufeff", want: InputError{File: "a.tsv", Err: ErrNoTextColumn}},
		{name: "tsv column twice", file: "a.tsv", input: "Text\tid\ttext\n", want: InputError{File: "a.tsv", Line: 1, Err: ErrHeader},
			msg: `a.tsv:1: the header names the text column twice ("Text" is field 1, "text" is field 3): keep one`},
		{name: "tsv label and labels", file: "a.tsv", input: "label\ttext\tlabels\n", want: InputError{File: "a.tsv", Line: 1, Err: ErrHeader}},
		{name: "tsv more fields", file: "a.tsv", input: "id\ttext\nx\ty\tz\n", want: InputError{File: "a.tsv", Line: 2, Err: ErrFieldCount},
			msg: `a.tsv:2: 3 fields but the header has 2 (a .tsv is split on every tab, with no quoting: replace the tabs inside a field by spaces)`},
		{name: "tsv fewer fields", file: "a.tsv", input: "id\ttext\n\nx y\n", want: InputError{File: "a.tsv", Line: 3, Err: ErrFieldCount},
			msg: `a.tsv:3: 1 field but the header has 2 (a .tsv is split on every tab, with no quoting: replace the tabs inside a field by spaces)`},
		{name: "tsv bad date", file: "articles.tsv", input: rows("text\tdate", 12, "bonjour\t2019-12-02") + "bonjour\t2019-13-02\n",
			want: InputError{File: "articles.tsv", Line: 14, Field: "date", Err: ErrBadDate},
			msg:  `articles.tsv:14: column "date": "2019-13-02" is not YYYY-MM-DD or YYYY-MM`},
		{name: "tsv no such day", file: "a.tsv", input: "text\tdate\nx\t2019-02-29\n", want: InputError{File: "a.tsv", Line: 2, Field: "date", Err: ErrBadDate}},
		{name: "tsv date day first", file: "a.tsv", input: "text\tdate\nx\t02/12/2019\n", want: InputError{File: "a.tsv", Line: 2, Field: "date", Err: ErrBadDate},
			msg: `a.tsv:2: column "date": "02/12/2019" is not YYYY-MM-DD or YYYY-MM (write it year first: 2019-12-02)`},
		{name: "tsv date with time", file: "a.tsv", input: "text\tdate\nx\t2019-12-02T10:00:00Z\n", want: InputError{File: "a.tsv", Line: 2, Field: "date", Err: ErrBadDate},
			msg: `a.tsv:2: column "date": "2019-12-02T10:00:00Z" is not YYYY-MM-DD or YYYY-MM (keep the date alone: 2019-12-02)`},
		{name: "tsv date year", file: "a.tsv", input: "text\tdate\nx\t2019\n", want: InputError{File: "a.tsv", Line: 2, Field: "date", Err: ErrBadDate},
			msg: `a.tsv:2: column "date": "2019" is not YYYY-MM-DD or YYYY-MM (add the month, e.g. 2019-01)`},
		{name: "tsv empty text", file: "a.tsv", input: "id\ttext\nx\t \u00a0 \n", want: InputError{File: "a.tsv", Line: 2, Field: "text", Err: ErrNoText},
			msg: `a.tsv:2: column "text": the text is empty: every row needs the text of its article`},
		{name: "tsv label with accent and space", file: "a.tsv", input: "labels\ttext\nterrorisme, Criminalité organisée\tbonjour\n",
			want: InputError{File: "a.tsv", Line: 2, Field: "labels", Err: ErrBadLabel},
			msg:  `a.tsv:2: column "labels": "criminalité organisée" is not a label id (a label id has only lower-case letters a-z, digits and - _ / .): write criminalite-organisee`},
		{name: "tsv label control char", file: "a.tsv", input: "labels\ttext\nsan\x01te\tbonjour\n", want: InputError{File: "a.tsv", Line: 2, Field: "labels", Err: ErrBadLabel}},
		{name: "tsv invalid utf8", file: "a.tsv", input: "text\nok\nl’\xe9t\xe9\n", want: InputError{File: "a.tsv", Line: 3, Err: ErrEncoding},
			msg: `a.tsv:3: invalid UTF-8 (byte 0xE9 at column 3): convert the file to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 in.tsv > out.tsv`},
		{name: "tsv invalid utf8 header", file: "a.tsv", input: "t\xe9xt\nok\n", want: InputError{File: "a.tsv", Line: 1, Err: ErrEncoding}},
		{name: "tsv binary", file: "a.tsv", input: "text\nab\x00cd\n", want: InputError{File: "a.tsv", Line: 2, Err: ErrBinary},
			msg: `a.tsv:2: binary data, not text (NUL bytes): depeche reads UTF-8 text files (.txt, .tsv, .csv, .jsonl)`},
		{name: "tsv binary past the sniff", file: "a.tsv", input: rows("text", 1000, "un texte assez long") + "ab\x00\n", want: InputError{File: "a.tsv", Line: 1002, Err: ErrBinary}},
		{name: "tsv utf16", file: "a.tsv", input: "\xff\xfet\x00e\x00x\x00t\x00", want: InputError{File: "a.tsv", Err: ErrEncoding},
			msg: `a.tsv: UTF-16 text, not UTF-8: convert it, e.g. iconv -f UTF-16 -t UTF-8 in.tsv > out.tsv`},
		{name: "tsv line too long", file: "a.tsv", input: "text\nok\n" + long + "\n", want: InputError{File: "a.tsv", Line: 3, Err: ErrTooLong}},
		{name: "tsv last line too long", file: "a.tsv", input: "text\n" + long, want: InputError{File: "a.tsv", Line: 2, Err: ErrTooLong}},

		// .csv
		{name: "csv more fields", file: "a.csv", input: "id,text\nx,y,z\n", want: InputError{File: "a.csv", Line: 2, Err: ErrFieldCount},
			msg: `a.csv:2: 3 fields but the header has 2 (quote a field that holds a comma, a quote or a line break)`},
		{name: "csv field count after a multi-line record", file: "a.csv", input: "id,text\nx,\"a\nb\"\ny\n", want: InputError{File: "a.csv", Line: 4, Err: ErrFieldCount}},
		{name: "csv bare quote", file: "a.csv", input: "id,text\nx,un \"mot\"\n", want: InputError{File: "a.csv", Line: 2, Err: csv.ErrBareQuote},
			msg: `a.csv:2: a " in a field that is not quoted (line 2, column 6): quote the whole field and double every " inside it ("un ""mot"""), or use a .tsv`},
		{name: "csv unclosed quote", file: "a.csv", input: "id,text\nx,y\nz,\"open\n\nmore\n", want: InputError{File: "a.csv", Line: 3, Err: csv.ErrQuote}},
		{name: "csv invalid utf8 in a quoted field", file: "a.csv", input: "id,text\nx,\"ok\ncaf\xe9\"\n", want: InputError{File: "a.csv", Line: 3, Err: ErrEncoding},
			msg: `a.csv:3: invalid UTF-8 (byte 0xE9): convert the file to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 in.csv > out.csv`},
		{name: "csv invalid utf8 with wrong field count", file: "a.csv", input: "id,text\nx,\xe9,z\n", want: InputError{File: "a.csv", Line: 2, Err: ErrEncoding}},
		{name: "csv record too long", file: "a.csv", input: "text\nun\n\"" + long + "\"\n", want: InputError{File: "a.csv", Line: 3, Err: ErrTooLong},
			msg: `a.csv:3: a record longer than 16 MiB: is a quoted field left open?`},
		{name: "csv quote left open", file: "a.csv", input: "text\nun\n\"" + long + long + "\n", want: InputError{File: "a.csv", Line: 3, Err: ErrTooLong},
			msg: `a.csv:3: a record starting after line 2 is longer than 16 MiB: is a quoted field left open?`},
		{name: "csv no text column", file: "a.csv", input: "id,body\nx,y\n", want: InputError{File: "a.csv", Line: 1, Err: ErrNoTextColumn}},
		{name: "csv tab header", file: "a.csv", input: "id\ttext\nx\ty\n", want: InputError{File: "a.csv", Line: 1, Err: ErrNoTextColumn},
			msg: `a.csv:1: no "text" column: the header names "id\ttext" (there is no comma in the header: if the file is tab-separated, name it .tsv); name the column of the article text "text", or name it with --text-column (optional columns: id, title, date, source, url, labels, event)`},
		{name: "csv empty", file: "a.csv", input: "\n\n", want: InputError{File: "a.csv", Err: ErrNoTextColumn}},
		{name: "csv binary", file: "a.csv", input: "text\n\"a\x00\"\n", want: InputError{File: "a.csv", Line: 2, Err: ErrBinary}},
		{name: "csv bad date", file: "a.csv", input: "text,date\n\"a, b\",2019-00\n", want: InputError{File: "a.csv", Line: 2, Field: "date", Err: ErrBadDate}},
		{name: "csv empty text", file: "a.csv", input: "id,text\nx,\"\"\n", want: InputError{File: "a.csv", Line: 2, Field: "text", Err: ErrNoText}},

		// .jsonl
		{name: "jsonl not an object", file: "a.jsonl", input: "{\"text\":\"a\"}\n[1,2]\n", want: InputError{File: "a.jsonl", Line: 2, Err: ErrJSON},
			msg: `a.jsonl:2: not a JSON object: each line must be one object such as {"id": "a1", "labels": ["terrorisme"], "text": "…"}`},
		{name: "jsonl a JSON array", file: "a.jsonl", input: "\n[{\"text\":\"a\"},\n", want: InputError{File: "a.jsonl", Line: 2, Err: ErrJSON},
			msg: `a.jsonl:2: not a JSON object but an array: .jsonl wants one object per line (e.g. jq -c '.[]' in.json > out.jsonl)`},
		{name: "jsonl syntax", file: "a.jsonl", input: "{\"text\": \"a\",}\n", want: InputError{File: "a.jsonl", Line: 1, Err: ErrJSON},
			msg: `a.jsonl:1: not a JSON object (invalid character '}' looking for beginning of object key string, at byte 14): each line must be one object such as {"id": "a1", "labels": ["terrorisme"], "text": "…"}`},
		{name: "jsonl two objects on a line", file: "a.jsonl", input: "{\"text\":\"a\"} {\"text\":\"b\"}\n", want: InputError{File: "a.jsonl", Line: 1, Err: ErrJSON}},
		{name: "jsonl no text", file: "a.jsonl", input: "{\"id\":\"a\"}\n", want: InputError{File: "a.jsonl", Line: 1, Field: "text", Err: ErrNoText},
			msg: `a.jsonl:1: field "text": no "text" field: each line must be one object such as {"id": "a1", "labels": ["terrorisme"], "text": "…"}`},
		{name: "jsonl null text", file: "a.jsonl", input: "{\"text\":null}\n", want: InputError{File: "a.jsonl", Line: 1, Field: "text", Err: ErrNoText}},
		{name: "jsonl empty text", file: "a.jsonl", input: "{\"text\":\" \\n \"}\n", want: InputError{File: "a.jsonl", Line: 1, Field: "text", Err: ErrNoText}},
		{name: "jsonl number title", file: "a.jsonl", input: "{\"text\":\"a\",\"Title\":5}\n", want: InputError{File: "a.jsonl", Line: 1, Field: "title", Err: ErrJSON},
			msg: `a.jsonl:1: field "title": must be a string, not a JSON number`},
		{name: "jsonl labels as an object", file: "a.jsonl", input: "{\"text\":\"a\",\"labels\":{\"x\":1}}\n", want: InputError{File: "a.jsonl", Line: 1, Field: "labels", Err: ErrJSON},
			msg: `a.jsonl:1: field "labels": must be an array of strings such as ["terrorisme", "migration"]`},
		{name: "jsonl labels of numbers", file: "a.jsonl", input: "{\"text\":\"a\",\"labels\":[1]}\n", want: InputError{File: "a.jsonl", Line: 1, Field: "labels", Err: ErrJSON}},
		{name: "jsonl labels joined", file: "a.jsonl", input: "{\"text\":\"a\",\"labels\":[\"a,b\"]}\n", want: InputError{File: "a.jsonl", Line: 1, Field: "labels", Err: ErrBadLabel}},
		{name: "jsonl id object", file: "a.jsonl", input: "{\"text\":\"a\",\"id\":{}}\n", want: InputError{File: "a.jsonl", Line: 1, Field: "id", Err: ErrJSON},
			msg: `a.jsonl:1: field "id": must be a string or a number`},
		{name: "jsonl escaped NUL", file: "a.jsonl", input: "{\"text\":\"a\\u0000b\"}\n", want: InputError{File: "a.jsonl", Line: 1, Field: "text", Err: ErrBinary}},
		{name: "jsonl invalid utf8", file: "a.jsonl", input: "{\"text\":\"a\"}\n{\"text\":\"\xc3\x28\"}\n", want: InputError{File: "a.jsonl", Line: 2, Err: ErrEncoding}},
		{name: "jsonl bad date", file: "a.jsonl", input: "{\"text\":\"a\",\"date\":\"2019-12-32\"}\n", want: InputError{File: "a.jsonl", Line: 1, Field: "date", Err: ErrBadDate}},
		{name: "jsonl binary", file: "a.jsonl", input: "{\"text\":\"a\x00\"}\n", want: InputError{File: "a.jsonl", Line: 1, Err: ErrBinary}},

		// .txt
		{name: "txt empty", file: "a.txt", input: "", want: InputError{File: "a.txt", Err: ErrNoText},
			msg: `a.txt: the file is empty: a .txt file holds the text of one article`},
		{name: "txt white space", file: "a.txt", input: " \n\t\u00a0\r\n", want: InputError{File: "a.txt", Err: ErrNoText}},
		{name: "txt binary", file: "a.txt", input: "ab\ncd\x00", want: InputError{File: "a.txt", Line: 2, Err: ErrBinary}},
		{name: "txt invalid utf8", file: "a.txt", input: "ok\nok\n\xc3\x28\n", want: InputError{File: "a.txt", Line: 3, Err: ErrEncoding}},
		{name: "txt too long", file: "a.txt", input: long, want: InputError{File: "a.txt", Err: ErrTooLong}},

		{name: "unknown format", file: "a.pdf", input: "x", want: InputError{File: "a.pdf", Err: ErrFormat},
			msg: `a.pdf: unsupported file type ".pdf": use one of .txt, .tsv, .csv, .jsonl`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(tc.file, tc.input)
			if !sameInputError(err, &tc.want) {
				t.Fatalf("err = %#v (%v)\nwant %#v", err, err, tc.want)
			}
			if tc.msg != "" && err.Error() != tc.msg {
				t.Errorf("message\n got %s\nwant %s", err, tc.msg)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("message has several lines: %q", err)
			}
		})
	}
}

func TestReaderGood(t *testing.T) {
	longText := strings.Repeat("Le Maroc et la France ", 10000) + "fin" // past the 64 KiB buffer
	tests := []struct {
		name, file, input string
		want              []Dispatch
	}{
		{name: "tsv", file: "dir/x.tsv",
			input: "\ufeff ID \tTitle\tDATE\tsource\tLabel\turl\tevent\tignored\ttext\r\n" +
				"d1\tTitre\t2019-12-02\tMAP\tTerrorisme, migration,,terrorisme, \t https://x.ma/a \tev1\t?\t \"Un texte\" avec ’ et « citation »\u00a0!\u00a0\r\n" +
				"\t\t2020-02\t\t\t\t\t\tDeuxième texte\n" +
				"\n" +
				"  \t\t2020-02-29\t\tscience/technology\t\t\t\t" + longText,
			want: []Dispatch{
				{ID: "d1", Title: "Titre", Date: "2019-12-02", Source: "MAP", URL: "https://x.ma/a", Labels: []string{"terrorisme", "migration"}, Event: "ev1", Text: "\"Un texte\" avec ’ et « citation »\u00a0!", File: "dir/x.tsv", Line: 2},
				{ID: "dir/x.tsv:3", Date: "2020-02", Text: "Deuxième texte", File: "dir/x.tsv", Line: 3},
				{ID: "dir/x.tsv:5", Date: "2020-02-29", Labels: []string{"science/technology"}, Text: longText, File: "dir/x.tsv", Line: 5},
			}},
		{name: "tsv header only", file: "x.tsv", input: "labels\ttext\n"},
		{name: "tsv one column", file: "x.tsv", input: "text\n\"guillemets\" au début\n", want: []Dispatch{{ID: "x.tsv:2", Text: "\"guillemets\" au début", File: "x.tsv", Line: 2}}},
		{name: "csv", file: "x.csv",
			input: "\ufeffid,title,date,labels,text,other\r\n" +
				"d1,Titre,2019-12-02,\"Terrorisme, migration\",\"Un \"\"texte\"\"\r\nsur deux lignes\",z\r\n" +
				"\r\n" +
				",,2020-01,,Deuxième texte,\n" +
				"d3,,,,\"" + longText + "\",",
			want: []Dispatch{
				{ID: "d1", Title: "Titre", Date: "2019-12-02", Labels: []string{"terrorisme", "migration"}, Text: "Un \"texte\"\nsur deux lignes", File: "x.csv", Line: 2},
				{ID: "x.csv:5", Date: "2020-01", Text: "Deuxième texte", File: "x.csv", Line: 5},
				{ID: "d3", Text: longText, File: "x.csv", Line: 6},
			}},
		{name: "jsonl", file: "x.jsonl",
			input: "\ufeff{\"id\":\"d1\",\"title\":\"Titre\",\"date\":\"2019-12-02\",\"labels\":[\"Terrorisme\",\" migration\",\"\",\"terrorisme\"],\"text\":\"Un \\\"texte\\\"\\tavec ’\",\"extra\":{\"a\":[1]}}\r\n" +
				"\n" +
				"  {\"id\":42,\"date\":null,\"labels\":null,\"text\":\"Deux\"}  \n" +
				"{\"id\":\"  \",\"text\":\"" + longText + "\"}",
			want: []Dispatch{
				{ID: "d1", Title: "Titre", Date: "2019-12-02", Labels: []string{"terrorisme", "migration"}, Text: "Un \"texte\"\tavec ’", File: "x.jsonl", Line: 1},
				{ID: "42", Text: "Deux", File: "x.jsonl", Line: 3},
				{ID: "x.jsonl:4", Text: longText, File: "x.jsonl", Line: 4},
			}},
		{name: "jsonl empty", file: "x.jsonl", input: ""},
		{name: "txt", file: "dir/0001.article.txt", input: "\ufeff\n  Le Maroc et la France.\r\n\r\nFin.\n\n",
			want: []Dispatch{{ID: "0001.article", Text: "Le Maroc et la France.\r\n\r\nFin.", File: "dir/0001.article.txt", Line: 1}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readAll(tc.file, tc.input)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", shorten(got), shorten(tc.want))
			}
		})
	}
}

// shorten cuts long texts for messages.
func shorten(ds []Dispatch) []Dispatch {
	out := make([]Dispatch, len(ds))
	for i, d := range ds {
		if len(d.Text) > 80 {
			d.Text = d.Text[:80] + "…"
		}
		out[i] = d
	}
	return out
}

func TestReaderTXTNames(t *testing.T) {
	for name, id := range map[string]string{"a/b/dépêche.txt": "dépêche", ".txt": ".txt", "x.TXT": "x", "": "1"} {
		r := NewReader(strings.NewReader("texte"), name, FormatTXT)
		if !r.Next() || r.Dispatch().ID != id {
			t.Errorf("%q: id %q (%v), want %q", name, r.Dispatch().ID, r.Err(), id)
		}
		if r.Next() || r.Err() != nil {
			t.Errorf("%q: a second dispatch, or %v", name, r.Err())
		}
	}
}

func TestReaderSticky(t *testing.T) {
	r := NewReader(strings.NewReader("text\tdate\nun\t2019-13-01\ndeux\t2019-12-01\n"), "a.tsv", FormatTSV)
	for i := 0; i < 3; i++ {
		if r.Next() {
			t.Fatalf("Next %d: true after an error", i)
		}
	}
	want := &InputError{File: "a.tsv", Line: 2, Field: "date", Err: ErrBadDate}
	if !sameInputError(r.Err(), want) {
		t.Fatalf("Err = %v, want %v", r.Err(), want)
	}
}

func TestReaderReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	r := NewReader(&failingReader{data: "text\nun\n", err: boom}, "a.tsv", FormatTSV)
	n := 0
	for r.Next() {
		n++
	}
	var ie *InputError
	if !errors.Is(r.Err(), boom) || errors.As(r.Err(), &ie) || !strings.Contains(r.Err().Error(), "a.tsv") {
		t.Fatalf("Err = %#v, want the read error with the file name, not an InputError", r.Err())
	}
}

// failingReader returns data, then err.
type failingReader struct {
	data string
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.data == "" {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestOnBadRow(t *testing.T) {
	tests := []struct {
		name, file, input string
		ids               []string
		bad               []InputError
		err               *InputError
	}{
		{name: "tsv", file: "a.tsv",
			input: "id\ttext\tdate\tlabels\n1\tun\t\t\n2\tdeux\n3\t\t\t\n4\tquatre\t2019-13-01\t\n5\tcinq\t\tpas bon\n6\tsi\xe9x\t\t\n7\tsept\t2019-01\tsport\n",
			ids:   []string{"1", "7"},
			bad: []InputError{{File: "a.tsv", Line: 3, Err: ErrFieldCount}, {File: "a.tsv", Line: 4, Field: "text", Err: ErrNoText},
				{File: "a.tsv", Line: 5, Field: "date", Err: ErrBadDate}, {File: "a.tsv", Line: 6, Field: "labels", Err: ErrBadLabel},
				{File: "a.tsv", Line: 7, Err: ErrEncoding}}},
		{name: "csv", file: "a.csv", input: "id,text\n1,un\n2,deux,trop\n3,\"tr\xe8s\"\n4,quatre\n", ids: []string{"1", "4"},
			bad: []InputError{{File: "a.csv", Line: 3, Err: ErrFieldCount}, {File: "a.csv", Line: 4, Err: ErrEncoding}}},
		{name: "jsonl", file: "a.jsonl", input: "{\"id\":\"1\",\"text\":\"un\"}\n[]\n{\"id\":2}\n{\"text\":5}\n{\"id\":\"5\",\"text\":\"cinq\"}\n\xff\n",
			ids: []string{"1", "5"},
			bad: []InputError{{File: "a.jsonl", Line: 2, Err: ErrJSON}, {File: "a.jsonl", Line: 3, Field: "text", Err: ErrNoText},
				{File: "a.jsonl", Line: 4, Field: "text", Err: ErrJSON}, {File: "a.jsonl", Line: 6, Err: ErrEncoding}}},
		{name: "binary still stops", file: "a.tsv", input: rows("text", 1000, "un texte assez long") + "\x00\nencore\n",
			ids: make([]string, 1000), err: &InputError{File: "a.tsv", Line: 1002, Err: ErrBinary}},
		{name: "no text column still stops", file: "a.csv", input: "id,body\n1,un\n", err: &InputError{File: "a.csv", Line: 1, Err: ErrNoTextColumn}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var bad []*InputError
			r := NewReader(strings.NewReader(tc.input), tc.file, FormatOf(tc.file))
			r.OnBadRow = func(e *InputError) { bad = append(bad, e) }
			var ids []string
			for r.Next() {
				ids = append(ids, r.Dispatch().ID)
			}
			if tc.err == nil && r.Err() != nil || tc.err != nil && !sameInputError(r.Err(), tc.err) {
				t.Fatalf("Err = %v, want %v", r.Err(), tc.err)
			}
			if len(ids) != len(tc.ids) || len(tc.ids) > 0 && tc.ids[0] != "" && !reflect.DeepEqual(ids, tc.ids) {
				t.Errorf("ids %v, want %v", ids, tc.ids)
			}
			if len(bad) != len(tc.bad) {
				t.Fatalf("bad rows %v, want %v", bad, tc.bad)
			}
			for i := range bad {
				if !sameInputError(bad[i], &tc.bad[i]) {
					t.Errorf("bad row %d: %#v (%v), want %#v", i, bad[i], bad[i], tc.bad[i])
				}
			}
		})
	}
}

func TestInputErrorMessage(t *testing.T) {
	err := errors.New("what is wrong")
	for _, tc := range []struct {
		e    InputError
		want string
	}{
		{InputError{File: "a.tsv", Line: 14, Field: "date", Err: err}, `a.tsv:14: column "date": what is wrong`},
		{InputError{File: "a.jsonl", Line: 3, Field: "labels", Err: err}, `a.jsonl:3: field "labels": what is wrong`},
		{InputError{File: "a.tsv", Line: 2, Err: err}, `a.tsv:2: what is wrong`},
		{InputError{File: "a.tsv", Err: err}, `a.tsv: what is wrong`},
		{InputError{File: "a.tsv", Field: "text", Err: err}, `a.tsv: column "text": what is wrong`},
		{InputError{Line: 7, Err: err}, `line 7: what is wrong`},
		{InputError{Err: err}, `what is wrong`},
		{InputError{File: "a.tsv"}, `a.tsv: bad input`},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%#v: %q, want %q", tc.e, got, tc.want)
		}
	}
	e := &InputError{File: "a.tsv", Line: 2, Err: dateError("2019-13-01")}
	if !errors.Is(e, ErrBadDate) || errors.Is(e, ErrNoText) {
		t.Errorf("errors.Is does not see through %v", e)
	}
}

func TestValidDate(t *testing.T) {
	for _, s := range []string{"2019-12-02", "2019-12", "2020-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2019-04-30", "2019-01-31"} {
		if !ValidDate(s) {
			t.Errorf("ValidDate(%q) = false", s)
		}
	}
	for _, s := range []string{"", "2019", "2019-13", "2019-00", "2019-12-00", "2019-12-32", "2019-02-29", "1900-02-29", "2019-04-31",
		"0000-01", "2019-1-02", "2019-01-2", "2019/12/02", "02-12-2019", "2019-12-02T00:00", "2019-12-02 ", "２０１９-12", "+019-12", "2019-1a"} {
		if ValidDate(s) {
			t.Errorf("ValidDate(%q) = true", s)
		}
	}
}

func TestLabels(t *testing.T) {
	for _, s := range []string{"terrorisme", "criminalite-organisee", "science/technology", "a_b", "g20", "v1.2"} {
		if !ValidLabel(s) {
			t.Errorf("ValidLabel(%q) = false", s)
		}
	}
	for _, s := range []string{"", "Terrorisme", "santé", "a b", "a,b", "a\tb", "a\x00", "économie"} {
		if ValidLabel(s) {
			t.Errorf("ValidLabel(%q) = true", s)
		}
	}
	for in, want := range map[string]string{
		"Santé":                      "sante",
		"retraites : généralités":    "retraites-generalites",
		"papiers d'identité":         "papiers-d-identite",
		"Œuvres d’art":               "oeuvres-d-art",
		"⚽":                          "", // nothing to suggest
		"relations franco-marocaine": "relations-franco-marocaine",
	} {
		_, err := normLabel(in)
		msg := ""
		if err != nil {
			msg = err.Error()
		}
		if want != "" && !strings.HasSuffix(msg, ": write "+want) || want == "" && strings.Contains(msg, "write") {
			t.Errorf("normLabel(%q): %q, want the suggestion %q", in, msg, want)
		}
	}
}

func TestReaderOptions(t *testing.T) {
	for _, c := range []struct {
		name, file, col, input string
		want                   []Dispatch
		err                    string
	}{
		{name: "jsonl labels as one string", file: "a.jsonl", input: `{"text":"a","labels":"Sport"}` + "\n" + `{"text":"b","labels":"terrorisme, migration"}` + "\n",
			want: []Dispatch{{ID: "a.jsonl:1", Labels: []string{"sport"}, Text: "a", File: "a.jsonl", Line: 1}, {ID: "a.jsonl:2", Labels: []string{"terrorisme", "migration"}, Text: "b", File: "a.jsonl", Line: 2}}},
		{name: "tsv text column", file: "a.tsv", col: "Body", input: "id\ttext\tbody\nx\tnot this\tthe article\n",
			want: []Dispatch{{ID: "x", Text: "the article", File: "a.tsv", Line: 2}}},
		{name: "csv text column", file: "a.csv", col: "contenu", input: "contenu,labels\n\"un, texte\",sport\n",
			want: []Dispatch{{ID: "a.csv:2", Labels: []string{"sport"}, Text: "un, texte", File: "a.csv", Line: 2}}},
		{name: "jsonl text field", file: "a.jsonl", col: "article", input: `{"id":"k","article":"le texte","text":"pas lui"}` + "\n",
			want: []Dispatch{{ID: "k", Text: "le texte", File: "a.jsonl", Line: 1}}},
		{name: "tsv text column absent", file: "a.tsv", col: "body", input: "id\ttext\nx\ty\n", err: `a.tsv:1: no "body" column (--text-column)`},
		{name: "jsonl text field absent", file: "a.jsonl", col: "body", input: `{"text":"y"}` + "\n", err: `a.jsonl:1: field "body": no "body" field (--text-column)`},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(c.input), c.file, FormatOf(c.file))
			r.TextColumn = c.col
			var got []Dispatch
			for r.Next() {
				got = append(got, r.Dispatch())
			}
			if c.err != "" {
				if r.Err() == nil || !strings.HasPrefix(r.Err().Error(), c.err) {
					t.Fatalf("err %v, want %q", r.Err(), c.err)
				}
				return
			}
			if r.Err() != nil {
				t.Fatal(r.Err())
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}
