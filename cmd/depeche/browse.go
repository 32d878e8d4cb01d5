package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/depeche/depeche"
	"github.com/depeche/depeche/dispatch"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// eachDispatch calls fn with every dispatch of the archive (or of the built-in corpus when there is no
// archive, or when builtin is set) that passes f, in archive order.
func eachDispatch(ctx context.Context, g *globalOptions, builtin bool, f depeche.Filter, fn func(dispatch.Dispatch) error) (string, error) {
	var desk *depeche.Desk
	var err error
	if !builtin {
		if desk, err = g.openArchiveDesk(true); err != nil {
			return "", err
		}
	}
	if desk == nil {
		if desk, err = depeche.OpenBuiltinCorpus(); err != nil {
			return "", err
		}
	}
	defer desk.Close()
	where := desk.ArchivePath()
	if where == "" {
		where = "built-in corpus"
	}
	return where, desk.Each(ctx, f, fn)
}

// errStop ends an eachDispatch early without an error.
var errStop = errors.New("stop")

func newListCmd(s *streams, g *globalOptions) *cobra.Command {
	var (
		f      depeche.Filter
		asJSON bool
		limit  int
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the archived dispatches: ids, dates, titles, labels",
		Long: `list prints one line per dispatch of the archive (--archive, else HOME/archive.db, else the built-in
corpus): id, date, labels and title, in archive order. --label, --since and --until filter as in similar.

On a terminal the titles are cut to its width; otherwise the lines are tab-separated (id, date, labels,
title). --json prints one object per dispatch (without its text: "depeche show ID" prints it).

EXIT STATUS
  0  success (an empty list too)
  1  runtime failure
  2  bad usage (a bad date, a missing --archive file)`,
		Example: `  depeche list --label terrorisme --since 2020
  depeche list --json | jq -r .id`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("list takes no argument (filter with --label, --since, --until)")
			}
			if limit < 0 {
				return usagef("--limit %d: must be ≥ 0 (0: no limit)", limit)
			}
			return validateFilter(&f)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			enc := json.NewEncoder(s.out)
			enc.SetEscapeHTML(false)
			width := terminalWidth(s)
			var table bytes.Buffer
			tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
			n := 0
			_, err := eachDispatch(cmd.Context(), g, false, f, func(d dispatch.Dispatch) error {
				if limit > 0 && n == limit {
					return errStop
				}
				n++
				switch {
				case asJSON:
					d.Text = ""
					return enc.Encode(listJSON{ID: d.ID, Date: d.Date, Title: d.Title, Source: d.Source, Labels: orEmpty(d.Labels), Event: d.Event})
				case s.outTTY:
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.ID, orDash(d.Date), orDash(joinLabels(d.Labels)), d.Title)
				default:
					fmt.Fprintf(s.out, "%s\t%s\t%s\t%s\n", d.ID, d.Date, joinLabels(d.Labels), d.Title)
				}
				return nil
			})
			if errors.Is(err, errStop) {
				err = nil
			}
			if err != nil {
				return err
			}
			if s.outTTY && !asJSON {
				tw.Flush()
				return writeCut(s.out, table.String(), width)
			}
			return nil
		},
	}
	addFilterFlags(cmd, &f)
	cmd.Flags().BoolVar(&asJSON, "json", false, "one JSON object per dispatch")
	cmd.Flags().IntVar(&limit, "limit", 0, "at most N dispatches (0: all)")
	return cmd
}

type listJSON struct {
	ID     string   `json:"id"`
	Date   string   `json:"date,omitempty"`
	Title  string   `json:"title,omitempty"`
	Source string   `json:"source,omitempty"`
	Labels []string `json:"labels"`
	Event  string   `json:"event,omitempty"`
}

func newShowCmd(s *streams, g *globalOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Print an archived dispatch whole",
		Long: `show prints the archived dispatch ID (of --archive, else HOME/archive.db, else the built-in corpus): its
metadata, labels and whole text. --json prints it as one JSON object.

EXIT STATUS
  0  success
  1  runtime failure
  2  bad usage (no such ID, a missing --archive file)`,
		Example: `  depeche show TER-0001
  depeche show --json MAP-2019-0412`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("show takes one ID (see \"depeche list\")")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			d, err := findDispatch(cmd.Context(), g, args[0])
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(s.out)
				enc.SetEscapeHTML(false)
				d.Labels = orEmpty(d.Labels)
				return enc.Encode(d)
			}
			for _, f := range []struct{ k, v string }{{"id", d.ID}, {"date", d.Date}, {"source", d.Source}, {"title", d.Title}, {"url", d.URL}, {"labels", joinLabels(d.Labels)}, {"event", d.Event}} {
				if f.v != "" {
					fmt.Fprintf(s.out, "%-7s %s\n", f.k+":", f.v)
				}
			}
			fmt.Fprintf(s.out, "\n%s\n", d.Text)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "JSON output")
	return cmd
}

// findDispatch returns the dispatch with the id from the archive, or from the built-in corpus when there
// is no archive.
func findDispatch(ctx context.Context, g *globalOptions, id string) (dispatch.Dispatch, error) {
	desk, err := g.openArchiveDesk(true)
	if err != nil {
		return dispatch.Dispatch{}, err
	}
	where := "the built-in corpus"
	if desk == nil {
		if desk, err = depeche.OpenBuiltinCorpus(); err != nil {
			return dispatch.Dispatch{}, err
		}
	} else {
		where = desk.ArchivePath()
	}
	defer desk.Close()
	d, err := desk.Get(ctx, id)
	if errors.Is(err, depeche.ErrNotFound) {
		return d, usagef("no dispatch of %s has the id %q (see \"depeche list\")", where, id)
	}
	return d, err
}

func newExportCmd(s *streams, g *globalOptions) *cobra.Command {
	var (
		f       depeche.Filter
		format  string
		out     string
		builtin bool
	)
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Write the archive (or the built-in corpus) as TSV or JSONL",
		Long: `export writes every dispatch of the archive (--archive, else HOME/archive.db, else the built-in corpus;
--builtin: the built-in corpus even when there is an archive) as TSV or JSONL, in the formats that add and
train read: "depeche export --builtin > corpus.tsv && depeche add corpus.tsv" builds an archive on the
built-in data. --label, --since and --until filter as in similar. --out writes a file atomically, with the
format of its extension unless --format says otherwise.

EXIT STATUS
  0  success
  1  runtime failure (a file that cannot be written)
  2  bad usage (an unknown --format, a bad date)`,
		Example: `  depeche export --builtin > corpus.tsv
  depeche export --format jsonl --label terrorisme --out terrorisme.jsonl`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("export takes no argument (write to a file with --out)")
			}
			if format == "" && out != "" {
				format = strings.TrimPrefix(strings.ToLower(fileExt(out)), ".")
				if format != "jsonl" {
					format = "tsv"
				}
			}
			switch format {
			case "", "tsv", "jsonl":
			default:
				return usagef("--format %q: must be one of tsv|jsonl", format)
			}
			return validateFilter(&f)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ft := dispatch.FormatTSV
			if format == "jsonl" {
				ft = dispatch.FormatJSONL
			}
			write := func(w io.Writer) error {
				dw := dispatch.NewWriter(w, ft)
				if _, err := eachDispatch(cmd.Context(), g, builtin, f, dw.Write); err != nil {
					return err
				}
				return dw.Flush()
			}
			if out == "" {
				return write(s.out)
			}
			if err := depeche.WriteFileAtomic(out, write); err != nil {
				return fmt.Errorf("writing %s: %w", out, err)
			}
			return nil
		},
	}
	addFilterFlags(cmd, &f)
	cmd.Flags().StringVar(&format, "format", "", "tsv or jsonl (default: from --out's extension, else tsv)")
	cmd.Flags().StringVar(&out, "out", "", "write to FILE (atomically) instead of stdout")
	cmd.Flags().BoolVar(&builtin, "builtin", false, "export the built-in corpus, even when there is an archive")
	return cmd
}

func fileExt(p string) string {
	if i := strings.LastIndexByte(p, '.'); i >= 0 && !strings.ContainsAny(p[i:], "/\\") {
		return p[i:]
	}
	return ""
}

// joinLabels prints labels as people write them: "a, b".
func joinLabels(ls []string) string { return strings.Join(ls, ", ") }

func orEmpty(ls []string) []string {
	if ls == nil {
		return []string{}
	}
	return ls
}

// terminalWidth returns the width of the terminal stdout is, or 0.
func terminalWidth(s *streams) int {
	if !s.outTTY {
		return 0
	}
	if f, ok := s.out.(*os.File); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil {
			return w
		}
	}
	return 0
}

// writeCut writes text to w with each line cut to width runes (0: as it is), an ellipsis marking a cut.
func writeCut(w io.Writer, text string, width int) error {
	var b strings.Builder
	for _, line := range strings.SplitAfter(text, "\n") {
		nl := strings.HasSuffix(line, "\n")
		line = strings.TrimSuffix(line, "\n")
		if r := []rune(line); width > 1 && len(r) > width {
			line = string(r[:width-1]) + "…"
		}
		b.WriteString(line)
		if nl {
			b.WriteByte('\n')
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
