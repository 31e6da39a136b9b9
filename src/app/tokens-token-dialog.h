/* tokens-token-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tokens.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_TOKEN_DIALOG (tokens_token_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TokensTokenDialog, tokens_token_dialog, TOKENS, TOKEN_DIALOG, AdwWindow)

TokensTokenDialog *tokens_token_dialog_new_generate (GtkWindow         *parent,
                                                     TokensSession     *session);
TokensTokenDialog *tokens_token_dialog_new_edit     (GtkWindow         *parent,
                                                     TokensSession     *session,
                                                     TokensAccessToken *token);

G_END_DECLS
