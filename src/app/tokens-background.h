/* tokens-background.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TOKENS_TYPE_BACKGROUND (tokens_background_get_type ())

G_DECLARE_FINAL_TYPE (TokensBackground, tokens_background, TOKENS, BACKGROUND, GObject)

TokensBackground *tokens_background_new               (GApplication     *application,
                                                       GSettings        *settings);
gboolean          tokens_background_get_refused       (TokensBackground *self);
gboolean          tokens_background_get_in_background (TokensBackground *self);
char             *tokens_background_dup_autostart_path (void);

G_END_DECLS
