package classify

import (
	"math"
	"testing"

	"github.com/depeche/depeche/vec"
)

// FuzzFit builds a small matrix and label sets from bytes (possibly malformed: unsorted or out-of-range
// indices, NaN or infinite values, empty labels) and checks that Fit and CrossValidate return an error or a
// model whose scores are all in [0,1], never a panic.
func FuzzFit(f *testing.F) {
	f.Add([]byte{3, 4, 0, 1, 10, 1, 2, 20, 2, 0, 30, 3, 3, 40}, uint8(0))
	f.Add([]byte{5, 2, 1, 0, 255, 1, 1, 1, 2, 0, 0, 3, 1, 7, 4, 0, 9}, uint8(1))
	f.Add([]byte{2, 3, 2, 9, 1, 0, 0, 0}, uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, flags uint8) {
		if len(data) < 2 {
			return
		}
		rows, cols := int(data[0]%9), int(data[1]%7)
		data = data[2:]
		x := &vec.Matrix{Ptr: []int64{0}, Cols: cols}
		labels := []string{"a", "b", "c", ""}
		var y [][]string
		for r := 0; r < rows; r++ {
			var ls []string
			if len(data) > 0 {
				b := data[0]
				data = data[1:]
				for l := range 4 {
					if b&(1<<l) != 0 && (l < 3 || flags&4 != 0) {
						ls = append(ls, labels[l])
					}
				}
				for k := 0; k < int(b>>5) && len(data) >= 2; k++ {
					x.Ind = append(x.Ind, int32(data[0]%8)) // may be unsorted or ≥ cols
					v := float32(data[1]) / 32
					switch data[1] {
					case 255:
						v = float32(math.NaN())
					case 254:
						v = float32(math.Inf(1))
					}
					x.Val = append(x.Val, v)
					data = data[2:]
				}
			}
			x.Ptr = append(x.Ptr, int64(len(x.Ind)))
			y = append(y, ls)
		}
		opt := Options{Algo: []Algo{LogReg, NB}[flags&1], ThresholdFolds: int(flags>>4) % 4, Workers: 2}
		if flags&2 != 0 {
			opt.Groups = make([]int, rows)
			for i := range opt.Groups {
				opt.Groups[i] = i / 2
			}
		}
		m, err := Fit(x, y, opt)
		if err != nil {
			return
		}
		for r := range rows {
			for _, s := range m.Scores(x.Row(r)) {
				if !(s >= 0 && s <= 1) {
					t.Fatalf("row %d: score %g", r, s)
				}
			}
			m.Predict(x.Row(r))
			m.Explain(x.Row(r), 0, 3)
		}
		if rep, err := CrossValidate(x, y, opt, 3); err == nil {
			for _, v := range []float64{rep.MicroF1, rep.MacroF1, rep.Accuracy} {
				if !(v >= 0 && v <= 1) {
					t.Fatalf("report %+v", rep)
				}
			}
		}
	})
}
