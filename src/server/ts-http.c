/* ts-http.c — replies, errors and request bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every error leaves the server in one shape, {"error": "...", "code":
 * "..."}, with `code` a TokensError nick the client maps back, and the
 * HTTP status chosen from the code in one place. The one exception is the
 * account security token's own answer, which is the seed's exact bytes.
 */

#include "config.h"

#include <string.h>

#include "ts-http.h"

guint
ts_http_status_for_error (TokensError code)
{
  switch (code)
    {
    case TOKENS_ERROR_INVALID_INPUT:
      return SOUP_STATUS_BAD_REQUEST;

    /* A token that is malformed, unknown, expired or revoked: the request
     * is not authenticated at all. */
    case TOKENS_ERROR_TOKEN_NOT_OURS:
    case TOKENS_ERROR_TOKEN_LENGTH:
    case TOKENS_ERROR_TOKEN_CHARACTER:
    case TOKENS_ERROR_TOKEN_CHECKSUM:
    case TOKENS_ERROR_UNAUTHORIZED:
    case TOKENS_ERROR_WRONG_CREDENTIALS:
      return SOUP_STATUS_UNAUTHORIZED;

    /* Authenticated, but not allowed to do this. */
    case TOKENS_ERROR_TOKEN_WRONG_KIND:
    case TOKENS_ERROR_FORBIDDEN:
    case TOKENS_ERROR_CLIENT_TOKEN_REQUIRED:
    case TOKENS_ERROR_CLIENT_TOKEN_INVALID:
    case TOKENS_ERROR_SIGNUP_DISABLED:
      return SOUP_STATUS_FORBIDDEN;

    case TOKENS_ERROR_NOT_FOUND:
      return SOUP_STATUS_NOT_FOUND;
    case TOKENS_ERROR_METHOD_NOT_ALLOWED:
      return SOUP_STATUS_METHOD_NOT_ALLOWED;
    case TOKENS_ERROR_CONFLICT:
      return SOUP_STATUS_CONFLICT;
    case TOKENS_ERROR_TOO_LARGE:
      return SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
    case TOKENS_ERROR_UNSUPPORTED_MEDIA_TYPE:
      return SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE;
    case TOKENS_ERROR_RATE_LIMITED:
      return 429; /* Too Many Requests: libsoup 3.2 has no name for it */

    case TOKENS_ERROR_FAILED:
    case TOKENS_ERROR_SERVER:
    case TOKENS_ERROR_STORAGE:
    case TOKENS_ERROR_BAD_RESPONSE:
    case TOKENS_ERROR_NETWORK:
    case TOKENS_ERROR_TIMEOUT:
    case TOKENS_ERROR_TLS:
    case TOKENS_ERROR_INSECURE_URL:
    case TOKENS_ERROR_KEYRING_UNAVAILABLE:
    case TOKENS_ERROR_KEYRING_LOCKED:
    case TOKENS_ERROR_LOCAL_SERVICE:
    default:
      return SOUP_STATUS_INTERNAL_SERVER_ERROR;
    }
}

static void
set_body (SoupServerMessage *msg,
          guint              status,
          char              *text,
          gsize              len)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, len);
  /* Replies can carry a secret shown once: no cache may keep them. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
}

void
ts_reply_json (SoupServerMessage *msg,
               guint              status,
               JsonNode          *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  gsize len;
  char *text;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &len);
  set_body (msg, status, text, len);
}

void
ts_reply_builder (SoupServerMessage *msg,
                  guint              status,
                  JsonBuilder       *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  ts_reply_json (msg, status, root);
}

void
ts_reply_no_content (SoupServerMessage *msg)
{
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

void
ts_reply_error (SoupServerMessage *msg,
                TokensError        code,
                const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint status = ts_http_status_for_error (code);

  if (message == NULL)
    message = tokens_error_describe (code);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, tokens_error_code_to_nick (code));
  json_builder_end_object (builder);

  if (status == SOUP_STATUS_UNAUTHORIZED)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "WWW-Authenticate", "Bearer realm=\"tokens\"");

  ts_reply_builder (msg, status, builder);
}

void
ts_reply_gerror (SoupServerMessage *msg,
                 const GError      *error)
{
  if (error->domain == TOKENS_ERROR)
    {
      ts_reply_error (msg, error->code, error->message);
      return;
    }

  /* Not ours: its message may say things a client has no business with. */
  g_warning ("Unexpected error: %s", error->message);
  ts_reply_error (msg, TOKENS_ERROR_SERVER, NULL);
}

/* The zapi seed's answer to a request without `Client-Token`, byte for byte. */
void
ts_reply_null_not_allowed (SoupServerMessage *msg)
{
  static const char body[] = "{\"error\": \"null not allowed\"}";

  soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                    body, sizeof body - 1);
}

/* The nesting depth of a JSON text, strings skipped: json-glib recurses
 * once per level, so a body of sixteen thousand '[' must not reach it. */
static gboolean
depth_within (const char *data,
              gsize       len,
              guint       max_depth)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < len; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return TRUE;
}

/**
 * ts_request_get_json_object:
 * @optional: whether an empty body is fine (then %NULL and no error)
 * @root: (out): keeps the parsed document alive for the returned object
 *
 * Returns: (transfer none) (nullable): the body's JSON object
 */
JsonObject *
ts_request_get_json_object (SoupServerMessage  *msg,
                            gboolean            optional,
                            JsonNode          **root,
                            GError            **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *content_type;
  const char *charset;
  const char *data;
  gsize len;

  *root = NULL;

  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);

  if (len == 0)
    {
      if (!optional)
        g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                             "The body must be a JSON object.");
      return NULL;
    }

  content_type = soup_message_headers_get_content_type (headers, &params);
  if (content_type == NULL || g_ascii_strcasecmp (content_type, "application/json") != 0)
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_UNSUPPORTED_MEDIA_TYPE,
                           "Send the body as JSON, with Content-Type: application/json.");
      return NULL;
    }

  charset = params ? g_hash_table_lookup (params, "charset") : NULL;
  if (charset != NULL && g_ascii_strcasecmp (charset, "utf-8") != 0)
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_UNSUPPORTED_MEDIA_TYPE,
                           "Send the body as JSON in UTF-8.");
      return NULL;
    }

  if (len > TS_MAX_JSON_BODY)
    {
      g_set_error (error, TOKENS_ERROR, TOKENS_ERROR_TOO_LARGE,
                   "The body is larger than %d bytes.", TS_MAX_JSON_BODY);
      return NULL;
    }

  /* g_utf8_validate() with a length also refuses NUL bytes. */
  if (!g_utf8_validate (data, len, NULL))
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           "The body is not valid UTF-8.");
      return NULL;
    }

  if (!depth_within (data, len, TS_MAX_JSON_DEPTH))
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           "The body is nested too deeply.");
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &parse_error))
    {
      /* Not json-glib's message: its scanner may quote what it choked
       * on, and that could be a piece of a secret. */
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           "The body is not valid JSON.");
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           "The body must be a JSON object.");
      return NULL;
    }

  *root = json_node_ref (json_parser_get_root (parser));
  return json_node_get_object (*root);
}
