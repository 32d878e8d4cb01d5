#!/usr/bin/env bash
# The 1M rows of bench/RESULTS.md: import a million dispatches in one command, similar top-10 on them
# (cold, whole process, and warm, beside scikit-learn's), and training on a million labeled dispatches, each with its peak RSS.
#
#   bench/scale.sh            # about 15 minutes on 2 cores; needs ~6 GB of disk in $OUT
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$(cd "$ROOT/../shared" && pwd)}
OUT=${OUT:-/tmp/depeche_bench}
N=${N:-1000000}
PY=/usr/bin/python3
mkdir -p "$OUT"
(cd "$ROOT" && go build -o "$OUT/depeche" ./cmd/depeche && go test -c -o "$OUT/bench.test" ./bench)
corpus=$OUT/corpus_$N.tsv
[ -f "$corpus" ] || $PY "$SHARED/bench/make_corpus.py" "$corpus" "$N" --shared "$SHARED" >&2
t() { /usr/bin/time -f "%e s, peak RSS %M KB" "$@"; }
db=$OUT/archive_$N.db
rm -f "$db" "$db-wal" "$db-shm"
echo "== add $N dispatches (one command, one transaction)"
t "$OUT/depeche" add --no-near-duplicates --archive "$db" "$corpus"
awk -F'\t' 'NR==4243 {print $NF}' "$corpus" > "$OUT/query.txt"
echo "== similar top-10, $N archive, whole process (cold), 5 runs"
for i in 1 2 3 4 5; do t "$OUT/depeche" similar --json --archive "$db" < "$OUT/query.txt" > /dev/null; done
echo "== similar top-10, $N docs, warm (in memory), 200 queries: depeche, then scikit-learn's q @ X.T"
DEPECHE_BENCH_CORPUS=$corpus t "$OUT/bench.test" -test.run '^$' -test.bench BenchmarkCorpusSimilarWarm -test.benchtime 200x
t $PY "$SHARED/bench/peers_similar.py" "$corpus" --engines sklearn --queries 200 --json 2>/dev/null |
  $PY -c 'import json,sys; r=json.loads(sys.stdin.readline()); print("sklearn p50 %.1f ms, mean %.1f ms, peak RSS %.0f MB" % (r["query_ms_p50"], r["query_ms_mean"], r["peak_rss_mb"]))'
# training: make_corpus.py's default set has 180 label sets (180 binary problems on a million rows); the
# 5 labels of MasakhaNEWS, as run.py's 100k training set, with its disjoint 10k test set
mn=$SHARED/datasets/masakhanews-fra
train=$OUT/mn_train1m.tsv test=$OUT/mn_test10k.tsv
[ -f "$train" ] || $PY "$SHARED/bench/make_corpus.py" "$train" "$N" --seed 1 --sources "$mn/train.tsv" "$mn/dev.tsv" >&2
[ -f "$test" ] || $PY "$SHARED/bench/make_corpus.py" "$test" 10000 --seed 2 --sources "$mn/test.tsv" >&2
echo "== train on $N labeled dispatches, 5 labels (--folds 1: vectorize + classifier + thresholds), then macro-F1 on the 10k test set"
t "$OUT/depeche" train --folds 1 --model "$OUT/scale.depeche" "$train"
"$OUT/depeche" eval --json --model "$OUT/scale.depeche" "$test" | $PY -c 'import json,sys; print("macro-F1 %.4f" % json.load(sys.stdin)["macro_f1"])'

