package models

import (
	"unicode"
	"unicode/utf8"

	"github.com/depeche/depeche/vec"
	"github.com/depeche/depeche/vectorize"
)

// The passage rule: what the labeling guide (realnews/GUIDE.md) asks of "about a theme" — the headline
// or the lead is about it, or about a third of the article is, a passing mention not being enough —
// applied to the articles longer than the dispatches the model learned from. A long feature that
// names jihadists in one paragraph of ten scores high on terrorisme as a whole (its vector is the whole
// text's, sublinear in counts), though nine tenths of it are about something else; scored passage by
// passage, the same model says where the theme is.
const (
	// PassageTokens is the least number of analyzed tokens of a passage: the lower quartile of the
	// built-in corpus's dispatches (59), so that a passage is scored at a length the thresholds were
	// chosen on.
	PassageTokens = 60
	// passageTail: a last passage shorter than this joins the one before it.
	passageTail = PassageTokens / 2
	// LongPassages is the number of passages from which an article is long. Up to three, any passage
	// that carries a theme is about a third of the text, and the whole-article decision stands.
	LongPassages = 4
	// CarriedShare is the share of a long article's tokens, in passages that reach a label's threshold
	// alone, that keeps the label without its lead ("about a third").
	CarriedShare = 0.30
)

// Passages is how a label predicted on the whole of a long article is carried by its passages
// (LabelScore.Passages).
type Passages struct {
	Count int     `json:"count"` // passages of the article
	Lead  bool    `json:"lead"`  // the first passage (headline and lead) reaches the label's threshold alone
	Share float64 `json:"share"` // the share of the article's tokens in passages that reach it alone
}

// Carried reports whether the passage rule keeps the label: its lead carries it, or CarriedShare of
// the article does.
func (p *Passages) Carried() bool { return p.Lead || p.Share >= CarriedShare }

// sentenceEnd reports whether a sentence ends at byte i of text: a line break, or . ! ? … (with the
// closing quotes and brackets after it) followed by white space or the end. It returns where the next
// sentence may begin.
func sentenceEnd(text string, i int) (int, bool) {
	r, n := utf8.DecodeRuneInString(text[i:])
	switch r {
	case '\n', '\r':
		return i + n, true
	case '.', '!', '?', '…':
	default:
		return 0, false
	}
	j := i + n
	for j < len(text) {
		c, m := utf8.DecodeRuneInString(text[j:])
		if c != '"' && c != '»' && c != '”' && c != '’' && c != '\'' && c != ')' && c != ']' {
			break
		}
		j += m
	}
	if j == len(text) {
		return j, true
	}
	c, _ := utf8.DecodeRuneInString(text[j:])
	return j, unicode.IsSpace(c)
}

// appendPassages appends to dst the index of the first token of each passage of text, then len(toks):
// passage k is toks[dst[k]:dst[k+1]]. Sentences (sentenceEnd) are grouped in order until a passage holds
// PassageTokens tokens; a last passage under passageTail tokens joins the one before it. A text with
// no token has no passage.
func appendPassages(dst []int, text string, toks []vectorize.Token) []int {
	if len(toks) == 0 {
		return dst
	}
	base := len(dst)
	dst = append(dst, 0)
	start, i := 0, 0 // the current passage's first token; the byte the sentence scan is at
	for k, t := range toks {
		// a sentence ended between the previous token and this one: cut when the passage is full
		ended := false
		for ; i < t.Start; i++ {
			if _, ok := sentenceEnd(text, i); ok {
				ended = true
			}
		}
		i = max(i, t.End)
		if ended && k-start >= PassageTokens {
			dst = append(dst, k)
			start = k
		}
	}
	if n := len(dst) - base; n > 1 && len(toks)-start < passageTail {
		dst = dst[:len(dst)-1]
	}
	return append(dst, len(toks))
}

// passageRule applies the passage rule to the predicted labels (pred, by label index) of a long
// article: each passage (tokens [a, b)) vectorized alone (vectorOf) and scored on those labels, pred cleared for the labels
// its passages do not carry. It returns the support of each label that was predicted, nil for the
// others; nil when the article is not long or nothing is predicted.
func (m *Model) passageRule(s *passageScratch, text string, toks []vectorize.Token, pred []bool, vectorOf func(a, b int) vec.Vector) []*Passages {
	c := m.Classifier
	if c.Exclusive || !anyTrue(pred) {
		return nil
	}
	s.cuts = appendPassages(s.cuts[:0], text, toks)
	count := len(s.cuts) - 1
	if count < LongPassages {
		return nil
	}
	// sup lives in the scratch (the verdict copies its pointers); carried counts the tokens of the
	// passages that reach each label's threshold
	s.sup = append(s.sup[:0], make([]*Passages, len(c.Labels))...)
	s.carried = append(s.carried[:0], make([]int, len(c.Labels))...)
	sup, carried := s.sup, s.carried
	for k := range count {
		a, b := s.cuts[k], s.cuts[k+1]
		x := vectorOf(a, b)
		for l, p := range pred { // only the predicted labels: a passage costs one dot product each
			if !p || c.Score(x, l) < float64(c.Thresholds[l]) {
				continue
			}
			if sup[l] == nil {
				sup[l] = &Passages{Count: count}
			}
			carried[l] += b - a
			if k == 0 {
				sup[l].Lead = true
			}
		}
	}
	for l, p := range pred {
		if !p {
			continue
		}
		if sup[l] == nil {
			sup[l] = &Passages{Count: count}
		}
		sup[l].Share = float64(carried[l]) / float64(len(toks))
		pred[l] = sup[l].Carried()
	}
	return sup
}

// passageScratch holds what the passage rule reuses from one article to the next.
type passageScratch struct {
	feat    vectorize.Scratch
	cuts    []int
	sup     []*Passages
	carried []int
}

func anyTrue(bs []bool) bool {
	for _, b := range bs {
		if b {
			return true
		}
	}
	return false
}
