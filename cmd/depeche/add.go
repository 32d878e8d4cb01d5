package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/depeche/depeche"
	"github.com/depeche/depeche/dispatch"
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

func runAdd(cmd *cobra.Command, s *streams, g *globalOptions, args []string, o *addOptions) error {
	for _, p := range args { // a missing file fails before the archive is created
		if _, err := os.Stat(p); err != nil {
			return &dispatch.InputError{File: p, Err: errors.New("no such file or directory")}
		}
	}
	path, _, err := g.archivePath()
	if err != nil {
		return err
	}
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, fs.ErrNotExist)
	desk, err := depeche.OpenArchive(depeche.Config{Archive: path, Create: true, OnWait: g.onWait}, nil, "")
	if err != nil {
		return archiveErr(path, err)
	}
	defer desk.Close()
	desk.SetIndexLog(func(m string) { fmt.Fprintf(s.errOut, "depeche: %s\n", m) })
	if created && !g.quiet && !o.builtin {
		fmt.Fprintf(s.errOut, "depeche: created the archive %s: similar, list and train now use it instead of the built-in corpus (add --with-builtin to include the built-in corpus)\n", path)
	}
	opt := depeche.ImportOptions{Read: g.readOptions(), Builtin: o.builtin, NoNearDuplicates: o.noNear}
	var bar *progressbar.ProgressBar
	if s.errTTY && !g.quiet {
		// the input's size is known: a bar of bytes, with a rate and the time left
		bar = progressbar.NewOptions64(1, progressbar.OptionSetWriter(s.errOut), progressbar.OptionSetDescription("importing"),
			progressbar.OptionShowBytes(true), progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionSetPredictTime(true),
			progressbar.OptionFullWidth(), progressbar.OptionThrottle(100e6), progressbar.OptionClearOnFinish())
		opt.Progress = func(done, total int64) {
			bar.ChangeMax64(total)
			bar.Set64(done)
		}
	}
	rep, err := desk.Import(cmd.Context(), args, opt)
	if bar != nil {
		bar.Finish()
	}
	if err != nil {
		return err
	}
	if rep.Added == 0 && rep.Duplicates == 0 && len(rep.Rejected) == 0 {
		if created { // an archive the user did not have, holding nothing: do not leave it behind
			desk.Close()
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(path + suffix)
			}
		}
		return usagef("%s: no dispatch to import (only a header?)", strings.Join(args, ", "))
	}
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
