/* tokens-token-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tokens.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_TOKEN_ROW (tokens_token_row_get_type ())

G_DECLARE_FINAL_TYPE (TokensTokenRow, tokens_token_row, TOKENS, TOKEN_ROW, GtkWidget)

void tokens_token_row_set_token (TokensTokenRow    *self,
                                 TokensAccessToken *token);

G_END_DECLS
