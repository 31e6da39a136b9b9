/* tokens-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TOKENS_TYPE_PREFERENCES_WINDOW (tokens_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (TokensPreferencesWindow, tokens_preferences_window, TOKENS, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *tokens_preferences_window_new (GtkWindow *parent);

G_END_DECLS
