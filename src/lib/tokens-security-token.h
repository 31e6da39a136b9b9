/* tokens-security-token.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "tokens-wire.h"

G_BEGIN_DECLS

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
