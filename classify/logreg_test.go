package classify

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/depeche/depeche/vec"
	"gonum.org/v1/gonum/floats/scalar"
)

// primal returns the logreg objective ½‖w‖² + ½b² + C Σ log(1 + exp(−y_i(w·x_i + b))) over all rows of x.
func primal(x *vec.Matrix, y []int8, C float64, w []float64, b float64) float64 {
	s := b * b / 2
	for _, v := range w {
		s += v * v / 2
	}
	for i := range x.Rows() {
		s += C * log1pexp(-float64(y[i])*(dot64(x.Row(i), w)+b))
	}
	return s
}

func dot64(v vec.Vector, w []float64) float64 {
	var s float64
	for k, f := range v.Ind {
		s += float64(v.Val[k]) * w[f]
	}
	return s
}

// gradientDescent minimises the same objective by plain gradient descent with step 1/L, where
// L = 1 + C/4 · Σ_i (‖x_i‖² + 1) bounds the Hessian: slow, simple, and a reference independent of the
// dual solver. It stops when the gradient norm falls below 1e-9.
func gradientDescent(x *vec.Matrix, y []int8, C float64) ([]float64, float64, int) {
	L := 1.0
	for i := range x.Rows() {
		n := x.Row(i).Norm()
		L += C / 4 * (n*n + 1)
	}
	w := make([]float64, x.Cols)
	g := make([]float64, x.Cols)
	var b float64
	it := 0
	for ; it < 200000; it++ {
		copy(g, w)
		gb := b
		for i := range x.Rows() {
			row := x.Row(i)
			yi := float64(y[i])
			c := -C * yi * sigmoid(-yi*(dot64(row, w)+b))
			for k, f := range row.Ind {
				g[f] += c * float64(row.Val[k])
			}
			gb += c
		}
		norm := gb * gb
		for _, v := range g {
			norm += v * v
		}
		if math.Sqrt(norm) < 1e-9 {
			break
		}
		for f := range w {
			w[f] -= g[f] / L
		}
		b -= gb / L
	}
	return w, b, it
}

// The dual coordinate descent must reach the primal optimum that gradient descent finds, within the
// tolerance of its stopping rule, on a noisy (not separable) problem and on a separable one.
func TestLogRegObjective(t *testing.T) {
	noisyX, noisyY := synthCorpus(3, 300, 500, 20, 2)
	sepX, sepY := separable(5, 150)
	for _, tc := range []struct {
		name string
		x    *vec.Matrix
		y    [][]string
		C    float64
	}{
		{"noisy C=1", noisyX, noisyY, 1},
		{"noisy C=10", noisyX, noisyY, 10},
		{"separable C=10", sepX, sepY, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tg, err := indexLabels(tc.y, nil)
			if err != nil {
				t.Fatal(err)
			}
			y := tg.y[0]
			rows := make([]int, tc.x.Rows())
			for i := range rows {
				rows[i] = i
			}
			w32, b32, _, st := fitLogReg(tc.x, y, rows, tc.C, newRand(1, 2), nil)
			if st.Passes >= lrMaxPasses || st.Gap >= lrGap {
				t.Errorf("did not converge: %+v", st)
			}
			w := make([]float64, len(w32))
			for f, v := range w32 {
				w[f] = float64(v)
			}
			got := primal(tc.x, y, tc.C, w, float64(b32))
			ref, refB, it := gradientDescent(tc.x, y, tc.C)
			want := primal(tc.x, y, tc.C, ref, refB)
			t.Logf("dual CD: %d passes, objective %.6f; gradient descent: %d steps, %.6f", st.Passes, got, it, want)
			if !scalar.EqualWithinAbsOrRel(got, want, 1e-9, 1e-3) || got < want-1e-6 {
				t.Errorf("dual CD objective %g, gradient descent %g", got, want)
			}
			// strong convexity: ½‖w − w*‖² ≤ P(w) − P(w*)
			var d2 float64
			for f := range w {
				d2 += (w[f] - ref[f]) * (w[f] - ref[f])
			}
			d2 += (float64(b32) - refB) * (float64(b32) - refB)
			if d2/2 > got-want+1e-6 {
				t.Errorf("‖w − w*‖²/2 = %g exceeds the objective gap %g", d2/2, got-want)
			}
		})
	}
}

func TestNB(t *testing.T) {
	// Two features, rows: (1,0)+ (1,1)+ (0,1)− ; alpha 1, V 2.
	x := vec.NewMatrix(2)
	x.AppendRow(vec.Vector{Ind: []int32{0}, Val: []float32{1}})
	x.AppendRow(vec.Vector{Ind: []int32{0, 1}, Val: []float32{1, 1}})
	x.AppendRow(vec.Vector{Ind: []int32{1}, Val: []float32{1}})
	y := []int8{1, 1, -1}
	w, b := fitNB(x, y, []int{0, 1, 2}, 1)
	// θ⁺ = ((2+1)/(3+2), (1+1)/(3+2)) = (0.6, 0.4); θ⁻ = ((0+1)/(1+2), (1+1)/(1+2)) = (1/3, 2/3)
	want := []float64{math.Log(0.6 / (1.0 / 3)), math.Log(0.4 / (2.0 / 3))}
	for f := range w {
		if !scalar.EqualWithinAbsOrRel(float64(w[f]), want[f], 1e-6, 1e-6) {
			t.Errorf("w[%d] = %g, want %g", f, w[f], want[f])
		}
	}
	if wb := math.Log(3.0 / 2); !scalar.EqualWithinAbsOrRel(float64(b), wb, 1e-6, 1e-6) {
		t.Errorf("b = %g, want %g", b, wb)
	}
}

// Platt scaling recovers the sigmoid that generated the labels.
func TestPlatt(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	const A, B = 2.0, -1.0
	f := make([]float64, 20000)
	y := make([]int8, len(f))
	for i := range f {
		f[i] = r.NormFloat64() * 2
		y[i] = -1
		if r.Float64() < sigmoid(A*f[i]+B) {
			y[i] = 1
		}
	}
	a, b := fitPlatt(f, y)
	if !scalar.EqualWithinAbs(a, A, 0.1) || !scalar.EqualWithinAbs(b, B, 0.1) {
		t.Errorf("A, B = %.3f, %.3f, want %g, %g", a, b, A, B)
	}
	// the large sets' path finds the same optimum, to rounding, on noisy and on separable values
	for _, sep := range []bool{false, true} {
		g := make([]float64, 3*SharedRows/2)
		h := make([]int8, len(g))
		for i := range g {
			g[i] = r.NormFloat64() * 2
			h[i] = -1
			if (sep && g[i] > 0.3) || (!sep && r.Float64() < sigmoid(A*g[i]+B)) {
				h[i] = 1
			}
		}
		a0, b0 := platt(g, h, false)
		a1, b1 := platt(g, h, true)
		if !scalar.EqualWithinRel(a0, a1, 1e-6) || !scalar.EqualWithinRel(b0, b1, 1e-6) {
			t.Errorf("separable %v: A, B = %g, %g on the large sets' path, %g, %g on the other", sep, a1, b1, a0, b0)
		}
	}
	// separable decision values: finite parameters, thanks to the smoothed targets
	a, b = fitPlatt([]float64{-3, -2, -1, 1, 2, 3}, []int8{-1, -1, -1, 1, 1, 1})
	if math.IsInf(a, 0) || math.IsNaN(a) || a <= 0 || math.IsNaN(b) {
		t.Errorf("separable: A, B = %g, %g", a, b)
	}
	// constant decision values: A stays finite, B gives the base rate
	a, b = fitPlatt([]float64{0, 0, 0, 0}, []int8{1, -1, -1, -1})
	if math.IsNaN(a) || math.IsNaN(b) || sigmoid(b) > 0.5 {
		t.Errorf("constant: A, B = %g, %g", a, b)
	}
}
