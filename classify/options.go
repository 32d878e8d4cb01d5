package classify

import (
	"errors"
	"fmt"
	"math"
	"runtime"
)

// Algo names a learning algorithm.
type Algo string

// The algorithms Fit knows.
const (
	LogReg Algo = "logreg" // one-vs-rest L2-regularised logistic regression (the default)
	NB     Algo = "nb"     // one-vs-rest multinomial naive Bayes with Platt scaling
)

// Calibration names how logreg turns a decision value f into a score.
type Calibration string

// The calibrations Fit knows.
const (
	// PlattCalibration (the default): score = σ(A·f + B), A and B fitted per label by Platt scaling on the
	// out-of-fold decision values of the internal cross-validation, so that a score of 0.8 means about 8
	// in 10 such documents carry the label. One-vs-rest logistic regression on a few thousand TF-IDF rows
	// is under-confident (its raw σ(f) rarely passes 0.5 for a true label), which made raw scores look
	// like doubts and thresholds sit near 0.25.
	PlattCalibration Calibration = "platt"
	// NoCalibration: score = σ(f), the model's own probability.
	NoCalibration Calibration = "none"
)

// Strategy names how the binary problems of one label share their work.
type Strategy string

// The strategies Fit knows (logreg only; nb's problems have nothing to share).
const (
	// StrategyNested: every inner-fold problem starts cold (α near 0, as liblinear), and each final fit
	// starts from the mean of its inner folds' solutions. The exact path, and the default up to
	// SharedRows rows, which the built-in model and the pinned figures of small data sets rest on.
	StrategyNested Strategy = "nested"
	// StrategyShared: each label is fitted first on all rows; every other problem of the label (inner
	// folds, cross-validation folds and their final fits) starts from that solution restricted to its
	// rows, and needs a few passes instead of a cold start's many. Each result is still the optimum of its
	// own rows within the stopping tolerance (the duality gap is a certificate whatever the start), so
	// models differ from StrategyNested's only within that tolerance. The default above SharedRows rows.
	StrategyShared Strategy = "shared"
	// StrategyPooled is StrategyShared without inner folds, for FitCV (a model and its cross-validation in
	// one run; Fit and CrossValidate alone fall back to StrategyShared): every label is fitted once on all
	// rows and once per cross-validation fold, 1 + k fits instead of (1 + k)(1 + ThresholdFolds), and the
	// calibration and threshold of each fit are chosen on the cross-validation's own out-of-fold decision
	// values: the model's on every row's, a fold's on the rows it trained on (each predicted by another
	// fold's fit, none by its own). A fold's threshold thus never sees the rows it is judged on, though the
	// other folds' fits that scored its calibration rows did train on them: an estimate a little less
	// strict than the nested one, and with k − 1 folds of rows to choose from instead of one inner fold's.
	// The default of FitCV above SharedRows rows.
	StrategyPooled Strategy = "pooled"
)

// SharedRows is the number of training rows above which Strategy defaults to StrategyShared.
const SharedRows = largeRows

// Defaults for the zero values of Options, chosen by measurement (see doc.go, "Defaults").
const (
	DefaultC     = 10.0 // inverse regularisation strength of logreg
	DefaultAlpha = 0.1  // smoothing of nb
)

// Errors for bad training data or options. Fit, FitCV and CrossValidate wrap them with details (which row,
// which label); compare with errors.Is.
var (
	ErrNoRows      = errors.New("classify: no rows to learn from")
	ErrRowsLabels  = errors.New("classify: the numbers of rows and of label sets differ")
	ErrFewLabels   = errors.New("classify: fewer than 2 distinct labels")
	ErrNoPositive  = errors.New("classify: a label has no positive row")
	ErrEmptyLabel  = errors.New("classify: empty label id")
	ErrUnknownAlgo = errors.New("classify: unknown algorithm")
	ErrBadOption   = errors.New("classify: bad option")
	ErrBadMatrix   = errors.New("classify: malformed matrix")
	ErrFolds       = errors.New("classify: too few rows or groups for cross-validation")
)

// Options configure Fit, FitCV and CrossValidate. The zero value gives the defaults; a negative, NaN or
// infinite number is an error (ErrBadOption).
type Options struct {
	// Algo is the learning algorithm; zero: LogReg.
	Algo Algo
	// C is the inverse L2 regularisation strength of logreg; zero: DefaultC. TF-IDF rows have unit norm,
	// so scikit-learn's C = 1, suited to standardised features, underfits them.
	C float64
	// CRows, when > 0, is the training-set size C is meant for: on n > CRows rows, logreg uses
	// C·√(CRows/n) (ScaledC). The loss term of the objective grows with n while the penalty does not, so a
	// fixed C regularises a large training set less and less; shrinking C as 1/√n keeps the penalty's
	// share λ = 1/(C·n) falling as 1/√n, the usual rate for consistency. Zero: C as it is.
	CRows int
	// Alpha is the additive smoothing of nb's feature probabilities; zero: DefaultAlpha.
	Alpha float64
	// ThresholdFolds is the k of the internal cross-validation whose out-of-fold scores choose the
	// thresholds (and nb's calibration); zero: 5, or 3 above 20,000 rows. 1 skips it: every threshold is
	// 0.5 and nb is not calibrated (A = 1, B = 0).
	ThresholdFolds int
	// Seed drives fold assignment and the order of coordinate descent; the same Seed gives the same model.
	Seed uint64
	// Workers is the number of goroutines that train binary problems (label × fold) at once; zero:
	// runtime.GOMAXPROCS(0). It changes the speed, never the result.
	Workers int
	// Groups, when not nil, holds one group id per row: rows of a group (reports of one event,
	// near-duplicate dispatches) always fall in the same fold, so that no fold is judged on near-copies
	// of its training rows. It must have one entry per row.
	Groups []int
	// Calibration says how logreg's decision values become scores; zero: PlattCalibration. nb is always
	// Platt-calibrated.
	Calibration Calibration
	// Strategy says how the problems of a label share their work; zero: StrategyNested up to SharedRows
	// rows, above them StrategyPooled for FitCV and StrategyShared for Fit and CrossValidate. Nested and
	// shared change the speed, and the model only within the solver's tolerance; pooled also chooses the
	// thresholds from other rows (see StrategyPooled).
	Strategy Strategy
	// Labels, when not nil, is the set of labels to learn; labels of y outside it are ignored (a row may
	// then have none). Every label of the set must have at least one positive row (ErrNoPositive).
	// When nil, the labels are those found in y.
	Labels []string
	// Progress, when not nil, is called each time a label is complete (its model, threshold and share of
	// the cross-validation), with the number of labels complete and the number of labels: a long training
	// can show how far it is. Calls come from the training goroutines, one at a time; it changes nothing
	// of the result.
	Progress func(done, labels int)
}

// ScaledC returns the C that Options with C and CRows use on n rows: c, times √(cRows/n) when cRows > 0
// and n > cRows.
func ScaledC(c float64, cRows, n int) float64 {
	if cRows > 0 && n > cRows {
		return c * math.Sqrt(float64(cRows)/float64(n))
	}
	return c
}

// largeRows is the row count above which ThresholdFolds defaults to 3 rather than 5.
const largeRows = 20000

// resolve checks o and fills in its defaults for a training set of n rows.
func (o Options) resolve(n int) (Options, error) {
	switch o.Algo {
	case "":
		o.Algo = LogReg
	case LogReg, NB:
	default:
		return o, fmt.Errorf("%w %q: must be one of logreg|nb", ErrUnknownAlgo, string(o.Algo))
	}
	switch {
	case !(o.C >= 0) || math.IsInf(o.C, 1):
		return o, fmt.Errorf("%w: C = %g: must be > 0 (0 = default %g)", ErrBadOption, o.C, DefaultC)
	case !(o.Alpha >= 0) || math.IsInf(o.Alpha, 1):
		return o, fmt.Errorf("%w: Alpha = %g: must be > 0 (0 = default %g)", ErrBadOption, o.Alpha, DefaultAlpha)
	case o.ThresholdFolds < 0:
		return o, fmt.Errorf("%w: ThresholdFolds = %d: must be ≥ 1 (0 = default)", ErrBadOption, o.ThresholdFolds)
	case o.Calibration != "" && o.Calibration != PlattCalibration && o.Calibration != NoCalibration:
		return o, fmt.Errorf("%w: Calibration %q: must be one of platt|none", ErrBadOption, string(o.Calibration))
	case o.Strategy != "" && o.Strategy != StrategyNested && o.Strategy != StrategyShared && o.Strategy != StrategyPooled:
		return o, fmt.Errorf("%w: Strategy %q: must be one of nested|shared|pooled", ErrBadOption, string(o.Strategy))
	case o.CRows < 0:
		return o, fmt.Errorf("%w: CRows = %d: must be ≥ 0", ErrBadOption, o.CRows)
	case o.Workers < 0:
		return o, fmt.Errorf("%w: Workers = %d: must be ≥ 1 (0 = GOMAXPROCS)", ErrBadOption, o.Workers)
	case o.Groups != nil && len(o.Groups) != n:
		return o, fmt.Errorf("%w: Groups has %d entries for %d rows", ErrBadOption, len(o.Groups), n)
	}
	if o.C == 0 {
		o.C = DefaultC
	}
	o.C, o.CRows = ScaledC(o.C, o.CRows, n), 0 // scaled once: a resolved o resolves to itself
	if o.Calibration == "" {
		o.Calibration = PlattCalibration
	}
	if o.Alpha == 0 {
		o.Alpha = DefaultAlpha
	}
	if o.ThresholdFolds == 0 {
		o.ThresholdFolds = 5
		if n > largeRows {
			o.ThresholdFolds = 3
		}
	}
	if o.Strategy == "" {
		o.Strategy = StrategyNested
		if n > SharedRows {
			o.Strategy = StrategyPooled // StrategyShared where there is nothing to pool (run)
		}
	}
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o, nil
}
