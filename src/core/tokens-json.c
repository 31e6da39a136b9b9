/* tokens-json.c — reading and writing the API's JSON members
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * JSON from the network is untrusted input: every member is checked for
 * its type before it is read (tokens_json_member()), never asserted on.
 * libtokens and tokens-server read with the same check and differ only in
 * what they say when it fails. A reply of the service that is not what
 * the API document says is a TOKENS_ERROR_BAD_RESPONSE (the readers
 * below), so a broken or hostile service cannot crash the app; a request
 * body is the server's to judge, with its own sentences (ts-json.c).
 */

#include "config.h"

#include "tokens-error.h"
#include "tokens-json.h"

/**
 * tokens_json_member:
 * @object: (nullable): an object, or %NULL for none
 * @type: the type the member must have
 * @out: (out) (transfer none): the member when it is of @type, else %NULL
 *
 * Returns: whether the member is there, null, of @type or of another
 */
TokensJsonMember
tokens_json_member (JsonObject      *object,
                    const char      *member,
                    TokensJsonType   type,
                    JsonNode       **out)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;
  gboolean ok = FALSE;

  *out = NULL;

  if (node == NULL)
    return TOKENS_JSON_MEMBER_ABSENT;
  if (JSON_NODE_HOLDS_NULL (node))
    return TOKENS_JSON_MEMBER_NULL;

  switch (type)
    {
    case TOKENS_JSON_STRING:
      ok = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
      break;
    case TOKENS_JSON_INT:
      ok = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
      break;
    case TOKENS_JSON_BOOL:
      ok = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
      break;
    case TOKENS_JSON_OBJECT:
      ok = JSON_NODE_HOLDS_OBJECT (node);
      break;
    case TOKENS_JSON_ARRAY:
      ok = JSON_NODE_HOLDS_ARRAY (node);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    return TOKENS_JSON_MEMBER_WRONG_TYPE;

  *out = node;
  return TOKENS_JSON_MEMBER_OK;
}

/**
 * tokens_json_read_scopes:
 * @array: (nullable): a `scopes` array
 * @out: (out): the scopes, or %TOKENS_SCOPE_NONE when they are not valid
 *
 * A token has at least one scope, each named once or more.
 *
 * Returns: why the list is not one, at its first wrong element
 */
TokensJsonScopes
tokens_json_read_scopes (JsonArray    *array,
                         TokensScopes *out)
{
  TokensScopes scopes = TOKENS_SCOPE_NONE;
  guint n = array ? json_array_get_length (array) : 0;

  *out = TOKENS_SCOPE_NONE;

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      TokensScopes scope;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return TOKENS_JSON_SCOPES_NOT_STRING;
      if (!tokens_scope_from_string (json_node_get_string (node), &scope))
        return TOKENS_JSON_SCOPES_UNKNOWN;
      scopes |= scope;
    }

  if (scopes == TOKENS_SCOPE_NONE)
    return TOKENS_JSON_SCOPES_EMPTY;

  *out = scopes;
  return TOKENS_JSON_SCOPES_OK;
}

GError *
tokens_json_bad_reply (const char *what)
{
  /* The member's name goes to the debug log, not to the person. */
  g_debug ("Unexpected reply from the service: %s", what);

  return tokens_error_new_described (TOKENS_ERROR_BAD_RESPONSE);
}

/* In a reply, null is the same as absent ("no expiry", "never used"). */
static gboolean
reply_member (JsonObject      *object,
              const char      *member,
              TokensJsonType   type,
              gboolean         required,
              JsonNode       **out,
              GError         **error)
{
  switch (tokens_json_member (object, member, type, out))
    {
    case TOKENS_JSON_MEMBER_OK:
      return TRUE;

    case TOKENS_JSON_MEMBER_ABSENT:
    case TOKENS_JSON_MEMBER_NULL:
      if (!required)
        return TRUE;
      break;

    case TOKENS_JSON_MEMBER_WRONG_TYPE:
    default:
      break;
    }

  g_propagate_error (error, tokens_json_bad_reply (member));
  return FALSE;
}

gboolean
tokens_json_get_string (JsonObject  *object,
                        const char  *member,
                        gboolean     required,
                        const char **out,
                        GError     **error)
{
  JsonNode *node;

  *out = NULL;
  if (!reply_member (object, member, TOKENS_JSON_STRING, required, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_string (node);
  return TRUE;
}

gboolean
tokens_json_get_datetime (JsonObject  *object,
                          const char  *member,
                          gboolean     required,
                          GDateTime  **out,
                          GError     **error)
{
  const char *text;

  *out = NULL;
  if (!tokens_json_get_string (object, member, required, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  *out = tokens_wire_parse_time (text);
  if (*out == NULL)
    {
      g_propagate_error (error, tokens_json_bad_reply (member));
      return FALSE;
    }

  return TRUE;
}

gboolean
tokens_json_get_int (JsonObject  *object,
                     const char  *member,
                     gboolean     required,
                     gint64      *out,
                     GError     **error)
{
  JsonNode *node;

  *out = 0;
  if (!reply_member (object, member, TOKENS_JSON_INT, required, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_int (node);
  return TRUE;
}

gboolean
tokens_json_get_bool (JsonObject  *object,
                      const char  *member,
                      gboolean     required,
                      gboolean    *out,
                      GError     **error)
{
  JsonNode *node;

  *out = FALSE;
  if (!reply_member (object, member, TOKENS_JSON_BOOL, required, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
tokens_json_get_object_member (JsonObject  *object,
                               const char  *member,
                               gboolean     required,
                               JsonObject **out,
                               GError     **error)
{
  JsonNode *node;

  *out = NULL;
  if (!reply_member (object, member, TOKENS_JSON_OBJECT, required, &node, error))
    return FALSE;
  if (node != NULL)
    *out = json_node_get_object (node);
  return TRUE;
}

gboolean
tokens_json_get_array (JsonObject  *object,
                       const char  *member,
                       gboolean     required,
                       JsonArray  **out,
                       GError     **error)
{
  JsonNode *node;

  *out = NULL;
  if (!reply_member (object, member, TOKENS_JSON_ARRAY, required, &node, error))
    return FALSE;
  if (node != NULL)
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
                        const char  *member,
                        GError     **error)
{
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, tokens_json_bad_reply ("root"));
      return NULL;
    }

  object = json_node_get_object (node);
  if (member == NULL)
    return object;

  if (!tokens_json_get_object_member (object, member, TRUE, &object, error))
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
                    const char  *member,
                    char       **out,
                    GError     **error)
{
  JsonNode *node;

  *out = NULL;

  if (tokens_json_member (object, member, TOKENS_JSON_INT, &node) == TOKENS_JSON_MEMBER_OK)
    *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  else if (tokens_json_member (object, member, TOKENS_JSON_STRING, &node) == TOKENS_JSON_MEMBER_OK &&
           json_node_get_string (node)[0] != '\0')
    *out = g_strdup (json_node_get_string (node));
  else
    {
      g_propagate_error (error, tokens_json_bad_reply (member));
      return FALSE;
    }

  return TRUE;
}

/**
 * tokens_scopes_from_json:
 * @array: (nullable): the service's `scopes` array
 *
 * An empty list, an unknown name or a non-string is a bad reply: a token
 * whose rights we cannot say must not be shown as if we could.
 */
gboolean
tokens_scopes_from_json (JsonArray     *array,
                         TokensScopes  *out_scopes,
                         GError       **error)
{
  if (tokens_json_read_scopes (array, out_scopes) != TOKENS_JSON_SCOPES_OK)
    {
      g_propagate_error (error, tokens_json_bad_reply ("scopes"));
      return FALSE;
    }

  return TRUE;
}

/**
 * tokens_json_is_null_not_allowed:
 * @object: an error reply's root
 *
 * Returns: whether @object is the answer to a request without the
 *   account security token (TOKENS_WIRE_NULL_NOT_ALLOWED_BODY), and
 *   nothing more
 */
gboolean
tokens_json_is_null_not_allowed (JsonObject *object)
{
  JsonNode *node;

  return tokens_json_member (object, "error", TOKENS_JSON_STRING, &node) == TOKENS_JSON_MEMBER_OK &&
         g_strcmp0 (json_node_get_string (node), TOKENS_WIRE_NULL_NOT_ALLOWED) == 0 &&
         json_object_get_size (object) == 1;
}

/* A string, or null for none. */
void
tokens_json_add_string (JsonBuilder *builder,
                        const char  *member,
                        const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* 0 is written as null: no id, no duration. */
void
tokens_json_add_int (JsonBuilder *builder,
                     const char  *member,
                     gint64       value)
{
  json_builder_set_member_name (builder, member);
  if (value != 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* RFC 3339 in UTC (tokens_wire_format_time()), or null for "never" / "no
 * expiry", which 0 stands for. */
void
tokens_json_add_time (JsonBuilder *builder,
                      const char  *member,
                      gint64       unix_time)
{
  g_autofree char *text = unix_time != 0 ? tokens_wire_format_time (unix_time) : NULL;

  tokens_json_add_string (builder, member, text);
}

/* The wire names of @scopes, "read" first. */
void
tokens_json_add_scopes (JsonBuilder  *builder,
                        const char   *member,
                        TokensScopes  scopes)
{
  g_auto(GStrv) names = tokens_scopes_to_strv (scopes);

  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; names[i] != NULL; i++)
    json_builder_add_string_value (builder, names[i]);
  json_builder_end_array (builder);
}
