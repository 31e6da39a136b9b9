# SPDX-License-Identifier: GPL-3.0-or-later
"""How the Access Tokens page looks, measured through the accessibility
tree: the tokens in a boxed list that ends with its last row, lined up with
the search row above it; an empty state with one Generate Token button and
no search; a search that stays while it matches nothing. In English and
in Portuguese."""

import re
import subprocess
import unittest

from tokens_harness import App, Atspi, LABEL, PUSH_BUTTON, Server, http, signed_in_account, wait_until

WORDS = {
    'en': {'page': 'Access Tokens', 'generate': 'Generate Token', 'search': 'Search tokens',
           'empty': 'No Access Tokens', 'no_results': 'No Results', 'durations': 'Token duration: ',
           'actions': 'Actions for {}', 'renew_item': 'Renew Token…', 'renew': 'Renew Token',
           'renew_btn': 'Renew', 'finish': 'Finish'},
    'pt_BR': {'page': 'Tokens de acesso', 'generate': 'Gerar token', 'search': 'Pesquisar tokens',
              'empty': 'Sem tokens de acesso', 'no_results': 'Nenhum resultado',
              'durations': 'Duração do token: ', 'actions': 'Ações de {}',
              'renew_item': 'Renovar token…', 'renew': 'Renovar token', 'renew_btn': 'Renovar',
              'finish': 'Finalizar'},
}


def extents(node):
    box = node.get_component_iface().get_extents(Atspi.CoordType.WINDOW)
    return box.x, box.y, box.width, box.height


def painted_span(app, y, x_from, x_to):
    """The first and last x between x_from and x_to where the window, at
    height y, is painted other than its background (the colour at x_from),
    in the accessibility tree's window coordinates (the X window has the
    frame's invisible resize borders around them)."""
    found = app._x_window('Tokens')
    geometry = subprocess.run(['xdotool', 'getwindowgeometry', '--shell', found],
                              capture_output=True, text=True, check=True).stdout
    border = (int(re.search(r'^WIDTH=(\d+)', geometry, re.MULTILINE).group(1))
              - extents(app.top('Tokens'))[2]) // 2
    x_from, x_to, y = x_from + border, x_to + border, y + border
    text = subprocess.run(['import', '-window', found, '-crop', f'{x_to - x_from}x1+{x_from}+{y}', '+repage',
                           '-depth', '8', 'txt:-'], capture_output=True, text=True, check=True).stdout
    row = {int(m.group(1)): tuple(int(v) for v in m.groups()[1:])
           for m in re.finditer(r'^(\d+),0: \((\d+),(\d+),(\d+)', text, re.MULTILINE)}
    background = row[0]
    painted = sorted(x for x, pixel in row.items() if max(abs(a - b) for a, b in zip(pixel, background)) > 12)
    return x_from - border + painted[0], x_from - border + painted[-1]


def make_tokens(server, api_token, names):
    for name in names:
        status, _ = http(server.url + '/v1/tokens', 'POST', token=api_token,
                         body={'name': name, 'scopes': ['read'], 'expires_in_days': 30})
        assert status == 201, status


class AccessTokensLayoutTest(unittest.TestCase):

    def open_page(self, app, words):
        window = app.top('Tokens')
        app.click(app.find(None, words['page'], window))
        return window

    def token_list(self, app, window, words):
        """The list of tokens: the one named like the page that is not its tab."""
        return wait_until(lambda: next((n for n in app.find_all(None, words['page'], window)
                                        if n.get_role() == Atspi.Role.TABLE), None),
                          what='the list of tokens')

    def test_empty_state_has_one_generate_button_and_no_search(self):
        with Server('--allow-signup') as server:
            env, _ = signed_in_account(server)
            for language, words in WORDS.items():
                with self.subTest(language=language), App(env=dict(env, LANGUAGE=language)) as app:
                    window = self.open_page(app, words)
                    app.find(LABEL, words['empty'], window)
                    self.assertEqual(len(app.find_all(PUSH_BUTTON, words['generate'], window)), 1)
                    self.assertEqual(app.find_all(None, words['search'], window), [])

    def test_boxed_list_ends_with_its_rows_and_lines_up_with_the_search(self):
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            make_tokens(server, api_token, ['CI server', 'Laptop'])
            for language, words in WORDS.items():
                with self.subTest(language=language), App(env=dict(env, LANGUAGE=language)) as app:
                    window = self.open_page(app, words)
                    app.find(LABEL, 'Laptop', window)
                    # Tokens to find: one search field, and one Generate Token.
                    search = app.find(None, words['search'], window)
                    self.assertEqual(len(app.find_all(PUSH_BUTTON, words['generate'], window)), 1)
                    generate = app.find(PUSH_BUTTON, words['generate'], window)
                    tokens = self.token_list(app, window, words)
                    cells = [tokens.get_child_at_index(i) for i in range(tokens.get_child_count())]
                    self.assertEqual(len(cells), 2)
                    lx, ly, lwidth, lheight = extents(tokens)
                    rows = [extents(c) for c in cells]
                    # The card wraps the two rows and ends with the last one,
                    # far above the bottom of the window.
                    self.assertEqual(ly, rows[0][1])
                    self.assertAlmostEqual(ly + lheight, rows[-1][1] + rows[-1][3], delta=1)
                    self.assertLess(ly + lheight, extents(window)[3] - 100)
                    # The search row and the list line up, on both sides: what
                    # is painted across the search row, from the search field's
                    # left edge to the Generate Token button's right edge, spans
                    # the list exactly. (The accessibles of the field and the
                    # button are their text, inside their padding: pixels tell.)
                    sx, sy, swidth, sheight = extents(search)
                    gx, gy, gwidth, gheight = extents(generate)
                    self.assertLess(sy + sheight, ly)
                    self.assertLess(lx, sx)
                    self.assertLess(gx + gwidth, lx + lwidth)
                    left, right = painted_span(app, sy + sheight // 2, lx - 40, lx + lwidth + 40)
                    self.assertEqual((left, right + 1), (lx, lx + lwidth))

                    # A search that matches nothing says so, and stays to be
                    # changed; an empty one shows the list again.
                    app.type_text(search, 'nothing like it')
                    app.find(LABEL, words['no_results'], window)
                    app.find(None, words['search'], window)
                    app.type_text(search, '')
                    app.find(LABEL, 'CI server', window)

    def test_a_renewed_row_is_as_tall_as_its_lines(self):
        # Renew adds the "Token duration" line to a row already shown: the
        # row grows by that line, not by the line wrapped at its narrowest
        # (GtkGridView on GTK 4.8 gave it that height, empty under the text).
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            make_tokens(server, api_token, ['CI server', 'Laptop'])
            for (language, words), name in zip(WORDS.items(), ['CI server', 'Laptop']):
                with self.subTest(language=language), App(env=dict(env, LANGUAGE=language)) as app:
                    window = self.open_page(app, words)
                    app.click(app.find(None, words['actions'].format(name), window))
                    app.click(app.find(None, words['renew_item']))
                    dialog = app.top(words['renew'])
                    app.click(app.find(PUSH_BUTTON, words['renew_btn'], dialog))
                    app.click(app.find(PUSH_BUTTON, words['finish'], dialog))
                    app.top_gone(words['renew'])
                    window = app.top('Tokens')
                    app.find(LABEL, re.compile('^' + words['durations']), window)
                    tokens = self.token_list(app, window, words)
                    cells = [tokens.get_child_at_index(i) for i in range(tokens.get_child_count())]
                    cell = next(c for c in cells if app.find_all(LABEL, name, c))
                    durations = app.find(LABEL, re.compile('^' + words['durations']), cell)
                    cx, cy, cwidth, cheight = extents(cell)
                    dx, dy, dwidth, dheight = extents(durations)
                    # The row's padding under its last line, no more; and
                    # the card ends with its last row.
                    self.assertLess(cy + cheight - (dy + dheight), 24)
                    lx, ly, lwidth, lheight = extents(tokens)
                    last = max(extents(c)[1] + extents(c)[3] for c in cells)
                    self.assertAlmostEqual(ly + lheight, last, delta=1)

if __name__ == '__main__':
    unittest.main(verbosity=2)
