/* ts-handlers-gateway.c — "is this token good for this scope?", for a gateway
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A team protects its own APIs with one line of nginx configuration,
 * `auth_request`, pointed at GET /v1/gateway/check (data/nginx-gateway.conf;
 * any gateway that makes a subrequest works the same way). nginx passes
 * the client's headers on: Authorization, and Client-Token while the
 * account's security token is active. The scope the location needs comes
 * from the gateway, as the header X-Tokens-Scope or the query parameter
 * `scope`: "read", "write" or "read,write"; none means any valid token.
 *
 * The answer is the status alone, on the same path as verify (one indexed
 * lookup): 204 with headers naming the account and the token, 401 for no
 * token or a token that is unknown, expired, revoked or replaced, 403 for
 * a token without the scope (or without its Client-Token). nginx answers
 * the client 401/403 itself and treats anything else as an error (500),
 * so a 400 here means the gateway's configuration is wrong, not the
 * client.
 */

#include "config.h"

#include <string.h>

#include "ts-http.h"
#include "ts-request.h"
#include "ts-server.h"

/* "read", "write", "read,write" (any order, spaces allowed). */
static gboolean
parse_scopes (const char *text,
              guint      *scopes)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  *scopes = 0;
  for (guint i = 0; parts[i] != NULL; i++)
    {
      TokensScopes scope;

      if (!tokens_scope_from_string (g_strstrip (parts[i]), &scope))
        return FALSE;
      *scopes |= scope;
    }

  return *scopes != 0;
}

static void
gateway_check (TsRequest *request)
{
  TsExchange *exchange = request->exchange;
  const char *query_scope = request->query ? g_hash_table_lookup (request->query, "scope") : NULL;
  const char *wanted = exchange->scope ? exchange->scope : query_scope;
  g_autoptr(TsPrincipal) principal = NULL;
  g_autofree char *account = NULL;
  g_autofree char *token_id = NULL;
  TsRoute route = {
    .method = "GET",
    .path = "/v1/gateway/check",
    .auth = TS_AUTH_ANY,
    .body = TS_BODY_NONE,
  };

  if (exchange->scope != NULL && query_scope != NULL && strcmp (exchange->scope, query_scope) != 0)
    {
      ts_reply_error (exchange, TOKENS_ERROR_INVALID_INPUT,
                      "The gateway sent two different scopes (X-Tokens-Scope and ?scope=).");
      return;
    }

  if (wanted != NULL && !parse_scopes (wanted, &route.scopes))
    {
      ts_reply_error (exchange, TOKENS_ERROR_INVALID_INPUT,
                      "The scope the gateway asks for must be read, write or read,write.");
      return;
    }

  principal = ts_auth_authenticate (request->server, request->store, exchange, &route, request->now);
  if (principal == NULL)
    return;

  account = g_strdup_printf ("%" G_GINT64_FORMAT, principal->account_id);
  ts_reply_add_header (exchange, "X-Tokens-Account", account);
  ts_reply_add_header (exchange, "X-Tokens-Kind", ts_token_kind_nick (principal->kind));
  if (principal->access_token_id != 0)
    {
      token_id = g_strdup_printf ("%" G_GINT64_FORMAT, principal->access_token_id);
      ts_reply_add_header (exchange, "X-Tokens-Token-Id", token_id);
    }
  ts_reply_add_header (exchange, "X-Tokens-Scopes",
                       principal->scopes == TOKENS_SCOPES_ALL ? "read,write"
                       : principal->scopes & TOKENS_SCOPE_WRITE ? "write" : "read");
  ts_reply_no_content (exchange);
}

static const TsRoute routes[] = {
  /* The token is checked by the handler, against the scope asked for. */
  { "GET", "/v1/gateway/check", TS_AUTH_NONE, 0, TS_BODY_NONE, gateway_check },
};

const TsRoute *
ts_handlers_gateway_routes (guint *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}
