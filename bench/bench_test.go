package bench

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/depeche/depeche/archive"
	"github.com/depeche/depeche/dispatch"
	"github.com/depeche/depeche/internal/cputime"
	"github.com/depeche/depeche/vectorize"
)

func corpus(b *testing.B) []dispatch.Dispatch {
	b.Helper()
	p := os.Getenv("DEPECHE_BENCH_CORPUS")
	if p == "" {
		b.Skip("DEPECHE_BENCH_CORPUS is not set: bench/peers.sh sets it to a corpus made by make_corpus.py")
	}
	ds, err := dispatch.Load(p)
	if err != nil {
		b.Fatal(err)
	}
	return ds
}

func texts(ds []dispatch.Dispatch) ([]string, int64) {
	out := make([]string, len(ds))
	var n int64
	for i, d := range ds {
		out[i] = d.Text
		n += int64(len(d.Text))
	}
	return out, n
}

// BenchmarkCorpusFit: analysis + TF-IDF fit_transform, word 1–2-grams, sublinear tf, min_df 2: the
// configuration of the sklearn peer tfidf_word12 (peers_vectorize.py).
func BenchmarkCorpusFit(b *testing.B) {
	ts, size := texts(corpus(b))
	b.Run(fmt.Sprintf("docs=%d", len(ts)), func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			v := vectorize.NewVectorizer(vectorize.MustAnalyzer(vectorize.Options{Bigrams: true}))
			if _, err := v.FitTransform(ts); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(ts))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
	})
}

// BenchmarkCorpusSimilarWarm: top-10 queries against the corpus indexed in memory (what serve does), raw
// text in → top 10 out (analysis, weighting, search, shared terms), queries sampled from the corpus with a
// fixed seed, as peers_similar.py samples its own. Sub-benchmarks index the first 10k, 100k and 1M
// documents, those the corpus has; p50-µs/query is the median, the figure peers_similar.py reports.
func BenchmarkCorpusSimilarWarm(b *testing.B) {
	all := corpus(b)
	a := vectorize.MustAnalyzer(vectorize.ArchiveOptions)
	for _, n := range []int{10000, 100000, 1000000} {
		if n > len(all) {
			if n == 10000 {
				n = len(all)
			} else {
				break
			}
		}
		ds := all[:n]
		s := archive.NewSearcher(ds, func(t string) []string { return a.AppendTerms(nil, t) })
		r := rand.New(rand.NewPCG(0, 0))
		queries := make([]string, 200)
		for i := range queries {
			queries[i] = ds[r.IntN(len(ds))].Text
		}
		b.Run(fmt.Sprintf("docs=%d", n), func(b *testing.B) {
			var lat []time.Duration
			i := 0
			cpu0 := cputime.Now()
			for b.Loop() {
				t := time.Now()
				s.Similar(a.AppendTerms(nil, queries[i%len(queries)]), 10, archive.Filter{})
				lat = append(lat, time.Since(t))
				i++
			}
			slices.Sort(lat)
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/query")
			b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1000, "p50-µs/query")
			// what a query costs a busy server: a query split over both cores may take less time and more CPU
			b.ReportMetric(float64(cputime.Now()-cpu0)/1000/float64(b.N), "cpu-µs/query")
		})
		if n == len(all) {
			break
		}
	}
}

// BenchmarkCorpusMatrix: the pairwise cosine matrix of the first 5000 documents (vectors made once,
// outside the timer), as the sklearn peer's cosine_similarity(X).
func BenchmarkCorpusMatrix(b *testing.B) {
	ts, _ := texts(corpus(b))
	if len(ts) > 5000 {
		ts = ts[:5000]
	}
	v := vectorize.NewVectorizer(vectorize.MustAnalyzer(vectorize.Options{}))
	m, err := v.FitTransform(ts)
	if err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("docs=%d", len(ts)), func(b *testing.B) {
		for b.Loop() {
			vectorize.CosineMatrix(m)
		}
		pairs := float64(len(ts)) * float64(len(ts)-1) / 2
		b.ReportMetric(pairs*float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
	})
}
