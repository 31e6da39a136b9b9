#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-installed-app.py MESON SOURCE_ROOT

The installed app starts and speaks Portuguese with nothing but the
installed files: this source tree is configured afresh with --prefix in a
temporary directory, installed there (post-install scripts included), and
the installed `tokens` is run with LANGUAGE=pt_BR and none of the build
tree's overrides (TOKENS_LOCALEDIR, GSETTINGS_SCHEMA_DIR, TOKENS_SERVER_BIN).
It finds its catalogue only if LOCALEDIR in config.h is where `meson
install` put tokens.mo — which a DESTDIR install cannot show, as its
binary points at a prefix that is not there.

Run inside tests/harness/session-run --display (tests/data/meson.build)."""

import gettext
import os
import re
import shutil
import subprocess
import sys
import tempfile

from tokens_harness import App, FRAME, HarnessError, wait_until


def run(args, log):
    with open(log, 'w') as out:
        result = subprocess.run(args, stdout=out, stderr=subprocess.STDOUT, timeout=900)
    if result.returncode != 0:
        with open(log) as out:
            print(out.read()[-6000:])
        raise SystemExit(f'not ok: {" ".join(args)} failed')


def plain(label):
    """A label as the accessibility tree shows it: no mnemonic, no markup."""
    return re.sub(r'<[^>]+>', '', label.replace('_', '')).strip()


def main():
    meson, source_root = sys.argv[1:3]
    tmp = tempfile.mkdtemp(prefix='tokens-installed-')
    try:
        prefix = os.path.join(tmp, 'prefix')
        build = os.path.join(tmp, 'build')
        run([meson, 'setup', build, source_root, f'--prefix={prefix}', '-Dapp=enabled',
             '--wrap-mode=nodownload'], os.path.join(tmp, 'setup.log'))
        run([meson, 'install', '-C', build], os.path.join(tmp, 'install.log'))

        share = os.path.join(prefix, 'share')
        binary = os.path.join(prefix, 'bin', 'tokens')
        mo = os.path.join(share, 'locale', 'pt_BR', 'LC_MESSAGES', 'tokens.mo')
        compiled = os.path.join(share, 'glib-2.0', 'schemas', 'gschemas.compiled')
        if not os.path.isfile(compiled):
            raise SystemExit('not ok: the post-install script did not compile the installed schemas')

        with open(mo, 'rb') as f:
            catalogue = gettext.GNUTranslations(f)._catalog  # pylint: disable=protected-access
        portuguese, english = set(), set()
        for msgid, msgstr in catalogue.items():
            if isinstance(msgid, str) and msgid and plain(msgid) != plain(msgstr):
                msgid = msgid.split('\x04')[-1]
                portuguese.add(plain(msgstr))
                english.add(plain(msgid))
        english -= portuguese

        # Only what was installed: no build-tree overrides, the installed
        # schemas found the way a desktop finds them, through XDG_DATA_DIRS.
        for name in ('TOKENS_LOCALEDIR', 'TOKENS_SERVER_BIN', 'TOKENS_APP_BIN',
                     'GSETTINGS_SCHEMA_DIR'):
            os.environ.pop(name, None)
        os.environ['XDG_DATA_DIRS'] = f'{share}:/usr/local/share:/usr/share'

        with App(binary=binary, env={'LANGUAGE': 'pt_BR', 'LC_ALL': 'C.UTF-8'}) as app:
            # Any window: which page shows first is the app's business.
            window = app.find(FRAME)

            def translated():
                names = {n for n in (node.get_name() for node in app.find_all(root=window)) if n}
                return names & portuguese

            try:
                seen = wait_until(translated, what='a Portuguese label in the window')
            except HarnessError:
                print(app.dump(window))
                print(app.output())
                raise
            names = {n for n in (node.get_name() for node in app.find_all(root=window)) if n}
            untranslated = names & english
            if untranslated:
                print(app.dump(window))
                raise SystemExit(f'not ok: English in the Portuguese window: {sorted(untranslated)}')
            print(f'ok: the installed app speaks Portuguese: {sorted(seen)[:5]}')
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
