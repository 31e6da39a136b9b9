/* ts-verify-cache.h — bearer tokens already looked up, kept fresh by PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ts-http.h"
#include "ts-store.h"

G_BEGIN_DECLS

typedef struct _TsVerifyCache TsVerifyCache;

TsVerifyCache *ts_verify_cache_new        (const char         *uri);
void           ts_verify_cache_drain      (TsVerifyCache      *self);
void           ts_verify_cache_free       (TsVerifyCache      *self);

gboolean       ts_verify_cache_has        (TsVerifyCache      *self,
                                           const char         *hash);
gboolean       ts_verify_cache_wait       (TsVerifyCache      *self,
                                           TsExchange         *exchange,
                                           TsContinuation      continuation,
                                           gpointer            data);
TsPrincipal   *ts_verify_cache_lookup     (TsVerifyCache      *self,
                                           const char         *hash);
guint64        ts_verify_cache_ticket     (TsVerifyCache      *self);
void           ts_verify_cache_add        (TsVerifyCache      *self,
                                           const TsPrincipal  *principal,
                                           guint64             ticket);
void           ts_verify_cache_touched    (TsVerifyCache      *self,
                                           const char         *hash,
                                           gint64              now);

G_END_DECLS
