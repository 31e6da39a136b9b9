/* tc-source.c — every token tokens-cli can hand out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two kinds of keyring item, both made by the app's own code in
 * libtokens: the tokens a person keeps from any service (tokens-kept.c,
 * schema org.example.Tokens.Kept) and the tokens a tokens-server issued
 * that the app saved (tokens-store.c, org.example.Tokens.Secret: an
 * account's API token, its access tokens, its security token; never a
 * session, never the old secret of a renewal).
 *
 * Listing reads attributes only, which a locked keyring shows too;
 * reading a secret unlocks (the keyring's own prompt). A reference
 * `tokens://SERVICE/NAME` matches the service and name the app shows,
 * without case; the names the app gives ("This computer", "API token")
 * match in English as well as in the person's language, so a file of
 * references works for a whole team. An id matches one item exactly: a kept token's
 * own, or for a service's token one made from its attributes (stable as
 * long as the item is).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tc-source.h"

void
tc_item_free (TcItem *item)
{
  if (item == NULL)
    return;

  g_free (item->id);
  g_free (item->service);
  g_free (item->service_alt);
  g_free (item->name);
  g_free (item->name_alt);
  g_free (item->used_in);
  g_clear_pointer (&item->expires, g_date_time_unref);
  g_clear_pointer (&item->attributes, g_hash_table_unref);
  g_free (item);
}

int
tc_exit_for_error (const GError *error)
{
  if (error->domain == TC_ERROR)
    return error->code;
  if (g_error_matches (error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_LOCKED))
    return TC_EXIT_LOCKED;
  if (g_error_matches (error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_UNAVAILABLE))
    return TC_EXIT_NO_KEYRING;
  if (g_error_matches (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND))
    return TC_EXIT_NOT_FOUND;
  return TC_EXIT_FAILED;
}

static TcItem *
item_from_kept (TokensKept *kept)
{
  TcItem *item = g_new0 (TcItem, 1);

  item->id = g_strdup (kept->id);
  item->service = g_strdup (kept->service_name);
  /* "Other service" is in the reader's language (tokens-kept.c): a
   * reference written in English still finds it, as for "This computer". */
  if (g_strcmp0 (kept->service, TOKENS_KEPT_SERVICE_OTHER) == 0 &&
      !g_str_equal (item->service, "Other service"))
    item->service_alt = g_strdup ("Other service");
  item->name = g_strdup (kept->name);
  item->used_in = g_strdup (kept->used_in);
  item->date_only = tokens_kept_get_expiry (kept, &item->expires);
  item->origin = TC_ORIGIN_KEPT;
  return item;
}

/* "s" and ten characters of the SHA-256 of what names the item. */
static char *
service_item_id (GHashTable *attributes)
{
  static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *names[] = { "service", "account", "kind", "token-id" };
  guint8 digest[32];
  gsize length = sizeof digest;
  char id[12];

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value = g_hash_table_lookup (attributes, names[i]);

      g_checksum_update (checksum, (const guchar *) (value ? value : ""), -1);
      g_checksum_update (checksum, (const guchar *) "\n", 1);
    }
  g_checksum_get_digest (checksum, digest, &length);

  id[0] = 's';
  for (guint i = 1; i < 11; i++)
    id[i] = alphabet[digest[i] % 32];
  id[11] = '\0';
  return g_strdup (id);
}

static TcItem *
item_from_service (GHashTable *attributes)
{
  const char *url = g_hash_table_lookup (attributes, "service");
  const char *kind_text = g_hash_table_lookup (attributes, "kind");
  const char *name = g_hash_table_lookup (attributes, "name");
  const char *expires_at = g_hash_table_lookup (attributes, "expires-at");
  const char *slot = g_hash_table_lookup (attributes, "slot");
  TokensTokenKind kind;
  TcItem *item;

  if (url == NULL || !tokens_store_kind_from_string (kind_text, &kind) ||
      kind == TOKENS_TOKEN_KIND_SESSION || g_strcmp0 (slot, "previous") == 0)
    return NULL;

  item = g_new0 (TcItem, 1);
  item->id = service_item_id (attributes);
  item->service = tokens_service_url_describe (url);
  if (g_str_equal (url, TOKENS_LOCAL_SERVICE_URI) && !g_str_equal (item->service, "This computer"))
    item->service_alt = g_strdup ("This computer");
  item->used_in = g_strdup (g_hash_table_lookup (attributes, "account"));
  item->origin = TC_ORIGIN_SERVICE;
  item->attributes = g_hash_table_ref (attributes);

  switch (kind)
    {
    case TOKENS_TOKEN_KIND_API_KEY:
      item->name = g_strdup (_("API token"));
      item->name_alt = g_strdup ("API token");
      break;
    case TOKENS_TOKEN_KIND_CLIENT:
      item->name = g_strdup (_("Account security token"));
      item->name_alt = g_strdup ("Account security token");
      break;
    case TOKENS_TOKEN_KIND_ACCESS:
    default:
      if (name != NULL && name[0] != '\0')
        item->name = g_strdup (name);
      else
        /* Translators: an access token saved before Tokens kept names;
         * %s is its number at the service. */
        item->name = g_strdup_printf (_("Access token %s"),
                                      (const char *) g_hash_table_lookup (attributes, "token-id"));
      break;
    }

  if (expires_at != NULL && expires_at[0] != '\0')
    item->expires = g_date_time_new_from_iso8601 (expires_at, NULL);
  return item;
}

static gint
by_service_and_name (gconstpointer a,
                     gconstpointer b)
{
  const TcItem *x = *(TcItem **) a;
  const TcItem *y = *(TcItem **) b;
  int order = g_utf8_collate (x->service, y->service);

  return order != 0 ? order : g_utf8_collate (x->name, y->name);
}

/**
 * tc_source_list:
 *
 * Returns: (transfer container) (element-type TcItem): every token, by
 *   service and name
 */
GPtrArray *
tc_source_list (GError **error)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) tc_item_free);
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);
  GError *local = NULL;
  GList *found;

  kept = tokens_kept_list_sync (NULL, error);
  if (kept == NULL)
    return NULL;
  for (guint i = 0; i < kept->len; i++)
    g_ptr_array_add (items, item_from_kept (g_ptr_array_index (kept, i)));

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &local);
  found = service ? secret_service_search_sync (service, tokens_store_get_schema (), none,
                                                SECRET_SEARCH_ALL, NULL, &local)
                  : NULL;
  if (local != NULL)
    {
      g_propagate_error (error, tokens_kept_keyring_error (local));
      return NULL;
    }
  for (GList *l = found; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      TcItem *item = item_from_service (attributes);

      if (item != NULL)
        g_ptr_array_add (items, item);
    }
  g_list_free_full (found, g_object_unref);

  g_ptr_array_sort (items, by_service_and_name);
  return g_steal_pointer (&items);
}

static gboolean
same_text (const char *a,
           const char *b)
{
  g_autofree char *fa = NULL;
  g_autofree char *fb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  fa = g_utf8_casefold (a, -1);
  fb = g_utf8_casefold (b, -1);
  return g_str_equal (fa, fb);
}

/**
 * tc_source_resolve:
 *
 * Returns: (transfer none): the one item @reference names; %NULL with
 *   TC_EXIT_NOT_FOUND or TC_EXIT_AMBIGUOUS (the message names the ids to
 *   use instead: no secret is in any message)
 */
TcItem *
tc_source_resolve (GPtrArray   *items,
                   const char  *reference,
                   GError     **error)
{
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  g_autoptr(GString) ids = NULL;
  g_autofree char *shown = NULL;
  TcRef ref;

  if (!tc_ref_parse (reference, &ref, error))
    return NULL;

  for (guint i = 0; i < items->len; i++)
    {
      TcItem *item = g_ptr_array_index (items, i);

      if (ref.service == NULL ? g_ascii_strcasecmp (item->id, ref.name) == 0
                              : (same_text (item->service, ref.service) ||
                                 same_text (item->service_alt, ref.service)) &&
                                (same_text (item->name, ref.name) ||
                                 same_text (item->name_alt, ref.name)))
        g_ptr_array_add (matches, item);
    }
  tc_ref_clear (&ref);

  if (matches->len == 1)
    return g_ptr_array_index (matches, 0);

  shown = tc_ref_shown (reference);
  if (matches->len == 0)
    {
      g_set_error (error, TC_ERROR, TC_EXIT_NOT_FOUND,
                   _("No kept token is “%s”: “tokens-cli list” shows every reference"), shown);
      return NULL;
    }

  ids = g_string_new (NULL);
  for (guint i = 0; i < matches->len; i++)
    g_string_append_printf (ids, "%s%s", i ? ", " : "", ((TcItem *) g_ptr_array_index (matches, i))->id);
  g_set_error (error, TC_ERROR, TC_EXIT_AMBIGUOUS,
               _("“%s” names %u kept tokens: use one of their ids instead (%s)"),
               shown, matches->len, ids->str);
  return NULL;
}

/* How `list` writes it, and any reference to it: tokens://SERVICE/NAME,
 * escaped where a character would end it or be lost in a file. */
char *
tc_source_reference (const TcItem *item)
{
  g_autofree char *service = g_uri_escape_string (item->service, " ", TRUE);
  g_autofree char *name = g_uri_escape_string (item->name, " /", TRUE);

  return g_strconcat (TC_REF_SCHEME, service, "/", name, NULL);
}

/**
 * tc_source_read:
 *
 * Unlocks the keyring if it must.
 *
 * Returns: (transfer full): the secret, wiped when freed
 */
TokensSecret *
tc_source_read (const TcItem  *item,
                GError       **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(SecretValue) value = NULL;
  GError *local = NULL;
  GList *found;
  const char *text;
  gsize length = 0;

  if (item->origin == TC_ORIGIN_KEPT)
    return tokens_kept_read_sync (item->id, NULL, error);

  service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &local);
  /* The item's own attributes, its schema's name among them. */
  found = service ? secret_service_search_sync (service, NULL, item->attributes,
                                                SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                                                NULL, &local)
                  : NULL;
  if (local != NULL)
    {
      g_propagate_error (error, tokens_kept_keyring_error (local));
      return NULL;
    }

  if (found != NULL && secret_item_get_locked (found->data))
    {
      g_list_free_full (found, g_object_unref);
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_LOCKED,
                           tokens_error_describe (TOKENS_ERROR_KEYRING_LOCKED));
      return NULL;
    }

  value = found ? secret_item_get_secret (found->data) : NULL;
  g_list_free_full (found, g_object_unref);
  text = value ? secret_value_get (value, &length) : NULL;
  if (text == NULL || length == 0 || memchr (text, '\0', length) != NULL)
    {
      g_set_error (error, TC_ERROR, TC_EXIT_NOT_FOUND,
                   _("The keyring no longer has the secret of “%s”"), item->name);
      return NULL;
    }

  return g_strndup (text, length);
}
