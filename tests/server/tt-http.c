/* tt-http.c — talking to a real tokens-server in a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Synchronous libsoup calls, as a client sees them: status, headers and
 * body. And a look into the database file from outside the server, to
 * check what it kept (and what it did not change).
 */

#include "config.h"

#include <string.h>

#include <sqlite3.h>

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
 * and tokens-test-server.c); psql reads it from beside the server. */

gboolean
tt_db_is_postgres (const char *database)
{
  return g_str_has_prefix (database, "postgresql://") || g_str_has_prefix (database, "postgres://");
}

static char *
pg_program (const char *name)
{
  const char *bindir = g_getenv ("TOKENS_TEST_POSTGRES_BINDIR");

  return g_build_filename (bindir ? bindir : "/usr/lib/postgresql/15/bin", name, NULL);
}

/* Runs psql with one -c per command; returns what it printed, unaligned
 * and without headers. */
static char *
psql (const char         *database,
      const char * const *commands)
{
  g_autofree char *bin = pg_program ("psql");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_ptr_array_add (argv, bin);
  g_ptr_array_add (argv, (gpointer) "-X");
  g_ptr_array_add (argv, (gpointer) "-q");
  g_ptr_array_add (argv, (gpointer) "-At");
  g_ptr_array_add (argv, (gpointer) "-v");
  g_ptr_array_add (argv, (gpointer) "ON_ERROR_STOP=1");
  g_ptr_array_add (argv, (gpointer) "-d");
  g_ptr_array_add (argv, (gpointer) database);
  for (guint i = 0; commands[i] != NULL; i++)
    {
      g_ptr_array_add (argv, (gpointer) "-c");
      g_ptr_array_add (argv, (gpointer) commands[i]);
    }
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("psql failed on %s: %s", commands[0], err);

  return out;
}

/* The SQLite pragmas the tests read, as PostgreSQL keeps them. */
static const char *
pg_sql (const char *sql)
{
  if (g_str_equal (sql, "PRAGMA user_version"))
    return "SELECT version FROM schema_version";
  return sql;
}

static char *
pg_dump_tables (const char *database)
{
  const char *list[] = {
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename", NULL
  };
  g_autofree char *names = psql (database, list);
  g_auto(GStrv) tables = g_strsplit (g_strstrip (names), "\n", -1);
  g_autoptr(GPtrArray) commands = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; tables[i] != NULL; i++)
    {
      if (tables[i][0] == '\0')
        continue;
      g_ptr_array_add (commands, g_strdup_printf ("\\echo [%s]", tables[i]));
      g_ptr_array_add (commands, g_strdup_printf ("SELECT * FROM \"%s\" ORDER BY 1, 2", tables[i]));
    }
  g_ptr_array_add (commands, NULL);

  return psql (database, (const char * const *) commands->pdata);
}

void
tt_db_exec (const char *database,
            const char *sql)
{
  if (tt_db_is_postgres (database))
    {
      const char *commands[] = { sql, NULL };

      g_free (psql (database, commands));
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
      const char *commands[] = { pg_sql (sql), NULL };
      g_autofree char *out = psql (database, commands);

      return g_ascii_strtoll (out, NULL, 10);
    }

  db = open_database (database);

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}
