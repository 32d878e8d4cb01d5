package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/depeche/depeche"
	"github.com/depeche/depeche/dispatch"
)

// archivePath returns the archive file to use and whether it exists: --archive, else HOME/archive.db.
func (g *globalOptions) archivePath() (string, bool, error) {
	p := g.archive
	if p == "" {
		h, err := g.homeDir()
		if err != nil {
			return "", false, err
		}
		p = filepath.Join(h, "archive.db")
	}
	_, err := os.Stat(p)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", false, err
	}
	return p, err == nil, nil
}

// archiveErr names the archive in an error about it; a file that is no archive, a damaged one, one of a
// newer format or of another analysis is bad input (exit 2).
func archiveErr(p string, err error) error {
	err = depeche.ExplainArchiveError(err)
	var ae *depeche.AnalyzerError
	switch {
	case errors.Is(err, depeche.ErrCorrupt):
		return &usageError{fmt.Errorf("%s: %w (PRAGMA integrity_check: %s): restore it from a backup, or import the dispatches again into a new archive", p, err, oneLine(depeche.IntegrityCheck(p)))}
	case errors.Is(err, depeche.ErrNotArchive):
		return &usageError{fmt.Errorf("%s: %w: name a file made by \"depeche add\", or a new path to create one", p, err)}
	case errors.Is(err, depeche.ErrNewerFormat) || errors.As(err, &ae):
		return &usageError{fmt.Errorf("%s: %w", p, err)}
	}
	return fmt.Errorf("%s: %w", p, err)
}

// openModelDesk returns a Desk over the model of the flags (--model, else HOME's, else the built-in one),
// for the commands that only classify: no archive is opened.
func (g *globalOptions) openModelDesk() (*depeche.Desk, error) {
	m, _, err := g.loadModel()
	if err != nil {
		return nil, err
	}
	return depeche.NewDesk(m, nil)
}

// openDesk returns a Desk over the model and the archive of the flags, with the command line's messages
// for missing or damaged files.
//
// withModel loads the model (with its own messages, before the archive's); without it the desk only
// searches (similar, the completion of --label), which spares decoding a model it would not use.
func (g *globalOptions) openDesk(readOnly, withModel bool) (*depeche.Desk, error) {
	return g.openDeskFor(readOnly, withModel, false)
}

// openDeskFor is openDesk; with prefetch, the archive's index file is read beside the archive's opening
// (a command that searches at once).
func (g *globalOptions) openDeskFor(readOnly, withModel, prefetch bool) (*depeche.Desk, error) {
	var m *depeche.Model
	name := ""
	if withModel {
		var err error
		if m, name, err = g.loadModel(); err != nil {
			return nil, err
		}
	}
	p, ok, err := g.archivePath()
	if err != nil {
		return nil, err
	}
	if !ok && g.archive != "" {
		return nil, g.missingArchive()
	}
	home, err := g.homeDir()
	if err != nil {
		return nil, err
	}
	cfg := depeche.Config{Home: home, Model: g.model, ReadOnly: readOnly, OnWait: g.onWait, PrefetchIndex: prefetch}
	if ok {
		cfg.Archive = p
	}
	d, err := depeche.OpenArchive(cfg, m, name)
	if err != nil {
		return nil, archiveErr(p, err)
	}
	return d, nil
}

// archiveError names the archive in an error from a query on it.
func (g *globalOptions) archiveError(err error) error {
	if e := depeche.ExplainArchiveError(err); e != err {
		p, _, _ := g.archivePath()
		return archiveErr(p, e)
	}
	return err
}

// errNoArchive: train with no FILE and no archive.
var errNoArchive = usagef("no FILE given and no archive: name labeled files, use --with-builtin, or import and label dispatches with \"depeche add\" and \"depeche label\"")

func isNoArchive(err error) bool { return err == errNoArchive }

// labeledFromArchive returns the labeled dispatches of the archive (train with no FILE).
func labeledFromArchive(ctx context.Context, g *globalOptions) ([]dispatch.Dispatch, string, error) {
	if _, ok, err := g.archivePath(); err != nil || !ok {
		if err == nil && g.archive != "" {
			return nil, "", g.missingArchive()
		}
		if err == nil {
			err = errNoArchive
		}
		return nil, "", err
	}
	desk, err := g.openDesk(true, false)
	if err != nil {
		return nil, "", err
	}
	defer desk.Close()
	var ds []dispatch.Dispatch
	err = desk.Each(ctx, depeche.Filter{}, func(d dispatch.Dispatch) error {
		if len(d.Labels) > 0 {
			ds = append(ds, d)
		}
		return nil
	})
	return ds, desk.ArchivePath(), err
}

// missingArchive is the error for --archive naming a file that does not exist.
func (g *globalOptions) missingArchive() error {
	return usagef("archive %s not found: create it with \"depeche add --archive %s FILE…\", or omit --archive to search the built-in corpus", g.archive, g.archive)
}

// openArchiveDesk is openDesk for the commands that read or write the archive file itself (list, show,
// export, label, info, optimize): it returns nil, and no error, when there is no archive file (the caller
// then says what to do, or uses the built-in corpus).
func (g *globalOptions) openArchiveDesk(readOnly bool) (*depeche.Desk, error) {
	_, ok, err := g.archivePath()
	if err != nil {
		return nil, err
	}
	if !ok {
		if g.archive != "" {
			return nil, g.missingArchive()
		}
		return nil, nil
	}
	return g.openDesk(readOnly, false)
}
