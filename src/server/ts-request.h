/* ts-request.h — what handlers share: ids, pages, new secrets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tokens-token.h"
#include "ts-server.h"

G_BEGIN_DECLS

#define TS_MAX_PAGE_SIZE 100

/* A secret made for one reply: shown once, then wiped. */
typedef struct
{
  TokensTokenKind  kind;
  TokensSecret    *secret;
  char            *hash;
  char            *last4;
  TsNewSecret      stored;  /* what the store keeps: hash and last4 */
} TsIssued;

TsIssued *ts_issued_new          (TokensTokenKind  kind);
void      ts_issued_free         (TsIssued        *issued);

gboolean  ts_request_get_id      (TsRequest       *request,
                                  gint64          *id);
gboolean  ts_request_get_page    (TsRequest       *request,
                                  guint            default_size,
                                  guint           *size,
                                  gint64          *cursor);
void      ts_add_next_page_token (JsonBuilder     *builder,
                                  gint64           cursor);
gboolean  ts_check_token_name    (const char      *name,
                                  char           **clean,
                                  GError         **error);
const char *ts_token_kind_nick         (TokensTokenKind    kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsIssued, ts_issued_free)

G_END_DECLS
