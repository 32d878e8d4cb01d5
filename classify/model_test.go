package classify

import (
	"cmp"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/depeche/depeche/vec"
	"gonum.org/v1/gonum/floats/scalar"
)

// handModel is a two-label model over 4 features with known weights.
func handModel() *Model {
	return &Model{
		Labels:     []string{"drogue", "terrorisme"},
		Algo:       LogReg,
		Weights:    [][]float32{{2, -1, 0, 0.5}, {-1, 3, 1, 0}},
		Bias:       []float32{-0.5, -1},
		Thresholds: []float32{0.5, 0.8},
	}
}

func TestScoresAndPredict(t *testing.T) {
	m := handModel()
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	tests := []struct {
		name   string
		v      vec.Vector
		scores []float64
		pred   []string
	}{
		{"zero vector: the bias alone", vec.Vector{}, []float64{sigmoid(-0.5), sigmoid(-1)}, nil},
		{"feature 0", vec.Vector{Ind: []int32{0}, Val: []float32{1}}, []float64{sigmoid(1.5), sigmoid(-2)}, []string{"drogue"}},
		{"features 1 and 2", vec.Vector{Ind: []int32{1, 2}, Val: []float32{0.6, 0.8}}, []float64{sigmoid(-1.1), sigmoid(1.6)}, []string{"terrorisme"}},
		{"both", vec.Vector{Ind: []int32{0, 1}, Val: []float32{1, 1}}, []float64{sigmoid(0.5), sigmoid(1)}, []string{"drogue"}},
		{"feature beyond the model: ignored", vec.Vector{Ind: []int32{0, 99}, Val: []float32{1, 5}}, []float64{sigmoid(1.5), sigmoid(-2)}, []string{"drogue"}},
		{"NaN value: score 0, not NaN", vec.Vector{Ind: []int32{0}, Val: []float32{nan}}, []float64{0, 0}, nil},
		{"infinite value", vec.Vector{Ind: []int32{1}, Val: []float32{inf}}, []float64{0, 1}, []string{"terrorisme"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := m.Scores(tc.v)
			for l := range s {
				if !scalar.EqualWithinAbsOrRel(s[l], tc.scores[l], 1e-7, 1e-7) { // float32 inputs
					t.Errorf("scores %v, want %v", s, tc.scores)
				}
			}
			if p := m.Predict(tc.v); !slices.Equal(p, tc.pred) {
				t.Errorf("Predict = %v, want %v", p, tc.pred)
			}
		})
	}
	// Exclusive: exactly the argmax, whatever the thresholds; the first label on a tie
	m.Exclusive = true
	if p := m.Predict(vec.Vector{}); !slices.Equal(p, []string{"drogue"}) {
		t.Errorf("Exclusive Predict = %v", p)
	}
	if p := m.PredictScores([]float64{0.3, 0.3}); !slices.Equal(p, []string{"drogue"}) {
		t.Errorf("Exclusive tie = %v", p)
	}
	// nb calibration: σ(A·f + B)
	m.PlattA, m.PlattB = []float32{2, 1}, []float32{0.5, -1}
	if s := m.Scores(vec.Vector{}); !near(s[0], sigmoid(2*-0.5+0.5)) || !near(s[1], sigmoid(-1-1)) {
		t.Errorf("calibrated scores %v", s)
	}
}

func TestScoresTo(t *testing.T) {
	m := handModel()
	v := vec.Vector{Ind: []int32{0, 2}, Val: []float32{0.6, 0.8}}
	dst := make([]float64, 2)
	if got := m.ScoresTo(dst, v); &got[0] != &dst[0] || !reflect.DeepEqual(got, m.Scores(v)) {
		t.Errorf("ScoresTo = %v, Scores = %v", got, m.Scores(v))
	}
	if n := testing.AllocsPerRun(100, func() { m.ScoresTo(dst, v) }); n != 0 {
		t.Errorf("ScoresTo allocates %g times", n)
	}
	defer func() {
		if recover() == nil {
			t.Error("ScoresTo with a short dst did not panic")
		}
	}()
	m.ScoresTo(dst[:1], v)
}

func TestExplain(t *testing.T) {
	m := handModel()
	v := vec.Vector{Ind: []int32{0, 1, 2, 3, 7}, Val: []float32{0.5, 0.5, 0.5, 0.5, 1}}
	tests := []struct {
		name  string
		label int
		k     int
		want  []Contribution
	}{
		// drogue: contributions 1, −0.5, 0, 0.25 (feature 7 is beyond the model): positives only, sorted
		{"drogue", 0, 5, []Contribution{{0, 1}, {3, 0.25}}},
		{"drogue top 1", 0, 1, []Contribution{{0, 1}}},
		// terrorisme: −0.5, 1.5, 0.5, 0
		{"terrorisme", 1, 3, []Contribution{{1, 1.5}, {2, 0.5}}},
		{"k = 0", 1, 0, []Contribution{}},
		{"negative k", 1, -1, []Contribution{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := m.Explain(v, tc.label, tc.k)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i].Feature != tc.want[i].Feature || !near(got[i].Value, tc.want[i].Value) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
	// ties: by ascending feature
	tie := vec.Vector{Ind: []int32{0, 3}, Val: []float32{0.25, 1}}
	if got := m.Explain(tie, 0, 2); len(got) != 2 || got[0].Feature != 0 || got[1].Feature != 3 {
		t.Errorf("tie: %v", got)
	}
	if got := m.Explain(vec.Vector{}, 0, 3); len(got) != 0 {
		t.Errorf("zero vector: %v", got)
	}
}

// Explain on a fitted model points at the features that define each theme.
func TestExplainFitted(t *testing.T) {
	x, y := separable(3, 300)
	for _, algo := range []Algo{LogReg, NB} {
		m, err := Fit(x, y, Options{Algo: algo})
		if err != nil {
			t.Fatal(err)
		}
		// a document with one feature of each theme's block and two noise features
		doc := vec.Vector{Ind: []int32{2, 14, 27, 40, 60}, Val: []float32{0.5, 0.5, 0.5, 0.35, 0.35}}
		for l := range m.Labels {
			c := m.Explain(doc, l, 1)
			if len(c) != 1 || int(c[0].Feature)/10 != l {
				t.Errorf("%s %s: top feature %v, want one of block %d", algo, m.Labels[l], c, l)
			}
		}
	}
}

// TestExplainIsSortedTop: Explain's (and ExplainWhere's, of the features kept) k best are the first k of every positive contribution sorted by value
// descending, then feature, whatever k (ties included: weights drawn from a few values).
func TestExplainIsSortedTop(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := range 200 {
		nf := 1 + r.IntN(300)
		w := make([]float32, nf)
		for i := range w {
			w[i] = float32(r.IntN(7) - 3) // many ties, negatives and zeros
		}
		m := &Model{Weights: [][]float32{w}}
		var v vec.Vector
		for f := range nf + 5 { // a few features past the weights: ignored
			if r.IntN(3) == 0 {
				v.Ind = append(v.Ind, int32(f))
				v.Val = append(v.Val, float32(1+r.IntN(2)))
			}
		}
		var all []Contribution
		for j, f := range v.Ind {
			if int(f) < nf {
				if c := float64(w[f]) * float64(v.Val[j]); c > 0 {
					all = append(all, Contribution{f, c})
				}
			}
		}
		slices.SortFunc(all, func(a, b Contribution) int {
			if c := cmp.Compare(b.Value, a.Value); c != 0 {
				return c
			}
			return cmp.Compare(a.Feature, b.Feature)
		})
		even := func(f int32) bool { return f%2 == 0 }
		var evens []Contribution
		for _, c := range all {
			if even(c.Feature) {
				evens = append(evens, c)
			}
		}
		for _, k := range []int{-1, 0, 1, 5, 40, 1000} {
			want := all[:min(max(k, 0), len(all))]
			if got := m.Explain(v, 0, k); !slices.Equal(got, want) {
				t.Fatalf("trial %d, k %d: got %v, want %v", trial, k, got, want)
			}
			want = evens[:min(max(k, 0), len(evens))]
			if got := m.ExplainWhere(v, 0, k, even); !slices.Equal(got, want) {
				t.Fatalf("trial %d, k %d, even features: got %v, want %v", trial, k, got, want)
			}
		}
	}
}
