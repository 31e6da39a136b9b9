/* tokens-event.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TOKENS_TYPE_EVENT (tokens_event_get_type ())

G_DECLARE_FINAL_TYPE (TokensEvent, tokens_event, TOKENS, EVENT, GObject)

TokensEvent *tokens_event_new_from_json    (JsonObject   *object,
                                            GError      **error);
const char  *tokens_event_get_id           (TokensEvent  *self);
const char  *tokens_event_get_kind         (TokensEvent  *self);
GDateTime   *tokens_event_get_created_at   (TokensEvent  *self);
const char  *tokens_event_get_token_id     (TokensEvent  *self);

G_END_DECLS
