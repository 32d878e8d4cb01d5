package classify

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/depeche/depeche/vec"
)

var themes = []string{"drogue", "migration", "terrorisme"}

// separable makes a multi-label problem over 80 features that a linear model separates: label l is
// present with probability 0.35, and then the row holds 3 of the 10 features of l's block (features
// 10l…10l+9); every row also holds 4 noise features among 30…79. Rows are L2-normalised.
func separable(seed uint64, n int) (*vec.Matrix, [][]string) {
	r := rand.New(rand.NewPCG(seed, seed))
	x := vec.NewMatrix(80)
	y := make([][]string, n)
	for i := range n {
		set := map[int32]float32{}
		for l, name := range themes {
			if r.Float64() < 0.35 {
				y[i] = append(y[i], name)
				for range 3 {
					set[int32(10*l+r.IntN(10))] = 1
				}
			}
		}
		for range 4 {
			set[int32(30+r.IntN(50))] = 0.7
		}
		var v vec.Vector
		for f := range set {
			v.Ind = append(v.Ind, f)
		}
		slices.Sort(v.Ind)
		for _, f := range v.Ind {
			v.Val = append(v.Val, set[f])
		}
		v.Normalize()
		x.AppendRow(v)
	}
	return x, y
}

// singleLabel keeps the rows of exactly one label.
func singleLabel(x *vec.Matrix, y [][]string) (*vec.Matrix, [][]string) {
	var rows []int
	var ys [][]string
	for i := range y {
		if len(y[i]) == 1 {
			rows = append(rows, i)
			ys = append(ys, y[i])
		}
	}
	return x.Subset(rows), ys
}

func TestNoCalibration(t *testing.T) {
	x, y := separable(1, 200)
	m, err := Fit(x, y, Options{Calibration: NoCalibration, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if m.PlattA != nil || m.PlattB != nil {
		t.Errorf("NoCalibration gave Platt parameters %v %v", m.PlattA, m.PlattB)
	}
	if _, err := Fit(x, y, Options{Calibration: "isotonic"}); !errors.Is(err, ErrBadOption) {
		t.Errorf("unknown calibration: %v, want ErrBadOption", err)
	}
}

func TestFitLearnsSeparable(t *testing.T) {
	x, y := separable(1, 400)
	xt, yt := separable(2, 200) // a fresh test set from the same law
	for _, algo := range []Algo{LogReg, NB} {
		t.Run(string(algo), func(t *testing.T) {
			m, rep, err := FitCV(x, y, Options{Algo: algo, Seed: 3}, 5)
			if err != nil {
				t.Fatal(err)
			}
			if m.Exclusive {
				t.Error("multi-label data gave an Exclusive model")
			}
			if !slices.Equal(m.Labels, themes) || m.Algo != algo || m.Features() != 80 {
				t.Errorf("labels %v algo %q features %d", m.Labels, m.Algo, m.Features())
			}
			if m.PlattA == nil || len(m.PlattA) != len(m.Labels) {
				t.Errorf("PlattA %v for %s: both algorithms are calibrated by default", m.PlattA, algo)
			}
			if rep.Calibration == nil || len(rep.Calibration.Reliability) != CalibrationBins {
				t.Fatalf("cross-validation report without a calibration: %+v", rep.Calibration)
			}
			if rep.Calibration.ECE > 0.1 {
				t.Errorf("out-of-fold ECE %.3f on a separable problem", rep.Calibration.ECE)
			}
			t.Logf("cross-validated macro-F1 %.3f micro-F1 %.3f accuracy %.3f", rep.MacroF1, rep.MicroF1, rep.Accuracy)
			if rep.MacroF1 < 0.97 || rep.MicroF1 < 0.97 {
				t.Errorf("cross-validated macro-F1 %.3f micro-F1 %.3f on a separable problem", rep.MacroF1, rep.MicroF1)
			}
			pred := make([][]string, xt.Rows())
			for i := range xt.Rows() {
				s := m.Scores(xt.Row(i))
				for _, p := range s {
					if !(p >= 0 && p <= 1) {
						t.Fatalf("row %d: score %g", i, p)
					}
				}
				pred[i] = m.Predict(xt.Row(i))
			}
			if r := Evaluate(yt, pred, themes); r.MacroF1 < 0.97 || r.Accuracy < 0.9 {
				t.Errorf("held-out macro-F1 %.3f accuracy %.3f", r.MacroF1, r.Accuracy)
			}
			for l, th := range m.Thresholds {
				if th < MinThreshold || th > MaxThreshold {
					t.Errorf("threshold %d = %g", l, th)
				}
			}
		})
	}
}

func TestFitDeterministic(t *testing.T) {
	x, y := separable(4, 300)
	for _, algo := range []Algo{LogReg, NB} {
		t.Run(string(algo), func(t *testing.T) {
			a, err := Fit(x, y, Options{Algo: algo, Seed: 7, Workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := Fit(x, y, Options{Algo: algo, Seed: 7, Workers: 4})
			c, _ := Fit(x, y, Options{Algo: algo, Seed: 7, Workers: 3})
			if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(a, c) {
				t.Error("fits with the same seed and 1, 4 or 3 workers differ")
			}
			r1, _ := CrossValidate(x, y, Options{Algo: algo, Seed: 7, Workers: 1}, 4)
			r2, _ := CrossValidate(x, y, Options{Algo: algo, Seed: 7, Workers: 4}, 4)
			if !reflect.DeepEqual(r1, r2) {
				t.Error("cross-validations with 1 and 4 workers differ")
			}
		})
	}
}

// FitCV is exactly Fit plus CrossValidate.
func TestFitCVIsFitPlusCrossValidate(t *testing.T) {
	x, y := separable(5, 200)
	opt := Options{Seed: 2}
	m, rep, err := FitCV(x, y, opt, 4)
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := Fit(x, y, opt)
	rep2, _ := CrossValidate(x, y, opt, 4)
	if !reflect.DeepEqual(m, m2) || !reflect.DeepEqual(rep, rep2) {
		t.Error("FitCV differs from Fit + CrossValidate")
	}
	if _, rep, _ := FitCV(x, y, opt, 1); rep != nil {
		t.Error("FitCV with 1 fold returned a report")
	}
}

func TestExclusive(t *testing.T) {
	x, y := singleLabel(separable(6, 400))
	for _, algo := range []Algo{LogReg, NB} {
		m, err := Fit(x, y, Options{Algo: algo})
		if err != nil {
			t.Fatal(err)
		}
		if !m.Exclusive {
			t.Fatalf("%s: single-label data did not give an Exclusive model", algo)
		}
		// the zero vector, a document of one theme, a document mixing all three: always exactly one label
		docs := []vec.Vector{{}, x.Row(0), {Ind: []int32{0, 10, 20}, Val: []float32{0.6, 0.6, 0.6}}}
		for _, d := range docs {
			p := m.Predict(d)
			s := m.Scores(d)
			if algo == LogReg { // the margins decide (see Model.Predict)
				for l := range s {
					s[l] = m.Decision(d, l)
				}
			}
			best := 0
			for l := range s {
				if s[l] > s[best] {
					best = l
				}
			}
			if len(p) != 1 || p[0] != m.Labels[best] {
				t.Errorf("%s: Predict(%v) = %v, scores %v", algo, d, p, s)
			}
		}
		if rep, _ := CrossValidate(x, y, Options{Algo: algo}, 5); rep.Accuracy < 0.95 {
			t.Errorf("%s: cross-validated accuracy %.3f", algo, rep.Accuracy)
		}
	}
	// one row with two labels makes the data multi-label
	y[0] = append(y[0], "z")
	if m, _ := Fit(x, y, Options{}); m.Exclusive {
		t.Error("a row with two labels still gave an Exclusive model")
	}
}

// Near-duplicate rows with random labels: without groups, cross-validation rewards memorising the
// duplicate; with the pairs as groups, it sees that the labels are noise.
func TestGroupsStopLeaks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	x := vec.NewMatrix(400)
	var y [][]string
	var groups []int
	for g := range 150 {
		var v vec.Vector
		for f := range 400 {
			if r.IntN(40) == 0 {
				v.Ind = append(v.Ind, int32(f))
				v.Val = append(v.Val, 1)
			}
		}
		v.Normalize()
		ls := []string{themes[r.IntN(2)]}
		for range 2 {
			x.AppendRow(v)
			y = append(y, ls)
			groups = append(groups, g)
		}
	}
	leaky, err := CrossValidate(x, y, Options{}, 5)
	if err != nil {
		t.Fatal(err)
	}
	honest, err := CrossValidate(x, y, Options{Groups: groups}, 5)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("accuracy without groups %.3f, with groups %.3f", leaky.Accuracy, honest.Accuracy)
	if leaky.Accuracy < 0.9 || honest.Accuracy > 0.65 {
		t.Errorf("accuracy without groups %.3f (want ≥ 0.9), with groups %.3f (want about 0.5)", leaky.Accuracy, honest.Accuracy)
	}
}

func TestFolds(t *testing.T) {
	x, y := separable(8, 500)
	tg, err := indexLabels(y, nil)
	if err != nil {
		t.Fatal(err)
	}
	rows := make([]int, x.Rows())
	groups := make([]int, x.Rows())
	for i := range rows {
		rows[i] = i
		groups[i] = i / 3 // groups of three consecutive rows
	}
	for _, gs := range [][]int{nil, groups} {
		f := assignFolds(rows, 5, tg, gs, 1, 0)
		if !slices.Equal(f, assignFolds(rows, 5, tg, gs, 1, 0)) {
			t.Error("the same seed gave other folds")
		}
		size := make([]int, 5)
		pos := make([][]int, 5)
		for i, g := range f {
			size[g]++
			for l := range tg.y {
				if pos[g] == nil {
					pos[g] = make([]int, len(tg.y))
				}
				if tg.y[l][i] > 0 {
					pos[g][l]++
				}
			}
			if gs != nil && f[i] != f[i/3*3] {
				t.Fatalf("row %d is not in the fold of its group", i)
			}
		}
		for g := range 5 {
			if size[g] < 90 || size[g] > 110 {
				t.Errorf("groups %v: fold sizes %v", gs != nil, size)
			}
			for l := range tg.y {
				if want := tg.count[l] / 5; pos[g][l] < want-4 || pos[g][l] > want+4 {
					t.Errorf("groups %v: positives of %s per fold %v, want about %d", gs != nil, themes[l], pos, want)
				}
			}
		}
	}
}

func TestFitErrors(t *testing.T) {
	x, y := separable(1, 10)
	bad := func(m *vec.Matrix) *vec.Matrix { return m }
	tests := []struct {
		name  string
		x     *vec.Matrix
		y     [][]string
		opt   Options
		want  error
		msg   string
		folds int // > 0: CrossValidate
	}{
		{"nil matrix", nil, nil, Options{}, ErrNoRows, "classify: no rows to learn from", 0},
		{"no rows", vec.NewMatrix(3), nil, Options{}, ErrNoRows, "classify: no rows to learn from", 0},
		{"length mismatch", x, y[:5], Options{}, ErrRowsLabels, "classify: the numbers of rows and of label sets differ: 10 rows, 5 label sets", 0},
		{"no labels", x, make([][]string, 10), Options{}, ErrFewLabels, `classify: fewer than 2 distinct labels: got 0 ([]); a model needs at least two themes to tell apart`, 0},
		{"one label", x, [][]string{{"a"}, {"a"}, {}, {}, {}, {}, {}, {}, {}, {}}, Options{}, ErrFewLabels, `classify: fewer than 2 distinct labels: got 1 (["a"]); a model needs at least two themes to tell apart`, 0},
		{"empty label", x, [][]string{{"a"}, {"b"}, {}, {""}, {}, {}, {}, {}, {}, {}}, Options{}, ErrEmptyLabel, "classify: empty label id: row 3", 0},
		{"label without positive", x, y, Options{Labels: []string{"drogue", "sport"}}, ErrNoPositive, `classify: a label has no positive row: "sport"`, 0},
		{"label listed twice", x, y, Options{Labels: []string{"drogue", "drogue"}}, ErrBadOption, `classify: bad option: Labels lists "drogue" twice`, 0},
		{"unknown algo", x, y, Options{Algo: "svm"}, ErrUnknownAlgo, `classify: unknown algorithm "svm": must be one of logreg|nb`, 0},
		{"negative C", x, y, Options{C: -1}, ErrBadOption, "classify: bad option: C = -1: must be > 0 (0 = default 10)", 0},
		{"NaN C", x, y, Options{C: math.NaN()}, ErrBadOption, "classify: bad option: C = NaN: must be > 0 (0 = default 10)", 0},
		{"infinite C", x, y, Options{C: math.Inf(1)}, ErrBadOption, "classify: bad option: C = +Inf: must be > 0 (0 = default 10)", 0},
		{"negative CRows", x, y, Options{CRows: -1}, ErrBadOption, "classify: bad option: CRows = -1: must be ≥ 0", 0},
		{"negative Alpha", x, y, Options{Algo: NB, Alpha: -0.1}, ErrBadOption, "classify: bad option: Alpha = -0.1: must be > 0 (0 = default 0.1)", 0},
		{"negative folds", x, y, Options{ThresholdFolds: -2}, ErrBadOption, "classify: bad option: ThresholdFolds = -2: must be ≥ 1 (0 = default)", 0},
		{"negative workers", x, y, Options{Workers: -1}, ErrBadOption, "classify: bad option: Workers = -1: must be ≥ 1 (0 = GOMAXPROCS)", 0},
		{"groups length", x, y, Options{Groups: []int{1, 2}}, ErrBadOption, "classify: bad option: Groups has 2 entries for 10 rows", 0},
		{"index out of range", bad(&vec.Matrix{Ptr: []int64{0, 1}, Ind: []int32{5}, Val: []float32{1}, Cols: 3}), [][]string{{"a"}}, Options{}, ErrBadMatrix,
			"classify: malformed matrix: row 0: feature index 5 out of order or outside [0,3)", 0},
		{"indices out of order", bad(&vec.Matrix{Ptr: []int64{0, 2}, Ind: []int32{2, 1}, Val: []float32{1, 1}, Cols: 3}), [][]string{{"a"}}, Options{}, ErrBadMatrix,
			"classify: malformed matrix: row 0: feature index 1 out of order or outside [0,3)", 0},
		{"NaN value", bad(&vec.Matrix{Ptr: []int64{0, 1}, Ind: []int32{1}, Val: []float32{float32(math.NaN())}, Cols: 3}), [][]string{{"a"}}, Options{}, ErrBadMatrix,
			"classify: malformed matrix: row 0: feature 1 has value NaN", 0},
		{"pointers", bad(&vec.Matrix{Ptr: []int64{0, 2}, Ind: []int32{1}, Val: []float32{1}, Cols: 3}), [][]string{{"a"}}, Options{}, ErrBadMatrix,
			"classify: malformed matrix: row pointers do not match 1 indices and 1 values", 0},
		{"one fold", x, y, Options{}, ErrBadOption, "classify: bad option: cross-validation needs at least 2 folds, got 1", 1},
		{"one group", x, y, Options{Groups: make([]int, 10)}, ErrFolds, "classify: too few rows or groups for cross-validation: 10 rows in 1 groups", 5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.folds > 0 {
				_, err = CrossValidate(tc.x, tc.y, tc.opt, tc.folds)
			} else {
				_, err = Fit(tc.x, tc.y, tc.opt)
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if err.Error() != tc.msg {
				t.Errorf("message\n%s\nwant\n%s", err, tc.msg)
			}
		})
	}
}

// Options.Labels restricts the label set; labels outside it are ignored.
func TestOnlyLabels(t *testing.T) {
	x, y := separable(9, 200)
	m, err := Fit(x, y, Options{Labels: []string{"terrorisme", "drogue"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Labels, []string{"drogue", "terrorisme"}) || len(m.Weights) != 2 {
		t.Errorf("labels %v", m.Labels)
	}
}

func TestSmallData(t *testing.T) {
	// Fewer rows than folds, a label on every row, features never seen: still a model, no NaN.
	x := vec.NewMatrix(5)
	x.AppendRow(vec.Vector{Ind: []int32{0}, Val: []float32{1}})
	x.AppendRow(vec.Vector{Ind: []int32{1}, Val: []float32{1}})
	x.AppendRow(vec.Vector{})
	y := [][]string{{"a", "b"}, {"a"}, {"a"}}
	for _, algo := range []Algo{LogReg, NB} {
		m, err := Fit(x, y, Options{Algo: algo})
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range m.Thresholds {
			if th != DefaultThreshold {
				t.Errorf("%s: threshold %g with fewer than %d positives", algo, th, MinPositives)
			}
		}
		for _, v := range []vec.Vector{{}, {Ind: []int32{4}, Val: []float32{1}}, {Ind: []int32{0, 9}, Val: []float32{1, 1}}} {
			for _, s := range m.Scores(v) {
				if !(s >= 0 && s <= 1) {
					t.Errorf("%s: score %g", algo, s)
				}
			}
		}
		if rep, err := CrossValidate(x, y, Options{Algo: algo}, 10); err != nil || rep.Docs != 3 {
			t.Errorf("%s: %v %+v", algo, err, rep)
		}
	}
}

func TestScaledC(t *testing.T) {
	for _, c := range []struct {
		c       float64
		cRows   int
		n       int
		want    float64
		comment string
	}{
		{5, 0, 1000000, 5, "no CRows: C as it is"},
		{5, 1000, 548, 5, "a small training set keeps C"},
		{5, 1000, 1000, 5, "at CRows exactly"},
		{5, 1000, 4000, 2.5, "four times the rows: half the C"},
		{5, 1000, 100000, 0.5, "100k rows"},
		{2, 1000, 1000000, 2 * math.Sqrt(0.001), "1M rows"},
	} {
		if got := ScaledC(c.c, c.cRows, c.n); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: ScaledC(%g, %d, %d) = %g, want %g", c.comment, c.c, c.cRows, c.n, got, c.want)
		}
	}
	// and Fit uses it: CRows below the row count gives the model of the scaled C
	x, y := separable(7, 600)
	scaled, err := Fit(x, y, Options{C: 8, CRows: 150, ThresholdFolds: 1})
	if err != nil {
		t.Fatal(err)
	}
	direct, err := Fit(x, y, Options{C: 8 * math.Sqrt(150.0/600), ThresholdFolds: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(scaled.Weights[0], direct.Weights[0]) {
		t.Errorf("Fit with C = 8, CRows = 150 on 600 rows differs from Fit with C = 4")
	}
}

// Options.Progress hears of every label once, in order of completion, whatever the strategy, and the
// model and report are those of a training without it.
func TestProgress(t *testing.T) {
	x, y := synthCorpus(7, 600, 3000, 30, blockWidth+3)
	for _, st := range []Strategy{StrategyNested, StrategyShared, StrategyPooled} {
		t.Run(string(st), func(t *testing.T) {
			var calls []int
			labels := 0
			opt := Options{Seed: 1, Strategy: st, ThresholdFolds: 2}
			opt.Progress = func(done, n int) { calls = append(calls, done); labels = n }
			m, rep, err := FitCV(x, y, opt, 3)
			if err != nil {
				t.Fatal(err)
			}
			if labels != len(m.Labels) || len(calls) != len(m.Labels) {
				t.Fatalf("%d calls for %d labels (told %d)", len(calls), len(m.Labels), labels)
			}
			for i, d := range calls {
				if d != i+1 {
					t.Fatalf("call %d said %d labels done", i, d)
				}
			}
			opt.Progress = nil
			m2, rep2, _ := FitCV(x, y, opt, 3)
			if !reflect.DeepEqual(m, m2) || !reflect.DeepEqual(rep, rep2) {
				t.Error("the model or report differs with a Progress function")
			}
		})
	}
}
