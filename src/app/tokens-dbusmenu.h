/* tokens-dbusmenu.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TOKENS_TYPE_DBUSMENU (tokens_dbusmenu_get_type ())

G_DECLARE_FINAL_TYPE (TokensDbusMenu, tokens_dbusmenu, TOKENS, DBUSMENU, GObject)

TokensDbusMenu *tokens_dbusmenu_new              (GDBusConnection *connection,
                                                  const char      *path);
GMenuModel     *tokens_dbusmenu_get_menu_model   (TokensDbusMenu  *self);
gboolean        tokens_dbusmenu_set_menu_model   (TokensDbusMenu  *self,
                                                  GMenuModel      *model);
GActionGroup   *tokens_dbusmenu_get_action_group (TokensDbusMenu  *self);
gboolean        tokens_dbusmenu_set_action_group (TokensDbusMenu  *self,
                                                  GActionGroup    *group);
void            tokens_dbusmenu_set_rtl          (TokensDbusMenu  *self,
                                                  gboolean         rtl);
guint           tokens_dbusmenu_get_revision     (TokensDbusMenu  *self);

G_END_DECLS
