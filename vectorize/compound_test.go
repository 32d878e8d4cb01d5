package vectorize

import "testing"

// TestCompounds: lexicalised compounds stay whole, other hyphenated words are split, inversion clitics
// are dropped, and from fr-2 on the prefix "narco" is a term of its own. Without stemming or folding, so
// that the words show as they are kept.
func TestCompounds(t *testing.T) {
	checkTerms(t, MustAnalyzer(Options{Stemmer: StemNone, KeepAccents: true}), []termCase{
		{"porte-parole", []string{"porte-parole"}},
		{"Garde-côtes", []string{"garde-côtes"}},
		{"États-Unis", []string{"états-unis"}},
		{"cessez-le-feu", []string{"cessez-le-feu"}},
		{"Tanger-Med", []string{"tanger-med"}},
		{"narco-terrorisme", []string{"narco-terrorisme"}},
		{"Rabat-Salé-Kénitra", []string{"rabat", "salé", "kénitra"}},
		{"maroco-française", []string{"maroc", "france"}}, // each part, then its alias
		{"a-t-il", nil},
		{"lit-on", []string{"lit"}},
		{"va-t-on", []string{"va"}},
		{"est-ce", nil},
		{"s'est-elle", nil},
		{"narcotrafiquants", []string{"narco", "trafiquants"}},
		{"Narcotrafic", []string{"narco", "trafic"}},
	})
	// fr-1 keeps the narco words whole, so that models trained with it score as they did
	checkTerms(t, MustAnalyzer(Options{Version: "fr-1", Stemmer: StemNone, KeepAccents: true}), []termCase{
		{"narcotrafiquants", []string{"narcotrafiquants"}},
		{"narco-terrorisme", []string{"narco-terrorisme"}},
	})
	// the joined form is folded but not stemmed
	checkTerms(t, MustAnalyzer(Options{}), []termCase{
		{"les garde-côtes", []string{"garde-cotes"}},
		{"les narcotrafiquants", []string{"narco", "trafiqu"}},
	})
}
