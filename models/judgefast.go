package models

import (
	"slices"
	"strings"
	"sync"

	"github.com/depeche/depeche/classify"
	"github.com/depeche/depeche/vec"
	"github.com/depeche/depeche/vectorize"
)

// judgeScratch holds what judgeIDs reuses from one article to the next: a server judges articles one
// after the other on every core, and with character n-grams an article has thousands of features.
type judgeScratch struct {
	toks    []vectorize.Token
	feat    vectorize.Scratch
	unknown []string
	words   vec.Vector
	dense   []float32 // zero but while nearestDense reads it
	scores  []float64
	expl    []classify.Contribution
	evid    [][]int32 // per label, its evidence features
	ev      []int32   // every evidence feature, sorted, distinct
	first   []int32   // the first token of each of ev
	surface []string  // the word of each of ev
	pred    []bool    // by label, predicted
	pass    passageScratch
}

var judgeScratches = sync.Pool{New: func() any { return new(judgeScratch) }}

// judgeIDs is Judge through feature ids: judgeTerms's verdict, computed on the same vector
// (vectorize.Vectorizer.TransformTokens is TransformTerms of TermsOf to the bit) by the same functions.
//
//   - The confidence counts the article's distinct words (its features that are not character
//     n-grams): the known ones are the vector's word features, the unknown ones the distinct terms of the
//     tokens the vocabulary lacks.
//   - The evidence of a label is ExplainWhere over the vector's word features, which is what
//     ExplainWhere with a filter of words keeps, and a word is shown as the first token of its feature
//     writes it (Surfaces keeps the first).
func (m *Model) judgeIDs(s *judgeScratch, text string, nterms int) Verdict {
	v, c := m.Vectorizer, m.Classifier
	voc := v.Vocabulary()
	s.toks = v.Analyzer.AppendTokens(s.toks[:0], text)
	x := v.TransformTokens(&s.feat, text, s.toks)

	known := 0
	s.words.Ind, s.words.Val = s.words.Ind[:0], s.words.Val[:0]
	for j, f := range x.Ind {
		if !voc.IsCharGram(f) {
			known++
			s.words.Ind = append(s.words.Ind, f)
			s.words.Val = append(s.words.Val, x.Val[j])
		}
	}
	s.unknown = s.unknown[:0]
	for k, id := range s.feat.TokenIDs {
		if id < 0 {
			s.unknown = append(s.unknown, s.toks[k].Term)
		}
	}
	slices.Sort(s.unknown)
	distinct := known + len(slices.Compact(s.unknown))
	nearest := 0.0
	if m.Domain != nil {
		if len(s.dense) < v.Len() {
			s.dense = make([]float32, v.Len())
		}
		for j, f := range x.Ind {
			s.dense[f] = x.Val[j]
		}
		nearest = m.Domain.nearestDense(s.dense)
		for _, f := range x.Ind {
			s.dense[f] = 0
		}
	}
	conf := confidenceOf(known, distinct, nearest, m.Domain)

	if cap(s.scores) < len(c.Labels) {
		s.scores = make([]float64, len(c.Labels))
	}
	scores := c.ScoresTo(s.scores[:len(c.Labels)], x)
	var pred []string
	if c.Exclusive {
		pred = c.Predict(x)
	} else {
		pred = c.PredictScores(scores)
	}
	s.pred = s.pred[:0]
	for _, l := range c.Labels {
		s.pred = append(s.pred, slices.Contains(pred, l))
	}
	// the passages' vectors go through their own scratch: s.feat's token ids are the evidence's
	sup := m.passageRule(&s.pass, text, s.toks, s.pred, func(a, b int) vec.Vector {
		// the article's features, token by token, counted again for the passage
		if x, ok := v.TransformSpan(&s.pass.feat, &s.feat, a, b); ok {
			return x
		}
		return v.TransformTokens(&s.pass.feat, text, s.toks[a:b])
	})
	out := make([]LabelScore, len(scores))
	for i, sc := range scores {
		out[i] = LabelScore{Label: c.Labels[i], Score: sc, Predicted: s.pred[i], Terms: []string{}}
		if sup != nil {
			out[i].Passages = sup[i]
		}
	}
	if nterms > 0 {
		m.evidence(s, text, nterms, out)
	}
	sortLabels(out)
	clear(s.toks) // the pool must not keep the article's words alive, nor its verdict's passages
	clear(s.pass.sup)
	clear(s.unknown)
	return Verdict{Labels: out, Confidence: conf}
}

// evidence sets the Terms of out (in the order of the labels) from the scratch's word vector.
func (m *Model) evidence(s *judgeScratch, text string, nterms int, out []LabelScore) {
	c := m.Classifier
	for len(s.evid) < len(out) {
		s.evid = append(s.evid, nil)
	}
	s.ev = s.ev[:0]
	for i := range out {
		s.expl = c.ExplainInto(s.expl, s.words, i, nterms, nil)
		s.evid[i] = s.evid[i][:0]
		for _, e := range s.expl {
			s.evid[i] = append(s.evid[i], e.Feature)
			s.ev = append(s.ev, e.Feature)
		}
	}
	slices.Sort(s.ev)
	s.ev = slices.Compact(s.ev)
	s.first = s.first[:0]
	for range s.ev {
		s.first = append(s.first, -1)
	}
	for k, id := range s.feat.TokenIDs {
		if id < 0 {
			continue
		}
		if j, ok := slices.BinarySearch(s.ev, id); ok && s.first[j] < 0 {
			s.first[j] = int32(k)
		}
	}
	s.surface = s.surface[:0]
	for j, k := range s.first {
		if k < 0 { // not a token's term: cannot happen without bigrams, but the term is the fallback
			s.surface = append(s.surface, m.Vectorizer.Term(s.ev[j]))
			continue
		}
		t := s.toks[k]
		s.surface = append(s.surface, strings.ToLower(text[t.Start:t.End]))
	}
	for i := range out {
		if len(s.evid[i]) == 0 {
			continue
		}
		terms := make([]string, len(s.evid[i]))
		for n, f := range s.evid[i] {
			j, _ := slices.BinarySearch(s.ev, f)
			terms[n] = s.surface[j]
		}
		out[i].Terms = terms
	}
	clear(s.surface)
}
