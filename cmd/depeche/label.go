package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/depeche/depeche"
	"github.com/spf13/cobra"
)

func newLabelCmd(s *streams, g *globalOptions) *cobra.Command {
	var remove, replace, asJSON bool
	cmd := &cobra.Command{
		Use:   "label ID LABEL…",
		Short: "Set the labels of an archived dispatch",
		Long: `label adds LABELs to the archived dispatch ID (--remove takes them off; --replace makes them its only
labels). Then "depeche train" with no FILE retrains on the archive's labeled dispatches: the loop add → similar
→ label → train never leaves depeche.

Label ids are lower-case letters, digits and - _ / (for example criminalite-organisee).

EXIT STATUS
  0  success
  1  runtime failure
  2  bad usage (no archive, an unknown ID, a malformed label)`,
		Example: `  depeche label MAP-2019-0412 terrorisme migration
  depeche label --remove MAP-2019-0412 migration`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 2 && !(replace && len(args) == 1) {
				return usagef("label needs an ID and at least one LABEL")
			}
			if remove && replace {
				return usagef("--remove and --replace cannot be used together")
			}
			// lower-cased as add reads labels, checked as the HTTP API checks them (depeche.CheckLabels)
			labels, err := depeche.CheckLabels("label", args[1:])
			if err != nil {
				return &usageError{err}
			}
			copy(args[1:], labels)
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			desk, err := g.openArchiveDesk(false)
			if err != nil {
				return err
			}
			if desk == nil {
				return usagef("no archive to label: import dispatches first with \"depeche add FILE…\" (the built-in corpus is read-only)")
			}
			defer desk.Close()
			id := args[0]
			d, err := desk.Get(cmd.Context(), id)
			if errors.Is(err, depeche.ErrNotFound) {
				return usagef("no archived dispatch has the id %q", id)
			}
			if err != nil {
				return err
			}
			labels := d.Labels
			switch {
			case replace:
				labels = args[1:]
			case remove:
				labels = slices.DeleteFunc(labels, func(l string) bool { return slices.Contains(args[1:], l) })
			default:
				labels = append(labels, args[1:]...)
			}
			if err := desk.Label(cmd.Context(), id, labels); err != nil {
				return err
			}
			d, err = desk.Get(cmd.Context(), id)
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(s.out)
				enc.SetEscapeHTML(false)
				return enc.Encode(struct {
					ID     string   `json:"id"`
					Labels []string `json:"labels"`
				}{id, orEmpty(d.Labels)})
			}
			if !g.quiet {
				fmt.Fprintf(s.out, "%s\t%s\n", id, joinLabels(d.Labels))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&remove, "remove", false, "take the LABELs off")
	cmd.Flags().BoolVar(&replace, "replace", false, "make the LABELs the dispatch's only labels")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the dispatch's labels as JSON")
	return cmd
}
