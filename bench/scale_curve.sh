#!/usr/bin/env bash
# The scale curve of issue 13 (bench/RESULTS.md, "Scale curve"): for each N, `depeche add` of a fresh
# make_corpus.py corpus of N dispatches into a new archive in one command (wall, CPU, peak RSS, peak disk),
# the archive's size on disk against the text's, cold `similar` top-10 as a whole process (bench/cold.py,
# median of RUNS), and, when the add left several index segments, `depeche optimize` and cold `similar`
# again. Every heavy command runs at nice 19 (the machine is shared).
#
#   BIN=/path/depeche OUT=/big/disk bash bench/scale_curve.sh 1000000 2000000 5000000
#
# Variables (nothing is written into the repository):
#   BIN        the depeche binary (default $OUT/depeche, built from this tree when missing)
#   OUT        work folder for archives, logs and streamed corpora (default /tmp/depeche_scale)
#   SHARED     the shared/ folder with bench/make_corpus.py (default ../shared)
#   CORPUS_1M  an existing `make_corpus.py … 1000000` file (seed 1) used for N=1000000 instead of
#              generating it; every other N is generated on the fly (make_corpus.py → tee → a FIFO that
#              `depeche add` reads as its one FILE), so no text file is kept on disk
#   ADD_FLAGS  extra flags of add (e.g. --no-near-duplicates); TAG names the run's files (default N)
#   RUNS       cold similar runs (default 9); QUERY_LINE the corpus line whose text is the query (4244:
#              row 4243, the query of the earlier cold rows)
#   MAX_RSS_KB (default 12000000) and MIN_FREE_KB (default 8000000): the add is killed, and the reason
#              written to $OUT/add_TAG.stopped, when its RSS or the disk's free space crosses them
#   KEEP=1     keeps the archives (default: each archive but the 1M one is deleted after its row)
#   LUCENE=1   also Lucene's build at 1M (../shared/bench/lucene/run.sh on CORPUS_1M, MLT, 20 queries)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$(cd "$ROOT/../shared" && pwd)}
OUT=${OUT:-/tmp/depeche_scale}
BIN=${BIN:-$OUT/depeche}
CORPUS_1M=${CORPUS_1M:-}
ADD_FLAGS=${ADD_FLAGS:-}
RUNS=${RUNS:-9}
QUERY_LINE=${QUERY_LINE:-4244}
MAX_RSS_KB=${MAX_RSS_KB:-12000000}
MIN_FREE_KB=${MIN_FREE_KB:-8000000}
PY=/usr/bin/python3
NICE="nice -n 19"
TIME="/usr/bin/time -f %e_s_%U_user_%S_sys_%M_KB"
mkdir -p "$OUT"
[ -x "$BIN" ] || (cd "$ROOT" && $NICE go build -o "$BIN" ./cmd/depeche) || exit 1
[ $# -gt 0 ] || set -- 1000000 2000000 5000000

say() { echo "$(date -u +%H:%M:%S) $*"; }
free_kb() { df --output=avail -k "$OUT" | tail -1 | tr -d ' '; }
disk_b() { du -c -B1 "$@" 2>/dev/null | tail -1 | cut -f1; }

# the query: one line of the corpus (make_corpus's output for N is a prefix of the output for more rows)
query=$OUT/query.txt
if [ ! -s "$query" ]; then
  if [ -n "$CORPUS_1M" ]; then
    awk -F'\t' -v n="$QUERY_LINE" 'NR == n {print $NF; exit}' "$CORPUS_1M" > "$query"
  else
    $NICE $PY "$SHARED/bench/make_corpus.py" "$OUT/q_small.tsv" "$QUERY_LINE" --shared "$SHARED" 2>/dev/null
    awk -F'\t' -v n="$QUERY_LINE" 'NR == n {print $NF; exit}' "$OUT/q_small.tsv" > "$query"
    rm -f "$OUT/q_small.tsv" "$OUT/q_small.tsv.meta.json"
  fi
fi

if [ "${LUCENE:-0}" = 1 ] && [ -n "$CORPUS_1M" ]; then
  say "== Lucene build of $CORPUS_1M (MLT, 20 queries after 10)"
  rm -rf "$OUT/lucene"
  $NICE env MODES=mlt WARMUP=10 KEEP=1 WORK="$OUT/lucene" bash "$SHARED/bench/lucene/run.sh" "$CORPUS_1M" - 20 \
    > "$OUT/lucene.out" 2> "$OUT/lucene.err"
  say "lucene rc $?"; grep -v '^{' "$OUT/lucene.out" | head -20; tail -1 "$OUT/lucene.out"
  grep -E 'Elapsed|Maximum resident|User time|System time' "$OUT/lucene/build.time"
  rm -rf "$OUT/lucene/index"
fi

for n in "$@"; do
  tag=${TAG:-$n}
  db=$OUT/a$tag.db
  rm -f "$db" "$db"-wal "$db"-shm "$db".idx*
  gen_pid=
  if [ "$n" = 1000000 ] && [ -n "$CORPUS_1M" ]; then
    input=$CORPUS_1M
    stat -c %s "$input" > "$OUT/bytes_$tag"
  else
    # make_corpus.py writes OUT.tmp then renames it: OUT.tmp is a FIFO read by tee, which counts the bytes
    # and feeds the FIFO that add reads
    gen=$OUT/gen_$tag.tsv input=$OUT/in_$tag.tsv
    rm -f "$gen" "$gen.tmp" "$input"
    mkfifo "$gen.tmp" "$input"
    ( $NICE $PY "$SHARED/bench/make_corpus.py" "$gen" "$n" --shared "$SHARED" 2> "$OUT/gen_$tag.log" ) &
    gen_pid=$!
    ( $NICE tee "$input" < "$gen.tmp" | wc -c > "$OUT/bytes_$tag" ) &
  fi
  say "== add $n ($tag) $ADD_FLAGS from $input; free $(free_kb) KB"
  rm -f "$OUT/add_$tag.stopped"
  # shellcheck disable=SC2086
  $NICE $TIME -o "$OUT/add_$tag.time" "$BIN" add --archive "$db" $ADD_FLAGS "$input" > "$OUT/add_$tag.out" 2> "$OUT/add_$tag.err" &
  tpid=$!
  peak_disk=0 min_free=$(free_kb)
  while kill -0 "$tpid" 2>/dev/null; do
    sleep 2
    cpid=$(pgrep -P "$tpid" | head -1)
    d=$(disk_b "$db" "$db"-wal "$db"-shm "$db".idx*); [ "${d:-0}" -gt "$peak_disk" ] && peak_disk=$d
    f=$(free_kb); [ "$f" -lt "$min_free" ] && min_free=$f
    [ -n "$cpid" ] || continue
    rss=$(awk '/^VmRSS/ {print $2}' /proc/"$cpid"/status 2>/dev/null || echo 0)
    if [ "${rss:-0}" -gt "$MAX_RSS_KB" ] || [ "$f" -lt "$MIN_FREE_KB" ]; then
      echo "stopped at $(date -u +%T): RSS ${rss} KB, free ${f} KB, archive files ${d} B" | tee "$OUT/add_$tag.stopped"
      kill "$cpid"
      [ -n "$gen_pid" ] && kill "$gen_pid" 2>/dev/null
    fi
  done
  wait "$tpid"; rc=$?
  [ -n "$gen_pid" ] && { wait "$gen_pid"; wait; rm -f "$gen" "$gen.tmp" "$input" "$gen.meta.json"; }
  say "add rc $rc: $(cat "$OUT/add_$tag.time" | tail -1)"
  tail -3 "$OUT/add_$tag.err"; cat "$OUT/add_$tag.out"
  text=$(cat "$OUT/bytes_$tag")
  dbb=$(stat -c %s "$db" 2>/dev/null || echo 0)
  idxb=$(cat "$db".idx* 2>/dev/null | wc -c)
  segs=$(ls "$db".idx.seg-* 2>/dev/null | wc -l)
  echo "text $text B; archive $dbb B + index $idxb B ($segs segments) = $(( dbb + idxb )) B," \
    "$(awk -v a=$((dbb + idxb)) -v t="$text" 'BEGIN {printf "%.2f", a / t}')x the text;" \
    "peak of the archive's files during add $peak_disk B; min free $min_free KB"
  [ "$rc" = 0 ] || { say "add failed: see $OUT/add_$tag.err"; continue; }
  say "== cold similar, $RUNS runs"
  $NICE $PY "$ROOT/bench/cold.py" "$RUNS" "$db" "$query" "$BIN"
  if [ "$segs" -gt 1 ]; then
    say "== optimize ($segs segments)"
    $NICE $TIME "$BIN" optimize --archive "$db" 2>&1 | tail -3
    say "== cold similar after optimize, $RUNS runs"
    $NICE $PY "$ROOT/bench/cold.py" "$RUNS" "$db" "$query" "$BIN"
  fi
  if [ "${KEEP:-0}" != 1 ] && [ "$n" != 1000000 ]; then rm -f "$db" "$db"-wal "$db"-shm "$db".idx*; fi
done
