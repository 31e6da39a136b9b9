/* ts-auth.c — who is asking, and may they
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every kind of token comes as `Authorization: Bearer <token>`. The
 * token's format (prefix, length, alphabet, CRC32) is checked first and
 * offline: a mistyped or made-up token is refused without touching the
 * database. Only then is its SHA-256 looked up, in one indexed query that
 * also brings the account's security-token state, so the hot path
 * (GET /v1/tokens/verify) costs one read.
 *
 * Then, in order: expiry; the account security token (Client-Token) when
 * it is active; the token kind the route allows; the scopes it needs.
 * `last_used_at` is written at most once a minute per token, so a busy
 * token does not turn every request into a write.
 *
 * On PostgreSQL the lookup's answer is kept (ts-verify-cache.c): a
 * request whose token is kept waits for the cache's barrier, which makes
 * sure every change committed before the request came has reached the
 * cache, and then comes through here again with exchange->fresh set.
 */

#include "config.h"

#include <string.h>

#include "tokens-token.h"
#include "ts-http.h"
#include "ts-server.h"
#ifdef HAVE_POSTGRES
#include "ts-verify-cache.h"
#endif

#define LAST_USED_GRANULARITY 60  /* seconds */

/* Finds the token in an Authorization header value: "Bearer" (any case),
 * spaces, the token, nothing after it but spaces. */
static const char *
parse_bearer (const char *value,
              gsize      *len)
{
  const char *p;

  if (g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;

  p = value + 7;
  while (*p == ' ')
    p++;

  *len = strcspn (p, " ");
  if (*len == 0)
    return NULL;

  for (const char *q = p + *len; *q != '\0'; q++)
    if (*q != ' ')
      return NULL;

  return p;
}

static const char *
kind_name (TokensTokenKind kind)
{
  switch (kind)
    {
    case TOKENS_TOKEN_KIND_API_KEY:
      return "API token";
    case TOKENS_TOKEN_KIND_ACCESS:
      return "access token";
    case TOKENS_TOKEN_KIND_SESSION:
      return "session";
    case TOKENS_TOKEN_KIND_CLIENT:
    default:
      return "account security token";
    }
}

/* While the account security token is active, every request for the
 * account must carry it. Missing: the seed's exact answer. Wrong or
 * malformed: our usual error, the same for both so nothing is learnt. */
static gboolean
check_client_token (TsExchange        *msg,
                    const TsPrincipal *principal)
{
  const char *sent;
  TokensTokenKind kind;
  g_autofree char *hash = NULL;

  if (principal->client_token_state != TS_CLIENT_TOKEN_ACTIVE)
    return TRUE;

  sent = msg->client_token;
  if (sent == NULL)
    {
      ts_reply_null_not_allowed (msg);
      return FALSE;
    }

  if (tokens_token_validate (sent, &kind, NULL) && kind == TOKENS_TOKEN_KIND_CLIENT)
    {
      hash = tokens_token_hash (sent);
      if (tokens_token_hash_equal (hash, principal->client_token_hash))
        return TRUE;
    }

  ts_reply_error (msg, TOKENS_ERROR_CLIENT_TOKEN_INVALID,
                  "The Client-Token header does not hold this account’s security token.");
  return FALSE;
}

#ifdef HAVE_POSTGRES
/* After the barrier: the request once more, from the start. */
static void
dispatch_again (TsExchange *exchange,
                gpointer    data)
{
  TsServer *server = data;

  ts_router_dispatch (server->router, server, exchange);
}
#endif

/* Who @hash speaks for, from the cache or the database. FALSE with the
 * reply written when the database failed, or with @msg paused (to be
 * dispatched again) when it waits for the cache's barrier. */
static gboolean
lookup (TsServer      *server,
        TsStore       *store,
        TsExchange    *msg,
        const char    *hash,
        TsPrincipal  **principal)
{
  g_autoptr(GError) error = NULL;
#ifdef HAVE_POSTGRES
  TsVerifyCache *cache = server->verify_cache;
  guint64 ticket = 0;

  if (cache != NULL)
    {
      if (msg->fresh == TS_FRESH_PASSED)
        *principal = ts_verify_cache_lookup (cache, hash);
      else if (msg->fresh == TS_FRESH_UNKNOWN && ts_verify_cache_has (cache, hash) &&
               ts_verify_cache_wait (cache, msg, dispatch_again, server))
        return FALSE;

      if (*principal != NULL)
        return TRUE;
      ticket = ts_verify_cache_ticket (cache);
    }
#endif

  if (!ts_store_lookup_credential (store, hash, principal, &error))
    {
      ts_reply_gerror (msg, error);
      return FALSE;
    }

#ifdef HAVE_POSTGRES
  /* Only what the database knows, exactly (see below). */
  if (cache != NULL && *principal != NULL && tokens_token_hash_equal (hash, (*principal)->hash))
    ts_verify_cache_add (cache, *principal, ticket);
#endif
  return TRUE;
}

/**
 * ts_auth_authenticate:
 *
 * Returns: (transfer full) (nullable): who sent the request, or %NULL
 *   when it may not go on, with the error reply already written
 */
TsPrincipal *
ts_auth_authenticate (TsServer      *server,
                      TsStore       *store,
                      TsExchange    *msg,
                      const TsRoute *route,
                      gint64         now)
{
  g_autoptr(TsPrincipal) principal = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) token = NULL;   /* wiped when done */
  g_autofree char *hash = NULL;
  const char *value;
  const char *bearer;
  gsize len = 0;
  TokensTokenKind kind;

  value = msg->authorization;
  if (value == NULL)
    {
      ts_reply_error (msg, TOKENS_ERROR_UNAUTHORIZED,
                      "This request needs a token: send Authorization: Bearer <token>.");
      return NULL;
    }

  bearer = parse_bearer (value, &len);
  if (bearer == NULL)
    {
      ts_reply_error (msg, TOKENS_ERROR_UNAUTHORIZED,
                      "The Authorization header must be “Bearer” followed by a token.");
      return NULL;
    }

  /* Longer than any token: no need to copy it to say so. */
  if (len > TOKENS_TOKEN_LEN)
    {
      ts_reply_error (msg, TOKENS_ERROR_TOKEN_LENGTH, NULL);
      return NULL;
    }

  token = g_strndup (bearer, len);
  if (!tokens_token_validate (token, &kind, &error))
    {
      /* The message says what is wrong with the format, never the token. */
      ts_reply_gerror (msg, error);
      return NULL;
    }

  if (kind == TOKENS_TOKEN_KIND_CLIENT)
    {
      ts_reply_error (msg, TOKENS_ERROR_TOKEN_WRONG_KIND,
                      "An account security token is not a credential of its own: "
                      "send it in the Client-Token header, beside a token in Authorization.");
      return NULL;
    }

  hash = tokens_token_hash (token);
  if (!lookup (server, store, msg, hash, &principal))
    return NULL;

  /* The index found the row by hash; compare again in constant time, and
   * make sure the prefix agrees with what was issued. */
  if (principal == NULL ||
      !tokens_token_hash_equal (hash, principal->hash) ||
      principal->kind != kind)
    {
      ts_reply_error (msg, TOKENS_ERROR_UNAUTHORIZED,
                      "The service does not know this token: it may have been reset, revoked or replaced.");
      return NULL;
    }

  if (principal->expires_at != 0 && principal->expires_at <= now)
    {
      ts_reply_error (msg, TOKENS_ERROR_UNAUTHORIZED,
                      kind == TOKENS_TOKEN_KIND_SESSION
                        ? "This session has expired: sign in again."
                        : "This token has expired: renew it or make a new one.");
      return NULL;
    }

  if (!check_client_token (msg, principal))
    return NULL;

  switch (route->auth)
    {
    case TS_AUTH_SESSION:
      if (kind != TOKENS_TOKEN_KIND_SESSION)
        {
          g_autofree char *message =
            g_strdup_printf ("Only a session can be signed out; this is an %s.", kind_name (kind));

          ts_reply_error (msg, TOKENS_ERROR_TOKEN_WRONG_KIND, message);
          return NULL;
        }
      break;

    case TS_AUTH_ACCOUNT:
      if (kind == TOKENS_TOKEN_KIND_ACCESS)
        {
          ts_reply_error (msg, TOKENS_ERROR_TOKEN_WRONG_KIND,
                          "An access token can only use files and /v1/tokens/verify: "
                          "sign in, or use the account API token, to manage the account.");
          return NULL;
        }
      break;

    case TS_AUTH_ANY:
    case TS_AUTH_NONE:
    default:
      break;
    }

  if ((principal->scopes & route->scopes) != route->scopes)
    {
      const char *message =
        (route->scopes & TS_SCOPE_WRITE) && !(principal->scopes & TS_SCOPE_WRITE)
          ? "This token does not have the write scope, which uploads need."
          : "This token does not have the read scope, which downloads need.";

      ts_reply_error (msg, TOKENS_ERROR_FORBIDDEN, message);
      return NULL;
    }

  if (now - principal->last_used_at >= LAST_USED_GRANULARITY)
    {
      g_autoptr(GError) touch_error = NULL;

      /* Best effort: a request is not refused because this failed. */
      if (ts_store_touch_credential (store, principal->credential_id, now, &touch_error))
        {
          principal->last_used_at = now;
#ifdef HAVE_POSTGRES
          if (server->verify_cache != NULL)
            ts_verify_cache_touched (server->verify_cache, hash, now);
#endif
        }
    }

  return g_steal_pointer (&principal);
}
