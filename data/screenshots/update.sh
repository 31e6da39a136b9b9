#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# data/screenshots/update.sh — refresh the screenshots the metainfo shows
# (and the README), from the real app: `build-aux/dev screenshots` takes
# every page in English and Portuguese; the English ones are kept here.
# A new page's PNG also needs its <screenshot> in
# data/org.example.Tokens.metainfo.xml.in: this script names those it misses.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tokens-screenshots-XXXXXX")
trap 'rm -rf "$work"' EXIT

"$top/build-aux/dev" screenshots "$work"
mkdir -p "$here/en"
cp "$work"/en/*.png "$here/en/"

for png in "$here"/en/*.png; do
    name=data/screenshots/en/$(basename "$png")
    if ! grep -q "$name" "$top/data/org.example.Tokens.metainfo.xml.in"; then
        echo "update.sh: $name is not in the metainfo's <screenshots>"
    fi
done
echo "update.sh: screenshots in $here/en"
