#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The harness itself: session-run --keyring gives a real, unlocked keyring
# on a private bus; without --keyring the bus has no secret service; each
# session has its own HOME. Prints TAP.

set -u
run=$(dirname "$0")/session-run
n=0
fail=0

check() {
    n=$((n + 1))
    if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fail=1; fi
}

echo "1..4"

# shellcheck disable=SC2016
out=$("$run" --keyring -- sh -c '
    printf s3cret-value | secret-tool store --label="Tokens harness" app org.example.Tokens.Test id 1 &&
    secret-tool lookup app org.example.Tokens.Test id 1')
[ "$out" = "s3cret-value" ]
check $? "keyring: a stored secret is looked up again"

"$run" -- sh -c 'printf x | secret-tool store --label=x app org.example.Tokens.Test id 1' 2>/tmp/tokens-harness-$$.err
rc=$?
grep -q 'org.freedesktop.secrets' /tmp/tokens-harness-$$.err
named=$?
rm -f /tmp/tokens-harness-$$.err
[ $rc -ne 0 ] && [ $named -eq 0 ]
check $? "no keyring: storing fails and says the secret service is missing"

# shellcheck disable=SC2016
a=$("$run" -- sh -c 'echo "$HOME $DBUS_SESSION_BUS_ADDRESS"')
# shellcheck disable=SC2016
b=$("$run" -- sh -c 'echo "$HOME $DBUS_SESSION_BUS_ADDRESS"')
[ -n "$a" ] && [ "$a" != "$b" ] && [ "${a#"$HOME"}" = "$a" ]
check $? "each session has its own HOME and bus"

"$run" -- sh -c 'exit 7'
[ $? -eq 7 ]
check $? "the command's exit status is the session's"

exit $fail
