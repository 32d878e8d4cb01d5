package dispatch

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Format is the kind of an input file.
type Format int

// The formats, chosen by file extension (FormatOf).
const (
	FormatUnknown Format = iota
	FormatTXT            // .txt: one dispatch, the whole file
	FormatTSV            // .tsv: a header row, then one dispatch per line, fields split on tabs, no quoting
	FormatCSV            // .csv: a header row, then one dispatch per record, RFC 4180 quoting
	FormatJSONL          // .jsonl (or .ndjson): one JSON object per line
)

// Extensions lists the supported file extensions, for messages.
const Extensions = ".txt, .tsv, .csv, .jsonl"

// String returns the format's usual extension (".tsv"), or "unknown".
func (f Format) String() string {
	switch f {
	case FormatTXT:
		return ".txt"
	case FormatTSV:
		return ".tsv"
	case FormatCSV:
		return ".csv"
	case FormatJSONL:
		return ".jsonl"
	}
	return "unknown"
}

// FormatOf returns the format of a file name by its extension, ignoring case; FormatUnknown for any other.
func FormatOf(name string) Format {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt":
		return FormatTXT
	case ".tsv":
		return FormatTSV
	case ".csv":
		return FormatCSV
	case ".jsonl", ".ndjson":
		return FormatJSONL
	}
	return FormatUnknown
}

// MaxRecord is the largest dispatch a Reader accepts, in bytes: a line of .tsv or .jsonl, a record of
// .csv, a whole .txt file. Past it, reading stops with ErrTooLong, so that a file with no line breaks
// (or a .csv with an unclosed quote) cannot take all the memory.
const MaxRecord = 16 << 20

// sniffSize is how much of the start of a file is searched for NUL bytes before anything is parsed, so
// that a binary file gets "binary data" rather than a parse error about its first bytes.
const sniffSize = 8000

const (
	bom     = "\ufeff"
	notText = "binary data, not text (NUL bytes): depeche reads UTF-8 text files (" + Extensions + ")"
)

// The columns of a .tsv or .csv header, and the fields of a .jsonl object.
const (
	colID = iota
	colTitle
	colDate
	colSource
	colURL
	colLabels
	colEvent
	colText
	nCols
)

var colNames = [nCols]string{"id", "title", "date", "source", "url", "labels", "event", "text"}

// Reader reads dispatches one at a time from a .tsv, .csv, .jsonl or .txt stream, like bufio.Scanner:
// call Next until it returns false, then Err once. It holds one record at a time, whatever the size of
// the input, so it suits an import of millions of rows.
//
// The first error stops the reading and stays (a sticky error): Next returns false from then on. With
// OnBadRow set, a bad row is reported and skipped instead.
//
// The Dispatch values returned own their memory: they stay valid after the next call to Next.
type Reader struct {
	// OnBadRow, when not nil, is called with each bad row, and the reading goes on with the next one. A
	// bad row is one with the wrong number of fields, no text, a bad date or label, invalid UTF-8, a
	// .jsonl line that is not an object or has a field of the wrong type. Problems of the whole file
	// (no header or no text column, binary data, a record longer than MaxRecord, a .csv quoting error, a
	// failed read) still stop the reading and are returned by Err.
	OnBadRow func(*InputError)
	// TextColumn, when not empty, names the column (.tsv, .csv) or field (.jsonl) that holds the text, for
	// files whose text column is not called "text" (compared case-insensitively). A column called "text"
	// is then an ordinary unknown column. Set it before the first Next.
	TextColumn string

	name   string // for messages
	base   string // for .txt ids: the base name of name
	idName string // for the ids of table rows: name as given, cleaned
	format Format
	br     *bufio.Reader
	cr     *csv.Reader
	lim    *limitReader // under cr
	jrow   jsonRow

	line    int  // the last line read (1-based)
	begun   bool // the BOM and binary checks are done
	started bool // the header is read (or the first line of a .jsonl)
	done    bool
	err     error
	cur     Dispatch

	col    [nCols]int // the field index of each column, -1 when absent
	header []string
	fields []string // reused by the .tsv splitter
	long   []byte   // reused for lines longer than the bufio buffer
}

// NewReader returns a Reader of r in the given format. name is the file name shown in messages and used
// in generated ids: a table row without an id gets "<name>:<line>", name as the user gave it (cleaned,
// with forward slashes), so that rows of 2019/depeches.tsv and 2020/depeches.tsv never share an id; "<line>"
// when name is empty. For FormatTXT the id is the base name without its extension (DESIGN.md: the file
// name is the id; the base name if that leaves nothing, "1" if there is no name). Archives made before
// ids carried the path keep their "<base name>:<line>" ids; a file imported again is recognised by its
// text. A FormatUnknown reader fails at the first Next with ErrFormat. A Reader is not safe for
// concurrent use.
func NewReader(r io.Reader, name string, format Format) *Reader {
	base, idName := "", ""
	if name != "" {
		base = filepath.Base(name)
		idName = filepath.ToSlash(filepath.Clean(name))
	}
	return &Reader{name: name, base: base, idName: idName, format: format, br: bufio.NewReaderSize(r, 64<<10)}
}

// Next reads the next dispatch and reports whether there is one. It returns false at the end of the
// input or at the first error; Err tells which.
func (r *Reader) Next() bool {
	if r.done {
		return false
	}
	if !r.begun {
		r.begun = true
		if !r.begin() {
			return false
		}
	}
	switch r.format {
	case FormatTXT:
		return r.nextTXT()
	case FormatTSV:
		return r.nextTSV()
	case FormatCSV:
		return r.nextCSV()
	case FormatJSONL:
		return r.nextJSONL()
	}
	return r.fail(0, "", errorf(ErrFormat, "unsupported file type %q: use one of %s", filepath.Ext(r.name), Extensions))
}

// Dispatch returns the dispatch read by the last Next that returned true.
func (r *Reader) Dispatch() Dispatch { return r.cur }

// Err returns the first error met, or nil after a clean end of the input. A problem in the data is an
// *InputError; a failed read of the underlying reader is returned wrapped with the file name (it is not
// the user's input that is wrong).
func (r *Reader) Err() error { return r.err }

// fail records a problem that ends the reading and returns false.
func (r *Reader) fail(line int, field string, err error) bool {
	r.err = &InputError{File: r.name, Line: line, Field: field, Err: err}
	r.done = true
	return false
}

// failRead records a failed read of the underlying reader.
func (r *Reader) failRead(err error) bool {
	if r.name != "" {
		err = fmt.Errorf("read %s: %w", r.name, err)
	}
	r.err, r.done = err, true
	return false
}

// bad records a problem with one row: with OnBadRow it is reported and the reading goes on (true);
// otherwise it ends the reading (false).
func (r *Reader) bad(line int, field string, err error) bool {
	e := &InputError{File: r.name, Line: line, Field: field, Err: err}
	if r.OnBadRow != nil {
		r.OnBadRow(e)
		return true
	}
	r.err, r.done = e, true
	return false
}

// begin drops a UTF-8 byte-order mark and rejects UTF-16 and binary data before any parsing.
func (r *Reader) begin() bool {
	b, _ := r.br.Peek(3)
	if bytes.HasPrefix(b, []byte(bom)) {
		r.br.Discard(len(bom))
	} else if len(b) >= 2 && (b[0] == 0xFF && b[1] == 0xFE || b[0] == 0xFE && b[1] == 0xFF) {
		return r.fail(0, "", errorf(ErrEncoding, "UTF-16 text, not UTF-8: convert it, e.g. iconv -f UTF-16 -t UTF-8 in%s > out%[1]s", r.format))
	}
	b, err := r.br.Peek(sniffSize)
	if err != nil && err != io.EOF {
		return r.failRead(err)
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return r.fail(1+bytes.Count(b[:i], []byte("\n")), "", errorf(ErrBinary, notText))
	}
	return true
}

// eof ends the reading at the end of the input: an error for a .tsv or .csv without a header.
func (r *Reader) eof() bool {
	if !r.started && (r.format == FormatTSV || r.format == FormatCSV) {
		return r.fail(0, "", errorf(ErrNoTextColumn, "the file is empty: it needs a header row naming a \"text\" column (optional: %s)", optionalCols()))
	}
	r.done = true
	return false
}

// readLine returns the next line without its line end (LF or CRLF), checked for NUL bytes (ErrBinary)
// and UTF-8 (ErrEncoding); io.EOF at the end. The slice is valid until the next call.
func (r *Reader) readLine() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.long = append(r.long[:0], line...)
		for err == bufio.ErrBufferFull {
			if len(r.long) > MaxRecord {
				r.line++
				return nil, errorf(ErrTooLong, "line longer than %d MiB: is it really %s? (the whole file may be one line)", MaxRecord>>20, r.format)
			}
			line, err = r.br.ReadSlice('\n')
			r.long = append(r.long, line...)
		}
		line = r.long
	}
	if err != nil && err != io.EOF {
		return nil, err
	}
	if len(line) == 0 {
		return nil, io.EOF
	}
	r.line++
	if n := len(line); line[n-1] == '\n' {
		line = line[:n-1]
		if n >= 2 && line[n-2] == '\r' {
			line = line[:n-2]
		}
	}
	if len(line) > MaxRecord {
		return nil, errorf(ErrTooLong, "line longer than %d MiB", MaxRecord>>20)
	}
	if bytes.IndexByte(line, 0) >= 0 {
		return nil, errorf(ErrBinary, notText)
	}
	if !utf8.Valid(line) {
		return nil, encodingError(line, true, r.format)
	}
	return line, nil
}

// encodingError describes the first invalid UTF-8 sequence of b, with its column if withCol, and says how
// to convert a file of the format.
func encodingError(b []byte, withCol bool, format Format) error {
	hint := fmt.Sprintf("convert the file to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8 in%s > out%[1]s", format)
	col := 1
	for i := 0; i < len(b); col++ {
		c, size := utf8.DecodeRune(b[i:])
		if c == utf8.RuneError && size <= 1 {
			if withCol {
				return errorf(ErrEncoding, "invalid UTF-8 (byte 0x%02X at column %d): %s", b[i], col, hint)
			}
			return errorf(ErrEncoding, "invalid UTF-8 (byte 0x%02X): %s", b[i], hint)
		}
		i += size
	}
	return errorf(ErrEncoding, "invalid UTF-8: %s", hint)
}

// lineErr turns an error of readLine into the end of the reading or a skipped row; it returns whether to
// go on reading.
func (r *Reader) lineErr(err error) bool {
	switch {
	case errors.Is(err, ErrEncoding) && (r.started || r.format == FormatJSONL):
		return r.bad(r.line, "", err)
	case errors.Is(err, ErrEncoding), errors.Is(err, ErrBinary), errors.Is(err, ErrTooLong):
		return r.fail(r.line, "", err)
	}
	return r.failRead(err)
}

func (r *Reader) nextTXT() bool {
	if r.started {
		r.done = true
		return false
	}
	r.started = true
	b, err := io.ReadAll(io.LimitReader(r.br, MaxRecord+1))
	if err != nil {
		return r.failRead(err)
	}
	if len(b) > MaxRecord {
		return r.fail(0, "", errorf(ErrTooLong, "larger than %d MiB: one .txt file is one article; split it", MaxRecord>>20))
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return r.fail(1+bytes.Count(b[:i], []byte("\n")), "", errorf(ErrBinary, notText))
	}
	if !utf8.Valid(b) {
		line := 1
		for {
			l, rest, _ := bytes.Cut(b, []byte("\n"))
			if !utf8.Valid(l) {
				return r.fail(line, "", encodingError(l, true, r.format))
			}
			line++
			b = rest
		}
	}
	text := strings.TrimSpace(string(b))
	if text == "" {
		what := "the file is empty"
		if len(b) > 0 {
			what = "the file holds only white space"
		}
		return r.fail(0, "", errorf(ErrNoText, "%s: a .txt file holds the text of one article", what))
	}
	id := strings.TrimSuffix(r.base, filepath.Ext(r.base))
	if id == "" {
		id = r.base
	}
	if id == "" {
		id = "1"
	}
	r.cur = Dispatch{ID: id, Text: text, File: r.name, Line: 1}
	return true
}

// readHeader reads the column names of a .tsv or .csv: case-insensitive, trimmed; "label" is taken for
// "labels"; unknown names are ignored; a known name given twice is an error.
func (r *Reader) readHeader(fields []string) error {
	for i := range r.col {
		r.col[i] = -1
	}
	r.header = append(r.header[:0], fields...)
	textCol := strings.ToLower(strings.TrimSpace(r.TextColumn))
	for i, f := range fields {
		name := strings.ToLower(strings.TrimSpace(f))
		switch {
		case textCol != "" && name == textCol:
			name = "text"
		case textCol != "" && name == "text":
			name = "" // the text is elsewhere
		case name == "label":
			name = "labels"
		}
		for c, n := range colNames {
			if n != name {
				continue
			}
			if j := r.col[c]; j >= 0 {
				return errorf(ErrHeader, "the header names the %s column twice (%q is field %d, %q is field %d): keep one", n, fields[j], j+1, f, i+1)
			}
			r.col[c] = i
		}
	}
	if r.col[colText] >= 0 {
		return nil
	}
	names := make([]string, 0, len(fields))
	for i, f := range fields {
		if i == 20 {
			names = append(names, fmt.Sprintf("… (%d in all)", len(fields)))
			break
		}
		if utf8.RuneCountInString(f) > 40 {
			f = string([]rune(f)[:40]) + "…"
		}
		names = append(names, strconv.Quote(f))
	}
	hint := ""
	switch {
	case len(fields) == 1 && r.format == FormatTSV && strings.Contains(fields[0], ","):
		hint = " (there is no tab in the header: if the file is comma-separated, name it .csv)"
	case len(fields) == 1 && r.format == FormatCSV && strings.Contains(fields[0], "\t"):
		hint = " (there is no comma in the header: if the file is tab-separated, name it .tsv)"
	}
	if textCol != "" {
		return errorf(ErrNoTextColumn, "no %q column (--text-column): the header names %s", r.TextColumn, strings.Join(names, ", "))
	}
	return errorf(ErrNoTextColumn, "no \"text\" column: the header names %s%s; name the column of the article text \"text\", or name it with --text-column (optional columns: %s)",
		strings.Join(names, ", "), hint, optionalCols())
}

func optionalCols() string { return strings.Join(colNames[:colText], ", ") }

// fieldCount is the error of a row with n fields under a header of want.
func fieldCount(n, want int, format Format) error {
	plural := "s"
	if n == 1 {
		plural = ""
	}
	hint := "quote a field that holds a comma, a quote or a line break"
	if format == FormatTSV {
		hint = "a .tsv is split on every tab, with no quoting: replace the tabs inside a field by spaces"
	}
	return errorf(ErrFieldCount, "%d field%s but the header has %d (%s)", n, plural, want, hint)
}

func isBlank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

// splitTab appends the tab-separated fields of s to dst.
func splitTab(s string, dst []string) []string {
	for {
		i := strings.IndexByte(s, '\t')
		if i < 0 {
			return append(dst, s)
		}
		dst = append(dst, s[:i])
		s = s[i+1:]
	}
}

func (r *Reader) nextTSV() bool {
	for {
		line, err := r.readLine()
		if err == io.EOF {
			return r.eof()
		}
		if err != nil {
			if r.lineErr(err) {
				continue
			}
			return false
		}
		if isBlank(line) {
			continue
		}
		if !r.started {
			r.started = true
			if err := r.readHeader(splitTab(string(line), nil)); err != nil {
				return r.fail(r.line, "", err)
			}
			continue
		}
		r.fields = splitTab(string(line), r.fields[:0])
		if len(r.fields) != len(r.header) {
			if r.bad(r.line, "", fieldCount(len(r.fields), len(r.header), FormatTSV)) {
				continue
			}
			return false
		}
		if r.row(r.fields, r.line) {
			return true
		}
		if r.done {
			return false
		}
	}
}

// limitReader fails with ErrTooLong once more than MaxRecord bytes (plus what encoding/csv reads ahead)
// are read since n was last set to 0.
type limitReader struct {
	r io.Reader
	n int
}

var errCSVTooLong = errors.New("dispatch: csv record too long")

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n > MaxRecord+128<<10 {
		return 0, errCSVTooLong
	}
	n, err := l.r.Read(p)
	l.n += n
	return n, err
}

func (r *Reader) nextCSV() bool {
	if r.cr == nil {
		r.lim = &limitReader{r: r.br}
		r.cr = csv.NewReader(r.lim)
		r.cr.ReuseRecord = true
	}
	for {
		r.lim.n = 0
		rec, err := r.cr.Read()
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			return r.eof()
		case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount):
			if !r.checkCSV(rec, pe.StartLine) {
				if r.done {
					return false
				}
				continue
			}
			if r.bad(pe.StartLine, "", fieldCount(len(rec), len(r.header), FormatCSV)) {
				continue
			}
			return false
		case errors.As(err, &pe):
			msg := fmt.Sprintf("a quoted field is not closed properly (error at line %d, column %d): close it with \" and double every \" inside it (\"un \"\"mot\"\"\")", pe.Line, pe.Column)
			if errors.Is(pe.Err, csv.ErrBareQuote) {
				msg = fmt.Sprintf("a \" in a field that is not quoted (line %d, column %d): quote the whole field and double every \" inside it (\"un \"\"mot\"\"\"), or use a .tsv", pe.Line, pe.Column)
			}
			return r.fail(pe.StartLine, "", errorf(pe.Err, "%s", msg))
		case errors.Is(err, errCSVTooLong):
			return r.fail(r.line+1, "", errorf(ErrTooLong, "a record starting after line %d is longer than %d MiB: is a quoted field left open?", r.line, MaxRecord>>20))
		case err != nil:
			return r.failRead(err)
		}
		line, _ := r.cr.FieldPos(0)
		r.line = line
		if !r.checkCSV(rec, line) {
			if r.done {
				return false
			}
			continue
		}
		if !r.started {
			r.started = true
			if err := r.readHeader(rec); err != nil {
				return r.fail(line, "", err)
			}
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if r.row(rec, line) {
			return true
		}
		if r.done {
			return false
		}
	}
}

// checkCSV checks the size of a .csv record and its fields for NUL bytes and UTF-8, which encoding/csv
// lets through;
// it reports whether the record is good. A bad record is skipped with OnBadRow; a bad header, or binary
// data, ends the reading.
func (r *Reader) checkCSV(rec []string, line int) bool {
	size := 0
	for _, f := range rec {
		size += len(f)
	}
	if size > MaxRecord {
		return r.fail(line, "", errorf(ErrTooLong, "a record longer than %d MiB: is a quoted field left open?", MaxRecord>>20))
	}
	for i, f := range rec {
		if strings.IndexByte(f, 0) >= 0 {
			return r.fail(line, "", errorf(ErrBinary, notText))
		}
		if !utf8.ValidString(f) {
			l, _ := r.cr.FieldPos(i)
			b := []byte(f)
			for {
				s, rest, _ := bytes.Cut(b, []byte("\n"))
				if !utf8.Valid(s) {
					b = s
					break
				}
				l++
				b = rest
			}
			err := encodingError(b, false, r.format)
			if !r.started {
				return r.fail(l, "", err)
			}
			r.bad(l, "", err)
			return false
		}
	}
	return true
}

// row makes a dispatch of the fields of a .tsv or .csv row and reports whether it is good.
func (r *Reader) row(fields []string, line int) bool {
	get := func(c int) string {
		if i := r.col[c]; i >= 0 {
			return strings.TrimSpace(fields[i])
		}
		return ""
	}
	d := Dispatch{ID: get(colID), Title: get(colTitle), Date: get(colDate), Source: get(colSource), URL: get(colURL), Event: get(colEvent), Text: get(colText)}
	var lerr error
	if s := get(colLabels); s != "" {
		d.Labels = make([]string, 0, strings.Count(s, ",")+1)
		for s != "" {
			var l string
			l, s, _ = strings.Cut(s, ",")
			if d.Labels, lerr = appendLabel(d.Labels, l); lerr != nil {
				break
			}
		}
	}
	if len(d.Labels) == 0 {
		d.Labels = nil
	}
	return r.emit(d, line, lerr)
}

// appendLabel appends the normalized label l to ls unless it is empty or already there.
func appendLabel(ls []string, l string) ([]string, error) {
	l, err := normLabel(l)
	if err != nil || l == "" {
		return ls, err
	}
	for _, x := range ls {
		if x == l {
			return ls, nil
		}
	}
	return append(ls, l), nil
}

// emit checks a dispatch read at line, completes its id and makes it current; it reports whether it did.
// When it did not, the row was skipped (OnBadRow) or the reading ended (r.done).
func (r *Reader) emit(d Dispatch, line int, labelErr error) bool {
	var field string
	var err error
	switch {
	case d.Text == "":
		field, err = "text", errorf(ErrNoText, "the text is empty: every row needs the text of its article")
	case d.Date != "" && !ValidDate(d.Date):
		field, err = "date", dateError(d.Date)
	case labelErr != nil:
		field, err = "labels", labelErr
	}
	if err != nil {
		r.bad(line, field, err)
		return false
	}
	if d.ID == "" {
		d.ID = strconv.Itoa(line)
		if r.idName != "" {
			d.ID = r.idName + ":" + d.ID
		}
	}
	d.File, d.Line = r.name, line
	r.cur = d
	return true
}

// jsonRow is one .jsonl object. The id may be a string or a number; a missing text is told apart from an
// empty one for the message.
type jsonRow struct {
	ID     json.RawMessage `json:"id"`
	Title  string          `json:"title"`
	Date   string          `json:"date"`
	Source string          `json:"source"`
	URL    string          `json:"url"`
	Labels json.RawMessage `json:"labels"` // an array of strings, or one string (comma-separated ids)
	Event  string          `json:"event"`
	Text   *string         `json:"text"`
}

const jsonExample = `each line must be one object such as {"id": "a1", "labels": ["terrorisme"], "text": "…"}`

func (r *Reader) nextJSONL() bool {
	for {
		line, err := r.readLine()
		if err == io.EOF {
			return r.eof()
		}
		if err != nil {
			if r.lineErr(err) {
				continue
			}
			return false
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		first := !r.started
		r.started = true
		d, field, err := r.decodeJSON(line, first)
		if err != nil {
			if r.bad(r.line, field, err) {
				continue
			}
			return false
		}
		if r.emit(d, r.line, nil) {
			return true
		}
		if r.done {
			return false
		}
	}
}

// decodeJSON decodes one .jsonl line into a dispatch with trimmed fields and normalized labels.
func (r *Reader) decodeJSON(line []byte, first bool) (Dispatch, string, error) {
	if line[0] != '{' {
		if first && line[0] == '[' {
			return Dispatch{}, "", errorf(ErrJSON, "not a JSON object but an array: .jsonl wants one object per line (e.g. jq -c '.[]' in.json > out.jsonl)")
		}
		return Dispatch{}, "", errorf(ErrJSON, "not a JSON object: %s", jsonExample)
	}
	o := &r.jrow
	*o = jsonRow{}
	if err := json.Unmarshal(line, o); err != nil {
		var te *json.UnmarshalTypeError
		var se *json.SyntaxError
		switch {
		case errors.As(err, &te) && (te.Field == "labels" || strings.HasPrefix(te.Field, "labels.")):
			return Dispatch{}, "labels", errorf(ErrJSON, `must be an array of strings such as ["terrorisme", "migration"]`)
		case errors.As(err, &te) && te.Field != "" && te.Field != "id":
			return Dispatch{}, strings.ToLower(te.Field), errorf(ErrJSON, "must be a string, not a JSON %s", te.Value)
		case errors.As(err, &se):
			return Dispatch{}, "", errorf(ErrJSON, "not a JSON object (%v, at byte %d): %s", se, se.Offset, jsonExample)
		case errors.As(err, &te):
		default:
			return Dispatch{}, "", errorf(ErrJSON, "not a JSON object (%v): %s", err, jsonExample)
		}
	}
	id, ok := jsonID(o.ID)
	if !ok {
		return Dispatch{}, "id", errorf(ErrJSON, "must be a string or a number")
	}
	if r.TextColumn != "" {
		o.Text = nil
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(line, &fields); err == nil {
			for k, v := range fields {
				if strings.EqualFold(k, r.TextColumn) {
					var t string
					if json.Unmarshal(v, &t) != nil {
						return Dispatch{}, r.TextColumn, errorf(ErrJSON, "must be a string")
					}
					o.Text = &t
				}
			}
		}
		if o.Text == nil {
			return Dispatch{}, r.TextColumn, errorf(ErrNoText, "no %q field (--text-column)", r.TextColumn)
		}
	}
	if o.Text == nil {
		return Dispatch{}, "text", errorf(ErrNoText, `no "text" field: %s`, jsonExample)
	}
	d := Dispatch{ID: strings.TrimSpace(id), Title: strings.TrimSpace(o.Title), Date: strings.TrimSpace(o.Date),
		Source: strings.TrimSpace(o.Source), URL: strings.TrimSpace(o.URL), Event: strings.TrimSpace(o.Event),
		Text: strings.TrimSpace(*o.Text)}
	for i, s := range [...]string{d.ID, d.Title, d.Date, d.Source, d.URL, "", d.Event, d.Text} {
		if strings.IndexByte(s, 0) >= 0 {
			return Dispatch{}, colNames[i], errorf(ErrBinary, `a NUL character (\u0000) is not text`)
		}
	}
	labels, err := jsonLabels(o.Labels)
	if err != nil {
		return Dispatch{}, "labels", err
	}
	for _, l := range labels {
		var err error
		if d.Labels, err = appendLabel(d.Labels, l); err != nil {
			return Dispatch{}, "labels", err
		}
	}
	return d, "", nil
}

// jsonLabels reads a .jsonl labels field: an array of strings, or one string of comma-separated ids as in
// a .tsv (a common export shape: "labels": "terrorisme"), or null.
func jsonLabels(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, errorf(ErrJSON, `must be an array of strings such as ["terrorisme", "migration"]`)
		}
		return strings.Split(s, ","), nil
	}
	var ls []string
	if err := json.Unmarshal(raw, &ls); err != nil {
		return nil, errorf(ErrJSON, `must be an array of strings such as ["terrorisme", "migration"]`)
	}
	return ls, nil
}

// jsonID returns the id of a .jsonl object: a string, a number as written, or "" when absent or null.
func jsonID(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		return s, json.Unmarshal(raw, &s) == nil
	case c == '-' || c >= '0' && c <= '9':
		return string(raw), true
	}
	return "", false
}
