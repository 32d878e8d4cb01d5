// Package server owns depeche's HTTP interface: JSON endpoints for classify, similar and info over a
// model and an archive index held in memory, and a small web page that uses them. It knows nothing of
// cobra or flags; cmd/depeche's "serve" builds it.
//
// Endpoints (request and response bodies are JSON; errors are {"error": "..."} with status 400 or 500):
//
//	GET  /                 the web page
//	POST /api/classify     {"text": "...", "top": 0, "terms": 5}          → one classify --json object
//	POST /api/similar      {"text": "...", "k": 10, "label": "", "since": "", "until": ""} → {"results": [...]}
//	GET  /api/info         the model's labels and vocabulary size, the archive's size
//	GET  /healthz          "ok"
package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/depeche/depeche"
	"github.com/depeche/depeche/archive"
)

// MaxBody bounds a request body (a long article is far below it).
const MaxBody = 4 << 20

// Server answers HTTP requests with a depeche.Desk (a model and an archive index). It is safe for
// concurrent requests; it holds no policy of its own: classify and similar are the Desk's.
type Server struct {
	Desk *depeche.Desk
	mux  *http.ServeMux
}

// New returns a Server over a desk (whose archive index should be loaded: Desk.LoadIndex).
func New(d *depeche.Desk) *Server {
	srv := &Server{Desk: d, mux: http.NewServeMux()}
	srv.mux.HandleFunc("GET /{$}", srv.page)
	srv.mux.HandleFunc("POST /api/classify", srv.classify)
	srv.mux.HandleFunc("POST /api/similar", srv.similar)
	srv.mux.HandleFunc("GET /api/info", srv.info)
	srv.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	return srv
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// HTTPServer returns an *http.Server for addr with timeouts suited to a public-facing tool.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{Addr: addr, Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second}
}

type classifyRequest struct {
	Text  string `json:"text"`
	Top   int    `json:"top"`
	Terms *int   `json:"terms"`
}

type similarRequest struct {
	Text  string `json:"text"`
	K     int    `json:"k"`
	Label string `json:"label"`
	Since string `json:"since"`
	Until string `json:"until"`
}

func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body := http.MaxBytesReader(w, r.Body, MaxBody)
	dec := json.NewDecoder(body)
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", MaxBody))
			return false
		}
		writeError(w, http.StatusBadRequest, "the body must be a JSON object such as {\"text\": \"…\"}: "+err.Error())
		return false
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func (s *Server) classify(w http.ResponseWriter, r *http.Request) {
	var req classifyRequest
	if !decode(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.Text) == "" {
		writeError(w, http.StatusBadRequest, `"text" is empty: send the article to classify`)
		return
	}
	nterms := 5
	if req.Terms != nil && *req.Terms >= 0 {
		nterms = *req.Terms
	}
	res := s.Desk.ClassifyTerms(req.Text, nterms)
	res.ID = "request"
	if req.Top > 0 && req.Top < len(res.Labels) {
		res.Labels = res.Labels[:req.Top]
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) similar(w http.ResponseWriter, r *http.Request) {
	var req similarRequest
	if !decode(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.Text) == "" {
		writeError(w, http.StatusBadRequest, `"text" is empty: send the article to compare`)
		return
	}
	if req.K <= 0 {
		req.K = 10
	}
	if req.K > 1000 {
		writeError(w, http.StatusBadRequest, `"k" must be at most 1000`)
		return
	}
	res, err := s.Desk.Similar(r.Context(), req.Text, req.K, archive.Filter{Label: req.Label, Since: req.Since, Until: req.Until})
	if err != nil {
		writeError(w, http.StatusInternalServerError, "the search failed: "+err.Error())
		return
	}
	writeJSON(w, http.StatusOK, depeche.SimilarOutput{Results: res})
}

func (s *Server) info(w http.ResponseWriter, r *http.Request) {
	m := s.Desk.Model()
	n, _ := s.Desk.Size(r.Context())
	writeJSON(w, http.StatusOK, map[string]any{
		"labels":     m.Classifier.Labels,
		"vocabulary": len(m.Vectorizer.Terms()),
		"trained_on": m.Info.Docs,
		"archive":    n,
	})
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(pageHTML))
}
