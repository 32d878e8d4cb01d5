package models

import (
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/depeche/depeche/vec"
	"github.com/depeche/depeche/vectorize"
)

// LabelScore is the verdict of a model on one label for one text.
type LabelScore struct {
	Label     string   `json:"label"`
	Score     float64  `json:"score"`
	Predicted bool     `json:"predicted"`
	Terms     []string `json:"terms"`
	// Passages is set when the whole article reaches the label's threshold and the article is long
	// (LongPassages passages or more): how its passages carry the label. Predicted is then
	// Passages.Carried(): a label the lead and a third of the article do not carry is a passing mention.
	Passages *Passages `json:"passages,omitempty"`
}

// Classify scores text on every label the model knows, sorted by descending score (then label), with up to
// nterms words of the text that pushed each label's score most, as they are written in the text.
func (m *Model) Classify(text string, nterms int) []LabelScore {
	ls, _ := m.ClassifyKnown(text, nterms)
	return ls
}

// ClassifyKnown is Classify that also returns how many distinct terms of the text the model knows (0: the
// scores are the model's priors).
func (m *Model) ClassifyKnown(text string, nterms int) ([]LabelScore, int) {
	v := m.Judge(text, nterms)
	return v.Labels, v.Confidence.KnownTerms
}

// Verdict is a model's answer on one text: its labels (as Classify) and how far to trust them.
type Verdict struct {
	Labels     []LabelScore
	Confidence Confidence
}

// Judge is Classify with the confidence of the answer (see Confidence).
//
// A model without word bigrams goes through term ids from the analysis to the evidence (judgeIDs),
// with no string for a feature and buffers reused from one call to the next; a model with bigrams
// through their strings (judgeTerms). Both give the same verdict.
func (m *Model) Judge(text string, nterms int) Verdict {
	if m.Vectorizer.Analyzer.Options().Bigrams {
		return m.judgeTerms(text, nterms)
	}
	s := judgeScratches.Get().(*judgeScratch)
	defer judgeScratches.Put(s)
	return m.judgeIDs(s, text, nterms)
}

// judgeTerms is Judge through the features' strings.
func (m *Model) judgeTerms(text string, nterms int) Verdict {
	toks := m.Vectorizer.Analyzer.Analyze(text)
	feats := m.Vectorizer.Analyzer.TermsOf(nil, text, toks)
	x := m.Vectorizer.TransformTerms(feats)
	distinct := map[string]struct{}{}
	for _, f := range feats {
		if !strings.HasPrefix(f, vectorize.CharGramPrefix) {
			distinct[f] = struct{}{}
		}
	}
	known := 0
	for f := range distinct {
		if _, ok := m.Vectorizer.Lookup(f); ok {
			known++
		}
	}
	nearest := 0.0
	if m.Domain != nil {
		nearest = m.Domain.nearest(x)
	}
	return Verdict{Labels: m.score(text, toks, x, nterms), Confidence: confidenceOf(known, len(distinct), nearest, m.Domain)}
}

// Vectorize returns the TF-IDF vector of text in the model's feature space.
func (m *Model) Vectorize(text string) vec.Vector { return m.Vectorizer.TransformOne(text) }

func (m *Model) score(text string, toks []vectorize.Token, x vec.Vector, nterms int) []LabelScore {
	scores := m.Classifier.Scores(x)
	pred := make([]bool, len(scores))
	for _, l := range m.Classifier.Predict(x) {
		pred[slices.Index(m.Classifier.Labels, l)] = true
	}
	var ps passageScratch
	sup := m.passageRule(&ps, text, toks, pred, func(a, b int) vec.Vector {
		return m.Vectorizer.TransformTerms(m.Vectorizer.Analyzer.TermsOf(nil, text, toks[a:b]))
	})
	surf := Surfaces(text, toks)
	// character n-grams explain nothing to a reader: the evidence is the best words
	var words func(int32) bool
	if m.Vectorizer.Analyzer.Options().CharNgrams {
		voc := m.Vectorizer.Vocabulary()
		words = func(f int32) bool { return !voc.IsCharGram(f) }
	}
	out := make([]LabelScore, len(scores))
	for i, s := range scores {
		if math.IsNaN(s) {
			s = 0
		}
		ls := LabelScore{Label: m.Classifier.Labels[i], Score: s, Predicted: pred[i], Terms: []string{}}
		if sup != nil {
			ls.Passages = sup[i]
		}
		if nterms > 0 {
			for _, c := range m.Classifier.ExplainWhere(x, i, nterms, words) {
				ls.Terms = append(ls.Terms, SurfaceOf(m.Vectorizer.Term(c.Feature), surf))
			}
		}
		out[i] = ls
	}
	sortLabels(out)
	return out
}

// sortLabels orders a verdict's labels by descending score, then label.
func sortLabels(out []LabelScore) {
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Label < out[j].Label
	})
}

// Surfaces maps each term of a text to the first word that produced it, lower-cased: explanations show
// words as the article writes them, not stems.
func Surfaces(text string, toks []vectorize.Token) map[string]string {
	s := make(map[string]string, len(toks))
	for _, t := range toks {
		if _, ok := s[t.Term]; !ok {
			s[t.Term] = strings.ToLower(text[t.Start:t.End])
		}
	}
	return s
}

// SurfaceOf returns the word of the text behind a term (both words for a bigram), or the term itself.
func SurfaceOf(term string, surf map[string]string) string {
	if w, ok := surf[term]; ok {
		return w
	}
	if a, b, ok := strings.Cut(term, " "); ok { // a bigram feature
		return SurfaceOf(a, surf) + " " + SurfaceOf(b, surf)
	}
	return term
}
