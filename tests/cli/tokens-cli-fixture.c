/* tokens-cli-fixture.c — keyring items for tokens-cli's tests, made by the app's own code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   tokens-cli-fixture keep SERVICE SERVICE-NAME NAME USED-IN EXPIRES-ON   (secret on stdin)
 *   tokens-cli-fixture save-service KIND TOKEN-ID NAME EMAIL              (secret on stdin)
 *   tokens-cli-fixture forget ID
 *   tokens-cli-fixture lock
 *
 * `keep` prints the new id; "" stands for no USED-IN / no expiry.
 * `save-service` saves a token of the app's own service ("This computer")
 * as the app does when a tokens-server issues one (KIND: api-key, access,
 * client). `forget` deletes a kept token. `lock` locks the default
 * collection, as a screen lock would.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tokens.h"

static void
got_result (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static char *
empty_is_null (const char *text)
{
  return text[0] == '\0' ? NULL : g_strdup (text);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  if (argc == 7 && g_str_equal (argv[1], "keep"))
    {
      g_autoptr(TokensKept) kept = g_new0 (TokensKept, 1);
      char secret[4096];

      if (fgets (secret, sizeof secret, stdin) == NULL)
        return 2;
      g_strchomp (secret);

      kept->service = g_strdup (argv[2]);
      kept->service_name = g_strdup (argv[3]);
      kept->name = g_strdup (argv[4]);
      kept->used_in = empty_is_null (argv[5]);
      kept->expires_on = empty_is_null (argv[6]);
      if (!tokens_kept_save_sync (kept, secret, NULL, &error))
        {
          g_printerr ("tokens-cli-fixture: %s\n", error->message);
          return 1;
        }
      memset (secret, 0, sizeof secret);
      g_print ("%s\n", kept->id);
      return 0;
    }

  if (argc == 6 && g_str_equal (argv[1], "save-service"))
    {
      g_autoptr(TokensStore) store = tokens_store_new ();
      g_autoptr(TokensAccount) account = tokens_account_new_local (argv[5], NULL);
      g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
      GAsyncResult *result = NULL;
      TokensTokenKind kind;
      char secret[4096];
      gboolean saved;

      if (!tokens_store_kind_from_string (argv[2], &kind) || fgets (secret, sizeof secret, stdin) == NULL)
        return 2;
      g_strchomp (secret);

      tokens_store_save_async (store, account, kind, argv[3][0] ? argv[3] : NULL, argv[4], secret,
                               NULL, got_result, &result);
      while (result == NULL)
        g_main_context_iteration (context, TRUE);
      saved = tokens_store_save_finish (store, result, &error);
      g_object_unref (result);
      memset (secret, 0, sizeof secret);
      if (!saved)
        {
          g_printerr ("tokens-cli-fixture: %s\n", error->message);
          return 1;
        }
      return 0;
    }

  if (argc == 3 && g_str_equal (argv[1], "forget"))
    {
      if (!tokens_kept_delete_sync (argv[2], NULL, &error))
        {
          g_printerr ("tokens-cli-fixture: %s\n", error->message);
          return 1;
        }
      return 0;
    }

  if (argc == 2 && g_str_equal (argv[1], "lock"))
    {
      g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_LOAD_COLLECTIONS,
                                                                  NULL, &error);
      g_autoptr(SecretCollection) collection = NULL;
      GList *objects;

      if (service != NULL)
        collection = secret_collection_for_alias_sync (service, SECRET_COLLECTION_DEFAULT,
                                                       SECRET_COLLECTION_NONE, NULL, &error);
      if (collection == NULL)
        {
          g_printerr ("tokens-cli-fixture: %s\n", error ? error->message : "no default collection");
          return 1;
        }
      objects = g_list_prepend (NULL, collection);
      secret_service_lock_sync (service, objects, NULL, NULL, &error);
      g_list_free (objects);
      if (error != NULL)
        {
          g_printerr ("tokens-cli-fixture: %s\n", error->message);
          return 1;
        }
      return 0;
    }

  g_printerr ("usage: tokens-cli-fixture keep SERVICE SERVICE-NAME NAME USED-IN EXPIRES-ON"
              " | save-service KIND TOKEN-ID NAME EMAIL | forget ID | lock\n");
  return 2;
}
