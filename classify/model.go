package classify

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/depeche/depeche/vec"
)

// Algo names a learning algorithm.
type Algo string

// The algorithms.
const (
	LogReg Algo = "logreg"
	NB     Algo = "nb"
)

// Errors for bad training data or options.
var (
	ErrNoRows      = errors.New("classify: no rows to learn from")
	ErrRowsLabels  = errors.New("classify: the number of rows and of label sets differ")
	ErrFewLabels   = errors.New("classify: at least one label is needed")
	ErrUnknownAlgo = errors.New("classify: unknown algorithm")
)

// Options configure Fit. The zero value is the default.
type Options struct {
	Algo Algo // zero: logreg
	// C is the inverse L2 regularisation strength of logreg; zero: 10. TF-IDF rows have unit norm, so the
	// C = 1 that suits standardised features underfits them (compare sklearn's logreg and LinearSVC rows in
	// shared/bench/README.md).
	C float64
	// Alpha is the smoothing of nb; zero: 0.1.
	Alpha float64
	// ThresholdFolds is the k of the cross-validation that chooses thresholds; zero: 5 (3 above 20,000
	// rows). 1 keeps every threshold at 0.5 and trains once.
	ThresholdFolds int
	// Seed drives fold assignment and coordinate order.
	Seed uint64
	// Workers is the number of labels trained at once; zero: GOMAXPROCS.
	Workers int
	// Groups, when not nil, gives each row a group; rows of a group never straddle folds (reports of one
	// event, near-duplicate dispatches).
	Groups []int
}

func (o Options) withDefaults(n int) (Options, error) {
	switch o.Algo {
	case "":
		o.Algo = LogReg
	case LogReg, NB:
	default:
		return o, fmt.Errorf("%w %q: must be one of logreg|nb", ErrUnknownAlgo, string(o.Algo))
	}
	if o.C <= 0 {
		o.C = 10
	}
	if o.Alpha <= 0 {
		o.Alpha = 0.1
	}
	if o.ThresholdFolds == 0 {
		o.ThresholdFolds = 5
		if n > 20000 {
			o.ThresholdFolds = 3
		}
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o, nil
}

// Model is a trained multi-label model.
type Model struct {
	Labels     []string    // sorted label ids
	Algo       Algo        // how it was trained
	Exclusive  bool        // single-label data: Predict returns exactly the best label
	Weights    [][]float32 // per label, one weight per feature
	Bias       []float32   // per label
	Thresholds []float32   // per label, in [0,1]
	// PlattA, PlattB map nb decision values to probabilities σ(A·f + B), per label; nil for logreg.
	PlattA, PlattB []float32
}

// Contribution is one feature's share of a label's decision value for one document.
type Contribution struct {
	Feature int32
	Value   float64 // w_i · x_i
}

// Features returns the number of features the model was trained on.
func (m *Model) Features() int {
	if len(m.Weights) == 0 {
		return 0
	}
	return len(m.Weights[0])
}

func (m *Model) decision(v vec.Vector, l int) float64 {
	return vec.DotDense(v, m.Weights[l]) + float64(m.Bias[l])
}

func (m *Model) prob(f float64, l int) float64 {
	if m.PlattA != nil {
		f = float64(m.PlattA[l])*f + float64(m.PlattB[l])
	}
	return sigmoid(f)
}

func sigmoid(f float64) float64 {
	if f >= 0 {
		return 1 / (1 + math.Exp(-f))
	}
	e := math.Exp(f)
	return e / (1 + e)
}

// Scores returns the probability of each label (in the order of Labels) for v, each in [0,1].
func (m *Model) Scores(v vec.Vector) []float64 {
	out := make([]float64, len(m.Labels))
	for l := range m.Labels {
		p := m.prob(m.decision(v, l), l)
		if math.IsNaN(p) {
			p = 0
		}
		out[l] = p
	}
	return out
}

// Predict returns the labels predicted for v: those whose score reaches their threshold, or for an
// Exclusive model the single best label.
func (m *Model) Predict(v vec.Vector) []string {
	return m.predictScores(m.Scores(v))
}

func (m *Model) predictScores(s []float64) []string {
	if m.Exclusive {
		best := 0
		for l := range s {
			if s[l] > s[best] {
				best = l
			}
		}
		return []string{m.Labels[best]}
	}
	var out []string
	for l, p := range s {
		if p >= float64(m.Thresholds[l]) {
			out = append(out, m.Labels[l])
		}
	}
	return out
}

// Explain returns up to k features of v that push the decision value of label l up most, by descending
// contribution w_i·x_i; only positive contributions are returned.
func (m *Model) Explain(v vec.Vector, l int, k int) []Contribution {
	w := m.Weights[l]
	var cs []Contribution
	for j, i := range v.Ind {
		if int(i) >= len(w) {
			continue
		}
		if c := float64(w[i]) * float64(v.Val[j]); c > 0 {
			cs = append(cs, Contribution{i, c})
		}
	}
	sort.Slice(cs, func(a, b int) bool {
		if cs[a].Value != cs[b].Value {
			return cs[a].Value > cs[b].Value
		}
		return cs[a].Feature < cs[b].Feature
	})
	if len(cs) > k {
		cs = cs[:k]
	}
	return cs
}

// labelIndex returns the sorted label set of y and, per label, a ±1 target for each row.
func labelIndex(y [][]string) ([]string, [][]int8, bool) {
	set := map[string]bool{}
	exclusive := true
	for _, ls := range y {
		if len(ls) != 1 {
			exclusive = false
		}
		for _, l := range ls {
			set[l] = true
		}
	}
	labels := make([]string, 0, len(set))
	for l := range set {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	pos := map[string]int{}
	for i, l := range labels {
		pos[l] = i
	}
	t := make([][]int8, len(labels))
	for l := range t {
		t[l] = make([]int8, len(y))
		for i := range t[l] {
			t[l][i] = -1
		}
	}
	for i, ls := range y {
		for _, l := range ls {
			t[pos[l]][i] = 1
		}
	}
	return labels, t, exclusive && len(labels) > 1
}

func check(x *vec.Matrix, y [][]string) error {
	if x.Rows() == 0 {
		return ErrNoRows
	}
	if x.Rows() != len(y) {
		return fmt.Errorf("%w: %d rows, %d label sets", ErrRowsLabels, x.Rows(), len(y))
	}
	return nil
}

// Fit trains a model on the rows of x and their label sets y (an empty set: none of the labels).
func Fit(x *vec.Matrix, y [][]string, opt Options) (*Model, error) {
	m, _, err := FitCV(x, y, opt, 0)
	return m, err
}

// FitCV trains a model and, when folds ≥ 2, also cross-validates it in the same pass: the out-of-fold
// scores of one k-fold run both choose the final thresholds and measure the model (each fold judged with
// thresholds chosen on the other folds only). With folds < 2 the thresholds come from opt.ThresholdFolds.
func FitCV(x *vec.Matrix, y [][]string, opt Options, folds int) (*Model, *Report, error) {
	if err := check(x, y); err != nil {
		return nil, nil, err
	}
	opt, err := opt.withDefaults(x.Rows())
	if err != nil {
		return nil, nil, err
	}
	labels, targets, exclusive := labelIndex(y)
	if len(labels) == 0 {
		return nil, nil, ErrFewLabels
	}
	k := opt.ThresholdFolds
	if folds >= 2 {
		k = folds
	}
	if k > x.Rows() {
		k = x.Rows()
	}
	m := &Model{Labels: labels, Algo: opt.Algo, Exclusive: exclusive, Thresholds: make([]float32, len(labels))}
	for l := range m.Thresholds {
		m.Thresholds[l] = 0.5
	}
	var rep *Report
	if k >= 2 {
		foldOf := assignFolds(x.Rows(), k, opt.Seed, opt.Groups)
		oof, platt := outOfFold(x, targets, opt, foldOf, k)
		if opt.Algo == NB {
			m.PlattA, m.PlattB = platt[0], platt[1]
		}
		for l := range labels {
			m.Thresholds[l] = chooseThreshold(oof[l], targets[l], nil)
		}
		if folds >= 2 {
			rep = foldReport(m, oof, targets, y, foldOf, k)
		}
	} else if opt.Algo == NB {
		m.PlattA, m.PlattB = make([]float32, len(labels)), make([]float32, len(labels))
		for l := range labels {
			m.PlattA[l] = 1
		}
	}
	m.Weights, m.Bias = fitAll(x, targets, opt, nil)
	return m, rep, nil
}

// CrossValidate measures k-fold cross-validated precision, recall and F1 of a model trained with opt.
func CrossValidate(x *vec.Matrix, y [][]string, opt Options, folds int) (*Report, error) {
	if folds < 2 {
		return nil, fmt.Errorf("classify: cross-validation needs at least 2 folds, got %d", folds)
	}
	_, rep, err := FitCV(x, y, opt, folds)
	return rep, err
}

// assignFolds gives each row a fold in [0,k): groups are shuffled and dealt to the currently smallest fold,
// so folds have similar sizes and a group stays whole.
func assignFolds(n, k int, seed uint64, groups []int) []int {
	r := newRand(seed, 0x5eed)
	if groups == nil || len(groups) != n {
		perm := r.perm(n)
		f := make([]int, n)
		for i, p := range perm {
			f[p] = i % k
		}
		return f
	}
	members := map[int][]int{}
	var keys []int
	for i, g := range groups {
		if _, ok := members[g]; !ok {
			keys = append(keys, g)
		}
		members[g] = append(members[g], i)
	}
	slices.Sort(keys)
	order := r.perm(len(keys))
	size := make([]int, k)
	f := make([]int, n)
	for _, o := range order {
		best := 0
		for j := range size {
			if size[j] < size[best] {
				best = j
			}
		}
		for _, i := range members[keys[o]] {
			f[i] = best
		}
		size[best] += len(members[keys[o]])
	}
	return f
}

// outOfFold returns, per label, each row's probability from a model that did not see the row's fold; for
// nb also the Platt parameters fitted on the out-of-fold decision values.
func outOfFold(x *vec.Matrix, targets [][]int8, opt Options, foldOf []int, k int) ([][]float64, [2][]float32) {
	n := x.Rows()
	L := len(targets)
	dec := make([][]float64, L)
	for l := range dec {
		dec[l] = make([]float64, n)
	}
	for f := 0; f < k; f++ {
		var train, test []int
		for i := 0; i < n; i++ {
			if foldOf[i] == f {
				test = append(test, i)
			} else {
				train = append(train, i)
			}
		}
		if len(test) == 0 || len(train) == 0 {
			continue
		}
		w, b := fitAll(x, targets, opt, train)
		for _, i := range test {
			row := x.Row(i)
			for l := range targets {
				dec[l][i] = vec.DotDense(row, w[l]) + float64(b[l])
			}
		}
	}
	var platt [2][]float32
	if opt.Algo == NB {
		platt[0], platt[1] = make([]float32, L), make([]float32, L)
		for l := range targets {
			a, bb := fitPlatt(dec[l], targets[l])
			platt[0][l], platt[1][l] = float32(a), float32(bb)
			for i := range dec[l] {
				dec[l][i] = sigmoid(a*dec[l][i] + bb)
			}
		}
		return dec, platt
	}
	for l := range dec {
		for i := range dec[l] {
			dec[l][i] = sigmoid(dec[l][i])
		}
	}
	return dec, platt
}

// fitAll trains one binary classifier per label on the given rows (nil: all), labels in parallel.
func fitAll(x *vec.Matrix, targets [][]int8, opt Options, rows []int) ([][]float32, []float32) {
	if rows == nil {
		rows = make([]int, x.Rows())
		for i := range rows {
			rows[i] = i
		}
	}
	L := len(targets)
	w := make([][]float32, L)
	b := make([]float32, L)
	var wg sync.WaitGroup
	next := make(chan int, L)
	for l := range L {
		next <- l
	}
	close(next)
	for range min(opt.Workers, L) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for l := range next {
				switch opt.Algo {
				case NB:
					w[l], b[l] = fitNB(x, targets[l], rows, opt.Alpha)
				default:
					w[l], b[l] = fitLogReg(x, targets[l], rows, opt.C, opt.Seed+uint64(l)*0x9e3779b97f4a7c15)
				}
			}
		}()
	}
	wg.Wait()
	return w, b
}
