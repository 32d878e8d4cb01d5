#!/usr/bin/env bash
# The index-file rows of bench/RESULTS.md: cold `depeche similar` as a whole process on the 100k and 1M
# archives (median of RUNS, the index file mapped), beside the cold path of before (BASE: a depeche built
# from the commit before the index file, which reads the archive alone) and scikit-learn's warm query time
# at 100k, alternating; serve's start-up to its first answer and its resident memory after 1,000 queries at 1M.
#
#   OUT=/work/benchdata/index bench/index.sh     # needs $OUT/base100k.db and $OUT/base1m.db (depeche add)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$(cd "$ROOT/../shared" && pwd)}
OUT=${OUT:-/tmp/depeche_bench}
RUNS=${RUNS:-11}
PY=/usr/bin/python3
(cd "$ROOT" && go build -o "$OUT/depeche" ./cmd/depeche)
D=$OUT/depeche
q=$OUT/query.txt
awk -F'\t' 'NR==4243 {print $NF}' /work/benchdata/corpus_1000000.tsv > "$q"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
BASE=${BASE:-$OUT/depeche-base}
cold() { # binary archive: median wall time (ms) and max RSS (MB) of RUNS whole-process similar
  for i in $(seq "$RUNS"); do /usr/bin/time -f '%e %M' "$1" similar --json --archive "$2" < "$q" 2>&1 >/dev/null | tail -1; done |
    awk '{print $1*1000, $2/1024}' > "$OUT/runs.txt"
  echo "$(cut -d' ' -f1 "$OUT/runs.txt" | median) ms median, $(cut -d' ' -f1 "$OUT/runs.txt" | sort -n | head -1)–$(cut -d' ' -f1 "$OUT/runs.txt" | sort -n | tail -1) ms, peak RSS $(cut -d' ' -f2 "$OUT/runs.txt" | sort -n | tail -1) MB"
}
for n in 100k 1m; do
  db=$OUT/base$n.db
  "$D" optimize --archive "$db" -q
  echo "== $n: similar, whole process, index file: $(cold "$D" "$db")"
  echo "== $n: similar, whole process, the archive alone (before the index file): $(cold "$BASE" "$db")"
  echo "== $n: similar, whole process, index file again: $(cold "$D" "$db")"
  if [ "$n" = 100k ]; then # python3-sklearn (Debian), as bench/peers.sh installs it
    $PY "$SHARED/bench/peers_similar.py" /work/benchdata/corpus_100000.tsv --engines sklearn --queries 200 --json 2>/dev/null |
      $PY -c 'import json,sys; r=json.loads(sys.stdin.readline()); print("== 100k: sklearn warm p50 %.1f ms, peak RSS %.0f MB" % (r["query_ms_p50"], r["peak_rss_mb"]))' || echo "== 100k: sklearn failed"
  fi
done
echo "== 1m: serve start-up to the first answer, RSS after 1,000 similar queries"
port=18391
start=$(date +%s.%N)
"$D" serve --archive "$OUT/base1m.db" --addr 127.0.0.1:$port 2>"$OUT/serve.log" & pid=$!
body=$($PY -c 'import json,sys; print(json.dumps({"text": open(sys.argv[1]).read(), "k": 10}))' "$q")
until curl -sf -o /dev/null -X POST -H 'Content-Type: application/json' -d "$body" http://127.0.0.1:$port/v1/similar; do sleep 0.05; done
echo "first answer after $(echo "$(date +%s.%N) - $start" | bc) s, RSS $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MB"
awk -F'\t' 'NR>1 && NR<=1001 {print $NF}' /work/benchdata/corpus_1000000.tsv | $PY -c '
import json, sys, time, urllib.request
ts = []
for line in sys.stdin:
    req = urllib.request.Request(sys.argv[1], json.dumps({"text": line, "k": 10}).encode(), {"Content-Type": "application/json"})
    t = time.perf_counter(); urllib.request.urlopen(req).read(); ts.append((time.perf_counter() - t) * 1000)
ts.sort(); print("1,000 queries over HTTP: median %.1f ms, p99 %.1f ms" % (ts[len(ts)//2], ts[int(len(ts)*0.99)]))' http://127.0.0.1:$port/v1/similar
echo "RSS after 1,000 queries $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MB, peak $(( $(awk '/VmHWM/ {print $2}' /proc/$pid/status) / 1024 )) MB"
kill $pid; wait $pid 2>/dev/null || true
