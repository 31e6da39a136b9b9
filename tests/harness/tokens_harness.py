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


# GTK 4.8's AT-SPI bridge emits an event for a dialog that is already gone
# (an idle in gtkatspicontext.c builds a reference with a NULL path).
KNOWN_GTK_CRITICALS = (
    "g_variant_is_object_path: assertion 'string != NULL' failed",
    "g_variant_new_object_path: assertion 'g_variant_is_object_path (object_path)' failed",
)


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


def _die_with_parent():
    # A test that dies must not leave its server running.
    import ctypes
    ctypes.CDLL('libc.so.6').prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class Server:
    """A real tokens-server on an ephemeral loopback port with its own database."""

    def __init__(self, *extra_args, database=None):
        self.tmpdir = tempfile.mkdtemp(prefix='tokens-server-')
        self.database = database or os.path.join(self.tmpdir, 'tokens.db')
        binary = os.environ.get('TOKENS_SERVER_BIN', 'tokens-server')
        self.process = subprocess.Popen(
            [binary, '--database', self.database, '--listen', '127.0.0.1:0', *extra_args],
            stdout=subprocess.PIPE, text=True, preexec_fn=_die_with_parent)
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
        # Criticals are not fatal in the app, so that one known GTK 4.8
        # accessibility bug (KNOWN_GTK_CRITICALS) does not kill it; every
        # other critical or warning still fails the test, in close().
        full_env['G_DEBUG'] = 'gc-friendly'
        if env:
            full_env.update(env)
        self.log = tempfile.TemporaryFile(mode='w+')
        self.process = subprocess.Popen([binary, *args], env=full_env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        self.debugger = None
        if os.environ.get('TOKENS_UI_GDB'):
            # TOKENS_UI_GDB=FILE: a backtrace of every critical (the app
            # goes on) and of a crash goes to FILE.
            self.debugger = subprocess.Popen(
                ['gdb', '-p', str(self.process.pid), '-batch',
                 '-ex', 'set pagination off',
                 '-ex', 'handle SIGPIPE nostop noprint',
                 '-ex', 'break g_return_if_fail_warning',
                 '-ex', 'commands\nbt 40\ncontinue\nend',
                 '-ex', 'continue', '-ex', 'bt 60'],
                stdout=open(os.environ['TOKENS_UI_GDB'], 'a'), stderr=subprocess.STDOUT)
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
            if self.process.poll() is not None:
                raise HarnessError(f'{error}: the app exited with {self.process.returncode}:\n'
                                   f'{self.output()}') from None
            raise HarnessError(f'{error}; the tree is:\n{self.dump(root)}') from None

    def _top_levels(self, name):
        found = []
        try:
            for i in range(self.root.get_child_count()):
                child = self.root.get_child_at_index(i)
                if child is not None and _matches(child.get_name(), name):
                    found.append(child)
        except gi.repository.GLib.Error:
            pass
        return found

    def top(self, name, timeout=DEFAULT_TIMEOUT):
        """A window or dialog of the app, by its title. Looks at the top
        level only: walking into a dialog that is being destroyed makes
        GTK 4.8's AT-SPI bridge answer with a NULL object path and crash
        the app (a GTK bug), so tests wait for windows this way."""
        return wait_until(lambda: (self._top_levels(name) or [None])[0], timeout=timeout,
                          what=f'a window named {name!r}')

    def top_gone(self, name, timeout=DEFAULT_TIMEOUT):
        wait_until(lambda: not self._top_levels(name), timeout=timeout,
                   what=f'the window {name!r} to close')
        # Let GTK finish tearing the dialog down before the tree is walked.
        time.sleep(0.5)

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
        # A GtkMenuButton's own accessible has no action; the button
        # inside it, of the same name, has.
        target = node
        while target is not None:
            action = target.get_action_iface()
            if action is not None and action.get_n_actions() > 0:
                action.do_action(0)
                return
            name = normalize_name(target.get_name())
            target = next((target.get_child_at_index(i) for i in range(target.get_child_count())
                           if normalize_name(target.get_child_at_index(i).get_name()) == name), None)
        raise HarnessError(f'{node.get_role_name()} {node.get_name()!r} has no action')

    @staticmethod
    def type_text(node, text):
        # A search entry's accessible wraps the text it edits.
        stack = [node]
        while stack:
            current = stack.pop(0)
            editable = current.get_editable_text_iface()
            if editable is not None:
                editable.set_text_contents(text)
                return
            stack.extend(current.get_child_at_index(i) for i in range(current.get_child_count()))
        raise HarnessError(f'{node.get_name()!r} is not editable')

    def _x_window(self, title):
        """The app's X window of that title, with the input focus."""
        found = wait_until(lambda: subprocess.run(
            ['xdotool', 'search', '--onlyvisible', '--pid', str(self.process.pid), '--name', f'^{title}$'],
            capture_output=True, text=True).stdout.split(), what=f'the X window {title!r}')
        subprocess.run(['xdotool', 'windowfocus', '--sync', found[0]], check=True, timeout=DEFAULT_TIMEOUT)
        return found[0]

    def key(self, keys, window='Tokens'):
        """Presses keys, named as xdotool names them ('ctrl+question',
        'alt+2'), in the app's window of that title, as a person at the
        keyboard would: the window gets the X input focus first."""
        self._x_window(window)
        subprocess.run(['xdotool', 'key', '--clearmodifiers', keys], check=True, timeout=DEFAULT_TIMEOUT)

    def click_at(self, x, y, times=1, window='Tokens'):
        """Clicks with the mouse at (x, y) in the window's coordinates, as
        an accessible's Atspi.CoordType.WINDOW extents give them."""
        found = self._x_window(window)
        subprocess.run(['xdotool', 'mousemove', '--window', found, str(x), str(y),
                        'click', '--repeat', str(times), '--delay', '80', '1'],
                       check=True, timeout=DEFAULT_TIMEOUT)

    def focus_window(self, title='Tokens'):
        """Gives the app's window of that title the X input focus, as a
        person's click would: GTK reports what has the keyboard focus only
        in an active window."""
        self._x_window(title)
        time.sleep(0.3)

    def pixels(self, x, y, width, height, window='Tokens'):
        """The pixels (r, g, b) of a rectangle of the window, as the screen
        shows it: what a person sees, where the accessibility tree says
        nothing (colours, room around text)."""
        found = self._x_window(window)
        result = subprocess.run(['import', '-window', found, '-crop', f'{width}x{height}+{x}+{y}',
                                 '+repage', '-depth', '8', 'txt:-'],
                                capture_output=True, text=True, check=True, timeout=DEFAULT_TIMEOUT)
        pixels = [tuple(int(v) for v in m.groups()[:3]) for m in
                  re.finditer(r'\((\d+),(\d+),(\d+)(?:,\d+)?\)', result.stdout)]
        if not pixels:
            raise HarnessError(f'no pixels at ({x}, {y}):\n{result.stdout[:200]}')
        return pixels

    def pixel(self, x, y, window='Tokens', size=1):
        """The most colourful pixel of the size×size square centred on (x, y)."""
        half = size // 2
        return max(self.pixels(x - half, y - half, size, size, window),
                   key=lambda p: max(p) - min(p))

    @staticmethod
    def role_and_name(node):
        return node.get_role_name(), normalize_name(node.get_name())

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
        output = self.output()
        self.log.close()
        problems = [line for line in output.splitlines()
                    if re.search(r'-(CRITICAL|WARNING) \*\*', line)
                    and not any(known in line for known in KNOWN_GTK_CRITICALS)]
        if problems:
            raise HarnessError('the app logged criticals or warnings:\n' + '\n'.join(problems))


def normalize_name(name):
    """An accessible name as a person hears it. GTK 4.8 names a button
    with a mnemonic "_Next Next" and a labelled check box "Label Label":
    drop the underscores and the repetition."""
    if name is None:
        return None
    name = name.replace('_', '')
    half = len(name) // 2
    if len(name) % 2 == 1 and name[half] == ' ' and name[:half] == name[half + 1:]:
        name = name[:half]
    return name


def _matches(actual, wanted):
    if actual is None:
        return False
    if isinstance(wanted, re.Pattern):
        return wanted.search(actual) is not None or wanted.search(normalize_name(actual)) is not None
    return actual == wanted or normalize_name(actual) == wanted


def secret_tool_lookup(**attributes):
    """What the keyring holds for these attributes (secret-tool, as a
    person would look), or None."""
    args = ['secret-tool', 'lookup']
    for key, value in attributes.items():
        args += [key.replace('_', '-'), value]
    result = subprocess.run(args, capture_output=True, text=True, timeout=10)
    return result.stdout if result.returncode == 0 and result.stdout else None


def secret_tool_search(**attributes):
    """Every item the keyring holds for these attributes, as `secret-tool
    search --all` shows them to a person: a list of dicts with `label`,
    `secret` and `attributes`. secret-tool writes the attributes to stderr
    and the rest to stdout: both unbuffered into one pipe keep each item's
    lines together."""
    args = ['stdbuf', '-o0', '-e0', 'secret-tool', 'search', '--all', '--unlock']
    for key, value in attributes.items():
        args += [key.replace('_', '-'), value]
    result = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=10)
    items = []
    for line in result.stdout.splitlines():
        if line.startswith('[') and line.endswith(']'):
            items.append({'attributes': {}})
        elif items and ' = ' in line:
            key, value = line.split(' = ', 1)
            if key.startswith('attribute.'):
                items[-1]['attributes'][key[len('attribute.'):]] = value
            else:
                items[-1][key] = value
    return items


def http(url, method='GET', token=None, body=None, headers=None, raw=None):
    """A real HTTP request; returns (status, parsed JSON or text). `raw`
    sends bytes as application/octet-stream (file uploads)."""
    import json
    import urllib.error
    import urllib.request
    data = json.dumps(body).encode() if body is not None else raw
    request = urllib.request.Request(url, data=data, method=method)
    if token:
        request.add_header('Authorization', f'Bearer {token}')
    if body is not None:
        request.add_header('Content-Type', 'application/json')
    elif raw is not None:
        request.add_header('Content-Type', 'application/octet-stream')
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            status, text = reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    try:
        return status, json.loads(text) if text else None
    except ValueError:
        return status, text


def secret_tool_store(secret, **attributes):
    """Saves a secret as the app does (schema org.example.Tokens.Secret)."""
    args = ['secret-tool', 'store', '--label=Tokens test', 'xdg:schema', 'org.example.Tokens.Secret']
    for key, value in attributes.items():
        args += [key.replace('_', '-'), value]
    subprocess.run(args, input=secret, text=True, check=True, timeout=10)


def signed_in_account(server, email='ana@example.org', password='correct horse battery staple'):
    """An account on `server` the app is already signed in to, without the
    stepper: signed up and in over HTTP, its session and API token in the
    keyring, and the app's `accounts` setting in a keyfile under
    XDG_CONFIG_HOME. Returns (env for App, the API token)."""
    status, reply = http(server.url + '/v1/accounts', 'POST', body={'email': email, 'password': password})
    if status != 201:
        raise HarnessError(f'sign-up failed: {status} {reply}')
    api_token = reply['token']
    status, reply = http(server.url + '/v1/sessions', 'POST', body={'email': email, 'password': password})
    if status != 201:
        raise HarnessError(f'sign-in failed: {status} {reply}')
    common = dict(service=server.url, account=email, token_id='')
    secret_tool_store(reply['token'], kind='session', **common)
    secret_tool_store(api_token, kind='api-key', **common)

    settings = os.path.join(os.environ['XDG_CONFIG_HOME'], 'glib-2.0', 'settings')
    os.makedirs(settings, exist_ok=True)
    with open(os.path.join(settings, 'keyfile'), 'w') as keyfile:
        keyfile.write('[org/example/Tokens]\n'
                      f"accounts=[{{'id': <'test-account'>, 'service-url': <'{server.url}'>, "
                      f"'email': <'{email}'>, 'display-name': <''>, 'is-local': <false>, "
                      "'allow-insecure': <false>}]\n"
                      "active-account='test-account'\n")
    return {'GSETTINGS_BACKEND': 'keyfile'}, api_token


def clipboard():
    """What is on the clipboard now, as another program reads it."""
    result = subprocess.run(['xclip', '-o', '-selection', 'clipboard'],
                            capture_output=True, text=True, timeout=5)
    return result.stdout if result.returncode == 0 else None
