/* test-no-secret-in-logs.c — a whole run, logged in full, leaks no secret
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under `session-run --keyring`. A subprocess with
 * G_MESSAGES_DEBUG=all does what the app does with secrets: starts the
 * local service, adds accounts, saves every kind of secret to the real
 * keyring, reads them back, lists them, sends them to the service through
 * TokensClient as `Authorization` and `Client-Token` headers (which the
 * service refuses, with errors logged on both sides), clears them, hits an
 * error path and stops the service. Everything it and
 * the server print (the server shares its stderr) is captured, and none of
 * the secrets may appear in it.
 */

#include "config.h"

#include <string.h>

#include "tokens.h"
#include "test-lib-util.h"

#define SECRETS_ENV "TOKENS_TEST_SECRETS"

static void
save (TokensStore     *store,
      TokensAccount   *account,
      TokensTokenKind  kind,
      const char      *token_id,
      const char      *token_name,
      const char      *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tokens_store_save_async (store, account, kind, token_id, token_name, secret,
                           NULL, test_lib_got_result, &result);
  g_assert_true (tokens_store_save_finish (store, AWAIT (result), &error));
  g_assert_no_error (error);
}

static void
check_lookup (TokensStore     *store,
              TokensAccount   *account,
              TokensTokenKind  kind,
              const char      *token_id,
              const char      *expected)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) found = NULL;

  tokens_store_lookup_async (store, account, kind, token_id, NULL, test_lib_got_result, &result);
  found = tokens_store_lookup_finish (store, AWAIT (result), &error);
  g_assert_no_error (error);
  /* Not g_assert_cmpstr: its failure message would print the secret. */
  g_assert_true (g_strcmp0 (found, expected) == 0);
}

/* Through the client, as the app sends them: the service refuses them
 * (they are not its own), and the failure is logged on both sides. */
static void
send_through_client (TokensLocalService *service,
                     const char         *bearer,
                     const char         *client_token)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensClient) client = tokens_client_new (tokens_local_service_get_url (service), FALSE, &error);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TokensProfile) profile = NULL;
  g_autoptr(GPtrArray) page = NULL;

  g_assert_no_error (error);
  tokens_client_set_credential (client, bearer);
  tokens_client_set_client_token (client, client_token);

  tokens_client_get_me_async (client, NULL, test_lib_got_result, &result);
  profile = tokens_client_get_me_finish (client, AWAIT (result), &error);
  g_assert_null (profile);
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_UNAUTHORIZED);
  g_debug ("The service said: %s", error->message);
  g_clear_error (&error);

  g_clear_object (&result);
  tokens_client_list_tokens_async (client, 10, NULL, NULL, test_lib_got_result, &result);
  page = tokens_client_list_tokens_finish (client, AWAIT (result), NULL, NULL, &error);
  g_assert_null (page);
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_UNAUTHORIZED);
  g_debug ("The service said: %s", error->message);
}

static void
whole_run (void)
{
  g_auto(GStrv) secrets = g_strsplit (g_getenv (SECRETS_ENV), " ", -1);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(TokensAccountList) accounts = tokens_account_list_new (settings);
  g_autoptr(TokensLocalService) service = tokens_local_service_new ();
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) local = tokens_account_new_local ("ana@example.org", "Ana");
  g_autoptr(TokensAccount) remote = tokens_account_new ("https://tokens.example.org", "ana@example.org", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();

  g_assert_cmpuint (g_strv_length (secrets), ==, 4);

  g_clear_object (&result);
  tokens_local_service_start_async (service, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_local_service_start_finish (service, AWAIT (result), &error));
  g_assert_no_error (error);

  g_assert_true (tokens_account_list_add (accounts, local, NULL));
  g_assert_true (tokens_account_list_add (accounts, remote, NULL));

  save (store, local, TOKENS_TOKEN_KIND_API_KEY, NULL, NULL, secrets[0]);
  save (store, local, TOKENS_TOKEN_KIND_ACCESS, "tok_ci", "CI server", secrets[1]);
  save (store, local, TOKENS_TOKEN_KIND_CLIENT, NULL, NULL, secrets[2]);
  save (store, remote, TOKENS_TOKEN_KIND_SESSION, NULL, NULL, secrets[3]);

  check_lookup (store, local, TOKENS_TOKEN_KIND_API_KEY, NULL, secrets[0]);
  check_lookup (store, local, TOKENS_TOKEN_KIND_ACCESS, "tok_ci", secrets[1]);
  check_lookup (store, local, TOKENS_TOKEN_KIND_CLIENT, NULL, secrets[2]);
  check_lookup (store, remote, TOKENS_TOKEN_KIND_SESSION, NULL, secrets[3]);

  send_through_client (service, secrets[3], secrets[2]);
  send_through_client (service, secrets[0], secrets[2]);
  send_through_client (service, secrets[1], NULL);

  g_clear_object (&result);
  tokens_store_list_async (store, NULL, NULL, test_lib_got_result, &result);
  items = tokens_store_list_finish (store, AWAIT (result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 4);

  /* An error path: a save that is cancelled. */
  g_cancellable_cancel (cancelled);
  g_clear_object (&result);
  tokens_store_save_async (store, remote, TOKENS_TOKEN_KIND_API_KEY, NULL, NULL, secrets[0],
                           cancelled, test_lib_got_result, &result);
  g_assert_false (tokens_store_save_finish (store, AWAIT (result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_clear_object (&result);
  tokens_store_clear_account_async (store, local, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_store_clear_account_finish (store, AWAIT (result), &error));
  g_clear_object (&result);
  tokens_store_clear_account_async (store, remote, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_store_clear_account_finish (store, AWAIT (result), &error));
  g_assert_no_error (error);

  g_clear_object (&result);
  tokens_local_service_stop_async (service, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_local_service_stop_finish (service, AWAIT (result), &error));
  g_assert_no_error (error);
}

static void
test_whole_run_logged_in_full_shows_no_secret (void)
{
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) tokens_secret_free);
  g_autofree char *joined = NULL;

  if (g_test_subprocess ())
    {
      whole_run ();
      return;
    }

  g_ptr_array_add (secrets, tokens_token_generate (TOKENS_TOKEN_KIND_API_KEY));
  g_ptr_array_add (secrets, tokens_token_generate (TOKENS_TOKEN_KIND_ACCESS));
  g_ptr_array_add (secrets, tokens_token_generate (TOKENS_TOKEN_KIND_CLIENT));
  g_ptr_array_add (secrets, tokens_token_generate (TOKENS_TOKEN_KIND_SESSION));
  g_ptr_array_add (secrets, NULL);
  joined = g_strjoinv (" ", (char **) secrets->pdata);

  g_setenv (SECRETS_ENV, joined, TRUE);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_unsetenv ("G_MESSAGES_DEBUG");
  g_unsetenv (SECRETS_ENV);

  g_test_trap_assert_passed ();

  /* The run did log, in full: this is not a quiet run passing for a clean one. */
  g_test_trap_assert_stdout ("*Started the local token service*");
  g_test_trap_assert_stdout ("*The local token service listens on*");
  /* The client's requests went out and were refused, logged in full. */
  g_test_trap_assert_stdout ("*GET /v1/me → 401*");
  g_test_trap_assert_stdout ("*GET /v1/tokens → 401*");

  for (guint i = 0; i + 1 < secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (secrets, i);
      g_autofree char *pattern = g_strdup_printf ("*%s*", secret);
      /* The part a truncated or split log line would still show. */
      g_autofree char *entropy = g_strdup_printf ("*%.20s*", secret + TOKENS_TOKEN_PREFIX_LEN + 1);

      g_test_trap_assert_stdout_unmatched (pattern);
      g_test_trap_assert_stderr_unmatched (pattern);
      g_test_trap_assert_stdout_unmatched (entropy);
      g_test_trap_assert_stderr_unmatched (entropy);
    }
}

int
main (int   argc,
      char *argv[])
{
  test_lib_init (&argc, &argv);

  g_test_add_func ("/logs/whole-run-logged-in-full-shows-no-secret",
                   test_whole_run_logged_in_full_shows_no_secret);

  return g_test_run ();
}
