/* tokens-secret-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tokens.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_SECRET_ROW (tokens_secret_row_get_type ())

G_DECLARE_FINAL_TYPE (TokensSecretRow, tokens_secret_row, TOKENS, SECRET_ROW, GtkListBoxRow)

void        tokens_secret_row_show_once    (TokensSecretRow *self,
                                            TokensTokenKind  kind,
                                            const char      *secret);
void        tokens_secret_row_set_secret   (TokensSecretRow *self,
                                            const char      *secret);
void        tokens_secret_row_forget       (TokensSecretRow *self);
void        tokens_secret_row_fail         (TokensSecretRow *self);
const char *tokens_secret_row_get_hint     (TokensSecretRow *self);
void        tokens_secret_row_set_hint     (TokensSecretRow *self,
                                            const char      *hint);
gboolean    tokens_secret_row_get_revealed (TokensSecretRow *self);
void        tokens_secret_row_set_revealed (TokensSecretRow *self,
                                            gboolean         revealed);
void        tokens_secret_row_copy         (TokensSecretRow *self);
void        tokens_secret_row_set_source   (TokensSecretRow *self,
                                            TokensSession   *session,
                                            TokensTokenKind  kind,
                                            const char      *token_id);
void        tokens_secret_row_set_session  (TokensSecretRow *self,
                                            TokensSession   *session);

G_END_DECLS
