#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test_instances.py — several tokens-server instances on one PostgreSQL
# database (README.md, "Run several instances"): what one instance does is
# honoured by the other on the very next request, races between them end
# with exactly one winner and a consistent token, a lost database makes
# both fail fast and both recover by themselves, a killed instance leaves
# the other serving and no token half-renewed, and Debian's nginx balances
# over both and goes around one that stops.
#
# Run it through harness/with-postgres, which starts a private cluster and
# exports TOKENS_TEST_POSTGRES (a libpq URI without a database),
# TOKENS_TEST_POSTGRES_DATA and TOKENS_TEST_POSTGRES_BINDIR; this test
# stops and starts that cluster with pg_ctl itself (as user postgres when
# run as root). Every test makes a database of its own with createdb.
# Standard library only.
#
#   TOKENS_SERVER_BIN=_build/src/server/tokens-server \
#     tests/harness/with-postgres /usr/bin/python3 tests/server/test_instances.py -v

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_http_layer import HOST, PASSWORD, call  # noqa: E402
from tt_process import NGINX, read_listen_port, start_nginx, stop_nginx  # noqa: E402

NULL_NOT_ALLOWED = {"error": "null not allowed"}


def _die_with_parent():
    # A test that dies must not leave its servers running.
    import ctypes
    ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


# The cluster of harness/with-postgres

class Cluster:
    """The cluster with-postgres started: new databases, stop and start."""

    def __init__(self):
        self.uri = os.environ.get("TOKENS_TEST_POSTGRES", "")
        self.data = os.environ.get("TOKENS_TEST_POSTGRES_DATA", "")
        self.bindir = os.environ.get("TOKENS_TEST_POSTGRES_BINDIR", "/usr/lib/postgresql/15/bin")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(self.uri).query)
        self.host = query.get("host", [""])[0]
        self.user = query.get("user", ["postgres"])[0]
        # with-postgres keeps its log beside the data folder.
        self.log = os.path.join(os.path.dirname(self.data), "pg.log")
        self.counter = 0

    def usable(self):
        return bool(self.uri and self.data and self.host and os.path.isdir(self.data))

    def _as_postgres(self, argv):
        if os.getuid() == 0:
            argv = ["runuser", "-u", "postgres", "--"] + argv
        return subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=60)

    def create_database(self):
        self.counter += 1
        name = "instances_%d_%d" % (os.getpid(), self.counter)
        done = subprocess.run([os.path.join(self.bindir, "createdb"), "-h", self.host,
                               "-U", self.user, name],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        if done.returncode != 0:
            raise AssertionError("createdb %s: %s" % (name, done.stdout.decode(errors="replace")))
        return "postgresql:///%s?host=%s&user=%s" % (name, self.host, self.user)

    def running(self):
        return os.path.exists(os.path.join(self.data, "postmaster.pid"))

    def stop(self):
        # fast: every session is ended at once, as when a database host
        # goes away under its clients.
        done = self._as_postgres([os.path.join(self.bindir, "pg_ctl"), "-D", self.data,
                                  "-w", "-s", "-m", "fast", "stop"])
        if done.returncode != 0:
            raise AssertionError("pg_ctl stop: " + done.stdout.decode(errors="replace"))

    def start(self):
        # The options with-postgres starts it with.
        done = self._as_postgres([os.path.join(self.bindir, "pg_ctl"), "-D", self.data,
                                  "-w", "-s", "-l", self.log,
                                  "-o", "-k %s -c listen_addresses='' -c fsync=off "
                                        "-c synchronous_commit=off -c full_page_writes=off"
                                        % self.host,
                                  "start"])
        if done.returncode != 0:
            raise AssertionError("pg_ctl start: " + done.stdout.decode(errors="replace"))


CLUSTER = Cluster()


# One tokens-server on a PostgreSQL database

class Instance:
    """tokens-server on 127.0.0.1:0, --database a PostgreSQL URI."""

    def __init__(self, name, database, *args):
        binary = os.environ.get("TOKENS_SERVER_BIN")
        if not binary:
            raise unittest.SkipTest("TOKENS_SERVER_BIN is not set")
        self.name = name
        self.dir = tempfile.TemporaryDirectory(prefix="tokens-instance-")
        self.log_path = os.path.join(self.dir.name, "server.log")
        self.command = [binary, "--database", database, "--listen", HOST + ":0",
                        "--allow-signup"] + list(args)
        self.log_file = open(self.log_path, "wb")
        self.proc = subprocess.Popen(self.command, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=self.log_file,
                                     preexec_fn=_die_with_parent)
        self.port = self._read_port()

    def _read_port(self):
        port, text = read_listen_port(self.proc)
        if port is None:
            self.proc.kill()
            self.proc.wait(10)
            raise AssertionError("instance %s did not start: %r\n%s" % (self.name, text, self.log()))
        return port

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def alive(self):
        return self.proc.poll() is None

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self):
        """SIGTERM; the exit status (-9 when it was killed)."""
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


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


@unittest.skipUnless(CLUSTER.usable(), "not under harness/with-postgres")
class InstancesTest(unittest.TestCase):

    def setUp(self):
        self.killed = set()
        self.database = CLUSTER.create_database()
        # One after the other: the first one makes the schema.
        self.a = self.start_instance("A")
        self.b = self.start_instance("B")
        reply = call(self.a.port, "POST", "/v1/accounts",
                     {"email": "team@example.com", "password": PASSWORD})
        self.assertEqual(reply.status, 201, repr(reply))
        self.api_key = reply.json()["token"]

    def start_instance(self, name):
        instance = Instance(name, self.database)
        self.addCleanup(self._stop_instance, instance)
        return instance

    def _stop_instance(self, instance):
        status = instance.stop()
        log = instance.log()
        instance.dir.cleanup()
        if instance.name not in self.killed:
            self.assertEqual(status, 0, "instance %s did not stop cleanly:\n%s" % (instance.name, log))
        bad = [line for line in log.splitlines()
               if "CRITICAL" in line or "AddressSanitizer" in line or "runtime error" in line]
        self.assertEqual(bad, [], "instance %s logged:\n%s" % (instance.name, log))

    # Helpers

    def make_token(self, server, scopes=("read",)):
        reply = call(server.port, "POST", "/v1/tokens",
                     {"name": "t", "scopes": list(scopes), "expires_in_days": 30},
                     token=self.api_key)
        self.assertEqual(reply.status, 201, repr(reply))
        body = reply.json()
        return body["token"], body["access_token"]["id"]

    def verify(self, server, secret):
        return call(server.port, "GET", "/v1/tokens/verify", token=secret)

    def assertVerifies(self, server, secret, previous=False, msg=""):
        reply = self.verify(server, secret)
        self.assertEqual(reply.status, 200, "%s on %s: %r" % (msg, server.name, reply))
        self.assertEqual(reply.json()["is_previous"], previous, "%s on %s: %r" % (msg, server.name, reply))

    def assertRefused(self, server, secret, msg=""):
        reply = self.verify(server, secret)
        self.assertEqual(reply.status, 401, "%s on %s: %r" % (msg, server.name, reply))
        self.assertEqual(reply.json()["code"], "unauthorized", repr(reply))

    def get_token(self, server, token_id):
        reply = call(server.port, "GET", "/v1/tokens/%d" % token_id, token=self.api_key)
        self.assertEqual(reply.status, 200, repr(reply))
        return reply.json()

    def renew(self, server, token_id, delete_old):
        reply = call(server.port, "POST", "/v1/tokens/%d/renew" % token_id,
                     {"delete_old": delete_old}, token=self.api_key)
        self.assertEqual(reply.status, 200, repr(reply))
        return reply.json()["token"]

    # What one instance does, the other honours at once

    def test_token_made_on_one_is_verified_and_revoked_on_the_other(self):
        secret, token_id = self.make_token(self.a)
        self.assertVerifies(self.b, secret, msg="made on A")

        # Used on A first, so that A had every chance to remember it.
        self.assertVerifies(self.a, secret)
        reply = call(self.b.port, "DELETE", "/v1/tokens/%d" % token_id, token=self.api_key)
        self.assertEqual(reply.status, 204, repr(reply))
        self.assertRefused(self.a, secret, "revoked on B, the very next request")
        self.assertRefused(self.b, secret)
        reply = call(self.a.port, "GET", "/v1/tokens/%d" % token_id, token=self.api_key)
        self.assertEqual(reply.status, 404, repr(reply))

    def test_renewal_on_one_and_deletion_of_the_old_secret_on_the_other(self):
        old, token_id = self.make_token(self.a)
        self.assertVerifies(self.a, old)
        new = self.renew(self.a, token_id, "later")
        self.assertVerifies(self.b, new, msg="renewed on A")
        self.assertVerifies(self.b, old, previous=True, msg="kept by the renewal on A")
        self.assertIsNotNone(self.get_token(self.b, token_id)["previous"])

        reply = call(self.b.port, "DELETE", "/v1/tokens/%d/previous" % token_id, token=self.api_key)
        self.assertEqual(reply.status, 200, repr(reply))
        self.assertIsNone(reply.json()["previous"])
        self.assertRefused(self.a, old, "old secret deleted on B, the very next request")
        self.assertVerifies(self.a, new)
        self.assertIsNone(self.get_token(self.a, token_id)["previous"])

    def test_undo_racing_deletion_of_the_old_secret_has_one_winner(self):
        current, token_id = self.make_token(self.a)
        wins = {"undo": 0, "delete": 0}
        for round_ in range(20):
            new = self.renew(self.a, token_id, "later")
            old = current
            replies = {}
            barrier = threading.Barrier(2, timeout=10)

            def race(what, server, method, path):
                conn = http.client.HTTPConnection(HOST, server.port, timeout=15)
                try:
                    conn.connect()
                    barrier.wait()
                    replies[what] = call(server.port, method, path, token=self.api_key, conn=conn)
                except Exception as e:  # reported below, in the test's thread
                    replies[what] = e
                finally:
                    conn.close()

            threads = [threading.Thread(target=race, args=("undo", self.a, "POST",
                                                           "/v1/tokens/%d/undo-renewal" % token_id)),
                       threading.Thread(target=race, args=("delete", self.b, "DELETE",
                                                           "/v1/tokens/%d/previous" % token_id))]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            statuses = {what: getattr(reply, "status", reply) for what, reply in replies.items()}
            what = "round %d: %r" % (round_, replies)
            self.assertEqual(sorted(statuses), ["delete", "undo"], what)
            winners = [w for w, s in statuses.items() if s == 200]
            self.assertEqual(len(winners), 1, what)
            loser = "delete" if winners[0] == "undo" else "undo"
            self.assertIn(statuses[loser], (404, 409), what)
            wins[winners[0]] += 1

            # The same token on both, in the winner's state.
            on_a = self.get_token(self.a, token_id)
            on_b = self.get_token(self.b, token_id)
            self.assertEqual(on_a, on_b, what)
            self.assertIsNone(on_a["previous"], what)
            if winners[0] == "undo":
                self.assertEqual(on_a["last4"], old[-4:], what)
                for server in (self.a, self.b):
                    self.assertVerifies(server, old, msg=what + ", undone")
                    self.assertRefused(server, new, what + ", undone")
                current = old
            else:
                self.assertEqual(on_a["last4"], new[-4:], what)
                for server in (self.a, self.b):
                    self.assertVerifies(server, new, msg=what + ", old deleted")
                    self.assertRefused(server, old, what + ", old deleted")
                current = new
        sys.stderr.write("(undo won %d, delete won %d) " % (wins["undo"], wins["delete"]))

    def test_security_token_activated_on_one_is_required_by_the_other(self):
        reply = call(self.b.port, "GET", "/v1/tokens", token=self.api_key)
        self.assertEqual(reply.status, 200, repr(reply))

        reply = call(self.a.port, "POST", "/v1/security/client-token", token=self.api_key)
        self.assertEqual(reply.status, 201, repr(reply))
        client_token = reply.json()["token"]
        reply = call(self.a.port, "POST", "/v1/security/client-token/activate", token=self.api_key,
                     headers={"Client-Token": client_token})
        self.assertEqual(reply.status, 200, repr(reply))

        reply = call(self.b.port, "GET", "/v1/tokens", token=self.api_key)
        self.assertEqual(reply.status, 403, repr(reply))
        self.assertEqual(reply.json(), NULL_NOT_ALLOWED, repr(reply))
        reply = call(self.b.port, "GET", "/v1/tokens", token=self.api_key,
                     headers={"Client-Token": client_token})
        self.assertEqual(reply.status, 200, repr(reply))

    # Each instance keeps the tokens it looked up (ts-verify-cache.c). What
    # another instance changes must still be refused on the very next
    # request: many rounds, each change made on B right after A used the
    # token, and asked of A the moment B has answered.
    def test_every_change_on_one_is_honoured_by_the_next_request_on_the_other(self):
        def gateway(server, secret, scope):
            return call(server.port, "GET", "/v1/gateway/check?scope=" + scope, token=secret).status

        api_key = self.api_key
        for round_ in range(25):
            what = "round %d" % round_
            secret, token_id = self.make_token(self.b, scopes=("read",))
            for _ in range(2):
                self.assertVerifies(self.a, secret, msg=what)
                self.assertEqual(gateway(self.a, secret, "read"), 204, what)

            # Scopes edited on B: A asks for them at once.
            reply = call(self.b.port, "PATCH", "/v1/tokens/%d" % token_id,
                         {"scopes": ["write"]}, token=api_key)
            self.assertEqual(reply.status, 200, repr(reply))
            self.assertEqual(gateway(self.a, secret, "read"), 403, what + ", read taken away on B")
            self.assertEqual(gateway(self.a, secret, "write"), 204, what + ", write given on B")

            # Renewed now on B: the old secret is gone on A.
            new = self.renew(self.b, token_id, "now")
            self.assertRefused(self.a, secret, what + ", renewed now on B")
            self.assertVerifies(self.a, new, msg=what + ", the new secret")

            # Revoked on B.
            reply = call(self.b.port, "DELETE", "/v1/tokens/%d" % token_id, token=api_key)
            self.assertEqual(reply.status, 204, repr(reply))
            self.assertRefused(self.a, new, what + ", revoked on B")

            # The account API token itself, reset on B after A used it.
            self.assertEqual(call(self.a.port, "GET", "/v1/me", token=api_key).status, 200)
            reply = call(self.b.port, "POST", "/v1/me/api-key/reset", token=api_key)
            self.assertEqual(reply.status, 200, repr(reply))
            reply_a = call(self.a.port, "GET", "/v1/me", token=api_key)
            self.assertEqual(reply_a.status, 401, what + ", API token reset on B: %r" % reply_a)
            api_key = self.api_key = reply.json()["token"]

    def psql(self, sql):
        done = subprocess.run([os.path.join(CLUSTER.bindir, "psql"), "-X", "-q",
                               "-v", "ON_ERROR_STOP=1", self.database, "-c", sql],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=60)
        self.assertEqual(done.returncode, 0, done.stdout.decode(errors="replace"))

    # The cache is used, and it is the database's trigger that keeps it
    # true: a row deleted with the trigger switched off is still honoured
    # by A, which kept it (B, which never looked, refuses it); any change
    # made with the trigger on — here by a person at psql — reaches A at once.
    def test_the_cache_is_kept_true_by_the_database_not_by_the_instances(self):
        secret, token_id = self.make_token(self.a)
        self.assertVerifies(self.a, secret)
        self.assertVerifies(self.a, secret)

        self.psql("BEGIN; ALTER TABLE credentials DISABLE TRIGGER credentials_changed;"
                  " DELETE FROM credentials WHERE access_token_id = %d;"
                  " ALTER TABLE credentials ENABLE ALWAYS TRIGGER credentials_changed; COMMIT" % token_id)
        self.assertVerifies(self.a, secret, msg="deleted without a notification: A kept it")
        self.assertRefused(self.b, secret, "B never kept it")

        self.psql("UPDATE access_tokens SET name = 'renamed at psql' WHERE id = %d" % token_id)
        self.assertRefused(self.a, secret, "a change of the account at psql, the very next request")

        # last_used_at alone notifies no one (verify writes it once a minute).
        other, other_id = self.make_token(self.a)
        self.assertVerifies(self.a, other)
        self.psql("BEGIN; ALTER TABLE credentials DISABLE TRIGGER credentials_changed;"
                  " DELETE FROM credentials WHERE access_token_id = %d;"
                  " ALTER TABLE credentials ENABLE ALWAYS TRIGGER credentials_changed; COMMIT" % other_id)
        self.psql("UPDATE credentials SET last_used_at = last_used_at + 1")
        self.assertVerifies(self.a, other, msg="only last_used_at changed: still kept")

        # A restore or a replica (session_replication_role = replica) still notifies.
        third, third_id = self.make_token(self.a)
        self.assertVerifies(self.a, third)
        self.psql("SET session_replication_role = replica;"
                  " DELETE FROM credentials WHERE access_token_id = %d" % third_id)
        self.assertRefused(self.a, third, "deleted as a replica would, the very next request")

        # TRUNCATE, last (it takes the account's own API token with it).
        fourth, _ = self.make_token(self.a)
        self.assertVerifies(self.a, fourth)
        self.psql("TRUNCATE credentials")
        self.assertRefused(self.a, fourth, "credentials truncated, the very next request")

    # Failed sign-ins are counted in the database, shared by every instance.
    def test_wrong_passwords_on_both_are_limited_as_one_account(self):
        wrong = {"email": "team@example.com", "password": "not the password"}
        servers = (self.a, self.b)
        for attempt in range(5):
            reply = call(servers[attempt % 2].port, "POST", "/v1/sessions", wrong)
            self.assertEqual(reply.status, 401, "attempt %d: %r" % (attempt + 1, reply))
        for server in servers:
            reply = call(server.port, "POST", "/v1/sessions", wrong)
            self.assertEqual(reply.status, 429, "after 5 failures over A and B, on %s: %r"
                             % (server.name, reply))
            self.assertEqual(reply.json()["code"], "rate_limited")
            self.assertTrue((reply.header("Retry-After") or "").isdigit(), repr(reply))

    # The database goes away and comes back

    def assertUnavailable(self, reply, what):
        self.assertEqual(reply.status, 503, "%s: %r" % (what, reply))
        self.assertTrue((reply.header("Content-Type") or "").startswith("application/json"), repr(reply))
        self.assertEqual(reply.json()["code"], "unavailable", "%s: %r" % (what, reply))
        retry = reply.header("Retry-After") or ""
        self.assertTrue(retry.isdigit() and int(retry) >= 1, "%s: Retry-After %r" % (what, reply))

    def test_both_fail_fast_without_the_database_and_recover_without_restart(self):
        secret, _ = self.make_token(self.a)
        for server in (self.a, self.b):
            self.assertVerifies(server, secret)
            self.assertEqual(call(server.port, "GET", "/v1/ready").status, 200)

        CLUSTER.stop()
        self.addCleanup(lambda: CLUSTER.running() or CLUSTER.start())
        # Each request on a fresh connection, more than there are server
        # threads: every thread's own database connection has gone.
        for server in (self.a, self.b):
            for i in range(6):
                start = time.monotonic()
                reply = call(server.port, "GET", "/v1/tokens/verify", token=secret, timeout=15)
                took = time.monotonic() - start
                self.assertUnavailable(reply, "verify %d on %s without the database" % (i, server.name))
                self.assertLess(took, 10, "verify on %s took %.1f s without the database"
                                % (server.name, took))
            start = time.monotonic()
            reply = call(server.port, "GET", "/v1/tokens", token=self.api_key, timeout=15)
            self.assertUnavailable(reply, "list on %s without the database" % server.name)
            self.assertLess(time.monotonic() - start, 10)
            self.assertEqual(call(server.port, "GET", "/v1/health").status, 200)
            self.assertUnavailable(call(server.port, "GET", "/v1/ready", timeout=15),
                                   "ready on %s without the database" % server.name)

        CLUSTER.start()
        started = time.monotonic()
        for server in (self.a, self.b):
            while True:
                reply = call(server.port, "GET", "/v1/tokens/verify", token=secret, timeout=15)
                if reply.status == 200:
                    break
                self.assertEqual(reply.status, 503, repr(reply))
                self.assertLess(time.monotonic() - started, 5,
                                "%s still answers %r 5 s after the database is back"
                                % (server.name, reply))
                time.sleep(0.1)
        recovered = time.monotonic() - started
        # Once back, every thread serves: no stale connection left over.
        for server in (self.a, self.b):
            for i in range(10):
                self.assertVerifies(server, secret, msg="request %d after recovery" % i)
            self.assertEqual(call(server.port, "GET", "/v1/ready").status, 200)
            self.assertEqual(call(server.port, "GET", "/v1/tokens", token=self.api_key).status, 200)
        self.assertTrue(self.a.alive() and self.b.alive())
        sys.stderr.write("(both served again %.2f s after the start) " % recovered)

    # An instance killed in the middle of its work

    def test_kill_of_one_instance_mid_renewal_leaves_the_other_serving_and_tokens_whole(self):
        # Per token, what the client knows: its current and previous
        # secrets, and when a reply was lost, the state before the request
        # and what the request would have made of it (None: a secret the
        # client never saw).
        tokens = {}
        for _ in range(6):
            secret, token_id = self.make_token(self.a)
            tokens[token_id] = {"current": secret, "previous": None, "pending": None,
                                "seen": {secret}}
        ids = sorted(tokens)
        stop = threading.Event()
        counts = {"ops": 0, "lost": 0}
        failures = []

        def worker(own_ids):
            conn = http.client.HTTPConnection(HOST, self.a.port, timeout=10)
            try:
                run(own_ids, conn)
            finally:
                conn.close()

        def run(own_ids, conn):
            step = 0
            while not stop.is_set():
                token_id = own_ids[step % len(own_ids)]
                state = tokens[token_id]
                if state["pending"] is not None:
                    return      # A is gone: this token's last reply was lost
                if state["previous"] is None:
                    kind = ("renew-later", "renew-now")[step // len(own_ids) % 2]
                    method, path = "POST", "/v1/tokens/%d/renew" % token_id
                    body = {"delete_old": kind[6:]}
                else:
                    kind = ("undo", "delete-previous")[step // len(own_ids) % 2]
                    method = "POST" if kind == "undo" else "DELETE"
                    path = "/v1/tokens/%d/%s" % (token_id, "undo-renewal" if kind == "undo" else "previous")
                    body = None
                step += 1
                before = (state["current"], state["previous"])
                if kind == "renew-later":
                    after = (None, before[0])
                elif kind == "renew-now":
                    after = (None, None)
                elif kind == "undo":
                    after = (before[1], None)
                else:
                    after = (before[0], None)
                try:
                    reply = call(self.a.port, method, path, body, token=self.api_key, conn=conn)
                except (OSError, http.client.HTTPException):
                    state["pending"] = (before, after)
                    counts["lost"] += 1
                    return
                if reply.status != 200:
                    failures.append("%s of %d on A: %r" % (kind, token_id, reply))
                    stop.set()
                    return
                counts["ops"] += 1
                if kind.startswith("renew"):
                    secret = reply.json()["token"]
                    state["seen"].add(secret)
                    after = (secret, after[1])
                state["current"], state["previous"] = after

        threads = [threading.Thread(target=worker, args=(ids[i::2],)) for i in range(2)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        self.killed.add("A")
        self.a.kill()
        # B serves while and after A dies.
        reply = call(self.b.port, "GET", "/v1/tokens", token=self.api_key)
        self.assertEqual(reply.status, 200, repr(reply))
        stop.set()
        for t in threads:
            t.join(30)
        self.assertEqual(failures, [])
        self.assertGreater(counts["ops"], 0, "no renewal finished in 0.5 s")
        sys.stderr.write("(%d operations answered, %d lost with A) " % (counts["ops"], counts["lost"]))

        for token_id, state in tokens.items():
            seen = self.get_token(self.b, token_id)
            states = [(state["current"], state["previous"])]
            if state["pending"] is not None:
                states = list(state["pending"])
            matches = [s for s in states if self._token_is_in(token_id, seen, s, state["seen"])]
            self.assertEqual(len(matches), 1,
                             "token %d on B is %r, the client expected one of %r"
                             % (token_id, seen, states))

    def _token_is_in(self, token_id, seen, state, secrets):
        """Whether the token as B shows it and verifies it is in state
        (current, previous); every other secret it had must be refused."""
        current, previous = state
        if (seen["previous"] is None) != (previous is None):
            return False
        if previous is not None and seen["previous"]["last4"] != previous[-4:]:
            return False
        if current is not None and seen["last4"] != current[-4:]:
            return False
        if current is None and any(seen["last4"] == s[-4:] for s in secrets):
            return False    # a renewal that happened has a secret the client never saw
        for secret in secrets:
            reply = self.verify(self.b, secret)
            if secret == current:
                self.assertEqual((reply.status, reply.json().get("is_previous")), (200, False),
                                 "current secret of token %d: %r" % (token_id, reply))
            elif secret == previous:
                self.assertEqual((reply.status, reply.json().get("is_previous")), (200, True),
                                 "previous secret of token %d: %r" % (token_id, reply))
            else:
                self.assertEqual(reply.status, 401,
                                 "a secret of token %d neither current nor previous: %r"
                                 % (token_id, reply))
        return True

    # nginx balancing over both

    @unittest.skipUnless(os.path.exists(NGINX), "nginx is not installed")
    def test_nginx_balances_over_both_and_goes_around_a_stopped_one(self):
        secret, _ = self.make_token(self.a)
        nginx = Balancer([self.a.port, self.b.port])
        self.addCleanup(nginx.stop)

        for i in range(100):
            reply = call(nginx.port, "GET", "/v1/tokens/verify", token=secret)
            self.assertEqual(reply.status, 200, "request %d through nginx: %r" % (i, reply))
        used = nginx.upstreams()
        self.assertEqual(set(used), {"%s:%d" % (HOST, self.a.port), "%s:%d" % (HOST, self.b.port)},
                         "round robin over both: %r" % used)

        self.assertEqual(self.a.stop(), 0)
        self.killed.add("A")        # stopped here, and checked here
        for i in range(100):
            reply = call(nginx.port, "GET", "/v1/tokens/verify", token=secret)
            self.assertEqual(reply.status, 200, "request %d through nginx with A stopped: %r" % (i, reply))


class Balancer:
    """Debian's nginx as a round-robin load balancer over tokens-server instances."""

    def __init__(self, ports):
        self.dir = tempfile.mkdtemp(prefix="tokens-nginx-lb-")
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        self.access_log = os.path.join(self.dir, "access.log")
        servers = "".join("        server %s:%d max_fails=1 fail_timeout=10s;\n" % (HOST, p)
                          for p in ports)
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write("""
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    log_format upstream '$upstream_addr $status';
    access_log {dir}/access.log upstream;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;

    upstream tokens_servers {{
{servers}        keepalive 16;
    }}
    server {{
        listen {host}:{port};
        location / {{
            proxy_pass http://tokens_servers;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_next_upstream error timeout;
        }}
    }}
}}
""".format(dir=self.dir, host=HOST, port=self.port, servers=servers))
        self.proc = start_nginx(self.dir, conf, self.port, preexec_fn=_die_with_parent)

    def upstreams(self):
        """How many requests each upstream answered, from the access log."""
        counts = {}
        # nginx writes its access log line by line, unbuffered without `buffer=`.
        with open(self.access_log) as f:
            for line in f:
                addr = line.split()[0].rstrip(",")
                counts[addr] = counts.get(addr, 0) + 1
        return counts

    def stop(self):
        stop_nginx(self.proc, self.dir)


if __name__ == "__main__":
    unittest.main(verbosity=2)
