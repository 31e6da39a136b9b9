/* tc-source.h — every token tokens-cli can hand out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "tc-refs.h"
#include "tokens.h"

G_BEGIN_DECLS

typedef enum
{
  TC_ORIGIN_KEPT,     /* kept by the person (tokens-kept.c) */
  TC_ORIGIN_SERVICE,  /* issued by a tokens-server, saved by the app (tokens-store.c) */
} TcOrigin;

typedef struct
{
  char        *id;            /* what `list` shows and a reference may use */
  char        *service;       /* as the app shows it */
  char        *service_alt;   /* nullable: the same, untranslated, when it differs */
  char        *name;
  char        *name_alt;      /* nullable: the same, untranslated, when it differs */
  char        *used_in;       /* nullable */
  GDateTime   *expires;       /* nullable: no expiry */
  gboolean     date_only;     /* expires is a day, not an instant */
  TcOrigin     origin;
  GHashTable  *attributes;    /* the item's, to find it again */
} TcItem;

void       tc_item_free         (TcItem       *item);
GPtrArray *tc_source_list       (GError      **error);
TcItem    *tc_source_resolve    (GPtrArray    *items,
                                 const char   *reference,
                                 GError      **error);
char      *tc_source_reference  (const TcItem *item);
TokensSecret *tc_source_read    (const TcItem *item,
                                 GError      **error);
int        tc_exit_for_error    (const GError *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcItem, tc_item_free)

G_END_DECLS
