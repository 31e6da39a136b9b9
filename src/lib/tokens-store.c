/* tokens-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The secrets of every account, in the desktop keyring (the Secret
 * Service, through libsecret) and nowhere else: when there is no keyring,
 * or it stays locked, the caller gets TOKENS_ERROR_KEYRING_UNAVAILABLE or
 * TOKENS_ERROR_KEYRING_LOCKED and nothing is written anywhere. Inside a
 * Flatpak without the org.freedesktop.secrets permission libsecret itself
 * keeps the items in its portal-keyed file; that is still libsecret's
 * encrypted store, not ours.
 *
 * How libsecret says what went wrong, and what this file makes of it:
 *  - no Secret Service on the bus: G_DBUS_ERROR_SERVICE_UNKNOWN (or no bus
 *    at all: a G_IO_ERROR) → unavailable;
 *  - no default collection: secret_service_store() tries to create one,
 *    which needs a prompt; with none possible it fails with
 *    SECRET_ERROR_NO_SUCH_OBJECT or G_DBUS_ERROR_UNKNOWN_METHOD
 *    ("Object does not exist at path …/collection/login") → unavailable;
 *  - a locked collection: secret_service_store() asks to unlock it; a
 *    dismissed prompt is not an error to libsecret, the retried store
 *    then fails with SECRET_ERROR_IS_LOCKED → locked;
 *  - searches with SECRET_SEARCH_UNLOCK do not fail when the unlock is
 *    dismissed: the items just stay locked, so every search here checks
 *    what it got back → locked.
 *
 * libsecret's own messages name D-Bus paths, never secrets; they go to
 * the debug log only, and people get a plain sentence.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "tokens-error.h"
#include "tokens-store.h"

struct _TokensStore
{
  GObject parent_instance;

  GQueue queue;  /* of Pending: the calls waiting their turn, the first running */
};

enum {
  CHANGED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (TokensStore, tokens_store, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

G_DEFINE_BOXED_TYPE (TokensStoreItem, tokens_store_item,
                     tokens_store_item_copy, tokens_store_item_free)

static const SecretSchema schema = {
  .name = "org.example.Tokens.Secret",
  .flags = SECRET_SCHEMA_NONE,
  .attributes = {
    { .name = "service", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = "account", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = "kind", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = "token-id", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = "slot", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = "name", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = "expires-at", .type = SECRET_SCHEMA_ATTRIBUTE_STRING },
    { .name = NULL },
  },
};

static const char *const kind_names[TOKENS_TOKEN_N_KINDS] = {
  [TOKENS_TOKEN_KIND_API_KEY] = "api-key",
  [TOKENS_TOKEN_KIND_ACCESS] = "access",
  [TOKENS_TOKEN_KIND_CLIENT] = "client",
  [TOKENS_TOKEN_KIND_SESSION] = "session",
};

static const char *const slot_names[] = {
  [TOKENS_STORE_SLOT_CURRENT] = "current",
  [TOKENS_STORE_SLOT_PREVIOUS] = "previous",
};

typedef enum
{
  OP_SAVE,
  OP_READ,
  OP_CLEAR,
} Op;

TokensStoreItem *
tokens_store_item_copy (const TokensStoreItem *item)
{
  TokensStoreItem *copy;

  g_return_val_if_fail (item != NULL, NULL);

  copy = g_new0 (TokensStoreItem, 1);
  copy->service_url = g_strdup (item->service_url);
  copy->email = g_strdup (item->email);
  copy->kind = item->kind;
  copy->token_id = g_strdup (item->token_id);
  copy->label = g_strdup (item->label);
  copy->name = g_strdup (item->name);
  copy->expires_at = g_strdup (item->expires_at);
  copy->slot = item->slot;

  return copy;
}

void
tokens_store_item_free (TokensStoreItem *item)
{
  if (item == NULL)
    return;

  g_free (item->service_url);
  g_free (item->email);
  g_free (item->token_id);
  g_free (item->label);
  g_free (item->name);
  g_free (item->expires_at);
  g_free (item);
}

/**
 * tokens_store_get_schema:
 *
 * Returns: (transfer none): the schema of every item Tokens keeps:
 *   `org.example.Tokens.Secret`, with the string attributes `service`,
 *   `account`, `kind`, `token-id` and `slot` that say whose secret it is,
 *   and for access tokens `name` and `expires-at` that describe it (so
 *   that nobody needs to read the translated label back)
 */
const SecretSchema *
tokens_store_get_schema (void)
{
  return &schema;
}

/**
 * tokens_store_kind_to_string:
 *
 * Returns: the `kind` attribute for @kind: "api-key", "access", "client"
 *   or "session"
 */
const char *
tokens_store_kind_to_string (TokensTokenKind kind)
{
  g_return_val_if_fail ((guint) kind < TOKENS_TOKEN_N_KINDS, NULL);

  return kind_names[kind];
}

gboolean
tokens_store_kind_from_string (const char      *string,
                               TokensTokenKind *kind)
{
  g_return_val_if_fail (kind != NULL, FALSE);

  for (guint i = 0; string != NULL && i < G_N_ELEMENTS (kind_names); i++)
    {
      if (g_str_equal (string, kind_names[i]))
        {
          *kind = (TokensTokenKind) i;
          return TRUE;
        }
    }

  return FALSE;
}

static GError *
keyring_error (Op      op,
               GError *error)
{
  TokensError code = TOKENS_ERROR_KEYRING_UNAVAILABLE;
  const char *message;

  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  if (error != NULL)
    {
      g_debug ("Keyring: %s (%s %d)", error->message,
               g_quark_to_string (error->domain), error->code);
      if (g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED))
        code = TOKENS_ERROR_KEYRING_LOCKED;
      g_error_free (error);
    }

  switch (op)
    {
    case OP_SAVE:
      if (code == TOKENS_ERROR_KEYRING_LOCKED)
        message = _("The keyring is locked, so the token was not saved. Unlock it and try again.");
      else
        message = tokens_error_describe (code);
      break;

    case OP_CLEAR:
      if (code == TOKENS_ERROR_KEYRING_LOCKED)
        message = _("The keyring is locked, so saved tokens cannot be removed. Unlock it and try again.");
      else
        message = _("No keyring is available, so saved tokens cannot be removed.");
      break;

    case OP_READ:
    default:
      if (code == TOKENS_ERROR_KEYRING_LOCKED)
        message = tokens_error_describe (code);
      else
        message = _("No keyring is available, so saved tokens cannot be read.");
      break;
    }

  return g_error_new_literal (TOKENS_ERROR, code, message);
}

static GError *
locked_error (Op op)
{
  return keyring_error (op, g_error_new_literal (SECRET_ERROR, SECRET_ERROR_IS_LOCKED,
                                                 "an item stayed locked after the unlock prompt"));
}

static char *
make_label (TokensAccount   *account,
            TokensTokenKind  kind,
            const char      *token_name,
            TokensStoreSlot  slot)
{
  /* "ana@example.org on this computer": the account as a sentence names it */
  g_autofree char *account_label = tokens_account_dup_label (account);

  if (kind == TOKENS_TOKEN_KIND_ACCESS && slot == TOKENS_STORE_SLOT_PREVIOUS)
    {
      if (token_name != NULL && *token_name != '\0')
        /* Translators: the name of a keyring item: the old secret of a
         * renewed token, valid until the old token is deleted. The first
         * %s is the token's name, the second "ana@example.org on this
         * computer". */
        return g_strdup_printf (_("Tokens: old access token “%s” of %s"), token_name, account_label);
      /* Translators: the name of a keyring item: the old secret of a
       * renewed token. %s is "ana@example.org on this computer". */
      return g_strdup_printf (_("Tokens: old access token of %s"), account_label);
    }

  switch (kind)
    {
    case TOKENS_TOKEN_KIND_API_KEY:
      /* Translators: the name of a keyring item, as seen in Passwords and
       * Keys. %s is "ana@example.org on this computer". */
      return g_strdup_printf (_("Tokens: API token of %s"), account_label);

    case TOKENS_TOKEN_KIND_ACCESS:
      if (token_name != NULL && *token_name != '\0')
        /* Translators: the name of a keyring item. The first %s is the
         * name the person gave the token, the second "ana@example.org on
         * this computer". */
        return g_strdup_printf (_("Tokens: access token “%s” of %s"), token_name, account_label);
      /* Translators: the name of a keyring item. %s is "ana@example.org on
       * this computer". */
      return g_strdup_printf (_("Tokens: access token of %s"), account_label);

    case TOKENS_TOKEN_KIND_CLIENT:
      /* Translators: the name of a keyring item. %s is "ana@example.org on
       * this computer". */
      return g_strdup_printf (_("Tokens: account security token of %s"), account_label);

    case TOKENS_TOKEN_KIND_SESSION:
    default:
      /* Translators: the name of a keyring item: the app's signed-in
       * session. %s is "ana@example.org on this computer". */
      return g_strdup_printf (_("Tokens: session of %s"), account_label);
    }
}

/* Whose secret: what every call but a listing searches by. */
static GHashTable *
make_attributes (TokensAccount   *account,
                 TokensTokenKind  kind,
                 const char      *token_id)
{
  return secret_attributes_build (&schema,
                                  "service", tokens_account_get_service_url (account),
                                  "account", tokens_account_get_email (account),
                                  "kind", kind_names[kind],
                                  "token-id", token_id ? token_id : "",
                                  NULL);
}

static GHashTable *
make_slot_attributes (TokensAccount   *account,
                      TokensTokenKind  kind,
                      const char      *token_id,
                      TokensStoreSlot  slot)
{
  GHashTable *attributes = make_attributes (account, kind, token_id);

  g_hash_table_insert (attributes, g_strdup ("slot"), g_strdup (slot_names[slot]));
  return attributes;
}

static char *
format_expiry (TokensAccessToken *token)
{
  GDateTime *expires_at = tokens_access_token_get_expires_at (token);

  return expires_at ? g_date_time_format_iso8601 (expires_at) : g_strdup ("");
}

/* What describes an item: an access token's name and expiry, as the
 * service has them (for a previous secret, the old token's expiry). */
static void
describe (GHashTable        *attributes,
          const char        *name,
          const char        *expires_at)
{
  if (name != NULL)
    g_hash_table_insert (attributes, g_strdup ("name"), g_strdup (name));
  if (expires_at != NULL)
    g_hash_table_insert (attributes, g_strdup ("expires-at"), g_strdup (expires_at));
}

/* Items saved before there were slots have none: they are current. */
static TokensStoreSlot
item_slot (SecretItem *item)
{
  g_autoptr(GHashTable) attributes = secret_item_get_attributes (item);

  return g_strcmp0 (g_hash_table_lookup (attributes, "slot"), "previous") == 0
           ? TOKENS_STORE_SLOT_PREVIOUS : TOKENS_STORE_SLOT_CURRENT;
}

static void
emit_changed (TokensStore *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

static gboolean
any_locked (GList *items)
{
  for (const GList *l = items; l != NULL; l = l->next)
    {
      if (secret_item_get_locked (l->data))
        return TRUE;
    }

  return FALSE;
}

/* One keyring call at a time.
 *
 * libsecret 0.20 returns a task twice (a GLib critical, and a callback
 * run twice) when a search for several items, or secret_service_clear(),
 * meets an error part-way: a cancellation, or an item removed while the
 * search loads it. So the calls here run one after the other, and none
 * removes an item another is loading; a search for several items is not
 * cancelled once sent (a cancelled call still ends cancelled, as soon as
 * the search is back, which is one D-Bus round trip); and unlocking and
 * removing are done here, item by item. */

typedef void (*StartFunc) (GTask *task);

typedef struct
{
  GTask     *task;
  StartFunc  start;
} Pending;

static void run_head (TokensStore *self);

static void
call_completed_cb (GTask      *task,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  TokensStore *self = g_task_get_source_object (task);
  Pending *pending = g_queue_pop_head (&self->queue);

  g_assert (pending != NULL && pending->task == task);
  g_signal_handlers_disconnect_by_func (task, call_completed_cb, NULL);
  g_free (pending);

  run_head (self);
  /* Last: the task may hold the last reference to the store. */
  g_object_unref (task);
}

static void
run_head (TokensStore *self)
{
  Pending *pending = g_queue_peek_head (&self->queue);

  if (pending == NULL)
    return;

  g_signal_connect (pending->task, "notify::completed", G_CALLBACK (call_completed_cb), NULL);
  /* Cancelled while waiting: said now, without asking the keyring. */
  if (!g_task_return_error_if_cancelled (pending->task))
    pending->start (pending->task);
}

static void
enqueue (TokensStore *self,
         GTask       *task,
         StartFunc    start)
{
  Pending *pending = g_new (Pending, 1);

  pending->task = g_object_ref (task);
  pending->start = start;
  g_queue_push_tail (&self->queue, pending);

  if (g_queue_get_length (&self->queue) == 1)
    run_head (self);
}

/* Every call but save is a search: the secret service proxy, the items
 * that match, then what the call does with them. */

typedef void (*SearchFound) (GTask *task,
                             GList *items);

typedef struct
{
  GHashTable        *attributes;
  GHashTable        *fallback;     /* lookup: searched when nothing matched */
  SecretSearchFlags  flags;
  Op                 op;
  SearchFound        found;
  SecretService     *service;
  GList             *items;
  guint              removing;
  guint              changed : 1;
  guint              by_slot : 1;  /* only the items of @slot */
  TokensStoreSlot    slot;
  void             (*then) (GTask *task);  /* after the removals */
  GError            *error;

  /* save: the item to store once the one it replaces is gone */
  GHashTable        *store_attributes;
  char              *label;
  SecretValue       *value;        /* in the keyring's secure memory until saved */

  /* describe */
  char              *name;
  char              *expires_at;
  char              *labels[2];    /* by slot */
} SearchData;

static void
search_data_free (SearchData *data)
{
  g_clear_pointer (&data->attributes, g_hash_table_unref);
  g_clear_pointer (&data->fallback, g_hash_table_unref);
  g_clear_object (&data->service);
  g_list_free_full (g_steal_pointer (&data->items), g_object_unref);
  g_clear_error (&data->error);
  g_clear_pointer (&data->store_attributes, g_hash_table_unref);
  g_clear_pointer (&data->label, g_free);
  g_clear_pointer (&data->value, secret_value_unref);
  g_clear_pointer (&data->name, g_free);
  g_clear_pointer (&data->expires_at, g_free);
  g_clear_pointer (&data->labels[0], g_free);
  g_clear_pointer (&data->labels[1], g_free);
  g_free (data);
}

static void
search_unlocked_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* A dismissed prompt is no error to libsecret: the items stay locked,
   * and what is done with them says so. */
  secret_service_unlock_finish (SECRET_SERVICE (object), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (error != NULL)
    g_debug ("Keyring: could not unlock: %s", error->message);

  data->found (task, data->items);
}

static void
search_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *items;
  GList *locked = NULL;

  items = secret_service_search_finish (SECRET_SERVICE (object), result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (data->op, g_steal_pointer (&error)));
      return;
    }

  data->items = items;
  if (!(data->flags & SECRET_SEARCH_ALL))
    {
      data->found (task, data->items);
      return;
    }

  /* The search was sent without the cancellable (see above). */
  if (g_task_return_error_if_cancelled (task))
    return;

  for (GList *l = items; l != NULL; l = l->next)
    {
      if (secret_item_get_locked (l->data))
        locked = g_list_prepend (locked, l->data);
    }

  if (locked == NULL || !(data->flags & SECRET_SEARCH_UNLOCK))
    {
      data->found (task, data->items);
      return;
    }

  secret_service_unlock (data->service, locked, g_task_get_cancellable (task),
                         search_unlocked_cb, g_object_ref (task));
  g_list_free (locked);
}

static void
search_service_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->service = secret_service_get_finish (result, &error);
  if (data->service == NULL)
    {
      g_task_return_error (task, keyring_error (data->op, g_steal_pointer (&error)));
      return;
    }

  /* Several items: found and loaded here, unlocked by search_cb(). One:
   * libsecret's own unlock and load are safe, and cancellable. */
  if (data->flags & SECRET_SEARCH_ALL)
    secret_service_search (data->service, &schema, data->attributes, SECRET_SEARCH_ALL,
                           NULL, search_cb, g_object_ref (task));
  else
    secret_service_search (data->service, &schema, data->attributes, data->flags,
                           g_task_get_cancellable (task), search_cb, g_object_ref (task));
}

static void
search_begin (GTask *task)
{
  secret_service_get (SECRET_SERVICE_OPEN_SESSION, g_task_get_cancellable (task),
                      search_service_cb, g_object_ref (task));
}

/* A search call, not yet queued: the caller fills in the rest of its
 * data, then search_enqueue(). */
static GTask *
search_new (TokensStore         *self,
            GHashTable          *attributes,
            SecretSearchFlags    flags,
            Op                   op,
            GCancellable        *cancellable,
            gpointer             source_tag,
            SearchFound          found,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task;
  SearchData *data;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  data = g_new0 (SearchData, 1);
  data->attributes = attributes;
  data->flags = flags;
  data->op = op;
  data->found = found;
  g_task_set_task_data (task, data, (GDestroyNotify) search_data_free);

  return task;
}

static void
search_enqueue (GTask *task)
{
  enqueue (g_task_get_source_object (task), task, search_begin);
  g_object_unref (task);
}

static void
search_start (TokensStore         *self,
              GHashTable          *attributes,
              SecretSearchFlags    flags,
              Op                   op,
              GCancellable        *cancellable,
              gpointer             source_tag,
              SearchFound          found,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  search_enqueue (search_new (self, attributes, flags, op, cancellable, source_tag,
                              found, callback, user_data));
}

static void
tokens_store_finalize (GObject *object)
{
  TokensStore *self = TOKENS_STORE (object);

  /* Each waiting call's task holds a reference to the store. */
  g_assert (g_queue_is_empty (&self->queue));

  G_OBJECT_CLASS (tokens_store_parent_class)->finalize (object);
}

static void
tokens_store_class_init (TokensStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tokens_store_finalize;

  /**
   * TokensStore::changed:
   *
   * An item was saved, described or removed through this store: for
   * whoever lists them (the tray's menu). Changes made by other programs
   * are for the keyring itself to announce.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tokens_store_init (TokensStore *self)
{
  g_queue_init (&self->queue);
}

/**
 * tokens_store_new:
 *
 * Returns: (transfer full): a store on the desktop's Secret Service
 */
TokensStore *
tokens_store_new (void)
{
  return g_object_new (TOKENS_TYPE_STORE, NULL);
}

/* Removing items: what clear does, and what save does before it stores
 * the item that replaces them. */

static void
removed_all (GTask *task)
{
  SearchData *data = g_task_get_task_data (task);

  if (data->error != NULL)
    {
      g_task_return_error (task, keyring_error (data->op, g_steal_pointer (&data->error)));
      return;
    }

  if (data->then != NULL)
    {
      data->then (task);
      return;
    }

  if (data->changed)
    emit_changed (g_task_get_source_object (task));
  g_task_return_boolean (task, TRUE);
}

static gboolean
already_gone (const GError *error)
{
  return g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_OBJECT) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD);
}

static void
remove_deleted_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* One gone already is removed, as asked. */
  if (!secret_item_delete_finish (SECRET_ITEM (object), result, &error))
    {
      if (!already_gone (error) && data->error == NULL)
        data->error = g_steal_pointer (&error);
    }
  else
    data->changed = TRUE;

  if (--data->removing > 0)
    return;

  removed_all (task);
}

/* Removes @items, or those of data->slot when by_slot, then goes on. */
static void
remove_found (GTask *task,
              GList *items)
{
  SearchData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) doomed = g_ptr_array_new ();

  for (GList *l = items; l != NULL; l = l->next)
    {
      if (!data->by_slot || item_slot (l->data) == data->slot)
        g_ptr_array_add (doomed, l->data);
    }

  if (doomed->len == 0)
    {
      removed_all (task);
      return;
    }

  for (guint i = 0; i < doomed->len; i++)
    {
      if (secret_item_get_locked (g_ptr_array_index (doomed, i)))
        {
          g_task_return_error (task, locked_error (data->op));
          return;
        }
    }

  data->removing = doomed->len;
  for (guint i = 0; i < doomed->len; i++)
    secret_item_delete (g_ptr_array_index (doomed, i), g_task_get_cancellable (task),
                        remove_deleted_cb, g_object_ref (task));
}

/* Save: the item of the same account, kind, token id and slot goes (an
 * item saved before there were slots counts as current), then the new
 * one is stored. Its attributes may differ from the old one's (a new
 * name, a new expiry), so libsecret's own replacing would not find it. */

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_service_store_finish (SECRET_SERVICE (object), result, &error))
    {
      SearchData *data = g_task_get_task_data (task);

      /* The one it replaced is gone all the same. */
      if (data->changed)
        emit_changed (g_task_get_source_object (task));
      g_task_return_error (task, keyring_error (OP_SAVE, g_steal_pointer (&error)));
      return;
    }

  emit_changed (g_task_get_source_object (task));
  g_task_return_boolean (task, TRUE);
}

static void
save_store (GTask *task)
{
  SearchData *data = g_task_get_task_data (task);

  secret_service_store (data->service, &schema, data->store_attributes, SECRET_COLLECTION_DEFAULT,
                        data->label, data->value, g_task_get_cancellable (task),
                        save_cb, g_object_ref (task));
}

static void
save_start (TokensStore         *self,
            TokensAccount       *account,
            TokensTokenKind      kind,
            const char          *token_id,
            TokensStoreSlot      slot,
            const char          *name,
            const char          *expires_at,
            const char          *secret,
            GCancellable        *cancellable,
            gpointer             source_tag,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  GTask *task;
  SearchData *data;

  task = search_new (self, make_attributes (account, kind, token_id),
                     SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, OP_SAVE,
                     cancellable, source_tag, remove_found, callback, user_data);
  data = g_task_get_task_data (task);
  data->by_slot = TRUE;
  data->slot = slot;
  data->then = save_store;
  data->store_attributes = make_slot_attributes (account, kind, token_id, slot);
  describe (data->store_attributes, name, expires_at);
  data->label = make_label (account, kind, name, slot);
  data->value = secret_value_new (secret, -1, "text/plain");

  search_enqueue (task);
}

/**
 * tokens_store_save_async:
 * @account: whose secret it is
 * @kind: what kind of secret
 * @token_id: (nullable): the access token's id; %NULL for the kinds an
 *   account has one of
 * @token_name: (nullable): the access token's name, for the label and
 *   the `name` attribute
 * @secret: the secret; copied at once into the keyring's secure memory,
 *   so the caller may wipe it as soon as this returns
 *
 * Saves @secret into the default collection of the keyring as the
 * current secret, replacing the one saved for the same account, kind and
 * token id. If the keyring is locked, its unlock prompt is shown. Nothing
 * is written anywhere else when this fails.
 */
void
tokens_store_save_async (TokensStore         *self,
                         TokensAccount       *account,
                         TokensTokenKind      kind,
                         const char          *token_id,
                         const char          *token_name,
                         const char          *secret,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (TOKENS_IS_STORE (self));
  g_return_if_fail (TOKENS_IS_ACCOUNT (account));
  g_return_if_fail ((guint) kind < TOKENS_TOKEN_N_KINDS);
  g_return_if_fail (secret != NULL && *secret != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  save_start (self, account, kind, token_id, TOKENS_STORE_SLOT_CURRENT,
              token_name, NULL, secret, cancellable,
              tokens_store_save_async, callback, user_data);
}

/**
 * tokens_store_save_access_token_async:
 * @account: whose token it is
 * @token: the access token, as the service has it now
 * @slot: its current secret, or the old one of a renewal
 * @secret: the secret, copied at once into the keyring's secure memory
 *
 * Saves an access token's secret as tokens_store_save_async() does, with
 * its name and expiry (the old token's, for %TOKENS_STORE_SLOT_PREVIOUS)
 * as attributes. Finish with tokens_store_save_finish().
 */
void
tokens_store_save_access_token_async (TokensStore         *self,
                                      TokensAccount       *account,
                                      TokensAccessToken   *token,
                                      TokensStoreSlot      slot,
                                      const char          *secret,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *expires_at = NULL;
  GDateTime *previous;

  g_return_if_fail (TOKENS_IS_STORE (self));
  g_return_if_fail (TOKENS_IS_ACCOUNT (account));
  g_return_if_fail (TOKENS_IS_ACCESS_TOKEN (token));
  g_return_if_fail (secret != NULL && *secret != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (slot == TOKENS_STORE_SLOT_PREVIOUS)
    {
      previous = tokens_access_token_get_previous_expires_at (token);
      expires_at = previous ? g_date_time_format_iso8601 (previous) : g_strdup ("");
    }
  else
    expires_at = format_expiry (token);

  save_start (self, account, TOKENS_TOKEN_KIND_ACCESS, tokens_access_token_get_id (token), slot,
              tokens_access_token_get_name (token), expires_at, secret, cancellable,
              tokens_store_save_access_token_async, callback, user_data);
}

/**
 * tokens_store_save_finish:
 *
 * Finishes tokens_store_save_async() and
 * tokens_store_save_access_token_async().
 *
 * Returns: %TRUE if the secret is in the keyring; else %FALSE with
 *   %TOKENS_ERROR_KEYRING_UNAVAILABLE, %TOKENS_ERROR_KEYRING_LOCKED or
 *   %G_IO_ERROR_CANCELLED
 */
gboolean
tokens_store_save_finish (TokensStore   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (TOKENS_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Describe: a new name or expiry on the items of an access token. */

static void
described_one (GTask  *task,
               GError *error)
{
  SearchData *data = g_task_get_task_data (task);

  if (error != NULL && data->error == NULL)
    data->error = error;
  else if (error != NULL)
    g_error_free (error);

  if (--data->removing > 0)
    return;

  if (data->error != NULL)
    {
      g_task_return_error (task, keyring_error (OP_SAVE, g_steal_pointer (&data->error)));
      return;
    }

  emit_changed (g_task_get_source_object (task));
  g_task_return_boolean (task, TRUE);
}

static void
described_attributes_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_item_set_attributes_finish (SECRET_ITEM (object), result, &error);
  described_one (task, error);
}

static void
described_label_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  secret_item_set_label_finish (SECRET_ITEM (object), result, &error);
  described_one (task, error);
}

static void
describe_found (GTask *task,
                GList *items)
{
  SearchData *data = g_task_get_task_data (task);

  if (items == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (any_locked (items))
    {
      g_task_return_error (task, locked_error (OP_SAVE));
      return;
    }

  data->removing = 2 * g_list_length (items);
  for (GList *l = items; l != NULL; l = l->next)
    {
      TokensStoreSlot slot = item_slot (l->data);
      g_autoptr(GHashTable) attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, data->attributes);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (attributes, g_strdup (key), g_strdup (value));
      g_hash_table_insert (attributes, g_strdup ("slot"), g_strdup (slot_names[slot]));
      /* The old token keeps its own expiry; only its name follows. */
      describe (attributes, data->name,
                slot == TOKENS_STORE_SLOT_CURRENT ? data->expires_at : NULL);
      if (slot == TOKENS_STORE_SLOT_PREVIOUS)
        {
          g_autoptr(GHashTable) old = secret_item_get_attributes (l->data);
          const char *expires_at = g_hash_table_lookup (old, "expires-at");

          if (expires_at != NULL)
            g_hash_table_insert (attributes, g_strdup ("expires-at"), g_strdup (expires_at));
        }

      secret_item_set_attributes (l->data, &schema, attributes, g_task_get_cancellable (task),
                                  described_attributes_cb, g_object_ref (task));
      secret_item_set_label (l->data, data->labels[slot], g_task_get_cancellable (task),
                             described_label_cb, g_object_ref (task));
    }
}

/**
 * tokens_store_describe_access_token_async:
 * @token: the access token, as the service has it now
 *
 * Gives the saved secrets of @token (current and previous) its name and
 * expiry, in their attributes and labels: after an edit. Having none
 * saved is no error.
 */
void
tokens_store_describe_access_token_async (TokensStore         *self,
                                          TokensAccount       *account,
                                          TokensAccessToken   *token,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;
  SearchData *data;
  const char *name;

  g_return_if_fail (TOKENS_IS_STORE (self));
  g_return_if_fail (TOKENS_IS_ACCOUNT (account));
  g_return_if_fail (TOKENS_IS_ACCESS_TOKEN (token));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  name = tokens_access_token_get_name (token);
  task = search_new (self, make_attributes (account, TOKENS_TOKEN_KIND_ACCESS, tokens_access_token_get_id (token)),
                     SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, OP_SAVE,
                     cancellable, tokens_store_describe_access_token_async,
                     describe_found, callback, user_data);
  data = g_task_get_task_data (task);
  data->name = g_strdup (name);
  data->expires_at = format_expiry (token);
  data->labels[TOKENS_STORE_SLOT_CURRENT] = make_label (account, TOKENS_TOKEN_KIND_ACCESS, name,
                                                        TOKENS_STORE_SLOT_CURRENT);
  data->labels[TOKENS_STORE_SLOT_PREVIOUS] = make_label (account, TOKENS_TOKEN_KIND_ACCESS, name,
                                                         TOKENS_STORE_SLOT_PREVIOUS);
  search_enqueue (task);
}

gboolean
tokens_store_describe_access_token_finish (TokensStore   *self,
                                           GAsyncResult  *result,
                                           GError       **error)
{
  g_return_val_if_fail (TOKENS_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Lookup */

static void
lookup_found (GTask *task,
              GList *items)
{
  SearchData *data = g_task_get_task_data (task);
  gboolean locked = FALSE;

  /* The search already loaded the secrets of the items it could unlock. */
  for (const GList *l = items; l != NULL; l = l->next)
    {
      SecretItem *item = l->data;
      SecretValue *value;
      const char *text;

      if (secret_item_get_locked (item))
        {
          locked = TRUE;
          continue;
        }

      /* The fallback search finds any slot: only an item saved before
       * there were slots stands for the current one. */
      if (data->fallback == NULL && data->slot == TOKENS_STORE_SLOT_CURRENT)
        {
          g_autoptr(GHashTable) attributes = secret_item_get_attributes (item);

          if (g_hash_table_lookup (attributes, "slot") != NULL)
            continue;
        }

      value = secret_item_get_secret (item);
      if (value == NULL)
        continue;

      text = secret_value_get_text (value);
      if (text == NULL || *text == '\0')
        {
          g_debug ("Keyring: skipping an item whose secret is not text");
          secret_value_unref (value);
          continue;
        }

      /* g_strdup, so that tokens_secret_free() can wipe and free it; the
       * SecretValue wipes its own secure memory when the item lets go. */
      g_task_return_pointer (task, g_strdup (text), (GDestroyNotify) tokens_secret_free);
      secret_value_unref (value);
      return;
    }

  if (locked)
    {
      g_task_return_error (task, locked_error (OP_READ));
      return;
    }

  /* None with a slot: one saved before there were slots, maybe. */
  if (data->fallback != NULL)
    {
      g_hash_table_unref (data->attributes);
      data->attributes = g_steal_pointer (&data->fallback);
      g_list_free_full (g_steal_pointer (&data->items), g_object_unref);
      secret_service_search (data->service, &schema, data->attributes, data->flags,
                             g_task_get_cancellable (task), search_cb, g_object_ref (task));
      return;
    }

  g_task_return_pointer (task, NULL, NULL);
}

/**
 * tokens_store_lookup_slot_async:
 * @account: whose secret
 * @kind: what kind of secret
 * @token_id: (nullable): the access token's id, or %NULL
 * @slot: the current secret, or the old one of a renewal
 *
 * Looks a saved secret up, unlocking the keyring (with its prompt) if it
 * is locked. Finish with tokens_store_lookup_finish().
 */
void
tokens_store_lookup_slot_async (TokensStore         *self,
                                TokensAccount       *account,
                                TokensTokenKind      kind,
                                const char          *token_id,
                                TokensStoreSlot      slot,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  SearchData *data;

  g_return_if_fail (TOKENS_IS_STORE (self));
  g_return_if_fail (TOKENS_IS_ACCOUNT (account));
  g_return_if_fail ((guint) kind < TOKENS_TOKEN_N_KINDS);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = search_new (self, make_slot_attributes (account, kind, token_id, slot),
                     SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS, OP_READ,
                     cancellable, tokens_store_lookup_async,
                     lookup_found, callback, user_data);
  data = g_task_get_task_data (task);
  data->slot = slot;
  if (slot == TOKENS_STORE_SLOT_CURRENT)
    data->fallback = make_attributes (account, kind, token_id);
  search_enqueue (task);
}

/**
 * tokens_store_lookup_async:
 * @account: whose secret
 * @kind: what kind of secret
 * @token_id: (nullable): the access token's id, or %NULL
 *
 * Looks the current saved secret up, unlocking the keyring (with its
 * prompt) if it is locked.
 */
void
tokens_store_lookup_async (TokensStore         *self,
                           TokensAccount       *account,
                           TokensTokenKind      kind,
                           const char          *token_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  tokens_store_lookup_slot_async (self, account, kind, token_id, TOKENS_STORE_SLOT_CURRENT,
                                  cancellable, callback, user_data);
}

/**
 * tokens_store_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the secret, to free with
 *   tokens_secret_free(); %NULL with no error when none is saved; %NULL
 *   with %TOKENS_ERROR_KEYRING_UNAVAILABLE, %TOKENS_ERROR_KEYRING_LOCKED
 *   or %G_IO_ERROR_CANCELLED when it cannot be read
 */
TokensSecret *
tokens_store_lookup_finish (TokensStore   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (TOKENS_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Clear */

/**
 * tokens_store_clear_async:
 * @account: whose secret
 * @kind: what kind of secret
 * @token_id: (nullable): the access token's id, or %NULL
 *
 * Removes a saved secret, current and previous. Removing one that is not
 * there succeeds.
 */
void
tokens_store_clear_async (TokensStore         *self,
                          TokensAccount       *account,
                          TokensTokenKind      kind,
                          const char          *token_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_return_if_fail (TOKENS_IS_STORE (self));
  g_return_if_fail (TOKENS_IS_ACCOUNT (account));
  g_return_if_fail ((guint) kind < TOKENS_TOKEN_N_KINDS);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  search_start (self, make_attributes (account, kind, token_id),
                SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, OP_CLEAR,
                cancellable, tokens_store_clear_async,
                remove_found, callback, user_data);
}

/**
 * tokens_store_clear_slot_async:
 * @slot: which of the token's secrets
 *
 * Removes one of a token's saved secrets: the old one once the old token
 * is deleted, the new one when a renewal is undone. Finish with
 * tokens_store_clear_finish().
 */
void
tokens_store_clear_slot_async (TokensStore         *self,
                               TokensAccount       *account,
                               TokensTokenKind      kind,
                               const char          *token_id,
                               TokensStoreSlot      slot,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;
  SearchData *data;

  g_return_if_fail (TOKENS_IS_STORE (self));
  g_return_if_fail (TOKENS_IS_ACCOUNT (account));
  g_return_if_fail ((guint) kind < TOKENS_TOKEN_N_KINDS);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = search_new (self, make_attributes (account, kind, token_id),
                     SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, OP_CLEAR,
                     cancellable, tokens_store_clear_async,
                     remove_found, callback, user_data);
  data = g_task_get_task_data (task);
  data->by_slot = TRUE;
  data->slot = slot;
  search_enqueue (task);
}

gboolean
tokens_store_clear_finish (TokensStore   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (TOKENS_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tokens_store_clear_account_async:
 * @account: an account
 *
 * Removes every secret saved for @account: what to do when the account
 * is removed from the app.
 */
void
tokens_store_clear_account_async (TokensStore         *self,
                                  TokensAccount       *account,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (TOKENS_IS_STORE (self));
  g_return_if_fail (TOKENS_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  search_start (self,
                secret_attributes_build (&schema,
                                         "service", tokens_account_get_service_url (account),
                                         "account", tokens_account_get_email (account),
                                         NULL),
                SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, OP_CLEAR,
                cancellable, tokens_store_clear_account_async,
                remove_found, callback, user_data);
}

gboolean
tokens_store_clear_account_finish (TokensStore   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (TOKENS_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* List */

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const TokensStoreItem *item_a = *(TokensStoreItem * const *) a;
  const TokensStoreItem *item_b = *(TokensStoreItem * const *) b;
  int cmp;

  if ((cmp = g_strcmp0 (item_a->service_url, item_b->service_url)) != 0 ||
      (cmp = g_strcmp0 (item_a->email, item_b->email)) != 0)
    return cmp;
  if (item_a->kind != item_b->kind)
    return (int) item_a->kind - (int) item_b->kind;
  if (item_a->slot != item_b->slot)
    return (int) item_a->slot - (int) item_b->slot;
  if ((cmp = g_strcmp0 (item_a->label, item_b->label)) != 0)
    return cmp;
  return g_strcmp0 (item_a->token_id, item_b->token_id);
}

/* What describes a keyring item; NULL for one that is not the app's. */
static TokensStoreItem *
store_item_new (SecretItem *secret_item)
{
  g_autoptr(GHashTable) attributes = secret_item_get_attributes (secret_item);
  TokensStoreItem *item;
  TokensTokenKind kind;

  if (!tokens_store_kind_from_string (g_hash_table_lookup (attributes, "kind"), &kind) ||
      g_hash_table_lookup (attributes, "service") == NULL ||
      g_hash_table_lookup (attributes, "account") == NULL)
    return NULL;

  item = g_new0 (TokensStoreItem, 1);
  item->service_url = g_strdup (g_hash_table_lookup (attributes, "service"));
  item->email = g_strdup (g_hash_table_lookup (attributes, "account"));
  item->kind = kind;
  item->token_id = g_strdup (g_hash_table_lookup (attributes, "token-id"));
  if (item->token_id == NULL)
    item->token_id = g_strdup ("");
  item->label = secret_item_get_label (secret_item);
  item->name = g_strdup (g_hash_table_lookup (attributes, "name"));
  item->expires_at = g_strdup (g_hash_table_lookup (attributes, "expires-at"));
  item->slot = g_strcmp0 (g_hash_table_lookup (attributes, "slot"), "previous") == 0
                 ? TOKENS_STORE_SLOT_PREVIOUS : TOKENS_STORE_SLOT_CURRENT;
  return item;
}

static void
list_found (GTask *task,
            GList *items)
{
  g_autoptr(GPtrArray) array = NULL;

  /* A locked keyring hides its labels: listing what it has needs it open. */
  if (any_locked (items))
    {
      g_task_return_error (task, locked_error (OP_READ));
      return;
    }

  array = g_ptr_array_new_with_free_func ((GDestroyNotify) tokens_store_item_free);
  for (const GList *l = items; l != NULL; l = l->next)
    {
      TokensStoreItem *item = store_item_new (l->data);

      if (item != NULL)
        g_ptr_array_add (array, item);
    }

  g_ptr_array_sort (array, compare_items);
  g_task_return_pointer (task, g_steal_pointer (&array), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * tokens_store_list_async:
 * @account: (nullable): an account, or %NULL for all of them
 *
 * Lists the saved items of @account, or of every account: their
 * attributes and labels, never their secrets.
 */
void
tokens_store_list_async (TokensStore         *self,
                         TokensAccount       *account,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GHashTable *attributes;

  g_return_if_fail (TOKENS_IS_STORE (self));
  g_return_if_fail (account == NULL || TOKENS_IS_ACCOUNT (account));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* The schema's name is matched too (xdg:schema), so an empty set of
   * attributes still finds only Tokens' items. */
  if (account != NULL)
    attributes = secret_attributes_build (&schema,
                                          "service", tokens_account_get_service_url (account),
                                          "account", tokens_account_get_email (account),
                                          NULL);
  else
    attributes = secret_attributes_build (&schema, NULL);

  search_start (self, attributes, SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, OP_READ,
                cancellable, tokens_store_list_async,
                list_found, callback, user_data);
}

/**
 * tokens_store_list_finish:
 *
 * Returns: (transfer container) (element-type TokensStoreItem): the saved
 *   items, sorted by service, account, kind and label; or %NULL with an
 *   error as for tokens_store_lookup_finish()
 */
GPtrArray *
tokens_store_list_finish (TokensStore   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (TOKENS_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Find a secret */

static void
find_secret_loaded_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SearchData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize wanted_length = 0;
  const char *wanted = secret_value_get (data->value, &wanted_length);

  if (!secret_item_load_secrets_finish (result, &error))
    {
      g_task_return_error (task, keyring_error (OP_READ, g_steal_pointer (&error)));
      return;
    }
  /* Loaded without the cancellable (see "One keyring call at a time"). */
  if (g_task_return_error_if_cancelled (task))
    return;

  for (const GList *l = data->items; l != NULL; l = l->next)
    {
      g_autoptr(SecretValue) value = secret_item_get_secret (l->data);
      const char *text;
      gsize length = 0;

      text = value ? secret_value_get (value, &length) : NULL;
      if (text != NULL && length == wanted_length && sodium_memcmp (text, wanted, length) == 0)
        {
          TokensStoreItem *item = store_item_new (l->data);

          if (item != NULL)
            {
              g_task_return_pointer (task, item, (GDestroyNotify) tokens_store_item_free);
              return;
            }
        }
    }

  g_task_return_pointer (task, NULL, NULL);
}

static void
find_secret_found (GTask *task,
                   GList *items)
{
  if (any_locked (items))
    {
      g_task_return_error (task, locked_error (OP_READ));
      return;
    }
  if (items == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  secret_item_load_secrets (items, NULL, find_secret_loaded_cb, g_object_ref (task));
}

/**
 * tokens_store_find_secret_async:
 * @secret: a secret a person pasted
 *
 * Whether @secret is saved already, for any account: its API token, an
 * access token, a session. Every saved secret is read (the keyring is
 * unlocked for that, its prompt if it must) and compared in constant
 * time; no hash of a secret is kept anywhere to make this faster.
 */
void
tokens_store_find_secret_async (TokensStore         *self,
                                const char          *secret,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;
  SearchData *data;

  g_return_if_fail (TOKENS_IS_STORE (self));
  g_return_if_fail (secret != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = search_new (self, secret_attributes_build (&schema, NULL),
                     SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK, OP_READ,
                     cancellable, tokens_store_find_secret_async,
                     find_secret_found, callback, user_data);
  data = g_task_get_task_data (task);
  data->value = secret_value_new (secret, -1, "text/plain");
  search_enqueue (task);
}

/**
 * tokens_store_find_secret_finish:
 *
 * Returns: (transfer full) (nullable): the saved item that holds the
 *   secret; %NULL and no error when none does, or %NULL with an error as
 *   for tokens_store_lookup_finish()
 */
TokensStoreItem *
tokens_store_find_secret_finish (TokensStore   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (TOKENS_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
