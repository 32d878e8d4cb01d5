package vectorize

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

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

// uiLines are lone user-interface words of scraped pages; a line that is only one of them is dropped.
var uiLines = []string{
	"loading", "chargement", "chargement...", "loading...", "partager", "share", "tweet", "imprimer", "print",
	"publicité", "advertisement", "commentaires", "comments", "facebook", "twitter", "whatsapp", "linkedin",
	"email", "e-mail", "lire la suite", "read more", "fermer", "menu", "accueil", "newsletter", "s'abonner",
	"abonnez-vous", "x", "copier le lien", "© d.r", "© dr", "d.r", "vidéo", "video", "photo",
}

// inlineNoise are UI phrases removed where they stand inside a line (scraped text flattened to one line, as
// in TSV exports); they are cut alone, the text around them is kept.
var inlineNoise = []string{
	"Partager sur Facebook", "Partager sur Twitter", "Partager sur X", "Partager sur WhatsApp",
	"Partager sur LinkedIn", "Partager par e-mail", "Partager", "© D.R", "© DR", "Loading",
}

// lireAussi markers announce a link to another article inside the body; the line (or, inline, the marker)
// goes.
var lireAussi = []string{"à lire aussi", "À lire aussi", "a lire aussi", "lire aussi", "voir aussi", "read also"}

// breadcrumbWords are the rubric names that news sites print glued together ("ActualitéAutreUne").
var breadcrumbWords = []string{
	"Actualité", "Actualités", "Société", "Une", "Autre", "Culture", "Vidéos", "Vidéo", "Politique", "Economie",
	"Économie", "Sport", "Sports", "Monde", "International", "National", "Nation", "Régions", "Maroc", "Opinion",
	"Santé", "Tech", "Justice", "Diplomatie", "Afrique", "Europe", "Médias", "Entreprises", "Focus", "Dossiers",
}

var (
	// datelineRe matches the opening of an agency dispatch: "Rabat, 12 mars 2019 (MAP) -",
	// "TANGER (AFP) -", "Madrid, 3 juin (Reuters) –". Anchored: it only ever reads the first line's prefix.
	datelineRe = regexp.MustCompile(`^\s*((?:\p{Lu}[\p{L}'’.\-]*)(?:[ \-](?:\p{L}[\p{L}'’.\-]*)){0,3}\s*(?:,\s*(?:le\s+)?\d{1,2}(?:er)?\s+\p{L}+(?:\.?\s+\d{4})?)?\s*\(([^()\n]{2,30})\)\s*[-–—:]+)\s*`)
	// dateLineRe matches a line that is only a date ("28 mai 2015", "Le 3 juin 2019").
	dateLineRe = regexp.MustCompile(`^(?i:le\s+)?\d{1,2}(?:er)?\s+(?i:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)\s+\d{4}$`)
	// datePrefixRe matches the "date 2019-12" metadata that some scrapers put before the body.
	datePrefixRe = regexp.MustCompile(`^\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\s*`)
	// sourceRe matches a "Source : MAP" line, the end of an agency dispatch on many sites.
	sourceRe       = regexp.MustCompile(`^(?i:source)\s*:\s*(\S.{0,50})$`)
	inlineSourceRe = regexp.MustCompile(`(?i:source)\s*:\s*(MAP|AFP|APS|Reuters|AP|Le360|Hespress|H24info|Médias24|Medias24)\s*\.?\s*$`)
	inLineRubricRe = regexp.MustCompile(`^-\s*in\s+\p{L}+$`)
)

// Clean finds the article inside a scraped page and returns the byte ranges of text that hold it, in order,
// with the metadata it recognised. It never changes the text: callers tokenize text[s.Start:s.End] for each
// span, so token offsets stay offsets into what the user gave.
//
// It cuts everything after a trailing block marker ("Related Articles", "You may also like", …) or a
// "Source : X" line; drops lone UI lines ("Loading", "Partager", "© D.R", glued rubric names such as
// "ActualitéAutreUne", cookie banners), "Lire aussi" lines and lone date lines; and takes the opening
// dateline out of the body. The same rules apply inside a line for text flattened to one line.
func Clean(text string) ([]Span, Meta) {
	var meta Meta
	var spans []Span
	// ASCII-only lowering keeps byte offsets, so lowerText[i:j] is the lower-case of text[i:j]; the markers
	// that begin with a capital accented letter are listed with it ("À lire aussi").
	lowerText := asciiLower(text)
	first := true // no content line seen yet
	skipNext := false
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
		line := text[ls:le]
		lower := lowerText[ls:le]
		if skipNext {
			skipNext = false
			if len(line) < 160 {
				continue
			}
		}
		if hasPrefixAny(lower, trailingMarkers, true) {
			break
		}
		if m := matchSource(line); m != nil && !first {
			if meta.Source == "" {
				meta.Source = strings.TrimSpace(m[1])
			}
			break
		}
		if isUILine(line, lower) {
			continue
		}
		if p := hasPrefixAny(lower, lireAussi, false); p {
			rest := strings.TrimLeft(strings.TrimSpace(lower[prefixLen(lower, lireAussi):]), ": -–")
			if rest == "" {
				skipNext = true
			}
			continue
		}
		if len(line) < 40 && (line[0] >= '0' && line[0] <= '9' || line[0] == 'L' || line[0] == 'l') && dateLineRe.MatchString(line) {
			if meta.Date == "" {
				meta.Date = line
			}
			continue
		}
		if first {
			if m := datePrefixRe.FindStringSubmatchIndex(prefix(line, 32)); m != nil {
				if meta.Date == "" {
					meta.Date = line[m[2]:m[3]]
				}
				ls += m[1]
				line = text[ls:le]
				if ls >= le {
					continue
				}
			}
			if m := datelineRe.FindStringSubmatchIndex(prefix(line, 160)); m != nil && looksLikeAgency(line[m[4]:m[5]]) {
				meta.Dateline = strings.TrimSpace(line[m[2]:m[3]])
				if meta.Source == "" {
					meta.Source = strings.TrimSpace(line[m[4]:m[5]])
				}
				ls += m[1]
				if ls >= le {
					continue
				}
			}
		}
		first = false
		cut := cleanInline(text, lowerText, ls, le, &spans, &meta)
		if cut {
			break
		}
	}
	return spans, meta
}

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

// maxBannerLen bounds the length of a line the cleaner may take for a cookie banner.
const maxBannerLen = 400

func isUILine(line, lower string) bool {
	for _, u := range uiLines {
		if lower == u {
			return true
		}
	}
	if strings.HasPrefix(line, "©") || strings.HasPrefix(lower, "partager sur") || strings.HasPrefix(lower, "crédit photo") {
		return true
	}
	if inLineRubricRe.MatchString(line) {
		return true
	}
	// a banner is a sentence or two; a long line that speaks of cookies is an article about tracking (a
	// whole article flattened to one line was dropped by this rule before the length bound)
	if len(line) < maxBannerLen && strings.Contains(lower, "cookie") && (strings.Contains(lower, "accept") || strings.Contains(lower, "consent") || strings.Contains(lower, "navigation")) {
		return true
	}
	if i, n := findBreadcrumb(line); i == 0 && n == len(line) {
		return true
	}
	return false
}

// looksLikeAgency tells a dateline's "(MAP)" from a parenthesis in the first sentence: agency names are short
// and mostly capitals ("MAP", "AFP", "Reuters", "APS", "Le360").
func looksLikeAgency(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || utf8.RuneCountInString(s) > 25 || strings.Count(s, " ") > 2 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

func hasPrefixAny(lower string, markers []string, whole bool) bool {
	for _, m := range markers {
		if strings.HasPrefix(lower, m) {
			if !whole {
				return len(lower) == len(m) || !isWordByte(lower[len(m)])
			}
			rest := strings.TrimSpace(lower[len(m):])
			if rest == "" || rest == ":" || rest == "…" || rest == "..." {
				return true
			}
		}
	}
	return false
}

func prefixLen(lower string, markers []string) int {
	for _, m := range markers {
		if strings.HasPrefix(lower, m) {
			return len(m)
		}
	}
	return 0
}

func isWordByte(b byte) bool {
	return b >= 0x80 || b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
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

func matchSource(line string) []string {
	if len(line) > 64 || line[0] != 'S' && line[0] != 's' {
		return nil
	}
	return sourceRe.FindStringSubmatch(line)
}

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
