package vectorize

// Stop words and aliases: the words that are no feature, and the words that stand for another. The lists
// (stopWords, aliases) are in words.go with their sources; computeTerm applies them in this order: the
// stop list, numbers, one-letter words, aliases; and, after the protected words, the stop list once more
// for words that are stop words once their accents are folded (foldedStop).

// number returns the term of a number or ordinal w (isNumberish): w itself when Options.KeepNumbers is
// set and w is only digits ("2019", "40"), else "" (ordinals such as "12ème" and measures such as "3km"
// are never kept).
func (a *Analyzer) number(w string) string {
	if a.opts.KeepNumbers && isDigits(w) {
		return w
	}
	return ""
}

// isNumberish reports numbers and ordinals: "2019", "1200", "12ème", "1er", "3e", "xxie" is kept.
func isNumberish(w string) bool {
	i := 0
	for i < len(w) && w[i] >= '0' && w[i] <= '9' {
		i++
	}
	if i == 0 {
		return false
	}
	switch w[i:] {
	case "", "e", "er", "ère", "re", "ème", "eme", "è", "es", "èmes", "emes", "nd", "nde", "h", "km", "kg", "m", "mm", "t":
		return true
	}
	return false
}

func isDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}

// foldedStop reports a word that is no stop word as written but one once its accents are folded ("dé" →
// de, "lá" → la), which its folded term would otherwise stand for. Only when accents are folded (not
// Options.KeepAccents).
func (a *Analyzer) foldedStop(w string) bool {
	return !a.opts.KeepAccents && a.stop[foldAccents(w)] && foldAccents(w) != w
}
