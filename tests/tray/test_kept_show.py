# SPDX-License-Identifier: GPL-3.0-or-later
"""A click on a kept token's expiry notification, shown by a real
notification daemon (notification-daemon): the window lands on the Kept
Tokens page with that token's row focused and its secret still hidden
(app.show-kept → win.show-kept), in English and in pt_BR.

Runs under `session-run --display --keyring`."""

import subprocess
import unittest

import gi

gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

from tokens_harness import App, Server, LABEL, signed_in_account, wait_until  # noqa: E402
from test_app_tray import Notifications, add_settings  # noqa: E402
from test_kept_watch import KEPT, SAID, keep  # noqa: E402


def click_notification():
    """Clicks the daemon's bubble, as a person does: its default action."""
    windows = subprocess.run(['xdotool', 'search', '--name', '^Notification$'],
                             capture_output=True, text=True, timeout=10).stdout.split()
    if not windows:
        return False
    subprocess.run(['xdotool', 'mousemove', '--window', windows[-1], '60', '30', 'click', '1'],
                   check=True, timeout=10)
    return True


def is_focused(app, name, root):
    return any(node.get_state_set().contains(Atspi.StateType.FOCUSED)
               for node in app.find_all(None, name, root))


class KeptShowTest(unittest.TestCase):

    def test_a_notification_click_focuses_the_token_on_the_kept_tokens_page(self):
        seen = Notifications(self)
        keep(*KEPT[0])
        for language in ('en', 'pt_BR'):
            with self.subTest(language=language), Server('--allow-signup') as server:
                env, _ = signed_in_account(server)
                env['LANGUAGE'] = language
                add_settings(expiry_warning_days='uint32 7')
                with App(env=env) as app:
                    window = app.top('Tokens')
                    # The account's first page, until the notification is clicked.
                    self.assertFalse(is_focused(app, 'deploy-ci', window))
                    soon = SAID[language]['soon']
                    wait_until(lambda: soon in seen.sent(), what='the notification', timeout=30)
                    wait_until(click_notification, what="the notification's bubble")

                    wait_until(lambda: is_focused(app, 'deploy-ci', window),
                               what="the kept token's row focused")
                    self.assertEqual(app.find_all(LABEL, KEPT[0][6], window), [])
                    self.assertIsNone(app.process.poll(), 'the app quit')


if __name__ == '__main__':
    unittest.main(verbosity=2)
