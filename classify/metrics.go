package classify

import "sort"

// LabelMetrics are the precision, recall and F1 of one label, and its support (true occurrences).
type LabelMetrics struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// Report holds multi-label evaluation metrics.
//
// Precision = tp/(tp+fp), recall = tp/(tp+fn), F1 = 2tp/(2tp+fp+fn), each 0 when its denominator is 0.
// MicroF1 pools tp, fp and fn over labels; MacroF1 is the mean of the labels' F1 (a label never predicted
// counts 0). Accuracy is subset accuracy: the share of documents whose predicted set equals the true set.
type Report struct {
	MicroF1  float64                 `json:"micro_f1"`
	MacroF1  float64                 `json:"macro_f1"`
	Accuracy float64                 `json:"accuracy"`
	Docs     int                     `json:"docs"`
	PerLabel map[string]LabelMetrics `json:"per_label"`
}

// Evaluate compares predicted label sets with true ones over the given labels (labels found in truth or
// pred but not in labels are ignored).
func Evaluate(truth, pred [][]string, labels []string) *Report {
	if len(truth) != len(pred) {
		panic("classify: Evaluate: truth and pred differ in length")
	}
	idx := map[string]int{}
	for i, l := range labels {
		idx[l] = i
	}
	tp := make([]int, len(labels))
	fp := make([]int, len(labels))
	fn := make([]int, len(labels))
	exact := 0
	for d := range truth {
		t := map[string]bool{}
		for _, l := range truth[d] {
			t[l] = true
		}
		p := map[string]bool{}
		for _, l := range pred[d] {
			p[l] = true
		}
		same := len(t) == len(p)
		for l := range t {
			i, ok := idx[l]
			if !ok {
				continue
			}
			if p[l] {
				tp[i]++
			} else {
				fn[i]++
				same = false
			}
		}
		for l := range p {
			if i, ok := idx[l]; ok && !t[l] {
				fp[i]++
				same = false
			}
		}
		if same {
			exact++
		}
	}
	r := &Report{Docs: len(truth), PerLabel: map[string]LabelMetrics{}}
	var TP, FP, FN int
	for i, l := range labels {
		m := LabelMetrics{Precision: ratio(tp[i], tp[i]+fp[i]), Recall: ratio(tp[i], tp[i]+fn[i]), F1: ratio(2*tp[i], 2*tp[i]+fp[i]+fn[i]), Support: tp[i] + fn[i]}
		r.PerLabel[l] = m
		r.MacroF1 += m.F1
		TP, FP, FN = TP+tp[i], FP+fp[i], FN+fn[i]
	}
	if len(labels) > 0 {
		r.MacroF1 /= float64(len(labels))
	}
	r.MicroF1 = ratio(2*TP, 2*TP+FP+FN)
	r.Accuracy = ratio(exact, len(truth))
	return r
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// foldReport evaluates out-of-fold scores, each fold with thresholds chosen on the other folds' scores.
func foldReport(m *Model, oof [][]float64, targets [][]int8, y [][]string, foldOf []int, k int) *Report {
	n := len(y)
	pred := make([][]string, n)
	probe := *m
	probe.Thresholds = make([]float32, len(m.Labels))
	for f := 0; f < k; f++ {
		use := make([]bool, n)
		for i := range use {
			use[i] = foldOf[i] != f
		}
		for l := range m.Labels {
			probe.Thresholds[l] = chooseThreshold(oof[l], targets[l], use)
		}
		s := make([]float64, len(m.Labels))
		for i := 0; i < n; i++ {
			if foldOf[i] != f {
				continue
			}
			for l := range s {
				s[l] = oof[l][i]
			}
			pred[i] = probe.predictScores(s)
		}
	}
	labels := append([]string(nil), m.Labels...)
	sort.Strings(labels)
	return Evaluate(y, pred, labels)
}
