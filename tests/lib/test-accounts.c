/* test-accounts.c — TokensAccount and TokensAccountList on GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GSETTINGS_BACKEND=memory (tests/meson.build): one backend for the whole
 * process, so two GSettings objects on it behave like two instances of
 * the app on dconf.
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "tokens.h"
#include "test-lib-util.h"

static GSettings *
fresh_settings (void)
{
  GSettings *settings = g_settings_new (APP_ID);

  g_settings_reset (settings, "accounts");
  g_settings_reset (settings, "active-account");

  return settings;
}

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint count;
} ItemsChanged;

static void
items_changed_cb (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *seen)
{
  seen->position = position;
  seen->removed = removed;
  seen->added = added;
  seen->count++;
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_service_is_named_by_host_or_this_computer (void)
{
  g_autoptr(TokensAccount) remote = tokens_account_new ("https://tokens.example.org/api/", "ana@example.org", NULL);
  g_autoptr(TokensAccount) local = tokens_account_new_local ("ana@example.org", NULL);
  g_autofree char *remote_name = tokens_account_dup_service_name (remote);
  g_autofree char *local_name = tokens_account_dup_service_name (local);
  g_autofree char *ported = tokens_service_url_describe ("http://192.0.2.7:8080");
  g_autofree char *usual_port = tokens_service_url_describe ("https://tokens.example.org:443");

  g_assert_cmpstr (remote_name, ==, "tokens.example.org");
  g_assert_cmpstr (local_name, ==, "This computer");
  g_assert_cmpstr (ported, ==, "192.0.2.7:8080");
  g_assert_cmpstr (usual_port, ==, "tokens.example.org");

  g_assert_true (tokens_account_get_is_local (local));
  g_assert_cmpstr (tokens_account_get_service_url (local), ==, TOKENS_LOCAL_SERVICE_URI);
  g_assert_false (tokens_account_get_is_local (remote));
}

static void
test_this_computer_is_translated (void)
{
  g_autofree char *name = NULL;

  g_setenv ("LANGUAGE", "pt_BR", TRUE);
  setlocale (LC_ALL, "");
  name = tokens_service_url_describe (TOKENS_LOCAL_SERVICE_URI);
  g_setenv ("LANGUAGE", "en", TRUE);
  setlocale (LC_ALL, "");

  g_assert_cmpstr (name, ==, "Este computador");
}

static void
test_service_url_spellings_are_one_service (void)
{
  g_autoptr(TokensAccount) account = tokens_account_new ("HTTPS://Tokens.Example.org:443/", " ana@example.org ", NULL);
  g_autofree char *with_password = tokens_service_url_normalize ("https://ana:hunter2@tokens.example.org/v1/?x=1#y");

  g_assert_cmpstr (tokens_account_get_service_url (account), ==, "https://tokens.example.org");
  g_assert_cmpstr (tokens_account_get_email (account), ==, "ana@example.org");
  g_assert_true (tokens_account_matches (account, "https://tokens.example.org", "Ana@Example.org"));
  g_assert_false (tokens_account_matches (account, "http://tokens.example.org", "ana@example.org"));
  /* A password typed into the address never reaches the settings. */
  g_assert_cmpstr (with_password, ==, "https://tokens.example.org/v1");
}

static void
test_account_round_trips_through_a_variant (void)
{
  g_autoptr(TokensAccount) account = tokens_account_new ("https://tokens.example.org", "ana@example.org", "Work");
  g_autoptr(TokensAccount) copy = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GVariant) broken = NULL;

  tokens_account_set_allow_insecure (account, TRUE);
  variant = g_variant_ref_sink (tokens_account_to_variant (account));
  copy = tokens_account_new_from_variant (variant);

  g_assert_nonnull (copy);
  g_assert_cmpstr (tokens_account_get_id (copy), ==, tokens_account_get_id (account));
  g_assert_cmpstr (tokens_account_get_service_url (copy), ==, "https://tokens.example.org");
  g_assert_cmpstr (tokens_account_get_email (copy), ==, "ana@example.org");
  g_assert_cmpstr (tokens_account_get_display_name (copy), ==, "Work");
  g_assert_true (tokens_account_get_allow_insecure (copy));
  g_assert_false (tokens_account_get_is_local (copy));

  /* An entry without its email is skipped, not a crash. */
  broken = g_variant_ref_sink (g_variant_new_parsed ("{'id': <'x'>, 'service-url': <'https://a.example'>}"));
  g_assert_null (tokens_account_new_from_variant (broken));
}

static void
test_ids_are_random_uuids (void)
{
  g_autoptr(TokensAccount) a = tokens_account_new ("https://tokens.example.org", "ana@example.org", NULL);
  g_autoptr(TokensAccount) b = tokens_account_new ("https://tokens.example.org", "ana@example.org", NULL);

  g_assert_true (g_uuid_string_is_valid (tokens_account_get_id (a)));
  g_assert_cmpstr (tokens_account_get_id (a), !=, tokens_account_get_id (b));
}

static void
test_added_accounts_are_saved_at_once_and_read_back (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(TokensAccountList) list = tokens_account_list_new (settings);
  g_autoptr(TokensAccountList) again = NULL;
  g_autoptr(TokensAccount) local = tokens_account_new_local ("ana@example.org", NULL);
  g_autoptr(TokensAccount) remote = tokens_account_new ("https://tokens.example.org", "ana@example.org", "Work");
  g_autoptr(TokensAccount) other = tokens_account_new ("https://other.example.net", "bia@example.net", NULL);
  g_autoptr(GVariant) stored = NULL;
  g_autoptr(GError) error = NULL;
  ItemsChanged seen = { 0 };
  TokensAccount *found;

  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &seen);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_null (tokens_account_list_get_active (list));

  g_assert_true (tokens_account_list_add (list, local, &error));
  g_assert_true (tokens_account_list_add (list, remote, &error));
  g_assert_true (tokens_account_list_add (list, other, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (seen.count, ==, 3);
  g_assert_cmpuint (seen.position, ==, 2);
  g_assert_cmpuint (seen.added, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (list)) == TOKENS_TYPE_ACCOUNT);

  /* The first account becomes the active one. */
  g_assert_true (tokens_account_list_get_active (list) == local);

  stored = g_settings_get_value (settings, "accounts");
  g_assert_cmpuint (g_variant_n_children (stored), ==, 3);

  again = tokens_account_list_new (settings);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 3);
  found = tokens_account_list_find_by_id (again, tokens_account_get_id (remote));
  g_assert_nonnull (found);
  g_assert_cmpstr (tokens_account_get_display_name (found), ==, "Work");
  g_assert_true (tokens_account_list_find (again, "https://tokens.example.org/", "ana@example.org") == found);
  g_assert_true (tokens_account_get_is_local (tokens_account_list_find (again, TOKENS_LOCAL_SERVICE_URI, "ana@example.org")));
  g_assert_null (tokens_account_list_find (again, "https://tokens.example.org", "nobody@example.org"));
  g_assert_cmpstr (tokens_account_get_id (tokens_account_list_get_active (again)), ==,
                   tokens_account_get_id (local));
}

static void
test_the_same_account_twice_is_refused_with_a_sentence (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(TokensAccountList) list = tokens_account_list_new (settings);
  g_autoptr(TokensAccount) first = tokens_account_new ("https://tokens.example.org", "ana@example.org", NULL);
  g_autoptr(TokensAccount) second = tokens_account_new ("https://TOKENS.example.org/", "ana@example.org", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (tokens_account_list_add (list, first, NULL));
  g_assert_false (tokens_account_list_add (list, second, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==, "The account ana@example.org on tokens.example.org is already set up.");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
}

static void
test_removed_account_is_gone_for_every_instance (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(GSettings) other_settings = g_settings_new (APP_ID);
  g_autoptr(TokensAccountList) list = tokens_account_list_new (settings);
  g_autoptr(TokensAccountList) other = NULL;
  g_autoptr(TokensAccount) a = tokens_account_new ("https://a.example.org", "ana@example.org", NULL);
  g_autoptr(TokensAccount) b = tokens_account_new ("https://b.example.org", "ana@example.org", NULL);
  ItemsChanged seen = { 0 };

  g_assert_true (tokens_account_list_add (list, a, NULL));
  g_assert_true (tokens_account_list_add (list, b, NULL));

  other = tokens_account_list_new (other_settings);
  g_signal_connect (other, "items-changed", G_CALLBACK (items_changed_cb), &seen);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 2);
  g_assert_nonnull (tokens_account_list_get_active (other));

  g_assert_true (tokens_account_list_remove (list, a));
  g_assert_false (tokens_account_list_remove (list, a));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  /* The active one was removed: none is active now. */
  g_assert_null (tokens_account_list_get_active (list));

  /* The other instance hears of it through GSettings' "changed". */
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (seen.count, >=, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (other)), ==, 1);
  g_assert_null (tokens_account_list_find_by_id (other, tokens_account_get_id (a)));
  g_assert_nonnull (tokens_account_list_find_by_id (other, tokens_account_get_id (b)));
  g_assert_null (tokens_account_list_get_active (other));
}

static void
test_changes_by_another_instance_keep_the_same_objects (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(GSettings) other_settings = g_settings_new (APP_ID);
  g_autoptr(TokensAccountList) list = tokens_account_list_new (settings);
  g_autoptr(TokensAccountList) other = NULL;
  g_autoptr(TokensAccount) a = tokens_account_new ("https://a.example.org", "ana@example.org", "Old name");
  g_autoptr(TokensAccount) added_elsewhere = tokens_account_new ("http://192.0.2.1", "bia@example.org", NULL);
  TokensAccount *seen_by_other;
  guint notified = 0;

  g_assert_true (tokens_account_list_add (list, a, NULL));
  other = tokens_account_list_new (other_settings);
  seen_by_other = tokens_account_list_find_by_id (other, tokens_account_get_id (a));
  g_assert_nonnull (seen_by_other);
  g_signal_connect_swapped (seen_by_other, "notify::display-name", G_CALLBACK (count_cb), &notified);

  /* A property change is saved at once and reaches the same object there. */
  tokens_account_set_display_name (a, "New name");
  tokens_account_set_allow_insecure (a, TRUE);
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_true (tokens_account_list_find_by_id (other, tokens_account_get_id (a)) == seen_by_other);
  g_assert_cmpstr (tokens_account_get_display_name (seen_by_other), ==, "New name");
  g_assert_true (tokens_account_get_allow_insecure (seen_by_other));
  g_assert_cmpuint (notified, ==, 1);

  /* An account added there appears here, and can be made active there. */
  g_assert_true (tokens_account_list_add (other, added_elsewhere, NULL));
  tokens_account_list_set_active (other, added_elsewhere);
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_cmpstr (tokens_account_get_id (tokens_account_list_get_active (list)), ==,
                   tokens_account_get_id (added_elsewhere));
}

static void
test_no_secret_is_ever_in_the_settings (void)
{
  g_autoptr(GSettings) settings = fresh_settings ();
  g_autoptr(TokensAccountList) list = tokens_account_list_new (settings);
  g_autoptr(TokensAccount) account = tokens_account_new ("https://ana:hunter2@tokens.example.org", "ana@example.org", NULL);
  g_autoptr(GVariant) stored = NULL;
  g_autofree char *text = NULL;

  g_assert_true (tokens_account_list_add (list, account, NULL));
  stored = g_settings_get_value (settings, "accounts");
  text = g_variant_print (stored, TRUE);

  g_assert_null (strstr (text, "hunter2"));
  g_assert_null (strstr (text, "tkapi_"));
  g_assert_null (strstr (text, "tkses_"));
}

int
main (int   argc,
      char *argv[])
{
  test_lib_init (&argc, &argv);

  g_test_add_func ("/accounts/service-is-named-by-host-or-this-computer",
                   test_service_is_named_by_host_or_this_computer);
  g_test_add_func ("/accounts/this-computer-is-translated",
                   test_this_computer_is_translated);
  g_test_add_func ("/accounts/service-url-spellings-are-one-service",
                   test_service_url_spellings_are_one_service);
  g_test_add_func ("/accounts/account-round-trips-through-a-variant",
                   test_account_round_trips_through_a_variant);
  g_test_add_func ("/accounts/ids-are-random-uuids",
                   test_ids_are_random_uuids);
  g_test_add_func ("/accounts/added-accounts-are-saved-at-once-and-read-back",
                   test_added_accounts_are_saved_at_once_and_read_back);
  g_test_add_func ("/accounts/the-same-account-twice-is-refused-with-a-sentence",
                   test_the_same_account_twice_is_refused_with_a_sentence);
  g_test_add_func ("/accounts/removed-account-is-gone-for-every-instance",
                   test_removed_account_is_gone_for_every_instance);
  g_test_add_func ("/accounts/changes-by-another-instance-keep-the-same-objects",
                   test_changes_by_another_instance_keep_the_same_objects);
  g_test_add_func ("/accounts/no-secret-is-ever-in-the-settings",
                   test_no_secret_is_ever_in_the_settings);

  return g_test_run ();
}
