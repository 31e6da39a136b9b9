#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""screenshots.py DIR — PNGs of the app's pages and dialogs, in English and
Portuguese, from the real app under Xvfb (run by `build-aux/dev screenshots`
inside tests/harness/session-run, with the build tree's environment).

Each shot is a function below taking the running app; a new page or dialog
adds one."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'harness'))

from tokens_harness import App, FRAME, LABEL  # noqa: E402

LANGUAGES = {
    'en': {'LANGUAGE': 'en', 'LC_ALL': 'C.UTF-8'},
    'pt_BR': {'LANGUAGE': 'pt_BR', 'LC_ALL': 'C.UTF-8'},
}


def window_shot(app, path):
    """The app's window alone, found by the app's process id."""
    window = subprocess.run(['xdotool', 'search', '--sync', '--onlyvisible', '--pid',
                             str(app.process.pid)], capture_output=True, text=True,
                            timeout=15, check=True).stdout.split()[0]
    subprocess.run(['import', '-window', window, path], check=True, timeout=30)


def shot_main_window(app, out):
    app.find(FRAME, 'Tokens')
    app.find(LABEL)
    window_shot(app, os.path.join(out, 'main-window.png'))


SHOTS = [shot_main_window]


def main():
    top = sys.argv[1]
    for language, env in LANGUAGES.items():
        out = os.path.join(top, language)
        os.makedirs(out, exist_ok=True)
        for shot in SHOTS:
            with App(env=env) as app:
                shot(app, out)
        print(f'{language}: {len(SHOTS)} screenshots in {out}')


if __name__ == '__main__':
    main()
