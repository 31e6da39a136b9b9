/* ts-import.c — tokens-server import: an SQLite database into PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tokens-server import --from PATH.db --database postgresql://…
 *
 * A team that outgrows one machine moves its SQLite database to
 * PostgreSQL without issuing a single token again: both stores keep
 * hashes only, and every row keeps its id (an id a client holds names one
 * object forever), so every secret out there still verifies and every
 * link into the API still points at the same token.
 *
 * The steps. The SQLite file is checked to be a tokens database, then
 * brought to the current schema by opening it as the server does
 * (ts_store_open() runs its migrations); the PostgreSQL database gets its
 * schema the same way (under the migration lock). Then the copy, in ONE
 * PostgreSQL transaction: every table of the schema locked against
 * writers and refused unless all are empty; the rows of each table, parents
 * first, in batches of parameterised INSERTs (OVERRIDING SYSTEM VALUE: the
 * ids are GENERATED ALWAYS); each identity sequence moved past the largest
 * id copied and past SQLite's sqlite_sequence, so an id freed before the
 * move (a token revoked, the newest one) is not handed out again. Any
 * failure rolls it all back and the target stays empty. The SQLite side is
 * read in one read transaction: a consistent snapshot, even if a server
 * still runs on the file (it should not: what it writes after the
 * snapshot is not copied).
 *
 * What is copied is every table of schema version 2 (see the migrations
 * of ts-store-sqlite.c). A table added to the schema that holds lasting
 * data must be added to tables[] below; one that holds only short-lived
 * state (rate limits) need not be, the target's is simply empty.
 *
 * Nothing printed names a value: PostgreSQL's messages may quote one (an
 * email, a hash), so a failure is told by its SQLSTATE, table, column and
 * constraint, as ts-store-pg.c logs them.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <sqlite3.h>
#ifdef HAVE_POSTGRES
# include <libpq-fe.h>
#endif

#include "ts-import.h"
#include "ts-store.h"

#define USAGE_STATUS 2

static char *opt_from;
static char *opt_database;

static const GOptionEntry entries[] = {
  { "from", 0, 0, G_OPTION_ARG_FILENAME, &opt_from,
    "The SQLite database of tokens-server to copy (required)", "PATH" },
  { "database", 0, 0, G_OPTION_ARG_FILENAME, &opt_database,
    "The PostgreSQL database to copy it into, a postgresql:// URI; it must be empty (required)", "URI" },
  { NULL }
};

#ifdef HAVE_POSTGRES

/* What is copied, parents before children (the foreign keys are checked
 * as the rows go in). One letter a column: i integer, t text, b bytes. */
typedef struct
{
  const char *name;
  const char *columns;
  const char *types;
  gboolean    has_id;   /* an identity column `id`, the first one */
  const char *one;      /* for the summary */
  const char *many;
} TsImportTable;

static const TsImportTable tables[] = {
  { "accounts",
    "id, email, password_hash, created_at, client_token_hash, client_token_last4, "
    "client_token_created_at, client_token_active",
    "ittittii", TRUE, "account", "accounts" },
  { "access_tokens",
    "id, account_id, name, scopes, duration_days, previous_duration_days, created_at, "
    "updated_at, renewed_at",
    "iitiiiiii", TRUE, "access token", "access tokens" },
  { "credentials",
    "id, hash, kind, account_id, access_token_id, previous, last4, created_at, expires_at, "
    "last_used_at",
    "itiiiitiii", TRUE, "credential", "credentials" },
  { "events",
    "id, account_id, kind, token_id, created_at",
    "iitii", TRUE, "event", "events" },
  { "files",
    "account_id, name, content, size, updated_at",
    "itbii", FALSE, "file", "files" },
};

static gboolean
fail (GError     **error,
      const char  *format,
      ...) G_GNUC_PRINTF (2, 3);

/* Always FALSE, so a failed step can `return fail (…);`. */
static gboolean
fail (GError     **error,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, message);
  return FALSE;
}

/* The source */

/* Before the store opens it (and would make a database of any file, or
 * migrate a stranger's): an SQLite file with the tables of a tokens
 * database, at some version of its schema. */
static gboolean
check_source (const char  *path,
              GError     **error)
{
  static const char tables_sql[] =
    "SELECT count (*) FROM sqlite_master WHERE type = 'table' AND name IN "
    "('accounts', 'access_tokens', 'credentials', 'events', 'files')";
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int version = -1;
  int n_tables = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return fail (error, "%s: no such file", path);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return fail (error, "%s is not a file", path);

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      fail (error, "cannot open %s: %s", path, db ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_busy_timeout (db, 5000);

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  stmt = NULL;

  if (version >= 0 &&
      sqlite3_prepare_v2 (db, tables_sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    n_tables = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  if (version < 0)
    fail (error, "%s is not an SQLite database: %s", path, sqlite3_errmsg (db));
  else if (version == 0 || n_tables != G_N_ELEMENTS (tables))
    fail (error, "%s is not a tokens-server database", path);
  sqlite3_close (db);

  return version > 0 && n_tables == G_N_ELEMENTS (tables);
}

/* Brings the source to the current schema, as a server starting on it
 * would. */
static gboolean
migrate_source (const char  *path,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TsStore) store = ts_store_open (path, &local_error);

  if (store == NULL)
    return fail (error, "cannot open %s: %s", path, local_error->message);
  return TRUE;
}

/* The copy */

/* Parameter types, from PostgreSQL's catalog (pg_type.dat). */
#define INT8OID   20
#define TEXTOID   25
#define BYTEAOID  17

/* A batch is one INSERT; PostgreSQL takes up to 65535 parameters. */
#define MAX_BATCH_ROWS   500
#define MAX_BATCH_BYTES  (8 * 1024 * 1024)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGconn, PQfinish)

typedef struct
{
  const TsImportTable *table;
  GPtrArray           *values;    /* char *, bytes for 'b'; NULL is SQL NULL */
  GArray              *lengths;   /* int */
  GArray              *formats;   /* int: 1 for bytes */
  GArray              *types;     /* Oid */
  guint                rows;
  gsize                bytes;
  gint64               copied;
} TsBatch;

static void
ts_batch_init (TsBatch             *batch,
               const TsImportTable *table)
{
  batch->table = table;
  batch->values = g_ptr_array_new_with_free_func (g_free);
  batch->lengths = g_array_new (FALSE, FALSE, sizeof (int));
  batch->formats = g_array_new (FALSE, FALSE, sizeof (int));
  batch->types = g_array_new (FALSE, FALSE, sizeof (Oid));
  batch->rows = 0;
  batch->bytes = 0;
  batch->copied = 0;
}

static void
ts_batch_clear (TsBatch *batch)
{
  g_clear_pointer (&batch->values, g_ptr_array_unref);
  g_clear_pointer (&batch->lengths, g_array_unref);
  g_clear_pointer (&batch->formats, g_array_unref);
  g_clear_pointer (&batch->types, g_array_unref);
}

static void
ts_batch_add (TsBatch *batch,
              char    *value,
              int      length,
              int      format,
              Oid      type)
{
  g_ptr_array_add (batch->values, value);
  g_array_append_val (batch->lengths, length);
  g_array_append_val (batch->formats, format);
  g_array_append_val (batch->types, type);
  batch->bytes += length;
}

/* Column @column of the row @stmt is on, as the parameter of its type.
 * SQLite keeps whatever it is given; PostgreSQL would refuse a value of
 * another type, so it is refused here, by name and without the value. */
static gboolean
ts_batch_add_column (TsBatch       *batch,
                     sqlite3_stmt  *stmt,
                     int            column,
                     const char    *name,
                     GError       **error)
{
  int type = sqlite3_column_type (stmt, column);

  if (type == SQLITE_NULL)
    {
      Oid oid = batch->table->types[column] == 'i' ? INT8OID :
                batch->table->types[column] == 't' ? TEXTOID : BYTEAOID;

      ts_batch_add (batch, NULL, 0, 0, oid);
      return TRUE;
    }

  switch (batch->table->types[column])
    {
    case 'i':
      if (type != SQLITE_INTEGER)
        break;
      ts_batch_add (batch, g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, column)),
                    0, 0, INT8OID);
      return TRUE;

    case 't':
      {
        const char *text;
        int length;

        if (type != SQLITE_TEXT)
          break;
        text = (const char *) sqlite3_column_text (stmt, column);
        length = sqlite3_column_bytes (stmt, column);
        /* A text parameter ends at its first NUL. */
        if (text == NULL || memchr (text, '\0', length) != NULL)
          break;
        ts_batch_add (batch, g_strndup (text, length), length, 0, TEXTOID);
        return TRUE;
      }

    case 'b':
      {
        const void *data;
        int length;

        if (type != SQLITE_BLOB && type != SQLITE_TEXT)
          break;
        data = sqlite3_column_blob (stmt, column);
        length = sqlite3_column_bytes (stmt, column);
        ts_batch_add (batch, length > 0 ? g_memdup2 (data, length) : g_strdup (""),
                      length, 1, BYTEAOID);
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }

  return fail (error, "table %s of the SQLite database has a value of the wrong type in column %s",
               batch->table->name, name);
}

/* PostgreSQL's message may quote a value: its codes and names say
 * enough, and the sentence says what it means. */
static gboolean
fail_pg (GError     **error,
         const char  *what,
         PGconn      *conn,
         PGresult    *res)
{
  const char *state = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *table = res ? PQresultErrorField (res, PG_DIAG_TABLE_NAME) : NULL;
  const char *column = res ? PQresultErrorField (res, PG_DIAG_COLUMN_NAME) : NULL;
  const char *constraint = res ? PQresultErrorField (res, PG_DIAG_CONSTRAINT_NAME) : NULL;
  const char *meaning = "";
  g_autofree char *where = NULL;

  if (state == NULL)
    {
      /* libpq's own words, about the connection: no value in them. */
      g_autofree char *message = g_strchomp (g_strdup (PQerrorMessage (conn)));

      return fail (error, "%s failed: %s", what, message);
    }

  if (g_str_equal (state, "23503"))
    meaning = ": a row of the SQLite database points to a row that is not there";
  else if (g_str_equal (state, "23505"))
    meaning = ": two rows of the SQLite database have the same value where it must be unique";
  else if (g_str_has_prefix (state, "23"))
    meaning = ": a row of the SQLite database breaks a rule of the schema";
  else if (g_str_equal (state, "22021"))
    meaning = ": a text of the SQLite database is not valid UTF-8";
  else if (g_str_equal (state, "55P03"))
    meaning = ": the tables are in use; stop every tokens-server on this database first";

  where = g_strdup_printf ("%s%s%s%s%s%s",
                           table ? ", table " : "", table ? table : "",
                           column ? ", column " : "", column ? column : "",
                           constraint ? ", constraint " : "", constraint ? constraint : "");
  return fail (error, "%s failed (SQLSTATE %s%s)%s", what, state, where, meaning);
}

static gboolean
pg_exec (PGconn      *conn,
         const char  *sql,
         const char  *what,
         GError     **error)
{
  g_autoptr(PGresult) res = PQexec (conn, sql);

  switch (PQresultStatus (res))
    {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
      return TRUE;
    default:
      return fail_pg (error, what, conn, res);
    }
}

static gboolean
ts_batch_flush (TsBatch  *batch,
                PGconn   *conn,
                GError  **error)
{
  g_autoptr(GString) sql = NULL;
  g_autoptr(PGresult) res = NULL;
  g_autofree char *what = NULL;
  guint n_columns = strlen (batch->table->types);
  guint n = 0;

  if (batch->rows == 0)
    return TRUE;

  sql = g_string_new (NULL);
  g_string_append_printf (sql, "INSERT INTO %s (%s)%s VALUES ",
                          batch->table->name, batch->table->columns,
                          batch->table->has_id ? " OVERRIDING SYSTEM VALUE" : "");
  for (guint row = 0; row < batch->rows; row++)
    {
      g_string_append (sql, row > 0 ? ", (" : "(");
      for (guint column = 0; column < n_columns; column++)
        g_string_append_printf (sql, column > 0 ? ", $%u" : "$%u", ++n);
      g_string_append_c (sql, ')');
    }

  res = PQexecParams (conn, sql->str, (int) batch->values->len,
                      (const Oid *) (gpointer) batch->types->data,
                      (const char * const *) batch->values->pdata,
                      (const int *) (gpointer) batch->lengths->data,
                      (const int *) (gpointer) batch->formats->data,
                      0);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      what = g_strdup_printf ("copying table %s", batch->table->name);
      return fail_pg (error, what, conn, res);
    }

  batch->copied += g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
  g_ptr_array_set_size (batch->values, 0);
  g_array_set_size (batch->lengths, 0);
  g_array_set_size (batch->formats, 0);
  g_array_set_size (batch->types, 0);
  batch->rows = 0;
  batch->bytes = 0;
  return TRUE;
}

/* Copies @table; *copied is the number of rows, *max_id the largest id
 * (if it has ids). */
static gboolean
copy_table (sqlite3              *db,
            PGconn               *conn,
            const TsImportTable  *table,
            gint64               *copied,
            gint64               *max_id,
            GError              **error)
{
  g_autofree char *select = g_strdup_printf ("SELECT %s FROM %s ORDER BY %s", table->columns,
                                             table->name, table->has_id ? "id" : "account_id, name");
  g_auto(GStrv) names = g_strsplit (table->columns, ", ", -1);
  int n_columns = (int) strlen (table->types);
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;
  TsBatch batch;
  int rc;

  g_assert (g_strv_length (names) == (guint) n_columns);

  *copied = 0;
  *max_id = 0;

  if (sqlite3_prepare_v2 (db, select, -1, &stmt, NULL) != SQLITE_OK)
    return fail (error, "cannot read table %s of the SQLite database: %s", table->name, sqlite3_errmsg (db));

  ts_batch_init (&batch, table);
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int column = 0; ok && column < n_columns; column++)
        ok = ts_batch_add_column (&batch, stmt, column, names[column], error);
      if (!ok)
        break;

      if (table->has_id)
        *max_id = MAX (*max_id, sqlite3_column_int64 (stmt, 0));
      batch.rows++;

      if (batch.rows == MAX_BATCH_ROWS || batch.bytes >= MAX_BATCH_BYTES)
        ok = ts_batch_flush (&batch, conn, error);
    }

  if (ok && rc != SQLITE_DONE)
    ok = fail (error, "cannot read table %s of the SQLite database: %s", table->name, sqlite3_errmsg (db));
  if (ok)
    ok = ts_batch_flush (&batch, conn, error);

  *copied = batch.copied;
  ts_batch_clear (&batch);
  sqlite3_finalize (stmt);
  return ok;
}

/* The largest value of an integer query on the source, 0 if none. */
static gboolean
source_max (sqlite3     *db,
            const char  *sql,
            const char  *name,
            gint64      *value,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = SQLITE_ERROR;

  *value = 0;
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      if (name != NULL)
        sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        *value = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return fail (error, "cannot read the SQLite database: %s", sqlite3_errmsg (db));
  return TRUE;
}

/* The next id @table hands out is above @floor (and above any it handed
 * out already, if the empty target ever had rows). ALTER TABLE … RESTART
 * rather than setval(): it is part of the transaction, so a failure
 * leaves the sequence as it was too. DDL takes no parameters: the number
 * is ours, the table name quoted. */
static gboolean
move_sequence (PGconn      *conn,
               const char  *table,
               gint64       floor,
               GError     **error)
{
  static const char last_sql[] =
    "SELECT coalesce (pg_sequence_last_value (pg_get_serial_sequence ($1, 'id')::regclass), 0)";
  g_autofree char *what = g_strdup_printf ("setting the next id of table %s", table);
  g_autofree char *restart = NULL;
  const char *values[] = { table };
  g_autoptr(PGresult) last = NULL;
  char *identifier;

  last = PQexecParams (conn, last_sql, 1, NULL, values, NULL, NULL, 0);
  if (PQresultStatus (last) != PGRES_TUPLES_OK || PQntuples (last) != 1)
    return fail_pg (error, what, conn, last);
  floor = MAX (floor, g_ascii_strtoll (PQgetvalue (last, 0, 0), NULL, 10));
  if (floor <= 0)
    return TRUE;

  identifier = PQescapeIdentifier (conn, table, strlen (table));
  if (identifier == NULL)
    return fail_pg (error, what, conn, NULL);
  restart = g_strdup_printf ("ALTER TABLE %s ALTER COLUMN id RESTART WITH %" G_GINT64_FORMAT,
                             identifier, floor + 1);
  PQfreemem (identifier);

  return pg_exec (conn, restart, what, error);
}

/* Inside the transaction: every table of the schema locked against
 * writers (an instance started too early waits, then finds the rows),
 * and none of them may have a row. */
static gboolean
lock_and_check_empty (PGconn  *conn,
                      GError **error)
{
  static const char tables_sql[] =
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = current_schema () AND c.relkind IN ('r', 'p')"
    "   AND c.relname <> 'schema_version' ORDER BY c.relname";
  g_autoptr(PGresult) names = PQexec (conn, tables_sql);
  g_autoptr(GString) lock = g_string_new ("LOCK TABLE ");
  g_autoptr(GString) exists = g_string_new (NULL);
  g_autoptr(GString) busy = g_string_new (NULL);
  g_autoptr(PGresult) res = NULL;
  int n;

  if (PQresultStatus (names) != PGRES_TUPLES_OK)
    return fail_pg (error, "listing the tables of the PostgreSQL database", conn, names);

  n = PQntuples (names);
  if (n == 0)
    return fail (error, "the PostgreSQL database has no tables after creating the schema");

  /* Each part of the query says its own name: a name in the result is a
   * table with rows. */
  for (int i = 0; i < n; i++)
    {
      const char *name = PQgetvalue (names, i, 0);
      char *identifier = PQescapeIdentifier (conn, name, strlen (name));
      char *literal = PQescapeLiteral (conn, name, strlen (name));

      if (identifier == NULL || literal == NULL)
        {
          PQfreemem (identifier);
          PQfreemem (literal);
          return fail_pg (error, "quoting a table name", conn, NULL);
        }
      g_string_append_printf (lock, "%s%s", i > 0 ? ", " : "", identifier);
      g_string_append_printf (exists, "%sSELECT %s WHERE EXISTS (SELECT FROM %s)",
                              i > 0 ? " UNION ALL " : "", literal, identifier);
      PQfreemem (identifier);
      PQfreemem (literal);
    }
  g_string_append (lock, " IN EXCLUSIVE MODE");

  if (!pg_exec (conn, lock->str, "locking the tables of the PostgreSQL database", error))
    return FALSE;

  res = PQexec (conn, exists->str);
  if (PQresultStatus (res) != PGRES_TUPLES_OK)
    return fail_pg (error, "looking into the PostgreSQL database", conn, res);

  for (int i = 0; i < PQntuples (res); i++)
    g_string_append_printf (busy, "%s%s", i > 0 ? ", " : "", PQgetvalue (res, i, 0));

  if (busy->len > 0)
    return fail (error, "the PostgreSQL database is not empty (rows in %s): "
                 "import only into a new, empty database", busy->str);

  return TRUE;
}

static char *
summary (const gint64 *counts)
{
  g_autoptr(GString) text = g_string_new ("imported ");

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT " %s", i > 0 ? ", " : "", counts[i],
                            counts[i] == 1 ? tables[i].one : tables[i].many);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static gboolean
copy_all (const char  *path,
          const char  *uri,
          char       **report,
          GError     **error)
{
  g_autoptr(PGconn) conn = NULL;
  sqlite3 *db = NULL;
  gint64 counts[G_N_ELEMENTS (tables)] = { 0 };
  gint64 version = 0;
  gboolean ok = FALSE;

  conn = PQconnectdb (uri);
  if (PQstatus (conn) != CONNECTION_OK)
    return fail_pg (error, "connecting to the PostgreSQL database", conn, NULL);

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      fail (error, "cannot open %s: %s", path, db ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_busy_timeout (db, 5000);

  /* One snapshot of the source for the whole copy. */
  if (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
      !source_max (db, "PRAGMA user_version", NULL, &version, error))
    goto out;
  if (version < TS_STORE_SQLITE_TABLES_VERSION || version > TS_STORE_SCHEMA_VERSION)
    {
      fail (error, "%s has schema version %" G_GINT64_FORMAT ", not %d", path, version,
            TS_STORE_SCHEMA_VERSION);
      goto out;
    }

  /* The lock waits a while for an instance's transaction, not forever;
   * the copy itself may take as long as it takes. */
  if (!pg_exec (conn, "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = '10s'; "
                      "SET LOCAL statement_timeout = 0",
                "starting the transaction", error) ||
      !lock_and_check_empty (conn, error))
    goto out;

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      gint64 max_id = 0;
      gint64 floor = 0;

      if (!copy_table (db, conn, &tables[i], &counts[i], &max_id, error))
        goto out;
      if (!tables[i].has_id)
        continue;

      /* AUTOINCREMENT's high-water mark: ids deleted before the move. */
      if (!source_max (db, "SELECT seq FROM sqlite_sequence WHERE name = ?", tables[i].name, &floor, error))
        goto out;
      floor = MAX (floor, max_id);
      /* The log names every token ever made, as in the SQLite migration
       * to schema 2. */
      if (g_str_equal (tables[i].name, "access_tokens"))
        {
          gint64 logged = 0;

          if (!source_max (db, "SELECT max (token_id) FROM events", NULL, &logged, error))
            goto out;
          floor = MAX (floor, logged);
        }

      if (!move_sequence (conn, tables[i].name, floor, error))
        goto out;
    }

  if (!pg_exec (conn, "COMMIT", "committing the copy", error))
    goto out;

  *report = summary (counts);
  ok = TRUE;

out:
  if (!ok && PQtransactionStatus (conn) != PQTRANS_IDLE)
    PQclear (PQexec (conn, "ROLLBACK"));
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (db);
  return ok;
}

/* The target's schema, made (or checked current) as a server starting
 * on it would. */
static gboolean
prepare_target (const char  *uri,
                GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TsStore) store = ts_store_open (uri, &local_error);

  if (store == NULL)
    return fail (error, "cannot open the PostgreSQL database: %s", local_error->message);
  return TRUE;
}

#endif /* HAVE_POSTGRES */

static int
run (void)
{
  if (opt_from == NULL)
    {
      g_printerr ("tokens-server import: --from PATH is required (see tokens-server import --help)\n");
      return USAGE_STATUS;
    }
  if (opt_database == NULL)
    {
      g_printerr ("tokens-server import: --database URI is required (see tokens-server import --help)\n");
      return USAGE_STATUS;
    }
  if (!ts_store_database_is_postgres (opt_database))
    {
      g_printerr ("tokens-server import: --database must be a PostgreSQL URI "
                  "(postgresql://…): the import copies into PostgreSQL\n");
      return USAGE_STATUS;
    }

#ifndef HAVE_POSTGRES
  g_printerr ("tokens-server import: this tokens-server was built without PostgreSQL support\n");
  return USAGE_STATUS;
#else
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;

  if (!check_source (opt_from, &error) ||
      !migrate_source (opt_from, &error) ||
      !prepare_target (opt_database, &error) ||
      !copy_all (opt_from, opt_database, &report, &error))
    {
      g_printerr ("tokens-server import: %s; nothing was imported\n", error->message);
      return 1;
    }

  printf ("%s\n", report);
  return 0;
#endif
}

int
ts_import_main (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* For --help: "Usage: tokens-server import [OPTION…]". */
  g_set_prgname ("tokens-server import");

  context = g_option_context_new ("— copy an SQLite database into an empty PostgreSQL one");
  g_option_context_set_summary (context,
    "Copies everything tokens-server keeps in its SQLite file into a PostgreSQL database, for\n"
    "several instances of tokens-server to share: accounts, password and token hashes, access\n"
    "tokens with their renewals, security tokens, sessions, the audit log and files, each with\n"
    "its id. No token has to be issued again: every secret in use still works.\n"
    "\n"
    "Stop the tokens-server using the SQLite file first. An SQLite file of an older version is\n"
    "brought to the current schema first, in place, as the server would on start. The PostgreSQL\n"
    "database gets the schema and must have no rows (a new one from createdb); if it has some,\n"
    "nothing is written. The copy is one transaction: if anything fails, the database stays\n"
    "empty. On success, one line on stdout says what was copied.");
  g_option_context_set_description (context,
    "Example:\n"
    "  createdb tokens\n"
    "  tokens-server import --from /var/lib/tokens-server/tokens.db \\\n"
    "      --database postgresql://tokens@db.example.com/tokens\n"
    "  tokens-server --database postgresql://tokens@db.example.com/tokens --listen 127.0.0.1:8080\n"
    "\n"
    "Exit status: 0 imported, 1 failed or refused (nothing imported), 2 wrong usage.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tokens-server import: %s\n", error->message);
      return USAGE_STATUS;
    }

  if (argc > 1)
    {
      g_printerr ("tokens-server import: unexpected argument “%s” (see tokens-server import --help)\n", argv[1]);
      return USAGE_STATUS;
    }

  status = run ();

  g_clear_pointer (&opt_from, g_free);
  g_clear_pointer (&opt_database, g_free);
  return status;
}
