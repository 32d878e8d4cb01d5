package vectorize

import (
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func terms(t *testing.T, a *Analyzer, text string) []string {
	t.Helper()
	var out []string
	for _, tok := range a.Analyze(text) {
		out = append(out, tok.Term)
	}
	return out
}

// The cases of research memo §4.10, with real French pairs.
func TestAnalyzeFrench(t *testing.T) {
	a := MustAnalyzer(Options{})
	tests := []struct {
		name, in string
		want     []string
	}{
		{"elision typographic", "L’État", []string{"etat"}},
		{"elision ascii", "l'État", []string{"etat"}},
		{"qu elided stop", "qu’il", nil},
		{"jusqu elided stop", "jusqu’à", nil},
		{"aujourd'hui is one stop word", "aujourd’hui", nil},
		{"presqu'île kept whole", "presqu’île", []string{"presqu'il"}},
		{"d'autres not a stop word", "D'autres", []string{"autr"}},
		{"s'est stop", "s’est", nil},
		{"union européenne", "l'Union européenne", []string{"union", "europeen"}},
		{"maroco-française", "maroco-française", []string{"maroc", "france"}},
		{"region parts protected", "Rabat-Salé-Kénitra", []string{"rabat", "sale", "kenitra"}},
		{"inversion clitics", "a-t-il", nil},
		{"lit-on", "lit-on", []string{"lit"}},
		{"NBSP thousands", "1\u00a0200 migrants", []string{"migr"}},
		{"G20 kept", "G20", []string{"g20"}},
		{"NFD equals NFC", "se\u0301curite\u0301", []string{"secur"}},
		{"NFC", "sécurité", []string{"secur"}},
		{"parlement protected", "PARLEMENT parlé", []string{"parlement", "parl"}},
		{"Tanger protected", "Tanger", []string{"tanger"}},
		{"ligature", "cœur coeur", []string{"coeur", "coeur"}},
		{"demonym alias", "les autorités marocaines", []string{"autor", "maroc"}},
		{"français is France not franc", "le franc CFA et les Français", []string{"franc", "cfa", "france"}},
		{"compound kept whole", "le porte-parole des garde-côtes", []string{"porte-parole", "garde-cotes"}},
		{"ordinals and years dropped", "la 12ème réunion de 2015", []string{"reunion"}},
		{"terrorisme and terroriste meet", "terrorisme terroristes", []string{"terror", "terror"}},
		{"accent-less capitals", "ETAT SECURITE", []string{"etat", "securit"}},
		{"other apostrophes", "l\u02bcarmée l‘armée", []string{"arme", "arme"}},
		{"no-break spaces before punctuation", "Maroc\u202f: «\u00a0coopération\u00a0»\u00a0!", []string{"maroc", "cooper"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := terms(t, a, tc.in)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Analyze(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestAnalyzeOffsets(t *testing.T) {
	a := MustAnalyzer(Options{})
	text := "À Tanger, l’arrestation d’un suspect."
	var got []string
	for _, tok := range a.Analyze(text) {
		got = append(got, text[tok.Start:tok.End])
	}
	want := []string{"Tanger", "arrestation", "suspect"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("surfaces = %q, want %q", got, want)
	}
}

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

func TestNewAnalyzerUnknownStemmer(t *testing.T) {
	_, err := NewAnalyzer(Options{Stemmer: "porter"})
	if err == nil || !strings.Contains(err.Error(), "snowball|none") {
		t.Fatalf("err = %v, want the list of stemmers", err)
	}
}

func TestFingerprint(t *testing.T) {
	a, b := MustAnalyzer(Options{}), MustAnalyzer(Options{})
	if a.Fingerprint() != b.Fingerprint() {
		t.Error("same options, different fingerprints")
	}
	if a.Fingerprint() == MustAnalyzer(Options{Bigrams: true}).Fingerprint() {
		t.Error("bigrams do not change the fingerprint")
	}
}

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

func sharedDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared")
	if _, err := os.Stat(filepath.Join(dir, "seeds")); err != nil {
		t.Skipf("../shared not found (%v): the seeds and datasets live beside the project root in CI", err)
	}
	return dir
}

// boilerplate must never survive into the terms of a seed.
var boilerplate = []string{"loading", "you", "may", "also", "like", "related", "articles", "lire", "actualiteautreun", "actualit", "partag", "sourc map", "vide", "load"}

func TestSeedsGolden(t *testing.T) {
	dir := sharedDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "seeds", "*.txt"))
	if len(files) == 0 {
		t.Skip("no seeds in ../shared/seeds")
	}
	a := MustAnalyzer(Options{})
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".txt")
		t.Run(name, func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Join(terms(t, a, string(b)), "\n") + "\n"
			golden := filepath.Join("testdata", "seed_"+name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("terms of %s differ from %s; review with go test -update and git diff", name, golden)
			}
			for _, term := range strings.Split(got, "\n") {
				for _, b := range boilerplate {
					if term == b {
						t.Errorf("boilerplate term %q survived in %s", term, name)
					}
				}
			}
		})
	}
}

// checkTokens holds the invariants FuzzAnalyze checks.
func checkTokens(t *testing.T, text string, toks []Token) {
	t.Helper()
	for i, tok := range toks {
		if tok.Term == "" || !utf8.ValidString(tok.Term) {
			t.Fatalf("token %d: empty or invalid term %q", i, tok.Term)
		}
		if strings.ContainsAny(tok.Term, " \t\n’") {
			t.Fatalf("token %d: term %q has a space or typographic apostrophe", i, tok.Term)
		}
		// lower-case: unchanged by lower-casing (some capitals, such as U+03D4 ϔ, have no lower case)
		for _, r := range tok.Term {
			if unicode.ToLower(r) != r {
				t.Fatalf("token %d: term %q is not lower-case", i, tok.Term)
			}
		}
		if tok.Start < 0 || tok.End > len(text) || tok.Start >= tok.End {
			t.Fatalf("token %d: offsets [%d,%d) outside the input (%d bytes)", i, tok.Start, tok.End, len(text))
		}
		if tok.Position != i {
			t.Fatalf("token %d: position %d", i, tok.Position)
		}
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range []string{
		"L’État a-t-il d'autres aujourd’hui presqu’île", "l'Union européenne maroco-française",
		"1\u00a0200 migrants\u202f: « G20 » ; !", "se\u0301curite\u0301 cœur ŒUVRE Éric", "\xff\xfe invalide",
		"\u0301 marque seule", "Loading\nYou may also like\nTitre", "Rabat, 12 mars 2019 (MAP) - Texte",
		"a-t-il --- '' ’’ l' d’", "ActualitéAutreUne Source : MAP",
	} {
		f.Add(s)
	}
	if files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "seeds", "*.txt")); len(files) > 0 {
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(string(b))
			}
		}
	}
	a := MustAnalyzer(Options{Bigrams: true})
	f.Fuzz(func(t *testing.T, text string) {
		toks := a.Analyze(text)
		checkTokens(t, text, toks)
		again := a.Analyze(text)
		if !reflect.DeepEqual(toks, again) {
			t.Fatal("two runs differ")
		}
		if len(a.AppendTerms(nil, text)) < len(toks) {
			t.Fatal("AppendTerms has fewer features than Analyze tokens")
		}
	})
}

func TestStemProbe(t *testing.T) {
	a := MustAnalyzer(Options{})
	if p := a.StemProbe(); len(p) != 16 || p != MustAnalyzer(Options{Bigrams: true}).StemProbe() {
		t.Errorf("probe %q: want 16 hex digits, the same for every option but the stemmer", p)
	}
	if MustAnalyzer(Options{Stemmer: StemNone}).StemProbe() != "none" {
		t.Error("no stemmer, no probe")
	}
	// the probe moves with the stems: a word list that the stemmer would stem otherwise gives another digest
	before := a.StemProbe()
	saved := stemProbe
	defer func() { stemProbe = saved }()
	stemProbe = append(append([]string(nil), saved...), "autrement")
	if a.StemProbe() == before {
		t.Error("the probe digest does not depend on the stems of its words")
	}
}
