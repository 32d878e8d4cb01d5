package depeche

import "github.com/depeche/depeche/models"

// ClassifyResult is the JSON of one classified article (classify --json, the HTTP API): every label the
// model knows, by descending score, and the confidence of the answer.
type ClassifyResult struct {
	ID         string              `json:"id"`
	Labels     []models.LabelScore `json:"labels"`
	Confidence *models.Confidence  `json:"confidence,omitempty"`
}

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
