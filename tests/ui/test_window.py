# SPDX-License-Identifier: GPL-3.0-or-later
"""The main window is there for a person and for a screen reader, in both languages."""

import unittest

from tokens_harness import App, FRAME, LABEL


class WindowTest(unittest.TestCase):

    def test_main_window_is_found_by_its_accessible_names(self):
        with App() as app:
            window = app.find(FRAME, 'Tokens')
            app.find(None, 'Main Menu', root=window)
            app.find(LABEL, 'Your API Tokens', root=window)

    def test_main_window_speaks_portuguese(self):
        with App(env={'LANGUAGE': 'pt_BR'}) as app:
            window = app.find(FRAME, 'Tokens')
            app.find(None, 'Menu principal', root=window)
            app.find(LABEL, 'Seus tokens de API', root=window)
            self.assertEqual(app.find_all(LABEL, 'Your API Tokens'), [])

    def test_quits_on_sigterm(self):
        app = App()
        app.find(FRAME, 'Tokens')
        app.close()
        self.assertIn(app.process.returncode, (0, -15))


if __name__ == '__main__':
    unittest.main(verbosity=2)
