/* ts-store-sqlite.c — the store on SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One TsStore is one connection, used by one thread only: each thread
 * that answers requests opens its own (ts-server.c). WAL, so readers (the
 * other threads, a backup, a test) never block the writer; foreign keys
 * on, so revoking a token takes its secrets with it. Every statement is prepared once and
 * kept (keyed by the address of its SQL text, which is a static string at
 * one call site), and every value is bound, never pasted into SQL.
 *
 * Each flow of several steps (reset, renew, undo, revoke, delete the old
 * token…) runs between BEGIN IMMEDIATE and COMMIT: IMMEDIATE takes the
 * write lock up front, so a second writer waits at BEGIN instead of
 * failing half-way; any error rolls the whole flow back.
 *
 * Ids are never reused (AUTOINCREMENT): an id a client holds names one
 * object forever, so a retried DELETE cannot reach a newer one.
 */

#include "config.h"

/* N_(): messages the app shows translated (see ts-request.c) */
#include <glib/gi18n-lib.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "tokens-error.h"
#include "ts-store-private.h"

typedef struct
{
  TsStore     parent;
  sqlite3    *db;
  GHashTable *statements;   /* const char *sql → sqlite3_stmt * */
} TsSqliteStore;

/* A statement in use: put back (reset, unbound) when it goes out of
 * scope, so no statement keeps a read snapshot open by accident. */
typedef sqlite3_stmt TsStmt;

static const TsStoreVTable sqlite_vtable;

static void
ts_stmt_release (TsStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsStmt, ts_stmt_release)

/* Schema migrations: entry N brings user_version from N to N + 1. Each
 * runs in its own transaction with the version bump, so a crash half-way
 * leaves the previous version intact and the next start tries again. */
static const char *const migrations[] = {
  /* 0 → 1: the first schema */
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
  /* Every secret that can be a bearer token: the account API token (kind
   * 0), the current and previous secret of an access token (kind 1) and
   * sessions (kind 3). Only the SHA-256 is kept. */
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
  /* No foreign key to access_tokens: the log outlives what it tells of. */
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
  ");",

  /* 1 → 2: ids are never reused. Without AUTOINCREMENT, SQLite hands out
   * max(id) + 1, so revoking the newest token freed its id for the next
   * one, and a client retrying a DELETE whose answer it lost revoked the
   * new token. SQLite cannot add AUTOINCREMENT to a table, so each table
   * with an id is rebuilt (the twelve steps of sqlite.org/lang_altertable:
   * new table, copy every row with its id, drop, rename, indexes again);
   * migrate() turns foreign keys off around it and checks them before
   * the commit. `files` has no id and stays as it is.
   *
   * And undoing a renewal gives the token back its duration: the new
   * previous_duration_days keeps the one from before the renewal, for as
   * long as the old secret is kept (NULL then is "no expiry"; with no old
   * secret it is NULL and means nothing). A token renewed under schema 1
   * has it back from its old secret, which was made to last exactly that
   * many days from its creation. */
  "CREATE TABLE accounts_v2 ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  email TEXT NOT NULL UNIQUE,"
  "  password_hash TEXT NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  client_token_hash TEXT,"
  "  client_token_last4 TEXT,"
  "  client_token_created_at INTEGER,"
  "  client_token_active INTEGER NOT NULL DEFAULT 0"
  ");"
  "INSERT INTO accounts_v2 (id, email, password_hash, created_at, client_token_hash,"
  "                         client_token_last4, client_token_created_at, client_token_active)"
  "  SELECT id, email, password_hash, created_at, client_token_hash,"
  "         client_token_last4, client_token_created_at, client_token_active FROM accounts;"
  "DROP TABLE accounts;"
  "ALTER TABLE accounts_v2 RENAME TO accounts;"

  "CREATE TABLE access_tokens_v2 ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  name TEXT NOT NULL,"
  "  scopes INTEGER NOT NULL CHECK (scopes BETWEEN 1 AND 3),"
  "  duration_days INTEGER,"
  "  previous_duration_days INTEGER,"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL,"
  "  renewed_at INTEGER"
  ");"
  "INSERT INTO access_tokens_v2 (id, account_id, name, scopes, duration_days,"
  "                              previous_duration_days, created_at, updated_at, renewed_at)"
  "  SELECT t.id, t.account_id, t.name, t.scopes, t.duration_days,"
  "         (SELECT (p.expires_at - p.created_at) / 86400 FROM credentials p"
  "           WHERE p.access_token_id = t.id AND p.previous = 1),"
  "         t.created_at, t.updated_at, t.renewed_at FROM access_tokens t;"
  "DROP TABLE access_tokens;"
  "ALTER TABLE access_tokens_v2 RENAME TO access_tokens;"
  "CREATE INDEX access_tokens_by_account ON access_tokens (account_id, id);"

  "CREATE TABLE credentials_v2 ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
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
  "INSERT INTO credentials_v2 (id, hash, kind, account_id, access_token_id, previous,"
  "                            last4, created_at, expires_at, last_used_at)"
  "  SELECT id, hash, kind, account_id, access_token_id, previous,"
  "         last4, created_at, expires_at, last_used_at FROM credentials;"
  "DROP TABLE credentials;"
  "ALTER TABLE credentials_v2 RENAME TO credentials;"
  "CREATE INDEX credentials_by_account ON credentials (account_id, kind);"
  "CREATE INDEX credentials_by_access_token ON credentials (access_token_id);"
  "CREATE UNIQUE INDEX credentials_one_api_key ON credentials (account_id) WHERE kind = 0;"
  "CREATE UNIQUE INDEX credentials_one_per_role ON credentials (access_token_id, previous) WHERE kind = 1;"

  "CREATE TABLE events_v2 ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL,"
  "  token_id INTEGER,"
  "  created_at INTEGER NOT NULL"
  ");"
  "INSERT INTO events_v2 (id, account_id, kind, token_id, created_at)"
  "  SELECT id, account_id, kind, token_id, created_at FROM events;"
  "DROP TABLE events;"
  "ALTER TABLE events_v2 RENAME TO events;"
  "CREATE INDEX events_by_account ON events (account_id, id);"

  /* Copying the rows with their ids already set each sequence to the
   * largest id present; this says so outright, and does better for
   * access tokens: the log outlives them and names every token ever
   * created, so a token revoked before this migration keeps its id too.
   * The limit: an account, credential or event whose id was the largest
   * and was deleted before this migration left no trace, and its id can
   * be handed out once more. Accounts and events are never deleted, and
   * credential ids never leave the server. */
  "DELETE FROM sqlite_sequence"
  "  WHERE name IN ('accounts', 'access_tokens', 'credentials', 'events');"
  "INSERT INTO sqlite_sequence (name, seq) VALUES"
  "  ('accounts', (SELECT coalesce (max (id), 0) FROM accounts)),"
  "  ('access_tokens', max ((SELECT coalesce (max (id), 0) FROM access_tokens),"
  "                         (SELECT coalesce (max (token_id), 0) FROM events))),"
  "  ('credentials', (SELECT coalesce (max (id), 0) FROM credentials)),"
  "  ('events', (SELECT coalesce (max (id), 0) FROM events));",

  /* 2 → 3: rate limits, kept where every instance sees them. The key is
   * a hash (of an email address, a client address): no plain value. */
  "CREATE TABLE limits ("
  "  kind TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  window_start INTEGER NOT NULL,"
  "  hits INTEGER NOT NULL CHECK (hits >= 0),"
  "  PRIMARY KEY (kind, key)"
  ") WITHOUT ROWID;"
  "CREATE INDEX limits_by_age ON limits (window_start);",

  /* 3 → 4: PostgreSQL's change notifications, for the verify caches of
   * several instances (ts-store-pg.c). One process owns an SQLite file:
   * nothing to notify, and the tables stay as they were. */
  "",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == TS_STORE_SCHEMA_VERSION);

/* Kinds of credential, as stored: the TokensTokenKind numbers. */
#define KIND_API_KEY  TOKENS_TOKEN_KIND_API_KEY
#define KIND_ACCESS   TOKENS_TOKEN_KIND_ACCESS
#define KIND_SESSION  TOKENS_TOKEN_KIND_SESSION

G_STATIC_ASSERT (TOKENS_TOKEN_KIND_API_KEY == 0);
G_STATIC_ASSERT (TOKENS_TOKEN_KIND_ACCESS == 1);
G_STATIC_ASSERT (TOKENS_TOKEN_KIND_SESSION == 3);

/* Errors */

static gboolean
fail (TsSqliteStore  *self,
      GError        **error)
{
  /* The statement text has only placeholders and SQLite's message names
   * tables and constraints, so this never carries a value, let alone a
   * secret. The client gets the generic sentence. */
  g_warning ("Database error: %s (%d)",
             sqlite3_errmsg (self->db), sqlite3_extended_errcode (self->db));
  g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_STORAGE,
                       tokens_error_describe (TOKENS_ERROR_STORAGE));
  return FALSE;
}

static gboolean
not_found (GError     **error,
           const char  *message)
{
  g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND, message);
  return FALSE;
}

static gboolean
conflict (GError     **error,
          const char  *message)
{
  g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_CONFLICT, message);
  return FALSE;
}

#define NO_SUCH_TOKEN "No access token with this id in this account."

/* Statements */

static TsStmt *
prepare (TsSqliteStore     *self,
         const char        *sql,
         GError           **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt != NULL)
    return stmt;

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      fail (self, error);
      return NULL;
    }

  g_hash_table_insert (self->statements, (gpointer) sql, stmt);
  return stmt;
}

/* Runs a statement that returns no rows. */
static gboolean
run (TsSqliteStore  *self,
     TsStmt         *stmt,
     GError        **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return fail (self, error);
  return TRUE;
}

static void
bind_time (TsStmt *stmt,
           int     index,
           gint64  value)
{
  if (value == 0)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, value);
}

static void
bind_text (TsStmt     *stmt,
           int         index,
           const char *value)
{
  sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

static char *
column_text (TsStmt *stmt,
             int     index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);

  return text ? g_strdup ((const char *) text) : NULL;
}

static void
read_secret_info (TsStmt       *stmt,
                  int           first,
                  TsSecretInfo *info)
{
  info->last4 = column_text (stmt, first);
  info->created_at = sqlite3_column_int64 (stmt, first + 1);
  info->expires_at = sqlite3_column_int64 (stmt, first + 2);
  info->last_used_at = sqlite3_column_int64 (stmt, first + 3);
}

/* Transactions */

static gboolean
begin (TsSqliteStore  *self,
       GError        **error)
{
  static const char sql[] = "BEGIN IMMEDIATE";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);

  return stmt != NULL && run (self, stmt, error);
}

/* Always FALSE, so a failed step can `return rollback (self);`. */
static gboolean
rollback (TsSqliteStore *self)
{
  static const char sql[] = "ROLLBACK";

  if (!sqlite3_get_autocommit (self->db))
    {
      g_autoptr(TsStmt) stmt = prepare (self, sql, NULL);

      if (stmt == NULL || sqlite3_step (stmt) != SQLITE_DONE)
        g_warning ("Rollback failed: %s", sqlite3_errmsg (self->db));
    }

  return FALSE;
}

static gboolean
commit (TsSqliteStore  *self,
        GError        **error)
{
  static const char sql[] = "COMMIT";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);

  if (stmt == NULL || !run (self, stmt, error))
    return rollback (self);

  return TRUE;
}

/* Opening and migrating */

static gboolean
exec (TsSqliteStore     *self,
      const char        *sql,
      GError           **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return fail (self, error);
  return TRUE;
}

static int
sqlite_get_schema_version (TsStore *store)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] = "PRAGMA user_version";
  g_autoptr(TsStmt) stmt = prepare (self, sql, NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return -1;

  return sqlite3_column_int (stmt, 0);
}

/* With foreign keys off, nothing stops a migration from leaving a row
 * that points nowhere: look before committing. */
static gboolean
check_foreign_keys (TsSqliteStore  *self,
                    GError        **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA foreign_key_check", -1, &stmt, NULL) != SQLITE_OK)
    return fail (self, error);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    g_warning ("Database migration left row %" G_GINT64_FORMAT " of %s pointing to a missing row of %s",
               (gint64) sqlite3_column_int64 (stmt, 1),
               (const char *) sqlite3_column_text (stmt, 0),
               (const char *) sqlite3_column_text (stmt, 2));
  sqlite3_finalize (stmt);

  if (rc == SQLITE_ROW)
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_STORAGE,
                           "The database schema migration would break references between "
                           "tables; it was rolled back");
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return fail (self, error);

  return TRUE;
}

/* Brings the schema from @version to @version + 1 in one transaction. */
static gboolean
migrate_one (TsSqliteStore  *self,
             int             version,
             GError        **error)
{
  g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

  if (!exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!exec (self, migrations[version], error) ||
      !check_foreign_keys (self, error) ||
      !exec (self, bump, error) ||
      !exec (self, "COMMIT", error))
    return rollback (self);

  return TRUE;
}

static gboolean
migrate (TsSqliteStore  *self,
         GError        **error)
{
  int version = sqlite_get_schema_version (&self->parent);

  if (version < 0)
    return fail (self, error);

  if (version > TS_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TOKENS_ERROR, TOKENS_ERROR_STORAGE,
                   "The database has schema version %d, newer than this tokens-server knows (%d)",
                   version, TS_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  if (version == TS_STORE_SCHEMA_VERSION)
    return TRUE;

  /* A migration may rebuild a table, and dropping the old one with
   * foreign keys on would delete, by cascade, every row that points at
   * it. The pragma does nothing inside a transaction, so it is turned off
   * here, around them all, and back on whatever happened; each migration
   * checks the keys itself before it commits. */
  if (!exec (self, "PRAGMA foreign_keys = OFF", error))
    return FALSE;

  for (; version < TS_STORE_SCHEMA_VERSION; version++)
    {
      if (!migrate_one (self, version, error))
        {
          exec (self, "PRAGMA foreign_keys = ON", NULL);
          return FALSE;
        }

      g_message ("Database schema migrated to version %d", version + 1);
    }

  return exec (self, "PRAGMA foreign_keys = ON", error);
}

/* Makes @path readable and writable by its owner only; with @create,
 * creates it so when it is missing. Opened without following a symbolic
 * link and changed through the descriptor, so a link planted where the
 * WAL goes cannot make us change the mode of some other file. */
static gboolean
make_private (const char  *path,
              gboolean     create,
              GError     **error)
{
  int flags = O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC;
  struct stat st;
  int saved_errno;
  int fd;

  fd = open (path, flags | (create ? O_CREAT : 0), 0600);
  if (fd < 0)
    {
      saved_errno = errno;

      if (saved_errno == ENOENT && !create)
        return TRUE;

      /* Left as it is. A database reached through a link is the
       * administrator's choice (SQLite follows it, and puts the WAL
       * beside the target): theirs to protect. A link in place of the
       * WAL SQLite refuses to open, and the server does not start. */
      if (saved_errno == ELOOP)
        {
          g_warning ("%s is a symbolic link: its permissions are left as they are", path);
          return TRUE;
        }

      g_set_error (error, TOKENS_ERROR, TOKENS_ERROR_STORAGE,
                   "Cannot open the database file %s: %s", path, g_strerror (saved_errno));
      return FALSE;
    }

  if (fstat (fd, &st) != 0 ||
      (S_ISREG (st.st_mode) && (st.st_mode & 07777) != 0600 && fchmod (fd, 0600) != 0))
    {
      saved_errno = errno;
      close (fd);
      g_set_error (error, TOKENS_ERROR, TOKENS_ERROR_STORAGE,
                   "Cannot make the database file %s private to its owner: %s",
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  close (fd);
  return TRUE;
}

/* The database holds hashes, not secrets, but still nobody else's
 * business. main() sets a umask, but that only reaches files it makes: a
 * database made by an older version or copied in keeps its 0644, and
 * SQLite gives the -wal and -shm it creates the database's own mode. So
 * all three are made private before SQLite opens anything: an existing
 * -wal or -shm (left by a crash, or by a reader) keeps its mode too. */
static gboolean
make_database_private (const char  *path,
                       GError     **error)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  /* SQLite's names for a database that is no file. */
  if (path[0] == '\0' || g_str_equal (path, ":memory:"))
    return TRUE;

  return make_private (path, TRUE, error) &&
         make_private (wal, FALSE, error) &&
         make_private (shm, FALSE, error);
}

static void
finalize_statement (gpointer data)
{
  sqlite3_finalize (data);
}

TsStore *
ts_store_sqlite_open (const char  *path,
                      GError     **error)
{
  TsSqliteStore *self = g_new0 (TsSqliteStore, 1);
  g_autoptr(TsStore) store = &self->parent;
  g_autoptr(TsStmt) stmt = NULL;
  int rc;

  self->parent.vtable = &sqlite_vtable;
  self->statements = g_hash_table_new_full (NULL, NULL, NULL, finalize_statement);

  if (!make_database_private (path, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, TOKENS_ERROR, TOKENS_ERROR_STORAGE,
                   "Cannot open the database: %s",
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  /* Another process (a backup, a test reading the file) may hold a lock
   * for a moment; wait a little rather than fail the request. */
  sqlite3_busy_timeout (self->db, 2000);

  if (!exec (self, "PRAGMA foreign_keys = ON", error) ||
      !exec (self, "PRAGMA synchronous = NORMAL", error) ||
      !exec (self, "PRAGMA trusted_schema = OFF", error))
    return NULL;

  /* WAL is a property of the file: check that it took. */
  stmt = prepare (self, "PRAGMA journal_mode = WAL", error);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) != SQLITE_ROW ||
      g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") != 0)
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_STORAGE,
                           "The database cannot use write-ahead logging");
      return NULL;
    }
  g_clear_pointer (&stmt, ts_stmt_release);

  if (!migrate (self, error))
    return NULL;

  return g_steal_pointer (&store);
}

static void
sqlite_free (TsStore *store)
{
  TsSqliteStore *self = (TsSqliteStore *) store;

  /* Statements first: a connection with live statements does not close,
   * and the last close is what checkpoints the WAL into the file. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL && sqlite3_close (self->db) != SQLITE_OK)
    g_warning ("Database did not close cleanly: %s", sqlite3_errmsg (self->db));
  g_free (self);
}

/* Events */

static gboolean
add_event (TsSqliteStore     *self,
           gint64             account_id,
           const char        *kind,
           gint64             token_id,
           gint64             now,
           GError           **error)
{
  static const char sql[] =
    "INSERT INTO events (account_id, kind, token_id, created_at) VALUES (?1, ?2, ?3, ?4)";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  bind_time (stmt, 3, token_id);
  sqlite3_bind_int64 (stmt, 4, now);
  return run (self, stmt, error);
}

static gboolean
sqlite_add_event (TsStore     *store,
                  gint64       account_id,
                  const char  *kind,
                  gint64       token_id,
                  gint64       now,
                  GError     **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  return add_event (self, account_id, kind, token_id, now, error);
}

static gboolean
sqlite_list_events (TsStore     *store,
                    gint64       account_id,
                    gint64       before_id,
                    guint        limit,
                    GPtrArray  **events,
                    GError     **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] =
    "SELECT id, kind, token_id, created_at FROM events"
    " WHERE account_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ts_event_free);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, before_id > 0 ? before_id : G_MAXINT64);
  sqlite3_bind_int (stmt, 3, limit);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsEvent *event = g_new0 (TsEvent, 1);

      event->id = sqlite3_column_int64 (stmt, 0);
      event->kind = column_text (stmt, 1);
      event->token_id = sqlite3_column_int64 (stmt, 2);
      event->created_at = sqlite3_column_int64 (stmt, 3);
      g_ptr_array_add (list, event);
    }

  if (rc != SQLITE_DONE)
    return fail (self, error);

  *events = g_steal_pointer (&list);
  return TRUE;
}

/* Accounts */

static gboolean
insert_credential (TsSqliteStore            *self,
                   const TsNewSecret        *secret,
                   TokensTokenKind           kind,
                   gint64                    account_id,
                   gint64                    access_token_id,
                   gint64                    now,
                   gint64                    expires_at,
                   GError                  **error)
{
  static const char sql[] =
    "INSERT INTO credentials (hash, kind, account_id, access_token_id, previous, last4, created_at, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7)";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, secret->hash);
  sqlite3_bind_int (stmt, 2, kind);
  sqlite3_bind_int64 (stmt, 3, account_id);
  bind_time (stmt, 4, access_token_id);
  bind_text (stmt, 5, secret->last4);
  sqlite3_bind_int64 (stmt, 6, now);
  bind_time (stmt, 7, expires_at);
  return run (self, stmt, error);
}

static TsAccount *
create_account (TsSqliteStore            *self,
                const char               *email,
                const char               *password_hash,
                const TsNewSecret        *api_key,
                gint64                    now,
                GError                  **error)
{
  static const char sql[] =
    "INSERT INTO accounts (email, password_hash, created_at) VALUES (?1, ?2, ?3)";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  TsAccount *account;

  if (stmt == NULL)
    return NULL;

  bind_text (stmt, 1, email);
  bind_text (stmt, 2, password_hash);
  sqlite3_bind_int64 (stmt, 3, now);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE)
        conflict (error, N_("An account with this email address already exists."));
      else
        fail (self, error);
      return NULL;
    }

  account = g_new0 (TsAccount, 1);
  account->id = sqlite3_last_insert_rowid (self->db);
  account->email = g_strdup (email);
  account->created_at = now;

  if (!insert_credential (self, api_key, KIND_API_KEY, account->id, 0, now, 0, error) ||
      !add_event (self, account->id, "account.created", 0, now, error))
    {
      ts_account_free (account);
      return NULL;
    }

  return account;
}

static TsAccount *
sqlite_create_account (TsStore            *store,
                       const char         *email,
                       const char         *password_hash,
                       const TsNewSecret  *api_key,
                       gint64              now,
                       GError            **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  TsAccount *account;

  if (!begin (self, error))
    return NULL;

  account = create_account (self, email, password_hash, api_key, now, error);
  if (account == NULL)
    {
      rollback (self);
      return NULL;
    }

  if (!commit (self, error))
    {
      ts_account_free (account);
      return NULL;
    }

  return account;
}

static gboolean
sqlite_account_exists (TsStore     *store,
                       const char  *email,
                       gboolean    *exists,
                       GError     **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] = "SELECT 1 FROM accounts WHERE email = ?1";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, email);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return fail (self, error);

  *exists = (rc == SQLITE_ROW);
  return TRUE;
}

/* Sets *account_id to 0 when there is no such account: not an error. */
static gboolean
sqlite_find_password (TsStore     *store,
                      const char  *email,
                      gint64      *account_id,
                      char       **password_hash,
                      GError     **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] = "SELECT id, password_hash FROM accounts WHERE email = ?1";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  *account_id = 0;
  *password_hash = NULL;

  bind_text (stmt, 1, email);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *account_id = sqlite3_column_int64 (stmt, 0);
      *password_hash = column_text (stmt, 1);
    }
  else if (rc != SQLITE_DONE)
    return fail (self, error);

  return TRUE;
}

static TsAccount *
sqlite_get_account (TsStore  *store,
                    gint64    account_id,
                    GError  **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] =
    "SELECT email, created_at, client_token_hash IS NOT NULL, client_token_active"
    " FROM accounts WHERE id = ?1";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  TsAccount *account;
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      not_found (error, "No such account.");
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      fail (self, error);
      return NULL;
    }

  account = g_new0 (TsAccount, 1);
  account->id = account_id;
  account->email = column_text (stmt, 0);
  account->created_at = sqlite3_column_int64 (stmt, 1);
  if (!sqlite3_column_int (stmt, 2))
    account->client_token_state = TS_CLIENT_TOKEN_NONE;
  else if (sqlite3_column_int (stmt, 3))
    account->client_token_state = TS_CLIENT_TOKEN_ACTIVE;
  else
    account->client_token_state = TS_CLIENT_TOKEN_DISABLED;

  return account;
}

/* Sets *principal to NULL when no credential has this hash. */
static gboolean
sqlite_lookup_credential (TsStore      *store,
                          const char   *hash,
                          TsPrincipal **principal,
                          GError      **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] =
    "SELECT c.id, c.kind, c.hash, c.account_id, a.email, c.access_token_id, t.scopes,"
    "       c.previous, c.expires_at, c.last_used_at,"
    "       a.client_token_active, a.client_token_hash"
    " FROM credentials c"
    " JOIN accounts a ON a.id = c.account_id"
    " LEFT JOIN access_tokens t ON t.id = c.access_token_id"
    " WHERE c.hash = ?1";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  TsPrincipal *p;
  int rc;

  *principal = NULL;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return fail (self, error);

  p = g_new0 (TsPrincipal, 1);
  p->credential_id = sqlite3_column_int64 (stmt, 0);
  p->kind = (TokensTokenKind) sqlite3_column_int (stmt, 1);
  p->hash = column_text (stmt, 2);
  p->account_id = sqlite3_column_int64 (stmt, 3);
  p->email = column_text (stmt, 4);
  p->access_token_id = sqlite3_column_int64 (stmt, 5);
  p->scopes = p->kind == KIND_ACCESS ? (guint) sqlite3_column_int (stmt, 6) : TS_SCOPES_ALL;
  p->is_previous = sqlite3_column_int (stmt, 7) != 0;
  p->expires_at = sqlite3_column_int64 (stmt, 8);
  p->last_used_at = sqlite3_column_int64 (stmt, 9);
  p->client_token_hash = column_text (stmt, 11);
  if (p->client_token_hash == NULL)
    p->client_token_state = TS_CLIENT_TOKEN_NONE;
  else if (sqlite3_column_int (stmt, 10))
    p->client_token_state = TS_CLIENT_TOKEN_ACTIVE;
  else
    p->client_token_state = TS_CLIENT_TOKEN_DISABLED;

  *principal = p;
  return TRUE;
}

static gboolean
sqlite_touch_credential (TsStore  *store,
                         gint64    credential_id,
                         gint64    now,
                         GError  **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] = "UPDATE credentials SET last_used_at = ?2 WHERE id = ?1";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, credential_id);
  sqlite3_bind_int64 (stmt, 2, now);
  return run (self, stmt, error);
}

static gboolean
sqlite_create_session (TsStore            *store,
                       gint64              account_id,
                       const TsNewSecret  *session,
                       gint64              now,
                       gint64              expires_at,
                       GError            **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  if (!begin (self, error))
    return FALSE;

  if (!insert_credential (self, session, KIND_SESSION, account_id, 0, now, expires_at, error) ||
      !add_event (self, account_id, "session.created", 0, now, error))
    return rollback (self);

  return commit (self, error);
}

static gboolean
sqlite_delete_session (TsStore  *store,
                       gint64    account_id,
                       gint64    credential_id,
                       gint64    now,
                       GError  **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] =
    "DELETE FROM credentials WHERE id = ?1 AND account_id = ?2 AND kind = 3";
  g_autoptr(TsStmt) stmt = NULL;

  if (!begin (self, error))
    return FALSE;

  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return rollback (self);

  sqlite3_bind_int64 (stmt, 1, credential_id);
  sqlite3_bind_int64 (stmt, 2, account_id);
  if (!run (self, stmt, error))
    return rollback (self);
  if (sqlite3_changes (self->db) == 0)
    {
      not_found (error, "This session has already ended.");
      return rollback (self);
    }

  if (!add_event (self, account_id, "session.deleted", 0, now, error))
    return rollback (self);

  return commit (self, error);
}

static gboolean
sqlite_purge_expired (TsStore  *store,
                      gint64    now,
                      GError  **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] =
    "DELETE FROM credentials WHERE kind = 3 AND expires_at IS NOT NULL AND expires_at <= ?1";
  /* No window is longer than a day. */
  static const char limits_sql[] = "DELETE FROM limits WHERE window_start <= ?1 - 86400";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  g_autoptr(TsStmt) limits = NULL;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, now);
  if (!run (self, stmt, error))
    return FALSE;

  limits = prepare (self, limits_sql, error);
  if (limits == NULL)
    return FALSE;
  sqlite3_bind_int64 (limits, 1, now);
  return run (self, limits, error);
}

/* Rate limits */

static gboolean
sqlite_limit_get (TsStore     *store,
                  const char  *kind,
                  const char  *key,
                  guint       *hits,
                  gint64      *window_start,
                  GError     **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] = "SELECT hits, window_start FROM limits WHERE kind = ?1 AND key = ?2";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  int rc;

  *hits = 0;
  *window_start = 0;
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, kind);
  bind_text (stmt, 2, key);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *hits = (guint) sqlite3_column_int64 (stmt, 0);
      *window_start = sqlite3_column_int64 (stmt, 1);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return fail (self, error);
  return TRUE;
}

static gboolean
sqlite_limit_add (TsStore     *store,
                  const char  *kind,
                  const char  *key,
                  gint64       now,
                  gint64       window,
                  int          delta,
                  guint        max,
                  gboolean    *added,
                  guint       *hits,
                  gint64      *window_start,
                  GError     **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  /* One statement: the check (WHERE) and the count (SET) cannot be told
   * apart by another connection. A window that has ended starts again. */
  static const char sql[] =
    "INSERT INTO limits (kind, key, window_start, hits) VALUES (?1, ?2, ?3, max (?4, 0))"
    " ON CONFLICT (kind, key) DO UPDATE SET"
    "   hits = CASE WHEN ?3 - window_start >= ?5 THEN max (?4, 0) ELSE max (hits + ?4, 0) END,"
    "   window_start = CASE WHEN ?3 - window_start >= ?5 THEN ?3 ELSE window_start END"
    " WHERE ?4 <= 0 OR ?6 = 0 OR ?3 - window_start >= ?5 OR hits < ?6"
    " RETURNING hits, window_start";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  int rc;

  *added = FALSE;
  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, kind);
  bind_text (stmt, 2, key);
  sqlite3_bind_int64 (stmt, 3, now);
  sqlite3_bind_int (stmt, 4, delta);
  sqlite3_bind_int64 (stmt, 5, window);
  sqlite3_bind_int64 (stmt, 6, max);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *added = TRUE;
      *hits = (guint) sqlite3_column_int64 (stmt, 0);
      *window_start = sqlite3_column_int64 (stmt, 1);
      /* Step to the end, so the statement is done before it is reset. */
      if (sqlite3_step (stmt) != SQLITE_DONE)
        return fail (self, error);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    return fail (self, error);

  /* Over the maximum: nothing changed; say where the window stands. */
  g_clear_pointer (&stmt, ts_stmt_release);
  return sqlite_limit_get (store, kind, key, hits, window_start, error);
}

static gboolean
sqlite_limit_clear (TsStore     *store,
                    const char  *kind,
                    const char  *key,
                    GError     **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] = "DELETE FROM limits WHERE kind = ?1 AND key = ?2";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  bind_text (stmt, 1, kind);
  bind_text (stmt, 2, key);
  return run (self, stmt, error);
}

/* The account API token */

static gboolean
sqlite_get_api_key (TsStore       *store,
                    gint64         account_id,
                    TsSecretInfo  *info,
                    GError       **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] =
    "SELECT last4, created_at, expires_at, last_used_at FROM credentials"
    " WHERE account_id = ?1 AND kind = 0";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return not_found (error, "This account has no API token.");
  if (rc != SQLITE_ROW)
    return fail (self, error);

  read_secret_info (stmt, 0, info);
  return TRUE;
}

static gboolean
sqlite_reset_api_key (TsStore            *store,
                      gint64              account_id,
                      const TsNewSecret  *api_key,
                      gint64              now,
                      GError            **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] = "DELETE FROM credentials WHERE account_id = ?1 AND kind = 0";
  g_autoptr(TsStmt) stmt = NULL;

  if (!begin (self, error))
    return FALSE;

  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return rollback (self);

  sqlite3_bind_int64 (stmt, 1, account_id);
  if (!run (self, stmt, error) ||
      !insert_credential (self, api_key, KIND_API_KEY, account_id, 0, now, 0, error) ||
      !add_event (self, account_id, "api_key.reset", 0, now, error))
    return rollback (self);

  return commit (self, error);
}

/* Access tokens */

#define ACCESS_TOKEN_COLUMNS \
  "SELECT t.id, t.name, t.scopes, t.duration_days, t.created_at, t.updated_at, t.renewed_at," \
  "       c.last4, c.created_at, c.expires_at, c.last_used_at," \
  "       p.last4, p.created_at, p.expires_at, p.last_used_at" \
  " FROM access_tokens t" \
  " JOIN credentials c ON c.access_token_id = t.id AND c.previous = 0" \
  " LEFT JOIN credentials p ON p.access_token_id = t.id AND p.previous = 1"

static TsAccessToken *
read_access_token (TsStmt *stmt)
{
  TsAccessToken *token = g_new0 (TsAccessToken, 1);

  token->id = sqlite3_column_int64 (stmt, 0);
  token->name = column_text (stmt, 1);
  token->scopes = (guint) sqlite3_column_int (stmt, 2);
  token->duration_days = sqlite3_column_int64 (stmt, 3);
  token->created_at = sqlite3_column_int64 (stmt, 4);
  token->updated_at = sqlite3_column_int64 (stmt, 5);
  token->renewed_at = sqlite3_column_int64 (stmt, 6);
  read_secret_info (stmt, 7, &token->current);
  token->has_previous = sqlite3_column_type (stmt, 11) != SQLITE_NULL;
  if (token->has_previous)
    read_secret_info (stmt, 11, &token->previous);

  return token;
}

static gboolean
sqlite_list_access_tokens (TsStore     *store,
                           gint64       account_id,
                           gint64       after_id,
                           guint        limit,
                           GPtrArray  **tokens,
                           gint64      *total,
                           GError     **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] =
    ACCESS_TOKEN_COLUMNS " WHERE t.account_id = ?1 AND t.id > ?2 ORDER BY t.id LIMIT ?3";
  static const char count_sql[] = "SELECT count(*) FROM access_tokens WHERE account_id = ?1";
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ts_access_token_free);
  int rc;

  {
    g_autoptr(TsStmt) stmt = prepare (self, sql, error);

    if (stmt == NULL)
      return FALSE;

    sqlite3_bind_int64 (stmt, 1, account_id);
    sqlite3_bind_int64 (stmt, 2, after_id);
    sqlite3_bind_int (stmt, 3, limit);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      g_ptr_array_add (list, read_access_token (stmt));
    if (rc != SQLITE_DONE)
      return fail (self, error);
  }

  {
    g_autoptr(TsStmt) stmt = prepare (self, count_sql, error);

    if (stmt == NULL)
      return FALSE;

    sqlite3_bind_int64 (stmt, 1, account_id);
    if (sqlite3_step (stmt) != SQLITE_ROW)
      return fail (self, error);
    *total = sqlite3_column_int64 (stmt, 0);
  }

  *tokens = g_steal_pointer (&list);
  return TRUE;
}

static TsAccessToken *
sqlite_get_access_token (TsStore  *store,
                         gint64    account_id,
                         gint64    token_id,
                         GError  **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] = ACCESS_TOKEN_COLUMNS " WHERE t.account_id = ?1 AND t.id = ?2";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, token_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return read_access_token (stmt);

  if (rc == SQLITE_DONE)
    not_found (error, NO_SUCH_TOKEN);
  else
    fail (self, error);

  return NULL;
}

static gint64
expiry (gint64 now,
        gint64 duration_days)
{
  return duration_days > 0 ? now + duration_days * 24 * 60 * 60 : 0;
}

static gint64
create_access_token (TsSqliteStore            *self,
                     gint64                    account_id,
                     const char               *name,
                     guint                     scopes,
                     gint64                    duration_days,
                     const TsNewSecret        *secret,
                     gint64                    now,
                     GError                  **error)
{
  static const char sql[] =
    "INSERT INTO access_tokens (account_id, name, scopes, duration_days, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  gint64 id;

  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, account_id);
  bind_text (stmt, 2, name);
  sqlite3_bind_int (stmt, 3, scopes);
  bind_time (stmt, 4, duration_days);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!run (self, stmt, error))
    return 0;

  id = sqlite3_last_insert_rowid (self->db);
  if (!insert_credential (self, secret, KIND_ACCESS, account_id, id, now,
                          expiry (now, duration_days), error) ||
      !add_event (self, account_id, "token.created", id, now, error))
    return 0;

  return id;
}

static gint64
sqlite_create_access_token (TsStore            *store,
                            gint64              account_id,
                            const char         *name,
                            guint               scopes,
                            gint64              duration_days,
                            const TsNewSecret  *secret,
                            gint64              now,
                            GError            **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  gint64 id;

  if (!begin (self, error))
    return 0;

  id = create_access_token (self, account_id, name, scopes, duration_days, secret, now, error);
  if (id == 0)
    return rollback (self);

  if (!commit (self, error))
    return 0;

  return id;
}

static gboolean
sqlite_update_access_token (TsStore     *store,
                            gint64       account_id,
                            gint64       token_id,
                            const char  *name,
                            guint        scopes,
                            gint64       now,
                            GError     **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] =
    "UPDATE access_tokens SET name = coalesce (?3, name), scopes = coalesce (?4, scopes),"
    " updated_at = ?5 WHERE id = ?1 AND account_id = ?2";
  g_autoptr(TsStmt) stmt = NULL;

  if (!begin (self, error))
    return FALSE;

  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return rollback (self);

  sqlite3_bind_int64 (stmt, 1, token_id);
  sqlite3_bind_int64 (stmt, 2, account_id);
  if (name != NULL)
    bind_text (stmt, 3, name);
  if (scopes != 0)
    sqlite3_bind_int (stmt, 4, scopes);
  sqlite3_bind_int64 (stmt, 5, now);
  if (!run (self, stmt, error))
    return rollback (self);
  if (sqlite3_changes (self->db) == 0)
    {
      not_found (error, NO_SUCH_TOKEN);
      return rollback (self);
    }

  if (!add_event (self, account_id, "token.updated", token_id, now, error))
    return rollback (self);

  return commit (self, error);
}

static gboolean
sqlite_delete_access_token (TsStore  *store,
                            gint64    account_id,
                            gint64    token_id,
                            gint64    now,
                            GError  **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] = "DELETE FROM access_tokens WHERE id = ?1 AND account_id = ?2";
  g_autoptr(TsStmt) stmt = NULL;

  if (!begin (self, error))
    return FALSE;

  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return rollback (self);

  /* Its secrets, current and previous, go with it (ON DELETE CASCADE). */
  sqlite3_bind_int64 (stmt, 1, token_id);
  sqlite3_bind_int64 (stmt, 2, account_id);
  if (!run (self, stmt, error))
    return rollback (self);
  if (sqlite3_changes (self->db) == 0)
    {
      not_found (error, NO_SUCH_TOKEN);
      return rollback (self);
    }

  if (!add_event (self, account_id, "token.revoked", token_id, now, error))
    return rollback (self);

  return commit (self, error);
}

/* Reads what a renewal step needs to know, inside its transaction. */
static gboolean
renewal_state (TsSqliteStore   *self,
               gint64           account_id,
               gint64           token_id,
               gint64          *duration_days,
               gboolean        *has_previous,
               GError         **error)
{
  static const char sql[] =
    "SELECT t.duration_days,"
    "       EXISTS (SELECT 1 FROM credentials p WHERE p.access_token_id = t.id AND p.previous = 1)"
    " FROM access_tokens t WHERE t.id = ?1 AND t.account_id = ?2";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, token_id);
  sqlite3_bind_int64 (stmt, 2, account_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    return not_found (error, NO_SUCH_TOKEN);
  if (rc != SQLITE_ROW)
    return fail (self, error);

  *duration_days = sqlite3_column_int64 (stmt, 0);
  *has_previous = sqlite3_column_int (stmt, 1) != 0;
  return TRUE;
}

static gboolean
renew_access_token (TsSqliteStore            *self,
                    gint64                    account_id,
                    gint64                    token_id,
                    gboolean                  keep_old,
                    gboolean                  set_duration,
                    gint64                    duration_days,
                    const TsNewSecret        *secret,
                    gint64                    now,
                    GError                  **error)
{
  static const char keep_sql[] =
    "UPDATE credentials SET previous = 1 WHERE access_token_id = ?1 AND previous = 0";
  static const char drop_sql[] =
    "DELETE FROM credentials WHERE access_token_id = ?1 AND previous = 0";
  /* The right-hand sides see the row as it was: the old duration is
   * kept for an undo, as long as the old secret is. */
  static const char token_sql[] =
    "UPDATE access_tokens SET previous_duration_days = CASE WHEN ?4 THEN duration_days END,"
    " duration_days = ?2, renewed_at = ?3, updated_at = ?3 WHERE id = ?1";
  gint64 stored_duration;
  gboolean has_previous;

  if (!renewal_state (self, account_id, token_id, &stored_duration, &has_previous, error))
    return FALSE;

  /* One old secret at a time, as in the renewal flow this follows: the
   * person decides about the old one before renewing again. */
  if (has_previous)
    return conflict (error,
                     N_("This token still has its old token from the last renewal: "
                        "delete the old token or undo that renewal first."));

  if (!set_duration)
    duration_days = stored_duration;

  {
    g_autoptr(TsStmt) stmt = prepare (self, keep_old ? keep_sql : drop_sql, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, token_id);
    if (!run (self, stmt, error))
      return FALSE;
  }

  {
    g_autoptr(TsStmt) stmt = prepare (self, token_sql, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, token_id);
    bind_time (stmt, 2, duration_days);
    sqlite3_bind_int64 (stmt, 3, now);
    sqlite3_bind_int (stmt, 4, keep_old ? 1 : 0);
    if (!run (self, stmt, error))
      return FALSE;
  }

  return insert_credential (self, secret, KIND_ACCESS, account_id, token_id, now,
                            expiry (now, duration_days), error) &&
         add_event (self, account_id, keep_old ? "token.renewed" : "token.renewed_old_deleted",
                    token_id, now, error);
}

static gboolean
sqlite_renew_access_token (TsStore            *store,
                           gint64              account_id,
                           gint64              token_id,
                           gboolean            keep_old,
                           gboolean            set_duration,
                           gint64              duration_days,
                           const TsNewSecret  *secret,
                           gint64              now,
                           GError            **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  if (!begin (self, error))
    return FALSE;

  if (!renew_access_token (self, account_id, token_id, keep_old, set_duration,
                           duration_days, secret, now, error))
    return rollback (self);

  return commit (self, error);
}

static gboolean
delete_previous (TsSqliteStore  *self,
                 gint64          account_id,
                 gint64          token_id,
                 gint64          now,
                 GError        **error)
{
  static const char sql[] =
    "DELETE FROM credentials WHERE access_token_id = ?1 AND previous = 1";
  /* No undo without the old secret: its duration goes with it. */
  static const char token_sql[] =
    "UPDATE access_tokens SET previous_duration_days = NULL WHERE id = ?1";
  gint64 duration_days;
  gboolean has_previous;

  if (!renewal_state (self, account_id, token_id, &duration_days, &has_previous, error))
    return FALSE;

  if (!has_previous)
    return conflict (error,
                     N_("This token has no old token to delete: it was already deleted, "
                        "or the token was renewed with the old one deleted at once."));

  {
    g_autoptr(TsStmt) stmt = prepare (self, sql, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, token_id);
    if (!run (self, stmt, error))
      return FALSE;
  }

  {
    g_autoptr(TsStmt) stmt = prepare (self, token_sql, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, token_id);
    if (!run (self, stmt, error))
      return FALSE;
  }

  return add_event (self, account_id, "token.previous_deleted", token_id, now, error);
}

static gboolean
sqlite_delete_previous (TsStore  *store,
                        gint64    account_id,
                        gint64    token_id,
                        gint64    now,
                        GError  **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  if (!begin (self, error))
    return FALSE;

  if (!delete_previous (self, account_id, token_id, now, error))
    return rollback (self);

  return commit (self, error);
}

static gboolean
undo_renewal (TsSqliteStore  *self,
              gint64          account_id,
              gint64          token_id,
              gint64          now,
              GError        **error)
{
  static const char drop_sql[] =
    "DELETE FROM credentials WHERE access_token_id = ?1 AND previous = 0";
  static const char restore_sql[] =
    "UPDATE credentials SET previous = 0 WHERE access_token_id = ?1 AND previous = 1";
  /* The old secret is current again, and so is the duration it was
   * made with, which the next renewal without a duration will use. */
  static const char token_sql[] =
    "UPDATE access_tokens SET duration_days = previous_duration_days,"
    " previous_duration_days = NULL, renewed_at = NULL, updated_at = ?2 WHERE id = ?1";
  gint64 duration_days;
  gboolean has_previous;

  if (!renewal_state (self, account_id, token_id, &duration_days, &has_previous, error))
    return FALSE;

  if (!has_previous)
    return conflict (error,
                     N_("There is no renewal to undo: the old token has been deleted, "
                        "or this token was not renewed."));

  {
    g_autoptr(TsStmt) stmt = prepare (self, drop_sql, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, token_id);
    if (!run (self, stmt, error))
      return FALSE;
  }

  {
    g_autoptr(TsStmt) stmt = prepare (self, restore_sql, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, token_id);
    if (!run (self, stmt, error))
      return FALSE;
  }

  {
    g_autoptr(TsStmt) stmt = prepare (self, token_sql, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, token_id);
    sqlite3_bind_int64 (stmt, 2, now);
    if (!run (self, stmt, error))
      return FALSE;
  }

  return add_event (self, account_id, "token.renewal_undone", token_id, now, error);
}

static gboolean
sqlite_undo_renewal (TsStore  *store,
                     gint64    account_id,
                     gint64    token_id,
                     gint64    now,
                     GError  **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  if (!begin (self, error))
    return FALSE;

  if (!undo_renewal (self, account_id, token_id, now, error))
    return rollback (self);

  return commit (self, error);
}

/* The account security token */

static TsClientToken *
sqlite_get_client_token (TsStore  *store,
                         gint64    account_id,
                         GError  **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] =
    "SELECT client_token_last4, client_token_created_at, NULL, NULL, client_token_active"
    " FROM accounts WHERE id = ?1";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  TsClientToken *token;
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, account_id);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        not_found (error, "No such account.");
      else
        fail (self, error);
      return NULL;
    }

  token = g_new0 (TsClientToken, 1);
  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    token->state = TS_CLIENT_TOKEN_NONE;
  else
    {
      read_secret_info (stmt, 0, &token->secret);
      token->state = sqlite3_column_int (stmt, 4) ? TS_CLIENT_TOKEN_ACTIVE : TS_CLIENT_TOKEN_DISABLED;
    }

  return token;
}

/* Runs one UPDATE of the account row inside a transaction with its event;
 * when it changes nothing, fails with @code and @message. */
static gboolean
update_account_row (TsSqliteStore      *self,
                    TsStmt             *stmt,
                    gint64              account_id,
                    const char         *event,
                    TokensError         code,
                    const char         *message,
                    gint64              now,
                    GError            **error)
{
  if (!run (self, stmt, error))
    return FALSE;

  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, TOKENS_ERROR, code, message);
      return FALSE;
    }

  return add_event (self, account_id, event, 0, now, error);
}

static gboolean
sqlite_configure_client_token (TsStore            *store,
                               gint64              account_id,
                               const TsNewSecret  *secret,
                               gint64              now,
                               GError            **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] =
    "UPDATE accounts SET client_token_hash = ?2, client_token_last4 = ?3,"
    " client_token_created_at = ?4, client_token_active = 0"
    " WHERE id = ?1 AND client_token_hash IS NULL";
  g_autoptr(TsStmt) stmt = NULL;

  if (!begin (self, error))
    return FALSE;

  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return rollback (self);

  sqlite3_bind_int64 (stmt, 1, account_id);
  bind_text (stmt, 2, secret->hash);
  bind_text (stmt, 3, secret->last4);
  sqlite3_bind_int64 (stmt, 4, now);
  if (!update_account_row (self, stmt, account_id, "client_token.configured",
                           TOKENS_ERROR_CONFLICT,
                           N_("An account security token is already configured: "
                              "delete it before making a new one."),
                           now, error))
    return rollback (self);

  return commit (self, error);
}

static gboolean
sqlite_set_client_token_active (TsStore   *store,
                                gint64     account_id,
                                gboolean   active,
                                gint64     now,
                                GError   **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] =
    "UPDATE accounts SET client_token_active = ?2"
    " WHERE id = ?1 AND client_token_hash IS NOT NULL";
  g_autoptr(TsStmt) stmt = NULL;

  if (!begin (self, error))
    return FALSE;

  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return rollback (self);

  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int (stmt, 2, active ? 1 : 0);
  if (!update_account_row (self, stmt, account_id,
                           active ? "client_token.activated" : "client_token.deactivated",
                           TOKENS_ERROR_CONFLICT,
                           N_("No account security token is configured: configure one first."),
                           now, error))
    return rollback (self);

  return commit (self, error);
}

static gboolean
sqlite_delete_client_token (TsStore  *store,
                            gint64    account_id,
                            gint64    now,
                            GError  **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] =
    "UPDATE accounts SET client_token_hash = NULL, client_token_last4 = NULL,"
    " client_token_created_at = NULL, client_token_active = 0"
    " WHERE id = ?1 AND client_token_hash IS NOT NULL";
  g_autoptr(TsStmt) stmt = NULL;

  if (!begin (self, error))
    return FALSE;

  stmt = prepare (self, sql, error);
  if (stmt == NULL)
    return rollback (self);

  sqlite3_bind_int64 (stmt, 1, account_id);
  if (!update_account_row (self, stmt, account_id, "client_token.deleted",
                           TOKENS_ERROR_NOT_FOUND,
                           "No account security token is configured.",
                           now, error))
    return rollback (self);

  return commit (self, error);
}

/* Files */

static gboolean
sqlite_list_files (TsStore     *store,
                   gint64       account_id,
                   GPtrArray  **files,
                   GError     **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] =
    "SELECT name, size, updated_at FROM files WHERE account_id = ?1 ORDER BY name";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ts_file_free);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsFile *file = g_new0 (TsFile, 1);

      file->name = column_text (stmt, 0);
      file->size = sqlite3_column_int64 (stmt, 1);
      file->updated_at = sqlite3_column_int64 (stmt, 2);
      g_ptr_array_add (list, file);
    }
  if (rc != SQLITE_DONE)
    return fail (self, error);

  *files = g_steal_pointer (&list);
  return TRUE;
}

static GBytes *
sqlite_get_file (TsStore     *store,
                 gint64       account_id,
                 const char  *name,
                 GError     **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] = "SELECT content FROM files WHERE account_id = ?1 AND name = ?2";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, account_id);
  bind_text (stmt, 2, name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));

  if (rc == SQLITE_DONE)
    not_found (error, "No file with this name.");
  else
    fail (self, error);

  return NULL;
}

static gboolean
put_file (TsSqliteStore     *self,
          gint64             account_id,
          const char        *name,
          GBytes            *content,
          guint              max_files,
          gint64             now,
          gboolean          *created,
          GError           **error)
{
  static const char count_sql[] =
    "SELECT count(*), EXISTS (SELECT 1 FROM files WHERE account_id = ?1 AND name = ?2)"
    " FROM files WHERE account_id = ?1";
  static const char sql[] =
    "INSERT INTO files (account_id, name, content, size, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
    " ON CONFLICT (account_id, name) DO UPDATE SET content = excluded.content,"
    " size = excluded.size, updated_at = excluded.updated_at";
  gsize size;
  gconstpointer data = g_bytes_get_data (content, &size);

  {
    g_autoptr(TsStmt) stmt = prepare (self, count_sql, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, account_id);
    bind_text (stmt, 2, name);
    if (sqlite3_step (stmt) != SQLITE_ROW)
      return fail (self, error);

    *created = sqlite3_column_int (stmt, 1) == 0;
    if (*created && sqlite3_column_int64 (stmt, 0) >= max_files)
      return conflict (error, "This account holds as many files as it may: delete one first.");
  }

  {
    g_autoptr(TsStmt) stmt = prepare (self, sql, error);

    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, account_id);
    bind_text (stmt, 2, name);
    /* A zero-length blob must still be a blob, not NULL. */
    sqlite3_bind_blob64 (stmt, 3, data ? data : "", size, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, 4, size);
    sqlite3_bind_int64 (stmt, 5, now);
    return run (self, stmt, error);
  }
}

static gboolean
sqlite_put_file (TsStore     *store,
                 gint64       account_id,
                 const char  *name,
                 GBytes      *content,
                 guint        max_files,
                 gint64       now,
                 gboolean    *created,
                 GError     **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  if (!begin (self, error))
    return FALSE;

  if (!put_file (self, account_id, name, content, max_files, now, created, error))
    return rollback (self);

  return commit (self, error);
}

static gboolean
sqlite_delete_file (TsStore     *store,
                    gint64       account_id,
                    const char  *name,
                    GError     **error)
{
  TsSqliteStore *self = (TsSqliteStore *) store;
  static const char sql[] = "DELETE FROM files WHERE account_id = ?1 AND name = ?2";
  g_autoptr(TsStmt) stmt = prepare (self, sql, error);

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, account_id);
  bind_text (stmt, 2, name);
  if (!run (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    return not_found (error, "No file with this name.");

  return TRUE;
}

static const TsStoreVTable sqlite_vtable = {
  .free = sqlite_free,
  .get_schema_version = sqlite_get_schema_version,
  .create_account = sqlite_create_account,
  .account_exists = sqlite_account_exists,
  .find_password = sqlite_find_password,
  .get_account = sqlite_get_account,
  .lookup_credential = sqlite_lookup_credential,
  .touch_credential = sqlite_touch_credential,
  .create_session = sqlite_create_session,
  .delete_session = sqlite_delete_session,
  .purge_expired = sqlite_purge_expired,
  .limit_get = sqlite_limit_get,
  .limit_add = sqlite_limit_add,
  .limit_clear = sqlite_limit_clear,
  .add_event = sqlite_add_event,
  .list_events = sqlite_list_events,
  .get_api_key = sqlite_get_api_key,
  .reset_api_key = sqlite_reset_api_key,
  .list_access_tokens = sqlite_list_access_tokens,
  .get_access_token = sqlite_get_access_token,
  .create_access_token = sqlite_create_access_token,
  .update_access_token = sqlite_update_access_token,
  .delete_access_token = sqlite_delete_access_token,
  .renew_access_token = sqlite_renew_access_token,
  .delete_previous = sqlite_delete_previous,
  .undo_renewal = sqlite_undo_renewal,
  .get_client_token = sqlite_get_client_token,
  .configure_client_token = sqlite_configure_client_token,
  .set_client_token_active = sqlite_set_client_token_active,
  .delete_client_token = sqlite_delete_client_token,
  .list_files = sqlite_list_files,
  .get_file = sqlite_get_file,
  .put_file = sqlite_put_file,
  .delete_file = sqlite_delete_file,
};
