package main

import (
	"slices"

	"github.com/spf13/cobra"
)

// registerCompletions gives the shell completion of cobra (depeche completion bash|zsh|fish|powershell)
// the values of the flags that take one of a few words, and the labels the archive or the model knows
// for --label.
func registerCompletions(root *cobra.Command, g *globalOptions) {
	fixed := map[string]map[string][]string{
		"matrix":   {"format": {"csv", "json", "png", "svg"}, "order": {"cluster", "input", "label"}},
		"export":   {"format": {"tsv", "jsonl"}},
		"train":    {"algo": {"logreg", "nb"}, "stemmer": {"snowball", "none"}, "calibration": {"platt", "none"}},
		"serve":    {"log-format": {"text", "json"}},
		"classify": {},
	}
	for _, c := range root.Commands() {
		for flag, words := range fixed[c.Name()] {
			if c.Flags().Lookup(flag) == nil {
				continue
			}
			ws := words
			c.RegisterFlagCompletionFunc(flag, func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
				return ws, cobra.ShellCompDirectiveNoFileComp
			})
		}
		if c.Flags().Lookup("label") != nil {
			c.RegisterFlagCompletionFunc("label", func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
				return knownLabels(cmd, g), cobra.ShellCompDirectiveNoFileComp
			})
		}
	}
}

// knownLabels returns the labels of the archive (or the built-in corpus), else those of the model.
func knownLabels(cmd *cobra.Command, g *globalOptions) []string {
	d, err := g.openDesk(true, false)
	if err == nil {
		defer d.Close()
		if counts, err := d.Labels(cmd.Context()); err == nil && len(counts) > 0 {
			out := make([]string, 0, len(counts))
			for l := range counts {
				out = append(out, l)
			}
			slices.Sort(out)
			return out
		}
	}
	if m, _, err := g.loadModel(); err == nil {
		return m.Classifier.Labels
	}
	return nil
}
