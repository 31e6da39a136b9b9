/* ts-handlers-security.c — the account security token (Client-Token)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * As in the seed: configuring makes a secret, shown once, that starts
 * disabled so nothing breaks; once the clients send it as `Client-Token`,
 * activating it makes the account refuse every request without it
 * (ts-auth.c). Deactivating and deleting, while it is active, need it too.
 */

#include "config.h"

#include "ts-http.h"
#include "ts-json.h"
#include "ts-request.h"
#include "ts-server.h"

static void
add_client_token (JsonBuilder         *builder,
                  const TsClientToken *token)
{
  gboolean configured = token->state != TOKENS_SECURITY_TOKEN_STATE_NONE;

  json_builder_begin_object (builder);
  tokens_json_add_string (builder, "state", tokens_security_token_state_to_string (token->state));
  tokens_json_add_string (builder, "header", "Client-Token");
  tokens_json_add_string (builder, "prefix",
                          configured ? tokens_token_kind_prefix (TOKENS_TOKEN_KIND_CLIENT) : NULL);
  tokens_json_add_string (builder, "last4", configured ? token->secret.last4 : NULL);
  tokens_json_add_time (builder, "created_at", configured ? token->secret.created_at : 0);
  json_builder_end_object (builder);
}

static void
reply_client_token (TsRequest  *request,
                    guint       status,
                    const char *secret)
{
  g_autoptr(TsClientToken) token = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;

  token = ts_store_get_client_token (request->store, request->principal->account_id, &error);
  if (token == NULL)
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  if (secret != NULL)
    {
      json_builder_begin_object (builder);
      tokens_json_add_string (builder, "token", secret);
      json_builder_set_member_name (builder, "client_token");
    }
  add_client_token (builder, token);
  if (secret != NULL)
    json_builder_end_object (builder);

  ts_reply_builder (request->exchange, status, builder);
}

/* GET /v1/security/client-token */

static void
get_client_token (TsRequest *request)
{
  reply_client_token (request, TS_STATUS_OK, NULL);
}

/* POST /v1/security/client-token */

static void
configure_client_token (TsRequest *request)
{
  g_autoptr(TsIssued) secret = ts_issued_new (TOKENS_TOKEN_KIND_CLIENT);
  g_autoptr(GError) error = NULL;

  if (!ts_store_configure_client_token (request->store, request->principal->account_id,
                                        &secret->stored, request->now, &error))
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  reply_client_token (request, TS_STATUS_CREATED, secret->secret);
}

/* DELETE /v1/security/client-token */

static void
delete_client_token (TsRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (!ts_store_delete_client_token (request->store, request->principal->account_id,
                                     request->now, &error))
    ts_reply_gerror (request->exchange, error);
  else
    ts_reply_no_content (request->exchange);
}

/* POST /v1/security/client-token/activate and …/deactivate */

static void
set_active (TsRequest *request,
            gboolean   active)
{
  g_autoptr(GError) error = NULL;

  if (!ts_store_set_client_token_active (request->store, request->principal->account_id,
                                         active, request->now, &error))
    ts_reply_gerror (request->exchange, error);
  else
    reply_client_token (request, TS_STATUS_OK, NULL);
}

static void
activate_client_token (TsRequest *request)
{
  set_active (request, TRUE);
}

static void
deactivate_client_token (TsRequest *request)
{
  set_active (request, FALSE);
}

static const TsRoute routes[] = {
  { "GET",    "/v1/security/client-token",            TS_AUTH_ACCOUNT, 0, TS_BODY_NONE, get_client_token },
  { "POST",   "/v1/security/client-token",            TS_AUTH_ACCOUNT, 0, TS_BODY_NONE, configure_client_token },
  { "DELETE", "/v1/security/client-token",            TS_AUTH_ACCOUNT, 0, TS_BODY_NONE, delete_client_token },
  { "POST",   "/v1/security/client-token/activate",   TS_AUTH_ACCOUNT, 0, TS_BODY_NONE, activate_client_token },
  { "POST",   "/v1/security/client-token/deactivate", TS_AUTH_ACCOUNT, 0, TS_BODY_NONE, deactivate_client_token },
};

const TsRoute *
ts_handlers_security_routes (guint *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}
