package dispatch

import (
	"bufio"
	"bytes"
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
	dec    decoder // the format's decoder, chosen at the first Next

	line    int  // the last line read (1-based)
	begun   bool // the BOM and binary checks are done
	started bool // the header is read (or the first line of a .jsonl)
	done    bool
	err     error
	cur     Dispatch

	col    [nCols]int // the field index of each column, -1 when absent
	header []string
	long   []byte // reused for lines longer than the bufio buffer
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

// A decoder reads the next record of one format (txt.go, tsv.go, csv.go, jsonl.go) and decodes it into
// the fields of a table row or into a Dispatch; the one read loop, Next, does the rest for every format.
//
// next returns io.EOF at the end of the input, a *problem for a problem in the input, and any other error
// for a failed read of the underlying reader.
type decoder interface {
	next(r *Reader) (record, error)
}

// A record is what a decoder read, starting at line: the fields of a .tsv or .csv row (the header first,
// then the rows) or, when fields is nil, a whole dispatch (.txt, .jsonl).
type record struct {
	line   int
	fields []string
	d      Dispatch
}

// A problem is a problem in the input that a decoder met: a bad row, skipped with OnBadRow, or (fatal)
// a problem of the whole file, which ends the reading.
type problem struct {
	line  int
	field string
	err   error
	fatal bool
}

func (p *problem) Error() string { return p.err.Error() }

// badRow is the problem of one row at line, about field ("" for the whole row).
func badRow(line int, field string, err error) *problem {
	return &problem{line: line, field: field, err: err}
}

// badFile is a problem at line that ends the reading.
func badFile(line int, err error) *problem { return &problem{line: line, err: err, fatal: true} }

// errSkip is what a record that is not a dispatch (a header, a blank row) turns into in Next.
var errSkip = errors.New("dispatch: no dispatch in this record")

// newDecoder returns the decoder of a format, or nil for FormatUnknown.
func newDecoder(f Format) decoder {
	switch f {
	case FormatTXT:
		return &txtDecoder{}
	case FormatTSV:
		return &tsvDecoder{}
	case FormatCSV:
		return &csvDecoder{}
	case FormatJSONL:
		return &jsonlDecoder{}
	}
	return nil
}

// Next reads the next dispatch and reports whether there is one. It returns false at the end of the
// input or at the first error; Err tells which.
//
// It is the one read loop of every format: the decoder gives a record, a table row becomes a dispatch
// through the header (tableRow), the dispatch is checked and completed (check, emit), and every problem
// on the way ends the reading or, with OnBadRow, skips the row (handle).
func (r *Reader) Next() bool {
	if r.done {
		return false
	}
	if !r.begun {
		r.begun = true
		if !r.begin() {
			return false
		}
		if r.dec = newDecoder(r.format); r.dec == nil {
			return r.fail(0, "", errorf(ErrFormat, "unsupported file type %q: use one of %s", filepath.Ext(r.name), Extensions))
		}
	}
	for {
		rec, err := r.dec.next(r)
		var labelErr error
		if err == nil && rec.fields != nil {
			rec.d, labelErr, err = r.tableRow(rec.fields, rec.line)
		}
		if err == nil {
			err = check(rec.d, rec.line, labelErr)
		}
		if err == nil {
			r.emit(rec.d, rec.line)
			return true
		}
		if !r.handle(err) {
			return false
		}
	}
}

// Dispatch returns the dispatch read by the last Next that returned true.
func (r *Reader) Dispatch() Dispatch { return r.cur }

// Err returns the first error met, or nil after a clean end of the input. A problem in the data is an
// *InputError; a failed read of the underlying reader is returned wrapped with the file name (it is not
// the user's input that is wrong).
func (r *Reader) Err() error { return r.err }

// handle deals with what stopped a record from becoming a dispatch, and reports whether to read on:
// the end of the input, a record to skip, a bad row (skipped with OnBadRow), a problem of the whole file,
// a failed read.
func (r *Reader) handle(err error) bool {
	var p *problem
	switch {
	case err == io.EOF:
		return r.eof()
	case err == errSkip:
		return true
	case errors.As(err, &p) && p.fatal:
		return r.fail(p.line, p.field, p.err)
	case errors.As(err, &p):
		return r.bad(p.line, p.field, p.err)
	}
	return r.failRead(err)
}

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

// check returns the problem of a dispatch read at line, or nil when it is good: no text, a bad date, or
// else labelErr, the first bad label met while decoding it.
func check(d Dispatch, line int, labelErr error) error {
	switch {
	case d.Text == "":
		return badRow(line, "text", errorf(ErrNoText, "the text is empty: every row needs the text of its article"))
	case d.Date != "" && !ValidDate(d.Date):
		return badRow(line, "date", dateError(d.Date))
	case labelErr != nil:
		return badRow(line, "labels", labelErr)
	}
	return nil
}

// emit completes the id of a good dispatch read at line and makes it current.
func (r *Reader) emit(d Dispatch, line int) {
	if d.ID == "" {
		d.ID = strconv.Itoa(line)
		if r.idName != "" {
			d.ID = r.idName + ":" + d.ID
		}
	}
	d.File, d.Line = r.name, line
	r.cur = d
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
