/* test-store-locked.c — TokensStore when the keyring stays locked
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under `session-run --keyring` with no display: the test locks the
 * default collection through libsecret, and the unlock prompt that every
 * call then asks for cannot be shown, which is what a person who will not
 * unlock it does. Every call must say the keyring is locked, and nothing
 * may be written anywhere in its place.
 */

#include "config.h"

#include <string.h>

#include <libsecret/secret.h>

#include "tokens.h"
#include "test-lib-util.h"

#define SERVICE "https://tokens.example.org"

static TokensSecret *saved_before;

static void
lock_default_collection (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretCollection) collection = NULL;
  GList *objects;
  int locked;

  g_assert_null (g_getenv ("DISPLAY"));

  service = secret_service_get_sync (SECRET_SERVICE_OPEN_SESSION, NULL, &error);
  g_assert_no_error (error);
  collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                 SECRET_COLLECTION_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (collection);

  objects = g_list_append (NULL, collection);
  locked = secret_service_lock_sync (service, objects, NULL, NULL, &error);
  g_list_free (objects);
  g_assert_no_error (error);
  g_assert_cmpint (locked, ==, 1);
  g_assert_true (secret_collection_get_locked (collection));
}

static void
test_save_says_locked_and_writes_nothing (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) account = tokens_account_new (SERVICE, "bia@example.org", NULL);
  g_autoptr(TokensSecret) secret = tokens_token_generate (TOKENS_TOKEN_KIND_ACCESS);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tokens_store_save_async (store, account, TOKENS_TOKEN_KIND_ACCESS, "tok_1", "CI", secret,
                           NULL, test_lib_got_result, &result);
  g_assert_false (tokens_store_save_finish (store, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_LOCKED);
  g_assert_cmpstr (error->message, ==,
                   "The keyring is locked, so the token was not saved. Unlock it and try again.");
  g_assert_null (strstr (error->message, secret));

  test_lib_assert_not_in_session_files (secret);
}

static void
test_lookup_says_locked (void)
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
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_LOCKED);
  g_assert_cmpstr (error->message, ==, "The keyring is locked. Unlock it to use saved tokens.");
}

static void
test_list_says_locked (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  tokens_store_list_async (store, NULL, NULL, test_lib_got_result, &result);
  items = tokens_store_list_finish (store, AWAIT (result), &error);
  g_assert_null (items);
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_LOCKED);
}

static void
test_clear_says_locked (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) account = tokens_account_new (SERVICE, "ana@example.org", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tokens_store_clear_async (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL,
                            NULL, test_lib_got_result, &result);
  g_assert_false (tokens_store_clear_finish (store, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_LOCKED);
  g_assert_cmpstr (error->message, ==,
                   "The keyring is locked, so saved tokens cannot be removed. Unlock it and try again.");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  test_lib_init (&argc, &argv);

  /* Something to find, saved while the keyring was still open. */
  saved_before = tokens_token_generate (TOKENS_TOKEN_KIND_API_KEY);
  secret_password_store_sync (tokens_store_get_schema (), SECRET_COLLECTION_DEFAULT,
                              "Tokens: API token of ana@example.org on tokens.example.org",
                              saved_before, NULL, &error,
                              "service", SERVICE, "account", "ana@example.org",
                              "kind", "api-key", "token-id", "", NULL);
  g_assert_no_error (error);
  lock_default_collection ();

  g_test_add_func ("/store/locked/save-says-locked-and-writes-nothing",
                   test_save_says_locked_and_writes_nothing);
  g_test_add_func ("/store/locked/lookup-says-locked",
                   test_lookup_says_locked);
  g_test_add_func ("/store/locked/list-says-locked",
                   test_list_says_locked);
  g_test_add_func ("/store/locked/clear-says-locked",
                   test_clear_says_locked);

  ret = g_test_run ();
  tokens_secret_free (saved_before);

  return ret;
}
