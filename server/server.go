package server

import (
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/depeche/depeche"
)

// MaxBody bounds a request body by default (a long article is far below it).
const MaxBody = 4 << 20

// Options configure a Server; the zero value is a loopback server with no token and the defaults below.
type Options struct {
	// Token, when not empty, is required as "Authorization: Bearer TOKEN" on every API request except
	// /v1/health and /v1/ready. cmd/depeche refuses to listen beyond loopback without one.
	Token string
	// Loopback says that the server listens on loopback only: Host must then be a loopback name (or one
	// of AllowedHosts), against DNS rebinding.
	Loopback bool
	// AllowedHosts are more Host names to accept (a name of this machine a proxy uses). With Loopback
	// false and no AllowedHosts, any Host is accepted (the token guards the server).
	AllowedHosts []string
	// MaxBody bounds a request body (0: MaxBody).
	MaxBody int64
	// MaxHeavy requests that analyse text or search run at once (0: GOMAXPROCS, at least 2); MaxQueue
	// more wait for a slot (0: 64; -1: none) at most QueueWait (0: 10 s), then get 429.
	MaxHeavy  int
	MaxQueue  int
	QueueWait time.Duration
	// ReadOnly refuses adds, labels and retraining (409): an archive opened read-only.
	ReadOnly bool
	// ModelOut is where a retraining writes the model (the file the desk's model came from, or
	// HOME/model.depeche); empty: retraining is refused (409).
	ModelOut string
	// Watcher, when not nil, is asked to look at the archive at once after this server's own writes.
	Watcher *depeche.Watcher
	// Log receives the access log (one record a request) and the server's events; nil: none.
	Log *slog.Logger
	// Version is shown by /v1/info.
	Version string
}

// Server answers HTTP requests with a depeche.Desk. It is safe for concurrent requests.
type Server struct {
	Desk *depeche.Desk
	opt  Options
	mux  *http.ServeMux
	log  *slog.Logger

	heavy *gate // the heavy requests running and waiting

	ready    atomic.Bool // the desk's index file is mapped (Desk.LoadIndex)
	draining atomic.Bool // shutting down: /v1/ready says 503
	reqID    atomic.Uint64

	jobs jobs

	cacheMu   sync.Mutex
	cache     map[string]cached // per desk generation: label counts, timelines
	computeMu sync.Mutex        // one computation of a cached value at a time
}

type cached struct {
	gen uint64
	v   any
}

// New returns a Server over a desk. It is ready (/v1/ready) when the desk can search (Desk.LoadIndex has
// mapped the index file); a server made before that answers classify at once and the rest with 503 until
// SetReady.
func New(d *depeche.Desk, opt ...Options) *Server {
	var o Options
	if len(opt) > 0 {
		o = opt[0]
	}
	if o.MaxBody <= 0 {
		o.MaxBody = MaxBody
	}
	if o.MaxHeavy <= 0 {
		o.MaxHeavy = max(2, runtime.GOMAXPROCS(0))
	}
	switch {
	case o.MaxQueue == 0:
		o.MaxQueue = 64
	case o.MaxQueue < 0:
		o.MaxQueue = 0
	}
	if o.QueueWait <= 0 {
		o.QueueWait = 10 * time.Second
	}
	log := o.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{Desk: d, opt: o, mux: http.NewServeMux(), log: log, heavy: newGate(o.MaxHeavy, o.MaxQueue), cache: map[string]cached{}}
	s.ready.Store(d.Loaded())
	s.routes()
	return s
}

// SetReady says that the desk can search (after Desk.LoadIndex), or not.
func (s *Server) SetReady(ok bool) { s.ready.Store(ok) }

// Drain marks the server as shutting down: /v1/ready answers 503 so that a balancer stops sending
// requests, while those in flight finish (http.Server.Shutdown). It also cancels a running retraining.
func (s *Server) Drain() {
	s.draining.Store(true)
	s.jobs.cancelAll()
}

// HTTPServer returns an *http.Server for addr with the timeouts of a tool open to a network: headers in
// 10 s, a whole request in 30 s, a response in 60 s, idle connections closed after 120 s.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{Addr: addr, Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(s.log.Handler(), slog.LevelWarn)}
}

// route kinds: what a handler needs from the middleware
const (
	light  = iota // answered from memory or one row: no queue
	heavy         // analyses text or searches: a slot of MaxHeavy
	public        // no token needed (health, readiness, the page's own files)
)

func (s *Server) routes() {
	h := func(pattern string, kind int, f http.HandlerFunc) { s.mux.Handle(pattern, s.wrap(kind, f)) }
	// the page
	h("GET /{$}", public, s.page)
	h("GET /assets/{file}", public, s.asset)
	h("GET /favicon.ico", public, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	// v1
	h("GET /v1/health", public, s.health)
	h("GET /v1/ready", public, s.readiness)
	h("GET /v1/openapi.json", public, s.openapi)
	h("GET /v1/info", light, s.info)
	h("GET /v1/labels", light, s.labels)
	h("POST /v1/classify", heavy, s.classify)
	h("POST /v1/similar", heavy, s.similar)
	h("GET /v1/dispatches", heavy, s.list)
	h("POST /v1/dispatches", heavy, s.add)
	h("GET /v1/dispatches/{id}", light, s.get)
	h("GET /v1/dispatches/{id}/similar", heavy, s.similarOf)
	h("PUT /v1/dispatches/{id}/labels", light, s.setLabels)
	h("POST /v1/matrix", heavy, s.matrix)
	h("GET /v1/timeline", heavy, s.timeline)
	h("POST /v1/retrain", light, s.retrain)
	h("GET /v1/jobs", light, s.jobList)
	h("GET /v1/jobs/{id}", light, s.job)
	// the first endpoints (DESIGN.md: keep old names working)
	h("POST /api/classify", heavy, s.legacyClassify)
	h("POST /api/similar", heavy, s.legacySimilar)
	h("GET /api/info", light, s.legacyInfo)
	h("GET /healthz", public, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
}

// methods a route may be asked with: what 405's Allow lists
var methods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// ServeHTTP implements http.Handler: security headers, the Host and Origin checks, the body limit and the
// access log for every request; JSON 404 and 405 for what no route takes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := s.reqID.Add(1)
	lw := &logWriter{ResponseWriter: w, status: http.StatusOK}
	r = withRequestID(r, id)
	defer func() {
		if p := recover(); p != nil {
			s.log.Error("panic", "request_id", id, "panic", p)
			if !lw.wrote {
				writeError(lw, r, http.StatusInternalServerError, internalMsg(r))
			}
		}
		s.accessLog(r, lw, start)
	}()
	securityHeaders(lw.Header(), r.URL.Path)
	if status, msg := s.checkHostOrigin(r); status != 0 {
		writeError(lw, r, status, msg)
		return
	}
	if r.ContentLength > s.opt.MaxBody {
		writeError(lw, r, http.StatusRequestEntityTooLarge, bodyTooLarge(s.opt.MaxBody))
		return
	}
	r.Body = http.MaxBytesReader(lw, r.Body, s.opt.MaxBody)
	if _, pattern := s.mux.Handler(r); pattern == "" {
		var allow []string
		for _, m := range methods {
			r2 := r.Clone(r.Context())
			r2.Method = m
			if _, p := s.mux.Handler(r2); p != "" {
				allow = append(allow, m)
			}
		}
		if len(allow) > 0 {
			lw.Header().Set("Allow", strings.Join(allow, ", "))
			writeError(lw, r, http.StatusMethodNotAllowed, r.Method+" "+r.URL.Path+": this route takes "+strings.Join(allow, ", "))
			return
		}
		writeError(lw, r, http.StatusNotFound, "no route "+r.URL.Path+": the API is described at /v1/openapi.json")
		return
	}
	s.mux.ServeHTTP(lw, r)
}

// wrap adds what a route kind needs: the token, readiness for what searches the archive, a heavy slot.
func (s *Server) wrap(kind int, f http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if kind != public && !s.authorized(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="depeche"`)
			msg := "this server needs its token: send \"Authorization: Bearer TOKEN\" (the --token or DEPECHE_TOKEN it was started with)"
			if r.Header.Get("Authorization") != "" {
				msg = "the token is not this server's: send \"Authorization: Bearer TOKEN\" with the --token or DEPECHE_TOKEN it was started with"
			}
			writeError(w, r, http.StatusUnauthorized, msg)
			return
		}
		if kind == heavy {
			release, status := s.acquire(r)
			if status != 0 {
				w.Header().Set("Retry-After", "1")
				writeError(w, r, status, "the server is busy: too many requests analyse or search at once; retry in a moment")
				return
			}
			defer release()
		}
		f(w, r)
	})
}

// acquire takes a heavy slot, waiting in the queue when all are taken; it returns 429 when the queue is
// full or the wait too long, 503 when the client went away. The classification of an article (a small
// body) is quick: it goes before the searches waiting.
func (s *Server) acquire(r *http.Request) (release func(), status int) {
	quick := strings.HasSuffix(r.URL.Path, "/classify") && r.ContentLength >= 0 && r.ContentLength <= quickBody
	ok, gone := s.heavy.acquire(quick, s.opt.QueueWait, r.Context().Done())
	switch {
	case ok:
		return s.heavy.release, 0
	case gone:
		return nil, http.StatusServiceUnavailable
	}
	return nil, http.StatusTooManyRequests
}

// quickBody is the largest classify body taken as quick (an article is a few KB).
const quickBody = 64 << 10

// cachedValue returns the value of key for the desk's current generation, computing it with f when the
// desk changed since (label counts and timelines read every dispatch's row: a second at a million).
// Requests that find it stale compute it one at a time (the first computes, the others then find it).
func (s *Server) cachedValue(key string, f func() (any, error)) (any, error) {
	gen := s.Desk.Generation()
	look := func() (any, bool) {
		s.cacheMu.Lock()
		defer s.cacheMu.Unlock()
		c, ok := s.cache[key]
		return c.v, ok && c.gen == gen
	}
	if v, ok := look(); ok {
		return v, nil
	}
	s.computeMu.Lock()
	defer s.computeMu.Unlock()
	if v, ok := look(); ok {
		return v, nil
	}
	v, err := f()
	if err != nil {
		return nil, err
	}
	s.cacheMu.Lock()
	if len(s.cache) > 256 {
		clear(s.cache)
	}
	s.cache[key] = cached{gen, v}
	s.cacheMu.Unlock()
	return v, nil
}
