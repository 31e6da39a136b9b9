#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-sentence-case.py PO_FILE

GNOME's Portuguese writes labels, titles and sentences in sentence case:
only the first word takes a capital ("Renovar token", "Boas práticas de
segurança"), not every word as English titles do ("Resetar Token",
"Boas Práticas de Segurança"). A word with a capital elsewhere than at
the start of a sentence, a quotation or a parenthesis fails here, unless
it is a name (NAMES) or written all in capitals (API, HTTP, NÃO)."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from importlib import import_module  # noqa: E402

glossary = import_module('check-glossary')

# Names keep their capitals anywhere: products, the seeds' English tab
# name "API Key", the app, a country, header names.
NAMES = {
    'API', 'Key', 'Tokens', 'Git', 'GNOME', 'Flatpak', 'Dashboard', 'Discloud', 'Z-API',
    'Brasil', 'Client-Token', 'Authorization', 'Bearer', 'Ctrl', 'Alt', 'Shift', 'Esc',
    'Enter', 'PostgreSQL', 'SQLite', 'Wayland', 'GitHub', 'GitLab', 'VS', 'Code', 'StatusNotifierItem',
    'D-Bus', 'Secret', 'Service', 'Senhas', 'Chaves',
}

WORD = re.compile(r"[^\W\d_][\w'’-]*")


def offenders(text):
    text = re.sub(r'<[^>]+>', '', text).replace('_', '')
    bad = []
    for match in WORD.finditer(text):
        word = match.group(0)
        if not word[0].isupper() or word in NAMES or word.upper() == word:
            continue
        before = text[:match.start()].rstrip(' ')
        # The start of the text, a sentence, a quotation, a parenthesis,
        # a line, or a label after "Tokens: ".
        if before == '' or before[-1] in '.!?:;“"(\n—•':
            continue
        bad.append(word)
    return bad


def main():
    path = sys.argv[1]
    problems = []
    checked = 0
    for _ctxt, msgid, _plural, msgstrs, _fuzzy in glossary.entries(path):
        for msgstr in msgstrs:
            if not msgstr:
                continue
            checked += 1
            bad = offenders(msgstr)
            if bad:
                problems.append((msgid, msgstr, bad))
    for msgid, msgstr, bad in problems:
        print(f'not ok: {", ".join(bad)} mid-sentence with a capital:\n  msgid  {msgid!r}\n  msgstr {msgstr!r}')
    print(f'{path}: {checked} translations checked, {len(problems)} not in sentence case')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
