/* tokens-token-slots.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tokens.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_TOKEN_SLOT (tokens_token_slot_get_type ())

G_DECLARE_FINAL_TYPE (TokensTokenSlot, tokens_token_slot, TOKENS, TOKEN_SLOT, GObject)

TokensAccessToken *tokens_token_slot_get_token (TokensTokenSlot *self);

#define TOKENS_TYPE_TOKEN_SLOTS (tokens_token_slots_get_type ())

G_DECLARE_FINAL_TYPE (TokensTokenSlots, tokens_token_slots, TOKENS, TOKEN_SLOTS, GObject)

GListModel *tokens_token_slots_get_model (TokensTokenSlots *self);
void        tokens_token_slots_set_model (TokensTokenSlots *self,
                                          GListModel       *model);

G_END_DECLS
