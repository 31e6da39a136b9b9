# SPDX-License-Identifier: GPL-3.0-or-later
"""A renewal, seen through the app and through the keyring at once.

While a renewal made with Later is pending, both tokens work, so the
keyring holds both secrets, each labelled; deleting the old token drops
the old secret; undoing the renewal drops the new one and keeps the old,
which Copy then puts on the clipboard; renewing with Now replaces. The
keyring is read the way a person would, with `secret-tool search`, and the
app through its accessibility tree. Items saved before the keyring had
slots and names (as the app saved them until now) are read as the
current secret and take part in the same steps."""

import json
import os
import re
import subprocess
import unittest

from tokens_harness import (App, Server, CHECK_BOX, LABEL, PUSH_BUTTON, TEXT, clipboard, http,
                            secret_tool_search, secret_tool_store, signed_in_account, wait_until)

ACCESS = re.compile(r'^tkacc_[0-9A-Za-z]{38}$')
EMAIL = 'ana@example.org'


def can_download(server, token):
    return http(server.url + '/v1/files/notes.txt', token=token)[0]


# tokens-cli reads the items the app saves: it must offer the current
# secret of a token once, never the old one of a pending renewal.
CLI = os.path.join(os.path.dirname(os.path.dirname(os.environ['TOKENS_APP_BIN'])), 'cli', 'tokens-cli')


def cli_read(name):
    done = subprocess.run([CLI, 'list', '--json'], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    listed = [t for t in json.loads(done.stdout) if t['name'] == name]
    assert len(listed) == 1, f'tokens-cli lists {name!r} {len(listed)} times'
    done = subprocess.run([CLI, 'read', listed[0]['id']], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout


class RenewalKeyringTest(unittest.TestCase):

    # The steps a person takes

    def open_page(self, app):
        window = app.top('Tokens')
        app.click(app.find(None, 'Access Tokens', window))
        return window

    def generate(self, app, window, name):
        app.click(app.find(PUSH_BUTTON, 'Generate Token', window))
        dialog = app.top('New Access Token')
        app.type_text(app.find(TEXT, 'Name', dialog), name)
        app.click(app.find(PUSH_BUTTON, 'Generate', dialog))
        app.find(None, 'Saved to your keyring', dialog)
        secret = wait_until(lambda: next((App.text(n) for n in app.find_all(LABEL, ACCESS, dialog)), None),
                            what='the new token, shown once')
        app.click(app.find(PUSH_BUTTON, 'Finish', dialog))
        app.top_gone('New Access Token')
        return secret

    def row_menu(self, app, name, item):
        window = app.top('Tokens')
        app.click(app.find(None, f'Actions for {name}', window))
        app.click(app.find(None, item))

    def confirm(self, app, heading, button):
        dialog = app.top(heading)
        app.click(app.find(PUSH_BUTTON, button, dialog))
        app.top_gone(heading)

    def renew(self, app, name, now=False):
        self.row_menu(app, name, 'Renew Token…')
        dialog = app.top('Renew Token')
        app.click(app.find(PUSH_BUTTON, 'Renew', dialog))
        secret = wait_until(lambda: next((App.text(n) for n in app.find_all(LABEL, ACCESS, dialog)), None),
                            what='the renewed token')
        app.find(None, 'Saved to your keyring', dialog)
        if now:
            app.click(app.find(None, 'Now', dialog))
        app.click(app.find(PUSH_BUTTON, 'Finish', dialog))
        app.top_gone('Renew Token')
        return secret

    def copy(self, app, name, expected, what):
        window = app.top('Tokens')
        app.click(app.find(PUSH_BUTTON, f'Copy {name}', window))
        wait_until(lambda: clipboard() == expected, what=what)

    # The keyring as a person sees it

    def saved(self, server, token_id):
        """{slot: (secret, label)} of the token's items; asserts that no
        secret is in an attribute or a label."""
        items = secret_tool_search(service=server.url, account=EMAIL, kind='access', token_id=token_id)
        slots = {}
        for item in items:
            slot = item['attributes'].get('slot', 'current')
            self.assertNotIn(slot, slots, f'two {slot} items for one token: {items}')
            for value in list(item['attributes'].values()) + [item['label']]:
                self.assertNotIn(item['secret'], value)
            slots[slot] = (item['secret'], item['label'], item['attributes'])
        return slots

    def wait_saved(self, server, token_id, expected, what):
        """Waits until the token's items hold exactly `expected`
        ({slot: secret}), and returns them."""
        def check():
            slots = self.saved(server, token_id)
            # In a list: "nothing saved" is an answer too.
            return [slots] if {slot: v[0] for slot, v in slots.items()} == expected else None
        try:
            return wait_until(check, what=what)[0]
        except AssertionError:
            slots = {slot: v[0] for slot, v in self.saved(server, token_id).items()}
            self.fail(f'{what}: expected {expected}, the keyring holds {slots}')

    # The tests

    def test_keyring_follows_renew_later_undo_delete_old_and_now(self):
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            http(server.url + '/v1/files/notes.txt', 'PUT', token=api_token, raw=b'n')
            with App(env=env) as app:
                window = self.open_page(app)
                old = self.generate(app, window, 'Deploy')
                token_id = str(http(server.url + '/v1/tokens', token=api_token)[1]['tokens'][0]['id'])
                slots = self.wait_saved(server, token_id, {'current': old}, 'the generated token saved')
                self.assertEqual(slots['current'][2]['name'], 'Deploy')
                self.assertEqual(slots['current'][1], 'Tokens: access token “Deploy” of ana@example.org on '
                                 + server.url.split('://', 1)[1])

                # Later: both work, and the keyring holds both, each labelled.
                new = self.renew(app, 'Deploy')
                self.assertEqual(can_download(server, old), 200)
                self.assertEqual(can_download(server, new), 200)
                slots = self.wait_saved(server, token_id, {'current': new, 'previous': old},
                                        'both secrets while the renewal is pending')
                self.assertRegex(slots['current'][1], r'^Tokens: access token “Deploy” of ')
                self.assertRegex(slots['previous'][1], r'^Tokens: old access token “Deploy” of ')
                self.assertEqual(slots['previous'][2]['name'], 'Deploy')
                self.copy(app, 'Deploy', new, 'the new token copied')
                if os.path.exists(CLI):
                    self.assertEqual(cli_read('Deploy'), new)

                # Undo: the new one is refused, and Copy gives the OLD one.
                self.row_menu(app, 'Deploy', 'Undo Renewal…')
                self.confirm(app, 'Undo Renewal?', 'Undo')
                wait_until(lambda: can_download(server, new) == 401, what='the renewed token to be refused')
                self.wait_saved(server, token_id, {'current': old}, 'the old secret kept, the new one gone')
                window = app.top('Tokens')
                app.gone(LABEL, re.compile(r'^Renewed; the old token still works'), window)
                self.copy(app, 'Deploy', old, 'the old token copied after the undo')
                self.assertEqual(can_download(server, clipboard()), 200)
                if os.path.exists(CLI):
                    self.assertEqual(cli_read('Deploy'), old)

                # Later again, then delete the old token: only the new one stays.
                newer = self.renew(app, 'Deploy')
                self.wait_saved(server, token_id, {'current': newer, 'previous': old}, 'both secrets again')
                self.row_menu(app, 'Deploy', 'Delete Old Token…')
                self.confirm(app, 'Delete Old Token?', 'Delete')
                wait_until(lambda: can_download(server, old) == 401, what='the old token to be refused')
                self.wait_saved(server, token_id, {'current': newer}, 'the old secret dropped')
                self.copy(app, 'Deploy', newer, 'the current token copied')

                # Now: the new secret replaces the old one at once.
                newest = self.renew(app, 'Deploy', now=True)
                wait_until(lambda: can_download(server, newer) == 401, what='the old token to be refused')
                self.wait_saved(server, token_id, {'current': newest}, 'the new secret alone')
                self.copy(app, 'Deploy', newest, 'the newest token copied')

                # Revoke: nothing of it stays in the keyring.
                self.row_menu(app, 'Deploy', 'Revoke…')
                self.confirm(app, 'Revoke “Deploy”?', 'Revoke')
                self.wait_saved(server, token_id, {}, 'no secret of a revoked token')

    def test_items_saved_before_slots_are_read_and_renewed(self):
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            http(server.url + '/v1/files/notes.txt', 'PUT', token=api_token, raw=b'n')
            # A token made elsewhere, saved the way the app used to: no
            # slot, no name, the name only in the label.
            status, reply = http(server.url + '/v1/tokens', 'POST', token=api_token,
                                 body={'name': 'Backups', 'scopes': ['read'], 'expires_in_days': 30})
            self.assertEqual(status, 201)
            legacy = reply['token']
            token_id = str(reply['access_token']['id'])
            secret_tool_store(legacy, service=server.url, account=EMAIL, kind='access', token_id=token_id)
            with App(env=env) as app:
                self.open_page(app)
                app.find(LABEL, 'Backups', app.top('Tokens'))
                self.copy(app, 'Backups', legacy, 'the token saved before slots copied')

                new = self.renew(app, 'Backups')
                slots = self.wait_saved(server, token_id, {'current': new, 'previous': legacy},
                                        'the old item kept as the previous secret')
                self.assertEqual(slots['previous'][2]['slot'], 'previous')

                self.row_menu(app, 'Backups', 'Undo Renewal…')
                self.confirm(app, 'Undo Renewal?', 'Undo')
                self.wait_saved(server, token_id, {'current': legacy}, 'the old secret current again')
                self.copy(app, 'Backups', legacy, 'the old token copied after the undo')


if __name__ == '__main__':
    unittest.main(verbosity=2)
