# SPDX-License-Identifier: GPL-3.0-or-later
"""A kept token copied from the tray while the keyring is locked, and its
unlock prompt refused: no crash, nothing on the clipboard, and a
notification that says the keyring is locked, in English and in pt_BR.
A file of its own: the keyring stays locked for its session.

Runs under `session-run --display --keyring`."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'ui'))

from tokens_harness import clipboard, wait_until  # noqa: E402
from test_app_tray import Notifications, TrayHosts, click, find_item, is_registered, unique_name_of  # noqa: E402
from test_keyring_locked import lock_keyring, refuse_unlock_prompts  # noqa: E402
from test_kept_watch import BackgroundApp, KEPT, keep, kept_menu  # noqa: E402

SAID = {
    'en': ('Kept Tokens', 'The Token Was Not Copied', 'The keyring is locked. Unlock it to use saved tokens.'),
    'pt_BR': ('Tokens guardados', 'O token não foi copiado',
              'O chaveiro está bloqueado. Desbloqueie-o para usar os tokens salvos.'),
}


class KeptLockedTest(unittest.TestCase):

    def test_copy_from_a_locked_keyring_says_it_is_locked(self):
        hosts = TrayHosts()
        self.addCleanup(hosts.close)
        seen = Notifications(self)
        keep(*KEPT[0])
        for language, (menu_title, title, body) in SAID.items():
            with self.subTest(language=language), \
                 BackgroundApp('--background', env={'LANGUAGE': language}) as app:
                name = wait_until(lambda: unique_name_of(app.process.pid), what="the app's bus name")
                wait_until(lambda: is_registered(name), what='the tray item')
                items = wait_until(lambda: kept_menu(name, menu_title), what='the kept token in the tray menu')

                lock_keyring()
                click(name, find_item(items, 'GitHub — deploy-ci')[0])
                refuse_unlock_prompts(app, until=lambda: title in [t for t, _ in seen.sent()])
                self.assertIn((title, body), seen.sent())
                self.assertNotEqual(clipboard(), KEPT[0][6])
                self.assertIsNone(app.process.poll(), 'the app quit')


if __name__ == '__main__':
    unittest.main(verbosity=2)
