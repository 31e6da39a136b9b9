/* tokens-expiry-banner.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tokens-expiry-monitor.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_EXPIRY_BANNER (tokens_expiry_banner_get_type ())

G_DECLARE_FINAL_TYPE (TokensExpiryBanner, tokens_expiry_banner, TOKENS, EXPIRY_BANNER, AdwBin)

GtkWidget           *tokens_expiry_banner_new         (void);
TokensExpiryMonitor *tokens_expiry_banner_get_monitor (TokensExpiryBanner  *self);
void                 tokens_expiry_banner_set_monitor (TokensExpiryBanner  *self,
                                                       TokensExpiryMonitor *monitor);

G_END_DECLS
