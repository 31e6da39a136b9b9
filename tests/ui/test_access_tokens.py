# SPDX-License-Identifier: GPL-3.0-or-later
"""The Access Tokens and Security pages end to end, each flow checked on
the server side too: what a generated token may do, editing its scopes,
revoking it, renewing it (Later, then deleting the old one; Now; undo),
and the account security token that makes the service refuse requests
without it while the app itself keeps working."""

import re
import subprocess
import time
import unittest

from tokens_harness import (App, Atspi, Server, CHECK_BOX, LABEL, PUSH_BUTTON, TEXT, clipboard, http,
                            secret_tool_lookup, signed_in_account, wait_until)

ACCESS = re.compile(r'^tkacc_[0-9A-Za-z]{38}$')
CLIENT = re.compile(r'^tkcli_[0-9A-Za-z]{38}$')
EMAIL = 'ana@example.org'


def can_download(server, token, headers=None):
    return http(server.url + '/v1/files/notes.txt', token=token, headers=headers)[0]


def can_upload(server, token):
    status = http(server.url + '/v1/files/upload.txt', 'PUT', token=token, raw=b'hello')[0]
    return 200 if status in (200, 201) else status


class AccessTokensTest(unittest.TestCase):

    def open_page(self, app):
        window = app.top('Tokens')
        app.click(app.find(None, 'Access Tokens', window))
        return window

    def generate(self, app, window, name, write=False):
        app.click(app.find(PUSH_BUTTON, 'Generate Token', window))
        dialog = app.top('New Access Token')
        app.type_text(app.find(TEXT, 'Name', dialog), name)
        if write:
            app.click(app.find(CHECK_BOX, 'write', dialog))
        app.click(app.find(PUSH_BUTTON, 'Generate', dialog))
        app.find(LABEL, 'Copy Your Token Now', dialog)
        app.find(LABEL, 'You will not see it again: the service shows a token only once.', dialog)
        app.find(None, 'Saved to your keyring', dialog)
        secret = wait_until(lambda: next((App.text(n) for n in app.find_all(LABEL, ACCESS, dialog)), None),
                            what='the new token, shown once')
        app.click(app.find(PUSH_BUTTON, 'Finish', dialog))
        app.top_gone('New Access Token')
        return secret

    def row_menu(self, app, window, name, item):
        app.click(app.find(None, f'Actions for {name}', window))
        app.click(app.find(None, item))

    def confirm(self, app, heading, button):
        dialog = app.top(heading)
        app.click(app.find(PUSH_BUTTON, button, dialog))
        app.top_gone(heading)

    def test_generate_edit_revoke(self):
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            self.assertEqual(can_upload(server, api_token), 200)
            self.assertIn(http(server.url + '/v1/files/notes.txt', 'PUT', token=api_token, raw=b'n')[0], (200, 201))
            with App(env=env) as app:
                window = self.open_page(app)
                app.find(LABEL, 'No Access Tokens', window)

                # Generate, read only: downloads, and is refused an upload.
                secret = self.generate(app, window, 'CI server')
                self.assertEqual(can_download(server, secret), 200)
                self.assertEqual(can_upload(server, secret), 403)
                status, tokens = http(server.url + '/v1/tokens', token=api_token)
                token_id = str(tokens['tokens'][0]['id'])
                self.assertEqual(secret_tool_lookup(service=server.url, account=EMAIL, kind='access',
                                                    token_id=token_id), secret)
                window = app.top('Tokens')
                app.find(LABEL, 'CI server', window)
                app.find(LABEL, 'Expires in 90 days · Never used', window)

                # Edit: add write; the upload works now.
                self.row_menu(app, window, 'CI server', 'Edit…')
                dialog = app.top('Edit Token')
                app.click(app.find(CHECK_BOX, 'write', dialog))
                app.click(app.find(PUSH_BUTTON, 'Save', dialog))
                app.top_gone('Edit Token')
                wait_until(lambda: can_upload(server, secret) == 200, what='the upload to be allowed')
                window = app.top('Tokens')
                app.find(LABEL, 'read, write', window)

                # Search filters as you type.
                self.generate(app, window, 'Laptop')
                window = app.top('Tokens')
                app.type_text(app.find(None, 'Search tokens', window), 'lap')
                app.gone(LABEL, 'CI server', window)
                app.find(LABEL, 'Laptop', window)
                app.type_text(app.find(None, 'Search tokens', window), 'nothing like it')
                app.find(LABEL, 'No Results', window)
                app.type_text(app.find(None, 'Search tokens', window), '')
                app.find(LABEL, 'CI server', window)

                # Copy: from the keyring to the clipboard.
                app.click(app.find(PUSH_BUTTON, 'Copy CI server', window))
                wait_until(lambda: clipboard() == secret, what='the token on the clipboard')

                # The keyboard: a selected row is copied with Ctrl+C, and
                # Delete asks to revoke it.
                subprocess.run(['xclip', '-i', '-selection', 'clipboard'], input='something else',
                               text=True, check=True, timeout=10)
                wait_until(lambda: clipboard() == 'something else', what='another copy')
                name = app.find(LABEL, 'CI server', window).get_component_iface().get_extents(Atspi.CoordType.WINDOW)
                app.click_at(name.x + name.width // 2, name.y + name.height // 2)
                app.key('ctrl+c')
                wait_until(lambda: clipboard() == secret, what='the selected token on the clipboard')
                app.key('Delete')
                dialog = app.top('Revoke “CI server”?')
                app.click(app.find(PUSH_BUTTON, 'Cancel', dialog))
                app.top_gone('Revoke “CI server”?')
                window = app.top('Tokens')
                self.assertEqual(can_download(server, secret), 200)

                # Revoke, confirmed: refused from then on, and out of the keyring.
                self.row_menu(app, window, 'CI server', 'Revoke…')
                self.confirm(app, 'Revoke “CI server”?', 'Revoke')
                wait_until(lambda: can_download(server, secret) == 401, what='the token to be refused')
                window = app.top('Tokens')
                app.gone(LABEL, 'CI server', window)
                self.assertIsNone(secret_tool_lookup(service=server.url, account=EMAIL, kind='access',
                                                     token_id=token_id))
                # The focused row went with it: the keyboard is on the list
                # (the row left, Laptop), not on the toast's close button…
                def focused():
                    app.focus_window('Tokens')
                    return wait_until(lambda: [n for n in app.find_all(None, None, app.top('Tokens'))
                                               if n.get_state_set().contains(Atspi.StateType.FOCUSED)],
                                      what='something focused')
                now = focused()
                self.assertEqual([App.role_and_name(n)[0] for n in now], ['table cell'])
                self.assertTrue(app.find_all(LABEL, 'Laptop', now[0]))
                # …and on Generate Token once the list is empty.
                self.row_menu(app, window, 'Laptop', 'Revoke…')
                self.confirm(app, 'Revoke “Laptop”?', 'Revoke')
                window = app.top('Tokens')
                app.gone(LABEL, 'Laptop', window)
                self.assertIn(('push button', 'Generate Token'), [App.role_and_name(n) for n in focused()])

    def renew(self, app, window, name, now=False):
        self.row_menu(app, window, name, 'Renew Token…')
        dialog = app.top('Renew Token')
        app.find(LABEL, 'How to Delete the Old Token', dialog)
        if now:
            app.click(app.find(None, 'Now', dialog))
        app.click(app.find(PUSH_BUTTON, 'Renew', dialog))
        secret = wait_until(lambda: next((App.text(n) for n in app.find_all(LABEL, ACCESS, dialog)), None),
                            what='the renewed token')
        app.click(app.find(PUSH_BUTTON, 'Finish', dialog))
        app.top_gone('Renew Token')
        return secret

    def test_renew_later_then_delete_old_now_and_undo(self):
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            http(server.url + '/v1/files/notes.txt', 'PUT', token=api_token, raw=b'n')
            with App(env=env) as app:
                window = self.open_page(app)
                old = self.generate(app, window, 'Deploy')
                window = app.top('Tokens')

                # Later: both work, both durations listed.
                new = self.renew(app, window, 'Deploy')
                self.assertNotEqual(new, old)
                self.assertEqual(can_download(server, old), 200)
                self.assertEqual(can_download(server, new), 200)
                window = app.top('Tokens')
                app.find(LABEL, re.compile(r'^Token duration: new token expires in 90 days, old token expires in'), window)

                # Delete the old token: the old one is refused.
                self.row_menu(app, window, 'Deploy', 'Delete Old Token…')
                self.confirm(app, 'Delete Old Token?', 'Delete')
                wait_until(lambda: can_download(server, old) == 401, what='the old token to be refused')
                self.assertEqual(can_download(server, new), 200)

                # Renew, then undo: the new one is refused, the old works.
                window = app.top('Tokens')
                newer = self.renew(app, window, 'Deploy')
                window = app.top('Tokens')
                self.row_menu(app, window, 'Deploy', 'Undo Renewal…')
                self.confirm(app, 'Undo Renewal?', 'Undo')
                wait_until(lambda: can_download(server, newer) == 401, what='the renewed token to be refused')
                self.assertEqual(can_download(server, new), 200)

                # Renew with Now: the old one is refused at once.
                window = app.top('Tokens')
                newest = self.renew(app, window, 'Deploy', now=True)
                wait_until(lambda: can_download(server, new) == 401, what='the old token to be refused')
                self.assertEqual(can_download(server, newest), 200)


def extents(node):
    return node.get_component_iface().get_extents(Atspi.CoordType.WINDOW)


class SecurityTest(unittest.TestCase):

    def state_colour(self, app, window):
        """The state icon's colour, as the screen shows it: green for
        Active, amber for Disabled (libadwaita's success and warning)."""
        row = app.find(LABEL, re.compile('^(Active|Disabled|Not Configured)$'), window)
        title = extents(row)
        # The icon is the row's prefix: left of its title, as tall as two lines.
        time.sleep(0.5)
        pixel = app.pixel(title.x - 30, title.y + title.height // 2 + 2, window='Tokens', size=16)
        red, green, blue = pixel
        if green > red + 40 and green > blue + 20:
            return 'success'
        if red > blue + 60 and green > blue + 30:
            return 'warning'
        return f'other {pixel}'

    def check_layout(self, app, window):
        # Delete is apart from the suggested Activate: another group, below
        # the explanation, not beside it.
        activate = extents(app.find(PUSH_BUTTON, 'Activate Token…', window))
        delete = extents(app.find(PUSH_BUTTON, 'Delete…', window))
        self.assertGreater(delete.y, activate.y + activate.height + 100)
        how = extents(app.find(LABEL, 'How It Works', window))
        self.assertGreater(delete.y, how.y)

        # "How it works": each numbered line's text in a column of its own,
        # so its wrapped lines start under the text, not under the number.
        for number, start in (('1.', '“Configure Now”'), ('2.', 'Include it'), ('3.', 'Once everything'),
                              ('4.', 'From then on')):
            digit = extents(app.find(LABEL, number, window))
            text = extents(app.find(LABEL, re.compile('^' + re.escape(start)), window))
            self.assertGreaterEqual(text.x, digit.x + digit.width, start)
            self.assertEqual(text.y, digit.y, start)

        # The JSON sample stands off its card's edges: the card's white
        # surface goes on left of the text and above it (without padding,
        # the card's border touches the text).
        text = extents(app.find(LABEL, '{"error": "null not allowed"}', window))
        margin = app.pixels(text.x - 6, text.y, 6, text.height) + \
            app.pixels(text.x, text.y - 5, text.width, 5)
        self.assertEqual(set(margin), {(255, 255, 255)})

    def test_security_token_configure_activate_deactivate(self):
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            with App(env=env) as app:
                window = app.top('Tokens')
                app.click(app.find(None, 'Security', window))
                app.find(LABEL, 'Not Configured', window)
                self.assertEqual(app.find_all(PUSH_BUTTON, 'Delete…', window), [])

                app.click(app.find(PUSH_BUTTON, 'Configure Now', window))
                client_token = wait_until(lambda: next((App.text(n) for n in app.find_all(LABEL, CLIENT, window)), None),
                                          what='the account security token, shown once')
                app.find(LABEL, 'Disabled', window)
                app.find(LABEL, 'Set up your requests to send it, then activate it', window)
                self.assertEqual(self.state_colour(app, window), 'warning')
                self.check_layout(app, window)
                self.assertEqual(secret_tool_lookup(service=server.url, account=EMAIL, kind='client'), client_token)
                self.assertEqual(http(server.url + '/v1/me', token=api_token)[0], 200)

                app.click(app.find(PUSH_BUTTON, 'Activate Token…', window))
                dialog = app.top('Activate Token?')
                app.click(app.find(PUSH_BUTTON, 'Activate Token', dialog))
                app.top_gone('Activate Token?')
                window = app.top('Tokens')
                app.find(LABEL, 'Active', window)
                app.find(LABEL, 'Requests without the token are refused', window)
                self.assertEqual(self.state_colour(app, window), 'success')

                # Without the header: exactly the seed's answer.
                import urllib.request, urllib.error
                request = urllib.request.Request(server.url + '/v1/me', headers={'Authorization': f'Bearer {api_token}'})
                with self.assertRaises(urllib.error.HTTPError) as refused:
                    urllib.request.urlopen(request, timeout=10)
                self.assertEqual(refused.exception.read(), b'{"error": "null not allowed"}')
                self.assertEqual(http(server.url + '/v1/me', token=api_token,
                                      headers={'Client-Token': client_token})[0], 200)

                # The app still works: it sends the header itself.
                app.click(app.find(None, 'API Key', window))
                app.click(app.find(PUSH_BUTTON, 'Reset Token…', window))
                dialog = app.top('Reset API Token?')
                app.click(app.find(PUSH_BUTTON, 'Reset Token', dialog))
                app.top_gone('Reset API Token?')
                window = app.top('Tokens')
                wait_until(lambda: http(server.url + '/v1/me', token=api_token,
                                        headers={'Client-Token': client_token})[0] == 401,
                           what='the reset to happen through the app')

                app.click(app.find(None, 'Security', window))
                app.click(app.find(PUSH_BUTTON, 'Deactivate', window))
                app.find(LABEL, 'Set up your requests to send it, then activate it', window)
                fresh = secret_tool_lookup(service=server.url, account=EMAIL, kind='api-key')
                self.assertEqual(http(server.url + '/v1/me', token=fresh)[0], 200)


if __name__ == '__main__':
    unittest.main(verbosity=2)
