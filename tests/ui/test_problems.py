# SPDX-License-Identifier: GPL-3.0-or-later
"""Problems a person can act on, said plainly in both languages: a service
that cannot be reached (with Retry), a session that ended (sign in again),
the token service on this computer failing to start."""

import os
import re
import unittest

from tokens_harness import App, Server, LABEL, PUSH_BUTTON, TEXT, signed_in_account, http

PASSWORD = 'correct horse battery staple'


def write_account(url, is_local=False):
    settings = os.path.join(os.environ['XDG_CONFIG_HOME'], 'glib-2.0', 'settings')
    os.makedirs(settings, exist_ok=True)
    with open(os.path.join(settings, 'keyfile'), 'w') as keyfile:
        keyfile.write('[org/example/Tokens]\n'
                      f"accounts=[{{'id': <'a1'>, 'service-url': <'{url}'>, 'email': <'ana@example.org'>, "
                      f"'display-name': <''>, 'is-local': <{'true' if is_local else 'false'}>, "
                      "'allow-insecure': <false>}]\n"
                      "active-account='a1'\n")
    return {'GSETTINGS_BACKEND': 'keyfile'}


class ProblemsTest(unittest.TestCase):

    def test_unreachable_service_offers_retry(self):
        env = write_account('http://127.0.0.1:9')
        with App(env=env) as app:
            window = app.top('Tokens')
            # No session saved: signed out, with a way back in.
            app.find(LABEL, 'Signed Out', window)
            app.find(PUSH_BUTTON, 'Sign In Again', window)

        with Server('--allow-signup') as server:
            env, _ = signed_in_account(server)
            url = server.url
        # The service is gone now; its session is still in the keyring.
        with App(env=env) as app:
            window = app.top('Tokens')
            app.find(LABEL, 'Cannot Reach the Service', window)
            app.find(LABEL, 'The service cannot be reached. Check the address and your connection.', window)
            app.click(app.find(PUSH_BUTTON, 'Retry', window))
            app.find(LABEL, 'Cannot Reach the Service', window)
        self.assertTrue(url.startswith('http://127.0.0.1:'))

    def test_session_that_ended_asks_to_sign_in_again(self):
        with Server('--allow-signup') as server:
            env, _ = signed_in_account(server)
            # Signed out elsewhere: the saved session is refused now.
            from tokens_harness import secret_tool_lookup
            session = secret_tool_lookup(service=server.url, account='ana@example.org', kind='session')
            self.assertEqual(http(server.url + '/v1/sessions/current', 'DELETE', token=session)[0], 204)
            with App(env=env) as app:
                window = app.top('Tokens')
                app.find(LABEL, 'Signed Out', window)
                app.click(app.find(PUSH_BUTTON, 'Sign In Again', window))
                app.find(LABEL, 'Step 2 of 4: Sign In', window)
            # The stale session was forgotten.
            self.assertIsNone(secret_tool_lookup(service=server.url, account='ana@example.org', kind='session'))

    def test_deliberate_sign_out_offers_one_way_back_in_that_hides_the_token(self):
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            with App(env=env) as app:
                window = app.top('Tokens')
                app.click(app.find(None, 'Profile', window))
                app.click(app.find(None, 'Sign Out'))
                app.find(LABEL, 'Signed Out', window)
                # One suggested action: nothing failed that Retry would mend.
                app.find(PUSH_BUTTON, 'Sign In Again', window)
                self.assertEqual(app.find_all(PUSH_BUTTON, 'Retry', window), [])

                # The stepper says what it is for, not "Add a Service".
                app.click(app.find(PUSH_BUTTON, 'Sign In Again', window))
                app.find(LABEL, 'Step 2 of 4: Sign In', window)
                app.find(LABEL, 'Sign In Again', window)
                self.assertEqual(app.find_all(LABEL, 'Add a Service', window), [])
                app.type_text(app.find(TEXT, 'Password', window), PASSWORD)
                app.click(app.find(PUSH_BUTTON, 'Next', window))

                # The API token from the keyring: hidden, the eye shows it.
                app.find(LABEL, 'Step 3 of 4: API Token', window, timeout=30)
                app.find(LABEL, re.compile(r'^tkapi_•+' + re.escape(api_token[-4:]) + '$'), window)
                self.assertEqual(app.find_all(LABEL, api_token, window), [])
                app.click(app.find(None, 'Show Token', window))
                app.find(LABEL, api_token, window)

    def test_signed_out_on_this_computer_reads_as_a_sentence(self):
        said = {
            'en': ('Signed Out', 'Sign in again to use the tokens of ana@example.org on this computer.'),
            'pt_BR': ('Sessão encerrada', 'Entre novamente para usar os tokens de ana@example.org neste computador.'),
        }
        for language, (title, sentence) in said.items():
            with self.subTest(language=language):
                env = write_account('local:', is_local=True)
                env.update(LANGUAGE=language)
                with App(env=env) as app:
                    window = app.top('Tokens')
                    app.find(LABEL, title, window, timeout=30)
                    app.find(LABEL, sentence, window)

    def test_local_service_that_does_not_start_is_said_in_portuguese(self):
        env = write_account('local:', is_local=True)
        env.update(TOKENS_SERVER_BIN='/nonexistent/tokens-server', LANGUAGE='pt_BR')
        with App(env=env) as app:
            window = app.top('Tokens')
            app.find(LABEL, 'O serviço de tokens não iniciou', window)
            app.find(LABEL, 'Não foi possível iniciar o serviço de tokens neste computador.', window)
            app.find(PUSH_BUTTON, 'Tentar novamente', window)


if __name__ == '__main__':
    unittest.main(verbosity=2)
