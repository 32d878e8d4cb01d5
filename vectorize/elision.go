package vectorize

import "unicode/utf8"

// Elision: a word is cut into its parts at apostrophes and hyphens, and the elided articles that open it
// (l', d', qu', jusqu'…, with any apostrophe: the list is words.go's articles) are dropped. What is left
// of a word of several parts goes to compound.

// part is a piece of a word between apostrophes and hyphens.
type part struct {
	s, e int
	sep  rune // the separator that follows the part: '\'', '-' or 0 at the end
}

// word handles one raw word text[s:e]: its parts, elision, then the compound rules for what is left of
// several parts, or the term of the one part left.
func (a *Analyzer) word(text string, s, e int, emit func(term string, s, e int)) {
	raw := text[s:e]
	if !mayHaveJoiner(raw) {
		a.emitPart(raw, s, e, emit)
		return
	}
	var parts [8]part
	ps := a.elide(text, splitParts(text, s, e, parts[:0]))
	if len(ps) == 1 {
		a.emitPart(text[ps[0].s:ps[0].e], ps[0].s, ps[0].e, emit)
		return
	}
	a.compound(text, ps, emit)
}

// splitParts appends to ps the parts of the word text[s:e], cut at every apostrophe and hyphen.
func splitParts(text string, s, e int, ps []part) []part {
	ps0 := s
	for i := s; i < e; {
		r, n := utf8.DecodeRuneInString(text[i:e])
		if isApostrophe(r) || isHyphen(r) {
			sep := '\''
			if isHyphen(r) {
				sep = '-'
			}
			ps = append(ps, part{ps0, i, sep})
			ps0 = i + n
		}
		i += n
	}
	return append(ps, part{ps0, e, 0})
}

// elide drops the parts that are elided articles followed by an apostrophe ("l'", "d’", "qu'",
// "jusqu’"…) from the start of the word, keeping at least its last part. The article is compared in
// lower case, so "L’État" loses its "L’" as "l'État" does.
func (a *Analyzer) elide(text string, ps []part) []part {
	for len(ps) > 1 && ps[0].sep == '\'' && a.articles[a.lowerWord(text[ps[0].s:ps[0].e])] {
		ps = ps[1:]
	}
	return ps
}
