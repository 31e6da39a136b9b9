# SPDX-License-Identifier: GPL-3.0-or-later
"""Searching a long list of access tokens keystroke by keystroke: the rows
are kept and given other tokens as the search narrows (tokens-token-slots.c),
so each row that stays on screen must say, to a screen reader too, which
token it shows now: its name, its details, its Copy and ⋮ buttons."""

import json
import re
import unittest

from tokens_harness import App, Atspi, LABEL, PUSH_BUTTON, Server, http, signed_in_account, wait_until

COUNT = 150
DETAILS = re.compile(r'^Expires in \d+ days · ')


def make_tokens(server, api_token):
    for i in range(COUNT):
        status, reply = http(server.url + '/v1/tokens', 'POST', token=api_token,
                             body={'name': f'token {i:03d} runner-{i % 13}', 'scopes': ['read'],
                                   'expires_in_days': 30 + i})
        if status != 201:
            raise AssertionError(f'creating token {i}: {status} {json.dumps(reply)}')


class AccessTokensSearchTest(unittest.TestCase):

    def rows(self, app, window):
        """The rows a screen reader finds: panels named by a token."""
        return {node.get_name(): node for node in app.find_all(None, re.compile(r'^token \d{3} '), window)
                if node.get_role() != Atspi.Role.LABEL}

    def test_rows_say_which_token_they_show_as_the_search_narrows(self):
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            make_tokens(server, api_token)
            with App(env=env) as app:
                window = app.top('Tokens')
                app.click(app.find(None, 'Access Tokens', window))
                app.find(LABEL, 'token 000 runner-0', window)
                search = app.find(None, 'Search tokens', window)

                # runner-1, -10, -11, -12 (more than the rows the list
                # makes); then runner-12 alone, every one on screen.
                for text, wanted, whole in (('runner-1', (1, 10, 11, 12), False), ('runner-12', (12,), True)):
                    expected = {f'token {i:03d} runner-{i % 13}' for i in range(COUNT) if i % 13 in wanted}
                    app.type_text(search, text)
                    if whole:
                        wait_until(lambda: set(self.rows(app, window)) == expected,
                                   what=f'the rows for {text!r}: {sorted(expected)}')
                    else:
                        wait_until(lambda: len(self.rows(app, window)) >= 10 and
                                   set(self.rows(app, window)) <= expected,
                                   what=f'only rows for {text!r}')
                    rows = self.rows(app, window)
                    self.assertLessEqual(set(rows), expected)
                    for name, row in rows.items():
                        self.assertRegex(row.get_description(), DETAILS, name)
                        # Its buttons follow the token it shows now.
                        app.find(PUSH_BUTTON, f'Copy {name}', window)
                    self.assertEqual(len(app.find_all(PUSH_BUTTON, re.compile('^Copy token '), window)), len(rows))
                    for gone in ('token 000 runner-0', 'token 002 runner-2'):
                        self.assertEqual(app.find_all(LABEL, gone, window), [])
                app.find(None, 'Actions for token 012 runner-12', window)

if __name__ == '__main__':
    unittest.main()
