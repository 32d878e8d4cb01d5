package depeche

import "testing"

func TestModelText(t *testing.T) {
	for _, c := range []struct{ title, text, want string }{
		{"", "Le texte.", "Le texte."},
		{"Un titre", "Le texte.", "Un titre. Le texte."},
		{"Un titre ?", "Le texte.", "Un titre ? Le texte."},
		{"  Un titre : « cité »  ", "Le texte.", "Un titre : « cité » Le texte."},
		{"Le texte", "Le texte commence par le titre.", "Le texte commence par le titre."},
	} {
		if got := ModelText(Dispatch{Title: c.title, Text: c.text}); got != c.want {
			t.Errorf("ModelText(%q, %q) = %q, want %q", c.title, c.text, got, c.want)
		}
	}
}
