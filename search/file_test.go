package search

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"unsafe"
)

// writeFile writes an index file of docs in segments of about maxPostings postings, and returns its path.
func writeFile(t testing.TB, dir string, vocab []string, docs []DocTerms, maxPostings int, stamp string) (string, []SegmentInfo) {
	t.Helper()
	path := filepath.Join(dir, "x.idx")
	w := NewWriter(path, maxPostings)
	for _, d := range docs {
		if err := w.Add(d); err != nil {
			t.Fatal(err)
		}
	}
	segs, err := w.Segments()
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteIndexFile(path, []byte(stamp), vocab, segs); err != nil {
		t.Fatal(err)
	}
	return path, segs
}

// readFileBytes parses an index file held in memory (an aligned copy), its segments read from dir.
func readFileBytes(b []byte, dir string) (*File, error) {
	return parseFile(aligned(b), func(info SegmentInfo) (*segment, error) { return openSegment(dir, info) })
}

func aligned(b []byte) []byte {
	al := make([]uint64, (len(b)+7)/8)
	buf := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(al))), len(al)*8)[:len(b)]
	copy(buf, b)
	return buf
}

// TestFileIsIndex: an index written as segments and mapped again returns the in-memory index's hits,
// bit for bit, and a full scan's, with and without bounds (a small and a large collection), in one
// segment or many, merged or not, filtered or not.
func TestFileIsIndex(t *testing.T) {
	for _, n := range []int{300, 12000} {
		vocab, docs := zipfCorpus(5, n, 1500, 60)
		// a few counts of 255 and more, whose weight the forward rows cannot hold
		docs[7].Counts[0], docs[n/2].Counts[1] = 300, 255
		x := Build(vocab, len(docs), func(i int) DocTerms { return docs[i] })
		for _, per := range []int{1 << 30, n * 7} {
			dir := t.TempDir()
			path, segs := writeFile(t, dir, vocab, docs, per, "stamp")
			check := func(what string) {
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
						sameHits(t, what, xf.Index.Search(qt, 10, allow), want)
						brute := bruteTop(xf.Index, qt, 10, 0, allow)
						for r := range brute {
							if brute[r].Doc != want[r].Doc || brute[r].Score != want[r].Score {
								t.Fatalf("%s: rank %d: a full scan doc %d %v, the index doc %d %v", what, r, brute[r].Doc, brute[r].Score, want[r].Doc, want[r].Score)
							}
						}
					}
				}
			}
			check("file")
			if per < n*60 && len(segs) < 2 {
				t.Fatalf("%d segments", len(segs))
			}
			m, err := MergeSegments(path, segs)
			if err != nil {
				t.Fatal(err)
			}
			if err := WriteIndexFile(path, []byte("stamp"), vocab, []SegmentInfo{m}); err != nil {
				t.Fatal(err)
			}
			RemoveSegments(path, segs)
			check("merged")
		}
	}
}

// TestFileCorrupt: a truncated file, a flipped byte in the header or in a small section, a segment
// missing or replaced, and a flipped byte in the postings (found by Verify, or by the search that reads
// them) are all reported, as ErrCorrupt (fs.ErrNotExist for a missing segment).
func TestFileCorrupt(t *testing.T) {
	vocab, docs := zipfCorpus(3, 5000, 800, 40)
	dir := t.TempDir()
	path, segs := writeFile(t, dir, vocab, docs, 40000, "")
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	xf, err := readFileBytes(good, dir)
	if err != nil {
		t.Fatal(err)
	}
	off := func(b []byte, sec []byte) int {
		return int(uintptr(unsafe.Pointer(unsafe.SliceData(sec))) - uintptr(unsafe.Pointer(unsafe.SliceData(b))))
	}
	cases := map[string]func(b []byte) []byte{
		"truncated":  func(b []byte) []byte { return b[:len(b)/2] },
		"header":     func(b []byte) []byte { b[20] ^= 1; return b },
		"vocabulary": func(b []byte) []byte { b[off(xf.data, xf.secs[secVocab])] ^= 0x20; return b },
		"df":         func(b []byte) []byte { b[off(xf.data, xf.secs[secDF])] ^= 1; return b },
		"segments":   func(b []byte) []byte { b[off(xf.data, xf.secs[secSegs])+40] ^= 1; return b },
		"inv norms":  func(b []byte) []byte { b[off(xf.data, xf.secs[secInv])+3] ^= 1; return b },
		"empty":      func(b []byte) []byte { return nil },
	}
	for name, mut := range cases {
		_, err := readFileBytes(mut(bytes.Clone(good)), dir)
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
	seg := filepath.Join(dir, segs[1].Name)
	sb, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	s1, err := parseSegment(aligned(sb), segs[1])
	if err != nil {
		t.Fatal(err)
	}
	write := func(b []byte) {
		if err := os.WriteFile(seg, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, mut := range map[string]func(b []byte) []byte{
		"segment header":      func(b []byte) []byte { b[30] ^= 1; return b },
		"segment terms":       func(b []byte) []byte { b[off(s1.data, s1.secs[segTerms])] ^= 1; return b },
		"segment row offsets": func(b []byte) []byte { b[off(s1.data, s1.secs[segFwdOff])+9] ^= 1; return b },
		"segment truncated":   func(b []byte) []byte { return b[:100] },
	} {
		write(mut(bytes.Clone(sb)))
		if _, err := OpenFile(path); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v, want ErrCorrupt", name, err)
		}
	}
	os.Remove(seg)
	if _, err := OpenFile(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a segment missing: %v, want fs.ErrNotExist", err)
	}
	b := bytes.Clone(sb)
	b[off(s1.data, s1.secs[segDocs])+40] ^= 0x10
	write(b)
	xf, err = OpenFile(path)
	if err != nil {
		t.Fatalf("postings are checked by Verify, not at open: %v", err)
	}
	if err := xf.Verify(); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("a flipped posting: Verify says %v", err)
	}
	// the search that weighs the damaged term's postings panics with a runtime error, every time
	for range 2 {
		func() {
			defer func() {
				r := recover()
				if e, ok := r.(error); !ok || !errors.Is(e, ErrCorrupt) {
					t.Fatalf("weighing damaged postings: %v", r)
				}
			}()
			for t := range xf.Index.Terms() {
				xf.Index.list(int32(t))
			}
		}()
	}
}

// FuzzIndexFile: whatever the bytes of an index file (over good segments) or of a segment, opening and
// Verify fail cleanly or give an index that searches without failing.
func FuzzIndexFile(f *testing.F) {
	vocab, docs := zipfCorpus(4, 200, 100, 20)
	dir := f.TempDir()
	path, segs := writeFile(f, dir, vocab, docs, 1500, "s")
	good, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	sb, err := os.ReadFile(filepath.Join(dir, segs[0].Name))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, false)
	f.Add(good[:headerSize], false)
	f.Add([]byte(fileMagic), false)
	f.Add(sb, true)
	f.Add(sb[:segHeaderSize], true)
	f.Fuzz(func(t *testing.T, b []byte, isSegment bool) {
		if isSegment {
			if len(b) < segHeaderSize {
				return
			}
			info := segs[0]
			info.crc = uint32(b[segHeaderSize-4]) | uint32(b[segHeaderSize-3])<<8 | uint32(b[segHeaderSize-2])<<16 | uint32(b[segHeaderSize-1])<<24
			s, err := parseSegment(aligned(b), info)
			if err == nil {
				s.verify(len(vocab))
			}
			return
		}
		xf, err := readFileBytes(b, dir)
		if err != nil {
			return
		}
		if xf.Verify() != nil {
			return
		}
		ix := xf.Index
		var q []string
		for i := 0; i < min(ix.Terms(), 30); i++ {
			q = append(q, ix.term(int32(i)))
		}
		ix.Search(ix.Query(q), 5, nil)
	})
}

// TestCacheLimit: an index file whose weighed postings are dropped after every search (a limit of one
// byte) gives the in-memory index's hits, to the bit, search after search and from several goroutines,
// and holds none of them once the searches are over.
func TestCacheLimit(t *testing.T) {
	n := 12000
	vocab, docs := zipfCorpus(9, n, 1500, 60)
	x := Build(vocab, len(docs), func(i int) DocTerms { return docs[i] })
	path, _ := writeFile(t, t.TempDir(), vocab, docs, n*7, "stamp")
	xf, err := OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := xf.Index
	f.SetCacheLimit(1)
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < n; i += n / 40 {
				q := queryOf(vocab, docs[i])
				if d := diffHits("limited", f.Search(f.Query(q), 10, nil), x.Search(x.Query(q), 10, nil)); d != "" {
					t.Error(d)
					return
				}
			}
		}()
	}
	wg.Wait()
	z := f.lazy
	ready := 0
	for i := range z.ready {
		if z.ready[i].Load() {
			ready++
		}
	}
	if z.bytes != 0 || z.over.Load() || ready != 0 {
		t.Fatalf("after the searches: %d bytes weighed, %d terms, over %v", z.bytes, ready, z.over.Load())
	}
	// unlimited again: the postings stay
	f.SetCacheLimit(0)
	q := queryOf(vocab, docs[5])
	sameHits(t, "unlimited", f.Search(f.Query(q), 10, nil), x.Search(x.Query(q), 10, nil))
	if z.bytes == 0 {
		t.Fatal("no limit: nothing kept")
	}
}

// TestWarmFrom: an index file of a newer state, warmed from the old one's weighed postings, holds the
// same terms weighed, answers as Build does to the bit, and stays within its cache limit.
func TestWarmFrom(t *testing.T) {
	n := 12000
	vocab, docs := zipfCorpus(21, n+3000, 1500, 60)
	oldPath, _ := writeFile(t, t.TempDir(), vocab, docs[:n], n*7, "old")
	newPath, _ := writeFile(t, t.TempDir(), vocab, docs, n*7, "new")
	ready := func(x *Index) (c int) {
		for i := range x.lazy.ready {
			if x.lazy.ready[i].Load() {
				c++
			}
		}
		return c
	}
	for _, limit := range []int64{0, 64 << 10} {
		t.Run(fmt.Sprintf("limit %d", limit), func(t *testing.T) {
			oldF, err := OpenFile(oldPath)
			if err != nil {
				t.Fatal(err)
			}
			old := oldF.Index
			for i := 0; i < n; i += n / 30 {
				old.Search(old.Query(queryOf(vocab, docs[i])), 10, nil)
			}
			newF, err := OpenFile(newPath)
			if err != nil {
				t.Fatal(err)
			}
			x := newF.Index
			x.SetCacheLimit(limit)
			if got := x.WarmFrom(old); got != ready(x) || got == 0 {
				t.Fatalf("WarmFrom weighed %d terms, %d ready", got, ready(x))
			}
			if limit == 0 && ready(x) != ready(old) {
				t.Fatalf("%d terms weighed, the old index had %d", ready(x), ready(old))
			}
			if limit > 0 && (x.lazy.bytes > limit || x.lazy.over.Load()) {
				t.Fatalf("%d bytes weighed over a limit of %d", x.lazy.bytes, limit)
			}
			if x.WarmFrom(x) != 0 {
				t.Fatal("warmed from itself")
			}
			// the old one released: nothing weighed, and it still answers (weighing again)
			old.Release()
			if terms, bytes := old.Weighed(); terms != 0 || bytes != 0 {
				t.Fatalf("released: %d terms, %d bytes still weighed", terms, bytes)
			}
			ob := Build(vocab, n, func(i int) DocTerms { return docs[i] })
			q := queryOf(vocab, docs[7])
			sameHits(t, "released", old.Search(old.Query(q), 10, nil), ob.Search(ob.Query(q), 10, nil))
			b := Build(vocab, len(docs), func(i int) DocTerms { return docs[i] })
			for i := 5; i < len(docs); i += len(docs) / 25 {
				q := queryOf(vocab, docs[i])
				sameHits(t, "warmed", x.Search(x.Query(q), 10, nil), b.Search(b.Query(q), 10, nil))
			}
		})
	}
}
