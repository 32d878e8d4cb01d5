package classify

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"testing"
)

// Both strategies on the same many-label problem: StrategyShared must give the same thresholds, nearly the
// same weights and a cross-validated macro-F1 no lower than StrategyNested's (the exact path), for Fit,
// CrossValidate and FitCV; and it must be the default only above SharedRows rows.
func TestStrategies(t *testing.T) {
	x, y := synthCorpus(3, 2000, 20000, 60, 20)
	for _, tc := range []struct {
		name string
		opt  Options
	}{
		{"logreg platt", Options{Seed: 5}},
		{"logreg none, 3 folds", Options{Seed: 5, Calibration: NoCalibration, ThresholdFolds: 3}},
		{"logreg groups", Options{Seed: 5, Groups: groupsOf(x.Rows(), 4)}},
		{"logreg no inner CV", Options{Seed: 5, ThresholdFolds: 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nested, shared := tc.opt, tc.opt
			nested.Strategy, shared.Strategy = StrategyNested, StrategyShared
			mn, rn, err := FitCV(x, y, nested, 3)
			if err != nil {
				t.Fatal(err)
			}
			ms, rs, err := FitCV(x, y, shared, 3)
			if err != nil {
				t.Fatal(err)
			}
			if rs.MacroF1 < rn.MacroF1-0.005 {
				t.Errorf("cross-validated macro-F1: shared %.4f < nested %.4f", rs.MacroF1, rn.MacroF1)
			}
			t.Logf("macro-F1 nested %.4f shared %.4f", rn.MacroF1, rs.MacroF1)
			// a threshold is the argmax of a flat F1 curve: a tolerance-sized change of the scores can move
			// it along the plateau (by 0.13 for one label of 20 here), but not on average
			var sum float64
			for l := range mn.Labels {
				sum += math.Abs(float64(mn.Thresholds[l] - ms.Thresholds[l]))
				if d := relDiff(mn.Weights[l], ms.Weights[l]); d > 0.05 {
					t.Errorf("%s: weights differ by %.3f (relative L2)", mn.Labels[l], d)
				}
			}
			if mean := sum / float64(len(mn.Labels)); mean > 0.04 {
				t.Errorf("thresholds differ by %.3f on average", mean)
			}
			if tc.opt.ThresholdFolds == 1 {
				return
			}
			// FitCV is Fit plus CrossValidate with StrategyShared too (CrossValidate fits the same start)
			rs2, err := CrossValidate(x, y, shared, 3)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rs, rs2) {
				t.Error("shared: CrossValidate differs from FitCV's report")
			}
		})
	}
	// the default: nested up to SharedRows rows, pooled above (which run turns into shared for Fit and
	// CrossValidate alone: TestStrategyPooled)
	for _, c := range []struct {
		n    int
		want Strategy
	}{{SharedRows, StrategyNested}, {SharedRows + 1, StrategyPooled}, {10, StrategyNested}} {
		o, err := Options{}.resolve(c.n)
		if err != nil || o.Strategy != c.want {
			t.Errorf("%d rows: strategy %q (%v), want %q", c.n, o.Strategy, err, c.want)
		}
	}
	if _, err := Fit(x, y, Options{Strategy: "fast"}); !errors.Is(err, ErrBadOption) {
		t.Errorf("unknown strategy: %v, want ErrBadOption", err)
	}
}

// StrategyShared's results do not depend on the number of workers or on scheduling.
func TestSharedDeterministic(t *testing.T) {
	x, y := synthCorpus(4, 1500, 10000, 50, 12)
	var first any
	for _, workers := range []int{1, 2, 3, 2, 7} {
		m, rep, err := FitCV(x, y, Options{Seed: 3, Strategy: StrategyShared, Workers: workers}, 4)
		if err != nil {
			t.Fatal(err)
		}
		got := [2]any{m, rep}
		if first == nil {
			first = got
		} else if !reflect.DeepEqual(first, got) {
			t.Errorf("%d workers: a different model or report", workers)
		}
	}
}

func groupsOf(n, size int) []int {
	g := make([]int, n)
	for i := range g {
		g[i] = i / size
	}
	return g
}

// relDiff returns ‖a − b‖ / ‖a‖.
func relDiff(a, b []float32) float64 {
	var d, s float64
	for i := range a {
		d += (float64(a[i]) - float64(b[i])) * (float64(a[i]) - float64(b[i]))
		s += float64(a[i]) * float64(a[i])
	}
	if s == 0 {
		return math.Sqrt(d)
	}
	return math.Sqrt(d / s)
}

// BenchmarkFitManyLabels: FitCV (5-fold cross-validation, each with its 3-fold inner threshold CV) of 40
// labels, both strategies; docs/s counts the training rows.
func BenchmarkFitManyLabels(b *testing.B) {
	s := benchSize{10000, 50000, 100, 40}
	for _, st := range []Strategy{StrategyNested, StrategyShared} {
		b.Run(fmt.Sprintf("strategy=%s/%v", st, s), func(b *testing.B) {
			x, y := benchCorpus(s)
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := FitCV(x, y, Options{Strategy: st, ThresholdFolds: 3}, 5); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(s.docs)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// StrategyPooled on the many-label problem of TestStrategies: 1 + k fits a label instead of
// (1 + k)(1 + ThresholdFolds), with a cross-validated macro-F1 within 0.005 of the nested path's; and Fit
// alone, which has no cross-validation to pool, is StrategyShared's.
func TestStrategyPooled(t *testing.T) {
	x, y := synthCorpus(3, 2000, 20000, 60, 20)
	for _, tc := range []struct {
		name string
		opt  Options
	}{
		{"logreg platt", Options{Seed: 5}},
		{"logreg none", Options{Seed: 5, Calibration: NoCalibration}},
		{"logreg groups", Options{Seed: 5, Groups: groupsOf(x.Rows(), 4)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nested, pooled := tc.opt, tc.opt
			nested.Strategy, pooled.Strategy = StrategyNested, StrategyPooled
			_, rn, err := FitCV(x, y, nested, 3)
			if err != nil {
				t.Fatal(err)
			}
			_, rp, err := FitCV(x, y, pooled, 3)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("cross-validated macro-F1 nested %.4f pooled %.4f", rn.MacroF1, rp.MacroF1)
			if rp.MacroF1 < rn.MacroF1-0.005 {
				t.Errorf("cross-validated macro-F1: pooled %.4f < nested %.4f", rp.MacroF1, rn.MacroF1)
			}
		})
	}
	ms, err := Fit(x, y, Options{Seed: 5, Strategy: StrategyShared})
	if err != nil {
		t.Fatal(err)
	}
	mq, err := Fit(x, y, Options{Seed: 5, Strategy: StrategyPooled})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ms, mq) {
		t.Error("Fit with StrategyPooled differs from StrategyShared")
	}
}
