/* tokens-kept.c — the tokens of any service that a person keeps in Tokens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GitHub PAT, an npm publish token, a Hugging Face token: secrets that
 * tokens-server never issued, kept so that they live in one safe place
 * with their expiry watched, and reach programs through tokens-cli rather
 * than through a plain file. Each is one keyring item of the schema
 * `org.example.Tokens.Kept`: the secret is the item's secret, everything
 * else an attribute (attributes are readable while the keyring is locked,
 * so a list needs no unlock prompt; they never hold a secret). The label
 * is for Passwords and Keys only and is never read back.
 *
 * These calls block: tokens-cli calls them as they are, the app from a
 * GTask thread. An item is changed in place (attributes, label, secret),
 * never deleted and made again, so a failure half-way loses nothing.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "tokens-error.h"
#include "tokens-kept.h"

G_DEFINE_BOXED_TYPE (TokensKept, tokens_kept, tokens_kept_copy, tokens_kept_free)

static const SecretSchema schema = {
  .name = "org.example.Tokens.Kept",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { .name = "id", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = "service", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = "service-name", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = "name", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = "used-in", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = "expires-on", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = "note", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = NULL },
  },
};

/* No 0/o, 1/l: an id is read off a terminal and typed again. */
static const char id_alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
#define ID_LENGTH 10

const SecretSchema *
tokens_kept_get_schema (void)
{
  return &schema;
}

TokensKept *
tokens_kept_copy (const TokensKept *kept)
{
  TokensKept *copy = g_new0 (TokensKept, 1);

  copy->id = g_strdup (kept->id);
  copy->service = g_strdup (kept->service);
  copy->service_name = g_strdup (kept->service_name);
  copy->name = g_strdup (kept->name);
  copy->used_in = g_strdup (kept->used_in);
  copy->expires_on = g_strdup (kept->expires_on);
  copy->note = g_strdup (kept->note);
  return copy;
}

void
tokens_kept_free (TokensKept *kept)
{
  if (kept == NULL)
    return;

  g_free (kept->id);
  g_free (kept->service);
  g_free (kept->service_name);
  g_free (kept->name);
  g_free (kept->used_in);
  g_free (kept->expires_on);
  g_free (kept->note);
  g_free (kept);
}

/**
 * tokens_kept_get_expiry:
 * @expires: (out) (transfer full) (nullable): midnight at the start of
 *   the expiry day, local time
 *
 * Returns: %FALSE when the token does not expire (or its date cannot be
 *   read, which the app never writes)
 */
gboolean
tokens_kept_get_expiry (const TokensKept  *kept,
                        GDateTime        **expires)
{
  int year, month, day;

  *expires = NULL;
  if (kept->expires_on == NULL || strlen (kept->expires_on) != 10 ||
      sscanf (kept->expires_on, "%4d-%2d-%2d", &year, &month, &day) != 3 ||
      !g_date_valid_dmy (day, month, year))
    return FALSE;

  *expires = g_date_time_new_local (year, month, day, 0, 0, 0);
  return *expires != NULL;
}

/**
 * tokens_kept_days_until:
 * @day: a day (its date is read, not its time)
 * @now: (nullable): the moment to count from; %NULL: now
 *
 * Calendar days from @now's day, local time, to @day: 0 on @day itself,
 * negative after. Days, not 24-hour spans: a day with a daylight saving
 * change is 23 or 25 hours long, and late evening counts as today.
 */
gint64
tokens_kept_days_until (GDateTime *day,
                        GDateTime *now)
{
  g_autoptr(GDateTime) local = now ? g_date_time_to_local (now) : g_date_time_new_now_local ();
  GDate today;
  GDate last;

  g_date_clear (&today, 1);
  g_date_clear (&last, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  g_date_set_dmy (&last, g_date_time_get_day_of_month (day), g_date_time_get_month (day),
                  g_date_time_get_year (day));
  return g_date_days_between (&today, &last);
}

/* See tokens_kept_days_until(); G_MAXINT64 when it does not expire. */
gint64
tokens_kept_days_left (const TokensKept *kept,
                       GDateTime        *now)
{
  g_autoptr(GDateTime) expires = NULL;

  if (!tokens_kept_get_expiry (kept, &expires))
    return G_MAXINT64;
  return tokens_kept_days_until (expires, now);
}

/**
 * tokens_kept_keyring_error:
 * @error: (transfer full): what libsecret said
 *
 * libsecret's error as a person reads it: the keyring is locked, or there
 * is none. A cancellation stays as it is. libsecret's own message goes to
 * the debug log only.
 *
 * Returns: (transfer full): a TOKENS_ERROR
 */
GError *
tokens_kept_keyring_error (GError *error)
{
  TokensError code = TOKENS_ERROR_KEYRING_UNAVAILABLE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  g_debug ("Keyring: %s (%s %d)", error->message, g_quark_to_string (error->domain), error->code);
  if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
    code = TOKENS_ERROR_KEYRING_LOCKED;
  g_error_free (error);
  return g_error_new_literal (TOKENS_ERROR, code, tokens_error_describe (code));
}

static gboolean
fail (GError **error,
      GError  *cause)
{
  g_propagate_error (error, tokens_kept_keyring_error (cause));
  return FALSE;
}

/* Whether a service name is only the words for "no known service": none,
 * or "Other service" as this version or an earlier one stored it (in
 * English or translated; pt_BR is the only translation there was). A
 * name a person or a program gave an "other" token (tokens-cli's
 * fixture keeps "Z-API") is data and stays. */
static gboolean
is_other_words (const char *service_name)
{
  return service_name == NULL || *service_name == '\0' ||
         g_str_equal (service_name, "Other service") ||
         g_str_equal (service_name, "Outro serviço") ||
         g_str_equal (service_name, _("Other service"));
}

static TokensKept *
kept_from_attributes (GHashTable *attributes)
{
  TokensKept *kept = g_new0 (TokensKept, 1);
  const char *value;

#define TEXT(name) \
  (((value = g_hash_table_lookup (attributes, name)) != NULL && value[0] != '\0') ? g_strdup (value) : NULL)

  kept->id = TEXT ("id");
  kept->service = TEXT ("service");
  kept->service_name = TEXT ("service-name");
  kept->name = TEXT ("name");
  kept->used_in = TEXT ("used-in");
  kept->expires_on = TEXT ("expires-on");
  kept->note = TEXT ("note");

#undef TEXT

  if (kept->service == NULL)
    kept->service = g_strdup (TOKENS_KEPT_SERVICE_OTHER);
  /* "Other service" is words, not data: said in the language of whoever
   * reads the item now. */
  if (kept->service_name == NULL ||
      (g_str_equal (kept->service, TOKENS_KEPT_SERVICE_OTHER) && is_other_words (kept->service_name)))
    {
      g_free (kept->service_name);
      kept->service_name = g_strdup (_("Other service"));
    }
  if (kept->name == NULL)
    kept->name = g_strdup ("");
  return kept;
}

static GHashTable *
attributes_of (const TokensKept *kept)
{
  const char *service = kept->service ? kept->service : TOKENS_KEPT_SERVICE_OTHER;
  /* A service's name is stored; "other" has none but a name someone
   * gave it, only words that kept_from_attributes() says in the
   * reader's language. */
  const char *service_name = kept->service_name == NULL ||
                             (g_str_equal (service, TOKENS_KEPT_SERVICE_OTHER) && is_other_words (kept->service_name))
                               ? "" : kept->service_name;

  return secret_attributes_build (&schema,
                                  "id", kept->id,
                                  "service", service,
                                  "service-name", service_name,
                                  "name", kept->name ? kept->name : "",
                                  "used-in", kept->used_in ? kept->used_in : "",
                                  "expires-on", kept->expires_on ? kept->expires_on : "",
                                  "note", kept->note ? kept->note : "",
                                  NULL);
}

static char *
label_of (const TokensKept *kept)
{
  /* Translators: the name of a keyring item, as seen in Passwords and
   * Keys. The first %s is a service (“GitHub”), the second the name the
   * person gave the token. */
  return g_strdup_printf (_("Tokens: %s token “%s”"), kept->service_name, kept->name);
}

static GList *
search (const char         *id,
        SecretSearchFlags   flags,
        GCancellable       *cancellable,
        GError            **error)
{
  g_autoptr(SecretService) service = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GError *local = NULL;
  GList *items;

  service = secret_service_get_sync (SECRET_SERVICE_NONE, cancellable, &local);
  if (service == NULL)
    {
      fail (error, local);
      return NULL;
    }

  attributes = id ? secret_attributes_build (&schema, "id", id, NULL)
                  : g_hash_table_new (g_str_hash, g_str_equal);
  items = secret_service_search_sync (service, &schema, attributes, flags | SECRET_SEARCH_ALL,
                                      cancellable, &local);
  if (local != NULL)
    fail (error, local);
  return items;
}

/**
 * tokens_kept_list_sync:
 *
 * Returns: (transfer container) (element-type TokensKept): every kept
 *   token, by service and name; %NULL with @error when the keyring
 *   cannot be asked
 */
GPtrArray *
tokens_kept_list_sync (GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) tokens_kept_free);
  GError *local = NULL;
  GList *items;

  items = search (NULL, SECRET_SEARCH_NONE, cancellable, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);
      TokensKept *kept = kept_from_attributes (attributes);

      if (kept->id != NULL)
        g_ptr_array_add (list, kept);
      else
        tokens_kept_free (kept);
    }
  g_list_free_full (items, g_object_unref);

  return g_steal_pointer (&list);
}

static SecretItem *
find_one (const char     *id,
          gboolean        load,
          GCancellable   *cancellable,
          GError        **error)
{
  GError *local = NULL;
  GList *items;
  SecretItem *item = NULL;

  items = search (id, SECRET_SEARCH_UNLOCK | (load ? SECRET_SEARCH_LOAD_SECRETS : 0),
                  cancellable, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }

  if (items == NULL)
    g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND,
                         _("Tokens keeps no token with this id."));
  else if (secret_item_get_locked (items->data))
    fail (error, g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                                      "the item stayed locked after the unlock prompt"));
  else
    item = g_object_ref (items->data);

  g_list_free_full (items, g_object_unref);
  return item;
}

/**
 * tokens_kept_read_sync:
 *
 * Unlocks the keyring if it must (its prompt).
 *
 * Returns: (transfer full): the secret, wiped when freed
 */
TokensSecret *
tokens_kept_read_sync (const char    *id,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(SecretItem) item = find_one (id, TRUE, cancellable, error);
  g_autoptr(SecretValue) value = NULL;
  const char *text;
  gsize length = 0;

  if (item == NULL)
    return NULL;

  value = secret_item_get_secret (item);
  text = value ? secret_value_get (value, &length) : NULL;
  if (text == NULL || length == 0 || memchr (text, '\0', length) != NULL ||
      !g_utf8_validate (text, length, NULL))
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_UNAVAILABLE,
                           _("The keyring gave back no token, or one that is not text."));
      return NULL;
    }

  return g_strndup (text, length);
}

/**
 * tokens_kept_save_sync:
 * @kept: what to keep; when its id is %NULL, a new one is made and set
 * @secret: (nullable): the secret; %NULL keeps the one the item has
 *   (only for an item that exists)
 *
 * Keeps a new token, or changes one in place: its details, its secret
 * (after a rotation at the service: the old one is gone), or both.
 */
gboolean
tokens_kept_save_sync (TokensKept    *kept,
                       const char    *secret,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GHashTable) attributes = NULL;
  g_autoptr(SecretItem) item = NULL;
  g_autofree char *label = NULL;
  GError *local = NULL;

  g_return_val_if_fail (kept != NULL, FALSE);
  g_return_val_if_fail (kept->id != NULL || secret != NULL, FALSE);

  if (kept->id == NULL)
    {
      char id[ID_LENGTH + 1];

      for (guint i = 0; i < ID_LENGTH; i++)
        id[i] = id_alphabet[randombytes_uniform (sizeof id_alphabet - 1)];
      id[ID_LENGTH] = '\0';
      kept->id = g_strdup (id);
    }
  else
    {
      item = find_one (kept->id, FALSE, cancellable, &local);
      if (item == NULL && !g_error_matches (local, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      g_clear_error (&local);
    }

  attributes = attributes_of (kept);
  label = label_of (kept);

  if (item == NULL)
    {
      if (secret == NULL)
        {
          g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND,
                               _("Tokens keeps no token with this id."));
          return FALSE;
        }
      if (!secret_password_storev_sync (&schema, attributes, SECRET_COLLECTION_DEFAULT, label,
                                        secret, cancellable, &local))
        return fail (error, local);
      return TRUE;
    }

  if (secret != NULL)
    {
      g_autoptr(SecretValue) value = secret_value_new (secret, -1, "text/plain");

      if (!secret_item_set_secret_sync (item, value, cancellable, &local))
        return fail (error, local);
    }
  if (!secret_item_set_attributes_sync (item, &schema, attributes, cancellable, &local) ||
      !secret_item_set_label_sync (item, label, cancellable, &local))
    return fail (error, local);

  return TRUE;
}

/**
 * tokens_kept_find_secret_sync:
 *
 * Whether @secret is kept already, so that pasting it again says under
 * which name instead of keeping it twice. Every kept secret is read (the
 * keyring is unlocked for that) and compared in constant time; no hash
 * of a secret is kept anywhere to make this faster.
 *
 * Returns: (transfer full) (nullable): the id of the kept token that has
 *   @secret, %NULL (and no error) when none has
 */
char *
tokens_kept_find_secret_sync (const char    *secret,
                              GCancellable  *cancellable,
                              GError       **error)
{
  gsize wanted = strlen (secret);
  GError *local = NULL;
  char *found = NULL;
  GList *items;

  items = search (NULL, SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS, cancellable, &local);
  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(SecretValue) value = secret_item_get_secret (l->data);
      const char *text;
      gsize length = 0;

      if (secret_item_get_locked (l->data))
        {
          fail (error, g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                                            "an item stayed locked after the unlock prompt"));
          g_clear_pointer (&found, g_free);
          break;
        }

      text = value ? secret_value_get (value, &length) : NULL;
      if (found == NULL && text != NULL && length == wanted &&
          sodium_memcmp (text, secret, length) == 0)
        {
          g_autoptr(GHashTable) attributes = secret_item_get_attributes (l->data);

          found = g_strdup (g_hash_table_lookup (attributes, "id"));
        }
    }
  g_list_free_full (items, g_object_unref);

  return found;
}

gboolean
tokens_kept_delete_sync (const char    *id,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(SecretItem) item = find_one (id, FALSE, cancellable, error);
  GError *local = NULL;

  if (item == NULL)
    return FALSE;
  if (!secret_item_delete_sync (item, cancellable, &local))
    return fail (error, local);
  return TRUE;
}
