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
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/models"
	"github.com/depeche/depeche/vectorize"
)

// MaxBody bounds a request body (a long article is far below it).
const MaxBody = 4 << 20

// Server answers HTTP requests with a model and an archive index. It is safe for concurrent requests.
type Server struct {
	Model    *models.Model
	Archive  *archive.Searcher
	Analyzer *vectorize.Analyzer // the archive's analysis
	mux      *http.ServeMux
}

// New returns a Server over a model and an archive index analysed by a.
func New(m *models.Model, s *archive.Searcher, a *vectorize.Analyzer) *Server {
	srv := &Server{Model: m, Archive: s, Analyzer: a, mux: http.NewServeMux()}
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

// ClassifyResult is the JSON of one classified article (classify --json, POST /api/classify).
type ClassifyResult struct {
	ID         string              `json:"id"`
	Labels     []models.LabelScore `json:"labels"`
	Confidence *models.Confidence  `json:"confidence,omitempty"`
}

// SimilarResult is one result of similar --json and POST /api/similar.
type SimilarResult struct {
	ID     string   `json:"id"`
	Score  float64  `json:"score"`
	Title  string   `json:"title"`
	Date   string   `json:"date"`
	Source string   `json:"source,omitempty"`
	Labels []string `json:"labels"`
	Event  string   `json:"event,omitempty"`
	Terms  []string `json:"terms"`
}

// SimilarOutput is the JSON of similar --json: the results of one article.
type SimilarOutput struct {
	ID      string          `json:"id,omitempty"`
	Results []SimilarResult `json:"results"`
}

// Results turns archive results into SimilarResults, leaving out the query itself (a dispatch with the
// query's own text) and keeping k; shared terms are shown as the query writes them.
func Results(res []archive.Result, text string, toks []vectorize.Token, k int) []SimilarResult {
	self := archive.Hash(text)
	surf := models.Surfaces(text, toks)
	out := []SimilarResult{}
	for _, r := range res {
		if bytes.Equal(r.Hash, self) || len(out) == k {
			continue
		}
		sr := SimilarResult{ID: r.ID, Score: r.Score, Title: r.Title, Date: r.Date, Source: r.Source, Labels: r.Labels, Event: r.Event, Terms: []string{}}
		for _, t := range r.Shared {
			sr.Terms = append(sr.Terms, models.SurfaceOf(t, surf))
		}
		out = append(out, sr)
	}
	return out
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
	v := s.Model.Judge(req.Text, nterms)
	labels := v.Labels
	if req.Top > 0 && req.Top < len(labels) {
		labels = labels[:req.Top]
	}
	writeJSON(w, http.StatusOK, ClassifyResult{ID: "request", Labels: labels, Confidence: &v.Confidence})
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
	toks := s.Analyzer.Analyze(req.Text)
	res := s.Archive.Similar(s.Analyzer.TermsOf(nil, req.Text, toks), req.K+1, archive.Filter{Label: req.Label, Since: req.Since, Until: req.Until})
	writeJSON(w, http.StatusOK, SimilarOutput{Results: Results(res, req.Text, toks, req.K)})
}

func (s *Server) info(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"labels":     s.Model.Classifier.Labels,
		"vocabulary": len(s.Model.Vectorizer.Terms()),
		"trained_on": s.Model.Info.Docs,
		"archive":    s.Archive.Index.Len(),
	})
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(pageHTML))
}
