package classify

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/depeche/depeche/vec"
)

// synthCorpus makes a TF-IDF-like multi-label problem for benchmarks and scale tests: n rows of about nnz
// distinct features each, drawn from a Zipf law over features columns; each of labels labels is present
// with probability 0.15 and then draws a share of the row's tokens from its own 2,000 topic features.
// 3% of the label memberships are flipped, so the problem is not separable.
func synthCorpus(seed uint64, n, features, nnz, labels int) (*vec.Matrix, [][]string) {
	r := rand.New(rand.NewPCG(seed, 7))
	zipf := rand.NewZipf(r, 1.07, 2, uint64(features-1))
	topic := make([][]int32, labels)
	for l := range topic {
		topic[l] = make([]int32, 2000)
		for j := range topic[l] {
			topic[l][j] = int32(r.IntN(features))
		}
	}
	names := make([]string, labels)
	for l := range names {
		names[l] = string(rune('a'+l)) + "-theme"
	}
	x := vec.NewMatrix(features)
	x.Ind = make([]int32, 0, n*nnz)
	x.Val = make([]float32, 0, n*nnz)
	y := make([][]string, n)
	tf := map[int32]int{}
	var v vec.Vector
	for i := 0; i < n; i++ {
		clear(tf)
		var present []int
		for l := range labels {
			if r.Float64() < 0.15 {
				present = append(present, l)
			}
		}
		for len(tf) < nnz {
			var f int32
			if len(present) > 0 && r.Float64() < 0.2 {
				t := topic[present[r.IntN(len(present))]]
				f = t[int(zipfSmall(r, len(t)))]
			} else {
				f = int32(zipf.Uint64())
			}
			tf[f]++
		}
		v.Ind, v.Val = v.Ind[:0], v.Val[:0]
		for f := range tf {
			v.Ind = append(v.Ind, f)
		}
		slices.Sort(v.Ind)
		for _, f := range v.Ind {
			idf := math.Log(2 + float64(f)/20)
			v.Val = append(v.Val, float32((1+math.Log(float64(tf[f])))*idf))
		}
		v.Normalize()
		x.AppendRow(v)
		for l := range labels {
			in := slices.Contains(present, l)
			if r.Float64() < 0.03 {
				in = !in
			}
			if in {
				y[i] = append(y[i], names[l])
			}
		}
	}
	return x, y
}

// zipfSmall draws an index in [0,n) with probability roughly ∝ 1/(i+1).
func zipfSmall(r *rand.Rand, n int) int {
	return int(math.Exp(r.Float64()*math.Log(float64(n+1)))) - 1
}
