/* test-client-token-list.c — TokensTokenList pages in, and keeps its objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * 250 tokens on a live tokens-server: every page comes in with one
 * items-changed; a reload keeps the objects whose token survives; the UI's
 * own add / remove / replace show at once. Also the model's helpers on
 * fixture JSON: no expiry, expired, and update_from notifying only changes.
 */

#include "config.h"

#include "tokens.h"
#include "tokens-test-server.h"
#include "test-lib-util.h"

#define N_TOKENS 250

typedef struct
{
  guint signals;
  guint added;
  guint removed;
} Changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *changes)
{
  changes->signals++;
  changes->added += added;
  changes->removed += removed;
}

static TokensClient *
signed_up_client (TokensTestServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensClient) client = tokens_client_new (tokens_test_server_get_url (server), FALSE, &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TokensSecret) api_key = NULL;

  g_assert_no_error (error);
  tokens_client_sign_up_async (client, "ana@example.org", "correct horse battery", NULL, test_lib_got_result, &result);
  api_key = tokens_client_sign_up_finish (client, AWAIT (result), NULL, NULL, &error);
  g_assert_no_error (error);
  tokens_client_set_credential (client, api_key);

  return g_steal_pointer (&client);
}

typedef struct
{
  guint pending;
} Creating;

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Creating *creating = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) secret = NULL;

  secret = tokens_client_create_token_finish (TOKENS_CLIENT (object), result, NULL, &error);
  g_assert_no_error (error);
  creating->pending--;
}

static gboolean
none_pending (gpointer data)
{
  return ((Creating *) data)->pending == 0;
}

static TokensAccessToken *
create_one (TokensClient *client,
            const char   *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) secret = NULL;
  TokensAccessToken *token = NULL;

  tokens_client_create_token_async (client, name, TOKENS_SCOPE_READ, 0, NULL, test_lib_got_result, &result);
  secret = tokens_client_create_token_finish (client, AWAIT (result), &token, &error);
  g_assert_no_error (error);
  return token;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_pages_in_and_keeps_objects (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new ((const char *[]) { "--allow-signup", NULL });
  g_autoptr(TokensClient) client = signed_up_client (server);
  g_autoptr(TokensTokenList) list = tokens_token_list_new (client);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensAccessToken) first = NULL;
  g_autoptr(TokensAccessToken) renamed = NULL;
  g_autoptr(TokensAccessToken) extra = NULL;
  g_autoptr(TokensAccessToken) kept = NULL;
  g_autofree char *revoked_id = NULL;
  Creating creating = { N_TOKENS };
  Changes changes = { 0 };
  guint loading_notifies = 0, name_notifies = 0, last4_notifies = 0;

  /* 250 tokens, created a few dozen at a time. */
  for (guint i = 0; i < N_TOKENS; i++)
    {
      g_autofree char *name = g_strdup_printf ("token %03u", i);

      tokens_client_create_token_async (client, name, TOKENS_SCOPE_READ, i % 2 ? 30 : 0,
                                        NULL, created_cb, &creating);
    }
  g_assert_true (test_lib_wait_for (none_pending, &creating, 30000));

  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &changes);
  g_signal_connect (list, "notify::loading", G_CALLBACK (count_notify_cb), &loading_notifies);
  g_assert_true (tokens_token_list_get_has_more (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == TOKENS_TYPE_ACCESS_TOKEN);

  /* One page. */
  tokens_token_list_load_more_async (list, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_token_list_get_loading (list));
  g_assert_true (tokens_token_list_load_more_finish (list, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_false (tokens_token_list_get_loading (list));
  g_assert_cmpuint (loading_notifies, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 100);
  g_assert_cmpuint (tokens_token_list_get_total (list), ==, N_TOKENS);
  g_assert_true (tokens_token_list_get_has_more (list));
  g_assert_cmpuint (changes.signals, ==, 1);

  /* The rest: one items-changed per page, in the service's order. */
  g_clear_object (&result);
  tokens_token_list_load_all_async (list, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_token_list_load_all_finish (list, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_TOKENS);
  g_assert_cmpuint (changes.signals, ==, 3);
  g_assert_cmpuint (changes.added, ==, N_TOKENS);
  g_assert_false (tokens_token_list_get_has_more (list));
  {
    /* Every token once, oldest (lowest id) first. */
    g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    gint64 last_id = 0;

    for (guint i = 0; i < N_TOKENS; i++)
      {
        g_autoptr(TokensAccessToken) token = g_list_model_get_item (G_LIST_MODEL (list), i);
        gint64 id = g_ascii_strtoll (tokens_access_token_get_id (token), NULL, 10);

        g_assert_cmpint (id, >, last_id);
        last_id = id;
        g_hash_table_add (names, g_strdup (tokens_access_token_get_name (token)));
      }
    g_assert_cmpuint (g_hash_table_size (names), ==, N_TOKENS);
  }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), N_TOKENS));

  /* Nothing more to load is not an error, and no signal. */
  g_clear_object (&result);
  tokens_token_list_load_more_async (list, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_token_list_load_more_finish (list, AWAIT (result), &error));
  g_assert_cmpuint (changes.signals, ==, 3);

  /* Elsewhere: one token renamed, one revoked. A reload shows both at
   * once, and the rows' objects stay the same objects. */
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  kept = g_list_model_get_item (G_LIST_MODEL (list), 200);
  {
    g_autoptr(TokensAccessToken) victim = g_list_model_get_item (G_LIST_MODEL (list), 10);

    revoked_id = g_strdup (tokens_access_token_get_id (victim));
  }
  g_signal_connect (first, "notify::name", G_CALLBACK (count_notify_cb), &name_notifies);
  g_signal_connect (first, "notify::last4", G_CALLBACK (count_notify_cb), &last4_notifies);

  g_clear_object (&result);
  tokens_client_update_token_async (client, tokens_access_token_get_id (first), "renamed", TOKENS_SCOPE_NONE,
                                    NULL, test_lib_got_result, &result);
  renamed = tokens_client_update_token_finish (client, AWAIT (result), &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  tokens_client_revoke_token_async (client, revoked_id, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_client_revoke_token_finish (client, AWAIT (result), &error));

  changes = (Changes) { 0 };
  g_clear_object (&result);
  tokens_token_list_reload_async (list, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_token_list_reload_finish (list, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes.signals, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_TOKENS - 1);
  g_assert_cmpuint (tokens_token_list_get_total (list), ==, N_TOKENS - 1);
  g_assert_null (tokens_token_list_find_by_id (list, revoked_id, NULL));
  {
    g_autoptr(TokensAccessToken) again = g_list_model_get_item (G_LIST_MODEL (list), 0);
    guint position = 0;

    g_assert_true (again == first);
    g_assert_cmpstr (tokens_access_token_get_name (first), ==, "renamed");
    g_assert_cmpuint (name_notifies, ==, 1);
    g_assert_cmpuint (last4_notifies, ==, 0);
    g_assert_true (tokens_token_list_find_by_id (list, tokens_access_token_get_id (kept), &position) == kept);
    g_assert_cmpuint (position, ==, 199);
  }

  /* Only a change inside a token (a refresh when the window is back): the
   * objects are updated and notify, and the list says nothing, so no row
   * is rebuilt and the selection stays. */
  g_clear_object (&result);
  g_clear_object (&renamed);
  tokens_client_update_token_async (client, tokens_access_token_get_id (first), "renamed again",
                                    TOKENS_SCOPE_NONE, NULL, test_lib_got_result, &result);
  renamed = tokens_client_update_token_finish (client, AWAIT (result), &error);
  g_assert_no_error (error);
  changes = (Changes) { 0 };
  g_clear_object (&result);
  tokens_token_list_reload_async (list, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_token_list_reload_finish (list, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes.signals, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_TOKENS - 1);
  g_assert_cmpstr (tokens_access_token_get_name (first), ==, "renamed again");
  g_assert_cmpuint (name_notifies, ==, 2);

  /* The UI's own changes: add, replace, remove, each one signal. */
  changes = (Changes) { 0 };
  extra = create_one (client, "made in the app");
  tokens_token_list_add (list, extra);
  g_assert_cmpuint (changes.signals, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_TOKENS);
  g_assert_cmpuint (tokens_token_list_get_total (list), ==, N_TOKENS);
  tokens_token_list_add (list, extra);   /* twice is once */
  g_assert_cmpuint (changes.signals, ==, 1);

  {
    g_autoptr(TokensAccessToken) renewed = NULL;
    g_autoptr(TokensSecret) secret = NULL;
    guint previous_notifies = 0;

    g_signal_connect (kept, "notify::has-previous", G_CALLBACK (count_notify_cb), &previous_notifies);
    g_clear_object (&result);
    tokens_client_renew_token_async (client, tokens_access_token_get_id (kept), TOKENS_DELETE_OLD_LATER,
                                     TOKENS_RENEW_SAME_DURATION, NULL, test_lib_got_result, &result);
    secret = tokens_client_renew_token_finish (client, AWAIT (result), &renewed, &error);
    g_assert_no_error (error);
    g_assert_true (tokens_token_list_replace (list, renewed));
    g_assert_true (tokens_access_token_get_has_previous (kept));
    g_assert_cmpuint (previous_notifies, ==, 1);
    g_assert_cmpuint (changes.signals, ==, 1);
  }

  g_assert_true (tokens_token_list_remove_by_id (list, tokens_access_token_get_id (extra)));
  g_assert_false (tokens_token_list_remove_by_id (list, tokens_access_token_get_id (extra)));
  g_assert_cmpuint (changes.signals, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, N_TOKENS - 1);
  g_assert_false (tokens_token_list_replace (list, extra));

  g_signal_handlers_disconnect_by_data (first, &name_notifies);
  g_signal_handlers_disconnect_by_data (first, &last4_notifies);
}

static void
test_failed_load_sets_error_and_keeps_items (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new ((const char *[]) { "--allow-signup", NULL });
  g_autoptr(TokensClient) client = signed_up_client (server);
  g_autoptr(TokensTokenList) list = tokens_token_list_new (client);
  g_autoptr(TokensAccessToken) token = create_one (client, "one");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint error_notifies = 0;

  tokens_token_list_load_more_async (list, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_token_list_load_more_finish (list, AWAIT (result), &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_null (tokens_token_list_get_error (list));

  g_signal_connect (list, "notify::error", G_CALLBACK (count_notify_cb), &error_notifies);
  tokens_client_set_credential (client, NULL);
  g_clear_object (&result);
  tokens_token_list_reload_async (list, NULL, test_lib_got_result, &result);
  g_assert_false (tokens_token_list_reload_finish (list, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_UNAUTHORIZED);
  g_assert_error (tokens_token_list_get_error (list), TOKENS_ERROR, TOKENS_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (error_notifies, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_false (tokens_token_list_get_loading (list));
}

static TokensAccessToken *
token_from_json (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  TokensAccessToken *token;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  token = tokens_access_token_new_from_json (json_node_get_object (json_parser_get_root (parser)), &error);
  g_assert_no_error (error);
  return token;
}

#define TOKEN_JSON(expires, previous) \
  "{\"id\": 7, \"name\": \"x\", \"scopes\": [\"write\"], \"prefix\": \"tkacc\", \"last4\": \"abcd\"," \
  " \"created_at\": \"2024-01-01T00:00:00Z\", \"expires_at\": " expires ", \"last_used_at\": null," \
  " \"duration_days\": 10, \"updated_at\": \"2024-01-01T00:00:00Z\", \"renewed_at\": null, \"previous\": " previous "}"

static void
test_model_expiry_and_update_from (void)
{
  g_autoptr(TokensAccessToken) forever = token_from_json (TOKEN_JSON ("null", "null"));
  g_autoptr(TokensAccessToken) dated = token_from_json (TOKEN_JSON ("\"2024-01-11T00:00:00Z\"", "null"));
  g_autoptr(TokensAccessToken) renewed = token_from_json (TOKEN_JSON ("\"2024-01-11T00:00:00Z\"",
    "{\"last4\": \"wxyz\", \"created_at\": \"2023-12-01T00:00:00Z\", \"expires_at\": null, \"last_used_at\": null}"));
  g_autoptr(GDateTime) before = g_date_time_new_utc (2024, 1, 9, 12, 0, 0);
  g_autoptr(GDateTime) last_day = g_date_time_new_utc (2024, 1, 10, 12, 0, 0);
  g_autoptr(GDateTime) after = g_date_time_new_utc (2024, 1, 12, 0, 0, 0);
  g_auto(GStrv) names = tokens_scopes_to_strv (TOKENS_SCOPE_READ | TOKENS_SCOPE_WRITE);
  g_autofree char *flags = g_flags_to_string (TOKENS_TYPE_SCOPES, TOKENS_SCOPE_READ | TOKENS_SCOPE_WRITE);
  guint notifies = 0;
  TokensScopes scope;

  g_assert_cmpstr (tokens_access_token_get_id (forever), ==, "7");
  g_assert_false (tokens_access_token_is_expired (forever, after));
  g_assert_cmpint (tokens_access_token_days_left (forever, after), ==, G_MAXINT);

  g_assert_false (tokens_access_token_is_expired (dated, before));
  g_assert_cmpint (tokens_access_token_days_left (dated, before), ==, 1);
  g_assert_cmpint (tokens_access_token_days_left (dated, last_day), ==, 0);
  g_assert_true (tokens_access_token_is_expired (dated, after));
  g_assert_cmpint (tokens_access_token_days_left (dated, after), ==, -1);

  g_assert_true (tokens_access_token_get_has_previous (renewed));
  g_assert_cmpstr (tokens_access_token_get_previous_last4 (renewed), ==, "wxyz");

  g_signal_connect (dated, "notify", G_CALLBACK (count_notify_cb), &notifies);
  tokens_access_token_update_from (dated, renewed);
  /* has-previous, previous-last4, previous-created-at: nothing else changed. */
  g_assert_cmpuint (notifies, ==, 3);
  notifies = 0;
  tokens_access_token_update_from (dated, renewed);
  g_assert_cmpuint (notifies, ==, 0);
  tokens_access_token_update_from (dated, forever);
  g_assert_cmpuint (notifies, ==, 4);   /* expires-at and the three previous-* */
  g_assert_null (tokens_access_token_get_expires_at (dated));

  g_assert_cmpstrv (names, ((const char *[]) { "read", "write", NULL }));
  g_assert_true (tokens_scope_from_string ("write", &scope));
  g_assert_cmpint (scope, ==, TOKENS_SCOPE_WRITE);
  g_assert_false (tokens_scope_from_string ("admin", &scope));
  g_assert_cmpstr (tokens_scope_to_string (TOKENS_SCOPE_READ), ==, "read");
  g_assert_cmpstr (flags, ==, "TOKENS_SCOPE_READ | TOKENS_SCOPE_WRITE");
}

int
main (int   argc,
      char *argv[])
{
  test_lib_init (&argc, &argv);

  g_test_add_func ("/client/token-list/pages-in-and-keeps-objects", test_pages_in_and_keeps_objects);
  g_test_add_func ("/client/token-list/failed-load-sets-error-and-keeps-items", test_failed_load_sets_error_and_keeps_items);
  g_test_add_func ("/client/model/expiry-and-update-from", test_model_expiry_and_update_from);

  return g_test_run ();
}
