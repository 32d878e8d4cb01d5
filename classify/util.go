package classify

import (
	"math/rand/v2"
	"sort"
)

// rng is a seeded generator: the same seed gives the same folds and coordinate orders.
type rng struct{ r *rand.Rand }

func newRand(seed, stream uint64) rng { return rng{rand.New(rand.NewPCG(seed, stream))} }

func (r rng) perm(n int) []int { return r.r.Perm(n) }

func (r rng) shuffle(xs []int) { r.r.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] }) }

func sortDesc[T any](v []T, less func(a, b T) bool) {
	sort.SliceStable(v, func(i, j int) bool { return less(v[i], v[j]) })
}
