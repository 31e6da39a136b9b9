/* ts-json-reader.h — the one strict reader of request bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Arrays and objects nested deeper than this are refused: no body the
 * API takes comes close, and it bounds the reader's recursion. */
#define TS_JSON_MAX_DEPTH 32

JsonNode *ts_json_read (const char  *data,
                        gsize        len,
                        GError     **error);

G_END_DECLS
