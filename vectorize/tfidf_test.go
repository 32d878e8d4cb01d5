package vectorize

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gonum.org/v1/gonum/floats/scalar"
)

var smallCorpus = []string{
	"Le démantèlement d'une cellule terroriste à Tanger par le BCIJ.",
	"Une cellule terroriste liée à Daech démantelée à Fès, annonce le BCIJ.",
	"Saisie de trois tonnes de résine de cannabis au port de Tanger Med.",
	"La Chambre des représentants adopte le projet de loi de finances.",
	"Des migrants tentent de franchir la clôture de Melilla.",
	"Saisie de cocaïne à Casablanca : deux trafiquants arrêtés.",
}

// The fast path must give the vectors of the reference path through james-bowman/nlp.
func TestFitTransformMatchesReference(t *testing.T) {
	docs := append([]string(nil), smallCorpus...)
	if files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "seeds", "*.txt")); len(files) > 0 {
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, string(b))
		}
	}
	for _, tc := range []struct {
		name      string
		opts      Options
		minDF     int
		maxDF     float64
		sublinear bool
	}{
		{"defaults", Options{}, 2, 1, true},
		{"bigrams mindf1", Options{Bigrams: true}, 1, 1, true},
		{"raw tf maxdf", Options{}, 1, 0.5, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := MustAnalyzer(tc.opts)
			v := NewVectorizer(a)
			v.MinDF, v.MaxDF, v.Sublinear = tc.minDF, tc.maxDF, tc.sublinear
			got, err := v.FitTransform(docs)
			if err != nil {
				t.Fatal(err)
			}
			want, terms, err := ReferenceFitTransform(a, docs, tc.minDF, tc.maxDF, tc.sublinear)
			if err != nil {
				t.Fatal(err)
			}
			if len(terms) != len(v.Terms()) {
				t.Fatalf("vocabulary: %d terms, reference %d", len(v.Terms()), len(terms))
			}
			for i := range terms {
				if terms[i] != v.Terms()[i] {
					t.Fatalf("term %d: %q, reference %q", i, v.Terms()[i], terms[i])
				}
			}
			if got.Rows() != want.Rows() || got.NNZ() != want.NNZ() {
				t.Fatalf("shape: %d rows %d nnz, reference %d rows %d nnz", got.Rows(), got.NNZ(), want.Rows(), want.NNZ())
			}
			for k := range got.Ind {
				if got.Ind[k] != want.Ind[k] || !scalar.EqualWithinAbsOrRel(float64(got.Val[k]), float64(want.Val[k]), 1e-6, 1e-5) {
					t.Fatalf("entry %d: (%d, %g), reference (%d, %g)", k, got.Ind[k], got.Val[k], want.Ind[k], want.Val[k])
				}
			}
			// Transform of the training texts after Fit gives the same rows
			again := v.Transform(docs)
			for k := range again.Val {
				if again.Ind[k] != got.Ind[k] || again.Val[k] != got.Val[k] {
					t.Fatalf("Transform after Fit differs from FitTransform at entry %d", k)
				}
			}
		})
	}
}

func TestVectorizerEdgeCases(t *testing.T) {
	a := MustAnalyzer(Options{})
	v := NewVectorizer(a)
	if _, err := v.FitTransform(nil); !errors.Is(err, ErrNoDocuments) {
		t.Errorf("no documents: err = %v", err)
	}
	if _, err := v.FitTransform([]string{"le la les", "du de"}); !errors.Is(err, ErrEmptyVocabulary) {
		t.Errorf("only stop words: err = %v", err)
	}
	if err := v.Fit(smallCorpus); err != nil {
		t.Fatal(err)
	}
	z := v.TransformOne("xyzzy plugh")
	if z.Len() != 0 || z.Norm() != 0 {
		t.Errorf("unknown words: %v, want the zero vector", z)
	}
	x := v.TransformOne(smallCorpus[0])
	if n := x.Norm(); math.Abs(n-1) > 1e-6 {
		t.Errorf("norm = %g, want 1", n)
	}
	// a term in every document still weighs > 0 (the +1 of smoothed idf)
	if w := IDF(10, 10); w != 1 {
		t.Errorf("IDF(10,10) = %g, want 1", w)
	}
}

func TestNewFitted(t *testing.T) {
	a := MustAnalyzer(Options{})
	v := NewVectorizer(a)
	if err := v.Fit(smallCorpus); err != nil {
		t.Fatal(err)
	}
	w, err := NewFitted(a, v.Terms(), v.DF(), v.Docs(), v.Sublinear)
	if err != nil {
		t.Fatal(err)
	}
	x, y := v.TransformOne(smallCorpus[2]), w.TransformOne(smallCorpus[2])
	if len(x.Ind) != len(y.Ind) {
		t.Fatal("rebuilt vectorizer gives another vector")
	}
	for k := range x.Ind {
		if x.Ind[k] != y.Ind[k] || x.Val[k] != y.Val[k] {
			t.Fatal("rebuilt vectorizer gives another vector")
		}
	}
	if _, err := NewFitted(a, []string{"b", "a"}, []int32{1, 1}, 2, true); err == nil {
		t.Error("unsorted vocabulary accepted")
	}
	if _, err := NewFitted(a, []string{"a"}, []int32{1, 1}, 2, true); err == nil {
		t.Error("length mismatch accepted")
	}
}

// The streaming fit and transform give the vectors FitTransform gives.
func TestStreamMatchesFitTransform(t *testing.T) {
	docs := append(append([]string(nil), smallCorpus...), smallCorpus[0]+" Tanger", "Fès et Tanger")
	src := func(yield func(string)) error {
		for _, d := range docs {
			yield(d)
		}
		return nil
	}
	for _, opts := range []Options{{}, {Bigrams: true}, {CharNgrams: true}} {
		a := MustAnalyzer(opts)
		v1, v2 := NewVectorizer(a), NewVectorizer(a)
		want, err := v1.FitTransform(docs)
		if err != nil {
			t.Fatal(err)
		}
		n, err := v2.FitStream(src)
		if err != nil || n != len(docs) {
			t.Fatalf("FitStream: %d %v", n, err)
		}
		got, err := v2.TransformStream(src, n)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(v1.Terms(), v2.Terms()) || !slices.Equal(v1.DF(), v2.DF()) {
			t.Fatalf("%+v: vocabularies differ", opts)
		}
		if !slices.Equal(got.Ptr, want.Ptr) || !slices.Equal(got.Ind, want.Ind) || !slices.Equal(got.Val, want.Val) {
			t.Fatalf("%+v: matrices differ", opts)
		}
	}
}
