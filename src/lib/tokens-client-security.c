/* tokens-client-security.c — the account security token (Client-Token)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Configuring one returns its secret once, disabled; activating it makes
 * the service refuse every request without the `Client-Token` header. The
 * caller keeps the secret and gives it to tokens_client_set_client_token().
 */

#include "config.h"

#include "tokens-client-private.h"
#include "tokens-error.h"
#include "tokens-json.h"

#define PATH "/v1/security/client-token"

static gpointer
parse_state (JsonNode  *reply,
             GError   **error)
{
  JsonObject *object = tokens_json_get_object (reply, NULL, error);

  return object ? tokens_security_token_new_from_json (object, error) : NULL;
}

void
tokens_client_get_security_token_async (TokensClient        *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  tokens_client_request_async (self, "GET", PATH, NULL, parse_state, g_object_unref,
                               tokens_client_get_security_token_async, cancellable, callback, user_data);
}

/**
 * tokens_client_get_security_token_finish:
 *
 * Returns: (transfer full): its state (%TOKENS_SECURITY_TOKEN_STATE_NONE
 *   when not configured)
 */
TokensSecurityToken *
tokens_client_get_security_token_finish (TokensClient  *self,
                                         GAsyncResult  *result,
                                         GError       **error)
{
  return tokens_client_request_finish (self, result, tokens_client_get_security_token_async, error);
}

static gpointer
parse_configure (JsonNode  *reply,
                 GError   **error)
{
  g_autoptr(TokensSecretReply) result = g_new0 (TokensSecretReply, 1);
  JsonObject *object, *state;

  if ((object = tokens_json_get_object (reply, NULL, error)) == NULL ||
      !tokens_json_get_object_member (object, "client_token", TRUE, &state, error) ||
      (result->model = tokens_security_token_new_from_json (state, error)) == NULL ||
      (result->secret = tokens_client_dup_secret (object, "token", TOKENS_TOKEN_KIND_CLIENT, error)) == NULL)
    return NULL;

  return g_steal_pointer (&result);
}

/**
 * tokens_client_configure_security_token_async:
 *
 * "Configure now": a new security token, disabled. When one exists,
 * %TOKENS_ERROR_CONFLICT (delete it first).
 */
void
tokens_client_configure_security_token_async (TokensClient        *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  tokens_client_request_async (self, "POST", PATH, NULL,
                               parse_configure, (GDestroyNotify) tokens_secret_reply_free,
                               tokens_client_configure_security_token_async, cancellable, callback, user_data);
}

/**
 * tokens_client_configure_security_token_finish:
 * @out_state: (out) (optional) (transfer full): its state, disabled
 *
 * Returns: (transfer full): the `Client-Token` value, shown once
 */
TokensSecret *
tokens_client_configure_security_token_finish (TokensClient         *self,
                                               GAsyncResult         *result,
                                               TokensSecurityToken **out_state,
                                               GError              **error)
{
  g_autoptr(TokensSecretReply) reply = NULL;

  reply = tokens_client_request_finish (self, result, tokens_client_configure_security_token_async, error);
  if (reply == NULL)
    return NULL;

  return tokens_secret_reply_steal (reply, (gpointer *) out_state, NULL);
}

void
tokens_client_activate_security_token_async (TokensClient        *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  tokens_client_request_async (self, "POST", PATH "/activate", NULL, parse_state, g_object_unref,
                               tokens_client_activate_security_token_async, cancellable, callback, user_data);
}

/**
 * tokens_client_activate_security_token_finish:
 *
 * Returns: (transfer full): its state, active
 */
TokensSecurityToken *
tokens_client_activate_security_token_finish (TokensClient  *self,
                                              GAsyncResult  *result,
                                              GError       **error)
{
  return tokens_client_request_finish (self, result, tokens_client_activate_security_token_async, error);
}

void
tokens_client_deactivate_security_token_async (TokensClient        *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  tokens_client_request_async (self, "POST", PATH "/deactivate", NULL, parse_state, g_object_unref,
                               tokens_client_deactivate_security_token_async, cancellable, callback, user_data);
}

/**
 * tokens_client_deactivate_security_token_finish:
 *
 * Returns: (transfer full): its state, disabled
 */
TokensSecurityToken *
tokens_client_deactivate_security_token_finish (TokensClient  *self,
                                                GAsyncResult  *result,
                                                GError       **error)
{
  return tokens_client_request_finish (self, result, tokens_client_deactivate_security_token_async, error);
}

void
tokens_client_delete_security_token_async (TokensClient        *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  tokens_client_request_async (self, "DELETE", PATH, NULL, NULL, NULL,
                               tokens_client_delete_security_token_async, cancellable, callback, user_data);
}

gboolean
tokens_client_delete_security_token_finish (TokensClient  *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return tokens_client_request_finish_boolean (self, result, tokens_client_delete_security_token_async, error);
}
