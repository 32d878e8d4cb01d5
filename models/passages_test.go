package models

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/depeche/depeche/data"
	"github.com/depeche/depeche/dispatch"
	"github.com/depeche/depeche/vectorize"
)

func TestSentenceEnd(t *testing.T) {
	for _, c := range []struct {
		text string
		at   int
		ok   bool
		next int
	}{
		{"Fin. Suite", 3, true, 4},
		{"Fin.", 3, true, 4},
		{"3.5 millions", 1, false, 0},
		{"Fin.Suite", 3, false, 0},
		{"« Assez.» Puis", 8, true, 11}, // the guillemet stays with its sentence
		{"« Assez. » Puis", 8, true, 9},
		{"Quoi ?! Non", 5, false, 0},
		{"Quoi ?! Non", 6, true, 7},
		{"Attends… Bon", 7, true, 10},
		{"ligne\nautre", 5, true, 6},
		{"mot suite", 3, false, 0},
		{"(fin.) Puis", 4, true, 6},
	} {
		next, ok := sentenceEnd(c.text, c.at)
		if ok != c.ok || (ok && next != c.next) {
			t.Errorf("sentenceEnd(%q, %d) = %d, %v; want %d, %v", c.text, c.at, next, ok, c.next, c.ok)
		}
	}
}

// sentences returns a text of sentences of the given numbers of words, and its tokens (each word one
// token, as the passage cut only reads the tokens' places).
func sentences(words ...int) (string, []vectorize.Token) {
	var b strings.Builder
	var toks []vectorize.Token
	for _, n := range words {
		for w := range n {
			if w > 0 {
				b.WriteByte(' ')
			}
			toks = append(toks, vectorize.Token{Term: "mot", Start: b.Len(), End: b.Len() + 3, Position: len(toks)})
			b.WriteString("mot")
		}
		b.WriteString(". ")
	}
	return b.String(), toks
}

func TestAppendPassages(t *testing.T) {
	rep := func(n, words int) []int {
		var out []int
		for range n {
			out = append(out, words)
		}
		return out
	}
	for _, c := range []struct {
		name  string
		words []int
		want  []int
	}{
		{"no token", nil, nil},
		{"one sentence, however long", []int{200}, []int{0, 200}},
		{"sentences grouped up to 60 tokens", rep(10, 10), []int{0, 60, 100}},
		{"a short tail joins the passage before", rep(7, 10), []int{0, 70}},
		{"a cut only between sentences", rep(8, 25), []int{0, 75, 150, 200}},
		{"a tail of 30 stays", []int{60, 30}, []int{0, 60, 90}},
		{"a tail of 29 joins", []int{60, 29}, []int{0, 89}},
		{"one short sentence", []int{3}, []int{0, 3}},
	} {
		text, toks := sentences(c.words...)
		if got := appendPassages(nil, text, toks); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// line breaks end sentences too
	text := strings.Repeat(strings.Repeat("mot ", 30)+"\n", 4)
	var toks []vectorize.Token
	for i := 0; i+3 <= len(text); i++ {
		if text[i:i+3] == "mot" {
			toks = append(toks, vectorize.Token{Term: "mot", Start: i, End: i + 3})
		}
	}
	if got := appendPassages(nil, text, toks); !reflect.DeepEqual(got, []int{0, 60, 120}) {
		t.Errorf("lines: %v", got)
	}
}

func TestPassagesCarried(t *testing.T) {
	for _, c := range []struct {
		p    Passages
		want bool
	}{
		{Passages{Count: 9, Lead: true}, true},
		{Passages{Count: 9, Share: 0.30}, true},
		{Passages{Count: 9, Share: 0.29}, false},
		{Passages{Count: 4}, false},
	} {
		if got := c.p.Carried(); got != c.want {
			t.Errorf("%+v: %v", c.p, got)
		}
	}
}

// TestPassageRule: long articles made of the built-in corpus's own dispatches (terrorism reports
// among reports of wars and militias, labeled conflit), judged by the built-in model: a theme in the lead or in a third of the article
// is kept, one passage of many is a passing mention, and short articles and exclusive models are left
// as the whole-article decision makes them.
func TestPassageRule(t *testing.T) {
	m, ds := builtinAndCorpus(t)
	pick := func(label string, n int) []dispatch.Dispatch {
		var out []dispatch.Dispatch
		for _, d := range ds {
			if slices.Equal(d.Labels, []string{label}) && len(m.Vectorizer.Analyzer.Analyze(d.Text)) >= PassageTokens {
				out = append(out, d)
				if len(out) == n {
					break
				}
			}
		}
		return out
	}
	ter, other := pick("terrorisme", 3), pick("conflit", 8)
	if len(ter) < 3 || len(other) < 8 {
		t.Fatalf("the corpus has %d terrorism and %d conflict dispatches of a passage or more", len(ter), len(other))
	}
	article := func(parts string) string { // T: a terrorism dispatch, S: a conflict one, in order
		var b strings.Builder
		nt, ns := 0, 0
		for _, p := range parts {
			d := &other[ns%len(other)]
			if p == 'T' {
				d = &ter[nt%len(ter)]
				nt++
			} else {
				ns++
			}
			b.WriteString(d.Text + "\n")
		}
		return b.String()
	}
	label := func(ls []LabelScore, l string) LabelScore {
		for _, x := range ls {
			if x.Label == l {
				return x
			}
		}
		t.Fatalf("no label %s", l)
		return LabelScore{}
	}
	for _, c := range []struct {
		name      string
		parts     string
		judged    bool // the whole article reaches the threshold and is long: the rule decides
		lead      bool
		predicted bool
	}{
		{"in the lead", "TSSS", true, true, true},
		{"in a third of the text", "STTS", true, false, true},
		{"a passing mention", "SSTSS", true, false, false},
		{"a short article", "ST", false, false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := article(c.parts)
			for _, judge := range []func() Verdict{
				func() Verdict { return m.Judge(text, 3) },
				func() Verdict { return m.judgeTerms(text, 3) },
			} {
				l := label(judge().Labels, "terrorisme")
				if c.judged != (l.Passages != nil) {
					t.Fatalf("passages %+v (score %.3f), want the rule to judge it: %v", l.Passages, l.Score, c.judged)
				}
				if l.Predicted != c.predicted {
					t.Errorf("predicted %v, want %v (score %.3f, passages %+v)", l.Predicted, c.predicted, l.Score, l.Passages)
				}
				if c.judged && l.Passages.Lead != c.lead {
					t.Errorf("lead %v, want %v", l.Passages.Lead, c.lead)
				}
				if len(l.Terms) == 0 {
					t.Error("no evidence: a label the rule drops keeps the whole article's evidence")
				}
			}
		})
	}
	// an exclusive model predicts its one best label, whatever the passages
	c := *m.Classifier
	c.Exclusive = true
	ex := *m
	ex.Classifier = &c
	n := 0
	for _, l := range ex.Judge(article("SSTSS"), 0).Labels {
		if l.Passages != nil {
			t.Errorf("exclusive model: %s has passages %+v", l.Label, l.Passages)
		}
		if l.Predicted {
			n++
		}
	}
	if n != 1 {
		t.Errorf("exclusive model: %d labels predicted", n)
	}
}

// TestPassageRuleShares: on an article of twelve dispatches, every label the rule judges has a share in
// [0,1], at least LongPassages passages, and is predicted exactly when its passages carry it.
func TestPassageRuleShares(t *testing.T) {
	m, ds := builtinAndCorpus(t)
	var b strings.Builder
	for _, d := range ds[:12] {
		fmt.Fprintln(&b, d.Text)
	}
	for _, l := range m.Judge(b.String(), 0).Labels {
		if p := l.Passages; p != nil && (p.Share < 0 || p.Share > 1 || p.Count < LongPassages || l.Predicted != p.Carried()) {
			t.Errorf("%s: %+v, predicted %v", l.Label, p, l.Predicted)
		}
	}
}

// FuzzPassages: whatever the text, the passages of its analyzed tokens start at 0, end at the last
// token, in order, and every passage but the last holds PassageTokens tokens or more.
func FuzzPassages(f *testing.F) {
	for _, s := range []string{"", "Fin. Suite", strings.Repeat("Un mot de plus. ", 80), "« Assez.» \n\n…?! \xff", strings.Repeat("a ", 500)} {
		f.Add(s)
	}
	a := vectorize.MustAnalyzer(vectorize.Options{})
	f.Fuzz(func(t *testing.T, text string) {
		toks := a.Analyze(text)
		cuts := appendPassages(nil, text, toks)
		if len(toks) == 0 {
			if len(cuts) != 0 {
				t.Fatalf("no token, passages %v", cuts)
			}
			return
		}
		if cuts[0] != 0 || cuts[len(cuts)-1] != len(toks) {
			t.Fatalf("passages %v of %d tokens", cuts, len(toks))
		}
		for k := 1; k < len(cuts); k++ {
			if cuts[k] <= cuts[k-1] {
				t.Fatalf("passages %v not in order", cuts)
			}
			if k < len(cuts)-1 && cuts[k]-cuts[k-1] < PassageTokens {
				t.Fatalf("passage %d of %v under %d tokens", k, cuts, PassageTokens)
			}
		}
	})
}

// builtinAndCorpus returns the built-in model and the corpus it was trained on.
func builtinAndCorpus(t *testing.T) (*Model, []dispatch.Dispatch) {
	t.Helper()
	m, err := Decode(data.Model())
	if err != nil {
		t.Fatal(err)
	}
	ds, err := data.Corpus()
	if err != nil {
		t.Fatal(err)
	}
	return m, ds
}
