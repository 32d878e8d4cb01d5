package dispatch

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ValidDate reports whether s is a real calendar date written YYYY-MM-DD (2019-12-02) or a month written
// YYYY-MM (2019-12): four digits of year (0001 to 9999), a month 01 to 12 and a day that exists in that
// month (2020-02-29 is valid, 2019-02-29 is not). Nothing else is accepted: no time, no time zone, no
// other separator.
func ValidDate(s string) bool {
	if len(s) != 7 && len(s) != 10 {
		return false
	}
	year, ok1 := digits(s[0:4])
	month, ok2 := digits(s[5:7])
	if !ok1 || !ok2 || s[4] != '-' || year == 0 || month < 1 || month > 12 {
		return false
	}
	if len(s) == 7 {
		return true
	}
	day, ok := digits(s[8:10])
	return ok && s[7] == '-' && day >= 1 && day <= daysIn(month, year)
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// dateError explains why s is not a date, with a fix when one is plain.
func dateError(s string) error {
	const what = "%q is not YYYY-MM-DD or YYYY-MM"
	switch {
	case len(s) > 10 && ValidDate(s[:10]) && (s[10] == 'T' || s[10] == ' '):
		return errorf(ErrBadDate, what+" (keep the date alone: %s)", s, s[:10])
	case len(s) == 10 && (s[2] == '/' || s[2] == '.' || s[2] == '-') && s[5] == s[2]:
		// DD/MM/YYYY, the French order
		if iso := s[6:10] + "-" + s[3:5] + "-" + s[0:2]; ValidDate(iso) {
			return errorf(ErrBadDate, what+" (write it year first: %s)", s, iso)
		}
	case len(s) == 4:
		if _, ok := digits(s); ok {
			return errorf(ErrBadDate, what+" (add the month, e.g. %s-01)", s, s)
		}
	}
	return errorf(ErrBadDate, what, s)
}

// ValidLabel reports whether l is a label id: one or more lower-case ASCII letters, digits and the
// characters - _ / . (criminalite-organisee, science/technology). Loaders trim and lower-case a label
// before they check it, so "Terrorisme " is read as terrorisme; a label with a space, a comma, an accent
// or any other character is an error.
func ValidLabel(l string) bool {
	if l == "" {
		return false
	}
	for i := 0; i < len(l); i++ {
		switch c := l[i]; {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_', c == '/', c == '.':
		default:
			return false
		}
	}
	return true
}

// normLabel trims and lower-cases a label and checks it; an empty label is "" and no error.
func normLabel(l string) (string, error) {
	l = strings.ToLower(strings.TrimSpace(l))
	if l == "" || ValidLabel(l) {
		return l, nil
	}
	const rule = "a label id has only lower-case letters a-z, digits and - _ / ."
	if strings.Contains(l, ",") {
		return "", errorf(ErrBadLabel, "%q is not a label id (%s): in JSON, give each label as its own string, e.g. [\"terrorisme\", \"migration\"]", l, rule)
	}
	if s := slug(l); ValidLabel(s) {
		return "", errorf(ErrBadLabel, "%q is not a label id (%s): write %s", l, rule, s)
	}
	return "", errorf(ErrBadLabel, "%q is not a label id (%s)", l, rule)
}

// slug suggests a label id for l: French accents removed, every run of other characters turned into "-".
func slug(l string) string {
	var b strings.Builder
	dash := false
	for _, r := range l {
		if r < utf8.RuneSelf && ValidLabel(string(r)) {
			b.WriteRune(r)
			dash = false
			continue
		}
		if a, ok := unaccent[r]; ok {
			b.WriteString(a)
			dash = false
			continue
		}
		if (unicode.IsSpace(r) || unicode.IsPunct(r)) && !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

var unaccent = map[rune]string{
	'à': "a", 'â': "a", 'ä': "a", 'á': "a", 'ç': "c", 'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'î': "i", 'ï': "i", 'í': "i", 'ô': "o", 'ö': "o", 'ó': "o", 'ù': "u", 'û': "u", 'ü': "u", 'ú': "u",
	'ÿ': "y", 'ñ': "n", 'œ': "oe", 'æ': "ae",
}
