#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# check-po.sh SOURCE_ROOT WORK_DIR
#
# Fails when
#   - a source file with a translatable string is not in po/POTFILES.in,
#   - po/POTFILES.in names a file that does not exist,
#   - po/pt_BR.po, merged with the strings in the sources as they are now,
#     has an untranslated or fuzzy entry (so a new string without its
#     Portuguese fails here, not only a stale entry),
#   - a translation drops or adds a printf placeholder (msgfmt --check).

set -eu

src=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
cd "$src"

status=0

# 1. Every file with a translatable string is listed.
grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort > "$work/listed"
{
    grep -rlE '(^|[^A-Za-z0-9_])(N?C?_|g_dngettext|ngettext)\s*\(' src --include='*.c' --include='*.h' || true
    grep -rl 'translatable="yes"' src data --include='*.ui' --include='*.xml' --include='*.in' || true
    ls org.example.Tokens.desktop 2>/dev/null || true
    ls data/*.gschema.xml 2>/dev/null || true
} | sort -u > "$work/found"
missing=$(comm -13 "$work/listed" "$work/found")
if [ -n "$missing" ]; then
    echo "Files with translatable strings missing from po/POTFILES.in:"
    echo "$missing" | sed 's/^/  /'
    status=1
fi
while read -r f; do
    if [ ! -f "$f" ]; then
        echo "po/POTFILES.in names a file that does not exist: $f"
        status=1
    fi
done < "$work/listed"
[ $status -eq 0 ] || exit $status

# 2. pt_BR is complete against the sources as they are now.
xgettext --from-code=UTF-8 --add-comments=Translators \
    --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 \
    --flag=g_strdup_printf:1:c-format --flag=g_set_error:4:c-format \
    --package-name=tokens -f "$work/listed" -o "$work/tokens.pot"
for lang in $(sed 's/#.*//' po/LINGUAS); do
    msgmerge --quiet --no-fuzzy-matching "po/$lang.po" "$work/tokens.pot" -o "$work/$lang.po"
    msgfmt --check -o /dev/null "po/$lang.po"
    stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$work/$lang.po" 2>&1)
    echo "$lang: $stats"
    case "$stats" in
        *untranslated*|*fuzzy*)
            echo "po/$lang.po is not complete for the strings in the sources:"
            { msgattrib --untranslated "$work/$lang.po"; msgattrib --only-fuzzy "$work/$lang.po"; } |
                grep '^msgid ' | grep -v '^msgid ""$' | sed 's/^/  /' | head -n 40
            status=1 ;;
    esac
    obsolete=$(msgattrib --only-obsolete "$work/$lang.po" | grep -c '^#~ msgid' || true)
    if [ "$obsolete" -gt 0 ]; then
        echo "po/$lang.po has $obsolete entries no source uses any more (run: meson compile tokens-update-po)"
        status=1
    fi
done
exit $status
