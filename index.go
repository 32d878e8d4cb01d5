package depeche

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/search"
)

// The archive's index file (archive.IndexPath: ARCHIVE.idx beside it, over its segment files) lets a
// process answer Similar without reading the archive: it is mapped, and a query reads only the pages it
// touches. An Add of the desk writes the segments of its dispatches and a new small index file over
// them (archive.UpdateIndex), never the whole index again. The archive
// stays the truth: the file is stamped with the state it was built from, and a desk that finds it
// missing, stale (an add since) or corrupt writes it again from the archive, saying so to its index log;
// a desk that cannot write it (a directory it may not write) searches the archive itself (the cold path),
// with the same results.

// SetIndexLog sets where the desk says that it writes the index file again, or searches without it (one
// line each time; nil: nowhere).
func (d *Desk) SetIndexLog(f func(msg string)) { d.indexLog = f }

func (d *Desk) logf(format string, a ...any) {
	if d.indexLog != nil {
		d.indexLog(fmt.Sprintf(format, a...))
	}
}

// indexFile returns the archive's index file, mapped and fresh, writing it first when it must be.
func (d *Desk) indexFile(ctx context.Context, wait time.Duration) (*search.File, error) {
	if xf := d.file.Load(); xf != nil {
		return xf, nil
	}
	d.fileMu.Lock()
	defer d.fileMu.Unlock()
	if xf := d.file.Load(); xf != nil {
		return xf, nil
	}
	xf, err := d.archive.OpenIndex(ctx)
	// an add writes the index right after its commit: a server that saw the commit first waits for it
	for end := time.Now().Add(wait); errors.Is(err, archive.ErrStaleIndex) && time.Now().Before(end); {
		time.Sleep(100 * time.Millisecond)
		xf, err = d.archive.OpenIndex(ctx)
	}
	if p := archive.IndexProblem(err); p != "" {
		// a read-only archive too: the index file is a cache beside it, written when its directory lets it
		d.logf("the index %s is %s: writing it again from the archive", archive.IndexPath(d.archive.Path()), p)
		if _, werr := d.archive.WriteIndex(ctx); werr != nil {
			return nil, fmt.Errorf("%w (%v)", err, werr)
		}
		xf, err = d.archive.OpenIndex(ctx)
	}
	if err != nil {
		return nil, err
	}
	d.file.Store(xf)
	return xf, nil
}

// LoadIndex maps the archive's index file (writing it first when it is missing or stale) and reads every
// dispatch's metadata into memory, so that Similar answers from the index with no read of the archive
// but the filter's (what a server wants: about 1 ms a query at 100k dispatches). Adds made after it are
// not seen until LoadIndex is called again.
func (d *Desk) LoadIndex(ctx context.Context) error {
	return d.loadIndex(ctx, 0)
}

func (d *Desk) loadIndex(ctx context.Context, wait time.Duration) error {
	if d.archive == nil {
		_, err := d.builtinSearcher()
		return err
	}
	s, err := d.loadFile(ctx, wait)
	if err != nil {
		return archive.Explain(err)
	}
	d.index.Store(s)
	d.gen.Add(1)
	return nil
}

// similarFile is Similar on the archive file: from its index file when it can be had, else from the
// archive itself.
func (d *Desk) similarFile(ctx context.Context, terms []string, k int, f Filter) ([]archive.Result, error) {
	var err error
	for range 2 {
		var xf *search.File
		if xf, err = d.indexFile(ctx, 0); err != nil {
			break
		}
		res, serr := d.archive.SimilarIn(ctx, xf, terms, k, f)
		if errors.Is(serr, search.ErrCorrupt) {
			// damage in a section that opening does not check: the file is a cache, write it again
			d.logf("the index %s is corrupt (%v): writing it again from the archive", archive.IndexPath(d.archive.Path()), serr)
			d.writeIndex(ctx)
		} else if !errors.Is(serr, archive.ErrStaleIndex) {
			return res, serr
		}
		err = serr
		d.file.CompareAndSwap(xf, nil) // an add since: open (or write) the new one
	}
	if archive.IndexProblem(err) == "" {
		return nil, err
	}
	d.logf("searching the archive without its index (%v)", err)
	return d.archive.Similar(ctx, terms, k, f)
}

// loadFile is LoadIndex for an archive file: the index file mapped, the metadata in memory. wait is how
// long a stale index file is waited for (the add that made it stale writes it after its commit) before
// the desk writes it itself. A desk that cannot have an index file (read-only, none) builds the index in
// memory.
func (d *Desk) loadFile(ctx context.Context, wait time.Duration) (*archive.Searcher, error) {
	var err error
	for range 2 {
		var xf *search.File
		if xf, err = d.indexFile(ctx, wait); err != nil {
			break
		}
		s, lerr := d.archive.LoadWith(ctx, xf)
		if !errors.Is(lerr, archive.ErrStaleIndex) {
			return s, lerr
		}
		err = lerr
		d.file.CompareAndSwap(xf, nil)
	}
	if archive.IndexProblem(err) == "" {
		return nil, err
	}
	d.logf("loading the archive without its index (%v)", err)
	return d.archive.Load(ctx)
}

// writeIndex writes the index file again from the archive (a damaged one), so that the next search maps
// it.
func (d *Desk) writeIndex(ctx context.Context) {
	d.fileMu.Lock()
	defer d.fileMu.Unlock()
	d.file.Store(nil)
	if _, err := d.archive.WriteIndex(ctx); err != nil {
		d.logf("warning: the index file was not written (%v); the next similar writes it", err)
	}
}

// updateIndex brings the index file up to date after a write of this desk (Add, Import): the add's
// segments listed in a new small index file (archive.UpdateIndex), so that the next search maps it. It
// returns the index (nil when it could not be written: the index log says why).
func (d *Desk) updateIndex(ctx context.Context, st archive.AddStats) *search.Index {
	d.fileMu.Lock()
	defer d.fileMu.Unlock()
	d.file.Store(nil)
	d.archive.OnIndex = func(msg string) { d.logf("%s", msg) }
	xf, err := d.archive.UpdateIndex(ctx, st)
	if err != nil {
		d.logf("warning: the index file was not written (%v); the next similar writes it", err)
		return nil
	}
	d.file.Store(xf)
	return xf.Index
}
