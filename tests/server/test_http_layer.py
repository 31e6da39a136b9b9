#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test_http_layer.py — tokens-server's HTTP layer (src/server/ts-daemon.c),
# from the outside: descriptors, accept() on EMFILE, idle and slow-header
# timeouts, keep-alive, the password queue and rate limits under a burst,
# strict input at the edge (JSON, NUL, duplicate headers and parameters),
# HEAD and 405, what the library answers below us, and body limits.
#
# Each test starts its own real tokens-server (TOKENS_SERVER_BIN) on
# 127.0.0.1:0 with a database in a fresh temporary folder, its stderr in a
# file the test can read, and stops it with SIGTERM: it must exit 0 and
# its log must hold no CRITICAL or WARNING. Standard library only.
#
# What is wrong below us and cannot be fixed from our code (libmicrohttpd
# 0.9.75's own answers) is a test marked @unittest.expectedFailure, with
# what is wrong: the day the library is fixed, it passes and says so.
#
#   TOKENS_SERVER_BIN=_build/src/server/tokens-server /usr/bin/python3 test_http_layer.py -v

import http.client
import json
import os
import resource
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tt_process import read_listen_port  # noqa: E402

HOST = "127.0.0.1"
PASSWORD = "correct horse battery"
JSON_TYPE = "application/json"


# A real server

class Server:
    """A tokens-server on 127.0.0.1:0 with a temporary database."""

    def __init__(self, *args, nofile=None, allow_signup=False):
        binary = os.environ.get("TOKENS_SERVER_BIN")
        if not binary:
            raise unittest.SkipTest("TOKENS_SERVER_BIN is not set")
        self.dir = tempfile.TemporaryDirectory(prefix="tokens-http-")
        self.log_path = os.path.join(self.dir.name, "server.log")
        command = []
        if nofile is not None:
            command += ["prlimit", "--nofile=%d:%d" % (nofile, nofile), "--"]
        command += [binary, "--database", os.path.join(self.dir.name, "tokens.db"),
                    "--listen", HOST + ":0"]
        if allow_signup:
            command.append("--allow-signup")
        command += list(args)
        self.command = command
        self.log_file = open(self.log_path, "wb")
        self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=self.log_file)
        self.pid = self.proc.pid
        self.port = self._read_port()

    def _read_port(self):
        port, text = read_listen_port(self.proc, timeout=15)
        if port is None:
            self.proc.kill()
            self.proc.wait(10)
            raise AssertionError("tokens-server did not start (%r): %s\n%s"
                                 % (self.command, text, self.log()))
        return port

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def fd_count(self):
        return len(os.listdir("/proc/%d/fd" % self.pid))

    def stop(self):
        """SIGTERM; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            status = self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            status = "hung after SIGTERM (killed)"
        self.proc.stdout.close()
        self.log_file.close()
        return status


# HTTP from the client's side

class Reply:
    def __init__(self, status, reason, headers, body):
        self.status = status
        self.reason = reason
        self.headers = headers      # lower-case name -> [values]
        self.body = body

    def header(self, name):
        values = self.headers.get(name.lower())
        return values[0] if values else None

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        return "<%d %s %r %r>" % (self.status, self.reason, self.headers, self.body[:300])


def connect(port, timeout=5.0):
    return socket.create_connection((HOST, port), timeout=timeout)


class RawConn:
    """One client connection written byte for byte."""

    MAX_HEAD = 256 * 1024

    def __init__(self, port, timeout=5.0):
        self.sock = connect(port, timeout)
        self.buf = b""

    def close(self):
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("the server closed the connection")
        self.buf += chunk

    def _take(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def _line(self):
        while b"\r\n" not in self.buf:
            if len(self.buf) > self.MAX_HEAD:
                raise AssertionError("a line of more than %d bytes" % self.MAX_HEAD)
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def read_response(self, head=False):
        """The next response; EOFError when the connection closes first."""
        while b"\r\n\r\n" not in self.buf:
            if len(self.buf) > self.MAX_HEAD:
                raise AssertionError("headers of more than %d bytes" % self.MAX_HEAD)
            self._fill()
        block, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = block.decode("latin-1").split("\r\n")
        version, status, reason = (lines[0].split(" ", 2) + [""])[:3]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        status = int(status)
        if head or status in (204, 304) or status < 200:
            body = b""
        elif "content-length" in headers:
            body = self._take(int(headers["content-length"][0]))
        elif "chunked" in ",".join(headers.get("transfer-encoding", [])).lower():
            body = b""
            for _ in range(100000):
                size = int(self._line().split(b";")[0], 16)
                if size == 0:
                    while self._line() != b"":
                        pass
                    break
                body += self._take(size)
                self._line()
        else:
            body = self.buf
            self.buf = b""
            try:
                for _ in range(100000):
                    self._fill()
            except EOFError:
                body += self.buf
                self.buf = b""
        return Reply(status, reason, headers, body)

    def state_after(self, wait):
        """'eof', 'reset', 'data' or 'open' within wait seconds."""
        if self.buf:
            return "data"
        self.sock.settimeout(wait)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            return "open"
        except ConnectionResetError:
            return "reset"
        if not chunk:
            return "eof"
        self.buf += chunk
        return "data"


def request_bytes(method, path, body=None, token=None, headers=(), content_type=JSON_TYPE,
                  close=False):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s" % HOST]
    if token is not None:
        lines.append("Authorization: Bearer %s" % token)
    if body is not None:
        if content_type:
            lines.append("Content-Type: %s" % content_type)
        lines.append("Content-Length: %d" % len(body))
    lines += list(headers)
    lines.append("Connection: close" if close else "Connection: keep-alive")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


def call(port, method, path, body=None, token=None, headers=None, conn=None, timeout=10.0):
    """One request with http.client; body may be bytes, or an object sent as JSON."""
    own = conn is None
    if own:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        all_headers = {}
        if token is not None:
            all_headers["Authorization"] = "Bearer " + token
        if body is not None:
            if not isinstance(body, bytes):
                body = json.dumps(body).encode("utf-8")
            all_headers["Content-Type"] = JSON_TYPE
        all_headers.update(headers or {})
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        headers_out = {}
        for name, value in response.getheaders():
            headers_out.setdefault(name.lower(), []).append(value)
        return Reply(response.status, response.reason, headers_out, data)
    finally:
        if own:
            conn.close()


def get_health(port, timeout=5.0):
    return call(port, "GET", "/v1/health", timeout=timeout)


def raise_own_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def closed_by_peer(sock):
    """For a non-blocking socket poll() found readable: True if it is at EOF or reset."""
    try:
        return sock.recv(4096) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    except BlockingIOError:
        return False


class HttpLayerTest(unittest.TestCase):
    # Log lines a test expects; anything CRITICAL or WARNING else fails it.
    allowed_in_log = ()

    def start_server(self, *args, nofile=None, allow_signup=False):
        server = Server(*args, nofile=nofile, allow_signup=allow_signup)
        self.addCleanup(self._stop_server, server)
        return server

    def _stop_server(self, server):
        status = server.stop()
        log = server.log()
        server.dir.cleanup()
        self.assertEqual(status, 0, "tokens-server did not stop cleanly:\n" + log)
        bad = [line for line in log.splitlines()
               if ("CRITICAL" in line or "WARNING" in line or "AddressSanitizer" in line
                   or "runtime error" in line)
               and not any(allowed in line for allowed in self.allowed_in_log)]
        self.assertEqual(bad, [], "tokens-server logged:\n" + log)

    def hold(self, sock_or_conn):
        self.addCleanup(sock_or_conn.close)
        return sock_or_conn

    def assertError(self, reply, status, code, msg=None):
        """Our error shape: {"error": sentence, "code": code}, as JSON."""
        self.assertEqual(reply.status, status, msg or repr(reply))
        self.assertTrue((reply.header("Content-Type") or "").startswith(JSON_TYPE), repr(reply))
        body = reply.json()
        self.assertIsInstance(body, dict, repr(reply))
        self.assertEqual(set(body), {"error", "code"}, repr(reply))
        self.assertIsInstance(body["error"], str)
        self.assertNotEqual(body["error"], "")
        self.assertEqual(body["code"], code, msg or repr(reply))
        return body

    def assertRetryAfter(self, reply):
        value = reply.header("Retry-After")
        self.assertIsNotNone(value, "no Retry-After: %r" % reply)
        self.assertTrue(value.isdigit() and int(value) >= 1, "Retry-After: %r" % value)
        return int(value)

    def sign_up(self, server, email, password=PASSWORD):
        reply = call(server.port, "POST", "/v1/accounts", {"email": email, "password": password})
        self.assertEqual(reply.status, 201, repr(reply))
        token = reply.json()["token"]
        self.assertTrue(token.startswith("tkapi_"), token)
        return token

    def create_token(self, server, api_token, name="t"):
        reply = call(server.port, "POST", "/v1/tokens",
                     {"name": name, "scopes": ["read"], "expires_in_days": 30}, token=api_token)
        self.assertEqual(reply.status, 201, repr(reply))
        return reply.json()

    def token_total(self, server, api_token):
        reply = call(server.port, "GET", "/v1/tokens", token=api_token)
        self.assertEqual(reply.status, 200, repr(reply))
        # Leniently: a name the server should have refused may come back
        # as bytes that are not UTF-8, and the count is what matters here.
        return json.loads(reply.body.decode("utf-8", "replace"))["total"]

    def wait_for_health(self, server, within):
        """200 from /v1/health within `within` seconds, trying again on failure."""
        deadline = time.monotonic() + within
        last = None
        while time.monotonic() < deadline:
            try:
                reply = get_health(server.port, timeout=1.0)
                if reply.status == 200:
                    return reply
                last = reply
            except (OSError, http.client.HTTPException) as e:
                last = e
            time.sleep(0.1)
        self.fail("no 200 from /v1/health within %s s; last: %r" % (within, last))

    # Descriptors and accept()

    def test_short_keepalive_clients_do_not_leak_descriptors(self):
        server = self.start_server(nofile=1024)
        # prlimit execs the server: the pid we hold is tokens-server's.
        exe = os.readlink("/proc/%d/exe" % server.pid)
        self.assertEqual(os.path.basename(exe), "tokens-server", exe)
        self.assertEqual(get_health(server.port).status, 200)
        baseline = server.fd_count()

        for i in range(1100):
            conn = RawConn(server.port)
            try:
                conn.send(request_bytes("GET", "/v1/health"))
                reply = conn.read_response()
            except (OSError, EOFError) as e:
                self.fail("client %d of 1100 got no answer: %r (server has %d descriptors)"
                          % (i, e, server.fd_count()))
            finally:
                conn.close()
            self.assertEqual(reply.status, 200, "client %d: %r" % (i, reply))
            self.assertNotIn("close", ",".join(reply.headers.get("connection", [])).lower())

        self.assertEqual(get_health(server.port).status, 200)
        count = server.fd_count()
        for _ in range(30):
            if count < baseline + 20:
                break
            time.sleep(0.1)
            count = server.fd_count()
        self.assertLess(count, baseline + 20,
                        "descriptors: %d before, %d after 1100 closed clients" % (baseline, count))

    def test_accept_recovers_after_emfile(self):
        server = self.start_server("--max-connections", "1000", nofile=96)
        for _ in range(4):
            self.assertEqual(get_health(server.port).status, 200)
            self.assertEqual(call(server.port, "GET", "/v1/ready").status, 200)

        held = []
        try:
            for _ in range(150):
                # Those the server cannot accept wait in the backlog.
                held.append(connect(server.port, timeout=5))
            deadline = time.monotonic() + 5
            while "resource limit" not in server.log() and time.monotonic() < deadline:
                time.sleep(0.1)
            self.assertIn("resource limit", server.log(),
                          "no EMFILE with 150 connections under 96 descriptors")
        finally:
            for sock in held:
                sock.close()

        self.wait_for_health(server, within=5)
        reply = call(server.port, "GET", "/v1/ready")
        self.assertEqual(reply.status, 200, repr(reply))

    # Timeouts

    def test_idle_connections_are_closed_after_the_timeout(self):
        raise_own_fd_limit()
        server = self.start_server("--timeout", "2", "--max-connections-per-address", "4000")
        socks = []
        try:
            for _ in range(2000):
                socks.append(connect(server.port, timeout=5))
            opened = time.monotonic()
            for sock in socks:
                sock.setblocking(False)

            # While they sit there, someone else is answered.
            reply = get_health(server.port, timeout=2)
            self.assertEqual(reply.status, 200, repr(reply))

            poller = select.poll()
            by_fd = {sock.fileno(): sock for sock in socks}
            for fd in by_fd:
                poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
            open_fds = set(by_fd)
            deadline = opened + 6
            while open_fds and time.monotonic() < deadline:
                for fd, _ in poller.poll(200):
                    if fd in open_fds and closed_by_peer(by_fd[fd]):
                        open_fds.discard(fd)
                        poller.unregister(fd)
            self.assertEqual(len(open_fds), 0,
                             "%d of 2000 idle connections still open %.1f s after the last "
                             "was opened, with --timeout 2"
                             % (len(open_fds), time.monotonic() - opened))
        finally:
            for sock in socks:
                sock.close()
        self.assertEqual(get_health(server.port).status, 200)

    def test_slow_header_senders_are_closed_after_the_timeout(self):
        raise_own_fd_limit()
        server = self.start_server("--timeout", "2")
        socks = []
        try:
            for _ in range(300):
                sock = connect(server.port, timeout=5)
                socks.append(sock)
                sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")
            started = time.monotonic()
            for sock in socks:
                sock.setblocking(False)

            open_socks = set(socks)
            answered = 0
            checked_health = False
            deadline = started + 6.5
            while open_socks and time.monotonic() < deadline:
                time.sleep(0.5)
                for sock in list(open_socks):
                    try:
                        sock.send(b"X-a: b\r\n")
                    except (BrokenPipeError, ConnectionResetError):
                        open_socks.discard(sock)
                    except BlockingIOError:
                        pass
                poller = select.poll()
                for sock in open_socks:
                    poller.register(sock.fileno(), select.POLLIN | select.POLLHUP | select.POLLERR)
                by_fd = {sock.fileno(): sock for sock in open_socks}
                for fd, _ in poller.poll(0):
                    sock = by_fd[fd]
                    try:
                        data = sock.recv(4096)
                    except (ConnectionResetError, BrokenPipeError):
                        data = b""
                    except BlockingIOError:
                        continue
                    if data == b"":
                        open_socks.discard(sock)
                    else:
                        answered += 1
                if not checked_health and time.monotonic() - started > 1:
                    checked_health = True
                    reply = get_health(server.port, timeout=2)
                    self.assertEqual(reply.status, 200, repr(reply))

            self.assertEqual(len(open_socks), 0,
                             "%d of 300 clients sending a header line every 0.5 s are still "
                             "connected after %.1f s, with --timeout 2"
                             % (len(open_socks), time.monotonic() - started))
            self.assertEqual(answered, 0, "clients with no complete request got bytes back")
        finally:
            for sock in socks:
                sock.close()
        self.assertEqual(get_health(server.port).status, 200)

    # Keep-alive

    def test_keepalive_survives_a_204(self):
        server = self.start_server(allow_signup=True)
        conn = self.hold(http.client.HTTPConnection(HOST, server.port, timeout=10))

        reply = call(server.port, "POST", "/v1/accounts",
                     {"email": "keep@example.com", "password": PASSWORD}, conn=conn)
        self.assertEqual(reply.status, 201, repr(reply))
        api_token = reply.json()["token"]
        sock = conn.sock
        self.assertIsNotNone(sock, "the server closed the connection after the sign-up")
        local = sock.getsockname()

        reply = call(server.port, "POST", "/v1/tokens",
                     {"name": "gone soon", "scopes": ["read"], "expires_in_days": 30},
                     token=api_token, conn=conn)
        self.assertEqual(reply.status, 201, repr(reply))
        token_id = reply.json()["access_token"]["id"]
        self.assertIs(conn.sock, sock, "reconnected after the 201")

        reply = call(server.port, "DELETE", "/v1/tokens/%s" % token_id, token=api_token, conn=conn)
        self.assertEqual(reply.status, 204, repr(reply))
        self.assertEqual(reply.body, b"")
        self.assertIs(conn.sock, sock, "the connection was closed after the 204")

        reply = call(server.port, "GET", "/v1/tokens", token=api_token, conn=conn)
        self.assertEqual(reply.status, 200, repr(reply))
        self.assertEqual(reply.json()["total"], 0)
        self.assertIs(conn.sock, sock, "reconnected for the request after the 204")
        self.assertEqual(conn.sock.getsockname(), local)

    # The password queue and the rate limits

    def test_signup_flood_is_limited_and_sign_in_still_answers(self):
        # The flood gets 9 more accounts at most, and the password queue
        # keeps places for sign-ins, so the real sign-in waits for a few
        # hashes at most (it waited 16 s behind an unbounded queue).
        server = self.start_server(allow_signup=True)
        self.sign_up(server, "real@example.com")

        flood = [None] * 200
        sign_in = {}

        def sign_up_one(i):
            try:
                flood[i] = call(server.port, "POST", "/v1/accounts",
                                {"email": "flood%d@example.com" % i, "password": PASSWORD},
                                timeout=30)
            except (OSError, http.client.HTTPException) as e:
                flood[i] = e

        def sign_in_real():
            start = time.monotonic()
            try:
                sign_in["reply"] = call(server.port, "POST", "/v1/sessions",
                                        {"email": "real@example.com", "password": PASSWORD},
                                        timeout=30)
            except (OSError, http.client.HTTPException) as e:
                sign_in["reply"] = e
            sign_in["seconds"] = time.monotonic() - start

        threads = [threading.Thread(target=sign_up_one, args=(i,)) for i in range(200)]
        for i, thread in enumerate(threads):
            thread.start()
            if i == 20:
                signer = threading.Thread(target=sign_in_real)
                signer.start()
        for thread in threads + [signer]:
            thread.join(60)
            self.assertFalse(thread.is_alive(), "a request took more than a minute")

        statuses = {}
        for reply in flood:
            key = reply.status if isinstance(reply, Reply) else type(reply).__name__
            statuses[key] = statuses.get(key, 0) + 1
        summary = "the flood got %r" % statuses

        reply = sign_in["reply"]
        self.assertIsInstance(reply, Reply, repr(reply))
        self.assertEqual(reply.status, 201,
                         "sign-in during a sign-up flood: %r; %s" % (reply, summary))
        # A liveness bound, not a benchmark: generous for a loaded machine
        # (and a sanitizer build), still far from the 16 s it once took.
        self.assertLess(sign_in["seconds"], 10.0, "the sign-in took %.1f s" % sign_in["seconds"])

        self.assertLessEqual(statuses.get(201, 0), 9,
                             "10 sign-ups an hour per address, one used before; " + summary)
        for i, reply in enumerate(flood):
            self.assertIsInstance(reply, Reply, "sign-up %d: %r" % (i, reply))
            if reply.status == 201:
                continue
            elif reply.status == 429:
                self.assertError(reply, 429, "rate_limited")
                self.assertRetryAfter(reply)
            else:
                self.assertError(reply, 503, "unavailable", "sign-up %d: %r" % (i, reply))
                self.assertRetryAfter(reply)

    # The sign-up limit (10 per client address an hour) is checked and
    # counted in one step (ts_rate_limiter_take()): a check made apart
    # from the count let sign-ups answered at once on several threads all
    # pass it (after 5 sign-ups, 100 simultaneous ones got up to 9 × 201).
    # 8 threads make such a race near certain.
    def test_signup_limit_holds_for_simultaneous_sign_ups(self):
        server = self.start_server("--threads", "8", allow_signup=True)
        # Each round from its own loopback source address (the server is
        # still 127.0.0.1), so each starts with a fresh count; the race
        # does not show every time, ten rounds make it show.
        for round_ in range(10):
            source = ("127.0.0.%d" % (10 + round_), 0)

            def sign_up(email, conn=None):
                conn = conn or http.client.HTTPConnection(HOST, server.port, timeout=30,
                                                          source_address=source)
                try:
                    return call(server.port, "POST", "/v1/accounts",
                                {"email": email, "password": PASSWORD}, conn=conn)
                finally:
                    conn.close()

            for k in range(5):
                reply = sign_up("before%d-%d@example.com" % (round_, k))
                self.assertEqual(reply.status, 201, repr(reply))

            barrier = threading.Barrier(100, timeout=30)
            results = [None] * 100

            def one(i):
                try:
                    conn = http.client.HTTPConnection(HOST, server.port, timeout=30,
                                                      source_address=source)
                    conn.connect()
                    barrier.wait()
                    results[i] = sign_up("at-once%d-%d@example.com" % (round_, i), conn)
                except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as e:
                    results[i] = e

            threads = [threading.Thread(target=one, args=(i,)) for i in range(100)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
                self.assertFalse(thread.is_alive())
            statuses = {}
            for reply in results:
                self.assertIsInstance(reply, Reply, repr(reply))
                statuses[reply.status] = statuses.get(reply.status, 0) + 1
            self.assertLessEqual(statuses.get(201, 0), 5,
                                 "round %d: after 5 sign-ups from %s, 100 at once got %r"
                                 % (round_, source[0], statuses))

    def test_correct_passwords_are_not_rate_limited(self):
        server = self.start_server(allow_signup=True)
        self.sign_up(server, "many@example.com")

        barrier = threading.Barrier(16, timeout=30)
        results = [None] * 16

        def sign_in(i):
            seen = []
            try:
                barrier.wait()
                for _ in range(6):
                    reply = call(server.port, "POST", "/v1/sessions",
                                 {"email": "many@example.com", "password": PASSWORD}, timeout=30)
                    seen.append(reply)
                    if reply.status != 503:
                        break
                    time.sleep(int(reply.header("Retry-After") or "1"))
            except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as e:
                seen.append(e)
            results[i] = seen

        threads = [threading.Thread(target=sign_in, args=(i,)) for i in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
            self.assertFalse(thread.is_alive())

        for i, seen in enumerate(results):
            for reply in seen:
                self.assertIsInstance(reply, Reply, "sign-in %d: %r" % (i, reply))
                self.assertNotEqual(reply.status, 429,
                                    "a right password was rate limited: %r" % reply)
                if reply.status == 503:
                    self.assertError(reply, 503, "unavailable")
                    self.assertRetryAfter(reply)
            self.assertEqual(seen[-1].status, 201, "sign-in %d: %r" % (i, seen))

    def test_password_queue_full_answers_503(self):
        server = self.start_server(allow_signup=True)
        self.sign_up(server, "guessed@example.com")

        barrier = threading.Barrier(61, timeout=30)
        results = [None] * 60

        def guess(i):
            try:
                barrier.wait()
                results[i] = call(server.port, "POST", "/v1/sessions",
                                  {"email": "guessed@example.com", "password": "wrong %d!" % i},
                                  timeout=30)
            except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as e:
                results[i] = e

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(60)]
        for thread in threads:
            thread.start()
        barrier.wait()
        # While the hashing threads are busy, health does not wait for them.
        start = time.monotonic()
        reply = get_health(server.port, timeout=2)
        self.assertEqual(reply.status, 200)
        self.assertLess(time.monotonic() - start, 1.0)
        for thread in threads:
            thread.join(60)
            self.assertFalse(thread.is_alive())

        busy = 0
        for i, reply in enumerate(results):
            self.assertIsInstance(reply, Reply, "guess %d: %r" % (i, reply))
            self.assertIn(reply.status, (401, 429, 503), repr(reply))
            if reply.status == 503:
                self.assertError(reply, 503, "unavailable")
                self.assertRetryAfter(reply)
                busy += 1
            elif reply.status == 429:
                self.assertError(reply, 429, "rate_limited")
                self.assertRetryAfter(reply)
            else:
                self.assertError(reply, 401, "wrong_credentials")
        self.assertGreater(busy, 0, "60 simultaneous guesses and the queue never filled")

        start = time.monotonic()
        self.assertEqual(get_health(server.port, timeout=2).status, 200)
        self.assertLess(time.monotonic() - start, 1.0)

    # Strict input

    def test_strict_json_is_enforced(self):
        # Written against RFC 8259 and the "Strict input" rules of
        # data/tokens-api.yaml; the bodies are the bytes sent (JSON escapes
        # are left for the server to read).
        server = self.start_server(allow_signup=True)
        api_token = self.sign_up(server, "strict@example.com")
        before = self.token_total(server, api_token)

        bodies = [
            rb'{"name":"\udc00abc","scopes":["read"]}',
            rb'{"name":"a\u0000b","scopes":["read"]}',
            rb'{"name":"x","scopes":["read\u0000"]}',
            rb"{'name':'x','scopes':['read']}",
            rb'{"name":"x","scopes":["read"]}/*c*/',
            rb'{"name":"x","scopes":["read"]}{}',
            rb'{"name":"x","scopes":["read"],"expires_in_days":0x1E}',
            rb'{"name":"x","scopes":["read"],"expires_in_days":030}',
            rb'{"name":"x","scopes":["read"],"expires_in_days":1.5}',
            rb'{"name":"x","name":"y","scopes":["read"]}',
        ]
        for body in bodies:
            with self.subTest(body=body):
                reply = call(server.port, "POST", "/v1/tokens", body, token=api_token)
                self.assertError(reply, 400, "invalid_input")

        self.assertEqual(self.token_total(server, api_token), before,
                         "a refused body created a token")

    def test_nul_in_password_is_refused_not_truncated(self):
        server = self.start_server(allow_signup=True)
        body = rb'{"email":"nul@example.com","password":"abcdefgh\u0000long passphrase here"}'
        reply = call(server.port, "POST", "/v1/accounts", body)
        error = self.assertError(reply, 400, "invalid_input")
        self.assertIn("NUL", error["error"])

        reply = call(server.port, "POST", "/v1/sessions",
                     {"email": "nul@example.com", "password": "abcdefgh"})
        self.assertError(reply, 401, "wrong_credentials",
                         "an account was made with the password cut at the NUL: %r" % reply)

        self.sign_up(server, "nul@example.com", "a normal long passphrase")

    def test_nul_in_path_and_query_is_refused(self):
        server = self.start_server(allow_signup=True)
        api_token = self.sign_up(server, "path@example.com")
        token_id = self.create_token(server, api_token)["access_token"]["id"]

        reply = call(server.port, "GET", "/v1/tokens?page_size=5%00", token=api_token)
        self.assertError(reply, 400, "invalid_input")

        reply = call(server.port, "DELETE", "/v1/tokens/%s%%00" % token_id, token=api_token)
        self.assertEqual(reply.status, 404, repr(reply))
        self.assertEqual(reply.json()["code"], "not_found", repr(reply))
        reply = call(server.port, "GET", "/v1/tokens/%s" % token_id, token=api_token)
        self.assertEqual(reply.status, 200, "the token is gone after DELETE …%%00: %r" % reply)
        self.assertEqual(self.token_total(server, api_token), 1)

        reply = call(server.port, "GET", "/v1/tokens?page_size=5&page_size=6", token=api_token)
        self.assertError(reply, 400, "invalid_input")

    def test_duplicate_authorization_is_refused(self):
        server = self.start_server(allow_signup=True)
        api_token = self.sign_up(server, "twice@example.com")
        other = "tkapi_" + "A" * 38

        cases = {
            "the valid token twice": ["Authorization: Bearer " + api_token] * 2,
            "valid, then invalid": ["Authorization: Bearer " + api_token,
                                    "Authorization: Bearer " + other],
            "invalid, then valid": ["Authorization: Bearer " + other,
                                    "Authorization: Bearer " + api_token],
            "two Client-Token": ["Authorization: Bearer " + api_token,
                                 "Client-Token: tkcli_" + "B" * 38,
                                 "Client-Token: tkcli_" + "C" * 38],
        }
        for name, headers in cases.items():
            with self.subTest(name):
                conn = RawConn(server.port)
                try:
                    conn.send(request_bytes("GET", "/v1/tokens", headers=headers))
                    reply = conn.read_response()
                finally:
                    conn.close()
                self.assertError(reply, 400, "invalid_input")

    # Methods

    def test_head_is_answered_on_get_routes(self):
        server = self.start_server(allow_signup=True)
        api_token = self.sign_up(server, "head@example.com")

        for path, token in (("/v1/health", None), ("/v1/tokens", api_token)):
            with self.subTest(path):
                get = call(server.port, "GET", path, token=token)
                self.assertEqual(get.status, 200)
                conn = self.hold(RawConn(server.port))
                conn.send(request_bytes("HEAD", path, token=token))
                head = conn.read_response(head=True)
                self.assertEqual(head.status, 200, repr(head))
                self.assertEqual(head.header("Content-Type"), get.header("Content-Type"))
                self.assertEqual(head.header("Content-Length"), get.header("Content-Length"))
                self.assertEqual(int(head.header("Content-Length")), len(get.body))
                self.assertEqual(conn.state_after(0.3), "open",
                                 "bytes or a close after the HEAD answer: %r" % conn.buf)
                # The next answer on the connection starts right there.
                conn.send(request_bytes("GET", "/v1/health"))
                self.assertEqual(conn.read_response().status, 200)

        conn = self.hold(RawConn(server.port))
        conn.send(request_bytes("HEAD", "/v1/sessions"))
        reply = conn.read_response(head=True)
        self.assertEqual(reply.status, 405, repr(reply))
        allow = [m.strip() for m in (reply.header("Allow") or "").split(",")]
        self.assertIn("POST", allow, repr(reply))
        self.assertNotIn("GET", allow)
        self.assertEqual(conn.state_after(0.3), "open", "a body after a HEAD 405: %r" % conn.buf)

        for method, path, token in (("DELETE", "/v1/health", None),
                                    ("PUT", "/v1/tokens", api_token)):
            with self.subTest(method=method, path=path):
                reply = call(server.port, method, path, token=token)
                self.assertError(reply, 405, "method_not_allowed")
                allow = [m.strip() for m in (reply.header("Allow") or "").split(",")]
                self.assertIn("GET", allow, repr(reply))
                self.assertIn("HEAD", allow, repr(reply))

    # Below our layer

    def test_lower_layer_errors_do_not_kill_the_server(self):
        server = self.start_server()
        post = b"POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        cases = [
            ("garbage request line", b"GARBAGE\r\n\r\n"),
            ("NUL in the path", b"GET /v1/he\x00alth HTTP/1.1\r\nHost: x\r\n\r\n"),
            ("40 KiB header", b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: "
             + b"a" * (40 * 1024) + b"\r\n\r\n"),
            ("Content-Length: abc", post + b"Content-Length: abc\r\n\r\n{}"),
            ("Content-Length: -1", post + b"Content-Length: -1\r\n\r\n{}"),
            ("two Content-Length", post + b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{} "),
        ]
        observed = []
        for name, data in cases:
            conn = RawConn(server.port)
            try:
                try:
                    conn.send(data)
                except OSError as e:
                    observed.append((name, "send failed: %r" % e))
                try:
                    reply = conn.read_response()
                    observed.append((name, "%d %s" % (reply.status, reply.reason),
                                     reply.header("Content-Type"), reply.body[:120]))
                except EOFError:
                    observed.append((name, "closed without an answer"))
                except ConnectionResetError:
                    observed.append((name, "reset without an answer"))
                except socket.timeout:
                    observed.append((name, "no answer in 5 s"))
            finally:
                conn.close()
            self.assertEqual(get_health(server.port).status, 200, "after %s" % name)

        sys.stderr.write("\nWhat the server answers below our layer:\n")
        for entry in observed:
            sys.stderr.write("  %s\n" % (entry,))
        for entry in observed:
            self.assertFalse(entry[1][:1] == "2", "garbage was accepted: %r" % (entry,))

    # Message framing (RFC 9112 §6): found while writing the test above.

    # Two different Content-Length headers: libmicrohttpd 0.9.75 frames
    # the body by the first, so the bytes after it would be read as the
    # next request ("Content-Length: 0" then "Content-Length: 37" with a
    # GET /v1/ready as the "body" got two 200s). A proxy in front that
    # takes the last value sees one request (CL.CL request smuggling).
    # RFC 9112 §6.3: 400, then close the connection (ts-daemon.c).
    def test_conflicting_content_lengths_are_refused_and_closed(self):
        server = self.start_server()
        inner = b"GET /v1/ready HTTP/1.1\r\nHost: x\r\n\r\n"
        conn = self.hold(RawConn(server.port))
        conn.send(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Length: 0\r\nContent-Length: %d\r\n\r\n" % len(inner) + inner)
        try:
            reply = conn.read_response()
        except EOFError:
            reply = None    # closed without an answer: acceptable
        if reply is not None:
            self.assertEqual(reply.status, 400, "conflicting Content-Length accepted: %r" % reply)
        self.assertEqual(conn.state_after(2), "eof",
                         "the connection stays open, and the body was read as a request: %r"
                         % conn.buf[:200])

    # Both Transfer-Encoding: chunked and Content-Length: RFC 9112 §6.1
    # lets the server reject it, and says it MUST close the connection
    # after responding either way; ts-daemon.c answers 400 and closes.
    def test_content_length_beside_chunked_closes_the_connection(self):
        server = self.start_server()
        conn = self.hold(RawConn(server.port))
        conn.send(b"POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        try:
            reply = conn.read_response()
            self.assertNotEqual(reply.status // 100, 2, repr(reply))
        except EOFError:
            pass
        self.assertEqual(conn.state_after(2), "eof",
                         "the connection stays open after a request with both "
                         "Transfer-Encoding and Content-Length")

    # LIBRARY BUG (libmicrohttpd 0.9.75, before any callback of ours): an
    # unparsable Content-Length
    # ("abc", "-1", "2, 2") gets a malformed answer: the status line and
    # headers are written twice, then the HTML page:
    #   HTTP/1.1 400 Bad Request\r\nDate: …\r\nConnection: close\r\n
    #   Content-Length: 138\r\n\r\nHTTP/1.1 400 Bad Request\r\nDate: …\r\n
    #   Connection: close\r\nContent-Length: 138\r\n\r\n<html>…</html>
    # so the client reads the second header block as the body, and 138
    # bytes are not what follows. Expected: one 400 whose body is the page
    # (or ours, JSON), then the close.
    @unittest.expectedFailure
    def test_bad_content_length_gets_one_well_formed_answer(self):
        server = self.start_server()
        conn = self.hold(RawConn(server.port))
        conn.send(b"GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n")
        reply = conn.read_response()
        self.assertEqual(reply.status, 400, repr(reply))
        self.assertFalse(reply.body.startswith(b"HTTP/"),
                         "the answer's headers are sent twice: %r" % reply.body)
        self.assertEqual(conn.state_after(2), "eof",
                         "bytes after the 400's body: %r" % conn.buf[:200])

    # Body limits

    def test_body_too_large_is_answered_with_413(self):
        server = self.start_server(allow_signup=True)
        api_token = self.sign_up(server, "big@example.com")
        big = json.dumps({"name": "x", "scopes": ["read"], "pad": "a" * (20 * 1024)}).encode()

        # Over the limit by a little: read and dropped, then answered.
        conn = self.hold(RawConn(server.port))
        conn.send(request_bytes("POST", "/v1/tokens", big, token=api_token))
        reply = conn.read_response()
        self.assertError(reply, 413, "too_large")
        try:
            conn.send(request_bytes("GET", "/v1/health"))
            after = conn.read_response()
            self.assertEqual(after.status, 200, repr(after))
        except EOFError:
            pass     # closed cleanly after the 413: fine too
        except (ConnectionResetError, BrokenPipeError) as e:
            self.fail("the connection was reset after the 413: %r" % e)

        # Far over by its Content-Length: answered before the body, then closed.
        conn = self.hold(RawConn(server.port))
        head = request_bytes("POST", "/v1/tokens", None, token=api_token,
                             headers=["Content-Type: application/json",
                                      "Content-Length: %d" % (5 * 1024 * 1024)])
        conn.send(head)
        reply = conn.read_response()
        self.assertError(reply, 413, "too_large")
        self.assertEqual(conn.state_after(3), "eof", "the connection stays open after a 5 MiB 413")

        # Chunked, over the limit.
        conn = self.hold(RawConn(server.port))
        head = request_bytes("POST", "/v1/tokens", None, token=api_token,
                             headers=["Content-Type: application/json",
                                      "Transfer-Encoding: chunked"])
        chunks = b"".join(b"%x\r\n%s\r\n" % (len(big[i:i + 4096]), big[i:i + 4096])
                          for i in range(0, len(big), 4096))
        conn.send(head + chunks + b"0\r\n\r\n")
        reply = conn.read_response()
        self.assertError(reply, 413, "too_large")
        self.assertEqual(self.token_total(server, api_token), 0)

    def test_a_burst_of_guesses_is_cut_short(self):
        # Only failed sign-ins count, once they have failed: guesses sent
        # all at once must not all get a try before the first one fails.
        server = self.start_server(allow_signup=True)
        self.sign_up(server, "burst@example.com")
        reply = call(server.port, "POST", "/v1/sessions",
                     {"email": "burst@example.com", "password": "wrong first"})
        self.assertError(reply, 401, "wrong_credentials")

        barrier = threading.Barrier(12, timeout=30)
        results = [None] * 12

        def guess(i):
            try:
                barrier.wait()
                results[i] = call(server.port, "POST", "/v1/sessions",
                                  {"email": "burst@example.com", "password": "wrong %d" % i},
                                  timeout=30)
            except (OSError, http.client.HTTPException, threading.BrokenBarrierError) as e:
                results[i] = e

        threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
            self.assertFalse(thread.is_alive())

        tried = 0
        for reply in results:
            self.assertIsInstance(reply, Reply, repr(reply))
            self.assertIn(reply.status, (401, 429, 503), repr(reply))
            tried += reply.status == 401
        # One failure before, so four more tries at most: five in all.
        self.assertLessEqual(tried, 4, repr([r.status for r in results]))

        reply = call(server.port, "POST", "/v1/sessions",
                     {"email": "burst@example.com", "password": "one more"})
        self.assertError(reply, 429, "rate_limited")
        self.assertRetryAfter(reply)

    def test_unknown_transfer_coding_is_refused_and_closed(self):
        # libmicrohttpd would read such a body until the connection ends.
        server = self.start_server(allow_signup=True)
        conn = self.hold(RawConn(server.port))
        conn.send(b"POST /v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  b"Transfer-Encoding: gzip\r\n\r\n" + b"x" * 4096)
        reply = conn.read_response()
        self.assertError(reply, 400, "invalid_input")
        self.assertIn("chunked", reply.json()["error"])
        self.assertIn(conn.state_after(3), ("eof", "reset"))

    def test_expect_continue_with_a_large_body_is_refused_at_once(self):
        server = self.start_server(allow_signup=True)
        api_token = self.sign_up(server, "expect@example.com")
        conn = self.hold(RawConn(server.port))
        conn.send(request_bytes("POST", "/v1/tokens", None, token=api_token,
                                headers=["Content-Type: application/json",
                                         "Content-Length: %d" % (20 * 1024),
                                         "Expect: 100-continue"]))
        reply = conn.read_response()
        # No "100 Continue" asking for a body that would be dropped.
        self.assertError(reply, 413, "too_large")
        self.assertEqual(conn.state_after(3), "eof")

    def test_an_endless_chunked_body_is_cut_off(self):
        server = self.start_server(allow_signup=True)
        api_token = self.sign_up(server, "endless@example.com")
        conn = self.hold(RawConn(server.port, timeout=10))
        conn.send(request_bytes("POST", "/v1/tokens", None, token=api_token,
                                headers=["Content-Type: application/json",
                                         "Transfer-Encoding: chunked"]))
        chunk = b"%x\r\n%s\r\n" % (65536, b"a" * 65536)
        closed = False
        try:
            for _ in range(64):          # 4 MiB at most
                conn.send(chunk)
        except (BrokenPipeError, ConnectionResetError):
            closed = True
        if not closed:
            self.assertIn(conn.state_after(5), ("eof", "reset"))
        self.assertEqual(get_health(server.port).status, 200)

    def test_dual_stack_listen_takes_ipv4(self):
        binary = os.environ["TOKENS_SERVER_BIN"]
        with tempfile.TemporaryDirectory(prefix="tokens-dual-") as folder:
            proc = subprocess.Popen([binary, "--database", os.path.join(folder, "t.db"),
                                     "--listen", "[::]:0"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            try:
                line = proc.stdout.readline().decode().strip()
                self.assertTrue(line.startswith("listening on http://[::]:"), line)
                port = int(line.rsplit(":", 1)[1])
                self.assertEqual(get_health(port).status, 200)
            finally:
                proc.send_signal(signal.SIGTERM)
                self.assertEqual(proc.wait(15), 0)
                proc.stdout.close()

    def test_client_address_from_a_trusted_proxy_only(self):
        # Behind nginx every client has nginx's address: with
        # --trusted-proxy, the X-Real-IP it sets counts instead; without
        # it, a client's own X-Real-IP is ignored.
        made = [0]

        def sign_ups(server, addresses):
            statuses = []
            for address in addresses:
                made[0] += 1
                reply = call(server.port, "POST", "/v1/accounts",
                             {"email": "proxied%d@example.com" % made[0], "password": PASSWORD},
                             headers={"X-Real-IP": address})
                statuses.append(reply.status)
            return statuses

        plain = self.start_server(allow_signup=True)
        statuses = sign_ups(plain, ["192.0.2.%d" % i for i in range(1, 12)])
        self.assertEqual(statuses, [201] * 10 + [429], "X-Real-IP from anyone was believed")

        proxied = self.start_server("--trusted-proxy", "127.0.0.0/8", allow_signup=True)
        statuses = sign_ups(proxied, ["192.0.2.7"] * 11)
        self.assertEqual(statuses, [201] * 10 + [429])
        # Another client behind the same proxy is not locked out …
        self.assertEqual(sign_ups(proxied, ["198.51.100.1"]), [201])
        # … but one IPv6 /64 is one client.
        statuses = sign_ups(proxied, ["2001:db8:1:2::%x" % i for i in range(1, 12)])
        self.assertEqual(statuses, [201] * 10 + [429])
        # Nonsense in the header: the proxy's own address counts.
        self.assertEqual(sign_ups(proxied, ["not an address"]), [201])

    def test_a_quiet_start_logs_nothing_from_the_library(self):
        # Whatever libmicrohttpd says goes through our logger (made safe,
        # thinned); a start and a request give it nothing to say.
        server = self.start_server()
        self.assertEqual(get_health(server.port).status, 200)
        self.assertNotIn("HTTP:", server.log())


if __name__ == "__main__":
    unittest.main(verbosity=2)
