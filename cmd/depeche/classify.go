package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/depeche/depeche"
	"github.com/spf13/cobra"
)

type classifyOptions struct {
	json  bool
	top   int
	terms int
}

func newClassifyCmd(s *streams, g *globalOptions) *cobra.Command {
	o := &classifyOptions{}
	cmd := &cobra.Command{
		Use:   "classify [FILE…|-]",
		Short: "Score articles on every theme the model knows",
		Long: `classify scores each article on every theme (label) the model knows, with a score in [0,1], whether the
theme is predicted, and the words of the article that weighed most for it.

With no FILE or "-", one article is read from stdin. A .txt FILE is one article; .tsv, .csv and .jsonl FILEs
hold one article per row; a directory means every such file inside it.

On a terminal the output is a table with a bar per score; otherwise one tab-separated line per article and
label (id, label, score, predicted, terms). --json prints one JSON object per article, one per line, in input
order.

EXIT STATUS
  0  success
  1  runtime failure
  2  bad usage or bad input: empty stdin, binary data, invalid UTF-8, a table without a text column, a missing
     or corrupt model file`,
		Example: `  echo "Démantèlement d'une cellule terroriste à Tanger" | depeche classify
  depeche classify --json --top 3 articles.tsv
  depeche classify --model my.depeche article.txt`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.top < 0 || o.terms < 0 {
				return usagef("--top and --terms take a number ≥ 0")
			}
			return runClassify(s, g, o, args)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&o.json, "json", false, "one JSON object per article")
	f.IntVar(&o.top, "top", 0, "show only the N best-scored labels (0: all)")
	f.IntVar(&o.terms, "terms", 5, "evidence words per label")
	return cmd
}

func runClassify(s *streams, g *globalOptions, o *classifyOptions, args []string) error {
	ds, err := readInputs(s, g, args)
	if err != nil {
		return err
	}
	desk, err := g.openModelDesk()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(s.out)
	enc.SetEscapeHTML(false)
	tw := tabwriter.NewWriter(s.out, 0, 0, 2, ' ', 0)
	for i, d := range ds {
		res := desk.ClassifyTerms(depeche.ModelText(d), o.terms)
		res.ID = d.ID
		if c := res.Confidence; c.Level == "out-of-domain" {
			fmt.Fprintf(s.errOut, "depeche: warning: %s: %s; its scores say little (the model's priors)\n", d.ID, c.Reason)
		}
		if o.top > 0 && o.top < len(res.Labels) {
			res.Labels = res.Labels[:o.top]
		}
		switch {
		case o.json:
			if err := enc.Encode(res); err != nil {
				return err
			}
		case s.outTTY:
			if i > 0 {
				fmt.Fprintln(tw)
			}
			writeClassifyTable(tw, res)
		default:
			for _, l := range res.Labels {
				fmt.Fprintf(s.out, "%s\t%s\t%.3f\t%v\t%s\n", res.ID, l.Label, l.Score, l.Predicted, strings.Join(l.Terms, ","))
			}
		}
	}
	return tw.Flush()
}

func writeClassifyTable(w io.Writer, res depeche.ClassifyResult) {
	fmt.Fprintf(w, "%s\n", res.ID)
	fmt.Fprintf(w, "  LABEL\tSCORE\t\tEVIDENCE\n")
	for _, l := range res.Labels {
		mark := " "
		if l.Predicted {
			mark = "*"
		}
		fmt.Fprintf(w, "%s %s\t%.2f\t%s\t%s\n", mark, l.Label, l.Score, bar(l.Score, 20), strings.Join(l.Terms, ", "))
	}
	for _, l := range res.Labels {
		if p := l.Passages; p != nil && !l.Predicted {
			fmt.Fprintf(w, "  %s: a passing mention: not in the lead, %.0f %% of the text carries it (%d passages; 30 %% is needed)\n", l.Label, 100*p.Share, p.Count)
		}
	}
	if c := res.Confidence; c != nil && c.Level != "high" {
		fmt.Fprintf(w, "  confidence: %s (%s)\n", c.Level, c.Reason)
	}
}

// bar draws a score in [0,1] as a bar of width cells, with eighth-cell resolution.
func bar(score float64, width int) string {
	if score < 0 {
		score = 0
	}
	if score > 1 {
		score = 1
	}
	eighths := int(score*float64(width*8) + 0.5)
	full, rest := eighths/8, eighths%8
	b := strings.Repeat("█", full)
	if rest > 0 {
		b += string([]rune("▏▎▍▌▋▊▉")[rest-1])
	}
	return b + strings.Repeat(" ", width-len([]rune(b)))
}
