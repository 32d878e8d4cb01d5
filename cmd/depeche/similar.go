package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/depeche/depeche"
	"github.com/depeche/depeche/dispatch"
	"github.com/spf13/cobra"
)

type similarOptions struct {
	k      int
	json   bool
	filter depeche.Filter
}

func newSimilarCmd(s *streams, g *globalOptions) *cobra.Command {
	o := &similarOptions{}
	cmd := &cobra.Command{
		Use:   "similar [FILE|-]",
		Short: "List the archived dispatches most similar to an article",
		Long: `similar lists the k archived dispatches most similar to an article, by cosine similarity of TF-IDF
vectors weighted with the archive's current statistics, with the words they share (as the article writes
them). The archive is --archive, else HOME/archive.db, else the built-in corpus.

The article is read from stdin (no FILE or "-") or from FILE; a .tsv, .csv or .jsonl FILE gives one list per
row. A dispatch whose text is the article's own (the same normalised text) is left out of its list.

--json prints {"results": [...]} for one article, one such object per line (with "id") for several.

EXIT STATUS
  0  success (an empty list too)
  1  runtime failure
  2  bad usage or bad input (empty stdin, a bad --since date, a missing --archive file)`,
		Example: `  depeche similar < article.txt
  depeche similar -k 5 --label terrorisme --since 2020-01 article.txt
  depeche similar --json --archive news.db - < article.txt`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return usagef("similar takes one FILE or \"-\", got %d arguments", len(args))
			}
			if err := depeche.CheckK(depeche.Flags.K, o.k); err != nil {
				return &usageError{err}
			}
			return validateFilter(&o.filter)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ds, err := readInputs(s, g, args)
			if err != nil {
				return err
			}
			return runSimilar(cmd, s, g, o, ds)
		},
	}
	f := cmd.Flags()
	f.IntVarP(&o.k, "k", "k", 10, "number of results")
	f.BoolVar(&o.json, "json", false, "JSON output")
	addFilterFlags(cmd, &o.filter)
	return cmd
}

func addFilterFlags(cmd *cobra.Command, f *depeche.Filter) {
	fl := cmd.Flags()
	fl.StringVar(&f.Label, "label", "", "only archived dispatches with this label")
	fl.StringVar(&f.Since, "since", "", "only dispatches dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
	fl.StringVar(&f.Until, "until", "", "only dispatches dated on or before DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
}

// validateFilter normalises and checks the filter flags with the validator the HTTP API uses too
// (depeche.CheckFilter): the same rules and the same messages, with the flags' names.
func validateFilter(f *depeche.Filter) error {
	if err := depeche.CheckFilter(f, depeche.Flags); err != nil {
		return &usageError{err}
	}
	return nil
}

// checkLabel refuses a --label that no dispatch carries (an empty list would look like "nothing
// similar"), naming the labels there are: the desk's check, which the HTTP API makes too.
func checkLabel(ctx context.Context, label string, d *depeche.Desk) error {
	if err := d.CheckLabel(ctx, "--label", label); err != nil {
		var ie *depeche.InvalidError
		if errors.As(err, &ie) {
			return &usageError{err}
		}
		return err
	}
	return nil
}

func runSimilar(cmd *cobra.Command, s *streams, g *globalOptions, o *similarOptions, ds []dispatch.Dispatch) error {
	desk, err := g.openDeskFor(true, false, true)
	if err != nil {
		return err
	}
	defer desk.Close()
	desk.SetIndexLog(func(m string) { fmt.Fprintf(s.errOut, "depeche: %s\n", m) })
	labelChecked := false
	enc := json.NewEncoder(s.out)
	enc.SetEscapeHTML(false)
	for i, d := range ds {
		res, err := desk.Similar(cmd.Context(), d.Text, o.k, o.filter)
		if err != nil {
			return g.archiveError(err)
		}
		// analysed again only when nothing came back, to say why
		if len(res) == 0 && !desk.Searchable(d.Text) {
			fmt.Fprintf(s.errOut, "depeche: warning: %s: the article has no searchable word; no similar dispatch\n", d.ID)
		}
		if len(res) == 0 && o.filter.Label != "" && !labelChecked {
			// only now: counting the labels reads every row of a large archive
			if err := checkLabel(cmd.Context(), o.filter.Label, desk); err != nil {
				return err
			}
			labelChecked = true
		}
		out := depeche.SimilarOutput{Results: res}
		if len(ds) > 1 {
			out.ID = d.ID
		}
		if o.json {
			if err := enc.Encode(out); err != nil {
				return err
			}
			continue
		}
		if !s.outTTY {
			// in a pipe, one line per result; with several articles, the article's id first
			prefix := ""
			if len(ds) > 1 {
				prefix = d.ID + "\t"
			}
			writeSimilarTSV(s.out, prefix, out.Results)
			continue
		}
		if i > 0 {
			fmt.Fprintln(s.out)
		}
		if len(ds) > 1 {
			fmt.Fprintf(s.out, "%s\n", d.ID)
		}
		writeSimilarTable(s.out, out.Results, terminalWidth(s))
	}
	return nil
}

// writeSimilarTSV prints one tab-separated line per result: score, id, date, title, shared words.
func writeSimilarTSV(w io.Writer, prefix string, rs []depeche.SimilarResult) {
	for _, r := range rs {
		terms := r.Terms
		if len(terms) > 10 { // the full list is in --json
			terms = terms[:10]
		}
		fmt.Fprintf(w, "%s%.3f\t%s\t%s\t%s\t%s\n", prefix, r.Score, r.ID, r.Date, r.Title, strings.Join(terms, ","))
	}
}

// writeSimilarTable prints the results as an aligned table, each line cut to width (0: not cut).
func writeSimilarTable(w io.Writer, rs []depeche.SimilarResult, width int) {
	if len(rs) == 0 {
		fmt.Fprintln(w, "no similar dispatch")
		return
	}
	var table bytes.Buffer
	defer func() { writeCut(w, table.String(), width) }()
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SCORE\tID\tDATE\tTITLE\tSHARED WORDS")
	for _, r := range rs {
		title := r.Title
		if len([]rune(title)) > 60 {
			title = string([]rune(title)[:59]) + "…"
		}
		terms := r.Terms
		if len(terms) > 6 {
			terms = terms[:6]
		}
		fmt.Fprintf(tw, "%.3f\t%s\t%s\t%s\t%s\n", r.Score, r.ID, r.Date, title, strings.Join(terms, ", "))
	}
	tw.Flush()
}
