/* test-session-tokens.c — access tokens through TokensSession: the service, the keyring, the list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under `session-run --keyring`, against a live tokens-server. Each
 * call of the session is checked on all three sides: what the service
 * accepts, what the keyring holds (current and previous secret), and
 * what the session's list, which the app's pages observe, says.
 */

#include "config.h"

#include <signal.h>

#include <libsecret/secret.h>

#include "tokens.h"
#include "tokens-test-server.h"
#include "test-lib-util.h"

typedef struct
{
  TokensTestServer *server;
  TokensAccount    *account;
  TokensStore      *store;
  TokensSession    *session;
} Fixture;

static gboolean
list_loaded (gpointer data)
{
  TokensSession *session = data;
  TokensTokenList *tokens = tokens_session_get_tokens (session);

  return tokens != NULL && !tokens_token_list_get_loading (tokens) && !tokens_token_list_get_has_more (tokens);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) api_token = NULL;

  f->server = tokens_test_server_new ((const char *[]) { "--allow-signup", NULL });
  f->account = tokens_account_new (tokens_test_server_get_url (f->server), "ana@example.org", "Ana");
  f->store = tokens_store_new ();
  f->session = tokens_session_new (f->account, f->store, NULL);

  g_assert_null (tokens_session_get_tokens (f->session));
  tokens_session_sign_in_async (f->session, "correct horse battery", TRUE, NULL, test_lib_got_result, &result);
  api_token = tokens_session_sign_in_finish (f->session, AWAIT (result), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tokens_session_get_state (f->session), ==, TOKENS_SESSION_STATE_READY);

  /* Ready: the session lists the tokens itself. */
  g_assert_true (test_lib_wait_for (list_loaded, f->session, 10000));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;

  tokens_store_clear_account_async (f->store, f->account, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_store_clear_account_finish (f->store, AWAIT (result), NULL));
  g_clear_object (&f->session);
  g_clear_object (&f->store);
  g_clear_object (&f->account);
  g_assert_cmpint (tokens_test_server_stop (f->server), ==, 0);
  g_clear_pointer (&f->server, tokens_test_server_free);
}

static TokensSecret *
saved (Fixture         *f,
       const char      *id,
       TokensStoreSlot  slot)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TokensSecret *secret;

  tokens_store_lookup_slot_async (f->store, f->account, TOKENS_TOKEN_KIND_ACCESS, id, slot,
                                  NULL, test_lib_got_result, &result);
  secret = tokens_store_lookup_finish (f->store, AWAIT (result), &error);
  g_assert_no_error (error);
  return secret;
}

static void
assert_saved (Fixture         *f,
              const char      *id,
              TokensStoreSlot  slot,
              const char      *expected)
{
  g_autoptr(TokensSecret) secret = saved (f, id, slot);

  g_assert_cmpstr (secret, ==, expected);
}

static TokensAccessToken *
listed (Fixture    *f,
        const char *id)
{
  return tokens_token_list_find_by_id (tokens_session_get_tokens (f->session), id, NULL);
}

static TokensSecret *
renew (Fixture         *f,
       const char      *id,
       TokensDeleteOld  delete_old)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensAccessToken) token = NULL;
  gboolean in_keyring = FALSE;
  TokensSecret *secret;

  tokens_session_renew_token_async (f->session, id, delete_old, TOKENS_RENEW_SAME_DURATION,
                                    NULL, test_lib_got_result, &result);
  secret = tokens_session_renew_token_finish (f->session, AWAIT (result), &token, &in_keyring, &error);
  g_assert_no_error (error);
  g_assert_nonnull (secret);
  g_assert_true (in_keyring);
  g_assert_cmpstr (tokens_access_token_get_id (token), ==, id);
  return secret;
}

static void
test_generate_saves_and_lists (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensAccessToken) token = NULL;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(TokensSecret) unsaved = NULL;
  gboolean in_keyring = FALSE;
  const char *id;

  tokens_session_create_token_async (f->session, "CI server", TOKENS_SCOPE_READ, 30, TRUE,
                                     NULL, test_lib_got_result, &result);
  secret = tokens_session_create_token_finish (f->session, AWAIT (result), &token, &in_keyring, &error);
  g_assert_no_error (error);
  g_assert_true (in_keyring);
  id = tokens_access_token_get_id (token);
  assert_saved (f, id, TOKENS_STORE_SLOT_CURRENT, secret);
  g_assert_nonnull (listed (f, id));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tokens_session_get_tokens (f->session))), ==, 1);

  /* Opted out: listed, not saved. */
  g_clear_object (&result);
  g_clear_object (&token);
  tokens_session_create_token_async (f->session, "Laptop", TOKENS_SCOPE_READ, 0, FALSE,
                                     NULL, test_lib_got_result, &result);
  unsaved = tokens_session_create_token_finish (f->session, AWAIT (result), &token, &in_keyring, &error);
  g_assert_no_error (error);
  g_assert_nonnull (unsaved);
  g_assert_false (in_keyring);
  assert_saved (f, tokens_access_token_get_id (token), TOKENS_STORE_SLOT_CURRENT, NULL);
  g_assert_nonnull (listed (f, tokens_access_token_get_id (token)));
}

static void
test_edit_renames_the_saved_item (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensAccessToken) token = NULL;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *id = NULL;

  tokens_session_create_token_async (f->session, "Old name", TOKENS_SCOPE_READ, 30, TRUE,
                                     NULL, test_lib_got_result, &result);
  secret = tokens_session_create_token_finish (f->session, AWAIT (result), &token, NULL, &error);
  g_assert_no_error (error);
  id = g_strdup (tokens_access_token_get_id (token));

  g_clear_object (&result);
  tokens_session_update_token_async (f->session, id, "New name", TOKENS_SCOPE_NONE,
                                     NULL, test_lib_got_result, &result);
  g_assert_true (tokens_session_update_token_finish (f->session, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tokens_access_token_get_name (listed (f, id)), ==, "New name");

  /* The name is an attribute (and in the label), the secret unchanged. */
  g_clear_object (&result);
  tokens_store_list_async (f->store, f->account, NULL, test_lib_got_result, &result);
  items = tokens_store_list_finish (f->store, AWAIT (result), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < items->len; i++)
    {
      TokensStoreItem *item = g_ptr_array_index (items, i);

      if (item->kind != TOKENS_TOKEN_KIND_ACCESS)
        continue;
      g_assert_cmpstr (item->token_id, ==, id);
      g_assert_cmpstr (item->name, ==, "New name");
      g_assert_nonnull (g_strstr_len (item->label, -1, "“New name”"));
      g_assert_nonnull (item->expires_at);
      g_assert_cmpstr (item->expires_at, !=, "");
    }
  assert_saved (f, id, TOKENS_STORE_SLOT_CURRENT, secret);
}

static void
test_renew_later_keeps_both_undo_keeps_the_old (Fixture       *f,
                                                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensAccessToken) token = NULL;
  g_autoptr(TokensSecret) old = NULL;
  g_autoptr(TokensSecret) new = NULL;
  g_autoptr(TokensSecret) newer = NULL;
  g_autoptr(TokensSecret) newest = NULL;
  g_autofree char *id = NULL;

  tokens_session_create_token_async (f->session, "Deploy", TOKENS_SCOPE_READ, 30, TRUE,
                                     NULL, test_lib_got_result, &result);
  old = tokens_session_create_token_finish (f->session, AWAIT (result), &token, NULL, &error);
  g_assert_no_error (error);
  id = g_strdup (tokens_access_token_get_id (token));

  /* Later: both valid, both saved, the list says so. */
  new = renew (f, id, TOKENS_DELETE_OLD_LATER);
  assert_saved (f, id, TOKENS_STORE_SLOT_CURRENT, new);
  assert_saved (f, id, TOKENS_STORE_SLOT_PREVIOUS, old);
  g_assert_true (tokens_access_token_get_has_previous (listed (f, id)));

  /* Undo: the old secret is the current one again; the new one is gone. */
  g_clear_object (&result);
  tokens_session_undo_renewal_async (f->session, id, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_session_undo_renewal_finish (f->session, AWAIT (result), &error));
  g_assert_no_error (error);
  assert_saved (f, id, TOKENS_STORE_SLOT_CURRENT, old);
  assert_saved (f, id, TOKENS_STORE_SLOT_PREVIOUS, NULL);
  g_assert_false (tokens_access_token_get_has_previous (listed (f, id)));

  /* Later, then delete the old token: the old secret goes. */
  newer = renew (f, id, TOKENS_DELETE_OLD_LATER);
  g_clear_object (&result);
  tokens_session_delete_previous_token_async (f->session, id, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_session_delete_previous_token_finish (f->session, AWAIT (result), &error));
  g_assert_no_error (error);
  assert_saved (f, id, TOKENS_STORE_SLOT_CURRENT, newer);
  assert_saved (f, id, TOKENS_STORE_SLOT_PREVIOUS, NULL);
  g_assert_false (tokens_access_token_get_has_previous (listed (f, id)));

  /* Now: replaced at once. */
  newest = renew (f, id, TOKENS_DELETE_OLD_NOW);
  assert_saved (f, id, TOKENS_STORE_SLOT_CURRENT, newest);
  assert_saved (f, id, TOKENS_STORE_SLOT_PREVIOUS, NULL);

  /* Revoke: out of the service, the keyring and the list. */
  g_clear_object (&result);
  tokens_session_revoke_token_async (f->session, id, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_session_revoke_token_finish (f->session, AWAIT (result), &error));
  g_assert_no_error (error);
  assert_saved (f, id, TOKENS_STORE_SLOT_CURRENT, NULL);
  g_assert_null (listed (f, id));
}

static void
test_errors_leave_the_keyring_and_list_alone (Fixture       *f,
                                              gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tokens_session_undo_renewal_async (f->session, "424242", NULL, test_lib_got_result, &result);
  g_assert_false (tokens_session_undo_renewal_finish (f->session, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tokens_session_get_tokens (f->session))), ==, 0);
}

/* The login collection locked, as the desktop does after a while; with
 * no display its unlock prompt cannot be shown, which is what a person
 * who refuses it does. */
static void
lock_keyring (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  GList *objects;

  g_assert_null (g_getenv ("DISPLAY"));
  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  objects = g_list_append (NULL, collection);
  g_assert_cmpint (secret_service_lock_sync (service, objects, NULL, NULL, &error), ==, 1);
  g_assert_no_error (error);
  g_list_free (objects);
}

/* Unlocked again with session-run's password and no prompt (gnome-keyring's
 * own interface), for the fixture's clean-up. */
static void
unlock_keyring (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) opened = NULL;
  g_autoptr(GVariant) unlocked = NULL;
  g_autoptr(GVariant) output = NULL;
  g_autoptr(GError) error = NULL;
  const char *session;
  static const guchar password[] = "test";

  opened = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                        "org.freedesktop.Secret.Service", "OpenSession",
                                        g_variant_new ("(sv)", "plain", g_variant_new_string ("")),
                                        G_VARIANT_TYPE ("(vo)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (opened, "(v&o)", &output, &session);
  unlocked = g_dbus_connection_call_sync (bus, "org.freedesktop.secrets", "/org/freedesktop/secrets",
                                          "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
                                          "UnlockWithMasterPassword",
                                          g_variant_new ("(o(o@ay@ays))", "/org/freedesktop/secrets/collection/login",
                                                         session,
                                                         g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                                                         g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, password,
                                                                                    sizeof password - 1, 1),
                                                         "text/plain"),
                                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

/* A locked keyring whose prompt is refused: the secret is handed back
 * unsaved, and the session says why (the dialogs say "the keyring is
 * locked", not "no keyring is available"), for a new token and a renewed
 * one alike. */
static void
test_locked_keyring_is_said_for_new_and_renewed_tokens (Fixture       *f,
                                                        gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensAccessToken) token = NULL;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(TokensSecret) renewed = NULL;
  gboolean in_keyring = TRUE;
  const GError *why;

  lock_keyring ();

  tokens_session_create_token_async (f->session, "CI server", TOKENS_SCOPE_READ, 30, TRUE,
                                     NULL, test_lib_got_result, &result);
  secret = tokens_session_create_token_finish (f->session, AWAIT (result), &token, &in_keyring, &error);
  g_assert_no_error (error);
  g_assert_nonnull (secret);
  g_assert_false (in_keyring);
  why = tokens_session_get_save_error (f->session);
  g_assert_error (why, TOKENS_ERROR, TOKENS_ERROR_KEYRING_LOCKED);
  g_assert_cmpstr (why->message, ==, "The keyring is locked, so the token was not saved. Unlock it and try again.");

  g_clear_object (&result);
  in_keyring = TRUE;
  tokens_session_renew_token_async (f->session, tokens_access_token_get_id (token), TOKENS_DELETE_OLD_LATER,
                                    TOKENS_RENEW_SAME_DURATION, NULL, test_lib_got_result, &result);
  renewed = tokens_session_renew_token_finish (f->session, AWAIT (result), NULL, &in_keyring, &error);
  g_assert_no_error (error);
  g_assert_nonnull (renewed);
  g_assert_false (in_keyring);
  g_assert_error (tokens_session_get_save_error (f->session), TOKENS_ERROR, TOKENS_ERROR_KEYRING_LOCKED);

  unlock_keyring ();
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* New Access Token closed while Generate is on its way (the dialog's
 * cancellable cancelled with the request sent): the service makes the
 * token all the same, so the session finishes the job -- the secret into
 * the keyring, the token into the list -- instead of leaving a token that
 * nobody has the secret of and the list does not show. The service is
 * stopped while the request waits, so the close surely comes first. */
static void
test_generate_closed_midway_is_saved_and_listed (Fixture       *f,
                                                 gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) secret = NULL;
  GPid server = tokens_test_server_get_pid (f->server);
  TokensTokenList *tokens = tokens_session_get_tokens (f->session);
  TokensAccessToken *token;

  g_assert_cmpint (kill (server, SIGSTOP), ==, 0);
  tokens_session_create_token_async (f->session, "Closed midway", TOKENS_SCOPE_READ, 30, TRUE,
                                     cancellable, test_lib_got_result, &result);
  test_lib_wait_for (never, NULL, 500);
  g_cancellable_cancel (cancellable);
  test_lib_wait_for (never, NULL, 200);
  g_assert_cmpint (kill (server, SIGCONT), ==, 0);

  secret = tokens_session_create_token_finish (f->session, AWAIT (result), NULL, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (secret);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tokens)), ==, 1);
  token = g_list_model_get_item (G_LIST_MODEL (tokens), 0);
  g_assert_cmpstr (tokens_access_token_get_name (token), ==, "Closed midway");
  secret = saved (f, tokens_access_token_get_id (token), TOKENS_STORE_SLOT_CURRENT);
  g_assert_nonnull (secret);
  g_assert_true (g_str_has_prefix (secret, "tkacc_"));
  g_object_unref (token);
}

int
main (int   argc,
      char *argv[])
{
  test_lib_init (&argc, &argv);

  g_test_add ("/session-tokens/generate-saves-and-lists", Fixture, NULL,
              fixture_set_up, test_generate_saves_and_lists, fixture_tear_down);
  g_test_add ("/session-tokens/edit-renames-the-saved-item", Fixture, NULL,
              fixture_set_up, test_edit_renames_the_saved_item, fixture_tear_down);
  g_test_add ("/session-tokens/renew-later-keeps-both-undo-keeps-the-old", Fixture, NULL,
              fixture_set_up, test_renew_later_keeps_both_undo_keeps_the_old, fixture_tear_down);
  g_test_add ("/session-tokens/errors-leave-the-keyring-and-list-alone", Fixture, NULL,
              fixture_set_up, test_errors_leave_the_keyring_and_list_alone, fixture_tear_down);

  g_test_add ("/session-tokens/locked-keyring-is-said-for-new-and-renewed-tokens", Fixture, NULL,
              fixture_set_up, test_locked_keyring_is_said_for_new_and_renewed_tokens, fixture_tear_down);

  g_test_add ("/session-tokens/generate-closed-midway-is-saved-and-listed", Fixture, NULL,
              fixture_set_up, test_generate_closed_midway_is_saved_and_listed, fixture_tear_down);

  return g_test_run ();
}
