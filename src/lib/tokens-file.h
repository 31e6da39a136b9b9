/* tokens-file.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TOKENS_TYPE_FILE (tokens_file_get_type ())

G_DECLARE_FINAL_TYPE (TokensFile, tokens_file, TOKENS, FILE, GObject)

TokensFile  *tokens_file_new_from_json   (JsonObject   *object,
                                          GError      **error);
const char  *tokens_file_get_name        (TokensFile   *self);
guint64      tokens_file_get_size        (TokensFile   *self);
GDateTime   *tokens_file_get_updated_at  (TokensFile   *self);

G_END_DECLS
