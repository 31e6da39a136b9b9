/* tokens-token-list.c — the account's access tokens as a GListModel that pages in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pages come from GET /v1/tokens, oldest first, one items-changed per page
 * so that 10,000 tokens do not mean 10,000 signals. Loads run one at a
 * time, in the order asked: a load asked for while another runs waits for
 * it. A reload keeps the objects whose id survives (updated in place), so
 * rows bound to them keep their state. Sorting is the UI's business.
 */

#include "config.h"

#include "tokens-error.h"
#include "tokens-token-list.h"

#define DEFAULT_PAGE_SIZE 100

struct _TokensTokenList
{
  GObject       parent_instance;

  TokensClient *client;
  GPtrArray    *items;            /* TokensAccessToken, in the service's order */
  GHashTable   *by_id;            /* id → TokensAccessToken, not owned */
  char         *next_page_token;  /* NULL: the first page, or none after the last */
  GError       *error;            /* of the last load, or NULL */
  GQueue        queue;            /* GTask: the running load first, then those waiting */
  guint         page_size;
  guint         total;
  guint         changes;          /* counts add / remove / replace */
  guint         started : 1;      /* a first page came */
  guint         has_more : 1;
};

typedef enum
{
  OP_LOAD_MORE,
  OP_LOAD_ALL,
  OP_RELOAD,
} OpKind;

typedef struct
{
  OpKind     kind;
  guint      pages_left;   /* reload: how many pages to fetch at most */
  GPtrArray *fresh;        /* reload: what the service says now */
  guint      changes;      /* reload: the list's changes when it began */
  guint      restarts;     /* reload: begun again after a change */
} Op;

/* A reload that saw the list change while it read begins again this many
 * times, then leaves the list as it is. */
#define MAX_RELOAD_RESTARTS 3

enum {
  PROP_0,
  PROP_CLIENT,
  PROP_LOADING,
  PROP_HAS_MORE,
  PROP_TOTAL,
  PROP_N_ITEMS,
  PROP_ERROR,
  PROP_PAGE_SIZE,
  N_PROPS
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TokensTokenList, tokens_token_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];

static void run_next (TokensTokenList *self);

static void
op_free (Op *op)
{
  g_clear_pointer (&op->fresh, g_ptr_array_unref);
  g_free (op);
}

static GType
get_item_type (GListModel *model)
{
  return TOKENS_TYPE_ACCESS_TOKEN;
}

static guint
get_n_items (GListModel *model)
{
  return TOKENS_TOKEN_LIST (model)->items->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  TokensTokenList *self = TOKENS_TOKEN_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
items_changed (TokensTokenList *self,
               guint            position,
               guint            removed,
               guint            added)
{
  if (removed == 0 && added == 0)
    return;

  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
set_total (TokensTokenList *self,
           guint            total)
{
  if (self->total == total)
    return;
  self->total = total;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
}

static void
set_has_more (TokensTokenList *self,
              gboolean         has_more)
{
  if (self->has_more == !!has_more)
    return;
  self->has_more = !!has_more;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MORE]);
}

static void
set_error (TokensTokenList *self,
           const GError    *error)
{
  if (self->error == NULL && error == NULL)
    return;
  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

TokensTokenList *
tokens_token_list_new (TokensClient *client)
{
  g_return_val_if_fail (TOKENS_IS_CLIENT (client), NULL);

  return g_object_new (TOKENS_TYPE_TOKEN_LIST, "client", client, NULL);
}

TokensClient *
tokens_token_list_get_client (TokensTokenList *self)
{
  g_return_val_if_fail (TOKENS_IS_TOKEN_LIST (self), NULL);
  return self->client;
}

guint
tokens_token_list_get_page_size (TokensTokenList *self)
{
  g_return_val_if_fail (TOKENS_IS_TOKEN_LIST (self), 0);
  return self->page_size;
}

/**
 * tokens_token_list_set_page_size:
 * @page_size: 1 to 100 tokens per request
 */
void
tokens_token_list_set_page_size (TokensTokenList *self,
                                 guint            page_size)
{
  g_return_if_fail (TOKENS_IS_TOKEN_LIST (self));

  page_size = CLAMP (page_size, 1, 100);
  if (self->page_size == page_size)
    return;
  self->page_size = page_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_SIZE]);
}

gboolean
tokens_token_list_get_loading (TokensTokenList *self)
{
  g_return_val_if_fail (TOKENS_IS_TOKEN_LIST (self), FALSE);
  return !g_queue_is_empty (&self->queue);
}

/**
 * tokens_token_list_get_has_more:
 *
 * Returns: whether the service has tokens the list has not loaded yet
 *   (%TRUE before the first page)
 */
/**
 * tokens_token_list_get_loaded:
 *
 * Whether the service has answered a first time: a list that is loading
 * but loaded is being read again (a refresh), and what it shows stands.
 */
gboolean
tokens_token_list_get_loaded (TokensTokenList *self)
{
  g_return_val_if_fail (TOKENS_IS_TOKEN_LIST (self), FALSE);

  return self->started;
}

gboolean
tokens_token_list_get_has_more (TokensTokenList *self)
{
  g_return_val_if_fail (TOKENS_IS_TOKEN_LIST (self), FALSE);
  return self->has_more;
}

/**
 * tokens_token_list_get_total:
 *
 * Returns: how many tokens the account has, as the service last said
 *   (and as adds and removes since then change it)
 */
guint
tokens_token_list_get_total (TokensTokenList *self)
{
  g_return_val_if_fail (TOKENS_IS_TOKEN_LIST (self), 0);
  return self->total;
}

/**
 * tokens_token_list_get_error:
 *
 * Returns: (nullable): why the last load failed, or %NULL
 */
const GError *
tokens_token_list_get_error (TokensTokenList *self)
{
  g_return_val_if_fail (TOKENS_IS_TOKEN_LIST (self), NULL);
  return self->error;
}

/**
 * tokens_token_list_find_by_id:
 * @out_position: (out) (optional): where it is
 *
 * Returns: (transfer none) (nullable): the token with @id, if loaded
 */
TokensAccessToken *
tokens_token_list_find_by_id (TokensTokenList *self,
                              const char      *id,
                              guint           *out_position)
{
  TokensAccessToken *token;

  g_return_val_if_fail (TOKENS_IS_TOKEN_LIST (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  token = g_hash_table_lookup (self->by_id, id);
  if (token != NULL && out_position != NULL)
    g_ptr_array_find (self->items, token, out_position);

  return token;
}

/* One page into the list: what is new goes at the end in one
 * items-changed; what is there already (the UI added it) is updated. */
static void
append_page (TokensTokenList *self,
             GPtrArray       *page)
{
  guint position = self->items->len;

  for (guint i = 0; i < page->len; i++)
    {
      TokensAccessToken *token = g_ptr_array_index (page, i);
      TokensAccessToken *known = g_hash_table_lookup (self->by_id, tokens_access_token_get_id (token));

      if (known != NULL)
        {
          tokens_access_token_update_from (known, token);
          continue;
        }

      g_ptr_array_add (self->items, g_object_ref (token));
      g_hash_table_insert (self->by_id, (gpointer) tokens_access_token_get_id (token), token);
    }

  items_changed (self, position, 0, self->items->len - position);
}

/* The reload's result replaces everything at once, keeping the objects
 * whose id survives so that their rows keep their state. */
static void
replace_all (TokensTokenList *self,
             GPtrArray       *fresh)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (fresh->len, g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  guint removed = self->items->len;
  gboolean same;

  for (guint i = 0; i < fresh->len; i++)
    {
      TokensAccessToken *token = g_ptr_array_index (fresh, i);
      const char *id = tokens_access_token_get_id (token);
      TokensAccessToken *known = g_hash_table_lookup (self->by_id, id);

      if (g_hash_table_contains (by_id, id))
        continue;   /* a token that moved between pages while we read them */

      if (known != NULL)
        {
          tokens_access_token_update_from (known, token);
          token = known;
        }

      g_ptr_array_add (items, g_object_ref (token));
      g_hash_table_insert (by_id, (gpointer) tokens_access_token_get_id (token), token);
    }

  same = items->len == removed;
  for (guint i = 0; same && i < removed; i++)
    same = g_ptr_array_index (items, i) == g_ptr_array_index (self->items, i);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  self->items = g_steal_pointer (&items);
  self->by_id = g_steal_pointer (&by_id);

  /* The same tokens in the same order were updated in place: no
   * items-changed, which would rebuild every row and lose the selection
   * (a refresh when the window is back). */
  if (!same)
    items_changed (self, 0, removed, self->items->len);
}

static void fetch_page (TokensTokenList *self,
                        GTask           *task,
                        const char      *page_token);
static void start_reload (TokensTokenList *self,
                          GTask           *task,
                          Op              *op);

static void
op_done (TokensTokenList *self,
         GTask           *task,
         GError          *error)
{
  g_assert (g_queue_peek_head (&self->queue) == task);

  g_queue_pop_head (&self->queue);

  /* The next operation starts before this one's result is returned: the
   * caller's callback may queue another, and must find the queue in a
   * settled state (else the new head would be started twice). */
  if (!g_queue_is_empty (&self->queue))
    run_next (self);
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_error (self, error);
      g_task_return_error (task, error);
    }
  else
    {
      set_error (self, NULL);
      g_task_return_boolean (task, TRUE);
    }
  g_object_unref (task);
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  TokensTokenList *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GPtrArray) page = NULL;
  g_autofree char *next = NULL;
  GError *error = NULL;
  guint total = 0;

  page = tokens_client_list_tokens_finish (TOKENS_CLIENT (object), result, &total, &next, &error);
  if (page == NULL)
    {
      op_done (self, task, error);
      return;
    }

  if (op->kind == OP_RELOAD)
    {
      g_ptr_array_extend (op->fresh, page, (GCopyFunc) (void (*) (void)) g_object_ref, NULL);
      if (op->pages_left > 0)
        op->pages_left--;

      if (next != NULL && op->pages_left > 0)
        {
          fetch_page (self, task, next);
          return;
        }

      /* A token added, revoked or renewed here while the pages were read
       * is newer than what they say: replacing the list with them would
       * bring a revoked token back, or drop a new one. Read again. */
      if (self->changes != op->changes)
        {
          if (op->restarts++ < MAX_RELOAD_RESTARTS)
            {
              start_reload (self, task, op);
              return;
            }
          op_done (self, task, NULL);
          return;
        }

      replace_all (self, op->fresh);
    }
  else
    append_page (self, page);

  self->started = TRUE;
  g_free (self->next_page_token);
  self->next_page_token = g_steal_pointer (&next);
  set_total (self, total);
  set_has_more (self, self->next_page_token != NULL);

  if (op->kind == OP_LOAD_ALL && self->has_more)
    {
      fetch_page (self, task, self->next_page_token);
      return;
    }

  op_done (self, task, NULL);
}

static void
fetch_page (TokensTokenList *self,
            GTask           *task,
            const char      *page_token)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  tokens_client_list_tokens_async (self->client, self->page_size, page_token,
                                   cancellable, page_cb, task);
}

static void
start_reload (TokensTokenList *self,
              GTask           *task,
              Op              *op)
{
  /* As many pages as the list shows now, so nothing it showed goes. */
  guint loaded = MAX (self->items->len, 1);

  op->pages_left = (loaded + self->page_size - 1) / self->page_size;
  g_clear_pointer (&op->fresh, g_ptr_array_unref);
  op->fresh = g_ptr_array_new_with_free_func (g_object_unref);
  op->changes = self->changes;
  fetch_page (self, task, NULL);
}

static void
run_next (TokensTokenList *self)
{
  GTask *task = g_queue_peek_head (&self->queue);
  Op *op = g_task_get_task_data (task);

  if (op->kind == OP_RELOAD)
    {
      start_reload (self, task, op);
      return;
    }

  if (self->started && !self->has_more)
    {
      op_done (self, task, NULL);
      return;
    }

  fetch_page (self, task, self->started ? self->next_page_token : NULL);
}

static void
enqueue (TokensTokenList     *self,
         OpKind               kind,
         gpointer             source_tag,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);

  g_task_set_source_tag (task, source_tag);
  op->kind = kind;
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);

  g_queue_push_tail (&self->queue, task);
  if (g_queue_get_length (&self->queue) == 1)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      run_next (self);
    }
}

/**
 * tokens_token_list_load_more_async:
 *
 * Loads the next page (the first, the first time). Nothing to do once
 * the last page is in.
 */
void
tokens_token_list_load_more_async (TokensTokenList     *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (TOKENS_IS_TOKEN_LIST (self));

  enqueue (self, OP_LOAD_MORE, tokens_token_list_load_more_async, cancellable, callback, user_data);
}

gboolean
tokens_token_list_load_more_finish (TokensTokenList  *self,
                                    GAsyncResult     *result,
                                    GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tokens_token_list_load_all_async:
 *
 * Loads every page that is not in yet, one items-changed per page.
 */
void
tokens_token_list_load_all_async (TokensTokenList     *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (TOKENS_IS_TOKEN_LIST (self));

  enqueue (self, OP_LOAD_ALL, tokens_token_list_load_all_async, cancellable, callback, user_data);
}

gboolean
tokens_token_list_load_all_finish (TokensTokenList  *self,
                                   GAsyncResult     *result,
                                   GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tokens_token_list_reload_async:
 *
 * Asks the service again for as many pages as the list holds (at least
 * one) and replaces the contents in one items-changed; tokens that are
 * still there keep their objects, updated in place.
 */
void
tokens_token_list_reload_async (TokensTokenList     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (TOKENS_IS_TOKEN_LIST (self));

  enqueue (self, OP_RELOAD, tokens_token_list_reload_async, cancellable, callback, user_data);
}

gboolean
tokens_token_list_reload_finish (TokensTokenList  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tokens_token_list_add:
 * @token: a token the UI just created
 *
 * Appends @token (the service lists the newest last), or updates the
 * object already there with the same id.
 */
void
tokens_token_list_add (TokensTokenList   *self,
                       TokensAccessToken *token)
{
  TokensAccessToken *known;

  g_return_if_fail (TOKENS_IS_TOKEN_LIST (self));
  g_return_if_fail (TOKENS_IS_ACCESS_TOKEN (token));

  self->changes++;
  known = g_hash_table_lookup (self->by_id, tokens_access_token_get_id (token));
  if (known != NULL)
    {
      tokens_access_token_update_from (known, token);
      return;
    }

  g_ptr_array_add (self->items, g_object_ref (token));
  g_hash_table_insert (self->by_id, (gpointer) tokens_access_token_get_id (token), token);
  set_total (self, self->total + 1);
  items_changed (self, self->items->len - 1, 0, 1);
}

/**
 * tokens_token_list_remove_by_id:
 *
 * Returns: whether a token with @id was there (and is gone now)
 */
gboolean
tokens_token_list_remove_by_id (TokensTokenList *self,
                                const char      *id)
{
  TokensAccessToken *token;
  guint position;

  g_return_val_if_fail (TOKENS_IS_TOKEN_LIST (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  token = tokens_token_list_find_by_id (self, id, &position);
  if (token == NULL)
    return FALSE;

  self->changes++;
  g_hash_table_remove (self->by_id, id);
  g_ptr_array_remove_index (self->items, position);
  if (self->total > 0)
    set_total (self, self->total - 1);
  items_changed (self, position, 1, 0);

  return TRUE;
}

/**
 * tokens_token_list_replace:
 * @token: a fresher copy of a token in the list (after a renewal, an edit…)
 *
 * The object in the list takes @token's fields, notifying what changed.
 *
 * Returns: whether the list has a token with @token's id
 */
gboolean
tokens_token_list_replace (TokensTokenList   *self,
                           TokensAccessToken *token)
{
  TokensAccessToken *known;

  g_return_val_if_fail (TOKENS_IS_TOKEN_LIST (self), FALSE);
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (token), FALSE);

  known = g_hash_table_lookup (self->by_id, tokens_access_token_get_id (token));
  if (known == NULL)
    return FALSE;

  self->changes++;
  tokens_access_token_update_from (known, token);
  return TRUE;
}

static void
tokens_token_list_finalize (GObject *object)
{
  TokensTokenList *self = (TokensTokenList *) object;

  /* Every load holds a reference to the list: none is left here. */
  g_assert (g_queue_is_empty (&self->queue));

  g_clear_object (&self->client);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->next_page_token, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (tokens_token_list_parent_class)->finalize (object);
}

static void
tokens_token_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TokensTokenList *self = TOKENS_TOKEN_LIST (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, tokens_token_list_get_loading (self));
      break;
    case PROP_HAS_MORE:
      g_value_set_boolean (value, self->has_more);
      break;
    case PROP_TOTAL:
      g_value_set_uint (value, self->total);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_PAGE_SIZE:
      g_value_set_uint (value, self->page_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_token_list_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TokensTokenList *self = TOKENS_TOKEN_LIST (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    case PROP_PAGE_SIZE:
      tokens_token_list_set_page_size (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_token_list_class_init (TokensTokenListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tokens_token_list_finalize;
  object_class->get_property = tokens_token_list_get_property;
  object_class->set_property = tokens_token_list_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, TOKENS_TYPE_CLIENT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_HAS_MORE] =
    g_param_spec_boolean ("has-more", NULL, NULL, TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TOTAL] =
    g_param_spec_uint ("total", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PAGE_SIZE] =
    g_param_spec_uint ("page-size", NULL, NULL, 1, 100, DEFAULT_PAGE_SIZE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_token_list_init (TokensTokenList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->page_size = DEFAULT_PAGE_SIZE;
  self->has_more = TRUE;
  g_queue_init (&self->queue);
}
