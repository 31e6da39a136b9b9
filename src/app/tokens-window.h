/* tokens-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tokens-application.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_WINDOW (tokens_window_get_type ())

G_DECLARE_FINAL_TYPE (TokensWindow, tokens_window, TOKENS, WINDOW, AdwApplicationWindow)

TokensWindow *tokens_window_new        (TokensApplication *application);
gboolean      tokens_window_show_token (TokensWindow      *self,
                                        const char        *token_id);

G_END_DECLS
