package main

import (
	"errors"
	"fmt"

	"github.com/depeche/depeche"
	"github.com/depeche/depeche/dispatch"
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
			rep, unknown, err := depeche.Evaluate(m, ds)
			if errors.Is(err, depeche.ErrNoLabels) {
				return usagef("no dispatch carries a label: eval needs a labels column")
			}
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
