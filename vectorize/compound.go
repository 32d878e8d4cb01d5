package vectorize

import "strings"

// Compounds: what is left of a word of several parts after elision. A lexicalised compound (words.go's
// compounds: porte-parole, États-Unis) stays one term; parts joined by an apostrophe that is not an
// elision (aujourd'hui, presqu'île) are joined again; an inversion clitic after the first part ("a-t-il",
// "lit-on": words.go's clitics) is dropped; every other part is a word of its own (Rabat-Salé-Kénitra).
// From fr-2 on, the prefix "narco" is split off a word (emitPart).

// compound emits the terms of a word of two or more parts ps, left after elision.
func (a *Analyzer) compound(text string, ps []part, emit func(term string, s, e int)) {
	// a lexicalised compound, or a word with an inner apostrophe (aujourd'hui), stays whole
	whole := a.lowerWord(text[ps[0].s:ps[len(ps)-1].e])
	if a.compounds[whole] {
		emit(a.fold(whole), ps[0].s, ps[len(ps)-1].e)
		return
	}
	// re-join parts linked by an apostrophe that is not an elision (aujourd'hui, presqu'île)
	var groups [8]part
	gs := groups[:0]
	cur := ps[0]
	for _, p := range ps[1:] {
		if cur.sep == '\'' {
			cur = part{cur.s, p.e, p.sep}
			continue
		}
		gs = append(gs, cur)
		cur = p
	}
	gs = append(gs, cur)
	for k, g := range gs {
		w := text[g.s:g.e]
		if k > 0 && a.clitics[a.lowerWord(w)] {
			continue // inversion: "a-t-il", "lit-on", "est-ce"
		}
		a.emitPart(w, g.s, g.e, emit)
	}
}

// emitPart emits the term(s) of one word part text[s:e] == w: one term, or from fr-2 on "narco" and the
// term of the rest for a word of the form narcoXXX.
func (a *Analyzer) emitPart(w string, s, e int, emit func(term string, s, e int)) {
	if a.opts.Version != "fr-1" && len(w) > 7 && (w[0] == 'n' || w[0] == 'N') {
		if l := a.lowerWord(w); strings.HasPrefix(l, "narco") && len(l) > 7 {
			emit("narco", s, e)
			if t := a.term(w[5:]); t != "" {
				emit(t, s, e)
			}
			return
		}
	}
	if t := a.term(w); t != "" {
		emit(t, s, e)
	}
}
