package server

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/depeche/depeche"
)

type matrixRequest struct {
	IDs   []string `json:"ids"`
	Label string   `json:"label"`
	Since string   `json:"since"`
	Until string   `json:"until"`
	Limit int      `json:"limit"`
}

func (s *Server) matrix(w http.ResponseWriter, r *http.Request) {
	var req matrixRequest
	if !s.decode(w, r, &req, true, `{"ids": ["a", "b", "c"]} or {"label": "terrorisme", "since": "2020", "limit": 50}`) {
		return
	}
	ids := req.IDs
	if ids == nil {
		if !s.needReady(w, r) {
			return
		}
		if req.Limit == 0 {
			req.Limit = 50
		}
		if req.Limit < 2 || req.Limit > depeche.MaxMatrix {
			writeErrorField(w, r, http.StatusBadRequest, fmt.Sprintf("limit %d: must be from 2 to %d", req.Limit, depeche.MaxMatrix), "limit")
			return
		}
		f := depeche.Filter{Label: req.Label, Since: req.Since, Until: req.Until}
		if err := depeche.CheckFilter(&f, depeche.JSONFields); err != nil {
			s.fail(w, r, err)
			return
		}
		p, err := s.Desk.List(r.Context(), depeche.ListOptions{Filter: f, Limit: req.Limit})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, e := range p.Items {
			ids = append(ids, e.ID)
		}
	}
	m, err := s.Desk.Matrix(r.Context(), ids)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, m)
}

func (s *Server) timeline(w http.ResponseWriter, r *http.Request) {
	if !s.needReady(w, r) {
		return
	}
	v := r.URL.Query()
	f := depeche.Filter{Label: v.Get("label"), Since: v.Get("since"), Until: v.Get("until")}
	if err := depeche.CheckFilter(&f, depeche.JSONFields); err != nil {
		s.fail(w, r, err)
		return
	}
	type timeline struct {
		Label   string          `json:"label,omitempty"`
		Months  []depeche.Month `json:"months"`
		Undated int             `json:"undated"`
		Total   int             `json:"total"`
	}
	v2, err := s.cachedValue("timeline\x00"+f.Label+"\x00"+f.Since+"\x00"+f.Until, func() (any, error) {
		ms, undated, err := s.Desk.Timeline(r.Context(), f)
		t := timeline{Label: f.Label, Months: ms, Undated: undated, Total: undated}
		for _, m := range ms {
			t.Total += m.Count
		}
		return t, err
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v2)
}

type labelCount struct {
	Label string `json:"label"`
	Count int    `json:"count"`
}

// labelCounts returns the archive's labels by descending count, cached per desk generation.
func (s *Server) labelCounts(r *http.Request) ([]labelCount, error) {
	v, err := s.cachedValue("labels", func() (any, error) {
		counts, err := s.Desk.LabelCounts(r.Context())
		out := []labelCount{}
		for l, n := range counts {
			out = append(out, labelCount{l, n})
		}
		slices.SortFunc(out, func(a, b labelCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Label, b.Label)
		})
		return out, err
	})
	if err != nil {
		return nil, err
	}
	return v.([]labelCount), nil
}

func (s *Server) labels(w http.ResponseWriter, r *http.Request) {
	counts, err := s.labelCounts(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"archive": counts, "model": s.Desk.Model().Classifier.Labels})
}

func (s *Server) info(w http.ResponseWriter, r *http.Request) {
	m := s.Desk.Model()
	n, err := s.Desk.Size(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	counts, err := s.labelCounts(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	model := map[string]any{
		"name":       s.Desk.ModelName(),
		"labels":     m.Classifier.Labels,
		"vocabulary": len(m.Vectorizer.Terms()),
		"trained_on": m.Info.Docs,
	}
	if m.Info.CV != nil {
		model["macro_f1"] = m.Info.CV.MacroF1
		model["micro_f1"] = m.Info.CV.MicroF1
	}
	arch := map[string]any{"dispatches": n, "labels": counts, "writable": !s.opt.ReadOnly && s.Desk.Writable("") == nil}
	if p := s.Desk.ArchivePath(); p != "" {
		arch["name"] = p
	} else {
		arch["name"] = "built-in"
	}
	terms, bytes := s.Desk.IndexWeighed()
	arch["index"] = map[string]any{"weighed_terms": terms, "weighed_bytes": bytes, "cache_limit": s.Desk.IndexCache()}
	writeJSON(w, http.StatusOK, map[string]any{
		"version": s.opt.Version,
		"model":   model,
		"archive": arch,
		"server": map[string]any{
			"ready":          s.ready.Load(),
			"generation":     s.Desk.Generation(),
			"token_required": s.opt.Token != "",
			"max_body":       s.opt.MaxBody,
			"max_heavy":      s.opt.MaxHeavy,
			"retrain":        s.opt.ModelOut != "",
		},
	})
}
