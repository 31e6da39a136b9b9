/* test-json-reader.c — the strict reader of request bodies, byte by byte
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tokens-error.h"
#include "ts-json-reader.h"

/* The sentences a client sees; asserted whole, as the API returns them. */
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

/* The reader's promise to everything behind it, checked on every tree a
 * test gets back: each string and member name is valid UTF-8. (A NUL
 * cannot hide in a C string; the tests that decode compare lengths.) */
static void
assert_strings_valid (JsonNode *node)
{
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
            assert_strings_valid (member);
          }
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          assert_strings_valid (json_array_get_element (array, i));
      }
      break;

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        g_assert_true (g_utf8_validate (json_node_get_string (node), -1, NULL));
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
}

static JsonNode *
accept_len (const char *data,
            gsize       len)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  root = ts_json_read (data, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);
  assert_strings_valid (root);

  return root;
}

static JsonNode *
accept (const char *json)
{
  return accept_len (json, strlen (json));
}

static void
refuse_len (const char *data,
            gsize       len,
            const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  root = ts_json_read (data, len, &error);
  g_assert_null (root);
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, message);
}

static void
refuse (const char *json,
        const char *message)
{
  refuse_len (json, strlen (json), message);
}

/* The member "s" of the object @json, compared with @expected byte for
 * byte: a string cut short at a NUL would fail here. */
static void
assert_decodes_to (const char *json,
                   const char *expected)
{
  g_autoptr(JsonNode) root = accept (json);
  const char *value;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  value = json_object_get_string_member (json_node_get_object (root), "s");
  g_assert_nonnull (value);
  g_assert_cmpmem (value, strlen (value), expected, strlen (expected));
}

static void
test_api_bodies_accepted (void)
{
  g_autoptr(JsonNode) token = accept ("{\"name\":\"CI server\",\"scopes\":[\"read\",\"write\"],\"expires_in_days\":30}");
  g_autoptr(JsonNode) signin = accept ("{\"email\":\"a@b.c\",\"password\":\"x\"}");
  g_autoptr(JsonNode) renew = accept ("{\"delete_old\":\"later\",\"expires_in_days\":null}");
  g_autoptr(JsonNode) spaced = accept ("\r\n\t {\n  \"name\" : \"CI server\" ,\n  \"scopes\" : [ ]\n}\n");
  JsonObject *object;
  JsonArray *scopes;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (token));
  object = json_node_get_object (token);
  g_assert_cmpuint (json_object_get_size (object), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "CI server");
  scopes = json_object_get_array_member (object, "scopes");
  g_assert_cmpuint (json_array_get_length (scopes), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (scopes, 0), ==, "read");
  g_assert_cmpstr (json_array_get_string_element (scopes, 1), ==, "write");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (object, "expires_in_days")), ==, G_TYPE_INT64);
  g_assert_cmpint (json_object_get_int_member (object, "expires_in_days"), ==, 30);

  object = json_node_get_object (signin);
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==, "a@b.c");
  g_assert_cmpstr (json_object_get_string_member (object, "password"), ==, "x");

  object = json_node_get_object (renew);
  g_assert_cmpstr (json_object_get_string_member (object, "delete_old"), ==, "later");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (object, "expires_in_days")));

  object = json_node_get_object (spaced);
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "CI server");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "scopes")), ==, 0);
}

static void
test_any_value_at_the_root_accepted (void)
{
  g_autoptr(JsonNode) t = accept ("true");
  g_autoptr(JsonNode) f = accept (" false ");
  g_autoptr(JsonNode) n = accept ("null");
  g_autoptr(JsonNode) i = accept ("-12");
  g_autoptr(JsonNode) s = accept ("\"\"");
  g_autoptr(JsonNode) a = accept ("[true,false,null,{},[]]");
  g_autoptr(JsonNode) o = accept ("{}");

  g_assert_cmpint (json_node_get_value_type (t), ==, G_TYPE_BOOLEAN);
  g_assert_true (json_node_get_boolean (t));
  g_assert_false (json_node_get_boolean (f));
  g_assert_true (JSON_NODE_HOLDS_NULL (n));
  g_assert_cmpint (json_node_get_int (i), ==, -12);
  g_assert_cmpstr (json_node_get_string (s), ==, "");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (a)), ==, 5);
  g_assert_cmpuint (json_object_get_size (json_node_get_object (o)), ==, 0);
}

static void
test_empty_body_refused (void)
{
  refuse_len (NULL, 0, MESSAGE_EMPTY);
  refuse ("", MESSAGE_EMPTY);
  refuse (" \t\r\n", MESSAGE_EMPTY);
}

/* What json-glib let through, and other things that are not JSON. */
static void
test_leniencies_refused (void)
{
  refuse ("{'a':1}", MESSAGE_SYNTAX);
  refuse ("{\"a\":'x'}", MESSAGE_SYNTAX);
  refuse ("{a:1}", MESSAGE_SYNTAX);
  refuse ("/*c*/{\"a\":1}", MESSAGE_SYNTAX);
  refuse ("{\"a\":1,}", MESSAGE_SYNTAX);
  refuse ("[1,]", MESSAGE_SYNTAX);
  refuse ("[,1]", MESSAGE_SYNTAX);
  refuse ("[1,,2]", MESSAGE_SYNTAX);
  refuse ("{,}", MESSAGE_SYNTAX);
  refuse ("{\"a\" 1}", MESSAGE_SYNTAX);
  refuse ("{\"a\":}", MESSAGE_SYNTAX);
  refuse ("{\"a\":1 \"b\":2}", MESSAGE_SYNTAX);
  refuse ("[1 2]", MESSAGE_SYNTAX);
  refuse ("{\"a\"=1}", MESSAGE_SYNTAX);
  refuse ("NaN", MESSAGE_SYNTAX);
  refuse ("[Infinity]", MESSAGE_SYNTAX);
  refuse ("[-Infinity]", MESSAGE_SYNTAX);
  refuse ("undefined", MESSAGE_SYNTAX);
  refuse ("}", MESSAGE_SYNTAX);
  refuse ("]", MESSAGE_SYNTAX);
}

static void
test_literals_must_be_exact (void)
{
  refuse ("True", MESSAGE_SYNTAX);
  refuse ("FALSE", MESSAGE_SYNTAX);
  refuse ("nul", MESSAGE_SYNTAX);
  refuse ("[tru]", MESSAGE_SYNTAX);
  refuse ("truex", MESSAGE_SYNTAX);
  refuse ("[nullnull]", MESSAGE_SYNTAX);
  refuse ("{\"a\":true1}", MESSAGE_SYNTAX);

  {
    g_autoptr(JsonNode) root = accept ("[true ,false\t,null\n]");
    g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 3);
  }
}

static void
test_unfinished_bodies_refused (void)
{
  refuse ("{", MESSAGE_SYNTAX);
  refuse ("[", MESSAGE_SYNTAX);
  refuse ("{\"a\"", MESSAGE_SYNTAX);
  refuse ("{\"a\":", MESSAGE_SYNTAX);
  refuse ("{\"a\":1", MESSAGE_SYNTAX);
  refuse ("{\"a\":1,", MESSAGE_SYNTAX);
  refuse ("[1", MESSAGE_SYNTAX);
  refuse ("\"abc", MESSAGE_SYNTAX);
  refuse ("\"abc\\", MESSAGE_SYNTAX);
  refuse ("-", MESSAGE_SYNTAX);
}

static void
test_more_after_the_value_refused (void)
{
  refuse ("{}{}", MESSAGE_TRAILING);
  refuse ("{\"a\":1}/*c*/", MESSAGE_TRAILING);
  refuse ("{\"a\":1}//c", MESSAGE_TRAILING);
  refuse ("{\"a\":1}#", MESSAGE_TRAILING);
  refuse ("[] []", MESSAGE_TRAILING);
  refuse ("1 2", MESSAGE_TRAILING);
  refuse ("\"a\"\"b\"", MESSAGE_TRAILING);
  refuse ("{},", MESSAGE_TRAILING);
}

/* RFC 8259 whitespace is four bytes; anything else is not. */
static void
test_only_rfc_whitespace_accepted (void)
{
  g_autoptr(JsonNode) root = accept (" \t\n\r[ \t\n\r1 \t\n\r] \t\n\r");

  g_assert_cmpint (json_array_get_int_element (json_node_get_array (root), 0), ==, 1);
  refuse ("\f{}", MESSAGE_SYNTAX);
  refuse ("{}\v", MESSAGE_TRAILING);
  refuse ("[1,\f2]", MESSAGE_SYNTAX);
  refuse ("\xc2\xa0{}", MESSAGE_SYNTAX);         /* NO-BREAK SPACE */
  refuse ("\xef\xbb\xbf{}", MESSAGE_SYNTAX);     /* a byte order mark */
}

static void
test_number_grammar_enforced (void)
{
  refuse ("{\"a\":0x1E}", MESSAGE_SYNTAX);
  refuse ("{\"a\":030}", MESSAGE_SYNTAX);
  refuse ("030", MESSAGE_SYNTAX);
  refuse ("00", MESSAGE_SYNTAX);
  refuse ("-01", MESSAGE_SYNTAX);
  refuse ("+1", MESSAGE_SYNTAX);
  refuse ("[+1]", MESSAGE_SYNTAX);
  refuse (".5", MESSAGE_SYNTAX);
  refuse ("1.", MESSAGE_SYNTAX);
  refuse ("[1.]", MESSAGE_SYNTAX);
  refuse ("1.e3", MESSAGE_SYNTAX);
  refuse ("1e", MESSAGE_SYNTAX);
  refuse ("1e+", MESSAGE_SYNTAX);
  refuse ("1E-", MESSAGE_SYNTAX);
  refuse ("--1", MESSAGE_SYNTAX);
  refuse ("- 1", MESSAGE_SYNTAX);
  refuse ("-a", MESSAGE_SYNTAX);
  refuse ("1a", MESSAGE_SYNTAX);
  refuse ("1_000", MESSAGE_SYNTAX);
}

static void
test_fractions_and_exponents_refused (void)
{
  refuse ("{\"a\":1.5}", MESSAGE_WHOLE);
  refuse ("{\"a\":1e3}", MESSAGE_WHOLE);
  refuse ("1E3", MESSAGE_WHOLE);
  refuse ("1e+3", MESSAGE_WHOLE);
  refuse ("1e-3", MESSAGE_WHOLE);
  refuse ("0.0", MESSAGE_WHOLE);
  refuse ("-0.5", MESSAGE_WHOLE);
  refuse ("30.0", MESSAGE_WHOLE);
  /* Out of range too, but the fraction is what the client must change. */
  refuse ("99999999999999999999.5", MESSAGE_WHOLE);
}

static void
test_integers_in_range_accepted (void)
{
  static const struct {
    const char *json;
    gint64      value;
  } cases[] = {
    { "0", 0 },
    { "-0", 0 },
    { "7", 7 },
    { "-7", -7 },
    { "1234567890", G_GINT64_CONSTANT (1234567890) },
    { "9223372036854775807", G_MAXINT64 },
    { "-9223372036854775807", -G_MAXINT64 },
    { "-9223372036854775808", G_MININT64 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) root = accept (cases[i].json);

      g_assert_cmpint (json_node_get_value_type (root), ==, G_TYPE_INT64);
      g_assert_cmpint (json_node_get_int (root), ==, cases[i].value);
    }

  {
    g_autoptr(JsonNode) root = accept ("{\"a\":-9223372036854775808}");
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "a"), ==, G_MININT64);
  }
}

static void
test_integers_out_of_range_refused (void)
{
  refuse ("{\"a\":9223372036854775808}", MESSAGE_RANGE);
  refuse ("-9223372036854775809", MESSAGE_RANGE);
  refuse ("9223372036854775810", MESSAGE_RANGE);
  refuse ("18446744073709551615", MESSAGE_RANGE);
  refuse ("18446744073709551616", MESSAGE_RANGE);
  refuse ("-18446744073709551616", MESSAGE_RANGE);
  /* Wraps to a small number if overflow is checked carelessly. */
  refuse ("18446744073709551617", MESSAGE_RANGE);
  refuse ("[99999999999999999999999999999999999999999]", MESSAGE_RANGE);
}

static void
test_escapes_decoded (void)
{
  assert_decodes_to ("{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "\"\\/\b\f\n\r\t");
  assert_decodes_to ("{\"s\":\"caf\\u00e9 caf\\u00E9\"}", "caf\xc3\xa9 caf\xc3\xa9");
  assert_decodes_to ("{\"s\":\"\\u0041\\u20AC\\u20ac\"}", "A\xe2\x82\xac\xe2\x82\xac");
  assert_decodes_to ("{\"s\":\"\\u001f\\u007f\"}", "\x1f\x7f");
  assert_decodes_to ("{\"s\":\"raw caf\xc3\xa9 \xf0\x9f\x98\x80\"}", "raw caf\xc3\xa9 \xf0\x9f\x98\x80");
  /* DEL is not a control character to JSON. */
  assert_decodes_to ("{\"s\":\"a\x7f" "b\"}", "a\x7f" "b");
}

static void
test_unknown_escapes_refused (void)
{
  refuse ("\"\\a\"", MESSAGE_ESCAPE);
  refuse ("\"\\'\"", MESSAGE_ESCAPE);
  refuse ("\"\\x41\"", MESSAGE_ESCAPE);
  refuse ("\"\\0\"", MESSAGE_ESCAPE);
  refuse ("\"\\U0041\"", MESSAGE_ESCAPE);
  refuse ("\"\\u12\"", MESSAGE_ESCAPE);
  refuse ("\"\\u12G4\"", MESSAGE_ESCAPE);
  refuse ("\"\\u 123\"", MESSAGE_ESCAPE);
  refuse ("\"\\u123", MESSAGE_ESCAPE);
  refuse ("\"\\\xc3\xa9\"", MESSAGE_ESCAPE);
}

static void
test_surrogate_pair_combined (void)
{
  g_autoptr(JsonNode) root = accept ("{\"name\":\"\\ud83d\\ude00\"}");

  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "name"), ==, "😀");
  assert_decodes_to ("{\"s\":\"\\uD83D\\uDE00!\"}", "\xf0\x9f\x98\x80!");
  /* The lowest and highest code points a pair can name. */
  assert_decodes_to ("{\"s\":\"\\ud800\\udc00\"}", "\xf0\x90\x80\x80");
  assert_decodes_to ("{\"s\":\"\\udbff\\udfff\"}", "\xf4\x8f\xbf\xbf");
}

static void
test_lone_surrogate_refused (void)
{
  refuse ("{\"name\":\"\\udc00abc\"}", MESSAGE_SURROGATE);
  refuse ("{\"name\":\"\\ude00\\ud83d\"}", MESSAGE_SURROGATE);
  refuse ("{\"name\":\"\\ud83d\"}", MESSAGE_SURROGATE);
  refuse ("{\"name\":\"\\ud83dabc\"}", MESSAGE_SURROGATE);
  refuse ("{\"name\":\"\\ud83d\\u0041\"}", MESSAGE_SURROGATE);
  refuse ("{\"name\":\"\\ud83d\\ud83d\"}", MESSAGE_SURROGATE);
  refuse ("{\"name\":\"\\ud83d\\n\"}", MESSAGE_SURROGATE);
  refuse ("{\"name\":\"\\ud83d \\ude00\"}", MESSAGE_SURROGATE);
  refuse ("\"\\ud83d", MESSAGE_SURROGATE);
  refuse ("{\"\\udfff\":1}", MESSAGE_SURROGATE);
  /* A pair whose second half is malformed is a bad escape. */
  refuse ("\"\\ud83d\\uZZZZ\"", MESSAGE_ESCAPE);
}

static void
test_nul_escape_refused (void)
{
  refuse ("{\"a\":\"a\\u0000b\"}", MESSAGE_NUL_ESCAPE);
  refuse ("{\"p\":\"abcdefgh\\u0000rest\"}", MESSAGE_NUL_ESCAPE);
  refuse ("{\"password\":\"\\u0000\"}", MESSAGE_NUL_ESCAPE);
  refuse ("{\"a\\u0000b\":1}", MESSAGE_NUL_ESCAPE);
  refuse ("[\"\\u0000\"]", MESSAGE_NUL_ESCAPE);
}

static void
test_raw_nul_byte_refused (void)
{
  static const char in_string[] = "{\"p\":\"abc\0def\"}";
  static const char after[] = "{}\0";
  static const char outside[] = "{\0}";

  refuse_len (in_string, sizeof in_string - 1, MESSAGE_NUL_BYTE);
  refuse_len (after, sizeof after - 1, MESSAGE_NUL_BYTE);
  refuse_len (outside, sizeof outside - 1, MESSAGE_NUL_BYTE);
}

static void
test_raw_control_characters_refused (void)
{
  refuse ("{\"a\":\"tab\there\"}", MESSAGE_CONTROL);
  refuse ("{\"a\":\"line\nbreak\"}", MESSAGE_CONTROL);
  refuse ("{\"a\":\"\r\"}", MESSAGE_CONTROL);
  refuse ("{\"a\":\"\x01\"}", MESSAGE_CONTROL);
  refuse ("{\"a\":\"\x1f\"}", MESSAGE_CONTROL);
  refuse ("{\"\x1b\":1}", MESSAGE_CONTROL);
}

static void
test_invalid_utf8_refused (void)
{
  refuse ("{\"a\":\"\xff\"}", MESSAGE_UTF8);
  refuse ("{\"a\":\"\xc0\xaf\"}", MESSAGE_UTF8);              /* overlong '/' */
  refuse ("{\"a\":\"\xe0\x80\xaf\"}", MESSAGE_UTF8);          /* overlong '/' */
  refuse ("{\"a\":\"\xed\xb0\x80" "abc\"}", MESSAGE_UTF8);    /* U+DC00, encoded */
  refuse ("{\"a\":\"\xed\xa0\xbd\xed\xb8\x80\"}", MESSAGE_UTF8); /* CESU-8 pair */
  refuse ("{\"a\":\"\xf4\x90\x80\x80\"}", MESSAGE_UTF8);      /* above U+10FFFF */
  refuse ("{\"a\":\"\xe2\x82\"}", MESSAGE_UTF8);              /* cut short */
  refuse ("{\"\x80\":1}", MESSAGE_UTF8);
  refuse ("[1]\xfe", MESSAGE_UTF8);
}

static void
test_duplicate_member_refused (void)
{
  refuse ("{\"a\":1,\"a\":2}", MESSAGE_DUPLICATE);
  refuse ("{\"a\":1,\"b\":2,\"a\":1}", MESSAGE_DUPLICATE);
  refuse ("{\"password\":\"x\",\"\\u0070assword\":\"y\"}", MESSAGE_DUPLICATE);
  refuse ("{\"outer\":{\"a\":1,\"a\":1}}", MESSAGE_DUPLICATE);
  refuse ("[{\"\":1,\"\":2}]", MESSAGE_DUPLICATE);

  {
    /* The same name in two objects, and names differing in case, are fine. */
    g_autoptr(JsonNode) root = accept ("{\"a\":{\"a\":1},\"b\":{\"a\":2},\"A\":3,\"\":4}");
    g_assert_cmpuint (json_object_get_size (json_node_get_object (root)), ==, 4);
  }
}

static char *
nested (guint       depth,
        const char *open,
        const char *inner,
        const char *close)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (s, open);
  g_string_append (s, inner);
  for (guint i = 0; i < depth; i++)
    g_string_append (s, close);

  return g_string_free (s, FALSE);
}

static void
test_nesting_to_the_limit_accepted (void)
{
  g_autofree char *arrays = nested (TS_JSON_MAX_DEPTH, "[", "", "]");
  g_autofree char *objects = nested (TS_JSON_MAX_DEPTH, "{\"a\":", "1", "}");
  /* 15 arrays and 15 objects, then two more arrays. */
  g_autofree char *mixed = nested (TS_JSON_MAX_DEPTH / 2 - 1, "[{\"a\":", "[[]]", "}]");
  g_autoptr(JsonNode) a = NULL;
  g_autoptr(JsonNode) o = NULL;
  g_autoptr(JsonNode) m = NULL;
  JsonNode *node;
  guint depth = 1;

  g_assert_cmpint (TS_JSON_MAX_DEPTH, ==, 32);

  a = accept (arrays);
  for (node = a; json_array_get_length (json_node_get_array (node)) > 0; depth++)
    node = json_array_get_element (json_node_get_array (node), 0);
  g_assert_cmpuint (depth, ==, TS_JSON_MAX_DEPTH);

  o = accept (objects);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (o));

  m = accept (mixed);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (m));
}

static void
test_nesting_past_the_limit_refused (void)
{
  g_autofree char *arrays = nested (TS_JSON_MAX_DEPTH + 1, "[", "", "]");
  g_autofree char *objects = nested (TS_JSON_MAX_DEPTH + 1, "{\"a\":", "1", "}");
  /* 16 arrays and 16 objects around the 33rd, an array. */
  g_autofree char *mixed = nested (TS_JSON_MAX_DEPTH / 2, "[{\"a\":", "[]", "}]");
  g_autofree char *empty_object = nested (TS_JSON_MAX_DEPTH, "[", "{}", "]");

  refuse (arrays, MESSAGE_DEPTH);
  refuse (objects, MESSAGE_DEPTH);
  refuse (mixed, MESSAGE_DEPTH);
  refuse (empty_object, MESSAGE_DEPTH);
}

/* Refused at the 33rd bracket, without a stack frame per bracket: a
 * recursive reader without a limit overflows its stack here. */
static void
test_deep_nesting_refused_quickly (void)
{
  const gsize n = 100000;
  g_autofree char *open = g_malloc (n);
  g_autofree char *balanced = nested (n, "[", "", "]");
  gint64 start;

  memset (open, '[', n);

  start = g_get_monotonic_time ();
  refuse_len (open, n, MESSAGE_DEPTH);
  refuse (balanced, MESSAGE_DEPTH);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
}

/* A body can hold a password: whatever is wrong with it, the error must
 * not carry any of it back to the client or into a log. */
static void
test_errors_never_quote_the_body (void)
{
#define SECRET "Zq9#xK7!pW-s3cr3t"
  static const char secret[] = SECRET;
  static const char * const bodies[] = {
    "{\"password\":\"" SECRET "\\u0000\"}",
    "{\"password\":\"" SECRET "\\udc00\"}",
    "{\"password\":\"" SECRET "\\ud83d" SECRET "\"}",
    "{\"password\":\"" SECRET "\\q\"}",
    "{\"password\":\"" SECRET "\t\"}",
    "{\"password\":\"" SECRET "\xff\"}",
    "{\"password\":\"" SECRET "\"",
    "{\"password\":'" SECRET "'}",
    "{\"password\":" SECRET "}",
    "{" SECRET ":1}",
    "{\"" SECRET "\":1,\"" SECRET "\":2}",
    "{\"password\":\"" SECRET "\"}" SECRET,
    "{\"password\":\"" SECRET "\"}/*" SECRET "*/",
    "{\"password\":\"" SECRET "\",}",
    "[1.5,\"" SECRET "\"]",
    "[99999999999999999999,\"" SECRET "\"]",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"" SECRET "\"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    SECRET,
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = ts_json_read (bodies[i], strlen (bodies[i]), &error);

      g_assert_null (root);
      g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT);

      /* Not even three bytes of it in a row. */
      for (gsize j = 0; j + 3 <= strlen (secret); j++)
        {
          g_autofree char *piece = g_strndup (&secret[j], 3);

          g_assert_null (strstr (error->message, piece));
        }
    }
#undef SECRET
}

/* The old parser kept the first NUL-free prefix; this one keeps nothing
 * shorter than what was sent. */
static void
test_decoded_strings_keep_their_length (void)
{
  g_autoptr(JsonNode) root = accept ("{\"password\":\"p\\u00e4ss\\/w\\\"rd\\\\\",\"e\":\"\"}");
  JsonObject *object = json_node_get_object (root);
  const char *password = json_object_get_string_member (object, "password");

  g_assert_cmpmem (password, strlen (password), "p\xc3\xa4ss/w\"rd\\", 11);
  g_assert_cmpstr (json_object_get_string_member (object, "e"), ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-reader/api-bodies-accepted", test_api_bodies_accepted);
  g_test_add_func ("/json-reader/any-value-at-the-root-accepted", test_any_value_at_the_root_accepted);
  g_test_add_func ("/json-reader/empty-body-refused", test_empty_body_refused);
  g_test_add_func ("/json-reader/leniencies-refused", test_leniencies_refused);
  g_test_add_func ("/json-reader/literals-must-be-exact", test_literals_must_be_exact);
  g_test_add_func ("/json-reader/unfinished-bodies-refused", test_unfinished_bodies_refused);
  g_test_add_func ("/json-reader/more-after-the-value-refused", test_more_after_the_value_refused);
  g_test_add_func ("/json-reader/only-rfc-whitespace-accepted", test_only_rfc_whitespace_accepted);
  g_test_add_func ("/json-reader/number-grammar-enforced", test_number_grammar_enforced);
  g_test_add_func ("/json-reader/fractions-and-exponents-refused", test_fractions_and_exponents_refused);
  g_test_add_func ("/json-reader/integers-in-range-accepted", test_integers_in_range_accepted);
  g_test_add_func ("/json-reader/integers-out-of-range-refused", test_integers_out_of_range_refused);
  g_test_add_func ("/json-reader/escapes-decoded", test_escapes_decoded);
  g_test_add_func ("/json-reader/unknown-escapes-refused", test_unknown_escapes_refused);
  g_test_add_func ("/json-reader/surrogate-pair-combined", test_surrogate_pair_combined);
  g_test_add_func ("/json-reader/lone-surrogate-refused", test_lone_surrogate_refused);
  g_test_add_func ("/json-reader/nul-escape-refused", test_nul_escape_refused);
  g_test_add_func ("/json-reader/raw-nul-byte-refused", test_raw_nul_byte_refused);
  g_test_add_func ("/json-reader/raw-control-characters-refused", test_raw_control_characters_refused);
  g_test_add_func ("/json-reader/invalid-utf8-refused", test_invalid_utf8_refused);
  g_test_add_func ("/json-reader/duplicate-member-refused", test_duplicate_member_refused);
  g_test_add_func ("/json-reader/nesting-to-the-limit-accepted", test_nesting_to_the_limit_accepted);
  g_test_add_func ("/json-reader/nesting-past-the-limit-refused", test_nesting_past_the_limit_refused);
  g_test_add_func ("/json-reader/deep-nesting-refused-quickly", test_deep_nesting_refused_quickly);
  g_test_add_func ("/json-reader/errors-never-quote-the-body", test_errors_never_quote_the_body);
  g_test_add_func ("/json-reader/decoded-strings-keep-their-length", test_decoded_strings_keep_their_length);

  return g_test_run ();
}
