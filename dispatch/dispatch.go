// Package dispatch owns the Dispatch record and the loaders of the files users give depeche: .txt (one
// dispatch), .tsv and .csv (a header row, one dispatch per row), .jsonl (one object per line) and
// directories of them. Errors say where: file, line and column. It knows nothing of vectors or models.
//
// # Formats
//
// .tsv is split on tabs with no quoting (a " is an ordinary character, as in the shared datasets); .csv
// follows RFC 4180. Both need a header naming a text column; id, title, date, source, url, labels
// (comma-separated) and event are optional, other columns are ignored; names are case-insensitive. .jsonl
// has the same fields, labels as an array of strings.
//
// A missing or empty id becomes "<file>:<line>" (the file as named); a .txt file's id is its name without the
// extension. Dates are YYYY-MM-DD or YYYY-MM. Label ids are trimmed and lower-cased; they may hold letters,
// digits and - _ / . Input is UTF-8; a byte-order mark is dropped; NUL bytes or invalid UTF-8 are errors.
package dispatch

import (
	"errors"
	"fmt"
	"strings"
)

// Dispatch is one news dispatch.
type Dispatch struct {
	ID     string   `json:"id"`
	Title  string   `json:"title,omitempty"`
	Date   string   `json:"date,omitempty"`
	Source string   `json:"source,omitempty"`
	URL    string   `json:"url,omitempty"`
	Labels []string `json:"labels,omitempty"`
	Event  string   `json:"event,omitempty"`
	Text   string   `json:"text"`
	File   string   `json:"-"` // where it came from, for messages
	Line   int      `json:"-"`
}

// Sentinel errors, wrapped in an *InputError that says where.
var (
	ErrNoText       = errors.New("no text")
	ErrNoTextColumn = errors.New("no text column")
	ErrFieldCount   = errors.New("wrong number of fields")
	ErrBadDate      = errors.New("is not YYYY-MM-DD or YYYY-MM")
	ErrBadLabel     = errors.New("is not a label id")
	ErrEncoding     = errors.New("invalid UTF-8")
	ErrBinary       = errors.New("binary data, not text")
	ErrFormat       = errors.New("unsupported file type")
	ErrLineTooLong  = errors.New("line too long")
	ErrJSON         = errors.New("not a JSON object")
)

// InputError is a problem in the user's input, with its place. Its message is one line:
// "file:line: column "x": what is wrong".
type InputError struct {
	File  string
	Line  int // 0 when the error is about the whole file
	Field string
	Err   error
}

func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Field != "" {
		fmt.Fprintf(&b, "column %q: ", e.Field)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *InputError) Unwrap() error { return e.Err }
