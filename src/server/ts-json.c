/* ts-json.c — reading untrusted JSON, writing ours
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A request body comes from anyone: every member is checked for its type
 * before it is read, and a member we do not know is refused rather than
 * ignored, so a misspelt field is an error and not a silent no-op. Error
 * messages name our own fields only, never echo what was sent.
 */

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "tokens-error.h"
#include "ts-json.h"

static gboolean invalid (GError     **error,
                         const char  *format,
                         ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError     **error,
         const char  *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT, format, args));
  va_end (args);
  return FALSE;
}

gboolean
ts_json_check_members (JsonObject         *object,
                       const char * const *known,
                       GError            **error)
{
  JsonObjectIter iter;
  const char *name;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, NULL))
    {
      if (!g_strv_contains (known, name))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) known);

          return invalid (error, "The body has a field this request does not take; it takes: %s.", list);
        }
    }

  return TRUE;
}

/* Every refusal of a member names it the same way. */
static gboolean
refuse (GError     **error,
        const char  *member,
        const char  *what)
{
  return invalid (error, "The field “%s” %s", member, what);
}

/* The member when it has @type; *node NULL when it is absent and not
 * required. Absent and required is @missing, null or another type
 * @wrong. */
static gboolean
request_member (JsonObject      *object,
                const char      *member,
                TokensJsonType   type,
                gboolean         required,
                const char      *missing,
                const char      *wrong,
                JsonNode       **node,
                GError         **error)
{
  switch (tokens_json_member (object, member, type, node))
    {
    case TOKENS_JSON_MEMBER_OK:
      return TRUE;
    case TOKENS_JSON_MEMBER_ABSENT:
      return !required || refuse (error, member, missing);
    case TOKENS_JSON_MEMBER_NULL:
    case TOKENS_JSON_MEMBER_WRONG_TYPE:
    default:
      return refuse (error, member, wrong);
    }
}

/* Sets *value to NULL when the member is absent and not required; null
 * is not a string. */
gboolean
ts_json_get_string (JsonObject  *object,
                    const char  *member,
                    gboolean     required,
                    const char **value,
                    GError     **error)
{
  JsonNode *node;

  *value = NULL;
  if (!request_member (object, member, TOKENS_JSON_STRING, required,
                       "is missing.", "must be a string.", &node, error))
    return FALSE;

  if (node != NULL)
    *value = json_node_get_string (node);
  return TRUE;
}

/* A duration in whole days, 1 to 3650, or null for "no expiry" (*days is
 * then 0). *present says whether the member was there at all. */
gboolean
ts_json_get_days (JsonObject *object,
                  const char *member,
                  gboolean   *present,
                  gint64     *days,
                  GError    **error)
{
  JsonNode *node;
  gint64 value;

  *present = TRUE;
  *days = 0;

  switch (tokens_json_member (object, member, TOKENS_JSON_INT, &node))
    {
    case TOKENS_JSON_MEMBER_ABSENT:
      *present = FALSE;
      return TRUE;

    case TOKENS_JSON_MEMBER_NULL:
      return TRUE;

    case TOKENS_JSON_MEMBER_WRONG_TYPE:
      return refuse (error, member, "must be a whole number of days, or null for no expiry.");

    case TOKENS_JSON_MEMBER_OK:
    default:
      break;
    }

  value = json_node_get_int (node);
  if (value < 1 || value > 3650)
    return refuse (error, member, "must be from 1 to 3650 days, or null for no expiry.");

  *days = value;
  return TRUE;
}

gboolean
ts_json_get_scopes (JsonObject *object,
                    const char *member,
                    gboolean    required,
                    guint      *scopes,
                    GError    **error)
{
  JsonNode *node;
  TokensScopes read;

  *scopes = 0;

  if (!request_member (object, member, TOKENS_JSON_ARRAY, required,
                       "is missing: choose read, write or both.",
                       "must be a list of scopes: read, write or both.", &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  switch (tokens_json_read_scopes (json_node_get_array (node), &read))
    {
    case TOKENS_JSON_SCOPES_NOT_STRING:
      return refuse (error, member, "must list scopes as strings: read, write.");
    case TOKENS_JSON_SCOPES_UNKNOWN:
      return refuse (error, member, "has an unknown scope: the scopes are read and write.");
    case TOKENS_JSON_SCOPES_EMPTY:
      return refuse (error, member, "must have at least one scope: read, write or both.");
    case TOKENS_JSON_SCOPES_OK:
    default:
      break;
    }

  *scopes = read;
  return TRUE;
}

/**
 * ts_json_write:
 *
 * Writes @node as JSON text that any RFC 8259 reader takes.
 *
 * json-glib 1.6's generator escapes the control characters U+0000 to
 * U+001E but writes U+001F raw, which strict readers (ours among them)
 * refuse. A raw 0x1F byte can only stand inside a string of the output,
 * so it is escaped here. Routes refuse control characters in what they
 * store; this keeps every reply valid whatever reaches it.
 *
 * Returns: (transfer full): the text, NUL-terminated; its length in @len
 */
char *
ts_json_write (JsonNode *node,
               gsize    *len)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  GString *escaped;
  gsize text_len;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &text_len);

  if (memchr (text, 0x1f, text_len) == NULL)
    {
      *len = text_len;
      return g_steal_pointer (&text);
    }

  escaped = g_string_sized_new (text_len + 16);
  for (gsize i = 0; i < text_len; i++)
    {
      if (text[i] == 0x1f)
        g_string_append (escaped, "\\u001f");
      else
        g_string_append_c (escaped, text[i]);
    }
  *len = escaped->len;
  return g_string_free (escaped, FALSE);
}

/* Wipes every string of a request's tree (its passwords among them) once
 * the handler is done with it: json-glib frees them without wiping. */
void
ts_json_wipe (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, NULL, &member))
          ts_json_wipe (member);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          ts_json_wipe (json_array_get_element (array, i));
      }
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        {
          const char *text = json_node_get_string (node);

          if (text != NULL)
            sodium_memzero ((char *) text, strlen (text));
        }
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
}
