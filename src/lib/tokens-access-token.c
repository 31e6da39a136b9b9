/* tokens-access-token.c — a named access token with scopes, expiry and renewal state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the service says of an access token (never its secret). The UI keeps
 * one object per token in its list and binds rows to its properties, so a
 * fresher copy is merged in with tokens_access_token_update_from(), which
 * notifies only what changed.
 */

#include "config.h"

#include "tokens-access-token.h"
#include "tokens-json.h"
#include "tokens-token.h"

struct _TokensAccessToken
{
  GObject       parent_instance;

  char         *id;
  char         *name;
  char         *search_key;            /* the name case-folded, made when first asked */
  TokensScopes  scopes;
  char         *last4;
  GDateTime    *created_at;
  GDateTime    *updated_at;
  GDateTime    *expires_at;            /* NULL: no expiry */
  GDateTime    *last_used_at;          /* NULL: never */
  guint         duration_days;         /* 0: no expiry */
  GDateTime    *renewed_at;            /* NULL: never renewed */

  /* The old secret a renewal with "delete old: later" keeps valid. */
  gboolean      has_previous;
  char         *previous_last4;
  GDateTime    *previous_created_at;
  GDateTime    *previous_expires_at;
  GDateTime    *previous_last_used_at;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_SCOPES,
  PROP_LAST4,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  PROP_EXPIRES_AT,
  PROP_LAST_USED_AT,
  PROP_DURATION_DAYS,
  PROP_RENEWED_AT,
  PROP_HAS_PREVIOUS,
  PROP_PREVIOUS_LAST4,
  PROP_PREVIOUS_CREATED_AT,
  PROP_PREVIOUS_EXPIRES_AT,
  PROP_PREVIOUS_LAST_USED_AT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensAccessToken, tokens_access_token, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/**
 * tokens_access_token_new_from_json:
 * @object: an AccessToken object of the API document
 *
 * Returns: (transfer full) (nullable): the token, or %NULL if the reply is
 *   not what the API document says
 */
TokensAccessToken *
tokens_access_token_new_from_json (JsonObject  *object,
                                   GError     **error)
{
  g_autoptr(TokensAccessToken) self = g_object_new (TOKENS_TYPE_ACCESS_TOKEN, NULL);
  const char *name, *last4;
  JsonArray *scopes;
  JsonObject *previous;
  gint64 duration;

  if (!tokens_json_get_id (object, "id", &self->id, error) ||
      !tokens_json_get_string (object, "name", TRUE, &name, error) ||
      !tokens_json_get_array (object, "scopes", TRUE, &scopes, error) ||
      !tokens_scopes_from_json (scopes, &self->scopes, error) ||
      !tokens_json_get_string (object, "last4", TRUE, &last4, error) ||
      !tokens_json_get_datetime (object, "created_at", TRUE, &self->created_at, error) ||
      !tokens_json_get_datetime (object, "updated_at", FALSE, &self->updated_at, error) ||
      !tokens_json_get_datetime (object, "expires_at", FALSE, &self->expires_at, error) ||
      !tokens_json_get_datetime (object, "last_used_at", FALSE, &self->last_used_at, error) ||
      !tokens_json_get_int (object, "duration_days", FALSE, &duration, error) ||
      !tokens_json_get_datetime (object, "renewed_at", FALSE, &self->renewed_at, error) ||
      !tokens_json_get_object_member (object, "previous", FALSE, &previous, error))
    return NULL;

  if (duration < 0 || duration > G_MAXINT)
    {
      g_propagate_error (error, tokens_json_bad_reply ("duration_days"));
      return NULL;
    }

  if (previous != NULL)
    {
      const char *previous_last4;

      if (!tokens_json_get_string (previous, "last4", TRUE, &previous_last4, error) ||
          !tokens_json_get_datetime (previous, "created_at", FALSE, &self->previous_created_at, error) ||
          !tokens_json_get_datetime (previous, "expires_at", FALSE, &self->previous_expires_at, error) ||
          !tokens_json_get_datetime (previous, "last_used_at", FALSE, &self->previous_last_used_at, error))
        return NULL;

      self->has_previous = TRUE;
      self->previous_last4 = g_strdup (previous_last4);
    }

  self->name = g_strdup (name);
  self->last4 = g_strdup (last4);
  self->duration_days = (guint) duration;

  return g_steal_pointer (&self);
}

const char *
tokens_access_token_get_id (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), NULL);
  return self->id;
}

const char *
tokens_access_token_get_name (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), NULL);
  return self->name;
}

/**
 * tokens_access_token_get_search_key:
 *
 * Returns: the name case-folded, to match a case-folded search against:
 *   made once, not at every keystroke for every token
 */
const char *
tokens_access_token_get_search_key (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), NULL);

  if (self->search_key == NULL)
    self->search_key = g_utf8_casefold (self->name, -1);

  return self->search_key;
}

TokensScopes
tokens_access_token_get_scopes (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), TOKENS_SCOPE_NONE);
  return self->scopes;
}

const char *
tokens_access_token_get_last4 (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), NULL);
  return self->last4;
}

GDateTime *
tokens_access_token_get_created_at (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), NULL);
  return self->created_at;
}

GDateTime *
tokens_access_token_get_updated_at (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), NULL);
  return self->updated_at;
}

/**
 * tokens_access_token_get_expires_at:
 *
 * Returns: (nullable) (transfer none): when the current secret expires;
 *   %NULL for no expiry
 */
GDateTime *
tokens_access_token_get_expires_at (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), NULL);
  return self->expires_at;
}

/**
 * tokens_access_token_get_last_used_at:
 *
 * Returns: (nullable) (transfer none): %NULL when never used
 */
GDateTime *
tokens_access_token_get_last_used_at (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), NULL);
  return self->last_used_at;
}

/**
 * tokens_access_token_get_duration_days:
 *
 * Returns: the token's duration in days, 0 for no expiry
 */
guint
tokens_access_token_get_duration_days (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), 0);
  return self->duration_days;
}

GDateTime *
tokens_access_token_get_renewed_at (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), NULL);
  return self->renewed_at;
}

gboolean
tokens_access_token_get_has_previous (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), FALSE);
  return self->has_previous;
}

const char *
tokens_access_token_get_previous_last4 (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), NULL);
  return self->previous_last4;
}

GDateTime *
tokens_access_token_get_previous_created_at (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), NULL);
  return self->previous_created_at;
}

GDateTime *
tokens_access_token_get_previous_expires_at (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), NULL);
  return self->previous_expires_at;
}

GDateTime *
tokens_access_token_get_previous_last_used_at (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), NULL);
  return self->previous_last_used_at;
}

/**
 * tokens_access_token_dup_hint:
 *
 * Returns: (transfer full): the hidden secret as the UI shows it
 */
char *
tokens_access_token_dup_hint (TokensAccessToken *self)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), NULL);
  return tokens_token_hint (TOKENS_TOKEN_KIND_ACCESS, self->last4);
}

/**
 * tokens_access_token_is_expired:
 * @now: the time to compare with
 *
 * Returns: whether the current secret has expired at @now; never for a
 *   token with no expiry
 */
gboolean
tokens_access_token_is_expired (TokensAccessToken *self,
                                GDateTime         *now)
{
  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), FALSE);
  g_return_val_if_fail (now != NULL, FALSE);

  return self->expires_at != NULL && g_date_time_compare (now, self->expires_at) >= 0;
}

/**
 * tokens_access_token_days_left:
 * @now: the time to count from
 *
 * Returns: whole days until the current secret expires (0 on its last
 *   day, negative once expired), or %G_MAXINT for no expiry, so that
 *   tokens without expiry sort last
 */
int
tokens_access_token_days_left (TokensAccessToken *self,
                               GDateTime         *now)
{
  GTimeSpan span;
  gint64 days;

  g_return_val_if_fail (TOKENS_IS_ACCESS_TOKEN (self), G_MAXINT);
  g_return_val_if_fail (now != NULL, G_MAXINT);

  if (self->expires_at == NULL)
    return G_MAXINT;

  span = g_date_time_difference (self->expires_at, now);
  days = span / G_TIME_SPAN_DAY;
  if (span < 0 && span % G_TIME_SPAN_DAY != 0)
    days--;

  return (int) CLAMP (days, G_MININT + 1, G_MAXINT - 1);
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
set_datetime (GDateTime **field,
              GDateTime  *value)
{
  if (*field == value ||
      (*field != NULL && value != NULL && g_date_time_equal (*field, value)))
    return FALSE;
  g_clear_pointer (field, g_date_time_unref);
  *field = value ? g_date_time_ref (value) : NULL;
  return TRUE;
}

/**
 * tokens_access_token_update_from:
 * @other: a fresher copy of the same token
 *
 * Takes every field of @other, notifying only the properties that
 * changed, so that rows bound to @self keep their state.
 */
void
tokens_access_token_update_from (TokensAccessToken *self,
                                 TokensAccessToken *other)
{
  GObject *object = G_OBJECT (self);

  g_return_if_fail (TOKENS_IS_ACCESS_TOKEN (self));
  g_return_if_fail (TOKENS_IS_ACCESS_TOKEN (other));

  if (self == other)
    return;

  g_object_freeze_notify (object);

  if (set_string (&self->id, other->id))
    g_object_notify_by_pspec (object, properties[PROP_ID]);
  if (set_string (&self->name, other->name))
    {
      g_clear_pointer (&self->search_key, g_free);
      g_object_notify_by_pspec (object, properties[PROP_NAME]);
    }
  if (self->scopes != other->scopes)
    {
      self->scopes = other->scopes;
      g_object_notify_by_pspec (object, properties[PROP_SCOPES]);
    }
  if (set_string (&self->last4, other->last4))
    g_object_notify_by_pspec (object, properties[PROP_LAST4]);
  if (set_datetime (&self->created_at, other->created_at))
    g_object_notify_by_pspec (object, properties[PROP_CREATED_AT]);
  if (set_datetime (&self->updated_at, other->updated_at))
    g_object_notify_by_pspec (object, properties[PROP_UPDATED_AT]);
  if (set_datetime (&self->expires_at, other->expires_at))
    g_object_notify_by_pspec (object, properties[PROP_EXPIRES_AT]);
  if (set_datetime (&self->last_used_at, other->last_used_at))
    g_object_notify_by_pspec (object, properties[PROP_LAST_USED_AT]);
  if (self->duration_days != other->duration_days)
    {
      self->duration_days = other->duration_days;
      g_object_notify_by_pspec (object, properties[PROP_DURATION_DAYS]);
    }
  if (set_datetime (&self->renewed_at, other->renewed_at))
    g_object_notify_by_pspec (object, properties[PROP_RENEWED_AT]);
  if (self->has_previous != other->has_previous)
    {
      self->has_previous = other->has_previous;
      g_object_notify_by_pspec (object, properties[PROP_HAS_PREVIOUS]);
    }
  if (set_string (&self->previous_last4, other->previous_last4))
    g_object_notify_by_pspec (object, properties[PROP_PREVIOUS_LAST4]);
  if (set_datetime (&self->previous_created_at, other->previous_created_at))
    g_object_notify_by_pspec (object, properties[PROP_PREVIOUS_CREATED_AT]);
  if (set_datetime (&self->previous_expires_at, other->previous_expires_at))
    g_object_notify_by_pspec (object, properties[PROP_PREVIOUS_EXPIRES_AT]);
  if (set_datetime (&self->previous_last_used_at, other->previous_last_used_at))
    g_object_notify_by_pspec (object, properties[PROP_PREVIOUS_LAST_USED_AT]);

  g_object_thaw_notify (object);
}

static void
tokens_access_token_finalize (GObject *object)
{
  TokensAccessToken *self = (TokensAccessToken *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->search_key, g_free);
  g_clear_pointer (&self->last4, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->updated_at, g_date_time_unref);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_clear_pointer (&self->last_used_at, g_date_time_unref);
  g_clear_pointer (&self->renewed_at, g_date_time_unref);
  g_clear_pointer (&self->previous_last4, g_free);
  g_clear_pointer (&self->previous_created_at, g_date_time_unref);
  g_clear_pointer (&self->previous_expires_at, g_date_time_unref);
  g_clear_pointer (&self->previous_last_used_at, g_date_time_unref);

  G_OBJECT_CLASS (tokens_access_token_parent_class)->finalize (object);
}

static void
tokens_access_token_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  TokensAccessToken *self = TOKENS_ACCESS_TOKEN (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SCOPES:
      g_value_set_flags (value, self->scopes);
      break;
    case PROP_LAST4:
      g_value_set_string (value, self->last4);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    case PROP_EXPIRES_AT:
      g_value_set_boxed (value, self->expires_at);
      break;
    case PROP_LAST_USED_AT:
      g_value_set_boxed (value, self->last_used_at);
      break;
    case PROP_DURATION_DAYS:
      g_value_set_uint (value, self->duration_days);
      break;
    case PROP_RENEWED_AT:
      g_value_set_boxed (value, self->renewed_at);
      break;
    case PROP_HAS_PREVIOUS:
      g_value_set_boolean (value, self->has_previous);
      break;
    case PROP_PREVIOUS_LAST4:
      g_value_set_string (value, self->previous_last4);
      break;
    case PROP_PREVIOUS_CREATED_AT:
      g_value_set_boxed (value, self->previous_created_at);
      break;
    case PROP_PREVIOUS_EXPIRES_AT:
      g_value_set_boxed (value, self->previous_expires_at);
      break;
    case PROP_PREVIOUS_LAST_USED_AT:
      g_value_set_boxed (value, self->previous_last_used_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define RO_FLAGS (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)

static void
tokens_access_token_class_init (TokensAccessTokenClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tokens_access_token_finalize;
  object_class->get_property = tokens_access_token_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, RO_FLAGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, RO_FLAGS);
  properties[PROP_SCOPES] =
    g_param_spec_flags ("scopes", NULL, NULL, TOKENS_TYPE_SCOPES, TOKENS_SCOPE_NONE, RO_FLAGS);
  properties[PROP_LAST4] =
    g_param_spec_string ("last4", NULL, NULL, NULL, RO_FLAGS);
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, RO_FLAGS);
  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, RO_FLAGS);
  properties[PROP_EXPIRES_AT] =
    g_param_spec_boxed ("expires-at", NULL, NULL, G_TYPE_DATE_TIME, RO_FLAGS);
  properties[PROP_LAST_USED_AT] =
    g_param_spec_boxed ("last-used-at", NULL, NULL, G_TYPE_DATE_TIME, RO_FLAGS);
  properties[PROP_DURATION_DAYS] =
    g_param_spec_uint ("duration-days", NULL, NULL, 0, G_MAXINT, 0, RO_FLAGS);
  properties[PROP_RENEWED_AT] =
    g_param_spec_boxed ("renewed-at", NULL, NULL, G_TYPE_DATE_TIME, RO_FLAGS);
  properties[PROP_HAS_PREVIOUS] =
    g_param_spec_boolean ("has-previous", NULL, NULL, FALSE, RO_FLAGS);
  properties[PROP_PREVIOUS_LAST4] =
    g_param_spec_string ("previous-last4", NULL, NULL, NULL, RO_FLAGS);
  properties[PROP_PREVIOUS_CREATED_AT] =
    g_param_spec_boxed ("previous-created-at", NULL, NULL, G_TYPE_DATE_TIME, RO_FLAGS);
  properties[PROP_PREVIOUS_EXPIRES_AT] =
    g_param_spec_boxed ("previous-expires-at", NULL, NULL, G_TYPE_DATE_TIME, RO_FLAGS);
  properties[PROP_PREVIOUS_LAST_USED_AT] =
    g_param_spec_boxed ("previous-last-used-at", NULL, NULL, G_TYPE_DATE_TIME, RO_FLAGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_access_token_init (TokensAccessToken *self)
{
}
