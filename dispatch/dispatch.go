package dispatch

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Dispatch is one news dispatch, as read from a file or the archive.
//
// Every string field is trimmed of surrounding white space (unicode.IsSpace, so U+00A0 too). Text is never
// empty in a Dispatch a loader returns. ID is never empty either: a row without one gets "<file>:<line>"
// (see NewReader). Labels are valid label ids (see ValidLabel), without duplicates, in input order; nil
// when there are none. File and Line say where the dispatch came from, for messages; they are not written
// by WriteTSV or WriteJSONL.
type Dispatch struct {
	ID     string   `json:"id"`
	Title  string   `json:"title,omitempty"`
	Date   string   `json:"date,omitempty"` // YYYY-MM-DD or YYYY-MM, or empty
	Source string   `json:"source,omitempty"`
	URL    string   `json:"url,omitempty"`
	Labels []string `json:"labels,omitempty"`
	Event  string   `json:"event,omitempty"`
	Text   string   `json:"text"`
	File   string   `json:"-"` // the file it came from (as given), for messages
	Line   int      `json:"-"` // its line in File: the row's first line; 1 for a .txt file
}

// The sentinel errors. A loader never returns them bare: they come wrapped in an *InputError that says
// where, and the message shown is a more precise one (errors.Is finds the sentinel).
var (
	// ErrNoText: a dispatch whose text is empty or only white space, or an empty .txt or stdin.
	ErrNoText = errors.New("dispatch: no text")
	// ErrNoTextColumn: a .tsv or .csv header without a "text" column, or a file without a header.
	ErrNoTextColumn = errors.New("dispatch: no text column")
	// ErrHeader: a header naming a known column twice.
	ErrHeader = errors.New("dispatch: bad header")
	// ErrFieldCount: a row with more or fewer fields than the header.
	ErrFieldCount = errors.New("dispatch: wrong number of fields")
	// ErrBadDate: a date that is not a real calendar date written YYYY-MM-DD or YYYY-MM.
	ErrBadDate = errors.New("dispatch: bad date")
	// ErrBadLabel: a label that is not a label id (see ValidLabel).
	ErrBadLabel = errors.New("dispatch: bad label")
	// ErrEncoding: bytes that are not UTF-8 (Latin-1, Windows-1252 or UTF-16 text, say).
	ErrEncoding = errors.New("dispatch: invalid UTF-8")
	// ErrBinary: NUL bytes, that is binary data rather than text.
	ErrBinary = errors.New("dispatch: binary data, not text")
	// ErrJSON: a .jsonl line that is not a JSON object, or a field of the wrong JSON type.
	ErrJSON = errors.New("dispatch: bad JSON")
	// ErrTooLong: a line, record or .txt file larger than MaxRecord.
	ErrTooLong = errors.New("dispatch: too long")
	// ErrFormat: a file whose extension is none of Extensions.
	ErrFormat = errors.New("dispatch: unsupported file type")
	// ErrNoFiles: a directory holding no file of a supported type.
	ErrNoFiles = errors.New("dispatch: no supported files")
)

// InputError is a problem in the user's input, with its place, modelled on csv.ParseError. Its message
// is one line, "file:line: column "x": what is wrong", leaving out the parts that are empty or zero (a
// .jsonl file says field instead of column). Err wraps one of the sentinels above, or an fs error for a
// file that cannot be opened, so errors.Is works on an *InputError.
type InputError struct {
	File  string // the file name as given, "stdin", or empty
	Line  int    // 1-based; 0 when the problem is about the whole file
	Field string // the column or JSON field, lower case; empty when it is about the whole line
	Err   error
}

func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		if e.File == "" {
			b.WriteString("line ")
		} else {
			b.WriteByte(':')
		}
		b.WriteString(strconv.Itoa(e.Line))
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" {
		if FormatOf(e.File) == FormatJSONL {
			b.WriteString("field ")
		} else {
			b.WriteString("column ")
		}
		b.WriteString(strconv.Quote(e.Field))
		b.WriteString(": ")
	}
	if e.Err == nil {
		b.WriteString("bad input")
	} else {
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the underlying error, usually a sentinel such as ErrBadDate.
func (e *InputError) Unwrap() error { return e.Err }

// detail is an error with its own message that unwraps to a sentinel, so that a message can be precise
// ("2019-13-02" is not YYYY-MM-DD or YYYY-MM) while errors.Is still finds ErrBadDate.
type detail struct {
	msg string
	err error
}

func (d *detail) Error() string { return d.msg }
func (d *detail) Unwrap() error { return d.err }

// errorf returns an error whose message is the formatted text and which unwraps to sentinel.
func errorf(sentinel error, format string, a ...any) error {
	return &detail{msg: fmt.Sprintf(format, a...), err: sentinel}
}
