/* test-server-accounts.c — sign-up, sign-in, sign-out, /v1/me, events, rate limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each sign-up and sign-in costs an Argon2id hash (64 MiB, tens of ms) in
 * the server: the tests share few accounts and keep the count low.
 */

#include "config.h"

#include <string.h>

#include "tt-http.h"

static const char *const signup[] = { "--allow-signup", NULL };

static void
test_signup_refused_unless_allowed (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new (NULL);
  g_autoptr(TtReply) reply = NULL;

  reply = tt_call (server, "POST", "/v1/accounts", NULL,
                   "{\"email\": \"ana@example.com\", \"password\": \"correct horse\"}");
  tt_assert_error (reply, 403, "signup_disabled");
  g_assert_cmpint (tt_db_count (tokens_test_server_get_database (server),
                                "SELECT count(*) FROM accounts"), ==, 0);

  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);
}

static void
test_signup_returns_the_api_token_once (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new (signup);
  g_autoptr(TtReply) reply = NULL;
  g_autoptr(TtReply) again = NULL;
  g_autoptr(TtReply) key = NULL;
  g_autoptr(TtReply) me = NULL;
  JsonObject *account, *api_key;
  const char *secret;

  reply = tt_call (server, "POST", "/v1/accounts", NULL,
                   "{\"email\": \"Ana@Example.com\", \"password\": \"correct horse\"}");
  g_assert_cmpuint (reply->status, ==, 201);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Cache-Control"), ==, "no-store");

  account = tt_reply_member (reply, "account");
  g_assert_cmpint (json_object_get_int_member (account, "id"), >, 0);
  /* One account per address, whatever its case. */
  g_assert_cmpstr (json_object_get_string_member (account, "email"), ==, "ana@example.com");
  g_assert_cmpstr (json_object_get_string_member (account, "client_token"), ==, "none");

  secret = tt_reply_string (reply, "token");
  g_assert_true (g_str_has_prefix (secret, "tkapi_"));
  api_key = tt_reply_member (reply, "api_key");
  g_assert_cmpstr (json_object_get_string_member (api_key, "prefix"), ==, "tkapi");
  g_assert_true (g_str_has_suffix (secret, json_object_get_string_member (api_key, "last4")));

  /* The API token works at once, and its metadata never shows it again. */
  me = tt_call (server, "GET", "/v1/me", secret, NULL);
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (tt_reply_string (me, "email"), ==, "ana@example.com");

  key = tt_call (server, "GET", "/v1/me/api-key", secret, NULL);
  g_assert_cmpuint (key->status, ==, 200);
  g_assert_null (strstr (key->text, secret));
  g_assert_cmpstr (tt_reply_string (key, "prefix"), ==, "tkapi");
  g_assert_true (g_str_has_suffix (secret, tt_reply_string (key, "last4")));
  g_assert_nonnull (tt_reply_string (key, "created_at"));
  /* Used just now, by this very request. */
  g_assert_nonnull (tt_reply_string (key, "last_used_at"));

  again = tt_call (server, "POST", "/v1/accounts", NULL,
                   "{\"email\": \"ana@example.com\", \"password\": \"another one\"}");
  tt_assert_error (again, 409, "conflict");

  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);
}

static void
test_signup_checks_email_and_password (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new (signup);
  const char *bodies[] = {
    "{\"email\": \"no-at-sign\", \"password\": \"long enough\"}",
    "{\"email\": \"a b@example.com\", \"password\": \"long enough\"}",
    "{\"email\": \"@example.com\", \"password\": \"long enough\"}",
    "{\"email\": \"ana@example.com\", \"password\": \"short\"}",
    "{\"email\": \"ana@example.com\"}",
    "{\"email\": 7, \"password\": \"long enough\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(TtReply) reply = tt_call (server, "POST", "/v1/accounts", NULL, bodies[i]);

      tt_assert_error (reply, 400, "invalid_input");
    }

  g_assert_cmpint (tt_db_count (tokens_test_server_get_database (server),
                                "SELECT count(*) FROM accounts"), ==, 0);
  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);
}

static void
test_sign_in_and_out (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new (signup);
  g_autoptr(TtReply) wrong = NULL;
  g_autoptr(TtReply) unknown = NULL;
  g_autoptr(TtReply) session = NULL;
  g_autoptr(TtReply) me = NULL;
  g_autoptr(TtReply) after = NULL;
  g_autoptr(TtReply) api_sign_out = NULL;
  g_autoptr(TtReply) again = NULL;
  g_autofree char *api_key = NULL;
  g_autoptr(GDateTime) expires = NULL;
  const char *token;

  tt_sign_up (server, "bo@example.com", "correct horse", &api_key);

  wrong = tt_call (server, "POST", "/v1/sessions", NULL,
                   "{\"email\": \"bo@example.com\", \"password\": \"wrong horse\"}");
  tt_assert_error (wrong, 401, "wrong_credentials");

  /* The same answer for an address with no account. */
  unknown = tt_call (server, "POST", "/v1/sessions", NULL,
                     "{\"email\": \"nobody@example.com\", \"password\": \"wrong horse\"}");
  tt_assert_error (unknown, 401, "wrong_credentials");
  g_assert_cmpstr (tt_reply_string (unknown, "error"), ==, tt_reply_string (wrong, "error"));

  session = tt_call (server, "POST", "/v1/sessions", NULL,
                     "{\"email\": \"BO@example.com\", \"password\": \"correct horse\"}");
  g_assert_cmpuint (session->status, ==, 201);
  token = tt_reply_string (session, "token");
  g_assert_true (g_str_has_prefix (token, "tkses_"));
  expires = g_date_time_new_from_iso8601 (tt_reply_string (session, "expires_at"), NULL);
  g_assert_nonnull (expires);
  g_assert_cmpint (g_date_time_to_unix (expires), >, g_get_real_time () / G_USEC_PER_SEC + 24 * 3600);

  me = tt_call (server, "GET", "/v1/me", token, NULL);
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpstr (tt_reply_string (me, "email"), ==, "bo@example.com");

  /* Signing out is for sessions; the API token is not one. */
  api_sign_out = tt_call (server, "DELETE", "/v1/sessions/current", api_key, NULL);
  tt_assert_error (api_sign_out, 403, "token_wrong_kind");

  g_assert_cmpuint (tt_status (server, "DELETE", "/v1/sessions/current", token), ==, 204);
  after = tt_call (server, "GET", "/v1/me", token, NULL);
  tt_assert_error (after, 401, "unauthorized");
  g_assert_cmpstr (soup_message_headers_get_one (after->headers, "WWW-Authenticate"), ==,
                   "Bearer realm=\"tokens\"");

  /* The API token is untouched by the session's end. */
  g_assert_cmpuint (tt_status (server, "GET", "/v1/me", api_key), ==, 200);

  again = tt_call (server, "DELETE", "/v1/sessions/current", token, NULL);
  tt_assert_error (again, 401, "unauthorized");

  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);
}

static void
test_api_key_reset_refuses_the_old_one_at_once (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new (signup);
  g_autoptr(TtReply) reset = NULL;
  g_autoptr(TtReply) old = NULL;
  g_autoptr(TtReply) key = NULL;
  g_autofree char *api_key = NULL;
  const char *fresh;

  tt_sign_up (server, "cy@example.com", "correct horse", &api_key);

  /* The API token may reset itself: the reply is the last thing it gets. */
  reset = tt_call (server, "POST", "/v1/me/api-key/reset", api_key, NULL);
  g_assert_cmpuint (reset->status, ==, 200);
  fresh = tt_reply_string (reset, "token");
  g_assert_true (g_str_has_prefix (fresh, "tkapi_"));
  g_assert_cmpstr (fresh, !=, api_key);
  g_assert_true (g_str_has_suffix (fresh, json_object_get_string_member (tt_reply_member (reset, "api_key"), "last4")));

  old = tt_call (server, "GET", "/v1/me", api_key, NULL);
  tt_assert_error (old, 401, "unauthorized");

  key = tt_call (server, "GET", "/v1/me/api-key", fresh, NULL);
  g_assert_cmpuint (key->status, ==, 200);
  g_assert_true (g_str_has_suffix (fresh, tt_reply_string (key, "last4")));
  g_assert_null (strstr (key->text, fresh));

  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);
}

static gboolean
events_have (JsonArray  *events,
             const char *kind)
{
  for (guint i = 0; i < json_array_get_length (events); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (events, i), "kind"), kind) == 0)
      return TRUE;
  return FALSE;
}

static void
test_events_tell_what_happened_without_secrets (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new (signup);
  g_autoptr(TtReply) events = NULL;
  g_autoptr(TtReply) page = NULL;
  g_autoptr(TtReply) next = NULL;
  g_autoptr(TtReply) bad = NULL;
  g_autoptr(TtReply) failed = NULL;
  g_autofree char *api_key = NULL;
  g_autofree char *access = NULL;
  g_autofree char *page_path = NULL;
  JsonArray *list;
  gint64 id;

  tt_sign_up (server, "di@example.com", "correct horse", &api_key);
  access = tt_create_token (server, api_key, "ci", "[\"read\"]", "30", &id);
  g_assert_cmpuint (tt_status (server, "DELETE", "/v1/tokens/1", api_key), ==, 204);
  failed = tt_call (server, "POST", "/v1/sessions", NULL,
                    "{\"email\": \"di@example.com\", \"password\": \"wrong horse\"}");
  g_assert_cmpuint (failed->status, ==, 401);

  events = tt_call (server, "GET", "/v1/me/events", api_key, NULL);
  g_assert_cmpuint (events->status, ==, 200);
  list = json_object_get_array_member (tt_reply_object (events), "events");
  g_assert_cmpuint (json_array_get_length (list), ==, 4);
  /* Newest first. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "kind"), ==,
                   "sign_in.failed");
  g_assert_true (events_have (list, "account.created"));
  g_assert_true (events_have (list, "token.created"));
  g_assert_true (events_have (list, "token.revoked"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (list, 1), "token_id"), ==, id);
  g_assert_nonnull (json_object_get_string_member (json_array_get_object_element (list, 1), "created_at"));
  g_assert_null (strstr (events->text, api_key));
  g_assert_null (strstr (events->text, access));

  /* Pages: two, then the rest. */
  page = tt_call (server, "GET", "/v1/me/events?page_size=3", api_key, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (tt_reply_object (page), "events")), ==, 3);
  g_assert_nonnull (tt_reply_string (page, "next_page_token"));
  page_path = g_strdup_printf ("/v1/me/events?page_size=3&page_token=%s", tt_reply_string (page, "next_page_token"));
  next = tt_call (server, "GET", page_path, api_key, NULL);
  list = json_object_get_array_member (tt_reply_object (next), "events");
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (list, 0), "kind"), ==,
                   "account.created");
  g_assert_true (json_object_get_null_member (tt_reply_object (next), "next_page_token"));

  bad = tt_call (server, "GET", "/v1/me/events?page_size=0", api_key, NULL);
  tt_assert_error (bad, 400, "invalid_input");

  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);
}

static gint64
retry_after (TtReply *reply)
{
  const char *value = soup_message_headers_get_one (reply->headers, "Retry-After");

  g_assert_nonnull (value);
  return g_ascii_strtoll (value, NULL, 10);
}

static void
test_failed_sign_ins_are_rate_limited_per_account (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new (signup);
  g_autoptr(TtReply) limited = NULL;
  g_autoptr(TtReply) other = NULL;

  tt_sign_up (server, "ed@example.com", "correct horse", NULL);
  tt_sign_up (server, "fa@example.com", "correct horse", NULL);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(TtReply) reply = tt_call (server, "POST", "/v1/sessions", NULL,
                                          "{\"email\": \"ed@example.com\", \"password\": \"guess\"}");
      tt_assert_error (reply, 401, "wrong_credentials");
    }

  /* Now even the right password waits: that is what stops guessing. */
  limited = tt_call (server, "POST", "/v1/sessions", NULL,
                     "{\"email\": \"ed@example.com\", \"password\": \"correct horse\"}");
  tt_assert_error (limited, 429, "rate_limited");
  g_assert_cmpint (retry_after (limited), >, 0);
  g_assert_cmpint (retry_after (limited), <=, 15 * 60);

  /* Another account from the same address is not locked out. */
  other = tt_call (server, "POST", "/v1/sessions", NULL,
                   "{\"email\": \"fa@example.com\", \"password\": \"correct horse\"}");
  g_assert_cmpuint (other->status, ==, 201);

  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);
}

static void
test_failed_sign_ins_are_rate_limited_per_address (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new (signup);
  g_autoptr(TtReply) limited = NULL;

  /* Four guesses each at five addresses that have no account: no account
   * reaches its own limit, the client address reaches its limit of 20. */
  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *body =
        g_strdup_printf ("{\"email\": \"nobody%u@example.com\", \"password\": \"guess\"}", i / 4);
      g_autoptr(TtReply) reply = tt_call (server, "POST", "/v1/sessions", NULL, body);

      tt_assert_error (reply, 401, "wrong_credentials");
    }

  limited = tt_call (server, "POST", "/v1/sessions", NULL,
                     "{\"email\": \"somebody-else@example.com\", \"password\": \"guess\"}");
  tt_assert_error (limited, 429, "rate_limited");
  g_assert_cmpint (retry_after (limited), >, 0);

  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);
}

/* The counts are in the database: a restart does not wipe a guesser's
 * slate (and every instance on one PostgreSQL shares them). */
static void
test_failed_sign_ins_outlive_a_restart (void)
{
  g_autoptr(TokensTestServer) first = tokens_test_server_new (signup);
  g_autoptr(TokensTestServer) second = NULL;
  g_autoptr(TtReply) limited = NULL;
  g_autofree char *database = NULL;

  tt_sign_up (first, "gu@example.com", "correct horse", NULL);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(TtReply) reply = tt_call (first, "POST", "/v1/sessions", NULL,
                                          "{\"email\": \"gu@example.com\", \"password\": \"guess\"}");
      tt_assert_error (reply, 401, "wrong_credentials");
    }
  database = g_strdup (tokens_test_server_get_database (first));
  g_assert_cmpint (tokens_test_server_stop (first), ==, 0);

  second = tokens_test_server_new_for_path (database, signup);
  limited = tt_call (second, "POST", "/v1/sessions", NULL,
                     "{\"email\": \"gu@example.com\", \"password\": \"correct horse\"}");
  tt_assert_error (limited, 429, "rate_limited");
  g_assert_cmpint (retry_after (limited), >, 0);

  g_assert_cmpint (tokens_test_server_stop (second), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/accounts/signup-refused-unless-allowed", test_signup_refused_unless_allowed);
  g_test_add_func ("/server/accounts/signup-returns-the-api-token-once", test_signup_returns_the_api_token_once);
  g_test_add_func ("/server/accounts/signup-checks-email-and-password", test_signup_checks_email_and_password);
  g_test_add_func ("/server/accounts/sign-in-and-out", test_sign_in_and_out);
  g_test_add_func ("/server/accounts/api-key-reset-refuses-the-old-one-at-once",
                   test_api_key_reset_refuses_the_old_one_at_once);
  g_test_add_func ("/server/accounts/events-tell-what-happened-without-secrets",
                   test_events_tell_what_happened_without_secrets);
  g_test_add_func ("/server/accounts/failed-sign-ins-are-rate-limited-per-account",
                   test_failed_sign_ins_are_rate_limited_per_account);
  g_test_add_func ("/server/accounts/failed-sign-ins-are-rate-limited-per-address",
                   test_failed_sign_ins_are_rate_limited_per_address);
  g_test_add_func ("/server/accounts/failed-sign-ins-outlive-a-restart",
                   test_failed_sign_ins_outlive_a_restart);

  return g_test_run ();
}
