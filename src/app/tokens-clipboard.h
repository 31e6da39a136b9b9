/* tokens-clipboard.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TOKENS_TYPE_CLIPBOARD (tokens_clipboard_get_type ())

G_DECLARE_FINAL_TYPE (TokensClipboard, tokens_clipboard, TOKENS, CLIPBOARD, GObject)

TokensClipboard *tokens_clipboard_new          (GSettings       *settings);
guint            tokens_clipboard_copy_secret  (TokensClipboard *self,
                                                GtkWidget       *widget,
                                                const char      *secret);
guint            tokens_clipboard_copy_secret_for_display (TokensClipboard *self,
                                                           GdkDisplay      *display,
                                                           const char      *secret);
gboolean         tokens_clipboard_holds_secret (TokensClipboard *self);
void             tokens_clipboard_clear        (TokensClipboard *self);
gboolean         tokens_clipboard_clear_secret (TokensClipboard *self,
                                                const char      *secret);

G_END_DECLS
