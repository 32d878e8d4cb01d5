package depeche

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/dispatch"
	"github.com/depeche/depeche/models"
	"github.com/depeche/depeche/search"
	"github.com/depeche/depeche/vectorize"
)

// Dispatch is one news dispatch (see package dispatch).
type Dispatch = dispatch.Dispatch

// Filter restricts Similar to dispatches with a label (exact id) and dates within bounds (YYYY,
// YYYY-MM or YYYY-MM-DD; since inclusive, until inclusive at its precision; undated dispatches are left
// out when a bound is given).
type Filter = archive.Filter

// Config names the files of a Desk. Empty fields fall back as the command line does: Model is
// Home/model.depeche when it exists, else the built-in model; Archive is Home/archive.db when it exists,
// else the built-in corpus; Home is $DEPECHE_HOME, else $XDG_DATA_HOME/depeche or
// ~/.local/share/depeche. A named Model or Archive that does not exist is an error (Add creates a named
// archive).
type Config struct {
	Home     string
	Model    string
	Archive  string
	ReadOnly bool // open the archive read-only (a shared copy; Add and Label then fail)
	// Create creates the archive file (Archive, else Home/archive.db) and its directory when missing,
	// instead of falling back to the built-in corpus or failing: what "depeche add" does.
	Create bool
	// OnWait, when not nil, is called once when a write waits for another process's write to the archive
	// (an add holding the lock): a program tells its user why it pauses.
	OnWait func()
	// PrefetchIndex starts reading the archive's index file at open, beside the opening of the archive
	// itself, for a process that searches at once (`depeche similar`): on two cores the two reads overlap.
	// A prefetched file that is not of the archive's state by then is dropped and the file read again; a
	// desk that never searches has read it for nothing.
	PrefetchIndex bool
}

// Desk is a model and an archive, ready for classify and similar. It is safe for concurrent use.
type Desk struct {
	model    atomic.Pointer[deskModel] // swapped whole by SetModel (Reload): a request keeps the one it read
	archive  *archive.Archive          // nil: the built-in corpus
	analyzer *vectorize.Analyzer

	once    sync.Once
	builtin *archive.Searcher
	berr    error
	mem     *archive.Searcher // dispatches given to NewDesk, nil otherwise

	file       atomic.Pointer[search.File] // the archive's index file, mapped, as last found fresh
	cacheLimit atomic.Int64                // SetIndexCache's bytes (0: no bound)
	fileMu     sync.Mutex                  // one opening or writing of the index file at a time
	stale      atomic.Pointer[search.File] // the mapped file last found stale (an add since)
	refreshing atomic.Bool                 // a background refresh of the index file runs
	ready      atomic.Bool                 // LoadIndex has run: the index file is mapped, or cannot be had
	indexLog   func(string)
	prefetched chan prefetched // Config.PrefetchIndex's file, taken by the first opening of the index

	gen atomic.Uint64 // counts the changes of the index, the model and the archive seen (Generation)
}

// deskModel is a model and its name, swapped together.
type deskModel struct {
	m    *models.Model
	name string
}

// SetModel makes m (read from the file name, or "built-in") the desk's model. Classify calls that
// already began finish with the model they read.
func (d *Desk) SetModel(m *models.Model, name string) {
	d.model.Store(&deskModel{m, name})
	d.gen.Add(1)
}

// Size returns the number of dispatches Similar searches: of an archive file, those of the index file
// mapped (an add by another process counts once its index file is mapped).
func (d *Desk) Size(ctx context.Context) (int, error) {
	switch {
	case d.mem != nil:
		return d.mem.Index.Len(), nil
	case d.archive != nil:
		if xf := d.file.Load(); xf != nil {
			return xf.Index.Len(), nil
		}
		n, err := d.archive.Docs(ctx)
		return n, archive.Explain(err)
	}
	s, err := d.builtinSearcher()
	if err != nil {
		return 0, err
	}
	return s.Index.Len(), nil
}

// ErrNotFound is returned for a file named in Config that does not exist, and by Label for an unknown id.
var ErrNotFound = errors.New("depeche: not found")

// NewDesk returns a Desk over a model (nil: the built-in model) and dispatches held in memory (nil: the
// built-in corpus), for programs and tests that keep their archive themselves.
func NewDesk(m *models.Model, ds []Dispatch) (*Desk, error) {
	if m == nil {
		var err error
		if m, err = builtinModel(); err != nil {
			return nil, err
		}
	}
	d := &Desk{analyzer: ArchiveAnalyzer()}
	d.SetModel(m, "in memory")
	if ds != nil {
		a := d.analyzer
		d.mem = archive.NewSearcher(ds, func(t string) []string { return a.AppendTerms(nil, t) })
	}
	return d, nil
}

// OpenBuiltin returns a Desk over the built-in model and the built-in corpus: nothing to set up.
func OpenBuiltin() (*Desk, error) {
	m, err := builtinModel()
	if err != nil {
		return nil, err
	}
	d := &Desk{analyzer: ArchiveAnalyzer()}
	d.SetModel(m, "built-in")
	return d, nil
}

// OpenBuiltinCorpus returns a Desk over the built-in corpus with no model: for a program that only lists,
// reads or searches the built-in dispatches, which spares decoding the built-in model (Classify then needs
// SetModel first).
func OpenBuiltinCorpus() (*Desk, error) {
	d := &Desk{analyzer: ArchiveAnalyzer()}
	d.SetModel(nil, "")
	return d, nil
}

// Open returns a Desk over the files of cfg (see Config).
func Open(cfg Config) (*Desk, error) {
	mp, err := cfg.modelPath()
	if err != nil {
		return nil, err
	}
	var m *models.Model
	name := "built-in"
	if mp == "" {
		if m, err = builtinModel(); err != nil {
			return nil, err
		}
	} else {
		if m, err = models.Load(mp); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%w: model file %s", ErrNotFound, mp)
			}
			return nil, err
		}
		name = mp
	}
	return OpenArchive(cfg, m, name)
}

// OpenArchive is Open with a model the caller has loaded (named name, for ModelName), or with none (nil):
// a desk that only searches, lists and labels (Classify then needs SetModel first). What a program that
// only looks for similar dispatches should use: decoding a model costs more than a cold search.
func OpenArchive(cfg Config, m *models.Model, name string) (*Desk, error) {
	d := &Desk{analyzer: ArchiveAnalyzer()}
	d.SetModel(m, name)
	ap, err := cfg.archivePath()
	if err != nil {
		return nil, err
	}
	if ap == "" && cfg.Create {
		h, err := cfg.HomeDir()
		if err != nil {
			return nil, err
		}
		ap = filepath.Join(h, "archive.db")
	}
	if ap != "" && cfg.PrefetchIndex && !cfg.Create {
		d.prefetched = make(chan prefetched, 1)
		go func() {
			xf, err := search.OpenFile(archive.IndexPath(ap))
			d.prefetched <- prefetched{xf, err}
		}()
	}
	if ap != "" && cfg.Create {
		if err := os.MkdirAll(filepath.Dir(ap), 0o755); err != nil {
			return nil, err
		}
		d.archive, err = archive.Open(ap, d.analyzer.Fingerprint(), true)
		if err != nil {
			return nil, archive.Explain(err)
		}
	} else if ap != "" {
		if cfg.ReadOnly {
			d.archive, err = archive.OpenReadOnly(ap, d.analyzer.Fingerprint())
		} else {
			d.archive, err = archive.Open(ap, d.analyzer.Fingerprint(), false)
		}
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%w: archive %s", ErrNotFound, ap)
			}
			return nil, archive.Explain(err)
		}
	}
	if d.archive != nil {
		d.archive.OnWait = cfg.OnWait
	}
	return d, nil
}

// Close closes the archive file, if any.
func (d *Desk) Close() error {
	if d.archive != nil {
		return d.archive.Close()
	}
	return nil
}

// Model returns the desk's model; ModelName its file, or "built-in".
func (d *Desk) Model() *models.Model { return d.model.Load().m }

// ModelName returns the model's file, or "built-in".
func (d *Desk) ModelName() string { return d.model.Load().name }

// Archive returns the archive file the desk searches, or nil when it searches the built-in corpus.
func (d *Desk) Archive() *archive.Archive { return d.archive }
