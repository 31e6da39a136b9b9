/* tokens-security-token.c — the account security token (Client-Token), without its secret
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Its state as GET /v1/security/client-token says it: none, disabled
 * (configured, not required) or active (every request must send it).
 */

#include "config.h"

#include "tokens-json.h"
#include "tokens-security-token.h"
#include "tokens-token.h"

struct _TokensSecurityToken
{
  GObject                   parent_instance;

  TokensSecurityTokenState  state;
  char                     *last4;          /* NULL when none */
  GDateTime                *created_at;     /* NULL when none */
  GDateTime                *last_used_at;   /* NULL: never, or not said */
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_LAST4,
  PROP_CREATED_AT,
  PROP_LAST_USED_AT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensSecurityToken, tokens_security_token, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/**
 * tokens_security_token_new_none:
 *
 * Returns: (transfer full): the state of an account without one
 */
TokensSecurityToken *
tokens_security_token_new_none (void)
{
  return g_object_new (TOKENS_TYPE_SECURITY_TOKEN, NULL);
}

/**
 * tokens_security_token_new_from_json:
 * @object: a ClientTokenState object of the API document
 *
 * Returns: (transfer full) (nullable): the state, or %NULL if the reply is
 *   not what the API document says
 */
TokensSecurityToken *
tokens_security_token_new_from_json (JsonObject  *object,
                                     GError     **error)
{
  g_autoptr(TokensSecurityToken) self = g_object_new (TOKENS_TYPE_SECURITY_TOKEN, NULL);
  const char *state, *last4;

  if (!tokens_json_get_string (object, "state", TRUE, &state, error) ||
      !tokens_json_get_string (object, "last4", FALSE, &last4, error) ||
      !tokens_json_get_datetime (object, "created_at", FALSE, &self->created_at, error) ||
      !tokens_json_get_datetime (object, "last_used_at", FALSE, &self->last_used_at, error))
    return NULL;

  if (!tokens_security_token_state_from_string (state, &self->state))
    {
      g_propagate_error (error, tokens_json_bad_reply ("state"));
      return NULL;
    }

  /* A configured token has something to show beside the eye icon. */
  if (self->state != TOKENS_SECURITY_TOKEN_STATE_NONE && last4 == NULL)
    {
      g_propagate_error (error, tokens_json_bad_reply ("last4"));
      return NULL;
    }

  self->last4 = g_strdup (last4);
  return g_steal_pointer (&self);
}

TokensSecurityTokenState
tokens_security_token_get_state (TokensSecurityToken *self)
{
  g_return_val_if_fail (TOKENS_IS_SECURITY_TOKEN (self), TOKENS_SECURITY_TOKEN_STATE_NONE);
  return self->state;
}

const char *
tokens_security_token_get_last4 (TokensSecurityToken *self)
{
  g_return_val_if_fail (TOKENS_IS_SECURITY_TOKEN (self), NULL);
  return self->last4;
}

GDateTime *
tokens_security_token_get_created_at (TokensSecurityToken *self)
{
  g_return_val_if_fail (TOKENS_IS_SECURITY_TOKEN (self), NULL);
  return self->created_at;
}

/**
 * tokens_security_token_get_last_used_at:
 *
 * Returns: (nullable) (transfer none): when it was last used, if the
 *   service says (tokens-server does not)
 */
GDateTime *
tokens_security_token_get_last_used_at (TokensSecurityToken *self)
{
  g_return_val_if_fail (TOKENS_IS_SECURITY_TOKEN (self), NULL);
  return self->last_used_at;
}

/**
 * tokens_security_token_dup_hint:
 *
 * Returns: (transfer full) (nullable): the hidden token as the UI shows
 *   it, or %NULL when none is configured
 */
char *
tokens_security_token_dup_hint (TokensSecurityToken *self)
{
  g_return_val_if_fail (TOKENS_IS_SECURITY_TOKEN (self), NULL);

  if (self->last4 == NULL)
    return NULL;
  return tokens_token_hint (TOKENS_TOKEN_KIND_CLIENT, self->last4);
}

static void
tokens_security_token_finalize (GObject *object)
{
  TokensSecurityToken *self = (TokensSecurityToken *) object;

  g_clear_pointer (&self->last4, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->last_used_at, g_date_time_unref);

  G_OBJECT_CLASS (tokens_security_token_parent_class)->finalize (object);
}

static void
tokens_security_token_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  TokensSecurityToken *self = TOKENS_SECURITY_TOKEN (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
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
tokens_security_token_class_init (TokensSecurityTokenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tokens_security_token_finalize;
  object_class->get_property = tokens_security_token_get_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TOKENS_TYPE_SECURITY_TOKEN_STATE,
                       TOKENS_SECURITY_TOKEN_STATE_NONE,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_LAST4] =
    g_param_spec_string ("last4", NULL, NULL, NULL, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_LAST_USED_AT] =
    g_param_spec_boxed ("last-used-at", NULL, NULL, G_TYPE_DATE_TIME, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_security_token_init (TokensSecurityToken *self)
{
  self->state = TOKENS_SECURITY_TOKEN_STATE_NONE;
}
