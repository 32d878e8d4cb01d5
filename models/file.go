package models

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The file layout (all integers big-endian):
//
//	offset  size  field
//	0       16    magic "depeche model\n\x00\x00"
//	16      4     format version (uint32)
//	20      8     payload length in bytes (uint64)
//	28      32    SHA-256 of the payload
//	60      …     payload: a sequence of sections
//
// A section of version 1 is a 4-byte tag, a uint64 length and the bytes. Version 2 makes every array of
// the payload readable in place, 4-byte numbers at offsets of the file that are multiples of 8: the
// payload starts with 4 zero bytes, and a section is a 4-byte tag, 4 zero bytes, a uint64 length, the
// bytes, then zero bytes up to the next multiple of 8. Its sections, in this order:
//
//	META  JSON (meta): the analyzer, the vectorizer's settings, the classifier but its weights, Info
//	TERM  the vocabulary's terms, sorted, their bytes one after the other (vectorize.Vocabulary)
//	TOFF  n+1 uint32 little-endian: term i is TERM[TOFF[i]:TOFF[i+1]]
//	THSH  the vocabulary's hash table: a power of two of uint32 little-endian slots, 0 or id+1
//	      (vectorize.Vocabulary says how it is built, and vectorize.TermHash is its hash)
//	DFRQ  n int32 little-endian: the document frequency of each term
//	WGHT  labels × n float32 little-endian, label after label
//	DOMN  the domain's centroids (encodeDomain), when the model has one
//
// Version 1 has META, TERM as a uvarint count then each term as a uvarint length and its bytes
// (decodeStrings), DFRQ, WGHT and DOMN: its
// vocabulary is built in memory when it is read.
//
// The layout, not the Go structs, is versioned: a reader of version N reads every version from 1 to N.
const (
	magic      = "depeche model\n\x00\x00"
	headerSize = 16 + 4 + 8 + 32
	// Version is the format version this package writes, and the newest it reads.
	Version = 2
	// MinVersion is the oldest format version it reads.
	MinVersion = 1
	// maxPayload bounds what Read allocates from a header it has not yet verified.
	maxPayload = 4 << 30
)

// Errors of the model file. Each comes wrapped in a *FileError that names the file when one is involved.
var (
	ErrNotModel  = errors.New("not a depeche model file")
	ErrTruncated = errors.New("file is truncated")
	ErrChecksum  = errors.New("checksum mismatch: the file is corrupt")
	ErrCorrupt   = errors.New("payload is malformed")
)

// VersionError reports a file written by a newer depeche.
type VersionError struct{ Got, Max uint32 }

func (e *VersionError) Error() string {
	return fmt.Sprintf("format version %d is newer than this depeche reads (1–%d); upgrade depeche or run \"depeche train\"", e.Got, e.Max)
}

// FileError wraps an error about a model file with the file's name.
type FileError struct {
	Path string
	Err  error
}

func (e *FileError) Error() string {
	hint := ""
	if errors.Is(e.Err, ErrChecksum) || errors.Is(e.Err, ErrTruncated) || errors.Is(e.Err, ErrNotModel) || errors.Is(e.Err, ErrCorrupt) {
		hint = `; retrain it with "depeche train" or point --model to another file`
	}
	return fmt.Sprintf("%s: %v%s", e.Path, e.Err, hint)
}

func (e *FileError) Unwrap() error { return e.Err }

// writeContainer writes the header and the payload.
func writeContainer(w io.Writer, payload []byte) error {
	var h [headerSize]byte
	copy(h[:16], magic)
	binary.BigEndian.PutUint32(h[16:], Version)
	binary.BigEndian.PutUint64(h[20:], uint64(len(payload)))
	sum := sha256.Sum256(payload)
	copy(h[28:], sum[:])
	if _, err := w.Write(h[:]); err != nil {
		return err
	}
	_, err := w.Write(payload)
	return err
}

// readContainer checks the header and the checksum and returns the payload and its version. The
// payload is the tail of a buffer that also holds the header, so that its offsets in memory have the
// alignment of the file's.
func readContainer(r io.Reader) ([]byte, uint32, error) {
	var h [headerSize]byte
	n, err := io.ReadFull(r, h[:])
	if err != nil {
		return nil, 0, shortHeader(h[:n])
	}
	version, size, err := checkHeader(h[:])
	if err != nil {
		return nil, version, err
	}
	// The header is not verified yet (the checksum covers the payload only): a forged length must not
	// make Read allocate it. The payload is read through a limited reader into a buffer that grows with
	// the bytes actually there, so a 60-byte file announcing 4 GiB costs 60 bytes, not 4 GiB.
	var buf bytes.Buffer
	if sz, ok := sizeOf(r); ok && sz >= 0 && uint64(sz) >= size {
		buf.Grow(headerSize + int(size)) // the file really holds that much: one allocation
	}
	buf.Write(h[:])
	n64, err := buf.ReadFrom(io.LimitReader(r, int64(size)))
	if err != nil {
		return nil, version, err
	}
	if uint64(n64) != size {
		return nil, version, ErrTruncated
	}
	payload := buf.Bytes()[headerSize:]
	if sum := sha256.Sum256(payload); !bytes.Equal(sum[:], h[28:60]) {
		return nil, version, ErrChecksum
	}
	return payload, version, nil
}

// sliceContainer is readContainer over a file in memory: the payload is a part of b, not a copy.
// Without sum, the checksum is not checked (DecodeEmbedded).
func sliceContainer(b []byte, sum bool) ([]byte, uint32, error) {
	if len(b) < headerSize {
		return nil, 0, shortHeader(b)
	}
	version, size, err := checkHeader(b[:headerSize])
	if err != nil {
		return nil, version, err
	}
	if uint64(len(b)-headerSize) < size {
		return nil, version, ErrTruncated
	}
	payload := b[headerSize : headerSize+int(size) : headerSize+int(size)]
	if sum {
		if h := sha256.Sum256(payload); !bytes.Equal(h[:], b[28:60]) {
			return nil, version, ErrChecksum
		}
	}
	return payload, version, nil
}

// shortHeader is the error of a file shorter than a header, h being what there is.
func shortHeader(h []byte) error {
	n := len(h)
	if n >= 16 && string(h[:16]) == magic || n > 0 && bytes.HasPrefix([]byte(magic), h) {
		return ErrTruncated
	}
	if n == 0 {
		return fmt.Errorf("%w (the file is empty)", ErrNotModel)
	}
	return ErrNotModel
}

// checkHeader checks the magic, the version and the announced length of a whole header.
func checkHeader(h []byte) (version uint32, size uint64, err error) {
	if string(h[:16]) != magic {
		return 0, 0, ErrNotModel
	}
	version = binary.BigEndian.Uint32(h[16:])
	if version < MinVersion {
		return version, 0, fmt.Errorf("%w: format version %d (this depeche reads %d–%d)", ErrCorrupt, version, MinVersion, Version)
	}
	if version > Version {
		return version, 0, &VersionError{Got: version, Max: Version}
	}
	size = binary.BigEndian.Uint64(h[20:])
	if size > maxPayload {
		return version, 0, fmt.Errorf("%w: its header announces %d bytes", ErrCorrupt, size)
	}
	return version, size, nil
}

// ErrIsDir is returned by WriteFileAtomic for a path that is a directory.
var ErrIsDir = errors.New("is a directory, not a file: name the model file to write (e.g. DIR/model.depeche)")

// staleTemp is the age past which a temporary file of WriteFileAtomic's pattern is taken for the leftover
// of a killed writer: a live writer's file is minutes old at most (a million-dispatch training writes its
// model in seconds, after the training).
const staleTemp = time.Hour

// removeStaleTemps removes the leftovers of killed writers of dir/base ("."+base+".tmp-*", older than
// staleTemp). Errors are ignored: the leftovers waste space, they never make a read wrong.
func removeStaleTemps(dir, base string) {
	matches, _ := filepath.Glob(filepath.Join(dir, "."+escapeGlob(base)+".tmp-*"))
	for _, m := range matches {
		if info, err := os.Lstat(m); err == nil && info.Mode().IsRegular() && time.Since(info.ModTime()) > staleTemp {
			os.Remove(m)
		}
	}
}

// escapeGlob quotes the metacharacters of filepath.Match in s.
func escapeGlob(s string) string {
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune(`*?[]\`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// sizeOf returns how many bytes are left to read from r when r can tell (a file, a bytes.Reader).
func sizeOf(r io.Reader) (int64, bool) {
	switch v := r.(type) {
	case interface{ Len() int }:
		return int64(v.Len()), true
	case *os.File:
		info, err := v.Stat()
		if err != nil || !info.Mode().IsRegular() {
			return 0, false
		}
		pos, err := v.Seek(0, io.SeekCurrent)
		if err != nil {
			return 0, false
		}
		return info.Size() - pos, true
	}
	return 0, false
}

// WriteFileAtomic writes data to path through a temporary file in the same directory, synced, then renamed
// over path: a reader sees the old file or the new one, never half of one, and a crash leaves the old file.
//
// A directory at path is refused (ErrIsDir) before anything is written. Temporary files of this pattern
// for the same path that a killed writer left behind (older than staleTemp) are removed first.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("%s: %w", path, ErrIsDir)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	removeStaleTemps(dir, filepath.Base(path))
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	// make the rename itself durable
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// sectionWriter is the payload codec: tagged, length-prefixed byte strings, in a fixed order, in the
// layout of the current version (see the layout above).
type sectionWriter struct{ buf bytes.Buffer }

// pad is the number of zero bytes that bring n to a multiple of 8.
func pad(n int) int { return -n & 7 }

func (s *sectionWriter) add(tag string, data []byte) {
	if s.buf.Len() == 0 {
		s.buf.Write(make([]byte, 4)) // the header's 60 bytes brought to 64
	}
	s.buf.WriteString(tag)
	var l [12]byte
	binary.BigEndian.PutUint64(l[4:], uint64(len(data)))
	s.buf.Write(l[:])
	s.buf.Write(data)
	s.buf.Write(make([]byte, pad(len(data))))
}

// readSections splits a payload of the given version into its sections, which stay parts of payload.
func readSections(payload []byte, version uint32) (map[string][]byte, error) {
	out := make(map[string][]byte)
	head := 12
	if version >= 2 {
		if len(payload) < 4 || !zero(payload[:4]) {
			return nil, ErrCorrupt
		}
		payload = payload[4:]
		head = 16
	}
	for len(payload) > 0 {
		if len(payload) < head {
			return nil, ErrCorrupt
		}
		tag := string(payload[:4])
		if head == 16 && !zero(payload[4:8]) {
			return nil, ErrCorrupt
		}
		n := binary.BigEndian.Uint64(payload[head-8 : head])
		payload = payload[head:]
		if n > uint64(len(payload)) {
			return nil, ErrCorrupt
		}
		if _, dup := out[tag]; dup {
			return nil, fmt.Errorf("%w: two %s sections", ErrCorrupt, tag)
		}
		out[tag] = payload[:n:n]
		payload = payload[n:]
		if head == 16 {
			p := pad(int(n))
			if len(payload) < p || !zero(payload[:p]) {
				return nil, ErrCorrupt
			}
			payload = payload[p:]
		}
	}
	return out, nil
}

func zero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func decodeStrings(b []byte) ([]string, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)) {
		return nil, ErrCorrupt
	}
	b = b[k:]
	out := make([]string, 0, n)
	for range n {
		l, k := binary.Uvarint(b)
		if k <= 0 || l > uint64(len(b)-k) {
			return nil, ErrCorrupt
		}
		out = append(out, string(b[k:k+int(l)]))
		b = b[k+int(l):]
	}
	if len(b) != 0 {
		return nil, ErrCorrupt
	}
	return out, nil
}

func encodeInt32s(xs []int32) []byte {
	b := make([]byte, 4*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(x))
	}
	return b
}

func encodeFloat32s(b []byte, xs []float32) []byte {
	for _, x := range xs {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return b
}
