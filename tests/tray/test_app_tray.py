# SPDX-License-Identifier: GPL-3.0-or-later
"""The real app in the background: its tray icon on real StatusNotifier
hosts from Debian (status-notifier-watcher, gtk-sni-tray-standalone), the
copy items of its menu, closing the window with and without "run in
background", and the expiry warnings seen on the session bus by a real
notification daemon (notification-daemon) and by dbus-monitor.

Runs under `session-run --display --keyring`: a private bus, Xvfb, an
unlocked keyring, and private XDG directories."""

import os
import re
import shutil
import signal
import subprocess
import time
import unittest

import gi

gi.require_version('GdkPixbuf', '2.0')
from gi.repository import Gio, GLib, GdkPixbuf  # noqa: E402

import tokens_harness  # noqa: E402
from tokens_harness import (App, Server, CHECK_BOX, LABEL, PUSH_BUTTON, HarnessError,  # noqa: E402
                            clipboard, http, signed_in_account, wait_until)

# Closing the window destroys it, which no other test does: the API Key
# page then finalizes its TokensBestPractices with its template's box
# still in it (reported; not the tray's or the background's doing).
tokens_harness.KNOWN_GTK_CRITICALS += (
    'Finalizing TokensBestPractices',
    '   - GtkBox 0x',
)

WATCHER = 'org.kde.StatusNotifierWatcher'
ITEM = 'org.kde.StatusNotifierItem'
MENU = 'com.canonical.dbusmenu'
BAR_HEIGHT = 32
SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD_DIR = os.environ.get('G_TEST_BUILDDIR', '/tmp')


def bus():
    return Gio.bus_get_sync(Gio.BusType.SESSION, None)


def call(dest, path, iface, method, params=None, reply=None):
    return bus().call_sync(dest, path, iface, method, params,
                           GLib.VariantType(reply) if reply else None,
                           Gio.DBusCallFlags.NONE, 5000, None).unpack()


def get_property(dest, path, iface, name):
    return call(dest, path, 'org.freedesktop.DBus.Properties', 'Get',
                GLib.Variant('(ss)', (iface, name)), '(v)')[0]


def unique_name_of(pid):
    """The bus name a process holds, found by its pid."""
    for name in call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
                     'ListNames', None, '(as)')[0]:
        if not name.startswith(':'):
            continue
        try:
            owner_pid = call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
                             'GetConnectionUnixProcessID', GLib.Variant('(s)', (name,)), '(u)')[0]
        except GLib.Error:
            continue
        if owner_pid == pid:
            return name
    return None


def registered_items():
    try:
        return get_property(WATCHER, '/StatusNotifierWatcher', WATCHER, 'RegisteredStatusNotifierItems')
    except GLib.Error:
        return []


def is_registered(name):
    return any(item == name or item.startswith(name + '/') for item in registered_items())


def layout(name):
    """The tray's menu as the host reads it: [(id, label, type, [children])]."""
    _, root = call(name, '/MenuBar', MENU, 'GetLayout', GLib.Variant('(iias)', (0, -1, [])),
                   '(u(ia{sv}av))')

    def node(entry):
        item_id, props, children = entry
        return (item_id, props.get('label', ''), props.get('type', 'standard'),
                [node(child) for child in children])
    return node(root)[3]


def labels(items):
    return [label for _, label, kind, _ in items if kind != 'separator']


def find_item(items, label):
    for entry in items:
        if entry[1] == label:
            return entry
    raise AssertionError(f'no menu item {label!r} in {labels(items)}')


def click(name, item_id):
    call(name, '/MenuBar', MENU, 'Event',
         GLib.Variant('(isvu)', (item_id, 'clicked', GLib.Variant('s', ''), 0)))


def spawn(*argv, log=None):
    return subprocess.Popen(argv, stdout=log or subprocess.DEVNULL, stderr=subprocess.STDOUT,
                            start_new_session=False)


def stop(process):
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def bar_ink(path):
    """Pixels of the symbolic icon's colour (#2e3436) in the bar at the bottom."""
    shot = GdkPixbuf.Pixbuf.new_from_file(path)
    pixels = shot.get_pixels()
    stride, channels, width = shot.get_rowstride(), shot.get_n_channels(), shot.get_width()
    height = shot.get_height()
    ink = 0
    for y in range(height - BAR_HEIGHT, height):
        row = y * stride
        for x in range(width):
            p = row + x * channels
            if pixels[p] == 0x2e and pixels[p + 1] == 0x34 and pixels[p + 2] == 0x36:
                ink += 1
    return ink


def screenshot(name):
    path = os.path.join(BUILD_DIR, name)
    subprocess.run(['import', '-window', 'root', path], check=True)
    return path


def install_icons():
    """As installed: the app's icons in the private XDG_DATA_HOME's theme."""
    target = os.path.join(os.environ['XDG_DATA_HOME'], 'icons', 'hicolor')
    if not os.path.isdir(target):
        shutil.copytree(os.path.join(SOURCE_ROOT, 'data', 'icons', 'hicolor'), target)


def settings_file():
    return os.path.join(os.environ['XDG_CONFIG_HOME'], 'glib-2.0', 'settings', 'keyfile')


def add_settings(**values):
    with open(settings_file(), 'a') as keyfile:
        for key, value in values.items():
            keyfile.write(f'{key.replace("_", "-")}={value}\n')


def access_token(server, api_token, name, days=None, email='ana@example.org', legacy=False):
    """An access token made over HTTP and saved in the keyring as the app
    saves one (with `legacy`, as it saved one before names were
    attributes: the name only in the label); returns (id, secret)."""
    body = {'name': name, 'scopes': ['read']}
    if days is not None:
        body['expires_in_days'] = days
    status, reply = http(server.url + '/v1/tokens', 'POST', token=api_token, body=body)
    if status != 201:
        raise HarnessError(f'creating a token failed: {status} {reply}')
    token_id, secret = str(reply['access_token']['id']), reply['token']
    subprocess.run(['secret-tool', 'store',
                    f'--label=Tokens: access token “{name}” of {email} on 127.0.0.1',
                    'xdg:schema', 'org.example.Tokens.Secret', 'service', server.url,
                    'account', email, 'kind', 'access', 'token-id', token_id]
                   + ([] if legacy else ['slot', 'current', 'name', name]),
                   input=secret, text=True, check=True, timeout=10)
    return token_id, secret


class TrayHosts:
    """status-notifier-watcher and the bar, for as long as a test runs."""

    def __init__(self):
        self.watcher = spawn('status-notifier-watcher')
        wait_until(lambda: self._has_watcher(), what='the StatusNotifierWatcher')
        # At the bottom: the window (no window manager here) is at the top left.
        self.bar = spawn('gtk-sni-tray-standalone', '--bottom', '--beginning',
                         '--size', str(BAR_HEIGHT), '--color', '#f6f5f4')

    @staticmethod
    def _has_watcher():
        try:
            get_property(WATCHER, '/StatusNotifierWatcher', WATCHER, 'RegisteredStatusNotifierItems')
            return True
        except GLib.Error:
            return False

    def restart_watcher(self):
        stop(self.watcher)
        wait_until(lambda: not self._has_watcher(), what='the watcher to go')
        self.watcher = spawn('status-notifier-watcher')

    def close(self):
        stop(self.bar)
        stop(self.watcher)


class AppTrayTest(unittest.TestCase):

    def setUp(self):
        install_icons()
        self.hosts = TrayHosts()
        self.addCleanup(self.hosts.close)

    def test_tray_menu_copies_the_api_token_and_saved_access_tokens(self):
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server, email='ana_dev@example.org')
            token_id, secret = access_token(server, api_token, 'deploy_ci', email='ana_dev@example.org',
                                            legacy=True)
            # Saved the way the app saved items before names were
            # attributes (the name only in the label): the app gives the
            # item its name from the service's list, and the menu shows it.
            with App(env=env) as app:
                app.top('Tokens')
                name = wait_until(lambda: unique_name_of(app.process.pid), what="the app's bus name")
                wait_until(lambda: is_registered(name), what='the tray item to be registered')

                # What a host shows: the title, the icon, the tooltip.
                self.assertEqual(get_property(name, '/StatusNotifierItem', ITEM, 'Title'), 'Tokens')
                self.assertEqual(get_property(name, '/StatusNotifierItem', ITEM, 'IconName'),
                                 'org.example.Tokens-symbolic')
                self.assertEqual(get_property(name, '/StatusNotifierItem', ITEM, 'Status'), 'Active')
                tooltip = get_property(name, '/StatusNotifierItem', ITEM, 'ToolTip')
                self.assertEqual(tooltip[2], 'Tokens')
                self.assertEqual(tooltip[3], 'Copy a token, or open Tokens')

                # The menu: the account's API token (the "_" of the email
                # doubled, or hosts would take it for a mnemonic), its saved
                # access tokens, Open and Quit.
                def named(m):
                    if 'Access Tokens' not in labels(m):
                        return None
                    return m if labels(find_item(m, 'Access Tokens')[3][0][3]) == ['deploy__ci'] else None
                menu = wait_until(lambda: named(layout(name)), what='the access tokens in the tray menu, named')
                self.assertEqual(labels(menu), ['Copy API Token of ana__dev@example.org',
                                                'Access Tokens', 'Open Tokens', 'Quit'])
                accounts = find_item(menu, 'Access Tokens')[3]
                self.assertEqual(labels(accounts), ['ana__dev@example.org'])
                self.assertEqual(labels(accounts[0][3]), ['deploy__ci'])

                # A click copies the keyring's token.
                click(name, find_item(menu, 'Copy API Token of ana__dev@example.org')[0])
                wait_until(lambda: clipboard() == api_token, what='the API token on the clipboard')
                click(name, accounts[0][3][0][0])
                wait_until(lambda: clipboard() == secret, what='the access token on the clipboard')

                # A token saved later shows up without a restart.
                access_token(server, api_token, 'backup', email='ana_dev@example.org')
                wait_until(lambda: 'backup' in labels(find_item(layout(name), 'Access Tokens')[3][0][3]),
                           what='the new token in the tray menu')

                # The bar draws the icon.
                ink = wait_until(lambda: bar_ink(screenshot('app-tray.png')) or time.sleep(0.25),
                                 what='the icon in the bar')
                self.assertGreater(ink, 100)

                # The watcher restarted: registered again.
                self.hosts.restart_watcher()
                wait_until(lambda: is_registered(name), what='the item to be registered again')

    def test_closing_the_window_keeps_the_app_running_in_the_background(self):
        with Server('--allow-signup') as server:
            env, _ = signed_in_account(server)
            with App(env=env) as app:
                window = app.top('Tokens')
                name = wait_until(lambda: unique_name_of(app.process.pid), what="the app's bus name")
                wait_until(lambda: is_registered(name), what='the tray item')
                app.click(app.find(PUSH_BUTTON, 'Close', window))
                app.top_gone('Tokens')
                time.sleep(1)
                self.assertIsNone(app.process.poll(), 'the app quit when its window closed')
                self.assertTrue(is_registered(name))

                # The icon's click opens the window again.
                call(name, '/StatusNotifierItem', ITEM, 'Activate', GLib.Variant('(ii)', (0, 0)))
                app.top('Tokens')

                # Quit in the tray's menu really quits.
                click(name, find_item(layout(name), 'Quit')[0])
                self.assertEqual(app.process.wait(timeout=10), 0)

    def test_start_at_login_writes_and_removes_the_autostart_file(self):
        path = os.path.join(os.environ['XDG_CONFIG_HOME'], 'autostart', 'org.example.Tokens.desktop')
        with Server('--allow-signup') as server:
            env, _ = signed_in_account(server)
            with App(env=env) as app:
                window = app.top('Tokens')
                app.click(app.find(None, 'Main Menu', window))
                app.click(app.find(None, 'Preferences'))
                preferences = app.top('Preferences')
                switch = app.find(CHECK_BOX, 'Start at Login', preferences)   # a GtkSwitch

                app.click(switch)
                entry = wait_until(lambda: os.path.exists(path) and open(path).read(),
                                   what='the autostart file')
                self.assertIn('Exec=tokens --background\n', entry)
                self.assertIn('X-GNOME-Autostart-enabled=true\n', entry)

                # Off, on and off again in a row: it ends as it was left.
                for _ in range(3):
                    app.click(switch)
                wait_until(lambda: not os.path.exists(path), what='the autostart file to go')
                time.sleep(1)
                self.assertFalse(os.path.exists(path))

                app.click(switch)
                wait_until(lambda: os.path.exists(path), what='the autostart file again')
                app.click(app.find(PUSH_BUTTON, 'Close', preferences))
                app.top_gone('Preferences')

    def test_closing_the_window_quits_when_not_running_in_the_background(self):
        with Server('--allow-signup') as server:
            env, _ = signed_in_account(server)
            add_settings(run_in_background='false')
            with App(env=env) as app:
                window = app.top('Tokens')
                app.click(app.find(PUSH_BUTTON, 'Close', window))
                self.assertEqual(app.process.wait(timeout=10), 0)


class Notifications:
    """A real notification daemon (notification-daemon) for a test, and
    dbus-monitor writing down every notification the app asks it for."""

    def __init__(self, test):
        self.daemon = spawn('/usr/lib/notification-daemon/notification-daemon')
        test.addCleanup(stop, self.daemon)
        wait_until(self._daemon_is_up, what='the notification daemon')
        self.log = open(os.path.join(os.environ['TOKENS_SESSION_ROOT'], 'notify.log'), 'w+')
        test.addCleanup(self.log.close)
        self.monitor = spawn('dbus-monitor', '--session',
                             "type='method_call',interface='org.freedesktop.Notifications',member='Notify'",
                             "type='method_call',interface='org.freedesktop.Notifications',"
                             "member='CloseNotification'",
                             log=self.log)
        test.addCleanup(stop, self.monitor)
        time.sleep(0.5)

    @staticmethod
    def _daemon_is_up():
        return call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
                    'NameHasOwner', GLib.Variant('(s)', ('org.freedesktop.Notifications',)), '(b)')[0]

    def sent(self):
        """Every notification asked for so far: [(title, body)]."""
        self.log.flush()
        with open(self.log.name) as log:
            text = log.read()
        return re.findall(r'member=Notify\n(?:.*\n){3}\s*string "([^"]*)"\n\s*string "([^"]*)"', text)

    def closed(self):
        """How many notifications the app has taken back."""
        self.log.flush()
        with open(self.log.name) as log:
            return log.read().count('member=CloseNotification')


class ExpiryTest(unittest.TestCase):

    def setUp(self):
        self.seen = Notifications(self)

    def notifications(self):
        return [title for title, _ in self.seen.sent()]

    def test_a_token_expiring_soon_is_warned_about_once_across_restarts(self):
        with Server('--allow-signup') as server:
            env, api_token = signed_in_account(server)
            add_settings(expiry_warning_days='uint32 7')
            token_id, _ = access_token(server, api_token, 'deploy-ci', days=2)
            access_token(server, api_token, 'nightly', days=30)
            access_token(server, api_token, 'forever')

            with App(env=env) as app:
                window = app.top('Tokens')
                # The banner in the window.
                app.find(LABEL, '1 access token needs renewing', window, timeout=30)
                wait_until(lambda: self.notifications(), what='a notification')
                time.sleep(1)
                # Made 2 days ago less a moment: "in 1 day" or, in the same second, "in 2 days".
                self.assertEqual(len(self.notifications()), 1)
                self.assertRegex(self.notifications()[0], r'^Access token “deploy-ci” expires in (1 day|2 days)$')
                with open(settings_file()) as keyfile:
                    self.assertRegex(keyfile.read(), rf"expiry-notified=\['test-account/{token_id}/\d+'\]")
                screenshot('app-expiry-notification.png')

            # Again: the banner, but no second notification.
            with App(env=env) as app:
                window = app.top('Tokens')
                app.find(LABEL, '1 access token needs renewing', window, timeout=30)
                time.sleep(2)
                self.assertEqual(len(self.notifications()), 1)


if __name__ == '__main__':
    unittest.main(verbosity=2)
