package archive

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"

	"github.com/depeche/depeche/search"
)

// IndexPath returns the index file of the archive at path: path + ".idx", beside it.
func IndexPath(path string) string { return path + ".idx" }

// ErrStaleIndex is returned when the index file does not match the archive as it is now (an add since it
// was written, another archive, a migration): it must be written again (WriteIndex).
var ErrStaleIndex = errors.New("archive: the index file is older than the archive")

// stamp names the state of the archive that the index's statistics depend on: the format, the analysis,
// the last add's batch, the number of dispatches and of terms. Labels are not in it: they change no
// weight, and a search on the index reads them from the archive.
func (r *reader) stamp(ctx context.Context, fingerprint string) ([]byte, error) {
	return stampOf(ctx, r, r.format, fingerprint)
}

// stampOf is the stamp of the archive as q (a read or the write transaction) sees it, in format format.
func stampOf(ctx context.Context, q querier, format int, fingerprint string) ([]byte, error) {
	batch, n, v, err := stateOf(ctx, q)
	if err != nil {
		return nil, err
	}
	fp := sha256.Sum256([]byte(fingerprint))
	return fmt.Appendf(nil, "format %d batch %s docs %d terms %d analysis %x", format, batch, n, v, fp[:8]), nil
}

// stateOf returns what names a state of the archive's statistics: the last add's batch, the number of
// dispatches and of terms (one past the largest number of each: a look-up of the primary keys).
func stateOf(ctx context.Context, q querier) (batch string, n, v int64, err error) {
	err = q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key='batch'`).Scan(&batch)
	if errors.Is(err, sql.ErrNoRows) {
		batch, err = "", nil
	}
	if err != nil {
		return "", 0, 0, err
	}
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(doc)+1, 0) FROM dispatches`).Scan(&n); err != nil {
		return "", 0, 0, err
	}
	if err := q.QueryRowContext(ctx, `SELECT coalesce(max(id)+1, 0) FROM terms`).Scan(&v); err != nil {
		return "", 0, 0, err
	}
	return batch, n, v, nil
}

// WriteIndex writes the whole search index from the archive (one read transaction): segments of its
// dispatches' term lists (search.Writer: a bounded memory whatever the archive's size), then the index
// file over them (search.WriteIndexFile: a temporary file, synced, renamed), stamped with the state it
// was written from; the segments of the index file it replaces are removed. It returns the index file
// mapped, for a caller that searches it at once.
func (a *Archive) WriteIndex(ctx context.Context) (*search.File, error) {
	r, err := a.read(ctx)
	if err != nil {
		return nil, err
	}
	defer r.Rollback()
	st, err := r.stamp(ctx, a.fingerprint)
	if err != nil {
		return nil, err
	}
	err = a.writeIndex(ctx, r, st)
	r.Rollback() // before the open: the archive may have one connection
	if err != nil {
		return nil, err
	}
	return a.OpenIndex(ctx)
}

// OpenIndex maps the archive's index file and its segments (search.OpenFile) and checks that it matches
// the archive: an error wrapping fs.ErrNotExist when there is none (or a segment is missing),
// search.ErrCorrupt when it is damaged, ErrStaleIndex when it is of another state of the archive.
func (a *Archive) OpenIndex(ctx context.Context) (*search.File, error) {
	xf, err := search.OpenFile(IndexPath(a.path))
	// a writer that replaced the index file between our reads of it and of its segments removed the
	// segments of the old one: the new one lists others
	for try := 0; errors.Is(err, fs.ErrNotExist) && try < 3; try++ {
		if _, serr := os.Stat(IndexPath(a.path)); serr != nil {
			break
		}
		xf, err = search.OpenFile(IndexPath(a.path))
	}
	if err != nil {
		return nil, err
	}
	if err := a.CheckIndex(ctx, xf); err != nil {
		return nil, err
	}
	return xf, nil
}

// readFresh begins a read transaction in which xf is fresh (ErrStaleIndex otherwise): every answer
// from an index file checks, in the transaction it reads the archive in, that the file is of that state.
func (a *Archive) readFresh(ctx context.Context, xf *search.File) (*reader, error) {
	r, err := a.read(ctx)
	if err != nil {
		return nil, err
	}
	if err := r.fresh(ctx, a.fingerprint, xf); err != nil {
		r.Rollback()
		return nil, err
	}
	return r, nil
}

// fresh returns ErrStaleIndex unless xf was written from the archive as this transaction sees it.
func (r *reader) fresh(ctx context.Context, fingerprint string, xf *search.File) error {
	st, err := r.stamp(ctx, fingerprint)
	if err != nil {
		return err
	}
	if !bytes.Equal(st, xf.Stamp) {
		return fmt.Errorf("%w (index: %s; archive: %s)", ErrStaleIndex, xf.Stamp, st)
	}
	return nil
}

// IndexProblem describes why an error of OpenIndex means the index must be written again ("missing",
// "stale", "corrupt"), or "" for an error that is not about the index.
func IndexProblem(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "missing"
	case errors.Is(err, ErrStaleIndex):
		return "stale"
	case errors.Is(err, search.ErrCorrupt):
		return "corrupt"
	}
	return ""
}

// SimilarIn is Similar answered from the index file xf: the same dispatches, scores to the last bit and
// shared terms, reading only the pages of the index the query touches, and from the archive only the
// filter's dispatches and the hits' metadata (labels as they are now). It returns ErrStaleIndex when the
// archive changed since xf was written.
func (a *Archive) SimilarIn(ctx context.Context, xf *search.File, terms []string, k int, f Filter) ([]Result, error) {
	r, err := a.readFresh(ctx, xf)
	if err != nil {
		return nil, err
	}
	defer r.Rollback()
	return r.similarOn(ctx, xf, terms, k, f)
}

// similarOn searches xf in the read transaction r: the filter's dispatches and the hits' metadata as r
// sees them.
func (r *reader) similarOn(ctx context.Context, xf *search.File, terms []string, k int, f Filter) ([]Result, error) {
	x := xf.Index
	if x.Len() == 0 || k <= 0 {
		return []Result{}, nil
	}
	allow, err := r.allow(ctx, f, x.Len())
	if err != nil {
		return nil, err
	}
	hits, err := searchMapped(x, terms, k, allow)
	if err != nil {
		return nil, err
	}
	docs := make([]int, len(hits))
	for i, h := range hits {
		docs[i] = h.Doc
	}
	ms, err := r.metasOf(ctx, docs)
	if err != nil {
		return nil, err
	}
	res := make([]Result, len(hits))
	for i, h := range hits {
		res[i] = Result{Meta: ms[i], Score: h.Score, Shared: h.Shared}
	}
	return res, nil
}

// LoadWith reads every dispatch's metadata into a Searcher over the index file xf (which must match the
// archive: ErrStaleIndex otherwise): what a server holds, without the term lists or a second index.
func (a *Archive) LoadWith(ctx context.Context, xf *search.File) (*Searcher, error) {
	r, err := a.readFresh(ctx, xf)
	if err != nil {
		return nil, err
	}
	defer r.Rollback()
	_, metas, err := r.build(ctx, false, true)
	if err != nil {
		return nil, err
	}
	if len(metas) != xf.Index.Len() {
		return nil, fmt.Errorf("%w: %d dispatches, the index %d", ErrStaleIndex, len(metas), xf.Index.Len())
	}
	return &Searcher{Index: xf.Index, Metas: metas}, nil
}

// searchMapped is x.Search on a mapped index file, whose large sections are checksummed only by Verify
// (reading them whole at every open would cost a cold command the time the file saves): a damaged
// document number there fails a bounds check, which comes back as search.ErrCorrupt (the desk then
// writes the file again) instead of a crash. Other panics are bugs and stay panics.
func searchMapped(x *search.Index, terms []string, k int, allow search.Allow) (hits []search.Hit, err error) {
	defer corruptOnRuntimePanic(&hits, &err)
	return x.Search(x.Query(terms), k, allow), nil
}

// corruptOnRuntimePanic, deferred, turns a runtime error (a bounds check that a damaged mapped index
// failed) into search.ErrCorrupt; other panics are bugs and go on.
func corruptOnRuntimePanic(hits *[]search.Hit, err *error) {
	if r := recover(); r != nil {
		re, ok := r.(runtime.Error)
		if !ok {
			panic(r)
		}
		*hits, *err = nil, fmt.Errorf("%w: %v", search.ErrCorrupt, re)
	}
}
