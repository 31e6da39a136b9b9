/* fuzz-request.c — any request into the server's entry point
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a request as text: "METHOD /path?query", then header
 * lines "Name: value", a blank line, and the body. It goes through what
 * the HTTP layer does with a request once libmicrohttpd has split it
 * (ts_http_unescape(), ts_exchange_set_target(), _take_header(),
 * _take_query()) and then ts_router_dispatch(), against a real SQLite
 * store in a temporary folder, with one account and one access token.
 * The placeholders @API@, @ACCESS@ and @SESSION@ in an Authorization or
 * Client-Token line stand for their secrets, so the fuzzer reaches the
 * routes behind authentication (it could never guess a token's checksum).
 *
 * Beyond "does not crash": every reply has a status, an error reply is
 * our JSON shape with a known code, a JSON reply is valid UTF-8 that our
 * own strict reader accepts, and no reply carries a secret it was not
 * created to carry.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include <glib/gstdio.h>

#include "tokens-token.h"
#include "ts-json-reader.h"
#include "ts-request.h"
#include "ts-server.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static TsServer server;
static char *api_key;
static char *access_token;
static char *session_token;

static char *
issue (TokensTokenKind  kind,
       TsIssued       **out)
{
  TsIssued *issued = ts_issued_new (kind);

  *out = issued;
  return g_strdup (issued->secret);
}

static void
set_up (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("fuzz-request-XXXXXX", &error);
  g_autofree char *database = NULL;
  g_autoptr(TsAccount) account = NULL;
  g_autoptr(TsIssued) api = NULL;
  g_autoptr(TsIssued) access = NULL;
  g_autoptr(TsIssued) session = NULL;
  TsStore *store;
  gint64 now = ts_now ();

  g_assert_no_error (error);
  database = g_build_filename (folder, "tokens.db", NULL);
  g_assert_true (ts_server_init (&server, database, &error));
  g_assert_no_error (error);
  server.allow_signup = TRUE;

  store = ts_server_get_store (&server, &error);
  g_assert_nonnull (store);

  /* A hash of no password anyone sends: sign-ins run the hash and fail. */
  api_key = issue (TOKENS_TOKEN_KIND_API_KEY, &api);
  account = ts_store_create_account (store, "fuzz@example.com",
                                     "$argon2id$v=19$m=65536,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$"
                                     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                     &api->stored, now, &error);
  g_assert_nonnull (account);

  access_token = issue (TOKENS_TOKEN_KIND_ACCESS, &access);
  g_assert_cmpint (ts_store_create_access_token (store, account->id, "fuzz", TOKENS_SCOPES_ALL, 30,
                                                 &access->stored, now, &error), >, 0);
  session_token = issue (TOKENS_TOKEN_KIND_SESSION, &session);
  g_assert_true (ts_store_create_session (store, account->id, &session->stored,
                                          now, now + 3600, &error));
}

/* The input with its placeholders replaced by the secrets, in the
 * header lines that carry tokens only: nowhere else can the fuzzer store
 * a secret (as a token or file name), so no reply may ever hold one. */
static char *
expand (const uint8_t *data,
        size_t         size)
{
  GString *text = g_string_new_len ((const char *) data, size);
  g_auto(GStrv) lines = g_strsplit (text->str, "\n", -1);
  GString *out = g_string_sized_new (size + 128);

  /* The text ends at its first NUL: a body with a NUL byte is the JSON
   * reader's fuzzer's to try. */
  g_string_free (text, TRUE);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      GString *line = g_string_new (lines[i]);

      if (g_str_has_prefix (line->str, "Authorization:") ||
          g_str_has_prefix (line->str, "Client-Token:"))
        {
          g_string_replace (line, "@API@", api_key, 0);
          g_string_replace (line, "@ACCESS@", access_token, 0);
          g_string_replace (line, "@SESSION@", session_token, 0);
        }
      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, line->str);
      g_string_free (line, TRUE);
    }
  return g_string_free (out, FALSE);
}

/* Whatever an error reply says, it is our shape with a code we know. */
static void
check_reply (TsExchange *exchange)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  const char *body;
  gsize len;

  g_assert_cmpuint (exchange->status, >=, 200);
  g_assert_cmpuint (exchange->status, <, 600);

  if (exchange->reply_body == NULL)
    {
      g_assert_cmpuint (exchange->status, ==, TS_STATUS_NO_CONTENT);
      return;
    }

  if (g_strcmp0 (exchange->reply_type, "application/json") != 0)
    return;

  body = g_bytes_get_data (exchange->reply_body, &len);
  node = ts_json_read (body, len, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));

  if (exchange->status >= 400)
    {
      JsonObject *object = json_node_get_object (node);
      const char *code = json_object_get_string_member_with_default (object, "code", NULL);
      TokensError value;

      g_assert_nonnull (json_object_get_string_member_with_default (object, "error", NULL));
      /* The one reply without a code is the seed's Client-Token answer. */
      if (code != NULL)
        g_assert_true (tokens_error_code_from_nick (code, &value));
    }

  /* Secrets go out only in the replies that create them; these exist
   * already, so no reply may hold them. */
  g_assert_null (g_strstr_len (body, len, api_key));
  g_assert_null (g_strstr_len (body, len, access_token));
  g_assert_null (g_strstr_len (body, len, session_token));
}

static void
run_one (char *text)
{
  g_autoptr(TsExchange) exchange = ts_exchange_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  char *line_end = strstr (text, "\n");
  char *request_line = text;
  char *headers = NULL;
  char *body = NULL;
  char *method;
  char *target;
  char *query;

  /* The request line: "METHOD TARGET" */
  if (line_end != NULL)
    {
      *line_end = '\0';
      headers = line_end + 1;
    }
  method = request_line;
  target = strchr (request_line, ' ');
  if (target == NULL || target[1] != '/')
    return;
  *target++ = '\0';

  query = strchr (target, '?');
  if (query != NULL)
    *query++ = '\0';
  ts_http_unescape (target);

  if (ts_exchange_set_target (exchange, method, target, &error) && headers != NULL)
    {
      char *end = strstr (headers, "\n\n");

      if (end != NULL)
        {
          *end = '\0';
          body = end + 2;
        }

      for (char *line = headers; line != NULL && *line != '\0' && error == NULL; )
        {
          char *next = strchr (line, '\n');
          char *colon;

          if (next != NULL)
            *next++ = '\0';
          colon = strchr (line, ':');
          if (colon != NULL)
            {
              char *value = colon + 1;

              *colon = '\0';
              while (*value == ' ')
                value++;
              ts_exchange_take_header (exchange, line, value, strlen (value), &error);
            }
          line = next;
        }
    }

  for (char *pair = query; pair != NULL && error == NULL; )
    {
      char *next = strchr (pair, '&');
      char *equals;
      char *name;
      char *value = NULL;
      gsize name_len;
      gsize value_len = 0;

      if (next != NULL)
        *next++ = '\0';
      equals = strchr (pair, '=');
      if (equals != NULL)
        {
          *equals = '\0';
          value = g_strdup (equals + 1);
          value_len = ts_http_unescape (value);
          g_ptr_array_add (owned, value);
        }
      name = g_strdup (pair);
      name_len = ts_http_unescape (name);
      g_ptr_array_add (owned, name);
      ts_exchange_take_query (exchange, name, name_len, value, value_len, &error);
      pair = next;
    }

  if (body != NULL && *body != '\0')
    {
      exchange->body = g_byte_array_new ();
      g_byte_array_append (exchange->body, (const guint8 *) body, strlen (body));
    }

  if (error != NULL)
    ts_reply_gerror (exchange, error);
  else if (exchange->body != NULL &&
           exchange->body->len > (guint) ts_router_body_limit (server.router, exchange->method, exchange->path))
    ts_reply_error (exchange, TOKENS_ERROR_TOO_LARGE, NULL);
  else
    ts_router_dispatch (server.router, &server, exchange);

  /* A paused reply (a password hash): wait for it, as the HTTP layer does. */
  if (exchange->continuation != NULL)
    {
      for (;;)
        {
          gboolean resumed;

          g_mutex_lock (&exchange->lock);
          resumed = exchange->resumed;
          g_mutex_unlock (&exchange->lock);
          if (resumed)
            break;
          g_usleep (200);
        }
      ts_exchange_run_continuation (exchange);
    }

  check_reply (exchange);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gboolean ready;
  g_autofree char *text = NULL;

  if (!ready)
    {
      /* The service's messages stay English, as tokens-server's main() does. */
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL);
      set_up ();
      ready = TRUE;
    }

  /* Larger than any route takes, with room for the headers. */
  if (size > 80 * 1024)
    return 0;

  text = expand (data, size);
  run_one (text);
  return 0;
}
