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
//
// A desk holds no dispatch's metadata: a search reads the filter's dispatches and its hits' metadata from
// the archive in the read transaction that checks the file's stamp, and listings, timelines and label
// counts are indexed queries of the archive. What another process labels is therefore in the next answer;
// what it adds, once its index file is mapped. Between that process's commit and its index file (it
// writes it right after), a search answers from the file mapped before — the archive as it was before
// the add, with today's labels — while the new file is waited for in the background.

// SetIndexLog sets where the desk says that it writes the index file again, or searches without it (one
// line each time; nil: nowhere).
func (d *Desk) SetIndexLog(f func(msg string)) { d.indexLog = f }

func (d *Desk) logf(format string, a ...any) {
	if d.indexLog != nil {
		d.indexLog(fmt.Sprintf(format, a...))
	}
}

// indexFile returns the archive's index file mapped last (fresh when it was mapped; the caller's read
// checks it again), mapping it first when none is, written first when it must be.
func (d *Desk) indexFile(ctx context.Context) (*search.File, error) {
	if xf := d.file.Load(); xf != nil {
		return xf, nil
	}
	d.fileMu.Lock()
	defer d.fileMu.Unlock()
	if xf := d.file.Load(); xf != nil {
		return xf, nil
	}
	return d.mapIndex(ctx, 0)
}

// mapIndex opens the archive's index file, waiting up to wait for the writer of a stale one (an add
// writes it right after its commit) and then writing it itself, and makes it the desk's; with a wait (a
// reload) it is first warmed from the file it replaces. d.fileMu is held.
func (d *Desk) mapIndex(ctx context.Context, wait time.Duration) (*search.File, error) {
	if wait > 0 {
		// the file's header only, until it is of the archive's state (opening it checks more)
		for end := time.Now().Add(wait); time.Now().Before(end); {
			if ok, err := d.archive.IndexFresh(ctx); ok || err != nil {
				break
			}
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	xf, err := d.openIndex(ctx)
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
	d.limitCache(xf)
	d.swapIn(xf, wait > 0)
	return xf, nil
}

// prefetched is an index file read at open (Config.PrefetchIndex).
type prefetched struct {
	xf  *search.File
	err error
}

// openIndex opens the archive's index file: the one prefetched at open when there is one and it is of
// the archive's state (an add by another process may have replaced it since), else the file as it is now.
func (d *Desk) openIndex(ctx context.Context) (*search.File, error) {
	if d.prefetched != nil {
		p := <-d.prefetched
		d.prefetched = nil // d.fileMu is held
		if p.err == nil && d.archive.CheckIndex(ctx, p.xf) == nil {
			return p.xf, nil
		}
	}
	return d.archive.OpenIndex(ctx)
}

// SetIndexCache bounds the memory the archive's index keeps of the postings its searches have weighed
// (8 bytes a posting; 0, the default: no bound): past it they are all dropped and weighed again as
// searches need them (search.Index.SetCacheLimit). serve bounds it (DefaultIndexCache) so that its
// resident memory stays bounded; one-shot commands and imports need no bound.
func (d *Desk) SetIndexCache(bytes int64) {
	d.cacheLimit.Store(max(bytes, 0))
	if xf := d.file.Load(); xf != nil {
		d.limitCache(xf)
	}
}

// IndexCache returns SetIndexCache's bound (0: none).
func (d *Desk) IndexCache() int64 { return d.cacheLimit.Load() }

// DefaultIndexCache is serve's bound on weighed postings (SetIndexCache).
const DefaultIndexCache = 256 << 20

func (d *Desk) limitCache(xf *search.File) { xf.Index.SetCacheLimit(d.cacheLimit.Load()) }

// LoadIndex maps the archive's index file, writing it first when it is missing or stale, so that Similar
// answers from it (what a server wants: about 1 ms a query at 100k dispatches, and a start-up that reads
// nothing else of the archive). No metadata is held: see Similar and List. When the file cannot be had
// (it cannot be written beside a read-only archive), searches read the archive itself.
func (d *Desk) LoadIndex(ctx context.Context) error {
	if d.archive == nil {
		_, err := d.builtinSearcher()
		return err
	}
	_, err := d.indexFile(ctx)
	if err != nil && archive.IndexProblem(err) == "" {
		return archive.Explain(err)
	}
	if err != nil {
		d.logf("searching the archive without its index (%v)", err)
	}
	d.ready.Store(true)
	return nil
}

// similarFile is Similar on the archive file: from its index file when it can be had, else from the
// archive itself.
func (d *Desk) similarFile(ctx context.Context, terms []string, k int, f Filter) ([]archive.Result, error) {
	var err error
	for range 2 {
		var xf *search.File
		if xf, err = d.indexFile(ctx); err != nil {
			break
		}
		var res []archive.Result
		serr := archive.ErrStaleIndex
		if d.stale.Load() != xf { // a file once stale stays so: its stamp is of a state gone
			res, serr = d.archive.SimilarIn(ctx, xf, terms, k, f)
		}
		if errors.Is(serr, archive.ErrStaleIndex) {
			// an add since (another process's, whose index file follows its commit): answer from this
			// file while the new one is mapped in the background
			d.stale.Store(xf)
			d.refreshLater()
			res, serr = d.archive.SimilarBefore(ctx, xf, terms, k, f)
		}
		if errors.Is(serr, search.ErrCorrupt) {
			// damage in a section that opening does not check: the file is a cache, write it again
			d.logf("the index %s is corrupt (%v): writing it again from the archive", archive.IndexPath(d.archive.Path()), serr)
			d.writeIndex(ctx)
		} else if !errors.Is(serr, archive.ErrStaleIndex) {
			return res, serr
		}
		err = serr
		d.file.CompareAndSwap(xf, nil) // not an older state of this archive: open (or write) the one of now
	}
	if archive.IndexProblem(err) == "" {
		return nil, err
	}
	d.logf("searching the archive without its index (%v)", err)
	return d.archive.Similar(ctx, terms, k, f)
}

// refreshLater maps the archive's new index file in the background (Reload), unless that runs already.
func (d *Desk) refreshLater() {
	if !d.refreshing.CompareAndSwap(false, true) {
		return
	}
	go func() {
		defer d.refreshing.Store(false)
		if err := d.Reload(context.Background()); err != nil {
			d.logf("the new index was not mapped (%v): the next search tries again", err)
		}
	}()
}

// writeIndex writes the whole index again from the archive (a damaged one) and maps it, and returns the
// index written (nil when it could not be written: the index log says why). Searches meanwhile answer
// from the file mapped before (as in similarFile).
func (d *Desk) writeIndex(ctx context.Context) *search.Index {
	return d.mapWritten(func() (*search.File, error) { return d.archive.WriteIndex(ctx) })
}

// updateIndex brings the index up to date after a write of this desk (Add, Import): the add's segments
// listed in a new small index file (archive.UpdateIndex, which writes the whole index again when the old
// one was missing, stale or corrupt, saying so to the index log), mapped; it returns the index (nil when
// it could not be written: the index log says why). Searches meanwhile answer from the file mapped
// before.
func (d *Desk) updateIndex(ctx context.Context, st archive.AddStats) *search.Index {
	return d.mapWritten(func() (*search.File, error) { return d.archive.UpdateIndex(ctx, st) })
}

// mapWritten runs write (WriteIndex or UpdateIndex) under the index lock and maps the file it wrote.
func (d *Desk) mapWritten(write func() (*search.File, error)) *search.Index {
	d.fileMu.Lock()
	defer d.fileMu.Unlock()
	d.archive.OnIndex = func(msg string) { d.logf("%s", msg) }
	xf, err := write()
	if err != nil {
		d.logf("warning: the index file was not written (%v); the next similar writes it", err)
		d.file.Store(nil)
		return nil
	}
	d.limitCache(xf)
	// not warmed: after an import the process has most often nothing more to search
	d.swapIn(xf, false)
	return xf.Index
}

// swapIn makes xf the desk's index file, warmed first from the one it replaces when warm (the postings
// its searches had weighed: search.Index.WarmFrom, so that the searches after the swap are not all cold
// at once), whose weighed postings are then released (search.Index.Release: they live outside the Go
// heap, where the collector would not hurry to free them). d.fileMu is held.
func (d *Desk) swapIn(xf *search.File, warm bool) {
	old := d.file.Load()
	if warm && old != nil && old != xf {
		xf.Index.WarmFrom(old.Index)
	}
	if old = d.file.Swap(xf); old != nil && old != xf {
		go old.Index.Release() // once the searches that began on it end
	}
	d.gen.Add(1)
}

// IndexWeighed returns how many terms of the mapped index file have their postings weighed, and the
// bytes those take (search.Index.Weighed); 0, 0 when no index file is mapped.
func (d *Desk) IndexWeighed() (terms int, bytes int64) {
	if xf := d.file.Load(); xf != nil {
		return xf.Index.Weighed()
	}
	return 0, 0
}
