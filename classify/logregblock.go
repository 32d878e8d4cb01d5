package classify

import (
	"math"
	"math/rand/v2"

	"github.com/depeche/depeche/vec"
)

// blockWidth is the number of labels fitLogRegBlock solves in one sweep of the rows: a row's entries are
// read once for 16 labels, the 16 products of an entry are one vector operation (four AVX2 registers of
// float64), and the 16 weights of a feature fill one 64-byte cache line. On make_corpus's vocabulary
// (26k terms) one label's weights fit in cache anyway, so the gain measured there comes from the shared
// reads and the vector arithmetic (bench/RESULTS.md); the cache line counts with larger vocabularies.
const blockWidth = 16

// lrBlock is the solution of fitLogRegBlock: the weights of its labels stored feature-major (W[f·B + l]
// is the weight of feature f for the block's l-th label), their biases, dual solutions and run reports.
type lrBlock struct {
	B     int
	W     []float32
	wb    []float64
	alpha [][]float64
	st    []lrStats
}

// fitLogRegBlock solves, for each label l of ys (±1 per row of x, as fitLogReg's y), the problem that
// fitLogReg(x, ys[l], rows, C, r', inits[l]) solves, with r' a generator in the same state as r: all the
// labels visit the rows in the same shuffled order, one pass at a time, and a label stops by its own
// duality-gap test and is left untouched afterwards. The arithmetic of a label is that of fitLogReg, in the
// same order, so its weights, bias and dual solution are the same to the bit (TestLogRegBlockExact); what
// changes is the work around it: each row is read once per pass for every label, and an entry's products
// with the labels' weights of its feature are one vector operation (see blockWidth). inits may be nil,
// or hold nil for a cold start; a
// start given becomes the label's dual solution, updated in place.
func fitLogRegBlock(x *vec.Matrix, ys [][]int8, rows []int, C float64, r *rand.Rand, inits [][]float64) *lrBlock {
	const innerEpsMin = 1e-8
	B, n := len(ys), len(rows)
	blk := &lrBlock{B: B, W: make([]float32, x.Cols*B), wb: make([]float64, B), alpha: make([][]float64, B), st: make([]lrStats, B)}
	if n == 0 || B == 0 {
		return blk
	}
	W, wb := blk.W, blk.wb
	xTx := make([]float64, n)
	for l := range B {
		if inits != nil && inits[l] != nil {
			blk.alpha[l] = inits[l] // taken over, not copied: a warm start's pairs are the caller's own copy
		} else {
			blk.alpha[l] = make([]float64, 2*n)
		}
	}
	d := make([]float64, B)
	for j, i := range rows {
		a, b := x.Ptr[i], x.Ptr[i+1]
		ind, val := x.Ind[a:b], x.Val[a:b]
		var s float64
		for _, v := range val {
			s += float64(v) * float64(v)
		}
		xTx[j] = s + 1
		for l := range B {
			al := blk.alpha[l]
			if inits == nil || inits[l] == nil {
				al[2*j] = min(0.001*C, 1e-8)
				al[2*j+1] = C - al[2*j]
			}
			d[l] = float64(ys[l][i]) * al[2*j]
			wb[l] += d[l]
		}
		addRow(W, B, ind, val, d)
	}
	order := make([]int32, n)
	for j := range order {
		order[j] = int32(j)
	}
	innerEps := make([]float64, B)
	for l := range innerEps {
		innerEps[l] = 1e-2
	}
	done := make([]bool, B)
	active := B
	dot := make([]float64, B)
	newton := make([]int, B)
	loss := make([]float64, B)
	exact := make([]bool, B)
	ww := make([]float64, B)
	dualOf := make([]float64, B)
	for active > 0 {
		r.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		clear(newton)
		clear(loss)
		for _, jj := range order {
			j := int(jj)
			i := rows[j]
			a, b := x.Ptr[i], x.Ptr[i+1]
			ind, val := x.Ind[a:b], x.Val[a:b]
			copy(dot, wb)
			dotRow(dot, W, B, ind, val)
			moved := false
			for l := range B {
				d[l] = 0
				if done[l] {
					continue
				}
				al := blk.alpha[l]
				yi := float64(ys[l][i])
				A, Bv := xTx[j], yi*dot[l]
				loss[l] += log1pexp(-Bv)
				step, inner := lrStep(al[2*j:2*j+2], A, Bv, C, innerEps[l])
				newton[l] += inner
				if inner > 0 {
					d[l] = step * yi
					wb[l] += d[l]
					moved = true
				}
			}
			if moved {
				addRow(W, B, ind, val, d)
			}
		}
		// the duality gap of each running label, as fitLogReg computes it
		for l := range B {
			ww[l] = wb[l] * wb[l]
		}
		for f := 0; f < len(W); f += B {
			for l, v := range W[f : f+B] {
				ww[l] += float64(v) * float64(v)
			}
		}
		anyExact := false
		for l := range B {
			if done[l] {
				continue
			}
			blk.st[l].Passes++
			var ent float64
			for _, a := range blk.alpha[l] {
				ent += xlogx(a)
			}
			dual := -0.5*ww[l] - ent + float64(n)*C*math.Log(C)
			primal := 0.5*ww[l] + C*loss[l]
			blk.st[l].Gap = (primal - dual) / primal
			exact[l] = blk.st[l].Gap < lrCheck
			if exact[l] {
				anyExact = true
				dualOf[l] = dual
			}
		}
		if anyExact {
			clear(loss)
			for _, i := range rows {
				a, b := x.Ptr[i], x.Ptr[i+1]
				ind, val := x.Ind[a:b], x.Val[a:b]
				copy(dot, wb)
				dotRow(dot, W, B, ind, val)
				for l := range B {
					if exact[l] && !done[l] {
						loss[l] += log1pexp(-float64(ys[l][i]) * dot[l])
					}
				}
			}
		}
		for l := range B {
			if done[l] {
				continue
			}
			if exact[l] {
				dual := dualOf[l]
				primal := 0.5*ww[l] + C*loss[l]
				blk.st[l].Gap = (primal - dual) / primal
				if blk.st[l].Gap < lrGap {
					done[l] = true
					active--
					continue
				}
			}
			if blk.st[l].Passes >= lrMaxPasses {
				done[l] = true
				active--
				continue
			}
			if newton[l] <= n/10 {
				innerEps[l] = math.Max(innerEpsMin, 0.1*innerEps[l])
			}
		}
	}
	return blk
}

// dotRow adds to dot[l] the product of a row with label l's weights, for every label of W.
func dotRow(dot []float64, W []float32, B int, ind []int32, val []float32) {
	if B == 16 && useAVX2 {
		if len(ind) > 0 {
			dot16AVX2((*[16]float64)(dot), &W[0], &ind[0], &val[0], min(len(ind), len(val)))
		}
		return
	}
	off := 0
	for ; off+8 <= len(dot); off += 8 {
		dotRow8(dot, W, B, off, ind, val)
	}
	if off == len(dot) {
		return
	}
	val = val[:len(ind)]
	for k, f := range ind {
		v := float64(val[k])
		w := W[int(f)*B+off : int(f)*B+B]
		for l, wl := range w {
			dot[off+l] += float64(wl) * v
		}
	}
}

// addRow adds d[l] times a row to label l's weights, for every label of W.
func addRow(W []float32, B int, ind []int32, val []float32, d []float64) {
	if B == 16 && useAVX2 {
		if len(ind) > 0 {
			add16AVX2(&W[0], &ind[0], &val[0], min(len(ind), len(val)), (*[16]float64)(d))
		}
		return
	}
	off := 0
	for ; off+8 <= len(d); off += 8 {
		if nonzero8(d[off : off+8]) {
			addRow8(W, B, off, ind, val, d)
		}
	}
	if off == len(d) {
		return
	}
	val = val[:len(ind)]
	for k, f := range ind {
		v := float64(val[k])
		w := W[int(f)*B+off : int(f)*B+B]
		for l, dl := range d[off:] {
			w[l] += float32(dl * v)
		}
	}
}

// decision returns the decision values of row i for every label of the block, into dst, as
// vec.DotDense(x.Row(i), w) + float64(b) gives them from the label's own weights.
func (blk *lrBlock) decision(x *vec.Matrix, i int, dst []float64) {
	a, b := x.Ptr[i], x.Ptr[i+1]
	clear(dst)
	dotRow(dst, blk.W, blk.B, x.Ind[a:b], x.Val[a:b])
	for l := range dst {
		dst[l] += float64(float32(blk.wb[l]))
	}
}

// weights returns label l's weights as fitLogReg returns them.
func (blk *lrBlock) weights(l int) []float32 {
	w := make([]float32, len(blk.W)/max(blk.B, 1))
	for f := range w {
		w[f] = blk.W[f*blk.B+l]
	}
	return w
}

// dotRow8 is dotRow for 8 labels of a block of width B starting at label off, its accumulators held in
// registers (the compiler keeps a slice's elements in memory, which costs a store-to-load round trip on
// every entry).
func dotRow8(dot []float64, W []float32, B, off int, ind []int32, val []float32) {
	d := dot[off : off+8 : off+8]
	a0, a1, a2, a3, a4, a5, a6, a7 := d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]
	val = val[:len(ind)]
	for k, f := range ind {
		v := float64(val[k])
		w := W[int(f)*B+off : int(f)*B+off+8 : int(f)*B+off+8]
		a0 += float64(w[0]) * v
		a1 += float64(w[1]) * v
		a2 += float64(w[2]) * v
		a3 += float64(w[3]) * v
		a4 += float64(w[4]) * v
		a5 += float64(w[5]) * v
		a6 += float64(w[6]) * v
		a7 += float64(w[7]) * v
	}
	d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7] = a0, a1, a2, a3, a4, a5, a6, a7
}

// addRow8 is addRow for 8 labels of a block of width B starting at label off.
func addRow8(W []float32, B, off int, ind []int32, val []float32, d []float64) {
	dd := d[off : off+8 : off+8]
	d0, d1, d2, d3, d4, d5, d6, d7 := dd[0], dd[1], dd[2], dd[3], dd[4], dd[5], dd[6], dd[7]
	val = val[:len(ind)]
	for k, f := range ind {
		v := float64(val[k])
		w := W[int(f)*B+off : int(f)*B+off+8 : int(f)*B+off+8]
		w[0] += float32(d0 * v)
		w[1] += float32(d1 * v)
		w[2] += float32(d2 * v)
		w[3] += float32(d3 * v)
		w[4] += float32(d4 * v)
		w[5] += float32(d5 * v)
		w[6] += float32(d6 * v)
		w[7] += float32(d7 * v)
	}
}

// nonzero8 tells whether any of 8 steps moves its label (a label that stopped, or did not move, adds 0).
func nonzero8(d []float64) bool {
	for _, v := range d[:8] {
		if v != 0 {
			return true
		}
	}
	return false
}
