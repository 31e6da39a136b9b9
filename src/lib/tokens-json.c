/* tokens-json.c — reading the service's JSON, which is untrusted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every member is checked for its type before it is read, and a missing
 * or mistyped one is a TOKENS_ERROR_BAD_RESPONSE, never an assertion: a
 * broken or hostile service must not crash the app.
 */

#include "config.h"

#include "tokens-error.h"
#include "tokens-json-private.h"

GError *
tokens_json_bad_reply (const char *what)
{
  /* The member's name goes to the debug log, not to the person. */
  g_debug ("Unexpected reply from the service: %s", what);

  return tokens_error_new_described (TOKENS_ERROR_BAD_RESPONSE);
}

static JsonNode *
member (JsonObject  *object,
        const char  *name,
        gboolean     required,
        gboolean    *ok,
        GError     **error)
{
  JsonNode *node = object ? json_object_get_member (object, name) : NULL;

  *ok = TRUE;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        {
          g_propagate_error (error, tokens_json_bad_reply (name));
          *ok = FALSE;
        }
      return NULL;
    }

  return node;
}

gboolean
tokens_json_get_string (JsonObject  *object,
                        const char  *name,
                        gboolean     required,
                        const char **out,
                        GError     **error)
{
  gboolean ok;
  JsonNode *node = member (object, name, required, &ok, error);

  *out = NULL;
  if (node == NULL)
    return ok;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_propagate_error (error, tokens_json_bad_reply (name));
      return FALSE;
    }

  *out = json_node_get_string (node);
  return TRUE;
}

gboolean
tokens_json_get_datetime (JsonObject  *object,
                          const char  *name,
                          gboolean     required,
                          GDateTime  **out,
                          GError     **error)
{
  const char *text;

  *out = NULL;
  if (!tokens_json_get_string (object, name, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  *out = g_date_time_new_from_iso8601 (text, NULL);
  if (*out == NULL)
    {
      g_propagate_error (error, tokens_json_bad_reply (name));
      return FALSE;
    }

  return TRUE;
}

gboolean
tokens_json_get_int (JsonObject  *object,
                     const char  *name,
                     gboolean     required,
                     gint64      *out,
                     GError     **error)
{
  gboolean ok;
  JsonNode *node = member (object, name, required, &ok, error);

  *out = 0;
  if (node == NULL)
    return ok;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_propagate_error (error, tokens_json_bad_reply (name));
      return FALSE;
    }

  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
tokens_json_get_bool (JsonObject  *object,
                      const char  *name,
                      gboolean     required,
                      gboolean    *out,
                      GError     **error)
{
  gboolean ok;
  JsonNode *node = member (object, name, required, &ok, error);

  *out = FALSE;
  if (node == NULL)
    return ok;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_propagate_error (error, tokens_json_bad_reply (name));
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
tokens_json_get_object_member (JsonObject  *object,
                               const char  *name,
                               gboolean     required,
                               JsonObject **out,
                               GError     **error)
{
  gboolean ok;
  JsonNode *node = member (object, name, required, &ok, error);

  *out = NULL;
  if (node == NULL)
    return ok;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, tokens_json_bad_reply (name));
      return FALSE;
    }

  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
tokens_json_get_array (JsonObject  *object,
                       const char  *name,
                       gboolean     required,
                       JsonArray  **out,
                       GError     **error)
{
  gboolean ok;
  JsonNode *node = member (object, name, required, &ok, error);

  *out = NULL;
  if (node == NULL)
    return ok;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_propagate_error (error, tokens_json_bad_reply (name));
      return FALSE;
    }

  *out = json_node_get_array (node);
  return TRUE;
}

/**
 * tokens_json_get_object:
 * @node: a reply's root
 * @member: (nullable): a member of the root to descend into, or %NULL for
 *   the root itself
 *
 * Returns: (transfer none) (nullable): the object, or %NULL with @error set
 */
JsonObject *
tokens_json_get_object (JsonNode    *node,
                        const char  *name,
                        GError     **error)
{
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, tokens_json_bad_reply ("root"));
      return NULL;
    }

  object = json_node_get_object (node);
  if (name == NULL)
    return object;

  if (!tokens_json_get_object_member (object, name, TRUE, &object, error))
    return NULL;

  return object;
}

/**
 * tokens_json_get_id:
 * @out: (out) (transfer full): the id as a string
 *
 * Ids are opaque to the client: a number or a string, kept as a string.
 */
gboolean
tokens_json_get_id (JsonObject  *object,
                    const char  *name,
                    char       **out,
                    GError     **error)
{
  gboolean ok;
  JsonNode *node = member (object, name, TRUE, &ok, error);

  *out = NULL;
  if (node == NULL)
    return FALSE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
           json_node_get_string (node)[0] != '\0')
    *out = g_strdup (json_node_get_string (node));
  else
    {
      g_propagate_error (error, tokens_json_bad_reply (name));
      return FALSE;
    }

  return TRUE;
}
