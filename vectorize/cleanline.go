package vectorize

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The line rules of the cleaner: a whole line is the end of the article (a trailing block marker, a
// "Source : X" line), user-interface noise (isUILine), a "Lire aussi" link, a lone date, or the opening
// dateline whose agency goes into Meta.

// line applies the line rules to the trimmed, non-empty line text[ls:le], then the inline rules to what
// they keep of it; it reports whether the article ends with it, so that the rest of the text is cut.
func (c *cleaner) line(ls, le int) bool {
	text, meta := c.text, &c.meta
	line := text[ls:le]
	lower := c.lowerText[ls:le]
	if c.skipNext {
		c.skipNext = false
		if len(line) < 160 {
			return false
		}
	}
	if hasPrefixAny(lower, trailingMarkers, true) {
		return true
	}
	if m := matchSource(line); m != nil && !c.first {
		if meta.Source == "" {
			meta.Source = strings.TrimSpace(m[1])
		}
		return true
	}
	if isUILine(line, lower) {
		return false
	}
	if p := hasPrefixAny(lower, lireAussi, false); p {
		rest := strings.TrimLeft(strings.TrimSpace(lower[prefixLen(lower, lireAussi):]), ": -–")
		if rest == "" {
			c.skipNext = true
		}
		return false
	}
	if len(line) < 40 && (line[0] >= '0' && line[0] <= '9' || line[0] == 'L' || line[0] == 'l') && dateLineRe.MatchString(line) {
		if meta.Date == "" {
			meta.Date = line
		}
		return false
	}
	if c.first {
		if m := datePrefixRe.FindStringSubmatchIndex(prefix(line, 32)); m != nil {
			if meta.Date == "" {
				meta.Date = line[m[2]:m[3]]
			}
			ls += m[1]
			line = text[ls:le]
			if ls >= le {
				return false
			}
		}
		if m := datelineRe.FindStringSubmatchIndex(prefix(line, 160)); m != nil && looksLikeAgency(line[m[4]:m[5]]) {
			meta.Dateline = strings.TrimSpace(line[m[2]:m[3]])
			if meta.Source == "" {
				meta.Source = strings.TrimSpace(line[m[4]:m[5]])
			}
			ls += m[1]
			if ls >= le {
				return false
			}
		}
	}
	c.first = false
	return cleanInline(text, c.lowerText, ls, le, &c.spans, meta)
}

// uiLines are lone user-interface words of scraped pages; a line that is only one of them is dropped.
var uiLines = []string{
	"loading", "chargement", "chargement...", "loading...", "partager", "share", "tweet", "imprimer", "print",
	"publicité", "advertisement", "commentaires", "comments", "facebook", "twitter", "whatsapp", "linkedin",
	"email", "e-mail", "lire la suite", "read more", "fermer", "menu", "accueil", "newsletter", "s'abonner",
	"abonnez-vous", "x", "copier le lien", "© d.r", "© dr", "d.r", "vidéo", "video", "photo",
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
	sourceRe = regexp.MustCompile(`^(?i:source)\s*:\s*(\S.{0,50})$`)
	// inLineRubricRe matches a lone rubric line such as "- in International".
	inLineRubricRe = regexp.MustCompile(`^-\s*in\s+\p{L}+$`)
)

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

func matchSource(line string) []string {
	if len(line) > 64 || line[0] != 'S' && line[0] != 's' {
		return nil
	}
	return sourceRe.FindStringSubmatch(line)
}
