/* test-kept.c — the tokens a person keeps, against a real gnome-keyring-daemon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under `session-run --keyring`. What is kept is read back with
 * libsecret itself: the attributes describe the token and never hold the
 * secret; an edit or a new secret changes the one item in place.
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <libsecret/secret.h>

#include "tokens.h"
#include "test-lib-util.h"

static TokensKept *
details (const char *service,
         const char *service_name,
         const char *name,
         const char *used_in,
         const char *expires_on)
{
  TokensKept *kept = g_new0 (TokensKept, 1);

  kept->service = g_strdup (service);
  kept->service_name = g_strdup (service_name);
  kept->name = g_strdup (name);
  kept->used_in = g_strdup (used_in);
  kept->expires_on = g_strdup (expires_on);
  return kept;
}

static TokensKeptToken *
save (TokensKeptList   *list,
      const TokensKept *kept,
      const char       *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TokensKeptToken *token;

  tokens_kept_list_save_async (list, kept, secret, NULL, test_lib_got_result, &result);
  token = tokens_kept_list_save_finish (list, AWAIT (result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
  return token;
}

static TokensSecret *
read_secret (TokensKeptList  *list,
             TokensKeptToken *token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TokensSecret *secret;

  tokens_kept_list_read_async (list, token, NULL, test_lib_got_result, &result);
  secret = tokens_kept_list_read_finish (list, AWAIT (result), &error);
  g_assert_no_error (error);
  return secret;
}

/* Every item of the schema, as Passwords and Keys would list it. */
static GList *
items_in_keyring (void)
{
  g_autoptr(GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GList *items;

  items = secret_password_searchv_sync (tokens_kept_get_schema (), none,
                                        SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK |
                                        SECRET_SEARCH_LOAD_SECRETS, NULL, &error);
  g_assert_no_error (error);
  return items;
}

static void
test_keep_edit_replace_delete (void)
{
  g_autoptr(TokensKeptList) list = tokens_kept_list_new ();
  g_autoptr(TokensKeptList) other = tokens_kept_list_new ();
  g_autoptr(TokensKept) github = details ("github", "GitHub", "CI token", "github.com", "2027-01-15");
  g_autoptr(TokensKeptToken) token = NULL;
  g_autoptr(TokensKeptToken) edited = NULL;
  g_autoptr(TokensKeptToken) replaced = NULL;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autolist(SecretRetrievable) items = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  const char *first = "ghp_first0000000000000000000000000000";
  const char *second = "ghp_second000000000000000000000000000";
  g_autofree char *id = NULL;

  token = save (list, github, first);
  id = g_strdup (tokens_kept_token_get_id (token));
  g_assert_cmpuint (strlen (id), ==, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);

  /* In the keyring: one item, the secret as its secret, the details as
   * attributes, none of them the secret. */
  items = items_in_keyring ();
  g_assert_cmpuint (g_list_length (items), ==, 1);
  attributes = secret_retrievable_get_attributes (items->data);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "id"), ==, id);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "service"), ==, "github");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "name"), ==, "CI token");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "used-in"), ==, "github.com");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "expires-on"), ==, "2027-01-15");
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, attributes);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      g_assert_null (strstr (value, "ghp_"));
  }
  g_clear_list (&items, g_object_unref);

  /* Another list (another window, the tray) reads the same. */
  tokens_kept_list_load_async (other, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_kept_list_load_finish (other, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_true (tokens_kept_list_get_loaded (other));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 1);
  g_clear_object (&result);

  /* Pasting the same secret again finds it; another secret does not. */
  tokens_kept_list_find_secret_async (list, first, NULL, test_lib_got_result, &result);
  {
    g_autoptr(TokensKeptToken) found = tokens_kept_list_find_secret_finish (list, AWAIT (result), &error);

    g_assert_no_error (error);
    g_assert_true (found == token);
  }
  g_clear_object (&result);
  tokens_kept_list_find_secret_async (list, second, NULL, test_lib_got_result, &result);
  g_assert_null (tokens_kept_list_find_secret_finish (list, AWAIT (result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  /* Details edited: the same item, the same secret. */
  g_free (github->id);
  github->id = g_strdup (id);
  g_free (github->name);
  github->name = g_strdup ("Release bot");
  g_clear_pointer (&github->expires_on, g_free);
  edited = save (list, github, NULL);
  g_assert_cmpstr (tokens_kept_token_get_id (edited), ==, id);
  g_assert_cmpstr (tokens_kept_token_get_name (edited), ==, "Release bot");
  g_assert_cmpint (tokens_kept_token_get_days_left (edited, NULL), ==, G_MAXINT64);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  secret = read_secret (list, edited);
  g_assert_cmpstr (secret, ==, first);
  g_clear_pointer (&secret, tokens_secret_free);

  /* A new secret after a rotation at GitHub: the old one is gone. */
  replaced = save (list, github, second);
  secret = read_secret (list, replaced);
  g_assert_cmpstr (secret, ==, second);
  items = items_in_keyring ();
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_clear_list (&items, g_object_unref);

  tokens_kept_list_delete_async (list, replaced, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_kept_list_delete_finish (list, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  items = items_in_keyring ();
  g_assert_null (items);
  g_clear_object (&result);

  /* Gone: reading it says so. */
  tokens_kept_list_read_async (list, replaced, NULL, test_lib_got_result, &result);
  g_assert_null (tokens_kept_list_read_finish (list, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND);
}

static void
test_order_and_days_left (void)
{
  g_autoptr(TokensKeptList) list = tokens_kept_list_new ();
  g_autoptr(TokensKept) a = details ("npm", "npm", "publish", NULL, "2026-12-05");
  g_autoptr(TokensKept) b = details ("github", "GitHub", "zeta", NULL, NULL);
  g_autoptr(TokensKept) c = details ("github", "GitHub", "alpha", NULL, "2026-11-30");
  g_autoptr(TokensKeptToken) ta = save (list, a, "npm_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  g_autoptr(TokensKeptToken) tb = save (list, b, "ghp_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
  g_autoptr(TokensKeptToken) tc = save (list, c, "ghp_cccccccccccccccccccccccccccccccccccc");
  g_autoptr(GDateTime) now = g_date_time_new_local (2026, 12, 2, 23, 30, 0);
  g_autoptr(TokensKeptToken) first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_autoptr(TokensKeptToken) second = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_autoptr(TokensKeptToken) third = g_list_model_get_item (G_LIST_MODEL (list), 2);

  /* By service, then name. */
  g_assert_true (first == tc);
  g_assert_true (second == tb);
  g_assert_true (third == ta);

  /* Calendar days, late in the evening as at noon. */
  g_assert_cmpint (tokens_kept_token_get_days_left (ta, now), ==, 3);
  g_assert_cmpint (tokens_kept_token_get_days_left (tc, now), ==, -2);
  g_assert_cmpint (tokens_kept_token_get_days_left (tb, now), ==, G_MAXINT64);
}

static void
use_language (const char *language)
{
  g_setenv ("LANGUAGE", language, TRUE);
  /* setlocale() also makes gettext forget the translations it looked up. */
  setlocale (LC_ALL, "");
}

/* A kept token's service name, as the list read in @language has it. */
static char *
service_name_in (const char *language,
                 const char *id)
{
  g_autoptr(TokensKeptList) list = tokens_kept_list_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  use_language (language);
  tokens_kept_list_load_async (list, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_kept_list_load_finish (list, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_nonnull (tokens_kept_list_find_by_id (list, id));
  return g_strdup (tokens_kept_token_get_service_name (tokens_kept_list_find_by_id (list, id)));
}

/* "Other service" is what the app says of a token no format recognises,
 * in the language it runs in: the keyring keeps no words for it, and
 * items saved with the words of their day are read the same way. */
static void
test_other_service_is_said_in_the_language_of_the_reader (void)
{
  g_autoptr(TokensKeptList) list = tokens_kept_list_new ();
  g_autoptr(TokensKept) webhook = details ("other", "Other service", "Webhook", NULL, NULL);
  g_autoptr(TokensKeptToken) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autolist(SecretRetrievable) items = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autofree char *id = NULL;
  g_autofree char *in_english = NULL;
  g_autofree char *in_portuguese = NULL;

  token = save (list, webhook, "whsec_not_a_format_anyone_knows_0001");
  id = g_strdup (tokens_kept_token_get_id (token));
  items = secret_password_search_sync (tokens_kept_get_schema (), SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK,
                                       NULL, &error, "id", id, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  attributes = secret_retrievable_get_attributes (items->data);
  g_assert_cmpstr (g_hash_table_lookup (attributes, "service"), ==, "other");
  g_assert_cmpstr (g_hash_table_lookup (attributes, "service-name"), ==, "");

  in_portuguese = service_name_in ("pt_BR", id);
  g_assert_cmpstr (in_portuguese, ==, "Outro serviço");
  in_english = service_name_in ("en", id);
  g_assert_cmpstr (in_english, ==, "Other service");
  g_clear_pointer (&in_english, g_free);
  g_clear_pointer (&in_portuguese, g_free);

  /* Saved by an earlier version, in Portuguese: read in English, and the
   * other way round. */
  g_assert_true (secret_password_store_sync (tokens_kept_get_schema (), SECRET_COLLECTION_DEFAULT,
                                             "Tokens: Outro serviço token “Old”", "whsec_old_0002", NULL, &error,
                                             "id", "oldpt00001", "service", "other",
                                             "service-name", "Outro serviço", "name", "Old", NULL));
  g_assert_no_error (error);
  in_english = service_name_in ("en", "oldpt00001");
  g_assert_cmpstr (in_english, ==, "Other service");
  g_assert_true (secret_password_store_sync (tokens_kept_get_schema (), SECRET_COLLECTION_DEFAULT,
                                             "Tokens: Other service token “Older”", "whsec_old_0003", NULL,
                                             &error, "id", "olden00001", "service", "other",
                                             "service-name", "Other service", "name", "Older", NULL));
  g_assert_no_error (error);
  in_portuguese = service_name_in ("pt_BR", "olden00001");
  g_assert_cmpstr (in_portuguese, ==, "Outro serviço");

  /* A recognised service keeps its name as data. */
  {
    g_autoptr(TokensKept) github = details ("github", "GitHub", "CI", NULL, NULL);
    g_autoptr(TokensKeptToken) kept = save (list, github, "ghp_other_test_00000000000000000000000");
    g_autofree char *name = service_name_in ("pt_BR", tokens_kept_token_get_id (kept));

    g_assert_cmpstr (name, ==, "GitHub");
  }
  use_language ("en");
}

/* A dialog closed while the keyring writes: its call is CANCELLED, but
 * what it asked is done and the list shows it, as the keyring does. */
static void
test_write_asked_then_cancelled_is_done_and_listed (void)
{
  g_autoptr(TokensKeptList) list = tokens_kept_list_new ();
  g_autoptr(TokensKept) npm = details ("npm", "npm", "Publish", "laptop", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(TokensKeptToken) token = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autolist(SecretRetrievable) items = items_in_keyring ();
  guint before = g_list_length (items);

  g_list_free_full (g_steal_pointer (&items), g_object_unref);
  tokens_kept_list_save_async (list, npm, "npm_cancelled000000000000000000000000", cancellable,
                               test_lib_got_result, &result);
  g_cancellable_cancel (cancellable);
  token = tokens_kept_list_save_finish (list, AWAIT (result), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (token);
  g_clear_error (&error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  token = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (tokens_kept_token_get_name (token), ==, "Publish");
  items = items_in_keyring ();
  g_assert_cmpuint (g_list_length (items), ==, before + 1);
  g_list_free_full (g_steal_pointer (&items), g_object_unref);

  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  g_clear_object (&result);
  tokens_kept_list_delete_async (list, token, cancellable, test_lib_got_result, &result);
  g_cancellable_cancel (cancellable);
  g_assert_false (tokens_kept_list_delete_finish (list, AWAIT (result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  items = items_in_keyring ();
  g_assert_cmpuint (g_list_length (items), ==, before);
}

int
main (int   argc,
      char *argv[])
{
  test_lib_init (&argc, &argv);

  g_test_add_func ("/kept/keep-edit-replace-delete", test_keep_edit_replace_delete);
  g_test_add_func ("/kept/order-and-days-left", test_order_and_days_left);
  g_test_add_func ("/kept/write-asked-then-cancelled-is-done-and-listed",
                   test_write_asked_then_cancelled_is_done_and_listed);
  g_test_add_func ("/kept/other-service-is-said-in-the-language-of-the-reader",
                   test_other_service_is_said_in_the_language_of_the_reader);

  return g_test_run ();
}
