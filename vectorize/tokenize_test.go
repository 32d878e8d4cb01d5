package vectorize

import (
	"reflect"
	"testing"
)

// TestWords: the words of a text as the tokenizer finds them (the surface each token points back to):
// letters, digits and combining marks, joined across one apostrophe or hyphen between word characters.
func TestWords(t *testing.T) {
	a := MustAnalyzer(Options{Stemmer: StemNone, KeepAccents: true, KeepNoise: true, KeepNumbers: true})
	tests := []struct {
		in   string
		want []string
	}{
		{"«\u00a0coopération\u00a0»\u202f!", []string{"coopération"}},
		{"G20 à Rabat", []string{"G20", "Rabat"}},
		{"se\u0301curite\u0301", []string{"se\u0301curite\u0301"}}, // combining marks belong to the word
		{"Rabat‑Salé", []string{"Rabat", "Salé"}},                  // a part of a hyphenated word points at itself
		{"narcotrafic", []string{"narcotrafic", "narcotrafic"}},    // two terms of one word, both pointing at it
		{"a--b x- 'quote'", []string{"quote"}},                     // a double hyphen splits; single letters go
		{"O’Neill", []string{"O’Neill"}},
	}
	for _, tc := range tests {
		var got []string
		for _, tok := range a.Analyze(tc.in) {
			got = append(got, tc.in[tok.Start:tok.End])
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("words of %q = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestLowerWord: the normalised form every word list is compared with.
func TestLowerWord(t *testing.T) {
	a := MustAnalyzer(Options{})
	tests := []struct{ in, want string }{
		{"L’État", "l'état"},
		{"aujourd‘hui", "aujourd'hui"},
		{"CŒUR", "coeur"},
		{"Æther", "aether"},
		{"se\u0301curite\u0301", "sécurité"}, // NFD to NFC
		{"Rabat‑Salé", "rabat-salé"},         // U+2011 to U+002D
		{"ascii", "ascii"},
	}
	for _, tc := range tests {
		if got := a.lowerWord(tc.in); got != tc.want {
			t.Errorf("lowerWord(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
