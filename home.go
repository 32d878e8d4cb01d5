package depeche

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/data"
	"github.com/depeche/depeche/models"
)

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

// BuiltinCorpus returns the dispatches of the built-in corpus (the project's own, embedded), with their
// labels: what a desk searches when there is no archive file, and what the built-in model learned from.
func BuiltinCorpus() ([]Dispatch, error) { return data.Corpus() }
