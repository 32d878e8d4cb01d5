package dispatch

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The table formats, .tsv and .csv: a header row naming the columns, then one dispatch per row. Their
// decoders (tsv.go, csv.go) split records into fields; tableRow turns the fields into a dispatch.

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

func optionalCols() string { return strings.Join(colNames[:colText], ", ") }

// tableRow turns the fields of a table record read at line into a dispatch: the first record is the
// header (errSkip, or a problem that ends the reading); then a row with another number of fields than
// the header is a bad row, a row of one blank field is skipped (errSkip), and any other is decoded by
// row, with the first bad label it met.
func (r *Reader) tableRow(fields []string, line int) (d Dispatch, labelErr, err error) {
	if !r.started {
		r.started = true
		if err := r.readHeader(fields); err != nil {
			return Dispatch{}, nil, badFile(line, err)
		}
		return Dispatch{}, nil, errSkip
	}
	if len(fields) != len(r.header) {
		return Dispatch{}, nil, badRow(line, "", fieldCount(len(fields), len(r.header), r.format))
	}
	if len(fields) == 1 && strings.TrimSpace(fields[0]) == "" {
		return Dispatch{}, nil, errSkip
	}
	d, labelErr = r.row(fields)
	return d, labelErr, nil
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

// row makes a dispatch of the fields of a .tsv or .csv row, with trimmed fields and normalized labels;
// labelErr is the first bad label, whose error comes after those of the text and the date (check).
func (r *Reader) row(fields []string) (d Dispatch, labelErr error) {
	get := func(c int) string {
		if i := r.col[c]; i >= 0 {
			return strings.TrimSpace(fields[i])
		}
		return ""
	}
	d = Dispatch{ID: get(colID), Title: get(colTitle), Date: get(colDate), Source: get(colSource), URL: get(colURL), Event: get(colEvent), Text: get(colText)}
	if s := get(colLabels); s != "" {
		d.Labels = make([]string, 0, strings.Count(s, ",")+1)
		for s != "" {
			var l string
			l, s, _ = strings.Cut(s, ",")
			if d.Labels, labelErr = appendLabel(d.Labels, l); labelErr != nil {
				break
			}
		}
	}
	if len(d.Labels) == 0 {
		d.Labels = nil
	}
	return d, labelErr
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
