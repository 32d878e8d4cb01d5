package server

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/depeche/depeche"
)

// MaxBatch is the largest number of texts one classify request takes, and of dispatches one add takes.
const MaxBatch = 1000

// MaxAdd is the largest number of dispatches one add request takes.
const MaxAdd = 10000

// MaxTerms is the largest number of evidence words per label a classify request may ask for.
const MaxTerms = 50

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readiness(w http.ResponseWriter, r *http.Request) {
	switch {
	case s.draining.Load():
		writeError(w, r, http.StatusServiceUnavailable, "the server is shutting down")
	case !s.ready.Load():
		w.Header().Set("Retry-After", "2")
		writeError(w, r, http.StatusServiceUnavailable, "the archive is still loading")
	default:
		n, _ := s.Desk.Size(r.Context())
		writeJSON(w, http.StatusOK, map[string]any{"ready": true, "dispatches": n, "generation": s.Desk.Generation()})
	}
}

// needReady answers 503 while the desk's index file is not mapped yet (a search would have to write it).
func (s *Server) needReady(w http.ResponseWriter, r *http.Request) bool {
	if s.ready.Load() {
		return true
	}
	w.Header().Set("Retry-After", "2")
	writeError(w, r, http.StatusServiceUnavailable, "the archive is still loading: retry in a few seconds (GET /v1/ready says when)")
	return false
}

// needWritable answers 409 when the archive cannot be written.
func (s *Server) needWritable(w http.ResponseWriter, r *http.Request, what string) bool {
	if s.opt.ReadOnly {
		writeError(w, r, http.StatusConflict, "the archive is open read-only: "+what+" needs serve without --read-only")
		return false
	}
	if err := s.Desk.Writable(what); err != nil {
		s.fail(w, r, err)
		return false
	}
	return true
}

// --- classify

type classifyRequest struct {
	Text  *string  `json:"text"`
	Texts []string `json:"texts"`
	Terms *int     `json:"terms"`
	Top   int      `json:"top"`
}

const classifyExample = `{"text": "Saisie de cannabis à Tanger"}`

func (s *Server) classify(w http.ResponseWriter, r *http.Request) {
	var req classifyRequest
	if !s.decode(w, r, &req, true, classifyExample) {
		return
	}
	terms := depeche.DefaultTerms
	if req.Terms != nil {
		if *req.Terms < 0 || *req.Terms > MaxTerms {
			writeErrorField(w, r, http.StatusBadRequest, fmt.Sprintf("terms %d: must be from 0 to %d", *req.Terms, MaxTerms), "terms")
			return
		}
		terms = *req.Terms
	}
	if req.Top < 0 {
		writeErrorField(w, r, http.StatusBadRequest, fmt.Sprintf("top %d: must be ≥ 0 (0: every label)", req.Top), "top")
		return
	}
	one := func(id, text string) depeche.ClassifyResult {
		res := s.Desk.ClassifyTerms(text, terms)
		res.ID = id
		if req.Top > 0 && req.Top < len(res.Labels) {
			res.Labels = res.Labels[:req.Top]
		}
		return res
	}
	switch {
	case req.Text != nil && req.Texts != nil:
		writeError(w, r, http.StatusBadRequest, `give "text" (one article) or "texts" (several), not both`)
	case req.Text != nil:
		if strings.TrimSpace(*req.Text) == "" {
			writeErrorField(w, r, http.StatusBadRequest, `"text" is empty: send the article to classify`, "text")
			return
		}
		writeJSON(w, http.StatusOK, one("request", *req.Text))
	case req.Texts != nil:
		if len(req.Texts) == 0 || len(req.Texts) > MaxBatch {
			writeErrorField(w, r, http.StatusBadRequest, fmt.Sprintf(`"texts" has %d articles: send from 1 to %d`, len(req.Texts), MaxBatch), "texts")
			return
		}
		out := make([]depeche.ClassifyResult, len(req.Texts))
		for i, t := range req.Texts {
			if strings.TrimSpace(t) == "" {
				writeErrorField(w, r, http.StatusBadRequest, fmt.Sprintf(`"texts"[%d] is empty: send the article to classify`, i), "texts")
				return
			}
			if r.Context().Err() != nil {
				return
			}
			out[i] = one(strconv.Itoa(i), t)
		}
		writeJSON(w, http.StatusOK, map[string]any{"results": out})
	default:
		writeErrorField(w, r, http.StatusBadRequest, `"text" is missing: send {"text": "…"} (one article) or {"texts": ["…", …]}`, "text")
	}
}
