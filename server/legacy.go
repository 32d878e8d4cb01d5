package server

import (
	"net/http"
	"strings"

	"github.com/depeche/depeche"
)

// The first endpoints, kept as they answered (DESIGN.md: keep old names working): unknown fields are
// ignored, k ≤ 0 means 10; what changed is that their filters are checked as the command line checks
// them (since "yesterday" is now a 400, as similar --since yesterday is an exit 2) and that their errors
// have the API's shape ({"error", "status"}).

type legacyClassifyRequest struct {
	Text  string `json:"text"`
	Top   int    `json:"top"`
	Terms *int   `json:"terms"`
}

func (s *Server) legacyClassify(w http.ResponseWriter, r *http.Request) {
	var req legacyClassifyRequest
	if !s.decode(w, r, &req, false, classifyExample) {
		return
	}
	if strings.TrimSpace(req.Text) == "" {
		writeErrorField(w, r, http.StatusBadRequest, `"text" is empty: send the article to classify`, "text")
		return
	}
	nterms := depeche.DefaultTerms
	if req.Terms != nil && *req.Terms >= 0 {
		nterms = min(*req.Terms, MaxTerms)
	}
	res := s.Desk.ClassifyTerms(req.Text, nterms)
	res.ID = "request"
	if req.Top > 0 && req.Top < len(res.Labels) {
		res.Labels = res.Labels[:req.Top]
	}
	writeJSON(w, http.StatusOK, res)
}

type legacySimilarRequest struct {
	Text  string `json:"text"`
	K     int    `json:"k"`
	Label string `json:"label"`
	Since string `json:"since"`
	Until string `json:"until"`
}

func (s *Server) legacySimilar(w http.ResponseWriter, r *http.Request) {
	var req legacySimilarRequest
	if !s.decode(w, r, &req, false, `{"text": "…", "k": 10}`) {
		return
	}
	if strings.TrimSpace(req.Text) == "" {
		writeErrorField(w, r, http.StatusBadRequest, `"text" is empty: send the article to compare`, "text")
		return
	}
	if req.K <= 0 {
		req.K = 10
	}
	q, err := checkQuery(&req.K, depeche.Filter{Label: req.Label, Since: req.Since, Until: req.Until})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.needReady(w, r) {
		return
	}
	res, err := s.Desk.Similar(r.Context(), req.Text, q.k, q.filter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, depeche.SimilarOutput{Results: res})
}

func (s *Server) legacyInfo(w http.ResponseWriter, r *http.Request) {
	m := s.Desk.Model()
	n, _ := s.Desk.Size(r.Context())
	writeJSON(w, http.StatusOK, map[string]any{
		"labels":     m.Classifier.Labels,
		"vocabulary": len(m.Vectorizer.Terms()),
		"trained_on": m.Info.Docs,
		"archive":    n,
	})
}
