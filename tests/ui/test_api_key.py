# SPDX-License-Identifier: GPL-3.0-or-later
"""The first thing a person sees, end to end: the onboarding stepper against a
real token service, the API Key page (reveal, Copy, Reset), in both languages.
Every control is found by its accessible name, as a screen reader finds it."""

import os
import re
import time
import unittest

import subprocess

from tokens_harness import (App, Atspi, Server, FRAME, LABEL, PUSH_BUTTON, TEXT,
                            clipboard, http, secret_tool_lookup, signed_in_account, wait_until)

TOKEN = re.compile(r'^tkapi_[0-9A-Za-z]{38}$')
EMAIL = 'ana@example.org'
PASSWORD = 'correct horse battery staple'


def token_label(app, root=None):
    """The revealed API token, as a label showing it."""
    def find():
        for node in app.find_all(LABEL, TOKEN, root):
            return node
        return None
    return wait_until(find, what='a revealed API token')


def sign_up_remote(app, server, words, password=PASSWORD):
    """Steps 1 and 2 against the test's server, as a person would go:
    the server's address, then Create an Account."""
    window = app.find(FRAME, 'Tokens')
    app.find(LABEL, words['step1'], window)
    app.click(app.find(None, words['server'], window))
    app.type_text(app.find(TEXT, words['address'], window), server.url)
    app.click(app.find(PUSH_BUTTON, words['next'], window))

    app.find(LABEL, words['step2'], window)
    app.click(app.find(None, words['create'], window))
    app.type_text(app.find(TEXT, words['email'], window), EMAIL)
    app.type_text(app.find(TEXT, words['password'], window), password)
    app.click(app.find(PUSH_BUTTON, words['next'], window))
    return window


def onboard_remote(app, server, words):
    """Steps 1 and 2, on to step 3."""
    window = sign_up_remote(app, server, words)
    app.find(LABEL, words['step3'], window, timeout=30)
    return window


EN = {
    'step1': 'Step 1 of 4: Service', 'step2': 'Step 2 of 4: Sign In', 'step3': 'Step 3 of 4: API Token',
    'step4': 'Step 4 of 4: Keep It Safe', 'server': 'A Server', 'address': 'Server Address',
    'next': 'Next', 'finish': 'Finish', 'create': 'Create an Account', 'email': 'Email',
    'password': 'Password', 'copy': 'Copy', 'show': 'Show Token', 'saved': 'Saved to your keyring',
    'reset': 'Reset Token…', 'reset_confirm': 'Reset Token', 'cancel': 'Cancel',
    'practices': 'Security Best Practices', 'api_key': 'API Key',
}

PT = {
    'step1': 'Etapa 1 de 4: Serviço', 'step2': 'Etapa 2 de 4: Entrar', 'step3': 'Etapa 3 de 4: Token da API',
    'step4': 'Etapa 4 de 4: Mantenha-o seguro', 'server': 'Um servidor', 'address': 'Endereço do servidor',
    'next': 'Avançar', 'finish': 'Finalizar', 'create': 'Criar uma conta', 'email': 'Email',
    'password': 'Senha', 'copy': 'Copiar', 'show': 'Mostrar token', 'saved': 'Salvo no seu chaveiro',
    'reset': 'Resetar token…', 'reset_confirm': 'Resetar token', 'cancel': 'Cancelar',
    'practices': 'Boas práticas de segurança', 'api_key': 'API Key',
}


class ApiKeyTest(unittest.TestCase):

    def test_onboarding_then_reveal_copy_and_reset(self):
        with Server('--allow-signup') as server, App() as app:
            window = onboard_remote(app, server, EN)

            # Step 3: the token, already in the keyring, hidden until the
            # eye shows it (never in clear over a shoulder or in a screenshot).
            app.find(LABEL, re.compile(r'^tkapi_•+[0-9A-Za-z]{4}$'), window)
            self.assertEqual(app.find_all(LABEL, TOKEN, window), [])
            app.click(app.find(None, EN['show'], window))
            shown = App.text(token_label(app, window))
            self.assertTrue(TOKEN.match(shown))
            app.find(None, EN['saved'], window)
            stored = secret_tool_lookup(service=server.url, account=EMAIL, kind='api-key')
            self.assertEqual(stored, shown)
            status, me = http(server.url + '/v1/tokens/verify', token=shown)
            self.assertEqual(status, 200, me)

            # Copy, twice: one toast (the newer replaces the older, no queue),
            # above Next rather than on it.
            copy = app.find(PUSH_BUTTON, EN['copy'], window)
            app.click(copy)
            app.click(copy)
            copied = re.compile(r'^Copied\. The clipboard will be cleared')
            toast = app.find(LABEL, copied, window)
            time.sleep(0.5)   # the toast's slide in
            self.assertEqual(len(app.find_all(LABEL, copied, window)), 1)
            box = toast.get_component_iface().get_extents(Atspi.CoordType.WINDOW)
            forward = app.find(PUSH_BUTTON, EN['next'], window).get_component_iface().get_extents(
                Atspi.CoordType.WINDOW)
            self.assertLess(box.y + box.height, forward.y)
            app.gone(LABEL, copied, window, timeout=8)

            # Step 4: keep it safe, then Finish lands on the API Key page.
            app.click(app.find(PUSH_BUTTON, EN['next'], window))
            app.find(LABEL, EN['step4'], window)
            app.find(LABEL, 'Do NOT commit to Git', window)
            app.click(app.find(PUSH_BUTTON, EN['finish'], window))

            # Hidden: only the checksum's last four show.
            hint = app.find(LABEL, re.compile(r'^tkapi_•+' + re.escape(shown[-4:]) + '$'), window)
            self.assertNotIn(shown[6:20], App.text(hint))
            self.assertEqual(app.find_all(LABEL, TOKEN, window), [])

            # The eye reveals what the keyring holds.
            app.click(app.find(None, EN['show'], window))
            self.assertEqual(App.text(token_label(app, window)), stored)

            # Copy: another program reads it off the clipboard, and the
            # service takes it.
            app.click(app.find(PUSH_BUTTON, EN['copy'], window))
            copied_at = time.monotonic()
            app.find(LABEL, re.compile(r'^Copied\. The clipboard will be cleared in 30 seconds\.$'), window)
            # A toast is news, not a record: gone in seconds, not queued.
            app.gone(LABEL, re.compile(r'^Copied\.'), window, timeout=8)
            copied = wait_until(lambda: clipboard() == stored and clipboard(), what='the token on the clipboard')
            self.assertEqual(http(server.url + '/v1/tokens/verify', token=copied)[0], 200)

            # Reset, cancelled: nothing changes.
            app.click(app.find(PUSH_BUTTON, EN['reset'], window))
            dialog = app.top('Reset API Token?')
            app.find(LABEL, re.compile('stops working at once'), dialog)
            app.click(app.find(PUSH_BUTTON, EN['cancel'], dialog))
            app.top_gone('Reset API Token?')
            # GTK 4.8 gives the window a new accessible after a modal dialog.
            window = app.top('Tokens')
            self.assertEqual(http(server.url + '/v1/tokens/verify', token=stored)[0], 200)
            self.assertEqual(secret_tool_lookup(service=server.url, account=EMAIL, kind='api-key'), stored)

            # Reset, confirmed: the old token dies at once, the new one is
            # shown, works, and is what the keyring holds.
            app.click(app.find(PUSH_BUTTON, EN['reset'], window))
            dialog = app.top('Reset API Token?')
            app.click(app.find(PUSH_BUTTON, EN['reset_confirm'], dialog))
            app.top_gone('Reset API Token?')
            window = app.top('Tokens')
            fresh = wait_until(lambda: next((App.text(n) for n in app.find_all(LABEL, TOKEN, window)
                                             if App.text(n) != stored), None),
                               what='the new token')
            # The old token, dead now, was still on the clipboard: cleared at
            # once, not at the end of its 30 seconds.
            wait_until(lambda: not clipboard(), timeout=3, what='the old token to leave the clipboard')
            self.assertLess(time.monotonic() - copied_at, 25)

            self.assertEqual(http(server.url + '/v1/tokens/verify', token=stored)[0], 401)
            self.assertEqual(http(server.url + '/v1/tokens/verify', token=fresh)[0], 200)
            self.assertEqual(secret_tool_lookup(service=server.url, account=EMAIL, kind='api-key'), fresh)

    def test_wrong_password_is_said_plainly(self):
        with Server('--allow-signup') as server:
            self.assertEqual(http(server.url + '/v1/accounts', 'POST',
                                  body={'email': EMAIL, 'password': PASSWORD})[0], 201)
            with App() as app:
                window = app.find(FRAME, 'Tokens')
                app.click(app.find(None, EN['server'], window))
                app.type_text(app.find(TEXT, EN['address'], window), server.url)
                app.click(app.find(PUSH_BUTTON, EN['next'], window))
                app.find(LABEL, EN['step2'], window)
                app.type_text(app.find(TEXT, EN['email'], window), EMAIL)
                app.type_text(app.find(TEXT, EN['password'], window), 'not the password')
                app.click(app.find(PUSH_BUTTON, EN['next'], window))
                app.find(LABEL, 'The email address or the password is wrong.', window)
                app.find(LABEL, EN['step2'], window)

    def test_refused_sign_up_says_why_in_the_persons_language(self):
        """The service's reason for refusing the input is ours, so it is
        said in Portuguese too; nothing is created."""
        said = {
            'en': (EN, 'The service did not accept what was sent. The password is shorter than 8 characters.',
                   'Use at least 8 characters. A long passphrase of several words is easier to remember '
                   'and harder to guess.'),
            'pt_BR': (PT, 'O serviço não aceitou o que foi enviado. A senha tem menos de 8 caracteres.',
                      'Use pelo menos 8 caracteres. Uma frase longa, de várias palavras, é mais fácil de '
                      'lembrar e mais difícil de adivinhar.'),
        }
        for language, (words, sentence, rule) in said.items():
            with self.subTest(language=language), Server('--allow-signup') as server, \
                    App(env={'LANGUAGE': language}) as app:
                window = sign_up_remote(app, server, words, password='short')
                # The rule was there before the service refused.
                app.find(LABEL, rule, window)
                app.find(LABEL, sentence, window)
                app.find(LABEL, words['step2'], window)
                # No account was made: signing in with it is refused.
                self.assertEqual(http(server.url + '/v1/sessions', 'POST',
                                      body={'email': EMAIL, 'password': 'short'})[0], 401)

    def test_unreachable_address_and_unencrypted_address_are_refused(self):
        with App() as app:
            window = app.find(FRAME, 'Tokens')
            app.click(app.find(None, EN['server'], window))
            address = app.find(TEXT, EN['address'], window)
            app.type_text(address, 'http://tokens.example.org')
            app.click(app.find(PUSH_BUTTON, EN['next'], window))
            app.find(LABEL, re.compile(r'^This address is not encrypted \(http://\)'), window)
            app.find(LABEL, EN['step1'], window)

            # A closed port on this computer: a clear error, still on step 2.
            app.type_text(address, 'http://127.0.0.1:9')
            app.click(app.find(PUSH_BUTTON, EN['next'], window))
            app.type_text(app.find(TEXT, EN['email'], window), EMAIL)
            app.type_text(app.find(TEXT, EN['password'], window), PASSWORD)
            app.click(app.find(PUSH_BUTTON, EN['next'], window))
            app.find(LABEL, 'The service cannot be reached. Check the address and your connection.', window)

    def test_whole_flow_in_portuguese(self):
        with Server('--allow-signup') as server, App(env={'LANGUAGE': 'pt_BR'}) as app:
            window = onboard_remote(app, server, PT)
            self.assertEqual(app.find_all(LABEL, TOKEN, window), [])
            app.click(app.find(None, PT['show'], window))
            shown = App.text(token_label(app, window))
            app.find(None, PT['saved'], window)
            app.click(app.find(PUSH_BUTTON, PT['next'], window))
            app.find(LABEL, PT['step4'], window)
            app.find(LABEL, PT['practices'], window)
            app.find(LABEL, 'NÃO faça commit no Git', window)
            app.click(app.find(PUSH_BUTTON, PT['finish'], window))
            app.find(None, PT['api_key'], window)
            app.click(app.find(PUSH_BUTTON, PT['copy'], window))
            wait_until(lambda: clipboard() == shown, what='the token on the clipboard')
            app.click(app.find(PUSH_BUTTON, PT['reset'], window))
            dialog = app.top('Resetar o token da API?')
            app.click(app.find(PUSH_BUTTON, PT['cancel'], dialog))
            app.top_gone('Resetar o token da API?')
            self.assertEqual(app.find_all(LABEL, 'Security Best Practices'), [])


class ClipboardTest(unittest.TestCase):

    def set_clear_after(self, app, seconds):
        window = app.top('Tokens')
        app.click(app.find(None, 'Main Menu', window))
        app.click(app.find(None, 'Preferences'))
        preferences = app.top('Preferences')
        spin = app.find(None, 'Clear Copied Tokens After', preferences)
        value = next(n for n in [spin] + app.find_all(None, None, spin) if n.get_value_iface())
        value.get_value_iface().set_current_value(seconds)
        app.click(app.find(PUSH_BUTTON, 'Close', preferences))
        app.top_gone('Preferences')

    def test_copied_token_is_cleared_after_the_timeout_only_if_still_ours(self):
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            with App(env=env) as app:
                # 8 seconds, checked at 4: a busy machine has 4 seconds of
                # margin either way.
                self.set_clear_after(app, 8)
                window = app.top('Tokens')

                app.click(app.find(PUSH_BUTTON, 'Copy', window))
                wait_until(lambda: clipboard() == api_token, what='the token on the clipboard')
                copied_at = time.monotonic()
                app.find(LABEL, 'Copied. The clipboard will be cleared in 8 seconds.', window)
                time.sleep(max(0, 4 - (time.monotonic() - copied_at)))
                # Never assertEqual on a secret: its message would print it.
                self.assertTrue(clipboard() == api_token, 'the token left the clipboard before its time')
                wait_until(lambda: not clipboard(), timeout=8, what='the clipboard to be cleared')

                # Something else copied since: left alone.
                app.click(app.find(PUSH_BUTTON, 'Copy', window))
                wait_until(lambda: clipboard() == api_token, what='the token on the clipboard')
                other = subprocess.Popen(['xclip', '-i', '-selection', 'clipboard', '-loops', '0'],
                                         stdin=subprocess.PIPE, text=True)
                other.communicate('a note of mine', timeout=5)
                wait_until(lambda: clipboard() == 'a note of mine', what='the other copy')
                time.sleep(9.5)
                self.assertEqual(clipboard(), 'a note of mine')

    def test_ctrl_c_on_the_revealed_token_goes_through_the_same_guard(self):
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            with App(env=env) as app:
                window = app.top('Tokens')
                app.click(app.find(None, EN['show'], window))
                label = token_label(app, window)
                self.assertTrue(App.text(label) == api_token, 'the revealed label is not the API token')

                # Select the revealed text as a person would (a triple
                # click selects the line), and press Ctrl+C.
                box = label.get_component_iface().get_extents(Atspi.CoordType.WINDOW)
                app.click_at(box.x + box.width // 2, box.y + box.height // 2, times=3)
                app.key('ctrl+c')
                wait_until(lambda: clipboard() == api_token, what='the token on the clipboard')
                app.find(LABEL, re.compile(r'^Copied\. The clipboard will be cleared in 30 seconds\.$'), window)


def local_folder():
    folder = os.path.join(os.environ['XDG_DATA_HOME'], 'org.example.Tokens')
    home = os.path.expanduser('~')
    return '~' + folder[len(home):] if folder.startswith(home + '/') else folder


class LocalServiceTest(unittest.TestCase):

    def test_preferences_say_where_this_computer_keeps_its_data_in_portuguese(self):
        with App(env={'LANGUAGE': 'pt_BR'}) as app:
            window = app.find(FRAME, 'Tokens')
            app.click(app.find(None, 'Menu principal', window))
            app.click(app.find(None, 'Preferências'))
            preferences = app.top('Preferências')
            app.find(LABEL, 'Serviço de tokens neste computador', preferences)
            app.find(LABEL, 'Pasta', preferences)
            app.find(LABEL, local_folder(), preferences)
            # Not started yet: nothing uses it on a first run.
            app.find(LABEL, 'Parado: ele inicia com uma conta neste computador', preferences)

    def test_this_computer_is_the_default_and_keeps_the_account(self):
        with App() as app:
            window = app.find(FRAME, 'Tokens')
            app.click(app.find(PUSH_BUTTON, EN['next'], window))   # "This Computer" is chosen
            app.find(LABEL, 'Create an Account', window)            # first run: no account yet
            app.type_text(app.find(TEXT, EN['email'], window), EMAIL)
            app.type_text(app.find(TEXT, EN['password'], window), PASSWORD)
            app.click(app.find(PUSH_BUTTON, EN['next'], window))
            app.click(app.find(None, EN['show'], window))
            shown = App.text(token_label(app, window))
            self.assertEqual(secret_tool_lookup(service='local:', account=EMAIL, kind='api-key'), shown)

            # Preferences say where "This Computer" keeps it all, and where
            # the service it runs listens.
            app.click(app.find(None, 'Main Menu', window))
            app.click(app.find(None, 'Preferences'))
            preferences = app.top('Preferences')
            app.find(LABEL, 'Token Service on This Computer', preferences)
            app.find(LABEL, local_folder(), preferences)
            app.find(LABEL, re.compile(r'^http://127\.0\.0\.1:\d+$'), preferences)
            app.click(app.find(PUSH_BUTTON, 'Close', preferences))
            app.top_gone('Preferences')

        # The service ran on this computer, its database where the app
        # keeps it: a server on that database takes the token.
        database = os.path.join(os.environ['XDG_DATA_HOME'], 'org.example.Tokens', 'tokens.db')
        self.assertTrue(os.path.exists(database))
        with Server(database=database) as server:
            self.assertEqual(http(server.url + '/v1/tokens/verify', token=shown)[0], 200)


if __name__ == '__main__':
    unittest.main(verbosity=2)
