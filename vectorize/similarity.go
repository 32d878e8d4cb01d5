package vectorize

import (
	"runtime"
	"sync"

	"github.com/depeche/depeche/vec"
)

// Cosine returns the cosine similarity of two vectors, 0 when either is the zero vector (never NaN, unlike
// nlp's pairwise.CosineSimilarity), clamped to [0,1] for non-negative vectors against rounding.
func Cosine(a, b vec.Vector) float64 {
	na, nb := a.Norm(), b.Norm()
	if na == 0 || nb == 0 {
		return 0
	}
	return clamp01(vec.Dot(a, b) / (na * nb))
}

// clamp01 keeps a cosine of unit vectors in [0, 1] against rounding. search has the same rule for its
// Hits, unexported there; the two are four lines each and exporting one would make search's API carry it.
func clamp01(x float64) float64 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// CosineMatrix returns the n×n cosine similarity matrix of the rows of m, which must be L2-normalised (as
// Vectorizer gives them). The diagonal is 1 (0 for a zero row); values are in [0,1]; the result is
// symmetric.
//
// It computes X·Xᵀ through an inverted index of the columns: for row i, only the rows sharing a term with
// it are touched, and only pairs j ≥ i are computed, in parallel over rows. This avoids both the nearly
// dense sparse product and the O(n²) pair loop of pairwise.CosineSimilarity.
func CosineMatrix(m *vec.Matrix) [][]float32 {
	n := m.Rows()
	// postings: for each feature, the rows that have it and the value, rows ascending
	counts := make([]int32, m.Cols+1)
	for _, f := range m.Ind {
		counts[f+1]++
	}
	for f := 1; f <= m.Cols; f++ {
		counts[f] += counts[f-1]
	}
	prow := make([]int32, len(m.Ind))
	pval := make([]float32, len(m.Ind))
	fill := append([]int32(nil), counts[:m.Cols]...)
	for r := 0; r < n; r++ {
		row := m.Row(r)
		for k, f := range row.Ind {
			p := fill[f]
			prow[p], pval[p] = int32(r), row.Val[k]
			fill[f]++
		}
	}
	out := make([][]float32, n)
	backing := make([]float32, n*n)
	for i := range out {
		out[i] = backing[i*n : (i+1)*n]
	}
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	next := make(chan int, 64)
	go func() {
		for i := 0; i < n; i++ {
			next <- i
		}
		close(next)
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				acc := out[i]
				row := m.Row(i)
				for k, f := range row.Ind {
					x := row.Val[k]
					lo, hi := counts[f], counts[f+1]
					// rows in a posting list are ascending: skip those before i
					for p := searchFrom(prow[lo:hi], int32(i)) + lo; p < hi; p++ {
						acc[prow[p]] += x * pval[p]
					}
				}
			}
		}()
	}
	wg.Wait()
	for i := 0; i < n; i++ {
		zero := m.Ptr[i+1] == m.Ptr[i]
		for j := i; j < n; j++ {
			v := out[i][j]
			if v > 1 {
				v = 1
			}
			if j == i && !zero {
				v = 1
			}
			out[i][j], out[j][i] = v, v
		}
	}
	return out
}

// searchFrom returns the first index of rows (ascending) whose value is ≥ r.
func searchFrom(rows []int32, r int32) int32 {
	lo, hi := 0, len(rows)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if rows[mid] < r {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return int32(lo)
}
