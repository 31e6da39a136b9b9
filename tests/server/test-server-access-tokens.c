/* test-server-access-tokens.c — create, list, edit, revoke; scopes; verify
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

static gboolean
array_has (JsonArray  *array,
           const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static void
test_create_shows_the_secret_once (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(TtReply) created = NULL;
  g_autoptr(TtReply) got = NULL;
  g_autoptr(TtReply) list = NULL;
  g_autoptr(GDateTime) created_at = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  JsonObject *token;
  const char *secret;
  g_autofree char *path = NULL;

  created = tt_call (fixture->server, "POST", "/v1/tokens", fixture->api_key,
                     "{\"name\": \"CI server\", \"scopes\": [\"read\", \"write\"], \"expires_in_days\": 30}");
  g_assert_cmpuint (created->status, ==, 201);
  secret = tt_reply_string (created, "token");
  g_assert_true (g_str_has_prefix (secret, "tkacc_"));

  token = tt_reply_member (created, "access_token");
  g_assert_cmpstr (json_object_get_string_member (token, "name"), ==, "CI server");
  g_assert_true (array_has (json_object_get_array_member (token, "scopes"), "read"));
  g_assert_true (array_has (json_object_get_array_member (token, "scopes"), "write"));
  g_assert_cmpstr (json_object_get_string_member (token, "prefix"), ==, "tkacc");
  g_assert_true (g_str_has_suffix (secret, json_object_get_string_member (token, "last4")));
  g_assert_cmpint (json_object_get_int_member (token, "duration_days"), ==, 30);
  g_assert_true (json_object_get_null_member (token, "last_used_at"));
  g_assert_true (json_object_get_null_member (token, "previous"));
  created_at = g_date_time_new_from_iso8601 (json_object_get_string_member (token, "created_at"), NULL);
  expires_at = g_date_time_new_from_iso8601 (json_object_get_string_member (token, "expires_at"), NULL);
  g_assert_cmpint (g_date_time_to_unix (expires_at) - g_date_time_to_unix (created_at), ==, 30 * 24 * 3600);

  path = g_strdup_printf ("/v1/tokens/%" G_GINT64_FORMAT, json_object_get_int_member (token, "id"));
  got = tt_call (fixture->server, "GET", path, fixture->api_key, NULL);
  g_assert_cmpuint (got->status, ==, 200);
  g_assert_cmpstr (tt_reply_string (got, "name"), ==, "CI server");
  g_assert_null (strstr (got->text, secret));

  list = tt_call (fixture->server, "GET", "/v1/tokens", fixture->api_key, NULL);
  g_assert_cmpuint (list->status, ==, 200);
  g_assert_null (strstr (list->text, secret));
}

static void
test_no_expiry_is_a_valid_state (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(TtReply) absent = NULL;
  g_autoptr(TtReply) null = NULL;
  g_autoptr(TtReply) zero = NULL;
  g_autoptr(TtReply) verify = NULL;
  JsonObject *token;

  absent = tt_call (fixture->server, "POST", "/v1/tokens", fixture->api_key,
                    "{\"name\": \"forever\", \"scopes\": [\"read\"]}");
  g_assert_cmpuint (absent->status, ==, 201);
  token = tt_reply_member (absent, "access_token");
  g_assert_true (json_object_get_null_member (token, "expires_at"));
  g_assert_true (json_object_get_null_member (token, "duration_days"));

  null = tt_call (fixture->server, "POST", "/v1/tokens", fixture->api_key,
                  "{\"name\": \"forever\", \"scopes\": [\"read\"], \"expires_in_days\": null}");
  g_assert_cmpuint (null->status, ==, 201);
  g_assert_true (json_object_get_null_member (tt_reply_member (null, "access_token"), "expires_at"));

  verify = tt_call (fixture->server, "GET", "/v1/tokens/verify", tt_reply_string (null, "token"), NULL);
  g_assert_cmpuint (verify->status, ==, 200);
  g_assert_true (json_object_get_null_member (tt_reply_object (verify), "expires_at"));

  /* One spelling of "no expiry": 0 is not a duration. */
  zero = tt_call (fixture->server, "POST", "/v1/tokens", fixture->api_key,
                  "{\"name\": \"zero\", \"scopes\": [\"read\"], \"expires_in_days\": 0}");
  tt_assert_error (zero, 400, "invalid_input");
}

static void
test_list_is_paginated (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *token = NULL;
  guint pages = 0;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("token %u", i);
      g_autofree char *secret = tt_create_token (fixture->server, fixture->api_key, name,
                                                 "[\"read\"]", NULL, NULL);
    }

  do
    {
      g_autofree char *path = token
        ? g_strdup_printf ("/v1/tokens?page_size=2&page_token=%s", token)
        : g_strdup ("/v1/tokens?page_size=2");
      g_autoptr(TtReply) page = tt_call (fixture->server, "GET", path, fixture->api_key, NULL);
      JsonArray *tokens;

      g_assert_cmpuint (page->status, ==, 200);
      g_assert_cmpint (tt_reply_int (page, "total"), ==, 5);
      tokens = json_object_get_array_member (tt_reply_object (page), "tokens");
      g_assert_cmpuint (json_array_get_length (tokens), <=, 2);
      for (guint i = 0; i < json_array_get_length (tokens); i++)
        g_ptr_array_add (seen, g_strdup (json_object_get_string_member (json_array_get_object_element (tokens, i), "name")));

      g_clear_pointer (&token, g_free);
      if (!json_object_get_null_member (tt_reply_object (page), "next_page_token"))
        token = g_strdup (tt_reply_string (page, "next_page_token"));
      pages++;
    }
  while (token != NULL);

  g_assert_cmpuint (pages, ==, 3);
  g_assert_cmpuint (seen->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("token %u", i);

      g_assert_cmpstr (g_ptr_array_index (seen, i), ==, name);
    }
}

static void
test_edit_name_and_scopes (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(TtReply) renamed = NULL;
  g_autoptr(TtReply) rescoped = NULL;
  g_autoptr(TtReply) nothing = NULL;
  g_autoptr(TtReply) none = NULL;
  g_autoptr(TtReply) upload = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *path = NULL;
  const char *auth[3] = { "Authorization", NULL, NULL };
  g_autofree char *bearer = NULL;
  gint64 id;

  secret = tt_create_token (fixture->server, fixture->api_key, "laptop", "[\"read\"]", "7", &id);
  path = g_strdup_printf ("/v1/tokens/%" G_GINT64_FORMAT, id);

  renamed = tt_call (fixture->server, "PATCH", path, fixture->api_key, "{\"name\": \"  old laptop  \"}");
  g_assert_cmpuint (renamed->status, ==, 200);
  g_assert_cmpstr (tt_reply_string (renamed, "name"), ==, "old laptop");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (tt_reply_object (renamed), "scopes")), ==, 1);

  bearer = g_strconcat ("Bearer ", secret, NULL);
  auth[1] = bearer;
  upload = tt_call_full (fixture->server, "PUT", "/v1/files/notes.txt", auth, "text/plain", "hi", 2);
  tt_assert_error (upload, 403, "forbidden");

  rescoped = tt_call (fixture->server, "PATCH", path, fixture->api_key, "{\"scopes\": [\"write\"]}");
  g_assert_cmpuint (rescoped->status, ==, 200);
  g_assert_cmpstr (tt_reply_string (rescoped, "name"), ==, "old laptop");
  g_assert_true (array_has (json_object_get_array_member (tt_reply_object (rescoped), "scopes"), "write"));
  g_assert_false (array_has (json_object_get_array_member (tt_reply_object (rescoped), "scopes"), "read"));

  /* The same secret, new rights, at once. */
  g_clear_pointer (&upload, tt_reply_free);
  upload = tt_call_full (fixture->server, "PUT", "/v1/files/notes.txt", auth, "text/plain", "hi", 2);
  g_assert_cmpuint (upload->status, ==, 201);
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/files/notes.txt", secret), ==, 403);

  nothing = tt_call (fixture->server, "PATCH", path, fixture->api_key, "{}");
  tt_assert_error (nothing, 400, "invalid_input");
  none = tt_call (fixture->server, "PATCH", path, fixture->api_key, "{\"scopes\": []}");
  tt_assert_error (none, 400, "invalid_input");
}

static void
test_revoke_refuses_the_token (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(TtReply) after = NULL;
  g_autoptr(TtReply) again = NULL;
  g_autoptr(TtReply) gone = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *path = NULL;
  gint64 id;

  secret = tt_create_token (fixture->server, fixture->api_key, "ci", "[\"read\"]", NULL, &id);
  path = g_strdup_printf ("/v1/tokens/%" G_GINT64_FORMAT, id);
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/tokens/verify", secret), ==, 200);

  g_assert_cmpuint (tt_status (fixture->server, "DELETE", path, fixture->api_key), ==, 204);

  after = tt_call (fixture->server, "GET", "/v1/tokens/verify", secret, NULL);
  tt_assert_error (after, 401, "unauthorized");
  gone = tt_call (fixture->server, "GET", path, fixture->api_key, NULL);
  tt_assert_error (gone, 404, "not_found");
  again = tt_call (fixture->server, "DELETE", path, fixture->api_key, NULL);
  tt_assert_error (again, 404, "not_found");
  /* Its secrets went with it. */
  g_assert_cmpint (tt_db_count (tokens_test_server_get_database (fixture->server),
                                "SELECT count(*) FROM credentials WHERE kind = 1"), ==, 0);
}

/* How many events of @kind name token @token_id, over the whole log. */
static guint
count_events (Fixture    *fixture,
              const char *kind,
              gint64      token_id)
{
  g_autoptr(TtReply) events = tt_call (fixture->server, "GET", "/v1/me/events?page_size=100",
                                       fixture->api_key, NULL);
  JsonArray *array;
  guint count = 0;

  g_assert_cmpuint (events->status, ==, 200);
  array = json_object_get_array_member (tt_reply_object (events), "events");
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *event = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (event, "kind"), kind) == 0 &&
          !json_object_get_null_member (event, "token_id") &&
          json_object_get_int_member (event, "token_id") == token_id)
        count++;
    }

  return count;
}

/* The newest token revoked, then a new one made: a client retrying the
 * DELETE whose answer it lost must not revoke the new token, which it
 * would if the new one got the freed id. */
static void
test_revoked_ids_are_not_reused (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(TtReply) retried = NULL;
  g_autoptr(TtReply) as_c = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;
  g_autofree char *b_path = NULL;
  gint64 a_id, b_id, c_id;

  a = tt_create_token (fixture->server, fixture->api_key, "a", "[\"read\"]", NULL, &a_id);
  b = tt_create_token (fixture->server, fixture->api_key, "b", "[\"read\"]", NULL, &b_id);
  g_assert_cmpint (b_id, ==, a_id + 1);
  b_path = g_strdup_printf ("/v1/tokens/%" G_GINT64_FORMAT, b_id);
  g_assert_cmpuint (tt_status (fixture->server, "DELETE", b_path, fixture->api_key), ==, 204);

  c = tt_create_token (fixture->server, fixture->api_key, "c", "[\"read\"]", NULL, &c_id);
  g_assert_cmpint (c_id, >, b_id);

  retried = tt_call (fixture->server, "DELETE", b_path, fixture->api_key, NULL);
  tt_assert_error (retried, 404, "not_found");

  as_c = tt_call (fixture->server, "GET", "/v1/tokens/verify", c, NULL);
  g_assert_cmpuint (as_c->status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (tt_reply_object (as_c), "token_id"), ==, c_id);
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/tokens/verify", a), ==, 200);

  /* The log tells one story per id. */
  g_assert_cmpuint (count_events (fixture, "token.created", b_id), ==, 1);
  g_assert_cmpuint (count_events (fixture, "token.revoked", b_id), ==, 1);
  g_assert_cmpuint (count_events (fixture, "token.created", c_id), ==, 1);
  g_assert_cmpuint (count_events (fixture, "token.revoked", c_id), ==, 0);
}

static void
test_scopes_decide_downloads_and_uploads (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autofree char *reader = NULL;
  g_autofree char *writer = NULL;
  g_autofree char *both = NULL;
  g_autofree char *reader_auth = NULL;
  g_autofree char *writer_auth = NULL;
  g_autoptr(TtReply) refused_upload = NULL;
  g_autoptr(TtReply) upload = NULL;
  g_autoptr(TtReply) replace = NULL;
  g_autoptr(TtReply) download = NULL;
  g_autoptr(TtReply) refused_download = NULL;
  g_autoptr(TtReply) list = NULL;
  g_autoptr(TtReply) missing = NULL;
  g_autoptr(TtReply) bad_name = NULL;
  const char *reader_headers[3] = { "Authorization", NULL, NULL };
  const char *writer_headers[3] = { "Authorization", NULL, NULL };
  static const guint8 blob[] = { 0, 1, 2, 255, 'x' };

  reader = tt_create_token (fixture->server, fixture->api_key, "reader", "[\"read\"]", NULL, NULL);
  writer = tt_create_token (fixture->server, fixture->api_key, "writer", "[\"write\"]", NULL, NULL);
  both = tt_create_token (fixture->server, fixture->api_key, "both", "[\"write\", \"read\", \"read\"]", NULL, NULL);
  reader_auth = g_strconcat ("Bearer ", reader, NULL);
  writer_auth = g_strconcat ("Bearer ", writer, NULL);
  reader_headers[1] = reader_auth;
  writer_headers[1] = writer_auth;

  refused_upload = tt_call_full (fixture->server, "PUT", "/v1/files/data.bin", reader_headers,
                                 "application/octet-stream", blob, sizeof blob);
  tt_assert_error (refused_upload, 403, "forbidden");
  g_assert_nonnull (strstr (tt_reply_string (refused_upload, "error"), "write"));

  upload = tt_call_full (fixture->server, "PUT", "/v1/files/data.bin", writer_headers,
                         "application/octet-stream", blob, sizeof blob);
  g_assert_cmpuint (upload->status, ==, 201);
  g_assert_cmpint (tt_reply_int (upload, "size"), ==, sizeof blob);
  replace = tt_call_full (fixture->server, "PUT", "/v1/files/data.bin", writer_headers,
                          "application/octet-stream", blob, sizeof blob);
  g_assert_cmpuint (replace->status, ==, 200);

  download = tt_call (fixture->server, "GET", "/v1/files/data.bin", reader, NULL);
  g_assert_cmpuint (download->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (download->headers, NULL), ==, "application/octet-stream");
  g_assert_cmpmem (g_bytes_get_data (download->body, NULL), g_bytes_get_size (download->body), blob, sizeof blob);

  refused_download = tt_call (fixture->server, "GET", "/v1/files/data.bin", writer, NULL);
  tt_assert_error (refused_download, 403, "forbidden");
  g_assert_nonnull (strstr (tt_reply_string (refused_download, "error"), "read"));

  list = tt_call (fixture->server, "GET", "/v1/files", both, NULL);
  g_assert_cmpuint (list->status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (tt_reply_object (list), "files")), ==, 1);
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/files", writer), ==, 403);

  /* Sessions and the API token have every scope. */
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/files/data.bin", fixture->api_key), ==, 200);
  g_assert_cmpuint (tt_status (fixture->server, "DELETE", "/v1/files/data.bin", reader), ==, 403);
  g_assert_cmpuint (tt_status (fixture->server, "DELETE", "/v1/files/data.bin", writer), ==, 204);

  missing = tt_call (fixture->server, "GET", "/v1/files/data.bin", both, NULL);
  tt_assert_error (missing, 404, "not_found");
  bad_name = tt_call (fixture->server, "GET", "/v1/files/.hidden", both, NULL);
  tt_assert_error (bad_name, 400, "invalid_input");
}

static void
test_access_tokens_cannot_manage_the_account (Fixture       *fixture,
                                              gconstpointer  data)
{
  g_autofree char *secret = tt_create_token (fixture->server, fixture->api_key, "ci",
                                             "[\"read\", \"write\"]", NULL, NULL);
  const char *paths[][2] = {
    { "GET", "/v1/tokens" },
    { "GET", "/v1/me" },
    { "GET", "/v1/me/api-key" },
    { "POST", "/v1/me/api-key/reset" },
    { "GET", "/v1/security/client-token" },
    { "POST", "/v1/tokens/1/renew" },
    { "DELETE", "/v1/tokens/1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(TtReply) reply = tt_call (fixture->server, paths[i][0], paths[i][1], secret, NULL);

      tt_assert_error (reply, 403, "token_wrong_kind");
    }

  /* And nothing happened: the token is still there and still works. */
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/tokens/1", fixture->api_key), ==, 200);
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/tokens/verify", secret), ==, 200);
}

static void
test_verify_answers_for_every_kind (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autofree char *session = tt_sign_in (fixture->server, "ana@example.com", "correct horse");
  g_autofree char *access = NULL;
  g_autoptr(TtReply) as_api = NULL;
  g_autoptr(TtReply) as_session = NULL;
  g_autoptr(TtReply) as_access = NULL;
  g_autoptr(TtReply) token = NULL;
  gint64 id;

  access = tt_create_token (fixture->server, session, "reader", "[\"read\"]", "1", &id);

  as_api = tt_call (fixture->server, "GET", "/v1/tokens/verify", fixture->api_key, NULL);
  g_assert_cmpuint (as_api->status, ==, 200);
  g_assert_cmpstr (tt_reply_string (as_api, "kind"), ==, "api_key");
  g_assert_cmpstr (tt_reply_string (as_api, "email"), ==, "ana@example.com");
  g_assert_cmpint (tt_reply_int (as_api, "account_id"), >, 0);
  g_assert_true (json_object_get_null_member (tt_reply_object (as_api), "token_id"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (tt_reply_object (as_api), "scopes")), ==, 2);

  as_session = tt_call (fixture->server, "GET", "/v1/tokens/verify", session, NULL);
  g_assert_cmpuint (as_session->status, ==, 200);
  g_assert_cmpstr (tt_reply_string (as_session, "kind"), ==, "session");
  g_assert_nonnull (tt_reply_string (as_session, "expires_at"));

  as_access = tt_call (fixture->server, "GET", "/v1/tokens/verify", access, NULL);
  g_assert_cmpuint (as_access->status, ==, 200);
  g_assert_cmpstr (tt_reply_string (as_access, "kind"), ==, "access");
  g_assert_cmpint (tt_reply_int (as_access, "token_id"), ==, id);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (tt_reply_object (as_access), "scopes")), ==, 1);
  g_assert_false (json_object_get_boolean_member (tt_reply_object (as_access), "is_previous"));

  /* last_used_at follows use. */
  token = tt_call (fixture->server, "GET", "/v1/tokens/1", session, NULL);
  g_assert_false (json_object_get_null_member (tt_reply_object (token), "last_used_at"));
}

static void
test_tokens_of_another_account_are_not_found (Fixture       *fixture,
                                              gconstpointer  data)
{
  g_autofree char *other_key = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *path = NULL;
  g_autoptr(TtReply) get = NULL;
  g_autoptr(TtReply) patch = NULL;
  g_autoptr(TtReply) renew = NULL;
  g_autoptr(TtReply) list = NULL;
  gint64 id;

  secret = tt_create_token (fixture->server, fixture->api_key, "mine", "[\"read\"]", NULL, &id);
  tt_sign_up (fixture->server, "eve@example.com", "correct horse", &other_key);
  path = g_strdup_printf ("/v1/tokens/%" G_GINT64_FORMAT, id);

  get = tt_call (fixture->server, "GET", path, other_key, NULL);
  tt_assert_error (get, 404, "not_found");
  patch = tt_call (fixture->server, "PATCH", path, other_key, "{\"name\": \"stolen\"}");
  tt_assert_error (patch, 404, "not_found");
  g_clear_pointer (&path, g_free);
  path = g_strdup_printf ("/v1/tokens/%" G_GINT64_FORMAT "/renew", id);
  renew = tt_call (fixture->server, "POST", path, other_key, NULL);
  tt_assert_error (renew, 404, "not_found");

  list = tt_call (fixture->server, "GET", "/v1/tokens", other_key, NULL);
  g_assert_cmpint (tt_reply_int (list, "total"), ==, 0);
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/tokens/verify", secret), ==, 200);
}

static void
test_expired_tokens_are_refused (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *secret = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(TtReply) expired = NULL;
  g_autoptr(TtReply) listed = NULL;
  g_autoptr(TtReply) renewed = NULL;
  g_autofree char *path = NULL;
  gint64 id;

  secret = tt_create_token (fixture->server, fixture->api_key, "short-lived", "[\"read\"]", "1", &id);
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/tokens/verify", secret), ==, 200);

  /* A day is long to wait: move its expiry into the past instead. */
  sql = g_strdup_printf ("UPDATE credentials SET expires_at = %" G_GINT64_FORMAT
                         " WHERE access_token_id = %" G_GINT64_FORMAT,
                         g_get_real_time () / G_USEC_PER_SEC - 1, id);
  tt_db_exec (tokens_test_server_get_database (fixture->server), sql);

  expired = tt_call (fixture->server, "GET", "/v1/tokens/verify", secret, NULL);
  tt_assert_error (expired, 401, "unauthorized");
  g_assert_nonnull (strstr (tt_reply_string (expired, "error"), "expired"));

  /* Still listed, so it can be renewed; renewing brings it back. */
  listed = tt_call (fixture->server, "GET", "/v1/tokens", fixture->api_key, NULL);
  g_assert_cmpint (tt_reply_int (listed, "total"), ==, 1);
  path = g_strdup_printf ("/v1/tokens/%" G_GINT64_FORMAT "/renew", id);
  renewed = tt_call (fixture->server, "POST", path, fixture->api_key, "{\"delete_old\": \"now\"}");
  g_assert_cmpuint (renewed->status, ==, 200);
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/tokens/verify", tt_reply_string (renewed, "token")), ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/access-tokens/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("create-shows-the-secret-once", test_create_shows_the_secret_once);
  ADD ("no-expiry-is-a-valid-state", test_no_expiry_is_a_valid_state);
  ADD ("list-is-paginated", test_list_is_paginated);
  ADD ("edit-name-and-scopes", test_edit_name_and_scopes);
  ADD ("revoke-refuses-the-token", test_revoke_refuses_the_token);
  ADD ("revoked-ids-are-not-reused", test_revoked_ids_are_not_reused);
  ADD ("scopes-decide-downloads-and-uploads", test_scopes_decide_downloads_and_uploads);
  ADD ("access-tokens-cannot-manage-the-account", test_access_tokens_cannot_manage_the_account);
  ADD ("verify-answers-for-every-kind", test_verify_answers_for_every_kind);
  ADD ("tokens-of-another-account-are-not-found", test_tokens_of_another_account_are_not_found);
  ADD ("expired-tokens-are-refused", test_expired_tokens_are_refused);

#undef ADD

  return g_test_run ();
}
