// Package bench holds depeche's side-by-side benchmarks on a corpus file named by the environment
// variable DEPECHE_BENCH_CORPUS (a TSV with a text column, such as ../shared/bench/make_corpus.py makes).
// bench/peers.sh runs them beside scikit-learn, fastText and gensim on the same file; without the variable
// they skip.
package bench
