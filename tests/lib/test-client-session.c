/* test-client-session.c — the account security token through TokensSession and the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under `session-run --keyring`, against a live tokens-server.
 * Configure saves the secret to the keyring before it is returned and the
 * client sends it; once active, a request without it is refused while the
 * session goes on working; deactivate; delete clears it from the keyring.
 */

#include "config.h"

#include <signal.h>

#include "tokens.h"
#include "tokens-test-server.h"
#include "test-lib-util.h"

static TokensSecret *
lookup (TokensStore     *store,
        TokensAccount   *account,
        TokensTokenKind  kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TokensSecret *secret;

  tokens_store_lookup_async (store, account, kind, NULL, NULL, test_lib_got_result, &result);
  secret = tokens_store_lookup_finish (store, AWAIT (result), &error);
  g_assert_no_error (error);
  return secret;
}

static TokensProfile *
me_without_client_token (TokensTestServer  *server,
                         const char        *bearer,
                         GError           **error)
{
  g_autoptr(TokensClient) client = tokens_client_new (tokens_test_server_get_url (server), FALSE, NULL);
  g_autoptr(GAsyncResult) result = NULL;

  tokens_client_set_credential (client, bearer);
  tokens_client_get_me_async (client, NULL, test_lib_got_result, &result);
  return tokens_client_get_me_finish (client, AWAIT (result), error);
}

static TokensSecurityTokenState
state_of (TokensSession *session)
{
  return tokens_security_token_get_state (tokens_session_get_security_token (session));
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_security_token_flow (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new ((const char *[]) { "--allow-signup", NULL });
  g_autoptr(TokensAccount) account = tokens_account_new (tokens_test_server_get_url (server), "ana@example.org", "Ana");
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensSession) session = tokens_session_new (account, store, NULL);
  g_autoptr(TokensSession) again = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) api_token = NULL;
  g_autoptr(TokensSecret) client_token = NULL;
  g_autoptr(TokensSecret) saved = NULL;
  g_autoptr(TokensSecret) session_token = NULL;
  g_autoptr(TokensProfile) profile = NULL;
  gboolean in_keyring = FALSE;
  guint notifies = 0;

  g_assert_nonnull (tokens_session_get_security_token (session));
  g_assert_cmpint (state_of (session), ==, TOKENS_SECURITY_TOKEN_STATE_NONE);

  tokens_session_sign_in_async (session, "correct horse battery", TRUE, NULL, test_lib_got_result, &result);
  api_token = tokens_session_sign_in_finish (session, AWAIT (result), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tokens_session_get_state (session), ==, TOKENS_SESSION_STATE_READY);
  g_assert_cmpint (state_of (session), ==, TOKENS_SECURITY_TOKEN_STATE_NONE);
  session_token = lookup (store, account, TOKENS_TOKEN_KIND_SESSION);
  g_assert_nonnull (session_token);

  g_signal_connect (session, "notify::security-token", G_CALLBACK (count_notify_cb), &notifies);

  /* Configure now: in the keyring, and sent by the client. */
  g_clear_object (&result);
  tokens_session_configure_security_token_async (session, NULL, test_lib_got_result, &result);
  client_token = tokens_session_configure_security_token_finish (session, AWAIT (result), &in_keyring, &error);
  g_assert_no_error (error);
  g_assert_true (tokens_token_validate (client_token, NULL, NULL));
  g_assert_true (in_keyring);
  saved = lookup (store, account, TOKENS_TOKEN_KIND_CLIENT);
  g_assert_true (g_strcmp0 (saved, client_token) == 0);
  g_assert_true (tokens_client_has_client_token (tokens_session_get_client (session)));
  g_assert_cmpint (state_of (session), ==, TOKENS_SECURITY_TOKEN_STATE_DISABLED);
  g_assert_cmpuint (notifies, ==, 1);
  test_lib_assert_not_in_session_files (client_token);

  /* Activate: a request without it is refused, the session goes on. */
  g_clear_object (&result);
  tokens_session_activate_security_token_async (session, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_session_activate_security_token_finish (session, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (state_of (session), ==, TOKENS_SECURITY_TOKEN_STATE_ACTIVE);

  g_assert_null (me_without_client_token (server, session_token, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_CLIENT_TOKEN_REQUIRED);
  g_clear_error (&error);

  g_clear_object (&result);
  tokens_session_refresh_async (session, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_session_refresh_finish (session, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (state_of (session), ==, TOKENS_SECURITY_TOKEN_STATE_ACTIVE);

  /* The app started again: connect reads both from the keyring and works. */
  again = tokens_session_new (account, store, NULL);
  g_clear_object (&result);
  tokens_session_connect_async (again, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_session_connect_finish (again, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (tokens_session_get_state (again), ==, TOKENS_SESSION_STATE_READY);
  g_assert_cmpint (state_of (again), ==, TOKENS_SECURITY_TOKEN_STATE_ACTIVE);

  /* Deactivate: no header needed any more. */
  g_clear_object (&result);
  tokens_session_deactivate_security_token_async (session, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_session_deactivate_security_token_finish (session, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (state_of (session), ==, TOKENS_SECURITY_TOKEN_STATE_DISABLED);
  profile = me_without_client_token (server, session_token, &error);
  g_assert_no_error (error);
  g_clear_object (&profile);

  /* Delete: gone from the service, the keyring and the client. */
  g_clear_object (&result);
  tokens_session_delete_security_token_async (session, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_session_delete_security_token_finish (session, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (state_of (session), ==, TOKENS_SECURITY_TOKEN_STATE_NONE);
  g_assert_false (tokens_client_has_client_token (tokens_session_get_client (session)));
  g_clear_pointer (&saved, tokens_secret_free);
  saved = lookup (store, account, TOKENS_TOKEN_KIND_CLIENT);
  g_assert_null (saved);

  /* Activating none is a conflict, and the state stays NONE. */
  g_clear_object (&result);
  tokens_session_activate_security_token_async (session, NULL, test_lib_got_result, &result);
  g_assert_false (tokens_session_activate_security_token_finish (session, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_CONFLICT);
  g_clear_error (&error);
  g_assert_cmpint (state_of (session), ==, TOKENS_SECURITY_TOKEN_STATE_NONE);

  /* Sign out: the session's state is forgotten. */
  g_clear_object (&result);
  tokens_session_sign_out_async (session, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_session_sign_out_finish (session, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (tokens_session_get_state (session), ==, TOKENS_SESSION_STATE_SIGNED_OUT);
  g_assert_null (tokens_session_get_profile (session));

  g_signal_handlers_disconnect_by_data (session, &notifies);
}

static void
test_wrong_password_through_session (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new ((const char *[]) { "--allow-signup", NULL });
  g_autoptr(TokensAccount) account = tokens_account_new (tokens_test_server_get_url (server), "bia@example.org", NULL);
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensSession) session = tokens_session_new (account, store, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) api_token = NULL;

  tokens_session_sign_in_async (session, "correct horse battery", TRUE, NULL, test_lib_got_result, &result);
  api_token = tokens_session_sign_in_finish (session, AWAIT (result), NULL, &error);
  g_assert_no_error (error);

  g_clear_object (&result);
  tokens_session_sign_in_async (session, "wrong horse battery", FALSE, NULL, test_lib_got_result, &result);
  g_assert_null (tokens_session_sign_in_finish (session, AWAIT (result), NULL, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_WRONG_CREDENTIALS);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Runs the main loop for @ms, whatever happens. */
static void
spin (guint ms)
{
  test_lib_wait_for (never, NULL, ms);
}

/* The gnome-keyring-daemon on this test's private bus (session-run's). */
static GPid
keyring_daemon_pid (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 pid;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &pid);
  g_assert_cmpuint (pid, >, 1);
  return (GPid) pid;
}

/* A new account through @session: its API token, shown once. */
static TokensSecret *
sign_up (TokensSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TokensSecret *api_token;

  tokens_session_sign_in_async (session, "correct horse battery", TRUE, NULL, test_lib_got_result, &result);
  api_token = tokens_session_sign_in_finish (session, AWAIT (result), NULL, &error);
  g_assert_no_error (error);
  return api_token;
}

/* Reset Token, then the page that asked closes (its cancellable is
 * cancelled) while the new API token is on its way to the keyring. The
 * old token is dead at once and the new one was shown to nobody: the
 * keyring's copy is the only one left, so it must be saved all the same.
 * The keyring daemon is stopped while the service resets, so the page
 * closes with the save surely under way. */
static void
test_reset_saved_though_its_page_closed (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new ((const char *[]) { "--allow-signup", NULL });
  g_autoptr(TokensAccount) account = tokens_account_new (tokens_test_server_get_url (server), "cai@example.org", NULL);
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensSession) session = tokens_session_new (account, store, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) old = NULL;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(TokensSecret) saved = NULL;
  g_autoptr(TokensProfile) profile = NULL;
  GPid keyring = keyring_daemon_pid ();

  old = sign_up (session);

  g_assert_cmpint (kill (keyring, SIGSTOP), ==, 0);
  g_clear_object (&result);
  tokens_session_reset_api_token_async (session, cancellable, test_lib_got_result, &result);

  /* The service has reset it: the old token is refused. */
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(TokensProfile) me = NULL;

      g_clear_error (&error);
      me = me_without_client_token (server, old, &error);
      if (me == NULL)
        break;
      spin (50);
    }
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* The reply is read and the save started; then the page closes. */
  spin (1500);
  g_assert_null (result);
  g_cancellable_cancel (cancellable);
  spin (500);
  g_assert_cmpint (kill (keyring, SIGCONT), ==, 0);

  secret = tokens_session_reset_api_token_finish (session, AWAIT (result), NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (secret);

  /* The keyring has the new token, and the service takes it. */
  saved = lookup (store, account, TOKENS_TOKEN_KIND_API_KEY);
  g_assert_nonnull (saved);
  g_assert_false (g_str_equal (saved, old));  /* cmpstr would print them */
  g_clear_error (&error);
  profile = me_without_client_token (server, saved, &error);
  g_assert_no_error (error);
  g_assert_nonnull (profile);
}

/* Closed while the request itself is on its way: the service resets all
 * the same once it reads it, so the new token must still be read and
 * saved, not dropped with the page's cancellable. The service is stopped
 * while the request waits, so the close surely comes first. */
static void
test_reset_kept_though_its_page_closed_midrequest (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new ((const char *[]) { "--allow-signup", NULL });
  g_autoptr(TokensAccount) account = tokens_account_new (tokens_test_server_get_url (server), "dan@example.org", NULL);
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensSession) session = tokens_session_new (account, store, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) old = NULL;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(TokensSecret) saved = NULL;
  g_autoptr(TokensProfile) profile = NULL;
  GPid pid = tokens_test_server_get_pid (server);

  old = sign_up (session);

  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
  g_clear_object (&result);
  tokens_session_reset_api_token_async (session, cancellable, test_lib_got_result, &result);
  spin (500);
  g_cancellable_cancel (cancellable);
  spin (200);
  g_assert_cmpint (kill (pid, SIGCONT), ==, 0);

  secret = tokens_session_reset_api_token_finish (session, AWAIT (result), NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (secret);
  g_clear_error (&error);

  /* The service reset it: the old token is refused, and the keyring
   * comes to hold the new one, which the service takes. */
  for (guint i = 0; i < 100; i++)
    {
      g_clear_pointer (&saved, tokens_secret_free);
      saved = lookup (store, account, TOKENS_TOKEN_KIND_API_KEY);
      if (saved != NULL && !g_str_equal (saved, old))
        break;
      spin (50);
    }
  g_assert_nonnull (saved);
  g_assert_false (g_str_equal (saved, old));  /* cmpstr would print them */
  profile = me_without_client_token (server, saved, &error);
  g_assert_no_error (error);
  g_assert_nonnull (profile);
}

int
main (int   argc,
      char *argv[])
{
  test_lib_init (&argc, &argv);

  g_test_add_func ("/client/session/security-token-flow", test_security_token_flow);
  g_test_add_func ("/client/session/wrong-password", test_wrong_password_through_session);
  g_test_add_func ("/client/session/reset-saved-though-its-page-closed",
                   test_reset_saved_though_its_page_closed);
  g_test_add_func ("/client/session/reset-kept-though-its-page-closed-midrequest",
                   test_reset_kept_though_its_page_closed_midrequest);

  return g_test_run ();
}
