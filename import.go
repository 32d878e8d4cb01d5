package depeche

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/data"
	"github.com/depeche/depeche/dispatch"
)

// ReadOptions say how dispatch files are read (see package dispatch).
type ReadOptions = dispatch.Options

// InputError is a bad file or row of input, with its file and line (see package dispatch).
type InputError = dispatch.InputError

// ImportOptions configure Import. The zero value is what "depeche add FILE…" does.
type ImportOptions struct {
	Read             ReadOptions // how the files are read (the text column of a TSV or CSV)
	Builtin          bool        // import the built-in corpus first
	NoNearDuplicates bool        // skip the near-duplicate report (faster for big imports)
	// Progress, when not nil, is called now and then with the bytes of input read so far and the total
	// size of the input (for a progress bar).
	Progress func(done, total int64)
}

// ImportReport is the summary of an import (add --json).
type ImportReport struct {
	Added      int           `json:"added"`
	Duplicates int           `json:"duplicates"`
	Rejected   []RejectedRow `json:"rejected"`
	Near       []NearRow     `json:"near_duplicates"`
	Archive    string        `json:"archive"`
	Total      int           `json:"total"`
}

// RejectedRow is a row Import left out, where it is (FILE:LINE, or an id) and why.
type RejectedRow struct {
	Where  string `json:"where"`
	Reason string `json:"reason"`
}

// NearRow is a dispatch just imported whose cosine with another archived dispatch reaches
// NearThreshold.
type NearRow struct {
	ID    string  `json:"id"`
	Other string  `json:"other"`
	Score float64 `json:"score"`
}

// NearThreshold is the cosine from which two dispatches count as near-duplicates.
const NearThreshold = 0.9

// prefetchBytes bounds the input (text, and 16 bytes a term) that Import analyses before it locks the
// archive.
const prefetchBytes = 192 << 20

// Import reads the dispatch files and directories paths (.txt, .tsv, .csv, .jsonl) and adds their
// dispatches to the desk's archive file in one transaction: when it fails, or the process dies, the
// archive is as it was. Exact duplicates are skipped; bad rows are rejected with their file:line and the
// import goes on; near-duplicates of the dispatches added are reported. The texts are analysed on every
// core while they are read; the index file is written after the commit.
func (d *Desk) Import(ctx context.Context, paths []string, opt ImportOptions) (*ImportReport, error) {
	if d.archive == nil {
		return nil, errNoArchiveFile("Import")
	}
	a := d.analyzer
	var builtin []Dispatch
	total := InputSize(paths)
	if opt.Builtin {
		var err error
		if builtin, err = data.Corpus(); err != nil {
			return nil, err
		}
		for _, x := range builtin {
			total += int64(dispatchBytes(x))
		}
	}
	var readBytes atomic.Int64
	progress := func() {
		if opt.Progress != nil {
			opt.Progress(min(readBytes.Load(), total), total)
		}
	}

	// read and analyse in parallel, feed the archive in input order
	type job struct {
		x     Dispatch
		terms []string
		hash  []byte
		done  chan struct{}
	}
	jobs := make(chan *job, 256)
	queue := make(chan *job, 256)
	var readErr error
	var skipped []*InputError
	go func() {
		defer close(queue)
		defer close(jobs)
		send := func(x Dispatch) error {
			j := &job{x: x, done: make(chan struct{})}
			jobs <- j
			queue <- j
			readBytes.Add(int64(dispatchBytes(x)))
			return ctx.Err()
		}
		for _, x := range builtin {
			if err := send(x); err != nil {
				readErr = err
				return
			}
		}
		for _, p := range paths {
			err := dispatch.EachWith(p, opt.Read, send, func(e *InputError) { skipped = append(skipped, e) })
			if err != nil {
				readErr = err
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.terms = a.AppendTerms(nil, j.x.Text)
				j.hash = archive.Hash(j.x.Text)
				close(j.done)
			}
		}()
	}
	pull := func() (archive.Item, bool, error) {
		j, ok := <-queue
		if !ok {
			return archive.Item{}, false, readErr
		}
		<-j.done
		return archive.Item{Dispatch: j.x, Terms: j.terms, Hash: j.hash}, true, nil
	}
	// Read and analyse up to prefetchBytes of input before the archive is locked for writing, so that
	// another add or a label waits only for the writing, not for the analysis (an import of tens of
	// thousands of dispatches is analysed whole first). Past the budget the rest is analysed while the
	// lock is held; other writers then wait, saying so, rather than fail.
	var ahead []archive.Item
	var pulled int
	var aheadErr error
	for size := 0; size < prefetchBytes; {
		it, ok, err := pull()
		if err != nil || !ok {
			aheadErr = err
			pull = func() (archive.Item, bool, error) { return archive.Item{}, false, err }
			break
		}
		ahead = append(ahead, it)
		size += len(it.Dispatch.Text) + 16*len(it.Terms)
		if pulled++; pulled%256 == 0 {
			progress()
		}
	}
	if aheadErr != nil {
		ahead = nil
	}
	next := func() (archive.Item, bool, error) {
		if len(ahead) > 0 {
			it := ahead[0]
			ahead[0] = archive.Item{}
			ahead = ahead[1:]
			return it, true, nil
		}
		return pull()
	}
	st, err := d.archive.Add(ctx, next, func(n int) {
		if n%256 == 0 {
			progress()
		}
	})
	// drain what the reader may still send after an error
	go func() {
		for range queue {
		}
	}()
	wg.Wait()
	if err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			return nil, fmt.Errorf("%w (nothing was imported)", err)
		}
		return nil, fmt.Errorf("import failed, nothing was imported: %w", archive.Explain(err))
	}
	progress()
	rep := &ImportReport{Added: st.Added, Duplicates: st.Duplicates, Archive: d.archive.Path(), Rejected: []RejectedRow{}, Near: []NearRow{}}
	for _, e := range skipped {
		where := e.File
		if e.Line > 0 {
			where = fmt.Sprintf("%s:%d", e.File, e.Line)
		}
		rep.Rejected = append(rep.Rejected, RejectedRow{Where: where, Reason: strings.TrimPrefix(e.Error(), where+": ")})
	}
	for _, r := range st.Rejected {
		rep.Rejected = append(rep.Rejected, RejectedRow{Where: r.Where, Reason: r.Reason})
	}
	if rep.Near, err = d.afterAdd(ctx, st, !opt.NoNearDuplicates); err != nil {
		return nil, err
	}
	if rep.Total, err = d.archive.Count(ctx); err != nil {
		return nil, archive.Explain(err)
	}
	return rep, nil
}

// afterAdd brings the index up to date after an add of this desk (the add wrote the segments of its
// dispatches; a new small index file lists them: a crash between the commit and here leaves it stale,
// which the next search finds by its stamp and writes again) and, with near, finds the near-duplicates
// of the dispatches added on that index.
func (d *Desk) afterAdd(ctx context.Context, st archive.AddStats, near bool) ([]NearRow, error) {
	out := []NearRow{}
	if st.Added == 0 {
		return out, nil
	}
	x := d.updateIndex(ctx, st)
	if !near {
		return out, nil
	}
	var pairs []archive.NearPair
	var err error
	if x != nil {
		pairs, err = d.archive.NearDuplicatesIn(ctx, x, st.AddedDocs, NearThreshold)
	} else {
		pairs, err = d.archive.NearDuplicates(ctx, st.AddedDocs, NearThreshold)
	}
	if err != nil {
		return nil, archive.Explain(err)
	}
	for _, p := range pairs {
		out = append(out, NearRow{ID: p.ID, Other: p.Other, Score: p.Score})
	}
	return out, nil
}

// dispatchBytes is about how many bytes of input a dispatch took, for the progress.
func dispatchBytes(x Dispatch) int {
	n := len(x.ID) + len(x.Title) + len(x.Date) + len(x.Source) + len(x.URL) + len(x.Event) + len(x.Text) + 8
	for _, l := range x.Labels {
		n += len(l) + 1
	}
	return n
}

// InputSize returns the total size of the files and directories named (0 for what cannot be read: the
// readers then report it).
func InputSize(paths []string) int64 {
	var n int64
	for _, p := range paths {
		filepath.WalkDir(p, func(_ string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				if info, err := e.Info(); err == nil {
					n += info.Size()
				}
			}
			return nil
		})
	}
	return n
}
