#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-glossary.py PO_FILE

The pt_BR translation uses the glossary's key terms as listed (the
glossary is the vendors' own Portuguese wording: ARCHITECTURE.md, "Glossary").
For every entry whose English text contains a glossary term (whole words,
case-insensitive, mnemonics ignored), the Portuguese must contain one of the
term's listed translations (case-insensitive).

Common words are only terms where they are a label: "Copy", "Later", "Now"
and "Finish" in a short label (at most four words, no sentence punctuation),
"read" and "write" when they are the whole text or the context says scope.
In a sentence they are ordinary words ("copy your token" → "copie").
ALLOWED lists the remaining legitimate exceptions, each with its reason."""

import re
import sys

# English term → accepted Portuguese, in the glossary's order.
GLOSSARY = {
    'API token': ['Token da API'],
    'API Key': ['API Key', 'Chave de API'],
    'Copy': ['Copiar'],
    'Reset Token': ['Resetar token'],  # the seed's words, in GNOME's sentence case
    'Generate Token': ['Gerar token'],
    'Access Tokens': ['Tokens de acesso'],
    'Renew token': ['Renovar token'],
    'Delete old token': ['Excluir token antigo'],
    'Undo renewal': ['Desfazer renovação'],
    'Later': ['Depois'],
    'Now': ['Agora'],
    'Finish': ['Finalizar'],
    'Token duration': ['Duração do token'],
    'Account security token': ['Token de segurança da conta'],
    'Configure now': ['Configurar agora'],
    'Activate token': ['Ativar token'],
    'Security': ['Segurança'],
    'Security best practices': ['Boas práticas de segurança'],
    'read': ['leitura'],
    'write': ['escrita'],
}

LABEL_TERMS = {'Copy', 'Later', 'Now', 'Finish'}
SCOPE_TERMS = {'read', 'write'}

# (msgid, term): why this entry may differ.
ALLOWED = {
    ('API Token Manager', 'API token'):
        'a manager of many tokens: the plural, "tokens de API", as in the window\'s title',
}


def plain(text):
    """Text as the user reads it: no mnemonic underscore, no markup."""
    return re.sub(r'<[^>]+>', '', re.sub(r'_(?=\w)', '', text))


def has(text, term):
    pattern = r'(?<!\w)' + r'\s+'.join(re.escape(w) for w in term.split()) + r'(?!\w)'
    return re.search(pattern, plain(text), re.IGNORECASE) is not None


def is_label(text):
    text = plain(text).strip()
    for ellipsis in ('…', '...'):
        text = text.removesuffix(ellipsis)  # "Copy…": still a label
    return len(text.split()) <= 4 and not re.search(r'[.,;:?!]', text)


def applies(term, msgctxt, msgid):
    if not has(msgid, term):
        return False
    if term in SCOPE_TERMS:
        bare = plain(msgid).strip().rstrip(':').strip()
        return bare.lower() == term or 'scope' in (msgctxt or '').lower()
    if term in LABEL_TERMS:
        return is_label(msgid)
    return True


def unquote(s):
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    body = s[1:-1]
    return re.sub(r'\\(.)', lambda m: {'n': '\n', 't': '\t'}.get(m.group(1), m.group(1)), body)


def entries(path):
    """(msgctxt, msgid, msgid_plural, [msgstr…], fuzzy) for each live entry."""
    entry, field, fuzzy = {}, None, False

    def flush():
        nonlocal entry, field, fuzzy
        if 'msgid' in entry and entry['msgid']:
            strs = [entry[k] for k in sorted(k for k in entry if k.startswith('msgstr'))]
            yield entry.get('msgctxt'), entry['msgid'], entry.get('msgid_plural'), strs, fuzzy
        entry, field, fuzzy = {}, None, False

    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if not line.strip():
                yield from flush()
                continue
            if line.startswith('#~'):
                continue
            if line.startswith('#,'):
                fuzzy = fuzzy or 'fuzzy' in line
                continue
            if line.startswith('#'):
                continue
            match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$', line)
            if match:
                if match.group(1) in ('msgctxt', 'msgid') and 'msgstr' in entry:
                    yield from flush()
                field = match.group(1)
                entry[field] = unquote(match.group(2))
            elif line.startswith('"') and field:
                entry[field] += unquote(line)
    yield from flush()


def main():
    path = sys.argv[1]
    problems = []
    checked = 0
    for msgctxt, msgid, plural, msgstrs, _fuzzy in entries(path):
        sources = [msgid] + ([plural] * (len(msgstrs) - 1) if plural else [])
        for source, msgstr in zip(sources, msgstrs):
            if not msgstr:
                continue  # untranslated: check-po.sh reports it
            for term, portuguese in GLOSSARY.items():
                if not applies(term, msgctxt, source):
                    continue
                checked += 1
                if (msgid, term) in ALLOWED:
                    continue
                if not any(has(msgstr, pt) for pt in portuguese):
                    problems.append((term, portuguese, source, msgstr))

    for term, portuguese, source, msgstr in problems:
        print(f'not ok: "{term}" is {" or ".join(repr(p) for p in portuguese)} in pt_BR:\n'
              f'  msgid  {source!r}\n  msgstr {msgstr!r}')
    print(f'{path}: {checked} glossary uses checked, {len(problems)} not as listed')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
