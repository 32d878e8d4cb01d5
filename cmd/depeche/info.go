package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/depeche/depeche"
	"github.com/spf13/cobra"
)

// infoJSON is info --json: the model's description, then the archive's (or the built-in corpus's size).
type infoJSON struct {
	*depeche.ModelInfo
	Archive *depeche.ArchiveInfo      `json:"archive,omitempty"`
	Builtin *struct{ Dispatches int } `json:"builtin_corpus,omitempty"`
}

func newInfoCmd(s *streams, g *globalOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "info",
		Short: "Show what the model and the archive hold",
		Long: `info describes the model in use (labels, thresholds, vocabulary, what it was trained on, its
cross-validated F1) and the archive (dispatches, labels, date range, vocabulary, formats).

EXIT STATUS
  0  success
  1  runtime failure
  2  a missing or corrupt model or archive`,
		Example: `  depeche info
  depeche info --json --model news.depeche --archive news.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			m, path, err := g.loadModel()
			if err != nil {
				return err
			}
			in := &infoJSON{ModelInfo: depeche.DescribeModel(m, path)}
			desk, err := g.openArchiveDesk(true)
			if err != nil {
				return err
			}
			if desk != nil {
				defer desk.Close()
				if in.Archive, err = desk.ArchiveInfo(cmd.Context()); err != nil {
					return err
				}
			} else if ds, err := depeche.BuiltinCorpus(); err == nil {
				in.Builtin = &struct{ Dispatches int }{len(ds)}
			}
			if asJSON {
				enc := json.NewEncoder(s.out)
				enc.SetIndent("", "  ")
				return enc.Encode(in)
			}
			writeInfo(s, in)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "JSON output")
	return cmd
}

func writeInfo(s *streams, in *infoJSON) {
	w := s.out
	fmt.Fprintf(w, "model        %s (format %d, %s)\n", in.Path, in.Format, in.Algo)
	fmt.Fprintf(w, "  trained on %d dispatches", in.TrainedOn)
	if in.Source != "" {
		fmt.Fprintf(w, " from %s", in.Source)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  vocabulary %d terms, analyzer %s\n", in.Vocabulary, in.Analyzer)
	if in.CVMacroF1 != nil {
		fmt.Fprintf(w, "  cross-validated macro-F1 %.3f\n", *in.CVMacroF1)
	}
	fmt.Fprintf(w, "  labels (examples, threshold%s):\n", map[bool]string{true: ", cross-validated F1", false: ""}[in.CVPerLabel != nil])
	for _, l := range in.Labels {
		fmt.Fprintf(w, "    %-24s %6d  %.2f", l, in.LabelCounts[l], in.Thresholds[l])
		if in.CVPerLabel != nil {
			fmt.Fprintf(w, "  %.3f", in.CVPerLabel[l])
		}
		fmt.Fprintln(w)
	}
	if a := in.Archive; a != nil {
		fmt.Fprintf(w, "archive      %s (format %d, %.1f MB)\n", a.Path, a.Format, float64(a.SizeBytes)/1e6)
		fmt.Fprintf(w, "  %d dispatches, %d labeled, dates %s to %s\n", a.Dispatches, a.Labeled, orDash(a.FirstDate), orDash(a.LastDate))
		fmt.Fprintf(w, "  vocabulary %d terms, %d postings, analyzer %s\n", a.Terms, a.Postings, a.Analyzer)
		fmt.Fprintf(w, "  index file %s: %s", depeche.IndexPath(a.Path), a.Index)
		if a.IndexBytes > 0 {
			fmt.Fprintf(w, " (%.1f MB)", float64(a.IndexBytes)/1e6)
		}
		if a.Index != "fresh" {
			fmt.Fprint(w, "; the next similar writes it again, or \"depeche optimize\"")
		}
		fmt.Fprintln(w)
		labels := make([]string, 0, len(a.Labels))
		for l := range a.Labels {
			labels = append(labels, l)
		}
		sort.Strings(labels)
		var parts []string
		for _, l := range labels {
			parts = append(parts, fmt.Sprintf("%s %d", l, a.Labels[l]))
		}
		if len(parts) > 0 {
			fmt.Fprintf(w, "  labels: %s\n", strings.Join(parts, ", "))
		}
	} else if in.Builtin != nil {
		fmt.Fprintf(w, "archive      built-in corpus (%d dispatches); \"depeche add FILE…\" creates your own\n", in.Builtin.Dispatches)
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
