#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test_cli.py — tokens-cli against a real gnome-keyring-daemon on a private
# bus (harness/session-run --keyring), with items made by libtokens, the
# app's own code (tokens-cli-fixture), and real git. Every failure is
# checked for its exit status, its message, and that no secret is in it.
#
#   TOKENS_CLI=_build/src/cli/tokens-cli TOKENS_CLI_FIXTURE=_build/tests/cli/tokens-cli-fixture \
#     tests/harness/session-run --keyring -- /usr/bin/python3 tests/cli/test_cli.py -v

import datetime
import json
import os
import random
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest
import zlib

CLI = os.environ.get("TOKENS_CLI", "")
FIXTURE = os.environ.get("TOKENS_CLI_FIXTURE", "")
MASK = "<concealed by Tokens>"
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

rng = random.Random(1717)


def github_token():
    """A real-shaped ghp_ token: 30 base62 characters and their CRC-32 in 6."""
    body = "".join(rng.choice(BASE62) for _ in range(30))
    crc = zlib.crc32(body.encode())
    digits = ""
    for _ in range(6):
        digits = BASE62[crc % 62] + digits
        crc //= 62
    return "ghp_" + body + digits


def day(offset):
    return (datetime.date.today() + datetime.timedelta(days=offset)).isoformat()


def cli(*args, input=None, env=None, check_secrets=()):
    done = subprocess.run([CLI] + list(args), input=input, capture_output=True,
                          env=env, timeout=60)
    for secret in check_secrets:
        assert secret.encode() not in done.stderr, "a secret in stderr: %r" % done.stderr
    return done


@unittest.skipUnless(CLI and FIXTURE, "TOKENS_CLI and TOKENS_CLI_FIXTURE are not set")
class CliTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.secrets = {}
        cls.ids = {}
        cls.keep("github", "GitHub", "CI token", "github.com", day(40), github_token())
        cls.keep("npm", "npm", "publish", "CI server", day(2),
                 "npm_" + "".join(rng.choice(BASE62) for _ in range(36)))
        cls.keep("other", "Z-API", "instance", "", "", "zapi-" + os.urandom(12).hex())
        cls.keep("huggingface", "Hugging Face", "expired one", "laptop", day(-3),
                 "hf_" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(34)))
        cls.all_secrets = list(cls.secrets.values())

    @classmethod
    def keep(cls, service, service_name, name, used_in, expires_on, secret):
        done = subprocess.run([FIXTURE, "keep", service, service_name, name, used_in, expires_on],
                              input=(secret + "\n").encode(), capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
        cls.secrets[name] = secret
        cls.ids[name] = done.stdout.decode().strip()

    def assertFails(self, done, status, *words):
        stderr = done.stderr.decode()
        self.assertEqual(done.returncode, status, "exit status %d: %s" % (done.returncode, stderr))
        self.assertEqual(done.stdout, b"", "nothing on stdout when it fails")
        for word in words:
            self.assertIn(word, stderr)
        for secret in self.all_secrets:
            self.assertNotIn(secret, stderr)

    # list

    def test_list_shows_every_token_and_never_a_secret(self):
        done = cli("list")
        self.assertEqual(done.returncode, 0, done.stderr)
        out = done.stdout.decode()
        for reference in ("tokens://GitHub/CI token", "tokens://npm/publish",
                          "tokens://Z-API/instance", "tokens://Hugging Face/expired one"):
            self.assertIn(reference, out)
        self.assertIn("expires in 2 days (%s)" % day(2), out)
        self.assertIn("expired 3 days ago", out)
        self.assertIn("no expiry", out)
        self.assertIn("github.com", out)
        for secret in self.all_secrets:
            self.assertNotIn(secret, out)

        done = cli("list", "--json")
        self.assertEqual(done.returncode, 0, done.stderr)
        listed = {t["name"]: t for t in json.loads(done.stdout)}
        github = listed["CI token"]
        self.assertEqual(github["id"], self.ids["CI token"])
        self.assertEqual(github["service"], "GitHub")
        self.assertEqual(github["used_in"], "github.com")
        self.assertEqual(github["expires"], day(40))
        self.assertEqual(github["days_left"], 40)
        self.assertEqual(github["origin"], "kept")
        self.assertIsNone(listed["instance"]["expires"])
        self.assertIsNone(listed["instance"]["used_in"])
        self.assertEqual(listed["expired one"]["days_left"], -3)
        for secret in self.all_secrets:
            self.assertNotIn(secret, done.stdout.decode())

    # read

    def test_read_prints_the_secret_exactly(self):
        for reference in ("tokens://GitHub/CI token", "tokens://github/ci%20token",
                          "TOKENS://GITHUB/CI TOKEN", self.ids["CI token"]):
            done = cli("read", reference)
            self.assertEqual(done.returncode, 0, done.stderr)
            # Not a terminal: no newline.
            self.assertEqual(done.stdout.decode(), self.secrets["CI token"], reference)

    def test_read_of_an_unknown_or_malformed_reference(self):
        self.assertFails(cli("read", "tokens://GitHub/nope"), 3,
                         "No kept token is “tokens://GitHub/nope”", "tokens-cli list")
        self.assertFails(cli("read", "tokens://GitHub"), 2, "tokens://SERVICE/NAME")
        # A secret given where a reference goes is not repeated to a log.
        secret = self.secrets["CI token"]
        self.assertFails(cli("read", secret), 3, "No kept token is “ghp_…”")
        self.assertFails(cli("read", secret + " x"), 2, "“ghp_…” is neither")
        done = cli(secret)
        self.assertEqual(done.returncode, 2)
        self.assertIn("no command “ghp_…”", done.stderr.decode())
        self.assertNotIn(secret, done.stderr.decode())
        self.assertFails(cli("read"), 2, "read takes one reference")

    def test_an_ambiguous_reference_names_the_ids_to_use(self):
        type(self).keep("other", "Twin", "same", "", "", "twin-one-" + os.urandom(8).hex())
        type(self).ids["same-first"] = self.ids["same"]
        type(self).keep("other", "Twin", "same", "", "", "twin-two-" + os.urandom(8).hex())
        type(self).all_secrets = list(self.secrets.values()) + [self.secrets["same"]]
        done = cli("read", "tokens://Twin/same")
        self.assertFails(done, 4, "names 2 kept tokens", self.ids["same-first"], self.ids["same"])
        done = cli("read", self.ids["same"])
        self.assertEqual(done.stdout.decode(), self.secrets["same"])

    # run

    def test_run_masks_both_streams_and_exits_with_the_command(self):
        done = cli("run", "--env", "X=tokens://GitHub/CI token", "--",
                   "sh", "-c", 'echo "out $X"; echo "err $X" >&2; exit 7')
        self.assertEqual(done.returncode, 7, done.stderr)
        self.assertEqual(done.stdout.decode(), "out %s\n" % MASK)
        self.assertEqual(done.stderr.decode(), "err %s\n" % MASK)

        done = cli("run", "--no-masking", "--env", "X=tokens://GitHub/CI token", "--",
                   "sh", "-c", 'printf %s "$X"')
        self.assertEqual(done.stdout.decode(), self.secrets["CI token"])

    def test_run_masks_a_secret_written_one_byte_at_a_time(self):
        script = ('s=$X; while [ -n "$s" ]; do rest=${s#?}; printf %s "${s%"$rest"}"; '
                  's=$rest; sleep 0.002; done; echo')
        done = cli("run", "--env", "X=tokens://npm/publish", "--", "sh", "-c", script)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(done.stdout.decode(), MASK + "\n")

    def test_run_with_an_env_file_of_references_and_plain_values(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "ci.env")
            with open(path, "w") as f:
                f.write("# committed: references only\n"
                        "GITHUB_TOKEN=tokens://GitHub/CI token\n"
                        "export NPM_TOKEN=\"tokens://npm/publish\"\n"
                        "REGION=eu-west-1\n")
            done = cli("run", "--env-file", path, "--", "sh", "-c",
                       'test "$GITHUB_TOKEN" = "$EXPECT_GH" && test "$NPM_TOKEN" = "$EXPECT_NPM" '
                       '&& echo "$REGION ok"',
                       env=dict(os.environ, EXPECT_GH=self.secrets["CI token"],
                                EXPECT_NPM=self.secrets["publish"]))
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(done.stdout.decode(), "eu-west-1 ok\n")

    def test_run_does_not_start_with_half_an_environment(self):
        with tempfile.TemporaryDirectory() as tmp:
            marker = os.path.join(tmp, "started")
            command = ["--", "sh", "-c", "touch '%s'" % marker]

            bad = os.path.join(tmp, "bad.env")
            with open(bad, "w") as f:
                f.write("A=tokens://GitHub/CI token\nnot a line\n")
            self.assertFails(cli("run", "--env-file", bad, *command), 5, "bad.env:2: expected NAME=VALUE")

            unknown = os.path.join(tmp, "unknown.env")
            with open(unknown, "w") as f:
                f.write("A=tokens://GitHub/CI token\nB=tokens://GitHub/gone\n")
            self.assertFails(cli("run", "--env-file", unknown, *command), 3,
                             "unknown.env:2:", "tokens://GitHub/gone")

            self.assertFails(cli("run", "--env", "A=tokens://nope/none", *command), 3, "--env A")
            self.assertFails(cli("run", "--env", "not-a-ref", *command), 2, "--env takes VAR=tokens://")
            self.assertFails(cli("run", "--env-file", os.path.join(tmp, "missing.env"), *command), 5,
                             "missing.env")
            self.assertFalse(os.path.exists(marker), "the command was started")

    def test_run_of_a_command_that_is_not_there(self):
        done = cli("run", "--env", "X=tokens://GitHub/CI token", "--", "tokens-no-such-command")
        self.assertEqual(done.returncode, 127)
        self.assertIn("tokens-no-such-command", done.stderr.decode())

    def test_run_passes_a_signal_on_and_takes_the_command_s_status(self):
        proc = subprocess.Popen([CLI, "run", "--env", "X=tokens://GitHub/CI token", "--", "sh", "-c",
                                 'trap "echo got TERM; exit 3" TERM; echo ready; '
                                 'while :; do sleep 0.05; done'],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.assertEqual(proc.stdout.readline(), b"ready\n")
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
        self.assertEqual(out, b"got TERM\n")
        self.assertEqual(proc.returncode, 3, err)

    # inject

    def test_inject_fills_a_template_into_a_private_file(self):
        template = ("registry=https://registry.npmjs.org/\n"
                    "//registry.npmjs.org/:_authToken={{ tokens://npm/publish }}\n"
                    "# {{ not ours }} stays\n"
                    "gh={{tokens://GitHub/CI token}}\n")
        expected = ("registry=https://registry.npmjs.org/\n"
                    "//registry.npmjs.org/:_authToken=%s\n"
                    "# {{ not ours }} stays\n"
                    "gh=%s\n") % (self.secrets["publish"], self.secrets["CI token"])
        with tempfile.TemporaryDirectory() as tmp:
            source = os.path.join(tmp, "npmrc.tpl")
            target = os.path.join(tmp, "npmrc")
            with open(source, "w") as f:
                f.write(template)

            done = cli("inject", "-i", source, "-o", target)
            self.assertEqual(done.returncode, 0, done.stderr)
            with open(target) as f:
                self.assertEqual(f.read(), expected)
            self.assertEqual(stat.S_IMODE(os.stat(target).st_mode), 0o600)

            self.assertFails(cli("inject", "-i", source, "-o", target), 8, "use --force")
            os.chmod(target, 0o644)
            done = cli("inject", "-i", source, "-o", target, "--force")
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(stat.S_IMODE(os.stat(target).st_mode), 0o600)

            done = cli("inject", input=template.encode())
            self.assertEqual(done.stdout.decode(), expected)

            with open(source, "a") as f:
                f.write("x={{ tokens://npm/unknown }}\n")
            other = os.path.join(tmp, "other")
            self.assertFails(cli("inject", "-i", source, "-o", other), 3,
                             "npmrc.tpl:5:", "tokens://npm/unknown")
            self.assertFalse(os.path.exists(other), "a half-filled file was written")

    # git

    def test_git_credential_fill_answers_for_the_host(self):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, HOME=tmp, GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0")
            subprocess.run(["git", "config", "--global", "credential.helper",
                            "!%s git-credential" % CLI], env=env, check=True)
            done = subprocess.run(["git", "credential", "fill"], env=env, capture_output=True,
                                  input=b"protocol=https\nhost=github.com\n\n", timeout=60)
            self.assertEqual(done.returncode, 0, done.stderr)
            answer = dict(line.split("=", 1) for line in done.stdout.decode().splitlines())
            self.assertEqual(answer["password"], self.secrets["CI token"])
            self.assertEqual(answer["username"], "x-access-token")
            # Debian 12's git (2.39) drops password_expiry_utc (git 2.41 keeps
            # it): the helper's own answer has it.
            done = cli("git-credential", "get", input=b"protocol=https\nhost=GitHub.com\n\n")
            answer = dict(line.split("=", 1) for line in done.stdout.decode().splitlines())
            self.assertEqual(answer["password"], self.secrets["CI token"])
            expiry = datetime.datetime.fromtimestamp(int(answer["password_expiry_utc"]))
            # It works through the day it expires on.
            self.assertEqual(expiry.date(), datetime.date.today() + datetime.timedelta(days=41))
            self.assertEqual((expiry.hour, expiry.minute), (0, 0))

            # No token for the host: git is told nothing, and asks no one (no prompt here).
            done = subprocess.run(["git", "credential", "fill"], env=env, capture_output=True,
                                  input=b"protocol=https\nhost=example.org\n\n", timeout=60)
            self.assertNotEqual(done.returncode, 0)
            self.assertNotIn(b"password=", done.stdout)

        # store and erase leave the keyring alone.
        for action in ("store", "erase"):
            done = cli("git-credential", action,
                       input=b"protocol=https\nhost=github.com\nusername=x\npassword=other\n\n")
            self.assertEqual(done.returncode, 0)
        self.assertEqual(cli("read", "tokens://GitHub/CI token").stdout.decode(), self.secrets["CI token"])

    # check

    def test_check_exit_status_follows_what_expires(self):
        done = cli("check", "--within", "7")
        self.assertEqual(done.returncode, 1, done.stderr)
        out = done.stdout.decode()
        self.assertIn("tokens://npm/publish", out)
        self.assertIn("tokens://Hugging Face/expired one", out)
        self.assertNotIn("CI token", out)
        self.assertNotIn("instance", out)

        done = cli("check", "--within", "7", "--json")
        self.assertEqual(sorted(t["name"] for t in json.loads(done.stdout)), ["expired one", "publish"])

        done = cli("check", "--within", "60")
        self.assertIn("tokens://GitHub/CI token", done.stdout.decode())
        self.assertFails(cli("check", "--within", "-2"), 2, "--within")


# Tokens a tokens-server issued to the app, saved by the app's own store.
@unittest.skipUnless(CLI and FIXTURE, "TOKENS_CLI and TOKENS_CLI_FIXTURE are not set")
class ServiceTokensTest(unittest.TestCase):

    def test_the_app_s_own_service_tokens_are_listed_and_read(self):
        api = "tkapi_" + "".join(rng.choice(BASE62) for _ in range(38))
        done = subprocess.run([FIXTURE, "save-service", "api-key", "", "", "ana@example.com"],
                              input=(api + "\n").encode(), capture_output=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)

        listed = json.loads(cli("list", "--json").stdout)
        mine = [t for t in listed if t["origin"] == "service"]
        self.assertEqual(len(mine), 1, listed)
        self.assertEqual(mine[0]["service"], "This computer")
        self.assertEqual(mine[0]["name"], "API token")
        self.assertEqual(mine[0]["used_in"], "ana@example.com")
        self.assertNotIn(api, json.dumps(listed))

        for reference in ("tokens://This computer/API token", "tokens://this%20computer/api token",
                          mine[0]["id"]):
            done = cli("read", reference)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertEqual(done.stdout.decode(), api)

        # In Portuguese the app says "Este computador"; a file of references
        # written in English keeps working.
        env = dict(os.environ, LANGUAGE="pt_BR", LANG="pt_BR.UTF-8", LC_ALL="pt_BR.UTF-8")
        listed = json.loads(cli("list", "--json", env=env).stdout)
        self.assertEqual([t["reference"] for t in listed if t["origin"] == "service"],
                         ["tokens://Este computador/Token da API"])
        for reference in ("tokens://This computer/API token", "tokens://Este computador/Token da API"):
            done = cli("read", reference, env=env)
            self.assertEqual(done.stdout.decode(), api, reference)

        # And its messages are in Portuguese.
        done = cli("read", "tokens://Este computador/nada", env=env)
        self.assertEqual(done.returncode, 3)
        self.assertIn("Nenhum token guardado é “tokens://Este computador/nada”", done.stderr.decode())


# check's exit status 0, once nothing expires soon: after the others.
@unittest.skipUnless(CLI and FIXTURE, "TOKENS_CLI and TOKENS_CLI_FIXTURE are not set")
class YCheckTest(unittest.TestCase):

    def test_check_is_0_when_nothing_expires_soon(self):
        for name in ("publish", "expired one"):
            done = subprocess.run([FIXTURE, "forget", CliTest.ids[name]], capture_output=True, timeout=60)
            self.assertEqual(done.returncode, 0, done.stderr)
        done = cli("check", "--within", "7")
        self.assertEqual(done.returncode, 0, done.stdout)
        self.assertEqual(done.stdout, b"")
        self.assertEqual(cli("check", "--within", "40").returncode, 1)


# Each of these changes the keyring for everyone after it: a class of its own, last.
@unittest.skipUnless(CLI and FIXTURE, "TOKENS_CLI and TOKENS_CLI_FIXTURE are not set")
class ZKeyringTest(unittest.TestCase):

    def test_no_keyring_at_all(self):
        env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS="unix:path=/nonexistent/bus")
        for args in (("list",), ("read", "tokens://GitHub/CI token"), ("check",)):
            done = cli(*args, env=env)
            self.assertEqual(done.returncode, 7, done.stderr)
            self.assertIn("keyring", done.stderr.decode())

    def test_a_locked_keyring_whose_prompt_is_not_answered(self):
        secret = github_token()
        CliTest.keep("github", "GitHub", "locked test", "", "", secret)
        done = subprocess.run([FIXTURE, "lock"], capture_output=True, timeout=60)
        self.assertEqual(done.returncode, 0, done.stderr)

        # Listing reads what a locked keyring shows: no secret needed.
        self.assertEqual(cli("list").returncode, 0)
        # No display here: the unlock prompt cannot be answered.
        done = cli("read", "tokens://GitHub/locked test")
        self.assertEqual(done.returncode, 6, done.stderr)
        self.assertIn("locked", done.stderr.decode())
        self.assertNotIn(secret, done.stderr.decode())
        self.assertEqual(done.stdout, b"")


if __name__ == "__main__":
    unittest.main(verbosity=2)
