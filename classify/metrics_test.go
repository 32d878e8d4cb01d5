package classify

import (
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

// near compares floats with the package's one tolerance helper.
func near(a, b float64) bool { return scalar.EqualWithinAbsOrRel(a, b, 1e-12, 1e-12) }

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name        string
		truth, pred [][]string
		labels      []string
		per         map[string]LabelMetrics
		micro       float64
		macro       float64
		accuracy    float64
	}{
		{
			// a: tp 2, fp 1, fn 0; b: tp 1, fp 0, fn 1; c: tp 0, fp 0, fn 1 (never predicted)
			name:   "mixed",
			truth:  [][]string{{"a"}, {"a", "b"}, {"b"}, {}, {"c"}},
			pred:   [][]string{{"a"}, {"a"}, {"b", "a"}, {}, {}},
			labels: []string{"a", "b", "c"},
			per: map[string]LabelMetrics{
				"a": {Precision: 2.0 / 3, Recall: 1, F1: 0.8, Support: 2},
				"b": {Precision: 1, Recall: 0.5, F1: 2.0 / 3, Support: 2},
				"c": {Precision: 0, Recall: 0, F1: 0, Support: 1},
			},
			micro:    6.0 / 9, // tp 3, fp 1, fn 2: 2·3/(2·3+1+2)
			macro:    (0.8 + 2.0/3 + 0) / 3,
			accuracy: 2.0 / 5, // rows 0 and 3 (two empty sets) match exactly
		},
		{
			name:   "perfect",
			truth:  [][]string{{"a"}, {"b"}, {"a", "b"}},
			pred:   [][]string{{"a"}, {"b"}, {"b", "a"}},
			labels: []string{"a", "b"},
			per: map[string]LabelMetrics{
				"a": {Precision: 1, Recall: 1, F1: 1, Support: 2},
				"b": {Precision: 1, Recall: 1, F1: 1, Support: 2},
			},
			micro: 1, macro: 1, accuracy: 1,
		},
		{
			// a predicted once, wrongly: precision 0, recall 0, F1 0; b has no true row but one prediction
			name:   "only false positives",
			truth:  [][]string{{}, {}},
			pred:   [][]string{{"a"}, {"b"}},
			labels: []string{"a", "b"},
			per: map[string]LabelMetrics{
				"a": {Support: 0},
				"b": {Support: 0},
			},
			micro: 0, macro: 0, accuracy: 0,
		},
		{
			name:   "empty truth and prediction",
			truth:  [][]string{{}, {}},
			pred:   [][]string{{}, nil},
			labels: []string{"a"},
			per:    map[string]LabelMetrics{"a": {}},
			micro:  0, macro: 0, accuracy: 1,
		},
		{
			name:   "no documents",
			labels: []string{"a", "b"},
			per:    map[string]LabelMetrics{"a": {}, "b": {}},
		},
		{
			// z is not among the labels: ignored on both sides, so row 0 still matches exactly
			name:   "labels outside the list and duplicates",
			truth:  [][]string{{"a", "z"}, {"b", "b"}},
			pred:   [][]string{{"a", "a"}, {"a"}},
			labels: []string{"a", "b", "a"},
			per: map[string]LabelMetrics{
				"a": {Precision: 0.5, Recall: 1, F1: 2.0 / 3, Support: 1},
				"b": {Precision: 0, Recall: 0, F1: 0, Support: 1},
			},
			micro: 0.5, macro: 1.0 / 3, accuracy: 0.5,
		},
		{
			name:  "nil labels: the union of truth and pred",
			truth: [][]string{{"b"}, {"a"}},
			pred:  [][]string{{"b"}, {"c"}},
			per: map[string]LabelMetrics{
				"a": {Support: 1},
				"b": {Precision: 1, Recall: 1, F1: 1, Support: 1},
				"c": {},
			},
			micro: 0.5, macro: 1.0 / 3, accuracy: 0.5,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := Evaluate(tc.truth, tc.pred, tc.labels)
			if len(r.PerLabel) != len(tc.per) {
				t.Errorf("PerLabel has %d labels, want %d", len(r.PerLabel), len(tc.per))
			}
			for l, w := range tc.per {
				g, ok := r.PerLabel[l]
				if !ok || !near(g.Precision, w.Precision) || !near(g.Recall, w.Recall) || !near(g.F1, w.F1) || g.Support != w.Support {
					t.Errorf("%s: %+v, want %+v", l, g, w)
				}
			}
			if !near(r.MicroF1, tc.micro) || !near(r.MacroF1, tc.macro) || !near(r.Accuracy, tc.accuracy) || r.Docs != len(tc.truth) {
				t.Errorf("micro %g macro %g accuracy %g docs %d, want %g %g %g %d",
					r.MicroF1, r.MacroF1, r.Accuracy, r.Docs, tc.micro, tc.macro, tc.accuracy, len(tc.truth))
			}
		})
	}
}

func TestEvaluatePanicsOnLengthMismatch(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	Evaluate([][]string{{"a"}}, nil, nil)
}
