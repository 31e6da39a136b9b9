#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# build-aux/bench/server-postgres.sh BUILD_DIR
#   (also: build-aux/bench/server.sh BUILD_DIR --postgres, or BENCH_POSTGRES=1)
#
# tokens-server on PostgreSQL next to SQLite, and behind nginx, in one run
# on one machine (compare the ratios, not the raw figures). wrk at 50
# connections on loopback against:
#   nginx static            Debian's nginx, one worker, the verify answer as a file
#   SQLite, one instance    GET /v1/tokens/verify with a valid access token
#   PostgreSQL, one         the same on one instance on PostgreSQL (which keeps
#                           the tokens it looked up: ts-verify-cache.c)
#   --no-verify-cache       the same on a third instance, --no-verify-cache:
#                           a query per request
#   PostgreSQL, two + nginx the same through nginx balancing over two
#                           instances on one database (round robin, keepalive)
#   gateway through nginx   the same file as "nginx static", served by nginx
#                           behind auth_request to GET /v1/gateway/check on the
#                           two PostgreSQL instances (the internal location and
#                           upstream of data/nginx-gateway.conf): what the
#                           check adds to nginx's own answer
#   then proxied to an API  data/nginx-gateway.conf whole, addresses changed
#                           (as tests/server/test_gateway.py): the check, then
#                           a second proxied request to the team's API, which
#                           the same nginx worker serves too
# and one table of requests/s, p50, p99 and every error wrk counts, the
# ratios and the aims: PostgreSQL one instance >= 0.7 x SQLite, the gateway
# through nginx >= 0.5 x nginx static.
#
# PostgreSQL is a private cluster in a temporary folder, started by
# tests/harness/with-postgres (the test suite's: Unix socket only, fsync
# and synchronous_commit off, which verify — a read — hardly notices).
# One nginx serves all three nginx rows, with one worker. Secrets stay in
# files of a mode-700 folder, as in server.sh.
#
# BENCH_DURATION      wrk's duration per run (default 5s)
# BENCH_THREADS       wrk's threads (default 2)

set -euo pipefail

build_dir=${1:?usage: $0 BUILD_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)

# A cluster of our own first: run again inside with-postgres.
if [ -z "${TOKENS_TEST_POSTGRES:-}" ]; then
  build_dir=$(cd "$build_dir" && pwd)
  exec "$top/tests/harness/with-postgres" "$0" "$build_dir"
fi

server_bin=$build_dir/src/server/tokens-server
nginx_bin=/usr/sbin/nginx
pg_bindir=${TOKENS_TEST_POSTGRES_BINDIR:-/usr/lib/postgresql/15/bin}
duration=${BENCH_DURATION:-5s}
threads=${BENCH_THREADS:-2}
conns=50
gateway_example=$top/data/nginx-gateway.conf

aim_pg=0.7          # PostgreSQL one instance >= 0.7 x SQLite
aim_gateway=0.5     # gateway through nginx >= 0.5 x nginx static

die() { echo "bench: $*" >&2; exit 1; }

for tool in wrk curl; do
  command -v "$tool" >/dev/null || die "$tool is needed"
done
[ -x "$nginx_bin" ] || die "$nginx_bin is needed (apt-get install nginx-light)"
[ -x "$server_bin" ] || die "no tokens-server in $build_dir (build first)"
[ -r "$gateway_example" ] || die "no $gateway_example"

ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true

umask 077
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tokens-bench-pg-XXXXXX")
chmod 700 "$tmp"
www=
nginx_pid=
wrk_pid=
declare -A server_pid=()

stop() {
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  trap - INT TERM
  stop "$wrk_pid"
  if [ -n "$nginx_pid" ]; then
    local pid
    pid=$(cat "$tmp/nginx/nginx.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && [ "$pid" != "$nginx_pid" ]; then kill -TERM "$pid" 2>/dev/null || true; fi
    stop "$nginx_pid"
  fi
  local name
  for name in "${!server_pid[@]}"; do stop "${server_pid[$name]}"; done
  rm -rf "$tmp"
  [ -z "$www" ] || rm -rf "$www"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the instances -------------------------------------------------------

# The cluster's socket and user, from with-postgres' URI (no database in it).
pg_query=${TOKENS_TEST_POSTGRES#*\?}
pg_host=$(printf '%s\n' "$pg_query" | tr '&' '\n' | sed -n 's/^host=//p')
pg_user=$(printf '%s\n' "$pg_query" | tr '&' '\n' | sed -n 's/^user=//p')
[ -n "$pg_host" ] || die "no host= in TOKENS_TEST_POSTGRES"
"$pg_bindir/createdb" -h "$pg_host" -U "${pg_user:-postgres}" tokens_bench
pg_uri="postgresql:///tokens_bench?host=$pg_host&user=${pg_user:-postgres}"

declare -A url=()

# start_server NAME DATABASE: tokens-server in the background; its URL in url[NAME].
start_server() {
  local name=$1 database=$2 line=
  # shellcheck disable=SC2086  # BENCH_SERVER_ARGS: more options, split on spaces
  "$server_bin" --database "$database" --listen 127.0.0.1:0 --allow-signup ${BENCH_SERVER_ARGS:-} \
    >"$tmp/$name.out" 2>"$tmp/$name.err" &
  server_pid[$name]=$!
  for _ in $(seq 200); do
    line=$(head -n 1 "$tmp/$name.out" 2>/dev/null || true)
    case "$line" in
      "listening on "*) url[$name]=${line#listening on }; return 0 ;;
    esac
    kill -0 "${server_pid[$name]}" 2>/dev/null || break
    sleep 0.05
  done
  echo "bench: tokens-server ($name) did not start:" >&2
  cat "$tmp/$name.err" >&2
  exit 1
}

start_server sqlite "$tmp/tokens.db"
start_server pg_a "$pg_uri"
# After A: it made the schema.
start_server pg_b "$pg_uri"
BENCH_SERVER_ARGS="${BENCH_SERVER_ARGS:-} --no-verify-cache" start_server pg_nocache "$pg_uri"

token_of() {
  sed -n 's/.*"token":"\(tk[a-z]*_[0-9A-Za-z]*\)".*/\1/p' "$1"
}

# access_token NAME: signs up on server NAME, makes a read access token,
# and leaves the verify header in $tmp/NAME.lua (the secret only in files).
access_token() {
  local name=$1 base=${url[$1]} api_key access
  printf '{"email": "bench@example.com", "password": "%s"}' "bench-$$-$RANDOM$RANDOM" \
    >"$tmp/$name.signup.json"
  curl -sS --fail -o "$tmp/$name.signup.out" -H 'Content-Type: application/json' \
    --data-binary @"$tmp/$name.signup.json" "$base/v1/accounts"
  api_key=$(token_of "$tmp/$name.signup.out")
  [ -n "$api_key" ] || die "sign-up on $name gave no API token"
  printf 'Authorization: Bearer %s\n' "$api_key" >"$tmp/$name.api.header"
  printf '{"name": "benchmark", "scopes": ["read"], "expires_in_days": 1}' >"$tmp/create.json"
  curl -sS --fail -o "$tmp/$name.create.out" -H @"$tmp/$name.api.header" \
    -H 'Content-Type: application/json' --data-binary @"$tmp/create.json" "$base/v1/tokens"
  access=$(token_of "$tmp/$name.create.out")
  [ -n "$access" ] || die "no access token was made on $name"
  printf 'Authorization: Bearer %s\n' "$access" >"$tmp/$name.access.header"
  {
    printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$access"
    cat "$here/report.lua"
  } >"$tmp/$name.lua"
}

access_token sqlite
access_token pg_a
# The token made on A verifies on B: the same database.
curl -sS --fail -o "$tmp/verify.out" -H @"$tmp/pg_a.access.header" "${url[pg_b]}/v1/tokens/verify"
curl -sS --fail -o /dev/null -H @"$tmp/sqlite.access.header" "${url[sqlite]}/v1/tokens/verify"

# --- nginx: a static file, a balancer, the gateway ------------------------

www=$(mktemp -d "${TMPDIR:-/tmp}/tokens-bench-www-XXXXXX")
chmod 755 "$www"
mkdir -m 755 "$www/api"
if grep -q 'tk[a-z]*_' "$tmp/verify.out"; then
  printf '{"account_id":1,"email":"bench@example.com","kind":"access","token_id":1,"scopes":["read"],"expires_at":"2030-01-01T00:00:00Z","is_previous":false}' \
    >"$www/api/verify.json"
else
  cp "$tmp/verify.out" "$www/api/verify.json"
fi
chmod 644 "$www/api/verify.json"

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

hostport() { local u=${1#http://}; printf '%s' "${u%%/*}"; }
pg_a_addr=$(hostport "${url[pg_a]}")
pg_b_addr=$(hostport "${url[pg_b]}")

mkdir -m 700 "$tmp/nginx"
n=$tmp/nginx
static_port='' lb_port='' gw_port='' guard_port=''

# The shipped example with its addresses changed: tokens-server is the two
# PostgreSQL instances, the team's API the static server block below.
write_nginx_conf() {
  static_port=$(free_port) lb_port=$(free_port) gw_port=$(free_port) guard_port=$(free_port)
  awk -v a="$pg_a_addr" -v b="$pg_b_addr" -v api="127.0.0.1:$static_port" -v gw="127.0.0.1:$gw_port" '
    /^ *server 127\.0\.0\.1:8080;/ { sub(/127\.0\.0\.1:8080;/, a "; server " b ";"); tokens++ }
    /^ *server 127\.0\.0\.1:9000;/ { sub(/127\.0\.0\.1:9000;/, api ";"); api_seen++ }
    /^ *listen 80;/ { sub(/listen 80;/, "listen " gw ";"); listen_seen++ }
    { print }
    END { if (tokens != 1 || api_seen != 1 || listen_seen != 1) exit 1 }
  ' "$gateway_example" >"$n/gateway.conf" ||
    die "data/nginx-gateway.conf no longer has the addresses this bench changes"
  cat >"$n/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $n/nginx.pid;
lock_file $n/nginx.lock;
error_log $n/error.log warn;

events {
  worker_connections 4096;
}

http {
  access_log off;
  default_type application/json;
  client_body_temp_path $n/body;
  proxy_temp_path $n/proxy;
  fastcgi_temp_path $n/fastcgi;
  uwsgi_temp_path $n/uwsgi;
  scgi_temp_path $n/scgi;

  # nginx's own answer, and the gateway's "team API".
  server {
    listen 127.0.0.1:$static_port;
    root $www;
  }

  # Two instances on one database, round robin.
  upstream tokens_servers {
    server $pg_a_addr;
    server $pg_b_addr;
    keepalive 32;
  }
  server {
    listen 127.0.0.1:$lb_port;
    location / {
      proxy_pass http://tokens_servers;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }

  include $n/gateway.conf;

  # The file itself behind the check, with the example's internal
  # location (its upstream tokens_server is the two instances).
  server {
    listen 127.0.0.1:$guard_port;
    location /api/ {
      auth_request /_tokens/read;
      root $www;
    }
CONF
  awk '/^ *location = \/_tokens\/read \{/ { on = 1 } on { print } on && /^ *\}/ { exit }' \
    "$n/gateway.conf" >>"$n/nginx.conf"
  printf '  }\n}\n' >>"$n/nginx.conf"
  grep -q '_tokens/read' "$n/nginx.conf" || die "data/nginx-gateway.conf has no location = /_tokens/read"
}

nginx_ok=
for _ in 1 2 3 4 5; do
  write_nginx_conf
  "$nginx_bin" -p "$n/" -e "$n/error.log" -c "$n/nginx.conf" >"$n/stdout" 2>&1 &
  nginx_pid=$!
  for _ in $(seq 100); do
    kill -0 "$nginx_pid" 2>/dev/null || break
    if [ -s "$n/nginx.pid" ] &&
       curl -sf -o /dev/null "http://127.0.0.1:$static_port/api/verify.json" 2>/dev/null; then
      nginx_ok=1
      break
    fi
    sleep 0.05
  done
  [ -n "$nginx_ok" ] && break
  stop "$nginx_pid"
  nginx_pid=
  grep -q 'Address already in use' "$n/error.log" "$n/stdout" 2>/dev/null || break
done
if [ -z "$nginx_ok" ]; then
  echo "bench: nginx did not start:" >&2
  cat "$n/error.log" "$n/stdout" >&2 2>/dev/null || true
  exit 1
fi
nginx_version=$("$nginx_bin" -v 2>&1 | sed 's/^nginx version: //')

# What wrk will ask, once by hand: each must answer 200, or the numbers
# mean nothing; and the gateway must refuse a request without a token.
curl -sS --fail -o /dev/null -H @"$tmp/pg_a.access.header" "http://127.0.0.1:$lb_port/v1/tokens/verify"
curl -sS --fail -o "$tmp/gateway.out" -H @"$tmp/pg_a.access.header" "http://127.0.0.1:$gw_port/api/verify.json"
cmp -s "$tmp/gateway.out" "$www/api/verify.json" || die "the gateway did not answer the team API's file"
curl -sS --fail -o "$tmp/guard.out" -H @"$tmp/pg_a.access.header" "http://127.0.0.1:$guard_port/api/verify.json"
cmp -s "$tmp/guard.out" "$www/api/verify.json" || die "the guarded file was not answered"
curl -sS --fail -o /dev/null -H @"$tmp/pg_a.access.header" "${url[pg_nocache]}/v1/tokens/verify"
for port in "$gw_port" "$guard_port"; do
  status=$(curl -sS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/verify.json")
  [ "$status" = 401 ] || die "the gateway let a request without a token through ($status)"
done

# --- wrk -----------------------------------------------------------------

run_wrk() {
  local name=$1 script=$2 target=$3 rc=0 s
  echo "bench: $name, $conns connections, $duration" >&2
  wrk -t"$threads" -c"$conns" -d"$duration" -s "$script" "$target" >"$tmp/$name.wrk" 2>&1 &
  wrk_pid=$!
  wait "$wrk_pid" || rc=$?
  wrk_pid=
  if [ $rc -ne 0 ] || ! grep -q '^bench-result ' "$tmp/$name.wrk"; then
    echo "bench: wrk failed on $name:" >&2
    cat "$tmp/$name.wrk" >&2
    exit 1
  fi
  for s in "${!server_pid[@]}"; do
    if ! kill -0 "${server_pid[$s]}" 2>/dev/null; then
      echo "ERRORS: tokens-server ($s) exited during $name; its stderr:" >&2
      tail -n 20 "$tmp/$s.err" >&2
      exit 1
    fi
  done
}

field() {
  sed -n "s/^bench-result .*\\b$2=\\([0-9.]*\\).*/\\1/p" "$tmp/$1.wrk"
}

targets=(nginx sqlite pg1 pg1nocache pg2 gateway gateway_api)
declare -A label=(
  [nginx]="nginx static"
  [sqlite]="verify, SQLite, 1 instance"
  [pg1]="verify, PostgreSQL, 1 instance"
  [pg1nocache]="  the same, --no-verify-cache"
  [pg2]="verify, PostgreSQL, 2 + nginx"
  [gateway]="gateway check through nginx"
  [gateway_api]="  the same, then proxied to an API"
)
declare -A script=(
  [nginx]=$here/report.lua
  [sqlite]=$tmp/sqlite.lua
  [pg1]=$tmp/pg_a.lua
  [pg1nocache]=$tmp/pg_a.lua
  [pg2]=$tmp/pg_a.lua
  [gateway]=$tmp/pg_a.lua
  [gateway_api]=$tmp/pg_a.lua
)
declare -A target_url=(
  [nginx]=http://127.0.0.1:$static_port/api/verify.json
  [sqlite]=${url[sqlite]}/v1/tokens/verify
  [pg1]=${url[pg_a]}/v1/tokens/verify
  [pg1nocache]=${url[pg_nocache]}/v1/tokens/verify
  [pg2]=http://127.0.0.1:$lb_port/v1/tokens/verify
  [gateway]=http://127.0.0.1:$guard_port/api/verify.json
  [gateway_api]=http://127.0.0.1:$gw_port/api/verify.json
)

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for t in "${targets[@]}"; do
  run_wrk "$t" "${script[$t]}" "${target_url[$t]}"
done

# --- the table -------------------------------------------------------------

ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }

echo
echo "tokens-server on SQLite and on PostgreSQL $("$pg_bindir/postgres" --version | sed 's/^postgres (PostgreSQL) \([^ ]*\).*/\1/')" \
     "(private cluster, Unix socket), $nginx_version (1 worker) on 127.0.0.1"
echo "wrk $threads threads, $conns connections, $duration per run, $(nproc) cores, load average before: $load_before"
echo "(a shared, noisy machine: compare the ratios within one run, not figures across runs)"
echo
row() { printf '%-32s %10s %9s %9s %8s %6s %6s %8s %8s\n' "$@"; }
row target 'req/s' 'p50 ms' 'p99 ms' connect read write timeout 'non-2xx'
errors=()
for t in "${targets[@]}"; do
  e_connect=$(field "$t" connect) e_read=$(field "$t" read)
  e_write=$(field "$t" write) e_timeout=$(field "$t" timeout) e_status=$(field "$t" status)
  row "${label[$t]}" "$(awk -v r="$(field "$t" rps)" 'BEGIN { printf "%.0f", r }')" \
    "$(ms "$(field "$t" p50_us)")" "$(ms "$(field "$t" p99_us)")" \
    "$e_connect" "$e_read" "$e_write" "$e_timeout" "$e_status"
  if [ $((e_connect + e_read + e_write + e_timeout + e_status)) -gt 0 ]; then
    errors+=("${label[$t]}: connect $e_connect, read $e_read, write $e_write, timeout $e_timeout, non-2xx/3xx $e_status")
  fi
done
echo "(non-2xx: replies with an HTTP status of 400 or more, as wrk counts them)"

ratio() { awk -v a="$(field "$1" rps)" -v b="$(field "$2" rps)" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo
printf '  %-46s %8sx\n' "PostgreSQL 1 instance / SQLite" "$(ratio pg1 sqlite)"
printf '  %-46s %8sx\n' "  the same, --no-verify-cache / SQLite" "$(ratio pg1nocache sqlite)"
printf '  %-46s %8sx\n' "PostgreSQL 2 + nginx / PostgreSQL 1 instance" "$(ratio pg2 pg1)"
printf '  %-46s %8sx\n' "PostgreSQL 2 + nginx / SQLite" "$(ratio pg2 sqlite)"
printf '  %-46s %8sx\n' "gateway through nginx / nginx static" "$(ratio gateway nginx)"
printf '  %-46s %8sx\n' "  the same, then proxied / nginx static" "$(ratio gateway_api nginx)"
printf '  %-46s %8sx\n' "SQLite verify / nginx static" "$(ratio sqlite nginx)"

echo
echo "aims"
verdict() { if [ "$1" = 1 ]; then echo met; else echo "NOT MET"; fi; }
meets() { awk -v r="$1" -v a="$2" 'BEGIN { print (r >= a) }'; }
r=$(ratio pg1 sqlite)
printf '  %-46s %8sx  %s\n' "PostgreSQL 1 instance >= ${aim_pg}x SQLite" "$r" "$(verdict "$(meets "$r" "$aim_pg")")"
r=$(ratio gateway nginx)
printf '  %-46s %8sx  %s\n' "gateway through nginx >= ${aim_gateway}x nginx static" "$r" \
  "$(verdict "$(meets "$r" "$aim_gateway")")"
printf '  %-46s %8s  %s\n' "zero errors (every run above)" "${#errors[@]} runs" \
  "$(verdict "$([ ${#errors[@]} -eq 0 ] && echo 1 || echo 0)")"

if [ ${#errors[@]} -gt 0 ]; then
  echo
  echo "ERRORS"
  for e in "${errors[@]}"; do echo "  $e"; done
fi
exit 0
