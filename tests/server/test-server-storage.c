/* test-server-storage.c — what the database keeps, and what it never does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tokens-token.h"
#include "tt-http.h"

static const char *const signup[] = { "--allow-signup", NULL };

static void
collect (GPtrArray  *secrets,
         const char *secret)
{
  g_assert_nonnull (secret);
  g_assert_cmpuint (strlen (secret), ==, TOKENS_TOKEN_LEN);
  g_ptr_array_add (secrets, g_strdup (secret));
}

/* Binary-safe: database pages are full of NUL bytes. */
static gboolean
contains (const char *haystack,
          gsize       len,
          const char *needle,
          gsize       needle_len)
{
  for (gsize i = 0; i + needle_len <= len; i++)
    if (haystack[i] == needle[0] && memcmp (haystack + i, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

/* Reads @path as bytes (it may not exist: a WAL folded back on close) and
 * fails if any secret, or even its random part alone, is in it. */
static void
assert_no_secret_in_file (const char *path,
                          GPtrArray  *secrets,
                          gboolean    must_exist)
{
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    {
      g_assert_false (must_exist);
      return;
    }

  g_test_message ("%s: %" G_GSIZE_FORMAT " bytes", path, len);
  for (guint i = 0; i < secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (secrets, i);
      const char *entropy = secret + TOKENS_TOKEN_PREFIX_LEN + 1;

      g_assert_false (contains (data, len, secret, strlen (secret)));
      g_assert_false (contains (data, len, entropy, TOKENS_TOKEN_ENTROPY_LEN));
    }
}

/* Every file of the test cluster (with-postgres exports its folder):
 * tables, indexes and write-ahead log, of every test's database. */
static void
assert_no_secret_in_folder (const char *folder,
                            GPtrArray  *secrets)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        assert_no_secret_in_folder (path, secrets);
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *data = NULL;
          gsize len = 0;

          if (!g_file_get_contents (path, &data, &len, NULL))
            continue;
          for (guint i = 0; i < secrets->len; i++)
            {
              const char *secret = g_ptr_array_index (secrets, i);
              const char *entropy = secret + TOKENS_TOKEN_PREFIX_LEN + 1;

              if (contains (data, len, entropy, TOKENS_TOKEN_ENTROPY_LEN))
                g_error ("a secret is in %s", path);
            }
        }
    }
}

/* PostgreSQL: every row of every table, as text, and the files of the
 * cluster, as bytes. */
static void
assert_no_secret_in_postgres (const char *database,
                              GPtrArray  *secrets)
{
  g_autofree char *dump = tt_db_dump (database);
  const char *data_dir = g_getenv ("TOKENS_TEST_POSTGRES_DATA");

  g_test_message ("dump: %" G_GSIZE_FORMAT " bytes", strlen (dump));
  for (guint i = 0; i < secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (secrets, i);
      const char *entropy = secret + TOKENS_TOKEN_PREFIX_LEN + 1;

      g_assert_false (contains (dump, strlen (dump), entropy, TOKENS_TOKEN_ENTROPY_LEN));
    }

  if (data_dir != NULL)
    assert_no_secret_in_folder (data_dir, secrets);
}

static void
assert_no_secret_in_database (const char *database,
                              GPtrArray  *secrets,
                              gboolean    running)
{
  g_autofree char *wal = g_strconcat (database, "-wal", NULL);
  g_autofree char *shm = g_strconcat (database, "-shm", NULL);

  if (tt_db_is_postgres (database))
    {
      assert_no_secret_in_postgres (database, secrets);
      return;
    }

  assert_no_secret_in_file (database, secrets, TRUE);
  assert_no_secret_in_file (wal, secrets, running);
  assert_no_secret_in_file (shm, secrets, FALSE);
}

static void
test_no_secret_is_ever_stored (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new (signup);
  g_autoptr(GPtrArray) secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) tokens_secret_free);
  g_autoptr(TtReply) reset = NULL;
  g_autoptr(TtReply) later = NULL;
  g_autoptr(TtReply) now = NULL;
  g_autoptr(TtReply) again = NULL;
  g_autoptr(TtReply) client = NULL;
  g_autofree char *api_key = NULL;
  g_autofree char *session = NULL;
  g_autofree char *access = NULL;
  g_autofree char *second = NULL;
  const char *database = tokens_test_server_get_database (server);
  g_autofree char *path = NULL;
  g_autofree char *client_auth = NULL;
  gint64 id;

  /* Every flow that issues a secret, each secret kept for the search. */
  tt_sign_up (server, "ana@example.com", "correct horse", &api_key);
  collect (secrets, api_key);
  reset = tt_call (server, "POST", "/v1/me/api-key/reset", api_key, NULL);
  collect (secrets, tt_reply_string (reset, "token"));
  session = tt_sign_in (server, "ana@example.com", "correct horse");
  collect (secrets, session);

  access = tt_create_token (server, session, "ci", "[\"read\", \"write\"]", "30", &id);
  collect (secrets, access);
  second = tt_create_token (server, session, "forever", "[\"read\"]", NULL, NULL);
  collect (secrets, second);
  path = g_strdup_printf ("/v1/tokens/%" G_GINT64_FORMAT "/renew", id);
  later = tt_call (server, "POST", path, session, "{\"delete_old\": \"later\"}");
  collect (secrets, tt_reply_string (later, "token"));
  g_assert_cmpuint (tt_status (server, "DELETE", "/v1/tokens/1/previous", session), ==, 200);
  now = tt_call (server, "POST", path, session, "{\"delete_old\": \"now\"}");
  collect (secrets, tt_reply_string (now, "token"));
  again = tt_call (server, "POST", path, session, NULL);
  collect (secrets, tt_reply_string (again, "token"));
  g_assert_cmpuint (tt_status (server, "POST", "/v1/tokens/1/undo-renewal", session), ==, 200);

  client = tt_call (server, "POST", "/v1/security/client-token", session, NULL);
  collect (secrets, tt_reply_string (client, "token"));
  g_assert_cmpuint (tt_status (server, "POST", "/v1/security/client-token/activate", session), ==, 200);

  /* Every secret was used, so none is stored only because unused. */
  client_auth = g_strconcat ("Bearer ", tt_reply_string (now, "token"), NULL);
  {
    const char *headers[] = { "Authorization", client_auth,
                              "Client-Token", g_ptr_array_index (secrets, secrets->len - 1), NULL };
    g_autoptr(TtReply) upload = tt_call_full (server, "PUT", "/v1/files/notes.txt", headers,
                                              "text/plain", "hello", -1);

    g_assert_cmpuint (upload->status, ==, 201);
  }

  g_assert_cmpint (tt_db_count (database, "SELECT count(*) FROM credentials"), >=, 4);
  assert_no_secret_in_database (database, secrets, TRUE);

  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);
  assert_no_secret_in_database (database, secrets, FALSE);
}

/* A token whose checksum is wrong is refused before the database is
 * asked: we show it by taking the database away. With the table of
 * credentials dropped behind the server's back, any request that looks a
 * token up fails with a storage error (500) — a well-formed token that
 * was never issued proves that. A token with a bad checksum still gets
 * its precise 401 at once: it never reached the store. No counters or
 * timings, only what a client sees. */
static void
test_bad_checksum_is_refused_without_a_lookup (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new (signup);
  g_autoptr(TokensSecret) never_issued = tokens_token_generate (TOKENS_TOKEN_KIND_ACCESS);
  g_autoptr(TtReply) before = NULL;
  g_autoptr(TtReply) lookup = NULL;
  g_autoptr(TtReply) checksum = NULL;
  g_autofree char *api_key = NULL;
  g_autofree char *mistyped = NULL;
  char *last;

  tt_sign_up (server, "ana@example.com", "correct horse", &api_key);
  mistyped = g_strdup (api_key);
  last = mistyped + strlen (mistyped) - 1;
  *last = *last == 'z' ? 'y' : 'z';

  before = tt_call (server, "GET", "/v1/tokens/verify", mistyped, NULL);
  tt_assert_error (before, 401, "token_checksum");

  tt_db_exec (tokens_test_server_get_database (server), "DROP TABLE credentials");

  lookup = tt_call (server, "GET", "/v1/tokens/verify", never_issued, NULL);
  tt_assert_error (lookup, 500, "storage");

  checksum = tt_call (server, "GET", "/v1/tokens/verify", mistyped, NULL);
  tt_assert_error (checksum, 401, "token_checksum");

  /* And the server is still up, and stops cleanly. */
  g_assert_cmpuint (tt_status (server, "GET", "/v1/health", NULL), ==, 200);
  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);
}

static void
test_restart_keeps_everything (void)
{
  g_autoptr(TokensTestServer) first = tokens_test_server_new (signup);
  g_autoptr(TokensTestServer) second = NULL;
  g_autoptr(TokensTestServer) third = NULL;
  g_autoptr(TtReply) listed = NULL;
  g_autoptr(TtReply) events = NULL;
  g_autofree char *api_key = NULL;
  g_autofree char *access = NULL;
  g_autofree char *database = g_strdup (tokens_test_server_get_database (first));
  g_autofree char *session = NULL;

  tt_sign_up (first, "ana@example.com", "correct horse", &api_key);
  access = tt_create_token (first, api_key, "ci", "[\"read\"]", "30", NULL);
  g_assert_cmpuint (tt_status (first, "GET", "/v1/tokens/verify", access), ==, 200);
  g_assert_cmpint (tokens_test_server_stop (first), ==, 0);

  /* Same file, a new process: the schema is not migrated twice. */
  second = tokens_test_server_new_for_path (database, NULL);
  g_assert_cmpint (tt_db_count (database, "PRAGMA user_version"), ==, 4);
  g_assert_cmpuint (tt_status (second, "GET", "/v1/tokens/verify", access), ==, 200);
  listed = tt_call (second, "GET", "/v1/tokens", api_key, NULL);
  g_assert_cmpint (tt_reply_int (listed, "total"), ==, 1);
  session = tt_sign_in (second, "ana@example.com", "correct horse");
  g_assert_cmpint (tokens_test_server_stop (second), ==, 0);

  third = tokens_test_server_new_for_path (database, NULL);
  g_assert_cmpint (tt_db_count (database, "PRAGMA user_version"), ==, 4);
  g_assert_cmpuint (tt_status (third, "GET", "/v1/me", session), ==, 200);
  events = tt_call (third, "GET", "/v1/me/events", session, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (tt_reply_object (events), "events")), ==, 3);
  g_assert_cmpint (tokens_test_server_stop (third), ==, 0);

  g_assert_cmpint (tt_db_count (database, "SELECT count(*) FROM accounts"), ==, 1);
}

static void
test_database_settings (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new (signup);
  const char *database = tokens_test_server_get_database (server);
  GStatBuf st;

  /* The file, its WAL, its modes. */
  if (tt_sqlite_only ())
    return;

  tt_sign_up (server, "ana@example.com", "correct horse", NULL);

  /* WAL is a property of the file, visible from outside. */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (database, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  g_assert_cmpint (tt_db_count (database, "PRAGMA user_version"), ==, 4);
  /* Only the owner may read it. */
  g_assert_cmpint (g_stat (database, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 077, ==, 0);

  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);
}

static void
assert_mode (const char *path,
             int         mode)
{
  GStatBuf st;

  g_test_message ("%s", path);
  g_assert_cmpint (g_lstat (path, &st), ==, 0);
  g_assert_true (S_ISREG (st.st_mode));
  g_assert_cmpint (st.st_mode & 07777, ==, mode);
}

/* The database, its WAL and the WAL's index, as the server writes them. */
static void
assert_database_is_private (const char *database)
{
  g_autofree char *wal = g_strconcat (database, "-wal", NULL);
  g_autofree char *shm = g_strconcat (database, "-shm", NULL);

  assert_mode (database, 0600);
  assert_mode (wal, 0600);
  assert_mode (shm, 0600);
}

static void
remove_folder (const char *folder)
{
  const char *names[] = { "tokens.db", "tokens.db-wal", "tokens.db-shm", "elsewhere", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *path = g_build_filename (folder, names[i], NULL);

      g_unlink (path);
    }
  g_assert_cmpint (g_rmdir (folder), ==, 0);
}

/* A database file made by someone else first (an older version, a copy,
 * a packaging script), readable by all: the server makes it, and so the
 * WAL SQLite creates beside it, private. */
static void
test_existing_database_is_made_private (void)
{
  g_autoptr(TokensTestServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("tokens-storage-XXXXXX", &error);
  g_autofree char *database = NULL;

  /* The file, its WAL, its modes. */
  if (tt_sqlite_only ())
    {
      g_rmdir (folder);
      return;
    }

  g_assert_no_error (error);
  database = g_build_filename (folder, "tokens.db", NULL);
  g_file_set_contents (database, "", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (database, 0644), ==, 0);

  server = tokens_test_server_new_for_path (database, signup);
  tt_sign_up (server, "ana@example.com", "correct horse", NULL);
  assert_database_is_private (database);

  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);
  assert_mode (database, 0600);
  remove_folder (folder);
}

/* A server that was killed leaves its -wal and -shm behind; if all three
 * files are readable by all when the next one starts (restored from a
 * backup that did not keep modes, say), it makes them private again and
 * still finds what the killed one wrote. */
static void
test_leftover_wal_is_made_private (void)
{
  g_autoptr(TokensTestServer) first = NULL;
  g_autoptr(TokensTestServer) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("tokens-storage-XXXXXX", &error);
  g_autofree char *database = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autofree char *session = NULL;

  /* The file, its WAL, its modes. */
  if (tt_sqlite_only ())
    {
      g_rmdir (folder);
      return;
    }

  g_assert_no_error (error);
  database = g_build_filename (folder, "tokens.db", NULL);
  wal = g_strconcat (database, "-wal", NULL);
  shm = g_strconcat (database, "-shm", NULL);

  first = tokens_test_server_new_for_path (database, signup);
  tt_sign_up (first, "ana@example.com", "correct horse", NULL);
  /* Freed while running: killed, with no chance to fold the WAL back. */
  g_clear_pointer (&first, tokens_test_server_free);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_chmod (database, 0644), ==, 0);
  g_assert_cmpint (g_chmod (wal, 0644), ==, 0);
  g_assert_cmpint (g_chmod (shm, 0644), ==, 0);

  second = tokens_test_server_new_for_path (database, signup);
  session = tt_sign_in (second, "ana@example.com", "correct horse");
  g_assert_cmpuint (tt_status (second, "GET", "/v1/me", session), ==, 200);
  assert_database_is_private (database);

  g_assert_cmpint (tokens_test_server_stop (second), ==, 0);
  remove_folder (folder);
}

/* A link planted where the WAL goes, to a file readable by all: the
 * server does not change the mode of what it points to (SQLite then
 * refuses to use such a WAL, so the server does not start either). */
static void
test_a_planted_wal_link_is_not_followed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_dir_make_tmp ("tokens-storage-XXXXXX", &error);
  g_autofree char *database = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *elsewhere = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  /* The file, its WAL, its modes. */
  if (tt_sqlite_only ())
    {
      g_rmdir (folder);
      return;
    }

  g_assert_no_error (error);
  database = g_build_filename (folder, "tokens.db", NULL);
  wal = g_strconcat (database, "-wal", NULL);
  elsewhere = g_build_filename (folder, "elsewhere", NULL);
  g_file_set_contents (elsewhere, "", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (elsewhere, 0644), ==, 0);
  g_assert_cmpint (symlink ("elsewhere", wal), ==, 0);

  {
    const char *argv[] = { g_getenv ("TOKENS_SERVER_BIN"), "--database", database,
                           "--listen", "127.0.0.1:0", NULL };

    g_assert_nonnull (argv[0]);
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
    g_assert_no_error (error);
  }

  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_null (strstr (out, "listening on"));
  g_assert_nonnull (strstr (err, "symbolic link"));
  assert_mode (elsewhere, 0644);
  g_assert_true (g_file_test (wal, G_FILE_TEST_IS_SYMLINK));

  remove_folder (folder);
}

static void
test_refuses_a_database_from_the_future (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new (NULL);
  gboolean postgres = tt_db_is_postgres (tokens_test_server_get_database (server));
  g_autofree char *database = g_strdup (tokens_test_server_get_database (server));
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { g_getenv ("TOKENS_SERVER_BIN"), "--database", database,
                         "--listen", "127.0.0.1:0", NULL };

  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);

  tt_db_exec (database, postgres ? "UPDATE schema_version SET version = 99"
                                 : "PRAGMA user_version = 99");

  g_assert_nonnull (argv[0]);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_null (strstr (out, "listening on"));
  g_assert_nonnull (strstr (err, "newer"));
  /* Untouched: an older server does not "migrate" a newer schema. */
  g_assert_cmpint (tt_db_count (database, "PRAGMA user_version"), ==, 99);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/storage/no-secret-is-ever-stored", test_no_secret_is_ever_stored);
  g_test_add_func ("/server/storage/bad-checksum-is-refused-without-a-lookup",
                   test_bad_checksum_is_refused_without_a_lookup);
  g_test_add_func ("/server/storage/restart-keeps-everything", test_restart_keeps_everything);
  g_test_add_func ("/server/storage/database-settings", test_database_settings);
  g_test_add_func ("/server/storage/existing-database-is-made-private",
                   test_existing_database_is_made_private);
  g_test_add_func ("/server/storage/leftover-wal-is-made-private", test_leftover_wal_is_made_private);
  g_test_add_func ("/server/storage/a-planted-wal-link-is-not-followed",
                   test_a_planted_wal_link_is_not_followed);
  g_test_add_func ("/server/storage/refuses-a-database-from-the-future",
                   test_refuses_a_database_from_the_future);

  return g_test_run ();
}
