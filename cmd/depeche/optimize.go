package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newOptimizeCmd(s *streams, g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "optimize",
		Short: "Merge the archive's index segments into one, and check the index",
		Long: `optimize merges the segments of the search index beside the archive (ARCHIVE.idx and its
ARCHIVE.idx.seg-* files: each add writes segments for the dispatches it adds) into one, writing the
index again from the archive first if it is missing, stale or corrupt, then reads it back whole and
checks every checksum and every posting. similar writes the index again when it finds it missing,
stale or corrupt; optimize does it ahead of time (after a crash, before serving a copy, to check the
files) so that the first search finds it ready, in one segment (a query then weighs each term's
postings in place, without gathering them from several files).

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
