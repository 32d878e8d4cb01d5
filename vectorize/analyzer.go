package vectorize

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/french"
	"golang.org/x/text/unicode/norm"
)

// AnalyzerVersion names the rules of this file. It is part of the fingerprint: change it whenever a change
// here changes the terms of some text, and keep the older rules reachable through Options.Version, so that
// a model trained with them keeps loading and scoring as it did.
//
//	fr-1  the first rules
//	fr-2  the prefix "narco" is split off its word ("narcotrafiquants" → narco + trafiqu), so that the
//	      drug sense shared by narcotrafic, narcotrafiquant, narcolancha and narco-terrorisme is one feature
const AnalyzerVersion = "fr-2"

// Stemmers Analyzer accepts.
const (
	StemSnowball = "snowball"
	StemNone     = "none"
)

// Options configure an Analyzer. The zero value is the default: Snowball stemming, accents folded after
// stemming, no bigrams, scraped-page noise removed.
type Options struct {
	// Version selects the rules (see AnalyzerVersion); empty means the current ones.
	Version string `json:"version,omitempty"`
	// Stemmer is "snowball" (the default when empty) or "none".
	Stemmer string
	// KeepAccents keeps accents in terms; by default they are folded after stemming, so that "sécurité"
	// and "securite" in an all-capitals headline ("SECURITE") meet more often.
	KeepAccents bool
	// Bigrams adds, after the unigrams, each pair of adjacent terms joined by a space ("trafic drogu").
	Bigrams bool
	// KeepNoise skips Clean: the whole text is analysed.
	KeepNoise bool
	// KeepNumbers keeps numbers ("2014", "40", "3,5" as "3" and "5") as terms. They carry no theme but tell
	// one event from another (dates, figures of a seizure), which is what the archive's similarity wants.
	KeepNumbers bool
	// CharNgrams adds the character 3-, 4- and 5-grams of each word (lower case, accents folded, "#" marking
	// its ends, as scikit-learn's char_wb analyzer does with spaces) as extra features, written "~gram".
	// They catch morphology and misspellings that stems miss, at the cost of about five times more
	// features.
	CharNgrams bool `json:",omitempty"`
}

// ArchiveOptions are the options of the analysis that depeche's archive and similarity search use:
// unigrams with numbers kept. Measured on the built-in corpus's event groups, numbers raise recall@2.
var ArchiveOptions = Options{KeepNumbers: true}

// Token is one term of a text with the place it comes from.
type Token struct {
	Term     string // the feature: lower-case, elision-free, stemmed, accent-folded
	Start    int    // byte offset of the word in the original text
	End      int    // byte offset just after it
	Position int    // index of the token among the text's tokens
}

// Analyzer turns French text into terms: Clean (scraped-page noise) → words (letters and digits, joined by
// inner apostrophes and hyphens) → lower case, NFC, ligatures œ/æ and apostrophe variants unified →
// elision (l', d', qu', jusqu'…) → hyphenated words split into parts (lexicalised compounds kept whole,
// inversion clitics dropped) → numbers and one-letter words dropped → stop words → aliases (marocain → maroc)
// → Snowball stem (protected words excepted) → accent folding.
//
// Lowercasing comes before the elision and stop-word checks so that "L'" and "Les" match the lists.
//
// An Analyzer is safe for concurrent use. It caches the term of each distinct word, since Snowball costs far
// more than a map look-up and news text repeats its words.
type Analyzer struct {
	opts        Options
	stop        map[string]bool
	articles    map[string]bool
	clitics     map[string]bool
	compounds   map[string]bool
	protected   map[string]bool
	fingerprint string
	cache       [cacheShards]cacheShard
}

const cacheShards = 64

type cacheShard struct {
	mu sync.RWMutex
	m  map[string]string
}

// maxCachePerShard bounds the cache (≈ 64 × 32k distinct words); past it, terms are computed without caching.
const maxCachePerShard = 1 << 15

// NewAnalyzer returns an Analyzer with the given options. It returns an error for an unknown stemmer.
func NewAnalyzer(opts Options) (*Analyzer, error) {
	switch opts.Version {
	case "":
		opts.Version = AnalyzerVersion
	case "fr-1", "fr-2":
	default:
		return nil, fmt.Errorf("vectorize: unknown analyzer version %q: this depeche knows fr-1 and fr-2; upgrade depeche", opts.Version)
	}
	switch opts.Stemmer {
	case "":
		opts.Stemmer = StemSnowball
	case StemSnowball, StemNone:
	default:
		return nil, fmt.Errorf("vectorize: unknown stemmer %q: must be one of snowball|none", opts.Stemmer)
	}
	a := &Analyzer{
		opts:      opts,
		stop:      set(stopWords),
		articles:  set(articles),
		clitics:   set(clitics),
		compounds: set(compounds),
		protected: set(protected),
	}
	for i := range a.cache {
		a.cache[i].m = make(map[string]string)
	}
	a.fingerprint = a.computeFingerprint()
	return a, nil
}

// MustAnalyzer is NewAnalyzer for options known to be valid; it panics on an error.
func MustAnalyzer(opts Options) *Analyzer {
	a, err := NewAnalyzer(opts)
	if err != nil {
		panic(err)
	}
	return a
}

// Options returns the options the Analyzer was made with, defaults filled in.
func (a *Analyzer) Options() Options { return a.opts }

// Fingerprint identifies the analysis: the same fingerprint means the same terms for every text. It hashes
// AnalyzerVersion, the options and every word list.
func (a *Analyzer) Fingerprint() string { return a.fingerprint }

// stemProbe is a fixed list of French words whose Snowball stems exercise the stemmer's suffix rules
// (verbs, plurals, -ment, -tion, -ité, -eux, -aux, feminine forms, accents): a dependency update that
// changes how the library stems shows in their stems.
var stemProbe = []string{
	"terroristes", "démantèlement", "migrants", "migratoire", "parlementaires", "trafiquants", "saisies",
	"organisée", "criminelles", "sécurité", "nationalité", "dangereux", "généraux", "arrêtées", "arrestation",
	"rapidement", "frontières", "clandestinement", "embarcations", "coopération", "internationales",
	"investigations", "présidentielle", "législatives", "stupéfiants", "réfugiés", "déplacés", "enquêteurs",
	"procureure", "condamnations", "manifestants", "économiques", "hôpitaux", "journalistes", "passeurs",
}

// StemProbe returns a digest of the stems this analyzer's stemmer gives the words of a fixed probe list
// ("none" without a stemmer). Models and archives record it beside the fingerprint: the fingerprint
// covers the rules depeche writes (options, word lists), the probe the stemmer library's behaviour, so
// that a dependency update that stems differently is detected instead of silently mismatching terms.
func (a *Analyzer) StemProbe() string {
	if a.opts.Stemmer == StemNone {
		return "none"
	}
	h := sha256.New()
	for _, w := range stemProbe {
		fmt.Fprintf(h, "%s=%s\n", w, french.Stem(w, true))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func (a *Analyzer) computeFingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s|%s|%v|%v|%v\n", a.opts.Version, a.opts.Stemmer, a.opts.KeepAccents, a.opts.Bigrams, a.opts.KeepNoise)
	if a.opts.KeepNumbers { // written only when set, so that earlier fingerprints stay valid
		fmt.Fprintf(h, "numbers\n")
	}
	if a.opts.CharNgrams {
		fmt.Fprintf(h, "chargrams 3-5\n")
	}
	for _, list := range [][]string{stopWords, articles, clitics, compounds, protected} {
		l := append([]string(nil), list...)
		sort.Strings(l)
		fmt.Fprintf(h, "%q\n", l)
	}
	keys := make([]string, 0, len(aliases))
	for k := range aliases {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(h, "%s=%s\n", k, aliases[k])
	}
	return a.opts.Stemmer + "-" + a.opts.Version + "-" + hex.EncodeToString(h.Sum(nil))[:16]
}

func set(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Analyze returns the tokens of text, in order, with their byte offsets in text.
func (a *Analyzer) Analyze(text string) []Token {
	var out []Token
	a.each(text, func(t Token) { out = append(out, t) })
	return out
}

// TermsOf appends to dst the features of tokens that Analyze returned for text: what AppendTerms gives for
// the same text, without analysing it again.
func (a *Analyzer) TermsOf(dst []string, text string, toks []Token) []string {
	n0 := len(dst)
	for _, t := range toks {
		dst = append(dst, t.Term)
	}
	dst = a.appendBigrams(dst, n0)
	if a.opts.CharNgrams {
		for _, t := range toks {
			dst = appendCharGrams(dst, foldAccents(a.lowerWord(text[t.Start:t.End])))
		}
	}
	return dst
}

// AppendTerms appends the features of text to dst and returns it: the terms of its tokens in order, then,
// with Options.Bigrams, each pair of adjacent terms joined by a space, then, with Options.CharNgrams, the
// character n-grams of each word.
func (a *Analyzer) AppendTerms(dst []string, text string) []string {
	if a.opts.CharNgrams {
		return a.TermsOf(dst, text, a.Analyze(text))
	}
	n0 := len(dst)
	return a.appendBigrams(a.appendUnigrams(dst, text), n0)
}

// CharGramPrefix starts every character n-gram feature, so that none can be taken for a word's term.
const CharGramPrefix = "~"

// appendCharGrams appends the 3- to 5-grams of "#w#".
func appendCharGrams(dst []string, w string) []string {
	r := []rune("#" + w + "#")
	for n := 3; n <= 5; n++ {
		for i := 0; i+n <= len(r); i++ {
			dst = append(dst, CharGramPrefix+string(r[i:i+n]))
		}
	}
	return dst
}

func (a *Analyzer) appendUnigrams(dst []string, text string) []string {
	a.each(text, func(t Token) { dst = append(dst, t.Term) })
	return dst
}

func (a *Analyzer) appendBigrams(dst []string, n0 int) []string {
	if a.opts.Bigrams {
		n1 := len(dst)
		for i := n0; i+1 < n1; i++ {
			dst = append(dst, dst[i]+" "+dst[i+1])
		}
	}
	return dst
}

// ForEachIn calls f for each feature of text; with it and Tokenise, an Analyzer is a
// github.com/james-bowman/nlp Tokeniser, to plug into nlp.CountVectoriser.
func (a *Analyzer) ForEachIn(text string, f func(term string)) {
	for _, t := range a.AppendTerms(nil, text) {
		f(t)
	}
}

// Tokenise returns the features of text (the nlp Tokeniser interface).
func (a *Analyzer) Tokenise(text string) []string { return a.AppendTerms(nil, text) }

// each runs the whole chain and calls fn for each token.
func (a *Analyzer) each(text string, fn func(Token)) {
	pos := 0
	emit := func(term string, s, e int) {
		fn(Token{Term: term, Start: s, End: e, Position: pos})
		pos++
	}
	if a.opts.KeepNoise {
		a.scan(text, 0, len(text), emit)
		return
	}
	spans, _ := Clean(text)
	for _, sp := range spans {
		a.scan(text, sp.Start, sp.End, emit)
	}
}

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

// part is a piece of a word between apostrophes and hyphens.
type part struct {
	s, e int
	sep  rune // the separator that follows the part: '\'', '-' or 0 at the end
}

// word handles one raw word text[s:e]: elision, compounds, hyphen parts, then each part's term.
func (a *Analyzer) word(text string, s, e int, emit func(term string, s, e int)) {
	raw := text[s:e]
	if !mayHaveJoiner(raw) {
		a.emitPart(raw, s, e, emit)
		return
	}
	var parts [8]part
	ps := parts[:0]
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
	ps = append(ps, part{ps0, e, 0})
	// elision: "l'", "d'", "qu'", "jusqu'"… with either apostrophe
	for len(ps) > 1 && ps[0].sep == '\'' && a.articles[a.lowerWord(text[ps[0].s:ps[0].e])] {
		ps = ps[1:]
	}
	if len(ps) == 1 {
		a.emitPart(text[ps[0].s:ps[0].e], ps[0].s, ps[0].e, emit)
		return
	}
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

// term returns the feature of one word (no apostrophe or hyphen left to split), or "" when the word is not
// a feature (stop word, number, single letter). Results are cached per raw word.
func (a *Analyzer) term(raw string) string {
	sh := &a.cache[shardOf(raw)]
	sh.mu.RLock()
	t, ok := sh.m[raw]
	sh.mu.RUnlock()
	if ok {
		return t
	}
	t = a.computeTerm(raw)
	sh.mu.Lock()
	if len(sh.m) < maxCachePerShard {
		sh.m[strings.Clone(raw)] = t
	}
	sh.mu.Unlock()
	return t
}

func shardOf(s string) int {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return int(h % cacheShards)
}

func (a *Analyzer) computeTerm(raw string) string {
	w := a.lowerWord(raw)
	if w == "" || a.stop[w] {
		return ""
	}
	if isNumberish(w) {
		if a.opts.KeepNumbers && isDigits(w) {
			return w
		}
		return ""
	}
	if utf8.RuneCountInString(w) < 2 {
		return ""
	}
	if t, ok := aliases[w]; ok {
		return a.fold(t)
	}
	if a.protected[w] || a.opts.Stemmer == StemNone {
		return a.fold(w)
	}
	// accent-less capitals ("ETAT", "SECURITE") still meet the stop list after folding
	if !a.opts.KeepAccents && a.stop[foldAccents(w)] && foldAccents(w) != w {
		return ""
	}
	return a.fold(french.Stem(w, true))
}

func (a *Analyzer) fold(s string) string {
	if a.opts.KeepAccents {
		return s
	}
	return foldAccents(s)
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
		b.WriteRune(r)
	}
	return b.String()
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

func isDigits(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	return w != ""
}
