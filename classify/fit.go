package classify

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/depeche/depeche/vec"
)

// Fit trains a model on the rows of x (one document per row) and their label sets y (y[i] may be empty:
// none of the labels). It first runs the internal cross-validation of Options.ThresholdFolds folds, whose
// out-of-fold scores choose each label's threshold (and, for nb, its calibration), then fits every label
// on all rows. Bad data or options give an error wrapping one of the Err values; Fit never modifies x or y.
func Fit(x *vec.Matrix, y [][]string, opt Options) (*Model, error) {
	m, _, err := run(x, y, opt, 0, true)
	return m, err
}

// FitCV is Fit and CrossValidate in one call, sharing one pool of workers: it returns the model Fit
// returns and the report CrossValidate returns. With folds < 2 it does not cross-validate and the report
// is nil.
func FitCV(x *vec.Matrix, y [][]string, opt Options, folds int) (*Model, *Report, error) {
	if folds < 2 {
		folds = 0
	}
	return run(x, y, opt, folds, true)
}

// CrossValidate estimates how well Fit generalises by k-fold cross-validation: the rows are dealt into
// folds (stratified by label, groups kept whole, see Options.Groups), and each fold is predicted by the
// model that Fit would build from the other folds, internal threshold cross-validation included, so no
// threshold or calibration ever sees the fold it is judged on. The report compares those out-of-fold
// predictions with y over the labels of the training data. folds is lowered to the number of rows (or of
// groups) when larger; fewer than 2 is an error (ErrBadOption, or ErrFolds when the data has fewer than 2
// rows or groups). Its cost is about folds times that of Fit.
func CrossValidate(x *vec.Matrix, y [][]string, opt Options, folds int) (*Report, error) {
	if folds < 2 {
		return nil, fmt.Errorf("%w: cross-validation needs at least 2 folds, got %d", ErrBadOption, folds)
	}
	_, rep, err := run(x, y, opt, folds, false)
	return rep, err
}

// procedure is Fit's recipe applied to one set of training rows: the real fit (all rows) or the fit of
// one outer cross-validation fold (the other folds), which then predicts its test rows.
type procedure struct {
	rows     []int   // training rows, ascending
	test     []int   // rows to predict with the final weights (an outer fold); nil for the real fit
	keep     bool    // keep the final weights (the real fit)
	inner    [][]int // positions (in rows) of each inner fold; nil when the inner CV is off
	train    [][]int // training rows of each inner fold: rows minus that fold
	trainPos [][]int // their positions in rows

	oof     [][]float64 // per label, the out-of-fold decision value of each position of rows
	testDec [][]float64 // per label, the decision value of each test row
	w       [][]float32 // per label, the final weights (when keep)
	b       []float32

	// logreg warm start (StrategyNested): the dual solution of each inner fold, per label, then averaged
	// per row to start the final fit; folds[l] counts the inner folds of label l still running.
	alpha [][][]float64
	folds []sync.WaitGroup

	once []sync.Once    // allocates oof[l] when the first job of label l starts (memory: one label at a time)
	left []atomic.Int32 // per label, its jobs still running; the last one chooses its threshold

	aux            bool // a procedure of schedule's own, only to start other fits from: not in run's procs
	exclusive      bool
	thresholds     []float32
	plattA, plattB []float32 // nb only
}

// job is one binary problem, or a block of them: one label (or nl labels) of one procedure, on one inner
// fold's training rows (fold ≥ 0) or on all of the procedure's rows (fold = −1).
type job struct {
	p    *procedure
	fold int
	l    int
	nl   int  // the labels l … l+nl−1 (≥ 1), solved together (fitLogRegBlock) with a shared start; else 1
	base bool // StrategyShared: the fit on all rows that every other job of the label starts from
}

func (j job) rows() []int {
	if j.fold < 0 {
		return j.p.rows
	}
	return j.p.train[j.fold]
}

// run is Fit (model), CrossValidate (folds ≥ 2) or both.
func run(x *vec.Matrix, y [][]string, opt Options, folds int, model bool) (*Model, *Report, error) {
	if err := checkMatrix(x); err != nil {
		return nil, nil, err
	}
	n := x.Rows()
	if n != len(y) {
		return nil, nil, fmt.Errorf("%w: %d rows, %d label sets", ErrRowsLabels, n, len(y))
	}
	opt, err := opt.resolve(n)
	if err != nil {
		return nil, nil, err
	}
	pooled := opt.Algo == LogReg && opt.Strategy == StrategyPooled && model && folds >= 2
	if opt.Strategy == StrategyPooled && !pooled {
		opt.Strategy = StrategyShared // pooling needs both the model and its cross-validation
	}
	popt := opt // the options the procedures are prepared with: no inner folds when pooled
	if pooled {
		popt.ThresholdFolds = 1
	}
	t, err := indexLabels(y, opt.Labels)
	if err != nil {
		return nil, nil, err
	}
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	var procs []*procedure
	if model {
		procs = append(procs, newProcedure(all, nil, true, t, popt, streamOf("fit", 0)))
	}
	var outer []int
	if folds >= 2 {
		k := min(folds, countGroups(all, opt.Groups))
		if k < 2 {
			return nil, nil, fmt.Errorf("%w: %d rows in %d groups", ErrFolds, n, countGroups(all, opt.Groups))
		}
		outer = assignFolds(all, k, t, opt.Groups, opt.Seed, streamOf("cv", uint64(k)))
		nonEmpty := 0
		for f := range k {
			var train, test []int
			for i, g := range outer {
				if g == f {
					test = append(test, i)
				} else {
					train = append(train, i)
				}
			}
			if len(test) == 0 {
				continue // a fold left empty by large groups: nothing to predict
			}
			nonEmpty++
			procs = append(procs, newProcedure(train, test, false, t, popt, streamOf("cv", uint64(k)+uint64(f+1)<<32)))
		}
		if nonEmpty < 2 {
			return nil, nil, fmt.Errorf("%w: %d rows in %d groups", ErrFolds, n, countGroups(all, opt.Groups))
		}
	}
	for _, p := range procs {
		p.exclusive = t.exclusive(p.rows)
	}
	var sh *sharedStart
	if opt.Algo == LogReg && (opt.Strategy == StrategyShared || opt.Strategy == StrategyPooled) {
		sh = newSharedStart(len(t.labels), opt.C)
	}
	fn := &finisher{procs: procs, folds: procs, pooled: pooled, t: t, opt: opt, n: n, left: make([]atomic.Int32, len(t.labels))}
	if model {
		fn.folds = procs[1:]
	}
	if folds >= 2 {
		fn.rep = newOOFReport(n, len(t.labels))
	}
	if pooled {
		for _, p := range procs {
			p.oof = make([][]float64, len(t.labels)) // poolLabel puts a label's values here for finishLabel
		}
	}
	jobs := schedule(procs, t, sh, model, all)
	for _, j := range jobs {
		if !j.p.aux {
			fn.count(j)
		}
	}
	runJobs(jobs, opt.Workers, func(j job) {
		solve(x, t, opt, sh, j)
		if !j.p.aux {
			fn.jobDone(j)
		}
	})

	var m *Model
	if model {
		p := procs[0]
		m = &Model{Labels: t.labels, Algo: opt.Algo, Exclusive: p.exclusive, Weights: p.w, Bias: p.b,
			Thresholds: p.thresholds, PlattA: p.plattA, PlattB: p.plattB}
	}
	var rep *Report
	if fn.rep != nil {
		rep = fn.rep.report(t)
	}
	return m, rep, nil
}

// newProcedure prepares the inner folds of a procedure on rows.
func newProcedure(rows, test []int, keep bool, t *targets, opt Options, stream uint64) *procedure {
	L := len(t.labels)
	p := &procedure{rows: rows, test: test, keep: keep, testDec: make([][]float64, L), folds: make([]sync.WaitGroup, L),
		once: make([]sync.Once, L), left: make([]atomic.Int32, L), thresholds: make([]float32, L)}
	if keep {
		p.w, p.b = make([][]float32, L), make([]float32, L)
	}
	if opt.Algo == NB || opt.Calibration == PlattCalibration {
		p.plattA, p.plattB = make([]float32, L), make([]float32, L)
	}
	for l := range L {
		p.thresholds[l] = DefaultThreshold
		if p.plattA != nil {
			p.plattA[l] = 1
		}
		p.left[l].Store(1)
	}
	for l := range p.testDec {
		p.testDec[l] = make([]float64, len(test))
	}
	k := min(opt.ThresholdFolds, countGroups(rows, opt.Groups))
	if k < 2 {
		return p
	}
	foldOf := assignFolds(rows, k, t, opt.Groups, opt.Seed, stream)
	inner := make([][]int, k)
	for pos, f := range foldOf {
		inner[f] = append(inner[f], pos)
	}
	for f := range inner {
		if len(inner[f]) == 0 || len(inner[f]) == len(rows) {
			continue // an empty fold, or a fold with nothing left to train on: no out-of-fold scores
		}
		train := make([]int, 0, len(rows)-len(inner[f]))
		trainPos := make([]int, 0, len(rows)-len(inner[f]))
		for pos, g := range foldOf {
			if g != f {
				train = append(train, rows[pos])
				trainPos = append(trainPos, pos)
			}
		}
		p.inner = append(p.inner, inner[f])
		p.train = append(p.train, train)
		p.trainPos = append(p.trainPos, trainPos)
	}
	if len(p.inner) < 2 {
		p.inner, p.train, p.trainPos = nil, nil, nil
		return p
	}
	p.oof = make([][]float64, L)
	p.alpha = make([][][]float64, L)
	for l := range L {
		p.alpha[l] = make([][]float64, len(p.inner))
		p.folds[l].Add(len(p.inner))
		p.left[l].Store(int32(len(p.inner)) + 1)
	}
	return p
}

func positives(y []int8) int {
	n := 0
	for _, v := range y {
		if v > 0 {
			n++
		}
	}
	return n
}

// prob maps a decision value of label l to a score, as Model.Scores does.
func (p *procedure) prob(l int, f float64) float64 {
	if p.plattA != nil {
		f = float64(p.plattA[l])*f + float64(p.plattB[l])
	}
	return sigmoid(f)
}
