package classify

import "math"

// CalibrationBins is the number of equal-width score bins of a reliability table.
const CalibrationBins = 10

// CalibrationReport says whether scores mean what they say: of the documents scored about 0.8 on a
// label, about 8 in 10 should carry it.
//
// For one label, with the documents' scores dealt into CalibrationBins equal-width bins of [0,1], the
// expected calibration error is
//
//	ECE = Σ_b (n_b / N) · |mean score in b − share of b's documents that carry the label|,
//
// 0 for perfect calibration. ECE is the mean of the labels' ECEs (each label counts once, as in
// macro-F1); Reliability pools every (document, label) pair into one table.
type CalibrationReport struct {
	ECE         float64            `json:"ece"`
	PerLabel    map[string]float64 `json:"per_label_ece"`
	Reliability []ReliabilityBin   `json:"reliability"`
}

// ReliabilityBin is one row of a reliability table: the pairs whose score is in [Low, High) (the last
// bin includes 1), their mean score and the share of them whose label is true.
type ReliabilityBin struct {
	Low       float64 `json:"low"`
	High      float64 `json:"high"`
	Count     int     `json:"count"`
	MeanScore float64 `json:"mean_score"`
	Observed  float64 `json:"observed"`
}

// Calibrate measures the calibration of scores against truth: scores[d][l] is document d's score on
// labels[l], truth[d] the labels document d carries (labels outside the list are ignored). It panics if
// the lengths differ (a programmer error). With no document it returns a report of zeros.
func Calibrate(labels []string, scores [][]float64, truth [][]string) *CalibrationReport {
	if len(scores) != len(truth) {
		panic("classify: Calibrate: scores and truth differ in length")
	}
	idx := make(map[string]int, len(labels))
	for l, s := range labels {
		idx[s] = l
	}
	per := make([][]float64, len(labels))
	yes := make([][]bool, len(labels))
	for l := range labels {
		per[l] = make([]float64, len(scores))
		yes[l] = make([]bool, len(scores))
	}
	for d, row := range scores {
		if len(row) != len(labels) {
			panic("classify: Calibrate: a score row's length differs from the number of labels")
		}
		for l, s := range row {
			per[l][d] = s
		}
		for _, s := range truth[d] {
			if l, ok := idx[s]; ok {
				yes[l][d] = true
			}
		}
	}
	return calibration(labels, per, yes)
}

// calibration computes the report from per-label scores and truths (per[l][d], yes[l][d]).
func calibration(labels []string, per [][]float64, yes [][]bool) *CalibrationReport {
	bins := make([]labelBins, len(labels))
	for l := range labels {
		for d, s := range per[l] {
			bins[l].add(s, yes[l][d])
		}
	}
	return calibrationOfBins(labels, bins)
}

// labelBins is one label's reliability table in the making: per bin, the documents, the sum of their
// scores and how many carry the label.
type labelBins [CalibrationBins]struct {
	n     int
	sum   float64
	trueN int
}

func (bins *labelBins) add(s float64, yes bool) {
	if math.IsNaN(s) {
		s = 0
	}
	b := min(int(s*CalibrationBins), CalibrationBins-1)
	b = max(b, 0)
	bins[b].n++
	bins[b].sum += s
	if yes {
		bins[b].trueN++
	}
}

// calibrationOfBins is the report of the labels' tables; the pooled table sums them in label order.
func calibrationOfBins(labels []string, per []labelBins) *CalibrationReport {
	r := &CalibrationReport{PerLabel: make(map[string]float64, len(labels))}
	var pool labelBins
	for l, label := range labels {
		bins := &per[l]
		var n int
		for b := range bins {
			n += bins[b].n
			pool[b].n += bins[b].n
			pool[b].sum += bins[b].sum
			pool[b].trueN += bins[b].trueN
		}
		var ece float64
		if n > 0 {
			for _, b := range bins {
				if b.n > 0 {
					ece += float64(b.n) / float64(n) * math.Abs(b.sum/float64(b.n)-float64(b.trueN)/float64(b.n))
				}
			}
		}
		r.PerLabel[label] = ece
		r.ECE += ece
	}
	if len(labels) > 0 {
		r.ECE /= float64(len(labels))
	}
	for b, p := range pool {
		bin := ReliabilityBin{Low: float64(b) / CalibrationBins, High: float64(b+1) / CalibrationBins, Count: p.n}
		if p.n > 0 {
			bin.MeanScore = p.sum / float64(p.n)
			bin.Observed = float64(p.trueN) / float64(p.n)
		}
		r.Reliability = append(r.Reliability, bin)
	}
	return r
}
