# SPDX-License-Identifier: GPL-3.0-or-later
"""The access-token dialogs and a token's row, as a person sees them, in
English and in Brazilian Portuguese (issue 15, points 4, 9, 10, 12, 19):

- New Access Token: its title, a Generate button that waits for a name
  (whitespace is not one);
- the dialogs are as tall as what they hold, not a fixed 620 px;
- a token made for 90 days says 90 days;
- the list says when a token was last used as the service knows it, not
  "Never used" until an edit brings the fresh copy;
- Renew asks first (what will happen, Later or Now), Cancel changes
  nothing on the service, and a pending renewal lists both durations."""

import os
import re
import time
import unittest

from tokens_harness import (App, Atspi, Server, LABEL, PUSH_BUTTON, TEXT, http,
                            signed_in_account, wait_until)

ACCESS = re.compile(r'^tkacc_[0-9A-Za-z]{38}$')

WORDS = {
    'en': {
        'page': 'Access Tokens', 'generate_page': 'Generate Token', 'title': 'New Access Token',
        'generate': 'Generate', 'name': 'Name', 'finish': 'Finish', 'cancel': 'Cancel',
        'save_row': 'So Tokens can copy it for you again later', 'saved': 'Saved to your keyring',
        'row_90': 'Expires in 90 days · Never used',
        'used_now': 'Expires in 90 days · Last used: Just now',
        'actions': 'Actions for {}', 'renew_item': 'Renew Token…', 'edit_item': 'Edit…',
        'renew_title': 'Renew Token', 'edit_title': 'Edit Token', 'renew': 'Renew',
        'later': 'Later', 'now': 'Now', 'write_says': 'Upload actions too, through the API and the command line',
        'ask': re.compile(r'^A new token is made and shown once, to copy into your integrations\. '
                          r'It lasts 90 days, as the current one did\. The old token works until you '
                          r'delete it, now or later\.$'),
        'later_says': 'Both tokens work until you delete the old one, once the new one is in use. '
                      'Closing this window keeps both.',
        'now_says': 'The old token is deleted when you finish, and only the new one works.',
        'durations': 'Token duration: new token expires in 90 days, old token expires in 90 days',
    },
    'pt_BR': {
        'page': 'Tokens de acesso', 'generate_page': 'Gerar token', 'title': 'Novo token de acesso',
        'generate': 'Gerar', 'name': 'Nome', 'finish': 'Finalizar', 'cancel': 'Cancelar',
        'save_row': None, 'saved': None,
        'row_90': 'Expira em 90 dias · Nunca usado',
        'used_now': None,
        'actions': 'Ações de {}', 'renew_item': 'Renovar token…', 'edit_item': None,
        'renew_title': 'Renovar token', 'edit_title': None, 'renew': 'Renovar',
        'later': 'Depois', 'now': 'Agora', 'write_says': None,
        'ask': re.compile(r'^Um novo token é gerado e exibido apenas uma vez, para copiar nas suas '
                          r'integrações\. O novo dura 90 dias, como o atual\. O token antigo funciona '
                          r'até você excluí-lo, agora ou depois\.$'),
        'later_says': None, 'now_says': None,
        'durations': 'Duração do token: token novo expira em 90 dias, token antigo expira em 90 dias',
    },
}


def extents(node):
    return node.get_component_iface().get_extents(Atspi.CoordType.WINDOW)


def sensitive(node):
    return node.get_state_set().contains(Atspi.StateType.SENSITIVE)


def tokens_on_server(server, api_token):
    status, body = http(server.url + '/v1/tokens', token=api_token)
    assert status == 200, status
    return body['tokens']


class TokenDialogsTest(unittest.TestCase):

    def assert_fits(self, app, dialog, last, what):
        """The dialog ends just below its last control: no band of empty
        window under it (the dialogs were a fixed 620 px, half empty)."""
        def gap():
            return extents(dialog).height - (extents(last).y + extents(last).height)
        # Let a resize after a page change land.
        time.sleep(0.5)
        empty = gap()
        print(f'{what}: window {extents(dialog).height} px, {empty} px under the last control')
        self.assertGreaterEqual(empty, 0, what)
        self.assertLessEqual(empty, 48, what)

    def open_page(self, app, words):
        window = app.top('Tokens')
        app.click(app.find(None, words['page'], window))
        return window

    def generate(self, app, window, words, name):
        """New Access Token: Generate waits for a name; returns the secret."""
        app.click(app.find(PUSH_BUTTON, words['generate_page'], window))
        dialog = app.top(words['title'])
        generate = app.find(PUSH_BUTTON, words['generate'], dialog)
        self.assertFalse(sensitive(generate), 'Generate with no name')
        entry = app.find(TEXT, words['name'], dialog)
        app.type_text(entry, '   ')
        time.sleep(0.3)
        self.assertFalse(sensitive(generate), 'Generate with a name of spaces')
        app.type_text(entry, name)
        wait_until(lambda: sensitive(generate), what='Generate to become sensitive')
        if words['save_row']:
            self.assert_fits(app, dialog, app.find(LABEL, words['save_row'], dialog), 'New Access Token')
        app.click(generate)
        secret = wait_until(lambda: next((App.text(n) for n in app.find_all(LABEL, ACCESS, dialog)), None),
                            what='the new token, shown once')
        if words['saved']:
            self.assert_fits(app, dialog, app.find(None, words['saved'], dialog), 'New Access Token, shown')
        app.click(app.find(PUSH_BUTTON, words['finish'], dialog))
        app.top_gone(words['title'])
        return secret

    def open_renew(self, app, window, words, name):
        app.click(app.find(None, words['actions'].format(name), window))
        app.click(app.find(None, words['renew_item']))
        dialog = app.top(words['renew_title'])
        app.find(LABEL, words['ask'], dialog)
        app.find(PUSH_BUTTON, words['later'], dialog)
        app.find(PUSH_BUTTON, words['now'], dialog)
        return dialog

    def test_generate_renew_in_english(self):
        words = WORDS['en']
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            with App(env=env) as app:
                window = self.open_page(app, words)
                secret = self.generate(app, window, words, 'CI server')

                # 90 days chosen, 90 days said.
                window = app.top('Tokens')
                app.find(LABEL, words['row_90'], window)

                # Used from elsewhere: once the person is back, the row says
                # so, with no edit needed to bring the service's word.
                self.assertEqual(http(server.url + '/v1/tokens/verify', token=secret)[0], 200)
                app.click(app.find(None, words['actions'].format('CI server'), window))
                app.click(app.find(None, words['edit_item']))
                dialog = app.top(words['edit_title'])
                app.focus_window(words['edit_title'])
                self.assert_fits(app, dialog, app.find(LABEL, words['write_says'], dialog), 'Edit Token')
                time.sleep(1.2)
                app.click(app.find(PUSH_BUTTON, words['cancel'], dialog))
                app.top_gone(words['edit_title'])
                app.focus_window('Tokens')
                window = app.top('Tokens')
                app.find(LABEL, words['used_now'], window)
                app.gone(LABEL, re.compile('Never used'), window)

                # Renew asks first; Cancel changes nothing on the service.
                before = tokens_on_server(server, api_token)
                dialog = self.open_renew(app, window, words, 'CI server')
                app.find(LABEL, words['later_says'], dialog)
                self.assert_fits(app, dialog, app.find(LABEL, words['later_says'], dialog), 'Renew Token, asking')
                app.click(app.find(PUSH_BUTTON, words['now'], dialog))
                app.find(LABEL, words['now_says'], dialog)
                app.click(app.find(PUSH_BUTTON, words['cancel'], dialog))
                app.top_gone(words['renew_title'])
                self.assertEqual(tokens_on_server(server, api_token), before)
                self.assertIsNone(before[0]['previous'])
                self.assertEqual(http(server.url + '/v1/tokens/verify', token=secret)[0], 200)

                # Renew, Later: both work, and the row lists both durations.
                window = app.top('Tokens')
                dialog = self.open_renew(app, window, words, 'CI server')
                app.click(app.find(PUSH_BUTTON, words['renew'], dialog))
                new = wait_until(lambda: next((App.text(n) for n in app.find_all(LABEL, ACCESS, dialog)), None),
                                 what='the renewed token')
                self.assertNotEqual(new, secret)
                self.assertEqual(app.find_all(PUSH_BUTTON, words['cancel'], dialog), [])
                self.assert_fits(app, dialog, app.find(LABEL, words['later_says'], dialog), 'Renew Token, shown')
                app.click(app.find(PUSH_BUTTON, words['finish'], dialog))
                app.top_gone(words['renew_title'])
                self.assertEqual(http(server.url + '/v1/tokens/verify', token=secret)[0], 200)
                self.assertEqual(http(server.url + '/v1/tokens/verify', token=new)[0], 200)
                window = app.top('Tokens')
                app.find(LABEL, words['durations'], window)
                app.gone(LABEL, re.compile('^Renewed'), window)

    def test_generate_renew_in_portuguese(self):
        words = WORDS['pt_BR']
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            with App(env={**env, 'LANGUAGE': 'pt_BR'}) as app:
                window = self.open_page(app, words)
                secret = self.generate(app, window, words, 'Servidor de CI')
                window = app.top('Tokens')
                app.find(LABEL, words['row_90'], window)

                before = tokens_on_server(server, api_token)
                dialog = self.open_renew(app, window, words, 'Servidor de CI')
                app.click(app.find(PUSH_BUTTON, words['cancel'], dialog))
                app.top_gone(words['renew_title'])
                self.assertEqual(tokens_on_server(server, api_token), before)

                window = app.top('Tokens')
                dialog = self.open_renew(app, window, words, 'Servidor de CI')
                app.click(app.find(PUSH_BUTTON, words['renew'], dialog))
                wait_until(lambda: app.find_all(LABEL, ACCESS, dialog), what='the renewed token')
                app.click(app.find(PUSH_BUTTON, words['finish'], dialog))
                app.top_gone(words['renew_title'])
                window = app.top('Tokens')
                app.find(LABEL, words['durations'], window)
                self.assertEqual(http(server.url + '/v1/tokens/verify', token=secret)[0], 200)


if __name__ == '__main__':
    unittest.main(verbosity=2)
