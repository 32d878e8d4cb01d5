package vectorize

// The n-gram features that Options add after the terms: word bigrams (Options.Bigrams) and character
// n-grams (Options.CharNgrams).

// CharGramPrefix starts every character n-gram feature, so that none can be taken for a word's term.
const CharGramPrefix = "~"

// appendCharGrams appends the 3- to 5-grams of "#w#".
func appendCharGrams(dst []string, w string) []string {
	r := []rune("#" + w + "#")
	for n := 3; n <= 5; n++ {
		for i := 0; i+n <= len(r); i++ {
			dst = append(dst, CharGramPrefix+string(r[i:i+n]))
		}
	}
	return dst
}

// appendBigrams appends, with Options.Bigrams, each pair of adjacent terms of dst[n0:] joined by a space.
func (a *Analyzer) appendBigrams(dst []string, n0 int) []string {
	if a.opts.Bigrams {
		n1 := len(dst)
		for i := n0; i+1 < n1; i++ {
			dst = append(dst, dst[i]+" "+dst[i+1])
		}
	}
	return dst
}
