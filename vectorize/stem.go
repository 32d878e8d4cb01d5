package vectorize

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/kljensen/snowball/french"
)

// The stemmer step: Snowball's French stemmer (github.com/kljensen/snowball), except for the protected
// words of words.go, which are kept as they are; and the stem probe, which records how the library
// stems.

// stem returns the term of a word that is no stop word, number or alias: the word itself, accents folded,
// when it is protected or Options.Stemmer is "none"; "" when it is a stop word without its accents
// (foldedStop); else its Snowball stem, accents folded.
func (a *Analyzer) stem(w string) string {
	if a.protected[w] || a.opts.Stemmer == StemNone {
		return a.fold(w)
	}
	// accent-less capitals ("ETAT", "SECURITE") still meet the stop list after folding
	if a.foldedStop(w) {
		return ""
	}
	return a.fold(french.Stem(w, true))
}

// stemProbe is a fixed list of French words whose Snowball stems exercise the stemmer's suffix rules
// (verbs, plurals, -ment, -tion, -ité, -eux, -aux, feminine forms, accents): a dependency update that
// changes how the library stems shows in their stems.
var stemProbe = []string{
	"terroristes", "démantèlement", "migrants", "migratoire", "parlementaires", "trafiquants", "saisies",
	"organisée", "criminelles", "sécurité", "nationalité", "dangereux", "généraux", "arrêtées", "arrestation",
	"rapidement", "frontières", "clandestinement", "embarcations", "coopération", "internationales",
	"investigations", "présidentielle", "législatives", "stupéfiants", "réfugiés", "déplacés", "enquêteurs",
	"procureure", "condamnations", "manifestants", "économiques", "hôpitaux", "journalistes", "passeurs",
}

// StemProbe returns a digest of the stems this analyzer's stemmer gives the words of a fixed probe list
// ("none" without a stemmer). Models and archives record it beside the fingerprint: the fingerprint
// covers the rules depeche writes (options, word lists), the probe the stemmer library's behaviour, so
// that a dependency update that stems differently is detected instead of silently mismatching terms.
func (a *Analyzer) StemProbe() string {
	if a.opts.Stemmer == StemNone {
		return "none"
	}
	h := sha256.New()
	for _, w := range stemProbe {
		fmt.Fprintf(h, "%s=%s\n", w, french.Stem(w, true))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
