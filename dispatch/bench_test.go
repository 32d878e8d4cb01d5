package dispatch

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// benchDispatches returns n dispatches of about size bytes of French text each, with labels and dates.
func benchDispatches(n, size int) []Dispatch {
	para := "Le ministre de l’Intérieur a présenté jeudi à Rabat le bilan de la coopération sécuritaire maroco-française\u00a0: « une cellule terroriste » démantelée, 12 interpellations. "
	text := strings.ToValidUTF8(strings.Repeat(para, size/len(para)+1)[:size], "") // no cut rune
	ds := make([]Dispatch, n)
	for i := range ds {
		ds[i] = Dispatch{ID: fmt.Sprintf("d%06d", i), Date: "2019-12-02", Source: "MAP", Title: "Coopération sécuritaire",
			Labels: []string{"terrorisme", "criminalite-organisee"}, Text: strings.TrimSpace(text)}
	}
	return ds
}

func benchRead(b *testing.B, format Format, rows, size int) {
	ds := benchDispatches(rows, size)
	var buf bytes.Buffer
	switch format {
	case FormatTSV:
		WriteTSV(&buf, ds)
	case FormatJSONL:
		WriteJSONL(&buf, ds)
	case FormatCSV:
		buf.WriteString("id,date,source,title,labels,text\n")
		for _, d := range ds {
			fmt.Fprintf(&buf, "%s,%s,%s,%s,\"%s\",\"%s\"\n", d.ID, d.Date, d.Source, d.Title, strings.Join(d.Labels, ","), d.Text)
		}
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := NewReader(bytes.NewReader(data), "bench"+format.String(), format)
		n := 0
		for r.Next() {
			n++
		}
		if r.Err() != nil || n != rows {
			b.Fatalf("%d rows, %v", n, r.Err())
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkRead reads 1,000 rows of 1.6 KB (the 160 MB / 100k rows of an archive import, scaled down).
func BenchmarkRead(b *testing.B) {
	for _, format := range []Format{FormatTSV, FormatCSV, FormatJSONL} {
		for _, size := range []int{200, 1600} {
			b.Run(fmt.Sprintf("format=%s/rows=1000/bytes=%d", strings.TrimPrefix(format.String(), "."), size), func(b *testing.B) {
				benchRead(b, format, 1000, size)
			})
		}
	}
}

func BenchmarkWrite(b *testing.B) {
	ds := benchDispatches(1000, 1600)
	for _, format := range []Format{FormatTSV, FormatJSONL} {
		b.Run(fmt.Sprintf("format=%s/rows=1000/bytes=1600", strings.TrimPrefix(format.String(), ".")), func(b *testing.B) {
			var n countWriter
			w := NewWriter(&n, format)
			for _, d := range ds {
				w.Write(d)
			}
			w.Flush()
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				w := NewWriter(io.Discard, format)
				for _, d := range ds {
					w.Write(d)
				}
				w.Flush()
			}
		})
	}
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }
