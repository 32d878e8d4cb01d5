package vectorize

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"sync"
)

// AnalyzerVersion names the rules of the analyzer's files. It is part of the fingerprint: change it whenever
// a change there changes the terms of some text, and keep the older rules reachable through
// Options.Version, so that a model trained with them keeps loading and scoring as it did.
//
//	fr-1  the first rules
//	fr-2  the prefix "narco" is split off its word ("narcotrafiquants" → narco + trafiqu), so that the
//	      drug sense shared by narcotrafic, narcotrafiquant, narcolancha and narco-terrorisme is one feature
const AnalyzerVersion = "fr-2"

// Fingerprint identifies the analysis: the same fingerprint means the same terms for every text. It hashes
// AnalyzerVersion, the options and every word list.
func (a *Analyzer) Fingerprint() string { return a.fingerprint }

// computeFingerprint is "<stemmer>-<version>-<16 hex digits>": the first 64 bits of the SHA-256 of the
// version, the options and every word list (sorted, so that their order in words.go does not count) and
// the aliases (sorted by key). Its bytes are fixed for ever: a model file records the fingerprint, and
// models/testdata/model_v1.depeche must keep loading.
func (a *Analyzer) computeFingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|%v|%v|%v\n", a.opts.Version, a.opts.Stemmer, a.opts.KeepAccents, a.opts.Bigrams, a.opts.KeepNoise)
	if a.opts.KeepNumbers { // written only when set, so that earlier fingerprints stay valid
		fmt.Fprintf(h, "numbers\n")
	}
	if a.opts.CharNgrams {
		fmt.Fprintf(h, "chargrams 3-5\n")
	}
	h.Write(listsText())
	return a.opts.Stemmer + "-" + a.opts.Version + "-" + hex.EncodeToString(h.Sum(nil))[:16]
}

// listsText is the word lists' part of every fingerprint, the same for all options: written once per
// process (formatting the lists was a tenth of a classify command's time, for each of its two analyzers).
var listsText = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	for _, list := range [][]string{stopWords, articles, clitics, compounds, protected} {
		l := append([]string(nil), list...)
		sort.Strings(l)
		fmt.Fprintf(&b, "%q\n", l)
	}
	keys := make([]string, 0, len(aliases))
	for k := range aliases {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%s\n", k, aliases[k])
	}
	return b.Bytes()
})
