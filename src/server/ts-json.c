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
#include "ts-store.h"

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

/* Sets *value to NULL when the member is absent and not required. */
gboolean
ts_json_get_string (JsonObject  *object,
                    const char  *member,
                    gboolean     required,
                    const char **value,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *value = NULL;

  if (node == NULL)
    {
      if (required)
        return invalid (error, "The field “%s” is missing.", member);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, "The field “%s” must be a string.", member);

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
  JsonNode *node = json_object_get_member (object, member);
  gint64 value;

  *present = node != NULL;
  *days = 0;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return invalid (error, "The field “%s” must be a whole number of days, or null for no expiry.", member);

  value = json_node_get_int (node);
  if (value < 1 || value > 3650)
    return invalid (error, "The field “%s” must be from 1 to 3650 days, or null for no expiry.", member);

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
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array;
  guint n;

  *scopes = 0;

  if (node == NULL)
    {
      if (required)
        return invalid (error, "The field “%s” is missing: choose read, write or both.", member);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return invalid (error, "The field “%s” must be a list of scopes: read, write or both.", member);

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const char *scope;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        return invalid (error, "The field “%s” must list scopes as strings: read, write.", member);

      scope = json_node_get_string (element);
      if (g_strcmp0 (scope, "read") == 0)
        *scopes |= TS_SCOPE_READ;
      else if (g_strcmp0 (scope, "write") == 0)
        *scopes |= TS_SCOPE_WRITE;
      else
        return invalid (error, "The field “%s” has an unknown scope: the scopes are read and write.", member);
    }

  if (*scopes == 0)
    return invalid (error, "The field “%s” must have at least one scope: read, write or both.", member);

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

void
ts_json_add_string (JsonBuilder *builder,
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
ts_json_add_int (JsonBuilder *builder,
                 const char  *member,
                 gint64       value)
{
  json_builder_set_member_name (builder, member);
  if (value != 0)
    json_builder_add_int_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* RFC 3339 in UTC, or null for "never" / "no expiry". */
void
ts_json_add_time (JsonBuilder *builder,
                  const char  *member,
                  gint64       unix_time)
{
  json_builder_set_member_name (builder, member);
  if (unix_time != 0)
    {
      g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_time);
      g_autofree char *text = time ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ") : NULL;

      if (text != NULL)
        {
          json_builder_add_string_value (builder, text);
          return;
        }
    }

  json_builder_add_null_value (builder);
}

void
ts_json_add_scopes (JsonBuilder *builder,
                    const char  *member,
                    guint        scopes)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  if (scopes & TS_SCOPE_READ)
    json_builder_add_string_value (builder, "read");
  if (scopes & TS_SCOPE_WRITE)
    json_builder_add_string_value (builder, "write");
  json_builder_end_array (builder);
}
