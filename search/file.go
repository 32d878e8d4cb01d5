package search

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"math/bits"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// The index file is small: the vocabulary, its statistics, the list of the segment files that hold the
// postings, and the per-document norms that depend on the whole collection (the package doc, "The index
// file"). Every section starts 8-byte aligned; all numbers are little-endian.
const (
	fileMagic   = "DPCHIDX2"
	fileVersion = 2
	headerSize  = 512
	stampMax    = 128
	nSections   = 8
	segRecord   = 128 // bytes a segment in secSegs
	segNameMax  = segRecord - 32
)

const (
	secVocab    = iota // the terms' bytes, one after the other
	secVocabOff        // uint32[V+1]: term t is vocab[off[t]:off[t+1]]
	secDF              // int32[V]
	secIDF             // float32[V]
	secBand            // uint8[V]
	secSegs            // segRecord bytes a segment: base, n, postings (uint64), header CRC, name length (uint32), name
	secInv             // float64[n]: 1/‖d‖
	secDnorm           // float32[n·bands], empty below boundFrom documents
)

// the band norms (16 bytes a document) are checked by Verify: a query reads them in part
var smallSection = [nSections]bool{true, true, true, true, true, true, true, false}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt is returned for an index or segment file that is not one this version wrote whole.
var ErrCorrupt = errors.New("search: the index file is corrupt")

// staleTemp is the age past which a temporary file, or a segment that no index file lists, is taken for
// what a killed writer left (a live writer's are younger: an add of millions of dispatches takes minutes).
const staleTemp = time.Hour

// writeAtomic writes path through a temporary file beside it, synced, then renamed over path, and the
// directory synced, so that path is always the old file or the new one, whole.
func writeAtomic(path string, write func(f *os.File) error) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

type section struct {
	off, n int64
	crc    uint32
}

// sectionWriter writes sections 8-byte aligned after a header, each with its checksum.
type sectionWriter struct {
	w    *bufio.Writer
	off  int64
	secs []section
	cur  int
	err  error
}

// begin starts section sec; add appends to it.
func (s *sectionWriter) begin(sec int) {
	if s.err != nil {
		return
	}
	if pad := (8 - s.off%8) % 8; pad > 0 {
		_, s.err = s.w.Write(make([]byte, pad))
		s.off += pad
	}
	s.cur = sec
	s.secs[sec].off = s.off
}

func (s *sectionWriter) add(p []byte) {
	if s.err != nil {
		return
	}
	sc := &s.secs[s.cur]
	sc.crc = crc32.Update(sc.crc, castagnoli, p)
	_, s.err = s.w.Write(p)
	s.off += int64(len(p))
	sc.n += int64(len(p))
}

func (s *sectionWriter) put(sec int, parts ...[]byte) {
	s.begin(sec)
	for _, p := range parts {
		s.add(p)
	}
}

// header puts the sections' offsets, lengths and checksums into h from at.
func (s *sectionWriter) header(h []byte, at int) {
	le := binary.LittleEndian
	for i, sc := range s.secs {
		o := at + i*24
		le.PutUint64(h[o:], uint64(sc.off))
		le.PutUint64(h[o+8:], uint64(sc.n))
		le.PutUint32(h[o+16:], sc.crc)
	}
}

// bytesOf returns the memory of a slice of fixed-size numbers.
func bytesOf[T any](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}

// WriteIndexFile writes the index file at path over the segments segs (written by WriteSegment or a
// Writer, beside path, of documents 0, 1, … in order), with the vocabulary (term id → term) and an opaque
// stamp (at most 128 bytes: what the caller needs to know the file matches its store). It reads the
// segments' forward rows to make the statistics of the whole collection: document frequencies, idf,
// bands, and each document's 1/‖d‖ and band norms, those of Build to the bit. The file is replaced
// crash-safely (a temporary file, synced, renamed).
func WriteIndexFile(path string, stamp []byte, vocab []string, segs []SegmentInfo) error {
	if len(stamp) > stampMax {
		return fmt.Errorf("search: an index stamp of %d bytes (at most %d)", len(stamp), stampMax)
	}
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		return errors.New("search: index files are written on little-endian machines only")
	}
	V := len(vocab)
	if V >= 1<<24 {
		return errors.New("search: vocabulary of 2^24 terms or more")
	}
	dir := filepath.Dir(path)
	n, P := 0, int64(0)
	df := make([]int32, V)
	for _, info := range segs {
		if info.Base != n || len(info.Name) > segNameMax {
			return fmt.Errorf("search: segment %s of documents from %d, after %d", info.Name, info.Base, n)
		}
		s, err := openSegment(dir, info)
		if err != nil {
			return err
		}
		for i, t := range s.terms {
			if int(t) >= V {
				s.close()
				return corrupt("%s: term %d of %d", info.Name, t, V)
			}
			df[t] += int32(s.toff[i+1] - s.toff[i])
		}
		s.close()
		n += info.N
		P += info.Postings
	}
	wt := Weights{N: n}
	idf := wt.IDFs(df)
	band := bandsOf(df, n)
	inv := make([]float64, n)
	var dnorm [][bands]float32
	if n >= boundFrom {
		dnorm = make([][bands]float32, n)
	}
	// one segment mapped at a time (its pages count as the process's memory while it is)
	for _, info := range segs {
		s, err := openSegment(dir, info)
		if err != nil {
			return err
		}
		err = s.norms(wt, idf, band, inv, dnorm)
		s.close()
		if err != nil {
			return err
		}
	}
	err := writeAtomic(path, func(f *os.File) error {
		return writeManifest(f, stamp, vocab, df, idf, band, segs, inv, dnorm, n, P)
	})
	if err == nil {
		removeStale(path, segs)
	}
	return err
}

// bandsOf returns each term's band: floor(log2(n/df)), capped at bands (bands for a term of no document).
func bandsOf(df []int32, n int) []uint8 {
	band := make([]uint8, len(df))
	for t, d := range df {
		band[t] = bands
		if d > 0 {
			band[t] = uint8(min(bits.Len(uint(n/int(d)))-1, bands))
		}
	}
	return band
}

// docNorms returns 1/‖d‖ and d's band norms (rounded up), as Build keeps them.
func docNorms(wt Weights, d DocTerms, idf []float32, band []uint8) (float64, [bands]float32) {
	var dn [bands]float32
	inv := wt.InvNorm(d, idf)
	if inv == 0 {
		return 0, dn
	}
	var bn [bands + 1]float64
	for k, t := range d.Terms {
		v := wt.Weight(d.Counts[k], idf[t], inv)
		bn[band[t]] += float64(v) * float64(v)
	}
	for b := range bands {
		dn[b] = float32(math.Sqrt(bn[b]) * (1 + 1e-6))
	}
	return inv, dn
}

// norms fills inv and dnorm (nil below boundFrom documents) for the segment's documents from their rows,
// on every core, checking each row (ascending terms of the vocabulary, counts above 0).
func (s *segment) norms(wt Weights, idf []float32, band []uint8, inv []float64, dnorm [][bands]float32) error {
	parts := max(1, min(runtime.GOMAXPROCS(0), 8, s.info.N/1024))
	var wg sync.WaitGroup
	errs := make([]error, parts)
	for p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var d DocTerms
			for i := p * s.info.N / parts; i < (p+1)*s.info.N/parts; i++ {
				doc := int32(s.info.Base + i)
				d.Terms, d.Counts = d.Terms[:0], d.Counts[:0]
				prev := int64(-1)
				for _, e := range s.fwd[s.fwdOff[i]:s.fwdOff[i+1]] {
					t, c := e>>8, e&0xff
					if int64(t) <= prev || int(t) >= len(idf) || c == 0 {
						errs[p] = corrupt("%s: forward row %d", s.info.Name, i)
						return
					}
					prev = int64(t)
					if c == 0xff {
						if c = s.count(doc, int32(t)); c < 0xff {
							errs[p] = corrupt("%s: count of term %d in document %d", s.info.Name, t, doc)
							return
						}
					}
					d.Terms = append(d.Terms, int32(t))
					d.Counts = append(d.Counts, int32(c))
				}
				v, dn := docNorms(wt, d, idf, band)
				inv[doc] = v
				if dnorm != nil {
					dnorm[doc] = dn
				}
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func writeManifest(f *os.File, stamp []byte, vocab []string, df []int32, idf []float32, band []uint8,
	segs []SegmentInfo, inv []float64, dnorm [][bands]float32, n int, P int64) error {
	if _, err := f.Seek(headerSize, io.SeekStart); err != nil {
		return err
	}
	s := &sectionWriter{w: bufio.NewWriterSize(f, 1<<20), off: headerSize, secs: make([]section, nSections)}
	V := len(vocab)
	voff := make([]uint32, V+1)
	var vb strings.Builder
	for t, v := range vocab {
		vb.WriteString(v)
		if vb.Len() > math.MaxUint32 {
			return errors.New("search: a vocabulary of more than 4 GB")
		}
		voff[t+1] = uint32(vb.Len())
	}
	s.put(secVocab, []byte(vb.String()))
	s.put(secVocabOff, bytesOf(voff))
	s.put(secDF, bytesOf(df))
	s.put(secIDF, bytesOf(idf))
	s.put(secBand, band)
	recs := make([]byte, len(segs)*segRecord)
	le := binary.LittleEndian
	for i, sg := range segs {
		r := recs[i*segRecord:]
		le.PutUint64(r[0:], uint64(sg.Base))
		le.PutUint64(r[8:], uint64(sg.N))
		le.PutUint64(r[16:], uint64(sg.Postings))
		le.PutUint32(r[24:], sg.crc)
		le.PutUint32(r[28:], uint32(len(sg.Name)))
		copy(r[32:], sg.Name)
	}
	s.put(secSegs, recs)
	s.put(secInv, bytesOf(inv))
	s.put(secDnorm, bytesOf(dnorm))
	if s.err != nil {
		return s.err
	}
	if err := s.w.Flush(); err != nil {
		return err
	}
	h := make([]byte, headerSize)
	copy(h, fileMagic)
	le.PutUint32(h[8:], fileVersion)
	le.PutUint64(h[16:], uint64(n))
	le.PutUint64(h[24:], uint64(V))
	le.PutUint64(h[32:], uint64(P))
	le.PutUint64(h[40:], uint64(len(segs)))
	le.PutUint32(h[48:], uint32(len(stamp)))
	copy(h[56:56+stampMax], stamp)
	s.header(h, 56+stampMax)
	le.PutUint32(h[headerSize-4:], crc32.Checksum(h[:headerSize-4], castagnoli))
	_, err := f.WriteAt(h, 0)
	return err
}

// removeStale removes, beside the index file at path, the segments not in keep and the temporary files
// that a killed writer left (older than staleTemp: a live add's segments, not listed yet, are younger).
func removeStale(path string, keep []SegmentInfo) {
	dir := filepath.Dir(path)
	kept := map[string]bool{}
	for _, s := range keep {
		kept[s.Name] = true
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	base := filepath.Base(path)
	for _, e := range ents {
		name := e.Name()
		if kept[name] || !strings.HasPrefix(name, SegmentPrefix(path)) && !strings.HasPrefix(name, base+".tmp-") {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > staleTemp {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

// RemoveSegments removes segment files that no index file lists any more (those of an index file just
// replaced by one over other segments).
func RemoveSegments(path string, segs []SegmentInfo) {
	for _, s := range segs {
		if strings.HasPrefix(s.Name, SegmentPrefix(path)) && !strings.ContainsAny(s.Name, `/\`) {
			os.Remove(filepath.Join(filepath.Dir(path), s.Name))
		}
	}
}
