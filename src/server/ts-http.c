/* ts-http.c — one HTTP exchange: the request as read, the reply as made
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Handlers and the router see a TsExchange, never the HTTP library: the
 * library (ts-daemon.c) fills in what it read, checked, and sends what
 * the exchange holds once the handler is done. That keeps the routes
 * testable and fuzzable without a socket.
 *
 * Every error leaves the server in one shape, {"error": "...", "code":
 * "..."}, with `code` a TokensError nick the client maps back, and the
 * HTTP status chosen from the code in one place. The one exception is the
 * account security token's own answer, which is the seed's exact bytes.
 */

#include "config.h"

#include <string.h>

#include "ts-http.h"
#include "ts-json.h"
#include "ts-json-reader.h"

TsExchange *
ts_exchange_new (void)
{
  TsExchange *exchange = g_new0 (TsExchange, 1);

  g_mutex_init (&exchange->lock);
  exchange->reply_headers = g_ptr_array_new_with_free_func (g_free);
  return exchange;
}

void
ts_exchange_free (TsExchange *exchange)
{
  if (exchange == NULL)
    return;

  if (exchange->continuation_free != NULL)
    exchange->continuation_free (exchange->continuation_data);
  g_clear_pointer (&exchange->query, g_hash_table_unref);
  if (exchange->body != NULL)
    {
      /* A body may be a password. */
      memset (exchange->body->data, 0, exchange->body->len);
      g_byte_array_unref (exchange->body);
    }
  g_clear_pointer (&exchange->reply_body, g_bytes_unref);
  g_ptr_array_unref (exchange->reply_headers);
  g_mutex_clear (&exchange->lock);
  g_free (exchange);
}

/**
 * ts_exchange_pause:
 * @continuation: writes the reply once the slow work is done
 *
 * The reply waits: the HTTP layer holds the connection, and whoever does
 * the slow work calls ts_exchange_resume() from any thread when it is
 * done. @continuation then runs on one of the server's threads.
 */
void
ts_exchange_pause (TsExchange     *exchange,
                   TsContinuation  continuation,
                   gpointer        data,
                   GDestroyNotify  data_free)
{
  g_assert (exchange->continuation == NULL);

  /* A request may wait more than once (the verify cache, then a hash). */
  g_mutex_lock (&exchange->lock);
  exchange->paused = FALSE;
  exchange->resumed = FALSE;
  g_mutex_unlock (&exchange->lock);

  exchange->continuation = continuation;
  exchange->continuation_data = data;
  exchange->continuation_free = data_free;
}

/* Takes back a pause whose slow work could not start. */
void
ts_exchange_unpause (TsExchange *exchange)
{
  if (exchange->continuation_free != NULL)
    exchange->continuation_free (exchange->continuation_data);
  exchange->continuation = NULL;
  exchange->continuation_data = NULL;
  exchange->continuation_free = NULL;
}

void
ts_exchange_resume (TsExchange *exchange)
{
  gboolean wake;

  g_mutex_lock (&exchange->lock);
  exchange->resumed = TRUE;
  wake = exchange->paused;
  g_mutex_unlock (&exchange->lock);

  /* Not paused yet: the HTTP layer sees `resumed` when it comes to pause
   * and goes on at once instead. */
  if (wake && exchange->wake != NULL)
    exchange->wake (exchange);
}

/* Runs a continuation that was resumed; returns FALSE when there is
 * none (the reply is already written). */
gboolean
ts_exchange_run_continuation (TsExchange *exchange)
{
  TsContinuation continuation = g_steal_pointer (&exchange->continuation);
  gpointer data = g_steal_pointer (&exchange->continuation_data);
  GDestroyNotify data_free = g_steal_pointer (&exchange->continuation_free);

  if (continuation == NULL)
    return FALSE;

  continuation (exchange, data);
  if (data_free != NULL)
    data_free (data);
  return TRUE;
}

/* Reading the request: the HTTP layer hands over what it parsed, and
 * these refuse what no route should see. Each returns FALSE with an
 * error to answer with (the first one counts). */

static gboolean
text_ok (const char *text,
         gsize       len)
{
  /* A NUL inside shows as a length that differs from the string's. */
  return text != NULL && strlen (text) == len && g_utf8_validate (text, len, NULL);
}

/* An RFC 9110 token, short: the 405 message names the method. */
static gboolean
method_ok (const char *method)
{
  gsize len = 0;

  for (const char *p = method; *p != '\0'; p++, len++)
    if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
      return FALSE;

  return len > 0 && len <= 32;
}

/* HEAD is answered as GET, without the body (the HTTP layer leaves it out). */
gboolean
ts_exchange_set_target (TsExchange  *exchange,
                        const char  *method,
                        const char  *path,
                        GError     **error)
{
  if (method == NULL || !method_ok (method))
    {
      exchange->method = "GET";
      exchange->path = path;
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           "The request method is not valid.");
      return FALSE;
    }

  exchange->method = g_strcmp0 (method, "HEAD") == 0 ? "GET" : method;
  exchange->path = path;

  if (!g_utf8_validate (path, -1, NULL))
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND,
                           "There is no such path in this API.");
      return FALSE;
    }

  return TRUE;
}

/* Keeps the headers routes read; @value must live as long as @exchange. */
gboolean
ts_exchange_take_header (TsExchange  *exchange,
                         const char  *name,
                         const char  *value,
                         gsize        value_len,
                         GError     **error)
{
  const char **slot;

  if (g_ascii_strcasecmp (name, "Authorization") == 0)
    slot = &exchange->authorization;
  else if (g_ascii_strcasecmp (name, "Client-Token") == 0)
    slot = &exchange->client_token;
  else if (g_ascii_strcasecmp (name, "Content-Type") == 0)
    slot = &exchange->content_type;
  else if (g_ascii_strcasecmp (name, "X-Tokens-Scope") == 0)
    slot = &exchange->scope;
  else
    return TRUE;

  if (!text_ok (value, value_len))
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           "A header has a NUL character or is not valid UTF-8.");
      return FALSE;
    }

  /* Which one would count is a guess two servers may make differently
   * (a proxy and us): refuse instead. */
  if (*slot != NULL)
    {
      if (slot == &exchange->authorization)
        g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                             "The request has more than one Authorization header.");
      else if (slot == &exchange->client_token)
        g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                             "The request has more than one Client-Token header.");
      else if (slot == &exchange->scope)
        g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                             "The request has more than one X-Tokens-Scope header.");
      else
        g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                             "The request has more than one Content-Type header.");
      return FALSE;
    }

  *slot = value;
  return TRUE;
}

/* @name and @value, already unescaped, must live as long as @exchange. */
gboolean
ts_exchange_take_query (TsExchange  *exchange,
                        const char  *name,
                        gsize        name_len,
                        const char  *value,
                        gsize        value_len,
                        GError     **error)
{
  if (value == NULL)
    value = "", value_len = 0;

  if (!text_ok (name, name_len) || !text_ok (value, value_len))
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           "A query parameter is not valid UTF-8.");
      return FALSE;
    }

  if (exchange->query == NULL)
    exchange->query = g_hash_table_new (g_str_hash, g_str_equal);

  if (g_hash_table_contains (exchange->query, name))
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           "A query parameter is given more than once.");
      return FALSE;
    }

  g_hash_table_insert (exchange->query, (gpointer) name, (gpointer) value);
  return TRUE;
}

/* %XX decoded in place, except %00: a NUL would cut the value short in
 * C, so it stays as the three characters and fails whatever check the
 * value meets (no route, no number, no name has a '%'). Returns the new
 * length. */
gsize
ts_http_unescape (char *text)
{
  char *in = text;
  char *out = text;

  while (*in != '\0')
    {
      if (in[0] == '%' && g_ascii_isxdigit (in[1]) && g_ascii_isxdigit (in[2]))
        {
          int value = g_ascii_xdigit_value (in[1]) * 16 + g_ascii_xdigit_value (in[2]);

          if (value != 0)
            {
              *out++ = (char) value;
              in += 3;
              continue;
            }
        }
      *out++ = *in++;
    }
  *out = '\0';
  return out - text;
}

static gboolean
has_header (TsExchange *exchange,
            const char *name)
{
  for (guint i = 0; i + 1 < exchange->reply_headers->len; i += 2)
    if (g_ascii_strcasecmp (g_ptr_array_index (exchange->reply_headers, i), name) == 0)
      return TRUE;
  return FALSE;
}

void
ts_reply_add_header (TsExchange *exchange,
                     const char *name,
                     const char *value)
{
  g_ptr_array_add (exchange->reply_headers, g_strdup (name));
  g_ptr_array_add (exchange->reply_headers, g_strdup (value));
}

guint
ts_http_status_for_error (TokensError code)
{
  switch (code)
    {
    case TOKENS_ERROR_INVALID_INPUT:
      return TS_STATUS_BAD_REQUEST;

    /* A token that is malformed, unknown, expired or revoked: the request
     * is not authenticated at all. */
    case TOKENS_ERROR_TOKEN_NOT_OURS:
    case TOKENS_ERROR_TOKEN_LENGTH:
    case TOKENS_ERROR_TOKEN_CHARACTER:
    case TOKENS_ERROR_TOKEN_CHECKSUM:
    case TOKENS_ERROR_UNAUTHORIZED:
    case TOKENS_ERROR_WRONG_CREDENTIALS:
      return TS_STATUS_UNAUTHORIZED;

    /* Authenticated, but not allowed to do this. */
    case TOKENS_ERROR_TOKEN_WRONG_KIND:
    case TOKENS_ERROR_FORBIDDEN:
    case TOKENS_ERROR_CLIENT_TOKEN_REQUIRED:
    case TOKENS_ERROR_CLIENT_TOKEN_INVALID:
    case TOKENS_ERROR_SIGNUP_DISABLED:
      return TS_STATUS_FORBIDDEN;

    case TOKENS_ERROR_NOT_FOUND:
      return TS_STATUS_NOT_FOUND;
    case TOKENS_ERROR_METHOD_NOT_ALLOWED:
      return TS_STATUS_METHOD_NOT_ALLOWED;
    case TOKENS_ERROR_CONFLICT:
      return TS_STATUS_CONFLICT;
    case TOKENS_ERROR_TOO_LARGE:
      return TS_STATUS_TOO_LARGE;
    case TOKENS_ERROR_UNSUPPORTED_MEDIA_TYPE:
      return TS_STATUS_UNSUPPORTED_MEDIA;
    case TOKENS_ERROR_RATE_LIMITED:
      return TS_STATUS_TOO_MANY_REQUESTS;
    case TOKENS_ERROR_UNAVAILABLE:
      return TS_STATUS_UNAVAILABLE;

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
      return TS_STATUS_SERVER_ERROR;
    }
}

void
ts_reply_bytes (TsExchange *exchange,
                guint       status,
                const char *type,
                GBytes     *body)
{
  exchange->status = status;
  exchange->reply_type = type;
  g_clear_pointer (&exchange->reply_body, g_bytes_unref);
  exchange->reply_body = body ? g_bytes_ref (body) : NULL;
}

/* @json: a static string */
void
ts_reply_static (TsExchange *exchange,
                 guint       status,
                 const char *json)
{
  g_autoptr(GBytes) body = g_bytes_new_static (json, strlen (json));

  ts_reply_bytes (exchange, status, "application/json", body);
}

void
ts_reply_json (TsExchange *exchange,
               guint       status,
               JsonNode   *node)
{
  g_autoptr(GBytes) body = NULL;
  gsize len;
  char *text;

  text = ts_json_write (node, &len);
  body = g_bytes_new_take (text, len);
  ts_reply_bytes (exchange, status, "application/json", body);
}

void
ts_reply_builder (TsExchange  *exchange,
                  guint        status,
                  JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  ts_reply_json (exchange, status, root);
}

void
ts_reply_no_content (TsExchange *exchange)
{
  ts_reply_bytes (exchange, TS_STATUS_NO_CONTENT, NULL, NULL);
}

void
ts_reply_error (TsExchange  *exchange,
                TokensError  code,
                const char  *message)
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

  if (status == TS_STATUS_UNAUTHORIZED)
    ts_reply_add_header (exchange, "WWW-Authenticate", "Bearer realm=\"tokens\"");
  /* Every 503 says when to come back, whoever raised it (a store that
   * lost its database says UNAVAILABLE without knowing about HTTP). */
  if (status == TS_STATUS_UNAVAILABLE && !has_header (exchange, "Retry-After"))
    ts_reply_add_header (exchange, "Retry-After", "5");

  ts_reply_builder (exchange, status, builder);
}

void
ts_reply_gerror (TsExchange   *exchange,
                 const GError *error)
{
  if (error->domain == TOKENS_ERROR)
    {
      ts_reply_error (exchange, error->code, error->message);
      return;
    }

  /* Not ours: its message may say things a client has no business with. */
  g_warning ("Unexpected error: %s", error->message);
  ts_reply_error (exchange, TOKENS_ERROR_SERVER, NULL);
}

/* 429 and 503 say when to come back. */
void
ts_reply_retry_later (TsExchange  *exchange,
                      TokensError  code,
                      gint64       seconds,
                      const char  *message)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (seconds, 1));

  ts_reply_add_header (exchange, "Retry-After", text);
  ts_reply_error (exchange, code, message);
}

/* The zapi seed's answer to a request without `Client-Token`, byte for byte. */
void
ts_reply_null_not_allowed (TsExchange *exchange)
{
  ts_reply_static (exchange, TS_STATUS_FORBIDDEN, "{\"error\": \"null not allowed\"}");
}

/* The media type and its parameters, as RFC 9110 writes them: only
 * "application/json", with at most a charset that is UTF-8. */
static gboolean
content_type_is_json (const char *value,
                      GError    **error)
{
  g_auto(GStrv) parts = NULL;

  if (value == NULL)
    goto not_json;

  /* An empty value splits into no parts at all. */
  parts = g_strsplit (value, ";", -1);
  if (parts[0] == NULL || g_ascii_strcasecmp (g_strstrip (parts[0]), "application/json") != 0)
    goto not_json;

  for (guint i = 1; parts[i] != NULL; i++)
    {
      char *parameter = g_strstrip (parts[i]);
      char *equals = strchr (parameter, '=');
      char *charset;

      if (equals == NULL)
        goto not_json;
      *equals = '\0';
      if (g_ascii_strcasecmp (g_strstrip (parameter), "charset") != 0)
        continue;

      charset = g_strstrip (equals + 1);
      if (charset[0] == '"')
        {
          gsize len = strlen (charset);

          if (len < 2 || charset[len - 1] != '"')
            goto not_json;
          charset[len - 1] = '\0';
          charset++;
        }
      if (g_ascii_strcasecmp (charset, "utf-8") != 0)
        {
          g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_UNSUPPORTED_MEDIA_TYPE,
                               "Send the body as JSON in UTF-8.");
          return FALSE;
        }
    }

  return TRUE;

not_json:
  g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_UNSUPPORTED_MEDIA_TYPE,
                       "Send the body as JSON, with Content-Type: application/json.");
  return FALSE;
}

/**
 * ts_request_get_json_object:
 * @optional: whether an empty body is fine (then %NULL and no error)
 * @root: (out): keeps the parsed document alive for the returned object
 *
 * Returns: (transfer none) (nullable): the body's JSON object
 */
JsonObject *
ts_request_get_json_object (TsExchange  *exchange,
                            gboolean     optional,
                            JsonNode   **root,
                            GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  const char *data = exchange->body ? (const char *) exchange->body->data : NULL;
  gsize len = exchange->body ? exchange->body->len : 0;

  *root = NULL;

  if (len == 0)
    {
      if (!optional)
        g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                             "The body must be a JSON object.");
      return NULL;
    }

  if (!content_type_is_json (exchange->content_type, error))
    return NULL;

  if (len > TS_MAX_JSON_BODY)
    {
      g_set_error (error, TOKENS_ERROR, TOKENS_ERROR_TOO_LARGE,
                   "The body is larger than %d bytes.", TS_MAX_JSON_BODY);
      return NULL;
    }

  /* RFC 8259 and nothing else, strings checked after unescaping; its
   * messages never quote the body, which may hold a password. */
  node = ts_json_read (data, len, error);
  if (node == NULL)
    return NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           "The body must be a JSON object.");
      return NULL;
    }

  *root = g_steal_pointer (&node);
  return json_node_get_object (*root);
}
