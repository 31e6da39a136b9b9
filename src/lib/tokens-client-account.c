/* tokens-client-account.c — the service and the account: sign-up, sign-in,
 * sign-out, who am I, the API token and the audit log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tokens-client-private.h"
#include "tokens-error.h"
#include "tokens-json.h"

/* GET /v1/health */

static gpointer
parse_health (JsonNode  *reply,
              GError   **error)
{
  JsonObject *object = tokens_json_get_object (reply, NULL, error);
  const char *status;

  if (object == NULL || !tokens_json_get_string (object, "status", TRUE, &status, error))
    return NULL;

  if (!g_str_equal (status, "ok"))
    {
      g_propagate_error (error, tokens_json_bad_reply ("status"));
      return NULL;
    }

  return GINT_TO_POINTER (TRUE);
}

void
tokens_client_health_async (TokensClient        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  tokens_client_request_async (self, "GET", "/v1/health", NULL, parse_health, NULL,
                               tokens_client_health_async, cancellable, callback, user_data);
}

gboolean
tokens_client_health_finish (TokensClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return tokens_client_request_finish (self, result, tokens_client_health_async, error) != NULL;
}

static JsonNode *
credentials_body (const char *email,
                  const char *password)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* POST /v1/accounts */

static gpointer
parse_sign_up (JsonNode  *reply,
               GError   **error)
{
  g_autoptr(TokensSecretReply) result = g_new0 (TokensSecretReply, 1);
  JsonObject *object, *account, *api_key;

  if ((object = tokens_json_get_object (reply, NULL, error)) == NULL ||
      !tokens_json_get_object_member (object, "account", TRUE, &account, error) ||
      !tokens_json_get_object_member (object, "api_key", TRUE, &api_key, error) ||
      (result->model = tokens_profile_new_from_json (account, error)) == NULL ||
      (result->model2 = tokens_api_key_new_from_json (api_key, error)) == NULL ||
      (result->secret = tokens_client_dup_secret (object, "token", TOKENS_TOKEN_KIND_API_KEY, error)) == NULL)
    return NULL;

  return g_steal_pointer (&result);
}

/**
 * tokens_client_sign_up_async:
 * @email: the new account's email address
 * @password: its password (8 bytes or more)
 *
 * Creates an account, where the service allows it (else
 * %TOKENS_ERROR_SIGNUP_DISABLED).
 */
void
tokens_client_sign_up_async (TokensClient        *self,
                             const char          *email,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);

  body = credentials_body (email, password);
  tokens_client_request_async (self, "POST", "/v1/accounts", body,
                               parse_sign_up, (GDestroyNotify) tokens_secret_reply_free,
                               tokens_client_sign_up_async, cancellable, callback, user_data);
}

/**
 * tokens_client_sign_up_finish:
 * @out_profile: (out) (optional) (transfer full): the new account
 * @out_api_key: (out) (optional) (transfer full): its API token's metadata
 *
 * Returns: (transfer full): the account's API token, shown once
 */
TokensSecret *
tokens_client_sign_up_finish (TokensClient   *self,
                              GAsyncResult   *result,
                              TokensProfile **out_profile,
                              TokensApiKey  **out_api_key,
                              GError        **error)
{
  g_autoptr(TokensSecretReply) reply = NULL;

  reply = tokens_client_request_finish (self, result, tokens_client_sign_up_async, error);
  if (reply == NULL)
    return NULL;

  return tokens_secret_reply_steal (reply, (gpointer *) out_profile, (gpointer *) out_api_key);
}

/* POST /v1/sessions */

static gpointer
parse_sign_in (JsonNode  *reply,
               GError   **error)
{
  g_autoptr(TokensSecretReply) result = g_new0 (TokensSecretReply, 1);
  JsonObject *object, *account;

  if ((object = tokens_json_get_object (reply, NULL, error)) == NULL ||
      !tokens_json_get_object_member (object, "account", TRUE, &account, error) ||
      (result->model = tokens_profile_new_from_json (account, error)) == NULL ||
      !tokens_json_get_datetime (object, "expires_at", TRUE, &result->expires_at, error) ||
      (result->secret = tokens_client_dup_secret (object, "token", TOKENS_TOKEN_KIND_SESSION, error)) == NULL)
    return NULL;

  return g_steal_pointer (&result);
}

/**
 * tokens_client_sign_in_async:
 *
 * Email and password for a session. A wrong one is
 * %TOKENS_ERROR_WRONG_CREDENTIALS; too many failures,
 * %TOKENS_ERROR_RATE_LIMITED.
 */
void
tokens_client_sign_in_async (TokensClient        *self,
                             const char          *email,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);

  body = credentials_body (email, password);
  tokens_client_request_async (self, "POST", "/v1/sessions", body,
                               parse_sign_in, (GDestroyNotify) tokens_secret_reply_free,
                               tokens_client_sign_in_async, cancellable, callback, user_data);
}

/**
 * tokens_client_sign_in_finish:
 * @out_expires_at: (out) (optional) (transfer full): when the session ends
 * @out_profile: (out) (optional) (transfer full): the account
 *
 * Returns: (transfer full): the session token
 */
TokensSecret *
tokens_client_sign_in_finish (TokensClient   *self,
                              GAsyncResult   *result,
                              GDateTime     **out_expires_at,
                              TokensProfile **out_profile,
                              GError        **error)
{
  g_autoptr(TokensSecretReply) reply = NULL;

  reply = tokens_client_request_finish (self, result, tokens_client_sign_in_async, error);
  if (reply == NULL)
    return NULL;

  if (out_expires_at != NULL)
    *out_expires_at = g_steal_pointer (&reply->expires_at);

  return tokens_secret_reply_steal (reply, (gpointer *) out_profile, NULL);
}

/* DELETE /v1/sessions/current */

void
tokens_client_sign_out_async (TokensClient        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  tokens_client_request_async (self, "DELETE", "/v1/sessions/current", NULL, NULL, NULL,
                               tokens_client_sign_out_async, cancellable, callback, user_data);
}

gboolean
tokens_client_sign_out_finish (TokensClient  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return tokens_client_request_finish_boolean (self, result, tokens_client_sign_out_async, error);
}

/* GET /v1/me */

static gpointer
parse_profile (JsonNode  *reply,
               GError   **error)
{
  JsonObject *object = tokens_json_get_object (reply, NULL, error);

  return object ? tokens_profile_new_from_json (object, error) : NULL;
}

void
tokens_client_get_me_async (TokensClient        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  tokens_client_request_async (self, "GET", "/v1/me", NULL, parse_profile, g_object_unref,
                               tokens_client_get_me_async, cancellable, callback, user_data);
}

/**
 * tokens_client_get_me_finish:
 *
 * Returns: (transfer full): who the service says we are
 */
TokensProfile *
tokens_client_get_me_finish (TokensClient  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return tokens_client_request_finish (self, result, tokens_client_get_me_async, error);
}

/* GET /v1/me/api-key */

static gpointer
parse_api_key (JsonNode  *reply,
               GError   **error)
{
  JsonObject *object = tokens_json_get_object (reply, NULL, error);

  return object ? tokens_api_key_new_from_json (object, error) : NULL;
}

void
tokens_client_get_api_key_async (TokensClient        *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  tokens_client_request_async (self, "GET", "/v1/me/api-key", NULL, parse_api_key, g_object_unref,
                               tokens_client_get_api_key_async, cancellable, callback, user_data);
}

/**
 * tokens_client_get_api_key_finish:
 *
 * Returns: (transfer full): the API token's metadata
 */
TokensApiKey *
tokens_client_get_api_key_finish (TokensClient  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return tokens_client_request_finish (self, result, tokens_client_get_api_key_async, error);
}

/* POST /v1/me/api-key/reset */

static gpointer
parse_reset (JsonNode  *reply,
             GError   **error)
{
  g_autoptr(TokensSecretReply) result = g_new0 (TokensSecretReply, 1);
  JsonObject *object, *api_key;

  if ((object = tokens_json_get_object (reply, NULL, error)) == NULL ||
      !tokens_json_get_object_member (object, "api_key", TRUE, &api_key, error) ||
      (result->model = tokens_api_key_new_from_json (api_key, error)) == NULL ||
      (result->secret = tokens_client_dup_secret (object, "token", TOKENS_TOKEN_KIND_API_KEY, error)) == NULL)
    return NULL;

  return g_steal_pointer (&result);
}

/**
 * tokens_client_reset_api_key_async:
 *
 * A new API token; the old one is refused from this instant.
 */
void
tokens_client_reset_api_key_async (TokensClient        *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  tokens_client_request_async (self, "POST", "/v1/me/api-key/reset", NULL,
                               parse_reset, (GDestroyNotify) tokens_secret_reply_free,
                               tokens_client_reset_api_key_async, cancellable, callback, user_data);
}

/**
 * tokens_client_reset_api_key_finish:
 * @out_api_key: (out) (optional) (transfer full): the new token's metadata
 *
 * Returns: (transfer full): the new API token, shown once
 */
TokensSecret *
tokens_client_reset_api_key_finish (TokensClient  *self,
                                    GAsyncResult  *result,
                                    TokensApiKey **out_api_key,
                                    GError       **error)
{
  g_autoptr(TokensSecretReply) reply = NULL;

  reply = tokens_client_request_finish (self, result, tokens_client_reset_api_key_async, error);
  if (reply == NULL)
    return NULL;

  return tokens_secret_reply_steal (reply, (gpointer *) out_api_key, NULL);
}

/* GET /v1/me/events */

static gpointer
parse_events (JsonNode  *reply,
              GError   **error)
{
  g_autoptr(TokensPage) page = g_new0 (TokensPage, 1);
  JsonObject *object;
  JsonArray *events;

  if ((object = tokens_json_get_object (reply, NULL, error)) == NULL ||
      !tokens_json_get_array (object, "events", TRUE, &events, error) ||
      !tokens_client_get_next_page_token (object, &page->next_page_token, error))
    return NULL;

  page->items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonNode *node = json_array_get_element (events, i);
      TokensEvent *event;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_propagate_error (error, tokens_json_bad_reply ("events"));
          return NULL;
        }
      if ((event = tokens_event_new_from_json (json_node_get_object (node), error)) == NULL)
        return NULL;
      g_ptr_array_add (page->items, event);
    }

  return g_steal_pointer (&page);
}

void
tokens_client_list_events_async (TokensClient        *self,
                                 guint                page_size,
                                 const char          *page_token,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *path = tokens_client_page_query ("/v1/me/events", page_size, page_token);

  tokens_client_request_async (self, "GET", path, NULL, parse_events, (GDestroyNotify) tokens_page_free,
                               tokens_client_list_events_async, cancellable, callback, user_data);
}

/**
 * tokens_client_list_events_finish:
 * @out_next_page_token: (out) (optional) (transfer full): the next page's
 *   token, %NULL on the last page
 *
 * Returns: (transfer container) (element-type TokensEvent): the page
 */
GPtrArray *
tokens_client_list_events_finish (TokensClient  *self,
                                  GAsyncResult  *result,
                                  char         **out_next_page_token,
                                  GError       **error)
{
  g_autoptr(TokensPage) page = NULL;

  page = tokens_client_request_finish (self, result, tokens_client_list_events_async, error);
  if (page == NULL)
    return NULL;

  if (out_next_page_token != NULL)
    *out_next_page_token = g_steal_pointer (&page->next_page_token);

  return g_steal_pointer (&page->items);
}
