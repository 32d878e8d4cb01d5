package dispatch

import (
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// txtDecoder reads a .txt file: one dispatch, the whole file, trimmed. Its id is the file's base name
// without its extension (the base name if that leaves nothing, "1" if there is no name); its line is 1.
type txtDecoder struct {
	read bool // the file is read
}

func (t *txtDecoder) next(r *Reader) (record, error) {
	if t.read {
		return record{}, io.EOF
	}
	t.read = true
	b, err := io.ReadAll(io.LimitReader(r.br, MaxRecord+1))
	if err != nil {
		return record{}, err
	}
	if len(b) > MaxRecord {
		return record{}, badFile(0, errorf(ErrTooLong, "larger than %d MiB: one .txt file is one article; split it", MaxRecord>>20))
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return record{}, badFile(1+bytes.Count(b[:i], []byte("\n")), errorf(ErrBinary, notText))
	}
	if !utf8.Valid(b) {
		line := 1
		for {
			l, rest, _ := bytes.Cut(b, []byte("\n"))
			if !utf8.Valid(l) {
				return record{}, badFile(line, encodingError(l, true, r.format))
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
		return record{}, badFile(0, errorf(ErrNoText, "%s: a .txt file holds the text of one article", what))
	}
	id := strings.TrimSuffix(r.base, filepath.Ext(r.base))
	if id == "" {
		id = r.base
	}
	if id == "" {
		id = "1"
	}
	return record{line: 1, d: Dispatch{ID: id, Text: text}}, nil
}
