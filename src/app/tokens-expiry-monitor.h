/* tokens-expiry-monitor.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tokens.h"
#include "tokens-kept-list.h"
#include "tokens-token-list.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_EXPIRY_MONITOR (tokens_expiry_monitor_get_type ())

G_DECLARE_FINAL_TYPE (TokensExpiryMonitor, tokens_expiry_monitor, TOKENS, EXPIRY_MONITOR, GObject)

TokensExpiryMonitor *tokens_expiry_monitor_new           (GApplication        *application,
                                                          GSettings           *settings,
                                                          TokensAccountList   *accounts);
TokensSession       *tokens_expiry_monitor_get_session   (TokensExpiryMonitor *self);
void                 tokens_expiry_monitor_set_session   (TokensExpiryMonitor *self,
                                                          TokensSession       *session);
TokensTokenList     *tokens_expiry_monitor_get_tokens    (TokensExpiryMonitor *self);
void                 tokens_expiry_monitor_reload        (TokensExpiryMonitor *self);
guint                tokens_expiry_monitor_get_n_due     (TokensExpiryMonitor *self);
const char          *tokens_expiry_monitor_get_first_due (TokensExpiryMonitor *self);
gint64               tokens_expiry_monitor_get_next_deadline (TokensExpiryMonitor *self);
void                 tokens_expiry_monitor_set_kept_list (TokensExpiryMonitor *self,
                                                          TokensKeptList      *kept);
GListModel          *tokens_expiry_monitor_get_kept_due  (TokensExpiryMonitor *self);

G_END_DECLS
