/* tokens-util.h — small helpers the app's widgets share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

typedef void (*TokensConfirmFunc) (GtkWidget *widget,
                                   gpointer   user_data);

char *tokens_util_error_message      (const GError      *error);
char *tokens_util_format_past        (GDateTime         *time);
char *tokens_util_format_expiry      (GDateTime         *expires_at,
                                      GDateTime         *now);
char *tokens_util_format_expiry_date (GDateTime        *expires_at);
char *tokens_util_format_durations   (GDateTime         *expires_at,
                                      GDateTime         *previous_expires_at,
                                      GDateTime         *now);
char *tokens_util_format_last_used   (GDateTime         *last_used_at);
void  tokens_util_toast              (GtkWidget         *widget,
                                      const char        *title);
void  tokens_util_toast_error        (GtkWidget         *widget,
                                      const GError      *error);
void  tokens_util_toast_copied       (GtkWidget         *widget,
                                      guint              seconds);
void  tokens_util_say_saved          (AdwActionRow      *row,
                                      GtkImage          *icon,
                                      gboolean           saved,
                                      gboolean           asked,
                                      const GError      *save_error);
void  tokens_util_hide_inactive_pages (GtkWidget      *stack);
void  tokens_util_fit_to_pages        (GtkStack       *stack);
void  tokens_util_confirm            (GtkWidget         *widget,
                                      const char        *heading,
                                      const char        *body,
                                      const char        *confirm_label,
                                      TokensConfirmFunc  confirmed,
                                      gpointer           user_data,
                                      GDestroyNotify     user_data_free);
void  tokens_util_confirm_reset_api_token (GtkWidget         *widget,
                                           TokensConfirmFunc  confirmed);

G_END_DECLS
