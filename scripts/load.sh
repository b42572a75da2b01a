#!/usr/bin/env bash
# Load under a real import: serve a FRESH database while `kbfix import` writes the whole
# archive into it, and hit the server meanwhile with one wrk per request kind (so each kind
# has its own percentiles). Readers must never see an error (5xx) or a half-imported article;
# 404s on articles not imported yet are expected and counted apart.
#
# Usage: scripts/load.sh            (64 connections for 30 s, 16 per kind)
# Env:   KINDS="search article match wizard"  (wizard: POST /api/wizard, which also writes a
#        session row, so it competes with the import for the database's write lock; ugly:
#        32 common words and an unknown one per search, e.g. KINDS="search ugly" IMPORT=0)
#        CONNECTIONS=64  DURATION=30  CONNECTIONS_<kind>=n  (one kind's connections, e.g.
#        KINDS="search ugly" CONNECTIONS_search=1 CONNECTIONS_ugly=8)  ARCHIVE=../shared/corpus/kb-txt.tar.gz  PORT=3911
#        IMPORT=0  baseline: no import, load the database the last run left complete
#        DB=path  the database (default target/load/kbfix.db); with IMPORT=0, any complete one
#        KINDS="search article match wizard attack"  adds hostile traffic beside the normal
#        kinds (the server then runs with a staff password, for the wrong logins);
#        ATTACKS="paste search login" picks the attack's requests
# Needs wrk (apt-get install wrk). Output: target/load/summary.txt
set -euo pipefail
cd "$(dirname "$0")/.."
kinds=${KINDS:-search article match wizard}
connections=${CONNECTIONS:-64}
duration=${DURATION:-30}
archive=${ARCHIVE:-../shared/corpus/kb-txt.tar.gz}
port=${PORT:-3911}
import=${IMPORT:-1}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -f "$archive" ] || { echo "$archive is missing" >&2; exit 1; }

cargo build --release -q
work=target/load
mkdir -p "$work"
db=${DB:-$work/kbfix.db}
if [ "$import" = 1 ]; then
  rm -f "$db" "$db-wal" "$db-shm"
else
  [ -f "$db" ] || { echo "IMPORT=0 needs $db from an earlier run" >&2; exit 1; }
fi
bin=./target/release/kbfix

# The article ids the archive holds, shuffled, for the article kind.
tar tzf "$archive" | sed -n 's/.*[Qq]\([0-9]\{6\}\)\.[Tt][Xx][Tt]$/Q\1/p' | shuf -n 5000 --random-source=<(yes) > "$work/ids.txt"

# One wrk stands in for many users, so the per-client session limit is off.
KBFIX_STAFF_PASSWORD=load-test-password "$bin" --db "$db" serve --addr "127.0.0.1:$port" \
  --sessions-per-minute 0 --sessions-per-minute-total 0 --refines-per-minute 0 \
  --refines-per-minute-total 0 --lookups-per-minute 0 --lookups-per-minute-total 0 \
  --max-connections-per-client 0 --metrics > "$work/serve.log" 2>&1 &
server=$!
import_pid=""
cleanup() {
  kill "$server" 2>/dev/null || true
  [ -n "$import_pid" ] && kill "$import_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
# On a complete database, the load starts once the search index is built (one search waits
# for it), so that it measures serving, not the start.
# (The index is built in the background; meanwhile searches answer with a note saying so.)
if [ "$import" = 0 ]; then
  for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$port/api/search?q=warm" | grep -q "building its search index" || break
    sleep 0.5
  done
fi

# The import starts with the load and writes while it runs.
if [ "$import" = 1 ]; then
  start=$(date +%s.%N)
  ( "$bin" --db "$db" import "$archive" > "$work/import.log" 2>&1; echo "exit $? after $(echo "$(date +%s.%N) - $start" | bc) s" >> "$work/import.log" ) &
  import_pid=$!
else
  echo "no import (IMPORT=0)" > "$work/import.log"
fi

set -- $kinds
per=$(( connections / $# ))
pids=()
for kind in $kinds; do
  conns=$(eval echo "\${CONNECTIONS_$kind:-$per}")
  KIND=$kind IDS_FILE=$work/ids.txt wrk -t1 -c"$conns" -d"${duration}s" --timeout 10s --latency \
    -s scripts/load.lua "http://127.0.0.1:$port" > "$work/wrk-$kind.log" 2>&1 &
  pids+=($!)
done
wait "${pids[@]}"
articles_after_load=$(curl -sf "http://127.0.0.1:$port/healthz" || echo '{}')
# The meter's totals on one line, then its longest holders by store call, one a line.
pool_json() {
  python3 -c 'import json, sys
p = json.load(sys.stdin).get("pool") or {}
if sys.argv[1] == "totals":
    print(json.dumps({k: v for k, v in p.items() if k != "longest"}, separators=(",", ":")))
else:
    for s in p.get("longest", []):
        print("  %-22s max %7.1f ms  mean %6.2f ms  %6d holds  %5d over 100 ms" % (s["site"],
              s["max_hold_us"] / 1000, s["total_us"] / max(s["holds"], 1) / 1000, s["holds"], s["over_limit"]))
' "$1" <<<"$articles_after_load" 2>/dev/null || true
}
pool=$(pool_json totals)
[ -n "$import_pid" ] && { wait "$import_pid" || true; }
import_pid=""

{
  if [ "$import" = 1 ]; then during="during a fresh import of $archive"; else during="on the complete database, no import"; fi
  echo "load: $(( per * $# )) connections ($per per kind) for ${duration}s $during"
  for kind in $kinds; do
    grep -E "^$kind " "$work/wrk-$kind.log" || { echo "$kind: wrk failed:"; cat "$work/wrk-$kind.log"; }
  done
  echo "healthz when the load ended: $articles_after_load"
  echo "import: $(grep -E '^imported|^exit|^no import' "$work/import.log" | tr '\n' ' ')"
  echo "server 5xx/panics logged: $(grep -ciE 'panicked|status=5[0-9][0-9]| 500 ' "$work/serve.log" || true)"
  # Issue 15's memory bound (RSS <= 150 MB serving the whole archive under this load).
  echo "server memory: $(grep -E '^(VmRSS|VmHWM)' "/proc/$server/status" 2>/dev/null | tr -s ' \t' ' ' | tr '\n' ' ')"
  echo "pool holds (acquire to release) over the whole run: $pool"
  echo "longest holds by store call (max_lag_us above: how late the runtime woke any task):"
  pool_json sites
} | tee "$work/summary.txt"
# The bound on holding a pooled connection (issue 12, finding 5), from the server's meter. An
# import writing beside the server makes its writes wait for the lock, so it holds only
# without one.
max_us=$(echo "$pool" | sed -n 's/.*"max_hold_us":\([0-9]*\).*/\1/p')
if [ "$import" = 0 ] && [ -n "$max_us" ] && [ "$max_us" -gt 100000 ]; then
  echo "FAIL: a pooled connection was held $((max_us / 1000)) ms (limit 100 ms)" | tee -a "$work/summary.txt"
  exit 1
fi
