package vec

import (
	"fmt"
	"math"
	"slices"
)

// Vector is a sparse vector: Val[i] is the value at feature Ind[i]. Ind is strictly increasing.
type Vector struct {
	Ind []int32
	Val []float32
}

// Len returns the number of stored (non-zero) entries.
func (v Vector) Len() int { return len(v.Ind) }

// Norm returns the Euclidean (L2) norm of v, accumulated in float64.
func (v Vector) Norm() float64 {
	var s float64
	for _, x := range v.Val {
		s += float64(x) * float64(x)
	}
	return math.Sqrt(s)
}

// Normalize scales v in place to unit L2 norm. The zero vector stays zero (no NaN), so that an article with
// no known term has similarity 0 with everything.
func (v Vector) Normalize() {
	n := v.Norm()
	if n == 0 {
		return
	}
	inv := float32(1 / n)
	for i := range v.Val {
		v.Val[i] *= inv
	}
}

// Dot returns the dot product of two sparse vectors by merging their sorted indices.
func Dot(a, b Vector) float64 {
	var s float64
	i, j := 0, 0
	for i < len(a.Ind) && j < len(b.Ind) {
		switch {
		case a.Ind[i] < b.Ind[j]:
			i++
		case a.Ind[i] > b.Ind[j]:
			j++
		default:
			s += float64(a.Val[i]) * float64(b.Val[j])
			i++
			j++
		}
	}
	return s
}

// DotDense returns Σ v[i]·w[i] for a dense weight vector w, as a linear model's decision function needs.
// Indices of v beyond len(w) are ignored, so a vector from a larger vocabulary cannot index out of range.
func DotDense(v Vector, w []float32) float64 {
	var s float64
	for k, i := range v.Ind {
		if int(i) < len(w) {
			s += float64(v.Val[k]) * float64(w[i])
		}
	}
	return s
}

// Matrix is a CSR matrix: row r has its entries in Ind[Ptr[r]:Ptr[r+1]] and Val[Ptr[r]:Ptr[r+1]].
// Cols is the number of features (the vocabulary size).
type Matrix struct {
	Ptr  []int64
	Ind  []int32
	Val  []float32
	Cols int
}

// NewMatrix returns an empty matrix with cols columns, ready for AppendRow.
func NewMatrix(cols int) *Matrix { return &Matrix{Ptr: []int64{0}, Cols: cols} }

// Rows returns the number of rows.
func (m *Matrix) Rows() int { return len(m.Ptr) - 1 }

// NNZ returns the number of stored entries.
func (m *Matrix) NNZ() int { return len(m.Ind) }

// Row returns row r as a Vector that aliases the matrix storage: callers must not modify it.
func (m *Matrix) Row(r int) Vector {
	a, b := m.Ptr[r], m.Ptr[r+1]
	return Vector{Ind: m.Ind[a:b:b], Val: m.Val[a:b:b]}
}

// AppendRow copies v as a new last row. It panics if v has an index outside [0, Cols) or unsorted indices,
// which is a programmer error in the caller.
func (m *Matrix) AppendRow(v Vector) {
	prev := int32(-1)
	for _, i := range v.Ind {
		if i <= prev || int(i) >= m.Cols {
			panic(fmt.Sprintf("vec: AppendRow: index %d out of order or outside [0,%d)", i, m.Cols))
		}
		prev = i
	}
	m.Ind = append(m.Ind, v.Ind...)
	m.Val = append(m.Val, v.Val...)
	m.Ptr = append(m.Ptr, int64(len(m.Ind)))
}

// Subset returns a new matrix made of the given rows, in the given order (cross-validation folds use it).
func (m *Matrix) Subset(rows []int) *Matrix {
	var nnz int64
	for _, r := range rows {
		nnz += m.Ptr[r+1] - m.Ptr[r]
	}
	out := &Matrix{Ptr: make([]int64, 1, len(rows)+1), Ind: make([]int32, 0, nnz), Val: make([]float32, 0, nnz), Cols: m.Cols}
	for _, r := range rows {
		row := m.Row(r)
		out.Ind = append(out.Ind, row.Ind...)
		out.Val = append(out.Val, row.Val...)
		out.Ptr = append(out.Ptr, int64(len(out.Ind)))
	}
	return out
}

// AppendCounts sorts ids (it reorders them) and appends each distinct id to dst and its number of
// occurrences to cnt: term ids of a document become its (term, count) pairs.
func AppendCounts(dst, cnt, ids []int32) ([]int32, []int32) {
	slices.Sort(ids)
	for i := 0; i < len(ids); {
		j := i + 1
		for j < len(ids) && ids[j] == ids[i] {
			j++
		}
		dst = append(dst, ids[i])
		cnt = append(cnt, int32(j-i))
		i = j
	}
	return dst, cnt
}
