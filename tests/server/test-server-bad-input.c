/* test-server-bad-input.c — every kind of bad request, and nothing changes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case is sent to one running server; each must get our JSON error
 * with the right status and code, the database must be byte-for-byte the
 * same rows afterwards, and the server must go on serving.
 */

#include "config.h"

#include <string.h>

#include "tokens-token.h"
#include "tt-http.h"

static const char *const signup[] = { "--allow-signup", NULL };

typedef struct
{
  TokensTestServer *server;
  char             *session;
  char             *access;
  char             *authorization;  /* "Bearer <session>" */
  char             *dump;           /* the database before */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(TtReply) me = NULL;

  fixture->server = tokens_test_server_new (signup);
  tt_sign_up (fixture->server, "ana@example.com", "correct horse", NULL);
  fixture->session = tt_sign_in (fixture->server, "ana@example.com", "correct horse");
  fixture->access = tt_create_token (fixture->server, fixture->session, "ci", "[\"read\"]", NULL, NULL);
  fixture->authorization = g_strconcat ("Bearer ", fixture->session, NULL);

  /* Both tokens used once now, so last_used_at does not move during the
   * test (it is written at most once a minute). */
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/tokens/verify", fixture->access), ==, 200);
  fixture->dump = tt_db_dump (tokens_test_server_get_database (fixture->server));
}

static void
assert_nothing_changed (Fixture *fixture)
{
  g_autofree char *now = tt_db_dump (tokens_test_server_get_database (fixture->server));

  g_assert_cmpstr (now, ==, fixture->dump);
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/health", NULL), ==, 200);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  assert_nothing_changed (fixture);
  g_assert_cmpint (tokens_test_server_stop (fixture->server), ==, 0);
  g_clear_pointer (&fixture->server, tokens_test_server_free);
  g_free (fixture->session);
  g_free (fixture->access);
  g_free (fixture->authorization);
  g_free (fixture->dump);
}

/* Sends @body (of @len bytes, -1 for a string) with the session and
 * checks the error, then that nothing changed. */
static void
expect (Fixture    *fixture,
        const char *method,
        const char *path,
        const char *content_type,
        const char *body,
        gssize      len,
        guint       status,
        const char *code)
{
  const char *headers[] = { "Authorization", fixture->authorization, NULL };
  g_autoptr(TtReply) reply = tt_call_full (fixture->server, method, path, headers,
                                           content_type, body, len);

  g_test_message ("%s %s → %u %s", method, path, reply->status, reply->text);
  tt_assert_error (reply, status, code);
  assert_nothing_changed (fixture);
}

static void
expect_json (Fixture    *fixture,
             const char *method,
             const char *path,
             const char *body,
             guint       status,
             const char *code)
{
  expect (fixture, method, path, "application/json", body, -1, status, code);
}

static void
test_malformed_json (Fixture       *fixture,
                     gconstpointer  data)
{
  expect_json (fixture, "POST", "/v1/tokens", "{\"name\": \"x\", ", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "{name: 'x'}", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "[\"name\", \"x\"]", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "\"just a string\"", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "null", 400, "invalid_input");
  expect_json (fixture, "PATCH", "/v1/tokens/1", "{\"name\": }", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/sessions", "{", 400, "invalid_input");
}

static void
test_wrong_types (Fixture       *fixture,
                  gconstpointer  data)
{
  expect_json (fixture, "POST", "/v1/tokens", "{\"name\": 5, \"scopes\": [\"read\"]}", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "{\"name\": null, \"scopes\": [\"read\"]}", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "{\"name\": \"x\", \"scopes\": \"read\"}", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "{\"name\": \"x\", \"scopes\": [1]}", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "{\"name\": \"x\", \"scopes\": [[\"read\"]]}", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "{\"name\": \"x\", \"scopes\": [\"admin\"]}", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "{\"name\": \"x\", \"scopes\": [\"read\"], \"expires_in_days\": \"30\"}",
               400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "{\"name\": \"x\", \"scopes\": [\"read\"], \"expires_in_days\": 1.5}",
               400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "{\"name\": \"x\", \"scopes\": [\"read\"], \"expires_in_days\": -3}",
               400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "{\"name\": \"x\", \"scopes\": [\"read\"], \"expires_in_days\": 99999}",
               400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens/1/renew", "{\"delete_old\": true}", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/sessions", "{\"email\": [\"ana@example.com\"], \"password\": \"x\"}",
               400, "invalid_input");
  expect_json (fixture, "PATCH", "/v1/tokens/1", "{\"scopes\": {\"read\": true}}", 400, "invalid_input");
}

static void
test_missing_and_unknown_fields (Fixture       *fixture,
                                 gconstpointer  data)
{
  expect_json (fixture, "POST", "/v1/tokens", "{\"scopes\": [\"read\"]}", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "{\"name\": \"x\"}", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "{}", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/tokens", "{\"name\": \"x\", \"scopes\": [\"read\"], \"admin\": true}",
               400, "invalid_input");
  expect_json (fixture, "PATCH", "/v1/tokens/1", "{\"nmae\": \"typo\"}", 400, "invalid_input");
  expect_json (fixture, "POST", "/v1/sessions", "{\"email\": \"ana@example.com\"}", 400, "invalid_input");
  expect (fixture, "POST", "/v1/tokens", "application/json", NULL, 0, 400, "invalid_input");
}

static void
test_names (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GString) long_name = g_string_new (NULL);
  g_autofree char *body = NULL;
  g_autofree char *ok_body = NULL;
  g_autoptr(TtReply) ok = NULL;

  /* 101 characters, each two bytes in UTF-8: characters count, not bytes. */
  for (guint i = 0; i < 101; i++)
    g_string_append (long_name, "é");
  body = g_strdup_printf ("{\"name\": \"%s\", \"scopes\": [\"read\"]}", long_name->str);
  expect_json (fixture, "POST", "/v1/tokens", body, 400, "invalid_input");
  expect_json (fixture, "PATCH", "/v1/tokens/1", "{\"name\": \"   \"}", 400, "invalid_input");
  expect_json (fixture, "PATCH", "/v1/tokens/1", "{\"name\": \"two\\nlines\"}", 400, "invalid_input");
  expect_json (fixture, "PATCH", "/v1/tokens/1", "{\"name\": \"bell\\u0007\"}", 400, "invalid_input");

  /* 100 is fine (and changes the database, so the snapshot follows). */
  g_string_truncate (long_name, strlen ("é") * 100);
  ok_body = g_strdup_printf ("{\"name\": \"%s\"}", long_name->str);
  ok = tt_call (fixture->server, "PATCH", "/v1/tokens/1", fixture->session, ok_body);
  g_assert_cmpuint (ok->status, ==, 200);
  g_free (fixture->dump);
  fixture->dump = tt_db_dump (tokens_test_server_get_database (fixture->server));
}

static void
test_bodies_over_the_limit (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GString) big = g_string_new ("{\"name\": \"");
  g_autofree char *file = g_malloc0 (64 * 1024 + 1);
  const char *headers[] = { "Authorization", fixture->authorization, NULL };
  g_autoptr(TtReply) reply = NULL;

  while (big->len < 20 * 1024)
    g_string_append (big, "aaaaaaaaaaaaaaaa");
  g_string_append (big, "\", \"scopes\": [\"read\"]}");
  expect_json (fixture, "POST", "/v1/tokens", big->str, 413, "too_large");
  expect_json (fixture, "POST", "/v1/sessions", big->str, 413, "too_large");

  expect (fixture, "PUT", "/v1/files/big.bin", "application/octet-stream", file, 64 * 1024 + 1, 413, "too_large");

  /* The limit itself is fine. */
  reply = tt_call_full (fixture->server, "PUT", "/v1/files/big.bin", headers,
                        "application/octet-stream", file, 64 * 1024);
  g_assert_cmpuint (reply->status, ==, 201);
  g_free (fixture->dump);
  fixture->dump = tt_db_dump (tokens_test_server_get_database (fixture->server));
}

static void
test_invalid_utf8_and_nesting (Fixture       *fixture,
                               gconstpointer  data)
{
  static const char latin1[] = "{\"name\": \"caf\xe9\", \"scopes\": [\"read\"]}";
  static const char nul[] = "{\"name\": \"a\0b\", \"scopes\": [\"read\"]}";
  g_autoptr(GString) deep = g_string_new ("{\"name\": ");

  expect (fixture, "POST", "/v1/tokens", "application/json", latin1, sizeof latin1 - 1, 400, "invalid_input");
  expect (fixture, "POST", "/v1/tokens", "application/json", nul, sizeof nul - 1, 400, "invalid_input");

  for (guint i = 0; i < 5000; i++)
    g_string_append_c (deep, '[');
  expect_json (fixture, "POST", "/v1/tokens", deep->str, 400, "invalid_input");
}

static void
test_unknown_routes_and_wrong_methods (Fixture       *fixture,
                                       gconstpointer  data)
{
  const char *headers[] = { "Authorization", fixture->authorization, NULL };
  g_autoptr(TtReply) me = NULL;
  g_autoptr(TtReply) tokens = NULL;
  g_autoptr(TtReply) verify = NULL;

  expect (fixture, "GET", "/v1/nothing-here", NULL, NULL, 0, 404, "not_found");
  expect (fixture, "GET", "/", NULL, NULL, 0, 404, "not_found");
  expect (fixture, "GET", "/v1/tokens/", NULL, NULL, 0, 404, "not_found");
  expect (fixture, "GET", "/v1/tokens/1/renew/more", NULL, NULL, 0, 404, "not_found");
  expect (fixture, "GET", "/v2/tokens", NULL, NULL, 0, 404, "not_found");
  expect (fixture, "GET", "/v1/tokens/xyz", NULL, NULL, 0, 404, "not_found");
  expect (fixture, "GET", "/v1/tokens/99999999999999999999", NULL, NULL, 0, 404, "not_found");

  expect (fixture, "DELETE", "/v1/me", NULL, NULL, 0, 405, "method_not_allowed");
  me = tt_call_full (fixture->server, "DELETE", "/v1/me", headers, NULL, NULL, 0);
  g_assert_cmpstr (soup_message_headers_get_one (me->headers, "Allow"), ==, "GET, HEAD");
  tokens = tt_call_full (fixture->server, "PUT", "/v1/tokens", headers, NULL, NULL, 0);
  tt_assert_error (tokens, 405, "method_not_allowed");
  g_assert_cmpstr (soup_message_headers_get_one (tokens->headers, "Allow"), ==, "GET, POST, HEAD");
  /* verify is its own route, not a token id. */
  verify = tt_call_full (fixture->server, "DELETE", "/v1/tokens/verify", headers, NULL, NULL, 0);
  tt_assert_error (verify, 405, "method_not_allowed");
  g_assert_cmpstr (soup_message_headers_get_one (verify->headers, "Allow"), ==, "GET, HEAD");
}

static void
test_wrong_content_type (Fixture       *fixture,
                         gconstpointer  data)
{
  static const char body[] = "{\"name\": \"x\", \"scopes\": [\"read\"]}";

  expect (fixture, "POST", "/v1/tokens", "text/plain", body, -1, 415, "unsupported_media_type");
  expect (fixture, "POST", "/v1/tokens", "application/x-www-form-urlencoded", "name=x", -1,
          415, "unsupported_media_type");
  expect (fixture, "POST", "/v1/tokens", "application/json; charset=iso-8859-1", body, -1,
          415, "unsupported_media_type");
  expect (fixture, "POST", "/v1/tokens", NULL, body, -1, 415, "unsupported_media_type");
}

static void
test_bad_queries (Fixture       *fixture,
                  gconstpointer  data)
{
  expect (fixture, "GET", "/v1/tokens?page_size=abc", NULL, NULL, 0, 400, "invalid_input");
  expect (fixture, "GET", "/v1/tokens?page_size=0", NULL, NULL, 0, 400, "invalid_input");
  expect (fixture, "GET", "/v1/tokens?page_size=101", NULL, NULL, 0, 400, "invalid_input");
  expect (fixture, "GET", "/v1/tokens?page_token=-5", NULL, NULL, 0, 400, "invalid_input");
  expect (fixture, "GET", "/v1/tokens?page_token=0x10", NULL, NULL, 0, 400, "invalid_input");
}

/* A token with its last checksum character changed: well formed in every
 * other way. */
static char *
with_bad_checksum (const char *token)
{
  char *copy = g_strdup (token);
  char *last = copy + strlen (copy) - 1;

  *last = *last == 'A' ? 'B' : 'A';
  return copy;
}

static void
expect_authorization (Fixture    *fixture,
                      const char *value,
                      const char *code)
{
  const char *headers[] = { "Authorization", value, NULL };
  g_autoptr(TtReply) reply = tt_call_full (fixture->server, "GET", "/v1/tokens/verify",
                                           value ? headers : NULL, NULL, NULL, 0);

  tt_assert_error (reply, 401, code);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "WWW-Authenticate"), ==,
                   "Bearer realm=\"tokens\"");
  if (value != NULL && strlen (value) > 12)
    g_assert_null (strstr (reply->text, value + 7));
  assert_nothing_changed (fixture);
}

static void
test_garbage_authorization (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *bad_checksum = with_bad_checksum (fixture->session);
  g_autofree char *bad_checksum_header = g_strconcat ("Bearer ", bad_checksum, NULL);
  g_autofree char *truncated = g_strndup (fixture->authorization, strlen (fixture->authorization) - 1);
  g_autofree char *bad_char = g_strdup (fixture->authorization);
  g_autofree char *two = g_strconcat (fixture->authorization, " ", fixture->access, NULL);
  g_autofree char *filler = g_strnfill (8000, 'a');
  g_autofree char *huge = g_strconcat ("Bearer tkses_", filler, NULL);
  g_autoptr(TokensSecret) unknown = tokens_token_generate (TOKENS_TOKEN_KIND_ACCESS);
  g_autofree char *unknown_header = g_strconcat ("Bearer ", unknown, NULL);
  g_autofree char *lower = g_strconcat ("bearer ", fixture->session, NULL);
  g_autoptr(TtReply) lower_reply = NULL;
  const char *lower_headers[] = { "Authorization", lower, NULL };

  bad_char[strlen ("Bearer tkses_") + 3] = '-';

  expect_authorization (fixture, NULL, "unauthorized");
  expect_authorization (fixture, "", "unauthorized");
  expect_authorization (fixture, "Basic YW5hOnBhc3N3b3Jk", "unauthorized");
  expect_authorization (fixture, "Bearer", "unauthorized");
  expect_authorization (fixture, "Bearer    ", "unauthorized");
  expect_authorization (fixture, two, "unauthorized");
  expect_authorization (fixture, "Bearer abc", "token_not_ours");
  expect_authorization (fixture, "Bearer ghp_16C7e42F292c6912E7710c838347Ae178B4a", "token_not_ours");
  expect_authorization (fixture, truncated, "token_length");
  expect_authorization (fixture, huge, "token_length");
  expect_authorization (fixture, bad_char, "token_character");
  expect_authorization (fixture, bad_checksum_header, "token_checksum");
  /* Well formed, never issued. */
  expect_authorization (fixture, unknown_header, "unauthorized");

  /* The scheme is case-insensitive (RFC 9110). */
  lower_reply = tt_call_full (fixture->server, "GET", "/v1/tokens/verify", lower_headers, NULL, NULL, 0);
  g_assert_cmpuint (lower_reply->status, ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/bad-input/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("malformed-json", test_malformed_json);
  ADD ("wrong-types", test_wrong_types);
  ADD ("missing-and-unknown-fields", test_missing_and_unknown_fields);
  ADD ("names", test_names);
  ADD ("bodies-over-the-limit", test_bodies_over_the_limit);
  ADD ("invalid-utf8-and-nesting", test_invalid_utf8_and_nesting);
  ADD ("unknown-routes-and-wrong-methods", test_unknown_routes_and_wrong_methods);
  ADD ("wrong-content-type", test_wrong_content_type);
  ADD ("bad-queries", test_bad_queries);
  ADD ("garbage-authorization", test_garbage_authorization);

#undef ADD

  return g_test_run ();
}
