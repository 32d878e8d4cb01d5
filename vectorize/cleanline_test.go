package vectorize

import "testing"

// TestCleanLineRules: which whole lines are user-interface noise, and which parentheses are an agency's.
func TestCleanLineRules(t *testing.T) {
	ui := []struct {
		line string
		want bool
	}{
		{"Loading", true},
		{"Vidéo", true},
		{"Partager sur Facebook", true},
		{"© D.R", true},
		{"Crédit photo : MAP", true},
		{"- in International", true},
		{"ActualitéAutreUne", true},
		{"Ce site utilise des cookies. Accepter", true},
		{"Partager le pouvoir", false},
		{"Les cookies du gouvernement", false},
		{"ActualitéAutreUne Titre", false}, // the rubric names are then cut inline
		{"Le Maroc a signé.", false},
	}
	for _, tc := range ui {
		if got := isUILine(tc.line, asciiLower(tc.line)); got != tc.want {
			t.Errorf("isUILine(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
	agency := []struct {
		s    string
		want bool
	}{
		{"MAP", true},
		{"AFP", true},
		{"Reuters", true},
		{"Le360", true},
		{"royaume", false},
		{"Agence Maghreb Arabe Presse officielle", false},
	}
	for _, tc := range agency {
		if got := looksLikeAgency(tc.s); got != tc.want {
			t.Errorf("looksLikeAgency(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
