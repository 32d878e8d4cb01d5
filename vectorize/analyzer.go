package vectorize

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"
)

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

func (a *Analyzer) appendUnigrams(dst []string, text string) []string {
	a.each(text, func(t Token) { dst = append(dst, t.Term) })
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

// each runs the whole chain and calls fn for each token: the cleaner's spans (clean.go), the words of
// each span (tokenize.go), then each word through elision and compounds (elision.go, compound.go) to
// the term of each part (term).
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

// computeTerm runs the stages of one word, in their order: normalisation (lowerWord, tokenize.go); stop
// words, numbers and one-letter words, which are no feature, then aliases (stopwords.go); protected
// words or the stem (stem.go); accent folding (fold.go).
func (a *Analyzer) computeTerm(raw string) string {
	w := a.lowerWord(raw)
	if w == "" || a.stop[w] {
		return ""
	}
	if isNumberish(w) {
		return a.number(w)
	}
	if utf8.RuneCountInString(w) < 2 {
		return ""
	}
	if t, ok := aliases[w]; ok {
		return a.fold(t)
	}
	return a.stem(w)
}
