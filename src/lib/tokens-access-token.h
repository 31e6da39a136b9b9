/* tokens-access-token.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "tokens-wire.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_ACCESS_TOKEN (tokens_access_token_get_type ())

G_DECLARE_FINAL_TYPE (TokensAccessToken, tokens_access_token, TOKENS, ACCESS_TOKEN, GObject)

TokensAccessToken *tokens_access_token_new_from_json             (JsonObject        *object,
                                                                  GError           **error);

const char        *tokens_access_token_get_id                    (TokensAccessToken *self);
const char        *tokens_access_token_get_name                  (TokensAccessToken *self);
const char        *tokens_access_token_get_search_key            (TokensAccessToken *self);
TokensScopes       tokens_access_token_get_scopes                (TokensAccessToken *self);
const char        *tokens_access_token_get_last4                 (TokensAccessToken *self);
GDateTime         *tokens_access_token_get_created_at            (TokensAccessToken *self);
GDateTime         *tokens_access_token_get_updated_at            (TokensAccessToken *self);
GDateTime         *tokens_access_token_get_expires_at            (TokensAccessToken *self);
GDateTime         *tokens_access_token_get_last_used_at          (TokensAccessToken *self);
guint              tokens_access_token_get_duration_days         (TokensAccessToken *self);
GDateTime         *tokens_access_token_get_renewed_at            (TokensAccessToken *self);
gboolean           tokens_access_token_get_has_previous          (TokensAccessToken *self);
const char        *tokens_access_token_get_previous_last4        (TokensAccessToken *self);
GDateTime         *tokens_access_token_get_previous_created_at   (TokensAccessToken *self);
GDateTime         *tokens_access_token_get_previous_expires_at   (TokensAccessToken *self);
GDateTime         *tokens_access_token_get_previous_last_used_at (TokensAccessToken *self);

char              *tokens_access_token_dup_hint                  (TokensAccessToken *self);
gboolean           tokens_access_token_is_expired                (TokensAccessToken *self,
                                                                  GDateTime         *now);
int                tokens_access_token_days_left                 (TokensAccessToken *self,
                                                                  GDateTime         *now);
void               tokens_access_token_update_from               (TokensAccessToken *self,
                                                                  TokensAccessToken *other);

G_END_DECLS
