package dispatch

import "strings"

// tsvDecoder reads a .tsv file: a header row, then one dispatch per line, the fields split on every tab
// with no quoting (a " is an ordinary character). Blank lines are skipped.
type tsvDecoder struct {
	fields []string // reused for every line
}

func (t *tsvDecoder) next(r *Reader) (record, error) {
	line, err := r.nextLine()
	if err != nil {
		return record{}, err
	}
	t.fields = splitTab(string(line), t.fields[:0])
	return record{line: r.line, fields: t.fields}, nil
}

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
