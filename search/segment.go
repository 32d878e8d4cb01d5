package search

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"unsafe"
)

// A segment file holds the postings and the forward rows of a contiguous range of documents as raw term
// counts: nothing in it depends on the rest of the collection, so that an add writes one for the
// documents it added and never rewrites the others (the package doc, "The index file").
const (
	segMagic      = "DPCHSEG1"
	segVersion    = 1
	segHeaderSize = 256
	segSections   = 6
)

const (
	segTerms   = iota // uint32[T]: the term ids of the segment's postings, ascending
	segTermOff        // int64[T+1]: term i's postings are docs/counts[off[i]:off[i+1]]
	segDocs           // int32[P]: document numbers (of the collection), ascending within a term
	segCounts         // uint32[P]: the term's count in the document
	segFwd            // uint32[P]: forward rows, term<<8 | min(count, 255), ascending terms within a row
	segFwdOff         // int64[n+1]: document base+i's row is fwd[off[i]:off[i+1]]
)

// a segment's small sections are checked at every open; the others by Verify (and, for the postings a
// search reads, as they are weighed)
var segSmall = [segSections]bool{segTerms: true, segTermOff: true, segFwdOff: true}

// SegmentInfo names a segment file written beside an index file: its file name (in the index file's
// directory), its documents [Base, Base+N) and postings, and the checksum of its header, by which the
// index file that lists it knows it is the file it was written with.
type SegmentInfo struct {
	Name     string
	Base, N  int
	Postings int64
	crc      uint32
}

// SegmentSource is what WriteSegment writes: the forward rows of documents Base, Base+1, … (the pieces of
// Rows one after the other, rows[RowOff[i]:RowOff[i+1]] for document Base+i, each entry term<<8 |
// min(count, 255), ascending terms) and, for each term of Terms (ascending), its postings in ascending
// document order with the exact counts.
type SegmentSource struct {
	Base     int
	Rows     [][]uint32
	RowOff   []int64
	Terms    []int32
	Postings func(i int) (docs, counts []int32)
}

// SegmentPrefix returns the prefix of the names of the segment files of the index file at path.
func SegmentPrefix(path string) string { return filepath.Base(path) + ".seg-" }

// WriteSegment writes a segment file beside the index file at path, under a new name, synced: a file no
// index lists until WriteIndexFile is given its SegmentInfo.
func WriteSegment(path string, src SegmentSource) (SegmentInfo, error) {
	n := len(src.RowOff) - 1
	if n < 0 || src.RowOff[0] != 0 || src.Base < 0 || int64(src.Base)+int64(n) >= 1<<31-1 {
		return SegmentInfo{}, errors.New("search: a segment's rows are malformed")
	}
	var id [8]byte
	if _, err := rand.Read(id[:]); err != nil {
		return SegmentInfo{}, err
	}
	name := SegmentPrefix(path) + hex.EncodeToString(id[:])
	var P int64
	for _, r := range src.Rows {
		P += int64(len(r))
	}
	info := SegmentInfo{Name: name, Base: src.Base, N: n, Postings: P}
	err := writeAtomic(filepath.Join(filepath.Dir(path), name), func(f *os.File) error {
		crc, err := writeSegment(f, src)
		info.crc = crc
		return err
	})
	return info, err
}

func writeSegment(f *os.File, src SegmentSource) (uint32, error) {
	if _, err := f.Seek(segHeaderSize, io.SeekStart); err != nil {
		return 0, err
	}
	s := &sectionWriter{w: bufio.NewWriterSize(f, 1<<20), off: segHeaderSize, secs: make([]section, segSections)}
	T := len(src.Terms)
	ids := make([]uint32, T)
	off := make([]int64, T+1)
	for i, t := range src.Terms {
		if t < 0 || t >= 1<<24 || i > 0 && t <= src.Terms[i-1] {
			return 0, errors.New("search: a segment's terms are not ascending")
		}
		ids[i] = uint32(t)
		docs, counts := src.Postings(i)
		if len(docs) != len(counts) {
			return 0, errors.New("search: a segment's postings are malformed")
		}
		off[i+1] = off[i] + int64(len(docs))
	}
	var P int64
	for _, r := range src.Rows {
		P += int64(len(r))
	}
	if off[T] != P || src.RowOff[len(src.RowOff)-1] != P {
		return 0, fmt.Errorf("search: a segment of %d postings and %d row entries", off[T], P)
	}
	s.put(segTerms, bytesOf(ids))
	s.put(segTermOff, bytesOf(off))
	s.begin(segDocs)
	for i := range T {
		docs, _ := src.Postings(i)
		s.add(bytesOf(docs))
	}
	s.begin(segCounts)
	for i := range T {
		_, counts := src.Postings(i)
		s.add(bytesOf(counts))
	}
	s.begin(segFwd)
	for _, r := range src.Rows {
		s.add(bytesOf(r))
	}
	s.put(segFwdOff, bytesOf(src.RowOff))
	if s.err != nil {
		return 0, s.err
	}
	if err := s.w.Flush(); err != nil {
		return 0, err
	}
	h := make([]byte, segHeaderSize)
	copy(h, segMagic)
	le := binary.LittleEndian
	le.PutUint32(h[8:], segVersion)
	le.PutUint64(h[16:], uint64(src.Base))
	le.PutUint64(h[24:], uint64(len(src.RowOff)-1))
	le.PutUint64(h[32:], uint64(T))
	le.PutUint64(h[40:], uint64(off[T]))
	s.header(h, 64)
	crc := crc32.Checksum(h[:segHeaderSize-4], castagnoli)
	le.PutUint32(h[segHeaderSize-4:], crc)
	_, err := f.WriteAt(h, 0)
	return crc, err
}

// segment is a segment file mapped.
type segment struct {
	info SegmentInfo
	data []byte
	// f is the open file (nil for a segment parsed from bytes), from which a search reads the postings
	// it weighs by positioned reads into huge pages, not through the mapping (see OpenFile); release
	// gives back the huge pages of the small sections
	f       *os.File
	release []func()
	secs    [segSections][]byte
	terms   []uint32
	toff    []int64
	docs    []int32
	counts  []uint32
	fwd     []uint32
	fwdOff  []int64
}

// openSegment maps the segment of info in dir and checks that it is the one info names.
func openSegment(dir string, info SegmentInfo) (*segment, error) {
	if info.Name == "" || strings.ContainsAny(info.Name, `/\`) || info.Name[0] == '.' {
		return nil, corrupt("a segment named %q", info.Name)
	}
	f, err := os.Open(filepath.Join(dir, info.Name))
	if err != nil {
		return nil, err
	}
	data, err := mapOpen(f, segHeaderSize)
	if err != nil {
		f.Close()
		return nil, err
	}
	var release []func()
	// the small sections (a million documents' row offsets are 8 MB) are read into huge pages
	load := func(off, ln uint64) ([]byte, error) {
		b, rel := hugeAlloc(int(ln))
		release = append(release, rel)
		_, err := f.ReadAt(b, int64(off))
		return b, err
	}
	s, err := parseSegmentWith(data, info, load)
	if err != nil {
		syscall.Munmap(data)
		for _, r := range release {
			r()
		}
		f.Close()
		return nil, fmt.Errorf("%s: %w", info.Name, err)
	}
	s.f, s.release = f, release
	return s, nil
}

// parseSegment checks a segment's header against info and its small sections.
func parseSegment(data []byte, info SegmentInfo) (*segment, error) {
	return parseSegmentWith(data, info, nil)
}

func parseSegmentWith(data []byte, info SegmentInfo, load func(off, ln uint64) ([]byte, error)) (*segment, error) {
	if len(data) < segHeaderSize || string(data[:8]) != segMagic {
		return nil, corrupt("not a depeche segment file")
	}
	le := binary.LittleEndian
	h := data[:segHeaderSize]
	crc := crc32.Checksum(h[:segHeaderSize-4], castagnoli)
	if crc != le.Uint32(h[segHeaderSize-4:]) || crc != info.crc {
		return nil, corrupt("segment header checksum")
	}
	if v := le.Uint32(h[8:]); v != segVersion {
		return nil, corrupt("segment version %d", v)
	}
	base, n, T, P := le.Uint64(h[16:]), le.Uint64(h[24:]), le.Uint64(h[32:]), le.Uint64(h[40:])
	if base != uint64(info.Base) || n != uint64(info.N) || P != uint64(info.Postings) || T >= 1<<24 || P >= 1<<40 {
		return nil, corrupt("segment sizes")
	}
	want := [segSections]uint64{segTerms: 4 * T, segTermOff: 8 * (T + 1), segDocs: 4 * P, segCounts: 4 * P,
		segFwd: 4 * P, segFwdOff: 8 * (n + 1)}
	s := &segment{info: info, data: data}
	if err := readSections(data, h, 64, s.secs[:], want[:], segSmall[:], load); err != nil {
		return nil, err
	}
	s.terms = sliceOf[uint32](s.secs[segTerms])
	s.toff = sliceOf[int64](s.secs[segTermOff])
	s.docs = sliceOf[int32](s.secs[segDocs])
	s.counts = sliceOf[uint32](s.secs[segCounts])
	s.fwd = sliceOf[uint32](s.secs[segFwd])
	s.fwdOff = sliceOf[int64](s.secs[segFwdOff])
	for i, t := range s.terms {
		if t >= 1<<24 || i > 0 && t <= s.terms[i-1] {
			return nil, corrupt("segment terms")
		}
	}
	if err := monotone(s.toff, int64(P), int64(n)); err != nil {
		return nil, err
	}
	if err := monotone(s.fwdOff, int64(P), int64(P)); err != nil {
		return nil, err
	}
	return s, nil
}

// monotone checks offsets that start at 0, end at total and grow by at most step at a time.
func monotone(off []int64, total, step int64) error {
	if len(off) == 0 || off[0] != 0 || off[len(off)-1] != total {
		return corrupt("offsets")
	}
	for i := 1; i < len(off); i++ {
		if d := off[i] - off[i-1]; d < 0 || d > step {
			return corrupt("offsets")
		}
	}
	return nil
}

// postings returns term t's postings in the segment (none if it has none).
func (s *segment) postings(t int32) ([]int32, []uint32) {
	i, found := slices.BinarySearch(s.terms, uint32(t))
	if !found {
		return nil, nil
	}
	a, b := s.toff[i], s.toff[i+1]
	return s.docs[a:b:b], s.counts[a:b:b]
}

// count returns the exact count of term t in document d of the segment (0 if d has no t).
func (s *segment) count(d, t int32) uint32 {
	docs, counts := s.postings(t)
	if p, found := slices.BinarySearch(docs, d); found {
		return counts[p]
	}
	return 0
}

// row returns document d's forward row (d in the segment).
func (s *segment) row(d int32) []uint32 {
	i := int(d) - s.info.Base
	return s.fwd[s.fwdOff[i]:s.fwdOff[i+1]]
}

// verify checks what opening does not: the large sections' checksums, and that the postings and rows
// are in order, in range and agree in number per term.
func (s *segment) verify(V int) error {
	le := binary.LittleEndian
	for i := range segSections {
		if crc32.Checksum(s.secs[i], castagnoli) != le.Uint32(s.data[64+i*24+16:]) {
			return corrupt("%s: section %d checksum", s.info.Name, i)
		}
	}
	lo, hi := int32(s.info.Base), int32(s.info.Base+s.info.N)
	for i, t := range s.terms {
		if int(t) >= V {
			return corrupt("%s: term %d", s.info.Name, t)
		}
		prev := lo - 1
		for p := s.toff[i]; p < s.toff[i+1]; p++ {
			if d := s.docs[p]; d <= prev || d >= hi || s.counts[p] == 0 {
				return corrupt("%s: posting %d of term %d", s.info.Name, p, t)
			}
			prev = s.docs[p]
		}
	}
	for i := range s.info.N {
		prev := int64(-1)
		for _, e := range s.fwd[s.fwdOff[i]:s.fwdOff[i+1]] {
			if t := int64(e >> 8); t <= prev || t >= int64(V) || e&0xff == 0 {
				return corrupt("%s: forward row %d", s.info.Name, i)
			} else {
				prev = t
			}
		}
	}
	return nil
}

func (s *segment) close() {
	syscall.Munmap(s.data)
	for _, r := range s.release {
		r()
	}
	if s.f != nil {
		s.f.Close()
	}
}

// readPostings reads into docs and counts the postings d and c of one term (views of the mapping, not
// touched), by positioned reads from the file when there is one.
func (s *segment) readPostings(d []int32, c []uint32, docs []int32, counts []uint32) error {
	if s.f == nil {
		copy(docs, d)
		copy(counts, c)
		return nil
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(s.data)))
	for _, r := range [2]struct{ dst, src []byte }{{bytesOf(docs[:len(d)]), bytesOf(d)}, {bytesOf(counts[:len(c)]), bytesOf(c)}} {
		if len(r.src) == 0 {
			continue
		}
		off := int64(uintptr(unsafe.Pointer(unsafe.SliceData(r.src))) - base)
		if _, err := s.f.ReadAt(r.dst, off); err != nil {
			return err
		}
	}
	return nil
}

// mapOpen maps an open file read-only (at least min bytes).
func mapOpen(f *os.File, min int) ([]byte, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() < int64(min) || st.Size() != int64(int(st.Size())) {
		return nil, fmt.Errorf("%w: %s is %d bytes", ErrCorrupt, f.Name(), st.Size())
	}
	return syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
}
