package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/dispatch"
	"github.com/depeche/depeche/server"
	"github.com/depeche/depeche/vectorize"
	"github.com/spf13/cobra"
)

type similarOptions struct {
	k      int
	json   bool
	filter archive.Filter
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
			if o.k < 1 {
				return usagef("-k %d: must be ≥ 1", o.k)
			}
			return validateFilter(o.filter)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ds, err := readInputs(s, args)
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

func addFilterFlags(cmd *cobra.Command, f *archive.Filter) {
	fl := cmd.Flags()
	fl.StringVar(&f.Label, "label", "", "only archived dispatches with this label")
	fl.StringVar(&f.Since, "since", "", "only dispatches dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
	fl.StringVar(&f.Until, "until", "", "only dispatches dated on or before DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
}

func validateFilter(f archive.Filter) error {
	for name, v := range map[string]string{"--since": f.Since, "--until": f.Until} {
		if v == "" {
			continue
		}
		if !(len(v) == 4 && isDigits(v)) && !dispatch.ValidDate(v) {
			return usagef("%s %q: must be YYYY, YYYY-MM or YYYY-MM-DD", name, v)
		}
	}
	return nil
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// finder answers similarity queries from an archive file (cold path) or from an index in memory.
type finder func(terms []string, k int, f archive.Filter) ([]archive.Result, error)

func newFinder(cmd *cobra.Command, g *globalOptions, a *vectorize.Analyzer) (finder, func(), error) {
	ar, err := g.openArchive(a)
	if err != nil {
		return nil, nil, err
	}
	if ar != nil {
		return func(terms []string, k int, f archive.Filter) ([]archive.Result, error) {
			return ar.Similar(cmd.Context(), terms, k, f)
		}, func() { ar.Close() }, nil
	}
	sr, err := builtinSearcher(a)
	if err != nil {
		return nil, nil, err
	}
	return func(terms []string, k int, f archive.Filter) ([]archive.Result, error) {
		return sr.Similar(terms, k, f), nil
	}, func() {}, nil
}

func runSimilar(cmd *cobra.Command, s *streams, g *globalOptions, o *similarOptions, ds []dispatch.Dispatch) error {
	a := archiveAnalyzer()
	find, done, err := newFinder(cmd, g, a)
	if err != nil {
		return err
	}
	defer done()
	enc := json.NewEncoder(s.out)
	enc.SetEscapeHTML(false)
	for i, d := range ds {
		toks := a.Analyze(d.Text)
		terms := a.TermsOf(nil, d.Text, toks)
		if len(terms) == 0 {
			fmt.Fprintf(s.errOut, "depeche: warning: %s: the article has no searchable word; no similar dispatch\n", d.ID)
		}
		res, err := find(terms, o.k+1, o.filter)
		if err != nil {
			return err
		}
		out := server.SimilarOutput{Results: server.Results(res, d.Text, toks, o.k)}
		if len(ds) > 1 {
			out.ID = d.ID
		}
		if o.json {
			if err := enc.Encode(out); err != nil {
				return err
			}
			continue
		}
		if i > 0 {
			fmt.Fprintln(s.out)
		}
		if len(ds) > 1 {
			fmt.Fprintf(s.out, "%s\n", d.ID)
		}
		writeSimilarTable(s.out, out.Results, s.outTTY)
	}
	return nil
}

func writeSimilarTable(w io.Writer, rs []server.SimilarResult, tty bool) {
	if !tty {
		for _, r := range rs {
			terms := r.Terms
			if len(terms) > 10 { // the full list is in --json
				terms = terms[:10]
			}
			fmt.Fprintf(w, "%.3f\t%s\t%s\t%s\t%s\n", r.Score, r.ID, r.Date, r.Title, strings.Join(terms, ","))
		}
		return
	}
	if len(rs) == 0 {
		fmt.Fprintln(w, "no similar dispatch")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
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
