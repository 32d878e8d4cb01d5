package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/depeche/depeche"
)

// Job is a background task (a retraining) and what became of it.
type Job struct {
	ID       string     `json:"id"`
	Kind     string     `json:"kind"`
	State    string     `json:"state"` // running, done, failed, canceled
	Started  time.Time  `json:"started"`
	Finished *time.Time `json:"finished,omitempty"`
	Error    string     `json:"error,omitempty"`
	Result   any        `json:"result,omitempty"`
}

// jobs keeps the jobs of this process (the last 20) and runs at most one at a time.
type jobs struct {
	mu     sync.Mutex
	list   []*Job
	next   int
	cancel context.CancelFunc // of the running job
	wg     sync.WaitGroup
}

func (j *jobs) get(id string) (Job, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, x := range j.list {
		if x.ID == id {
			return *x, true
		}
	}
	return Job{}, false
}

func (j *jobs) all() []Job {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make([]Job, 0, len(j.list))
	for _, x := range slices.Backward(j.list) {
		out = append(out, *x)
	}
	return out
}

// start runs f in the background unless a job runs; it returns the job, or the running one and false.
func (j *jobs) start(kind string, f func(ctx context.Context) (any, error)) (Job, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, x := range j.list {
		if x.State == "running" {
			return *x, false
		}
	}
	j.next++
	job := &Job{ID: kind + "-" + strconv.Itoa(j.next), Kind: kind, State: "running", Started: time.Now().UTC()}
	j.list = append(j.list, job)
	if len(j.list) > 20 {
		j.list = j.list[len(j.list)-20:]
	}
	ctx, cancel := context.WithCancel(context.Background())
	j.cancel = cancel
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		defer cancel()
		res, err := f(ctx)
		j.mu.Lock()
		defer j.mu.Unlock()
		now := time.Now().UTC()
		job.Finished = &now
		switch {
		case err == nil:
			job.State, job.Result = "done", res
		case errors.Is(err, context.Canceled):
			job.State, job.Error = "canceled", "canceled: the server was shutting down (the model file was left as it was)"
		default:
			job.State, job.Error = "failed", err.Error()
		}
	}()
	return *job, true
}

// cancelAll cancels the running job and waits for it to end (a shutdown).
func (j *jobs) cancelAll() {
	j.mu.Lock()
	if j.cancel != nil {
		j.cancel()
	}
	j.mu.Unlock()
	j.wg.Wait()
}

type retrainResult struct {
	Model   string   `json:"model"`
	Docs    int      `json:"docs"`
	Labels  []string `json:"labels"`
	MacroF1 *float64 `json:"macro_f1,omitempty"`
	MicroF1 *float64 `json:"micro_f1,omitempty"`
	Seconds float64  `json:"seconds"`
}

func (s *Server) retrain(w http.ResponseWriter, r *http.Request) {
	var req struct{}
	if r.ContentLength != 0 && !s.decode(w, r, &req, true, `{}`) {
		return
	}
	if s.opt.ModelOut == "" {
		writeError(w, r, http.StatusConflict, "this server has no model file to write: start serve with --model FILE or --home DIR to retrain")
		return
	}
	if !s.needWritable(w, r, "retraining") {
		return
	}
	out := s.opt.ModelOut
	job, ok := s.jobs.start("retrain", func(ctx context.Context) (any, error) {
		start := time.Now()
		s.log.Info("retraining", "model", out)
		m, err := s.Desk.Retrain(ctx, out, depeche.TrainOptions{})
		if err != nil {
			s.log.Warn("retraining failed", "error", err.Error())
			return nil, err
		}
		res := retrainResult{Model: out, Docs: m.Info.Docs, Labels: m.Classifier.Labels, Seconds: time.Since(start).Seconds()}
		if m.Info.CV != nil {
			res.MacroF1, res.MicroF1 = &m.Info.CV.MacroF1, &m.Info.CV.MicroF1
		}
		s.log.Info("retrained", "model", out, "docs", res.Docs, "seconds", res.Seconds)
		return res, nil
	})
	if !ok {
		writeError(w, r, http.StatusConflict, "a retraining is running already ("+job.ID+", GET /v1/jobs/"+job.ID+"): wait for it to end")
		return
	}
	w.Header().Set("Location", "/v1/jobs/"+job.ID)
	writeJSON(w, http.StatusAccepted, job)
}

func (s *Server) job(w http.ResponseWriter, r *http.Request) {
	j, ok := s.jobs.get(r.PathValue("id"))
	if !ok {
		writeError(w, r, http.StatusNotFound, "no job "+quote(r.PathValue("id"))+" (GET /v1/jobs lists them; jobs are kept until the server stops)")
		return
	}
	writeJSON(w, http.StatusOK, j)
}

func (s *Server) jobList(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"jobs": s.jobs.all()})
}
