package vectorize

import (
	"reflect"
	"testing"
)

func TestBigrams(t *testing.T) {
	a := MustAnalyzer(Options{Bigrams: true})
	got := a.AppendTerms(nil, "le trafic de drogue")
	want := []string{"trafic", "drogu", "trafic drogu"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestCharNgrams(t *testing.T) {
	a := MustAnalyzer(Options{CharNgrams: true})
	got := a.AppendTerms(nil, "au Malí")
	want := []string{"mali", "~#ma", "~mal", "~ali", "~li#", "~#mal", "~mali", "~ali#", "~#mali", "~mali#"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	text := "Saisie de cannabis à Tanger"
	if x, y := a.AppendTerms(nil, text), a.TermsOf(nil, text, a.Analyze(text)); !reflect.DeepEqual(x, y) {
		t.Errorf("AppendTerms %q != TermsOf %q", x, y)
	}
	if a.Fingerprint() == MustAnalyzer(Options{}).Fingerprint() {
		t.Error("character n-grams do not change the fingerprint")
	}
}
