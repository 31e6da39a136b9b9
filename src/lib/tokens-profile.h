/* tokens-profile.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TOKENS_TYPE_PROFILE (tokens_profile_get_type ())

G_DECLARE_FINAL_TYPE (TokensProfile, tokens_profile, TOKENS, PROFILE, GObject)

TokensProfile *tokens_profile_new_from_json   (JsonObject    *object,
                                               GError       **error);
const char    *tokens_profile_get_id          (TokensProfile *self);
const char    *tokens_profile_get_email       (TokensProfile *self);
GDateTime     *tokens_profile_get_created_at  (TokensProfile *self);

G_END_DECLS
