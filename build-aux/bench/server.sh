#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# build-aux/bench/server.sh BUILD_DIR [--postgres]
#
# How fast tokens-server checks a token and answers at all, next to
# nginx serving a file of the same size, in one run on one machine
# (machines here are noisy: compare the ratios, not the raw figures).
# wrk on loopback, at each connection count, against:
#   nginx static          Debian's nginx, one worker, the verify answer as a file
#   tokens-server health  GET /v1/health
#   tokens-server verify  GET /v1/tokens/verify with a valid access token
# and one table of requests/s, p50, p99 and every error wrk counts, the
# ratios to nginx and the aims beside them. Errors never stop the run:
# they are printed under an "ERRORS" marker and the exit status stays 0
# (it is non-zero only when the bench itself cannot run).
#
# No secret goes on a command line: the password, the API token and the
# access token live in files of a mode-700 temporary folder (curl reads
# its body and headers with @file, wrk its header from a Lua script).
# nginx's root is a second, mode-755 folder (its workers run as
# www-data) that holds only the public JSON file.
#
# tokens-server is used only through its command line and the API
# (--database, --listen, --allow-signup; "listening on URL" on stdout),
# and signed up to exactly once.
#
# BENCH_DURATION      wrk's duration per run (default 5s)
# BENCH_THREADS       wrk's threads (default 2)
# BENCH_CONNECTIONS   connection counts, a list (default "50 500")
# BENCH_SOAK          seconds of wrk on verify at 50 connections while
#                     tokens-server's RSS is sampled every 5 s (default 0: skip)
# BENCH_POSTGRES=1    the same as --postgres: instead of the above, SQLite
#                     next to PostgreSQL with one and two instances, and
#                     the gateway check through nginx (server-postgres.sh)

set -euo pipefail

build_dir=${1:?usage: $0 BUILD_DIR [--postgres]}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
case "${2:-}" in
  --postgres) BENCH_POSTGRES=1 ;;
  '') ;;
  *) echo "usage: $0 BUILD_DIR [--postgres]" >&2; exit 2 ;;
esac
if [ "${BENCH_POSTGRES:-0}" = 1 ]; then
  exec "$here/server-postgres.sh" "$build_dir"
fi
server_bin=$build_dir/src/server/tokens-server
nginx_bin=/usr/sbin/nginx
duration=${BENCH_DURATION:-5s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-50 500}
soak=${BENCH_SOAK:-0}

# The aims (the project's, not nginx's).
aim_ratio=0.5        # verify >= 0.5 x nginx requests/s at 50 connections
aim_p99_ms=50        # p99 < 50 ms at 500 connections

die() { echo "bench: $*" >&2; exit 1; }

for tool in wrk curl; do
  command -v "$tool" >/dev/null || die "$tool is needed"
done
[ -x "$nginx_bin" ] || die "$nginx_bin is needed (apt-get install nginx-light)"
[ -x "$server_bin" ] || die "no tokens-server in $build_dir (build first)"
case "$soak" in ''|*[!0-9]*) die "BENCH_SOAK is a number of seconds, not '$soak'" ;; esac
max_connections=0
for c in $connections; do
  case "$c" in ''|*[!0-9]*|0) die "BENCH_CONNECTIONS is a list of counts, not '$connections'" ;; esac
  if [ "$c" -gt "$max_connections" ]; then max_connections=$c; fi
done
[ "$max_connections" -gt 0 ] || die "BENCH_CONNECTIONS is empty"

# wrk, nginx and tokens-server each hold one descriptor per connection:
# 500 of them do not fit the usual soft limit of 1024 once all three and
# their listeners are counted. Children inherit the raised limit.
ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -Sn)" != unlimited ] && [ "$(ulimit -Sn)" -lt $((max_connections + 256)) ]; then
  echo "bench: warning: only $(ulimit -Sn) file descriptors for $max_connections connections" >&2
fi

umask 077
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tokens-bench-XXXXXX")
chmod 700 "$tmp"
www=
server_pid=
nginx_pid=
wrk_pid=
sleep_pid=

stop() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  trap - INT TERM
  stop "$sleep_pid"
  stop "$wrk_pid"
  if [ -n "$nginx_pid" ]; then
    # By its pid file, as nginx means it; the PID we started is the same
    # process (daemon off) and covers a start that failed before writing it.
    local pid
    pid=$(cat "$tmp/nginx/nginx.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$pid" != "$nginx_pid" ]; then kill -TERM "$pid" 2>/dev/null || true; fi
    stop "$nginx_pid"
  fi
  stop "$server_pid"
  rm -rf "$tmp"
  [ -z "$www" ] || rm -rf "$www"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- tokens-server, one account, one read access token -----------------

"$server_bin" --database "$tmp/tokens.db" --listen 127.0.0.1:0 --allow-signup \
  >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!

url=
for _ in $(seq 100); do
  line=$(head -n 1 "$tmp/server.out" 2>/dev/null || true)
  case "$line" in
    "listening on "*) url=${line#listening on }; break ;;
  esac
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.05
done
if [ -z "$url" ]; then
  echo "bench: tokens-server did not start:" >&2
  cat "$tmp/server.err" >&2
  exit 1
fi

# token_of FILE: the `token` member (a secret) of the JSON reply in FILE.
token_of() {
  sed -n 's/.*"token":"\(tk[a-z]*_[0-9A-Za-z]*\)".*/\1/p' "$1"
}

printf '{"email": "bench@example.com", "password": "%s"}' "bench-$$-$RANDOM$RANDOM" >"$tmp/signup.json"
curl -sS --fail -o "$tmp/signup.out" -H 'Content-Type: application/json' \
  --data-binary @"$tmp/signup.json" "$url/v1/accounts"
api_key=$(token_of "$tmp/signup.out")
[ -n "$api_key" ] || die "sign-up gave no API token"

printf 'Authorization: Bearer %s\n' "$api_key" >"$tmp/api.header"
printf '{"name": "benchmark", "scopes": ["read"], "expires_in_days": 1}' >"$tmp/create.json"
curl -sS --fail -o "$tmp/create.out" -H @"$tmp/api.header" -H 'Content-Type: application/json' \
  --data-binary @"$tmp/create.json" "$url/v1/tokens"
access=$(token_of "$tmp/create.out")
[ -n "$access" ] || die "no access token was made"

printf 'Authorization: Bearer %s\n' "$access" >"$tmp/access.header"
{
  printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$access"
  cat "$here/report.lua"
} >"$tmp/verify.lua"

# One request first, with the token wrk will send: it must be accepted,
# or the numbers mean nothing. Its answer is also what nginx serves.
curl -sS --fail -o "$tmp/verify.out" -H @"$tmp/access.header" "$url/v1/tokens/verify"

# --- nginx: the same bytes as a static file ----------------------------

www=$(mktemp -d "${TMPDIR:-/tmp}/tokens-bench-www-XXXXXX")
chmod 755 "$www"
# The verify answer names the account and the token's id, never a token;
# should that ever change, serve a made-up answer of the same shape.
if grep -q 'tk[a-z]*_' "$tmp/verify.out"; then
  printf '{"account_id":1,"email":"bench@example.com","kind":"access","token_id":1,"scopes":["read"],"expires_at":"2030-01-01T00:00:00Z","is_previous":false}' \
    >"$www/verify.json"
else
  cp "$tmp/verify.out" "$www/verify.json"
fi
chmod 644 "$www/verify.json"

mkdir -m 700 "$tmp/nginx"
free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The pid file, the error log and every temporary path in the private
# folder: nothing of this run is written under /var or /run.
write_nginx_conf() {
  local n=$tmp/nginx
  cat >"$n/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $n/nginx.pid;
lock_file $n/nginx.lock;
error_log $n/error.log warn;

events {
  worker_connections $((max_connections + 1024));
}

http {
  access_log off;
  default_type application/json;
  client_body_temp_path $n/body;
  proxy_temp_path $n/proxy;
  fastcgi_temp_path $n/fastcgi;
  uwsgi_temp_path $n/uwsgi;
  scgi_temp_path $n/scgi;

  server {
    listen 127.0.0.1:$1;
    root $www;
  }
}
CONF
}

# The port is free when picked and may be taken before nginx binds it:
# try a few.
nginx_url=
for _ in 1 2 3 4 5; do
  port=$(free_port)
  write_nginx_conf "$port"
  "$nginx_bin" -p "$tmp/nginx/" -e "$tmp/nginx/error.log" -c "$tmp/nginx/nginx.conf" \
    >"$tmp/nginx/stdout" 2>&1 &
  nginx_pid=$!
  for _ in $(seq 100); do
    kill -0 "$nginx_pid" 2>/dev/null || break
    if [ -s "$tmp/nginx/nginx.pid" ] &&
       curl -sf -o /dev/null "http://127.0.0.1:$port/verify.json" 2>/dev/null; then
      nginx_url=http://127.0.0.1:$port
      break
    fi
    sleep 0.05
  done
  [ -n "$nginx_url" ] && break
  stop "$nginx_pid"
  nginx_pid=
  grep -q 'Address already in use' "$tmp/nginx/error.log" "$tmp/nginx/stdout" 2>/dev/null || break
done
if [ -z "$nginx_url" ]; then
  echo "bench: nginx did not start:" >&2
  cat "$tmp/nginx/error.log" "$tmp/nginx/stdout" >&2 2>/dev/null || true
  exit 1
fi
content_type=$(curl -sS --fail -o /dev/null -w '%{content_type}' "$nginx_url/verify.json")
[ "$content_type" = application/json ] || die "nginx answers with '$content_type', not application/json"
nginx_version=$("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //')

# --- wrk -----------------------------------------------------------------

# run_wrk NAME CONNECTIONS DURATION SCRIPT URL: wrk in the background, so
# a signal reaches the trap at once and the cleanup can stop it.
run_wrk() {
  local name=$1 conns=$2 dur=$3 script=$4 target=$5 rc=0
  wrk -t"$threads" -c"$conns" -d"$dur" -s "$script" "$target" >"$tmp/$name.wrk" 2>&1 &
  wrk_pid=$!
  wait "$wrk_pid" || rc=$?
  wrk_pid=
  if [ $rc -ne 0 ] || ! grep -q '^bench-result ' "$tmp/$name.wrk"; then
    echo "bench: wrk failed on $name:" >&2
    cat "$tmp/$name.wrk" >&2
    exit 1
  fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "ERRORS: tokens-server exited during $name; its stderr:" >&2
    tail -n 20 "$tmp/server.err" >&2
    exit 1
  fi
}

# field NAME KEY: one value of the run's bench-result line.
field() {
  sed -n "s/^bench-result .*\\b$2=\\([0-9.]*\\).*/\\1/p" "$tmp/$1.wrk"
}

targets=(nginx health verify)
declare -A label=(
  [nginx]="nginx static"
  [health]="tokens-server health"
  [verify]="tokens-server verify"
)
declare -A script=(
  [nginx]=$here/report.lua
  [health]=$here/report.lua
  [verify]=$tmp/verify.lua
)
declare -A target_url=(
  [nginx]=$nginx_url/verify.json
  [health]=$url/v1/health
  [verify]=$url/v1/tokens/verify
)

load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# The three targets in turn at one connection count, then the next: each
# comparison is between runs seconds apart.
for c in $connections; do
  for t in "${targets[@]}"; do
    echo "bench: ${label[$t]}, $c connections, $duration" >&2
    run_wrk "$t-$c" "$c" "$duration" "${script[$t]}" "${target_url[$t]}"
  done
done

# --- memory over time ----------------------------------------------------

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status" 2>/dev/null || true; }

samples=()
if [ "$soak" -gt 0 ]; then
  echo "bench: soak, tokens-server verify, 50 connections, ${soak}s, RSS every 5 s" >&2
  soak_start=$(date +%s)
  samples+=("0s $(rss_kib)")
  wrk -t"$threads" -c50 -d"${soak}s" -s "$tmp/verify.lua" "${target_url[verify]}" \
    >"$tmp/soak.wrk" 2>&1 &
  wrk_pid=$!
  soak_wrk_pid=$wrk_pid
  next=5
  while kill -0 "$wrk_pid" 2>/dev/null; do
    sleep 1 &
    sleep_pid=$!
    wait "$sleep_pid" || true
    sleep_pid=
    now=$(($(date +%s) - soak_start))
    if [ "$now" -ge "$next" ] && kill -0 "$wrk_pid" 2>/dev/null; then
      samples+=("${now}s $(rss_kib)")
      next=$((next + 5))
    fi
  done
  rc=0
  wait "$soak_wrk_pid" || rc=$?
  wrk_pid=
  samples+=("$(($(date +%s) - soak_start))s,after $(rss_kib)")
  if [ $rc -ne 0 ] || ! grep -q '^bench-result ' "$tmp/soak.wrk"; then
    echo "bench: wrk failed on the soak:" >&2
    cat "$tmp/soak.wrk" >&2
    exit 1
  fi
  kill -0 "$server_pid" 2>/dev/null || {
    echo "ERRORS: tokens-server exited during the soak; its stderr:" >&2
    tail -n 20 "$tmp/server.err" >&2
    exit 1
  }
fi

# --- the table -------------------------------------------------------------

ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

echo
echo "tokens-server $url and $nginx_version (1 worker, static file) on 127.0.0.1"
echo "wrk $threads threads, $duration per run, $(nproc) cores, load average before: $load_before"
echo "(a shared, noisy machine: compare the ratios within one run, not figures across runs)"
echo
row() { printf '%-28s %6s %10s %9s %9s %8s %6s %6s %8s %8s\n' "$@"; }
row target conns 'req/s' 'p50 ms' 'p99 ms' connect read write timeout 'non-2xx'
errors=()
rows=()
for c in $connections; do
  for t in "${targets[@]}"; do rows+=("$t-$c ${label[$t]}|$c"); done
done
if [ "$soak" -gt 0 ]; then rows+=("soak tokens-server verify, soak|50"); fi
for row in "${rows[@]}"; do
  name=${row%% *}
  rest=${row#* }
  what=${rest%|*}
  c=${rest##*|}
  e_connect=$(field "$name" connect) e_read=$(field "$name" read)
  e_write=$(field "$name" write) e_timeout=$(field "$name" timeout) e_status=$(field "$name" status)
  row "$what" "$c" "$(awk -v r="$(field "$name" rps)" 'BEGIN { printf "%.0f", r }')" \
    "$(ms "$(field "$name" p50_us)")" "$(ms "$(field "$name" p99_us)")" \
    "$e_connect" "$e_read" "$e_write" "$e_timeout" "$e_status"
  if [ $((e_connect + e_read + e_write + e_timeout + e_status)) -gt 0 ]; then
    errors+=("$what at $c connections: connect $e_connect, read $e_read, write $e_write, timeout $e_timeout, non-2xx/3xx $e_status")
  fi
done
echo "(non-2xx: replies with an HTTP status of 400 or more, as wrk counts them)"

echo
printf '%-8s %14s %14s %14s\n' conns 'verify/nginx' 'health/nginx' 'verify/health'
ratio() { awk -v a="$(field "$1" rps)" -v b="$(field "$2" rps)" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
for c in $connections; do
  printf '%-8s %13sx %13sx %13sx\n' "$c" \
    "$(ratio "verify-$c" "nginx-$c")" "$(ratio "health-$c" "nginx-$c")" "$(ratio "verify-$c" "health-$c")"
done

echo
echo "aims"
verdict() { if [ "$1" = 1 ]; then echo met; else echo "NOT MET"; fi; }
has() { case " $connections " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }
if has 50; then
  r=$(ratio verify-50 nginx-50)
  printf '  %-46s %12s  %s\n' "verify >= ${aim_ratio}x nginx at 50 connections" "${r}x" \
    "$(verdict "$(awk -v r="$r" -v a="$aim_ratio" 'BEGIN { print (r >= a) }')")"
else
  printf '  %-46s %12s\n' "verify >= ${aim_ratio}x nginx at 50 connections" "not run"
fi
for t in verify health; do
  if has 500; then
    p=$(ms "$(field "$t-500" p99_us)")
    printf '  %-46s %12s  %s\n' "$t p99 < $aim_p99_ms ms at 500 connections" "$p ms" \
      "$(verdict "$(awk -v p="$p" -v a="$aim_p99_ms" 'BEGIN { print (p < a) }')")"
  else
    printf '  %-46s %12s\n' "$t p99 < $aim_p99_ms ms at 500 connections" "not run"
  fi
done
printf '  %-46s %12s  %s\n' "zero errors (every run above)" "${#errors[@]} runs" \
  "$(verdict "$([ ${#errors[@]} -eq 0 ] && echo 1 || echo 0)")"

if [ "$soak" -gt 0 ]; then
  echo
  echo "tokens-server RSS during ${soak}s of verify at 50 connections (KiB)"
  for s in "${samples[@]}"; do printf '  t=%-9s %8s\n' "${s%% *}" "${s#* }"; done
  printf '%s\n' "${samples[@]}" | awk '
    $2 != "" { if (n == 0) first = $2; last = $2; if ($2 > max) max = $2; n++ }
    END { printf "  first %.1f MiB, last %.1f MiB, max %.1f MiB, last - first %+.1f MiB\n",
                 first / 1024, last / 1024, max / 1024, (last - first) / 1024 }'
fi

if [ ${#errors[@]} -gt 0 ]; then
  echo
  echo "ERRORS"
  for e in "${errors[@]}"; do echo "  $e"; done
fi
exit 0
