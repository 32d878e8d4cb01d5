package depeche

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/models"
)

// Generation counts the swaps of the desk's index and model: a value cached from them (label counts,
// a timeline) is current while Generation has not changed.
func (d *Desk) Generation() uint64 { return d.gen.Load() }

// Loaded reports whether the archive is held in memory (LoadIndex or Reload have run), or needs no
// loading (the built-in corpus, dispatches given to NewDesk).
func (d *Desk) Loaded() bool { return d.archive == nil || d.index.Load() != nil }

// Reload reads the archive file into memory again (LoadIndex) and swaps the new index in at once: a
// Similar that began on the old index finishes on it. The load goes through the desk's own handle, whose
// page cache it finds warm (a second handle would fill a cache of its own: about 300 MB more at 100k
// dispatches); Get, Add and Label wait for it (a few seconds at 100k dispatches, milliseconds at a few
// thousand). Nothing is done for a desk over the built-in corpus or dispatches held in memory.
func (d *Desk) Reload(ctx context.Context) error {
	if d.archive == nil {
		return nil
	}
	d.reload.Lock()
	defer d.reload.Unlock()
	d.file.Store(nil) // the archive changed: its index file is opened again (or written, if the writer did not)
	return d.loadIndex(ctx, reloadWait)
}

// reloadWait is how long a reload waits for the writer that changed the archive to write its index file
// (an add writes it right after its commit) before the desk writes it itself.
const reloadWait = 10 * time.Second

// PatchLabels sets the labels of the dispatch id in the index held in memory, without reloading it (a
// label changes no weight): what a Label of this process makes visible at once, before a Watcher's
// reload. It copies the metadata (about 20 MB at 100k dispatches) and swaps the copy in.
func (d *Desk) PatchLabels(id string, labels []string) {
	d.reload.Lock()
	defer d.reload.Unlock()
	x := d.index.Load()
	if x == nil {
		return
	}
	for i := range x.Metas {
		if x.Metas[i].ID == id {
			ms := slices.Clone(x.Metas)
			ms[i].Labels = slices.Sorted(slices.Values(labels))
			ms[i].Labels = slices.Compact(ms[i].Labels)
			d.index.Store(&archive.Searcher{Index: x.Index, Metas: ms})
			d.gen.Add(1)
			return
		}
	}
}

// ReloadModel reads the model file path and makes it the desk's model (SetModel); on an error (a file
// that is no model, of another analysis…) the model in use stays.
func (d *Desk) ReloadModel(path string) error {
	m, err := models.Load(path)
	if err != nil {
		return err
	}
	d.SetModel(m, path)
	return nil
}

// Change is what a Watcher did: it reloaded the archive or the model (What), with the number of
// dispatches the desk then searches, how long it took, and the error that kept the old one, if any.
type Change struct {
	What       string // "archive" or "model"
	Dispatches int
	Took       time.Duration
	Err        error
}

// Watcher keeps a desk current with its files while another process writes them: "depeche add" and
// "depeche label" on the archive, "depeche train" writing the model. Every Every (default 1 s) it looks at
// the archive's state — SQLite's data_version on a connection of its own (it changes with every commit
// of any other connection, this process's included), or, where that cannot be read, the size and time of
// the file and its -wal — and when it changed, it reloads the index in the background (Desk.Reload) and swaps it in (after a
// reload that took t, the next waits t, so that a stream of writes gets at most half of the time); likewise
// the model file when its size, time or inode changed (a trained model replaces the file by a rename).
// Requests in flight finish on what they began with.
type Watcher struct {
	Desk      *Desk
	Every     time.Duration // 0: 1 s
	ModelFile string        // the model file to follow, even before it exists ("": none)
	OnChange  func(Change)  // called after each reload, nil: nothing

	kick chan struct{}
	once sync.Once
	db   *sql.DB
	conn *sql.Conn
	last *archiveState // noted by Load
}

// Load reads the archive into memory (Desk.LoadIndex), noting the archive's state just before, so that
// Run reloads after a commit the load may have missed (one made between the load and Run's first look).
// Call it, then Run, from one goroutine or in that order.
func (w *Watcher) Load(ctx context.Context) error {
	var st archiveState
	if w.Desk.archive != nil {
		st = w.archiveState(ctx)
	}
	if err := w.Desk.LoadIndex(ctx); err != nil {
		return err
	}
	w.last = &st
	return nil
}

// Kick asks a running watcher to look now (after a write of this process), without waiting for its tick.
func (w *Watcher) Kick() {
	w.init()
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

func (w *Watcher) init() { w.once.Do(func() { w.kick = make(chan struct{}, 1) }) }

// fileState is what a stat tells of a file that changed: size, time, inode (0 where unknown).
type fileState struct {
	size  int64
	mtime time.Time
	ino   uint64
	ok    bool
}

func statFile(p string) fileState {
	fi, err := os.Stat(p)
	if err != nil {
		return fileState{}
	}
	return fileState{size: fi.Size(), mtime: fi.ModTime(), ino: inode(fi), ok: true}
}

// archiveState is what tells that the archive changed: SQLite's data_version when the watcher's own
// connection reads it (it changes at each commit of another connection, and only then: an add's
// transaction writing its pages to the -wal for a minute is not yet a change), else the files' state.
type archiveState struct {
	db, wal     fileState
	dataVersion int64
}

// archiveState reads the archive's state; the data_version connection is opened on first use, and
// when it cannot be (an immutable read of a read-only directory) the files' state alone is used.
func (w *Watcher) archiveState(ctx context.Context) archiveState {
	p := w.Desk.archive.Path()
	st := archiveState{db: statFile(p), wal: statFile(p + "-wal")}
	if w.conn == nil && w.db == nil {
		db, err := sql.Open("sqlite", "file:"+p+"?mode=ro&_pragma=busy_timeout(1000)")
		if err == nil {
			db.SetMaxOpenConns(1)
			if conn, err := db.Conn(ctx); err == nil {
				w.conn = conn
			}
		}
		w.db = db
	}
	if w.conn != nil {
		if err := w.conn.QueryRowContext(ctx, `PRAGMA data_version`).Scan(&st.dataVersion); err == nil {
			return archiveState{dataVersion: st.dataVersion}
		}
		st.dataVersion = -1
	}
	return st
}

// Run watches until ctx ends. The desk's index should be loaded already, by Load (else by LoadIndex, and
// then a commit made between the load and Run's first look is not seen until the next one).
func (w *Watcher) Run(ctx context.Context) error {
	w.init()
	every := w.Every
	if every <= 0 {
		every = time.Second
	}
	defer func() {
		if w.conn != nil {
			w.conn.Close()
		}
		if w.db != nil {
			w.db.Close()
		}
	}()
	d := w.Desk
	var last archiveState
	switch {
	case w.last != nil:
		last = *w.last
	case d.archive != nil:
		last = w.archiveState(ctx)
	}
	var next time.Time // no archive reload before
	// a burst of writes (an add, then a hundred labels) is loaded once: after the archive has been quiet
	// for two looks, or at the latest ten looks after its first change not loaded
	quiet, maxDelay := 2*every, 10*every
	var seen archiveState // the last state looked at
	var changed, firstUnseen time.Time
	lastModel := statFile(w.ModelFile)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-w.kick:
		}
		if d.archive != nil {
			// the state is read before the load: a commit that lands during the load changes it again,
			// and the next look reloads once more
			st := w.archiveState(ctx)
			now := time.Now()
			if st != last && st != seen {
				seen, changed = st, now
				if firstUnseen.IsZero() {
					firstUnseen = now
				}
			}
			settled := now.Sub(changed) >= quiet || now.Sub(firstUnseen) >= maxDelay
			if st != last && settled && !now.Before(next) {
				start := time.Now()
				err := d.Reload(ctx)
				if ctx.Err() != nil {
					return nil
				}
				if err == nil {
					last, firstUnseen = st, time.Time{}
				}
				took := time.Since(start)
				// a reload of a large archive takes seconds of CPU: while another process keeps writing,
				// the next one waits as long as this one took, so that reloads take at most half the time
				next = time.Now().Add(took)
				n, _ := d.Size(ctx)
				w.report(Change{What: "archive", Dispatches: n, Took: took, Err: err})
			}
		}
		if w.ModelFile != "" {
			if st := statFile(w.ModelFile); st != lastModel {
				lastModel = st
				if st.ok {
					start := time.Now()
					err := d.ReloadModel(w.ModelFile)
					n, _ := d.Size(ctx)
					w.report(Change{What: "model", Dispatches: n, Took: time.Since(start), Err: err})
				}
			}
		}
	}
}

func (w *Watcher) report(c Change) {
	if w.OnChange != nil {
		w.OnChange(c)
	}
}

// ErrReadOnly is returned by Add, Label and Retrain on a desk over the built-in corpus.
var ErrReadOnly = errors.New("depeche: the built-in corpus is read-only")

// errNoArchiveFile wraps ErrReadOnly with what to do.
func errNoArchiveFile(what string) error {
	return fmt.Errorf("%w: %s needs an archive file (create one with \"depeche add --archive FILE …\" and serve it with --archive FILE)", ErrReadOnly, what)
}

// Writable returns nil when Add, Label and Retrain can write the desk's archive, else an error wrapping
// ErrReadOnly that says what to do; what names the operation in the message.
func (d *Desk) Writable(what string) error {
	if d.archive == nil {
		return errNoArchiveFile(what)
	}
	return nil
}
