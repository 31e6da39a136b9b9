/* tt-http.c — talking to a real tokens-server in a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Synchronous libsoup calls, as a client sees them: status, headers and
 * body. And a look into the database from outside the server (the SQLite
 * file, or the test server's PostgreSQL database), to check what it kept
 * (and what it did not change).
 */

#include "config.h"

#include <string.h>

#include <sqlite3.h>
#ifdef HAVE_POSTGRES
# include <libpq-fe.h>
#endif

#include "tt-http.h"

static SoupSession *
session (void)
{
  static SoupSession *session;

  if (session == NULL)
    session = soup_session_new_with_options ("timeout", 30, NULL);

  return session;
}

void
tt_reply_free (TtReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_free (reply->text);
  g_free (reply);
}

TtReply *
tt_call_full (TokensTestServer   *server,
              const char         *method,
              const char         *path,
              const char * const *headers,
              const char         *content_type,
              const void         *body,
              gssize              len)
{
  g_autofree char *url = g_strconcat (tokens_test_server_get_url (server), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  TtReply *reply;
  gsize size;
  const char *data;

  g_assert_nonnull (msg);

  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_append (soup_message_get_request_headers (msg), headers[i], headers[i + 1]);

  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, len < 0 ? strlen (body) : (gsize) len);

      soup_message_set_request_body_from_bytes (msg, content_type, bytes);
    }

  reply = g_new0 (TtReply, 1);
  reply->body = soup_session_send_and_read (session (), msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));

  data = g_bytes_get_data (reply->body, &size);
  reply->text = g_strndup (data ? data : "", size);
  if (size > 0 && json_parser_load_from_data (parser, reply->text, size, NULL))
    reply->json = json_node_ref (json_parser_get_root (parser));

  return reply;
}

TtReply *
tt_call (TokensTestServer *server,
         const char       *method,
         const char       *path,
         const char       *bearer,
         const char       *json_body)
{
  g_autofree char *authorization = bearer ? g_strconcat ("Bearer ", bearer, NULL) : NULL;
  const char *headers[] = { "Authorization", authorization, NULL };

  return tt_call_full (server, method, path, bearer ? headers : NULL,
                       "application/json", json_body, -1);
}

guint
tt_status (TokensTestServer *server,
           const char       *method,
           const char       *path,
           const char       *bearer)
{
  g_autoptr(TtReply) reply = tt_call (server, method, path, bearer, NULL);

  return reply->status;
}

JsonObject *
tt_reply_object (TtReply *reply)
{
  if (reply->json == NULL || !JSON_NODE_HOLDS_OBJECT (reply->json))
    g_error ("expected a JSON object, got status %u and: %s", reply->status, reply->text);

  return json_node_get_object (reply->json);
}

const char *
tt_reply_string (TtReply    *reply,
                 const char *member)
{
  JsonObject *object = tt_reply_object (reply);

  g_assert_true (json_object_has_member (object, member));
  return json_object_get_string_member (object, member);
}

gint64
tt_reply_int (TtReply    *reply,
              const char *member)
{
  return json_object_get_int_member (tt_reply_object (reply), member);
}

JsonObject *
tt_reply_member (TtReply    *reply,
                 const char *member)
{
  JsonObject *object = tt_reply_object (reply);

  g_assert_true (json_object_has_member (object, member));
  return json_object_get_object_member (object, member);
}

/* Our error shape, exactly: a sentence for people and a code for programs. */
void
tt_assert_error (TtReply    *reply,
                 guint       status,
                 const char *code)
{
  JsonObject *object;
  const char *message;

  if (reply->status != status)
    g_error ("expected status %u, got %u: %s", status, reply->status, reply->text);

  g_assert_cmpstr (soup_message_headers_get_content_type (reply->headers, NULL), ==, "application/json");
  object = tt_reply_object (reply);
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "code"), ==, code);
  message = json_object_get_string_member (object, "error");
  g_assert_nonnull (message);
  /* A sentence: says something, and ends like one. */
  g_assert_cmpuint (strlen (message), >, 10);
  g_assert_true (g_str_has_suffix (message, "."));
}

gint64
tt_sign_up (TokensTestServer  *server,
            const char        *email,
            const char        *password,
            char             **api_key)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", email, password);
  g_autoptr(TtReply) reply = tt_call (server, "POST", "/v1/accounts", NULL, body);

  if (reply->status != 201)
    g_error ("sign-up failed: %u %s", reply->status, reply->text);

  if (api_key != NULL)
    *api_key = g_strdup (tt_reply_string (reply, "token"));

  return json_object_get_int_member (tt_reply_member (reply, "account"), "id");
}

char *
tt_sign_in (TokensTestServer *server,
            const char       *email,
            const char       *password)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"%s\"}", email, password);
  g_autoptr(TtReply) reply = tt_call (server, "POST", "/v1/sessions", NULL, body);

  if (reply->status != 201)
    g_error ("sign-in failed: %u %s", reply->status, reply->text);

  return g_strdup (tt_reply_string (reply, "token"));
}

char *
tt_create_token (TokensTestServer  *server,
                 const char        *bearer,
                 const char        *name,
                 const char        *scopes_json,
                 const char        *expires_json,
                 gint64            *id)
{
  g_autofree char *body =
    g_strdup_printf ("{\"name\": \"%s\", \"scopes\": %s, \"expires_in_days\": %s}",
                     name, scopes_json, expires_json ? expires_json : "null");
  g_autoptr(TtReply) reply = tt_call (server, "POST", "/v1/tokens", bearer, body);

  if (reply->status != 201)
    g_error ("creating a token failed: %u %s", reply->status, reply->text);

  if (id != NULL)
    *id = json_object_get_int_member (tt_reply_member (reply, "access_token"), "id");

  return g_strdup (tt_reply_string (reply, "token"));
}

static sqlite3 *
open_database (const char *database)
{
  sqlite3 *db = NULL;

  /* Read-only, beside the running server: WAL lets both be. */
  if (sqlite3_open_v2 (database, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    g_error ("cannot open %s: %s", database, db ? sqlite3_errmsg (db) : "?");
  sqlite3_busy_timeout (db, 5000);

  return db;
}

/* PostgreSQL: the test server's database is a URI (harness/with-postgres
 * and tokens-test-server.c), read here through libpq from beside the
 * server, as SQLite's file is read through sqlite3. */

gboolean
tt_db_is_postgres (const char *database)
{
  return g_str_has_prefix (database, "postgresql://") || g_str_has_prefix (database, "postgres://");
}

#ifdef HAVE_POSTGRES
static void
pg_notice (void       *data,
           const char *message)
{
  g_test_message ("%s", message);
}

static PGconn *
pg_connect (const char *database)
{
  PGconn *conn = PQconnectdb (database);

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to %s: %s", database, PQerrorMessage (conn));
  PQsetNoticeProcessor (conn, pg_notice, NULL);
  return conn;
}

static PGresult *
pg_query (PGconn     *conn,
          const char *sql)
{
  PGresult *res = PQexec (conn, sql);

  if (PQresultStatus (res) != PGRES_TUPLES_OK && PQresultStatus (res) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (res));
  return res;
}

/* The SQLite pragmas the tests read, as PostgreSQL keeps them. */
static const char *
pg_sql (const char *sql)
{
  if (g_str_equal (sql, "PRAGMA user_version"))
    return "SELECT version FROM schema_version";
  return sql;
}

/* As the SQLite dump below: every row of every table, in a stable order. */
static char *
pg_dump_tables (const char *database)
{
  PGconn *conn = pg_connect (database);
  GString *dump = g_string_new (NULL);
  PGresult *tables = pg_query (conn, "SELECT tablename FROM pg_tables"
                                     " WHERE schemaname = 'public' ORDER BY tablename");

  for (int t = 0; t < PQntuples (tables); t++)
    {
      const char *table = PQgetvalue (tables, t, 0);
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY 1, 2", table);
      PGresult *rows = pg_query (conn, sql);

      g_string_append_printf (dump, "[%s]\n", table);
      for (int r = 0; r < PQntuples (rows); r++)
        {
          for (int c = 0; c < PQnfields (rows); c++)
            g_string_append_printf (dump, "%s|",
                                    PQgetisnull (rows, r, c) ? "NULL" : PQgetvalue (rows, r, c));
          g_string_append_c (dump, '\n');
        }
      PQclear (rows);
    }

  PQclear (tables);
  PQfinish (conn);
  return g_string_free (dump, FALSE);
}
#else
static char *
pg_dump_tables (const char *database)
{
  g_error ("built without PostgreSQL: cannot read %s", database);
  return NULL;
}
#endif

void
tt_db_exec (const char *database,
            const char *sql)
{
  if (tt_db_is_postgres (database))
    {
#ifdef HAVE_POSTGRES
      PGconn *conn = pg_connect (database);

      PQclear (pg_query (conn, sql));
      PQfinish (conn);
#else
      g_error ("built without PostgreSQL: cannot change %s", database);
#endif
    }
  else
    {
      sqlite3 *db = NULL;
      char *message = NULL;

      g_assert_cmpint (sqlite3_open (database, &db), ==, SQLITE_OK);
      sqlite3_busy_timeout (db, 5000);
      if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
        g_error ("%s: %s", sql, message);
      sqlite3_close (db);
    }
}

gboolean
tt_sqlite_only (void)
{
  if (g_getenv ("TOKENS_TEST_POSTGRES") == NULL)
    return FALSE;

  g_test_skip ("SQLite only");
  return TRUE;
}

/* Every row of every table, in a stable order: two dumps are equal
 * exactly when the data is. */
char *
tt_db_dump (const char *database)
{
  sqlite3 *db;
  g_autoptr(GString) dump = g_string_new (NULL);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  if (tt_db_is_postgres (database))
    return pg_dump_tables (database);

  db = open_database (database);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (tables, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);

  for (guint i = 0; i < tables->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY 1, 2",
                                              (char *) g_ptr_array_index (tables, i));

      g_string_append_printf (dump, "[%s]\n", (char *) g_ptr_array_index (tables, i));
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const char *text = (const char *) sqlite3_column_text (stmt, c);

              g_string_append_printf (dump, "%s|", text ? text : "NULL");
            }
          g_string_append_c (dump, '\n');
        }
      sqlite3_finalize (stmt);
    }

  sqlite3_close (db);
  return g_string_free (g_steal_pointer (&dump), FALSE);
}

gint64
tt_db_count (const char *database,
             const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  if (tt_db_is_postgres (database))
    {
#ifdef HAVE_POSTGRES
      PGconn *conn = pg_connect (database);
      PGresult *res = pg_query (conn, pg_sql (sql));

      g_assert_cmpint (PQntuples (res), ==, 1);
      value = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
      PQclear (res);
      PQfinish (conn);
      return value;
#else
      g_error ("built without PostgreSQL: cannot read %s", database);
#endif
    }

  db = open_database (database);

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}
