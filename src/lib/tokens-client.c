/* tokens-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The one place that speaks HTTP to a token service. Every endpoint is an
 * `_async`/`_finish` pair over tokens_client_call_async(), which sends the
 * credentials, reads a bounded reply and turns every way a call can fail
 * into a TOKENS_ERROR code a UI can put into words.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <sodium.h>

#include "tokens-client-private.h"
#include "tokens-error.h"
#include "tokens-json.h"
#include "tokens-token.h"

/* A reply larger than this is not from a token service we understand. */
#define MAX_REPLY_SIZE (4 * 1024 * 1024)
#define READ_CHUNK     (64 * 1024)
#define DEFAULT_TIMEOUT_SECONDS 30

struct _TokensClient
{
  GObject       parent_instance;

  SoupSession  *session;
  char         *base_url;      /* without a trailing slash */
  TokensSecret *credential;    /* Authorization: Bearer */
  TokensSecret *client_token;  /* Client-Token, the account security token */
  gboolean      allow_insecure;
  gboolean      direct;        /* no proxy: the service is on loopback */
};

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_ALLOW_INSECURE,
  PROP_TIMEOUT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensClient, tokens_client, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * tokens_client_check_url:
 * @url: what a person typed as the service's address
 * @allow_insecure: whether they allowed plain http:// for this service
 * @error: where to say what is wrong, in words
 *
 * An address is an http:// or https:// URL with a host and nothing a
 * service address has no use for (a user name or password, a query, a
 * fragment). Plain http:// is fine on this computer (loopback); anywhere
 * else a token would cross the network in the clear, so it needs
 * @allow_insecure.
 *
 * Returns: %TRUE if the client may talk to @url
 */
gboolean
tokens_client_check_url (const char  *url,
                         gboolean     allow_insecure,
                         GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (url == NULL || url[0] == '\0')
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           _("Enter the address of the service, such as https://tokens.example.org."));
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           _("This is not a service address. It starts with https:// and a host name, such as https://tokens.example.org."));
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                           _("A service address has no user name, password, “?” or “#” part."));
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 &&
      !allow_insecure &&
      !host_is_loopback (g_uri_get_host (uri)))
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INSECURE_URL,
                           tokens_error_describe (TOKENS_ERROR_INSECURE_URL));
      return FALSE;
    }

  return TRUE;
}

/* A service on this computer is reached directly, without asking the
 * desktop's proxy settings (which loads GIO's proxy modules, and libproxy
 * with them); any other goes through the desktop's proxies. */
static void
update_proxy_resolver (TokensClient *self)
{
  g_autoptr(GUri) uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  gboolean direct = uri != NULL && host_is_loopback (g_uri_get_host (uri));

  if (direct == self->direct)
    return;

  /* Until it is set, the session asks for the default resolver itself,
   * at its first connection. */
  self->direct = direct;
  soup_session_set_proxy_resolver (self->session, direct ? NULL : g_proxy_resolver_get_default ());
}

static char *
normalize_url (const char *url)
{
  gsize len = strlen (url);

  while (len > 0 && url[len - 1] == '/')
    len--;

  return g_strndup (url, len);
}

TokensClient *
tokens_client_new (const char  *base_url,
                   gboolean     allow_insecure,
                   GError     **error)
{
  if (!tokens_client_check_url (base_url, allow_insecure, error))
    return NULL;

  return g_object_new (TOKENS_TYPE_CLIENT,
                       "allow-insecure", allow_insecure,
                       "base-url", base_url,
                       NULL);
}

const char *
tokens_client_get_base_url (TokensClient *self)
{
  g_return_val_if_fail (TOKENS_IS_CLIENT (self), NULL);

  return self->base_url;
}

/**
 * tokens_client_set_base_url:
 *
 * Points the client at another address, as when the service on this
 * computer comes back on another port. Calls under way finish where they
 * started.
 */
gboolean
tokens_client_set_base_url (TokensClient  *self,
                            const char    *base_url,
                            GError       **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (TOKENS_IS_CLIENT (self), FALSE);

  if (!tokens_client_check_url (base_url, self->allow_insecure, error))
    return FALSE;

  normalized = normalize_url (base_url);
  if (g_strcmp0 (normalized, self->base_url) != 0)
    {
      g_free (self->base_url);
      self->base_url = g_steal_pointer (&normalized);
      update_proxy_resolver (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
    }

  return TRUE;
}

gboolean
tokens_client_get_allow_insecure (TokensClient *self)
{
  g_return_val_if_fail (TOKENS_IS_CLIENT (self), FALSE);

  return self->allow_insecure;
}

/**
 * tokens_client_set_credential:
 * @bearer_token: (nullable): the token sent as `Authorization: Bearer`,
 *   usually a session; %NULL to send none
 *
 * The client keeps its own copy and wipes it when replaced.
 */
void
tokens_client_set_credential (TokensClient *self,
                              const char   *bearer_token)
{
  g_return_if_fail (TOKENS_IS_CLIENT (self));

  g_clear_pointer (&self->credential, tokens_secret_free);
  self->credential = g_strdup (bearer_token);
}

gboolean
tokens_client_has_credential (TokensClient *self)
{
  g_return_val_if_fail (TOKENS_IS_CLIENT (self), FALSE);

  return self->credential != NULL;
}

/**
 * tokens_client_set_client_token:
 * @client_token: (nullable): the account security token
 *
 * Once set, every call carries it in the `Client-Token` header, so the
 * app keeps working when the account's security token is active.
 */
void
tokens_client_set_client_token (TokensClient *self,
                                const char   *client_token)
{
  g_return_if_fail (TOKENS_IS_CLIENT (self));

  g_clear_pointer (&self->client_token, tokens_secret_free);
  self->client_token = g_strdup (client_token);
}

gboolean
tokens_client_has_client_token (TokensClient *self)
{
  g_return_val_if_fail (TOKENS_IS_CLIENT (self), FALSE);

  return self->client_token != NULL;
}

guint
tokens_client_get_timeout (TokensClient *self)
{
  g_return_val_if_fail (TOKENS_IS_CLIENT (self), 0);

  return soup_session_get_timeout (self->session);
}

void
tokens_client_set_timeout (TokensClient *self,
                           guint         seconds)
{
  g_return_if_fail (TOKENS_IS_CLIENT (self));

  if (seconds == soup_session_get_timeout (self->session))
    return;

  soup_session_set_timeout (self->session, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

static TokensError
code_for_status (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_BAD_REQUEST:
    case SOUP_STATUS_UNPROCESSABLE_ENTITY:
    case SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE:
      return TOKENS_ERROR_INVALID_INPUT;
    case SOUP_STATUS_UNAUTHORIZED:
      return TOKENS_ERROR_UNAUTHORIZED;
    case SOUP_STATUS_FORBIDDEN:
      return TOKENS_ERROR_FORBIDDEN;
    case SOUP_STATUS_NOT_FOUND:
    case SOUP_STATUS_GONE:
      return TOKENS_ERROR_NOT_FOUND;
    case SOUP_STATUS_CONFLICT:
      return TOKENS_ERROR_CONFLICT;
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      return TOKENS_ERROR_TOO_LARGE;
    case 429: /* Too Many Requests: no name for it in libsoup 3.2 */
      return TOKENS_ERROR_RATE_LIMITED;
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      return TOKENS_ERROR_UNAVAILABLE;
    default:
      if (status >= 500 && status < 600)
        return TOKENS_ERROR_SERVER;
      return TOKENS_ERROR_BAD_RESPONSE;
    }
}

/* Whether messages are shown in a language we have translations for:
 * the catalogue's header is the translation of "". */
static gboolean
app_is_translated (void)
{
  return g_dgettext (GETTEXT_PACKAGE, "")[0] != '\0';
}

/**
 * tokens_client_error_from_reply:
 * @status: the HTTP status of a reply that is not a success
 * @body: (nullable): its body
 *
 * Maps a failed reply to a TOKENS_ERROR: by the `code` of the service's
 * JSON error where it names one of ours, else by the status. The message
 * is the service's own `error` text when it has one, translated; in a
 * translated app, one we have no translation for is replaced by
 * tokens_error_describe() of the code.
 *
 * Returns: (transfer full): the error
 */
GError *
tokens_client_error_from_reply (guint   status,
                                GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  TokensError code = code_for_status (status);
  const char *message = NULL;
  JsonObject *object = NULL;
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  if (data != NULL && len > 0 && len < 64 * 1024 &&
      g_utf8_validate (data, len, NULL) &&
      json_parser_load_from_data (parser, data, len, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonNode *node;

      object = json_node_get_object (json_parser_get_root (parser));

      node = json_object_get_member (object, "error");
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        message = json_node_get_string (node);

      node = json_object_get_member (object, "code");
      if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING)
        {
          TokensError named;

          if (tokens_error_code_from_nick (json_node_get_string (node), &named))
            code = named;
        }

      /* The account security token's own answer, in the seed's words. */
      if (tokens_json_is_null_not_allowed (object))
        {
          code = TOKENS_ERROR_CLIENT_TOKEN_REQUIRED;
          message = NULL;
        }
    }

  /* The service's words are English. Our service's sentences are in our
   * translations (tokens-server marks them); another's stay out of a
   * translated app, where our sentence alone says what went wrong. */
  if (message != NULL && message[0] != '\0')
    {
      const char *translated = g_dgettext (GETTEXT_PACKAGE, message);

      if (translated != message)
        message = translated;
      else if (app_is_translated ())
        message = NULL;
    }

  if (message == NULL || message[0] == '\0' || strlen (message) > 500)
    message = tokens_error_describe (code);

  return g_error_new_literal (TOKENS_ERROR, code, message);
}

static GError *
error_from_transport (const GError *error)
{
  TokensError code;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    code = TOKENS_ERROR_TIMEOUT;
  else if (error->domain == G_TLS_ERROR)
    code = TOKENS_ERROR_TLS;
  else if (error->domain == SOUP_SESSION_ERROR)
    code = TOKENS_ERROR_BAD_RESPONSE;
  else
    code = TOKENS_ERROR_NETWORK;

  g_debug ("Request failed: %s", error->message);

  return tokens_error_new_described (code);
}

typedef struct
{
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *reply;
  guint         status;
  gboolean      raw;      /* the reply's bytes, not its JSON */
} Call;

static void
call_free (Call *call)
{
  g_clear_object (&call->message);
  g_clear_object (&call->stream);
  /* Replies carry secrets shown once: wiped before the memory goes. */
  if (call->reply != NULL)
    sodium_memzero (call->reply->data, call->reply->len);
  g_clear_pointer (&call->reply, g_byte_array_unref);
  g_free (call);
}

static void
call_complete (GTask *task)
{
  Call *call = g_task_get_task_data (task);
  /* A view of the reply, which call_free() wipes. */
  g_autoptr(GBytes) body = g_bytes_new_static (call->reply->data, call->reply->len);
  guint status = soup_message_get_status (call->message);
  GError *error = NULL;
  JsonNode *root;

  call->status = status;
  g_debug ("%s %s → %u",
           soup_message_get_method (call->message),
           g_uri_get_path (soup_message_get_uri (call->message)),
           status);

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, tokens_client_error_from_reply (status, body));
      return;
    }

  if (call->raw)
    {
      /* A file's bytes, not a secret: the caller keeps its own copy. */
      g_task_return_pointer (task, g_bytes_new (call->reply->data, call->reply->len),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  root = tokens_client_parse_reply (body, &error);
  if (root == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, root, (GDestroyNotify) json_node_unref);
}

/**
 * tokens_client_parse_reply:
 * @body: a successful reply's body
 *
 * Returns: (transfer full): its JSON (an object or an array, or a JSON
 *   null for an empty body), or %NULL with a BAD_RESPONSE error
 */
JsonNode *
tokens_client_parse_reply (GBytes  *body,
                           GError **error)
{
  g_autoptr(JsonParser) parser = NULL;
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;
  JsonNode *root;

  if (len == 0)
    return json_node_new (JSON_NODE_NULL);

  parser = json_parser_new ();
  if (len > MAX_REPLY_SIZE ||
      !g_utf8_validate (data, len, NULL) ||
      !json_parser_load_from_data (parser, data, len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL ||
      !(JSON_NODE_HOLDS_OBJECT (root) || JSON_NODE_HOLDS_ARRAY (root)))
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_BAD_RESPONSE,
                           tokens_error_describe (TOKENS_ERROR_BAD_RESPONSE));
      return NULL;
    }

  return json_node_ref (root);
}

static void
call_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  Call *call = g_task_get_task_data (task);

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      g_task_return_error (task, error_from_transport (error));
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      call_complete (task);
      return;
    }

  if (call->reply->len + g_bytes_get_size (chunk) > MAX_REPLY_SIZE)
    {
      g_task_return_error (task, tokens_error_new_described (TOKENS_ERROR_BAD_RESPONSE));
      return;
    }

  g_byte_array_append (call->reply, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  sodium_memzero ((gpointer) g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (call->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   cancellable,
                                   call_read_cb, g_steal_pointer (&task));
}

static void
call_send_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  Call *call = g_task_get_task_data (task);

  call->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (call->stream == NULL)
    {
      g_task_return_error (task, error_from_transport (error));
      return;
    }

  g_input_stream_read_bytes_async (call->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   cancellable,
                                   call_read_cb, g_steal_pointer (&task));
}

/**
 * tokens_client_call_async:
 * @self: a #TokensClient
 * @method: "GET", "POST", "PATCH", "PUT" or "DELETE"
 * @path: the path under the base address, starting with "/"; the caller
 *   escapes any part that came from outside
 * @body: (nullable): a JSON body
 * @cancellable: (nullable): a #GCancellable
 */
static void
start_call (TokensClient        *self,
            const char          *method,
            const char          *path,
            const char          *content_type,
            GBytes              *body,
            gboolean             raw,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;
  SoupMessageHeaders *headers;
  Call *call;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  url = g_strconcat (self->base_url, path, NULL);
  call = g_new0 (Call, 1);
  /* Room for any reply that carries a secret, so growing the array
   * leaves no unwiped copy behind. */
  call->reply = g_byte_array_sized_new (READ_CHUNK);
  call->raw = raw;
  call->message = soup_message_new (method, url);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);

  if (call->message == NULL)
    {
      g_task_return_new_error (task, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                               "%s", tokens_error_describe (TOKENS_ERROR_INVALID_INPUT));
      return;
    }

  headers = soup_message_get_request_headers (call->message);
  soup_message_headers_replace (headers, "Accept", raw ? "*/*" : "application/json");
  if (self->credential != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->credential, NULL);

      soup_message_headers_replace (headers, "Authorization", value);
      tokens_secret_free (g_steal_pointer (&value));
    }
  if (self->client_token != NULL)
    soup_message_headers_replace (headers, "Client-Token", self->client_token);

  if (body != NULL)
    soup_message_set_request_body_from_bytes (call->message, content_type, body);

  soup_session_send_async (self->session, call->message, G_PRIORITY_DEFAULT, cancellable,
                           call_send_cb, g_steal_pointer (&task));
}

void
tokens_client_call_async (TokensClient        *self,
                          const char          *method,
                          const char          *path,
                          JsonNode            *body,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_if_fail (TOKENS_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  if (body != NULL)
    {
      /* A body may hold a password: wiped once sent. */
      char *json = json_to_string (body, FALSE);

      bytes = g_bytes_new_with_free_func (json, strlen (json), (GDestroyNotify) tokens_secret_free, json);
    }

  start_call (self, method, path, "application/json", bytes, FALSE,
              tokens_client_call_async, cancellable, callback, user_data);
}

/**
 * tokens_client_call_bytes_async:
 * @content_type: (nullable): the type of @body
 * @body: (nullable): the request body, sent as it is
 *
 * Like tokens_client_call_async() for a body or a reply that is not
 * JSON (the files). A reply that is not a success is still an error.
 */
void
tokens_client_call_bytes_async (TokensClient        *self,
                                const char          *method,
                                const char          *path,
                                const char          *content_type,
                                GBytes              *body,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (TOKENS_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL && path[0] == '/');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start_call (self, method, path,
              content_type ? content_type : "application/octet-stream", body, TRUE,
              tokens_client_call_bytes_async, cancellable, callback, user_data);
}

/**
 * tokens_client_call_bytes_finish:
 * @out_status: (out) (optional): the reply's HTTP status
 *
 * Returns: (transfer full): the reply's body
 */
GBytes *
tokens_client_call_bytes_finish (TokensClient  *self,
                                 GAsyncResult  *result,
                                 guint         *out_status,
                                 GError       **error)
{
  Call *call;

  g_return_val_if_fail (TOKENS_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tokens_client_call_bytes_async, NULL);

  call = g_task_get_task_data (G_TASK (result));
  if (out_status != NULL)
    *out_status = call->status;

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The typed endpoints' plumbing: a call, its reply parsed into a result. */

typedef struct
{
  TokensReplyParser parser;
  GDestroyNotify    result_free;
} Request;

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(JsonNode) reply = NULL;
  GError *error = NULL;
  gpointer value;

  reply = tokens_client_call_finish (TOKENS_CLIENT (object), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (request->parser == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  value = request->parser (reply, &error);
  if (value == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, value, request->result_free);
}

void
tokens_client_request_async (TokensClient        *self,
                             const char          *method,
                             const char          *path,
                             JsonNode            *body,
                             TokensReplyParser    parser,
                             GDestroyNotify       result_free,
                             gpointer             source_tag,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  Request *request;

  g_return_if_fail (TOKENS_IS_CLIENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  request = g_new0 (Request, 1);
  request->parser = parser;
  request->result_free = result_free;
  g_task_set_task_data (task, request, g_free);

  tokens_client_call_async (self, method, path, body, cancellable, request_cb, task);
}

gpointer
tokens_client_request_finish (TokensClient  *self,
                              GAsyncResult  *result,
                              gpointer       source_tag,
                              GError       **error)
{
  g_return_val_if_fail (TOKENS_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
tokens_client_request_finish_boolean (TokensClient  *self,
                                      GAsyncResult  *result,
                                      gpointer       source_tag,
                                      GError       **error)
{
  g_return_val_if_fail (TOKENS_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tokens_client_build_path:
 * @first: the path's start, such as "/v1/tokens"
 * @...: segments from outside, each escaped, then %NULL
 *
 * Returns: (transfer full): the path
 */
char *
tokens_client_build_path (const char *first,
                          ...)
{
  GString *path = g_string_new (first);
  const char *segment;
  va_list args;

  va_start (args, first);
  while ((segment = va_arg (args, const char *)) != NULL)
    {
      if (segment[0] == '/')
        {
          /* A fixed tail such as "/renew", written by us. */
          g_string_append (path, segment);
          continue;
        }
      g_string_append_c (path, '/');
      g_string_append_uri_escaped (path, segment, NULL, FALSE);
    }
  va_end (args);

  return g_string_free (path, FALSE);
}

char *
tokens_client_page_query (const char *path,
                          guint       page_size,
                          const char *page_token)
{
  GString *url = g_string_new (path);
  char sep = '?';

  if (page_size > 0)
    {
      g_string_append_printf (url, "%cpage_size=%u", sep, page_size);
      sep = '&';
    }
  if (page_token != NULL && page_token[0] != '\0')
    {
      g_string_append_printf (url, "%cpage_token=", sep);
      g_string_append_uri_escaped (url, page_token, NULL, FALSE);
    }

  return g_string_free (url, FALSE);
}

/**
 * tokens_client_dup_secret:
 * @kind: the kind the member must hold
 *
 * A secret the service shows once, checked offline: a malformed one, or
 * one of another kind, is a bad reply (and never logged).
 *
 * Returns: (transfer full) (nullable): the secret
 */
TokensSecret *
tokens_client_dup_secret (JsonObject       *object,
                          const char       *member,
                          TokensTokenKind   kind,
                          GError          **error)
{
  const char *secret;
  TokensTokenKind found;

  if (!tokens_json_get_string (object, member, TRUE, &secret, error))
    return NULL;

  if (!tokens_token_validate (secret, &found, NULL) || found != kind)
    {
      g_propagate_error (error, tokens_json_bad_reply (member));
      return NULL;
    }

  return g_strdup (secret);
}

/* `next_page_token`: required, a string or null (the last page). */
gboolean
tokens_client_get_next_page_token (JsonObject  *object,
                                   char       **out,
                                   GError     **error)
{
  const char *next;

  *out = NULL;
  if (!json_object_has_member (object, "next_page_token"))
    {
      g_propagate_error (error, tokens_json_bad_reply ("next_page_token"));
      return FALSE;
    }
  if (!tokens_json_get_string (object, "next_page_token", FALSE, &next, error))
    return FALSE;

  *out = (next != NULL && next[0] != '\0') ? g_strdup (next) : NULL;
  return TRUE;
}

void
tokens_secret_reply_free (TokensSecretReply *reply)
{
  g_clear_pointer (&reply->secret, tokens_secret_free);
  g_clear_object (&reply->model);
  g_clear_object (&reply->model2);
  g_clear_pointer (&reply->expires_at, g_date_time_unref);
  g_free (reply);
}

TokensSecret *
tokens_secret_reply_steal (TokensSecretReply *reply,
                           gpointer          *out_model,
                           gpointer          *out_model2)
{
  if (out_model != NULL)
    *out_model = g_steal_pointer (&reply->model);
  if (out_model2 != NULL)
    *out_model2 = g_steal_pointer (&reply->model2);

  return g_steal_pointer (&reply->secret);
}

void
tokens_page_free (TokensPage *page)
{
  g_clear_pointer (&page->items, g_ptr_array_unref);
  g_clear_pointer (&page->next_page_token, g_free);
  g_free (page);
}

/**
 * tokens_client_call_finish:
 *
 * Returns: (transfer full): the reply's JSON (an object or an array, or a
 *   JSON null when the reply had no body)
 */
JsonNode *
tokens_client_call_finish (TokensClient  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (TOKENS_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == tokens_client_call_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
tokens_client_finalize (GObject *object)
{
  TokensClient *self = (TokensClient *) object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->credential, tokens_secret_free);
  g_clear_pointer (&self->client_token, tokens_secret_free);

  G_OBJECT_CLASS (tokens_client_parent_class)->finalize (object);
}

static void
tokens_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TokensClient *self = TOKENS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_ALLOW_INSECURE:
      g_value_set_boolean (value, self->allow_insecure);
      break;

    case PROP_TIMEOUT:
      g_value_set_uint (value, tokens_client_get_timeout (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_client_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TokensClient *self = TOKENS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      /* Construct-only through tokens_client_new(), which checked it. */
      g_free (self->base_url);
      self->base_url = normalize_url (g_value_get_string (value));
      update_proxy_resolver (self);
      break;

    case PROP_ALLOW_INSECURE:
      self->allow_insecure = g_value_get_boolean (value);
      break;

    case PROP_TIMEOUT:
      tokens_client_set_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_client_class_init (TokensClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tokens_client_finalize;
  object_class->get_property = tokens_client_get_property;
  object_class->set_property = tokens_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         "http://127.0.0.1",
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ALLOW_INSECURE] =
    g_param_spec_boolean ("allow-insecure", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_TIMEOUT_SECONDS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_client_init (TokensClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Tokens/%s", PACKAGE_VERSION);

  self->base_url = g_strdup ("http://127.0.0.1");
  self->session = soup_session_new_with_options ("timeout", DEFAULT_TIMEOUT_SECONDS,
                                                 "idle-timeout", 60,
                                                 "user-agent", user_agent,
                                                 NULL);
}
