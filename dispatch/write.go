package dispatch

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"
)

// TSVHeader is the header row WriteTSV writes (without its line end).
const TSVHeader = "id\tdate\tsource\ttitle\turl\tlabels\tevent\ttext"

// Writer writes dispatches as .tsv or .jsonl, one at a time, for exports of any size. Call Flush at the
// end. Its errors are those of the writer underneath; the first one sticks.
//
// What is written reads back (NewReader) as the same dispatches, with their ID, Title, Date, Source, URL,
// Labels, Event and Text, provided they are valid (non-empty text, valid dates and labels, no NUL
// character: what a Reader returns is valid). A .jsonl file keeps every field exactly; a .tsv cannot hold
// a tab or a line break in a field, so WriteTSV turns each tab, CR and LF into a space (TSVField). File
// and Line are not written.
type Writer struct {
	bw     *bufio.Writer
	enc    *json.Encoder
	format Format
	header bool // the .tsv header is written
	err    error
}

// NewWriter returns a Writer of format FormatTSV or FormatJSONL to w. Another format is a programmer
// error: NewWriter panics.
func NewWriter(w io.Writer, format Format) *Writer {
	if format != FormatTSV && format != FormatJSONL {
		panic("dispatch: NewWriter: format must be FormatTSV or FormatJSONL, not " + format.String())
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	wr := &Writer{bw: bw, format: format}
	if format == FormatJSONL {
		wr.enc = json.NewEncoder(bw)
		wr.enc.SetEscapeHTML(false)
	}
	return wr
}

// Write writes one dispatch (after the header, for the first one of a .tsv).
func (w *Writer) Write(d Dispatch) error {
	if w.err != nil {
		return w.err
	}
	if w.format == FormatJSONL {
		w.err = w.enc.Encode(d)
		return w.err
	}
	w.writeHeader()
	for i, f := range [...]string{d.ID, d.Date, d.Source, d.Title, d.URL, "", d.Event, d.Text} {
		if i > 0 {
			w.bw.WriteByte('\t')
		}
		if i == 5 {
			for j, l := range d.Labels {
				if j > 0 {
					w.bw.WriteByte(',')
				}
				w.bw.WriteString(TSVField(l))
			}
			continue
		}
		w.bw.WriteString(TSVField(f))
	}
	_, w.err = w.bw.Write([]byte{'\n'})
	return w.err
}

// Flush writes out what is buffered; for a .tsv with no dispatch, it writes the header first, so that the
// file reads back as empty rather than as an error.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if w.format == FormatTSV {
		w.writeHeader()
	}
	w.err = w.bw.Flush()
	return w.err
}

func (w *Writer) writeHeader() {
	if !w.header {
		w.header = true
		w.bw.WriteString(TSVHeader)
		w.bw.WriteByte('\n')
	}
}

// TSVField returns s with every tab, CR and LF turned into a space, as WriteTSV writes it.
func TSVField(s string) string {
	if !strings.ContainsAny(s, "\t\r\n") {
		return s
	}
	return tsvClean.Replace(s)
}

var tsvClean = strings.NewReplacer("\t", " ", "\r", " ", "\n", " ")

// WriteTSV writes ds as a .tsv with the header TSVHeader (see Writer for what reads back).
func WriteTSV(w io.Writer, ds []Dispatch) error { return writeAll(NewWriter(w, FormatTSV), ds) }

// WriteJSONL writes ds as a .jsonl, one object per dispatch and line (see Writer).
func WriteJSONL(w io.Writer, ds []Dispatch) error { return writeAll(NewWriter(w, FormatJSONL), ds) }

func writeAll(w *Writer, ds []Dispatch) error {
	for _, d := range ds {
		if err := w.Write(d); err != nil {
			return err
		}
	}
	return w.Flush()
}
