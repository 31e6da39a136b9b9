/* test-wire.c — the API's words, as libtokens reads and tokens-server writes them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * src/core spells the scopes, the account security token's states, the
 * time format and the seed's "null not allowed" once for both sides; the
 * strings here are data/tokens-api.yaml's, so a change that would break
 * the contract fails here and not in a person's app.
 */

#include "config.h"

#include "tokens-core.h"
#include "tokens-json.h"

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

static char *
write_members (void (*add) (JsonBuilder *builder))
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

static void
test_scope_names_are_read_and_write (void)
{
  g_auto(GStrv) both = tokens_scopes_to_strv (TOKENS_SCOPES_ALL);
  g_auto(GStrv) write = tokens_scopes_to_strv (TOKENS_SCOPE_WRITE);
  TokensScopes scope = TOKENS_SCOPE_NONE;

  g_assert_cmpstr (tokens_scope_to_string (TOKENS_SCOPE_READ), ==, "read");
  g_assert_cmpstr (tokens_scope_to_string (TOKENS_SCOPE_WRITE), ==, "write");
  g_assert_null (tokens_scope_to_string (TOKENS_SCOPES_ALL));
  g_assert_cmpstrv (both, ((const char *[]) { "read", "write", NULL }));
  g_assert_cmpstrv (write, ((const char *[]) { "write", NULL }));

  g_assert_true (tokens_scope_from_string ("read", &scope));
  g_assert_cmpint (scope, ==, TOKENS_SCOPE_READ);
  g_assert_false (tokens_scope_from_string ("READ", &scope));
  g_assert_false (tokens_scope_from_string ("admin", NULL));
  g_assert_false (tokens_scope_from_string (NULL, NULL));

  /* tokens-server keeps these numbers in its databases. */
  g_assert_cmpint (TOKENS_SCOPE_READ, ==, 1);
  g_assert_cmpint (TOKENS_SCOPE_WRITE, ==, 2);
}

static void
test_scope_lists_say_what_is_wrong_first (void)
{
  static const struct {
    const char       *json;
    TokensJsonScopes  status;
    TokensScopes      scopes;
  } cases[] = {
    { "{\"s\": [\"read\"]}", TOKENS_JSON_SCOPES_OK, TOKENS_SCOPE_READ },
    { "{\"s\": [\"write\", \"read\", \"write\"]}", TOKENS_JSON_SCOPES_OK, TOKENS_SCOPES_ALL },
    { "{\"s\": []}", TOKENS_JSON_SCOPES_EMPTY, TOKENS_SCOPE_NONE },
    { "{\"s\": [\"read\", 1]}", TOKENS_JSON_SCOPES_NOT_STRING, TOKENS_SCOPE_NONE },
    { "{\"s\": [\"admin\", 1]}", TOKENS_JSON_SCOPES_UNKNOWN, TOKENS_SCOPE_NONE },
    { "{\"s\": [null]}", TOKENS_JSON_SCOPES_NOT_STRING, TOKENS_SCOPE_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object = parse_object (parser, cases[i].json);
      TokensScopes scopes = TOKENS_SCOPE_WRITE;

      g_assert_cmpint (tokens_json_read_scopes (json_object_get_array_member (object, "s"), &scopes),
                       ==, cases[i].status);
      g_assert_cmpint (scopes, ==, cases[i].scopes);
    }
}

static void
add_scopes_and_times (JsonBuilder *builder)
{
  tokens_json_add_scopes (builder, "scopes", TOKENS_SCOPES_ALL);
  tokens_json_add_scopes (builder, "read_only", TOKENS_SCOPE_READ);
  tokens_json_add_time (builder, "created_at", 1764676800);
  tokens_json_add_time (builder, "expires_at", 0);
}

static void
test_writers_write_the_contract (void)
{
  g_autofree char *text = write_members (add_scopes_and_times);

  g_assert_cmpstr (text, ==,
                   "{\"scopes\":[\"read\",\"write\"],\"read_only\":[\"read\"],"
                   "\"created_at\":\"2025-12-02T12:00:00Z\",\"expires_at\":null}");
}

static void
test_security_token_states_round_trip (void)
{
  static const struct {
    TokensSecurityTokenState  state;
    const char               *name;
  } states[] = {
    { TOKENS_SECURITY_TOKEN_STATE_NONE, "none" },
    { TOKENS_SECURITY_TOKEN_STATE_DISABLED, "disabled" },
    { TOKENS_SECURITY_TOKEN_STATE_ACTIVE, "active" },
  };
  TokensSecurityTokenState state;

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_assert_cmpstr (tokens_security_token_state_to_string (states[i].state), ==, states[i].name);
      g_assert_true (tokens_security_token_state_from_string (states[i].name, &state));
      g_assert_cmpint (state, ==, states[i].state);
    }

  g_assert_false (tokens_security_token_state_from_string ("enabled", &state));
  g_assert_false (tokens_security_token_state_from_string ("", NULL));
}

static void
test_times_are_rfc3339_in_utc (void)
{
  g_autofree char *text = tokens_wire_format_time (1764676800);
  g_autoptr(GDateTime) parsed = tokens_wire_parse_time ("2025-12-02T09:00:00-03:00");
  g_autoptr(GDateTime) back = tokens_wire_parse_time (text);

  g_assert_cmpstr (text, ==, "2025-12-02T12:00:00Z");
  g_assert_nonnull (parsed);
  g_assert_cmpint (g_date_time_to_unix (parsed), ==, 1764676800);
  g_assert_cmpint (g_date_time_to_unix (back), ==, 1764676800);
  g_assert_null (tokens_wire_parse_time ("yesterday"));
  g_assert_null (tokens_wire_parse_time ("2025-12-02"));
  /* Beyond what GDateTime holds: no text rather than a wrong one. */
  g_assert_null (tokens_wire_format_time (G_MAXINT64));
}

static void
test_null_not_allowed_is_the_seed_body_exactly (void)
{
  static const struct {
    const char *json;
    gboolean    is_it;
  } bodies[] = {
    { TOKENS_WIRE_NULL_NOT_ALLOWED_BODY, TRUE },
    { "{\"error\":\"null not allowed\"}", TRUE },
    { "{\"error\": \"null not allowed\", \"code\": \"client_token_required\"}", FALSE },
    { "{\"error\": \"Null not allowed\"}", FALSE },
    { "{\"error\": null}", FALSE },
    { "{}", FALSE },
  };

  g_assert_cmpstr (TOKENS_WIRE_NULL_NOT_ALLOWED_BODY, ==, "{\"error\": \"null not allowed\"}");

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object = parse_object (parser, bodies[i].json);

      g_assert_cmpint (tokens_json_is_null_not_allowed (object), ==, bodies[i].is_it);
    }
}

static void
test_member_says_absent_null_or_wrong_type (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = parse_object (parser, "{\"s\": \"x\", \"n\": null, \"i\": 7, \"b\": true,"
                                             " \"o\": {}, \"a\": []}");
  JsonNode *node = NULL;

  g_assert_cmpint (tokens_json_member (object, "s", TOKENS_JSON_STRING, &node), ==, TOKENS_JSON_MEMBER_OK);
  g_assert_cmpstr (json_node_get_string (node), ==, "x");
  g_assert_cmpint (tokens_json_member (object, "i", TOKENS_JSON_INT, &node), ==, TOKENS_JSON_MEMBER_OK);
  g_assert_cmpint (tokens_json_member (object, "b", TOKENS_JSON_BOOL, &node), ==, TOKENS_JSON_MEMBER_OK);
  g_assert_cmpint (tokens_json_member (object, "o", TOKENS_JSON_OBJECT, &node), ==, TOKENS_JSON_MEMBER_OK);
  g_assert_cmpint (tokens_json_member (object, "a", TOKENS_JSON_ARRAY, &node), ==, TOKENS_JSON_MEMBER_OK);

  g_assert_cmpint (tokens_json_member (object, "missing", TOKENS_JSON_STRING, &node), ==, TOKENS_JSON_MEMBER_ABSENT);
  g_assert_null (node);
  g_assert_cmpint (tokens_json_member (object, "n", TOKENS_JSON_STRING, &node), ==, TOKENS_JSON_MEMBER_NULL);
  g_assert_null (node);
  g_assert_cmpint (tokens_json_member (object, "i", TOKENS_JSON_STRING, &node), ==, TOKENS_JSON_MEMBER_WRONG_TYPE);
  g_assert_null (node);
  g_assert_cmpint (tokens_json_member (object, "s", TOKENS_JSON_INT, &node), ==, TOKENS_JSON_MEMBER_WRONG_TYPE);
  g_assert_cmpint (tokens_json_member (object, "i", TOKENS_JSON_BOOL, &node), ==, TOKENS_JSON_MEMBER_WRONG_TYPE);
  g_assert_cmpint (tokens_json_member (object, "a", TOKENS_JSON_OBJECT, &node), ==, TOKENS_JSON_MEMBER_WRONG_TYPE);
  g_assert_cmpint (tokens_json_member (NULL, "s", TOKENS_JSON_STRING, &node), ==, TOKENS_JSON_MEMBER_ABSENT);
}

/* A reply that is not what the API document says is a bad response, in
 * the same words whatever was wrong; null stands for "none". */
static void
test_reply_readers_take_null_as_absent_and_refuse_the_rest (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object = parse_object (parser, "{\"id\": 12, \"sid\": \"ab\", \"empty\": \"\","
                                             " \"expires_at\": null, \"created_at\": \"2025-12-02T12:00:00Z\","
                                             " \"bad_time\": \"noon\", \"n\": \"7\"}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sid = NULL;
  g_autofree char *empty = NULL;
  const char *text = "unset";
  GDateTime *bad = NULL;
  gint64 number = 5;

  g_assert_true (tokens_json_get_id (object, "id", &id, &error));
  g_assert_cmpstr (id, ==, "12");
  g_assert_true (tokens_json_get_id (object, "sid", &sid, &error));
  g_assert_cmpstr (sid, ==, "ab");
  g_assert_no_error (error);

  g_assert_true (tokens_json_get_datetime (object, "expires_at", FALSE, &expires, &error));
  g_assert_null (expires);
  g_assert_true (tokens_json_get_datetime (object, "created_at", TRUE, &created, &error));
  g_assert_cmpint (g_date_time_to_unix (created), ==, 1764676800);
  g_assert_true (tokens_json_get_string (object, "absent", FALSE, &text, &error));
  g_assert_null (text);
  g_assert_no_error (error);

  g_assert_false (tokens_json_get_id (object, "empty", &empty, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (error->message, ==, tokens_error_describe (TOKENS_ERROR_BAD_RESPONSE));
  g_clear_error (&error);

  g_assert_false (tokens_json_get_datetime (object, "expires_at", TRUE, &bad, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  g_assert_false (tokens_json_get_datetime (object, "bad_time", FALSE, &bad, &error));
  g_assert_null (bad);
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_BAD_RESPONSE);
  g_clear_error (&error);

  g_assert_false (tokens_json_get_int (object, "n", FALSE, &number, &error));
  g_assert_cmpint (number, ==, 0);
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_BAD_RESPONSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wire/scope-names-are-read-and-write", test_scope_names_are_read_and_write);
  g_test_add_func ("/wire/scope-lists-say-what-is-wrong-first", test_scope_lists_say_what_is_wrong_first);
  g_test_add_func ("/wire/writers-write-the-contract", test_writers_write_the_contract);
  g_test_add_func ("/wire/security-token-states-round-trip", test_security_token_states_round_trip);
  g_test_add_func ("/wire/times-are-rfc3339-in-utc", test_times_are_rfc3339_in_utc);
  g_test_add_func ("/wire/null-not-allowed-is-the-seed-body-exactly", test_null_not_allowed_is_the_seed_body_exactly);
  g_test_add_func ("/wire/member-says-absent-null-or-wrong-type", test_member_says_absent_null_or_wrong_type);
  g_test_add_func ("/wire/reply-readers-take-null-as-absent-and-refuse-the-rest", test_reply_readers_take_null_as_absent_and_refuse_the_rest);

  return g_test_run ();
}
