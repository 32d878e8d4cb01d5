package vectorize

import "testing"

// TestCleanInlineRules: the first noise phrase inside a line, cut where it stands.
func TestCleanInlineRules(t *testing.T) {
	tests := []struct{ line, want string }{
		{"Texte. Partager sur Facebook Suite", "Partager sur Facebook"},
		{"Corps À lire aussi : Titre", "À lire aussi : "}, // the marker and what follows it of spaces and colons
		{"Le film Lire aussi: La suite", "Lire aussi: "},
		{"ActualitéSociétéUne Corps", "ActualitéSociétéUne"},
		{"Loading...", "Loading"},
		{"Repartager la terre", ""}, // inside a word: not noise
		{"Le Maroc Une", ""},        // rubric names apart are words
		{"sans bruit", ""},
	}
	for _, tc := range tests {
		got := ""
		if i, n := nextInlineNoise(tc.line); i >= 0 {
			got = tc.line[i : i+n]
		}
		if got != tc.want {
			t.Errorf("nextInlineNoise(%q) finds %q, want %q", tc.line, got, tc.want)
		}
	}
}
