#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-service.sh UNIT TOKENS_SERVER
#
# The example systemd unit parses (systemd-analyze verify), with its
# ExecStart pointed at the tokens-server this build made (verify wants the
# binary to exist), and it starts the server the way the README says.

set -eu
unit=$1
server=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/tokens-unit-XXXXXX")
trap 'rm -rf "$work"' EXIT

grep -q '^ExecStart=/usr/local/bin/tokens-server --database /var/lib/tokens-server/tokens.db --listen 127.0.0.1:8080$' "$unit"
sed "s#^ExecStart=/usr/local/bin/tokens-server#ExecStart=$server#" "$unit" > "$work/tokens-server.service"
SYSTEMD_LOG_LEVEL=warning systemd-analyze verify "$work/tokens-server.service"
echo "ok: $unit"
