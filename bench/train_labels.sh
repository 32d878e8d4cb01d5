#!/usr/bin/env bash
# Training with many labels (issue 13, item 4; bench/RESULTS.md, "Training with many labels"): depeche
# train on make_corpus.py's default set (180 single labels) with its 5-fold cross-validation, then
# scikit-learn's TF-IDF 1–2-grams + LinearSVC one-vs-rest (one fit, no cross-validation) on the same
# file, one after the other, each with its wall time, CPU time and peak RSS.
#
#   bench/train_labels.sh                 # N=100000: about 12 minutes on 2 cores, most of it scikit-learn's
#   N=1000000 SKLEARN=0 bench/train_labels.sh   # depeche alone at 1M: about 22 minutes, 2.4 GB
#
# Needs the Debian package python3-sklearn for the peer. BIN=path times another depeche binary.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$(cd "$ROOT/../shared" && pwd)}
OUT=${OUT:-/tmp/depeche_bench}
N=${N:-100000}
PY=/usr/bin/python3
mkdir -p "$OUT/sk_$N"
if [ -z "${BIN:-}" ]; then
  BIN=$OUT/depeche
  (cd "$ROOT" && go build -o "$BIN" ./cmd/depeche)
fi
corpus=$OUT/corpus_$N.tsv
[ -f "$corpus" ] || $PY "$SHARED/bench/make_corpus.py" "$corpus" "$N" --shared "$SHARED" >&2
t() { /usr/bin/time -f "%e s wall, %U s user, %S s sys, peak RSS %M KB" "$@"; }
echo "== depeche train, $N dispatches (make_corpus.py's labels: 180 from 100k), 5-fold cross-validation"
t "$BIN" train --quiet --model "$OUT/labels_$N.depeche" "$corpus" | grep -E '^ +(micro|macro) '
if [ "${SKLEARN:-1}" = 1 ]; then
  ln -sf "$corpus" "$OUT/sk_$N/corpus.tsv"
  echo "== scikit-learn TF-IDF 1-2-grams + LinearSVC one-vs-rest, one fit"
  t $PY "$ROOT/bench/sk_pipeline.py" fit "$OUT/sk_$N" "$OUT/sk_$N.joblib"
fi
