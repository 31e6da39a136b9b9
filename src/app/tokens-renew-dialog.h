/* tokens-renew-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tokens.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_RENEW_DIALOG (tokens_renew_dialog_get_type ())

G_DECLARE_FINAL_TYPE (TokensRenewDialog, tokens_renew_dialog, TOKENS, RENEW_DIALOG, AdwWindow)

TokensRenewDialog *tokens_renew_dialog_new (GtkWindow         *parent,
                                            TokensSession     *session,
                                            TokensAccessToken *token);

G_END_DECLS
