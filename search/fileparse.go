package search

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
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

// parseFile checks the header and the small sections of an index file and returns the Index over it.
func parseFile(data []byte) (*File, error) {
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		return nil, corrupt("index files are read on little-endian machines only")
	}
	if len(data) < headerSize || string(data[:8]) != fileMagic {
		return nil, corrupt("not a depeche index file")
	}
	le := binary.LittleEndian
	h := data[:headerSize]
	if crc32.Checksum(h[:headerSize-4], castagnoli) != le.Uint32(h[headerSize-4:]) {
		return nil, corrupt("header checksum")
	}
	if v := le.Uint32(h[8:]); v != fileVersion {
		return nil, corrupt("version %d (this depeche reads %d)", v, fileVersion)
	}
	n, V, nnz, parts := le.Uint64(h[16:]), le.Uint64(h[24:]), le.Uint64(h[32:]), le.Uint64(h[40:])
	sl := uint64(le.Uint32(h[48:]))
	if n >= math.MaxInt32 || V >= 1<<24 || nnz >= 1<<40 || parts > 8 || sl > stampMax {
		return nil, corrupt("sizes n=%d terms=%d postings=%d parts=%d", n, V, nnz, parts)
	}
	xf := &File{Stamp: append([]byte(nil), h[56:56+sl]...), data: data}
	want := [nSections]uint64{secVocabOff: 4 * (V + 1), secIDF: 4 * V, secBand: V, secListOff: 8 * (V + 1),
		secDocs: 4 * nnz, secW: 4 * nnz, secFwd: 4 * nnz, secFwdOff: 8 * (n + 1), secInv: 8 * n}
	if n >= boundFrom {
		want[secDnorm] = 4 * bands * n
	}
	if parts > 1 {
		want[secCuts] = 4 * V * (parts + 1)
	}
	for i := range nSections {
		o := 56 + stampMax + i*24
		off, ln, crc := le.Uint64(h[o:]), le.Uint64(h[o+8:]), le.Uint32(h[o+16:])
		if off%8 != 0 || off < headerSize || off > uint64(len(data)) || ln > uint64(len(data))-off ||
			i != secVocab && ln != want[i] {
			return nil, corrupt("section %d at %d, %d bytes", i, off, ln)
		}
		xf.secs[i] = data[off : off+ln]
		if smallSection[i] && crc32.Checksum(xf.secs[i], castagnoli) != crc {
			return nil, corrupt("section %d checksum", i)
		}
	}
	x := &Index{n: int(n), wt: Weights{N: int(n)}, cutParts: int(parts)}
	x.idf = sliceOf[float32](xf.secs[secIDF])
	x.band = xf.secs[secBand]
	x.cuts = sliceOf[int32](xf.secs[secCuts])
	x.fwd = sliceOf[uint32](xf.secs[secFwd])
	x.fwdOff = sliceOf[int64](xf.secs[secFwdOff])
	x.inv = sliceOf[float64](xf.secs[secInv])
	if n >= boundFrom {
		x.dnorm = unsafe.Slice((*[bands]float32)(unsafe.Pointer(unsafe.SliceData(xf.secs[secDnorm]))), n)
	}
	// the vocabulary is copied to the heap: a hit's shared terms are these strings and may outlive the
	// mapping
	vb := string(xf.secs[secVocab])
	voff := sliceOf[uint32](xf.secs[secVocabOff])
	x.vocab = make([]string, V)
	x.terms = make(map[string]int32, V)
	for t := range x.vocab {
		a, b := voff[t], voff[t+1]
		if a > b || uint64(b) > uint64(len(vb)) {
			return nil, corrupt("term %d at %d:%d", t, a, b)
		}
		x.vocab[t] = vb[a:b]
		x.terms[x.vocab[t]] = int32(t)
	}
	if len(x.terms) != int(V) {
		return nil, corrupt("a term is listed twice")
	}
	for _, b := range x.band {
		if b > bands {
			return nil, corrupt("band %d", b)
		}
	}
	docs, w := sliceOf[int32](xf.secs[secDocs]), sliceOf[float32](xf.secs[secW])
	loff := sliceOf[int64](xf.secs[secListOff])
	if loff[0] != 0 || uint64(loff[V]) != nnz {
		return nil, corrupt("postings offsets")
	}
	x.lists = make([]plist, V)
	for t := range x.lists {
		a, b := loff[t], loff[t+1]
		if a > b || b-a > int64(n) {
			return nil, corrupt("postings of term %d at %d:%d", t, a, b)
		}
		x.lists[t] = plist{docs[a:b:b], w[a:b:b]}
		if parts > 1 {
			c := x.cuts[uint64(t)*(parts+1) : uint64(t+1)*(parts+1)]
			prev := int32(0)
			for _, v := range c {
				if v < prev || int64(v) > b-a {
					return nil, corrupt("cuts of term %d", t)
				}
				prev = v
			}
			if int64(c[parts]) != b-a {
				return nil, corrupt("cuts of term %d", t)
			}
		}
	}
	if x.fwdOff[0] != 0 || uint64(x.fwdOff[n]) != nnz {
		return nil, corrupt("forward offsets")
	}
	for d := range n {
		if x.fwdOff[d] > x.fwdOff[d+1] {
			return nil, corrupt("forward row %d", d)
		}
	}
	xf.Index = x
	return xf, nil
}

// Verify checks what OpenFile does not: the checksums of the postings, the forward index and the band
// norms, and that every posting and row entry is in range and in order (what a search relies on not to
// fail). It reads the whole file.
func (xf *File) Verify() error {
	le := binary.LittleEndian
	for i := range nSections {
		o := 56 + stampMax + i*24
		if crc32.Checksum(xf.secs[i], castagnoli) != le.Uint32(xf.data[o+16:]) {
			return corrupt("section %d checksum", i)
		}
	}
	x := xf.Index
	for t, l := range x.lists {
		prev := int32(-1)
		for i, d := range l.docs {
			if d <= prev || int(d) >= x.n {
				return corrupt("posting %d of term %d: document %d", i, t, d)
			}
			if v := l.w[i]; !(v > 0 && v <= 1+1e-6) {
				return corrupt("posting %d of term %d: weight %v", i, t, v)
			}
			prev = d
		}
	}
	for d := range x.n {
		prev := int64(-1)
		for _, e := range x.fwd[x.fwdOff[d]:x.fwdOff[d+1]] {
			if t := int64(e >> 8); t <= prev || t >= int64(len(x.lists)) || e&0xff == 0 {
				return corrupt("forward row %d", d)
			} else {
				prev = t
			}
		}
	}
	return nil
}

// ReadStamp returns the stamp of the index file at path, reading and checking only its header.
func ReadStamp(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := make([]byte, headerSize)
	if _, err := io.ReadFull(f, h); err != nil {
		return nil, corrupt("%s: header: %v", path, err)
	}
	le := binary.LittleEndian
	if string(h[:8]) != fileMagic || crc32.Checksum(h[:headerSize-4], castagnoli) != le.Uint32(h[headerSize-4:]) {
		return nil, corrupt("%s: header", path)
	}
	sl := le.Uint32(h[48:])
	if sl > stampMax {
		return nil, corrupt("%s: header", path)
	}
	return append([]byte(nil), h[56:56+sl]...), nil
}
