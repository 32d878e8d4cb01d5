package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/data"
	"github.com/depeche/depeche/dispatch"
	"github.com/depeche/depeche/search"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
)

type addOptions struct {
	noNear  bool
	json    bool
	builtin bool
}

func newAddCmd(s *streams, g *globalOptions) *cobra.Command {
	o := &addOptions{}
	cmd := &cobra.Command{
		Use:   "add FILE…",
		Short: "Import dispatches into the archive",
		Long: `add imports the dispatches of the FILEs (.txt, .tsv, .csv, .jsonl, or directories of them) into the archive
(--archive, else HOME/archive.db), creating it if needed.

The whole import is one transaction: if it fails or is killed, the archive is as it was. Exact duplicates
(the same text once lower-cased and with spaces normalised) are skipped; bad rows are rejected with their
file:line and the import goes on; near-duplicates (cosine ≥ 0.9 with another archived dispatch) are reported.
A progress bar shows on a terminal; a summary line ends the output.

EXIT STATUS
  0  success (rows may have been rejected: see the summary)
  1  runtime failure (nothing was imported)
  2  bad usage or bad input (no FILE, an unreadable file, an archive of another analysis)`,
		Example: `  depeche add dispatches.tsv
  depeche add --archive news.db archive-2019/ archive-2020/`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && !o.builtin {
				return usagef("add needs at least one FILE (or --with-builtin)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAdd(cmd, s, g, args, o)
		},
	}
	cmd.Flags().BoolVar(&o.noNear, "no-near-duplicates", false, "skip the near-duplicate report (faster for big imports)")
	cmd.Flags().BoolVar(&o.builtin, "with-builtin", false, "import the built-in corpus too (an archive that starts from depeche's own dispatches)")
	cmd.Flags().BoolVar(&o.json, "json", false, "print the summary as JSON, with every rejected row and near-duplicate pair")
	return cmd
}

// prefetchBytes bounds the input (text, and 16 bytes a term) that add analyses before it locks the archive.
const prefetchBytes = 192 << 20

// nearThreshold is the cosine from which two dispatches count as near-duplicates.
const nearThreshold = 0.9

func runAdd(cmd *cobra.Command, s *streams, g *globalOptions, args []string, o *addOptions) error {
	near := !o.noNear
	a := archiveAnalyzer()
	for _, p := range args { // a missing file fails before the archive is created
		if _, err := os.Stat(p); err != nil {
			return &dispatch.InputError{File: p, Err: errors.New("no such file or directory")}
		}
	}
	path, _, err := g.archivePath()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, fs.ErrNotExist)
	ar, err := archive.Open(path, a.Fingerprint(), true)
	if err != nil {
		return archiveErr(path, err)
	}
	defer ar.Close()
	ar.OnWait = g.onWait
	if created && !g.quiet && !o.builtin {
		fmt.Fprintf(s.errOut, "depeche: created the archive %s: similar, list and train now use it instead of the built-in corpus (add --with-builtin to include the built-in corpus)\n", path)
	}
	var builtin []dispatch.Dispatch
	total := inputSize(args)
	if o.builtin {
		if builtin, err = data.Corpus(); err != nil {
			return err
		}
		for _, d := range builtin {
			total += int64(dispatchBytes(d))
		}
	}
	var readBytes atomic.Int64

	// read and analyse in parallel, feed the archive in input order
	type job struct {
		d     dispatch.Dispatch
		terms []string
		done  chan struct{}
	}
	jobs := make(chan *job, 256)
	queue := make(chan *job, 256)
	var readErr error
	var skipped []*dispatch.InputError
	go func() {
		defer close(queue)
		defer close(jobs)
		send := func(d dispatch.Dispatch) error {
			j := &job{d: d, done: make(chan struct{})}
			jobs <- j
			queue <- j
			readBytes.Add(int64(dispatchBytes(d)))
			return cmd.Context().Err()
		}
		for _, d := range builtin {
			if err := send(d); err != nil {
				readErr = err
				return
			}
		}
		for _, p := range args {
			if err := eachLenient(p, g.readOptions(), send, &skipped); err != nil {
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
				j.terms = a.AppendTerms(nil, j.d.Text)
				close(j.done)
			}
		}()
	}
	var bar *progressbar.ProgressBar
	if s.errTTY && !g.quiet {
		// the input's size is known: a bar of bytes, with a rate and the time left
		bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(s.errOut), progressbar.OptionSetDescription("importing"),
			progressbar.OptionShowBytes(true), progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionSetPredictTime(true),
			progressbar.OptionFullWidth(), progressbar.OptionThrottle(100e6), progressbar.OptionClearOnFinish())
	}
	showProgress := func() {
		if bar != nil {
			bar.Set64(min(readBytes.Load(), total))
		}
	}
	pull := func() (archive.Item, bool, error) {
		j, ok := <-queue
		if !ok {
			if readErr != nil {
				return archive.Item{}, false, readErr
			}
			return archive.Item{}, false, nil
		}
		<-j.done
		return archive.Item{Dispatch: j.d, Terms: j.terms}, true, nil
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
			showProgress()
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
	progress := func(n int) {
		if n%256 == 0 {
			showProgress()
		}
	}
	st, err := ar.Add(cmd.Context(), next, progress)
	// drain what the reader may still send after an error
	go func() {
		for range queue {
		}
	}()
	wg.Wait()
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		var ie *dispatch.InputError
		if errors.As(err, &ie) {
			return fmt.Errorf("%w (nothing was imported)", err)
		}
		return fmt.Errorf("import failed, nothing was imported: %w", err)
	}
	if st.Added == 0 && st.Duplicates == 0 && len(st.Rejected) == 0 && len(skipped) == 0 {
		if created { // an archive the user did not have, holding nothing: do not leave it behind
			ar.Close()
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
		}
		return usagef("%s: no dispatch to import (only a header?)", strings.Join(args, ", "))
	}
	rep := addReport{Added: st.Added, Duplicates: st.Duplicates, Archive: path, Rejected: []rejectedRow{}, Near: []nearRow{}}
	for _, e := range skipped {
		where := e.File
		if e.Line > 0 {
			where = fmt.Sprintf("%s:%d", e.File, e.Line)
		}
		rep.Rejected = append(rep.Rejected, rejectedRow{Where: where, Reason: strings.TrimPrefix(e.Error(), where+": ")})
	}
	for _, r := range st.Rejected {
		rep.Rejected = append(rep.Rejected, rejectedRow{Where: r.Where, Reason: r.Reason})
	}
	// the index file follows the archive: the add wrote its segments, the index file now lists them (a
	// crash between the commit and here leaves it stale, which the next search finds by its stamp and
	// writes again); that index finds the near-duplicates
	var x *search.Index
	if st.Added > 0 {
		ar.OnIndex = func(msg string) { fmt.Fprintf(s.errOut, "depeche: %s\n", msg) }
		var xf *search.File
		if xf, err = ar.UpdateIndex(cmd.Context(), st); err == nil {
			x = xf.Index
		} else {
			fmt.Fprintf(s.errOut, "depeche: warning: the index file was not written (%v); the next similar writes it\n", err)
		}
	}
	if near && st.Added > 0 {
		var pairs []archive.NearPair
		if x != nil {
			pairs, err = ar.NearDuplicatesIn(cmd.Context(), x, st.AddedDocs, nearThreshold)
		} else {
			pairs, err = ar.NearDuplicates(cmd.Context(), st.AddedDocs, nearThreshold)
		}
		if err != nil {
			return err
		}
		for _, p := range pairs {
			rep.Near = append(rep.Near, nearRow{ID: p.ID, Other: p.Other, Score: p.Score})
		}
	}
	rep.Total, _ = ar.Count(cmd.Context())
	if o.json {
		enc := json.NewEncoder(s.out)
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	}
	for i, r := range rep.Rejected {
		if i == 20 {
			fmt.Fprintf(s.errOut, "depeche: … and %d more rejected rows (--json lists them all)\n", len(rep.Rejected)-20)
			break
		}
		fmt.Fprintf(s.errOut, "depeche: rejected %s: %s\n", r.Where, r.Reason)
	}
	for i, p := range rep.Near {
		if g.quiet {
			break
		}
		if i == 20 {
			fmt.Fprintf(s.errOut, "depeche: … and %d more near-duplicates (--json lists them all)\n", len(rep.Near)-20)
			break
		}
		fmt.Fprintf(s.errOut, "depeche: near-duplicate: %s ~ %s (cosine %.3f)\n", p.ID, p.Other, p.Score)
	}
	if !g.quiet {
		fmt.Fprintf(s.out, "added %d, duplicates skipped %d, rejected %d, near-duplicates %d; the archive %s holds %d dispatches\n",
			rep.Added, rep.Duplicates, len(rep.Rejected), len(rep.Near), path, rep.Total)
	}
	return nil
}

// addReport is add's summary, as add --json prints it.
type addReport struct {
	Added      int           `json:"added"`
	Duplicates int           `json:"duplicates"`
	Rejected   []rejectedRow `json:"rejected"`
	Near       []nearRow     `json:"near_duplicates"`
	Archive    string        `json:"archive"`
	Total      int           `json:"total"`
}

type rejectedRow struct {
	Where  string `json:"where"`
	Reason string `json:"reason"`
}

type nearRow struct {
	ID    string  `json:"id"`
	Other string  `json:"other"`
	Score float64 `json:"score"`
}

// eachLenient streams a file or directory with bad rows recorded in skipped instead of stopping.
func eachLenient(path string, opt dispatch.Options, fn func(dispatch.Dispatch) error, skipped *[]*dispatch.InputError) error {
	return dispatch.EachWith(path, opt, fn, func(e *dispatch.InputError) { *skipped = append(*skipped, e) })
}

// dispatchBytes is about how many bytes of input a dispatch took, for the progress bar.
func dispatchBytes(d dispatch.Dispatch) int {
	n := len(d.ID) + len(d.Title) + len(d.Date) + len(d.Source) + len(d.URL) + len(d.Event) + len(d.Text) + 8
	for _, l := range d.Labels {
		n += len(l) + 1
	}
	return n
}
