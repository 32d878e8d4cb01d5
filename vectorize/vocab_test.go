package vectorize

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestVocabulary(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 7, 100, 5000} {
		terms := make([]string, n)
		for i := range terms {
			terms[i] = fmt.Sprintf("t%05d", i)
		}
		for i := 0; i < n/4; i++ {
			terms[i] = fmt.Sprintf("%s%04d", CharGramPrefix, i) // sorts after "t…"
		}
		slices.Sort(terms)
		terms = slices.Compact(terms)
		v, err := NewVocabulary(terms)
		if err != nil {
			t.Fatal(err)
		}
		data, off, slots := v.Arrays()
		w, err := VocabularyOf(data, off, slots)
		if err != nil {
			t.Fatalf("n=%d: the built table does not check: %v", n, err)
		}
		grams := 0
		for i, term := range terms {
			for _, x := range []*Vocabulary{v, w} {
				if id, ok := x.Lookup(term); !ok || id != int32(i) || x.Term(int32(i)) != term {
					t.Fatalf("n=%d: Lookup(%q) = %d, %v; want %d", n, term, id, ok, i)
				}
			}
			if g, ok := strings.CutPrefix(term, CharGramPrefix); ok {
				grams++
				if id, ok := v.lookupGram([]byte(g)); !ok || id != int32(i) || !v.IsCharGram(id) {
					t.Fatalf("lookupGram(%q) = %d, %v", g, id, ok)
				}
			} else if v.IsCharGram(int32(i)) {
				t.Fatalf("%q taken for an n-gram", term)
			}
		}
		if int(v.gramHi-v.gramLo) != grams {
			t.Errorf("n=%d: %d n-gram ids, want %d", n, v.gramHi-v.gramLo, grams)
		}
		for _, miss := range []string{"", "t", "zz", CharGramPrefix, "t000001"} {
			if _, ok := v.Lookup(miss); ok && !slices.Contains(terms, miss) {
				t.Errorf("Lookup(%q) found a term not in the vocabulary", miss)
			}
		}
	}
	for _, bad := range [][]string{{"b", "a"}, {"a", "a"}} {
		if _, err := NewVocabulary(bad); err == nil {
			t.Errorf("NewVocabulary(%q) accepted", bad)
		}
	}
}

// TestVocabularyOfForged: arrays that a model file could hold but Write never writes are refused.
func TestVocabularyOfForged(t *testing.T) {
	terms := []string{"alpha", "beta", "delta", "gamma", "zeta"}
	v, err := NewVocabulary(terms)
	if err != nil {
		t.Fatal(err)
	}
	data, off, slots := v.Arrays()
	cp := func(x []uint32) []uint32 { return append([]uint32(nil), x...) }
	swapped := cp(slots)
	var a, b = -1, -1
	for s, e := range swapped {
		if e != 0 && a < 0 {
			a = s
		} else if e != 0 && b < 0 {
			b = s
		}
	}
	swapped[a], swapped[b] = swapped[b], swapped[a]
	moved := cp(slots)
	for s, e := range moved { // an entry moved into an empty slot after it: not where a probe looks
		if e != 0 {
			for k := 1; k < len(moved); k++ {
				if moved[(s+k)%len(moved)] == 0 {
					moved[(s+k)%len(moved)], moved[s] = e, 0
					break
				}
			}
			break
		}
	}
	dup := cp(slots)
	for s, e := range dup {
		if e == 0 {
			dup[s] = slots[a]
			break
		}
	}
	outOfRange := cp(slots)
	outOfRange[a] = 99
	backOff := cp(off)
	backOff[2] = backOff[3] + 1
	for _, c := range []struct {
		name  string
		data  []byte
		off   []uint32
		slots []uint32
	}{
		{"swapped slots", data, off, swapped},
		{"moved slot", data, off, moved},
		{"duplicate id", data, off, dup},
		{"id out of range", data, off, outOfRange},
		{"short table", data, off, slots[:len(slots)/2]},
		{"offsets go back", data, backOff, slots},
		{"offsets past the bytes", data[:len(data)-1], off, slots},
		{"no offsets", data, nil, slots},
		{"unsorted", []byte("betaalphadeltagammazeta"), off, slots},
	} {
		if _, err := VocabularyOf(c.data, c.off, c.slots); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
}

// TestTransformTokensIsTransformTerms: the id path gives the vectors of the string path, to the bit, for
// every analysis a model can have.
func TestTransformTokensIsTransformTerms(t *testing.T) {
	docs := append([]string(nil), smallCorpus...)
	if files, _ := filepath.Glob(filepath.Join("..", "..", "shared", "seeds", "*.txt")); len(files) > 0 {
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, string(b))
		}
	}
	docs = append(docs, "ÉCONOMIE : L’Œuvre « Cæsar » à Tanger-Med, aujourd'hui ; e\u0301te\u0301 (marks), \xff\xfe bad bytes, Straße, ΑΘΗΝΑ 2024",
		"porte-parole a-t-il dit ` l`État narco-trafic", "", "!!!")
	for _, opts := range []Options{{CharNgrams: true}, {}, {Bigrams: true}, {CharNgrams: true, KeepAccents: true}, {Bigrams: true, CharNgrams: true}, {KeepNumbers: true, CharNgrams: true}} {
		a := MustAnalyzer(opts)
		v := NewVectorizer(a)
		v.MinDF = 1
		if err := v.Fit(docs); err != nil {
			t.Fatal(err)
		}
		var s Scratch
		for i, d := range append(docs, docs...) { // the second time from the n-gram cache
			toks := a.Analyze(d)
			want := v.TransformTerms(a.TermsOf(nil, d, toks))
			got := v.TransformTokens(&s, d, a.AppendTokens(nil, d))
			if !slices.Equal(got.Ind, want.Ind) || !slices.EqualFunc(got.Val, want.Val, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) }) {
				t.Fatalf("%+v, doc %d: TransformTokens %v, want %v", opts, i, got, want)
			}
			for k, tok := range toks {
				id, ok := v.Lookup(tok.Term)
				if !ok {
					id = -1
				}
				if s.TokenIDs[k] != id {
					t.Fatalf("token %d %q: id %d, want %d", k, tok.Term, s.TokenIDs[k], id)
				}
			}
			// every span of the tokens, from the features found for the whole text: the vector of the
			// span's own tokens, to the bit (bigrams: not offered)
			var ps, one Scratch
			for a := 0; a <= len(toks); a += 1 + len(toks)/7 {
				for b := a; b <= len(toks); b += 1 + len(toks)/5 {
					got, ok := v.TransformSpan(&ps, &s, a, b)
					if ok == opts.Bigrams {
						t.Fatalf("%+v: TransformSpan ok = %v", opts, ok)
					}
					if !ok {
						continue
					}
					want := v.TransformTokens(&one, d, toks[a:b])
					if !slices.Equal(got.Ind, want.Ind) || !slices.EqualFunc(got.Val, want.Val, func(x, y float32) bool { return math.Float32bits(x) == math.Float32bits(y) }) {
						t.Fatalf("%+v, doc %d, tokens [%d, %d): TransformSpan %v, want %v", opts, i, a, b, got, want)
					}
				}
			}
			if _, ok := v.TransformSpan(&ps, &s, 0, len(toks)+1); ok {
				t.Fatalf("a span past the tokens: ok")
			}
		}
	}
}

// FuzzLowerFolded: the byte path of the n-grams folds a word as foldAccents(lowerWord(w)) does.
func FuzzLowerFolded(f *testing.F) {
	for _, w := range []string{"État", "ŒUVRE", "Cæsar", "aujourd’hui", "e\u0301te\u0301", "\xff", "Straße", "İstanbul", "ǅ", "x`y"} {
		f.Add(w)
	}
	a := MustAnalyzer(Options{})
	f.Fuzz(func(t *testing.T, w string) {
		want := foldAccents(a.lowerWord(w))
		got, ok := appendLowerFolded(nil, w)
		if ok && string(got) != want {
			t.Fatalf("appendLowerFolded(%q) = %q, want %q", w, got, want)
		}
	})
}

// TestTransformTokensConcurrent: goroutines sharing a vectorizer (and its n-gram cache) get the vectors
// of one alone (run with -race).
func TestTransformTokensConcurrent(t *testing.T) {
	a := MustAnalyzer(Options{CharNgrams: true})
	v := NewVectorizer(a)
	v.MinDF = 1
	if err := v.Fit(smallCorpus); err != nil {
		t.Fatal(err)
	}
	want := make([][]int32, len(smallCorpus))
	for i, d := range smallCorpus {
		want[i] = v.TransformTerms(a.AppendTerms(nil, d)).Ind
	}
	done := make(chan error)
	for g := range 4 {
		go func() {
			var s Scratch
			for r := range 50 {
				i := (g + r) % len(smallCorpus)
				if got := v.TransformTokens(&s, smallCorpus[i], a.Analyze(smallCorpus[i])); !slices.Equal(got.Ind, want[i]) {
					done <- fmt.Errorf("goroutine %d, doc %d: %v, want %v", g, i, got.Ind, want[i])
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
