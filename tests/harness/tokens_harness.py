# SPDX-License-Identifier: GPL-3.0-or-later
"""The test harness for Python tests: the real app through the accessibility
tree, and a real tokens-server.

Run these tests inside `session-run --display --keyring` (tests/ui/meson.build
does), which gives them a private bus, an unlocked keyring and Xvfb. Use
Debian's /usr/bin/python3: it has `gi` with Atspi.

    from tokens_harness import App, Server
    with Server() as server, App() as app:
        button = app.find(PUSH_BUTTON, 'Copy')
        app.click(button)
"""

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import gi

gi.require_version('Atspi', '2.0')
from gi.repository import Atspi  # noqa: E402

Role = Atspi.Role
PUSH_BUTTON = Role.PUSH_BUTTON
TOGGLE_BUTTON = Role.TOGGLE_BUTTON
LABEL = Role.LABEL
FRAME = Role.FRAME
TEXT = Role.TEXT
PASSWORD_TEXT = Role.PASSWORD_TEXT
CHECK_BOX = Role.CHECK_BOX
DIALOG = Role.DIALOG

DEFAULT_TIMEOUT = float(os.environ.get('TOKENS_UI_TIMEOUT', '15'))


class HarnessError(AssertionError):
    pass


def wait_until(predicate, timeout=DEFAULT_TIMEOUT, interval=0.05, what='condition'):
    """Poll predicate until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise HarnessError(f'timed out after {timeout:.0f} s waiting for {what}')
        time.sleep(interval)


class Server:
    """A real tokens-server on an ephemeral loopback port with its own database."""

    def __init__(self, *extra_args, database=None):
        self.tmpdir = tempfile.mkdtemp(prefix='tokens-server-')
        self.database = database or os.path.join(self.tmpdir, 'tokens.db')
        binary = os.environ.get('TOKENS_SERVER_BIN', 'tokens-server')
        self.process = subprocess.Popen(
            [binary, '--database', self.database, '--listen', '127.0.0.1:0', *extra_args],
            stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline().strip()
        match = re.fullmatch(r'listening on (http://127\.0\.0\.1:\d+)', line)
        if not match:
            self.process.kill()
            raise HarnessError(f'tokens-server did not say where it listens: {line!r}')
        self.url = match.group(1)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise HarnessError('tokens-server did not stop on SIGTERM')
        return self.process.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.tmpdir, ignore_errors=True)


class App:
    """The real app, found in the accessibility tree by its process id."""

    def __init__(self, *args, env=None, binary=None):
        binary = binary or os.environ.get('TOKENS_APP_BIN', 'tokens')
        full_env = dict(os.environ)
        full_env.pop('NO_AT_BRIDGE', None)
        full_env.pop('GTK_A11Y', None)
        full_env.setdefault('GDK_DEBUG', 'gl-disable')
        if env:
            full_env.update(env)
        self.log = tempfile.TemporaryFile(mode='w+')
        self.process = subprocess.Popen([binary, *args], env=full_env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.root = wait_until(self._find_root, what='the app in the accessibility tree')

    def _find_root(self):
        if self.process.poll() is not None:
            raise HarnessError(f'the app exited with {self.process.returncode}:\n{self.output()}')
        desktop = Atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            child = desktop.get_child_at_index(i)
            try:
                if child is not None and child.get_process_id() == self.process.pid:
                    return child
            except gi.repository.GLib.Error:
                continue
        return None

    def output(self):
        self.log.seek(0)
        return self.log.read()

    # Finding things, the way a screen reader does: by role and name.

    def find_all(self, role=None, name=None, root=None):
        found = []

        def walk(node, depth=0):
            if node is None or depth > 60:
                return
            try:
                if (role is None or node.get_role() == role) and \
                   (name is None or _matches(node.get_name(), name)):
                    found.append(node)
                for i in range(node.get_child_count()):
                    walk(node.get_child_at_index(i), depth + 1)
            except gi.repository.GLib.Error:
                return

        walk(root or self.root)
        return found

    def find(self, role=None, name=None, root=None, timeout=DEFAULT_TIMEOUT):
        def first():
            nodes = self.find_all(role, name, root)
            return nodes[0] if nodes else None
        what = f'{role.value_nick if role else "anything"} named {name!r}'
        try:
            return wait_until(first, timeout=timeout, what=what)
        except HarnessError as error:
            raise HarnessError(f'{error}; the tree is:\n{self.dump(root)}') from None

    def gone(self, role=None, name=None, root=None, timeout=DEFAULT_TIMEOUT):
        wait_until(lambda: not self.find_all(role, name, root), timeout=timeout,
                   what=f'{name!r} to go away')

    def dump(self, root=None):
        """The accessibility tree as text, to see why a find failed."""
        lines = []

        def walk(node, depth=0):
            if node is None or depth > 60:
                return
            try:
                lines.append(f'{"  " * depth}{node.get_role_name()} {node.get_name()!r}')
                for i in range(node.get_child_count()):
                    walk(node.get_child_at_index(i), depth + 1)
            except gi.repository.GLib.Error:
                return

        walk(root or self.root)
        return '\n'.join(lines)

    def names(self, role=None, root=None):
        return [n.get_name() for n in self.find_all(role, None, root)]

    # Acting on things.

    @staticmethod
    def click(node):
        action = node.get_action_iface()
        if action is None or action.get_n_actions() == 0:
            raise HarnessError(f'{node.get_role_name()} {node.get_name()!r} has no action')
        action.do_action(0)

    @staticmethod
    def type_text(node, text):
        editable = node.get_editable_text_iface()
        if editable is None:
            raise HarnessError(f'{node.get_name()!r} is not editable')
        editable.set_text_contents(text)

    @staticmethod
    def text(node):
        iface = node.get_text_iface()
        if iface is None:
            return node.get_name()
        return iface.get_text(0, iface.get_character_count())

    @staticmethod
    def screenshot(path):
        subprocess.run(['import', '-window', 'root', path], check=True)

    def quit(self, timeout=10):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.quit()
        self.log.close()


def _matches(actual, wanted):
    if actual is None:
        return False
    if isinstance(wanted, re.Pattern):
        return wanted.search(actual) is not None
    return actual == wanted


def clipboard():
    """What is on the clipboard now, as another program reads it."""
    result = subprocess.run(['xclip', '-o', '-selection', 'clipboard'],
                            capture_output=True, text=True, timeout=5)
    return result.stdout if result.returncode == 0 else None
