/* tokens-api-key.c — what may be shown of the account's API token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Metadata only (GET /v1/me/api-key): the secret itself is shown once by
 * the service and then lives in the keyring.
 */

#include "config.h"

#include "tokens-api-key.h"
#include "tokens-json.h"
#include "tokens-token.h"

struct _TokensApiKey
{
  GObject    parent_instance;

  char      *last4;
  GDateTime *created_at;
  GDateTime *last_used_at;   /* NULL: never used */
};

enum {
  PROP_0,
  PROP_LAST4,
  PROP_CREATED_AT,
  PROP_LAST_USED_AT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensApiKey, tokens_api_key, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

TokensApiKey *
tokens_api_key_new_from_json (JsonObject  *object,
                              GError     **error)
{
  g_autoptr(TokensApiKey) self = g_object_new (TOKENS_TYPE_API_KEY, NULL);
  const char *last4;

  if (!tokens_json_get_string (object, "last4", TRUE, &last4, error) ||
      !tokens_json_get_datetime (object, "created_at", FALSE, &self->created_at, error) ||
      !tokens_json_get_datetime (object, "last_used_at", FALSE, &self->last_used_at, error))
    return NULL;

  self->last4 = g_strdup (last4);
  return g_steal_pointer (&self);
}

const char *
tokens_api_key_get_last4 (TokensApiKey *self)
{
  g_return_val_if_fail (TOKENS_IS_API_KEY (self), NULL);
  return self->last4;
}

GDateTime *
tokens_api_key_get_created_at (TokensApiKey *self)
{
  g_return_val_if_fail (TOKENS_IS_API_KEY (self), NULL);
  return self->created_at;
}

GDateTime *
tokens_api_key_get_last_used_at (TokensApiKey *self)
{
  g_return_val_if_fail (TOKENS_IS_API_KEY (self), NULL);
  return self->last_used_at;
}

/**
 * tokens_api_key_dup_hint:
 *
 * Returns: (transfer full): the hidden token as shown beside the eye
 *   icon: its prefix, dots, and its last four characters
 */
char *
tokens_api_key_dup_hint (TokensApiKey *self)
{
  g_return_val_if_fail (TOKENS_IS_API_KEY (self), NULL);

  return tokens_token_hint (TOKENS_TOKEN_KIND_API_KEY, self->last4);
}

static void
tokens_api_key_finalize (GObject *object)
{
  TokensApiKey *self = (TokensApiKey *) object;

  g_clear_pointer (&self->last4, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->last_used_at, g_date_time_unref);

  G_OBJECT_CLASS (tokens_api_key_parent_class)->finalize (object);
}

static void
tokens_api_key_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TokensApiKey *self = TOKENS_API_KEY (object);

  switch (prop_id)
    {
    case PROP_LAST4:
      g_value_set_string (value, self->last4);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_LAST_USED_AT:
      g_value_set_boxed (value, self->last_used_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_api_key_class_init (TokensApiKeyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tokens_api_key_finalize;
  object_class->get_property = tokens_api_key_get_property;

  properties[PROP_LAST4] =
    g_param_spec_string ("last4", NULL, NULL, NULL, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_LAST_USED_AT] =
    g_param_spec_boxed ("last-used-at", NULL, NULL, G_TYPE_DATE_TIME, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_api_key_init (TokensApiKey *self)
{
}
