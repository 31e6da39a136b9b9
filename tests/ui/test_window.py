# SPDX-License-Identifier: GPL-3.0-or-later
"""The main window is there for a person and for a screen reader, in both languages."""

import unittest

from tokens_harness import App, FRAME, LABEL, PUSH_BUTTON, Server, signed_in_account, wait_until


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

    def test_keyboard_reaches_every_page_and_the_shortcuts(self):
        with Server('--allow-signup') as server:
            env, _ = signed_in_account(server)
            with App(env=env) as app:
                window = app.top('Tokens')
                app.find(LABEL, 'API Key', window)

                # Ctrl+F before the Access Tokens page was ever shown: it is
                # made, shown, and its search takes the keys.
                app.key('ctrl+f')
                app.find(None, 'Search tokens', window)
                app.key('alt+1')
                app.find(PUSH_BUTTON, 'Show Token', window)

                # Alt+2 and Alt+3: the pages made when first shown.
                app.key('alt+2')
                app.find(PUSH_BUTTON, 'Generate Token', window)
                app.key('alt+3')
                app.find(LABEL, 'Account Security Token', window)
                app.key('alt+1')
                app.find(PUSH_BUTTON, 'Show Token', window)
                wait_until(lambda: not app.find_all(PUSH_BUTTON, 'Generate Token', window),
                           what='the Access Tokens page to go')

                # Ctrl+N from another page: to Access Tokens, with the
                # Generate Token dialog open.
                app.key('ctrl+n')
                dialog = app.top('Generate Token')
                app.click(app.find(PUSH_BUTTON, 'Cancel', dialog))
                app.top_gone('Generate Token')
                window = app.top('Tokens')
                app.find(PUSH_BUTTON, 'Generate Token', window)
                app.key('alt+1')

                # The menus are made when first opened: F10 opens the main
                # one, and the avatar's has the account's actions.
                app.key('F10')
                app.find(None, 'Preferences')
                app.key('Escape')
                app.click(app.find(None, 'Profile', window))
                app.find(None, 'Sign Out')
                app.key('Escape')

                # Ctrl+?: the shortcuts window, built when asked for.
                app.key('ctrl+question')
                shortcuts = app.top('Keyboard Shortcuts')
                app.find(LABEL, 'Generate Token', shortcuts)
                # Every shortcut shows its keys, those of application
                # accelerators (looked up by action) too.
                for title, keys in (('Show Shortcuts', ['Ctrl', '+', '?']), ('Preferences', ['Ctrl', '+', ',']),
                                    ('Close Window', ['Ctrl', '+', 'W']), ('Quit', ['Ctrl', '+', 'Q'])):
                    row = app.find(LABEL, title, shortcuts).get_parent().get_parent()
                    shown = [App.text(n) for n in app.find_all(LABEL, None, row) if App.text(n) != title]
                    self.assertEqual(shown, keys, title)

    def test_quits_on_sigterm(self):
        app = App()
        app.find(FRAME, 'Tokens')
        app.close()
        self.assertIn(app.process.returncode, (0, -15))


if __name__ == '__main__':
    unittest.main(verbosity=2)
