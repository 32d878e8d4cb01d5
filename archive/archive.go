// Package archive owns depeche's store of past dispatches: an SQLite database (pure-Go driver, WAL mode)
// holding each dispatch (text, metadata, labels, a hash of its normalised text), the raw term counts of
// each (a forward index), the document frequency of each term, the postings of each term and each
// document's vector norm.
//
// # Why raw counts
//
// TF-IDF weights depend on the whole archive (n and df). The archive keeps counts, not weights, so that an
// add never re-analyses what is stored: weights always follow the current statistics. The norms, which
// depend on every idf, are recomputed from the forward index inside each add's transaction.
//
// # Transactions
//
// An add is one transaction: a killed process leaves the archive as it was before, or with the whole add.
// WAL mode lets a reader (similar) run while a writer (add) works; a busy timeout makes two writers wait
// for each other instead of failing.
//
// The weighting itself (1 + ln tf, smoothed idf, L2) is package search's; the archive only stores what it
// needs.
package archive

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/depeche/depeche/search"
	"golang.org/x/text/unicode/norm"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver
)

// FormatVersion is the schema version this package writes and reads.
const FormatVersion = 1

// Errors of the archive.
var (
	ErrNotFound    = errors.New("archive: no dispatch with that id")
	ErrNotArchive  = errors.New("archive: not a depeche archive")
	ErrNewerFormat = errors.New("archive: the archive was written by a newer depeche")
)

// AnalyzerError reports an archive whose terms were made by another analysis than the caller's.
type AnalyzerError struct{ Archive, Here string }

func (e *AnalyzerError) Error() string {
	return fmt.Sprintf("archive: its terms were made with analyzer %s but this depeche uses %s; import the dispatches into a new archive", e.Archive, e.Here)
}

const schema = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dispatches (
	doc     INTEGER PRIMARY KEY,
	id      TEXT NOT NULL UNIQUE,
	title   TEXT NOT NULL DEFAULT '',
	date    TEXT NOT NULL DEFAULT '',
	source  TEXT NOT NULL DEFAULT '',
	url     TEXT NOT NULL DEFAULT '',
	event   TEXT NOT NULL DEFAULT '',
	labels  TEXT NOT NULL DEFAULT '',
	text    TEXT NOT NULL,
	hash    BLOB NOT NULL UNIQUE,
	terms   BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS dispatches_date ON dispatches(date);
CREATE TABLE IF NOT EXISTS terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, df INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS postings (term INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (term, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS norms (chunk INTEGER PRIMARY KEY, data BLOB NOT NULL);
`

// normChunk is the number of documents per row of the norms table.
const normChunk = 1 << 16

// Archive is an open archive database. It is safe for concurrent use by one process; several processes
// may open the same file.
type Archive struct {
	db          *sql.DB
	path        string
	fingerprint string
	format      int // the schema version the file holds
	// OnWait, when not nil, is called once when a write must wait for another process's write (an add
	// or a label elsewhere) to finish: the caller says so. The write then waits as long as it takes, or
	// until its context ends; it never fails for being second.
	OnWait func()
}

// busyWait is how long one attempt to take the write lock waits before OnWait is called and the attempt
// is repeated.
const busyWait = 3 * time.Second

// beginWrite begins a write transaction (BEGIN IMMEDIATE: the write lock is taken now, not at the first
// write), waiting for other writers as long as ctx allows.
func (a *Archive) beginWrite(ctx context.Context) (*sql.Tx, error) {
	told := false
	for {
		tx, err := a.db.BeginTx(ctx, nil)
		if err == nil || !isBusy(err) {
			return tx, err
		}
		if !told && a.OnWait != nil {
			a.OnWait()
		}
		told = true
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// isBusy tells SQLite's "database is locked" (SQLITE_BUSY and its extended codes).
func isBusy(err error) bool {
	var se interface{ Code() int }
	return errors.As(err, &se) && se.Code()&0xff == 5
}

// Open opens the archive at path, creating it when create is true and it does not exist. fingerprint names
// the analysis that makes the terms (vectorize.Analyzer.Fingerprint): a new archive records it, an existing
// one must match it.
func Open(path string, fingerprint string, create bool) (*Archive, error) {
	return openArchive(path, fingerprint, create, false)
}

// OpenReadOnly opens the archive at path for reading only: it writes nothing (not even the journal mode),
// so that an archive the user may not write (a shared copy, a read-only mount) can still be searched.
func OpenReadOnly(path string, fingerprint string) (*Archive, error) {
	return openArchive(path, fingerprint, false, true)
}

func openArchive(path string, fingerprint string, create, readOnly bool) (*Archive, error) {
	info, err := os.Stat(path)
	if err != nil {
		if !create || !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	} else if info.IsDir() {
		return nil, fmt.Errorf("%w: it is a directory", ErrNotArchive)
	}
	// a large page cache keeps the unique indexes (id, hash) of a big import in memory: they are written in
	// random order, and with the default 2 MB cache a 100k import spends its time re-reading index pages
	dsn := "file:" + path + "?_pragma=busy_timeout(" + strconv.Itoa(int(busyWait/time.Millisecond)) + ")&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=cache_size(-262144)&_txlock=immediate"
	if readOnly {
		dsn = "file:" + path + "?mode=ro&_pragma=busy_timeout(" + strconv.Itoa(int(busyWait/time.Millisecond)) + ")&_pragma=cache_size(-262144)"
	}
	a, err := openDSN(path, dsn, fingerprint, create)
	if readOnly && isReadOnlyDir(err) {
		// A WAL archive needs its -shm file, which a reader cannot create in a directory it may not write.
		// With no -wal file (the last writer checkpointed and closed) the main file is the whole archive and
		// SQLite may read it as immutable; with a -wal file that would ignore committed adds, so the error
		// stands.
		if _, werr := os.Stat(path + "-wal"); errors.Is(werr, os.ErrNotExist) {
			a, err = openDSN(path, "file:"+path+"?mode=ro&immutable=1&_pragma=cache_size(-262144)", fingerprint, false)
		}
	}
	return a, err
}

func openDSN(path, dsn, fingerprint string, create bool) (*Archive, error) {
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // one connection: SQLite serialises writers anyway, and it keeps reads in one snapshot
	a := &Archive{db: db, path: path}
	if err := a.init(fingerprint, create); err != nil {
		db.Close()
		return nil, classify(err)
	}
	return a, nil
}

// isReadOnlyDir tells SQLITE_READONLY_DIRECTORY (and SQLITE_CANTOPEN, which older SQLite versions give
// for the -shm file of a read-only directory).
func isReadOnlyDir(err error) bool {
	var se interface{ Code() int }
	return errors.As(err, &se) && (se.Code() == 1544 || se.Code()&0xff == 14)
}

func (a *Archive) init(fingerprint string, create bool) error {
	var name string
	err := a.db.QueryRow(`SELECT name FROM sqlite_master WHERE type='table' AND name='meta'`).Scan(&name)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		var n int
		if err := a.db.QueryRow(`SELECT count(*) FROM sqlite_master`).Scan(&n); err != nil {
			return err
		}
		if n > 0 || !create {
			return ErrNotArchive
		}
		if _, err := a.db.Exec(schema); err != nil {
			return err
		}
		_, err := a.db.Exec(`INSERT INTO meta(key, value) VALUES ('format', ?), ('analyzer', ?), ('batch', '0')`, strconv.Itoa(FormatVersion), fingerprint)
		a.fingerprint, a.format = fingerprint, FormatVersion
		return err
	case err != nil:
		if strings.Contains(err.Error(), "not a database") || strings.Contains(err.Error(), "file is not a database") {
			return ErrNotArchive
		}
		return err
	}
	var format string
	if err := a.db.QueryRow(`SELECT value FROM meta WHERE key='format'`).Scan(&format); err != nil {
		return ErrNotArchive
	}
	v, err := strconv.Atoi(format)
	switch {
	case err != nil || v < 1:
		return fmt.Errorf("%w: format %q", ErrNotArchive, format)
	case v > FormatVersion:
		return fmt.Errorf("%w (format %s; this one reads up to %d): upgrade depeche", ErrNewerFormat, format, FormatVersion)
	}
	a.format = v
	if err := a.db.QueryRow(`SELECT value FROM meta WHERE key='analyzer'`).Scan(&a.fingerprint); err != nil {
		return ErrNotArchive
	}
	if fingerprint != "" && a.fingerprint != fingerprint {
		return &AnalyzerError{Archive: a.fingerprint, Here: fingerprint}
	}
	return nil
}

// ErrCorrupt is an archive file SQLite cannot read: truncated, overwritten or damaged.
var ErrCorrupt = errors.New("archive: the archive file is damaged")

// Explain turns SQLite's errors about the file itself (SQLITE_CORRUPT, SQLITE_NOTADB), at open or in any
// later query, into ErrCorrupt and ErrNotArchive; other errors are returned as they are.
func Explain(err error) error { return classify(err) }

// IntegrityCheck runs SQLite's PRAGMA integrity_check on the file at path and returns its first finding
// ("ok" for a sound file).
func IntegrityCheck(path string) string {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err.Error()
	}
	defer db.Close()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check(1)`).Scan(&res); err != nil {
		return err.Error()
	}
	return res
}

func classify(err error) error {
	var se interface{ Code() int }
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case 11: // SQLITE_CORRUPT
			return ErrCorrupt
		case 26: // SQLITE_NOTADB
			return ErrNotArchive
		}
	}
	return err
}

// Close closes the database.
func (a *Archive) Close() error { return a.db.Close() }

// Path returns the file the archive was opened from.
func (a *Archive) Path() string { return a.path }

// Format returns the schema version the archive file holds.
func (a *Archive) Format() int { return a.format }

// Fingerprint returns the analyzer fingerprint the archive's terms were made with.
func (a *Archive) Fingerprint() string { return a.fingerprint }

// Hash returns the dedupe key of a text: SHA-256 of its NFC, lower-case words joined by single spaces, so
// that two copies that differ only in case, spacing or Unicode normalisation are one dispatch.
func Hash(text string) []byte {
	if !norm.NFC.IsNormalString(text) {
		text = norm.NFC.String(text)
	}
	h := sha256.New()
	buf := make([]byte, 0, 256)
	// the words joined by single spaces, written in pieces: a pending space is written only before the
	// next word, so that leading and trailing spaces do not count
	started, space := false, false
	for _, r := range text {
		if unicode.IsSpace(r) {
			space = started
			continue
		}
		if space {
			buf = append(buf, ' ')
			space = false
		}
		started = true
		buf = utf8.AppendRune(buf, unicode.ToLower(r))
		if len(buf) > 200 {
			h.Write(buf)
			buf = buf[:0]
		}
	}
	h.Write(buf)
	return h.Sum(nil)
}

// Count returns the number of archived dispatches.
func (a *Archive) Count(ctx context.Context) (int, error) {
	var n int
	err := a.db.QueryRowContext(ctx, `SELECT count(*) FROM dispatches`).Scan(&n)
	return n, err
}

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

func encodeFloats(xs []float32) []byte {
	b := make([]byte, 4*len(xs))
	for i, x := range xs {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func decodeFloats(b []byte, out []float32) []float32 {
	for i := 0; i+4 <= len(b); i += 4 {
		out = append(out, math.Float32frombits(binary.LittleEndian.Uint32(b[i:])))
	}
	return out
}

// labelsField stores labels as ",a,b," so that a label filter is a substring test for ",a,".
func labelsField(labels []string) string {
	if len(labels) == 0 {
		return ""
	}
	return "," + strings.Join(labels, ",") + ","
}

func parseLabels(f string) []string {
	f = strings.Trim(f, ",")
	if f == "" {
		return []string{}
	}
	return strings.Split(f, ",")
}

// Meta is what the archive returns about a dispatch, without its text.
type Meta struct {
	Doc    int
	ID     string
	Title  string
	Date   string
	Source string
	URL    string
	Event  string
	Labels []string
	Hash   []byte // Hash of the text: lets similar leave out the query itself
}

func sortedUnique(xs []string) []string {
	slices.Sort(xs)
	return slices.Compact(xs)
}
