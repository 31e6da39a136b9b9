/* tokens-event.c — one entry of the account's audit log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tokens-event.h"
#include "tokens-json.h"

struct _TokensEvent
{
  GObject    parent_instance;

  char      *id;
  char      *kind;        /* "token.created", …: the UI puts it into words */
  GDateTime *created_at;
  char      *token_id;    /* NULL unless it is about an access token */
};

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_CREATED_AT,
  PROP_TOKEN_ID,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensEvent, tokens_event, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/**
 * tokens_event_new_from_json:
 * @object: an Event object of the API document
 *
 * Returns: (transfer full) (nullable): the event, or %NULL if the reply is
 *   not what the API document says
 */
TokensEvent *
tokens_event_new_from_json (JsonObject  *object,
                            GError     **error)
{
  g_autoptr(TokensEvent) self = g_object_new (TOKENS_TYPE_EVENT, NULL);
  const char *kind;

  if (!tokens_json_get_id (object, "id", &self->id, error) ||
      !tokens_json_get_string (object, "kind", TRUE, &kind, error) ||
      !tokens_json_get_datetime (object, "created_at", TRUE, &self->created_at, error))
    return NULL;

  if (json_object_has_member (object, "token_id") &&
      !json_node_is_null (json_object_get_member (object, "token_id")) &&
      !tokens_json_get_id (object, "token_id", &self->token_id, error))
    return NULL;

  self->kind = g_strdup (kind);
  return g_steal_pointer (&self);
}

const char *
tokens_event_get_id (TokensEvent *self)
{
  g_return_val_if_fail (TOKENS_IS_EVENT (self), NULL);
  return self->id;
}

const char *
tokens_event_get_kind (TokensEvent *self)
{
  g_return_val_if_fail (TOKENS_IS_EVENT (self), NULL);
  return self->kind;
}

GDateTime *
tokens_event_get_created_at (TokensEvent *self)
{
  g_return_val_if_fail (TOKENS_IS_EVENT (self), NULL);
  return self->created_at;
}

/**
 * tokens_event_get_token_id:
 *
 * Returns: (nullable): the access token it is about, if any
 */
const char *
tokens_event_get_token_id (TokensEvent *self)
{
  g_return_val_if_fail (TOKENS_IS_EVENT (self), NULL);
  return self->token_id;
}

static void
tokens_event_finalize (GObject *object)
{
  TokensEvent *self = (TokensEvent *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->token_id, g_free);

  G_OBJECT_CLASS (tokens_event_parent_class)->finalize (object);
}

static void
tokens_event_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TokensEvent *self = TOKENS_EVENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_TOKEN_ID:
      g_value_set_string (value, self->token_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_event_class_init (TokensEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tokens_event_finalize;
  object_class->get_property = tokens_event_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_TOKEN_ID] =
    g_param_spec_string ("token-id", NULL, NULL, NULL, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_event_init (TokensEvent *self)
{
}
