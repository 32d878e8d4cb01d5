package server

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/depeche/depeche"
)

type similarRequest struct {
	Text  *string `json:"text"`
	ID    string  `json:"id"`
	K     *int    `json:"k"`
	Label string  `json:"label"`
	Since string  `json:"since"`
	Until string  `json:"until"`
}

// query is a checked similar or list query.
type query struct {
	k      int
	filter depeche.Filter
}

// checkQuery checks k (nil: 10) and the filter with the command line's validator.
func checkQuery(k *int, f depeche.Filter) (query, error) {
	q := query{k: 10, filter: f}
	if k != nil {
		q.k = *k
	}
	if err := depeche.CheckK(depeche.JSONFields.K, q.k); err != nil {
		return q, err
	}
	if q.k > depeche.MaxK {
		return q, &depeche.InvalidError{Field: "k", Msg: fmt.Sprintf("k %d: must be at most %d", q.k, depeche.MaxK)}
	}
	return q, depeche.CheckFilter(&q.filter, depeche.JSONFields)
}

func (s *Server) similar(w http.ResponseWriter, r *http.Request) {
	var req similarRequest
	if !s.decode(w, r, &req, true, `{"text": "…", "k": 10} or {"id": "MAP-2019-0412"}`) {
		return
	}
	q, err := checkQuery(req.K, depeche.Filter{Label: req.Label, Since: req.Since, Until: req.Until})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	switch {
	case req.Text != nil && req.ID != "":
		writeError(w, r, http.StatusBadRequest, `give "text" (an article) or "id" (an archived dispatch), not both`)
	case req.ID != "":
		s.similarByID(w, r, req.ID, q)
	case req.Text == nil:
		writeErrorField(w, r, http.StatusBadRequest, `"text" is missing: send {"text": "…"} (an article) or {"id": "…"} (an archived dispatch)`, "text")
	case strings.TrimSpace(*req.Text) == "":
		writeErrorField(w, r, http.StatusBadRequest, `"text" is empty: send the article to compare`, "text")
	default:
		s.answerSimilar(w, r, "", *req.Text, q)
	}
}

func (s *Server) similarOf(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	k, err := intParam(v, "k", nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q, err := checkQuery(k, depeche.Filter{Label: v.Get("label"), Since: v.Get("since"), Until: v.Get("until")})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.similarByID(w, r, r.PathValue("id"), q)
}

func (s *Server) similarByID(w http.ResponseWriter, r *http.Request, id string, q query) {
	d, err := s.Desk.Get(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.answerSimilar(w, r, id, d.Text, q)
}

func (s *Server) answerSimilar(w http.ResponseWriter, r *http.Request, id, text string, q query) {
	if !s.needReady(w, r) {
		return
	}
	res, err := s.Desk.Similar(r.Context(), text, q.k, q.filter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(res) == 0 && q.filter.Label != "" {
		// as the command line: a label no dispatch carries is an error, not "nothing similar"
		if err := s.Desk.CheckLabel(r.Context(), "label", q.filter.Label); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, depeche.SimilarOutput{ID: id, Results: res})
}
