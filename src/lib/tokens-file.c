/* tokens-file.c — a file of the scope-checked resource (/v1/files)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tokens-file.h"
#include "tokens-json.h"

struct _TokensFile
{
  GObject    parent_instance;

  char      *name;
  guint64    size;
  GDateTime *updated_at;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_SIZE,
  PROP_UPDATED_AT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensFile, tokens_file, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/**
 * tokens_file_new_from_json:
 * @object: a File object of the API document
 *
 * Returns: (transfer full) (nullable): the file, or %NULL if the reply is
 *   not what the API document says
 */
TokensFile *
tokens_file_new_from_json (JsonObject  *object,
                           GError     **error)
{
  g_autoptr(TokensFile) self = g_object_new (TOKENS_TYPE_FILE, NULL);
  const char *name;
  gint64 size;

  if (!tokens_json_get_string (object, "name", TRUE, &name, error) ||
      !tokens_json_get_int (object, "size", TRUE, &size, error) ||
      !tokens_json_get_datetime (object, "updated_at", TRUE, &self->updated_at, error))
    return NULL;

  if (size < 0 || name[0] == '\0')
    {
      g_propagate_error (error, tokens_json_bad_reply (size < 0 ? "size" : "name"));
      return NULL;
    }

  self->name = g_strdup (name);
  self->size = (guint64) size;
  return g_steal_pointer (&self);
}

const char *
tokens_file_get_name (TokensFile *self)
{
  g_return_val_if_fail (TOKENS_IS_FILE (self), NULL);
  return self->name;
}

guint64
tokens_file_get_size (TokensFile *self)
{
  g_return_val_if_fail (TOKENS_IS_FILE (self), 0);
  return self->size;
}

GDateTime *
tokens_file_get_updated_at (TokensFile *self)
{
  g_return_val_if_fail (TOKENS_IS_FILE (self), NULL);
  return self->updated_at;
}

static void
tokens_file_finalize (GObject *object)
{
  TokensFile *self = (TokensFile *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->updated_at, g_date_time_unref);

  G_OBJECT_CLASS (tokens_file_parent_class)->finalize (object);
}

static void
tokens_file_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TokensFile *self = TOKENS_FILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, self->updated_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_file_class_init (TokensFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tokens_file_finalize;
  object_class->get_property = tokens_file_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_SIZE] =
    g_param_spec_uint64 ("size", NULL, NULL, 0, G_MAXUINT64, 0, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_UPDATED_AT] =
    g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_file_init (TokensFile *self)
{
}
