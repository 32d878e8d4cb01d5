//go:build !amd64

package classify

// Only amd64 has the assembly kernels; elsewhere fitLogRegBlock runs its Go code.
const useAVX2 = false

func dot16AVX2(dot *[16]float64, w *float32, ind *int32, val *float32, n int) {
	panic("classify: no AVX2 kernel on this architecture")
}

func add16AVX2(w *float32, ind *int32, val *float32, n int, d *[16]float64) {
	panic("classify: no AVX2 kernel on this architecture")
}
