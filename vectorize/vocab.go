package vectorize

import (
	"bytes"
	"errors"
	"fmt"
	"math/bits"
	"sort"
	"strings"
)

// Vocabulary is a sorted set of distinct terms, the id of a term being its rank, kept as three flat
// arrays rather than a Go map: Data, the terms' bytes one after the other; Offsets, n+1 of them, term i
// being Data[Offsets[i]:Offsets[i+1]]; and Slots, an open-addressing hash table of the ids. A model file
// stores the three as they are, so that a program that classifies one article reads the few slots and
// terms it needs in place instead of building a map of every term first (68,000 terms with character
// n-grams: most of a classify command's time before).
//
// Slots has a power-of-two length L ≥ n+1 (about n/0.75); slot s holds 0 (empty) or id+1. A term t
// starts at slot TermHash(t) mod L and moves one slot on (mod L) while the slot holds another term.
// The table is canonical: the ids inserted in increasing order, each into the first empty slot of its
// sequence, so that the same terms give the same bytes. Equivalently (what VocabularyOf checks, without
// inserting anything): every id is in exactly one slot, and every slot on its way from its start holds
// a smaller id.
//
// A Vocabulary is immutable and safe for concurrent use.
type Vocabulary struct {
	data    []byte
	offsets []uint32
	slots   []uint32
	// gramLo, gramHi: the ids of the character n-grams, which sort together (CharGramPrefix).
	gramLo, gramHi int32
}

// TermHash is the hash of the vocabulary's table: 32-bit FNV-1a of the bytes, then murmur3's finaliser
// (FNV's low bits, which pick the slot, are weak for short keys). It is part of the model file format:
// changing it changes the bytes of every model.
func TermHash(t string) uint32 { return hashFinal(hashString(fnvOffset, t)) }

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
)

func hashString(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * fnvPrime
	}
	return h
}

func hashBytes(h uint32, b []byte) uint32 {
	for _, c := range b {
		h = (h ^ uint32(c)) * fnvPrime
	}
	return h
}

func hashFinal(h uint32) uint32 {
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return h
}

// tableSize is the number of slots for n terms: the smallest power of two above n/0.75.
func tableSize(n int) int {
	return 1 << bits.Len(uint(n+n/3))
}

// NewVocabulary packs terms, which must be sorted and distinct.
func NewVocabulary(terms []string) (*Vocabulary, error) {
	if len(terms) >= 1<<31-1 {
		return nil, errors.New("vectorize: vocabulary too large")
	}
	size := 0
	for i, t := range terms {
		if i > 0 && terms[i-1] >= t {
			if terms[i-1] == t {
				return nil, errors.New("vectorize: vocabulary has duplicate terms")
			}
			return nil, errors.New("vectorize: vocabulary is not sorted")
		}
		size += len(t)
	}
	if size > 1<<32-1 {
		return nil, errors.New("vectorize: vocabulary too large")
	}
	v := &Vocabulary{data: make([]byte, 0, size), offsets: make([]uint32, 1, len(terms)+1), slots: make([]uint32, tableSize(len(terms)))}
	for _, t := range terms {
		v.data = append(v.data, t...)
		v.offsets = append(v.offsets, uint32(len(v.data)))
	}
	mask := uint32(len(v.slots) - 1)
	for id, t := range terms {
		s := TermHash(t) & mask
		for v.slots[s] != 0 {
			s = (s + 1) & mask
		}
		v.slots[s] = uint32(id) + 1
	}
	v.setGrams()
	return v, nil
}

// VocabularyOf returns the Vocabulary of the three arrays (see Vocabulary), which it keeps and reads
// in place, after checking them: offsets that run from 0 to len(data) without going back, terms sorted
// and distinct, and the canonical table. Nothing may modify the arrays afterwards.
func VocabularyOf(data []byte, offsets, slots []uint32) (*Vocabulary, error) {
	v, err := VocabularyIn(data, offsets, slots)
	if err != nil {
		return nil, err
	}
	for i := 1; i < v.Len(); i++ {
		if bytes.Compare(v.bytesOf(int32(i-1)), v.bytesOf(int32(i))) >= 0 {
			return nil, errors.New("vectorize: vocabulary is not sorted and distinct")
		}
	}
	if err := v.checkSlots(); err != nil {
		return nil, err
	}
	return v, nil
}

// VocabularyIn is VocabularyOf checking only what reading the arrays safely takes (offsets within the
// bytes and in order, ids in range, a table with an empty slot), not the order of the terms nor the
// table's hashes, which cost a classify command a few milliseconds: for arrays already checked, such as
// the model embedded in the executable, which its tests decode with VocabularyOf. A table that is not
// the canonical one only makes Lookup miss terms.
func VocabularyIn(data []byte, offsets, slots []uint32) (*Vocabulary, error) {
	if len(offsets) == 0 || offsets[0] != 0 || uint64(offsets[len(offsets)-1]) != uint64(len(data)) {
		return nil, errors.New("vectorize: vocabulary offsets do not span its bytes")
	}
	n := len(offsets) - 1
	if len(slots) != tableSize(n) {
		return nil, fmt.Errorf("vectorize: %d slots for %d terms, want %d", len(slots), n, tableSize(n))
	}
	for i := range n {
		if offsets[i] > offsets[i+1] {
			return nil, errors.New("vectorize: vocabulary offsets go back")
		}
	}
	empty := false
	for _, e := range slots {
		if e > uint32(n) {
			return nil, errors.New("vectorize: vocabulary table holds an id out of range")
		}
		empty = empty || e == 0
	}
	if !empty { // a Lookup of a missing term would never end
		return nil, errors.New("vectorize: vocabulary table has no empty slot")
	}
	v := &Vocabulary{data: data, offsets: offsets, slots: slots}
	v.setGrams()
	return v, nil
}

// checkSlots checks that the table is the canonical one (see Vocabulary): what makes Lookup find every
// term of a table it did not build.
func (v *Vocabulary) checkSlots() error {
	n := v.Len()
	seen := make([]uint64, (n+63)/64)
	placed := 0
	mask := uint32(len(v.slots) - 1)
	for s, e := range v.slots {
		if e == 0 {
			continue
		}
		id := e - 1
		if int(id) >= n || seen[id/64]&(1<<(id%64)) != 0 {
			return errors.New("vectorize: vocabulary table holds an id twice or out of range")
		}
		seen[id/64] |= 1 << (id % 64)
		placed++
		for h := hashFinal(hashBytes(fnvOffset, v.bytesOf(int32(id)))) & mask; h != uint32(s); h = (h + 1) & mask {
			if o := v.slots[h]; o == 0 || o-1 > id {
				return errors.New("vectorize: vocabulary table is not the canonical one")
			}
		}
	}
	if placed != n {
		return errors.New("vectorize: vocabulary table misses terms")
	}
	return nil
}

// setGrams finds the range of the character n-gram ids: the terms that start with CharGramPrefix.
func (v *Vocabulary) setGrams() {
	n := v.Len()
	lo := sort.Search(n, func(i int) bool { return string(v.bytesOf(int32(i))) >= CharGramPrefix })
	hi := lo + sort.Search(n-lo, func(i int) bool { return !bytes.HasPrefix(v.bytesOf(int32(lo+i)), []byte(CharGramPrefix)) })
	v.gramLo, v.gramHi = int32(lo), int32(hi)
}

// Len returns the number of terms.
func (v *Vocabulary) Len() int { return len(v.offsets) - 1 }

// Arrays returns the three arrays, as VocabularyOf takes them (what a model file stores). Do not modify them.
func (v *Vocabulary) Arrays() (data []byte, offsets, slots []uint32) {
	return v.data, v.offsets, v.slots
}

func (v *Vocabulary) bytesOf(id int32) []byte { return v.data[v.offsets[id]:v.offsets[id+1]] }

// Term returns the term of id, which must be in [0, Len()).
func (v *Vocabulary) Term(id int32) string { return string(v.bytesOf(id)) }

// IsCharGram reports whether id is a character n-gram (a term that starts with CharGramPrefix).
func (v *Vocabulary) IsCharGram(id int32) bool { return id >= v.gramLo && id < v.gramHi }

// Lookup returns the id of term.
func (v *Vocabulary) Lookup(term string) (int32, bool) {
	mask := uint32(len(v.slots) - 1)
	for s := TermHash(term) & mask; ; s = (s + 1) & mask {
		e := v.slots[s]
		if e == 0 {
			return 0, false
		}
		if string(v.bytesOf(int32(e-1))) == term {
			return int32(e - 1), true
		}
	}
}

// lookupGram returns the id of the character n-gram CharGramPrefix+gram, without building the string.
func (v *Vocabulary) lookupGram(gram []byte) (int32, bool) {
	mask := uint32(len(v.slots) - 1)
	for s := hashFinal(hashBytes(hashString(fnvOffset, CharGramPrefix), gram)) & mask; ; s = (s + 1) & mask {
		e := v.slots[s]
		if e == 0 {
			return 0, false
		}
		if t := v.bytesOf(int32(e - 1)); len(t) == len(CharGramPrefix)+len(gram) && string(t[len(CharGramPrefix):]) == string(gram) && strings.HasPrefix(string(t), CharGramPrefix) {
			return int32(e - 1), true
		}
	}
}

// terms returns every term as a string (one allocation each): for the callers that want the list.
func (v *Vocabulary) terms() []string {
	out := make([]string, v.Len())
	for i := range out {
		out[i] = v.Term(int32(i))
	}
	return out
}
