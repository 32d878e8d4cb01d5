package vectorize

import "testing"

// TestFoldAccents: the French diacritics of a lower-case term go; other letters, ligatures included (they
// are spelled out earlier, by lowerWord), stay.
func TestFoldAccents(t *testing.T) {
	tests := []struct{ in, want string }{
		{"sécurité", "securite"},
		{"aéroport", "aeroport"},
		{"ça", "ca"},
		{"naïf", "naif"},
		{"île", "ile"},
		{"où", "ou"},
		{"coût", "cout"},
		{"noël", "noel"},
		{"cañón", "canon"},
		{"ÿ", "y"},
		{"ascii", "ascii"},
		{"œuvre", "œuvre"},
		{"straße", "straße"},
		{"Été", "Éte"}, // terms are lower-case by then: capitals are not folded
	}
	for _, tc := range tests {
		if got := foldAccents(tc.in); got != tc.want {
			t.Errorf("foldAccents(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Options.KeepAccents keeps them in the terms
	keep, fold := MustAnalyzer(Options{KeepAccents: true, Stemmer: StemNone}), MustAnalyzer(Options{Stemmer: StemNone})
	checkTerms(t, keep, []termCase{{"sécurité", []string{"sécurité"}}, {"garde-côtes", []string{"garde-côtes"}}})
	checkTerms(t, fold, []termCase{{"sécurité", []string{"securite"}}, {"garde-côtes", []string{"garde-cotes"}}})
}
