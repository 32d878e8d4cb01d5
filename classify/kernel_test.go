package classify

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// The assembly kernels do what the Go code does, to the bit.
func TestKernels(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 kernels on this machine: fitLogRegBlock runs its Go code")
	}
	r := rand.New(rand.NewPCG(1, 2))
	const F = 1000
	W := make([]float32, F*16)
	for i := range W {
		W[i] = float32(r.NormFloat64())
	}
	W2 := slices.Clone(W)
	for range 300 {
		n := r.IntN(60)
		ind := make([]int32, n)
		val := make([]float32, n)
		for k := range ind {
			ind[k] = int32(r.IntN(F))
			val[k] = r.Float32()
		}
		a, b := make([]float64, 16), make([]float64, 16)
		d := make([]float64, 16)
		for l := range a {
			a[l] = r.NormFloat64()
			b[l] = a[l]
			if r.IntN(4) > 0 { // some labels do not move
				d[l] = r.NormFloat64() * 0.01
			}
		}
		dotRow8(a, W, 16, 0, ind, val)
		dotRow8(a, W, 16, 8, ind, val)
		dotRow(b, W2, 16, ind, val)
		if !slices.Equal(a, b) {
			t.Fatalf("dot products: %v in Go, %v in assembly", a, b)
		}
		addRow8(W, 16, 0, ind, val, d)
		addRow8(W, 16, 8, ind, val, d)
		addRow(W2, 16, ind, val, d)
		if !slices.Equal(W, W2) {
			t.Fatal("steps: the weights differ between Go and assembly")
		}
	}
}
