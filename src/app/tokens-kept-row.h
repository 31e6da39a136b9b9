/* tokens-kept-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tokens.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_KEPT_ROW (tokens_kept_row_get_type ())

G_DECLARE_FINAL_TYPE (TokensKeptRow, tokens_kept_row, TOKENS, KEPT_ROW, GtkListBoxRow)

GtkWidget       *tokens_kept_row_new              (TokensKeptToken *token);
TokensKeptToken *tokens_kept_row_get_token        (TokensKeptRow   *self);
void             tokens_kept_row_set_secret       (TokensKeptRow   *self,
                                                   const char      *secret);
void             tokens_kept_row_hide_secret      (TokensKeptRow   *self);

char            *tokens_kept_service_initial      (const char      *service,
                                                   const char      *service_name);
const char      *tokens_kept_service_manage_url   (const char      *service);
char            *tokens_kept_format_expiry        (const TokensKept *kept,
                                                   GDateTime        *now);

G_END_DECLS
