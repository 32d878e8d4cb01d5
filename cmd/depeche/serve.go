package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/depeche/depeche/server"
	"github.com/spf13/cobra"
)

func newServeCmd(s *streams, g *globalOptions) *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve classify and similar over HTTP, with a web page",
		Long: `serve loads the model and the archive in memory once and answers HTTP requests:

  GET  /               a web page: paste an article, see its themes and similar dispatches
  POST /api/classify   {"text": "…", "top": 0, "terms": 5}   → the object of classify --json
  POST /api/similar    {"text": "…", "k": 10, "label": "", "since": "", "until": ""} → {"results": […]}
  GET  /api/info       labels, vocabulary, archive size
  GET  /healthz        ok

It stops cleanly on Ctrl-C. The archive is read when the server starts: restart it after "depeche add".

EXIT STATUS
  0  stopped by a signal
  1  runtime failure (the address is in use…)
  2  bad usage (a missing or corrupt model or archive)`,
		Example: `  depeche serve
  depeche serve --addr 127.0.0.1:9000 --archive news.db
  curl -s localhost:8080/api/classify -d '{"text": "Saisie de cannabis à Tanger"}'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkAddr(addr); err != nil {
				return err
			}
			desk, err := g.openDesk(true)
			if err != nil {
				return err
			}
			defer desk.Close()
			if err := desk.LoadIndex(cmd.Context()); err != nil {
				return g.archiveError(err)
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("cannot listen on %s: %w", addr, err)
			}
			hs := server.New(desk).HTTPServer(addr)
			n, _ := desk.Size(cmd.Context())
			fmt.Fprintf(s.errOut, "depeche: serving %d labels and %d archived dispatches on http://%s/\n", len(desk.Model().Classifier.Labels), n, ln.Addr())
			errc := make(chan error, 1)
			go func() { errc <- hs.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-cmd.Context().Done():
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				if err := hs.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
					return err
				}
				fmt.Fprintln(s.errOut, "depeche: stopped")
				return nil
			}
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
	return cmd
}

// checkAddr refuses an --addr that is not HOST:PORT with a port in 0–65535 before anything is loaded.
func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("--addr %q: must be HOST:PORT, e.g. 127.0.0.1:8080 or :8080", addr)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 0 || n > 65535 {
		return usagef("--addr %q: port %q must be a number from 0 to 65535", addr, port)
	}
	return nil
}
