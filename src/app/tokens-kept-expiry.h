/* tokens-kept-expiry.h — when a kept token is due, and how to say it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tokens-kept.h"

G_BEGIN_DECLS

/**
 * TokensKeptDue:
 * @TOKENS_KEPT_DUE_NONE: no expiry, or not within the warning days yet
 * @TOKENS_KEPT_DUE_SOON: expires within the warning days (or today)
 * @TOKENS_KEPT_DUE_EXPIRED: its expiry day is over
 */
typedef enum
{
  TOKENS_KEPT_DUE_NONE,
  TOKENS_KEPT_DUE_SOON,
  TOKENS_KEPT_DUE_EXPIRED,
} TokensKeptDue;

TokensKeptDue tokens_kept_expiry_check     (const TokensKept *kept,
                                            GDateTime        *now,
                                            guint             warning_days,
                                            gint64           *days_left,
                                            gint64           *next_look);
char         *tokens_kept_expiry_dup_title (const TokensKept *kept,
                                            TokensKeptDue     due,
                                            gint64            days_left);
char         *tokens_kept_expiry_dup_body  (const TokensKept *kept,
                                            TokensKeptDue     due);
char         *tokens_kept_expiry_dup_show_label (guint n_access,
                                                 guint n_kept);

G_END_DECLS
