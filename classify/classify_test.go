package classify

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/depeche/depeche/vec"
	"gonum.org/v1/gonum/floats/scalar"
)

func TestEvaluate(t *testing.T) {
	labels := []string{"a", "b", "c"}
	truth := [][]string{{"a"}, {"a", "b"}, {"b"}, {}, {"c"}}
	pred := [][]string{{"a"}, {"a"}, {"b", "a"}, {}, {}}
	r := Evaluate(truth, pred, labels)
	// a: tp 2, fp 1, fn 0; b: tp 1, fp 0, fn 1; c: tp 0, fp 0, fn 1
	want := map[string]LabelMetrics{
		"a": {Precision: 2.0 / 3, Recall: 1, F1: 0.8, Support: 2},
		"b": {Precision: 1, Recall: 0.5, F1: 2.0 / 3, Support: 2},
		"c": {Precision: 0, Recall: 0, F1: 0, Support: 1},
	}
	for l, w := range want {
		g := r.PerLabel[l]
		if !scalar.EqualWithinAbs(g.Precision, w.Precision, 1e-12) || !scalar.EqualWithinAbs(g.Recall, w.Recall, 1e-12) ||
			!scalar.EqualWithinAbs(g.F1, w.F1, 1e-12) || g.Support != w.Support {
			t.Errorf("%s: %+v, want %+v", l, g, w)
		}
	}
	if !scalar.EqualWithinAbs(r.MacroF1, (0.8+2.0/3)/3, 1e-12) {
		t.Errorf("macro %g", r.MacroF1)
	}
	// micro: tp 3, fp 1, fn 2 → 6/9
	if !scalar.EqualWithinAbs(r.MicroF1, 6.0/9, 1e-12) {
		t.Errorf("micro %g", r.MicroF1)
	}
	if !scalar.EqualWithinAbs(r.Accuracy, 2.0/5, 1e-12) || r.Docs != 5 {
		t.Errorf("accuracy %g docs %d", r.Accuracy, r.Docs)
	}
}

func TestChooseThreshold(t *testing.T) {
	tests := []struct {
		name   string
		scores []float64
		y      []int8
		want   float32
	}{
		{"too few positives", []float64{0.9, 0.8, 0.1}, []int8{1, 1, -1}, 0.5},
		{"separable", []float64{0.9, 0.8, 0.7, 0.3, 0.2}, []int8{1, 1, 1, -1, -1}, 0.5},
		{"low scores", []float64{0.3, 0.25, 0.2, 0.1, 0.05}, []int8{1, 1, 1, -1, -1}, 0.15},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := chooseThreshold(tc.scores, tc.y, nil); math.Abs(float64(got-tc.want)) > 1e-6 {
				t.Errorf("got %g, want %g", got, tc.want)
			}
		})
	}
}

// synthetic makes a multi-label problem: label l is present when feature l's block is active.
func synthetic(seed uint64, n int) (*vec.Matrix, [][]string) {
	r := rand.New(rand.NewPCG(seed, seed))
	names := []string{"drogue", "migration", "terrorisme"}
	m := vec.NewMatrix(60)
	y := make([][]string, n)
	for i := 0; i < n; i++ {
		var v vec.Vector
		for l := range names {
			if r.Float64() < 0.4 {
				y[i] = append(y[i], names[l])
				for f := l * 10; f < l*10+3; f++ {
					v.Ind = append(v.Ind, int32(f))
					v.Val = append(v.Val, 1)
				}
			}
		}
		for f := 30 + r.IntN(10); f < 60; f += 7 { // noise features
			v.Ind = append(v.Ind, int32(f))
			v.Val = append(v.Val, 0.5)
		}
		v.Normalize()
		m.AppendRow(v)
	}
	return m, y
}

func TestFitLearnsAndIsDeterministic(t *testing.T) {
	x, y := synthetic(1, 300)
	for _, algo := range []Algo{LogReg, NB} {
		t.Run(string(algo), func(t *testing.T) {
			m, rep, err := FitCV(x, y, Options{Algo: algo, Seed: 3}, 5)
			if err != nil {
				t.Fatal(err)
			}
			if rep.MacroF1 < 0.95 {
				t.Errorf("cross-validated macro-F1 %.3f on a separable problem", rep.MacroF1)
			}
			m2, _ := Fit(x, y, Options{Algo: algo, Seed: 3, ThresholdFolds: 5})
			if !reflect.DeepEqual(m.Weights, m2.Weights) || !reflect.DeepEqual(m.Thresholds, m2.Thresholds) {
				t.Error("two fits differ")
			}
			for i := 0; i < x.Rows(); i++ {
				for _, s := range m.Scores(x.Row(i)) {
					if s < 0 || s > 1 || math.IsNaN(s) {
						t.Fatalf("score %g", s)
					}
				}
			}
			if m.Exclusive {
				t.Error("multi-label data made an Exclusive model")
			}
		})
	}
}

func TestExclusive(t *testing.T) {
	x, y := synthetic(2, 200)
	var xs []int
	var ys [][]string
	for i := range y {
		if len(y[i]) == 1 {
			xs = append(xs, i)
			ys = append(ys, y[i])
		}
	}
	m, err := Fit(x.Subset(xs), ys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Exclusive {
		t.Fatal("single-label data: want an Exclusive model")
	}
	if p := m.Predict(vec.Vector{}); len(p) != 1 {
		t.Errorf("Exclusive Predict gave %v", p)
	}
}

func TestFitErrors(t *testing.T) {
	x, y := synthetic(1, 10)
	tests := []struct {
		name string
		x    *vec.Matrix
		y    [][]string
		opt  Options
		want error
	}{
		{"no rows", vec.NewMatrix(3), nil, Options{}, ErrNoRows},
		{"length mismatch", x, y[:5], Options{}, ErrRowsLabels},
		{"no labels", x, make([][]string, 10), Options{}, ErrFewLabels},
		{"unknown algo", x, y, Options{Algo: "svm"}, ErrUnknownAlgo},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Fit(tc.x, tc.y, tc.opt); !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// The dual solver must reach the primal optimum: compare its objective with plain gradient descent's.
func TestLogRegObjective(t *testing.T) {
	x, y := synthetic(5, 120)
	_, targets, _ := labelIndex(y)
	rows := make([]int, x.Rows())
	for i := range rows {
		rows[i] = i
	}
	C := 1.0
	w32, b32 := fitLogReg(x, targets[0], rows, C, 1)
	w := make([]float64, len(w32)+1)
	for i, v := range w32 {
		w[i] = float64(v)
	}
	w[len(w32)] = float64(b32)
	obj := func(w []float64) float64 {
		var s float64
		for _, v := range w {
			s += v * v / 2
		}
		for i := 0; i < x.Rows(); i++ {
			f := w[len(w)-1]
			row := x.Row(i)
			for k, j := range row.Ind {
				f += w[j] * float64(row.Val[k])
			}
			s += C * math.Log1p(math.Exp(-float64(targets[0][i])*f))
		}
		return s
	}
	g := make([]float64, len(w))
	ref := make([]float64, len(w))
	for it := 0; it < 20000; it++ {
		for j := range g {
			g[j] = ref[j]
		}
		for i := 0; i < x.Rows(); i++ {
			yi := float64(targets[0][i])
			f := ref[len(ref)-1]
			row := x.Row(i)
			for k, j := range row.Ind {
				f += ref[j] * float64(row.Val[k])
			}
			c := -C * yi * sigmoid(-yi*f)
			for k, j := range row.Ind {
				g[j] += c * float64(row.Val[k])
			}
			g[len(g)-1] += c
		}
		for j := range ref {
			ref[j] -= 0.01 * g[j]
		}
	}
	if got, want := obj(w), obj(ref); !scalar.EqualWithinAbsOrRel(got, want, 1e-3, 1e-3) {
		t.Errorf("dual CD objective %g, gradient descent %g", got, want)
	}
}
