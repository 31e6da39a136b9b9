/* ts-json-reader.c — the one strict reader of request bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * RFC 8259 and nothing more. json-glib's JsonParser is lenient (comments,
 * single quotes, hex and octal-looking numbers, several values in a row),
 * and a body checked for UTF-8 before it is unescaped lets "\udc00" put
 * invalid UTF-8 in the database and "\u0000" cut a password short. Here
 * each string is checked as it is decoded, numbers must be whole and fit
 * in a gint64, and a member named twice is refused instead of one of the
 * two winning without anyone noticing.
 *
 * One pass over the bytes; the recursion stops at TS_JSON_MAX_DEPTH, so a
 * body of a hundred thousand '[' costs 33 stack frames, not a crash.
 *
 * Every error is a fixed sentence: a body can hold a password, so no byte
 * of it may reach an error message, and from there a response or a log.
 */

#include "config.h"

#include <string.h>

#include "tokens-error.h"
#include "ts-json-reader.h"

#define MESSAGE_EMPTY         "The body is empty."
#define MESSAGE_SYNTAX        "The body is not valid JSON."
#define MESSAGE_UTF8          "The body is not valid UTF-8."
#define MESSAGE_NUL_BYTE      "The body has a NUL byte, which is not allowed."
#define MESSAGE_NUL_ESCAPE    "A string in the body has a NUL character (\\u0000), which is not allowed."
#define MESSAGE_SURROGATE     "A string in the body has a lone UTF-16 surrogate escape."
#define MESSAGE_CONTROL       "A string in the body has a control character that is not escaped."
#define MESSAGE_ESCAPE        "A string in the body has an escape sequence JSON does not have."
#define MESSAGE_WHOLE         "Numbers in the body must be whole numbers."
#define MESSAGE_RANGE         "A number in the body is out of range."
#define MESSAGE_DUPLICATE     "The body names a member twice."
#define MESSAGE_DEPTH         "The body is nested too deeply."
#define MESSAGE_TRAILING      "The body has more after its JSON value."

typedef struct
{
  const guchar *p;
  const guchar *end;
  GString      *scratch;   /* the string being unescaped, reused for each */
  GError      **error;
} TsJsonReader;

static JsonNode *read_value (TsJsonReader *reader,
                             guint         depth);

/* Always a literal: see the top of the file. */
static gpointer
fail (TsJsonReader *reader,
      const char   *message)
{
  g_set_error_literal (reader->error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT, message);
  return NULL;
}

static void
skip_whitespace (TsJsonReader *reader)
{
  while (reader->p < reader->end &&
         (*reader->p == ' ' || *reader->p == '\t' || *reader->p == '\n' || *reader->p == '\r'))
    reader->p++;
}

/* A number or a literal must end where a value can end, so "030", "0x1E",
 * "1true" and "nullx" are one bad token rather than two good ones. */
static gboolean
at_value_end (TsJsonReader *reader)
{
  if (reader->p == reader->end)
    return TRUE;

  switch (*reader->p)
    {
    case ' ': case '\t': case '\n': case '\r':
    case ',': case ']': case '}':
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
read_hex4 (TsJsonReader *reader,
           gunichar     *out)
{
  gunichar value = 0;

  if (reader->end - reader->p < 4)
    return FALSE;

  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (reader->p[i]);

      if (digit < 0)
        return FALSE;
      value = (value << 4) | (gunichar) digit;
    }

  reader->p += 4;
  *out = value;
  return TRUE;
}

/* Decodes the string at reader->p (on its opening quote) into
 * reader->scratch and returns it, valid until the next string is read.
 * The body as a whole is valid UTF-8 already and a run of raw bytes is
 * only ever cut at an ASCII byte, so what is copied stays valid; what is
 * unescaped is checked here. */
static const char *
read_string (TsJsonReader *reader)
{
  g_string_truncate (reader->scratch, 0);
  reader->p++;

  for (;;)
    {
      const guchar *run = reader->p;
      gunichar c;

      while (reader->p < reader->end && *reader->p >= 0x20 && *reader->p != '"' && *reader->p != '\\')
        reader->p++;
      g_string_append_len (reader->scratch, (const char *) run, reader->p - run);

      if (reader->p == reader->end)
        return fail (reader, MESSAGE_SYNTAX);

      if (*reader->p == '"')
        {
          reader->p++;
          return reader->scratch->str;
        }

      if (*reader->p < 0x20)
        return fail (reader, MESSAGE_CONTROL);

      /* A backslash. */
      reader->p++;
      if (reader->p == reader->end)
        return fail (reader, MESSAGE_SYNTAX);

      switch (*reader->p++)
        {
        case '"': g_string_append_c (reader->scratch, '"'); continue;
        case '\\': g_string_append_c (reader->scratch, '\\'); continue;
        case '/': g_string_append_c (reader->scratch, '/'); continue;
        case 'b': g_string_append_c (reader->scratch, '\b'); continue;
        case 'f': g_string_append_c (reader->scratch, '\f'); continue;
        case 'n': g_string_append_c (reader->scratch, '\n'); continue;
        case 'r': g_string_append_c (reader->scratch, '\r'); continue;
        case 't': g_string_append_c (reader->scratch, '\t'); continue;
        case 'u': break;
        default: return fail (reader, MESSAGE_ESCAPE);
        }

      if (!read_hex4 (reader, &c))
        return fail (reader, MESSAGE_ESCAPE);

      /* Any NUL in a string would cut it short in C, SQLite and crypto_pwhash. */
      if (c == 0)
        return fail (reader, MESSAGE_NUL_ESCAPE);

      if (c >= 0xDC00 && c <= 0xDFFF)
        return fail (reader, MESSAGE_SURROGATE);

      if (c >= 0xD800 && c <= 0xDBFF)
        {
          gunichar low;

          if (reader->end - reader->p < 2 || reader->p[0] != '\\' || reader->p[1] != 'u')
            return fail (reader, MESSAGE_SURROGATE);
          reader->p += 2;

          if (!read_hex4 (reader, &low))
            return fail (reader, MESSAGE_ESCAPE);
          if (low < 0xDC00 || low > 0xDFFF)
            return fail (reader, MESSAGE_SURROGATE);

          c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        }

      g_string_append_unichar (reader->scratch, c);
    }
}

static gboolean
is_digit (TsJsonReader *reader)
{
  return reader->p < reader->end && g_ascii_isdigit (*reader->p);
}

/* The whole RFC grammar is read first, so "1.5" says "whole numbers" and
 * "1." says "not JSON"; only then are fractions and range refused. */
static JsonNode *
read_number (TsJsonReader *reader)
{
  gboolean negative = FALSE;
  gboolean whole = TRUE;
  gboolean overflow = FALSE;
  guint64 limit;
  guint64 magnitude = 0;
  gint64 value;

  if (*reader->p == '-')
    {
      negative = TRUE;
      reader->p++;
    }

  /* G_MININT64 has no positive counterpart: count the magnitude unsigned. */
  limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;

  if (!is_digit (reader))
    return fail (reader, MESSAGE_SYNTAX);

  if (*reader->p == '0')
    reader->p++;
  else
    {
      while (is_digit (reader))
        {
          guint digit = *reader->p++ - '0';

          if (overflow || magnitude > (limit - digit) / 10)
            overflow = TRUE;
          else
            magnitude = magnitude * 10 + digit;
        }
    }

  if (reader->p < reader->end && *reader->p == '.')
    {
      reader->p++;
      if (!is_digit (reader))
        return fail (reader, MESSAGE_SYNTAX);
      while (is_digit (reader))
        reader->p++;
      whole = FALSE;
    }

  if (reader->p < reader->end && (*reader->p == 'e' || *reader->p == 'E'))
    {
      reader->p++;
      if (reader->p < reader->end && (*reader->p == '+' || *reader->p == '-'))
        reader->p++;
      if (!is_digit (reader))
        return fail (reader, MESSAGE_SYNTAX);
      while (is_digit (reader))
        reader->p++;
      whole = FALSE;
    }

  if (!at_value_end (reader))
    return fail (reader, MESSAGE_SYNTAX);
  if (!whole)
    return fail (reader, MESSAGE_WHOLE);
  if (overflow)
    return fail (reader, MESSAGE_RANGE);

  if (!negative)
    value = (gint64) magnitude;
  else if (magnitude == limit)
    value = G_MININT64;
  else
    value = -(gint64) magnitude;

  return json_node_init_int (json_node_alloc (), value);
}

static gboolean
read_literal (TsJsonReader *reader,
              const char   *literal)
{
  gsize len = strlen (literal);

  if ((gsize) (reader->end - reader->p) < len || memcmp (reader->p, literal, len) != 0)
    return FALSE;

  reader->p += len;
  return at_value_end (reader);
}

static JsonNode *
read_array (TsJsonReader *reader,
            guint         depth)
{
  g_autoptr(JsonArray) array = json_array_new ();

  reader->p++;
  skip_whitespace (reader);

  if (reader->p < reader->end && *reader->p == ']')
    reader->p++;
  else
    {
      for (;;)
        {
          JsonNode *element;

          skip_whitespace (reader);
          if ((element = read_value (reader, depth)) == NULL)
            return NULL;
          json_array_add_element (array, element);

          skip_whitespace (reader);
          if (reader->p == reader->end)
            return fail (reader, MESSAGE_SYNTAX);
          if (*reader->p == ']')
            {
              reader->p++;
              break;
            }
          if (*reader->p != ',')
            return fail (reader, MESSAGE_SYNTAX);
          reader->p++;
        }
    }

  return json_node_init_array (json_node_alloc (), array);
}

static JsonNode *
read_object (TsJsonReader *reader,
             guint         depth)
{
  g_autoptr(JsonObject) object = json_object_new ();

  reader->p++;
  skip_whitespace (reader);

  if (reader->p < reader->end && *reader->p == '}')
    reader->p++;
  else
    {
      for (;;)
        {
          g_autofree char *name = NULL;
          JsonNode *member;

          /* Also where unquoted and single-quoted names, and a comma
           * before the closing brace, end up. */
          skip_whitespace (reader);
          if (reader->p == reader->end || *reader->p != '"')
            return fail (reader, MESSAGE_SYNTAX);
          if (read_string (reader) == NULL)
            return NULL;
          name = g_strndup (reader->scratch->str, reader->scratch->len);

          /* Readers disagree on which of two values wins; refusing both
           * leaves no room for a check and a use to see different ones. */
          if (json_object_has_member (object, name))
            return fail (reader, MESSAGE_DUPLICATE);

          skip_whitespace (reader);
          if (reader->p == reader->end || *reader->p != ':')
            return fail (reader, MESSAGE_SYNTAX);
          reader->p++;

          skip_whitespace (reader);
          if ((member = read_value (reader, depth)) == NULL)
            return NULL;
          json_object_set_member (object, name, member);

          skip_whitespace (reader);
          if (reader->p == reader->end)
            return fail (reader, MESSAGE_SYNTAX);
          if (*reader->p == '}')
            {
              reader->p++;
              break;
            }
          if (*reader->p != ',')
            return fail (reader, MESSAGE_SYNTAX);
          reader->p++;
        }
    }

  return json_node_init_object (json_node_alloc (), object);
}

/* @depth: how many arrays and objects hold the value at reader->p */
static JsonNode *
read_value (TsJsonReader *reader,
            guint         depth)
{
  if (reader->p == reader->end)
    return fail (reader, MESSAGE_SYNTAX);

  switch (*reader->p)
    {
    case '{':
    case '[':
      if (depth >= TS_JSON_MAX_DEPTH)
        return fail (reader, MESSAGE_DEPTH);
      if (*reader->p == '{')
        return read_object (reader, depth + 1);
      return read_array (reader, depth + 1);

    case '"':
      {
        const char *string = read_string (reader);

        if (string == NULL)
          return NULL;
        return json_node_init_string (json_node_alloc (), string);
      }

    case 't':
      if (!read_literal (reader, "true"))
        return fail (reader, MESSAGE_SYNTAX);
      return json_node_init_boolean (json_node_alloc (), TRUE);

    case 'f':
      if (!read_literal (reader, "false"))
        return fail (reader, MESSAGE_SYNTAX);
      return json_node_init_boolean (json_node_alloc (), FALSE);

    case 'n':
      if (!read_literal (reader, "null"))
        return fail (reader, MESSAGE_SYNTAX);
      return json_node_init_null (json_node_alloc ());

    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return read_number (reader);

    default:
      return fail (reader, MESSAGE_SYNTAX);
    }
}

/**
 * ts_json_read:
 * @data: (array length=len): a request body, from anyone
 * @len: its length in bytes
 * @error: where to put why it is refused
 *
 * Reads exactly one RFC 8259 JSON value, and only what the service can
 * store faithfully: strings that are valid UTF-8 after unescaping and
 * hold no NUL, whole numbers that fit in a gint64, objects that name each
 * member once, nesting at most %TS_JSON_MAX_DEPTH deep. The error, always
 * %TOKENS_ERROR_INVALID_INPUT, never quotes the body.
 *
 * Returns: (transfer full): the document's root node, or %NULL with @error set
 */
JsonNode *
ts_json_read (const char  *data,
              gsize        len,
              GError     **error)
{
  g_autoptr(GString) scratch = NULL;
  g_autoptr(JsonNode) root = NULL;
  TsJsonReader reader;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Before any pointer arithmetic: @data may be NULL here. */
  if (len == 0)
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT, MESSAGE_EMPTY);
      return NULL;
    }

  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT, MESSAGE_NUL_BYTE);
      return NULL;
    }

  /* Once for the whole body, so the string reader can copy raw bytes as
   * they are. GLib also refuses overlong forms and encoded surrogates. */
  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT, MESSAGE_UTF8);
      return NULL;
    }

  scratch = g_string_sized_new (64);
  reader.p = (const guchar *) data;
  reader.end = reader.p + len;
  reader.scratch = scratch;
  reader.error = error;

  skip_whitespace (&reader);
  if (reader.p == reader.end)
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT, MESSAGE_EMPTY);
      return NULL;
    }

  if ((root = read_value (&reader, 0)) == NULL)
    return NULL;

  skip_whitespace (&reader);
  if (reader.p != reader.end)
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT, MESSAGE_TRAILING);
      return NULL;
    }

  return g_steal_pointer (&root);
}
