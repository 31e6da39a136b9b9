# SPDX-License-Identifier: GPL-3.0-or-later
"""The main window is there for a person and for a screen reader, in both languages."""

import unittest

from tokens_harness import App, FRAME, LABEL


class WindowTest(unittest.TestCase):

    def test_first_run_opens_the_stepper_found_by_accessible_names(self):
        with App() as app:
            window = app.find(FRAME, 'Tokens')
            app.find(None, 'Main Menu', root=window)
            app.find(LABEL, 'Add a Service', root=window)
            app.find(LABEL, 'Step 1 of 4: Service', root=window)
            app.find(LABEL, 'Choose the Service', root=window)
            # Only the step on screen is in the tree, not the hidden ones.
            self.assertEqual(app.find_all(LABEL, 'Keep It Safe', window), [])

    def test_main_window_speaks_portuguese(self):
        with App(env={'LANGUAGE': 'pt_BR'}) as app:
            window = app.find(FRAME, 'Tokens')
            app.find(None, 'Menu principal', root=window)
            app.find(LABEL, 'Adicionar um serviço', root=window)
            app.find(LABEL, 'Etapa 1 de 4: Serviço', root=window)
            self.assertEqual(app.find_all(LABEL, 'Add a Service'), [])

    def test_quits_on_sigterm(self):
        app = App()
        app.find(FRAME, 'Tokens')
        app.close()
        self.assertIn(app.process.returncode, (0, -15))


if __name__ == '__main__':
    unittest.main(verbosity=2)
