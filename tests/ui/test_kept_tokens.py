# SPDX-License-Identifier: GPL-3.0-or-later
"""Kept Tokens (issue 16): the tokens a person already has, of any service,
kept in the real keyring through the real app, found by accessible names.
Tokens with no token service at all; beside an account; in both languages.
Every GitHub-shaped token here is generated, with its CRC-32 as GitHub
computes it; none was issued by anyone."""

import datetime
import os
import random
import subprocess
import tempfile
import unittest
import zlib

from tokens_harness import (App, FRAME, LABEL, PUSH_BUTTON, TEXT, Server, clipboard,
                            secret_tool_search, signed_in_account, wait_until)

BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
KEPT_SCHEMA = 'org.example.Tokens.Kept'


def github_token(prefix='ghp_', checksum_ok=True):
    """A GitHub classic token: 30 base62 characters and their CRC-32 (zlib's)
    as six base62 digits; with checksum_ok=False, one digit is off."""
    body = ''.join(random.choice(BASE62) for _ in range(30))
    crc, digits = zlib.crc32(body.encode()), ''
    for _ in range(6):
        crc, digit = divmod(crc, 62)
        digits = BASE62[digit] + digits
    if not checksum_ok:
        digits = digits[:-1] + BASE62[(BASE62.index(digits[-1]) + 1) % 62]
    return prefix + body + digits


def kept_items():
    return secret_tool_search(**{'xdg:schema': KEPT_SCHEMA})


def keep_in_keyring(token_id, service, service_name, name, secret, used_in='', expires_on=''):
    """A kept token put in the keyring as the app keeps one, behind its back."""
    subprocess.run(['secret-tool', 'store', f'--label=Tokens: {service_name} token “{name}”',
                    'xdg:schema', KEPT_SCHEMA, 'id', token_id, 'service', service,
                    'service-name', service_name, 'name', name, 'used-in', used_in,
                    'expires-on', expires_on, 'note', ''],
                   input=secret, text=True, check=True, timeout=10)


def settings_env():
    """The app's settings in a keyfile of this test's own, so that the choice
    made in the stepper is there when the app starts again."""
    config = tempfile.mkdtemp(prefix='tokens-config-')
    os.makedirs(os.path.join(config, 'glib-2.0', 'settings'))
    return {'GSETTINGS_BACKEND': 'keyfile', 'XDG_CONFIG_HOME': config,
            'XDG_DATA_HOME': tempfile.mkdtemp(prefix='tokens-data-')}


EN = {
    'keep_only': 'Only Keep Tokens I Already Have', 'empty': 'No Kept Tokens',
    'add': 'Add Existing Token…', 'dialog': 'Add Existing Token', 'token': 'Token', 'name': 'Name',
    'used_in': 'Where It Is Used', 'expiry': 'Expiry Date (YYYY-MM-DD)', 'note': 'Note',
    'keep': 'Keep', 'keep_anyway': 'Keep Anyway', 'cancel': 'Cancel',
    'valid': 'The format is recognised and the checksum is right.',
    'mistyped': 'This token looks mistyped or truncated.',
    'insist': 'This token looks mistyped or truncated.\nCheck it at the service. '
              'To keep it as it is, choose “Keep Anyway”.',
    'other': 'Other service',
    'duplicate': 'This token is already kept, as “{}”.',
    'expires': 'Expires in 12 days', 'no_expiry': 'No expiry', 'copy': 'Copy', 'show': 'Show Token',
    'kept_toast': 'Token kept in your keyring',
}

PT = {
    'keep_only': 'Só guardar os tokens que já tenho', 'empty': 'Nenhum token guardado',
    'add': 'Adicionar token existente…', 'dialog': 'Adicionar token existente', 'token': 'Token',
    'name': 'Nome', 'used_in': 'Onde é usado', 'expiry': 'Data de expiração (AAAA-MM-DD)', 'note': 'Nota',
    'keep': 'Guardar', 'keep_anyway': 'Guardar mesmo assim', 'cancel': 'Cancelar',
    'valid': 'O formato foi reconhecido e a soma de verificação está certa.',
    'mistyped': 'Este token parece digitado errado ou incompleto.',
    'insist': 'Este token parece digitado errado ou incompleto.\nConfira-o no serviço. '
              'Para guardá-lo como está, escolha “Guardar mesmo assim”.',
    'other': 'Outro serviço',
    'duplicate': 'Este token já está guardado, como “{}”.',
    'expires': 'Expira em 12 dias', 'no_expiry': 'Sem expiração', 'copy': 'Copiar', 'show': 'Mostrar token',
    'kept_toast': 'Token guardado no seu chaveiro',
}


class KeptTokensTest(unittest.TestCase):

    def setUp(self):
        # One keyring for the whole program: each test starts with none kept.
        subprocess.run(['secret-tool', 'clear', 'xdg:schema', KEPT_SCHEMA], timeout=10)
        self.assertEqual(kept_items(), [])

    def keep_only(self, app, words):
        """First run: the stepper's choice of no service at all."""
        window = app.find(FRAME, 'Tokens')
        app.click(app.find(PUSH_BUTTON, words['keep_only'], window))
        app.find(LABEL, words['empty'], window)
        return window

    def fill(self, app, dialog, words, secret, name, used_in='', expires='', note=''):
        app.type_text(app.find(TEXT, words['token'], dialog), secret)
        app.type_text(app.find(TEXT, words['name'], dialog), name)
        if used_in:
            app.type_text(app.find(TEXT, words['used_in'], dialog), used_in)
        if expires:
            app.type_text(app.find(TEXT, words['expiry'], dialog), expires)
        if note:
            app.type_text(app.find(TEXT, words['note'], dialog), note)

    def add(self, app, words, secret, name, **details):
        app.key('ctrl+shift+n')
        dialog = app.top(words['dialog'])
        self.fill(app, dialog, words, secret, name, **details)
        app.find(LABEL, 'GitHub', dialog)
        app.find(LABEL, words['valid'], dialog)
        app.click(app.find(PUSH_BUTTON, words['keep'], dialog))
        app.top_gone(words['dialog'])

    def row(self, app, window, name):
        return app.find(None, name, window)

    def row_menu(self, app, window, name, item):
        app.click(app.find(None, f'Actions for {name}', window))
        app.click(app.find(None, item))

    def assert_no_secret_in_attributes(self, *secrets):
        for item in kept_items():
            for value in item['attributes'].values():
                for secret in secrets:
                    self.assertNotIn(secret[4:14], value)

    def test_without_a_service_add_copy_check_edit_replace_delete(self):
        env = settings_env()
        token = github_token()
        expires = (datetime.date.today() + datetime.timedelta(days=12)).isoformat()
        with App(env=env) as app:
            window = self.keep_only(app, EN)
            # The account's pages are not there: this page is the window.
            self.assertEqual(app.find_all(None, 'API Key', window), [])
            self.assertEqual(app.find_all(None, 'Profile', window), [])

            # The empty state's button; a valid GitHub token is recognised.
            app.click(app.find(PUSH_BUTTON, EN['add'], window))
            dialog = app.top(EN['dialog'])
            # Hidden by default: the entry is a password entry.
            entry = app.find(TEXT, EN['token'], dialog)
            self.fill(app, dialog, EN, token, 'CI PAT', used_in='CI server', expires=expires,
                      note='Rotate every quarter')
            app.find(LABEL, 'GitHub', dialog)
            app.find(LABEL, EN['valid'], dialog)
            app.find(None, 'Manage Tokens at the Service', dialog)
            del entry
            app.click(app.find(PUSH_BUTTON, EN['keep'], dialog))
            app.top_gone(EN['dialog'])

            app.find(LABEL, 'CI PAT', window)
            app.find(LABEL, 'GitHub · CI server', window)
            app.find(LABEL, EN['expires'], window)
            app.find(LABEL, EN['kept_toast'], window)

            # In the keyring: the secret as the item's secret, details as
            # attributes, no secret among them.
            items = wait_until(kept_items, what='the kept token in the keyring')
            self.assertEqual(len(items), 1)
            self.assertEqual(items[0]['secret'], token)
            attributes = items[0]['attributes']
            self.assertEqual(attributes['service'], 'github')
            self.assertEqual(attributes['service-name'], 'GitHub')
            self.assertEqual(attributes['name'], 'CI PAT')
            self.assertEqual(attributes['used-in'], 'CI server')
            self.assertEqual(attributes['expires-on'], expires)
            self.assertEqual(attributes['note'], 'Rotate every quarter')
            self.assert_no_secret_in_attributes(token)
            kept_id = attributes['id']

            # Copy, through the clipboard guard; reveal.
            row = self.row(app, window, 'CI PAT')
            app.click(app.find(PUSH_BUTTON, EN['copy'], row))
            wait_until(lambda: clipboard() == token, what='the token on the clipboard')
            app.click(app.find(PUSH_BUTTON, EN['show'], row))
            app.find(LABEL, token, window)
            app.click(app.find(PUSH_BUTTON, 'Hide Token', row))
            app.gone(LABEL, token, window)

            # A broken checksum looks mistyped; Keep asks again, Cancel keeps nothing.
            broken = github_token(checksum_ok=False)
            app.key('ctrl+shift+n')
            dialog = app.top(EN['dialog'])
            self.fill(app, dialog, EN, broken, 'Broken')
            app.find(LABEL, EN['mistyped'], dialog)
            app.click(app.find(PUSH_BUTTON, EN['keep'], dialog))
            app.find(LABEL, EN['insist'], dialog)
            app.find(PUSH_BUTTON, EN['keep_anyway'], dialog)
            self.assertEqual(len(kept_items()), 1)
            app.click(app.find(PUSH_BUTTON, EN['cancel'], dialog))
            app.top_gone(EN['dialog'])
            self.assertEqual(len(kept_items()), 1)

            # Insisting keeps it, as it is.
            app.key('ctrl+shift+n')
            dialog = app.top(EN['dialog'])
            self.fill(app, dialog, EN, broken, 'Broken')
            app.click(app.find(PUSH_BUTTON, EN['keep'], dialog))
            app.click(app.find(PUSH_BUTTON, EN['keep_anyway'], dialog))
            app.top_gone(EN['dialog'])
            app.find(LABEL, 'Broken', window)
            app.find(LABEL, EN['no_expiry'], window)
            self.assertEqual(sorted(i['secret'] for i in kept_items()), sorted([token, broken]))

            # An unknown format is another service; a secret kept already is
            # not kept twice: the dialog says under which name.
            app.key('ctrl+shift+n')
            dialog = app.top(EN['dialog'])
            app.type_text(app.find(TEXT, EN['token'], dialog), 'opaque-vendor-secret-0123456789')
            app.find(LABEL, EN['other'], dialog)
            self.fill(app, dialog, EN, '  ' + token + '\n', 'Again')
            app.click(app.find(PUSH_BUTTON, EN['keep'], dialog))
            app.find(LABEL, EN['duplicate'].format('CI PAT'), dialog)
            app.click(app.find(PUSH_BUTTON, EN['cancel'], dialog))
            app.top_gone(EN['dialog'])
            self.assertEqual(len(kept_items()), 2)

            # Search: by name, service or where it is used.
            app.type_text(app.find(None, 'Search Kept Tokens', window), 'ci serv')
            app.gone(LABEL, 'Broken', window)
            app.find(LABEL, 'CI PAT', window)
            app.type_text(app.find(None, 'Search Kept Tokens', window), '')
            app.find(LABEL, 'Broken', window)

            # Edit: the keyring's attributes follow, the secret stays.
            self.row_menu(app, window, 'CI PAT', 'Edit Details…')
            dialog = app.top('Edit Details')
            app.type_text(app.find(TEXT, EN['name'], dialog), 'CI deploy')
            app.type_text(app.find(TEXT, EN['expiry'], dialog), '')
            app.click(app.find(PUSH_BUTTON, 'Save', dialog))
            app.top_gone('Edit Details')
            app.find(LABEL, 'CI deploy', window)
            item = next(i for i in kept_items() if i['attributes']['id'] == kept_id)
            self.assertEqual(item['attributes']['name'], 'CI deploy')
            self.assertEqual(item['attributes']['expires-on'], '')
            self.assertEqual(item['secret'], token)

            # Replace after a rotation at GitHub: the old secret is gone.
            rotated = github_token()
            self.row_menu(app, window, 'CI deploy', 'Replace Secret…')
            dialog = app.top('Replace Secret')
            app.type_text(app.find(TEXT, EN['token'], dialog), rotated)
            app.find(LABEL, EN['valid'], dialog)
            app.click(app.find(PUSH_BUTTON, 'Replace', dialog))
            app.top_gone('Replace Secret')
            wait_until(lambda: any(i['secret'] == rotated for i in kept_items()), what='the new secret')
            secrets = [i['secret'] for i in kept_items()]
            self.assertNotIn(token, secrets)
            item = next(i for i in kept_items() if i['attributes']['id'] == kept_id)
            self.assertEqual(item['secret'], rotated)
            self.assertEqual(item['attributes']['name'], 'CI deploy')
            self.assert_no_secret_in_attributes(rotated, broken)

            # Delete, after a confirmation.
            self.row_menu(app, window, 'CI deploy', 'Delete…')
            confirm = app.top('Delete “CI deploy”?')
            app.click(app.find(PUSH_BUTTON, 'Delete', confirm))
            app.top_gone('Delete “CI deploy”?')
            app.gone(LABEL, 'CI deploy', window)
            self.assertEqual([i['secret'] for i in kept_items()], [broken])

        # Started again: the same page alone, no stepper.
        with App(env=env) as app:
            window = app.find(FRAME, 'Tokens')
            app.find(LABEL, 'Broken', window)
            self.assertEqual(app.find_all(LABEL, 'Step 1 of 4: Service', window), [])

            # A service can be added later, from the main menu; cancelling
            # comes back to the page.
            app.click(app.find(None, 'Main Menu', window))
            app.click(app.find(None, 'Add a Service…'))
            app.find(LABEL, 'Step 1 of 4: Service', window)
            self.assertEqual(app.find_all(PUSH_BUTTON, EN['keep_only'], window), [])
            app.click(app.find(PUSH_BUTTON, EN['cancel'], window))
            app.find(LABEL, 'Broken', window)

    def test_beside_an_account_with_its_saved_tokens(self):
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            with App(env=env) as app:
                window = app.find(FRAME, 'Tokens')
                app.find(None, 'API Key', window)
                app.key('alt+4')
                app.find(LABEL, 'Saved From Your Accounts', window)
                app.click(app.find(PUSH_BUTTON, 'Copy API Token', window))
                wait_until(lambda: clipboard() == api_token, what='the API token on the clipboard')

                # The main menu's item opens the same dialog.
                app.click(app.find(None, 'Main Menu', window))
                app.click(app.find(None, 'Add Existing Token…'))
                dialog = app.top(EN['dialog'])
                app.click(app.find(PUSH_BUTTON, EN['cancel'], dialog))
                app.top_gone(EN['dialog'])

    def test_add_flow_in_portuguese(self):
        token = github_token('ghs_')
        expires = (datetime.date.today() + datetime.timedelta(days=12)).isoformat()
        with App(env={'LANGUAGE': 'pt_BR'}) as app:
            window = self.keep_only(app, PT)
            app.click(app.find(PUSH_BUTTON, PT['add'], window))
            dialog = app.top(PT['dialog'])
            self.fill(app, dialog, PT, github_token(checksum_ok=False), 'Quebrado')
            app.find(LABEL, PT['mistyped'], dialog)
            app.click(app.find(PUSH_BUTTON, PT['keep'], dialog))
            app.find(LABEL, PT['insist'], dialog)
            app.find(PUSH_BUTTON, PT['keep_anyway'], dialog)
            self.fill(app, dialog, PT, token, 'Servidor de CI', used_in='Servidor de CI', expires=expires)
            app.find(LABEL, 'GitHub', dialog)
            app.find(LABEL, PT['valid'], dialog)
            app.click(app.find(PUSH_BUTTON, PT['keep'], dialog))
            app.top_gone(PT['dialog'])
            app.find(LABEL, PT['expires'], window)
            app.find(LABEL, PT['kept_toast'], window)
            self.assertEqual([i['secret'] for i in kept_items()], [token])

            app.key('ctrl+shift+n')
            dialog = app.top(PT['dialog'])
            self.fill(app, dialog, PT, token, 'De novo')
            app.click(app.find(PUSH_BUTTON, PT['keep'], dialog))
            app.find(LABEL, PT['duplicate'].format('Servidor de CI'), dialog)
            app.click(app.find(PUSH_BUTTON, PT['cancel'], dialog))
            app.top_gone(PT['dialog'])
            self.assertEqual(len(kept_items()), 1)

    def test_kept_tokens_are_reachable_with_the_service_stopped(self):
        """The account's problem page (the service is gone) has a way to the
        kept tokens, which need no service, and a way back to the problem."""
        token = github_token()
        keep_in_keyring('stopped01', 'github', 'GitHub', 'deploy-ci', token)
        with Server('--allow-signup') as server:
            env, _ = signed_in_account(server)
        # The service is stopped now; its session is still in the keyring.
        with App(env=env) as app:
            window = app.top('Tokens')
            app.find(LABEL, 'Cannot Reach the Service', window)
            app.click(app.find(PUSH_BUTTON, 'Kept Tokens', window))
            row = app.find(None, 'deploy-ci', window)
            app.click(app.find(PUSH_BUTTON, EN['copy'], row))
            wait_until(lambda: clipboard() == token, what='the kept token on the clipboard')
            # Only the kept tokens: the account's pages would repeat the problem.
            self.assertEqual(app.find_all(None, 'API Key', window), [])
            self.assertEqual(app.find_all(None, 'Profile', window), [])
            app.click(app.find(PUSH_BUTTON, 'Back', window))
            app.find(LABEL, 'Cannot Reach the Service', window)
            app.find(PUSH_BUTTON, 'Retry', window)

    def test_a_token_an_account_saved_is_not_kept_twice(self):
        """The API token an account saved, pasted to be kept by hand: the
        dialog says whose it is, in both languages, and keeps nothing."""
        said = {
            'en': (EN, 'This token is already saved, as the API token of ana@example.org on {}.'),
            'pt_BR': (PT, 'Este token já está salvo, como o token da API de ana@example.org em {}.'),
        }
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            host = server.url.split('//', 1)[1]
            for language, (words, sentence) in said.items():
                with self.subTest(language=language), App(env=dict(env, LANGUAGE=language)) as app:
                    window = app.top('Tokens')
                    app.find(None, 'API Key', window, timeout=30)
                    app.key('ctrl+shift+n')
                    dialog = app.top(words['dialog'])
                    self.fill(app, dialog, words, api_token, 'Mine')
                    app.click(app.find(PUSH_BUTTON, words['keep'], dialog))
                    app.find(LABEL, sentence.format(host), dialog)
                    self.assertEqual(kept_items(), [])
                    app.click(app.find(PUSH_BUTTON, words['cancel'], dialog))
                    app.top_gone(words['dialog'])
            self.assertEqual(kept_items(), [])


if __name__ == '__main__':
    unittest.main()
