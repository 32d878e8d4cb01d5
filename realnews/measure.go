package realnews

import (
	"fmt"
	"slices"
	"strings"
)

// Metrics are one theme's counts and rates on the dev set.
type Metrics struct {
	TP, FP, FN                  int
	Precision, Recall, F1       float64
	Support                     int
	FalsePositives, FalseMisses []string // the keys, for reading them
}

// Result is a model's measure on the dev set (see the package doc).
type Result struct {
	Articles int
	PerTheme map[string]*Metrics
	MacroF1  float64
	// NoTheme articles (labeled with none of the themes) and those of them given a theme anyway.
	NoTheme, NoThemeFlagged int
	// OffTopic articles (dataset topic other than politics, seeds excluded) and those given a theme they
	// are not labeled with; Flagged lists their keys.
	OffTopic, OffTopicFlagged int
	Flagged                   []string
}

// FalseAlarmRate is NoThemeFlagged / NoTheme.
func (r *Result) FalseAlarmRate() float64 { return ratio(r.NoThemeFlagged, r.NoTheme) }

// OffTopicRate is OffTopicFlagged / OffTopic.
func (r *Result) OffTopicRate() float64 { return ratio(r.OffTopicFlagged, r.OffTopic) }

// Score measures predict, which returns the labels a model predicts for a text (labels outside Themes
// are ignored), on the articles.
func Score(arts []Article, predict func(text string) []string) *Result {
	r := &Result{Articles: len(arts), PerTheme: map[string]*Metrics{}}
	for _, t := range Themes {
		r.PerTheme[t] = &Metrics{}
	}
	for _, a := range arts {
		var got []string
		for _, l := range predict(a.Text) {
			if slices.Contains(Themes, l) && !slices.Contains(got, l) {
				got = append(got, l)
			}
		}
		extra := false
		for _, t := range Themes {
			m := r.PerTheme[t]
			want, have := slices.Contains(a.Themes, t), slices.Contains(got, t)
			switch {
			case want && have:
				m.TP++
			case have:
				m.FP++
				m.FalsePositives = append(m.FalsePositives, a.Key)
				extra = true
			case want:
				m.FN++
				m.FalseMisses = append(m.FalseMisses, a.Key)
			}
		}
		if len(a.Themes) == 0 {
			r.NoTheme++
			if len(got) > 0 {
				r.NoThemeFlagged++
			}
		}
		if a.Topic != "politics" && a.Topic != "seed" {
			r.OffTopic++
			if extra {
				r.OffTopicFlagged++
				r.Flagged = append(r.Flagged, a.Key)
			}
		}
	}
	for _, t := range Themes {
		m := r.PerTheme[t]
		m.Support = m.TP + m.FN
		m.Precision = ratio(m.TP, m.TP+m.FP)
		m.Recall = ratio(m.TP, m.TP+m.FN)
		m.F1 = ratio(2*m.TP, 2*m.TP+m.FP+m.FN)
		r.MacroF1 += m.F1 / float64(len(Themes))
	}
	return r
}

// String is the result as the golden file and the README show it: fixed precision, one line a figure.
func (r *Result) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "articles %d\n", r.Articles)
	for _, t := range Themes {
		m := r.PerTheme[t]
		fmt.Fprintf(&b, "%-22s P %.3f  R %.3f  F1 %.3f  (tp %d fp %d fn %d, support %d)\n", t, m.Precision, m.Recall, m.F1, m.TP, m.FP, m.FN, m.Support)
	}
	fmt.Fprintf(&b, "macro-F1 over the themes %.3f\n", r.MacroF1)
	fmt.Fprintf(&b, "no-theme articles given a theme %d of %d (%.1f %%)\n", r.NoThemeFlagged, r.NoTheme, 100*r.FalseAlarmRate())
	fmt.Fprintf(&b, "non-politics articles given a theme they are not about %d of %d (%.1f %%)\n", r.OffTopicFlagged, r.OffTopic, 100*r.OffTopicRate())
	return b.String()
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
