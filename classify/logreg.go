package classify

import (
	"math"
	"math/rand/v2"

	"github.com/depeche/depeche/vec"
)

// Stopping rule of the dual coordinate descent.
const (
	// lrGap: stop when the duality gap P(w) − D(α) falls below this share of P(w). Since the optimum P*
	// lies between D(α) and P(w), the objective at the stop is then within 0.1 % of the optimum
	// (TestLogRegObjective checks it against gradient descent).
	lrGap = 1e-3
	// lrCheck: each pass estimates the gap from the losses at the margins computed while visiting the
	// rows (stale by the end of the pass, which overstates the gap about tenfold on the benchmark corpus);
	// below lrCheck, the exact gap is computed, at the cost of one sequential pass of dot products (about
	// a fifth of a coordinate descent pass, which visits the rows in random order).
	lrCheck = 0.05
	// lrMaxPasses bounds the passes over the rows: a safety net, not the usual way out.
	lrMaxPasses = 500
)

// lrStats reports how a dual coordinate descent run ended (tests and benchmarks read it).
type lrStats struct {
	Passes int     // passes over the rows
	Gap    float64 // relative duality gap at the end (exact when below lrCheck)
}

// fitLogReg solves the L2-regularised logistic regression of one label on the given rows of x,
//
//	min_w  ½‖w‖² + ½b² + C Σ_i log(1 + exp(−y_i (w·x_i + b))),
//
// where the bias b is the weight of a constant feature 1 (regularised, as liblinear's -B 1), by the dual
// coordinate descent of Yu, Huang & Lin (2011), liblinear's solve_l2r_lr_dual (-s 7). The dual is
//
//	min_α  ½ αᵀQα + Σ_i [α_i ln α_i + (C − α_i) ln(C − α_i)],  0 < α_i < C,  Q_ij = y_i y_j (x_i·x_j + 1),
//
// with w = Σ_i α_i y_i x_i; each step minimises it in one α_i by a few Newton steps, visiting the rows in
// an order shuffled each pass by r. init, when not nil, is a starting point: the pairs (α_j, C − α_j) of
// the rows, in the order of rows, strictly inside (0, C), as the returned dual solution is (a warm start
// from the solutions of overlapping problems). Without it, every α starts near 0 (liblinear's start). It keeps w in float32 (the model's storage; half the cache footprint
// of float64) and accumulates dot products in float64. y holds ±1 per row of x (indexed by row, not by
// position in rows).
func fitLogReg(x *vec.Matrix, y []int8, rows []int, C float64, r *rand.Rand, init []float64) ([]float32, float32, []float64, lrStats) {
	const innerEpsMin = 1e-8
	n := len(rows)
	w := make([]float32, x.Cols)
	if n == 0 {
		return w, 0, nil, lrStats{}
	}
	var wb float64 // the bias weight
	// alpha[2j] is α of the j-th row, alpha[2j+1] is C − α, kept apart for precision near the bounds.
	alpha := make([]float64, 2*n)
	xTx := make([]float64, n)
	for j, i := range rows {
		a, b := x.Ptr[i], x.Ptr[i+1]
		ind, val := x.Ind[a:b], x.Val[a:b]
		var s float64
		for _, v := range val {
			s += float64(v) * float64(v)
		}
		xTx[j] = s + 1 // + the bias feature
		if init != nil {
			alpha[2*j], alpha[2*j+1] = init[2*j], init[2*j+1]
		} else {
			alpha[2*j] = min(0.001*C, 1e-8)
			alpha[2*j+1] = C - alpha[2*j]
		}
		d := float64(y[i]) * alpha[2*j]
		for k, f := range ind {
			w[f] += float32(d * float64(val[k]))
		}
		wb += d
	}
	order := make([]int32, n)
	for j := range order {
		order[j] = int32(j)
	}
	innerEps := 1e-2
	var st lrStats
	for st.Passes < lrMaxPasses {
		r.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		newton := 0
		var loss float64
		for _, jj := range order {
			j := int(jj)
			i := rows[j]
			a, b := x.Ptr[i], x.Ptr[i+1]
			ind, val := x.Ind[a:b], x.Val[a:b]
			val = val[:len(ind)]
			yi := float64(y[i])
			dot := wb
			for k, f := range ind {
				dot += float64(w[f]) * float64(val[k])
			}
			A, B := xTx[j], yi*dot
			loss += log1pexp(-B)
			step, inner := lrStep(alpha[2*j:2*j+2], A, B, C, innerEps)
			newton += inner
			if inner > 0 {
				d := step * yi
				for k, f := range ind {
					w[f] += float32(d * float64(val[k]))
				}
				wb += d
			}
		}
		st.Passes++
		// Duality gap P(w) − D(α), with P = ½‖w‖² + C Σ_i log(1 + e^{−y_i w·x_i}) and
		// D = −½‖w‖² − Σ_i [α_i ln α_i + (C−α_i) ln(C−α_i) − C ln C]; P(w) − P* ≤ P(w) − D(α).
		ww := wb * wb
		for _, v := range w {
			ww += float64(v) * float64(v)
		}
		var ent float64
		for _, a := range alpha {
			ent += xlogx(a)
		}
		dual := -0.5*ww - ent + float64(n)*C*math.Log(C)
		// First an estimate, from the margins computed during the pass (stale: w moved after them), then,
		// when it is small, the exact gap, which costs one more pass of dot products.
		primal := 0.5*ww + C*loss
		st.Gap = (primal - dual) / primal
		if st.Gap < lrCheck {
			loss = 0
			for _, i := range rows {
				a, b := x.Ptr[i], x.Ptr[i+1]
				ind, val := x.Ind[a:b], x.Val[a:b]
				val = val[:len(ind)]
				dot := wb
				for k, f := range ind {
					dot += float64(w[f]) * float64(val[k])
				}
				loss += log1pexp(-float64(y[i]) * dot)
			}
			primal = 0.5*ww + C*loss
			st.Gap = (primal - dual) / primal
			if st.Gap < lrGap {
				break
			}
		}
		if newton <= n/10 {
			innerEps = math.Max(innerEpsMin, 0.1*innerEps)
		}
	}
	return w, float32(wb), alpha, st
}

// lrStep minimises the dual in the pair of one row, pair = (α, C − α), with A = x·x + 1 and B = y·(w·x + b):
// the sub-problem in z = α (or in C − α, whichever is the better conditioned),
//
//	g(z) = z ln z + (C−z) ln(C−z) + ½A(z−α_old)² + sign·B(z−α_old),
//
// by Newton steps until |g'(z)| < innerEps (liblinear's solve_l2r_lr_dual). It updates the pair when it
// moved and returns the change of α (to be multiplied by y for w) and the number of Newton steps (0: no
// move). fitLogReg and fitLogRegBlock share it, so that a label's arithmetic is the same in both.
func lrStep(pair []float64, A, B, C, innerEps float64) (float64, int) {
	const maxInnerIter = 100
	ind1, ind2, sign := 0, 1, 1.0
	if 0.5*A*(pair[ind2]-pair[ind1])+B < 0 {
		ind1, ind2, sign = 1, 0, -1.0
	}
	alphaOld := pair[ind1]
	z := alphaOld
	if C-z < 0.5*C {
		z *= 0.1
	}
	gp := A*(z-alphaOld) + sign*B + math.Log(z/(C-z))
	inner := 0
	for ; inner <= maxInnerIter; inner++ {
		if math.Abs(gp) < innerEps {
			break
		}
		gpp := A + C/(C-z)/z
		if tmp := z - gp/gpp; tmp <= 0 {
			z *= 0.1
		} else {
			z = tmp
		}
		gp = A*(z-alphaOld) + sign*B + math.Log(z/(C-z))
	}
	if inner == 0 {
		return 0, 0
	}
	pair[ind1], pair[ind2] = z, C-z
	return sign * (z - alphaOld), inner
}

// xlogx returns x ln x, and 0 at 0.
func xlogx(x float64) float64 {
	if x <= 0 {
		return 0
	}
	return x * math.Log(x)
}

// log1pexp returns ln(1 + eᵗ) without overflow.
func log1pexp(t float64) float64 {
	switch {
	case t > 35:
		return t
	case t < -35:
		return math.Exp(t)
	}
	return math.Log1p(math.Exp(t))
}

// sigmoid returns 1/(1 + e^−f) without overflow; NaN stays NaN.
func sigmoid(f float64) float64 {
	if f >= 0 {
		return 1 / (1 + math.Exp(-f))
	}
	e := math.Exp(f)
	return e / (1 + e)
}
