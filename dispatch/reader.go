package dispatch

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Format is a kind of input file.
type Format int

// The formats, chosen by file extension (FormatOf).
const (
	FormatUnknown Format = iota
	FormatTXT
	FormatTSV
	FormatCSV
	FormatJSONL
)

// Extensions lists the supported file extensions, for messages.
const Extensions = ".txt, .tsv, .csv, .jsonl"

// FormatOf returns the format of a file name by its extension (case-insensitive).
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

// MaxLine is the longest line (a whole article on one row) a reader accepts.
const MaxLine = 16 << 20

// Reader reads dispatches one at a time from a .tsv, .csv, .jsonl or .txt stream, like bufio.Scanner:
// call Next until it returns false, then Err. The first error stops it (a sticky error).
type Reader struct {
	name    string
	format  Format
	br      *bufio.Reader
	csv     *csv.Reader
	line    int
	cols    map[string]int
	ncols   int
	cur     Dispatch
	err     error
	started bool
	done    bool

	// SkipBadRows makes a bad row (wrong field count, bad date or label, no text, invalid UTF-8 on a line)
	// an entry of Skipped instead of the end of the reading; errors of the whole file (no header, binary
	// data, unknown format) still stop it. An import of many files uses it to report rejected rows.
	SkipBadRows bool
	skipped     []*InputError
}

// Skipped returns the bad rows passed over with SkipBadRows.
func (r *Reader) Skipped() []*InputError { return r.skipped }

// rowError records a row-level error: fatal, or skipped with SkipBadRows. It reports whether to go on.
func (r *Reader) rowError(line int, field string, err error) bool {
	if r.SkipBadRows && !errors.Is(err, ErrBinary) {
		r.skipped = append(r.skipped, &InputError{File: r.name, Line: line, Field: field, Err: err})
		return true
	}
	r.fail(line, field, err)
	return false
}

// NewReader returns a Reader of r in the given format; name is the file name used in ids and messages.
func NewReader(r io.Reader, name string, format Format) *Reader {
	return &Reader{name: name, format: format, br: bufio.NewReaderSize(r, 1<<16)}
}

// Dispatch returns the dispatch read by the last successful Next.
func (r *Reader) Dispatch() Dispatch { return r.cur }

// Err returns the first error met, or nil at the end of the input.
func (r *Reader) Err() error { return r.err }

func (r *Reader) fail(line int, field string, err error) bool {
	r.err = &InputError{File: r.name, Line: line, Field: field, Err: err}
	r.done = true
	return false
}

// Next reads the next dispatch and reports whether there is one.
func (r *Reader) Next() bool {
	if r.done {
		return false
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
	return r.fail(0, "", fmt.Errorf("%w: use one of %s", ErrFormat, Extensions))
}

// readLine returns the next line without its line end, checked for encoding; io.EOF at the end.
func (r *Reader) readLine() ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if err == bufio.ErrBufferFull {
			if len(buf) > MaxLine {
				r.line++
				return nil, fmt.Errorf("%w (more than %d MiB)", ErrLineTooLong, MaxLine>>20)
			}
			continue
		}
		if err == io.EOF && len(buf) == 0 {
			return nil, io.EOF
		}
		if err != nil && err != io.EOF {
			return nil, err
		}
		break
	}
	r.line++
	buf = bytes.TrimSuffix(buf, []byte("\n"))
	buf = bytes.TrimSuffix(buf, []byte("\r"))
	if r.line == 1 {
		buf = bytes.TrimPrefix(buf, []byte("\xef\xbb\xbf"))
	}
	if bytes.IndexByte(buf, 0) >= 0 {
		return nil, ErrBinary
	}
	if !utf8.Valid(buf) {
		return nil, ErrEncoding
	}
	return buf, nil
}

func (r *Reader) nextTXT() bool {
	if r.started {
		r.done = true
		return false
	}
	r.started = true
	b, err := io.ReadAll(io.LimitReader(r.br, 1<<30))
	if err != nil {
		return r.fail(0, "", err)
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return r.fail(1+bytes.Count(b[:i], []byte("\n")), "", ErrBinary)
	}
	if !utf8.Valid(b) {
		line := 1
		for len(b) > 0 {
			l, rest, _ := bytes.Cut(b, []byte("\n"))
			if !utf8.Valid(l) {
				break
			}
			line++
			b = rest
		}
		return r.fail(line, "", ErrEncoding)
	}
	text := strings.TrimSpace(string(b))
	if text == "" {
		return r.fail(0, "", ErrNoText)
	}
	base := filepath.Base(r.name)
	r.cur = Dispatch{ID: strings.TrimSuffix(base, filepath.Ext(base)), Text: text, File: r.name, Line: 1}
	return true
}

// header reads the column names of a TSV or CSV.
func (r *Reader) header(fields []string) bool {
	r.cols = map[string]int{}
	for i, f := range fields {
		name := strings.ToLower(strings.TrimSpace(f))
		if _, dup := r.cols[name]; !dup && name != "" {
			r.cols[name] = i
		}
	}
	r.ncols = len(fields)
	if _, ok := r.cols["text"]; !ok {
		found := strings.Join(fields, ", ")
		return r.fail(r.line, "", fmt.Errorf("%w: the header names %s; a text column is required (optional: id, title, date, source, url, labels, event)", ErrNoTextColumn, found))
	}
	return true
}

func (r *Reader) nextTSV() bool {
	for {
		line, err := r.readLine()
		if err == io.EOF {
			if !r.started {
				return r.fail(0, "", fmt.Errorf("%w: the file is empty (a header row naming a text column is required)", ErrNoTextColumn))
			}
			r.done = true
			return false
		}
		if err != nil {
			if r.started && errors.Is(err, ErrEncoding) && r.rowError(r.line, "", err) {
				continue
			}
			return r.fail(r.line, "", err)
		}
		if !r.started {
			r.started = true
			if !r.header(strings.Split(string(line), "\t")) {
				return false
			}
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		fields := strings.Split(string(line), "\t")
		if len(fields) != r.ncols {
			if r.rowError(r.line, "", fmt.Errorf("%w: %d fields, the header has %d (fields are separated by tabs, with no quoting)", ErrFieldCount, len(fields), r.ncols)) {
				continue
			}
			return false
		}
		if r.record(fields, r.line) {
			return true
		}
		if r.done {
			return false
		}
	}
}

func (r *Reader) nextCSV() bool {
	if r.csv == nil {
		r.csv = csv.NewReader(&utf8Check{r: r.br, name: r.name})
		r.csv.FieldsPerRecord = 0
		r.csv.LazyQuotes = false
	}
	for {
		rec, err := r.csv.Read()
		line := 0
		if err == nil && len(rec) > 0 {
			line, _ = r.csv.FieldPos(0)
		}
		if err == io.EOF {
			if !r.started {
				return r.fail(0, "", fmt.Errorf("%w: the file is empty (a header row naming a text column is required)", ErrNoTextColumn))
			}
			r.done = true
			return false
		}
		if err != nil {
			var pe *csv.ParseError
			var ue *InputError
			switch {
			case errors.As(err, &ue):
				r.err, r.done = ue, true
				return false
			case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount):
				if r.rowError(pe.StartLine, "", fmt.Errorf("%w: %d fields, the header has %d", ErrFieldCount, len(rec), r.ncols)) {
					continue
				}
				return false
			case errors.As(err, &pe):
				return r.fail(pe.StartLine, "", pe.Err)
			}
			return r.fail(line, "", err)
		}
		if !r.started {
			r.started = true
			r.line = line
			if len(rec) > 0 {
				rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			}
			if !r.header(rec) {
				return false
			}
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if r.record(rec, line) {
			return true
		}
		if r.done {
			return false
		}
	}
}

// utf8Check rejects invalid UTF-8 and NUL bytes under encoding/csv, which would accept them.
type utf8Check struct {
	r    *bufio.Reader
	name string
	line int
	tail []byte
}

func (u *utf8Check) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	chunk := append(u.tail, p[:n]...)
	// keep an incomplete rune at the end for the next read
	cut := len(chunk)
	for i := 1; i <= 3 && i <= len(chunk); i++ {
		if utf8.RuneStart(chunk[len(chunk)-i]) {
			if !utf8.FullRune(chunk[len(chunk)-i:]) && err == nil {
				cut = len(chunk) - i
			}
			break
		}
	}
	check := chunk[:cut]
	if u.line == 0 {
		u.line = 1
	}
	if i := bytes.IndexByte(check, 0); i >= 0 {
		return 0, &InputError{File: u.name, Line: u.line + bytes.Count(check[:i], []byte("\n")), Err: ErrBinary}
	}
	if !utf8.Valid(check) {
		l := u.line
		for len(check) > 0 {
			s, rest, _ := bytes.Cut(check, []byte("\n"))
			if !utf8.Valid(s) {
				break
			}
			l++
			check = rest
		}
		return 0, &InputError{File: u.name, Line: l, Err: ErrEncoding}
	}
	u.line += bytes.Count(chunk[:cut], []byte("\n"))
	u.tail = append(u.tail[:0], chunk[cut:]...)
	return n, err
}

func (r *Reader) nextJSONL() bool {
	for {
		line, err := r.readLine()
		if err == io.EOF {
			r.done = true
			return false
		}
		if err != nil {
			if errors.Is(err, ErrEncoding) && r.rowError(r.line, "", err) {
				continue
			}
			return r.fail(r.line, "", err)
		}
		r.started = true
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var obj struct {
			ID     *string         `json:"id"`
			Title  string          `json:"title"`
			Date   string          `json:"date"`
			Source string          `json:"source"`
			URL    string          `json:"url"`
			Labels json.RawMessage `json:"labels"`
			Event  string          `json:"event"`
			Text   *string         `json:"text"`
		}
		trim := bytes.TrimSpace(line)
		if trim[0] != '{' {
			if r.rowError(r.line, "", fmt.Errorf("%w: each line must be one object such as {\"id\": \"a1\", \"text\": \"…\"}", ErrJSON)) {
				continue
			}
			return false
		}
		if err := json.Unmarshal(trim, &obj); err != nil {
			if r.rowError(r.line, "", fmt.Errorf("%w: %v", ErrJSON, err)) {
				continue
			}
			return false
		}
		var labels []string
		if len(obj.Labels) > 0 && string(obj.Labels) != "null" {
			if err := json.Unmarshal(obj.Labels, &labels); err != nil {
				if r.rowError(r.line, "labels", errors.New(`must be an array of strings such as ["terrorisme", "migration"]`)) {
					continue
				}
				return false
			}
		}
		id, text := "", ""
		if obj.ID != nil {
			id = *obj.ID
		}
		if obj.Text != nil {
			text = *obj.Text
		}
		d := Dispatch{ID: id, Title: obj.Title, Date: obj.Date, Source: obj.Source, URL: obj.URL, Event: obj.Event, Text: text}
		if r.finish(d, labels, r.line) {
			return true
		}
		if r.done {
			return false
		}
	}
}

func (r *Reader) record(fields []string, line int) bool {
	get := func(name string) string {
		if i, ok := r.cols[name]; ok && i < len(fields) {
			return strings.TrimSpace(fields[i])
		}
		return ""
	}
	d := Dispatch{ID: get("id"), Title: get("title"), Date: get("date"), Source: get("source"), URL: get("url"), Event: get("event"), Text: get("text")}
	var labels []string
	if l := get("labels"); l != "" {
		labels = strings.Split(l, ",")
	}
	return r.finish(d, labels, line)
}

// finish validates and completes a dispatch read at line.
func (r *Reader) finish(d Dispatch, labels []string, line int) bool {
	d.File, d.Line = r.name, line
	d.Text = strings.TrimSpace(d.Text)
	if d.Text == "" {
		r.rowError(line, "text", fmt.Errorf("%w: the text is empty", ErrNoText))
		return false
	}
	if d.ID == "" {
		d.ID = fmt.Sprintf("%s:%d", r.name, line)
	}
	if d.Date != "" && !validDate(d.Date) {
		r.rowError(line, "date", fmt.Errorf("%q %w", d.Date, ErrBadDate))
		return false
	}
	seen := map[string]bool{}
	for _, l := range labels {
		l = strings.ToLower(strings.TrimSpace(l))
		if l == "" || seen[l] {
			continue
		}
		if !ValidLabel(l) {
			r.rowError(line, "labels", fmt.Errorf("%q %w: use lower-case letters, digits and - _ / (e.g. criminalite-organisee)", l, ErrBadLabel))
			return false
		}
		seen[l] = true
		d.Labels = append(d.Labels, l)
	}
	r.cur = d
	return true
}

func validDate(s string) bool {
	if _, err := time.Parse("2006-01-02", s); err == nil {
		return true
	}
	_, err := time.Parse("2006-01", s)
	return err == nil && len(s) == 7
}

// ValidLabel reports whether l is a label id: lower-case letters, digits and - _ / . only.
func ValidLabel(l string) bool {
	if l == "" {
		return false
	}
	for _, c := range l {
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_', c == '/', c == '.':
		default:
			return false
		}
	}
	return true
}

// ReadText reads one article from r (stdin): a .txt dispatch whose id is name.
func ReadText(r io.Reader, name string) (Dispatch, error) {
	rd := NewReader(r, name, FormatTXT)
	if rd.Next() {
		return rd.Dispatch(), nil
	}
	err := rd.Err()
	if errors.Is(err, ErrNoText) {
		return Dispatch{}, &InputError{File: name, Err: fmt.Errorf("%w: the input is empty; pipe an article, e.g. depeche classify < article.txt", ErrNoText)}
	}
	return Dispatch{}, err
}

// Each calls fn for each dispatch of the file or directory at path, streaming (a file is never held whole
// in memory but for .txt), until fn returns an error. The first bad row stops it.
func Each(path string, fn func(Dispatch) error) error { return EachLenient(path, fn, nil) }

// EachLenient is Each with bad rows passed to onSkip instead of stopping (Reader.SkipBadRows), when onSkip
// is not nil.
func EachLenient(path string, fn func(Dispatch) error, onSkip func(*InputError)) error {
	st, err := os.Stat(path)
	if err != nil {
		return &InputError{File: path, Err: notFound(err)}
	}
	if st.IsDir() {
		files, err := dirFiles(path)
		if err != nil {
			return err
		}
		for _, f := range files {
			if err := EachLenient(f, fn, onSkip); err != nil {
				return err
			}
		}
		return nil
	}
	format := FormatOf(path)
	if format == FormatUnknown {
		return &InputError{File: path, Err: fmt.Errorf("%w %q: use one of %s", ErrFormat, filepath.Ext(path), Extensions)}
	}
	f, err := os.Open(path)
	if err != nil {
		return &InputError{File: path, Err: notFound(err)}
	}
	defer f.Close()
	r := NewReader(f, path, format)
	r.SkipBadRows = onSkip != nil
	n := 0
	for r.Next() {
		for ; n < len(r.skipped); n++ {
			onSkip(r.skipped[n])
		}
		if err := fn(r.Dispatch()); err != nil {
			return err
		}
	}
	for ; n < len(r.skipped); n++ {
		onSkip(r.skipped[n])
	}
	return r.Err()
}

func notFound(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return errors.New("no such file or directory")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// dirFiles lists the supported files under dir, recursively, sorted, hidden files and folders skipped.
func dirFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() && FormatOf(p) != FormatUnknown {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// Load returns every dispatch of the file or directory at path.
func Load(path string) ([]Dispatch, error) {
	var out []Dispatch
	err := Each(path, func(d Dispatch) error { out = append(out, d); return nil })
	return out, err
}

// LoadAll returns the dispatches of every path, in order.
func LoadAll(paths []string) ([]Dispatch, error) {
	var out []Dispatch
	for _, p := range paths {
		ds, err := Load(p)
		if err != nil {
			return nil, err
		}
		out = append(out, ds...)
	}
	return out, nil
}

// WriteTSV writes dispatches as a TSV with the columns id, date, source, title, labels, event, text. Tabs
// and line breaks inside fields become spaces, so that the file reads back as the same records.
func WriteTSV(w io.Writer, ds []Dispatch) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("id\tdate\tsource\ttitle\tlabels\tevent\turl\ttext\n")
	clean := strings.NewReplacer("\t", " ", "\n", " ", "\r", " ")
	for _, d := range ds {
		fields := []string{d.ID, d.Date, d.Source, d.Title, strings.Join(d.Labels, ","), d.Event, d.URL, d.Text}
		for i, f := range fields {
			if i > 0 {
				bw.WriteByte('\t')
			}
			bw.WriteString(clean.Replace(f))
		}
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// WriteJSONL writes one JSON object per dispatch and line.
func WriteJSONL(w io.Writer, ds []Dispatch) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, d := range ds {
		if d.Labels == nil {
			d.Labels = []string{}
		}
		if err := enc.Encode(d); err != nil {
			return err
		}
	}
	return nil
}
