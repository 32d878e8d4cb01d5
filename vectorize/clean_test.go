package vectorize

import (
	"strings"
	"testing"
)

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
		meta           Meta
	}{
		{"trailing block", "Texte utile.\n\nLoading\n\nYou may also like\n\nAutre titre", "Texte utile.", Meta{}},
		{"related articles", "Corps.\nRelated Articles\nActualitéCultureUne\nTitre", "Corps.", Meta{}},
		{"source line ends article", "Corps.\n28 mai 2015\nSource : MAP\nActualitéAutreUne\nAutre article", "Corps.", Meta{Source: "MAP", Date: "28 mai 2015"}},
		{"dateline", "Rabat, 12 mars 2019 (MAP) - Le ministre a reçu.", "Le ministre a reçu.", Meta{Source: "MAP", Dateline: "Rabat, 12 mars 2019 (MAP) -"}},
		{"dateline caps", "TANGER (AFP) – Saisie record.", "Saisie record.", Meta{Source: "AFP", Dateline: "TANGER (AFP) –"}},
		{"date prefix", " date 2019-12 Lors de cet entretien.", "Lors de cet entretien.", Meta{Date: "2019-12"}},
		{"ui lines", "© D.R\nPartager\n- in International\nCorps du texte.", "Corps du texte.", Meta{}},
		{"inline flattened", "Corps du texte. Partager sur Facebook Partager sur X Suite. Loading You may also like Autre titre", "Corps du texte. | | Suite. ", Meta{}},
		{"lire aussi line", "Début.\nLire aussi : Un autre titre\nFin.", "Début.|Fin.", Meta{}},
		{"inline source", "Corps du texte. Source : MAP", "Corps du texte. ", Meta{Source: "MAP"}},
		{"no false dateline", "Le Maroc (royaume) a signé.", "Le Maroc (royaume) a signé.", Meta{}},
		{"cookie banner", "Ce site utilise des cookies. Accepter\nCorps.", "Corps.", Meta{}},
		{"article on cookies, one line", "Le régulateur veut limiter les cookies publicitaires. " + strings.Repeat("Les éditeurs devront recueillir le consentement explicite des internautes avant tout suivi, ce qui inquiète les annonceurs. ", 4), "Le régulateur veut limiter les cookies publicitaires. " + strings.TrimSpace(strings.Repeat("Les éditeurs devront recueillir le consentement explicite des internautes avant tout suivi, ce qui inquiète les annonceurs. ", 4)), Meta{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			spans, meta := Clean(tc.in)
			var parts []string
			for _, s := range spans {
				parts = append(parts, tc.in[s.Start:s.End])
			}
			if got := strings.Join(parts, "|"); got != tc.want {
				t.Errorf("kept %q, want %q", got, tc.want)
			}
			if meta != tc.meta {
				t.Errorf("meta %+v, want %+v", meta, tc.meta)
			}
		})
	}
}
