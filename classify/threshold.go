package classify

import (
	"cmp"
	"slices"
)

// The threshold rule (see chooseThreshold).
const (
	// MinThreshold and MaxThreshold bound every threshold chosen by cross-validation.
	MinThreshold = 0.1
	MaxThreshold = 0.9
	// DefaultThreshold is the threshold of a label with fewer than MinPositives positive rows, or of
	// every label when the internal cross-validation is off (ThresholdFolds = 1).
	DefaultThreshold = 0.5
	// MinPositives is the number of positive rows below which a label's F1 curve is too noisy to choose
	// a threshold from.
	MinPositives = 5
)

// chooseThreshold returns the threshold t in [MinThreshold, MaxThreshold] that maximises the F1 of the rule
// "positive when score ≥ t" for the out-of-fold scores and their ±1 targets y. The candidates are the midpoints between consecutive distinct scores (a cut in
// the middle of a gap generalises better than one at a score) that fall in the bounds, and the bounds
// themselves. Among equal F1s the highest threshold wins. A label with fewer than MinPositives positives,
// or whose best F1 is 0, gets DefaultThreshold.
func chooseThreshold(scores []float64, y []int8) float32 {
	type sy struct {
		s   float64
		pos bool
	}
	v := make([]sy, len(scores))
	npos := 0
	for i, s := range scores {
		v[i] = sy{s, y[i] > 0}
		if y[i] > 0 {
			npos++
		}
	}
	if npos < MinPositives {
		return DefaultThreshold
	}
	slices.SortFunc(v, func(a, b sy) int { return cmp.Compare(b.s, a.s) }) // descending
	cands := []float64{MaxThreshold}
	for j := 0; j+1 < len(v); j++ {
		if m := (v[j].s + v[j+1].s) / 2; v[j].s != v[j+1].s && m > MinThreshold && m < MaxThreshold {
			cands = append(cands, m)
		}
	}
	cands = append(cands, MinThreshold) // cands is in descending order
	bestF, bestT := 0.0, float64(DefaultThreshold)
	tp, fp, j := 0, 0, 0
	for _, t := range cands {
		for j < len(v) && v[j].s >= t {
			if v[j].pos {
				tp++
			} else {
				fp++
			}
			j++
		}
		if f1 := 2 * float64(tp) / float64(tp+fp+npos); f1 > bestF {
			bestF, bestT = f1, t
		}
	}
	return float32(bestT)
}
