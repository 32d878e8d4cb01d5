package vectorize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The cleaner of scraped pages: Clean walks the lines of a text and applies the line rules (cleanline.go)
// to each, then the inline rules (cleaninline.go) to what a line keeps. It never changes the text, only
// chooses the byte ranges of it that the analyzer reads.

// Meta is what the cleaner takes out of a scraped dispatch as metadata rather than as terms.
type Meta struct {
	Source   string // "MAP" from a "Source : MAP" line, or the agency of the dateline
	Date     string // a lone date line ("28 mai 2015") or a "date 2019-12" prefix, as written
	Dateline string // the dateline that opens the dispatch ("Rabat, 12 mars 2019 (MAP) -"), as written
}

// Span is a byte range [Start, End) of the original text that the cleaner keeps.
type Span struct{ Start, End int }

// trailingMarkers open the block of links that scraped pages append after the article ("Related
// Articles", "You may also like"…): everything from the marker on is cut. Compared case-insensitively.
var trailingMarkers = []string{
	"related articles", "you may also like", "articles similaires", "sur le même sujet", "articles liés",
	"nos derniers articles", "dans la même rubrique", "plus d'actualités", "more stories", "read next",
	"à lire également", "a lire également", "À lire également", "les plus lus", "voir aussi",
}

// lireAussi markers announce a link to another article inside the body; the line (or, inline, the marker)
// goes.
var lireAussi = []string{"à lire aussi", "À lire aussi", "a lire aussi", "lire aussi", "voir aussi", "read also"}

// Clean finds the article inside a scraped page and returns the byte ranges of text that hold it, in order,
// with the metadata it recognised. It never changes the text: callers tokenize text[s.Start:s.End] for each
// span, so token offsets stay offsets into what the user gave.
//
// It cuts everything after a trailing block marker ("Related Articles", "You may also like", …) or a
// "Source : X" line; drops lone UI lines ("Loading", "Partager", "© D.R", glued rubric names such as
// "ActualitéAutreUne", cookie banners), "Lire aussi" lines and lone date lines; and takes the opening
// dateline out of the body. The same rules apply inside a line for text flattened to one line.
func Clean(text string) ([]Span, Meta) {
	// ASCII-only lowering keeps byte offsets, so lowerText[i:j] is the lower-case of text[i:j]; the markers
	// that begin with a capital accented letter are listed with it ("À lire aussi").
	c := cleaner{text: text, lowerText: asciiLower(text), first: true}
	pos := 0
	for pos < len(text) {
		end := strings.IndexByte(text[pos:], '\n')
		var lineEnd, next int
		if end < 0 {
			lineEnd, next = len(text), len(text)
		} else {
			lineEnd, next = pos+end, pos+end+1
		}
		start := pos
		pos = next
		// trim (Unicode spaces, including U+00A0 and U+202F, and a CR)
		ls, le := trimSpan(text, start, lineEnd)
		if ls >= le {
			continue
		}
		if c.line(ls, le) {
			break
		}
	}
	return c.spans, c.meta
}

// cleaner is what Clean knows as it walks the lines of a text.
type cleaner struct {
	text      string
	lowerText string // asciiLower(text): the same byte offsets
	spans     []Span
	meta      Meta
	first     bool // no content line seen yet
	skipNext  bool // the line before was a lone "Lire aussi": this one is the title of its link
}

// wordBoundary reports whether s[i:j] is not glued to letters on either side.
func wordBoundary(s string, i, j int) bool {
	if i > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if j < len(s) {
		r, _ := utf8.DecodeRuneInString(s[j:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func isWordByte(b byte) bool {
	return b >= 0x80 || b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func trimSpan(text string, s, e int) (int, int) {
	for s < e {
		r, n := utf8.DecodeRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[s:e])
		if !unicode.IsSpace(r) {
			break
		}
		e -= n
	}
	return s, e
}

// prefix returns at most the first n bytes of s, cut on a rune boundary: the anchored regexps only ever
// look at the start of a line, and a whole article on one line would make them slow.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// asciiLower lower-cases the ASCII letters of s and leaves every other byte as it is.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
