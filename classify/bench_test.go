package classify

import (
	"fmt"
	"sync"
	"testing"

	"github.com/depeche/depeche/vec"
)

// benchSize is a synthetic corpus shape (synthCorpus): the sizes go into the sub-benchmark names.
type benchSize struct{ docs, features, nnz, labels int }

func (s benchSize) String() string {
	return fmt.Sprintf("docs=%d/features=%d/nnz=%d/labels=%d", s.docs, s.features, s.nnz, s.labels)
}

var benchSizes = []benchSize{
	{10000, 50000, 100, 5},
	{100000, 400000, 200, 5}, // the speed target: Fit well under 15 s on 2 cores
}

var benchData sync.Map // benchSize → [2]any{*vec.Matrix, [][]string}

func benchCorpus(s benchSize) (*vec.Matrix, [][]string) {
	if v, ok := benchData.Load(s); ok {
		d := v.([2]any)
		return d[0].(*vec.Matrix), d[1].([][]string)
	}
	x, y := synthCorpus(1, s.docs, s.features, s.nnz, s.labels)
	benchData.Store(s, [2]any{x, y})
	return x, y
}

// BenchmarkFit: Fit with its internal threshold cross-validation (5 folds at 10,000 rows, 3 at 100,000),
// on all cores; docs/s counts the training rows.
func BenchmarkFit(b *testing.B) {
	for _, algo := range []Algo{LogReg, NB} {
		for _, s := range benchSizes {
			b.Run(fmt.Sprintf("algo=%s/%v", algo, s), func(b *testing.B) {
				x, y := benchCorpus(s)
				b.ReportAllocs()
				for b.Loop() {
					if _, err := Fit(x, y, Options{Algo: algo}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(s.docs)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
			})
		}
	}
}

// BenchmarkCrossValidate: 5-fold cross-validation of logreg (each fold runs Fit's inner CV).
func BenchmarkCrossValidate(b *testing.B) {
	s := benchSizes[0]
	b.Run(s.String(), func(b *testing.B) {
		x, y := benchCorpus(s)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := CrossValidate(x, y, Options{}, 5); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(s.docs)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	})
}

// benchModel trains a model once on the small corpus, then widens its weights to features, so that
// Scores and Predict run at the size of a large vocabulary.
func benchModel(b *testing.B, features int) (*Model, *vec.Matrix) {
	x, y := benchCorpus(benchSizes[0])
	m, err := Fit(x, y, Options{ThresholdFolds: 1})
	if err != nil {
		b.Fatal(err)
	}
	for l := range m.Weights {
		w := make([]float32, features)
		copy(w, m.Weights[l])
		m.Weights[l] = w
	}
	return m, x
}

// BenchmarkScores: scores of every label for one document at a time (ScoresTo: no allocation).
func BenchmarkScores(b *testing.B) {
	m, x := benchModel(b, 400000)
	b.Run(fmt.Sprintf("features=400000/nnz=100/labels=%d", len(m.Labels)), func(b *testing.B) {
		dst := make([]float64, len(m.Labels))
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			m.ScoresTo(dst, x.Row(i%x.Rows()))
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	})
}

// BenchmarkPredict: Predict (scores, thresholds, the label slice) for one document at a time.
func BenchmarkPredict(b *testing.B) {
	m, x := benchModel(b, 400000)
	b.Run(fmt.Sprintf("features=400000/nnz=100/labels=%d", len(m.Labels)), func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			m.Predict(x.Row(i % x.Rows()))
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	})
}
