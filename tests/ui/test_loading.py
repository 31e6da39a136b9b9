# SPDX-License-Identifier: GPL-3.0-or-later
"""A start that takes a while shows a spinner, in both languages, drawn
from the app's own symbolic PNG: Adwaita 43 has the spinner's icon only
as SVG, and drawing that loads gdk-pixbuf's SVG loader and librsvg, 6.5
MiB that stay for the rest of the run."""

import os
import socket
import time
import unittest

from tokens_harness import App, Atspi, LABEL, Server, signed_in_account, wait_until

WORDS = {'en': 'Connecting…', 'pt_BR': 'Conectando…'}


def mapped(pid, name):
    with open(f'/proc/{pid}/maps') as maps:
        return any(name in line for line in maps)


class LoadingTest(unittest.TestCase):

    def test_slow_start_shows_a_spinner_without_loading_librsvg(self):
        with Server('--allow-signup') as server:
            env, _ = signed_in_account(server)
            port = int(server.url.rsplit(':', 1)[1])
        # The service's port now takes connections and never answers:
        # the app waits on its first reply.
        silent = socket.socket()
        silent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        silent.bind(('127.0.0.1', port))
        silent.listen(16)
        try:
            for language, connecting in WORDS.items():
                with self.subTest(language=language), \
                        App(env=dict(env, LANGUAGE=language)) as app:
                    window = app.top('Tokens')
                    app.find(LABEL, connecting, window)
                    # The spinner comes only after a moment (a quick start
                    # shows none), named for a screen reader (GTK 4.8 says
                    # a spinner is a filler).
                    spinner = wait_until(lambda: next(
                        (node for node in app.find_all(None, connecting, window)
                         if node.get_role() == Atspi.Role.FILLER), None),
                        what='the spinner')

                    # Drawn: dark strokes on the light window, grey as the
                    # theme's foreground (a missing icon would be coloured).
                    box = spinner.get_component_iface().get_extents(Atspi.CoordType.WINDOW)
                    self.assertGreaterEqual(min(box.width, box.height), 16)

                    def ink():
                        pixels = app.pixels(box.x, box.y, box.width, box.height)
                        dark = [p for p in pixels if max(p) < 160]
                        return dark if len(dark) > len(pixels) // 20 else None
                    ink = wait_until(ink, what='the spinner drawn')
                    self.assertTrue(all(max(p) - min(p) < 24 for p in ink), f'not symbolic: {ink[:5]}')

                    self.assertFalse(mapped(app.process.pid, 'librsvg'), 'librsvg was loaded')
                    self.assertFalse(mapped(app.process.pid, 'pixbufloader-svg'), 'the SVG loader was loaded')
        finally:
            silent.close()


if __name__ == '__main__':
    unittest.main()
