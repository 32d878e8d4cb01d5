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
	s.kick()
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "labels": dispatchJSON(d).Labels})
}

func (s *Server) kick() {
	if s.opt.Watcher != nil {
		s.opt.Watcher.Kick()
	}
}
