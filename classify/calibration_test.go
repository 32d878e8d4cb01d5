package classify

import (
	"math"
	"testing"
)

func TestCalibrate(t *testing.T) {
	labels := []string{"a", "b"}
	// label a: scores 0.95 on 10 documents, 9 of them true → bin 9, gap |0.95 − 0.9| = 0.05;
	// label b: scores 0.05 on the same documents, 0 true → gap 0.05.
	var scores [][]float64
	var truth [][]string
	for d := range 10 {
		scores = append(scores, []float64{0.95, 0.05})
		if d < 9 {
			truth = append(truth, []string{"a", "x"})
		} else {
			truth = append(truth, nil)
		}
	}
	r := Calibrate(labels, scores, truth)
	for l, want := range map[string]float64{"a": 0.05, "b": 0.05} {
		if math.Abs(r.PerLabel[l]-want) > 1e-12 {
			t.Errorf("ECE of %s = %g, want %g", l, r.PerLabel[l], want)
		}
	}
	if math.Abs(r.ECE-0.05) > 1e-12 {
		t.Errorf("ECE = %g, want 0.05", r.ECE)
	}
	if len(r.Reliability) != CalibrationBins {
		t.Fatalf("%d bins", len(r.Reliability))
	}
	top, low := r.Reliability[9], r.Reliability[0]
	if top.Count != 10 || math.Abs(top.Observed-0.9) > 1e-12 || low.Count != 10 || low.Observed != 0 {
		t.Errorf("reliability %+v / %+v", low, top)
	}
	// a score of exactly 1 falls in the last bin, 0 in the first
	r = Calibrate([]string{"a"}, [][]float64{{1}, {0}}, [][]string{{"a"}, nil})
	if r.ECE != 0 || r.Reliability[9].Count != 1 || r.Reliability[0].Count != 1 {
		t.Errorf("edges: %+v", r)
	}
}
