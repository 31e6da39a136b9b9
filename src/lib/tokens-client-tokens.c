/* tokens-client-tokens.c — access tokens: list, create, edit, revoke, renew, verify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "tokens-client-private.h"
#include "tokens-error.h"
#include "tokens-json.h"

G_DEFINE_ENUM_TYPE (TokensDeleteOld, tokens_delete_old,
                    G_DEFINE_ENUM_VALUE (TOKENS_DELETE_OLD_LATER, "later"),
                    G_DEFINE_ENUM_VALUE (TOKENS_DELETE_OLD_NOW, "now"))

G_DEFINE_BOXED_TYPE (TokensVerification, tokens_verification,
                     tokens_verification_copy, tokens_verification_free)

TokensVerification *
tokens_verification_copy (const TokensVerification *self)
{
  TokensVerification *copy = g_new0 (TokensVerification, 1);

  copy->account_id = g_strdup (self->account_id);
  copy->email = g_strdup (self->email);
  copy->kind = g_strdup (self->kind);
  copy->token_id = g_strdup (self->token_id);
  copy->scopes = self->scopes;
  copy->expires_at = self->expires_at ? g_date_time_ref (self->expires_at) : NULL;
  copy->is_previous = self->is_previous;

  return copy;
}

void
tokens_verification_free (TokensVerification *self)
{
  if (self == NULL)
    return;

  g_free (self->account_id);
  g_free (self->email);
  g_free (self->kind);
  g_free (self->token_id);
  g_clear_pointer (&self->expires_at, g_date_time_unref);
  g_free (self);
}

static gpointer
parse_token (JsonNode  *reply,
             GError   **error)
{
  JsonObject *object = tokens_json_get_object (reply, NULL, error);

  return object ? tokens_access_token_new_from_json (object, error) : NULL;
}

static gpointer
parse_token_with_secret (JsonNode  *reply,
                         GError   **error)
{
  g_autoptr(TokensSecretReply) result = g_new0 (TokensSecretReply, 1);
  JsonObject *object, *token;

  if ((object = tokens_json_get_object (reply, NULL, error)) == NULL ||
      !tokens_json_get_object_member (object, "access_token", TRUE, &token, error) ||
      (result->model = tokens_access_token_new_from_json (token, error)) == NULL ||
      (result->secret = tokens_client_dup_secret (object, "token", TOKENS_TOKEN_KIND_ACCESS, error)) == NULL)
    return NULL;

  return g_steal_pointer (&result);
}

static TokensSecret *
finish_token_with_secret (TokensClient       *self,
                          GAsyncResult       *result,
                          gpointer            source_tag,
                          TokensAccessToken **out_token,
                          GError            **error)
{
  g_autoptr(TokensSecretReply) reply = NULL;

  reply = tokens_client_request_finish (self, result, source_tag, error);
  if (reply == NULL)
    return NULL;

  return tokens_secret_reply_steal (reply, (gpointer *) out_token, NULL);
}

/* GET /v1/tokens */

static gpointer
parse_token_page (JsonNode  *reply,
                  GError   **error)
{
  g_autoptr(TokensPage) page = g_new0 (TokensPage, 1);
  JsonObject *object;
  JsonArray *tokens;

  if ((object = tokens_json_get_object (reply, NULL, error)) == NULL ||
      !tokens_json_get_array (object, "tokens", TRUE, &tokens, error) ||
      !tokens_json_get_int (object, "total", TRUE, &page->total, error) ||
      !tokens_client_get_next_page_token (object, &page->next_page_token, error))
    return NULL;

  if (page->total < 0 || page->total > G_MAXINT)
    {
      g_propagate_error (error, tokens_json_bad_reply ("total"));
      return NULL;
    }

  page->items = g_ptr_array_new_full (json_array_get_length (tokens), g_object_unref);
  for (guint i = 0; i < json_array_get_length (tokens); i++)
    {
      JsonNode *node = json_array_get_element (tokens, i);
      TokensAccessToken *token;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_propagate_error (error, tokens_json_bad_reply ("tokens"));
          return NULL;
        }
      if ((token = tokens_access_token_new_from_json (json_node_get_object (node), error)) == NULL)
        return NULL;
      g_ptr_array_add (page->items, token);
    }

  return g_steal_pointer (&page);
}

/**
 * tokens_client_list_tokens_async:
 * @page_size: 1 to 100, or 0 for the service's default (50)
 * @page_token: (nullable): the previous page's next page token, or %NULL
 *   for the first page
 */
void
tokens_client_list_tokens_async (TokensClient        *self,
                                 guint                page_size,
                                 const char          *page_token,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *path = tokens_client_page_query ("/v1/tokens", page_size, page_token);

  tokens_client_request_async (self, "GET", path, NULL, parse_token_page, (GDestroyNotify) tokens_page_free,
                               tokens_client_list_tokens_async, cancellable, callback, user_data);
}

/**
 * tokens_client_list_tokens_finish:
 * @out_total: (out) (optional): how many tokens there are in all
 * @out_next_page_token: (out) (optional) (transfer full): the next page's
 *   token, %NULL on the last page
 *
 * Returns: (transfer container) (element-type TokensAccessToken): the page
 */
GPtrArray *
tokens_client_list_tokens_finish (TokensClient  *self,
                                  GAsyncResult  *result,
                                  guint         *out_total,
                                  char         **out_next_page_token,
                                  GError       **error)
{
  g_autoptr(TokensPage) page = NULL;

  page = tokens_client_request_finish (self, result, tokens_client_list_tokens_async, error);
  if (page == NULL)
    return NULL;

  if (out_total != NULL)
    *out_total = (guint) page->total;
  if (out_next_page_token != NULL)
    *out_next_page_token = g_steal_pointer (&page->next_page_token);

  return g_steal_pointer (&page->items);
}

/* POST /v1/tokens */

/**
 * tokens_client_create_token_async:
 * @name: the token's name
 * @scopes: at least one scope
 * @expires_in_days: 1 to 3650, or 0 for no expiry
 */
void
tokens_client_create_token_async (TokensClient        *self,
                                  const char          *name,
                                  TokensScopes         scopes,
                                  guint                expires_in_days,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (name != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  tokens_json_add_scopes (builder, "scopes", scopes);
  json_builder_set_member_name (builder, "expires_in_days");
  if (expires_in_days > 0)
    json_builder_add_int_value (builder, expires_in_days);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  tokens_client_request_async (self, "POST", "/v1/tokens", body,
                               parse_token_with_secret, (GDestroyNotify) tokens_secret_reply_free,
                               tokens_client_create_token_async, cancellable, callback, user_data);
}

/**
 * tokens_client_create_token_finish:
 * @out_token: (out) (optional) (transfer full): the new token
 *
 * Returns: (transfer full): its secret, shown once
 */
TokensSecret *
tokens_client_create_token_finish (TokensClient       *self,
                                   GAsyncResult       *result,
                                   TokensAccessToken **out_token,
                                   GError            **error)
{
  return finish_token_with_secret (self, result, tokens_client_create_token_async, out_token, error);
}

/* GET /v1/tokens/{id} */

void
tokens_client_get_token_async (TokensClient        *self,
                               const char          *id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (id != NULL);

  path = tokens_client_build_path ("/v1/tokens", id, NULL);
  tokens_client_request_async (self, "GET", path, NULL, parse_token, g_object_unref,
                               tokens_client_get_token_async, cancellable, callback, user_data);
}

/**
 * tokens_client_get_token_finish:
 *
 * Returns: (transfer full): the token
 */
TokensAccessToken *
tokens_client_get_token_finish (TokensClient  *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  return tokens_client_request_finish (self, result, tokens_client_get_token_async, error);
}

/* PATCH /v1/tokens/{id} */

/**
 * tokens_client_update_token_async:
 * @name: (nullable): the new name, or %NULL to keep it
 * @scopes: the new scopes, or %TOKENS_SCOPE_NONE to keep them
 */
void
tokens_client_update_token_async (TokensClient        *self,
                                  const char          *id,
                                  const char          *name,
                                  TokensScopes         scopes,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (id != NULL);
  g_return_if_fail (name != NULL || scopes != TOKENS_SCOPE_NONE);

  json_builder_begin_object (builder);
  if (name != NULL)
    {
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
    }
  if (scopes != TOKENS_SCOPE_NONE)
    tokens_json_add_scopes (builder, "scopes", scopes);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  path = tokens_client_build_path ("/v1/tokens", id, NULL);
  tokens_client_request_async (self, "PATCH", path, body, parse_token, g_object_unref,
                               tokens_client_update_token_async, cancellable, callback, user_data);
}

/**
 * tokens_client_update_token_finish:
 *
 * Returns: (transfer full): the token as it is now
 */
TokensAccessToken *
tokens_client_update_token_finish (TokensClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return tokens_client_request_finish (self, result, tokens_client_update_token_async, error);
}

/* DELETE /v1/tokens/{id} */

void
tokens_client_revoke_token_async (TokensClient        *self,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (id != NULL);

  path = tokens_client_build_path ("/v1/tokens", id, NULL);
  tokens_client_request_async (self, "DELETE", path, NULL, NULL, NULL,
                               tokens_client_revoke_token_async, cancellable, callback, user_data);
}

gboolean
tokens_client_revoke_token_finish (TokensClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return tokens_client_request_finish_boolean (self, result, tokens_client_revoke_token_async, error);
}

/* POST /v1/tokens/{id}/renew */

/**
 * tokens_client_renew_token_async:
 * @delete_old: refuse the old secret now, or keep it valid until it is
 *   deleted (or the renewal undone)
 * @expires_in_days: %TOKENS_RENEW_SAME_DURATION, 0 for no expiry, or
 *   1 to 3650 days
 *
 * Renewing while an old secret is kept is %TOKENS_ERROR_CONFLICT.
 */
void
tokens_client_renew_token_async (TokensClient        *self,
                                 const char          *id,
                                 TokensDeleteOld      delete_old,
                                 int                  expires_in_days,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (id != NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "delete_old");
  json_builder_add_string_value (builder, delete_old == TOKENS_DELETE_OLD_NOW ? "now" : "later");
  if (expires_in_days != TOKENS_RENEW_SAME_DURATION)
    {
      json_builder_set_member_name (builder, "expires_in_days");
      if (expires_in_days > 0)
        json_builder_add_int_value (builder, expires_in_days);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  path = tokens_client_build_path ("/v1/tokens", id, "/renew", NULL);
  tokens_client_request_async (self, "POST", path, body,
                               parse_token_with_secret, (GDestroyNotify) tokens_secret_reply_free,
                               tokens_client_renew_token_async, cancellable, callback, user_data);
}

/**
 * tokens_client_renew_token_finish:
 * @out_token: (out) (optional) (transfer full): the token as it is now
 *
 * Returns: (transfer full): the new secret, shown once
 */
TokensSecret *
tokens_client_renew_token_finish (TokensClient       *self,
                                  GAsyncResult       *result,
                                  TokensAccessToken **out_token,
                                  GError            **error)
{
  return finish_token_with_secret (self, result, tokens_client_renew_token_async, out_token, error);
}

/* DELETE /v1/tokens/{id}/previous */

void
tokens_client_delete_previous_token_async (TokensClient        *self,
                                           const char          *id,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (id != NULL);

  path = tokens_client_build_path ("/v1/tokens", id, "/previous", NULL);
  tokens_client_request_async (self, "DELETE", path, NULL, parse_token, g_object_unref,
                               tokens_client_delete_previous_token_async, cancellable, callback, user_data);
}

/**
 * tokens_client_delete_previous_token_finish:
 *
 * Returns: (transfer full): the token as it is now, without a previous secret
 */
TokensAccessToken *
tokens_client_delete_previous_token_finish (TokensClient  *self,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  return tokens_client_request_finish (self, result, tokens_client_delete_previous_token_async, error);
}

/* POST /v1/tokens/{id}/undo-renewal */

void
tokens_client_undo_renewal_async (TokensClient        *self,
                                  const char          *id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (id != NULL);

  path = tokens_client_build_path ("/v1/tokens", id, "/undo-renewal", NULL);
  tokens_client_request_async (self, "POST", path, NULL, parse_token, g_object_unref,
                               tokens_client_undo_renewal_async, cancellable, callback, user_data);
}

/**
 * tokens_client_undo_renewal_finish:
 *
 * Returns: (transfer full): the token as it is now, its old secret current again
 */
TokensAccessToken *
tokens_client_undo_renewal_finish (TokensClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return tokens_client_request_finish (self, result, tokens_client_undo_renewal_async, error);
}

/* GET /v1/tokens/verify */

static gpointer
parse_verification (JsonNode  *reply,
                    GError   **error)
{
  g_autoptr(TokensVerification) result = g_new0 (TokensVerification, 1);
  JsonObject *object;
  JsonArray *scopes;
  const char *email, *kind;

  if ((object = tokens_json_get_object (reply, NULL, error)) == NULL ||
      !tokens_json_get_id (object, "account_id", &result->account_id, error) ||
      !tokens_json_get_string (object, "email", TRUE, &email, error) ||
      !tokens_json_get_string (object, "kind", TRUE, &kind, error) ||
      !tokens_json_get_array (object, "scopes", TRUE, &scopes, error) ||
      !tokens_scopes_from_json (scopes, &result->scopes, error) ||
      !tokens_json_get_datetime (object, "expires_at", FALSE, &result->expires_at, error) ||
      !tokens_json_get_bool (object, "is_previous", TRUE, &result->is_previous, error))
    return NULL;

  if (json_object_has_member (object, "token_id") &&
      !json_node_is_null (json_object_get_member (object, "token_id")) &&
      !tokens_json_get_id (object, "token_id", &result->token_id, error))
    return NULL;

  result->email = g_strdup (email);
  result->kind = g_strdup (kind);
  return g_steal_pointer (&result);
}

void
tokens_client_verify_token_async (TokensClient        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  tokens_client_request_async (self, "GET", "/v1/tokens/verify", NULL,
                               parse_verification, (GDestroyNotify) tokens_verification_free,
                               tokens_client_verify_token_async, cancellable, callback, user_data);
}

/**
 * tokens_client_verify_token_finish:
 *
 * Returns: (transfer full): whom the client's credential speaks for
 */
TokensVerification *
tokens_client_verify_token_finish (TokensClient  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return tokens_client_request_finish (self, result, tokens_client_verify_token_async, error);
}
