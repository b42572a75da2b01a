#!/usr/bin/env bash
# Issue 15's three ratios in one run, on one machine:
#   1. kbfix's import of the archive / the raw load of the same text into one FTS5 table
#   2. kbfix's database size / the raw table's size
#   3. wizard starts / paste matches (POST /api/wizard vs POST /api/match, the same seed
#      paste, the same connections), with the wizard's p99 and its errors
# 1 and 2 come from `cargo bench --bench import` (which also times the unchanged re-import);
# 3 serves the database that import wrote and runs wrk (scripts/load.lua) on each endpoint
# in turn, after a short warm-up.
# With the import, `cargo bench --bench search` then sets the engine beside the raw table's
# FTS5 statement (rusqlite, no HTTP) on the dev queries: search p50 / raw p50.
# Usage: scripts/ratios.sh   Env: CONNECTIONS=16 DURATION=10 PORT=3921 WORK=target/ratios
#        ARCHIVE=../shared/corpus/kb-txt.tar.gz QUERIES=../shared/eval/dev-queries.jsonl
#        IMPORT=0 DB=path  ratio 3 only, on a complete database an earlier run (or import)
#        wrote: no bench, no import (the wizard's ratio without re-importing each time)
# Needs wrk. Output: $WORK/ratios.txt
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${CONNECTIONS:-16}
duration=${DURATION:-10}
port=${PORT:-3921}
work=${WORK:-target/ratios}
archive=${ARCHIVE:-../shared/corpus/kb-txt.tar.gz}
queries=${QUERIES:-../shared/eval/dev-queries.jsonl}
import=${IMPORT:-1}
db=${DB:-$work/kbfix.db}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
mkdir -p "$work"

cargo build --release -q
if [ "$import" = 1 ]; then
  cargo bench -q --bench import -- "$archive" --keep "$work" | tee "$work/import.txt"
  db=$work/kbfix.db
else
  [ -f "$db" ] || { echo "IMPORT=0 needs DB=<a complete database>; $db is missing" >&2; exit 1; }
  echo "no import (IMPORT=0): serving $db" > "$work/import.txt"
fi

./target/release/kbfix --db "$db" serve --addr "127.0.0.1:$port" \
  --sessions-per-minute 0 --sessions-per-minute-total 0 \
    --refines-per-minute 0 --refines-per-minute-total 0 --lookups-per-minute 0 \
    --lookups-per-minute-total 0 --max-connections-per-client 0 --metrics > "$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
# Measure serving, not the start: one search waits for the in-memory index.
curl -sf "http://127.0.0.1:$port/api/search?q=warm" >/dev/null || true

run() {
  KIND=$1 PASTE=1 wrk -t1 -c"$connections" -d"$2s" --timeout 10s --latency \
    -s scripts/load.lua "http://127.0.0.1:$port" | grep -E "^$1 "
}
run match 2 >/dev/null
run wizard 2 >/dev/null
match=$(run match "$duration")
wizard=$(run wizard "$duration")
: > "$work/search.txt"
if [ "$import" = 1 ]; then
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  cargo bench -q --bench search -- "$db" --raw "$work/raw.db" --queries "$queries" \
    | tee "$work/search.txt"
fi
field() { awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i + 1); exit } }' <<<"$1"; }
rps() { awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "req/s") { print $i; exit } }' <<<"$1"; }
{
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  grep -E "raw load|kbfix import|import/raw|no import" "$work/import.txt"
  grep -E -A1 "raw FTS5|own-words engine:" "$work/search.txt" | grep -v "^--" || true
  echo "  $match"
  echo "  $wizard"
  awk -v w="$(rps "$wizard")" -v m="$(rps "$match")" -v p="$(field "$wizard" p99)" \
    -v e5="$(field "$wizard" 5xx)" -v es="$(field "$wizard" socket-errors)" \
    -v e4="$(field "$wizard" other-4xx)" 'BEGIN {
      printf "  wizard/match %.2f (target >= 0.4)  wizard p99 %s ms (target <= 25)  errors %d\n",
        w / m, p, e5 + es + e4 }'
} | tee "$work/ratios.txt"
