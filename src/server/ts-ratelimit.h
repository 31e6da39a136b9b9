/* ts-ratelimit.h — counting hits per key in a time window, in the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "ts-store.h"

G_BEGIN_DECLS

typedef struct _TsRateLimiter TsRateLimiter;

/* ts_rate_limiter_begin()'s *wait when too many of the key's attempts
 * are running on this instance: come back in a moment. */
#define TS_RATE_LIMIT_BUSY (-1)

TsRateLimiter *ts_rate_limiter_new         (const char     *kind,
                                            guint           limit,
                                            gint64          window);
void           ts_rate_limiter_free        (TsRateLimiter  *self);
gboolean       ts_rate_limiter_retry_after (TsRateLimiter  *self,
                                            TsStore        *store,
                                            const char     *key,
                                            gint64          now,
                                            gint64         *wait,
                                            GError        **error);
gboolean       ts_rate_limiter_take        (TsRateLimiter  *self,
                                            TsStore        *store,
                                            const char     *key,
                                            gint64          now,
                                            gint64         *wait,
                                            GError        **error);
void           ts_rate_limiter_give_back   (TsRateLimiter  *self,
                                            TsStore        *store,
                                            const char     *key,
                                            gint64          now);
gboolean       ts_rate_limiter_begin       (TsRateLimiter  *self,
                                            TsStore        *store,
                                            const char     *key,
                                            gint64          now,
                                            guint           max_running,
                                            gint64         *wait,
                                            GError        **error);
void           ts_rate_limiter_end         (TsRateLimiter  *self,
                                            TsStore        *store,
                                            const char     *key,
                                            gint64          now,
                                            gboolean        failed);
void           ts_rate_limiter_reset       (TsRateLimiter  *self,
                                            TsStore        *store,
                                            const char     *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsRateLimiter, ts_rate_limiter_free)

G_END_DECLS
