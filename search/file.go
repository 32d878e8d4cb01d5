package search

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"time"
	"unsafe"
)

// The index file holds an Index's arrays as they lie in memory, so that a process maps it and searches at
// once, reading only the pages its query touches (the file format is in the package doc, "The index
// file"). Every section starts 8-byte aligned; all numbers are little-endian.
const (
	fileMagic   = "DPCHIDX1"
	fileVersion = 1
	headerSize  = 512
	stampMax    = 128
	nSections   = 12
)

// section numbers
const (
	secVocab    = iota // the terms' bytes, one after the other
	secVocabOff        // uint32[V+1]: term t is vocab[off[t]:off[t+1]]
	secIDF             // float32[V]
	secBand            // uint8[V]
	secListOff         // int64[V+1]: term t's postings are docs/w[off[t]:off[t+1]]
	secDocs            // int32[nnz]
	secW               // float32[nnz]
	secDnorm           // float32[n·bands], empty below boundFrom documents
	secCuts            // int32[V·(parts+1)], empty when parts ≤ 1
	secFwd             // uint32[nnz]
	secFwdOff          // int64[n+1]
	secInv             // float64[n]
)

// small sections are checked (checksum and structure) at every open; the others, whose pages a query
// reads only in part, by Verify
var smallSection = [nSections]bool{secVocab: true, secVocabOff: true, secIDF: true, secBand: true, secListOff: true,
	secCuts: true, secFwdOff: true, secInv: true}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// ErrCorrupt is returned for an index file that is not one this version wrote whole.
var ErrCorrupt = errors.New("search: the index file is corrupt")

// WriteFile writes the index to path with an opaque stamp (at most 128 bytes: what the caller needs to
// know the file matches its store), crash-safely: into a temporary file beside it, synced, then renamed
// over path, and the directory synced, so that path is always the old file or the new one, whole.
func (x *Index) WriteFile(path string, stamp []byte) (err error) {
	if len(stamp) > stampMax {
		return fmt.Errorf("search: an index stamp of %d bytes (at most %d)", len(stamp), stampMax)
	}
	dir := filepath.Dir(path)
	// what a writer killed in the middle left behind (a live writer's file is younger)
	if old, _ := filepath.Glob(path + ".tmp-*"); len(old) > 0 {
		for _, o := range old {
			if fi, err := os.Stat(o); err == nil && time.Since(fi.ModTime()) > time.Hour {
				os.Remove(o)
			}
		}
	}
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = x.write(f, stamp); err != nil {
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

// sectionWriter writes sections 8-byte aligned after the header, each with its checksum.
type sectionWriter struct {
	w    *bufio.Writer
	off  int64
	secs [nSections]struct {
		off, n int64
		crc    uint32
	}
	err error
}

func (s *sectionWriter) put(sec int, parts ...[]byte) {
	if s.err != nil {
		return
	}
	if pad := (8 - s.off%8) % 8; pad > 0 {
		_, s.err = s.w.Write(make([]byte, pad))
		s.off += pad
	}
	s.secs[sec].off = s.off
	var crc uint32
	for _, p := range parts {
		if s.err != nil {
			return
		}
		crc = crc32.Update(crc, castagnoli, p)
		_, s.err = s.w.Write(p)
		s.off += int64(len(p))
		s.secs[sec].n += int64(len(p))
	}
	s.secs[sec].crc = crc
}

// bytesOf returns the memory of a slice of fixed-size numbers.
func bytesOf[T any](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}

func (x *Index) write(f *os.File, stamp []byte) error {
	if binary.NativeEndian.Uint16([]byte{1, 0}) != 1 {
		return errors.New("search: index files are written on little-endian machines only")
	}
	if _, err := f.Seek(headerSize, io.SeekStart); err != nil {
		return err
	}
	s := &sectionWriter{w: bufio.NewWriterSize(f, 1<<20), off: headerSize}
	V := len(x.vocab)
	voff := make([]uint32, V+1)
	var vb []byte
	for t, v := range x.vocab {
		vb = append(vb, v...)
		voff[t+1] = uint32(len(vb))
	}
	s.put(secVocab, vb)
	s.put(secVocabOff, bytesOf(voff))
	s.put(secIDF, bytesOf(x.idf))
	s.put(secBand, x.band)
	loff := make([]int64, V+1)
	docs := make([][]byte, V)
	ws := make([][]byte, V)
	for t, l := range x.lists {
		loff[t+1] = loff[t] + int64(len(l.docs))
		docs[t], ws[t] = bytesOf(l.docs), bytesOf(l.w)
	}
	s.put(secListOff, bytesOf(loff))
	s.put(secDocs, docs...)
	s.put(secW, ws...)
	s.put(secDnorm, bytesOf(x.dnorm))
	s.put(secCuts, bytesOf(x.cuts))
	s.put(secFwd, bytesOf(x.fwd))
	s.put(secFwdOff, bytesOf(x.fwdOff))
	s.put(secInv, bytesOf(x.inv))
	if s.err != nil {
		return s.err
	}
	if err := s.w.Flush(); err != nil {
		return err
	}
	h := make([]byte, headerSize)
	copy(h, fileMagic)
	le := binary.LittleEndian
	le.PutUint32(h[8:], fileVersion)
	le.PutUint64(h[16:], uint64(x.n))
	le.PutUint64(h[24:], uint64(V))
	le.PutUint64(h[32:], uint64(loff[V]))
	le.PutUint64(h[40:], uint64(x.cutParts))
	le.PutUint32(h[48:], uint32(len(stamp)))
	copy(h[56:56+stampMax], stamp)
	for i, sc := range s.secs {
		o := 56 + stampMax + i*24
		le.PutUint64(h[o:], uint64(sc.off))
		le.PutUint64(h[o+8:], uint64(sc.n))
		le.PutUint32(h[o+16:], sc.crc)
	}
	le.PutUint32(h[headerSize-4:], crc32.Checksum(h[:headerSize-4], castagnoli))
	_, err := f.WriteAt(h, 0)
	return err
}

// File is an index file open for search: Index searches the file's pages as they are mapped, Stamp is
// what WriteFile was given. The mapping lasts as long as Index is reachable (or until Close), so that a
// server may swap in a new File while searches on the old one finish.
type File struct {
	Index *Index
	Stamp []byte
	data  []byte
	secs  [nSections][]byte
}

// OpenFile maps the index file at path. It checks the header, the small sections (vocabulary, statistics,
// offsets: a few bytes a term and 16 a document) and their structure, so that a search on them stays in
// bounds; the postings and the forward index, read page by page as queries need them, are checked by
// Verify. A file that fails a check gives an error wrapping ErrCorrupt.
func OpenFile(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() < headerSize || st.Size() != int64(int(st.Size())) {
		return nil, fmt.Errorf("%w: %s is %d bytes", ErrCorrupt, path, st.Size())
	}
	data, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, err
	}
	xf, err := parseFile(data)
	if err != nil {
		syscall.Munmap(data)
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	runtime.AddCleanup(xf.Index, func(b []byte) { syscall.Munmap(b) }, data)
	return xf, nil
}

// ReadFileBytes parses an index file held in memory (a copy: the arrays must be aligned), for tests and
// tools.
func ReadFileBytes(b []byte) (*File, error) {
	al := make([]uint64, (len(b)+7)/8)
	buf := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(al))), len(al)*8)[:len(b)]
	copy(buf, b)
	return parseFile(buf)
}
