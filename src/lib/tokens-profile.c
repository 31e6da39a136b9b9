/* tokens-profile.c — who the service says we are (GET /v1/me)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tokens-json.h"
#include "tokens-profile.h"

struct _TokensProfile
{
  GObject    parent_instance;

  char      *id;
  char      *email;
  GDateTime *created_at;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_EMAIL,
  PROP_CREATED_AT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensProfile, tokens_profile, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/**
 * tokens_profile_new_from_json:
 * @object: the reply's account object
 *
 * Returns: (transfer full) (nullable): the profile, or %NULL if the reply
 *   is not what the API document says
 */
TokensProfile *
tokens_profile_new_from_json (JsonObject  *object,
                              GError     **error)
{
  g_autoptr(TokensProfile) self = g_object_new (TOKENS_TYPE_PROFILE, NULL);
  const char *email;

  if (!tokens_json_get_id (object, "id", &self->id, error) ||
      !tokens_json_get_string (object, "email", TRUE, &email, error) ||
      !tokens_json_get_datetime (object, "created_at", FALSE, &self->created_at, error))
    return NULL;

  self->email = g_strdup (email);
  return g_steal_pointer (&self);
}

const char *
tokens_profile_get_id (TokensProfile *self)
{
  g_return_val_if_fail (TOKENS_IS_PROFILE (self), NULL);
  return self->id;
}

const char *
tokens_profile_get_email (TokensProfile *self)
{
  g_return_val_if_fail (TOKENS_IS_PROFILE (self), NULL);
  return self->email;
}

GDateTime *
tokens_profile_get_created_at (TokensProfile *self)
{
  g_return_val_if_fail (TOKENS_IS_PROFILE (self), NULL);
  return self->created_at;
}

static void
tokens_profile_finalize (GObject *object)
{
  TokensProfile *self = (TokensProfile *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->email, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);

  G_OBJECT_CLASS (tokens_profile_parent_class)->finalize (object);
}

static void
tokens_profile_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TokensProfile *self = TOKENS_PROFILE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_profile_class_init (TokensProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tokens_profile_finalize;
  object_class->get_property = tokens_profile_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_profile_init (TokensProfile *self)
{
}
