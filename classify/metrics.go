package classify

import (
	"slices"
)

// LabelMetrics are the precision, recall and F1 of one label, and its support (documents that truly carry
// it).
type LabelMetrics struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// Report holds multi-label evaluation metrics over a set of documents.
//
// Per label, with tp, fp and fn its true positives, false positives and false negatives:
// precision = tp/(tp+fp), recall = tp/(tp+fn), F1 = 2tp/(2tp+fp+fn), each 0 when its denominator is 0
// (so a label never predicted has precision 0 and F1 0). MicroF1 is the F1 of tp, fp and fn summed over
// the labels; MacroF1 is the mean of the labels' F1. Accuracy is subset accuracy: the share of documents
// whose predicted label set equals the true one (two empty sets are equal). With no document or no label,
// every figure is 0. No figure is ever NaN.
type Report struct {
	MicroF1  float64                 `json:"micro_f1"`
	MacroF1  float64                 `json:"macro_f1"`
	Accuracy float64                 `json:"accuracy"`
	Docs     int                     `json:"docs"`
	PerLabel map[string]LabelMetrics `json:"per_label"`
	// Calibration compares the scores with how often the labels are true; set by cross-validation (the
	// out-of-fold scores), nil from Evaluate, which sees no scores.
	Calibration *CalibrationReport `json:"calibration,omitempty"`
}

// Evaluate compares the predicted label sets pred[i] with the true ones truth[i] over the given labels:
// labels outside that list are ignored on both sides, and a label listed twice in one set counts
// once.
// When labels is nil, it is every label found in truth or pred; a label listed twice in labels counts once. It panics if truth and pred differ in
// length (a programmer error).
func Evaluate(truth, pred [][]string, labels []string) *Report {
	if len(truth) != len(pred) {
		panic("classify: Evaluate: truth and pred differ in length")
	}
	if labels == nil {
		for _, sets := range [][][]string{truth, pred} {
			for _, ls := range sets {
				labels = append(labels, ls...)
			}
		}
		slices.Sort(labels)
		labels = slices.Compact(labels)
	}
	idx := make(map[string]int, len(labels))
	uniq := make([]string, 0, len(labels))
	for _, l := range labels {
		if _, dup := idx[l]; !dup {
			idx[l] = len(uniq)
			uniq = append(uniq, l)
		}
	}
	labels = uniq
	L := len(labels)
	tp, fp, fn := make([]int, L), make([]int, L), make([]int, L)
	inT, inP := make([]bool, L), make([]bool, L)
	exact := 0
	for d := range truth {
		clear(inT)
		clear(inP)
		for _, l := range truth[d] {
			if i, ok := idx[l]; ok {
				inT[i] = true
			}
		}
		for _, l := range pred[d] {
			if i, ok := idx[l]; ok {
				inP[i] = true
			}
		}
		same := true
		for i := range L {
			switch {
			case inT[i] && inP[i]:
				tp[i]++
			case inT[i]:
				fn[i]++
				same = false
			case inP[i]:
				fp[i]++
				same = false
			}
		}
		if same {
			exact++
		}
	}
	r := &Report{Docs: len(truth), PerLabel: make(map[string]LabelMetrics, L)}
	var TP, FP, FN int
	for i, l := range labels {
		m := LabelMetrics{
			Precision: ratio(tp[i], tp[i]+fp[i]),
			Recall:    ratio(tp[i], tp[i]+fn[i]),
			F1:        ratio(2*tp[i], 2*tp[i]+fp[i]+fn[i]),
			Support:   tp[i] + fn[i],
		}
		r.PerLabel[l] = m
		r.MacroF1 += m.F1
		TP, FP, FN = TP+tp[i], FP+fp[i], FN+fn[i]
	}
	if L > 0 {
		r.MacroF1 /= float64(L)
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
