package classify

import (
	"math"

	"github.com/depeche/depeche/vec"
)

// fitNB returns the weights and bias of multinomial naive Bayes for one label, positive rows against
// negative ones, on the given rows of x with additive smoothing alpha:
//
//	w_f = ln θ⁺_f − ln θ⁻_f,  θᶜ_f = (N^c_f + α) / (N^c + α·V),  b = ln((n⁺ + 1) / (n⁻ + 1)),
//
// where N^c_f is the summed value of feature f over the rows of class c, N^c = Σ_f N^c_f, V = x.Cols and
// n^c the number of rows of class c (the prior is smoothed too, so that a class with no row stays finite).
// w·x + b is the log-odds of the label under the model. With two classes, complement naive Bayes (Rennie
// et al. 2003) learns the same weights, since each class is the other's complement.
func fitNB(x *vec.Matrix, y []int8, rows []int, alpha float64) ([]float32, float32) {
	pos := make([]float64, x.Cols)
	neg := make([]float64, x.Cols)
	var npos, nneg, tpos, tneg float64
	for _, i := range rows {
		a, b := x.Ptr[i], x.Ptr[i+1]
		acc, tot := neg, &tneg
		if y[i] > 0 {
			acc, tot = pos, &tpos
			npos++
		} else {
			nneg++
		}
		for k, f := range x.Ind[a:b] {
			v := float64(x.Val[a+int64(k)])
			acc[f] += v
			*tot += v
		}
	}
	V := float64(x.Cols)
	lp, ln := math.Log(tpos+alpha*V), math.Log(tneg+alpha*V)
	w := make([]float32, x.Cols)
	for f := range w {
		w[f] = float32(math.Log(pos[f]+alpha) - lp - math.Log(neg[f]+alpha) + ln)
	}
	return w, float32(math.Log((npos + 1) / (nneg + 1)))
}

// fitPlatt fits the sigmoid p = σ(A·f + B) to decision values f and ±1 targets y by maximum likelihood
// (Platt 1999), with Platt's smoothed targets t⁺ = (n⁺+1)/(n⁺+2) and t⁻ = 1/(n⁻+2), which keep A and B
// finite on separable data. It minimises the cross-entropy by Newton's method with backtracking, as
// Lin, Lin & Weng (2007) recommend.
//
// Above SharedRows values (a large training set, where it is run for every label of every procedure:
// at 30k rows and 180 labels, 30 % of a training's time before this), each candidate's cross-entropy
// is computed with one exponential a value instead of four, as Σ log(1 + e^−z) + (1 − t)·z, its sigmoids
// kept for the next Newton step instead of computed again, and the line search stops once a step's
// predicted decrease falls below the rounding of the objective (where it used to halve 34 times, each
// a pass over the values, before giving up). The result differs from the small sets' path only in the
// last bits; that path stays as it was, so that the built-in model and the pinned figures do not move.
func fitPlatt(f []float64, y []int8) (A, B float64) { return platt(f, y, len(f) > SharedRows) }

// platt is fitPlatt, on the large sets' path or not.
func platt(f []float64, y []int8, large bool) (A, B float64) {
	var np, nn float64
	for _, v := range y {
		if v > 0 {
			np++
		} else {
			nn++
		}
	}
	hi, lo := (np+1)/(np+2), 1/(nn+2)
	target := func(i int) float64 {
		if y[i] > 0 {
			return hi
		}
		return lo
	}
	var p, pNext []float64 // large: the sigmoids at (A, B), and at the candidate being tried
	if large {
		p, pNext = make([]float64, len(f)), make([]float64, len(f))
	}
	// cross-entropy of σ(a·f + b) against the smoothed targets, computed from the logit without overflow
	obj := func(a, b float64) float64 {
		var s float64
		if large {
			for i, fi := range f {
				z := a*fi + b
				// log(1+e^−z) and σ(z) from one exponential of −|z|
				e := math.Exp(-math.Abs(z))
				l := math.Log1p(e)
				if z < 0 {
					l -= z
					pNext[i] = e / (1 + e)
				} else {
					pNext[i] = 1 / (1 + e)
				}
				s += l + (1-target(i))*z
			}
			return s
		}
		for i, fi := range f {
			z := a*fi + b
			t := target(i)
			s += t*log1pexp(-z) + (1-t)*log1pexp(z)
		}
		return s
	}
	A, B = 0, math.Log((np+1)/(nn+1))
	cur := obj(A, B)
	p, pNext = pNext, p
	for range 100 {
		var g1, g2, h11, h12, h22 float64
		for i, fi := range f {
			var pi float64
			if large {
				pi = p[i]
			} else {
				pi = sigmoid(A*fi + B)
			}
			d := pi - target(i)
			s := pi * (1 - pi)
			g1 += d * fi
			g2 += d
			h11 += s * fi * fi
			h12 += s * fi
			h22 += s
		}
		if math.Abs(g1) < 1e-6 && math.Abs(g2) < 1e-6 {
			break
		}
		h11 += 1e-12
		h22 += 1e-12
		det := h11*h22 - h12*h12
		dA := -(h22*g1 - h12*g2) / det
		dB := -(h11*g2 - h12*g1) / det
		gd := g1*dA + g2*dB
		step := 1.0
		for step >= 1e-10 {
			if large && -step*gd < 1e-13*math.Abs(cur) {
				step = 0 // no representable decrease left
				break
			}
			na, nb := A+step*dA, B+step*dB
			if v := obj(na, nb); v < cur+1e-4*step*gd {
				A, B, cur = na, nb, v
				p, pNext = pNext, p
				break
			}
			step /= 2
		}
		if step < 1e-10 {
			break
		}
	}
	if math.IsNaN(A) || math.IsNaN(B) || math.IsInf(A, 0) || math.IsInf(B, 0) {
		return 1, 0
	}
	return A, B
}
