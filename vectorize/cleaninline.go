package vectorize

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// The inline rules of the cleaner, for text flattened to one line (TSV exports): a trailing block or a
// "Source : X" inside the line cuts the rest of the text; UI phrases, "Lire aussi" markers and glued
// rubric names are cut where they stand, and the text around them is kept.

// inlineNoise are UI phrases removed where they stand inside a line (scraped text flattened to one line, as
// in TSV exports); they are cut alone, the text around them is kept.
var inlineNoise = []string{
	"Partager sur Facebook", "Partager sur Twitter", "Partager sur X", "Partager sur WhatsApp",
	"Partager sur LinkedIn", "Partager par e-mail", "Partager", "© D.R", "© DR", "Loading",
}

// breadcrumbWords are the rubric names that news sites print glued together ("ActualitéAutreUne").
var breadcrumbWords = []string{
	"Actualité", "Actualités", "Société", "Une", "Autre", "Culture", "Vidéos", "Vidéo", "Politique", "Economie",
	"Économie", "Sport", "Sports", "Monde", "International", "National", "Nation", "Régions", "Maroc", "Opinion",
	"Santé", "Tech", "Justice", "Diplomatie", "Afrique", "Europe", "Médias", "Entreprises", "Focus", "Dossiers",
}

// inlineSourceRe matches a "Source : MAP" that ends a line, for text flattened to one line.
var inlineSourceRe = regexp.MustCompile(`(?i:source)\s*:\s*(MAP|AFP|APS|Reuters|AP|Le360|Hespress|H24info|Médias24|Medias24)\s*\.?\s*$`)

// cleanInline appends the spans of line text[ls:le] without its inline noise. It reports whether a trailing
// block starts inside the line, in which case the rest of the text is cut.
func cleanInline(text, lowerText string, ls, le int, spans *[]Span, meta *Meta) bool {
	line := text[ls:le]
	cutAt := -1
	// a trailing block flattened into the line: "… fin de l'article. Loading You may also like …"
	{
		lower := lowerText[ls:le]
		for _, m := range trailingMarkers {
			if i := strings.Index(lower, m); i >= 0 && (cutAt < 0 || i < cutAt) && wordBoundary(lower, i, i+len(m)) {
				cutAt = i
			}
		}
		if m := matchInlineSource(line); m != nil && (cutAt < 0 || m[0] < cutAt) {
			if meta.Source == "" {
				meta.Source = line[m[2]:m[3]]
			}
			cutAt = m[0]
		}
	}
	if cutAt >= 0 {
		// "Loading" just before the block belongs to it
		if before := strings.TrimRight(line[:cutAt], " \u00a0"); strings.HasSuffix(before, "Loading") {
			cutAt = len(before) - len("Loading")
		}
	}
	end := le
	if cutAt >= 0 {
		end = ls + cutAt
	}
	// remove inline UI phrases and glued rubric names, keep the rest
	s := ls
	for s < end {
		i, n := nextInlineNoise(text[s:end])
		if i < 0 {
			break
		}
		if i > 0 {
			*spans = append(*spans, Span{s, s + i})
		}
		s += i + n
	}
	if s < end {
		*spans = append(*spans, Span{s, end})
	}
	return cutAt >= 0
}

// nextInlineNoise finds the first inline noise phrase in s and returns its offset and length, or -1.
func nextInlineNoise(s string) (int, int) {
	best, bestN := -1, 0
	for _, p := range inlineNoise {
		if i := strings.Index(s, p); i >= 0 && wordBoundary(s, i, i+len(p)) && (best < 0 || i < best) {
			best, bestN = i, len(p)
		}
	}
	lower := ""
	for _, p := range lireAussi {
		if !strings.Contains(s, "ire aussi") && !strings.Contains(s, "IRE AUSSI") && !strings.Contains(s, "oir aussi") {
			break
		}
		if lower == "" {
			lower = asciiLower(s)
		}
		if i := strings.Index(lower, p); i >= 0 && wordBoundary(lower, i, i+len(p)) && (best < 0 || i < best) {
			n := len(p)
			for n+i < len(lower) && (lower[i+n] == ' ' || lower[i+n] == ':') {
				n++
			}
			best, bestN = i, n
		}
	}
	if i, n := findBreadcrumb(s); i >= 0 && (best < 0 || i < best) {
		best, bestN = i, n
	}
	return best, bestN
}

// findBreadcrumb finds two or more rubric names glued together ("ActualitéSociétéUne").
func findBreadcrumb(s string) (int, int) {
	if !hasGluedCapitals(s) {
		return -1, 0
	}
	for i := 0; i < len(s); {
		if i > 0 && !isSpaceByte(s[i-1]) || !(s[i] >= 'A' && s[i] <= 'Z' || s[i] == 0xC3) {
			i++
			continue
		}
		n, count := 0, 0
		for {
			w := matchWordAt(s[i+n:], breadcrumbWords)
			if w == 0 {
				break
			}
			n += w
			count++
		}
		if count >= 2 && (i+n == len(s) || isSpaceByte(s[i+n])) {
			return i, n
		}
		i++
	}
	return -1, 0
}

// hasGluedCapitals reports a lower-case letter followed by a capital, the mark of glued rubric names; it
// spares the word-by-word search on the many lines that have none.
func hasGluedCapitals(s string) bool {
	for i := 1; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			if p := s[i-1]; p >= 'a' && p <= 'z' || p >= 0x80 {
				return true
			}
		}
	}
	return false
}

func matchWordAt(s string, words []string) int {
	best := 0
	for _, w := range words {
		if len(w) > best && strings.HasPrefix(s, w) {
			best = len(w)
		}
	}
	return best
}

func isSpaceByte(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// matchInlineSource looks for "Source : MAP" at the end of a line; only the tail is searched, since the
// match is anchored at the end and "source" is a common word in news text.
func matchInlineSource(line string) []int {
	off := 0
	if len(line) > 48 {
		off = len(line) - 48
		for off < len(line) && !utf8.RuneStart(line[off]) {
			off++
		}
	}
	tail := line[off:]
	if !strings.Contains(tail, "ource") && !strings.Contains(tail, "OURCE") {
		return nil
	}
	m := inlineSourceRe.FindStringSubmatchIndex(tail)
	for i := range m {
		if m[i] >= 0 {
			m[i] += off
		}
	}
	return m
}
