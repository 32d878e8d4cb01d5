package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
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

// needReady answers 503 while the archive is not in memory yet (what searches it would be slow, a
// listing incomplete).
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

// --- similar

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

// --- dispatches

// intParam reads a whole number from the query string (def when absent).
func intParam(v url.Values, name string, def *int) (*int, error) {
	s := v.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, &depeche.InvalidError{Field: name, Msg: fmt.Sprintf("%s %q: must be a whole number", name, s)}
	}
	return &n, nil
}

// MaxLimit is the largest page a listing returns.
const MaxLimit = 500

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	if !s.needReady(w, r) {
		return
	}
	v := r.URL.Query()
	for name := range v {
		if !slices.Contains([]string{"label", "since", "until", "q", "offset", "limit"}, name) {
			writeErrorField(w, r, http.StatusBadRequest, fmt.Sprintf("unknown parameter %q: the parameters are label, since, until, q, offset, limit", name), name)
			return
		}
	}
	zero := 0
	off, err := intParam(v, "offset", &zero)
	if err == nil && *off < 0 {
		err = &depeche.InvalidError{Field: "offset", Msg: fmt.Sprintf("offset %d: must be ≥ 0", *off)}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	def := depeche.DefaultLimit
	lim, err := intParam(v, "limit", &def)
	if err == nil && (*lim < 1 || *lim > MaxLimit) {
		err = &depeche.InvalidError{Field: "limit", Msg: fmt.Sprintf("limit %d: must be from 1 to %d", *lim, MaxLimit)}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := depeche.Filter{Label: v.Get("label"), Since: v.Get("since"), Until: v.Get("until")}
	if err := depeche.CheckFilter(&f, depeche.JSONFields); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.Desk.List(r.Context(), depeche.ListOptions{Filter: f, Query: v.Get("q"), Offset: *off, Limit: *lim})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// dispatchJSON is an archived dispatch with its text; labels always an array.
func dispatchJSON(d depeche.Dispatch) depeche.Dispatch {
	if d.Labels == nil {
		d.Labels = []string{}
	}
	return d
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	d, err := s.Desk.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, dispatchJSON(d))
}

type addRequest struct {
	Dispatches []depeche.Dispatch `json:"dispatches"`
}

type rejection struct {
	Where  string `json:"where"`
	Reason string `json:"reason"`
}

type addResponse struct {
	Added      int         `json:"added"`
	Duplicates int         `json:"duplicates"`
	Rejected   []rejection `json:"rejected"`
	IDs        []string    `json:"ids"` // the id of each dispatch sent, in order (made from the text when it had none)
}

func (s *Server) add(w http.ResponseWriter, r *http.Request) {
	var req addRequest
	if !s.decode(w, r, &req, true, `{"dispatches": [{"id": "…", "text": "…", "date": "2024-03-02", "labels": ["migration"]}]}`) {
		return
	}
	if len(req.Dispatches) == 0 || len(req.Dispatches) > MaxAdd {
		writeErrorField(w, r, http.StatusBadRequest, fmt.Sprintf(`"dispatches" has %d dispatches: send from 1 to %d`, len(req.Dispatches), MaxAdd), "dispatches")
		return
	}
	if !s.needWritable(w, r, "adding dispatches") {
		return
	}
	ids := make([]string, len(req.Dispatches))
	for i := range req.Dispatches {
		where := fmt.Sprintf("dispatches[%d]", i)
		if err := depeche.CheckDispatch(&req.Dispatches[i], where); err != nil {
			s.fail(w, r, err)
			return
		}
		req.Dispatches[i].Line = 0
		ids[i] = req.Dispatches[i].ID
	}
	st, err := s.Desk.Add(r.Context(), req.Dispatches)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.kick()
	out := addResponse{Added: st.Added, Duplicates: st.Duplicates, Rejected: []rejection{}, IDs: ids}
	for _, rj := range st.Rejected {
		out.Rejected = append(out.Rejected, rejection{Where: strings.TrimSuffix(rj.Where, ":0"), Reason: rj.Reason})
	}
	switch {
	case st.Added > 0:
		writeJSON(w, http.StatusCreated, out)
	case len(out.Rejected) > 0 && st.Duplicates == 0:
		// nothing added, every dispatch refused: its id is taken by another text
		writeError(w, r, http.StatusConflict, out.Rejected[0].Where+": "+out.Rejected[0].Reason+": choose another id, or leave id out to have one made from the text")
	default:
		writeJSON(w, http.StatusOK, out) // all were already archived
	}
}

type labelsRequest struct {
	Labels *[]string `json:"labels"`
}

func (s *Server) setLabels(w http.ResponseWriter, r *http.Request) {
	var req labelsRequest
	if !s.decode(w, r, &req, true, `{"labels": ["terrorisme", "migration"]}`) {
		return
	}
	if req.Labels == nil {
		writeErrorField(w, r, http.StatusBadRequest, `"labels" is missing: send the dispatch's labels, e.g. {"labels": ["terrorisme"]} ([] takes them all off)`, "labels")
		return
	}
	labels, err := depeche.CheckLabels("labels", *req.Labels)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !s.needWritable(w, r, "labelling") {
		return
	}
	id := r.PathValue("id")
	if err := s.Desk.Label(r.Context(), id, labels); err != nil {
		if errors.Is(err, depeche.ErrNotFound) {
			writeError(w, r, http.StatusNotFound, fmt.Sprintf("no dispatch has the id %q", id))
			return
		}
		s.fail(w, r, err)
		return
	}
	d, err := s.Desk.Get(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.Desk.PatchLabels(id, d.Labels) // visible to similar and listings at once; the watcher reloads anyway
	s.kick()
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "labels": dispatchJSON(d).Labels})
}

func (s *Server) kick() {
	if s.opt.Watcher != nil {
		s.opt.Watcher.Kick()
	}
}

// --- matrix, timeline, labels, info

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
	if a := s.Desk.Archive(); a != nil {
		arch["name"] = a.Path()
	} else {
		arch["name"] = "built-in"
	}
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
