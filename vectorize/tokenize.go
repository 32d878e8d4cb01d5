package vectorize

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Tokenization: the words of a span of text, with their byte offsets, and the normalised lower-case form
// that every later stage compares with its word lists.

func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', 'ʼ', '‘', '´', '`', '′', '＇':
		return true
	}
	return false
}

func isHyphen(r rune) bool { return r == '-' || r == '‐' || r == '‑' }

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

// scan finds the words of text[s:e]: runs of letters, digits and combining marks, joined across a single
// apostrophe or hyphen that has word characters on both sides ("aujourd'hui", "maroco-française").
func (a *Analyzer) scan(text string, s, e int, emit func(term string, s, e int)) {
	i := s
	for i < e {
		r, n := utf8.DecodeRuneInString(text[i:e])
		if !isWordRune(r) {
			i += n
			continue
		}
		start := i
		i += n
		for i < e {
			r, n = utf8.DecodeRuneInString(text[i:e])
			if isWordRune(r) {
				i += n
				continue
			}
			if isApostrophe(r) || isHyphen(r) {
				r2, _ := utf8.DecodeRuneInString(text[i+n : e])
				if i+n < e && isWordRune(r2) {
					i += n
					continue
				}
			}
			break
		}
		a.word(text, start, i, emit)
	}
}

// mayHaveJoiner is a fast check for an apostrophe or hyphen of any kind: ASCII ' ` -, or the lead byte of
// ’ ‘ ′ ‐ ‑ (0xE2), ʼ (0xCA), ´ (0xC2) or ＇ (0xEF). A false positive only costs the slow path.
func mayHaveJoiner(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'', '-', '`', 0xE2, 0xCA, 0xC2, 0xEF:
			return true
		}
	}
	return false
}

// lowerWord returns the normalised lower-case form of a word: NFC, lower case, œ → oe, æ → ae, every
// apostrophe as U+0027 and every hyphen as U+002D.
func (a *Analyzer) lowerWord(w string) string {
	ascii := true
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= 0x80 || c >= 'A' && c <= 'Z' || c == '`' {
			ascii = false
			break
		}
	}
	if ascii {
		return w
	}
	var b strings.Builder
	b.Grow(len(w) + 2)
	marks := false
	for _, r := range w {
		switch {
		case r == 'œ' || r == 'Œ':
			b.WriteString("oe")
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
		case isApostrophe(r):
			b.WriteByte('\'')
		case isHyphen(r):
			b.WriteByte('-')
		default:
			if unicode.Is(unicode.Mn, r) {
				marks = true
			}
			b.WriteRune(unicode.ToLower(r))
		}
	}
	out := b.String()
	if marks {
		out = norm.NFC.String(out)
	}
	return out
}
