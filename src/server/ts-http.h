/* ts-http.h — replies, errors and request bodies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tokens-error.h"

G_BEGIN_DECLS

/* Largest JSON body any route takes; files have their own limit. */
#define TS_MAX_JSON_BODY   (16 * 1024)
#define TS_MAX_FILE_BODY   (64 * 1024)
/* Deeper than any body of ours: refused before the parser recurses. */
#define TS_MAX_JSON_DEPTH  32

guint       ts_http_status_for_error   (TokensError         code);

void        ts_reply_json              (SoupServerMessage  *msg,
                                        guint               status,
                                        JsonNode           *node);
void        ts_reply_builder           (SoupServerMessage  *msg,
                                        guint               status,
                                        JsonBuilder        *builder);
void        ts_reply_no_content        (SoupServerMessage  *msg);
void        ts_reply_error             (SoupServerMessage  *msg,
                                        TokensError         code,
                                        const char         *message);
void        ts_reply_gerror            (SoupServerMessage  *msg,
                                        const GError       *error);
void        ts_reply_null_not_allowed  (SoupServerMessage  *msg);

JsonObject *ts_request_get_json_object (SoupServerMessage  *msg,
                                        gboolean            optional,
                                        JsonNode          **root,
                                        GError            **error);

G_END_DECLS
