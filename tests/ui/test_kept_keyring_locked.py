# SPDX-License-Identifier: GPL-3.0-or-later
"""Kept Tokens with the keyring locked and its unlock prompt refused: the
Add Existing Token dialog writes nothing and stays up, and the page's Copy
says the keyring is locked in the words the rest of the app uses
(libtokens'), in English and in pt_BR, copying nothing. A file of its
own: the keyring stays locked for its session."""

import os
import re
import subprocess
import time
import unittest

from tokens_harness import App, LABEL, PUSH_BUTTON, clipboard, wait_until  # noqa: E402
from test_keyring_locked import lock_keyring, refuse_unlock_prompts  # noqa: E402
from test_kept_tokens import EN, KEPT_SCHEMA, PT, github_token, keep_in_keyring, settings_env  # noqa: E402

LOCKED = {
    'en': 'The keyring is locked. Unlock it to use saved tokens.',
    'pt_BR': 'O chaveiro está bloqueado. Desbloqueie-o para usar os tokens salvos.',
}


def prompt_shown():
    return bool(subprocess.run(['xdotool', 'search', '--onlyvisible', '--class', 'gcr-prompter'],
                               capture_output=True, text=True, timeout=10).stdout.split())


def kept_item_paths():
    """The kept items' object paths, locked or not, asked without an unlock
    prompt (Secret Service SearchItems: attributes only)."""
    result = subprocess.run(['gdbus', 'call', '--session', '--dest', 'org.freedesktop.secrets',
                             '--object-path', '/org/freedesktop/secrets',
                             '--method', 'org.freedesktop.Secret.Service.SearchItems',
                             f"{{'xdg:schema': '{KEPT_SCHEMA}'}}"],
                            check=True, capture_output=True, text=True, timeout=20)
    return re.findall(r"'(/org/freedesktop/secrets/collection/[^']+)'", result.stdout)


class KeptKeyringLockedTest(unittest.TestCase):

    def test_page_and_dialog_say_locked_and_write_nothing(self):
        secret = github_token()
        keep_in_keyring('locked0001', 'github', 'GitHub', 'deploy-ci', secret)
        self.assertEqual(len(kept_item_paths()), 1)
        for language, words in (('en', EN), ('pt_BR', PT)):
            env = settings_env()
            with open(os.path.join(env['XDG_CONFIG_HOME'], 'glib-2.0', 'settings', 'keyfile'), 'w') as keyfile:
                keyfile.write('[org/example/Tokens]\nkept-only=true\n')
            with self.subTest(language=language), App(env=dict(env, LANGUAGE=language)) as app:
                window = app.top('Tokens')
                row = app.find(None, 'deploy-ci', window, timeout=30)
                lock_keyring()

                # Keeping another asks whether it is kept already: the same.
                app.key('ctrl+shift+n')
                dialog = app.top(words['dialog'])
                app.type_text(app.find(None, words['token'], dialog), github_token())
                app.type_text(app.find(None, words['name'], dialog), 'Another')
                app.click(app.find(PUSH_BUTTON, words['keep'], dialog))
                # The dialog's words are not looked for here: after a
                # prompt, GTK 4.8's bridge drops the dialog from the tree
                # for a long while (seen for 30 s under load), though its
                # X window is up. What it says is the same message as the
                # page's toast below (tokens_util_error_message()); here:
                # the refusal ends the wait, nothing is written, and the
                # dialog is still up (no stray Escape closed it).
                wait_until(prompt_shown, timeout=40, what='the unlock prompt')
                refuse_unlock_prompts(app, lambda: not prompt_shown())
                time.sleep(1)
                self.assertEqual(len(kept_item_paths()), 1)
                self.assertIsNone(app.process.poll(), 'the app quit')
                app.key('Escape', window=words['dialog'])
                app.top_gone(words['dialog'])

                # Copy reads the secret: the prompt, refused, and a toast.
                row = app.find(None, 'deploy-ci', window)
                app.click(app.find(PUSH_BUTTON, words['copy'], row))
                refuse_unlock_prompts(app, lambda: app.find_all(LABEL, LOCKED[language], window))
                self.assertNotEqual(clipboard(), secret)

            self.assertEqual(len(kept_item_paths()), 1)


if __name__ == '__main__':
    unittest.main(verbosity=2)
