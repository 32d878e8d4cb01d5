package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newOptimizeCmd(s *streams, g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "optimize",
		Short: "Write the archive's index file again from the archive, and check it",
		Long: `optimize writes the search index file beside the archive (ARCHIVE.idx) again from the archive,
then reads it back whole and checks every checksum and every posting. add writes it after each import,
and similar writes it again when it finds it missing, stale or corrupt; optimize does it ahead of time
(after a crash, before serving a copy, to check a file) so that the first search finds it ready.

EXIT STATUS
  0  success
  1  runtime failure (the file could not be written, or does not read back whole)
  2  no archive, or an archive of another analysis`,
		Example: `  depeche optimize --archive news.db`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			desk, err := g.openArchiveDesk(true)
			if err != nil {
				return err
			}
			if desk == nil {
				return usagef("no archive file: optimize needs --archive FILE (or HOME/archive.db)")
			}
			defer desk.Close()
			o, err := desk.Optimize(cmd.Context())
			if err != nil {
				return err
			}
			if !g.quiet {
				fmt.Fprintf(s.out, "wrote and checked %s: %d dispatches, %d postings, %.1f MB, in %.1f s\n",
					o.Path, o.Dispatches, o.Postings, float64(o.Bytes)/1e6, o.Took.Seconds())
			}
			return nil
		},
	}
}
