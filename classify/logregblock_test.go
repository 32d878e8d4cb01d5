package classify

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/depeche/depeche/vec"
)

// fitLogRegBlock must give every label of a block exactly what fitLogReg gives it alone with the same
// coordinate order: its weights, bias, dual solution and pass count, bit for bit, cold and warm-started,
// whatever the other labels of the block (which stop at other passes).
func TestLogRegBlockExact(t *testing.T) {
	for _, labels := range []int{11, blockWidth} { // an 8-wide kernel and the rest; a whole block
		t.Run(fmt.Sprintf("labels=%d", labels), func(t *testing.T) { testLogRegBlockExact(t, labels) })
	}
}

func testLogRegBlockExact(t *testing.T, labels int) {
	x, y := synthCorpus(3, 1500, 3000, 40, labels)
	tg, err := indexLabels(y, nil)
	if err != nil {
		t.Fatal(err)
	}
	var rows []int
	for i := range x.Rows() {
		if i%5 != 2 { // not every row, not in a trivial order
			rows = append(rows, i)
		}
	}
	for _, tc := range []struct {
		name string
		C    float64
		warm bool
	}{{"cold C=10", 10, false}, {"cold C=0.5", 0.5, false}, {"warm C=1", 1, true}} {
		t.Run(tc.name, func(t *testing.T) {
			var inits [][]float64
			if tc.warm {
				for l := range tg.labels {
					_, _, a, _ := fitLogReg(x, tg.y[l], rows, tc.C, newRand(9, uint64(l)), nil)
					inits = append(inits, a)
				}
			}
			var starts [][]float64 // the block takes its starts over
			for _, a := range inits {
				starts = append(starts, slices.Clone(a))
			}
			blk := fitLogRegBlock(x, tg.y, rows, tc.C, newRand(1, 2), starts)
			passes := map[int]bool{}
			for l := range tg.labels {
				var init []float64
				if inits != nil {
					init = inits[l]
				}
				w, b, a, st := fitLogReg(x, tg.y[l], rows, tc.C, newRand(1, 2), init)
				passes[st.Passes] = true
				if st != blk.st[l] {
					t.Errorf("label %d: stats %+v alone, %+v in the block", l, st, blk.st[l])
				}
				if float32(blk.wb[l]) != b {
					t.Errorf("label %d: bias %v alone, %v in the block", l, b, float32(blk.wb[l]))
				}
				bw := blk.weights(l)
				for f := range w {
					if math.Float32bits(w[f]) != math.Float32bits(bw[f]) && w[f] != bw[f] {
						t.Fatalf("label %d feature %d: %v alone, %v in the block", l, f, w[f], bw[f])
					}
				}
				for k := range a {
					if a[k] != blk.alpha[l][k] {
						t.Fatalf("label %d: dual %d: %v alone, %v in the block", l, k, a[k], blk.alpha[l][k])
					}
				}
				dst := make([]float64, blk.B)
				for _, i := range rows[:50] {
					blk.decision(x, i, dst)
					want := dotDenseOf(x, i, w) + float64(b)
					if dst[l] != want {
						t.Fatalf("label %d row %d: decision %v alone, %v in the block", l, i, want, dst[l])
					}
				}
			}
			if tc.C == 10 && len(passes) < 2 {
				t.Fatalf("every label stopped after the same passes %v: the test no longer sees labels stop apart", passes)
			}
		})
	}
}

func dotDenseOf(x *vec.Matrix, i int, w []float32) float64 { return vec.DotDense(x.Row(i), w) }

func BenchmarkLogRegBlock(b *testing.B) {
	x, y := synthCorpus(5, 20000, 50000, 100, blockWidth)
	tg, err := indexLabels(y, nil)
	if err != nil {
		b.Fatal(err)
	}
	rows := make([]int, x.Rows())
	for i := range rows {
		rows[i] = i
	}
	b.Run(fmt.Sprintf("labels=%d/alone", blockWidth), func(b *testing.B) {
		for b.Loop() {
			for l := range tg.labels {
				fitLogReg(x, tg.y[l], rows, 0.5, newRand(1, 2), nil)
			}
		}
	})
	b.Run(fmt.Sprintf("labels=%d/block", blockWidth), func(b *testing.B) {
		for b.Loop() {
			fitLogRegBlock(x, tg.y, rows, 0.5, newRand(1, 2), nil)
		}
	})
}

// With the shared start, labels are solved blockWidth at a time, yet a label's weights are those it gets
// when trained with other labels or alone. (Only without cross-validation: folds are stratified over all
// the labels, so they, and what is fitted on them, change with the label set.)
func TestBlockLabelIndependent(t *testing.T) {
	x, y := synthCorpus(6, 1200, 4000, 40, blockWidth+5) // one full block and a partial one
	opt := Options{Seed: 2, Strategy: StrategyShared, ThresholdFolds: 1}
	all, err := Fit(x, y, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Labels = []string{all.Labels[1], all.Labels[blockWidth+2], all.Labels[blockWidth-1]}
	few, err := Fit(x, y, opt)
	if err != nil {
		t.Fatal(err)
	}
	for q, name := range few.Labels {
		l := slices.Index(all.Labels, name)
		if !slices.Equal(few.Weights[q], all.Weights[l]) || few.Bias[q] != all.Bias[l] {
			t.Errorf("label %q: its weights depend on the other labels trained with it", name)
		}
	}
}

// The shared start's 4-byte pairs come back as the pairs they were, but for the small one's float32
// rounding, on either side and below float32's range.
func TestSharedStartPairs(t *testing.T) {
	const C = 0.5
	alpha := []float64{1e-3, C - 1e-3, C - 1e-9, 1e-9, 1e-60, C - 1e-60, C - 1e-60, 1e-60, 0.2, 0.3}
	sh := newSharedStart(1, C)
	sh.left[0].Store(1)
	sh.keep(0, alpha)
	got := sh.startOf(0, []int{0, 1, 2, 3, 4})
	for j := range 5 {
		a, c := got[2*j], got[2*j+1]
		small, big := alpha[2*j], alpha[2*j+1]
		ga, gc := a, c
		if big < small {
			small, big, ga, gc = big, small, c, a
		}
		tol := 1e-7 * small // the small one's float32 rounding, which the big one takes too
		if small <= 1e-30 {
			tol = 1e-8 // below float32's range: the cold start's distance to the bound
		}
		if !(ga > 0 && gc > 0) || math.Abs(ga+gc-C) > 1e-15 || math.Abs(ga-small) > tol || math.Abs(gc-big) > tol {
			t.Errorf("pair %d (%g, %g) came back as (%g, %g)", j, alpha[2*j], alpha[2*j+1], a, c)
		}
	}
	if sh.alpha[0] != nil {
		t.Error("the last reader did not release the shared start")
	}
}
