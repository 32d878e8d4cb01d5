package vec

import (
	"math"
	"testing"
)

func TestDot(t *testing.T) {
	a := Vector{Ind: []int32{0, 2, 5}, Val: []float32{1, 2, 3}}
	b := Vector{Ind: []int32{2, 3, 5}, Val: []float32{4, 1, -1}}
	tests := []struct {
		name string
		x, y Vector
		want float64
	}{
		{"overlap", a, b, 2*4 + 3*-1},
		{"empty", a, Vector{}, 0},
		{"self", a, a, 14},
	}
	for _, tc := range tests {
		if got := Dot(tc.x, tc.y); got != tc.want {
			t.Errorf("%s: %g, want %g", tc.name, got, tc.want)
		}
	}
	if got := DotDense(a, []float32{1, 1, 1}); got != 3 { // index 5 is beyond the weights
		t.Errorf("DotDense = %g, want 3", got)
	}
}

func TestNormalize(t *testing.T) {
	v := Vector{Ind: []int32{1, 4}, Val: []float32{3, 4}}
	v.Normalize()
	if math.Abs(v.Norm()-1) > 1e-6 || v.Val[0] != 0.6 {
		t.Errorf("normalised %v", v.Val)
	}
	z := Vector{}
	z.Normalize()
	if z.Norm() != 0 {
		t.Error("the zero vector changed")
	}
}

func TestMatrix(t *testing.T) {
	m := NewMatrix(4)
	m.AppendRow(Vector{Ind: []int32{0, 3}, Val: []float32{1, 2}})
	m.AppendRow(Vector{})
	m.AppendRow(Vector{Ind: []int32{1}, Val: []float32{5}})
	if m.Rows() != 3 || m.NNZ() != 3 || m.Row(1).Len() != 0 || m.Row(2).Val[0] != 5 {
		t.Fatalf("matrix %+v", m)
	}
	s := m.Subset([]int{2, 0})
	if s.Rows() != 2 || s.Row(0).Ind[0] != 1 || s.Row(1).Len() != 2 {
		t.Fatalf("subset %+v", s)
	}
	defer func() {
		if recover() == nil {
			t.Error("an unsorted row was accepted")
		}
	}()
	m.AppendRow(Vector{Ind: []int32{2, 1}, Val: []float32{1, 1}})
}
