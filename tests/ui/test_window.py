# SPDX-License-Identifier: GPL-3.0-or-later
"""The main window is there for a person and for a screen reader, in both languages."""

import os
import re
import subprocess
import tempfile
import time
import unittest

from tokens_harness import (App, Atspi, FRAME, LABEL, PUSH_BUTTON, TEXT, Server, http, signed_in_account,
                            wait_until)

WORDS = {
    'en': {'steps': ['Step 1 of 4: Service', 'Step 2 of 4: Sign In', 'Step 3 of 4: API Token',
                     'Step 4 of 4: Keep It Safe'],
           'next': 'Next', 'finish': 'Finish', 'back': 'Back', 'email': 'Email', 'password': 'Password',
           'intro': re.compile('^Tokens keeps the API tokens of a token service')},
    'pt_BR': {'steps': ['Etapa 1 de 4: Serviço', 'Etapa 2 de 4: Entrar', 'Etapa 3 de 4: Token da API',
                        'Etapa 4 de 4: Mantenha-o seguro'],
              'next': 'Avançar', 'finish': 'Finalizar', 'back': 'Voltar', 'email': 'Email', 'password': 'Senha',
              'intro': re.compile('^O Tokens guarda os tokens de API')},
}


def extents(node):
    box = node.get_component_iface().get_extents(Atspi.CoordType.WINDOW)
    return box.x, box.y, box.width, box.height


def settings_env(**keys):
    """The app's settings in a keyfile of this test's own (its window size)."""
    config = tempfile.mkdtemp(prefix='tokens-config-')
    os.makedirs(os.path.join(config, 'glib-2.0', 'settings'))
    with open(os.path.join(config, 'glib-2.0', 'settings', 'keyfile'), 'w') as keyfile:
        keyfile.write('[org/example/Tokens]\n' + ''.join(f'{k}={v}\n' for k, v in keys.items()))
    return {'GSETTINGS_BACKEND': 'keyfile', 'XDG_CONFIG_HOME': config,
            'XDG_DATA_HOME': tempfile.mkdtemp(prefix='tokens-data-')}


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
            env, api_token = signed_in_account(server)
            # A token to search for: with none, the page has no search.
            http(server.url + '/v1/tokens', 'POST', token=api_token,
                 body={'name': 'CI server', 'scopes': ['read'], 'expires_in_days': 30})
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
                # New Access Token dialog open.
                app.key('ctrl+n')
                dialog = app.top('New Access Token')
                app.click(app.find(PUSH_BUTTON, 'Cancel', dialog))
                app.top_gone('New Access Token')
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

    def walk_the_stepper(self, app, words):
        """Steps 1 to 4 on this computer's service, as a first run goes;
        what each step looks like: the window, the step indicator, Back
        and the forward button, in window coordinates."""
        window = app.find(FRAME, 'Tokens')
        seen = []
        for step, title in enumerate(words['steps']):
            indicator = app.find(LABEL, title, window, timeout=30)
            forward = app.find(PUSH_BUTTON, words['finish'] if step == 3 else words['next'], window)
            back = app.find_all(PUSH_BUTTON, words['back'], window)
            seen.append({'window': extents(window), 'indicator': extents(indicator),
                         'forward': extents(forward), 'back': extents(back[0]) if back else None})
            if step == 0:
                seen[0]['intro'] = extents(app.find(LABEL, words['intro'], window))
            if step == 1:
                app.type_text(app.find(TEXT, words['email'], window), 'ana@example.org')
                app.type_text(app.find(TEXT, words['password'], window), 'correct horse battery staple')
            if step < 3:
                app.click(forward)
        return seen

    def test_stepper_keeps_its_size_and_column_in_both_languages(self):
        for language, words in WORDS.items():
            with self.subTest(language=language):
                env = settings_env()
                env['LANGUAGE'] = language
                with App(env=env) as app:
                    seen = self.walk_the_stepper(app, words)
                first = seen[0]
                # The default size (900 × 640, less the frame), whatever the
                # language's longest sentence, and it stays so at every step.
                self.assertLessEqual(first['window'][2], 900)
                self.assertEqual({s['window'] for s in seen}, {first['window']})
                # Every step in one column of at most 560 pixels, centred:
                # the step indicator does not move.
                x, y, width, height = first['indicator']
                self.assertLessEqual(width, 562)
                self.assertAlmostEqual(x + width / 2, first['window'][2] / 2, delta=8)
                self.assertEqual({s['indicator'] for s in seen}, {first['indicator']})
                # The long sentence wraps in the column.
                self.assertGreater(first['intro'][3], 24)
                self.assertLessEqual(first['intro'][2], 562)
                # The forward button at the column's end (right), Back at its
                # start; on step 1, with no Back, Next stays at the end.
                # (A button's accessible is its label: the button's padding,
                # up to 18 pixels, lies around it.)
                for step in seen:
                    fx, _, fwidth, _ = step['forward']
                    self.assertLessEqual(fx + fwidth, x + width)
                    self.assertGreaterEqual(fx + fwidth, x + width - 18)
                    if step['back'] is not None:
                        self.assertGreaterEqual(step['back'][0], x)
                        self.assertLessEqual(step['back'][0], x + 18)
                self.assertIsNone(seen[0]['back'])

    def assert_fits(self, app, window, roles=(LABEL, PUSH_BUTTON, TEXT, Atspi.Role.TOGGLE_BUTTON), skip=None):
        """Nothing sticks out of the window: every label, button and entry
        is inside it (the sentences wrap instead). Nodes under one named
        `skip` are left out (a squeezer's children not shown)."""
        frame = extents(window)
        self.assertLessEqual(frame[2], 360)
        skipped = [n for s in (app.find_all(None, skip, window) if skip else []) for n in app.find_all(None, None, s)]
        for node in app.find_all(None, None, window):
            if node.get_role() not in roles or node in skipped:
                continue
            x, _, width, _ = extents(node)
            if width == 0:
                continue
            self.assertGreaterEqual(x, 0, node.get_name())
            self.assertLessEqual(x + width, frame[2], node.get_name())

    def test_stepper_fits_a_narrow_window(self):
        for language, words in WORDS.items():
            with self.subTest(language=language):
                env = settings_env(**{'window-width': 360})
                env['LANGUAGE'] = language
                with App(env=env) as app:
                    window = app.find(FRAME, 'Tokens')
                    for step, title in enumerate(words['steps']):
                        app.find(LABEL, title, window, timeout=30)
                        time.sleep(0.5)   # the page's slide
                        self.assert_fits(app, window)
                        if step == 0:
                            self.assertGreater(extents(app.find(LABEL, words['intro'], window))[3], 40)
                        if step == 1:
                            app.type_text(app.find(TEXT, words['email'], window), 'ana@example.org')
                            app.type_text(app.find(TEXT, words['password'], window),
                                          'correct horse battery staple')
                        if step < 3:
                            app.click(app.find(PUSH_BUTTON, words['next'], window))

    def test_main_pages_fit_a_narrow_window(self):
        """A 360 px wide window (a phone's width) keeps its width on every
        page, with the pages' tabs at the bottom, and nothing is cut."""
        pages = {'en': ['API Key', 'Access Tokens', 'Security'],
                 'pt_BR': ['API Key', 'Tokens de acesso', 'Segurança']}
        checked = (LABEL, PUSH_BUTTON, TEXT, Atspi.Role.ENTRY, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.PAGE_TAB)
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            http(server.url + '/v1/tokens', 'POST', token=api_token,
                 body={'name': 'CI server on the build farm', 'scopes': ['read', 'write'], 'expires_in_days': 30})
            # The window's 5 px resize borders on each side are outside
            # what the accessibility tree calls the window.
            with open(os.path.join(os.environ['XDG_CONFIG_HOME'], 'glib-2.0', 'settings', 'keyfile'), 'a') as f:
                f.write('window-width=370\n')
            for language, names in pages.items():
                with self.subTest(language=language), App(env=dict(env, LANGUAGE=language)) as app:
                    window = app.top('Tokens')
                    app.find(PUSH_BUTTON, 'Show Token' if language == 'en' else 'Mostrar token', window)
                    for number, name in enumerate(names, 1):
                        app.key(f'alt+{number}')
                        # The tabs are in the bar at the bottom, each named
                        # after its page; the shown page's content follows.
                        tab = wait_until(lambda: next((t for t in app.find_all(Atspi.Role.PAGE_TAB, name, window)
                                                       if extents(t)[2] > 0 and extents(t)[1] > 300), None),
                                         what=f'the tab of {name} at the bottom')
                        wait_until(lambda: tab.get_state_set().contains(Atspi.StateType.SELECTED),
                                   what=f'{name} shown')
                        time.sleep(0.5)   # the page's crossfade
                        self.assertEqual(extents(window)[2], 360)
                        self.assert_fits(app, window, roles=checked, skip='AdwSqueezer')

    def narrow_dialog(self, app, title, dialog):
        """A dialog of a narrow window is no wider than it."""
        wait_until(lambda: 0 < extents(dialog)[2] <= 360, what=f'{title} at most 360 px wide')
        time.sleep(0.5)

    def test_kept_tokens_and_their_dialogs_fit_a_narrow_window(self):
        """Kept Tokens (Alt+4), empty and with a token, and the Add and Edit
        dialogs, in a 360 px window: nothing sticks out, in both languages."""
        words = {'en': ('Kept Tokens', 'No Kept Tokens', 'Add Existing Token', 'Token', 'Name', 'Keep',
                        'Actions for {}', 'Edit Details…', 'Edit Details', 'Cancel'),
                 'pt_BR': ('Tokens guardados', 'Nenhum token guardado', 'Adicionar token existente', 'Token',
                           'Nome', 'Guardar', 'Ações de {}', 'Editar detalhes…', 'Editar detalhes', 'Cancelar')}
        checked = (LABEL, PUSH_BUTTON, TEXT, Atspi.Role.ENTRY, Atspi.Role.TOGGLE_BUTTON, Atspi.Role.PAGE_TAB)
        with Server('--allow-signup') as server:
            env, _ = signed_in_account(server)
            for language, (tab_name, empty, add, token, name, keep, actions, edit, edit_title, cancel) \
                    in words.items():
                # Again for each run: the app saves the width it closed with.
                with open(os.path.join(os.environ['XDG_CONFIG_HOME'], 'glib-2.0', 'settings', 'keyfile'), 'a') as f:
                    f.write('window-width=370\n')
                row_name = 'A name long enough to need its room'
                # The empty state: with no service, nothing kept.
                with self.subTest(language=language, page='empty'), \
                        App(env=dict(settings_env(**{'window-width': 370, 'kept-only': 'true'}), LANGUAGE=language)) as app:
                    window = app.top('Tokens')
                    app.find(LABEL, empty, window, timeout=30)
                    wait_until(lambda: extents(window)[2] == 360, what='the window 360 px wide')
                    time.sleep(0.5)
                    self.assert_fits(app, window, roles=checked, skip='AdwSqueezer')

                # Beside an account: its saved API token is listed.
                with self.subTest(language=language), App(env=dict(env, LANGUAGE=language)) as app:
                    window = app.top('Tokens')
                    app.find(None, 'API Key', window, timeout=30)
                    app.key('alt+4')
                    tab = wait_until(lambda: next((t for t in app.find_all(Atspi.Role.PAGE_TAB, tab_name, window)
                                                   if extents(t)[2] > 0 and extents(t)[1] > 200), None),
                                     what='the Kept Tokens tab at the bottom')
                    wait_until(lambda: tab.get_state_set().contains(Atspi.StateType.SELECTED),
                               what='Kept Tokens shown')
                    app.find(None, 'API Token' if language == 'en' else 'Token da API', window)
                    time.sleep(0.5)   # the page's crossfade
                    self.assertEqual(extents(window)[2], 360)
                    self.assert_fits(app, window, roles=checked, skip='AdwSqueezer')

                    # The Add dialog, no wider than the window, with a token pasted.
                    app.key('ctrl+shift+n')
                    dialog = app.top(add)
                    self.narrow_dialog(app, add, dialog)
                    app.type_text(app.find(TEXT, token, dialog), f'narrow-window-{language}-not-a-known-format')
                    app.type_text(app.find(TEXT, name, dialog), 'A name long enough to need its room')
                    time.sleep(0.5)
                    self.assert_fits(app, dialog, roles=checked)
                    app.click(app.find(PUSH_BUTTON, keep, dialog))
                    app.top_gone(add)

                    # The list, and the Edit dialog.
                    app.find(LABEL, row_name, window)
                    time.sleep(0.5)
                    self.assert_fits(app, window, roles=checked, skip='AdwSqueezer')
                    app.click(app.find(None, actions.format(row_name), window))
                    app.click(app.find(None, edit))
                    dialog = app.top(edit_title)
                    self.narrow_dialog(app, edit_title, dialog)
                    self.assert_fits(app, dialog, roles=checked)
                    app.click(app.find(PUSH_BUTTON, cancel, dialog))
                    app.top_gone(edit_title)
                subprocess.run(['secret-tool', 'clear', 'xdg:schema', 'org.example.Tokens.Kept', 'name', row_name],
                               timeout=10)

    def test_profile_menu_says_who_is_signed_in(self):
        said = {'en': ('Profile', 'Signed in as ana@example.org on {}', 'Sign Out', 'API Key'),
                'pt_BR': ('Perfil', 'Conectado como ana@example.org em {}', 'Sair da conta', 'API Key')}
        with Server('--allow-signup') as server:
            env, _ = signed_in_account(server)
            host = server.url.removeprefix('http://')
            for language, (profile, heading, sign_out, tab) in said.items():
                with self.subTest(language=language), App(env=dict(env, LANGUAGE=language)) as app:
                    window = app.top('Tokens')
                    app.find(LABEL, tab, window)
                    tabs = 'Access Tokens' if language == 'en' else 'Tokens de acesso'
                    tabs_before = len(app.find_all(None, tabs, window))
                    app.click(app.find(None, profile, window))
                    app.find(LABEL, heading.format(host))
                    app.find(None, sign_out)
                    # The pages are the header's tabs, not menu items again:
                    # opening the menu adds no second "Access Tokens".
                    self.assertEqual(len(app.find_all(None, tabs, window)), tabs_before)
                    app.key('Escape')

    def test_switching_account_shows_the_other_accounts_state(self):
        """The window and its pages follow the app's session: after a switch
        the profile menu names the other account, and the Security page says
        that account's security token state (and offers its buttons), not the
        one it showed before."""
        said = {'en': {'profile': 'Profile', 'heading': 'Signed in as {} on {}', 'on': '{} on {}',
                       'security': 'Security', 'disabled': 'Disabled', 'none': 'Not Configured',
                       'configure': 'Configure Now', 'activate': 'Activate Token…', 'delete': 'Delete…'},
                'pt_BR': {'profile': 'Perfil', 'heading': 'Conectado como {} em {}', 'on': '{} em {}',
                          'security': 'Segurança', 'disabled': 'Desabilitado', 'none': 'Não configurado',
                          'configure': 'Configurar agora', 'activate': 'Ativar token…', 'delete': 'Excluir…'}}
        with Server('--allow-signup') as server:
            _, ana_token = signed_in_account(server, email='ana@example.org')
            env, _ = signed_in_account(server, email='bea@example.org')
            host = server.url.removeprefix('http://')
            # Ana has an account security token (disabled); Bea has none.
            self.assertEqual(http(server.url + '/v1/security/client-token', 'POST', token=ana_token)[0], 201)
            with open(os.path.join(os.environ['XDG_CONFIG_HOME'], 'glib-2.0', 'settings', 'keyfile'), 'w') as keyfile:
                keyfile.write('[org/example/Tokens]\naccounts=[' + ', '.join(
                    f"{{'id': <'{id}'>, 'service-url': <'{server.url}'>, 'email': <'{id}@example.org'>, "
                    "'display-name': <''>, 'is-local': <false>, 'allow-insecure': <false>}"
                    for id in ('ana', 'bea')) + "]\nactive-account='ana'\n")

            for language, words in said.items():
                def switch_to(app, window, email):
                    app.click(app.find(None, words['profile'], window))
                    app.click(app.find(None, words['on'].format(email, host)))
                    wait_until(lambda: not app.find_all(None, words['on'].format(email, host)),
                               what='the profile menu to close')

                def shows(app, window, email, state):
                    app.click(app.find(None, words['security'], window))
                    app.find(LABEL, words[state], window)
                    configured = state != 'none'
                    # Each state's buttons, and only those.
                    self.assertEqual(bool(app.find_all(PUSH_BUTTON, words['configure'], window)), not configured)
                    self.assertEqual(bool(app.find_all(PUSH_BUTTON, words['activate'], window)), configured)
                    self.assertEqual(bool(app.find_all(PUSH_BUTTON, words['delete'], window)), configured)
                    other = words['disabled' if state == 'none' else 'none']
                    self.assertEqual(app.find_all(LABEL, other, window), [])
                    app.click(app.find(None, words['profile'], window))
                    app.find(LABEL, words['heading'].format(email, host))
                    app.key('Escape')

                with self.subTest(language=language), App(env=dict(env, LANGUAGE=language)) as app:
                    window = app.top('Tokens')
                    shows(app, window, 'ana@example.org', 'disabled')
                    switch_to(app, window, 'bea@example.org')
                    shows(app, window, 'bea@example.org', 'none')
                    switch_to(app, window, 'ana@example.org')
                    shows(app, window, 'ana@example.org', 'disabled')

    def test_quits_on_sigterm(self):
        app = App()
        app.find(FRAME, 'Tokens')
        app.close()
        self.assertIn(app.process.returncode, (0, -15))


if __name__ == '__main__':
    unittest.main(verbosity=2)
