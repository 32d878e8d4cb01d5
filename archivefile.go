package depeche

import (
	"context"
	"fmt"
	"time"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/data"
)

// ArchiveInfo describes what an archive file holds (info --json): dispatches, labels, dates, vocabulary,
// formats, and the state of its index file.
type ArchiveInfo = archive.Info

// IndexPath returns the index file of the archive file at path (ARCHIVE.idx beside it).
func IndexPath(archivePath string) string { return archive.IndexPath(archivePath) }

// IntegrityCheck runs SQLite's integrity check on the archive file at path and returns its first finding
// ("ok" for a sound file): what to tell a user whose archive is ErrCorrupt.
func IntegrityCheck(path string) string { return archive.IntegrityCheck(path) }

// ExplainArchiveError returns err with a damaged, foreign or newer archive file that SQLite reported in
// its own words named by ErrCorrupt, ErrNotArchive or ErrNewerFormat (errors.Is); other errors are
// returned as they are. The Desk's methods already return explained errors; this is for errors a program
// holds from elsewhere.
func ExplainArchiveError(err error) error { return archive.Explain(err) }

// ArchivePath returns the archive file the desk works on, or "" for the built-in corpus.
func (d *Desk) ArchivePath() string {
	if d.archive == nil {
		return ""
	}
	return d.archive.Path()
}

// ArchiveInfo describes the desk's archive file, or returns nil for the built-in corpus.
func (d *Desk) ArchiveInfo(ctx context.Context) (*ArchiveInfo, error) {
	if d.archive == nil {
		return nil, nil
	}
	in, err := d.archive.Info(ctx)
	return in, archive.Explain(err)
}

// Each calls fn with every dispatch of the archive (or of the built-in corpus) that passes f, with its
// text, in archive order; an error from fn stops it and is returned.
func (d *Desk) Each(ctx context.Context, f Filter, fn func(Dispatch) error) error {
	if d.archive != nil {
		return archive.Explain(d.archive.Each(ctx, f, fn))
	}
	ds, err := data.Corpus()
	if err != nil {
		return err
	}
	for _, x := range ds {
		if MatchFilter(f, x) {
			if err := fn(x); err != nil {
				return err
			}
		}
	}
	return nil
}

// Optimized is what Optimize wrote.
type Optimized struct {
	Path       string // the index file
	Dispatches int
	Postings   int64
	Bytes      int64
	Took       time.Duration
}

// Optimize merges the segments of the archive's index into one (writing the index from the archive first
// when it is missing, stale or corrupt, saying so to the index log), then reads it back whole and checks
// every checksum and every posting, so that the next search finds it ready (after a crash, before
// serving a copy).
func (d *Desk) Optimize(ctx context.Context) (Optimized, error) {
	if d.archive == nil {
		return Optimized{}, errNoArchiveFile("Optimize")
	}
	d.fileMu.Lock()
	defer d.fileMu.Unlock()
	d.file.Store(nil)
	start := time.Now()
	d.archive.OnIndex = func(msg string) { d.logf("%s", msg) }
	xf, err := d.archive.Optimize(ctx)
	if err != nil {
		return Optimized{}, archive.Explain(err)
	}
	if err := xf.Verify(); err != nil {
		return Optimized{}, fmt.Errorf("the index file written does not read back: %w", err)
	}
	o := Optimized{Path: IndexPath(d.archive.Path()), Dispatches: xf.Index.Len(), Postings: int64(xf.Index.NNZ()), Took: time.Since(start)}
	o.Bytes = archive.IndexSize(o.Path)
	return o, nil
}
