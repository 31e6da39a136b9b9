/* fuzz-json-reader.c — any bytes into ts_json_read()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Beyond "does not crash": a refused body is refused in our own domain; an
 * accepted one holds only valid UTF-8, and what json-glib writes of it
 * reads back, through the same strict reader, as an equal tree: a
 * surrogate let through, or an escape decoded wrongly, breaks one of them.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tokens-error.h"
#include "ts-json.h"
#include "ts-json-reader.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* A NUL cannot be seen in a C string once it is in the tree (that \u0000
 * is refused, not cut short, is the unit tests' job), so here it is the
 * UTF-8 of every string and member name, and the kinds of value. */
static void
check_strings (JsonNode *node,
               guint     depth)
{
  g_assert_cmpuint (depth, <=, TS_JSON_MAX_DEPTH);

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          {
            g_assert_true (g_utf8_validate (name, -1, NULL));
            check_strings (member, depth + 1);
          }
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          check_strings (json_array_get_element (array, i), depth + 1);
      }
      break;

    case JSON_NODE_VALUE:
      {
        GType type = json_node_get_value_type (node);

        /* Only whole numbers: no double ever comes out of the reader. */
        g_assert_true (type == G_TYPE_STRING || type == G_TYPE_INT64 || type == G_TYPE_BOOLEAN);
        if (type == G_TYPE_STRING)
          g_assert_true (g_utf8_validate (json_node_get_string (node), -1, NULL));
      }
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  gsize len = 0;
  gsize len_again = 0;

  root = ts_json_read ((const char *) data, size, &error);
  if (root == NULL)
    {
      g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);

  check_strings (root, 0);

  /* Our writer (ts_json_write(), json-glib's generator made strict). */
  text = ts_json_write (root, &len);

  again = ts_json_read (text, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
  g_assert_true (json_node_equal (root, again));

  /* And once more: the writer is deterministic, so the text is a fixed point. */
  text_again = ts_json_write (again, &len_again);
  g_assert_cmpmem (text, len, text_again, len_again);

  return 0;
}
