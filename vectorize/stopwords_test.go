package vectorize

import "testing"

// TestStopWords: the Snowball list and the news fillers, numbers, one-letter words, and words that are
// stop words once their accents are folded give no term.
func TestStopWords(t *testing.T) {
	checkTerms(t, MustAnalyzer(Options{}), []termCase{
		{"le", nil},
		{"Les", nil},
		{"dans", nil},
		{"été", nil},
		{"ÉTÉ", nil},
		{"Où", nil},
		{"selon", nil},     // a news filler
		{"notamment", nil}, // idem
		{"lundi", nil},     // idem
		{"dé lá", nil},     // stop words once folded (foldedStop)
		{"2019", nil},      // numbers carry no theme
		{"12ème 1er 3km", nil},
		{"x A", nil}, // one letter
		{"G20", []string{"g20"}},
		{"Maroc", []string{"maroc"}},
		{"ETE", []string{"ete"}}, // not a stop word as written, nor folded
	})
	// Options.KeepNumbers keeps the numbers written in digits alone, for the archive
	checkTerms(t, MustAnalyzer(Options{KeepNumbers: true}), []termCase{
		{"2019", []string{"2019"}},
		{"40", []string{"40"}},
		{"3,5", []string{"3", "5"}},
		{"12ème 1er", nil},
	})
	// a stop word once folded is a word of its own when accents are kept
	checkTerms(t, MustAnalyzer(Options{KeepAccents: true}), []termCase{
		{"dé", []string{"dé"}},
	})
}

// TestAliases: demonyms and prefix forms stand for their country or region, before stemming (which would
// map "français" to "franc", the currency).
func TestAliases(t *testing.T) {
	checkTerms(t, MustAnalyzer(Options{}), []termCase{
		{"marocaines", []string{"maroc"}},
		{"Français", []string{"france"}},
		{"franc", []string{"franc"}},
		{"algérienne", []string{"algerie"}}, // the alias is folded like any term
		{"Sénégalais", []string{"senegal"}},
		{"Belges", []string{"belgique"}},
		{"colombiens", []string{"colombie"}},
		{"sahélien", []string{"sahel"}},
		{"franco-marocain", []string{"france", "maroc"}},
		{"hispano-marocaine", []string{"espagne", "maroc"}},
	})
	checkTerms(t, MustAnalyzer(Options{KeepAccents: true}), []termCase{
		{"algérienne", []string{"algérie"}},
		{"sénégalaise", []string{"sénégal"}},
	})
}
