package vectorize

import (
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/depeche/depeche/vec"
)

// The features of one article straight to their ids: what TransformTerms(TermsOf(text, toks)) computes,
// without a string for each character n-gram nor a map (a 2 kB dispatch has about 4,000 n-grams). A
// server classifies articles one after the other on every core; a Scratch per goroutine makes it
// allocation-free once its buffers have grown.

// Scratch holds the buffers of TransformTokens. The zero value is ready; it is not safe for concurrent use.
type Scratch struct {
	// TokenIDs is, after TransformTokens, the feature id of each token's term (-1 when the vocabulary
	// does not hold it), in the order of the tokens.
	TokenIDs []int32
	ids      []int32
	uniq     []int32
	cnt      []int32
	word     []byte
	dense    []int32  // countIDs's counts, zero between calls
	bits     []uint64 // countIDs's marks, zero between calls
	runes    []int
	x        vec.Vector
	// gramOff[i] is where token i's n-gram ids start in ids (the term ids of all tokens come first),
	// gramOff[len(toks)] their end; spans says TransformSpan may use them
	gramOff []int32
	spans   bool
}

// gramCache maps a word as the text writes it to the ids of its known character n-grams: news text
// repeats its words, and a word's dozen n-gram look-ups (hash, probe, compare) were most of the cost of
// an article's features. It is bounded (gramShards × maxGramsPerShard words, a few MB); past it, words
// are looked up without caching. The ids depend on the vocabulary only, so the cache belongs to the
// Vectorizer.
type gramCache struct {
	shards [gramShards]struct {
		mu sync.RWMutex
		m  map[string][]int32
	}
}

const (
	gramShards       = 64
	maxGramsPerShard = 1 << 11
)

// AppendTokens appends the tokens of text to dst (Analyze reusing storage).
func (a *Analyzer) AppendTokens(dst []Token, text string) []Token {
	a.each(text, func(t Token) { dst = append(dst, t) })
	return dst
}

// TransformTokens returns the TF-IDF vector of text from its tokens (as Analyze gives them): the vector
// of TransformTerms(Analyzer.TermsOf(nil, text, toks)), to the bit. The vector lives in s and is
// overwritten by the next call with s.
func (v *Vectorizer) TransformTokens(s *Scratch, text string, toks []Token) vec.Vector {
	a := v.Analyzer
	ids := s.ids[:0]
	s.TokenIDs = s.TokenIDs[:0]
	for _, t := range toks {
		id, ok := v.vocab.Lookup(t.Term)
		if ok {
			ids = append(ids, id)
		} else {
			id = -1
		}
		s.TokenIDs = append(s.TokenIDs, id)
	}
	switch {
	case a.opts.Bigrams: // the pairs go through their strings
		ids = ids[:0]
		for _, t := range a.TermsOf(nil, text, toks) {
			if id, ok := v.vocab.Lookup(t); ok {
				ids = append(ids, id)
			}
		}
	case a.opts.CharNgrams:
		v.gramsOnce.Do(func() { v.grams = new(gramCache) })
		s.gramOff = s.gramOff[:0]
		for _, t := range toks {
			s.gramOff = append(s.gramOff, int32(len(ids)))
			w := text[t.Start:t.End]
			sh := &v.grams.shards[shardOf(w)]
			sh.mu.RLock()
			g, ok := sh.m[w]
			sh.mu.RUnlock()
			if ok {
				ids = append(ids, g...)
				continue
			}
			n0 := len(ids)
			ids = v.appendGramIDs(s, ids, w)
			sh.mu.Lock()
			if sh.m == nil {
				sh.m = make(map[string][]int32)
			}
			if len(sh.m) < maxGramsPerShard {
				sh.m[strings.Clone(w)] = slices.Clone(ids[n0:len(ids):len(ids)])
			}
			sh.mu.Unlock()
		}
	}
	s.ids = ids
	s.spans = !a.opts.Bigrams
	if s.spans {
		if !a.opts.CharNgrams {
			s.gramOff = s.gramOff[:0]
			for range toks {
				s.gramOff = append(s.gramOff, int32(len(ids)))
			}
		}
		s.gramOff = append(s.gramOff, int32(len(ids)))
	}
	s.uniq, s.cnt = s.countIDs(ids, v.vocab.Len())
	s.x = v.weighInto(s.x, s.uniq, s.cnt)
	return s.x
}

// TransformSpan returns the vector TransformTokens would give for the tokens [a, b) of the last text
// src vectorized, from the features src found for each of them (no term or n-gram is looked up again),
// in dst's memory: a passage of an article costs its counting and weighing only. ok is false where the
// features are not each one token's (word bigrams); then call TransformTokens on the tokens.
func (v *Vectorizer) TransformSpan(dst, src *Scratch, a, b int) (x vec.Vector, ok bool) {
	if !src.spans || a < 0 || b < a || b >= len(src.gramOff) {
		return vec.Vector{}, false
	}
	ids := dst.ids[:0]
	for _, id := range src.TokenIDs[a:b] {
		if id >= 0 {
			ids = append(ids, id)
		}
	}
	ids = append(ids, src.ids[src.gramOff[a]:src.gramOff[b]]...)
	dst.ids = ids
	dst.uniq, dst.cnt = dst.countIDs(ids, v.vocab.Len())
	dst.x = v.weighInto(dst.x, dst.uniq, dst.cnt)
	return dst.x, true
}

// maxDenseCount is the largest vocabulary countIDs counts densely.
const maxDenseCount = 1 << 20

// countIDs is vec.AppendCounts(s.uniq[:0], s.cnt[:0], ids) for ids below n, without sorting them (the
// sort was a third of an article's time): each id counted in a dense array and marked in a bitmap,
// the bitmap read in order. Both are zero again when it returns.
func (s *Scratch) countIDs(ids []int32, n int) ([]int32, []int32) {
	if n > maxDenseCount { // a vocabulary of millions (bigrams): 4 bytes a term each scratch, no
		return vec.AppendCounts(s.uniq[:0], s.cnt[:0], ids)
	}
	if len(s.dense) < n {
		s.dense = make([]int32, n)
		s.bits = make([]uint64, (n+63)/64)
	}
	for _, id := range ids {
		s.dense[id]++
		s.bits[id/64] |= 1 << (id % 64)
	}
	uniq, cnt := s.uniq[:0], s.cnt[:0]
	for w, b := range s.bits {
		if b == 0 {
			continue
		}
		s.bits[w] = 0
		for b != 0 {
			id := int32(w*64 + bits.TrailingZeros64(b))
			b &= b - 1
			uniq = append(uniq, id)
			cnt = append(cnt, s.dense[id])
			s.dense[id] = 0
		}
	}
	return uniq, cnt
}

// appendGramIDs appends the ids of the known character n-grams of the word w (appendCharGrams of
// foldAccents(lowerWord(w))).
func (v *Vectorizer) appendGramIDs(s *Scratch, ids []int32, w string) []int32 {
	b, ok := appendLowerFolded(append(s.word[:0], '#'), w)
	if !ok { // combining marks: lowerWord's NFC, the exact path
		b = append(append(s.word[:0], '#'), foldAccents(v.Analyzer.lowerWord(w))...)
	}
	b = append(b, '#')
	s.word = b
	r := s.runes[:0]
	for i := range string(b) {
		r = append(r, i)
	}
	r = append(r, len(b))
	s.runes = r
	nr := len(r) - 1
	for n := 3; n <= 5; n++ {
		for i := 0; i+n <= nr; i++ {
			if id, ok := v.vocab.lookupGram(b[r[i]:r[i+n]]); ok {
				ids = append(ids, id)
			}
		}
	}
	return ids
}

// appendLowerFolded appends foldAccents(lowerWord(w)) to dst, rune by rune; it returns false, having
// appended part of it, for a word with a combining mark (whose NFC composition lowerWord does). Invalid
// UTF-8 gives U+FFFD for each bad byte, as both functions do.
func appendLowerFolded(dst []byte, w string) ([]byte, bool) {
	for _, r := range w {
		switch {
		case r < utf8.RuneSelf && r != '`':
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			dst = append(dst, byte(r))
		case r == 'œ' || r == 'Œ':
			dst = append(dst, 'o', 'e')
		case r == 'æ' || r == 'Æ':
			dst = append(dst, 'a', 'e')
		case isApostrophe(r):
			dst = append(dst, '\'')
		case isHyphen(r):
			dst = append(dst, '-')
		case unicode.Is(unicode.Mn, r):
			return dst, false
		default:
			dst = utf8.AppendRune(dst, foldRune(unicode.ToLower(r)))
		}
	}
	return dst, true
}
