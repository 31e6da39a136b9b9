/* test-store.c — TokensStore against a real, unlocked gnome-keyring-daemon
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under `session-run --keyring`: a private bus with a real keyring
 * whose default collection is unlocked. What a person would see in
 * Passwords and Keys is read back with libsecret itself.
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <libsecret/secret.h>

#include "tokens.h"
#include "test-lib-util.h"

#define SERVICE "https://tokens.example.org"

/* Real-looking secrets, made fresh for each run. */
static TokensSecret *
new_secret (TokensTokenKind kind)
{
  return tokens_token_generate (kind);
}

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

static TokensSecret *
lookup (TokensStore     *store,
        TokensAccount   *account,
        TokensTokenKind  kind,
        const char      *token_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TokensSecret *secret;

  tokens_store_lookup_async (store, account, kind, token_id, NULL, test_lib_got_result, &result);
  secret = tokens_store_lookup_finish (store, AWAIT (result), &error);
  g_assert_no_error (error);

  return secret;
}

static void
clear (TokensStore     *store,
       TokensAccount   *account,
       TokensTokenKind  kind,
       const char      *token_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tokens_store_clear_async (store, account, kind, token_id, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_store_clear_finish (store, AWAIT (result), &error));
  g_assert_no_error (error);
}

static GPtrArray *
list (TokensStore   *store,
      TokensAccount *account)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  tokens_store_list_async (store, account, NULL, test_lib_got_result, &result);
  items = tokens_store_list_finish (store, AWAIT (result), &error);
  g_assert_no_error (error);
  g_assert_nonnull (items);

  return items;
}

/* The items of the keyring as any libsecret client sees them. */
static GList *
keyring_items (const char *kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GList *items;

  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (gpointer) "xdg:schema", (gpointer) "org.example.Tokens.Secret");
  if (kind != NULL)
    g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) kind);

  items = secret_service_search_sync (NULL, NULL, attributes, SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);

  return items;
}

static void
test_saved_api_token_is_looked_up_again (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) account = tokens_account_new (SERVICE, "ana@example.org", NULL);
  g_autoptr(TokensSecret) secret = new_secret (TOKENS_TOKEN_KIND_API_KEY);
  g_autoptr(TokensSecret) found = NULL;

  save (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL, NULL, secret);
  found = lookup (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL);
  g_assert_cmpstr (found, ==, secret);

  clear (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL);
}

static void
test_item_label_and_attributes_are_what_a_person_sees (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) account = tokens_account_new ("https://Tokens.Example.org/", "ana@example.org", NULL);
  g_autoptr(TokensAccount) local = tokens_account_new_local ("bia@example.org", NULL);
  g_autoptr(TokensSecret) api = new_secret (TOKENS_TOKEN_KIND_API_KEY);
  g_autoptr(TokensSecret) access = new_secret (TOKENS_TOKEN_KIND_ACCESS);
  g_autoptr(TokensSecret) client = new_secret (TOKENS_TOKEN_KIND_CLIENT);
  g_autoptr(TokensSecret) session = new_secret (TOKENS_TOKEN_KIND_SESSION);
  static const struct {
    const char *kind;
    const char *label;
    const char *service;
    const char *account;
    const char *token_id;
    const char *name;
  } expected[] = {
    { "api-key", "Tokens: API token of ana@example.org on tokens.example.org", SERVICE, "ana@example.org", "", NULL },
    { "access", "Tokens: access token “CI server” of ana@example.org on tokens.example.org", SERVICE, "ana@example.org", "tok_42", "CI server" },
    { "client", "Tokens: account security token of bia@example.org on this computer", "local:", "bia@example.org", "", NULL },
    { "session", "Tokens: session of bia@example.org on this computer", "local:", "bia@example.org", "", NULL },
  };

  save (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL, NULL, api);
  save (store, account, TOKENS_TOKEN_KIND_ACCESS, "tok_42", "CI server", access);
  save (store, local, TOKENS_TOKEN_KIND_CLIENT, NULL, NULL, client);
  save (store, local, TOKENS_TOKEN_KIND_SESSION, NULL, NULL, session);

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      GList *items = keyring_items (expected[i].kind);
      g_autoptr(GHashTable) attributes = NULL;
      g_autofree char *label = NULL;

      g_assert_cmpuint (g_list_length (items), ==, 1);
      label = secret_item_get_label (items->data);
      attributes = secret_item_get_attributes (items->data);

      g_assert_cmpstr (label, ==, expected[i].label);
      g_assert_cmpstr (g_hash_table_lookup (attributes, "xdg:schema"), ==, "org.example.Tokens.Secret");
      g_assert_cmpstr (g_hash_table_lookup (attributes, "service"), ==, expected[i].service);
      g_assert_cmpstr (g_hash_table_lookup (attributes, "account"), ==, expected[i].account);
      g_assert_cmpstr (g_hash_table_lookup (attributes, "kind"), ==, expected[i].kind);
      g_assert_cmpstr (g_hash_table_lookup (attributes, "token-id"), ==, expected[i].token_id);
      g_assert_cmpstr (g_hash_table_lookup (attributes, "slot"), ==, "current");
      /* The name is data, not something to parse out of the label. */
      g_assert_cmpstr (g_hash_table_lookup (attributes, "name"), ==, expected[i].name);
      g_assert_cmpuint (g_hash_table_size (attributes), ==, expected[i].name ? 7 : 6);

      g_list_free_full (items, g_object_unref);
    }

  clear (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL);
  clear (store, account, TOKENS_TOKEN_KIND_ACCESS, "tok_42");
  clear (store, local, TOKENS_TOKEN_KIND_CLIENT, NULL);
  clear (store, local, TOKENS_TOKEN_KIND_SESSION, NULL);
}

static void
test_saving_again_replaces_the_secret (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) account = tokens_account_new (SERVICE, "ana@example.org", NULL);
  g_autoptr(TokensSecret) old_secret = new_secret (TOKENS_TOKEN_KIND_API_KEY);
  g_autoptr(TokensSecret) new_one = new_secret (TOKENS_TOKEN_KIND_API_KEY);
  g_autoptr(TokensSecret) found = NULL;
  GList *items;

  save (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL, NULL, old_secret);
  save (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL, NULL, new_one);

  found = lookup (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL);
  g_assert_cmpstr (found, ==, new_one);
  items = keyring_items ("api-key");
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_list_free_full (items, g_object_unref);

  clear (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL);
}

static void
test_missing_item_is_null_without_error (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) account = tokens_account_new (SERVICE, "nobody@example.org", NULL);
  g_autoptr(TokensSecret) found = NULL;

  found = lookup (store, account, TOKENS_TOKEN_KIND_ACCESS, "tok_missing");
  g_assert_null (found);

  /* Clearing what is not there is no failure either. */
  clear (store, account, TOKENS_TOKEN_KIND_ACCESS, "tok_missing");
}

static void
test_clear_removes_only_that_item (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) account = tokens_account_new (SERVICE, "ana@example.org", NULL);
  g_autoptr(TokensSecret) api = new_secret (TOKENS_TOKEN_KIND_API_KEY);
  g_autoptr(TokensSecret) first = new_secret (TOKENS_TOKEN_KIND_ACCESS);
  g_autoptr(TokensSecret) second = new_secret (TOKENS_TOKEN_KIND_ACCESS);
  g_autoptr(TokensSecret) found_api = NULL;
  g_autoptr(TokensSecret) found_first = NULL;
  g_autoptr(TokensSecret) found_second = NULL;

  save (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL, NULL, api);
  save (store, account, TOKENS_TOKEN_KIND_ACCESS, "tok_1", "first", first);
  save (store, account, TOKENS_TOKEN_KIND_ACCESS, "tok_2", "second", second);

  clear (store, account, TOKENS_TOKEN_KIND_ACCESS, "tok_1");

  found_api = lookup (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL);
  found_first = lookup (store, account, TOKENS_TOKEN_KIND_ACCESS, "tok_1");
  found_second = lookup (store, account, TOKENS_TOKEN_KIND_ACCESS, "tok_2");
  g_assert_cmpstr (found_api, ==, api);
  g_assert_null (found_first);
  g_assert_cmpstr (found_second, ==, second);

  clear (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL);
  clear (store, account, TOKENS_TOKEN_KIND_ACCESS, "tok_2");
}

static void
test_list_shows_labels_of_one_account_or_all_never_secrets (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) ana = tokens_account_new (SERVICE, "ana@example.org", NULL);
  g_autoptr(TokensAccount) bia = tokens_account_new ("http://192.0.2.7:8080", "bia@example.org", NULL);
  g_autoptr(TokensSecret) s1 = new_secret (TOKENS_TOKEN_KIND_API_KEY);
  g_autoptr(TokensSecret) s2 = new_secret (TOKENS_TOKEN_KIND_ACCESS);
  g_autoptr(TokensSecret) s3 = new_secret (TOKENS_TOKEN_KIND_ACCESS);
  g_autoptr(GPtrArray) of_ana = NULL;
  g_autoptr(GPtrArray) of_all = NULL;
  TokensStoreItem *item;

  save (store, ana, TOKENS_TOKEN_KIND_API_KEY, NULL, NULL, s1);
  save (store, ana, TOKENS_TOKEN_KIND_ACCESS, "tok_ci", "CI server", s2);
  save (store, bia, TOKENS_TOKEN_KIND_ACCESS, "tok_bk", "Backups", s3);

  of_ana = list (store, ana);
  g_assert_cmpuint (of_ana->len, ==, 2);
  item = g_ptr_array_index (of_ana, 0);
  g_assert_cmpint (item->kind, ==, TOKENS_TOKEN_KIND_API_KEY);
  g_assert_cmpstr (item->service_url, ==, SERVICE);
  g_assert_cmpstr (item->email, ==, "ana@example.org");
  g_assert_cmpstr (item->token_id, ==, "");
  g_assert_cmpstr (item->label, ==, "Tokens: API token of ana@example.org on tokens.example.org");
  item = g_ptr_array_index (of_ana, 1);
  g_assert_cmpint (item->kind, ==, TOKENS_TOKEN_KIND_ACCESS);
  g_assert_cmpstr (item->token_id, ==, "tok_ci");
  g_assert_cmpstr (item->label, ==, "Tokens: access token “CI server” of ana@example.org on tokens.example.org");

  of_all = list (store, NULL);
  g_assert_cmpuint (of_all->len, ==, 3);
  item = g_ptr_array_index (of_all, 0);
  /* Sorted by service: http://192.0.2.7:8080 first; the port is shown. */
  g_assert_cmpstr (item->service_url, ==, "http://192.0.2.7:8080");
  g_assert_cmpstr (item->label, ==, "Tokens: access token “Backups” of bia@example.org on 192.0.2.7:8080");

  for (guint i = 0; i < of_all->len; i++)
    {
      item = g_ptr_array_index (of_all, i);
      g_assert_null (strstr (item->label, s1));
      g_assert_null (strstr (item->label, s2));
      g_assert_null (strstr (item->label, s3));
    }

  clear (store, ana, TOKENS_TOKEN_KIND_API_KEY, NULL);
  clear (store, ana, TOKENS_TOKEN_KIND_ACCESS, "tok_ci");
  clear (store, bia, TOKENS_TOKEN_KIND_ACCESS, "tok_bk");
}

static void
test_clear_account_removes_all_its_secrets_and_no_other (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) ana = tokens_account_new (SERVICE, "ana@example.org", NULL);
  g_autoptr(TokensAccount) ana_local = tokens_account_new_local ("ana@example.org", NULL);
  g_autoptr(TokensSecret) s1 = new_secret (TOKENS_TOKEN_KIND_API_KEY);
  g_autoptr(TokensSecret) s2 = new_secret (TOKENS_TOKEN_KIND_SESSION);
  g_autoptr(TokensSecret) s3 = new_secret (TOKENS_TOKEN_KIND_API_KEY);
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  save (store, ana, TOKENS_TOKEN_KIND_API_KEY, NULL, NULL, s1);
  save (store, ana, TOKENS_TOKEN_KIND_SESSION, NULL, NULL, s2);
  save (store, ana_local, TOKENS_TOKEN_KIND_API_KEY, NULL, NULL, s3);

  tokens_store_clear_account_async (store, ana, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_store_clear_account_finish (store, AWAIT (result), &error));
  g_assert_no_error (error);

  left = list (store, NULL);
  g_assert_cmpuint (left->len, ==, 1);
  g_assert_cmpstr (((TokensStoreItem *) left->pdata[0])->service_url, ==, TOKENS_LOCAL_SERVICE_URI);

  clear (store, ana_local, TOKENS_TOKEN_KIND_API_KEY, NULL);
}

static void
test_saved_secret_is_in_no_plain_file (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) account = tokens_account_new (SERVICE, "ana@example.org", NULL);
  g_autoptr(TokensSecret) secret = new_secret (TOKENS_TOKEN_KIND_API_KEY);
  g_autoptr(GError) error = NULL;
  GList *collections;

  save (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL, NULL, secret);

  /* The keyring writes its (encrypted) file when a collection changes;
   * whatever it wrote must not hold the secret readably. */
  collections = keyring_items (NULL);
  g_list_free_full (collections, g_object_unref);
  test_lib_assert_not_in_session_files (secret);

  clear (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL);
  g_assert_no_error (error);
}

static void
test_label_is_translated (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) account = tokens_account_new_local ("ana@example.org", NULL);
  g_autoptr(TokensSecret) secret = new_secret (TOKENS_TOKEN_KIND_API_KEY);
  g_autoptr(GPtrArray) items = NULL;

  /* setlocale() makes gettext notice the new LANGUAGE. */
  g_setenv ("LANGUAGE", "pt_BR", TRUE);
  setlocale (LC_ALL, "");
  save (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL, NULL, secret);
  g_setenv ("LANGUAGE", "en", TRUE);
  setlocale (LC_ALL, "");

  items = list (store, account);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (((TokensStoreItem *) items->pdata[0])->label, ==,
                   "Tokens: token da API de ana@example.org neste computador");

  clear (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL);
}

static void
test_cancelled_save_says_cancelled_and_saves_nothing (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) account = tokens_account_new (SERVICE, "ana@example.org", NULL);
  g_autoptr(TokensSecret) secret = new_secret (TOKENS_TOKEN_KIND_API_KEY);
  g_autoptr(TokensSecret) found = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  tokens_store_save_async (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL, NULL, secret,
                           cancellable, test_lib_got_result, &result);
  g_assert_false (tokens_store_save_finish (store, AWAIT (result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  found = lookup (store, account, TOKENS_TOKEN_KIND_API_KEY, NULL);
  g_assert_null (found);
}

typedef struct
{
  guint      calls;
  GPtrArray *items;
  GError    *error;
} Listed;

static void
listed_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Listed *listed = user_data;

  listed->calls++;
  g_clear_pointer (&listed->items, g_ptr_array_unref);
  g_clear_error (&listed->error);
  listed->items = tokens_store_list_finish (TOKENS_STORE (object), result, &listed->error);
}

static gboolean
listed_once (gpointer data)
{
  return ((Listed *) data)->calls > 0;
}

static gpointer
cancel_later (gpointer data)
{
  GCancellable *cancellable = data;

  g_usleep (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (cancellable), "delay-us")));
  g_cancellable_cancel (cancellable);

  return NULL;
}

/* A list cancelled at any moment (while the keyring loads the items it
 * found, say) ends once, cancelled or with every item; and a removal
 * asked while a list runs waits for it, so the list loses no item
 * part-way. libsecret 0.20 itself ends such a search twice. */
static void
test_list_cancelled_part_way_ends_once (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) account = tokens_account_new (SERVICE, "ana@example.org", NULL);
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  Listed listed = { 0, };
  guint cancelled = 0;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("tok_%u", i);
      g_autoptr(TokensSecret) secret = new_secret (TOKENS_TOKEN_KIND_ACCESS);

      save (store, account, TOKENS_TOKEN_KIND_ACCESS, id, id, secret);
    }

  for (guint delay_us = 0; delay_us <= 6000; delay_us += 150)
    {
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GThread) thread = NULL;

      g_object_set_data (G_OBJECT (cancellable), "delay-us", GUINT_TO_POINTER (delay_us));
      listed.calls = 0;
      tokens_store_list_async (store, account, cancellable, listed_cb, &listed);
      thread = g_thread_new ("cancel", cancel_later, cancellable);
      g_assert_true (test_lib_wait_for (listed_once, &listed, 5000));
      g_thread_join (g_steal_pointer (&thread));

      /* Time for a second ending, were there one. */
      for (guint spin = 0; spin < 20; spin++)
        g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
      while (g_main_context_iteration (NULL, FALSE))
        ;

      g_assert_cmpuint (listed.calls, ==, 1);
      if (listed.error != NULL)
        {
          g_assert_error (listed.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_null (listed.items);
          cancelled++;
        }
      else
        {
          g_assert_cmpuint (listed.items->len, ==, 4);
        }
    }
  g_test_message ("%u of the lists ended cancelled", cancelled);
  g_assert_cmpuint (cancelled, >, 0);

  /* A removal asked while a list runs: the list, asked first, sees all. */
  listed.calls = 0;
  tokens_store_list_async (store, account, NULL, listed_cb, &listed);
  tokens_store_clear_async (store, account, TOKENS_TOKEN_KIND_ACCESS, "tok_0", NULL,
                            test_lib_got_result, &result);
  g_assert_true (tokens_store_clear_finish (store, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (listed.calls, ==, 1);
  g_assert_no_error (listed.error);
  g_assert_cmpuint (listed.items->len, ==, 4);

  after = list (store, account);
  g_assert_cmpuint (after->len, ==, 3);

  g_clear_pointer (&listed.items, g_ptr_array_unref);
  g_clear_object (&result);
  tokens_store_clear_account_async (store, account, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_store_clear_account_finish (store, AWAIT (result), &error));
  g_assert_no_error (error);
}

static TokensStoreItem *
find_secret (TokensStore *store,
             const char  *secret)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TokensStoreItem *item;

  tokens_store_find_secret_async (store, secret, NULL, test_lib_got_result, &result);
  item = tokens_store_find_secret_finish (store, AWAIT (result), &error);
  g_assert_no_error (error);
  return item;
}

/* A token pasted to be kept by hand that an account saved already: found,
 * with whose it is and what it is, so that it is not kept twice. */
static void
test_find_secret_says_whose_it_is (void)
{
  g_autoptr(TokensStore) store = tokens_store_new ();
  g_autoptr(TokensAccount) ana = tokens_account_new (SERVICE, "ana@example.org", NULL);
  g_autoptr(TokensAccount) bia = tokens_account_new_local ("bia@example.org", NULL);
  g_autoptr(TokensSecret) api_token = new_secret (TOKENS_TOKEN_KIND_API_KEY);
  g_autoptr(TokensSecret) access = new_secret (TOKENS_TOKEN_KIND_ACCESS);
  g_autoptr(TokensSecret) unknown = new_secret (TOKENS_TOKEN_KIND_ACCESS);
  g_autoptr(TokensStoreItem) item = NULL;

  save (store, ana, TOKENS_TOKEN_KIND_API_KEY, NULL, NULL, api_token);
  save (store, bia, TOKENS_TOKEN_KIND_ACCESS, "42", "deploy-ci", access);

  item = find_secret (store, api_token);
  g_assert_nonnull (item);
  g_assert_cmpint (item->kind, ==, TOKENS_TOKEN_KIND_API_KEY);
  g_assert_cmpstr (item->email, ==, "ana@example.org");
  g_assert_cmpstr (item->service_url, ==, SERVICE);
  g_clear_pointer (&item, tokens_store_item_free);

  item = find_secret (store, access);
  g_assert_nonnull (item);
  g_assert_cmpint (item->kind, ==, TOKENS_TOKEN_KIND_ACCESS);
  g_assert_cmpstr (item->email, ==, "bia@example.org");
  g_assert_cmpstr (item->token_id, ==, "42");
  g_assert_cmpstr (item->name, ==, "deploy-ci");
  g_clear_pointer (&item, tokens_store_item_free);

  /* Another secret, or one character short: none. */
  g_assert_null (find_secret (store, unknown));
  access[strlen (access) - 1] = '\0';
  g_assert_null (find_secret (store, access));

  clear (store, ana, TOKENS_TOKEN_KIND_API_KEY, NULL);
  clear (store, bia, TOKENS_TOKEN_KIND_ACCESS, "42");
}

int
main (int   argc,
      char *argv[])
{
  test_lib_init (&argc, &argv);

  g_test_add_func ("/store/saved-api-token-is-looked-up-again",
                   test_saved_api_token_is_looked_up_again);
  g_test_add_func ("/store/item-label-and-attributes-are-what-a-person-sees",
                   test_item_label_and_attributes_are_what_a_person_sees);
  g_test_add_func ("/store/saving-again-replaces-the-secret",
                   test_saving_again_replaces_the_secret);
  g_test_add_func ("/store/missing-item-is-null-without-error",
                   test_missing_item_is_null_without_error);
  g_test_add_func ("/store/clear-removes-only-that-item",
                   test_clear_removes_only_that_item);
  g_test_add_func ("/store/list-shows-labels-of-one-account-or-all-never-secrets",
                   test_list_shows_labels_of_one_account_or_all_never_secrets);
  g_test_add_func ("/store/clear-account-removes-all-its-secrets-and-no-other",
                   test_clear_account_removes_all_its_secrets_and_no_other);
  g_test_add_func ("/store/saved-secret-is-in-no-plain-file",
                   test_saved_secret_is_in_no_plain_file);
  g_test_add_func ("/store/label-is-translated",
                   test_label_is_translated);
  g_test_add_func ("/store/cancelled-save-says-cancelled-and-saves-nothing",
                   test_cancelled_save_says_cancelled_and_saves_nothing);
  g_test_add_func ("/store/list-cancelled-part-way-ends-once",
                   test_list_cancelled_part_way_ends_once);
  g_test_add_func ("/store/find-secret-says-whose-it-is",
                   test_find_secret_says_whose_it_is);

  return g_test_run ();
}
