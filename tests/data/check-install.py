#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-install.py MESON BUILD_DIR PREFIX BINDIR DATADIR LOCALEDIR APP_ID

`meson install --destdir` of this build into a fresh directory, then the
layout a distribution package or a Flatpak gets: the binaries, the schema,
the translated desktop file and metainfo, the icons, the token formats and
the pt_BR catalogue, all under DESTDIR + PREFIX and nothing outside it."""

import os
import shutil
import subprocess
import sys
import tempfile

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def get_mandir(meson, build_dir):
    """mandir as the build has it (relative to the prefix, or absolute)."""
    import json
    options = json.loads(subprocess.run([meson, 'introspect', '--buildoptions', build_dir],
                                        capture_output=True, text=True, check=True).stdout)
    return next(o['value'] for o in options if o['name'] == 'mandir')


def main():
    meson, build_dir, prefix, bindir, datadir, localedir, app_id = sys.argv[1:8]
    tmp = tempfile.mkdtemp(prefix='tokens-install-')
    try:
        destdir = os.path.join(tmp, 'destdir')
        # DESTDIR in the environment too: post-install scripts (schemas,
        # icon cache, desktop database) must see it and stay out.
        env = dict(os.environ, DESTDIR=destdir)
        result = subprocess.run([meson, 'install', '-C', build_dir, '--no-rebuild',
                                 '--destdir', destdir],
                                capture_output=True, text=True, env=env, timeout=300)
        if result.returncode != 0:
            print(result.stdout, result.stderr)
            print('not ok: meson install failed')
            return 1

        def at(path):
            return destdir + path

        check(os.path.isdir(at(prefix)), f'nothing was installed under {prefix}')
        stray = [os.path.join(top, name)[len(destdir):]
                 for top, _dirs, names in os.walk(destdir) for name in names
                 if not os.path.join(top, name).startswith(at(prefix) + '/')]
        check(not stray, f'installed outside the prefix {prefix}: {stray}')

        for binary in ('tokens', 'tokens-server', 'tokens-cli'):
            path = at(os.path.join(bindir, binary))
            check(os.path.isfile(path) and os.access(path, os.X_OK), f'{path} is not an executable')

        man = at(os.path.join(prefix, get_mandir(meson, build_dir), 'man1', 'tokens-cli.1'))
        check(os.path.isfile(man), f'{man} is missing')
        completion = at(os.path.join(datadir, 'bash-completion', 'completions', 'tokens-cli'))
        check(os.path.isfile(completion), f'{completion} is missing')

        schema = at(os.path.join(datadir, 'glib-2.0', 'schemas', f'{app_id}.gschema.xml'))
        check(os.path.isfile(schema), f'{schema} is missing')

        desktop = at(os.path.join(datadir, 'applications', f'{app_id}.desktop'))
        if check(os.path.isfile(desktop), f'{desktop} is missing'):
            text = open(desktop, encoding='utf-8').read()
            for key in ('Name[pt_BR]=', 'Comment[pt_BR]=', 'Keywords[pt_BR]='):
                check(key in text, f'the installed desktop file has no {key}')
            check(f'Icon={app_id}\n' in text, 'the desktop file does not name the app icon')

        metainfo = at(os.path.join(datadir, 'metainfo', f'{app_id}.metainfo.xml'))
        if check(os.path.isfile(metainfo), f'{metainfo} is missing'):
            text = open(metainfo, encoding='utf-8').read()
            check('<summary xml:lang="pt_BR">' in text, 'the installed metainfo has no pt_BR summary')
            check('<p xml:lang="pt_BR">' in text, 'the installed metainfo has no pt_BR description')

        icons = at(os.path.join(datadir, 'icons', 'hicolor'))
        for icon in (f'scalable/apps/{app_id}.svg', f'symbolic/apps/{app_id}-symbolic.svg'):
            check(os.path.isfile(os.path.join(icons, icon)), f'icon {icon} is missing')

        # The token formats, the same file libtokens has compiled in.
        formats = at(os.path.join(datadir, 'tokens', 'token-formats.json'))
        if check(os.path.isfile(formats), f'{formats} is missing'):
            source = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'data', 'token-formats.json')
            check(open(formats, 'rb').read() == open(source, 'rb').read(),
                  'the installed token-formats.json is not data/token-formats.json')

        mo = at(os.path.join(localedir, 'pt_BR', 'LC_MESSAGES', 'tokens.mo'))
        check(os.path.isfile(mo), f'{mo} is missing')

        # DESTDIR installs leave the caches to the package's own triggers.
        for cache in (os.path.join(datadir, 'glib-2.0', 'schemas', 'gschemas.compiled'),
                      os.path.join(datadir, 'icons', 'hicolor', 'icon-theme.cache')):
            check(not os.path.exists(at(cache)), f'a post-install script wrote {cache} into DESTDIR')

        for failure in failures:
            print(f'not ok: {failure}')
        if not failures:
            print(f'ok: the installed layout under {destdir}{prefix}')
            subprocess.run(['find', destdir, '-type', 'f'], check=False)
        return 1 if failures else 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
