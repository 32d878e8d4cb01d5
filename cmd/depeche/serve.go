package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/depeche/depeche"
	"github.com/depeche/depeche/server"
	"github.com/spf13/cobra"
)

type serveOptions struct {
	addr       string
	token      string
	allowHosts []string
	readOnly   bool
	logFormat  string
	poll       time.Duration
	maxHeavy   int
	// indexCacheMB is --index-cache (0: no bound)
	indexCacheMB int
	grace        time.Duration
}

// minToken is the shortest token serve takes: a token guards a server open to a network.
const minToken = 16

func newServeCmd(s *streams, g *globalOptions) *cobra.Command {
	o := &serveOptions{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the desk over HTTP: a web page and a JSON API",
		Long: `serve loads the model, maps the archive's index file and answers HTTP requests: a web page (paste an article:
its themes with the words that decided them highlighted, its similar dispatches, each to read whole and
label; the archive to browse and filter; a similarity map; a theme's volume month by month) and a JSON API,
/v1/… (described at /v1/openapi.json; README: "serve"). The first endpoints /api/classify, /api/similar
and /api/info still answer.

It listens on 127.0.0.1:8080 by default. Any address that is not loopback needs a token (--token or
DEPECHE_TOKEN, at least 16 characters), which every API request must then send as "Authorization: Bearer
TOKEN"; without one serve refuses to start. On loopback, Host must be a loopback name (against DNS
rebinding; --allow-host adds names). Requests that analyse text or search run --max-heavy at a time, others
wait a moment, then get 429.

The archive stays live: serve holds no dispatch in memory and reads the archive at every request, so what
another process labels ("depeche label") is in the next answer; what it adds ("depeche add") is searched
once its index file is written (the archive is polled every --poll; until then searches answer from the
index of before the add). A model that "depeche train" writes to the model file is swapped in. Adds and labels
made through the API write the archive (--read-only refuses them).

SIGTERM and Ctrl-C stop it cleanly: requests in flight finish (at most --grace), a running retraining is
canceled (the model file is left as it was), the archive is closed. The access log goes to stderr, one line
a request (--log-format json for JSON lines; -q for none).

EXIT STATUS
  0  stopped by a signal
  1  runtime failure (the address is in use…)
  2  bad usage (a non-loopback --addr without a token, a missing or corrupt model or archive)`,
		Example: `  depeche serve
  depeche serve --addr 127.0.0.1:9000 --archive news.db
  DEPECHE_TOKEN=$(openssl rand -hex 16) depeche serve --addr 0.0.0.0:8080 --log-format json
  curl -s localhost:8080/v1/classify -d '{"text": "Saisie de cannabis à Tanger"}'`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef("serve takes no argument (the archive is --archive, the model --model)")
			}
			return o.check()
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runServe(cmd.Context(), s, g, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on (beyond loopback a token is required)")
	f.StringVar(&o.token, "token", "", "token every API request must send as \"Authorization: Bearer TOKEN\" (default $DEPECHE_TOKEN)")
	f.StringSliceVar(&o.allowHosts, "allow-host", nil, "more Host names to accept (a name of this machine, a proxy's)")
	f.BoolVar(&o.readOnly, "read-only", false, "open the archive read-only: the API refuses adds, labels and retraining")
	f.StringVar(&o.logFormat, "log-format", "text", "access log format on stderr: text or json")
	f.DurationVar(&o.poll, "poll", time.Second, "how often to look for changes of the archive and model files")
	f.IntVar(&o.maxHeavy, "max-heavy", 0, "requests that analyse text or search at once (0: the number of CPUs, at least 2)")
	f.IntVar(&o.indexCacheMB, "index-cache", depeche.DefaultIndexCache>>20, "MB of weighed postings the archive's index keeps in memory (0: no bound: faster searches, memory grows with the archive)")
	f.DurationVar(&o.grace, "grace", 30*time.Second, "how long requests in flight may take to finish on SIGTERM")
	return cmd
}

// check refuses bad flags before anything is loaded: a bad address, a non-loopback address without a
// token, an unknown log format.
func (o *serveOptions) check() error {
	if err := checkAddr(o.addr); err != nil {
		return err
	}
	if o.token == "" {
		o.token = strings.TrimSpace(os.Getenv("DEPECHE_TOKEN"))
	}
	if !loopbackAddr(o.addr) {
		if o.token == "" {
			return usagef("--addr %s listens beyond this machine: give a token with --token or DEPECHE_TOKEN (at least %d characters, e.g. $(openssl rand -hex 16)), or listen on 127.0.0.1", o.addr, minToken)
		}
	}
	if o.token != "" && len(o.token) < minToken {
		return usagef("the token is %d characters long: use at least %d (e.g. $(openssl rand -hex 16))", len(o.token), minToken)
	}
	switch o.logFormat {
	case "text", "json":
	default:
		return usagef("--log-format %q: must be one of text|json", o.logFormat)
	}
	if o.poll < 100*time.Millisecond {
		return usagef("--poll %s: must be at least 100ms", o.poll)
	}
	if o.maxHeavy < 0 {
		return usagef("--max-heavy %d: must be ≥ 0 (0: the number of CPUs)", o.maxHeavy)
	}
	if o.indexCacheMB < 0 {
		return usagef("--index-cache %d: must be MB ≥ 0 (0: no bound)", o.indexCacheMB)
	}
	return nil
}

// loopbackAddr reports whether addr's host names only this machine's loopback (":8080" listens on every
// interface, so it is not).
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	return err == nil && host != "" && server.IsLoopback(host)
}

func runServe(ctx context.Context, s *streams, g *globalOptions, o *serveOptions) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Go's default GC (GOGC 100): the index is mapped, not on the heap, so the heap is the requests' own
	// (tens of MB), and collecting at 25 % of it, as when the index was held there, ran a GC every few
	// searches
	desk, err := g.openDesk(o.readOnly, true)
	if err != nil {
		return err
	}
	defer desk.Close()
	desk.SetIndexCache(int64(o.indexCacheMB) << 20)
	modelFile, err := g.modelOutPath()
	if err != nil {
		return err
	}
	var logOut io.Writer = s.errOut
	if g.quiet {
		logOut = io.Discard
	}
	var h slog.Handler = slog.NewTextHandler(logOut, nil)
	if o.logFormat == "json" {
		h = slog.NewJSONHandler(logOut, nil)
	}
	log := slog.New(h)

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", o.addr, err)
	}
	w := &depeche.Watcher{Desk: desk, Every: o.poll, ModelFile: modelFile, OnChange: func(c depeche.Change) {
		if c.Err != nil {
			log.Warn("reload failed: the old one stays", "what", c.What, "error", c.Err.Error())
			return
		}
		log.Info("reloaded", "what", c.What, "dispatches", c.Dispatches, "ms", c.Took.Milliseconds())
		// the index file replaced is unmapped once collected: do it now rather than at the next GC, so
		// that a server that reloads all day stays near its size after start-up
		debug.FreeOSMemory()
	}}
	srv := server.New(desk, server.Options{
		Token: o.token, Loopback: loopbackAddr(o.addr), AllowedHosts: o.allowHosts, ReadOnly: o.readOnly,
		ModelOut: modelFile, Watcher: w, Log: log, Version: version(), MaxHeavy: o.maxHeavy,
	})
	srv.SetReady(false)
	hs := srv.HTTPServer(o.addr)
	if !loopbackAddr(o.addr) {
		fmt.Fprintf(s.errOut, "depeche: warning: listening on %s, beyond this machine, over plain HTTP: every API request needs the token; put a TLS proxy in front of it\n", ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()

	// the index file is mapped (or written) while the server already answers: /v1/ready says 503 until
	// then, classify works at once
	loaded := make(chan error, 1)
	go func() { loaded <- w.Load(ctx) }()
	watchCtx, stopWatch := context.WithCancel(context.Background())
	var watched chan struct{} // closed when the watcher ends
	defer func() {
		stopWatch()
		if watched != nil {
			<-watched
		}
	}()
	for {
		select {
		case err := <-loaded:
			loaded = nil
			if err != nil {
				hs.Close()
				if ctx.Err() != nil {
					return nil
				}
				return g.archiveError(err)
			}
			srv.SetReady(true)
			n, _ := desk.Size(ctx)
			if !g.quiet {
				fmt.Fprintf(s.errOut, "depeche: serving %d labels and %d archived dispatches on http://%s/\n", len(desk.Model().Classifier.Labels), n, ln.Addr())
			}
			watched = make(chan struct{})
			go func() { defer close(watched); w.Run(watchCtx) }()
		case err := <-errc:
			if errors.Is(err, http.ErrServerClosed) {
				return nil
			}
			return err
		case <-ctx.Done():
			// SIGTERM or Ctrl-C: stop taking connections, let the requests in flight finish, cancel a
			// retraining, then close the archive (deferred)
			srv.Drain()
			sctx, cancel := context.WithTimeout(context.Background(), o.grace)
			defer cancel()
			err := hs.Shutdown(sctx)
			if !g.quiet {
				fmt.Fprintln(s.errOut, "depeche: stopped")
			}
			if err != nil && !errors.Is(err, http.ErrServerClosed) {
				return fmt.Errorf("stopping: %w (requests still running after --grace %s were cut)", err, o.grace)
			}
			return nil
		}
	}
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
