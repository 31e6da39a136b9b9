/* test-server-client-token.c — the account security token (Client-Token)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tt-http.h"

static const char *const signup[] = { "--allow-signup", NULL };

typedef struct
{
  TokensTestServer *server;
  char             *api_key;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = tokens_test_server_new (signup);
  tt_sign_up (fixture->server, "ana@example.com", "correct horse", &fixture->api_key);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_cmpint (tokens_test_server_stop (fixture->server), ==, 0);
  g_clear_pointer (&fixture->server, tokens_test_server_free);
  g_free (fixture->api_key);
}

/* A call with a bearer token and, when @client_token is not NULL, the
 * Client-Token header. */
static TtReply *
call (Fixture    *fixture,
      const char *method,
      const char *path,
      const char *bearer,
      const char *client_token)
{
  g_autofree char *authorization = g_strconcat ("Bearer ", bearer, NULL);
  const char *headers[] = { "Authorization", authorization, "Client-Token", client_token, NULL };

  if (client_token == NULL)
    headers[2] = NULL;

  return tt_call_full (fixture->server, method, path, headers, NULL, NULL, 0);
}

static char *
configure (Fixture *fixture)
{
  g_autoptr(TtReply) reply = tt_call (fixture->server, "POST", "/v1/security/client-token",
                                      fixture->api_key, NULL);
  JsonObject *state;
  const char *secret;

  g_assert_cmpuint (reply->status, ==, 201);
  secret = tt_reply_string (reply, "token");
  g_assert_true (g_str_has_prefix (secret, "tkcli_"));
  state = tt_reply_member (reply, "client_token");
  /* It starts disabled, so nothing breaks before the clients send it. */
  g_assert_cmpstr (json_object_get_string_member (state, "state"), ==, "disabled");
  g_assert_cmpstr (json_object_get_string_member (state, "header"), ==, "Client-Token");
  g_assert_true (g_str_has_suffix (secret, json_object_get_string_member (state, "last4")));

  return g_strdup (secret);
}

static void
test_configure_starts_disabled (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(TtReply) none = NULL;
  g_autoptr(TtReply) got = NULL;
  g_autoptr(TtReply) twice = NULL;
  g_autofree char *secret = NULL;

  none = tt_call (fixture->server, "GET", "/v1/security/client-token", fixture->api_key, NULL);
  g_assert_cmpuint (none->status, ==, 200);
  g_assert_cmpstr (tt_reply_string (none, "state"), ==, "none");
  g_assert_true (json_object_get_null_member (tt_reply_object (none), "last4"));

  secret = configure (fixture);

  /* Disabled: requests without it go through. */
  got = tt_call (fixture->server, "GET", "/v1/security/client-token", fixture->api_key, NULL);
  g_assert_cmpuint (got->status, ==, 200);
  g_assert_cmpstr (tt_reply_string (got, "state"), ==, "disabled");
  g_assert_null (strstr (got->text, secret));
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/me", fixture->api_key), ==, 200);

  twice = tt_call (fixture->server, "POST", "/v1/security/client-token", fixture->api_key, NULL);
  tt_assert_error (twice, 409, "conflict");
}

static void
test_active_refuses_requests_without_it (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autofree char *secret = configure (fixture);
  g_autofree char *access = tt_create_token (fixture->server, fixture->api_key, "ci",
                                             "[\"read\"]", NULL, NULL);
  g_autofree char *wrong = NULL;
  g_autoptr(TtReply) activated = NULL;
  g_autoptr(TtReply) missing = NULL;
  g_autoptr(TtReply) missing_access = NULL;
  g_autoptr(TtReply) with = NULL;
  g_autoptr(TtReply) wrong_reply = NULL;
  g_autoptr(TtReply) garbage_reply = NULL;
  g_autoptr(TtReply) access_with = NULL;
  g_autoptr(TtReply) me = NULL;
  g_autoptr(TtReply) session_missing = NULL;
  g_autofree char *session = NULL;

  activated = tt_call (fixture->server, "POST", "/v1/security/client-token/activate", fixture->api_key, NULL);
  g_assert_cmpuint (activated->status, ==, 200);
  g_assert_cmpstr (tt_reply_string (activated, "state"), ==, "active");

  /* Without the header: exactly the seed's body. */
  missing = call (fixture, "GET", "/v1/me", fixture->api_key, NULL);
  g_assert_cmpuint (missing->status, ==, 403);
  g_assert_cmpstr (missing->text, ==, "{\"error\": \"null not allowed\"}");
  g_assert_cmpstr (soup_message_headers_get_content_type (missing->headers, NULL), ==, "application/json");

  /* Every token of the account, access tokens too. */
  missing_access = call (fixture, "GET", "/v1/tokens/verify", access, NULL);
  g_assert_cmpuint (missing_access->status, ==, 403);
  g_assert_cmpstr (missing_access->text, ==, "{\"error\": \"null not allowed\"}");

  /* A wrong one, or garbage: our usual error, the same for both. */
  {
    g_autoptr(TtReply) other = NULL;

    /* A well-formed Client-Token of another account is still wrong. */
    tt_sign_up (fixture->server, "bo@example.com", "correct horse", &session);
    other = tt_call (fixture->server, "POST", "/v1/security/client-token", session, NULL);
    wrong = g_strdup (tt_reply_string (other, "token"));
    g_clear_pointer (&session, g_free);
  }
  wrong_reply = call (fixture, "GET", "/v1/me", fixture->api_key, wrong);
  tt_assert_error (wrong_reply, 403, "client_token_invalid");
  garbage_reply = call (fixture, "GET", "/v1/me", fixture->api_key, "tkcli_not-even-close");
  tt_assert_error (garbage_reply, 403, "client_token_invalid");
  g_assert_cmpstr (tt_reply_string (wrong_reply, "error"), ==, tt_reply_string (garbage_reply, "error"));
  g_assert_null (strstr (wrong_reply->text, wrong));

  /* With it, everything works as before. */
  with = call (fixture, "GET", "/v1/me", fixture->api_key, secret);
  g_assert_cmpuint (with->status, ==, 200);
  g_assert_cmpstr (tt_reply_string (with, "client_token"), ==, "active");
  access_with = call (fixture, "GET", "/v1/tokens/verify", access, secret);
  g_assert_cmpuint (access_with->status, ==, 200);

  /* Signing in takes the password; the session it gives needs the header. */
  session = tt_sign_in (fixture->server, "ana@example.com", "correct horse");
  session_missing = call (fixture, "GET", "/v1/me", session, NULL);
  g_assert_cmpstr (session_missing->text, ==, "{\"error\": \"null not allowed\"}");
  me = call (fixture, "GET", "/v1/me", session, secret);
  g_assert_cmpuint (me->status, ==, 200);
}

static void
test_deactivate_and_delete_need_it_while_active (Fixture       *fixture,
                                                 gconstpointer  data)
{
  g_autofree char *secret = configure (fixture);
  g_autoptr(TtReply) refused = NULL;
  g_autoptr(TtReply) deactivated = NULL;
  g_autoptr(TtReply) deleted_again = NULL;
  g_autoptr(TtReply) activate_none = NULL;
  g_autoptr(TtReply) state = NULL;
  g_autoptr(TtReply) events = NULL;

  g_assert_cmpuint (tt_status (fixture->server, "POST", "/v1/security/client-token/activate",
                               fixture->api_key), ==, 200);

  refused = call (fixture, "POST", "/v1/security/client-token/deactivate", fixture->api_key, NULL);
  g_assert_cmpstr (refused->text, ==, "{\"error\": \"null not allowed\"}");

  deactivated = call (fixture, "POST", "/v1/security/client-token/deactivate", fixture->api_key, secret);
  g_assert_cmpuint (deactivated->status, ==, 200);
  g_assert_cmpstr (tt_reply_string (deactivated, "state"), ==, "disabled");
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/me", fixture->api_key), ==, 200);

  /* Active again, then deleted with the header: requests go through again. */
  g_assert_cmpuint (tt_status (fixture->server, "POST", "/v1/security/client-token/activate",
                               fixture->api_key), ==, 200);
  {
    g_autoptr(TtReply) without = call (fixture, "DELETE", "/v1/security/client-token", fixture->api_key, NULL);

    g_assert_cmpstr (without->text, ==, "{\"error\": \"null not allowed\"}");
  }
  {
    g_autoptr(TtReply) deleted = call (fixture, "DELETE", "/v1/security/client-token", fixture->api_key, secret);

    g_assert_cmpuint (deleted->status, ==, 204);
  }
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/me", fixture->api_key), ==, 200);

  state = tt_call (fixture->server, "GET", "/v1/security/client-token", fixture->api_key, NULL);
  g_assert_cmpstr (tt_reply_string (state, "state"), ==, "none");

  deleted_again = tt_call (fixture->server, "DELETE", "/v1/security/client-token", fixture->api_key, NULL);
  tt_assert_error (deleted_again, 404, "not_found");
  activate_none = tt_call (fixture->server, "POST", "/v1/security/client-token/activate", fixture->api_key, NULL);
  tt_assert_error (activate_none, 409, "conflict");

  events = tt_call (fixture->server, "GET", "/v1/me/events", fixture->api_key, NULL);
  g_assert_nonnull (strstr (events->text, "client_token.configured"));
  g_assert_nonnull (strstr (events->text, "client_token.activated"));
  g_assert_nonnull (strstr (events->text, "client_token.deactivated"));
  g_assert_nonnull (strstr (events->text, "client_token.deleted"));
}

static void
test_not_a_bearer_token (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *secret = configure (fixture);
  g_autoptr(TtReply) reply = tt_call (fixture->server, "GET", "/v1/tokens/verify", secret, NULL);

  /* On its own it proves nothing: it only ever goes beside a token. */
  tt_assert_error (reply, 403, "token_wrong_kind");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/client-token/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("configure-starts-disabled", test_configure_starts_disabled);
  ADD ("active-refuses-requests-without-it", test_active_refuses_requests_without_it);
  ADD ("deactivate-and-delete-need-it-while-active", test_deactivate_and_delete_need_it_while_active);
  ADD ("not-a-bearer-token", test_not_a_bearer_token);

#undef ADD

  return g_test_run ();
}
