package classify

import (
	"sync"
	"sync/atomic"
)

// finisher completes each label as soon as every job of it has run, in whatever procedure: the pooled
// thresholds and calibrations (StrategyPooled), then the label's share of the cross-validation report,
// after which the outer folds' decision values of the label are released. Holding them for every label
// until the end cost 8 bytes a row and label (1.4 GB at a million rows and 180 labels); now only the
// labels in training hold theirs.
type finisher struct {
	procs  []*procedure // procs[0] is the model's when there is a model
	folds  []*procedure // the outer folds, whose test rows the report is of
	pooled bool
	t      *targets
	opt    Options
	n      int
	left   []atomic.Int32 // per label, jobs of procs still to run
	rep    *oofReport     // nil without cross-validation

	mu   sync.Mutex // serialises Options.Progress
	done int
}

// count records that job j will end one job of each of its labels.
func (fn *finisher) count(j job) {
	for q := range j.nl {
		fn.left[j.l+q].Add(1)
	}
}

// jobDone is called by every job of procs when it has stored its results.
func (fn *finisher) jobDone(j job) {
	for q := range j.nl {
		if fn.left[j.l+q].Add(-1) == 0 {
			fn.label(j.l + q)
		}
	}
}

func (fn *finisher) label(l int) {
	if fn.pooled {
		fn.poolLabel(l)
	}
	if fn.rep != nil {
		fn.rep.add(l, fn.folds, fn.t)
	}
	for _, p := range fn.folds {
		p.testDec[l] = nil
	}
	if fn.opt.Progress != nil {
		fn.mu.Lock()
		fn.done++
		fn.opt.Progress(fn.done, len(fn.left))
		fn.mu.Unlock()
	}
}

// poolLabel chooses, for StrategyPooled, label l's calibration and threshold in every procedure from the
// cross-validation's out-of-fold decision values (the folds' testDec): the model's from every row's, a
// fold's from those of the rows it trained on.
func (fn *finisher) poolLabel(l int) {
	dec := make([]float64, fn.n)
	for _, p := range fn.folds {
		for q, i := range p.test {
			dec[i] = p.testDec[l][q]
		}
	}
	for _, p := range fn.procs {
		oof := make([]float64, len(p.rows))
		for pos, i := range p.rows {
			oof[pos] = dec[i]
		}
		p.oof[l] = oof // run allocated p.oof for every procedure
		p.finishLabel(l, fn.t, fn.opt)
	}
}

// oofReport gathers the cross-validation's predictions and reliability tables label by label, in
// whatever order the labels end, with the result of the label order: an exclusive fold's row keeps
// its first label of highest decision value, another's the labels whose score reaches their threshold.
type oofReport struct {
	mu      sync.Mutex
	best    []int32   // exclusive folds: per row, the label of highest decision so far (−1: none yet)
	bestDec []float64 // and its decision value
	words   int
	bits    []uint64 // other folds: per row, words × 64 bits, one per label predicted
	bins    []labelBins
}

func newOOFReport(n, labels int) *oofReport {
	r := &oofReport{best: make([]int32, n), bestDec: make([]float64, n), words: (labels + 63) / 64,
		bins: make([]labelBins, labels)}
	r.bits = make([]uint64, n*r.words)
	for i := range r.best {
		r.best[i] = -1
	}
	return r
}

// add takes label l's out-of-fold decision values from the folds' testDec.
func (r *oofReport) add(l int, folds []*procedure, t *targets) {
	score := make([]float64, len(r.best))
	for _, p := range folds {
		for q, i := range p.test {
			score[i] = p.prob(l, p.testDec[l][q])
		}
	}
	for i, s := range score {
		r.bins[l].add(s, t.y[l][i] > 0)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range folds {
		for q, i := range p.test {
			if p.exclusive {
				// PredictDecisions' rule: the first label of highest decision value
				d, b := p.testDec[l][q], r.best[i]
				// (decision values are finite: checkMatrix refused non-finite values)
				if b < 0 || d > r.bestDec[i] || (d == r.bestDec[i] && int32(l) < b) {
					r.best[i], r.bestDec[i] = int32(l), d
				}
			} else if score[i] >= float64(p.thresholds[l]) {
				r.bits[i*r.words+l/64] |= 1 << (l % 64)
			}
		}
	}
}

// report evaluates the gathered predictions against the truth.
func (r *oofReport) report(t *targets) *Report {
	n := len(r.best)
	pred := make([][]string, n)
	truth := make([][]string, n)
	for i := range n {
		for l, s := range t.labels {
			if t.y[l][i] > 0 {
				truth[i] = append(truth[i], s)
			}
		}
		if b := r.best[i]; b >= 0 {
			pred[i] = []string{t.labels[b]}
			continue
		}
		for l, s := range t.labels {
			if r.bits[i*r.words+l/64]&(1<<(l%64)) != 0 {
				pred[i] = append(pred[i], s)
			}
		}
	}
	rep := Evaluate(truth, pred, t.labels)
	rep.Calibration = calibrationOfBins(t.labels, r.bins)
	return rep
}
