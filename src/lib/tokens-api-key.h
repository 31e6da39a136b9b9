/* tokens-api-key.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TOKENS_TYPE_API_KEY (tokens_api_key_get_type ())

G_DECLARE_FINAL_TYPE (TokensApiKey, tokens_api_key, TOKENS, API_KEY, GObject)

TokensApiKey *tokens_api_key_new_from_json     (JsonObject   *object,
                                                GError      **error);
const char   *tokens_api_key_get_last4         (TokensApiKey *self);
GDateTime    *tokens_api_key_get_created_at    (TokensApiKey *self);
GDateTime    *tokens_api_key_get_last_used_at  (TokensApiKey *self);
char         *tokens_api_key_dup_hint          (TokensApiKey *self);

G_END_DECLS
