/* tokens-wire.h — the words of the token service's API, written once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * TokensScopes:
 * @TOKENS_SCOPE_NONE: no scope (never a valid token, but a valid "unchanged")
 * @TOKENS_SCOPE_READ: `read`: downloads
 * @TOKENS_SCOPE_WRITE: `write`: uploads
 *
 * What an access token may do; a token has at least one. tokens-server
 * keeps these numbers in its databases: never change them.
 */
typedef enum /*< flags >*/
{
  TOKENS_SCOPE_NONE  = 0,
  TOKENS_SCOPE_READ  = 1 << 0,
  TOKENS_SCOPE_WRITE = 1 << 1,
} TokensScopes;

#define TOKENS_SCOPES_ALL (TOKENS_SCOPE_READ | TOKENS_SCOPE_WRITE)

#define TOKENS_TYPE_SCOPES (tokens_scopes_get_type ())
GType         tokens_scopes_get_type        (void) G_GNUC_CONST;

const char   *tokens_scope_to_string        (TokensScopes   scope);
gboolean      tokens_scope_from_string      (const char    *string,
                                             TokensScopes  *out_scope);
char        **tokens_scopes_to_strv         (TokensScopes   scopes);

/**
 * TokensSecurityTokenState:
 * @TOKENS_SECURITY_TOKEN_STATE_NONE: not configured (`none`)
 * @TOKENS_SECURITY_TOKEN_STATE_DISABLED: configured, not required yet (`disabled`)
 * @TOKENS_SECURITY_TOKEN_STATE_ACTIVE: every request must send `Client-Token` (`active`)
 *
 * The account security token's state, as `GET /v1/security/client-token`
 * and the `client_token` member of `GET /v1/me` name it.
 */
typedef enum
{
  TOKENS_SECURITY_TOKEN_STATE_NONE,
  TOKENS_SECURITY_TOKEN_STATE_DISABLED,
  TOKENS_SECURITY_TOKEN_STATE_ACTIVE,
} TokensSecurityTokenState;

#define TOKENS_TYPE_SECURITY_TOKEN_STATE (tokens_security_token_state_get_type ())
GType         tokens_security_token_state_get_type    (void) G_GNUC_CONST;

const char   *tokens_security_token_state_to_string   (TokensSecurityTokenState  state);
gboolean      tokens_security_token_state_from_string (const char               *string,
                                                       TokensSecurityTokenState *out_state);

/* The service's answer to a request without the `Client-Token` header
 * once the account security token is active: the zapi seed's words, byte
 * for byte, with HTTP status 403. */
#define TOKENS_WIRE_NULL_NOT_ALLOWED      "null not allowed"
#define TOKENS_WIRE_NULL_NOT_ALLOWED_BODY "{\"error\": \"" TOKENS_WIRE_NULL_NOT_ALLOWED "\"}"

char         *tokens_wire_format_time       (gint64         unix_time);
GDateTime    *tokens_wire_parse_time        (const char    *text);

G_END_DECLS
