#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-flatpak-manifest.py MANIFEST APP_ID APP_BINARY [FLATPAK_BUILDER]

What can be checked of the Flatpak manifest without its runtime (which
cannot be downloaded here): it is JSON, it is the app's id, its command is
the executable the build makes, every local file it names exists, every
downloaded source has a sha256, the app is built with -Dapp=enabled and
nothing beyond what the app needs is in finish-args. With FLATPAK_BUILDER,
`flatpak-builder --show-manifest` under G_DEBUG=fatal-warnings also passes
with nothing on stderr (it warns about unknown keys and bad types)."""

import json
import os
import subprocess
import sys
import tempfile

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def main():
    manifest_path, app_id, app_binary = sys.argv[1:4]
    flatpak_builder = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else None
    here = os.path.dirname(os.path.abspath(manifest_path))

    with open(manifest_path, encoding='utf-8') as f:
        try:
            manifest = json.load(f)
        except json.JSONDecodeError as error:
            print(f'{manifest_path}: not valid JSON: {error}')
            return 1

    check(manifest.get('id') == app_id,
          f'the manifest\'s id is {manifest.get("id")!r}, the app\'s is {app_id!r}')
    check(manifest.get('runtime') == 'org.gnome.Platform' and manifest.get('sdk') == 'org.gnome.Sdk',
          'the runtime is not the GNOME Platform and SDK')
    check(str(manifest.get('runtime-version', '')).isdigit(),
          f'runtime-version {manifest.get("runtime-version")!r} is not a GNOME release')

    command = manifest.get('command')
    if check(command, 'the manifest has no command'):
        if app_binary:
            check(os.path.basename(app_binary) == command,
                  f'the command is {command!r}, the build makes {os.path.basename(app_binary)!r}')
            check(os.access(app_binary, os.X_OK), f'{app_binary} was not built')
        else:
            print('# the app is not built here (-Dapp=disabled): the command is not checked')

    # finish-args: exactly what the app needs. A new permission is a decision:
    # add it here and say why beside it in the manifest.
    expected = {
        '--share=network', '--share=ipc', '--socket=wayland', '--socket=fallback-x11',
        '--device=dri', '--talk-name=org.kde.StatusNotifierWatcher',
    }
    finish_args = manifest.get('finish-args', [])
    check(set(finish_args) == expected and len(finish_args) == len(expected),
          f'finish-args differ from what the app needs: extra {sorted(set(finish_args) - expected)}, '
          f'missing {sorted(expected - set(finish_args))}')
    check('--talk-name=org.freedesktop.secrets' not in finish_args,
          'the whole Secret Service is opened to the sandbox: libsecret uses the Secret portal without it')
    reasons = manifest.get('//finish-args', {})
    for arg in finish_args:
        check(reasons.get(arg), f'finish-arg {arg} has no reason in "//finish-args"')

    modules = manifest.get('modules', [])
    names = [m.get('name') if isinstance(m, dict) else m for m in modules]
    check('libsodium' in names, 'libsodium (not in the runtime) is not built')
    if check(names and names[-1] == 'tokens', 'the last module is not the app'):
        app_module = modules[-1]
        check(app_module.get('buildsystem') == 'meson', 'the app is not built with meson')
        check('-Dapp=enabled' in app_module.get('config-opts', []),
              'the app module does not pass -Dapp=enabled')

    def walk(module, where):
        if isinstance(module, str):
            check(os.path.isfile(os.path.join(where, module)), f'module file {module} does not exist')
            return
        for source in module.get('sources', []):
            if isinstance(source, str):
                check(os.path.isfile(os.path.join(where, source)), f'source file {source} does not exist')
                continue
            kind = source.get('type')
            if 'path' in source:
                path = os.path.join(where, source['path'])
                check(os.path.exists(path), f'{module.get("name")}: {source["path"]} does not exist')
                if kind == 'git' and not os.path.exists(os.path.join(path, '.git')):
                    # A release tarball: the manifest is for building from git.
                    print(f'# {module.get("name")}: {source["path"]} is not a git checkout here')
            if kind in ('archive', 'file') and 'url' in source:
                sha = source.get('sha256', '')
                check(len(sha) == 64 and all(c in '0123456789abcdef' for c in sha),
                      f'{module.get("name")}: {source["url"]} has no sha256')
                check(source['url'].startswith('https://'),
                      f'{module.get("name")}: {source["url"]} is not https')
        for sub in module.get('modules', []):
            walk(sub, where)

    for module in modules:
        walk(module, here)

    if flatpak_builder:
        env = dict(os.environ, G_DEBUG='fatal-warnings')
        # It makes its state directory (.flatpak-builder) in the current one.
        with tempfile.TemporaryDirectory(prefix='tokens-flatpak-') as state:
            result = subprocess.run([flatpak_builder, '--show-manifest',
                                     os.path.abspath(manifest_path)],
                                    capture_output=True, text=True, env=env, timeout=60,
                                    cwd=state)
        check(result.returncode == 0 and result.stderr.strip() == '',
              f'flatpak-builder --show-manifest: exit {result.returncode}, stderr:\n{result.stderr}')
        if result.returncode == 0:
            shown = json.loads(result.stdout)
            check(shown.get('id') == app_id, 'flatpak-builder reads another id')
    else:
        print('# flatpak-builder is not installed: the manifest is not parsed by it')

    for failure in failures:
        print(f'not ok: {failure}')
    if not failures:
        print(f'ok: {manifest_path}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
