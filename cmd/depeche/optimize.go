package main

import (
	"fmt"
	"time"

	"github.com/depeche/depeche/archive"
	"github.com/spf13/cobra"
)

func newOptimizeCmd(s *streams, g *globalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "optimize",
		Short: "Merge the archive's index segments into one, and check the index",
		Long: `optimize merges the segments of the search index beside the archive (ARCHIVE.idx and its
ARCHIVE.idx.seg-* files: each add writes one or more segments for its own dispatches) into one, writing
the index again from the archive first if it is missing, stale or corrupt, then reads it back whole and
checks every checksum and every posting. similar writes the index again when it finds it missing, stale
or corrupt; optimize does it ahead of time (after a crash, before serving a copy, to check the files) so
that the first search finds it ready, in one segment.

EXIT STATUS
  0  success
  1  runtime failure (the file could not be written, or does not read back whole)
  2  no archive, or an archive of another analysis`,
		Example: `  depeche optimize --archive news.db`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ar, err := g.openArchive(archiveAnalyzer())
			if err != nil {
				return err
			}
			if ar == nil {
				return usagef("no archive file: optimize needs --archive FILE (or HOME/archive.db)")
			}
			defer ar.Close()
			start := time.Now()
			ar.OnIndex = func(msg string) {
				if !g.quiet {
					fmt.Fprintf(s.errOut, "depeche: %s\n", msg)
				}
			}
			xf, err := ar.Optimize(cmd.Context())
			if err == nil {
				err = xf.Verify()
			}
			if err != nil {
				return fmt.Errorf("the index file written does not read back: %w", err)
			}
			size := archive.IndexSize(archive.IndexPath(ar.Path()))
			if !g.quiet {
				fmt.Fprintf(s.out, "wrote and checked %s: %d dispatches, %d postings, %.1f MB, in %.1f s\n",
					archive.IndexPath(ar.Path()), xf.Index.Len(), xf.Index.NNZ(), float64(size)/1e6, time.Since(start).Seconds())
			}
			return nil
		},
	}
}
