/* tokens-security-token.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * TokensSecurityTokenState:
 * @TOKENS_SECURITY_TOKEN_STATE_NONE: not configured
 * @TOKENS_SECURITY_TOKEN_STATE_DISABLED: configured, not required yet
 * @TOKENS_SECURITY_TOKEN_STATE_ACTIVE: every request must send `Client-Token`
 */
typedef enum
{
  TOKENS_SECURITY_TOKEN_STATE_NONE,
  TOKENS_SECURITY_TOKEN_STATE_DISABLED,
  TOKENS_SECURITY_TOKEN_STATE_ACTIVE,
} TokensSecurityTokenState;

#define TOKENS_TYPE_SECURITY_TOKEN_STATE (tokens_security_token_state_get_type ())
GType tokens_security_token_state_get_type (void) G_GNUC_CONST;

#define TOKENS_TYPE_SECURITY_TOKEN (tokens_security_token_get_type ())

G_DECLARE_FINAL_TYPE (TokensSecurityToken, tokens_security_token, TOKENS, SECURITY_TOKEN, GObject)

TokensSecurityToken      *tokens_security_token_new_none         (void);
TokensSecurityToken      *tokens_security_token_new_from_json    (JsonObject          *object,
                                                                  GError             **error);
TokensSecurityTokenState  tokens_security_token_get_state        (TokensSecurityToken *self);
const char               *tokens_security_token_get_last4        (TokensSecurityToken *self);
GDateTime                *tokens_security_token_get_created_at   (TokensSecurityToken *self);
GDateTime                *tokens_security_token_get_last_used_at (TokensSecurityToken *self);
char                     *tokens_security_token_dup_hint         (TokensSecurityToken *self);

G_END_DECLS
