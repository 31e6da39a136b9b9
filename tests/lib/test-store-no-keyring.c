/* test-store-no-keyring.c — TokensStore with no keyring to use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under `session-run` without --keyring. Two ways a desktop has no
 * keyring, both real:
 *  - the session bus can start gnome-keyring-daemon, but it has no login
 *    collection and cannot make one without a prompt (the bus of
 *    session-run here: Debian installs the daemon's .service file);
 *  - nothing provides org.freedesktop.secrets at all: a private bus from
 *    GTestDBus, with no .service files, in a subprocess so that its bus is
 *    the only one the process ever used.
 * Either way the store says so plainly and writes nothing anywhere.
 */

#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "tokens.h"
#include "test-lib-util.h"

#define SERVICE "https://tokens.example.org"
#define UNAVAILABLE_SAVE "No keyring is available to keep secrets safe. Nothing was saved."

static void
assert_save_unavailable (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) account = tokens_account_new (SERVICE, "ana@example.org", NULL);
  g_autoptr(TokensSecret) secret = tokens_token_generate (TOKENS_TOKEN_KIND_API_KEY);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tokens_store_save_async (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL, NULL, secret,
                           NULL, test_lib_got_result, &result);
  g_assert_false (tokens_store_save_finish (store, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_UNAVAILABLE);
  g_assert_cmpstr (error->message, ==, UNAVAILABLE_SAVE);

  test_lib_assert_not_in_session_files (secret);
}

/* A token of another service, kept with no keyring: refused in the same
 * words, the list not loaded, and no trace of the secret anywhere. */
static void
assert_kept_unavailable (void)
{
  g_autoptr(TokensKeptList) list = tokens_kept_list_new ();
  g_autoptr(TokensSecret) secret = tokens_token_generate (TOKENS_TOKEN_KIND_API_KEY);
  TokensKept kept = { .service = (char *) "other", .name = (char *) "Weather API" };
  g_autoptr(TokensKeptToken) token = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tokens_kept_list_save_async (list, &kept, secret, NULL, test_lib_got_result, &result);
  token = tokens_kept_list_save_finish (list, AWAIT (result), &error);
  g_assert_null (token);
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_UNAVAILABLE);
  g_assert_cmpstr (error->message, ==, tokens_error_describe (TOKENS_ERROR_KEYRING_UNAVAILABLE));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_clear_error (&error);

  test_lib_assert_not_in_session_files (secret);
}

static void
test_save_without_login_collection_is_unavailable_and_writes_nothing (void)
{
  assert_save_unavailable ();
  assert_kept_unavailable ();
}

static void
test_lookup_without_login_collection_finds_nothing (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) account = tokens_account_new (SERVICE, "ana@example.org", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) found = NULL;

  tokens_store_lookup_async (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL,
                             NULL, test_lib_got_result, &result);
  found = tokens_store_lookup_finish (store, AWAIT (result), &error);
  g_assert_null (found);
  /* A keyring with no collection has nothing saved: that is no error. */
  g_assert_true (error == NULL ||
                 g_error_matches (error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_UNAVAILABLE));
}

static void
no_service_child (void)
{
  g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) account = tokens_account_new (SERVICE, "ana@example.org", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(TokensSecret) found = NULL;
  g_autoptr(GPtrArray) items = NULL;

  g_test_dbus_up (bus);

  /* The case under test is the one libsecret reports as this. */
  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  g_assert_null (service);
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN);
  g_clear_error (&error);

  assert_save_unavailable ();
  assert_kept_unavailable ();

  g_clear_object (&result);
  tokens_store_lookup_async (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL,
                             NULL, test_lib_got_result, &result);
  found = tokens_store_lookup_finish (store, AWAIT (result), &error);
  g_assert_null (found);
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_UNAVAILABLE);
  g_assert_cmpstr (error->message, ==, "No keyring is available, so saved tokens cannot be read.");
  g_clear_error (&error);

  g_clear_object (&result);
  tokens_store_list_async (store, NULL, NULL, test_lib_got_result, &result);
  items = tokens_store_list_finish (store, AWAIT (result), &error);
  g_assert_null (items);
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_UNAVAILABLE);
  g_clear_error (&error);

  g_clear_object (&result);
  tokens_store_clear_async (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL,
                            NULL, test_lib_got_result, &result);
  g_assert_false (tokens_store_clear_finish (store, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_UNAVAILABLE);
  g_assert_cmpstr (error->message, ==, "No keyring is available, so saved tokens cannot be removed.");
  g_clear_error (&error);

  g_clear_object (&store);
  g_test_dbus_down (bus);
}

static void
test_no_secret_service_at_all_is_unavailable_and_writes_nothing (void)
{
  if (g_test_subprocess ())
    {
      no_service_child ();
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  test_lib_init (&argc, &argv);

  g_test_add_func ("/store/no-keyring/save-without-login-collection-is-unavailable-and-writes-nothing",
                   test_save_without_login_collection_is_unavailable_and_writes_nothing);
  g_test_add_func ("/store/no-keyring/lookup-without-login-collection-finds-nothing",
                   test_lookup_without_login_collection_finds_nothing);
  g_test_add_func ("/store/no-keyring/no-secret-service-at-all-is-unavailable-and-writes-nothing",
                   test_no_secret_service_at_all_is_unavailable_and_writes_nothing);

  return g_test_run ();
}
