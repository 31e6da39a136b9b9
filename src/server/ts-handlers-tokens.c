/* ts-handlers-tokens.c — access tokens: create, list, edit, revoke, renew; verify
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Renewal follows the seed: a new secret, shown once; the old one either
 * dies at once ("now") or stays valid beside the new one until it is
 * deleted ("later", the default, as when the page is closed before
 * choosing). While the old one exists the renewal can be undone: the new
 * secret dies and the old one is current again. Each of these is one
 * transaction in the store.
 */

#include "config.h"

#include "ts-http.h"
#include "ts-json.h"
#include "ts-request.h"
#include "ts-server.h"

static void
add_secret_info (JsonBuilder        *builder,
                 const TsSecretInfo *info)
{
  tokens_json_add_string (builder, "last4", info->last4);
  tokens_json_add_time (builder, "created_at", info->created_at);
  tokens_json_add_time (builder, "expires_at", info->expires_at);
  tokens_json_add_time (builder, "last_used_at", info->last_used_at);
}

static void
add_access_token (JsonBuilder         *builder,
                  const TsAccessToken *token)
{
  json_builder_begin_object (builder);
  tokens_json_add_int (builder, "id", token->id);
  tokens_json_add_string (builder, "name", token->name);
  tokens_json_add_scopes (builder, "scopes", token->scopes);
  tokens_json_add_string (builder, "prefix", tokens_token_kind_prefix (TOKENS_TOKEN_KIND_ACCESS));
  add_secret_info (builder, &token->current);
  tokens_json_add_int (builder, "duration_days", token->duration_days);
  tokens_json_add_time (builder, "updated_at", token->updated_at);
  tokens_json_add_time (builder, "renewed_at", token->renewed_at);
  json_builder_set_member_name (builder, "previous");
  if (token->has_previous)
    {
      json_builder_begin_object (builder);
      add_secret_info (builder, &token->previous);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

/* Answers with the token as it is now; with @secret, also the secret,
 * which nobody will see again. */
static void
reply_token (TsRequest  *request,
             gint64      token_id,
             guint       status,
             const char *secret)
{
  g_autoptr(TsAccessToken) token = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;

  token = ts_store_get_access_token (request->store, request->principal->account_id,
                                     token_id, &error);
  if (token == NULL)
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  if (secret != NULL)
    {
      json_builder_begin_object (builder);
      tokens_json_add_string (builder, "token", secret);
      json_builder_set_member_name (builder, "access_token");
    }
  add_access_token (builder, token);
  if (secret != NULL)
    json_builder_end_object (builder);

  ts_reply_builder (request->exchange, status, builder);
}

/* GET /v1/tokens */

static void
list_tokens (TsRequest *request)
{
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  gint64 total = 0;
  gint64 cursor;
  gint64 next = 0;
  guint size;

  if (!ts_request_get_page (request, 50, &size, &cursor))
    return;

  if (!ts_store_list_access_tokens (request->store, request->principal->account_id,
                                    cursor, size + 1, &tokens, &total, &error))
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  if (tokens->len > size)
    {
      g_ptr_array_set_size (tokens, size);
      next = ((TsAccessToken *) g_ptr_array_index (tokens, size - 1))->id;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "tokens");
  json_builder_begin_array (builder);
  for (guint i = 0; i < tokens->len; i++)
    add_access_token (builder, g_ptr_array_index (tokens, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, total);
  ts_add_next_page_token (builder, next);
  json_builder_end_object (builder);
  ts_reply_builder (request->exchange, TS_STATUS_OK, builder);
}

/* POST /v1/tokens */

static void
create_token (TsRequest *request)
{
  static const char *const members[] = { "name", "scopes", "expires_in_days", NULL };
  g_autoptr(TsIssued) secret = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  const char *raw_name;
  gboolean present;
  gint64 days;
  gint64 id;
  guint scopes;

  if (!ts_json_check_members (request->body, members, &error) ||
      !ts_json_get_string (request->body, "name", TRUE, &raw_name, &error) ||
      !ts_check_token_name (raw_name, &name, &error) ||
      !ts_json_get_scopes (request->body, "scopes", TRUE, &scopes, &error) ||
      !ts_json_get_days (request->body, "expires_in_days", &present, &days, &error))
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  secret = ts_issued_new (TOKENS_TOKEN_KIND_ACCESS);
  id = ts_store_create_access_token (request->store, request->principal->account_id,
                                     name, scopes, days, &secret->stored, request->now, &error);
  if (id == 0)
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  reply_token (request, id, TS_STATUS_CREATED, secret->secret);
}

/* GET /v1/tokens/{id} */

static void
get_token (TsRequest *request)
{
  gint64 id;

  if (ts_request_get_id (request, &id))
    reply_token (request, id, TS_STATUS_OK, NULL);
}

/* PATCH /v1/tokens/{id} */

static void
update_token (TsRequest *request)
{
  static const char *const members[] = { "name", "scopes", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  const char *raw_name;
  guint scopes;
  gint64 id;

  if (!ts_request_get_id (request, &id))
    return;

  if (!ts_json_check_members (request->body, members, &error) ||
      !ts_json_get_string (request->body, "name", FALSE, &raw_name, &error) ||
      (raw_name != NULL && !ts_check_token_name (raw_name, &name, &error)) ||
      !ts_json_get_scopes (request->body, "scopes", FALSE, &scopes, &error))
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  if (name == NULL && scopes == 0)
    {
      ts_reply_error (request->exchange, TOKENS_ERROR_INVALID_INPUT,
                      "Nothing to change: send a name, scopes, or both.");
      return;
    }

  if (!ts_store_update_access_token (request->store, request->principal->account_id,
                                     id, name, scopes, request->now, &error))
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  reply_token (request, id, TS_STATUS_OK, NULL);
}

/* DELETE /v1/tokens/{id} */

static void
revoke_token (TsRequest *request)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (!ts_request_get_id (request, &id))
    return;

  if (!ts_store_delete_access_token (request->store, request->principal->account_id,
                                     id, request->now, &error))
    ts_reply_gerror (request->exchange, error);
  else
    ts_reply_no_content (request->exchange);
}

/* POST /v1/tokens/{id}/renew */

static void
renew_token (TsRequest *request)
{
  static const char *const members[] = { "delete_old", "expires_in_days", NULL };
  g_autoptr(TsIssued) secret = NULL;
  g_autoptr(GError) error = NULL;
  const char *delete_old = NULL;
  gboolean set_duration = FALSE;
  gboolean keep_old = TRUE;
  gint64 days = 0;
  gint64 id;

  if (!ts_request_get_id (request, &id))
    return;

  if (request->body != NULL &&
      (!ts_json_check_members (request->body, members, &error) ||
       !ts_json_get_string (request->body, "delete_old", FALSE, &delete_old, &error) ||
       !ts_json_get_days (request->body, "expires_in_days", &set_duration, &days, &error)))
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  if (delete_old == NULL || g_str_equal (delete_old, "later"))
    keep_old = TRUE;
  else if (g_str_equal (delete_old, "now"))
    keep_old = FALSE;
  else
    {
      ts_reply_error (request->exchange, TOKENS_ERROR_INVALID_INPUT,
                      "The field “delete_old” must be “now” or “later”.");
      return;
    }

  secret = ts_issued_new (TOKENS_TOKEN_KIND_ACCESS);
  if (!ts_store_renew_access_token (request->store, request->principal->account_id,
                                    id, keep_old, set_duration, days, &secret->stored,
                                    request->now, &error))
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  reply_token (request, id, TS_STATUS_OK, secret->secret);
}

/* DELETE /v1/tokens/{id}/previous */

static void
delete_previous (TsRequest *request)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (!ts_request_get_id (request, &id))
    return;

  if (!ts_store_delete_previous (request->store, request->principal->account_id,
                                 id, request->now, &error))
    ts_reply_gerror (request->exchange, error);
  else
    reply_token (request, id, TS_STATUS_OK, NULL);
}

/* POST /v1/tokens/{id}/undo-renewal */

static void
undo_renewal (TsRequest *request)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (!ts_request_get_id (request, &id))
    return;

  if (!ts_store_undo_renewal (request->store, request->principal->account_id,
                              id, request->now, &error))
    ts_reply_gerror (request->exchange, error);
  else
    reply_token (request, id, TS_STATUS_OK, NULL);
}

/* GET /v1/tokens/verify: who am I, for any bearer token. The hot path:
 * authentication did the one lookup; this only writes the answer. */

static void
verify (TsRequest *request)
{
  const TsPrincipal *who = request->principal;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  tokens_json_add_int (builder, "account_id", who->account_id);
  tokens_json_add_string (builder, "email", who->email);
  tokens_json_add_string (builder, "kind", ts_token_kind_nick (who->kind));
  tokens_json_add_int (builder, "token_id", who->access_token_id);
  tokens_json_add_scopes (builder, "scopes", who->scopes);
  tokens_json_add_time (builder, "expires_at", who->expires_at);
  json_builder_set_member_name (builder, "is_previous");
  json_builder_add_boolean_value (builder, who->is_previous);
  json_builder_end_object (builder);
  ts_reply_builder (request->exchange, TS_STATUS_OK, builder);
}

static const TsRoute routes[] = {
  { "GET",    "/v1/tokens",                   TS_AUTH_ACCOUNT, 0, TS_BODY_NONE,          list_tokens },
  { "POST",   "/v1/tokens",                   TS_AUTH_ACCOUNT, 0, TS_BODY_JSON,          create_token },
  { "GET",    "/v1/tokens/verify",            TS_AUTH_ANY,     0, TS_BODY_NONE,          verify },
  { "GET",    "/v1/tokens/{id}",              TS_AUTH_ACCOUNT, 0, TS_BODY_NONE,          get_token },
  { "PATCH",  "/v1/tokens/{id}",              TS_AUTH_ACCOUNT, 0, TS_BODY_JSON,          update_token },
  { "DELETE", "/v1/tokens/{id}",              TS_AUTH_ACCOUNT, 0, TS_BODY_NONE,          revoke_token },
  { "POST",   "/v1/tokens/{id}/renew",        TS_AUTH_ACCOUNT, 0, TS_BODY_JSON_OPTIONAL, renew_token },
  { "DELETE", "/v1/tokens/{id}/previous",     TS_AUTH_ACCOUNT, 0, TS_BODY_NONE,          delete_previous },
  { "POST",   "/v1/tokens/{id}/undo-renewal", TS_AUTH_ACCOUNT, 0, TS_BODY_NONE,          undo_renewal },
};

const TsRoute *
ts_handlers_tokens_routes (guint *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}
