package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/depeche/depeche/search"
)

// segmentPostings is how many postings a segment of the index holds at most when the index is written
// from the archive (an add writes one at each of its postings flushes): 12 bytes a posting in memory.
const segmentPostings = postingsFlush

// addedSegments is what an add leaves for UpdateIndex: the segments of its dispatches (written before
// its commit, listed by no index file until UpdateIndex), the stamps of the archive before and after it,
// and the first document it added.
type addedSegments struct {
	pre, post []byte
	base      int
	segs      []search.SegmentInfo
	err       error // why the segments could not be written (the index is then written from the archive)
}

// segmenter collects an add's forward rows between postings flushes, and writes them with the flush's
// postings as a segment beside the index file.
type segmenter struct {
	path string
	base int
	rows []uint32
	off  []int64
	out  *addedSegments
}

func (s *segmenter) row(terms, counts []int32) {
	for k, t := range terms {
		s.rows = append(s.rows, uint32(t)<<8|uint32(min(counts[k], 0xff)))
	}
	s.off = append(s.off, int64(len(s.rows)))
}

// flush writes the rows held and the postings of post (the same documents) as a segment. A failure
// stops the segments of this add, not the add: the index is a cache, written from the archive then.
func (s *segmenter) flush(ids []int32, post map[int32]*postingList) {
	if len(s.off) > 1 && s.out.err == nil {
		info, err := search.WriteSegment(s.path, search.SegmentSource{Base: s.base, Rows: [][]uint32{s.rows}, RowOff: s.off, Terms: ids,
			Postings: func(i int) ([]int32, []int32) { p := post[ids[i]]; return p.docs, p.counts }})
		if err != nil {
			s.out.err = err
			search.RemoveSegments(s.path, s.out.segs)
			s.out.segs = nil
		} else {
			s.out.segs = append(s.out.segs, info)
		}
	}
	s.base += len(s.off) - 1
	s.rows, s.off = s.rows[:0], append(s.off[:0], 0)
}

// UpdateIndex brings the index file up to date after an add (st: what Add returned, after its commit):
// the index file written again, small, over the segments it had and those the add wrote for its own
// dispatches; or, when the index file was missing, stale or damaged, or the add could not write its
// segments, the whole index written from the archive (saying so to OnIndex). It returns the index file
// mapped, fresh, for a caller that searches it at once (near-duplicates).
func (a *Archive) UpdateIndex(ctx context.Context, st AddStats) (*search.File, error) {
	ai := st.index
	if ai == nil {
		return a.OpenIndex(ctx)
	}
	if ai.err != nil {
		a.note("the add's index segments were not written (%v): writing the index %s from the archive", ai.err, IndexPath(a.path))
		return a.WriteIndex(ctx)
	}
	if err := a.updateIndex(ctx, ai); err != nil {
		return nil, err
	}
	return a.OpenIndex(ctx)
}

// updateIndex is UpdateIndex's writing, in a read transaction (ended before the index is opened: the
// archive may have one connection).
func (a *Archive) updateIndex(ctx context.Context, ai *addedSegments) error {
	r, err := a.read(ctx)
	if err != nil {
		return err
	}
	defer r.Rollback()
	now, err := r.stamp(ctx, a.fingerprint)
	if err != nil {
		return err
	}
	path := IndexPath(a.path)
	if !bytes.Equal(now, ai.post) {
		// another write since this add: the index of the archive as it is now, from the archive
		search.RemoveSegments(path, ai.segs)
		return a.writeIndex(ctx, r, now)
	}
	segs := ai.segs
	old, oldSegs, err := search.ReadSegments(path)
	switch {
	case ai.base == 0:
		// the add's dispatches are the whole archive
	case err == nil && bytes.Equal(old, ai.pre):
		segs = append(oldSegs, ai.segs...)
	default:
		problem := IndexProblem(err)
		if problem == "" {
			problem = "stale"
		}
		a.note("the index %s is %s: writing it again from the archive", path, problem)
		front, err := a.segmentsOf(ctx, r, ai.base)
		if err != nil {
			return err
		}
		segs = append(front, ai.segs...)
	}
	vocab, err := r.vocabulary(ctx)
	if err != nil {
		return err
	}
	if err := search.WriteIndexFile(path, now, vocab, segs); err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, search.ErrCorrupt) {
			// a segment of the old index file is gone or damaged
			a.note("the index %s is corrupt (%v): writing it again from the archive", path, err)
			search.RemoveSegments(path, ai.segs)
			return a.writeIndex(ctx, r, now)
		}
		return fmt.Errorf("archive: writing the index: %w", err)
	}
	if !bytes.Equal(old, ai.pre) {
		search.RemoveSegments(path, unlisted(oldSegs, segs))
	}
	return nil
}

// restampIndex writes the index file again over its own segments after a migration (mig: migrationOf),
// when it is of the state before it: a migration moves no weight, and without this the first search would
// find the file stale (its stamp names the old format) and write the whole index again from the archive.
// A failure is left to that search.
func (a *Archive) restampIndex(ctx context.Context, mig *addedSegments) {
	if mig.base == 0 {
		return
	}
	if old, _, err := search.ReadSegments(IndexPath(a.path)); err == nil && bytes.Equal(old, mig.pre) {
		a.updateIndex(ctx, mig)
	}
}

// note tells OnIndex, if set.
func (a *Archive) note(format string, args ...any) {
	if a.OnIndex != nil {
		a.OnIndex(fmt.Sprintf(format, args...))
	}
}

// unlisted returns the segments of old that now does not list.
func unlisted(old, now []search.SegmentInfo) []search.SegmentInfo {
	keep := map[string]bool{}
	for _, s := range now {
		keep[s.Name] = true
	}
	var out []search.SegmentInfo
	for _, s := range old {
		if !keep[s.Name] {
			out = append(out, s)
		}
	}
	return out
}

// vocabulary returns the archive's terms by id.
func (r *reader) vocabulary(ctx context.Context) ([]string, error) {
	vocab, _, err := loadTerms(ctx, r)
	if err != nil {
		return nil, err
	}
	terms := make([]string, len(vocab))
	for t, id := range vocab {
		terms[id] = t
	}
	return terms, nil
}

// segmentsOf writes segments of the archive's documents below upTo, from their term lists.
func (a *Archive) segmentsOf(ctx context.Context, r *reader, upTo int) ([]search.SegmentInfo, error) {
	w := search.NewWriter(IndexPath(a.path), segmentPostings)
	rows, err := r.QueryContext(ctx, `SELECT doc, terms FROM dispatches WHERE doc < ? ORDER BY doc`, upTo)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var d search.DocTerms
	next := 0
	fail := func(err error) ([]search.SegmentInfo, error) {
		segs, _ := w.Segments()
		search.RemoveSegments(IndexPath(a.path), segs)
		return nil, err
	}
	for rows.Next() {
		var doc int
		var blob []byte
		if err := rows.Scan(&doc, &blob); err != nil {
			return fail(err)
		}
		if doc != next {
			return fail(fmt.Errorf("archive: dispatch %d does not fit the archive's numbering: the archive is inconsistent", doc))
		}
		next++
		if err := decodeTermsInto(blob, &d); err != nil {
			return fail(err)
		}
		if err := w.Add(d); err != nil {
			return fail(err)
		}
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	if next != upTo {
		return fail(fmt.Errorf("archive: %d dispatches below %d: the archive is inconsistent", next, upTo))
	}
	return w.Segments()
}

// writeIndex writes the whole index from the archive as r sees it (stamped now), replacing the index
// file and removing the segments of the one it replaces.
func (a *Archive) writeIndex(ctx context.Context, r *reader, now []byte) error {
	path := IndexPath(a.path)
	n, err := r.count(ctx)
	if err != nil {
		return err
	}
	segs, err := a.segmentsOf(ctx, r, n)
	if err != nil {
		return err
	}
	vocab, err := r.vocabulary(ctx)
	if err != nil {
		return err
	}
	_, oldSegs, _ := search.ReadSegments(path)
	if err := search.WriteIndexFile(path, now, vocab, segs); err != nil {
		search.RemoveSegments(path, segs)
		return fmt.Errorf("archive: writing the index: %w", err)
	}
	search.RemoveSegments(path, unlisted(oldSegs, segs))
	return nil
}

// Optimize merges the segments of the index file into one (writing the index from the archive first if
// it is not fresh): fewer files, and a term's postings in one piece, that a search maps without a copy.
func (a *Archive) Optimize(ctx context.Context) (*search.File, error) {
	xf, err := a.OpenIndex(ctx)
	if IndexProblem(err) != "" {
		a.note("the index %s is %s: writing it again from the archive", IndexPath(a.path), IndexProblem(err))
		xf, err = a.WriteIndex(ctx)
	}
	if err != nil || len(xf.Segments) <= 1 {
		return xf, err
	}
	if err := a.merge(ctx, xf); err != nil {
		return nil, err
	}
	return a.OpenIndex(ctx)
}

// merge writes the index file over one segment merged from xf's (fresh: checked in the transaction the
// vocabulary is read in).
func (a *Archive) merge(ctx context.Context, xf *search.File) error {
	r, err := a.readFresh(ctx, xf)
	if err != nil {
		return err
	}
	defer r.Rollback()
	path := IndexPath(a.path)
	m, err := search.MergeSegments(path, xf.Segments)
	if err != nil {
		return fmt.Errorf("archive: merging the index's segments: %w", err)
	}
	vocab, err := r.vocabulary(ctx)
	if err != nil {
		return err
	}
	if err := search.WriteIndexFile(path, xf.Stamp, vocab, []search.SegmentInfo{m}); err != nil {
		search.RemoveSegments(path, []search.SegmentInfo{m})
		return fmt.Errorf("archive: writing the index: %w", err)
	}
	search.RemoveSegments(path, xf.Segments)
	return nil
}

// IndexSize returns the size of the index file at path and of the segments it lists.
func IndexSize(path string) int64 {
	var size int64
	if fi, err := os.Stat(path); err == nil {
		size = fi.Size()
	}
	if _, segs, err := search.ReadSegments(path); err == nil {
		for _, s := range segs {
			if fi, err := os.Stat(filepath.Join(filepath.Dir(path), s.Name)); err == nil {
				size += fi.Size()
			}
		}
	}
	return size
}
