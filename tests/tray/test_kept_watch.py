# SPDX-License-Identifier: GPL-3.0-or-later
"""Kept tokens (any service's, issue 16) watched like access tokens: put
in the real keyring before the app starts, as the app keeps them
(schema org.example.Tokens.Kept), one expiring in 2 days, one expired and
one with no expiry. A real notification daemon shows the warnings
(dbus-monitor writes them down), the window's banner names the tokens,
the tray menu (served over dbusmenu, registered with a real
StatusNotifierWatcher) lists them and copies one to the clipboard. With
no account at all, and with one, in English and in pt_BR.

Runs under `session-run --display --keyring`."""

import datetime
import os
import re
import subprocess
import time
import unittest

from gi.repository import GLib

from tokens_harness import (App, Server, LABEL, PUSH_BUTTON, clipboard, secret_tool_search,  # noqa: E402
                            signed_in_account, wait_until)
from test_app_tray import (Notifications, TrayHosts, add_settings, call, click, find_item,  # noqa: E402
                           install_icons, is_registered, labels, layout, settings_file,
                           unique_name_of)

TODAY = datetime.date.today()

# id, service, service name, name, used in, days from today (None: no expiry), secret
KEPT = [
    ('deploy2day', 'github', 'GitHub', 'deploy-ci', 'CI server', 2, 'ghp_kept_in_tokens_for_a_test_000000'),
    ('publishold', 'npm', 'npm', 'publish', 'laptop', -3, 'npm_kept_in_tokens_for_a_test_00000'),
    ('hubforever', 'huggingface', 'Hugging Face', 'models', '', None, 'hf_kept_in_tokens_for_a_test_00000'),
]

SAID = {
    'en': {
        'soon': ('GitHub token “deploy-ci” expires in 2 days',
                 'Used in CI server. Make a new token at the service and replace the one kept in Tokens '
                 'before it stops working.'),
        'expired': ('npm token “publish” has expired',
                    'Used in laptop. The service refuses it now: make a new token there and replace the one '
                    'kept in Tokens.'),
        'menu': 'Kept Tokens',
        'items': ['GitHub — deploy-ci', 'Hugging Face — models', 'npm — publish (expired)'],
        'not_copied': 'The Token Was Not Copied',
    },
    'pt_BR': {
        'soon': ('O token “deploy-ci” (GitHub) expira em 2 dias',
                 'Usado em CI server. Crie um novo token no serviço e substitua o guardado no Tokens antes '
                 'que ele pare de funcionar.'),
        'expired': ('O token “publish” (npm) expirou',
                    'Usado em laptop. O serviço já o recusa: crie um novo token lá e substitua o guardado no '
                    'Tokens.'),
        'menu': 'Tokens guardados',
        'items': ['GitHub — deploy-ci', 'Hugging Face — models', 'npm — publish (expirado)'],
        'not_copied': 'O token não foi copiado',
    },
}


class BackgroundApp(App):
    """The app started with --background: no window, so not in the
    accessibility tree until one opens; top() waits for it then."""

    def _find_root(self):
        if getattr(self, 'root', None) is None and not getattr(self, 'started', False):
            self.started = True
            return self   # a stand-in, until a window opens
        return super()._find_root()

    def top(self, name, timeout=None):
        if self.root is self:
            self.root = wait_until(super()._find_root, what='the app in the accessibility tree')
        return super().top(name) if timeout is None else super().top(name, timeout)


def keep(token_id, service, service_name, name, used_in, days, secret):
    """A kept token, in the keyring as the app keeps one."""
    expires_on = (TODAY + datetime.timedelta(days=days)).isoformat() if days is not None else ''
    subprocess.run(['secret-tool', 'store', f'--label=Tokens: {service_name} token “{name}”',
                    'xdg:schema', 'org.example.Tokens.Kept', 'id', token_id, 'service', service,
                    'service-name', service_name, 'name', name, 'used-in', used_in,
                    'expires-on', expires_on, 'note', ''],
                   input=secret, text=True, check=True, timeout=10)


def forget(token_id):
    """Removes a kept token behind the app's back, as Passwords and Keys would."""
    subprocess.run(['secret-tool', 'clear', 'xdg:schema', 'org.example.Tokens.Kept', 'id', token_id],
                   check=True, timeout=10)


def notified_entries():
    with open(settings_file()) as keyfile:
        match = re.search(r'^expiry-notified=(.*)$', keyfile.read(), re.M)
    return match.group(1) if match else ''


def kept_menu(name, title):
    menu = layout(name)
    return find_item(menu, title)[3] if title in labels(menu) else None


class KeptWatchTest(unittest.TestCase):

    def setUp(self):
        install_icons()
        self.hosts = TrayHosts()
        self.addCleanup(self.hosts.close)
        self.seen = Notifications(self)
        for token in KEPT:
            keep(*token)
        self.assertEqual(len(secret_tool_search(**{'xdg:schema': 'org.example.Tokens.Kept'})), 3)

    def wait_for_notifications(self, said):
        wanted = {said['soon'], said['expired']}
        wait_until(lambda: wanted <= set(self.seen.sent()), what=f'the notifications {wanted}')
        time.sleep(1)
        # Those two, once each: none for the token with no expiry.
        self.assertEqual(sorted(self.seen.sent()), sorted(wanted))

    def test_with_no_account_kept_tokens_are_warned_about_listed_and_copied(self):
        said = SAID['en']
        settings = os.path.join(os.environ['XDG_CONFIG_HOME'], 'glib-2.0', 'settings')
        os.makedirs(settings, exist_ok=True)
        with open(settings_file(), 'w') as keyfile:
            keyfile.write('[org/example/Tokens]\n')
        env = {'GSETTINGS_BACKEND': 'keyfile'}

        # In the background, as at login: no account, no window.
        with BackgroundApp('--background', env=env) as app:
            name = wait_until(lambda: unique_name_of(app.process.pid), what="the app's bus name")
            wait_until(lambda: is_registered(name), what='the tray item')
            self.wait_for_notifications(said)
            self.assertRegex(notified_entries(), r"'kept/deploy2day/\d{4}-\d\d-\d\d'")
            self.assertRegex(notified_entries(), r"'kept/publishold/\d{4}-\d\d-\d\d/expired'")

            # The tray lists all three, the expired one marked, not dropped.
            items = wait_until(lambda: kept_menu(name, said['menu']), what='the kept tokens in the tray menu')
            self.assertEqual(labels(items), said['items'])
            self.assertEqual(labels(layout(name))[-2:], ['Open Tokens', 'Quit'])

            # A click copies the keyring's secret, through the clipboard guard.
            click(name, find_item(items, 'GitHub — deploy-ci')[0])
            wait_until(lambda: clipboard() == KEPT[0][6], what='the kept token on the clipboard')
            click(name, find_item(items, 'npm — publish (expired)')[0])
            wait_until(lambda: clipboard() == KEPT[1][6], what='the expired kept token on the clipboard')

            # Removed behind the app's back: its copy says so, copies
            # nothing, and the menu and the warnings follow the keyring;
            # its notification is taken back (it would show a token that
            # is gone), and no other.
            self.assertEqual(self.seen.closed(), 0)
            forget('publishold')
            click(name, find_item(items, 'npm — publish (expired)')[0])
            wait_until(lambda: said['not_copied'] in [t for t, _ in self.seen.sent()],
                       what='the copy to be refused')
            self.assertIn((said['not_copied'], 'No such token is saved in the keyring.'), self.seen.sent())
            self.assertEqual(clipboard(), KEPT[1][6])
            wait_until(lambda: labels(kept_menu(name, said['menu']) or []) ==
                       ['GitHub — deploy-ci', 'Hugging Face — models'], what='the removed token to leave the menu')
            wait_until(lambda: 'publishold' not in notified_entries(), what='its warnings to be forgotten')
            wait_until(lambda: self.seen.closed() == 1, what="the removed token's notification to be taken back")
            time.sleep(1)
            self.assertEqual(self.seen.closed(), 1)

            # The notification's action: the window opens (on the kept
            # tokens, where the window has that page: win.show-kept).
            call(name, '/org/example/Tokens', 'org.gtk.Actions', 'Activate',
                 GLib.Variant('(sava{sv})', ('show-kept', [GLib.Variant('s', 'deploy2day')], {})))
            app.top('Tokens')

        # Again, after a restart: nothing is warned about twice.
        before = len(self.seen.sent())
        with BackgroundApp('--background', env=env) as app:
            name = wait_until(lambda: unique_name_of(app.process.pid), what="the app's bus name")
            wait_until(lambda: is_registered(name), what='the tray item')
            wait_until(lambda: kept_menu(name, said['menu']), what='the kept tokens in the tray menu')
            time.sleep(2)
            self.assertEqual(len(self.seen.sent()), before)

    def test_many_due_at_once_are_one_notification_that_counts_them(self):
        # With the two of setUp: five due at once (a first start, the
        # warning days made longer), two of them expired.
        more = [('stripe1day', 'stripe', 'Stripe', 'billing', 'shop', 1, 'sk_test_kept_in_tokens_for_a_test_0'),
                ('slackold00', 'slack', 'Slack', 'bot', 'chat', -10, 'xoxb-kept-in-tokens-for-a-test-0000'),
                ('gitlab5day', 'gitlab', 'GitLab', 'runner', 'CI server', 5, 'glpat-kept_in_tokens_for_a_test0')]
        for token in more:
            keep(*token)
            self.addCleanup(forget, token[0])
        said = {
            'en': ('5 kept tokens need replacing',
                   'They expire soon or have expired. Make new tokens at their services and replace the ones '
                   'kept in Tokens.'),
            'pt_BR': ('5 tokens guardados precisam ser substituídos',
                      'Eles expiram em breve ou já expiraram. Crie novos tokens nos serviços e substitua os '
                      'guardados no Tokens.'),
        }
        for language, summary in said.items():
            with self.subTest(language=language):
                before = len(self.seen.sent())
                # Settings in memory: each start warns anew.
                with BackgroundApp('--background', env={'LANGUAGE': language}) as app:
                    name = wait_until(lambda: unique_name_of(app.process.pid), what="the app's bus name")
                    wait_until(lambda: is_registered(name), what='the tray item')
                    wait_until(lambda: len(self.seen.sent()) > before, what='a notification')
                    time.sleep(2)
                    self.assertEqual(self.seen.sent()[before:], [summary])

    def test_an_id_with_a_slash_is_warned_about_once_across_restarts(self):
        # Any program can write the keyring: an id the app would not make.
        keep('ci/deploy', 'gitlab', 'GitLab', 'runner', 'CI server', 3, 'glpat-kept_in_tokens_for_a_test0')
        self.addCleanup(forget, 'ci/deploy')
        said = ('GitLab token “runner” expires in 3 days',
                'Used in CI server. Make a new token at the service and replace the one kept in Tokens '
                'before it stops working.')
        settings = os.path.join(os.environ['XDG_CONFIG_HOME'], 'glib-2.0', 'settings')
        os.makedirs(settings, exist_ok=True)
        with open(settings_file(), 'w') as keyfile:
            keyfile.write('[org/example/Tokens]\n')
        env = {'GSETTINGS_BACKEND': 'keyfile'}

        for start in range(2):
            with BackgroundApp('--background', env=env) as app:
                name = wait_until(lambda: unique_name_of(app.process.pid), what="the app's bus name")
                wait_until(lambda: is_registered(name), what='the tray item')
                wait_until(lambda: kept_menu(name, SAID['en']['menu']), what='the kept tokens in the tray menu')
                wait_until(lambda: said in self.seen.sent(), what='its notification')
                time.sleep(2)
                self.assertEqual(self.seen.sent().count(said), 1, f'start {start + 1}')
                self.assertIn("'kept/ci%2Fdeploy/", notified_entries())

    def test_an_expiry_moved_away_and_back_is_warned_about_again(self):
        token = ('movingday', 'gitlab', 'GitLab', 'runner', 'CI server')
        self.addCleanup(forget, token[0])
        settings = os.path.join(os.environ['XDG_CONFIG_HOME'], 'glib-2.0', 'settings')
        os.makedirs(settings, exist_ok=True)
        with open(settings_file(), 'w') as keyfile:
            keyfile.write('[org/example/Tokens]\n')
        env = {'GSETTINGS_BACKEND': 'keyfile'}
        said = ('GitLab token “runner” expires in 2 days',
                'Used in CI server. Make a new token at the service and replace the one kept in Tokens '
                'before it stops working.')
        first = (TODAY + datetime.timedelta(days=2)).isoformat()

        # Its expiry edited between starts (the keyring item replaced, as
        # the app replaces it): in 2 days, in 40 days, in 2 days again.
        for days, warnings in ((2, 1), (40, 1), (2, 2)):
            subprocess.run(['secret-tool', 'clear', 'xdg:schema', 'org.example.Tokens.Kept', 'id', token[0]],
                           check=False, timeout=10)
            keep(*token, days, 'glpat-kept_in_tokens_for_a_test0')
            with BackgroundApp('--background', env=env) as app:
                name = wait_until(lambda: unique_name_of(app.process.pid), what="the app's bus name")
                wait_until(lambda: is_registered(name), what='the tray item')
                wait_until(lambda: kept_menu(name, SAID['en']['menu']), what='the kept tokens in the tray menu')
                wait_until(lambda: self.seen.sent().count(said) == warnings, what=f'{warnings} warnings')
                if days == 40:
                    # The old day's entry is gone with the old day.
                    wait_until(lambda: f'kept/movingday/{first}' not in notified_entries(),
                               what="the old day's entry to be dropped")
                time.sleep(2)
                self.assertEqual(self.seen.sent().count(said), warnings, f'in {days} days')

    def test_with_an_account_in_portuguese_the_banner_names_the_kept_tokens(self):
        said = SAID['pt_BR']
        with Server('--allow-signup') as server:
            env, _ = signed_in_account(server)
            env['LANGUAGE'] = 'pt_BR'
            add_settings(expiry_warning_days='uint32 7')
            with App(env=env) as app:
                window = app.top('Tokens')
                self.wait_for_notifications(said)

                # Expired first, then the soonest; none for "no expiry".
                banner = app.find(LABEL, re.compile('^O token “publish”'), window, timeout=30)
                self.assertEqual(app.text(banner), f"{said['expired'][0]}\n{said['soon'][0]}")
                # Only kept tokens are due: the button says it opens those.
                app.find(PUSH_BUTTON, re.compile('^Mostrar os tokens guardados que precisam ser substituídos'), window)

                name = wait_until(lambda: unique_name_of(app.process.pid), what="the app's bus name")
                items = wait_until(lambda: kept_menu(name, said['menu']), what='the kept tokens in the tray menu')
                self.assertEqual(labels(items), said['items'])
                click(name, find_item(items, 'Hugging Face — models')[0])
                wait_until(lambda: clipboard() == KEPT[2][6], what='the kept token on the clipboard')


if __name__ == '__main__':
    unittest.main(verbosity=2)
