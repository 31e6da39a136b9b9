/* tt-http.h — talking to a real tokens-server in a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tokens-test-server.h"

G_BEGIN_DECLS

typedef struct
{
  guint               status;
  GBytes             *body;
  char               *text;      /* the body, NUL-terminated */
  JsonNode           *json;      /* NULL unless the body is JSON */
  SoupMessageHeaders *headers;
} TtReply;

void        tt_reply_free        (TtReply            *reply);

TtReply    *tt_call              (TokensTestServer   *server,
                                  const char         *method,
                                  const char         *path,
                                  const char         *bearer,
                                  const char         *json_body);
TtReply    *tt_call_full         (TokensTestServer   *server,
                                  const char         *method,
                                  const char         *path,
                                  const char * const *headers,
                                  const char         *content_type,
                                  const void         *body,
                                  gssize              len);

JsonObject *tt_reply_object      (TtReply            *reply);
const char *tt_reply_string      (TtReply            *reply,
                                  const char         *member);
gint64      tt_reply_int         (TtReply            *reply,
                                  const char         *member);
JsonObject *tt_reply_member      (TtReply            *reply,
                                  const char         *member);
void        tt_assert_error      (TtReply            *reply,
                                  guint               status,
                                  const char         *code);

gint64      tt_sign_up           (TokensTestServer   *server,
                                  const char         *email,
                                  const char         *password,
                                  char              **api_key);
char       *tt_sign_in           (TokensTestServer   *server,
                                  const char         *email,
                                  const char         *password);
char       *tt_create_token      (TokensTestServer   *server,
                                  const char         *bearer,
                                  const char         *name,
                                  const char         *scopes_json,
                                  const char         *expires_json,
                                  gint64             *id);
guint       tt_status            (TokensTestServer   *server,
                                  const char         *method,
                                  const char         *path,
                                  const char         *bearer);

gboolean    tt_db_is_postgres    (const char         *database);
gboolean    tt_sqlite_only       (void);
void        tt_db_exec           (const char         *database,
                                  const char         *sql);
char       *tt_db_dump           (const char         *database);
gint64      tt_db_count          (const char         *database,
                                  const char         *sql);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtReply, tt_reply_free)

G_END_DECLS
