/* ts-json.h — reading untrusted JSON, writing ours
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tokens-json.h"

G_BEGIN_DECLS

gboolean  ts_json_check_members  (JsonObject         *object,
                                  const char * const *known,
                                  GError            **error);
gboolean  ts_json_get_string     (JsonObject         *object,
                                  const char         *member,
                                  gboolean            required,
                                  const char        **value,
                                  GError            **error);
gboolean  ts_json_get_days       (JsonObject         *object,
                                  const char         *member,
                                  gboolean           *present,
                                  gint64             *days,
                                  GError            **error);
gboolean  ts_json_get_scopes     (JsonObject         *object,
                                  const char         *member,
                                  gboolean            required,
                                  guint              *scopes,
                                  GError            **error);

char     *ts_json_write          (JsonNode           *node,
                                  gsize              *len);
void      ts_json_wipe           (JsonNode           *node);

G_END_DECLS
