package search

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"unsafe"
)

// sliceOf returns the numbers of a section (aligned: sections start at multiples of 8 in a mapping or an
// aligned copy).
func sliceOf[T any](b []byte) []T {
	var z T
	if len(b) == 0 {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/int(unsafe.Sizeof(z)))
}

func corrupt(format string, a ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, a...)...)
}

// readSections checks the section table of a header (from at) against the data, the lengths want (a
// negative want: any length) and the checksums of the small sections, and fills secs.
// load, when not nil, gives the bytes of a small section (off, ln in data) from elsewhere than data: a
// segment's are read into huge pages rather than touched in its mapping.
func readSections(data, h []byte, at int, secs [][]byte, want []uint64, small []bool, load func(off, ln uint64) ([]byte, error)) error {
	le := binary.LittleEndian
	for i := range secs {
		o := at + i*24
		off, ln, crc := le.Uint64(h[o:]), le.Uint64(h[o+8:]), le.Uint32(h[o+16:])
		if off%8 != 0 || off < uint64(len(h)) || off > uint64(len(data)) || ln > uint64(len(data))-off ||
			want[i] != math.MaxUint64 && ln != want[i] {
			return corrupt("section %d at %d, %d bytes", i, off, ln)
		}
		secs[i] = data[off : off+ln]
		if small[i] && load != nil && ln > 0 {
			b, err := load(off, ln)
			if err != nil {
				return err
			}
			secs[i] = b
		}
		if small[i] && crc32.Checksum(secs[i], castagnoli) != crc {
			return corrupt("section %d checksum", i)
		}
	}
	return nil
}

// File is an index file open for search: Index searches the segments' pages as they are mapped, Stamp
// is what WriteIndexFile was given. The mappings last as long as Index is reachable, so that a server
// may swap in a new File while searches on the old one finish.
type File struct {
	Index    *Index
	Stamp    []byte
	Segments []SegmentInfo
	data     []byte
	secs     [nSections][]byte
	segs     []*segment
}

// OpenFile reads the index file at path and maps its segments. It checks the headers, the small sections
// (vocabulary, statistics, the segments' term tables and row offsets, 1/‖d‖) and their structure, so
// that a search on them stays in bounds; the postings, forward rows and band norms, read as queries need
// them, are checked by Verify (and each term's postings as a search first weighs them).
// A file that fails a check gives an error wrapping ErrCorrupt; a segment that is not there, one
// wrapping fs.ErrNotExist.
//
// The index file itself is read whole into huge pages (hugeAlloc), not mapped: a search reads its norms
// (1/‖d‖ at random, the band norms in one pass) all over, and a first touch of each 4 KB page of a
// mapping cost a cold process more than the reading (bench/RESULTS.md).
func OpenFile(path string) (*File, error) {
	data, release, err := loadFile(path, headerSize)
	if err != nil {
		return nil, err
	}
	var segs []*segment
	xf, err := parseFile(data, func(info SegmentInfo) (*segment, error) {
		s, err := openSegment(filepath.Dir(path), info)
		if err == nil {
			segs = append(segs, s)
		}
		return s, err
	})
	if err != nil {
		release()
		for _, s := range segs {
			s.close()
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	closers := []func(){release}
	for _, s := range xf.segs {
		closers = append(closers, s.close)
	}
	runtime.AddCleanup(xf.Index, func(c []func()) {
		for _, f := range c {
			f()
		}
	}, closers)
	return xf, nil
}

// loadFile reads the file at path (at least min bytes) into huge pages.
func loadFile(path string, min int) ([]byte, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if st.Size() < int64(min) || st.Size() != int64(int(st.Size())) {
		return nil, nil, fmt.Errorf("%w: %s is %d bytes", ErrCorrupt, path, st.Size())
	}
	b, release := hugeAlloc(int(st.Size()))
	if _, err := f.ReadAt(b, 0); err != nil {
		release()
		return nil, nil, err
	}
	return b, release, nil
}

// header reads an index file's header: n, V, postings, segments, stamp.
func header(h []byte) (n, V, P, nseg uint64, stamp []byte, err error) {
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		err = corrupt("index files are read on little-endian machines only")
		return
	}
	le := binary.LittleEndian
	if len(h) < headerSize || string(h[:8]) != fileMagic || crc32.Checksum(h[:headerSize-4], castagnoli) != le.Uint32(h[headerSize-4:]) {
		err = corrupt("not a depeche index file of this version, or its header is damaged")
		return
	}
	if v := le.Uint32(h[8:]); v != fileVersion {
		err = corrupt("version %d (this depeche reads %d)", v, fileVersion)
		return
	}
	n, V, P, nseg = le.Uint64(h[16:]), le.Uint64(h[24:]), le.Uint64(h[32:]), le.Uint64(h[40:])
	sl := uint64(le.Uint32(h[48:]))
	if n >= math.MaxInt32 || V >= 1<<24 || P >= 1<<40 || nseg > 1<<20 || sl > stampMax {
		err = corrupt("sizes n=%d terms=%d postings=%d segments=%d", n, V, P, nseg)
		return
	}
	stamp = append([]byte(nil), h[56:56+sl]...)
	return
}

// parseSegs reads the segment records.
func parseSegs(b []byte) ([]SegmentInfo, error) {
	le := binary.LittleEndian
	var segs []SegmentInfo
	for r := b; len(r) >= segRecord; r = r[segRecord:] {
		base, n, P := le.Uint64(r[0:]), le.Uint64(r[8:]), le.Uint64(r[16:])
		nl := le.Uint32(r[28:])
		if nl > segNameMax || base >= math.MaxInt32 || n >= math.MaxInt32 || P >= 1<<40 {
			return nil, corrupt("segment record")
		}
		segs = append(segs, SegmentInfo{Name: string(r[32 : 32+nl]), Base: int(base), N: int(n), Postings: int64(P), crc: le.Uint32(r[24:])})
	}
	return segs, nil
}

// parseFile checks an index file and the segments it lists (opened by open) and returns the File.
func parseFile(data []byte, open func(SegmentInfo) (*segment, error)) (*File, error) {
	n, V, P, nseg, stamp, err := header(data)
	if err != nil {
		return nil, err
	}
	xf := &File{Stamp: stamp, data: data}
	any := uint64(math.MaxUint64)
	want := [nSections]uint64{secVocab: any, secVocabOff: 4 * (V + 1), secDF: 4 * V, secIDF: 4 * V, secBand: V,
		secSegs: segRecord * nseg, secInv: 8 * n}
	if n >= boundFrom {
		want[secDnorm] = 4 * bands * n
	}
	if err := readSections(data, data[:headerSize], 56+stampMax, xf.secs[:], want[:], smallSection[:], nil); err != nil {
		return nil, err
	}
	if xf.Segments, err = parseSegs(xf.secs[secSegs]); err != nil {
		return nil, err
	}
	df := sliceOf[int32](xf.secs[secDF])
	sum := make([]int32, V)
	var at int
	var total int64
	for _, info := range xf.Segments {
		if info.Base != at {
			return nil, corrupt("segment %s of documents from %d, after %d", info.Name, info.Base, at)
		}
		s, err := open(info)
		if err != nil {
			return nil, err
		}
		xf.segs = append(xf.segs, s)
		for i, t := range s.terms {
			if uint64(t) >= V {
				return nil, corrupt("%s: term %d of %d", info.Name, t, V)
			}
			sum[t] += int32(s.toff[i+1] - s.toff[i])
		}
		at += info.N
		total += info.Postings
	}
	if uint64(at) != n || uint64(total) != P {
		return nil, corrupt("segments of %d documents and %d postings, the index %d and %d", at, total, n, P)
	}
	for t := range sum {
		if sum[t] != df[t] {
			return nil, corrupt("term %d in %d documents, its postings %d", t, df[t], sum[t])
		}
	}
	x, err := newFileIndex(xf, int(n), df)
	if err != nil {
		return nil, err
	}
	xf.Index = x
	return xf, nil
}

// Verify checks what OpenFile does not: the checksums of the band norms and of the segments' postings
// and forward rows, and that every posting and row entry is in range and in order (what a search relies
// on not to fail). It reads the whole index.
func (xf *File) Verify() error {
	o := 56 + stampMax + secDnorm*24
	if crc32.Checksum(xf.secs[secDnorm], castagnoli) != binary.LittleEndian.Uint32(xf.data[o+16:]) {
		return corrupt("band norms checksum")
	}
	for _, s := range xf.segs {
		if err := s.verify(len(xf.Index.df)); err != nil {
			return err
		}
	}
	return nil
}

// ReadStamp returns the stamp of the index file at path, reading and checking only its header.
func ReadStamp(path string) ([]byte, error) {
	stamp, _, err := ReadSegments(path)
	return stamp, err
}

// ReadSegments returns the stamp of the index file at path and the segments it lists, reading and
// checking only its header and its list of segments.
func ReadSegments(path string) ([]byte, []SegmentInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	h := make([]byte, headerSize)
	if _, err := io.ReadFull(f, h); err != nil {
		return nil, nil, corrupt("%s: header: %v", path, err)
	}
	_, _, _, nseg, stamp, err := header(h)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	le := binary.LittleEndian
	o := 56 + stampMax + secSegs*24
	off, ln, crc := le.Uint64(h[o:]), le.Uint64(h[o+8:]), le.Uint32(h[o+16:])
	if ln != nseg*segRecord || off > 1<<40 {
		return nil, nil, corrupt("%s: segments", path)
	}
	b := make([]byte, ln)
	if _, err := f.ReadAt(b, int64(off)); err != nil || crc32.Checksum(b, castagnoli) != crc {
		return nil, nil, corrupt("%s: segments", path)
	}
	segs, err := parseSegs(b)
	return stamp, segs, err
}
