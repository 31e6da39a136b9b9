/* tokens-kept-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tokens.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_KEPT_DIALOG (tokens_kept_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TokensKeptDialog, tokens_kept_dialog, TOKENS, KEPT_DIALOG, AdwWindow)

TokensKeptDialog *tokens_kept_dialog_new_add     (GtkWindow       *parent,
                                                  TokensKeptList  *list);
TokensKeptDialog *tokens_kept_dialog_new_edit    (GtkWindow       *parent,
                                                  TokensKeptList  *list,
                                                  TokensKeptToken *token);
TokensKeptDialog *tokens_kept_dialog_new_replace (GtkWindow       *parent,
                                                  TokensKeptList  *list,
                                                  TokensKeptToken *token);

G_END_DECLS
