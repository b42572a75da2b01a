#!/usr/bin/env bash
# Two kbfix servers on one PostgreSQL database under load while `kbfix import` writes the
# archive into it (issue 14): the same request mix as scripts/load.sh, one wrk per kind per
# server, half the connections each. The point is correctness under load on a shared
# database: no 5xx, no panics, every server answering while the import runs.
#
# Then, in the same run, the SQLite side: scripts/load.sh, one server over a fresh SQLite
# file during the same import, with the same mix and connections (SQLITE=0 skips it).
#
# Usage: PG_URL=postgres://user@host:port/db scripts/load-pg.sh   (an empty database: the
#        import then writes every article while the load runs)
# Env:   KINDS="search article match wizard"  CONNECTIONS=64  DURATION=30  PORTS="3921 3922"
#        ARCHIVE=../shared/corpus/kb-txt.tar.gz  SQLITE=1  SQLITE_PORT=3923
# Needs wrk. Output: target/load-pg/summary.txt (both sides)
set -euo pipefail
cd "$(dirname "$0")/.."
: "${PG_URL:?set PG_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/kbfix}"
kinds=${KINDS:-search article match wizard}
connections=${CONNECTIONS:-64}
duration=${DURATION:-30}
ports=${PORTS:-3921 3922}
archive=${ARCHIVE:-../shared/corpus/kb-txt.tar.gz}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -f "$archive" ] || { echo "$archive is missing" >&2; exit 1; }

cargo build --release -q
bin=./target/release/kbfix
work=target/load-pg
mkdir -p "$work"
tar tzf "$archive" | sed -n 's/.*[Qq]\([0-9]\{6\}\)\.[Tt][Xx][Tt]$/Q\1/p' | shuf -n 5000 --random-source=<(yes) > "$work/ids.txt"

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; }
trap cleanup EXIT
for port in $ports; do
  # One wrk stands in for many users, so the per-client session limit is off.
  "$bin" --db "$PG_URL" serve --addr "127.0.0.1:$port" --sessions-per-minute 0 --sessions-per-minute-total 0 \
    --refines-per-minute 0 --refines-per-minute-total 0 --lookups-per-minute 0 \
    --lookups-per-minute-total 0 --max-connections-per-client 0 --metrics \
    > "$work/serve-$port.log" 2>&1 &
  pids+=($!)
done
for port in $ports; do
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
done

start=$(date +%s.%N)
( "$bin" --db "$PG_URL" import "$archive" > "$work/import.log" 2>&1
  echo "exit $? after $(echo "$(date +%s.%N) - $start" | bc) s" >> "$work/import.log" ) &
import_pid=$!

set -- $ports
servers=$#
set -- $kinds
per=$(( connections / $# / servers ))
loads=()
for port in $ports; do
  for kind in $kinds; do
    KIND=$kind IDS_FILE=$work/ids.txt wrk -t1 -c"$per" -d"${duration}s" --timeout 10s --latency \
      -s scripts/load.lua "http://127.0.0.1:$port" > "$work/wrk-$port-$kind.log" 2>&1 &
    loads+=($!)
  done
done
wait "${loads[@]}"
wait "$import_pid" || true
{
  echo "load: $(( per * $# * servers )) connections ($per per kind per server) for ${duration}s on $servers servers sharing one PostgreSQL database, during an import of $archive into it"
  for port in $ports; do
    for kind in $kinds; do
      echo "$port $(grep -E "^$kind " "$work/wrk-$port-$kind.log" || echo "$kind: wrk failed")"
    done
    echo "$port healthz after: $(curl -sf "http://127.0.0.1:$port/healthz" || echo unreachable)"
    echo "$port 5xx/panics logged: $(grep -ciE 'panicked|status=5[0-9][0-9]| 500 ' "$work/serve-$port.log" || true)"
    echo "$port warnings logged: $(grep -c 'WARN' "$work/serve-$port.log" || true)"
  done
  echo "import: $(grep -E '^imported|^exit' "$work/import.log" | tr '\n' ' ')"
} | tee "$work/summary.txt"
cleanup
pids=()

if [ "${SQLITE:-1}" = 1 ]; then
  echo "--- the SQLite side, same run: scripts/load.sh (one server, one SQLite file) ---" | tee -a "$work/summary.txt"
  KINDS="$kinds" CONNECTIONS="$connections" DURATION="$duration" ARCHIVE="$archive" \
    PORT="${SQLITE_PORT:-3923}" scripts/load.sh | tee -a "$work/summary.txt"
fi
