package search

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"unsafe"
)

// TestFileIsIndex: an index written to a file and mapped again returns the in-memory index's hits, bit
// for bit, and a full scan's, with and without bounds (a small and a large collection), filtered or not.
func TestFileIsIndex(t *testing.T) {
	for _, n := range []int{300, 12000} {
		vocab, docs := zipfCorpus(5, n, 1500, 60)
		x := Build(vocab, len(docs), func(i int) DocTerms { return docs[i] })
		path := filepath.Join(t.TempDir(), "x.idx")
		if err := x.WriteFile(path, []byte("stamp")); err != nil {
			t.Fatal(err)
		}
		xf, err := OpenFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := xf.Verify(); err != nil {
			t.Fatal(err)
		}
		if string(xf.Stamp) != "stamp" || xf.Index.Len() != n || xf.Index.NNZ() != x.NNZ() {
			t.Fatalf("stamp %q, %d docs, %d postings", xf.Stamp, xf.Index.Len(), xf.Index.NNZ())
		}
		for i := 0; i < n; i += n / 25 {
			q := queryOf(vocab, docs[i])
			for _, allow := range []Allow{nil, func(d int) bool { return d%3 == 0 }} {
				want := x.Search(x.Query(q), 10, allow)
				qt := xf.Index.Query(q)
				sameHits(t, "file", xf.Index.Search(qt, 10, allow), want)
				brute := bruteTop(xf.Index, qt, 10, 0, allow)
				for r := range brute {
					if brute[r].Doc != want[r].Doc || brute[r].Score != want[r].Score {
						t.Fatalf("rank %d: a full scan doc %d %v, the index doc %d %v", r, brute[r].Doc, brute[r].Score, want[r].Doc, want[r].Score)
					}
				}
			}
		}
	}
}

// TestFileCorrupt: a truncated file, a flipped byte in the header or in a small section, and a flipped
// byte in the postings (found by Verify) are all reported as ErrCorrupt.
func TestFileCorrupt(t *testing.T) {
	vocab, docs := zipfCorpus(3, 5000, 800, 40)
	x := Build(vocab, len(docs), func(i int) DocTerms { return docs[i] })
	path := filepath.Join(t.TempDir(), "x.idx")
	if err := x.WriteFile(path, nil); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	xf, err := ReadFileBytes(good)
	if err != nil {
		t.Fatal(err)
	}
	off := func(sec int) int {
		return int(uintptr(unsafe.Pointer(unsafe.SliceData(xf.secs[sec]))) - uintptr(unsafe.Pointer(unsafe.SliceData(xf.data))))
	}
	cases := map[string]func(b []byte) []byte{
		"truncated":  func(b []byte) []byte { return b[:len(b)/2] },
		"header":     func(b []byte) []byte { b[20] ^= 1; return b },
		"vocabulary": func(b []byte) []byte { b[off(secVocab)] ^= 0x20; return b },
		"inv norms":  func(b []byte) []byte { b[off(secInv)+3] ^= 1; return b },
		"empty":      func(b []byte) []byte { return nil },
	}
	for name, mut := range cases {
		_, err := ReadFileBytes(mut(bytes.Clone(good)))
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
	b := bytes.Clone(good)
	b[off(secDocs)+40] ^= 0x10
	xf, err = ReadFileBytes(b)
	if err != nil {
		t.Fatalf("postings are checked by Verify, not at open: %v", err)
	}
	if err := xf.Verify(); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("a flipped posting: Verify says %v", err)
	}
}

// FuzzIndexFile: whatever the bytes, ReadFileBytes and Verify fail cleanly or give an index that searches
// without failing.
func FuzzIndexFile(f *testing.F) {
	vocab, docs := zipfCorpus(4, 200, 100, 20)
	x := Build(vocab, len(docs), func(i int) DocTerms { return docs[i] })
	path := filepath.Join(f.TempDir(), "x.idx")
	if err := x.WriteFile(path, []byte("s")); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:headerSize])
	f.Add([]byte(fileMagic))
	f.Fuzz(func(t *testing.T, b []byte) {
		xf, err := ReadFileBytes(b)
		if err != nil {
			return
		}
		if xf.Verify() != nil {
			return
		}
		ix := xf.Index
		var q []string
		for i := 0; i < min(ix.Terms(), 30); i++ {
			q = append(q, ix.vocab[i])
		}
		ix.Search(ix.Query(q), 5, nil)
	})
}
