package classify

import (
	"fmt"
	"math"
	"slices"

	"github.com/depeche/depeche/vec"
)

// checkMatrix verifies the CSR invariants that the solvers rely on: row pointers in order, feature
// indices strictly increasing within a row and inside [0, Cols), finite values.
func checkMatrix(x *vec.Matrix) error {
	if x == nil || len(x.Ptr) < 2 {
		return ErrNoRows
	}
	if x.Ptr[0] != 0 || x.Ptr[len(x.Ptr)-1] != int64(len(x.Ind)) || len(x.Ind) != len(x.Val) {
		return fmt.Errorf("%w: row pointers do not match %d indices and %d values", ErrBadMatrix, len(x.Ind), len(x.Val))
	}
	for r := 0; r < x.Rows(); r++ {
		a, b := x.Ptr[r], x.Ptr[r+1]
		if a > b {
			return fmt.Errorf("%w: row %d: row pointers decrease", ErrBadMatrix, r)
		}
		prev := int32(-1)
		for k := a; k < b; k++ {
			f := x.Ind[k]
			if f <= prev || int(f) >= x.Cols {
				return fmt.Errorf("%w: row %d: feature index %d out of order or outside [0,%d)", ErrBadMatrix, r, f, x.Cols)
			}
			prev = f
			if v := float64(x.Val[k]); math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%w: row %d: feature %d has value %g", ErrBadMatrix, r, f, v)
			}
		}
	}
	return nil
}

// targets is the label side of a training set: the sorted labels and, per label, +1 or −1 per row.
type targets struct {
	labels []string
	y      [][]int8 // y[l][i]
	count  []int    // positives per label
	nlab   []int    // number of labels of each row
}

// indexLabels turns the label sets of y into ±1 targets, over the labels of y or over only (when not nil).
func indexLabels(y [][]string, only []string) (*targets, error) {
	var labels []string
	if only != nil {
		labels = slices.Clone(only)
		slices.Sort(labels)
		for i, l := range labels {
			if l == "" {
				return nil, fmt.Errorf("%w in Options.Labels", ErrEmptyLabel)
			}
			if i > 0 && labels[i-1] == l {
				return nil, fmt.Errorf("%w: Labels lists %q twice", ErrBadOption, l)
			}
		}
	} else {
		set := map[string]bool{}
		for _, ls := range y {
			for _, l := range ls {
				set[l] = true
			}
		}
		for l := range set {
			labels = append(labels, l)
		}
		slices.Sort(labels)
	}
	for i, ls := range y {
		if slices.Contains(ls, "") {
			return nil, fmt.Errorf("%w: row %d", ErrEmptyLabel, i)
		}
	}
	if len(labels) < 2 {
		return nil, fmt.Errorf("%w: got %d (%q); a model needs at least two themes to tell apart", ErrFewLabels, len(labels), labels)
	}
	pos := make(map[string]int, len(labels))
	for l, s := range labels {
		pos[s] = l
	}
	t := &targets{labels: labels, y: make([][]int8, len(labels)), count: make([]int, len(labels)), nlab: make([]int, len(y))}
	for l := range t.y {
		t.y[l] = make([]int8, len(y))
		for i := range t.y[l] {
			t.y[l][i] = -1
		}
	}
	for i, ls := range y {
		for _, s := range ls {
			if l, ok := pos[s]; ok && t.y[l][i] < 0 { // a label listed twice counts once
				t.y[l][i] = 1
				t.count[l]++
				t.nlab[i]++
			}
		}
	}
	for l, c := range t.count {
		if c == 0 {
			return nil, fmt.Errorf("%w: %q", ErrNoPositive, labels[l])
		}
	}
	return t, nil
}

// exclusive reports whether every one of rows has exactly one label and at least two labels occur: then
// the data is single-label, and a model trained on it predicts exactly one label.
func (t *targets) exclusive(rows []int) bool {
	seen := -1
	several := false
	for _, i := range rows {
		if t.nlab[i] != 1 {
			return false
		}
		if !several {
			for l := range t.y {
				if t.y[l][i] > 0 {
					if seen >= 0 && seen != l {
						several = true
					}
					seen = l
					break
				}
			}
		}
	}
	return several
}
