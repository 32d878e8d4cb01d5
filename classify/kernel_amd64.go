package classify

import "golang.org/x/sys/cpu"

// The 16-label kernels of fitLogRegBlock in AVX2 (kernel_amd64.s): the 16 accumulators of a row's dot
// products, or its 16 steps, stay in four 256-bit registers while the row's entries stream by, where
// the compiler's scalar code (dotRow8, addRow8) reloads them. They do the same IEEE operations as the
// scalar code in the same order (a product rounded, then a sum rounded: no fused multiply-add), so the
// results are the same to the bit (TestKernels). Every index of ind must be below the feature count of
// W (checkMatrix has seen to it): they read and write W unchecked.
var useAVX2 = cpu.X86.HasAVX2

//go:noescape
func dot16AVX2(dot *[16]float64, w *float32, ind *int32, val *float32, n int)

//go:noescape
func add16AVX2(w *float32, ind *int32, val *float32, n int, d *[16]float64)
