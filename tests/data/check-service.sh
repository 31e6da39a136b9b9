#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-service.sh UNIT TOKENS_SERVER
#
# The example systemd unit parses (systemd-analyze verify), with its
# ExecStart pointed at the tokens-server this build made (verify wants the
# binary to exist), and it starts the server the way the README says.
# So does the template unit beside it for several instances on PostgreSQL
# (tokens-server@.service, as instance 8081), which takes the database
# from its environment file.

set -eu
unit=$1
server=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/tokens-unit-XXXXXX")
trap 'rm -rf "$work"' EXIT

# systemd-analyze verify only warns of an unknown key or a bad value
# (and still exits 0): any warning fails here.
verify() {
  SYSTEMD_LOG_LEVEL=warning systemd-analyze verify "$1" 2>"$work/verify.err"
  if [ -s "$work/verify.err" ]; then
    cat "$work/verify.err" >&2
    return 1
  fi
}

grep -q '^ExecStart=/usr/local/bin/tokens-server --database /var/lib/tokens-server/tokens.db --listen 127.0.0.1:8080$' "$unit"
sed "s#^ExecStart=/usr/local/bin/tokens-server#ExecStart=$server#" "$unit" > "$work/tokens-server.service"
verify "$work/tokens-server.service"
echo "ok: $unit"

template=$(dirname "$unit")/tokens-server@.service
grep -q '^EnvironmentFile=-/etc/tokens-server.env$' "$template"
# shellcheck disable=SC2016  # systemd's ${…}, not the shell's
grep -q '^ExecStart=/usr/local/bin/tokens-server --database ${TOKENS_DATABASE} --listen 127.0.0.1:%i$' "$template"
sed "s#^ExecStart=/usr/local/bin/tokens-server#ExecStart=$server#" "$template" > "$work/tokens-server@8081.service"
verify "$work/tokens-server@8081.service"
echo "ok: $template"
