#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# build-aux/bench/server.sh BUILD_DIR
#
# How fast tokens-server checks a token, next to how fast it answers at
# all: wrk on loopback against GET /v1/tokens/verify with a valid access
# token, and against GET /v1/health, in the same run on the same server.
# Prints both requests/s, their ratio (the aim is verify >= 50% of
# health) and latency percentiles.
#
# No secret goes on a command line: the password, the API token and the
# access token live in files of a mode-700 temporary folder (curl reads
# its body and headers with @file, wrk its header from a Lua script).
#
# BENCH_DURATION (default 5s), BENCH_THREADS (2), BENCH_CONNECTIONS (50).

set -euo pipefail

build_dir=${1:?usage: $0 BUILD_DIR}
server_bin=$build_dir/src/server/tokens-server
duration=${BENCH_DURATION:-5s}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-50}

for tool in wrk curl; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 1; }
done
[ -x "$server_bin" ] || { echo "bench: no tokens-server in $build_dir (build first)" >&2; exit 1; }

umask 077
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tokens-bench-XXXXXX")
chmod 700 "$tmp"
server_pid=

cleanup() {
    if [ -n "$server_pid" ]; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

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
[ -n "$api_key" ] || { echo "bench: sign-up gave no API token" >&2; exit 1; }

printf 'Authorization: Bearer %s\n' "$api_key" >"$tmp/api.header"
printf '{"name": "benchmark", "scopes": ["read"], "expires_in_days": 1}' >"$tmp/create.json"
curl -sS --fail -o "$tmp/create.out" -H @"$tmp/api.header" -H 'Content-Type: application/json' \
    --data-binary @"$tmp/create.json" "$url/v1/tokens"
access=$(token_of "$tmp/create.out")
[ -n "$access" ] || { echo "bench: no access token was made" >&2; exit 1; }

printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$access" >"$tmp/verify.lua"

# One request first: the token must be accepted, or the numbers mean nothing.
curl -sS --fail -o /dev/null -H @"$tmp/api.header" "$url/v1/tokens/verify"

run() {
    local name=$1; shift
    wrk -t"$threads" -c"$connections" -d"$duration" --latency "$@" >"$tmp/$name.wrk" 2>&1 || {
        cat "$tmp/$name.wrk" >&2
        exit 1
    }
    if grep -q 'Non-2xx' "$tmp/$name.wrk"; then
        echo "bench: $name got error replies:" >&2
        cat "$tmp/$name.wrk" >&2
        exit 1
    fi
}

rps() { awk '/^Requests\/sec:/ { print $2 }' "$tmp/$1.wrk"; }
percentile() { awk -v p="$2%" '$1 == p { print $2 }' "$tmp/$1.wrk"; }

run health "$url/v1/health"
run verify -s "$tmp/verify.lua" "$url/v1/tokens/verify"

health_rps=$(rps health)
verify_rps=$(rps verify)
ratio=$(awk -v v="$verify_rps" -v h="$health_rps" 'BEGIN { printf "%.0f", 100 * v / h }')

echo "tokens-server on $url — wrk, $threads threads, $connections connections, $duration each"
printf '%-22s %12s %10s %10s %10s %10s\n' route 'requests/s' p50 p75 p90 p99
for name in health verify; do
    path=/v1/health
    [ "$name" = verify ] && path=/v1/tokens/verify
    printf '%-22s %12s %10s %10s %10s %10s\n' "GET $path" "$(rps $name)" \
        "$(percentile $name 50)" "$(percentile $name 75)" "$(percentile $name 90)" "$(percentile $name 99)"
done
echo "verify / health: $ratio% (aim: at least 50%)"
if [ "$ratio" -lt 50 ]; then
    echo "bench: below the aim" >&2
fi
if grep -q 'Socket errors' "$tmp/verify.wrk" "$tmp/health.wrk"; then
    grep -H 'Socket errors' "$tmp/verify.wrk" "$tmp/health.wrk" >&2
fi
