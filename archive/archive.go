package archive

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	_ "modernc.org/sqlite" // the pure-Go SQLite driver
)

// FormatVersion is the schema version this package writes; it reads MinFormatVersion to FormatVersion.
const (
	FormatVersion    = 3
	MinFormatVersion = 1
)

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

// normChunk is the number of documents per row of the inv_norms (format 1: norms) table.
const normChunk = 1 << 16

// Archive is an open archive database. It is safe for concurrent use by one process; several processes
// may open the same file.
type Archive struct {
	db          *sql.DB // writes, and the reads of a write
	rdb         *sql.DB // read transactions: a pool, so that searches of a server run side by side
	path        string
	fingerprint string
	format      atomic.Int32 // the schema version the file held when last read
	// OnWait, when not nil, is called once when a write must wait for another process's write (an add
	// or a label elsewhere) to finish: the caller says so. The write then waits as long as it takes, or
	// until its context ends; it never fails for being second.
	OnWait func()
	// OnIndex, when not nil, is told (one line) when UpdateIndex or Optimize writes the index again from
	// the archive, and why.
	OnIndex func(msg string)

	metas metaCache  // the hits' metadata already read (format 2)
	norms normsCache // 1/‖d‖ of the last state a cold search needed (format 3)

	stmts    atomic.Pointer[map[string]*sql.Stmt] // the read pool's hot reads, once prepared (stmts.go)
	reads    atomic.Int64                         // read transactions begun (stmts.go: when to prepare)
	prepMu   sync.Mutex                           // one preparing, and not after Close
	closed   bool                                 // under prepMu
	readOnly bool
	fresh    atomic.Bool     // created by this open, not yet in WAL mode (openArchive, leaveFresh)
	storing  atomic.Bool     // a background store of the norms runs
	bg       sync.WaitGroup  // the background stores, waited for by Close
	bgCtx    context.Context // ended by Close
	bgCancel context.CancelFunc
}

// busyWait is how long one attempt to take the write lock waits before OnWait is called and the attempt
// is repeated.
const busyWait = 3 * time.Second

// beginWrite begins a write transaction (BEGIN IMMEDIATE: the write lock is taken now, not at the first
// write), waiting for other writers as long as ctx allows. An archive of an older format is migrated to
// the current format first, in the same transaction; from is the format the file had before.
func (a *Archive) beginWrite(ctx context.Context) (tx *sql.Tx, from int, err error) {
	told := false
	for {
		tx, err := a.db.BeginTx(ctx, nil)
		if err == nil {
			from, err := a.upgrade(ctx, tx)
			if err != nil {
				tx.Rollback()
				return nil, 0, err
			}
			return tx, from, nil
		}
		if !isBusy(err) {
			return nil, 0, err
		}
		if !told && a.OnWait != nil {
			a.OnWait()
		}
		told = true
		select {
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// leaveFresh turns a new archive to WAL mode after its first write (see openArchive): from then on,
// readers of other processes read while it is written. Should the change fail (a reader of another
// process holds the file), the archive stays in rollback mode until its next open in WAL mode.
func (a *Archive) leaveFresh(ctx context.Context) {
	if !a.fresh.CompareAndSwap(true, false) {
		return
	}
	var mode string
	if err := a.db.QueryRowContext(ctx, `PRAGMA journal_mode=WAL`).Scan(&mode); err != nil || mode != "wal" {
		return
	}
	a.db.ExecContext(ctx, `PRAGMA synchronous=NORMAL`)
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
	fresh := false
	if err != nil {
		if !create || !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		fresh = true
	} else if info.IsDir() {
		return nil, fmt.Errorf("%w: it is a directory", ErrNotArchive)
	}
	busy := "_pragma=busy_timeout(" + strconv.Itoa(int(busyWait/time.Millisecond)) + ")"
	dsn := "file:" + path + "?" + busy + "&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_txlock=immediate"
	if fresh && !readOnly {
		// A new archive's first add is written with a rollback journal, then the file turns to WAL
		// (leaveFresh). In WAL mode every page of a transaction is written twice, to the WAL and then,
		// at the checkpoint, to the file, and the WAL grows to the size of the transaction: a first
		// import of a million dispatches wrote some 6 GB for a 3 GB archive and needed 4.8 times its
		// text in free disk at its peak. A rollback journal keeps only the pages a transaction
		// overwrites, and a new file has none (pages past its end are not journaled). It is as
		// atomic (a killed add leaves a hot journal, rolled back at the next open); FULL makes it as
		// safe against a power cut as WAL with NORMAL. Meanwhile other processes cannot read the new
		// archive (a rollback-journal writer locks it out while it spills and commits); the journal
		// mode is named on no connection of a fresh archive, so that none can turn it back later.
		dsn = "file:" + path + "?" + busy + "&_pragma=synchronous(FULL)&_pragma=foreign_keys(ON)&_txlock=immediate"
	}
	if readOnly {
		dsn = "file:" + path + "?mode=ro&" + busy
	}
	a, err := openDSN(path, dsn, fingerprint, create)
	if a != nil {
		a.readOnly = readOnly
		a.fresh.Store(fresh && !readOnly)
	}
	if readOnly && isReadOnlyDir(err) {
		// A WAL archive needs its -shm file, which a reader cannot create in a directory it may not write.
		// With no -wal file (the last writer checkpointed and closed) the main file is the whole archive and
		// SQLite may read it as immutable; with a -wal file that would ignore committed adds, so the error
		// stands.
		if _, werr := os.Stat(path + "-wal"); errors.Is(werr, os.ErrNotExist) {
			a, err = openDSN(path, "file:"+path+"?mode=ro&immutable=1", fingerprint, false)
			if a != nil {
				a.readOnly = true
			}
		}
	}
	return a, err
}

// readConns is the number of connections of the read pool, and readCache the page cache of each
// (KiB). A read transaction holds its connection for the whole search (the index file is checked
// against the snapshot it reads the filter and the hits in), so one connection would serialise a server's
// searches; the pages the readers share are cached once by the operating system, outside the process.
const (
	readConns = 4
	readCache = 16384
)

func openDSN(path, dsn, fingerprint string, create bool) (*Archive, error) {
	// a large page cache keeps the unique indexes (id, hash) of a big import in memory: they are written in
	// random order, and with the default 2 MB cache a 100k import spends its time re-reading index pages
	db, err := sql.Open("sqlite", withCache(dsn, 262144))
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1) // one connection: SQLite serialises writers anyway
	a := &Archive{db: db, path: path}
	a.bgCtx, a.bgCancel = context.WithCancel(context.Background())
	if err := a.init(fingerprint, create); err != nil {
		a.bgCancel()
		db.Close()
		return nil, classify(err)
	}
	// opened after init, so that a new archive's schema exists (WAL readers of a committed state)
	a.rdb, err = sql.Open("sqlite", withCache(dsn, readCache))
	if err != nil {
		a.bgCancel()
		db.Close()
		return nil, err
	}
	a.rdb.SetMaxOpenConns(readConns)
	return a, nil
}

// withCache returns dsn with a page cache of kib KiB a connection.
func withCache(dsn string, kib int) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "_pragma=cache_size(-" + strconv.Itoa(kib) + ")"
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
		_, err := a.db.Exec(`INSERT INTO meta(key, value) VALUES ('format', ?), ('analyzer', ?), ('batch', '0'), ('norms', '')`, strconv.Itoa(FormatVersion), fingerprint)
		a.fingerprint = fingerprint
		a.format.Store(FormatVersion)
		return err
	case err != nil:
		if strings.Contains(err.Error(), "not a database") || strings.Contains(err.Error(), "file is not a database") {
			return ErrNotArchive
		}
		return err
	}
	v, err := formatOf(context.Background(), a.db)
	if err != nil {
		return err
	}
	a.format.Store(int32(v))
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

// Close closes the database, after stopping a background store of the norms (norms.go).
func (a *Archive) Close() error {
	a.bgCancel()
	a.bg.Wait()
	a.prepMu.Lock()
	a.closed = true
	a.closeStmts()
	a.prepMu.Unlock()
	rerr := a.rdb.Close()
	if err := a.db.Close(); err != nil {
		return err
	}
	return rerr
}

// Path returns the file the archive was opened from.
func (a *Archive) Path() string { return a.path }

// Format returns the schema version the archive file holds.
func (a *Archive) Format() int { return int(a.format.Load()) }

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
