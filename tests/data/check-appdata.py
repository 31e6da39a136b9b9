#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""check-appdata.py SOURCE_ROOT METAINFO VERSION APP_ID DESKTOP [BINARY…]

What appstreamcli does not know about us: the metainfo is about this app
(id, launchable, the binaries the build makes, a release entry for this
version), every screenshot it points at is a PNG kept in data/screenshots/,
and the icons are what the hicolor theme and the tray expect (a 128-grid
scalable icon, a 16×16 symbolic one in the one symbolic colour)."""

import os
import re
import sys
import xml.etree.ElementTree as ET

failures = []
SCREENSHOT_URL = re.compile(r'^https://[^ ]+/-/raw/main/(data/screenshots/[\w./-]+\.png)$')


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def main():
    source_root, metainfo, version, app_id, desktop, *binaries = sys.argv[1:]
    root = ET.parse(metainfo).getroot()

    check(root.findtext('id') == app_id, f'the metainfo id is {root.findtext("id")!r}')
    check(root.findtext('launchable') == os.path.basename(desktop),
          'the launchable is not the desktop file')
    provided = sorted(b.text for b in root.iterfind('provides/binary'))
    built = sorted(os.path.basename(b) for b in binaries)
    if 'tokens' in built:
        check(provided == built, f'the metainfo provides {provided}, the build installs {built}')
    else:  # -Dapp=disabled: the server alone
        check(set(built) <= set(provided), f'the metainfo provides {provided}, not {built}')
    for binary in binaries:
        check(os.access(binary, os.X_OK), f'{binary} was not built')
    releases = [r.get('version') for r in root.iterfind('releases/release')]
    check(releases and releases[0] == version,
          f'the newest release in the metainfo is {releases[:1]}, the project is {version}')
    check(root.find('releases/release/description') is not None, 'the release has no description')
    check(root.find('content_rating') is not None, 'no content rating')

    shots = [i.text for i in root.iterfind('screenshots/screenshot/image')]
    check(shots, 'no screenshots')
    for url in shots:
        match = SCREENSHOT_URL.match(url or '')
        if check(match, f'screenshot {url} is not a file of this repository'):
            path = os.path.join(source_root, match.group(1))
            if check(os.path.isfile(path), f'screenshot {match.group(1)} is not in the repository'):
                with open(path, 'rb') as f:
                    check(f.read(8) == b'\x89PNG\r\n\x1a\n', f'{match.group(1)} is not a PNG')

    icons = os.path.join(source_root, 'data', 'icons', 'hicolor')
    scalable = ET.parse(os.path.join(icons, 'scalable', 'apps', f'{app_id}.svg')).getroot()
    check(scalable.get('viewBox') == '0 0 128 128', 'the app icon is not on the 128 grid')
    symbolic_path = os.path.join(icons, 'symbolic', 'apps', f'{app_id}-symbolic.svg')
    symbolic = ET.parse(symbolic_path).getroot()
    check(symbolic.get('viewBox') == '0 0 16 16', 'the symbolic icon is not 16×16')
    colours = set(re.findall(r'#[0-9a-fA-F]{3,6}\b', open(symbolic_path, encoding='utf-8').read()))
    check(colours == {'#2e3436'}, f'the symbolic icon uses {sorted(colours)}, not only #2e3436')

    for failure in failures:
        print(f'not ok: {failure}')
    if not failures:
        print(f'ok: {metainfo}, {len(shots)} screenshots, the icons')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
