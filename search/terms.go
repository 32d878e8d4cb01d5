package search

import "hash/maphash"

// termTable finds a term's id in an index file's vocabulary without a Go map: the terms are substrings of
// one string (the vocabulary section, copied once to the heap, as a hit's shared terms outlive the
// file), and the table holds only their ids, open-addressed by hash. A map of V strings was a fifth of a
// cold query's page faults at 100k documents (each entry and string header a pointer the collector then
// scans).
type termTable struct {
	vb    string
	off   []uint32 // term id's bytes are vb[off[id]:off[id+1]]
	slots []int32  // 1 + a term id, 0 for an empty slot
	seed  maphash.Seed
}

// newTermTable indexes the V terms of vb at off; ok is false when a term is listed twice.
func newTermTable(vb string, off []uint32) (tt *termTable, ok bool) {
	V := len(off) - 1
	size := 1
	for size < 2*V {
		size <<= 1
	}
	tt = &termTable{vb: vb, off: off, slots: make([]int32, size), seed: maphash.MakeSeed()}
	mask := uint64(size - 1)
	for id := range V {
		s := tt.term(int32(id))
		i := maphash.String(tt.seed, s) & mask
		for ; tt.slots[i] != 0; i = (i + 1) & mask {
			if tt.term(tt.slots[i]-1) == s {
				return nil, false
			}
		}
		tt.slots[i] = int32(id) + 1
	}
	return tt, true
}

func (tt *termTable) term(id int32) string { return tt.vb[tt.off[id]:tt.off[id+1]] }

func (tt *termTable) find(s string) (int32, bool) {
	mask := uint64(len(tt.slots) - 1)
	for i := maphash.String(tt.seed, s) & mask; ; i = (i + 1) & mask {
		e := tt.slots[i]
		if e == 0 {
			return 0, false
		}
		if tt.term(e-1) == s {
			return e - 1, true
		}
	}
}

// lookup returns the id of term s.
func (x *Index) lookup(s string) (int32, bool) {
	if x.tt != nil {
		return x.tt.find(s)
	}
	id, ok := x.terms[s]
	return id, ok
}

// term returns term id's text.
func (x *Index) term(id int32) string {
	if x.tt != nil {
		return x.tt.term(id)
	}
	return x.vocab[id]
}
