/* tokens-kept-list.c — the tokens a person keeps, as a list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The app's view of tokens-kept.c: a GListModel of TokensKeptToken, by
 * service and then name, that the page, the expiry watch and the tray
 * observe, and the only writer of those keyring items in the app. Each
 * call runs the blocking keyring call on a GTask thread, one call at a
 * time for every list (libsecret is happiest with one caller), and
 * changes the model on the main thread once the keyring has done it: the
 * model never shows what the keyring does not have.
 *
 * A token's details are replaced, not edited: an update puts a new
 * TokensKeptToken in the place of the old one, so a row bound to a token
 * never shows half an edit.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tokens-error.h"
#include "tokens-kept-list.h"

struct _TokensKeptToken
{
  GObject     parent_instance;

  TokensKept *details;
};

G_DEFINE_FINAL_TYPE (TokensKeptToken, tokens_kept_token, G_TYPE_OBJECT)

static void
tokens_kept_token_finalize (GObject *object)
{
  TokensKeptToken *self = (TokensKeptToken *) object;

  g_clear_pointer (&self->details, tokens_kept_free);
  G_OBJECT_CLASS (tokens_kept_token_parent_class)->finalize (object);
}

static void
tokens_kept_token_class_init (TokensKeptTokenClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tokens_kept_token_finalize;
}

static void
tokens_kept_token_init (TokensKeptToken *self)
{
}

static TokensKeptToken *
kept_token_new (TokensKept *details)
{
  TokensKeptToken *self = g_object_new (TOKENS_TYPE_KEPT_TOKEN, NULL);

  self->details = details;
  return self;
}

const TokensKept *
tokens_kept_token_get_details (TokensKeptToken *self)
{
  g_return_val_if_fail (TOKENS_IS_KEPT_TOKEN (self), NULL);
  return self->details;
}

const char *
tokens_kept_token_get_id (TokensKeptToken *self)
{
  g_return_val_if_fail (TOKENS_IS_KEPT_TOKEN (self), NULL);
  return self->details->id;
}

const char *
tokens_kept_token_get_name (TokensKeptToken *self)
{
  g_return_val_if_fail (TOKENS_IS_KEPT_TOKEN (self), NULL);
  return self->details->name;
}

const char *
tokens_kept_token_get_service_name (TokensKeptToken *self)
{
  g_return_val_if_fail (TOKENS_IS_KEPT_TOKEN (self), NULL);
  return self->details->service_name;
}

/* See tokens_kept_days_left(). */
gint64
tokens_kept_token_get_days_left (TokensKeptToken *self,
                                 GDateTime       *now)
{
  g_return_val_if_fail (TOKENS_IS_KEPT_TOKEN (self), G_MAXINT64);
  return tokens_kept_days_left (self->details, now);
}

/* The list */

struct _TokensKeptList
{
  GObject    parent_instance;

  GPtrArray *tokens;   /* TokensKeptToken, in order */
  gboolean   loaded;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TokensKeptList, tokens_kept_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum { PROP_0, PROP_LOADED, N_PROPS };

static GParamSpec *properties[N_PROPS];

/* One keyring call at a time, for every list. */
static GMutex keyring_lock;

static GType
get_item_type (GListModel *model)
{
  return TOKENS_TYPE_KEPT_TOKEN;
}

static guint
get_n_items (GListModel *model)
{
  return TOKENS_KEPT_LIST (model)->tokens->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  TokensKeptList *self = TOKENS_KEPT_LIST (model);

  if (position >= self->tokens->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->tokens, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
tokens_kept_list_finalize (GObject *object)
{
  TokensKeptList *self = (TokensKeptList *) object;

  g_clear_pointer (&self->tokens, g_ptr_array_unref);
  G_OBJECT_CLASS (tokens_kept_list_parent_class)->finalize (object);
}

static void
tokens_kept_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TokensKeptList *self = TOKENS_KEPT_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_kept_list_class_init (TokensKeptListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tokens_kept_list_finalize;
  object_class->get_property = tokens_kept_list_get_property;

  /**
   * TokensKeptList:loaded:
   *
   * Whether the list has been read from the keyring once: an empty list
   * that is not loaded is not "no tokens yet".
   */
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_kept_list_init (TokensKeptList *self)
{
  self->tokens = g_ptr_array_new_with_free_func (g_object_unref);
}

TokensKeptList *
tokens_kept_list_new (void)
{
  return g_object_new (TOKENS_TYPE_KEPT_LIST, NULL);
}

gboolean
tokens_kept_list_get_loaded (TokensKeptList *self)
{
  g_return_val_if_fail (TOKENS_IS_KEPT_LIST (self), FALSE);
  return self->loaded;
}

static gint
compare_tokens (gconstpointer a,
                gconstpointer b)
{
  const TokensKept *x = ((TokensKeptToken *) a)->details;
  const TokensKept *y = ((TokensKeptToken *) b)->details;
  int order = g_utf8_collate (x->service_name, y->service_name);

  if (order == 0)
    order = g_utf8_collate (x->name, y->name);
  return order != 0 ? order : g_strcmp0 (x->id, y->id);
}

static gint
compare_pointers (gconstpointer a,
                  gconstpointer b)
{
  return compare_tokens (*(gpointer *) a, *(gpointer *) b);
}

static gboolean
find_position (TokensKeptList *self,
               const char     *id,
               guint          *position)
{
  for (guint i = 0; i < self->tokens->len; i++)
    {
      TokensKeptToken *token = g_ptr_array_index (self->tokens, i);

      if (g_strcmp0 (token->details->id, id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * tokens_kept_list_find_by_id:
 *
 * Returns: (transfer none) (nullable): the token with this id
 */
TokensKeptToken *
tokens_kept_list_find_by_id (TokensKeptList *self,
                             const char     *id)
{
  guint position;

  g_return_val_if_fail (TOKENS_IS_KEPT_LIST (self), NULL);

  return id != NULL && find_position (self, id, &position)
           ? g_ptr_array_index (self->tokens, position) : NULL;
}

/* Puts @token in its place (replacing the token with its id). */
static void
put (TokensKeptList  *self,
     TokensKeptToken *token)
{
  guint position;
  guint at = 0;

  if (find_position (self, token->details->id, &position))
    {
      g_ptr_array_remove_index (self->tokens, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
    }

  while (at < self->tokens->len && compare_tokens (g_ptr_array_index (self->tokens, at), token) < 0)
    at++;
  g_ptr_array_insert (self->tokens, at, g_object_ref (token));
  g_list_model_items_changed (G_LIST_MODEL (self), at, 0, 1);
}

/* The calls */

typedef enum
{
  CALL_LOAD,
  CALL_FIND,
  CALL_SAVE,
  CALL_DELETE,
  CALL_READ,
} CallKind;

typedef struct
{
  CallKind      kind;
  TokensKept   *details;   /* save: what to keep; its id NULL for a new one */
  char         *id;        /* delete, read */
  TokensSecret *secret;    /* save, find: wiped when freed */
} Call;

static void
call_free (Call *call)
{
  g_clear_pointer (&call->details, tokens_kept_free);
  g_free (call->id);
  tokens_secret_free (call->secret);
  g_free (call);
}

static void
run_call (GTask        *task,
          gpointer      source_object,
          gpointer      task_data,
          GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  g_mutex_lock (&keyring_lock);
  switch (call->kind)
    {
    case CALL_LOAD:
      {
        GPtrArray *list = tokens_kept_list_sync (cancellable, &error);

        if (list != NULL)
          g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
      }
      break;

    case CALL_FIND:
      {
        char *id = tokens_kept_find_secret_sync (call->secret, cancellable, &error);

        if (error == NULL)
          g_task_return_pointer (task, id, g_free);
      }
      break;

    case CALL_SAVE:
      if (tokens_kept_save_sync (call->details, call->secret, cancellable, &error))
        g_task_return_pointer (task, tokens_kept_copy (call->details),
                               (GDestroyNotify) tokens_kept_free);
      break;

    case CALL_DELETE:
      if (tokens_kept_delete_sync (call->id, cancellable, &error))
        g_task_return_boolean (task, TRUE);
      break;

    case CALL_READ:
    default:
      {
        TokensSecret *secret = tokens_kept_read_sync (call->id, cancellable, &error);

        if (secret != NULL)
          g_task_return_pointer (task, secret, (GDestroyNotify) tokens_secret_free);
      }
      break;
    }
  g_mutex_unlock (&keyring_lock);

  if (error != NULL)
    g_task_return_error (task, error);
}

static void
start (TokensKeptList      *self,
       Call                *call,
       gpointer             source_tag,
       GCancellable        *cancellable,
       GAsyncReadyCallback  callback,
       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  g_task_run_in_thread (task, run_call);
}

/* A save or a delete, once asked, is carried out and shown in the list
 * whatever happens to the caller: a dialog closed while the keyring
 * writes gets CANCELLED, but the keyring and the list (the page, the
 * tray, the expiry warnings) agree. The write runs on an inner task with
 * no cancellable; the list takes its result, then answers the caller. */
static void
write_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  TokensKeptList *self = TOKENS_KEPT_LIST (object);
  g_autoptr(GTask) outer = user_data;
  Call *call = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  if (call->kind == CALL_SAVE)
    {
      g_autoptr(TokensKept) kept = g_task_propagate_pointer (G_TASK (result), &error);
      TokensKeptToken *token;

      if (kept == NULL)
        {
          g_task_return_error (outer, error);
          return;
        }
      token = kept_token_new (g_steal_pointer (&kept));
      put (self, token);
      g_task_return_pointer (outer, token, g_object_unref);
    }
  else
    {
      guint position;

      if (!g_task_propagate_boolean (G_TASK (result), &error))
        {
          g_task_return_error (outer, error);
          return;
        }
      if (find_position (self, call->id, &position))
        {
          g_ptr_array_remove_index (self->tokens, position);
          g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
        }
      g_task_return_boolean (outer, TRUE);
    }
}

static void
start_write (TokensKeptList      *self,
             Call                *call,
             gpointer             source_tag,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = g_task_new (self, NULL, write_done, outer);

  g_task_set_source_tag (outer, source_tag);
  g_task_set_task_data (inner, call, (GDestroyNotify) call_free);
  g_task_run_in_thread (inner, run_call);
}

void
tokens_kept_list_load_async (TokensKeptList      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Call *call;

  g_return_if_fail (TOKENS_IS_KEPT_LIST (self));

  call = g_new0 (Call, 1);
  call->kind = CALL_LOAD;
  start (self, call, tokens_kept_list_load_async, cancellable, callback, user_data);
}

gboolean
tokens_kept_list_load_finish (TokensKeptList  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_autoptr(GPtrArray) list = NULL;
  guint removed;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  list = g_task_propagate_pointer (G_TASK (result), error);
  if (list == NULL)
    return FALSE;

  removed = self->tokens->len;
  g_ptr_array_set_size (self->tokens, 0);
  for (guint i = 0; i < list->len; i++)
    g_ptr_array_add (self->tokens, kept_token_new (tokens_kept_copy (g_ptr_array_index (list, i))));
  g_ptr_array_sort (self->tokens, compare_pointers);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->tokens->len);

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }
  return TRUE;
}

/**
 * tokens_kept_list_find_secret_async:
 *
 * Whether @secret is kept already (tokens_kept_find_secret_sync()).
 */
void
tokens_kept_list_find_secret_async (TokensKeptList      *self,
                                    const char          *secret,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  Call *call;

  g_return_if_fail (TOKENS_IS_KEPT_LIST (self));
  g_return_if_fail (secret != NULL);

  call = g_new0 (Call, 1);
  call->kind = CALL_FIND;
  call->secret = g_strdup (secret);
  start (self, call, tokens_kept_list_find_secret_async, cancellable, callback, user_data);
}

/**
 * tokens_kept_list_find_secret_finish:
 *
 * Returns: (transfer full) (nullable): the kept token with the secret;
 *   %NULL with no error when there is none
 */
TokensKeptToken *
tokens_kept_list_find_secret_finish (TokensKeptList  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_autofree char *id = NULL;
  TokensKeptToken *token;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  id = g_task_propagate_pointer (G_TASK (result), error);
  token = tokens_kept_list_find_by_id (self, id);
  return token ? g_object_ref (token) : NULL;
}

/**
 * tokens_kept_list_save_async:
 * @details: what to keep; an id of %NULL keeps a new token
 * @secret: (nullable): the secret; %NULL keeps the one a kept token has
 *
 * Keeps a new token, edits one's details, or replaces its secret after a
 * rotation at the service (the old secret is gone from the keyring).
 */
void
tokens_kept_list_save_async (TokensKeptList      *self,
                             const TokensKept    *details,
                             const char          *secret,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Call *call;

  g_return_if_fail (TOKENS_IS_KEPT_LIST (self));
  g_return_if_fail (details != NULL);
  g_return_if_fail (details->id != NULL || secret != NULL);

  call = g_new0 (Call, 1);
  call->kind = CALL_SAVE;
  call->details = tokens_kept_copy (details);
  call->secret = g_strdup (secret);
  start_write (self, call, tokens_kept_list_save_async, cancellable, callback, user_data);
}

/**
 * tokens_kept_list_save_finish:
 *
 * Returns: (transfer full): the token as it is now kept
 */
TokensKeptToken *
tokens_kept_list_save_finish (TokensKeptList  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  /* write_done() has put it in the list already. */
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
tokens_kept_list_delete_async (TokensKeptList      *self,
                               TokensKeptToken     *token,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  Call *call;

  g_return_if_fail (TOKENS_IS_KEPT_LIST (self));
  g_return_if_fail (TOKENS_IS_KEPT_TOKEN (token));

  call = g_new0 (Call, 1);
  call->kind = CALL_DELETE;
  call->id = g_strdup (token->details->id);
  start_write (self, call, tokens_kept_list_delete_async, cancellable, callback, user_data);
}

gboolean
tokens_kept_list_delete_finish (TokensKeptList  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  /* write_done() has taken it from the list already. */
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tokens_kept_list_read_async (TokensKeptList      *self,
                             TokensKeptToken     *token,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Call *call;

  g_return_if_fail (TOKENS_IS_KEPT_LIST (self));
  g_return_if_fail (TOKENS_IS_KEPT_TOKEN (token));

  call = g_new0 (Call, 1);
  call->kind = CALL_READ;
  call->id = g_strdup (token->details->id);
  start (self, call, tokens_kept_list_read_async, cancellable, callback, user_data);
}

/**
 * tokens_kept_list_read_finish:
 *
 * Returns: (transfer full): the secret, wiped when freed
 */
TokensSecret *
tokens_kept_list_read_finish (TokensKeptList  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
