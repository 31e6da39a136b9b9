#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# app.sh BUILD_DIR — the app's start-up time and memory, beside a bare
# GTK 4 + libadwaita window built here, in the same run (build-aux/dev bench app).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
exec meson devenv -C "$build" "$top/tests/harness/session-run" --display --keyring -- \
    /usr/bin/python3 "$top/build-aux/bench/app.py" "$build"
