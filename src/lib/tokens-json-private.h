/* tokens-json-private.h — reading the service's JSON, which is untrusted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean   tokens_json_get_string   (JsonObject   *object,
                                     const char   *member,
                                     gboolean      required,
                                     const char  **out,
                                     GError      **error);
gboolean   tokens_json_get_datetime (JsonObject   *object,
                                     const char   *member,
                                     gboolean      required,
                                     GDateTime   **out,
                                     GError      **error);
gboolean   tokens_json_get_int      (JsonObject   *object,
                                     const char   *member,
                                     gboolean      required,
                                     gint64       *out,
                                     GError      **error);
gboolean   tokens_json_get_bool     (JsonObject   *object,
                                     const char   *member,
                                     gboolean      required,
                                     gboolean     *out,
                                     GError      **error);
JsonObject *tokens_json_get_object  (JsonNode     *node,
                                     const char   *member,
                                     GError      **error);
gboolean   tokens_json_get_object_member (JsonObject  *object,
                                          const char  *member,
                                          gboolean     required,
                                          JsonObject **out,
                                          GError     **error);
gboolean   tokens_json_get_array    (JsonObject   *object,
                                     const char   *member,
                                     gboolean      required,
                                     JsonArray   **out,
                                     GError      **error);
gboolean   tokens_json_get_id       (JsonObject   *object,
                                     const char   *member,
                                     char        **out,
                                     GError      **error);
GError    *tokens_json_bad_reply    (const char   *what);

G_END_DECLS
