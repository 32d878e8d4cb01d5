package classify

import (
	"hash/fnv"
	"math/rand/v2"
	"slices"
)

// newRand returns a generator seeded by the user's seed and a stream that names its use, so that the folds
// of one cross-validation and the coordinate order of one label never share a sequence.
func newRand(seed, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }

// streamOf names a random stream by a string (a label id, a purpose), so that a label's stream does not
// change when other labels are added or removed.
func streamOf(s string, n uint64) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64() ^ (n * 0x9e3779b97f4a7c15)
}

// countGroups returns the number of distinct groups among rows (each row its own group when groups is nil).
func countGroups(rows []int, groups []int) int {
	if groups == nil {
		return len(rows)
	}
	seen := make(map[int]bool)
	for _, i := range rows {
		seen[groups[i]] = true
	}
	return len(seen)
}

// assignFolds deals rows into k folds and returns the fold of each position of rows. Rows of one group
// (groups[i]; each row its own group when groups is nil) share a fold. Folds are stratified, simplifying
// the iterative stratification of Sechidis, Tsoumakas & Vlahavas (2011): groups are taken in a seeded
// random order, stably sorted by the frequency of their rarest label (unlabeled groups last), and each goes
// to the fold that still lacks most of that label, then to the fold that lacks most rows (then the lowest
// fold). So a rare label's positives spread over the folds, and folds have about n/k rows.
func assignFolds(rows []int, k int, t *targets, groups []int, seed, stream uint64) []int {
	type group struct {
		pos    []int // positions in rows
		key    int   // rarest label, -1 if none
		keyCnt int   // its frequency in rows
	}
	var gs []*group
	if groups == nil {
		gs = make([]*group, len(rows))
		for p := range rows {
			gs[p] = &group{pos: []int{p}}
		}
	} else {
		byID := make(map[int]*group)
		for p, i := range rows {
			g := byID[groups[i]]
			if g == nil {
				g = &group{}
				byID[groups[i]] = g
				gs = append(gs, g) // in order of first appearance: deterministic
			}
			g.pos = append(g.pos, p)
		}
	}
	L := len(t.y)
	count := make([]int, L)
	for l := range L {
		for _, i := range rows {
			if t.y[l][i] > 0 {
				count[l]++
			}
		}
	}
	const none = int(^uint(0) >> 1)
	for _, g := range gs {
		g.key, g.keyCnt = -1, none
		for _, p := range g.pos {
			for l := range L {
				if t.y[l][rows[p]] > 0 && count[l] < g.keyCnt {
					g.key, g.keyCnt = l, count[l]
				}
			}
		}
	}
	r := newRand(seed, stream)
	r.Shuffle(len(gs), func(i, j int) { gs[i], gs[j] = gs[j], gs[i] })
	slices.SortStableFunc(gs, func(a, b *group) int { return a.keyCnt - b.keyCnt })

	lack := make([][]float64, k) // lack[f][l]: positives of l that fold f still lacks
	lackRows := make([]float64, k)
	for f := range k {
		lack[f] = make([]float64, L)
		for l := range L {
			lack[f][l] = float64(count[l]) / float64(k)
		}
		lackRows[f] = float64(len(rows)) / float64(k)
	}
	foldOf := make([]int, len(rows))
	for _, g := range gs {
		best := 0
		for f := 1; f < k; f++ {
			if g.key >= 0 && lack[f][g.key] != lack[best][g.key] {
				if lack[f][g.key] > lack[best][g.key] {
					best = f
				}
				continue
			}
			if lackRows[f] > lackRows[best] {
				best = f
			}
		}
		for _, p := range g.pos {
			foldOf[p] = best
			lackRows[best]--
			for l := range L {
				if t.y[l][rows[p]] > 0 {
					lack[best][l]--
				}
			}
		}
	}
	return foldOf
}
