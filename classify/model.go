package classify

import (
	"math"
	"slices"

	"github.com/depeche/depeche/vec"
)

// Model is a trained multi-label model: one binary classifier per label. Fit builds it; models stores it.
// All per-label slices are in the order of Labels and have its length.
type Model struct {
	Labels    []string // label ids, sorted
	Algo      Algo     // how it was trained
	Exclusive bool     // trained on single-label data: Predict returns exactly the best label
	// Weights holds, per label, one weight per feature (the length is the number of features, the Cols of
	// the training matrix); the decision value of label l for a document x is f = Weights[l]·x + Bias[l].
	Weights [][]float32
	Bias    []float32
	// Thresholds holds, per label, the score in [0,1] at and above which the label is predicted.
	Thresholds []float32
	// PlattA and PlattB calibrate the scores: score = σ(PlattA[l]·f + PlattB[l]). Both are nil for a
	// logreg model trained with NoCalibration (or before calibration existed), whose score is σ(f).
	PlattA, PlattB []float32
}

// Contribution is one feature's share of a label's decision value for one document.
type Contribution struct {
	Feature int32   // feature index (a column of the training matrix)
	Value   float64 // w_f · x_f
}

// Features returns the number of features the model was trained on.
func (m *Model) Features() int {
	if len(m.Weights) == 0 {
		return 0
	}
	return len(m.Weights[0])
}

// Decision returns the decision value Weights[l]·v + Bias[l] of label l for v: the log-odds of the label
// for logreg, naive Bayes' uncalibrated log-odds for nb. Features of v beyond the model's are ignored.
func (m *Model) Decision(v vec.Vector, l int) float64 {
	return vec.DotDense(v, m.Weights[l]) + float64(m.Bias[l])
}

// Scores returns the probability of each label for v, in the order of Labels: σ(f) for logreg and
// σ(A·f + B) for nb, where f is the decision value. Each score is in [0,1] and never NaN: a NaN decision
// (only a non-finite value in v or in the weights can make one) scores 0. The zero vector (a document with
// no known feature) gets the score of the bias alone.
func (m *Model) Scores(v vec.Vector) []float64 {
	return m.ScoresTo(make([]float64, len(m.Labels)), v)
}

// ScoresTo is Scores writing into dst, which must have len(m.Labels) entries; it returns dst.
func (m *Model) ScoresTo(dst []float64, v vec.Vector) []float64 {
	if len(dst) != len(m.Labels) {
		panic("classify: ScoresTo: dst length differs from the number of labels")
	}
	for l := range m.Labels {
		dst[l] = m.Score(v, l)
	}
	return dst
}

// Score is label l's entry of Scores(v), computed alone.
func (m *Model) Score(v vec.Vector, l int) float64 {
	f := m.Decision(v, l)
	if m.PlattA != nil {
		f = float64(m.PlattA[l])*f + float64(m.PlattB[l])
	}
	p := sigmoid(f)
	if math.IsNaN(p) {
		return 0
	}
	return p
}

// Predict returns the labels predicted for v, in the order of Labels: those whose score reaches their
// threshold, possibly none; for an Exclusive model, exactly the label with the highest score (the first
// in Labels on a tie), whatever the thresholds.
//
// An Exclusive logreg model picks the label of the highest decision value, before calibration:
// one-vs-rest's own rule. Per-label Platt scaling makes each score a probability but can reorder close labels, and on
// the single-label data sets (MasakhaNEWS, SIB-200) the margin rule was the more accurate one.
func (m *Model) Predict(v vec.Vector) []string {
	if m.Exclusive {
		dec := make([]float64, len(m.Labels))
		for l := range dec {
			dec[l] = m.Decision(v, l)
		}
		return m.PredictDecisions(dec)
	}
	return m.PredictScores(m.Scores(v))
}

// PredictDecisions is Predict for decision values already computed (in the order of Labels).
func (m *Model) PredictDecisions(dec []float64) []string {
	if m.Exclusive && m.Algo != NB { // nb's log-odds are not comparable across labels: its scores decide
		best := 0
		for l := range dec {
			if dec[l] > dec[best] || math.IsNaN(dec[best]) {
				best = l
			}
		}
		return []string{m.Labels[best]}
	}
	s := make([]float64, len(dec))
	for l, f := range dec {
		if m.PlattA != nil {
			f = float64(m.PlattA[l])*f + float64(m.PlattB[l])
		}
		s[l] = sigmoid(f)
	}
	return m.PredictScores(s)
}

// PredictScores is Predict for scores already computed by Scores (in the order of Labels).
func (m *Model) PredictScores(scores []float64) []string {
	if m.Exclusive {
		best := 0
		for l := range scores {
			if scores[l] > scores[best] {
				best = l
			}
		}
		return []string{m.Labels[best]}
	}
	var out []string
	for l, p := range scores {
		if p >= float64(m.Thresholds[l]) {
			out = append(out, m.Labels[l])
		}
	}
	return out
}

// Explain returns up to k features of v that push the decision value of label l up most: those with a
// positive contribution w_f·x_f, by descending contribution (then ascending feature). For nb, w_f is the
// log-likelihood ratio ln θ⁺_f − ln θ⁻_f, so the contribution is the feature's share of the log-odds.
// Features of v beyond the model's are ignored. It panics if l is not a label index.
func (m *Model) Explain(v vec.Vector, l int, k int) []Contribution {
	return m.ExplainWhere(v, l, k, nil)
}

// ExplainWhere is Explain over the features keep accepts (nil: all): the k best of those, in Explain's
// order, without ranking the others (a model with character n-grams explains with words only).
func (m *Model) ExplainWhere(v vec.Vector, l int, k int, keep func(feature int32) bool) []Contribution {
	return m.ExplainInto(nil, v, l, k, keep)
}

// ExplainInto is ExplainWhere that reuses dst's storage for its result.
func (m *Model) ExplainInto(dst []Contribution, v vec.Vector, l int, k int, keep func(feature int32) bool) []Contribution {
	w := m.Weights[l]
	if k < 0 {
		k = 0
	}
	// the k best kept in order as they come (k is a handful, a vector thousands of features with
	// character n-grams): sorting every positive contribution of every label was a fifth of a server's
	// classify time. The order is the same total order as a sort's: value descending, then feature.
	if k > explainInsertMax {
		return append(dst[:0], explainSorted(w, v, k, keep)...)
	}
	top := dst[:0]
	for j, f := range v.Ind {
		if int(f) >= len(w) {
			continue
		}
		c := float64(w[f]) * float64(v.Val[j])
		if c <= 0 || keep != nil && !keep(f) {
			continue
		}
		x := Contribution{f, c}
		if len(top) == k && (k == 0 || !ranksBefore(x, top[k-1])) {
			continue
		}
		if cap(top) < k {
			top = append(make([]Contribution, 0, k), top...)
		}
		i := len(top)
		for i > 0 && ranksBefore(x, top[i-1]) {
			i--
		}
		if len(top) < k {
			top = append(top, Contribution{})
		}
		copy(top[i+1:], top[i:len(top)-1])
		top[i] = x
	}
	return top
}

// explainInsertMax is the k above which ExplainWhere sorts every contribution instead of inserting each
// into the k best (insertion costs up to k moves a feature).
const explainInsertMax = 32

// explainSorted is ExplainWhere for a large k: every positive contribution kept, sorted, the first k.
func explainSorted(w []float32, v vec.Vector, k int, keep func(int32) bool) []Contribution {
	var cs []Contribution
	for j, f := range v.Ind {
		if int(f) >= len(w) {
			continue
		}
		if c := float64(w[f]) * float64(v.Val[j]); c > 0 && (keep == nil || keep(f)) {
			cs = append(cs, Contribution{f, c})
		}
	}
	slices.SortFunc(cs, func(a, b Contribution) int {
		switch {
		case ranksBefore(a, b):
			return -1
		case ranksBefore(b, a):
			return 1
		}
		return 0
	})
	return cs[:min(k, len(cs))]
}

// ranksBefore reports whether contribution a is listed before b: larger value first, then lower feature.
func ranksBefore(a, b Contribution) bool {
	return a.Value > b.Value || a.Value == b.Value && a.Feature < b.Feature
}
