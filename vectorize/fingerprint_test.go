package vectorize

import "testing"

func TestFingerprint(t *testing.T) {
	a, b := MustAnalyzer(Options{}), MustAnalyzer(Options{})
	if a.Fingerprint() != b.Fingerprint() {
		t.Error("same options, different fingerprints")
	}
	if a.Fingerprint() == MustAnalyzer(Options{Bigrams: true}).Fingerprint() {
		t.Error("bigrams do not change the fingerprint")
	}
}
