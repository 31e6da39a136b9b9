#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test_gateway.py — a team's own API behind Debian's nginx, protected by
# tokens-server through auth_request, with the very configuration the
# project ships (data/nginx-gateway.conf; only its addresses are changed).
#
# The "team API" is a second server block of the same nginx: static JSON,
# and an answer that echoes the identity headers nginx sets from
# tokens-server's reply. Needs nginx with the auth_request module
# (nginx-light has it), started here on free loopback ports, as root or
# not (workers run as www-data when root: the API's files are 0755/0644).
#
#   TOKENS_SERVER_BIN=_build/src/server/tokens-server \
#     /usr/bin/python3 tests/server/test_gateway.py -v

import http.client
import json
import os
import socket
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_http_layer import Server  # noqa: E402
from tt_process import NGINX, start_nginx, stop_nginx  # noqa: E402

HOST = "127.0.0.1"
EXAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       "..", "..", "data", "nginx-gateway.conf")
PASSWORD = "correct horse battery"


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def call(port, method, path, headers=None, body=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        data = json.dumps(body).encode() if body is not None else None
        all_headers = dict(headers or {})
        if data is not None:
            all_headers["Content-Type"] = "application/json"
        conn.request(method, path, body=data, headers=all_headers)
        reply = conn.getresponse()
        return reply.status, reply.read(), dict(reply.getheaders())
    finally:
        conn.close()


def bearer(token):
    return {"Authorization": "Bearer " + token}


class Nginx:
    """nginx with the shipped gateway example and a static team API."""

    def __init__(self, tokens_port):
        self.dir = tempfile.mkdtemp(prefix="tokens-nginx-")
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        self.api_port = free_port()

        root = os.path.join(self.dir, "www")
        os.makedirs(os.path.join(root, "api"))
        with open(os.path.join(root, "api", "hello.json"), "w") as f:
            f.write('{"hello": "team"}\n')
        for path, _, files in os.walk(root):
            os.chmod(path, 0o755)
            for name in files:
                os.chmod(os.path.join(path, name), 0o644)

        with open(EXAMPLE) as f:
            example = f.read()
        for old, new in (("127.0.0.1:8080", "%s:%d" % (HOST, tokens_port)),
                         ("127.0.0.1:9000", "%s:%d" % (HOST, self.api_port)),
                         ("listen 80;", "listen %s:%d;" % (HOST, self.port))):
            assert old in example, "data/nginx-gateway.conf no longer has %r" % old
            example = example.replace(old, new)
        with open(os.path.join(self.dir, "gateway.conf"), "w") as f:
            f.write(example)

        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write("""
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    include {dir}/gateway.conf;

    # The team's API: what it sees of the caller, and a static file.
    server {{
        listen {host}:{api_port};
        root {dir}/www;
        default_type application/json;
        location = /api/whoami {{
            return 200 '{{"account": "$http_x_tokens_account", "token": "$http_x_tokens_token_id"}}';
        }}
        location /api/upload/ {{
            return 200 '{{"uploaded": true}}';
        }}
    }}
}}
""".format(dir=self.dir, host=HOST, api_port=self.api_port))

        self.proc = start_nginx(self.dir, conf, self.port)

    def stop(self):
        stop_nginx(self.proc, self.dir)


@unittest.skipUnless(os.path.exists(NGINX), "nginx is not installed")
class GatewayTest(unittest.TestCase):

    def setUp(self):
        self.server = Server(allow_signup=True)
        self.addCleanup(self.stop_server)
        self.nginx = Nginx(self.server.port)
        self.addCleanup(self.nginx.stop)

        status, body, _ = call(self.server.port, "POST", "/v1/accounts",
                               body={"email": "team@example.com", "password": PASSWORD})
        self.assertEqual(status, 201, body)
        reply = json.loads(body)
        self.api_key = reply["token"]
        self.account_id = reply["account"]["id"]

    def stop_server(self):
        status = self.server.stop()
        self.assertEqual(status, 0, self.server.log())
        self.assertNotIn("CRITICAL", self.server.log())
        self.server.dir.cleanup()

    def make_token(self, scopes):
        status, body, _ = call(self.server.port, "POST", "/v1/tokens", bearer(self.api_key),
                               {"name": "gateway " + "+".join(scopes), "scopes": scopes,
                                "expires_in_days": 30})
        self.assertEqual(status, 201, body)
        reply = json.loads(body)
        return reply["token"], reply["access_token"]["id"]

    def test_no_token_is_401(self):
        status, _, _ = call(self.nginx.port, "GET", "/api/hello.json")
        self.assertEqual(status, 401)
        status, _, _ = call(self.nginx.port, "GET", "/api/hello.json",
                            {"Authorization": "Bearer tka_not-a-real-token"})
        self.assertEqual(status, 401)

    def test_right_token_reaches_the_api_with_its_identity(self):
        token, token_id = self.make_token(["read"])
        status, body, _ = call(self.nginx.port, "GET", "/api/hello.json", bearer(token))
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body), {"hello": "team"})

        # nginx sets the identity from tokens-server's answer; what the
        # client claims is replaced.
        headers = dict(bearer(token), **{"X-Tokens-Account": "999"})
        status, body, _ = call(self.nginx.port, "GET", "/api/whoami", headers)
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body), {"account": str(self.account_id), "token": str(token_id)})

    def test_read_only_token_on_a_write_location_is_403(self):
        read_only, _ = self.make_token(["read"])
        status, _, _ = call(self.nginx.port, "POST", "/api/upload/report", bearer(read_only),
                            {"report": 1})
        self.assertEqual(status, 403)

        both, _ = self.make_token(["read", "write"])
        status, body, _ = call(self.nginx.port, "POST", "/api/upload/report", bearer(both),
                               {"report": 1})
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body), {"uploaded": True})

        # The account's API token has every scope.
        status, _, _ = call(self.nginx.port, "POST", "/api/upload/report", bearer(self.api_key),
                            {"report": 1})
        self.assertEqual(status, 200)

    def test_revoked_token_is_401_at_once(self):
        token, token_id = self.make_token(["read"])
        status, _, _ = call(self.nginx.port, "GET", "/api/hello.json", bearer(token))
        self.assertEqual(status, 200)

        status, _, _ = call(self.server.port, "DELETE", "/v1/tokens/%d" % token_id, bearer(self.api_key))
        self.assertEqual(status, 204)
        status, _, _ = call(self.nginx.port, "GET", "/api/hello.json", bearer(token))
        self.assertEqual(status, 401)

    def test_active_security_token_is_required(self):
        token, _ = self.make_token(["read"])
        status, body, _ = call(self.server.port, "POST", "/v1/security/client-token", bearer(self.api_key))
        self.assertEqual(status, 201, body)
        client_token = json.loads(body)["token"]
        status, body, _ = call(self.server.port, "POST", "/v1/security/client-token/activate",
                               dict(bearer(self.api_key), **{"Client-Token": client_token}))
        self.assertEqual(status, 200, body)

        status, _, _ = call(self.nginx.port, "GET", "/api/hello.json", bearer(token))
        self.assertEqual(status, 403)
        status, body, _ = call(self.nginx.port, "GET", "/api/hello.json",
                               dict(bearer(token), **{"Client-Token": client_token}))
        self.assertEqual(status, 200, body)

    def test_check_answers_the_gateway_directly(self):
        # What any gateway sees: 204 and the identity headers, no body.
        token, token_id = self.make_token(["read"])
        status, body, headers = call(self.server.port, "GET", "/v1/gateway/check?scope=read", bearer(token))
        self.assertEqual((status, body), (204, b""))
        self.assertEqual(headers.get("X-Tokens-Account"), str(self.account_id))
        self.assertEqual(headers.get("X-Tokens-Token-Id"), str(token_id))
        self.assertEqual(headers.get("X-Tokens-Kind"), "access")
        self.assertEqual(headers.get("X-Tokens-Scopes"), "read")

        status, body, _ = call(self.server.port, "GET", "/v1/gateway/check",
                               dict(bearer(token), **{"X-Tokens-Scope": "write"}))
        self.assertEqual(status, 403)
        self.assertEqual(json.loads(body)["code"], "forbidden")

        # A misconfigured gateway is told so (nginx makes this a 500).
        status, body, _ = call(self.server.port, "GET", "/v1/gateway/check?scope=admin", bearer(token))
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["code"], "invalid_input")


if __name__ == "__main__":
    unittest.main(verbosity=2)
