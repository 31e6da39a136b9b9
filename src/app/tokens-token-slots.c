/* tokens-token-slots.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Access Tokens page's rows, kept when a search changes which tokens
 * they show. GTK 4.8's list and grid views have no pool of rows: a row
 * whose item leaves the model is destroyed, and one is built (template,
 * CSS, accessibles) for each item that comes. A search keystroke that
 * narrows 10,000 tokens to 1,000 changes every position, so the grid
 * view built its 30 rows anew: 85–140 ms a keystroke.
 *
 * This model's items are positions ("slots"), not tokens: slot N shows
 * whatever token is at position N of the model beneath (the filtered
 * list). When that model changes, the slots that exist (the rows on
 * screen and around, about 30) take their new token, which the rows
 * follow through `notify::token`, and only the count changes, at the end.
 * Rows are rebound, not rebuilt. GTK 4.12's views recycle rows
 * themselves: there, this model can go.
 *
 * A slot has no life apart from the model, hence both classes here.
 */

#include "config.h"

#include "tokens-token-slots.h"

struct _TokensTokenSlot
{
  GObject            parent_instance;

  TokensAccessToken *token;
  guint              position;
};

enum {
  SLOT_PROP_0,
  SLOT_PROP_TOKEN,
  SLOT_N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensTokenSlot, tokens_token_slot, G_TYPE_OBJECT)

static GParamSpec *slot_properties[SLOT_N_PROPS];

static void
tokens_token_slot_set_token (TokensTokenSlot   *self,
                             TokensAccessToken *token)
{
  if (g_set_object (&self->token, token))
    g_object_notify_by_pspec (G_OBJECT (self), slot_properties[SLOT_PROP_TOKEN]);
}

TokensAccessToken *
tokens_token_slot_get_token (TokensTokenSlot *self)
{
  g_return_val_if_fail (TOKENS_IS_TOKEN_SLOT (self), NULL);

  return self->token;
}

static void
tokens_token_slot_finalize (GObject *object)
{
  TokensTokenSlot *self = (TokensTokenSlot *) object;

  g_clear_object (&self->token);

  G_OBJECT_CLASS (tokens_token_slot_parent_class)->finalize (object);
}

static void
tokens_token_slot_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TokensTokenSlot *self = TOKENS_TOKEN_SLOT (object);

  switch (prop_id)
    {
    case SLOT_PROP_TOKEN:
      g_value_set_object (value, self->token);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_token_slot_class_init (TokensTokenSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tokens_token_slot_finalize;
  object_class->get_property = tokens_token_slot_get_property;

  slot_properties[SLOT_PROP_TOKEN] =
    g_param_spec_object ("token", NULL, NULL, TOKENS_TYPE_ACCESS_TOKEN,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, SLOT_N_PROPS, slot_properties);
}

static void
tokens_token_slot_init (TokensTokenSlot *self)
{
}

/* The model of slots. */

struct _TokensTokenSlots
{
  GObject     parent_instance;

  GListModel *model;
  guint       n_items;
  GHashTable *live;     /* position → TokensTokenSlot, not owned: the slots someone holds */
};

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static void tokens_token_slots_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TokensTokenSlots, tokens_token_slots, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, tokens_token_slots_list_model_init))

static GParamSpec *properties[N_PROPS];

static void
slot_gone_cb (gpointer  user_data,
              GObject  *where_the_slot_was)
{
  TokensTokenSlots *self = user_data;
  guint position = ((TokensTokenSlot *) where_the_slot_was)->position;

  if (g_hash_table_lookup (self->live, GUINT_TO_POINTER (position)) == where_the_slot_was)
    g_hash_table_remove (self->live, GUINT_TO_POINTER (position));
}

static void
forget_slot (TokensTokenSlots *self,
             TokensTokenSlot  *slot)
{
  g_object_weak_unref (G_OBJECT (slot), slot_gone_cb, self);
}

static GType
tokens_token_slots_get_item_type (GListModel *model)
{
  return TOKENS_TYPE_TOKEN_SLOT;
}

static guint
tokens_token_slots_get_n_items (GListModel *model)
{
  return TOKENS_TOKEN_SLOTS (model)->n_items;
}

static gpointer
tokens_token_slots_get_item (GListModel *model,
                             guint       position)
{
  TokensTokenSlots *self = TOKENS_TOKEN_SLOTS (model);
  TokensTokenSlot *slot;

  if (position >= self->n_items)
    return NULL;

  slot = g_hash_table_lookup (self->live, GUINT_TO_POINTER (position));
  if (slot != NULL)
    return g_object_ref (slot);

  slot = g_object_new (TOKENS_TYPE_TOKEN_SLOT, NULL);
  slot->position = position;
  slot->token = g_list_model_get_item (self->model, position);
  g_object_weak_ref (G_OBJECT (slot), slot_gone_cb, self);
  g_hash_table_insert (self->live, GUINT_TO_POINTER (position), slot);
  return slot;
}

static void
tokens_token_slots_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = tokens_token_slots_get_item_type;
  iface->get_n_items = tokens_token_slots_get_n_items;
  iface->get_item = tokens_token_slots_get_item;
}

/* The slots from @position on show what is there now; slots past the
 * end leave the model, new ones join it at the end. */
static void
model_items_changed_cb (TokensTokenSlots *self,
                        guint             position,
                        guint             removed,
                        guint             added)
{
  guint old_n = self->n_items;
  guint new_n = self->model ? g_list_model_get_n_items (self->model) : 0;
  g_autoptr(GPtrArray) moved = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  self->n_items = new_n;

  /* First which slots change, then the changes: a row told of its new
   * token must not find the table being walked. */
  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      TokensTokenSlot *slot = value;

      if (slot->position < position)
        continue;

      if (slot->position < new_n)
        g_ptr_array_add (moved, g_object_ref (slot));
      else
        {
          forget_slot (self, slot);
          g_hash_table_iter_remove (&iter);
        }
    }

  for (guint i = 0; i < moved->len; i++)
    {
      TokensTokenSlot *slot = g_ptr_array_index (moved, i);
      g_autoptr(TokensAccessToken) token = g_list_model_get_item (self->model, slot->position);

      tokens_token_slot_set_token (slot, token);
    }

  if (new_n > old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), old_n, 0, new_n - old_n);
  else if (new_n < old_n)
    g_list_model_items_changed (G_LIST_MODEL (self), new_n, old_n - new_n, 0);
}

GListModel *
tokens_token_slots_get_model (TokensTokenSlots *self)
{
  g_return_val_if_fail (TOKENS_IS_TOKEN_SLOTS (self), NULL);

  return self->model;
}

void
tokens_token_slots_set_model (TokensTokenSlots *self,
                              GListModel       *model)
{
  g_return_if_fail (TOKENS_IS_TOKEN_SLOTS (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, model_items_changed_cb, self);
  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect_object (model, "items-changed", G_CALLBACK (model_items_changed_cb), self, G_CONNECT_SWAPPED);

  model_items_changed_cb (self, 0, 0, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

static void
tokens_token_slots_dispose (GObject *object)
{
  TokensTokenSlots *self = (TokensTokenSlots *) object;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->live);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    forget_slot (self, value);
  g_hash_table_remove_all (self->live);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, model_items_changed_cb, self);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (tokens_token_slots_parent_class)->dispose (object);
}

static void
tokens_token_slots_finalize (GObject *object)
{
  TokensTokenSlots *self = (TokensTokenSlots *) object;

  g_hash_table_unref (self->live);

  G_OBJECT_CLASS (tokens_token_slots_parent_class)->finalize (object);
}

static void
tokens_token_slots_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TokensTokenSlots *self = TOKENS_TOKEN_SLOTS (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_token_slots_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TokensTokenSlots *self = TOKENS_TOKEN_SLOTS (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      tokens_token_slots_set_model (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_token_slots_class_init (TokensTokenSlotsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tokens_token_slots_dispose;
  object_class->finalize = tokens_token_slots_finalize;
  object_class->get_property = tokens_token_slots_get_property;
  object_class->set_property = tokens_token_slots_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_token_slots_init (TokensTokenSlots *self)
{
  self->live = g_hash_table_new (NULL, NULL);
}
