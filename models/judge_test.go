package models

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/depeche/depeche/data"
	"github.com/depeche/depeche/vectorize"
)

// TestJudgeIDsIsJudgeTerms: the id path's verdicts are those of the string path, evidence and confidence
// included, on the built-in model (words and character n-grams) and on small models of each analysis.
func TestJudgeIDsIsJudgeTerms(t *testing.T) {
	ds, err := data.Corpus()
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for i := 0; i < len(ds); i += 23 {
		texts = append(texts, ds[i].Text)
	}
	if files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "seeds", "*.txt")); len(files) > 0 {
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			texts = append(texts, string(b))
		}
	}
	// long articles, where the passage rule decides (passages.go)
	for i := 0; i+6 <= len(ds); i += 701 {
		var b strings.Builder
		for _, d := range ds[i : i+6] {
			b.WriteString(d.Text + "\n")
		}
		texts = append(texts, b.String())
	}
	texts = append(texts, "", "!!!", "The quick brown fox jumps over the lazy dog", "Tanger TANGER tanger Tanger-Med",
		"L’ŒUVRE de l'État : e\u0301te\u0301 \xff\xfe, Straße, ΑΘΗΝΑ", strings.Repeat("cannabis saisie Tanger ", 200))
	builtin, err := Decode(data.Model())
	if err != nil {
		t.Fatal(err)
	}
	plain := train(t)
	grams := trainWith(t, vectorize.Options{CharNgrams: true})
	for name, m := range map[string]*Model{"built-in": builtin, "words": plain, "char n-grams": grams} {
		s := new(judgeScratch)
		for i, text := range texts {
			for _, k := range []int{0, 1, 5, 40} {
				want := m.judgeTerms(text, k)
				got := m.judgeIDs(s, text, k)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s, text %d, %d terms:\n got %+v\nwant %+v", name, i, k, got, want)
				}
			}
		}
	}
}

// TestTransformTokensAllocates nothing once its buffers have grown: what a server's classify costs.
func TestTransformTokensAllocatesNothing(t *testing.T) {
	m, err := Decode(data.Model())
	if err != nil {
		t.Fatal(err)
	}
	text := "Tanger, 14 février 2025 (MAP) - Les services de la Direction générale de la sûreté nationale ont interpellé quatre individus soupçonnés d'appartenir à un réseau criminel actif dans le trafic international de drogue."
	a := m.Vectorizer.Analyzer
	toks := a.Analyze(text)
	var s vectorize.Scratch
	m.Vectorizer.TransformTokens(&s, text, toks)
	if n := testing.AllocsPerRun(20, func() { m.Vectorizer.TransformTokens(&s, text, toks) }); n != 0 {
		t.Errorf("TransformTokens: %v allocations a call", n)
	}
}

func trainWith(t *testing.T, a vectorize.Options) *Model {
	t.Helper()
	texts := make([]string, len(corpus))
	labels := make([][]string, len(corpus))
	for i, c := range corpus {
		texts[i], labels[i] = c.text, c.labels
	}
	m, err := Train(texts, labels, TrainOptions{Folds: 1, Analyzer: a})
	if err != nil {
		t.Fatal(err)
	}
	return m
}
