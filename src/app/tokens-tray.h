/* tokens-tray.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tokens-dbusmenu.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_TRAY (tokens_tray_get_type ())

G_DECLARE_FINAL_TYPE (TokensTray, tokens_tray, TOKENS, TRAY, GObject)

#define TOKENS_TRAY_ITEM_PATH "/StatusNotifierItem"
#define TOKENS_TRAY_MENU_PATH "/MenuBar"

TokensTray   *tokens_tray_new                 (GDBusConnection *connection);
GDBusConnection *tokens_tray_get_connection   (TokensTray      *self);

GMenuModel   *tokens_tray_get_menu_model      (TokensTray      *self);
void          tokens_tray_set_menu_model      (TokensTray      *self,
                                               GMenuModel      *model);
GActionGroup *tokens_tray_get_action_group    (TokensTray      *self);
void          tokens_tray_set_action_group    (TokensTray      *self,
                                               GActionGroup    *group);

gboolean      tokens_tray_get_visible         (TokensTray      *self);
void          tokens_tray_set_visible         (TokensTray      *self,
                                               gboolean         visible);
gboolean      tokens_tray_get_registered      (TokensTray      *self);

const char   *tokens_tray_get_title           (TokensTray      *self);
void          tokens_tray_set_title           (TokensTray      *self,
                                               const char      *title);
const char   *tokens_tray_get_icon_name       (TokensTray      *self);
void          tokens_tray_set_icon_name       (TokensTray      *self,
                                               const char      *icon_name);
const char   *tokens_tray_get_icon_theme_path (TokensTray      *self);
void          tokens_tray_set_icon_theme_path (TokensTray      *self,
                                               const char      *path);
const char   *tokens_tray_get_tooltip         (TokensTray      *self);
void          tokens_tray_set_tooltip         (TokensTray      *self,
                                               const char      *tooltip);

guint         tokens_tray_get_menu_revision   (TokensTray      *self);
TokensDbusMenu *tokens_tray_get_menu          (TokensTray      *self);

G_END_DECLS
