package search

import "container/heap"

// topRead returns the k best of the documents of [lo, hi) by their scores a (every term read), best first,
// and zeroes a; h is the heap's memory, returned for the next call. Scores of 0 are no hit.
func topRead(a []float32, k int, floor float32, allow Allow, h minHeap, lo int32) ([]entry, minHeap) {
	for i, s := range a {
		if s == 0 {
			continue
		}
		a[i] = 0
		d := lo + int32(i)
		if s < floor || allow != nil && !allow(int(d)) {
			continue
		}
		e := entry{s, d}
		h.offer(e, k)
	}
	return drain(h), h
}

// topOf returns the k best of the scored candidates, best first (h is the heap's memory).
func topOf(h minHeap, cand []int32, part []float32, k int, floor float32) []entry {
	for i, d := range cand {
		s := part[i]
		if s <= 0 || s < floor {
			continue
		}
		e := entry{s, d}
		h.offer(e, k)
	}
	return drain(h)
}

// drain empties a heap of the k best into a slice, best first.
func drain(h minHeap) []entry {
	out := make([]entry, len(h))
	for i := len(h) - 1; i >= 0; i-- {
		out[i] = heap.Pop(&h).(entry)
	}
	return out
}

// cmpDesc orders scores from the highest.
func cmpDesc(a, b float32) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// clamp01 returns a score as a Hit gives it: the float32 sum, in [0, 1] (a unit vector's cosine with
// itself may round above 1).
func clamp01(x float64) float64 {
	if x > 1 {
		return 1
	}
	if x < 0 {
		return 0
	}
	return x
}

// entry is a document and its score in a top k.
type entry struct {
	s float32
	d int32
}

// better orders results: higher score first, then lower document number.
func (e entry) better(o entry) bool { return e.s > o.s || e.s == o.s && e.d < o.d }

// minHeap keeps the worst of the best k at its root.
type minHeap []entry

// offer puts e among the best k, if it is one of them.
func (h *minHeap) offer(e entry, k int) {
	if len(*h) < k {
		heap.Push(h, e)
	} else if e.better((*h)[0]) {
		(*h)[0] = e
		heap.Fix(h, 0)
	}
}

func (h minHeap) Len() int           { return len(h) }
func (h minHeap) Less(i, j int) bool { return h[j].better(h[i]) }
func (h minHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *minHeap) Push(x any)        { *h = append(*h, x.(entry)) }
func (h *minHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	*h = old[:len(old)-1]
	return e
}
