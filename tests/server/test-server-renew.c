/* test-server-renew.c — renew now or later, delete the old token, undo
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
  char             *old_secret;
  gint64            id;
  char             *path;   /* /v1/tokens/{id} */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = tokens_test_server_new (signup);
  tt_sign_up (fixture->server, "ana@example.com", "correct horse", &fixture->api_key);
  fixture->old_secret = tt_create_token (fixture->server, fixture->api_key, "integration",
                                         "[\"read\"]", "30", &fixture->id);
  fixture->path = g_strdup_printf ("/v1/tokens/%" G_GINT64_FORMAT, fixture->id);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_cmpint (tokens_test_server_stop (fixture->server), ==, 0);
  g_clear_pointer (&fixture->server, tokens_test_server_free);
  g_free (fixture->api_key);
  g_free (fixture->old_secret);
  g_free (fixture->path);
}

static TtReply *
call_on (Fixture    *fixture,
         const char *method,
         const char *suffix,
         const char *body)
{
  g_autofree char *path = g_strconcat (fixture->path, suffix, NULL);

  return tt_call (fixture->server, method, path, fixture->api_key, body);
}

static guint
verify (Fixture    *fixture,
        const char *secret)
{
  return tt_status (fixture->server, "GET", "/v1/tokens/verify", secret);
}

static void
test_renew_later_keeps_both_valid (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(TtReply) renewed = NULL;
  g_autoptr(TtReply) listed = NULL;
  g_autoptr(TtReply) as_old = NULL;
  JsonObject *token, *previous, *listed_token;
  const char *fresh;

  renewed = call_on (fixture, "POST", "/renew", "{\"delete_old\": \"later\"}");
  g_assert_cmpuint (renewed->status, ==, 200);
  fresh = tt_reply_string (renewed, "token");
  g_assert_true (g_str_has_prefix (fresh, "tkacc_"));
  g_assert_cmpstr (fresh, !=, fixture->old_secret);

  token = tt_reply_member (renewed, "access_token");
  g_assert_cmpint (json_object_get_int_member (token, "id"), ==, fixture->id);
  g_assert_true (g_str_has_suffix (fresh, json_object_get_string_member (token, "last4")));
  g_assert_nonnull (json_object_get_string_member (token, "renewed_at"));
  previous = json_object_get_object_member (token, "previous");
  g_assert_nonnull (previous);
  g_assert_true (g_str_has_suffix (fixture->old_secret, json_object_get_string_member (previous, "last4")));
  /* Both durations are listed. */
  g_assert_nonnull (json_object_get_string_member (token, "expires_at"));
  g_assert_nonnull (json_object_get_string_member (previous, "expires_at"));

  g_assert_cmpuint (verify (fixture, fresh), ==, 200);
  as_old = tt_call (fixture->server, "GET", "/v1/tokens/verify", fixture->old_secret, NULL);
  g_assert_cmpuint (as_old->status, ==, 200);
  g_assert_true (json_object_get_boolean_member (tt_reply_object (as_old), "is_previous"));

  listed = tt_call (fixture->server, "GET", "/v1/tokens", fixture->api_key, NULL);
  listed_token = json_array_get_object_element (json_object_get_array_member (tt_reply_object (listed), "tokens"), 0);
  g_assert_nonnull (json_object_get_object_member (listed_token, "previous"));
  g_assert_null (strstr (listed->text, fresh));
  g_assert_null (strstr (listed->text, fixture->old_secret));
}

static void
test_renew_defaults_to_later (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TtReply) renewed = call_on (fixture, "POST", "/renew", NULL);

  g_assert_cmpuint (renewed->status, ==, 200);
  g_assert_nonnull (json_object_get_object_member (tt_reply_member (renewed, "access_token"), "previous"));
  g_assert_cmpuint (verify (fixture, fixture->old_secret), ==, 200);
  g_assert_cmpuint (verify (fixture, tt_reply_string (renewed, "token")), ==, 200);
}

static void
test_renew_now_refuses_the_old_at_once (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(TtReply) renewed = NULL;
  g_autoptr(TtReply) old = NULL;
  g_autoptr(TtReply) undo = NULL;

  renewed = call_on (fixture, "POST", "/renew", "{\"delete_old\": \"now\"}");
  g_assert_cmpuint (renewed->status, ==, 200);
  g_assert_true (json_object_get_null_member (tt_reply_member (renewed, "access_token"), "previous"));

  old = tt_call (fixture->server, "GET", "/v1/tokens/verify", fixture->old_secret, NULL);
  tt_assert_error (old, 401, "unauthorized");
  g_assert_cmpuint (verify (fixture, tt_reply_string (renewed, "token")), ==, 200);

  /* Nothing to go back to. */
  undo = call_on (fixture, "POST", "/undo-renewal", NULL);
  tt_assert_error (undo, 409, "conflict");
}

static void
test_delete_old_later (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(TtReply) renewed = NULL;
  g_autoptr(TtReply) deleted = NULL;
  g_autoptr(TtReply) old = NULL;
  g_autoptr(TtReply) again = NULL;
  g_autoptr(TtReply) undo = NULL;
  g_autofree char *fresh = NULL;

  renewed = call_on (fixture, "POST", "/renew", "{\"delete_old\": \"later\"}");
  fresh = g_strdup (tt_reply_string (renewed, "token"));

  deleted = call_on (fixture, "DELETE", "/previous", NULL);
  g_assert_cmpuint (deleted->status, ==, 200);
  g_assert_true (json_object_get_null_member (tt_reply_object (deleted), "previous"));

  old = tt_call (fixture->server, "GET", "/v1/tokens/verify", fixture->old_secret, NULL);
  tt_assert_error (old, 401, "unauthorized");
  g_assert_cmpuint (verify (fixture, fresh), ==, 200);

  again = call_on (fixture, "DELETE", "/previous", NULL);
  tt_assert_error (again, 409, "conflict");

  /* The seed: undoing needs the old token, and it is gone. */
  undo = call_on (fixture, "POST", "/undo-renewal", NULL);
  tt_assert_error (undo, 409, "conflict");
  g_assert_nonnull (strstr (tt_reply_string (undo, "error"), "no renewal to undo"));
  g_assert_cmpuint (verify (fixture, fresh), ==, 200);
}

static void
test_undo_makes_the_old_token_current_again (Fixture       *fixture,
                                             gconstpointer  data)
{
  g_autoptr(TtReply) renewed = NULL;
  g_autoptr(TtReply) undone = NULL;
  g_autoptr(TtReply) fresh_reply = NULL;
  g_autoptr(TtReply) as_old = NULL;
  g_autoptr(TtReply) events = NULL;
  g_autofree char *fresh = NULL;

  renewed = call_on (fixture, "POST", "/renew", "{\"delete_old\": \"later\"}");
  fresh = g_strdup (tt_reply_string (renewed, "token"));

  undone = call_on (fixture, "POST", "/undo-renewal", NULL);
  g_assert_cmpuint (undone->status, ==, 200);
  g_assert_true (g_str_has_suffix (fixture->old_secret, tt_reply_string (undone, "last4")));
  g_assert_true (json_object_get_null_member (tt_reply_object (undone), "previous"));
  g_assert_true (json_object_get_null_member (tt_reply_object (undone), "renewed_at"));

  fresh_reply = tt_call (fixture->server, "GET", "/v1/tokens/verify", fresh, NULL);
  tt_assert_error (fresh_reply, 401, "unauthorized");
  as_old = tt_call (fixture->server, "GET", "/v1/tokens/verify", fixture->old_secret, NULL);
  g_assert_cmpuint (as_old->status, ==, 200);
  g_assert_false (json_object_get_boolean_member (tt_reply_object (as_old), "is_previous"));

  events = tt_call (fixture->server, "GET", "/v1/me/events?page_size=2", fixture->api_key, NULL);
  g_assert_nonnull (strstr (events->text, "token.renewal_undone"));
  g_assert_nonnull (strstr (events->text, "token.renewed"));
}

/* Days from now until @token's expires_at. */
static double
days_left (JsonObject *token)
{
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  expires = g_date_time_new_from_iso8601 (json_object_get_string_member (token, "expires_at"), NULL);
  g_assert_nonnull (expires);
  return g_date_time_difference (expires, now) / (double) G_TIME_SPAN_DAY;
}

/* The renewal asked for 5 days; undoing it gives back the old secret
 * and the 30 days it was made with, and the next renewal that names no
 * duration goes by those 30 days, not by the 5 of the renewal undone. */
static void
test_undo_restores_the_duration (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(TtReply) before = NULL;
  g_autoptr(TtReply) renewed = NULL;
  g_autoptr(TtReply) undone = NULL;
  g_autoptr(TtReply) got = NULL;
  g_autoptr(TtReply) again = NULL;
  JsonObject *token;

  before = tt_call (fixture->server, "GET", fixture->path, fixture->api_key, NULL);
  g_assert_cmpint (tt_reply_int (before, "duration_days"), ==, 30);

  renewed = call_on (fixture, "POST", "/renew", "{\"delete_old\": \"later\", \"expires_in_days\": 5}");
  g_assert_cmpuint (renewed->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (tt_reply_member (renewed, "access_token"), "duration_days"), ==, 5);

  undone = call_on (fixture, "POST", "/undo-renewal", NULL);
  g_assert_cmpuint (undone->status, ==, 200);
  g_assert_cmpint (tt_reply_int (undone, "duration_days"), ==, 30);
  g_assert_cmpstr (tt_reply_string (undone, "expires_at"), ==, tt_reply_string (before, "expires_at"));

  got = tt_call (fixture->server, "GET", fixture->path, fixture->api_key, NULL);
  g_assert_cmpint (tt_reply_int (got, "duration_days"), ==, 30);
  g_assert_cmpstr (tt_reply_string (got, "expires_at"), ==, tt_reply_string (before, "expires_at"));

  again = call_on (fixture, "POST", "/renew", NULL);
  g_assert_cmpuint (again->status, ==, 200);
  token = tt_reply_member (again, "access_token");
  g_assert_cmpint (json_object_get_int_member (token, "duration_days"), ==, 30);
  g_assert_cmpfloat (days_left (token), >, 29.9);
  g_assert_cmpfloat (days_left (token), <, 30.1);
}

/* A token without expiry stays one through a renewal for 5 days undone. */
static void
test_undo_restores_no_expiry (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TtReply) renewed = NULL;
  g_autoptr(TtReply) undone = NULL;
  g_autoptr(TtReply) got = NULL;
  g_autoptr(TtReply) again = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *path = NULL;
  g_autofree char *renew = NULL;
  g_autofree char *undo = NULL;
  JsonObject *token;
  gint64 id;

  secret = tt_create_token (fixture->server, fixture->api_key, "forever", "[\"read\"]", NULL, &id);
  path = g_strdup_printf ("/v1/tokens/%" G_GINT64_FORMAT, id);
  renew = g_strconcat (path, "/renew", NULL);
  undo = g_strconcat (path, "/undo-renewal", NULL);

  renewed = tt_call (fixture->server, "POST", renew, fixture->api_key,
                     "{\"delete_old\": \"later\", \"expires_in_days\": 5}");
  g_assert_cmpint (json_object_get_int_member (tt_reply_member (renewed, "access_token"), "duration_days"), ==, 5);

  undone = tt_call (fixture->server, "POST", undo, fixture->api_key, NULL);
  g_assert_cmpuint (undone->status, ==, 200);
  g_assert_true (json_object_get_null_member (tt_reply_object (undone), "duration_days"));
  g_assert_true (json_object_get_null_member (tt_reply_object (undone), "expires_at"));
  g_assert_cmpuint (verify (fixture, secret), ==, 200);

  got = tt_call (fixture->server, "GET", path, fixture->api_key, NULL);
  g_assert_true (json_object_get_null_member (tt_reply_object (got), "duration_days"));

  again = tt_call (fixture->server, "POST", renew, fixture->api_key, "{\"delete_old\": \"now\"}");
  g_assert_cmpuint (again->status, ==, 200);
  token = tt_reply_member (again, "access_token");
  g_assert_true (json_object_get_null_member (token, "duration_days"));
  g_assert_true (json_object_get_null_member (token, "expires_at"));
}

/* Deleting the old secret ends the chance to undo: the renewal's
 * duration is the token's own from then on. */
static void
test_delete_old_keeps_the_new_duration (Fixture       *fixture,
                                        gconstpointer  data)
{
  g_autoptr(TtReply) renewed = NULL;
  g_autoptr(TtReply) deleted = NULL;
  g_autoptr(TtReply) again = NULL;

  renewed = call_on (fixture, "POST", "/renew", "{\"delete_old\": \"later\", \"expires_in_days\": 5}");
  g_assert_cmpuint (renewed->status, ==, 200);
  deleted = call_on (fixture, "DELETE", "/previous", NULL);
  g_assert_cmpuint (deleted->status, ==, 200);
  g_assert_cmpint (tt_reply_int (deleted, "duration_days"), ==, 5);

  again = call_on (fixture, "POST", "/renew", NULL);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (tt_reply_member (again, "access_token"), "duration_days"), ==, 5);
}

static void
test_one_old_token_at_a_time (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TtReply) first = NULL;
  g_autoptr(TtReply) second_later = NULL;
  g_autoptr(TtReply) second_now = NULL;
  g_autoptr(TtReply) token = NULL;
  const char *dump_before;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  first = call_on (fixture, "POST", "/renew", "{\"delete_old\": \"later\"}");
  g_assert_cmpuint (first->status, ==, 200);

  before = tt_db_dump (tokens_test_server_get_database (fixture->server));
  second_later = call_on (fixture, "POST", "/renew", "{\"delete_old\": \"later\"}");
  tt_assert_error (second_later, 409, "conflict");
  second_now = call_on (fixture, "POST", "/renew", "{\"delete_old\": \"now\"}");
  tt_assert_error (second_now, 409, "conflict");
  after = tt_db_dump (tokens_test_server_get_database (fixture->server));
  dump_before = before;
  g_assert_cmpstr (after, ==, dump_before);

  /* Both secrets of the first renewal still work. */
  g_assert_cmpuint (verify (fixture, fixture->old_secret), ==, 200);
  g_assert_cmpuint (verify (fixture, tt_reply_string (first, "token")), ==, 200);
}

static void
test_renew_can_change_the_duration (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(TtReply) forever = NULL;
  g_autoptr(TtReply) week = NULL;
  g_autoptr(TtReply) bad = NULL;
  JsonObject *token;

  forever = call_on (fixture, "POST", "/renew", "{\"delete_old\": \"now\", \"expires_in_days\": null}");
  g_assert_cmpuint (forever->status, ==, 200);
  token = tt_reply_member (forever, "access_token");
  g_assert_true (json_object_get_null_member (token, "expires_at"));
  g_assert_true (json_object_get_null_member (token, "duration_days"));

  week = call_on (fixture, "POST", "/renew", "{\"delete_old\": \"now\", \"expires_in_days\": 7}");
  g_assert_cmpuint (week->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (tt_reply_member (week, "access_token"), "duration_days"), ==, 7);

  bad = call_on (fixture, "POST", "/renew", "{\"delete_old\": \"sometime\"}");
  tt_assert_error (bad, 400, "invalid_input");
}

static void
test_edges_on_unknown_tokens (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *cases[][2] = {
    { "POST", "/v1/tokens/999/renew" },
    { "DELETE", "/v1/tokens/999/previous" },
    { "POST", "/v1/tokens/999/undo-renewal" },
    { "POST", "/v1/tokens/abc/renew" },
    { "POST", "/v1/tokens/-1/renew" },
  };
  g_autoptr(TtReply) never = NULL;
  g_autoptr(TtReply) no_previous = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TtReply) reply = tt_call (fixture->server, cases[i][0], cases[i][1], fixture->api_key, NULL);

      tt_assert_error (reply, 404, "not_found");
    }

  never = call_on (fixture, "POST", "/undo-renewal", NULL);
  tt_assert_error (never, 409, "conflict");
  no_previous = call_on (fixture, "DELETE", "/previous", NULL);
  tt_assert_error (no_previous, 409, "conflict");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/renew/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("later-keeps-both-valid", test_renew_later_keeps_both_valid);
  ADD ("defaults-to-later", test_renew_defaults_to_later);
  ADD ("now-refuses-the-old-at-once", test_renew_now_refuses_the_old_at_once);
  ADD ("delete-old-later", test_delete_old_later);
  ADD ("undo-makes-the-old-token-current-again", test_undo_makes_the_old_token_current_again);
  ADD ("undo-restores-the-duration", test_undo_restores_the_duration);
  ADD ("undo-restores-no-expiry", test_undo_restores_no_expiry);
  ADD ("delete-old-keeps-the-new-duration", test_delete_old_keeps_the_new_duration);
  ADD ("one-old-token-at-a-time", test_one_old_token_at_a_time);
  ADD ("can-change-the-duration", test_renew_can_change_the_duration);
  ADD ("edges-on-unknown-tokens", test_edges_on_unknown_tokens);

#undef ADD

  return g_test_run ();
}
