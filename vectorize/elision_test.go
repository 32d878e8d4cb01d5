package vectorize

import "testing"

// TestElision: the elided articles go with their apostrophe, whichever apostrophe it is; any other prefix
// keeps its word whole. Without stemming or folding, so that the words show as they are kept.
func TestElision(t *testing.T) {
	checkTerms(t, MustAnalyzer(Options{Stemmer: StemNone, KeepAccents: true}), []termCase{
		{"l’armée", []string{"armée"}},
		{"L'État", []string{"état"}},                    // lower-cased before the article list is read
		{"l‘armée lʼarmée", []string{"armée", "armée"}}, // U+2018, U+02BC
		{"D'autres", []string{"autres"}},
		{"qu’Interpol", []string{"interpol"}},
		{"jusqu’à Tanger", []string{"tanger"}},
		{"l'l'armée", []string{"armée"}}, // every article in front goes
		{"d’une", nil},                   // the rest is a stop word
		{"lorsqu’elle puisqu’il", nil},
		{"s’est n’a m’a j’ai", nil},
		{"aujourd’hui", nil},                   // not an article: one word, a stop word
		{"presqu’île", []string{"presqu'île"}}, // not an article: kept whole
		{"quelqu’un", []string{"quelqu'un"}},   // idem
		{"O’Neill", []string{"o'neill"}},       // idem
		{"l’", nil},                            // an apostrophe with nothing after it joins nothing
		{"l’Union européenne", []string{"union", "européenne"}},
	})
}
