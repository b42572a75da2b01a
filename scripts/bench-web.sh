#!/usr/bin/env bash
# Web speed benchmark (issue: article pages vs nginx, search vs direct FTS5).
# Needs the archive at ../shared/corpus; installs wrk and nginx-light with apt-get if missing.
# Usage: scripts/bench-web.sh [seconds]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
for pkg in wrk:wrk nginx:nginx-light; do
  command -v "${pkg%%:*}" >/dev/null || { apt-get update -qq; apt-get install -y -qq "${pkg#*:}" >/dev/null; }
done
cargo build --release -q
work=target/bench-web
mkdir -p "$work/static/articles"
db=$work/kbfix.db
[ -f "$db" ] || ./target/release/kbfix --db "$db" import ../shared/corpus/kb-txt.tar.gz
./target/release/kbfix --db "$db" serve --addr 127.0.0.1:3901 > "$work/serve.log" 2>&1 &
kb=$!
cleanup() { kill "$kb" 2>/dev/null || true; [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 50); do curl -sf http://127.0.0.1:3901/healthz >/dev/null && break; sleep 0.2; done
curl -sf http://127.0.0.1:3901/articles/Q168465 > "$work/static/articles/Q168465"
cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $PWD/$work/nginx.pid;
error_log $PWD/$work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  server { listen 127.0.0.1:3902; root $PWD/$work/static; }
}
NGINX
nginx -c "$PWD/$work/nginx.conf"
sleep 0.5
rps() { wrk -t2 -c64 -d"${secs}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
echo "article page Q168465, 64 connections, ${secs}s each:"
nginx_rps=$(rps http://127.0.0.1:3902/articles/Q168465)
kbfix_rps=$(rps http://127.0.0.1:3901/articles/Q168465)
echo "  nginx static file: $nginx_rps req/s"
awk -v k="$kbfix_rps" -v n="$nginx_rps" 'BEGIN { printf "  kbfix:             %s req/s  (%.2f of nginx; target >= 0.5)\n", k, k / n }'
echo "search /api/search, one connection, query mix:"
# A short warm-up so neither side is measured on a cold page cache.
wrk -t1 -c1 -d2s -s scripts/search-mix.lua http://127.0.0.1:3901 >/dev/null
wrk -t1 -c1 -d"${secs}s" --latency -s scripts/search-mix.lua http://127.0.0.1:3901 | awk '/Latency/ && !done {print "  HTTP latency avg " $2; done=1} /99%/ {print "  HTTP p99 " $2}'
cargo bench -q --bench search -- "$db"
