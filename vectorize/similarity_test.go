package vectorize

import (
	"math"
	"testing"

	"github.com/depeche/depeche/vec"
)

func TestCosineMatrix(t *testing.T) {
	v := NewVectorizer(MustAnalyzer(Options{}))
	v.MinDF = 1
	docs := append(append([]string(nil), smallCorpus...), "xyzzy")
	m, err := v.FitTransform(docs)
	if err != nil {
		t.Fatal(err)
	}
	got := CosineMatrix(m)
	n := m.Rows()
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x := float64(got[i][j])
			if x < 0 || x > 1 || math.IsNaN(x) {
				t.Fatalf("[%d][%d] = %g outside [0,1]", i, j, x)
			}
			if got[i][j] != got[j][i] {
				t.Fatalf("not symmetric at [%d][%d]", i, j)
			}
			want := 1.0
			if i != j || m.Row(i).Len() == 0 {
				want = Cosine(m.Row(i), m.Row(j))
			}
			if math.Abs(x-want) > 1e-5 {
				t.Fatalf("[%d][%d] = %g, pairwise cosine %g", i, j, x, want)
			}
		}
	}
	// the two terrorism dispatches are each other's nearest
	if got[0][1] <= got[0][2] || got[0][1] <= got[0][3] {
		t.Errorf("row 0: %v", got[0])
	}
}

func TestCosineZero(t *testing.T) {
	if c := Cosine(vec.Vector{}, vec.Vector{Ind: []int32{1}, Val: []float32{1}}); c != 0 {
		t.Errorf("cosine with the zero vector = %g, want 0", c)
	}
}

func TestClusterOrder(t *testing.T) {
	// two blocks {0,2,4} and {1,3}: the order must keep each block contiguous
	s := [][]float32{
		{1, 0.1, 0.9, 0.1, 0.8},
		{0.1, 1, 0.1, 0.9, 0.1},
		{0.9, 0.1, 1, 0.1, 0.85},
		{0.1, 0.9, 0.1, 1, 0.1},
		{0.8, 0.1, 0.85, 0.1, 1},
	}
	order := ClusterOrder(s)
	if len(order) != 5 {
		t.Fatalf("order %v", order)
	}
	pos := map[int]int{}
	for i, o := range order {
		pos[o] = i
	}
	if d := pos[1] - pos[3]; d != 1 && d != -1 {
		t.Errorf("order %v splits {1,3}", order)
	}
	seen := map[int]bool{}
	for _, o := range order {
		if seen[o] {
			t.Fatalf("order %v repeats %d", order, o)
		}
		seen[o] = true
	}
}
