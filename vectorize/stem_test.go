package vectorize

import "testing"

// TestStemmer: Snowball's French stems (folded), which join the forms of a word; the protected words, kept
// as they are; and no stemming with StemNone.
func TestStemmer(t *testing.T) {
	checkTerms(t, MustAnalyzer(Options{}), []termCase{
		{"terroristes terrorisme", []string{"terror", "terror"}},
		{"migrants", []string{"migr"}},
		{"migratoire", []string{"migratoir"}},
		{"démantèlement", []string{"demantel"}},
		{"trafiquants", []string{"trafiqu"}},
		{"arrestation", []string{"arrest"}},
		{"frontières", []string{"fronti"}},
		{"clandestinement", []string{"clandestin"}},
		{"stupéfiants", []string{"stupefi"}},
		{"chevaux", []string{"cheval"}},
		{"hôpitaux", []string{"hopital"}},
		{"parler parlé", []string{"parl", "parl"}},
		{"parlementaires", []string{"parlementair"}},
		{"sécurité SECURITE", []string{"secur", "securit"}}, // the stemmer sees the accents
		// protected: not stemmed, only folded
		{"parlement", []string{"parlement"}},
		{"Tanger", []string{"tanger"}},
		{"saisies", []string{"saisies"}},
		{"Salé", []string{"sale"}},
		{"Europol", []string{"europol"}},
	})
	checkTerms(t, MustAnalyzer(Options{KeepAccents: true}), []termCase{
		{"démantèlement", []string{"démantel"}},
		{"hôpitaux", []string{"hôpital"}},
		{"Salé", []string{"salé"}},
	})
	checkTerms(t, MustAnalyzer(Options{Stemmer: StemNone}), []termCase{
		{"terroristes", []string{"terroristes"}},
		{"démantèlement", []string{"demantelement"}},
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
