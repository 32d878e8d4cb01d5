package archive

import (
	"slices"
	"testing"
)

// FuzzTermList: any bytes decode to a term list of ascending non-negative ids and positive counts, or to
// an error, never a panic; an encoded list decodes to itself.
func FuzzTermList(f *testing.F) {
	f.Add(encodeTerms([]int32{0, 3, 9, 1 << 20}, []int32{1, 2, 7, 1}))
	f.Add([]byte{})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := decodeTerms(b)
		if err != nil {
			return
		}
		for i, id := range d.Terms {
			if id < 0 || d.Counts[i] <= 0 || i > 0 && id <= d.Terms[i-1] {
				t.Fatalf("decoded %v %v", d.Terms, d.Counts)
			}
		}
		again, err := decodeTerms(encodeTerms(d.Terms, d.Counts))
		if err != nil || !slices.Equal(again.Terms, d.Terms) || !slices.Equal(again.Counts, d.Counts) {
			t.Fatalf("round trip: %v %v, %v", again.Terms, again.Counts, err)
		}
	})
}

// FuzzPostings: the same for a postings chunk.
func FuzzPostings(f *testing.F) {
	f.Add(encodePostings([]int32{2, 5, 100000}, []int32{1, 3, 1}))
	f.Add([]byte{0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		docs, counts, err := decodePostings(b, nil, nil)
		if err != nil {
			return
		}
		for i, d := range docs {
			if d < 0 || counts[i] <= 0 || i > 0 && d < docs[i-1] {
				t.Fatalf("decoded %v %v", docs, counts)
			}
		}
		d2, c2, err := decodePostings(encodePostings(docs, counts), nil, nil)
		if err != nil || !slices.Equal(d2, docs) || !slices.Equal(c2, counts) {
			t.Fatalf("round trip: %v %v, %v", d2, c2, err)
		}
	})
}
