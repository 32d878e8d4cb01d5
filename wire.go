package depeche

import "github.com/depeche/depeche/models"

// ClassifyResult is the JSON of one classified article (classify --json, the HTTP API): every label the
// model knows, by descending score, and the confidence of the answer.
type ClassifyResult struct {
	ID         string              `json:"id"`
	Labels     []models.LabelScore `json:"labels"`
	Confidence *models.Confidence  `json:"confidence,omitempty"`
}

// LabelScore is one label of a ClassifyResult: its score, whether it is predicted, its evidence words,
// and for a long article how its passages carry it (Passages).
type LabelScore = models.LabelScore

// Passages is how the passages of a long article carry a label whose whole-article score reaches its
// threshold: the label is predicted when the lead carries it or about a third of the text does (the
// labeling guide's rule; models.Passages).
type Passages = models.Passages

// SimilarResult is one similar dispatch (similar --json, the HTTP API).
type SimilarResult struct {
	ID     string   `json:"id"`
	Score  float64  `json:"score"`
	Title  string   `json:"title"`
	Date   string   `json:"date"`
	Source string   `json:"source,omitempty"`
	Labels []string `json:"labels"`
	Event  string   `json:"event,omitempty"`
	Terms  []string `json:"terms"`
}

// SimilarOutput is the JSON of similar --json: the results of one article (ID set when there are several).
type SimilarOutput struct {
	ID      string          `json:"id,omitempty"`
	Results []SimilarResult `json:"results"`
}

// ReportJSON is the JSON of a Report (train --json, eval --json; DESIGN.md).
type ReportJSON struct {
	MicroF1  float64                     `json:"micro_f1"`
	MacroF1  float64                     `json:"macro_f1"`
	Accuracy float64                     `json:"accuracy"`
	Docs     int                         `json:"docs"`
	PerLabel map[string]LabelMetricsJSON `json:"per_label"`
	// out-of-fold calibration (train only: eval has no out-of-fold scores, it reports its own)
	Calibration *CalibrationReport `json:"calibration,omitempty"`
}

// LabelMetricsJSON is one label's line of a ReportJSON.
type LabelMetricsJSON struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// NewReportJSON returns the JSON shape of r.
func NewReportJSON(r *Report) ReportJSON {
	out := ReportJSON{MicroF1: r.MicroF1, MacroF1: r.MacroF1, Accuracy: r.Accuracy, Docs: r.Docs, PerLabel: map[string]LabelMetricsJSON{}, Calibration: r.Calibration}
	for l, m := range r.PerLabel {
		out.PerLabel[l] = LabelMetricsJSON{Precision: m.Precision, Recall: m.Recall, F1: m.F1, Support: m.Support}
	}
	return out
}
