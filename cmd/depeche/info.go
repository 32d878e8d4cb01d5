package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/data"
	"github.com/depeche/depeche/models"
	"github.com/spf13/cobra"
)

type modelInfo struct {
	Path        string                    `json:"path"`
	Format      int                       `json:"format"`
	Algo        string                    `json:"algo"`
	Labels      []string                  `json:"labels"`
	Thresholds  map[string]float32        `json:"thresholds"`
	Exclusive   bool                      `json:"exclusive"`
	Vocabulary  int                       `json:"vocabulary"`
	Analyzer    string                    `json:"analyzer"`
	TrainedOn   int                       `json:"trained_on"`
	LabelCounts map[string]int            `json:"label_counts"`
	CVMacroF1   *float64                  `json:"cv_macro_f1,omitempty"`
	CVPerLabel  map[string]float64        `json:"cv_f1,omitempty"`
	Source      string                    `json:"source,omitempty"`
	Archive     *archive.Info             `json:"archive,omitempty"`
	Builtin     *struct{ Dispatches int } `json:"builtin_corpus,omitempty"`
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
			in := describeModel(m, path)
			ar, err := g.openArchive(archiveAnalyzer())
			if err != nil {
				return err
			}
			if ar != nil {
				defer ar.Close()
				if in.Archive, err = ar.Info(cmd.Context()); err != nil {
					return err
				}
			} else if ds, err := data.Corpus(); err == nil {
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

func describeModel(m *models.Model, path string) *modelInfo {
	c := m.Classifier
	in := &modelInfo{Path: path, Format: int(m.Format), Algo: string(c.Algo), Labels: c.Labels, Exclusive: c.Exclusive,
		Thresholds: map[string]float32{}, Vocabulary: len(m.Vectorizer.Terms()), Analyzer: m.Vectorizer.Analyzer.Fingerprint(),
		TrainedOn: m.Info.Docs, LabelCounts: m.Info.LabelCounts, Source: m.Info.Source}
	for l, t := range c.Thresholds {
		in.Thresholds[c.Labels[l]] = t
	}
	if m.Info.CV != nil {
		in.CVMacroF1 = &m.Info.CV.MacroF1
		in.CVPerLabel = map[string]float64{}
		for l, lm := range m.Info.CV.PerLabel {
			in.CVPerLabel[l] = lm.F1
		}
	}
	return in
}

func writeInfo(s *streams, in *modelInfo) {
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
		fmt.Fprintf(w, "  index file %s: %s", archive.IndexPath(a.Path), a.Index)
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
