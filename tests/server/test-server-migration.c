/* test-server-migration.c — a database from an older tokens-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test writes a schema-1 database the way the first tokens-server
 * left it (the DDL below is migration 0 → 1 of ts-store-sqlite.c, copied
 * as it was released, so a later edit of the source cannot change what
 * "an old database" means here), starts today's server on it and checks,
 * as a client, that everything is still there.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tokens-token.h"
#include "tt-http.h"

static const char schema_1[] =
  "CREATE TABLE accounts ("
  "  id INTEGER PRIMARY KEY,"
  "  email TEXT NOT NULL UNIQUE,"
  "  password_hash TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  client_token_hash TEXT,"
  "  client_token_last4 TEXT,"
  "  client_token_created_at INTEGER,"
  "  client_token_active INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE access_tokens ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL,"
  "  scopes INTEGER NOT NULL CHECK (scopes BETWEEN 1 AND 3),"
  "  duration_days INTEGER,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  renewed_at INTEGER"
  ");"
  "CREATE INDEX access_tokens_by_account ON access_tokens (account_id, id);"
  "CREATE TABLE credentials ("
  "  id INTEGER PRIMARY KEY,"
  "  hash TEXT NOT NULL UNIQUE,"
  "  kind INTEGER NOT NULL CHECK (kind IN (0, 1, 3)),"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  access_token_id INTEGER REFERENCES access_tokens (id) ON DELETE CASCADE,"
  "  previous INTEGER NOT NULL DEFAULT 0,"
  "  last4 TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  expires_at INTEGER,"
  "  last_used_at INTEGER,"
  "  CHECK ((kind = 1) = (access_token_id IS NOT NULL))"
  ");"
  "CREATE INDEX credentials_by_account ON credentials (account_id, kind);"
  "CREATE INDEX credentials_by_access_token ON credentials (access_token_id);"
  "CREATE UNIQUE INDEX credentials_one_api_key ON credentials (account_id) WHERE kind = 0;"
  "CREATE UNIQUE INDEX credentials_one_per_role ON credentials (access_token_id, previous) WHERE kind = 1;"
  "CREATE TABLE events ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL,"
  "  token_id INTEGER,"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX events_by_account ON events (account_id, id);"
  "CREATE TABLE files ("
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL,"
  "  content BLOB NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  PRIMARY KEY (account_id, name)"
  ");"
  "PRAGMA user_version = 1;";

#define DAY (24 * 60 * 60)

typedef struct
{
  TokensTestServer *server;
  char             *tmpdir;
  char             *database;
  gint64            then;       /* when the old server wrote it all */

  /* Ana's secrets, and Bea's API token; ids have gaps, as after use. */
  TokensSecret     *api_key;    /* account 3 */
  TokensSecret     *session;
  TokensSecret     *ci;         /* access token 4, read, 30 days */
  TokensSecret     *renewed;    /* access token 7, current: renewed for 30 days */
  TokensSecret     *before;     /* access token 7, previous: it had 10 days */
  TokensSecret     *bea_key;    /* account 5 */
} Fixture;

static void
exec_sql (sqlite3    *db,
          const char *format,
          ...)
{
  g_autofree char *error_message = NULL;
  va_list args;
  char *sql;
  char *message = NULL;
  int rc;

  va_start (args, format);
  sql = sqlite3_vmprintf (format, args);
  va_end (args);

  rc = sqlite3_exec (db, sql, NULL, NULL, &message);
  error_message = g_strdup (message);
  sqlite3_free (message);
  sqlite3_free (sql);
  if (rc != SQLITE_OK)
    g_error ("building the old database: %s", error_message);
}

/* A credential row as schema 1 kept it: the hash and last four only. */
static void
add_credential (sqlite3    *db,
                gint64      id,
                const char *secret,
                int         kind,
                gint64      account_id,
                gint64      access_token_id,
                gboolean    previous,
                gint64      created_at,
                gint64      expires_at)
{
  g_autofree char *hash = tokens_token_hash (secret);
  g_autofree char *last4 = tokens_token_last4 (secret);
  g_autofree char *token = access_token_id ? g_strdup_printf ("%" G_GINT64_FORMAT, access_token_id)
                                           : g_strdup ("NULL");
  g_autofree char *expires = expires_at ? g_strdup_printf ("%" G_GINT64_FORMAT, expires_at)
                                        : g_strdup ("NULL");

  exec_sql (db,
            "INSERT INTO credentials (id, hash, kind, account_id, access_token_id, previous,"
            " last4, created_at, expires_at) VALUES (%lld, %Q, %d, %lld, %s, %d, %Q, %lld, %s)",
            (long long) id, hash, kind, (long long) account_id, token, previous ? 1 : 0,
            last4, (long long) created_at, expires);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;
  gint64 then;

  fixture->tmpdir = g_dir_make_tmp ("tokens-migration-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->database = g_build_filename (fixture->tmpdir, "tokens.db", NULL);
  fixture->then = then = g_get_real_time () / G_USEC_PER_SEC - 2 * DAY;

  fixture->api_key = tokens_token_generate (TOKENS_TOKEN_KIND_API_KEY);
  fixture->session = tokens_token_generate (TOKENS_TOKEN_KIND_SESSION);
  fixture->ci = tokens_token_generate (TOKENS_TOKEN_KIND_ACCESS);
  fixture->renewed = tokens_token_generate (TOKENS_TOKEN_KIND_ACCESS);
  fixture->before = tokens_token_generate (TOKENS_TOKEN_KIND_ACCESS);
  fixture->bea_key = tokens_token_generate (TOKENS_TOKEN_KIND_API_KEY);

  g_assert_cmpint (sqlite3_open (fixture->database, &db), ==, SQLITE_OK);
  exec_sql (db, "PRAGMA foreign_keys = ON");
  exec_sql (db, "%s", schema_1);

  exec_sql (db, "INSERT INTO accounts (id, email, password_hash, created_at) VALUES"
                " (3, 'ana@example.com', 'not a real hash', %lld),"
                " (5, 'bea@example.com', 'not a real hash', %lld)",
            (long long) then, (long long) then);
  exec_sql (db, "INSERT INTO access_tokens (id, account_id, name, scopes, duration_days,"
                " created_at, updated_at, renewed_at) VALUES"
                " (4, 3, 'ci', 1, 30, %lld, %lld, NULL),"
                " (7, 3, 'deploy', 3, 30, %lld, %lld, %lld)",
            (long long) then, (long long) then,
            (long long) (then - 5 * DAY), (long long) then, (long long) then);
  add_credential (db, 2, fixture->api_key, TOKENS_TOKEN_KIND_API_KEY, 3, 0, FALSE, then, 0);
  add_credential (db, 6, fixture->session, TOKENS_TOKEN_KIND_SESSION, 3, 0, FALSE, then, then + 30 * DAY);
  add_credential (db, 8, fixture->ci, TOKENS_TOKEN_KIND_ACCESS, 3, 4, FALSE, then, then + 30 * DAY);
  /* Token 7 was made for 10 days, then renewed for 30 with the old
   * secret kept: the old secret's own lifetime is all that says "10". */
  add_credential (db, 9, fixture->before, TOKENS_TOKEN_KIND_ACCESS, 3, 7, TRUE,
                  then - 5 * DAY, then + 5 * DAY);
  add_credential (db, 11, fixture->renewed, TOKENS_TOKEN_KIND_ACCESS, 3, 7, FALSE,
                  then, then + 30 * DAY);
  add_credential (db, 12, fixture->bea_key, TOKENS_TOKEN_KIND_API_KEY, 5, 0, FALSE, then, 0);
  /* Token 9 was the newest and was revoked: no row of it is left but
   * these two events. */
  exec_sql (db, "INSERT INTO events (id, account_id, kind, token_id, created_at) VALUES"
                " (1, 3, 'account.created', NULL, %lld),"
                " (2, 3, 'token.created', 4, %lld),"
                " (3, 5, 'account.created', NULL, %lld),"
                " (4, 3, 'token.created', 7, %lld),"
                " (5, 3, 'token.created', 9, %lld),"
                " (6, 3, 'token.revoked', 9, %lld),"
                " (7, 3, 'token.renewed', 7, %lld)",
            (long long) then, (long long) then, (long long) then, (long long) then,
            (long long) then, (long long) then, (long long) then);
  exec_sql (db, "INSERT INTO files (account_id, name, content, size, updated_at)"
                " VALUES (3, 'notes.txt', CAST ('hello' AS BLOB), 5, %lld)",
            (long long) then);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

  fixture->server = tokens_test_server_new_for_path (fixture->database, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  g_assert_cmpint (tokens_test_server_stop (fixture->server), ==, 0);
  g_clear_pointer (&fixture->server, tokens_test_server_free);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (fixture->database, suffixes[i], NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->tmpdir);

  g_free (fixture->tmpdir);
  g_free (fixture->database);
  tokens_secret_free (fixture->api_key);
  tokens_secret_free (fixture->session);
  tokens_secret_free (fixture->ci);
  tokens_secret_free (fixture->renewed);
  tokens_secret_free (fixture->before);
  tokens_secret_free (fixture->bea_key);
}

static gint64
count (Fixture    *fixture,
       const char *sql)
{
  return tt_db_count (fixture->database, sql);
}

static JsonObject *
token_in (JsonArray *tokens,
          gint64     id)
{
  for (guint i = 0; i < json_array_get_length (tokens); i++)
    {
      JsonObject *token = json_array_get_object_element (tokens, i);

      if (json_object_get_int_member (token, "id") == id)
        return token;
    }

  return NULL;
}

static void
test_keeps_every_row_and_id (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(TtReply) me = NULL;
  g_autoptr(TtReply) listed = NULL;
  g_autoptr(TtReply) as_ci = NULL;
  g_autoptr(TtReply) as_before = NULL;
  g_autoptr(TtReply) as_bea = NULL;
  g_autoptr(TtReply) file = NULL;
  g_autoptr(TtReply) events = NULL;
  JsonArray *tokens;
  JsonArray *log;
  JsonObject *deploy;

  g_assert_cmpint (count (fixture, "PRAGMA user_version"), ==, 4);

  /* Every secret still speaks for whom it did. */
  me = tt_call (fixture->server, "GET", "/v1/me", fixture->api_key, NULL);
  g_assert_cmpuint (me->status, ==, 200);
  g_assert_cmpint (tt_reply_int (me, "id"), ==, 3);
  g_assert_cmpstr (tt_reply_string (me, "email"), ==, "ana@example.com");
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/me", fixture->session), ==, 200);
  as_ci = tt_call (fixture->server, "GET", "/v1/tokens/verify", fixture->ci, NULL);
  g_assert_cmpuint (as_ci->status, ==, 200);
  g_assert_cmpint (tt_reply_int (as_ci, "token_id"), ==, 4);
  as_before = tt_call (fixture->server, "GET", "/v1/tokens/verify", fixture->before, NULL);
  g_assert_cmpuint (as_before->status, ==, 200);
  g_assert_cmpint (tt_reply_int (as_before, "token_id"), ==, 7);
  g_assert_true (json_object_get_boolean_member (tt_reply_object (as_before), "is_previous"));
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/tokens/verify", fixture->renewed), ==, 200);
  as_bea = tt_call (fixture->server, "GET", "/v1/tokens/verify", fixture->bea_key, NULL);
  g_assert_cmpint (tt_reply_int (as_bea, "account_id"), ==, 5);

  listed = tt_call (fixture->server, "GET", "/v1/tokens", fixture->api_key, NULL);
  g_assert_cmpint (tt_reply_int (listed, "total"), ==, 2);
  tokens = json_object_get_array_member (tt_reply_object (listed), "tokens");
  g_assert_cmpstr (json_object_get_string_member (token_in (tokens, 4), "name"), ==, "ci");
  deploy = token_in (tokens, 7);
  g_assert_nonnull (deploy);
  g_assert_cmpstr (json_object_get_string_member (deploy, "name"), ==, "deploy");
  g_assert_cmpint (json_object_get_int_member (deploy, "duration_days"), ==, 30);
  g_assert_nonnull (json_object_get_object_member (deploy, "previous"));

  file = tt_call (fixture->server, "GET", "/v1/files/notes.txt", fixture->ci, NULL);
  g_assert_cmpuint (file->status, ==, 200);
  g_assert_cmpstr (file->text, ==, "hello");

  events = tt_call (fixture->server, "GET", "/v1/me/events", fixture->api_key, NULL);
  log = json_object_get_array_member (tt_reply_object (events), "events");
  g_assert_cmpuint (json_array_get_length (log), ==, 6);
  /* Newest first, with the ids they had. */
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (log, 0), "id"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (log, 5), "id"), ==, 1);

  /* Nothing lost or added on the way, and the constraints and indexes
   * came with the tables. */
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM accounts"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM access_tokens"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM credentials"), ==, 6);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM events"), ==, 7);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM files"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN"
                                   " ('access_tokens_by_account', 'credentials_by_account',"
                                   "  'credentials_by_access_token', 'credentials_one_api_key',"
                                   "  'credentials_one_per_role', 'events_by_account')"), ==, 6);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM sqlite_schema WHERE name LIKE '%_v2'"), ==, 0);

  /* Foreign keys are on again: revoking takes the token's secrets along. */
  g_assert_cmpuint (tt_status (fixture->server, "DELETE", "/v1/tokens/7", fixture->api_key), ==, 204);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM credentials WHERE access_token_id = 7"), ==, 0);
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/tokens/verify", fixture->before), ==, 401);
}

static void
test_new_ids_are_above_every_old_one (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autoptr(TtReply) retried = NULL;
  g_autoptr(TtReply) events = NULL;
  g_autofree char *fresh = NULL;
  gint64 id;

  /* 9 was revoked before the migration: only the log remembered it. */
  fresh = tt_create_token (fixture->server, fixture->api_key, "new", "[\"read\"]", NULL, &id);
  g_assert_cmpint (id, >, 9);

  retried = tt_call (fixture->server, "DELETE", "/v1/tokens/9", fixture->api_key, NULL);
  tt_assert_error (retried, 404, "not_found");
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/tokens/verify", fresh), ==, 200);

  events = tt_call (fixture->server, "GET", "/v1/me/events?page_size=1", fixture->api_key, NULL);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (
                     json_object_get_array_member (tt_reply_object (events), "events"), 0), "id"), >, 7);
  g_assert_cmpint (count (fixture, "SELECT max(id) FROM credentials"), >, 12);
}

/* Token 7 was renewed under schema 1 from 10 days to 30, its old secret
 * kept: undoing that renewal now gives it back its 10 days. */
static void
test_undo_gives_back_the_old_duration (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(TtReply) undone = NULL;
  g_autoptr(TtReply) as_before = NULL;
  g_autoptr(GDateTime) expires = NULL;

  undone = tt_call (fixture->server, "POST", "/v1/tokens/7/undo-renewal", fixture->api_key, NULL);
  g_assert_cmpuint (undone->status, ==, 200);
  g_assert_cmpint (tt_reply_int (undone, "duration_days"), ==, 10);
  expires = g_date_time_new_from_iso8601 (tt_reply_string (undone, "expires_at"), NULL);
  g_assert_cmpint (g_date_time_to_unix (expires), ==, fixture->then + 5 * DAY);

  as_before = tt_call (fixture->server, "GET", "/v1/tokens/verify", fixture->before, NULL);
  g_assert_cmpuint (as_before->status, ==, 200);
  g_assert_false (json_object_get_boolean_member (tt_reply_object (as_before), "is_previous"));
  g_assert_cmpuint (tt_status (fixture->server, "GET", "/v1/tokens/verify", fixture->renewed), ==, 401);
}

static void
skip_sqlite_only (void)
{
  tt_sqlite_only ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* The migrations of an SQLite file from schema 1; PostgreSQL starts
   * at schema 2. */
#define ADD(path, func) \
  if (g_getenv ("TOKENS_TEST_POSTGRES") != NULL) \
    g_test_add_func ("/server/migration/" path, skip_sqlite_only); \
  else \
    g_test_add ("/server/migration/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("schema-1/keeps-every-row-and-id", test_keeps_every_row_and_id);
  ADD ("schema-1/new-ids-are-above-every-old-one", test_new_ids_are_above_every_old_one);
  ADD ("schema-1/undo-gives-back-the-old-duration", test_undo_gives_back_the_old_duration);

#undef ADD

  return g_test_run ();
}
