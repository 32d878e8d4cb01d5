package dispatch

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// csvDecoder reads a .csv file with encoding/csv: a header row, then one dispatch per record, with RFC
// 4180 quoting. A record's line is the one it starts on. encoding/csv itself skips empty lines and finds
// a record with another number of fields than the header (the first record); the checks it does not do
// (NUL bytes, UTF-8, MaxRecord) are done here.
type csvDecoder struct {
	cr  *csv.Reader
	lim *limitReader // under cr
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

func (c *csvDecoder) next(r *Reader) (record, error) {
	if c.cr == nil {
		c.lim = &limitReader{r: r.br}
		c.cr = csv.NewReader(c.lim)
		c.cr.ReuseRecord = true
	}
	c.lim.n = 0
	rec, err := c.cr.Read()
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		return record{}, io.EOF
	case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount):
		// the record is there, with its fields: tableRow says it has the wrong number of them
		if err := c.check(r, rec, pe.StartLine); err != nil {
			return record{}, err
		}
		return record{line: pe.StartLine, fields: rec}, nil
	case errors.As(err, &pe):
		msg := fmt.Sprintf("a quoted field is not closed properly (error at line %d, column %d): close it with \" and double every \" inside it (\"un \"\"mot\"\"\")", pe.Line, pe.Column)
		if errors.Is(pe.Err, csv.ErrBareQuote) {
			msg = fmt.Sprintf("a \" in a field that is not quoted (line %d, column %d): quote the whole field and double every \" inside it (\"un \"\"mot\"\"\"), or use a .tsv", pe.Line, pe.Column)
		}
		return record{}, badFile(pe.StartLine, errorf(pe.Err, "%s", msg))
	case errors.Is(err, errCSVTooLong):
		return record{}, badFile(r.line+1, errorf(ErrTooLong, "a record starting after line %d is longer than %d MiB: is a quoted field left open?", r.line, MaxRecord>>20))
	case err != nil:
		return record{}, err
	}
	line, _ := c.cr.FieldPos(0)
	r.line = line
	if err := c.check(r, rec, line); err != nil {
		return record{}, err
	}
	return record{line: line, fields: rec}, nil
}

// check checks the size of a .csv record read at line and its fields for NUL bytes and UTF-8, which
// encoding/csv lets through. A record that is not UTF-8 is a bad row, or a problem of the whole file if
// it is the header; binary data and a record over MaxRecord end the reading.
func (c *csvDecoder) check(r *Reader, rec []string, line int) error {
	size := 0
	for _, f := range rec {
		size += len(f)
	}
	if size > MaxRecord {
		return badFile(line, errorf(ErrTooLong, "a record longer than %d MiB: is a quoted field left open?", MaxRecord>>20))
	}
	for i, f := range rec {
		if strings.IndexByte(f, 0) >= 0 {
			return badFile(line, errorf(ErrBinary, notText))
		}
		if !utf8.ValidString(f) {
			l, _ := c.cr.FieldPos(i)
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
				return badFile(l, err)
			}
			return badRow(l, "", err)
		}
	}
	return nil
}
