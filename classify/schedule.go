package classify

import (
	"sync"
	"sync/atomic"

	"github.com/depeche/depeche/vec"
)

// sharedStart is StrategyShared's state: per label, the dual solution of its fit on all rows, which every
// other binary problem of the label starts from, kept only while some of them have still to start.
type sharedStart struct {
	alpha [][]float32 // alpha[l][i]: row i's α, or −(C − α) when that is the smaller (keep)
	C     float64
	done  []sync.WaitGroup // done[l]: the fit on all rows of label l has finished
	left  []atomic.Int32   // left[l]: jobs of label l that have still to read alpha[l]
}

func newSharedStart(labels int, C float64) *sharedStart {
	sh := &sharedStart{C: C, alpha: make([][]float32, labels), done: make([]sync.WaitGroup, labels), left: make([]atomic.Int32, labels)}
	for l := range sh.done {
		sh.done[l].Add(1)
	}
	return sh
}

// schedule lists the binary problems of procs label by label, so that the memory a label needs while it
// is trained (its out-of-fold values, its dual solutions) is released before most labels start: the
// memory of training grows with the rows, not with rows × labels.
//
// Without sh (StrategyNested), a label's inner folds come first, then its final fits, which wait for their
// folds (to start from their solutions); every fold of the label has then been taken, so a wait never
// blocks the job it waits for. With sh (StrategyShared), each label first gets a fit on all rows (the
// model's own final fit when model, else one that only serves as a start), then every other job of the
// label starts from it; the fit on all rows of label l+1 comes before the jobs of label l, so that the
// workers rarely wait for it. The order changes the speed, never the result.
func schedule(procs []*procedure, t *targets, sh *sharedStart, model bool, all []int) []job {
	L := len(t.labels)
	width := 1
	if sh != nil {
		width = blockWidth // the shared start's problems are solved a block of labels at a time
	}
	label := func(l, nl int, skipBase bool) []job {
		var js []job
		for _, p := range procs {
			for h := range p.inner {
				js = append(js, job{p: p, fold: h, l: l, nl: nl})
			}
		}
		for i, p := range procs {
			if !(skipBase && model && i == 0) {
				js = append(js, job{p: p, fold: -1, l: l, nl: nl})
			}
		}
		return js
	}
	var jobs []job
	if sh == nil {
		for l := range L {
			jobs = append(jobs, label(l, 1, false)...)
		}
		return jobs
	}
	base := func(l, nl int) job {
		if model {
			return job{p: procs[0], fold: -1, l: l, nl: nl, base: true}
		}
		// a procedure of all rows that predicts nothing and keeps nothing: only its dual solution is used
		p := &procedure{rows: all, testDec: make([][]float64, L), once: make([]sync.Once, L),
			left: make([]atomic.Int32, L), thresholds: make([]float32, L), aux: true}
		for q := l; q < l+nl; q++ {
			p.left[q].Store(1)
		}
		return job{p: p, fold: -1, l: l, nl: nl, base: true}
	}
	nl := func(l int) int { return min(width, L-l) }
	if L > 0 {
		jobs = append(jobs, base(0, nl(0)))
	}
	for l := 0; l < L; l += width {
		if l+width < L {
			jobs = append(jobs, base(l+width, nl(l+width)))
		}
		deps := label(l, nl(l), true)
		for q := l; q < l+nl(l); q++ {
			sh.left[q].Store(int32(len(deps)))
			if len(deps) == 0 {
				sh.left[q].Store(-1) // nobody reads the solution: never store it
			}
		}
		jobs = append(jobs, deps...)
	}
	return jobs
}

// solve trains one binary problem and stores what its procedure needs: out-of-fold decision values,
// test decision values, or the final weights. Each job writes only its own slots; the last job of a
// label in its procedure then chooses the label's threshold (and calibration).
func solve(x *vec.Matrix, t *targets, opt Options, sh *sharedStart, j job) {
	p := j.p
	if sh != nil { // only logreg has a shared start
		solveBlock(x, t, opt, sh, j)
		return
	}
	var w []float32
	var b float32
	switch opt.Algo {
	case NB:
		w, b = fitNB(x, t.y[j.l], j.rows(), opt.Alpha)
	default:
		// StrategyNested (a shared start went to solveBlock): the final fit starts from its inner folds
		var init []float64
		if j.fold < 0 && p.alpha != nil {
			p.folds[j.l].Wait()
			init = p.warmStart(j.l, opt.C)
		}
		r := newRand(opt.Seed, streamOf(t.labels[j.l], uint64(j.fold+1)))
		var alpha []float64
		w, b, alpha, _ = fitLogReg(x, t.y[j.l], j.rows(), opt.C, r, init)
		if j.fold >= 0 && p.alpha != nil {
			p.alpha[j.l][j.fold] = alpha
		}
	}
	if j.fold >= 0 {
		p.once[j.l].Do(func() { p.oof[j.l] = make([]float64, len(p.rows)) })
		for _, pos := range p.inner[j.fold] {
			p.oof[j.l][pos] = vec.DotDense(x.Row(p.rows[pos]), w) + float64(b)
		}
		p.folds[j.l].Done()
	} else {
		for q, i := range p.test {
			p.testDec[j.l][q] = vec.DotDense(x.Row(i), w) + float64(b)
		}
		if p.keep {
			p.w[j.l], p.b[j.l] = w, b
		}
	}
	if p.left[j.l].Add(-1) == 0 {
		p.finishLabel(j.l, t, opt)
	}
}

// solveBlock is solve for a block of labels with a shared start (StrategyShared, StrategyPooled): their
// problems on the same rows are solved in one sweep of the rows (fitLogRegBlock), in a coordinate order
// that depends on the fold and not on the label, so that a label's solution does not depend on which
// labels share its block.
func solveBlock(x *vec.Matrix, t *targets, opt Options, sh *sharedStart, j job) {
	p, rows := j.p, j.rows()
	var inits [][]float64
	if !j.base {
		inits = make([][]float64, j.nl)
		for q := range j.nl {
			sh.done[j.l+q].Wait()
			inits[q] = sh.startOf(j.l+q, rows)
		}
	}
	r := newRand(opt.Seed, streamOf("logreg order", uint64(j.fold+1)))
	blk := fitLogRegBlock(x, t.y[j.l:j.l+j.nl], rows, opt.C, r, inits)
	for q := range j.nl {
		if j.base {
			if sh.left[j.l+q].Load() > 0 {
				sh.keep(j.l+q, blk.alpha[q]) // rows are all the rows, in order: alpha is indexed by row
			}
			sh.done[j.l+q].Done()
		}
		blk.alpha[q] = nil
	}
	dec := make([]float64, j.nl)
	if j.fold >= 0 {
		for q := range j.nl {
			l := j.l + q
			p.once[l].Do(func() { p.oof[l] = make([]float64, len(p.rows)) })
		}
		for _, pos := range p.inner[j.fold] {
			blk.decision(x, p.rows[pos], dec)
			for q, f := range dec {
				p.oof[j.l+q][pos] = f
			}
		}
		for q := range j.nl {
			p.folds[j.l+q].Done()
		}
	} else {
		for k, i := range p.test {
			blk.decision(x, i, dec)
			for q, f := range dec {
				p.testDec[j.l+q][k] = f
			}
		}
		if p.keep {
			for q := range j.nl {
				p.w[j.l+q], p.b[j.l+q] = blk.weights(q), float32(blk.wb[q])
			}
		}
	}
	for q := range j.nl {
		if p.left[j.l+q].Add(-1) == 0 {
			p.finishLabel(j.l+q, t, opt)
		}
	}
}

// keep stores label l's dual solution on all rows for the jobs that start from it, in 4 bytes a row
// instead of 16: per row the smaller of α and C − α in float32, negated when it is C − α, so that the
// pair comes back exact but for the small one's rounding (a relative 6e-8), and summing to C. Held for
// a block of 16 labels until its last job has started, the float64 pairs were 256 MB at a million rows.
// A warm start needs no more: every fit stops by its own duality gap, from wherever it starts.
func (sh *sharedStart) keep(l int, alpha []float64) {
	C := sh.C
	a := make([]float32, len(alpha)/2)
	for i := range a {
		small, sign := alpha[2*i], float32(1)
		if alpha[2*i+1] < small {
			small, sign = alpha[2*i+1], -1
		}
		v := float32(small)
		if v == 0 { // below float32's range: the cold start's distance to the bound instead
			v = float32(min(0.001*C, 1e-8))
		}
		a[i] = sign * v
	}
	sh.alpha[l] = a
}

// startOf returns the starting dual point of a job of label l on rows: the solution on all rows,
// restricted to them. The last job to read it releases it.
func (sh *sharedStart) startOf(l int, rows []int) []float64 {
	a := sh.alpha[l]
	init := make([]float64, 2*len(rows))
	for j, i := range rows {
		if v := float64(a[i]); v > 0 {
			init[2*j], init[2*j+1] = v, sh.C-v
		} else {
			init[2*j], init[2*j+1] = sh.C+v, -v
		}
	}
	if sh.left[l].Add(-1) == 0 {
		sh.alpha[l] = nil
	}
	return init
}

// warmStart returns the starting dual point of label l's final fit: for each row, the mean of its pairs
// (α, C − α) over the inner folds that trained on it. It releases the folds' solutions.
func (p *procedure) warmStart(l int, C float64) []float64 {
	init := make([]float64, 2*len(p.rows))
	cnt := make([]float64, len(p.rows))
	for h, alpha := range p.alpha[l] {
		for j, pos := range p.trainPos[h] {
			init[2*pos] += alpha[2*j]
			init[2*pos+1] += alpha[2*j+1]
			cnt[pos]++
		}
	}
	p.alpha[l] = nil
	for pos, c := range cnt {
		if c == 0 { // a row no fold trained on (possible only with a single inner fold): the cold start
			init[2*pos] = min(0.001*C, 1e-8)
			init[2*pos+1] = C - init[2*pos]
			continue
		}
		init[2*pos] /= c
		init[2*pos+1] /= c
	}
	return init
}

// runJobs runs do on every job with the given number of goroutines, taking them in order. Jobs write to
// their own slots, so the result does not depend on scheduling.
func runJobs(jobs []job, workers int, do func(job)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= len(jobs) {
					return
				}
				do(jobs[k])
			}
		}()
	}
	wg.Wait()
}

// finishLabel turns the out-of-fold decision values of label l into its calibration and threshold, then
// releases them.
func (p *procedure) finishLabel(l int, t *targets, opt Options) {
	if p.oof == nil || p.oof[l] == nil {
		return // no inner cross-validation: the defaults set by newProcedure stay
	}
	yl := make([]int8, len(p.rows))
	for pos, i := range p.rows {
		yl[pos] = t.y[l][i]
	}
	// logreg's own σ(f) stays for a label with too few positives to fit a sigmoid on (as for its
	// threshold); nb's log-odds are unusable uncalibrated, so it is always fitted
	if p.plattA != nil && (opt.Algo == NB || positives(yl) >= MinPositives) {
		a, b := fitPlatt(p.oof[l], yl)
		p.plattA[l], p.plattB[l] = float32(a), float32(b)
	}
	prob := make([]float64, len(p.rows))
	for pos, f := range p.oof[l] {
		prob[pos] = p.prob(l, f)
	}
	p.thresholds[l] = chooseThreshold(prob, yl)
	p.oof[l] = nil
}
