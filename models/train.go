package models

import (
	"errors"
	"fmt"
	"strings"

	"github.com/depeche/depeche/classify"
	"github.com/depeche/depeche/vec"
	"github.com/depeche/depeche/vectorize"
)

// TrainOptions configure Train. The zero value is the default.
type TrainOptions struct {
	Analyzer   vectorize.Options
	MinDF      int     // zero = 2 (1 when fewer than 20 documents)
	MaxDF      float64 // zero = 1.0
	Classifier classify.Options
	// Folds is the k of the cross-validation whose metrics the model keeps; zero = 5, 1 = none.
	Folds  int
	Source string // what the model was trained on, for "depeche info"
	// Progress, when not nil, is told each phase as it begins ("vectorizing", "fitting…").
	Progress func(phase string)
}

func (o TrainOptions) phase(p string) {
	if o.Progress != nil {
		o.Progress(p)
	}
}

// ErrNoLabels is returned by Train when no document carries a label.
var ErrNoLabels = errors.New("models: no labeled document to learn from")

// Train fits the vectorizer and the classifier on texts and their labels, and cross-validates.
func Train(texts []string, labels [][]string, opt TrainOptions) (*Model, error) {
	if len(texts) != len(labels) {
		panic("models: Train: texts and labels differ in length")
	}
	v, err := newVectorizer(opt, len(texts))
	if err != nil {
		return nil, err
	}
	if err := checkLabels(labels); err != nil {
		return nil, err
	}
	opt.phase("vectorizing")
	x, err := v.FitTransform(texts)
	if err != nil {
		return nil, err
	}
	m, err := fitClassifier(v, x, labels, opt)
	if m != nil {
		m.Info.DataHash = DataHash(texts, labels)
	}
	return m, err
}

// TrainStream is Train over a source of labeled documents read twice (vocabulary, then vectors) and never
// held in memory: what training on a million dispatches needs. each runs through the documents in the
// same order every time, giving each one's text, labels and event (or ""); the reports of one event share
// a cross-validation group. n is their number when known, else 0 (min_df then defaults to 2).
func TrainStream(each func(yield func(text string, labels []string, event string)) error, n int, opt TrainOptions) (*Model, error) {
	v, err := newVectorizer(opt, n)
	if err != nil {
		return nil, err
	}
	var labels [][]string
	var events []string
	first := true
	hasher := newDataHasher()
	texts := func(yield func(string)) error {
		return each(func(text string, ls []string, event string) {
			if first {
				hasher.add(text, ls)
				// copies: a loader's strings may share their line's memory, which would keep every
				// text alive through its labels
				cl := make([]string, len(ls))
				for i, l := range ls {
					cl[i] = strings.Clone(l)
				}
				labels = append(labels, cl)
				events = append(events, strings.Clone(event))
			}
			yield(text)
		})
	}
	count, err := v.FitStream(texts)
	if err != nil {
		return nil, err
	}
	first = false
	if err := checkLabels(labels); err != nil {
		return nil, err
	}
	x, err := v.TransformStream(texts, count)
	if err != nil {
		return nil, err
	}
	if x.Rows() != len(labels) {
		return nil, fmt.Errorf("models: the documents changed between the two passes (%d, then %d)", len(labels), x.Rows())
	}
	opt.Classifier.Groups = EventGroups(events)
	m, err := fitClassifier(v, x, labels, opt)
	if m != nil {
		m.Info.DataHash = hasher.sum()
	}
	return m, err
}

// EventGroups gives the reports of one event the same cross-validation group, so that no fold is judged on
// another agency's report of an event it trained on; a document without an event is a group of its own.
func EventGroups(events []string) []int {
	groups := make([]int, len(events))
	ids := map[string]int{}
	for i, e := range events {
		if e == "" {
			groups[i] = len(ids) + i + 1
			continue
		}
		g, ok := ids[e]
		if !ok {
			g = -(len(ids) + 1)
			ids[e] = g
		}
		groups[i] = g
	}
	return groups
}

func newVectorizer(opt TrainOptions, n int) (*vectorize.Vectorizer, error) {
	a, err := vectorize.NewAnalyzer(opt.Analyzer)
	if err != nil {
		return nil, err
	}
	v := vectorize.NewVectorizer(a)
	v.MinDF = opt.MinDF
	if v.MinDF == 0 {
		v.MinDF = 2
		if n > 0 && n < 20 {
			v.MinDF = 1
		}
	}
	if opt.MaxDF > 0 {
		v.MaxDF = opt.MaxDF
	}
	return v, nil
}

func checkLabels(labels [][]string) error {
	for _, ls := range labels {
		if len(ls) > 0 {
			return nil
		}
	}
	return ErrNoLabels
}

func fitClassifier(v *vectorize.Vectorizer, x *vec.Matrix, labels [][]string, opt TrainOptions) (*Model, error) {
	counts := map[string]int{}
	for _, ls := range labels {
		for _, l := range ls {
			counts[l]++
		}
	}
	info := Info{Docs: x.Rows(), LabelCounts: counts, Source: opt.Source}
	folds := opt.Folds
	if folds == 0 {
		folds = 5
	}
	opt.phase(fmt.Sprintf("fitting %d labels on %d dispatches: %d-fold cross-validation, thresholds, final fit", len(counts), x.Rows(), folds))
	c, rep, err := classify.FitCV(x, labels, opt.Classifier, folds)
	if err != nil {
		return nil, err
	}
	if rep != nil {
		info.CV, info.Folds = rep, folds
	}
	return &Model{Vectorizer: v, Classifier: c, Info: info, Domain: newDomain(x, labels, c.Labels)}, nil
}
