package depeche

import (
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/depeche/depeche/classify"
	"github.com/depeche/depeche/models"
	"github.com/depeche/depeche/vectorize"
)

// Model is a trained classifier with the analysis and vocabulary it was trained with (package models owns
// the file format).
type Model = models.Model

// Report holds precision, recall and F1 per label, micro and macro F1 and subset accuracy (train's
// cross-validation, Evaluate).
type Report = classify.Report

// CalibrationReport is the out-of-fold calibration of a model's scores (expected calibration error and a
// reliability table per label).
type CalibrationReport = classify.CalibrationReport

// The model file's errors, named here so that a program tells them apart without importing models.
type (
	// ModelFileError: the file is no model, or it is damaged (truncated, a checksum that does not match).
	ModelFileError = models.FileError
	// ModelVersionError: the model file was written by a newer depeche.
	ModelVersionError = models.VersionError
	// FingerprintError: the model's analysis is not the one this depeche performs (a stemmer that changed).
	FingerprintError = models.FingerprintError
)

var (
	// ErrNoLabels: training was given no labeled dispatch.
	ErrNoLabels = models.ErrNoLabels
	// ErrEmptyVocabulary: no term occurs in enough dispatches to be kept (MinDF).
	ErrEmptyVocabulary = vectorize.ErrEmptyVocabulary
)

// MinPositives is the number of examples below which a label is too rare to learn and to choose a
// threshold for: such a label keeps the default threshold 0.5.
const MinPositives = classify.MinPositives

// LoadModel reads the model file at path. A missing file is ErrNotFound (wrapping fs.ErrNotExist).
func LoadModel(path string) (*Model, error) {
	m, err := models.Load(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: model file %s (%w)", ErrNotFound, path, fs.ErrNotExist)
	}
	return m, err
}

// BuiltinModel returns the model embedded in depeche, trained on the built-in corpus.
func BuiltinModel() (*Model, error) { return builtinModel() }

// SaveModel writes m to path atomically (a temporary file renamed over it: a reader sees the old model
// or the new one, never half of one).
func SaveModel(path string, m *Model) error { return models.Save(path, m) }

// WriteFileAtomic writes a file at path through write, atomically as SaveModel does.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	return models.WriteFileAtomic(path, write)
}

// Evaluate predicts the themes of labeled dispatches with m, as Classify does (the passage rule of long
// articles included), and compares them with their labels. Labels of
// the dispatches that m does not know count with F1 0 and are returned in unknown. A set with no label at
// all is ErrNoLabels.
func Evaluate(m *Model, ds []Dispatch) (rep *Report, unknown []string, err error) {
	c := m.Classifier
	known := map[string]bool{}
	for _, l := range c.Labels {
		known[l] = true
	}
	labels := append([]string(nil), c.Labels...)
	truth := make([][]string, len(ds))
	pred := make([][]string, len(ds))
	any := false
	for i, d := range ds {
		truth[i] = d.Labels
		any = any || len(d.Labels) > 0
		for _, l := range d.Labels {
			if !known[l] {
				known[l] = true
				labels = append(labels, l)
				unknown = append(unknown, l)
			}
		}
		// what classify predicts, the passage rule included (models.Passages)
		for _, l := range m.Judge(ModelText(d), 0).Labels {
			if l.Predicted {
				pred[i] = append(pred[i], l.Label)
			}
		}
	}
	if !any {
		return nil, nil, ErrNoLabels
	}
	return classify.Evaluate(truth, pred, labels), unknown, nil
}

// ModelInfo describes a model file (info --json, GET /v1/info).
type ModelInfo struct {
	Path        string             `json:"path"`
	Format      int                `json:"format"`
	Algo        string             `json:"algo"`
	Labels      []string           `json:"labels"`
	Thresholds  map[string]float32 `json:"thresholds"`
	Exclusive   bool               `json:"exclusive"`
	Vocabulary  int                `json:"vocabulary"`
	Analyzer    string             `json:"analyzer"`
	TrainedOn   int                `json:"trained_on"`
	LabelCounts map[string]int     `json:"label_counts"`
	CVMacroF1   *float64           `json:"cv_macro_f1,omitempty"`
	CVPerLabel  map[string]float64 `json:"cv_f1,omitempty"`
	Source      string             `json:"source,omitempty"`
}

// DescribeModel returns what the model m (read from path, or "built-in") holds.
func DescribeModel(m *Model, path string) *ModelInfo {
	c := m.Classifier
	in := &ModelInfo{Path: path, Format: int(m.Format), Algo: string(c.Algo), Labels: c.Labels, Exclusive: c.Exclusive,
		Thresholds: map[string]float32{}, Vocabulary: len(m.Vectorizer.Terms()), Analyzer: m.Vectorizer.Analyzer.Fingerprint(),
		TrainedOn: m.Info.Docs, LabelCounts: m.Info.LabelCounts, Source: m.Info.Source}
	for l, t := range c.Thresholds {
		in.Thresholds[c.Labels[l]] = t
	}
	if m.Info.CV != nil {
		in.CVMacroF1 = &m.Info.CV.MacroF1
		in.CVPerLabel = map[string]float64{}
		for l, lm := range m.Info.CV.PerLabel {
			in.CVPerLabel[l] = lm.F1
		}
	}
	return in
}
