package main

import (
	"fmt"
	"github.com/depeche/depeche"

	"github.com/depeche/depeche/classify"
	"github.com/depeche/depeche/dispatch"
	"github.com/depeche/depeche/vec"
	"github.com/spf13/cobra"
)

func newEvalCmd(s *streams, g *globalOptions) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "eval FILE…",
		Short: "Evaluate the model on labeled dispatches",
		Long: `eval predicts the themes of labeled dispatches with the model and compares them with their labels:
precision, recall and F1 per label, micro and macro F1 (over the labels of the model and of the files), and
subset accuracy. Labels of the files that the model does not know count with F1 0 and are named on stderr.

EXIT STATUS
  0  success
  1  runtime failure
  2  bad usage or bad input (no FILE, no labels, a malformed file, a missing or corrupt model)`,
		Example: `  depeche eval test.tsv
  depeche eval --json --model news.depeche test.tsv`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("eval needs at least one labeled FILE")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			ds, err := dispatch.LoadAllWith(args, g.readOptions())
			if err != nil {
				return err
			}
			m, _, err := g.loadModel()
			if err != nil {
				return err
			}
			rep, unknown, err := evaluate(ds, m.Classifier, m.Vectorize)
			if err != nil {
				return err
			}
			if len(unknown) > 0 {
				fmt.Fprintf(s.errOut, "depeche: warning: labels unknown to the model (counted with F1 0): %v\n", unknown)
			}
			if asJSON {
				return writeReportJSON(s.out, rep)
			}
			fmt.Fprintf(s.out, "evaluation on %d dispatches\n", len(ds))
			writeReportTable(s.out, rep)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the metrics as JSON")
	return cmd
}

func evaluate(ds []dispatch.Dispatch, c *classify.Model, vectorize func(string) vec.Vector) (*classify.Report, []string, error) {
	known := map[string]bool{}
	for _, l := range c.Labels {
		known[l] = true
	}
	labels := append([]string(nil), c.Labels...)
	var unknown []string
	truth := make([][]string, len(ds))
	pred := make([][]string, len(ds))
	any := false
	for i, d := range ds {
		truth[i] = d.Labels
		any = any || len(d.Labels) > 0
		for _, l := range d.Labels {
			if !known[l] {
				known[l] = true
				labels = append(labels, l)
				unknown = append(unknown, l)
			}
		}
		pred[i] = c.Predict(vectorize(depeche.ModelText(d)))
	}
	if !any {
		return nil, nil, usagef("no dispatch carries a label: eval needs a labels column")
	}
	return classify.Evaluate(truth, pred, labels), unknown, nil
}
