/* tokens-json.h — reading and writing the API's JSON members
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "tokens-wire.h"

G_BEGIN_DECLS

/* What a member is, checked against the type a reader wants. */
typedef enum
{
  TOKENS_JSON_STRING,
  TOKENS_JSON_INT,
  TOKENS_JSON_BOOL,
  TOKENS_JSON_OBJECT,
  TOKENS_JSON_ARRAY,
} TokensJsonType;

typedef enum
{
  TOKENS_JSON_MEMBER_OK,
  TOKENS_JSON_MEMBER_ABSENT,
  TOKENS_JSON_MEMBER_NULL,
  TOKENS_JSON_MEMBER_WRONG_TYPE,
} TokensJsonMember;

/* Why a list of scope names is not one. */
typedef enum
{
  TOKENS_JSON_SCOPES_OK,
  TOKENS_JSON_SCOPES_NOT_STRING,
  TOKENS_JSON_SCOPES_UNKNOWN,
  TOKENS_JSON_SCOPES_EMPTY,
} TokensJsonScopes;

TokensJsonMember  tokens_json_member        (JsonObject    *object,
                                             const char    *member,
                                             TokensJsonType type,
                                             JsonNode     **out);
TokensJsonScopes  tokens_json_read_scopes   (JsonArray     *array,
                                             TokensScopes  *out);

/* A reply of the service: a missing (or null) required member, a member
 * of another type, is a TOKENS_ERROR_BAD_RESPONSE; null is absent. */
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
gboolean   tokens_scopes_from_json  (JsonArray    *array,
                                     TokensScopes *out_scopes,
                                     GError      **error);
gboolean   tokens_json_is_null_not_allowed (JsonObject *object);
GError    *tokens_json_bad_reply    (const char   *what);

/* What the service writes. */
void       tokens_json_add_string   (JsonBuilder  *builder,
                                     const char   *member,
                                     const char   *value);
void       tokens_json_add_int      (JsonBuilder  *builder,
                                     const char   *member,
                                     gint64        value);
void       tokens_json_add_time     (JsonBuilder  *builder,
                                     const char   *member,
                                     gint64        unix_time);
void       tokens_json_add_scopes   (JsonBuilder  *builder,
                                     const char   *member,
                                     TokensScopes  scopes);

G_END_DECLS
