package main

import (
	"fmt"
	"os"
	"time"

	"github.com/depeche/depeche/archive"
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
			ar, err := g.openArchive(archiveAnalyzer())
			if err != nil {
				return err
			}
			if ar == nil {
				return usagef("no archive file: optimize needs --archive FILE (or HOME/archive.db)")
			}
			defer ar.Close()
			start := time.Now()
			if _, err := ar.WriteIndex(cmd.Context()); err != nil {
				return err
			}
			xf, err := ar.OpenIndex(cmd.Context())
			if err == nil {
				err = xf.Verify()
			}
			if err != nil {
				return fmt.Errorf("the index file written does not read back: %w", err)
			}
			var size int64
			if fi, err := os.Stat(archive.IndexPath(ar.Path())); err == nil {
				size = fi.Size()
			}
			if !g.quiet {
				fmt.Fprintf(s.out, "wrote and checked %s: %d dispatches, %d postings, %.1f MB, in %.1f s\n",
					archive.IndexPath(ar.Path()), xf.Index.Len(), xf.Index.NNZ(), float64(size)/1e6, time.Since(start).Seconds())
			}
			return nil
		},
	}
}
