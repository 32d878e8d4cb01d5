package vectorize

import "strings"

// Accent folding, the last stage of a term (unless Options.KeepAccents): after stemming, so that the
// stemmer sees the accents its rules are written with, and "sécurité" meets "SECURITE" all the same.

// fold folds the accents of a term unless Options.KeepAccents is set.
func (a *Analyzer) fold(s string) string {
	if a.opts.KeepAccents {
		return s
	}
	return foldAccents(s)
}

// foldAccents removes the French diacritics (é → e, ç → c, ï → i…); other letters are kept as they are.
func foldAccents(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// foldRune is foldAccents of one letter.
func foldRune(r rune) rune {
	switch r {
	case 'à', 'â', 'ä', 'á', 'ã', 'å':
		r = 'a'
	case 'é', 'è', 'ê', 'ë':
		r = 'e'
	case 'î', 'ï', 'í', 'ì':
		r = 'i'
	case 'ô', 'ö', 'ó', 'ò', 'õ':
		r = 'o'
	case 'ù', 'û', 'ü', 'ú':
		r = 'u'
	case 'ç':
		r = 'c'
	case 'ÿ':
		r = 'y'
	case 'ñ':
		r = 'n'
	}
	return r
}
