package classify

import (
	"math"

	"github.com/depeche/depeche/vec"
)

// fitLogReg solves the L2-regularised logistic regression of one label by dual coordinate descent
// (Yu, Huang & Lin 2011; liblinear's solve_l2r_lr_dual), on the given rows, with a regularised bias
// feature of value 1. It returns the weights as float32 (the model's storage) and the bias.
func fitLogReg(x *vec.Matrix, y []int8, rows []int, C float64, seed uint64) ([]float32, float32) {
	const (
		eps          = 0.01 // stop when the largest projected gradient falls below eps × its first value
		maxIter      = 200
		maxInnerIter = 100
		innerEpsMin  = 1e-8
	)
	n := len(rows)
	w := make([]float64, x.Cols)
	var wb float64 // bias weight
	alpha := make([]float64, 2*n)
	xTx := make([]float64, n)
	for j, i := range rows {
		row := x.Row(i)
		var s float64
		for _, v := range row.Val {
			s += float64(v) * float64(v)
		}
		xTx[j] = s + 1 // the bias feature
		alpha[2*j] = min(0.001*C, 1e-8)
		alpha[2*j+1] = C - alpha[2*j]
		yi := float64(y[i])
		for k, f := range row.Ind {
			w[f] += yi * alpha[2*j] * float64(row.Val[k])
		}
		wb += yi * alpha[2*j]
	}
	r := newRand(seed, 0x10)
	order := make([]int, n)
	for j := range order {
		order[j] = j
	}
	innerEps := 1e-2
	gInit := -1.0
	for iter := 0; iter < maxIter; iter++ {
		r.shuffle(order)
		gMax := 0.0
		for _, j := range order {
			i := rows[j]
			row := x.Row(i)
			yi := float64(y[i])
			a := xTx[j]
			dot := wb
			for k, f := range row.Ind {
				dot += w[f] * float64(row.Val[k])
			}
			b := yi * dot
			ind1, ind2, sign := 2*j, 2*j+1, 1.0
			if 0.5*a*(alpha[ind2]-alpha[ind1])+b < 0 {
				ind1, ind2, sign = 2*j+1, 2*j, -1.0
			}
			alphaOld := alpha[ind1]
			z := alphaOld
			if C-z < 0.5*C {
				z *= 0.1
			}
			gp := a*(z-alphaOld) + sign*b + math.Log(z/(C-z))
			gMax = math.Max(gMax, math.Abs(gp))
			inner := 0
			for ; inner <= maxInnerIter; inner++ {
				if math.Abs(gp) < innerEps {
					break
				}
				gpp := a + C/(C-z)/z
				tmp := z - gp/gpp
				if tmp <= 0 {
					z *= 0.1
				} else {
					z = tmp
				}
				gp = a*(z-alphaOld) + sign*b + math.Log(z/(C-z))
			}
			if inner > 0 {
				alpha[ind1], alpha[ind2] = z, C-z
				d := sign * (z - alphaOld) * yi
				for k, f := range row.Ind {
					w[f] += d * float64(row.Val[k])
				}
				wb += d
			}
		}
		if gInit < 0 {
			gInit = gMax
		}
		if gMax <= eps*gInit {
			break
		}
		innerEps = math.Max(innerEpsMin, 0.1*innerEps)
	}
	out := make([]float32, len(w))
	for f, v := range w {
		out[f] = float32(v)
	}
	return out, float32(wb)
}

// fitNB returns the log-likelihood-ratio weights and log prior ratio of multinomial naive Bayes for one
// label (positive vs negative rows) with smoothing alpha.
func fitNB(x *vec.Matrix, y []int8, rows []int, alpha float64) ([]float32, float32) {
	pos := make([]float64, x.Cols)
	neg := make([]float64, x.Cols)
	var npos, nneg, tpos, tneg float64
	for _, i := range rows {
		row := x.Row(i)
		acc, tot := neg, &tneg
		if y[i] > 0 {
			acc, tot = pos, &tpos
			npos++
		} else {
			nneg++
		}
		for k, f := range row.Ind {
			acc[f] += float64(row.Val[k])
			*tot += float64(row.Val[k])
		}
	}
	V := float64(x.Cols)
	w := make([]float32, x.Cols)
	lp, ln := math.Log(tpos+alpha*V), math.Log(tneg+alpha*V)
	for f := range w {
		w[f] = float32(math.Log(pos[f]+alpha) - lp - math.Log(neg[f]+alpha) + ln)
	}
	b := math.Log((npos + 1) / (nneg + 1))
	return w, float32(b)
}

// fitPlatt fits σ(A·f + B) to binary targets by Newton's method on the log loss, with Platt's (1999)
// smoothed targets (N₊+1)/(N₊+2) and 1/(N₋+2) against over-confidence.
func fitPlatt(f []float64, y []int8) (float64, float64) {
	var np, nn float64
	for _, v := range y {
		if v > 0 {
			np++
		} else {
			nn++
		}
	}
	hi, lo := (np+1)/(np+2), 1/(nn+2)
	A, B := 0.0, math.Log((np+1)/(nn+1))
	for iter := 0; iter < 100; iter++ {
		var g1, g2, h11, h12, h22 float64
		for i, fi := range f {
			t := lo
			if y[i] > 0 {
				t = hi
			}
			p := sigmoid(A*fi + B)
			d := p - t
			s := math.Max(p*(1-p), 1e-12)
			g1 += d * fi
			g2 += d
			h11 += s * fi * fi
			h12 += s * fi
			h22 += s
		}
		h11 += 1e-9
		h22 += 1e-9
		det := h11*h22 - h12*h12
		if det == 0 {
			break
		}
		dA := (h22*g1 - h12*g2) / det
		dB := (h11*g2 - h12*g1) / det
		A -= dA
		B -= dB
		if math.Abs(dA) < 1e-9 && math.Abs(dB) < 1e-9 {
			break
		}
	}
	if math.IsNaN(A) || math.IsNaN(B) {
		return 1, 0
	}
	return A, B
}

// chooseThreshold returns the threshold in [0.05, 0.9] that maximises F1 of the scores against the
// targets over the rows where use is true (nil: all); 0.5 when fewer than 3 positives.
func chooseThreshold(scores []float64, y []int8, use []bool) float32 {
	type sy struct {
		s   float64
		pos bool
	}
	var v []sy
	npos := 0
	for i, s := range scores {
		if use != nil && !use[i] {
			continue
		}
		v = append(v, sy{s, y[i] > 0})
		if y[i] > 0 {
			npos++
		}
	}
	if npos < 3 {
		return 0.5
	}
	// sort by descending score; predicting the first j rows positive gives tp(j), fp(j)
	sortDesc(v, func(a, b sy) bool { return a.s > b.s })
	bestF, bestT := -1.0, 0.5
	tp, fp := 0, 0
	for j := 0; j < len(v); j++ {
		if v[j].pos {
			tp++
		} else {
			fp++
		}
		if j+1 < len(v) && v[j+1].s == v[j].s {
			continue
		}
		t := v[j].s
		if t < 0.05 || t > 0.9 {
			continue
		}
		f1 := 2 * float64(tp) / float64(2*tp+fp+(npos-tp))
		if f1 > bestF {
			// the midpoint to the next lower score generalises better than the score itself
			next := 0.05
			if j+1 < len(v) {
				next = math.Max(0.05, v[j+1].s)
			}
			bestF, bestT = f1, (t+next)/2
		}
	}
	return float32(bestT)
}
