package depeche

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/models"
)

// Generation counts the changes of the desk's index file, of its model and of the archive (its own
// writes, and those of other processes a Watcher saw): a value cached from them (label counts, a
// timeline) is current while Generation has not changed.
func (d *Desk) Generation() uint64 { return d.gen.Load() }

// Loaded reports whether the desk is ready to search: LoadIndex has run (the index file is mapped, or
// searches read the archive), or it needs none (the built-in corpus, dispatches given to NewDesk).
func (d *Desk) Loaded() bool { return d.archive == nil || d.ready.Load() }

// Reload maps the archive's index file again when the one mapped is stale (an add since, by another
// process), waiting a moment for that process to write it (it does right after its commit) before
// writing it itself, and swaps it in: a Similar that began on the old file finishes on it. A change of
// labels alone leaves the file as it is (labels change no weight, and every read takes them from the
// archive). Nothing is done for a desk over the built-in corpus or dispatches held in memory.
func (d *Desk) Reload(ctx context.Context) error {
	if d.archive == nil {
		return nil
	}
	d.fileMu.Lock()
	defer d.fileMu.Unlock()
	if xf := d.file.Load(); xf != nil {
		err := d.archive.CheckIndex(ctx, xf)
		if err == nil {
			return nil
		}
		if !errors.Is(err, archive.ErrStaleIndex) {
			return archive.Explain(err)
		}
	}
	_, err := d.mapIndex(ctx, reloadWait)
	if p := archive.IndexProblem(err); p != "" {
		d.file.Store(nil) // searches read the archive until a file can be had
		d.logf("searching the archive without its index (%v)", err)
		return nil
	}
	return archive.Explain(err)
}

// reloadWait is how long a reload waits for the writer that changed the archive to write its index file
// (an add writes it right after its commit: 5–25 s at 100k dispatches on 2 busy cores) before the desk
// writes it itself. Searches answer from the file mapped before meanwhile, so waiting costs nothing but
// the adds' freshness, where writing it twice would take the cores from both.
const reloadWait = time.Minute

// changed notes a change of the archive made by another process (a Watcher saw it): values cached from
// the archive are stale.
func (d *Desk) changed() { d.gen.Add(1) }

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
// the file and its -wal — and when it changed, it says so to the desk (values cached from the archive,
// such as label counts, are made again: Generation) and, when the change was an add (the index file's
// stamp no longer matches), maps the new index file in the background (Desk.Reload; after a reload that
// took t, the next waits t, so that a stream of adds gets at most half of the time). Labels need nothing
// more: every read takes them from the archive. Likewise the model file when its size, time or inode
// changed (a trained model replaces the file by a rename). Requests in flight finish on what they began
// with.
type Watcher struct {
	Desk      *Desk
	Every     time.Duration // 0: 1 s
	ModelFile string        // the model file to follow, even before it exists ("": none)
	OnChange  func(Change)  // called after each reload (of the index file or the model), nil: nothing

	kick chan struct{}
	once sync.Once
	db   *sql.DB
	conn *sql.Conn
	last *archiveState // noted by Load
}

// Load maps the archive's index file (Desk.LoadIndex), noting the archive's state just before, so that
// Run looks again after a commit the load may have missed (one made between the load and Run's first look).
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
	var next time.Time // no reload of the index file before
	stale := false     // an add may have come that the mapped index file does not hold yet
	// a reload runs in the background (it may wait a while for the writer's index file), so that the
	// looks go on and say at once what else changed (labels)
	type reloaded struct {
		err     error
		took    time.Duration
		swapped bool
	}
	var running chan reloaded // not nil while a reload runs
	defer func() {
		if running != nil {
			<-running
		}
	}()
	lastModel := statFile(w.ModelFile)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-w.kick:
		case r := <-running:
			running = nil
			stale = stale || r.err != nil
			if r.err != nil || r.swapped {
				// an add to a large archive takes seconds to index: while another process keeps adding,
				// the next reload waits as long as this one took, so that reloads take at most half the time
				next = time.Now().Add(r.took)
				n, _ := d.Size(ctx)
				w.report(Change{What: "archive", Dispatches: n, Took: r.took, Err: r.err})
			}
		}
		if d.archive != nil {
			if st := w.archiveState(ctx); st != last {
				last = st
				d.changed()
				stale = true
			}
			if stale && running == nil && !time.Now().Before(next) {
				// the state was read before the reload: a commit that lands during it changes it again,
				// and the next look reloads once more
				stale = false
				running = make(chan reloaded, 1)
				go func(done chan<- reloaded) {
					start := time.Now()
					before := d.file.Load()
					err := d.Reload(ctx)
					done <- reloaded{err: err, took: time.Since(start), swapped: d.file.Load() != before}
				}(running)
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
