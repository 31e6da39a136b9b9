#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-server-libraries.py BUILD_ROOT — tokens-server is built from the
core (src/core), not from libtokens: a server has no keyring, no HTTP
client and no display, so neither libtokens nor libsecret, libsoup or GTK
may reach its build. Read from what meson wrote of the build (the targets'
compiler arguments, the link line) and from the binary (readelf), because
the linker's --as-needed would hide a dependency that the build still pulls
in."""

import json
import os
import re
import subprocess
import sys

FORBIDDEN = re.compile(r'libsecret|libsoup|gtk-4|gtk4|libadwaita|src/lib\b|libtokens\.a')
SERVER_TARGETS = ('tokens-server', 'tokens-server-core')


def main():
    build = sys.argv[1]
    problems = []

    with open(os.path.join(build, 'meson-info', 'intro-targets.json')) as f:
        targets = {t['name']: t for t in json.load(f) if t['name'] in SERVER_TARGETS}
    if set(targets) != set(SERVER_TARGETS):
        problems.append(f'targets not found: {sorted(set(SERVER_TARGETS) - set(targets))}')
    for name, target in targets.items():
        for sources in target['target_sources']:
            for parameter in sources.get('parameters', []):
                if FORBIDDEN.search(parameter):
                    problems.append(f'{name} is compiled with {parameter}')

    with open(os.path.join(build, 'build.ninja')) as f:
        for line in f:
            if line.startswith('build src/server/tokens-server:'):
                for word in line.split():
                    if FORBIDDEN.search(word):
                        problems.append(f'tokens-server links {word}')

    binary = os.path.join(build, 'src', 'server', 'tokens-server')
    dynamic = subprocess.run(['readelf', '-d', binary], capture_output=True, text=True, check=True).stdout
    needed = re.findall(r'\(NEEDED\).*\[(.*)\]', dynamic)
    if not needed:
        problems.append(f'readelf found no NEEDED entry in {binary}')
    problems += [f'tokens-server loads {library}' for library in needed if FORBIDDEN.search(library)]

    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
