# SPDX-License-Identifier: GPL-3.0-or-later
"""A locked keyring whose unlock prompt the person refuses: the app says
the keyring is locked and what to do (libtokens' words), not that there is
no keyring. A file of its own: the keyring stays locked for its session."""

import re
import subprocess
import time
import unittest

from tokens_harness import App, Server, FRAME, LABEL, PUSH_BUTTON, TEXT

PASSWORD = 'correct horse battery staple'


def lock_keyring():
    """Locks the login collection, as the desktop does after a while."""
    subprocess.run(['gdbus', 'call', '--session', '--dest', 'org.freedesktop.secrets',
                    '--object-path', '/org/freedesktop/secrets',
                    '--method', 'org.freedesktop.Secret.Service.Lock',
                    "['/org/freedesktop/secrets/collection/login']"],
                   check=True, capture_output=True, timeout=20)


def refuse_unlock_prompts(app, until, timeout=40):
    """Cancels every unlock prompt the keyring shows (gcr-prompter's
    window), with Escape, as a person who does not give the password
    would, until `until()`. (The prompter is started by the bus, outside
    the accessibility tree of the tests: NO_AT_BRIDGE.)"""
    refused = 0
    deadline = time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            raise AssertionError(f'gave up after refusing {refused} unlock prompts')
        found = subprocess.run(['xdotool', 'search', '--onlyvisible', '--class', 'gcr-prompter'],
                               capture_output=True, text=True, timeout=10).stdout.split()
        for window in found:
            # Escape only once the prompt has the input focus. A prompt
            # window found while it is still coming up, or already going,
            # does not take it, and the Escape then went to the app's
            # focused window instead: it closed the dialog waiting for the
            # keyring's answer, and the test waited in vain (the flake).
            try:
                subprocess.run(['xdotool', 'windowfocus', window], timeout=5, stderr=subprocess.DEVNULL)
                focused = subprocess.run(['xdotool', 'getwindowfocus'], capture_output=True, text=True,
                                         timeout=5).stdout.strip()
            except subprocess.TimeoutExpired:
                continue
            if focused != window:
                continue
            subprocess.run(['xdotool', 'key', '--window', window, 'Escape'], timeout=10)
            refused += 1
            time.sleep(1)
        time.sleep(0.2)
    return refused


class LockedKeyringTest(unittest.TestCase):

    def test_locked_keyring_with_its_prompt_refused_says_locked_not_missing(self):
        said = {
            'en': ({'server': 'A Server', 'address': 'Server Address', 'next': 'Next', 'create': 'Create an Account',
                    'email': 'Email', 'password': 'Password', 'step3': 'Step 3 of 4: API Token'},
                   'Not saved: the keyring is locked',
                   'The keyring is locked, so the token was not saved. Unlock it and try again.'),
            'pt_BR': ({'server': 'Um servidor', 'address': 'Endereço do servidor', 'next': 'Avançar',
                       'create': 'Criar uma conta', 'email': 'Email', 'password': 'Senha',
                       'step3': 'Etapa 3 de 4: Token da API'},
                      'Não salvo: o chaveiro está bloqueado',
                      'O chaveiro está bloqueado, por isso o token não foi salvo. Desbloqueie-o e tente novamente.'),
        }
        for language, (words, title, sentence) in said.items():
            with self.subTest(language=language), Server('--allow-signup') as server, \
                    App(env={'LANGUAGE': language}) as app:
                lock_keyring()
                window = app.find(FRAME, 'Tokens')
                app.click(app.find(None, words['server'], window))
                app.type_text(app.find(TEXT, words['address'], window), server.url)
                app.click(app.find(PUSH_BUTTON, words['next'], window))
                app.click(app.find(None, words['create'], window))
                app.type_text(app.find(TEXT, words['email'], window), 'ana@example.org')
                app.type_text(app.find(TEXT, words['password'], window), PASSWORD)
                app.click(app.find(PUSH_BUTTON, words['next'], window))
                # The session and the API token each ask to unlock it.
                refuse_unlock_prompts(app, lambda: app.find_all(LABEL, words['step3'], window))
                app.find(LABEL, title, window)
                app.find(LABEL, sentence, window)
                self.assertEqual(app.find_all(LABEL, re.compile('no keyring|nenhum chaveiro'), window), [])



if __name__ == '__main__':
    unittest.main(verbosity=2)
