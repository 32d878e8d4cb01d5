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

// termCase is one row of a stage's table test: a text and the terms an analyzer gives it.
type termCase struct {
	in   string
	want []string // nil: no term
}

// checkTerms runs a stage's table, one subtest per row named by its text.
func checkTerms(t *testing.T, a *Analyzer, tests []termCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := terms(t, a, tc.in); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Analyze(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
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

func TestNewAnalyzerUnknownStemmer(t *testing.T) {
	_, err := NewAnalyzer(Options{Stemmer: "porter"})
	if err == nil || !strings.Contains(err.Error(), "snowball|none") {
		t.Fatalf("err = %v, want the list of stemmers", err)
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
