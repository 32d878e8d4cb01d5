package dispatch

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unicode/utf8"
)

// The lines of a .tsv or .jsonl: both formats are one record per line, so their decoders share the line
// reading, its checks (NUL bytes, UTF-8, MaxRecord) and the skipping of blank lines.

// nextLine returns the next line that is not blank (only white space), without its line end; io.EOF at
// the end. A line that is not UTF-8 is a bad row once the header is read (at once for a .jsonl), a
// problem of the whole file before; binary data and a line over MaxRecord end the reading. The slice is
// valid until the next call.
func (r *Reader) nextLine() ([]byte, error) {
	for {
		line, err := r.readLine()
		switch {
		case err == io.EOF:
			return nil, err
		case errors.Is(err, ErrEncoding) && (r.started || r.format == FormatJSONL):
			return nil, badRow(r.line, "", err)
		case errors.Is(err, ErrEncoding), errors.Is(err, ErrBinary), errors.Is(err, ErrTooLong):
			return nil, badFile(r.line, err)
		case err != nil:
			return nil, err
		case isBlank(line):
			continue
		}
		return line, nil
	}
}

func isBlank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

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
