/* ts-ratelimit.h — counting hits per key in a time window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TsRateLimiter TsRateLimiter;

/* ts_rate_limiter_begin(): may the attempt start? */
#define TS_RATE_LIMIT_BUSY (-1)   /* too many of this key's attempts are running */

TsRateLimiter *ts_rate_limiter_new         (guint           limit,
                                            gint64          window);
void           ts_rate_limiter_free        (TsRateLimiter  *self);
gint64         ts_rate_limiter_retry_after (TsRateLimiter  *self,
                                            const char     *key,
                                            gint64          now);
void           ts_rate_limiter_hit         (TsRateLimiter  *self,
                                            const char     *key,
                                            gint64          now);
gint64         ts_rate_limiter_take        (TsRateLimiter  *self,
                                            const char     *key,
                                            gint64          now);
void           ts_rate_limiter_give_back   (TsRateLimiter  *self,
                                            const char     *key);
gint64         ts_rate_limiter_begin       (TsRateLimiter  *self,
                                            const char     *key,
                                            gint64          now,
                                            guint           max_running);
void           ts_rate_limiter_end         (TsRateLimiter  *self,
                                            const char     *key,
                                            gint64          now,
                                            gboolean        failed);
void           ts_rate_limiter_reset       (TsRateLimiter  *self,
                                            const char     *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsRateLimiter, ts_rate_limiter_free)

G_END_DECLS
