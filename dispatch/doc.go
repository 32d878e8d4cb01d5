// Package dispatch owns the Dispatch record and the loaders of the files users give depeche: .txt, .tsv,
// .csv and .jsonl files, directories of them and stdin, with errors that say file, line and column. It
// knows nothing of vectors, models, the archive or the command line, and uses the standard library only.
//
// # Entry points
//
// Load and LoadAll return every dispatch of files and directories; Each streams them one at a time, for
// imports too big to hold; EachLenient reports bad rows and goes on. ReadText reads one article from
// stdin. Under them all, a Reader reads one stream, with Next, Dispatch and Err like bufio.Scanner.
// WriteTSV and WriteJSONL (and Writer) write dispatches back in a form the loaders read as the same.
//
// # Formats
//
// The format comes from the file extension, in any case (FormatOf):
//
//   - .txt: one dispatch, the whole file. Its id is the file name without the extension; its Line is 1.
//   - .tsv: a header row naming the columns, then one dispatch per line. Lines are split on every tab
//     with no quoting: a " is an ordinary character, as in the shared datasets.
//   - .csv: the same columns, with RFC 4180 quoting (encoding/csv): a field holding a comma, a quote or a
//     line break is quoted, and a quote inside it is doubled. A dispatch's Line is where its record starts.
//   - .jsonl (or .ndjson): one JSON object per line with the same fields; labels is an array of strings,
//     id may be a string or a number (kept as written: 42 gives "42"), a null field is an absent one, and
//     other fields are ignored. Blank lines are skipped.
//
// Columns (and JSON fields): text is required; id, title, date, source, url, labels and event are
// optional; other columns are ignored. Column names are trimmed and case-insensitive, and "label" is taken
// for "labels"; a header naming one of them twice is an error. Every row has as many fields as the header.
// Empty (or white-space) lines are skipped; a line may end in LF or CRLF; the last line break is optional.
//
// # Values
//
//   - Every value is trimmed of white space (including U+00A0). An empty text is an error (ErrNoText).
//   - id: a row with no id, or an empty one, gets "<file>:<line>", the file as it was named (cleaned,
//     with forward slashes), e.g. "2019/articles.tsv:14", so that messages and results can point back to
//     the row and rows of two files never share an id; "<line>" when the stream has no name.
//   - date: YYYY-MM-DD or YYYY-MM, a real calendar date (ValidDate); anything else is an error (ErrBadDate),
//     e.g. articles.tsv:14: column "date": "2019-13-02" is not YYYY-MM-DD or YYYY-MM.
//   - labels: in .tsv and .csv, comma-separated; in .jsonl, an array of strings. Each label is trimmed and lower-cased; empty entries and
//     repeats are dropped, the order is kept. A label id has only a-z, 0-9 and - _ / . (ValidLabel); any
//     other character (a space, an accent) is an error (ErrBadLabel) that suggests the id to write.
//
// # Encoding
//
// Input is UTF-8. A byte-order mark at the start is dropped. Invalid UTF-8 is an error naming the line
// (ErrEncoding), as is UTF-16 text; NUL bytes mean binary data (ErrBinary). A single line, record or .txt
// file is at most MaxRecord bytes (ErrTooLong); there is no other limit on line length.
//
// # Errors
//
// A problem in the input is an *InputError{File, Line, Field, Err} that prints as one line,
// "file:line: column "x": what is wrong and what to do", and wraps one of the sentinels (ErrNoText,
// ErrNoTextColumn, ErrHeader, ErrFieldCount, ErrBadDate, ErrBadLabel, ErrEncoding, ErrBinary, ErrJSON,
// ErrTooLong, ErrFormat, ErrNoFiles; for .csv quoting, csv.ErrQuote or csv.ErrBareQuote; for a file that
// cannot be opened, fs.ErrNotExist or fs.ErrPermission), so callers test it with errors.Is and errors.As.
// A failed read of the underlying reader is not an InputError: it is the machine, not the input.
//
// The sentinels' own texts are prefixed "dispatch:" and are never shown: the message of an InputError is
// a precise one (`"2019-13-02" is not YYYY-MM-DD or YYYY-MM`) that unwraps to the sentinel.
//
// With Reader.OnBadRow (or EachLenient), a bad row is reported and skipped instead of ending the reading;
// a problem of the whole file (no text column, binary data, a record over MaxRecord) still ends it.
//
// # Order and determinism
//
// Dispatches come in file order; a directory's files in sorted path order. Reading the same input twice
// gives the same dispatches, ids included.
package dispatch
