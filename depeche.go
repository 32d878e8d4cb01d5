package depeche

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/data"
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
}

// Desk is a model and an archive, ready for classify and similar. It is safe for concurrent use.
type Desk struct {
	model    atomic.Pointer[deskModel] // swapped whole by SetModel (Reload): a request keeps the one it read
	archive  *archive.Archive          // nil: the built-in corpus
	analyzer *vectorize.Analyzer

	once    sync.Once
	builtin *archive.Searcher
	berr    error
	index   atomic.Pointer[archive.Searcher] // the archive file held in memory (LoadIndex), nil when cold

	file     atomic.Pointer[search.File] // the archive's index file, mapped, as last found fresh
	fileMu   sync.Mutex                  // one opening or writing of the index file at a time
	indexLog func(string)

	reload sync.Mutex    // one Reload at a time
	gen    atomic.Uint64 // counts the swaps of the index and of the model (Generation)
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

// Size returns the number of dispatches Similar searches.
func (d *Desk) Size(ctx context.Context) (int, error) {
	switch {
	case d.index.Load() != nil:
		return d.index.Load().Index.Len(), nil
	case d.archive != nil:
		return d.archive.Count(ctx)
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
		d.index.Store(archive.NewSearcher(ds, func(t string) []string { return a.AppendTerms(nil, t) }))
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
	if ap != "" {
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

// ArchiveAnalyzer returns the analysis of archive terms and similarity queries: unigrams, Snowball,
// accents folded, numbers kept (a date or a seized tonnage tells one event from another). It is fixed,
// not the model's, so that an archive stays searchable whatever model is trained.
func ArchiveAnalyzer() *vectorize.Analyzer { return vectorize.MustAnalyzer(vectorize.ArchiveOptions) }

// DefaultTerms is the number of evidence words per label Classify gives.
const DefaultTerms = 5

// Classify scores text on every label of the model (see ClassifyResult), with DefaultTerms evidence
// words per label.
func (d *Desk) Classify(text string) ClassifyResult { return d.ClassifyTerms(text, DefaultTerms) }

// ClassifyTerms is Classify with terms evidence words per label.
func (d *Desk) ClassifyTerms(text string, terms int) ClassifyResult {
	v := d.Model().Judge(text, terms)
	return ClassifyResult{Labels: v.Labels, Confidence: &v.Confidence}
}

// Similar returns the k archived dispatches most similar to text that pass f, by descending score, the
// query itself left out (see the package doc).
func (d *Desk) Similar(ctx context.Context, text string, k int, f Filter) ([]SimilarResult, error) {
	if k <= 0 {
		return []SimilarResult{}, nil
	}
	toks := d.analyzer.Analyze(text)
	terms := d.analyzer.TermsOf(nil, text, toks)
	var res []archive.Result
	if x := d.index.Load(); x != nil {
		res = x.Similar(terms, k+1, f)
	} else if d.archive != nil {
		var err error
		if res, err = d.similarFile(ctx, terms, k+1, f); err != nil {
			return nil, archive.Explain(err)
		}
	} else {
		s, err := d.builtinSearcher()
		if err != nil {
			return nil, err
		}
		res = s.Similar(terms, k+1, f)
	}
	return results(res, text, toks, k), nil
}

// Labels returns how many dispatches of the archive (or of the built-in corpus) carry each label.
func (d *Desk) Labels(ctx context.Context) (map[string]int, error) {
	if d.archive != nil {
		in, err := d.archive.Info(ctx)
		if err != nil {
			return nil, archive.Explain(err)
		}
		return in.Labels, nil
	}
	ds, err := data.Corpus()
	counts := map[string]int{}
	for _, x := range ds {
		for _, l := range x.Labels {
			counts[l]++
		}
	}
	return counts, err
}

// Add imports dispatches into the desk's archive file in one transaction (see archive.Archive.Add):
// exact duplicates are skipped, a dispatch whose id is archived with another text is rejected.
func (d *Desk) Add(ctx context.Context, ds []Dispatch) (archive.AddStats, error) {
	if d.archive == nil {
		return archive.AddStats{}, errors.New("depeche: Add needs an archive file: the built-in corpus is read-only (Config.Archive, or CreateArchive)")
	}
	i := 0
	next := func() (archive.Item, bool, error) {
		if i == len(ds) {
			return archive.Item{}, false, nil
		}
		x := ds[i]
		i++
		return archive.Item{Dispatch: x, Terms: d.analyzer.AppendTerms(nil, x.Text)}, true, nil
	}
	st, err := d.archive.Add(ctx, next, nil)
	if err == nil && st.Added > 0 {
		d.writeIndex(ctx)
	}
	return st, err
}

// Label sets the labels of the archived dispatch id (replacing its labels).
func (d *Desk) Label(ctx context.Context, id string, labels []string) error {
	if d.archive == nil {
		return errors.New("depeche: Label needs an archive file: the built-in corpus is read-only")
	}
	err := d.archive.SetLabels(ctx, id, labels)
	if errors.Is(err, archive.ErrNotFound) {
		return fmt.Errorf("%w: dispatch %q", ErrNotFound, id)
	}
	return err
}

// CreateArchive creates the archive file at path (and its directory) if it does not exist and returns a
// Desk over it with the given model (nil: the built-in model).
func CreateArchive(path string, m *models.Model) (*Desk, error) {
	a := ArchiveAnalyzer()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	ar, err := archive.Open(path, a.Fingerprint(), true)
	if err != nil {
		return nil, archive.Explain(err)
	}
	name := "model"
	if m == nil {
		if m, err = builtinModel(); err != nil {
			ar.Close()
			return nil, err
		}
		name = "built-in"
	}
	d := &Desk{archive: ar, analyzer: a}
	d.SetModel(m, name)
	return d, nil
}

func (d *Desk) builtinSearcher() (*archive.Searcher, error) {
	d.once.Do(func() {
		ds, err := data.Corpus()
		if err != nil {
			d.berr = fmt.Errorf("built-in corpus: %w", err)
			return
		}
		if len(ds) == 0 {
			d.berr = errors.New("this depeche was built without its corpus (data/*.tsv)")
			return
		}
		a := d.analyzer
		d.builtin = archive.NewSearcher(ds, func(t string) []string { return a.AppendTerms(nil, t) })
	})
	return d.builtin, d.berr
}

func builtinModel() (*models.Model, error) {
	b := data.Model()
	if b == nil {
		return nil, errors.New("this depeche was built without its built-in model: run \"make model\" and rebuild, or give a model file")
	}
	m, err := models.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("built-in model: %w", err)
	}
	return m, nil
}

// HomeDir returns the data directory of cfg: Home, $DEPECHE_HOME, else $XDG_DATA_HOME/depeche or
// ~/.local/share/depeche.
func (cfg Config) HomeDir() (string, error) {
	if cfg.Home != "" {
		return cfg.Home, nil
	}
	if h := os.Getenv("DEPECHE_HOME"); h != "" {
		return h, nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "depeche"), nil
	}
	u, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find a data directory (%v): set Home or DEPECHE_HOME", err)
	}
	return filepath.Join(u, ".local", "share", "depeche"), nil
}

// modelPath returns the model file to load, or "" for the built-in model.
func (cfg Config) modelPath() (string, error) {
	if cfg.Model != "" {
		return cfg.Model, nil
	}
	h, err := cfg.HomeDir()
	if err != nil {
		return "", nil // no home: the built-in model
	}
	p := filepath.Join(h, "model.depeche")
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	return "", nil
}

// archivePath returns the archive file to open, or "" for the built-in corpus.
func (cfg Config) archivePath() (string, error) {
	if cfg.Archive != "" {
		return cfg.Archive, nil
	}
	h, err := cfg.HomeDir()
	if err != nil {
		return "", nil
	}
	p := filepath.Join(h, "archive.db")
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	return "", nil
}

// results turns archive results into SimilarResults, leaving out the query itself (a dispatch with the
// query's own normalised text) and keeping k; shared terms are shown as the query writes them.
func results(res []archive.Result, text string, toks []vectorize.Token, k int) []SimilarResult {
	self := archive.Hash(text)
	surf := models.Surfaces(text, toks)
	out := []SimilarResult{}
	for _, r := range res {
		if bytes.Equal(r.Hash, self) || len(out) == k {
			continue
		}
		sr := SimilarResult{ID: r.ID, Score: r.Score, Title: r.Title, Date: r.Date, Source: r.Source, Labels: r.Labels, Event: r.Event, Terms: []string{}}
		if sr.Labels == nil {
			sr.Labels = []string{}
		}
		for _, t := range r.Shared {
			sr.Terms = append(sr.Terms, models.SurfaceOf(t, surf))
		}
		out = append(out, sr)
	}
	return out
}
