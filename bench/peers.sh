#!/usr/bin/env bash
# make bench-peers: depeche beside scikit-learn, fastText and gensim on the same corpora, in one run.
#
#   bench/peers.sh                 # 100k-document corpus (about 10 minutes on 2 cores)
#   SIZE=1000000 bench/peers.sh    # adds the 1M rows (memory, add, similar at scale; about 40 minutes)
#
# Installs the peers from Debian packages when they are missing (needs root), builds depeche, makes the
# corpora with ../shared/bench/make_corpus.py, runs every measurement alternating depeche and the peer
# (A B A B), and prints the table that bench/RESULTS.md holds. Keep the machine otherwise idle.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$(cd "$ROOT/../shared" && pwd)}
OUT=${OUT:-/tmp/depeche_bench}
SIZE=${SIZE:-100000}
PY=/usr/bin/python3
mkdir -p "$OUT"

if ! $PY -c 'import sklearn, gensim, fasttext' 2>/dev/null || ! command -v fasttext >/dev/null; then
  echo "== installing the peers (python3-sklearn python3-gensim fasttext python3-fasttext)" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    python3-sklearn python3-gensim fasttext python3-fasttext >&2
fi

echo "== building depeche" >&2
(cd "$ROOT" && go build -o "$OUT/depeche" ./cmd/depeche && go test -c -o "$OUT/bench.test" ./bench)

exec $PY "$ROOT/bench/run.py" --shared "$SHARED" --out "$OUT" --size "$SIZE"
