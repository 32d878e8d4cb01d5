package archive

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"strings"

	"github.com/depeche/depeche/search"
)

// The blobs of the archive: a dispatch's term list (the forward index), a chunk of a term's postings, and
// a chunk of the documents' 1/‖d‖.

// encodeTerms writes sorted term ids (delta-coded) and counts as uvarints.
func encodeTerms(ids, counts []int32) []byte {
	b := make([]byte, 0, 3*len(ids))
	b = binary.AppendUvarint(b, uint64(len(ids)))
	prev := int32(0)
	for k, id := range ids {
		b = binary.AppendUvarint(b, uint64(id-prev))
		b = binary.AppendUvarint(b, uint64(counts[k]))
		prev = id
	}
	return b
}

func decodeTerms(b []byte) (search.DocTerms, error) {
	var d search.DocTerms
	err := decodeTermsInto(b, &d)
	return d, err
}

// decodeTermsInto is decodeTerms into d's slices, reused: what Load needs to go through a million term
// lists without holding them decoded.
func decodeTermsInto(b []byte, d *search.DocTerms) error {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return errors.New("archive: malformed term list")
	}
	b = b[k:]
	d.Terms, d.Counts = slices.Grow(d.Terms[:0], int(n))[:n], slices.Grow(d.Counts[:0], int(n))[:n]
	prev := uint64(0)
	for i := range n {
		delta, k1 := binary.Uvarint(b)
		if k1 <= 0 {
			return errors.New("archive: malformed term list")
		}
		c, k2 := binary.Uvarint(b[k1:])
		if k2 <= 0 {
			return errors.New("archive: malformed term list")
		}
		prev += delta
		// a damaged blob must not yield a negative id or count that would index out of range later
		if prev > math.MaxInt32 || c == 0 || c > math.MaxInt32 || i > 0 && delta == 0 {
			return errors.New("archive: malformed term list")
		}
		d.Terms[i], d.Counts[i] = int32(prev), int32(c)
		b = b[k1+k2:]
	}
	return nil
}

// encodePostings writes ascending doc numbers (delta-coded) and counts as uvarints.
func encodePostings(docs, counts []int32) []byte {
	b := make([]byte, 0, 3*len(docs))
	prev := int32(0)
	for k, d := range docs {
		b = binary.AppendUvarint(b, uint64(d-prev))
		b = binary.AppendUvarint(b, uint64(counts[k]))
		prev = d
	}
	return b
}

func decodePostings(b []byte, docs, counts []int32) ([]int32, []int32, error) {
	prev := uint64(0)
	for len(b) > 0 {
		delta, k1 := binary.Uvarint(b)
		if k1 <= 0 {
			return nil, nil, errors.New("archive: malformed postings")
		}
		c, k2 := binary.Uvarint(b[k1:])
		if k2 <= 0 {
			return nil, nil, errors.New("archive: malformed postings")
		}
		prev += delta
		if prev > math.MaxInt32 || c == 0 || c > math.MaxInt32 {
			return nil, nil, errors.New("archive: malformed postings")
		}
		docs = append(docs, int32(prev))
		counts = append(counts, int32(c))
		b = b[k1+k2:]
	}
	return docs, counts, nil
}

// encodeFloat64s writes floats as little-endian IEEE 754 doubles, bit for bit.
func encodeFloat64s(xs []float64) []byte {
	b := make([]byte, 8*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(x))
	}
	return b
}

func decodeFloat64s(b []byte, out []float64) []float64 {
	for i := 0; i+8 <= len(b); i += 8 {
		out = append(out, math.Float64frombits(binary.LittleEndian.Uint64(b[i:])))
	}
	return out
}

// parseLabelsV1 reads the labels column of format 1, ",a,b," (labels in their order).
func parseLabelsV1(f string) []string {
	f = strings.Trim(f, ",")
	if f == "" {
		return []string{}
	}
	return strings.Split(f, ",")
}

// uniqueLabels returns labels without repeats, in their order, never nil.
func uniqueLabels(labels []string) []string {
	out := make([]string, 0, len(labels))
	for _, l := range labels {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}
