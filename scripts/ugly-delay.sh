#!/usr/bin/env bash
# How much eight ugly searches at once (32 common words and a fresh unknown word each, the
# load script's `ugly` kind) delay a normal search (the `search` kind, one connection), on a
# running server: rounds of the normal search alone, then beside the eight, alternating, so
# that the machine's other load falls on both alike.
#
# Usage: scripts/ugly-delay.sh http://127.0.0.1:3830   Env: ROUNDS=3 SECONDS_PER=10
# Needs wrk. Prints each round's normal-search p50/p99 and the delay (beside - alone).
set -euo pipefail
cd "$(dirname "$0")/.."
url=${1:?usage: scripts/ugly-delay.sh BASE_URL}
rounds=${ROUNDS:-3}
secs=${SECONDS_PER:-10}
normal() { KIND=search wrk -t1 -c1 -d"${secs}s" --latency -s scripts/load.lua "$url" | grep '^search'; }
field() { sed -n "s/.* $1 *\\([0-9.]*\\) ms.*/\\1/p"; }
curl -sf "$url/api/search?q=warm" >/dev/null
for r in $(seq "$rounds"); do
  alone=$(normal)
  KIND=ugly wrk -t1 -c8 -d"$((secs + 2))s" --latency -s scripts/load.lua "$url" > /tmp/ugly-delay.$$ &
  sleep 1
  beside=$(normal)
  wait
  echo "round $r alone:  $alone"
  echo "round $r beside: $beside"
  echo "round $r ugly:   $(grep '^ugly' /tmp/ugly-delay.$$)"
  echo "round $r delay: p50 $(echo "$(echo "$beside" | field p50) - $(echo "$alone" | field p50)" | bc) ms," \
    "p99 $(echo "$(echo "$beside" | field p99) - $(echo "$alone" | field p99)" | bc) ms"
done
rm -f /tmp/ugly-delay.$$
