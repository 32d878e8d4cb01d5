package search

import (
	"path/filepath"
	"slices"
)

// Writer writes the segments of an index from documents given in order, each segment holding about
// maxPostings postings, so that what it holds in memory is bounded (12 bytes a posting of the segment
// being made) whatever the collection's size.
type Writer struct {
	path string
	max  int
	base int
	rows []uint32
	off  []int64
	big  map[[2]int32]int32 // (document, term) → count, for counts of 255 and more
	segs []SegmentInfo
}

// NewWriter returns a Writer of segments beside the index file at path, of documents 0, 1, ….
func NewWriter(path string, maxPostings int) *Writer {
	return &Writer{path: path, max: max(maxPostings, 1), off: []int64{0}, big: map[[2]int32]int32{}}
}

// Add appends the next document (its terms ascending, counts above 0).
func (w *Writer) Add(d DocTerms) error {
	doc := int32(w.base + len(w.off) - 1)
	for k, t := range d.Terms {
		c := d.Counts[k]
		if c >= 0xff {
			w.big[[2]int32{doc, t}] = c
		}
		w.rows = append(w.rows, uint32(t)<<8|uint32(min(c, 0xff)))
	}
	w.off = append(w.off, int64(len(w.rows)))
	if len(w.rows) >= w.max {
		return w.flush()
	}
	return nil
}

// Segments writes what is left and returns every segment written, in document order.
func (w *Writer) Segments() ([]SegmentInfo, error) {
	if len(w.off) > 1 {
		if err := w.flush(); err != nil {
			return nil, err
		}
	}
	return w.segs, nil
}

// flush inverts the rows held (a counting sort by term) and writes them as a segment.
func (w *Writer) flush() error {
	var V int
	for _, e := range w.rows {
		V = max(V, int(e>>8)+1)
	}
	start := make([]int64, V+1)
	for _, e := range w.rows {
		start[e>>8+1]++
	}
	var terms []int32
	for t := range V {
		if start[t+1] > 0 {
			terms = append(terms, int32(t))
		}
		start[t+1] += start[t]
	}
	docs := make([]int32, len(w.rows))
	counts := make([]int32, len(w.rows))
	fill := slices.Clone(start[:V])
	for i := range len(w.off) - 1 {
		doc := int32(w.base + i)
		for _, e := range w.rows[w.off[i]:w.off[i+1]] {
			t, c := int32(e>>8), int32(e&0xff)
			if c == 0xff {
				c = w.big[[2]int32{doc, t}]
			}
			docs[fill[t]], counts[fill[t]] = doc, c
			fill[t]++
		}
	}
	info, err := WriteSegment(w.path, SegmentSource{Base: w.base, Rows: [][]uint32{w.rows}, RowOff: w.off, Terms: terms,
		Postings: func(i int) ([]int32, []int32) {
			t := terms[i]
			return docs[start[t]:start[t+1]], counts[start[t]:start[t+1]]
		}})
	if err != nil {
		return err
	}
	w.segs = append(w.segs, info)
	w.base += len(w.off) - 1
	w.rows, w.off = w.rows[:0], append(w.off[:0], 0)
	clear(w.big)
	return nil
}

// MergeSegments writes one segment with the documents, postings and rows of segs (consecutive, beside
// the index file at path), reading them from their mappings term by term.
func MergeSegments(path string, segs []SegmentInfo) (SegmentInfo, error) {
	var open []*segment
	defer func() {
		for _, s := range open {
			s.close()
		}
	}()
	src := SegmentSource{RowOff: []int64{0}}
	var terms []int32
	for i, info := range segs {
		s, err := openSegment(filepath.Dir(path), info)
		if err != nil {
			return SegmentInfo{}, err
		}
		open = append(open, s)
		if i == 0 {
			src.Base = info.Base
		}
		at := src.RowOff[len(src.RowOff)-1]
		for _, o := range s.fwdOff[1:] {
			src.RowOff = append(src.RowOff, at+o)
		}
		src.Rows = append(src.Rows, s.fwd)
		for _, t := range s.terms {
			terms = append(terms, int32(t))
		}
	}
	slices.Sort(terms)
	src.Terms = slices.Compact(terms)
	var docs, counts []int32
	src.Postings = func(i int) ([]int32, []int32) {
		docs, counts = docs[:0], counts[:0]
		for _, s := range open {
			d, c := s.postings(src.Terms[i])
			docs = append(docs, d...)
			for _, v := range c {
				counts = append(counts, int32(min(v, 1<<31-1)))
			}
		}
		return docs, counts
	}
	return WriteSegment(path, src)
}
