# SPDX-License-Identifier: GPL-3.0-or-later
"""What the Python server tests share: reading where a tokens-server
listens, and running Debian's nginx with a private configuration."""

import os
import select
import shutil
import signal
import socket
import subprocess
import time

HOST = "127.0.0.1"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def read_listen_port(proc, timeout=30.0):
    """The port of the first stdout line, "listening on http://HOST:PORT";
    None when the server did not say so in time."""
    deadline = time.monotonic() + timeout
    line = b""
    fd = proc.stdout.fileno()
    while not line.endswith(b"\n") and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            chunk = os.read(fd, 1)
            if not chunk:
                break
            line += chunk
    text = line.decode("utf-8", "replace").strip()
    prefix = "listening on http://%s:" % HOST
    if not text.startswith(prefix):
        return None, text
    return int(text[len(prefix):]), text


def start_nginx(folder, conf, port, preexec_fn=None):
    """nginx -c CONF with everything of its own in FOLDER, up once PORT answers."""
    proc = subprocess.Popen([NGINX, "-p", folder, "-e", os.path.join(folder, "error.log"),
                             "-c", conf],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, preexec_fn=preexec_fn)
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError("nginx did not start: %s"
                                     % proc.stderr.read().decode(errors="replace"))
            time.sleep(0.05)


def stop_nginx(proc, folder):
    """A graceful stop (SIGQUIT), then the folder goes."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    proc.stderr.close()
    shutil.rmtree(folder, ignore_errors=True)
