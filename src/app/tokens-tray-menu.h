/* tokens-tray-menu.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tokens.h"
#include "tokens-kept-list.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_TRAY_MENU (tokens_tray_menu_get_type ())

G_DECLARE_FINAL_TYPE (TokensTrayMenu, tokens_tray_menu, TOKENS, TRAY_MENU, GObject)

TokensTrayMenu *tokens_tray_menu_new       (TokensAccountList *accounts,
                                            TokensKeptList    *kept,
                                            GDBusConnection   *connection);
GMenuModel     *tokens_tray_menu_get_model (TokensTrayMenu    *self);

G_END_DECLS
