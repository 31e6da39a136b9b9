/* ts-store-pg.c — the store on PostgreSQL, for several instances
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The same calls and the same answers as ts-store-sqlite.c, call for
 * call, on one PostgreSQL database that several tokens-server instances
 * share. One TsStore is one libpq connection, used by one thread only
 * (ts-server.c gives each worker thread its own: the instance's pool).
 * Every statement is prepared once per connection (keyed by the address
 * of its SQL text, a static string at one call site, as in the SQLite
 * store) and every value is a parameter, never pasted into SQL.
 *
 * Races between instances. Each flow of several steps runs in one
 * transaction at READ COMMITTED and first takes the row lock of the one
 * row it changes — the access_tokens row for renew, undo, delete the old
 * token, revoke; the accounts row for reset, the security token and
 * files — with SELECT … FOR NO KEY UPDATE (the lock an UPDATE of the row
 * takes itself, which leaves the foreign-key checks of inserts that point
 * at the row free). Then it reads the state it decides on in a statement
 * of its own, so with a snapshot taken after the lock was granted: it
 * sees what the flow that held the lock committed. Row locks serialise
 * exactly the flows on one token or one account, the ones that must not
 * interleave (undo racing delete-old: one wins, the other finds nothing
 * to do and says so), and nothing else; no flow needs a retry. SERIALIZABLE
 * would be correct too, but aborts the loser of any overlap with a
 * serialization failure, so every flow would need a retry loop around it.
 * Single-statement changes (edit, revoke, end a session) lock their row by
 * being an UPDATE or DELETE, which re-checks its WHERE on the newest row.
 * Sign-up relies on the unique email: the second of two racing inserts
 * waits for the first and fails with a unique violation, a CONFLICT.
 *
 * Schema: the same tables as SQLite, with ids from BIGINT GENERATED ALWAYS
 * AS IDENTITY (never reused), the version in the one row of table
 * schema_version. Migrations run under a transaction-scoped advisory
 * lock, so one instance migrates while the others wait and then find the
 * work done; the lock goes with the transaction, or with a connection
 * that dies.
 *
 * Failing fast. libpq gets connect_timeout=3 unless the URI says
 * otherwise, and every session statement_timeout, lock_timeout and
 * idle_in_transaction_session_timeout of a few seconds, so no call blocks
 * long. A connection found broken (by PQstatus, or by a statement failing
 * with a connection error) is reset with PQreset by the next call; when
 * that fails, the call fails with TOKENS_ERROR_UNAVAILABLE, which the
 * router answers with 503 and Retry-After. When the database is back, the
 * next request reconnects: no restart.
 *
 * Logs name the SQLSTATE, table and constraint of a failure, never the
 * message of the server, which may quote a value.
 */

#include "config.h"

/* N_(): messages the app shows translated (see ts-request.c) */
#include <glib/gi18n-lib.h>

#include <string.h>

#include <libpq-fe.h>

#include "tokens-error.h"
#include "ts-store-private.h"

typedef struct
{
  TsStore     parent;
  PGconn     *conn;
  GHashTable *statements;      /* const char *sql → statement number + 1 */
  guint       n_prepared;
  gboolean    in_transaction;
  char        sqlstate[6];     /* of the last failure, "" if none */
} TsPgStore;

static const TsStoreVTable pg_vtable;

/* "Tokens" in ASCII: the advisory lock the migrations take. */
#define MIGRATION_LOCK "84735375994483"

#define UNAVAILABLE_MESSAGE "The service cannot reach its database: try again in a moment."

/* Per session, so every connection (and every reset one) has them. */
#define SESSION_OPTIONS \
  "-c statement_timeout=5000 -c lock_timeout=3000 -c idle_in_transaction_session_timeout=10000"

/* Schema migrations: entry N brings the version from N to the next one
 * listed. PostgreSQL starts at version 2 of the SQLite schema, in one
 * step. */
static const struct
{
  int         from;
  int         to;
  const char *sql;
} migrations[] = {
  { 0, 2,
    "CREATE TABLE accounts ("
    "  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    "  email TEXT NOT NULL UNIQUE,"
    "  password_hash TEXT NOT NULL,"
    "  created_at BIGINT NOT NULL,"
    "  client_token_hash TEXT,"
    "  client_token_last4 TEXT,"
    "  client_token_created_at BIGINT,"
    "  client_token_active INTEGER NOT NULL DEFAULT 0 CHECK (client_token_active IN (0, 1))"
    ");"
    "CREATE TABLE access_tokens ("
    "  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    "  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  scopes INTEGER NOT NULL CHECK (scopes BETWEEN 1 AND 3),"
    "  duration_days BIGINT,"
    "  previous_duration_days BIGINT,"
    "  created_at BIGINT NOT NULL,"
    "  updated_at BIGINT NOT NULL,"
    "  renewed_at BIGINT"
    ");"
    "CREATE INDEX access_tokens_by_account ON access_tokens (account_id, id);"
    /* Every secret that can be a bearer token, as in SQLite: only the
     * SHA-256 is kept. */
    "CREATE TABLE credentials ("
    "  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    "  hash TEXT NOT NULL UNIQUE,"
    "  kind INTEGER NOT NULL CHECK (kind IN (0, 1, 3)),"
    "  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
    "  access_token_id BIGINT REFERENCES access_tokens (id) ON DELETE CASCADE,"
    "  previous INTEGER NOT NULL DEFAULT 0 CHECK (previous IN (0, 1)),"
    "  last4 TEXT NOT NULL,"
    "  created_at BIGINT NOT NULL,"
    "  expires_at BIGINT,"
    "  last_used_at BIGINT,"
    "  CHECK ((kind = 1) = (access_token_id IS NOT NULL))"
    ");"
    "CREATE INDEX credentials_by_account ON credentials (account_id, kind);"
    "CREATE INDEX credentials_by_access_token ON credentials (access_token_id);"
    "CREATE UNIQUE INDEX credentials_one_api_key ON credentials (account_id) WHERE kind = 0;"
    "CREATE UNIQUE INDEX credentials_one_per_role ON credentials (access_token_id, previous) WHERE kind = 1;"
    /* No foreign key to access_tokens: the log outlives what it tells of. */
    "CREATE TABLE events ("
    "  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    "  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL,"
    "  token_id BIGINT,"
    "  created_at BIGINT NOT NULL"
    ");"
    "CREATE INDEX events_by_account ON events (account_id, id);"
    "CREATE TABLE files ("
    "  account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  content BYTEA NOT NULL,"
    "  size BIGINT NOT NULL,"
    "  updated_at BIGINT NOT NULL,"
    "  PRIMARY KEY (account_id, name)"
    ");" },
  /* Rate limits, shared by every instance; the key is a hash. */
  { 2, 3,
    "CREATE TABLE limits ("
    "  kind TEXT NOT NULL,"
    "  key TEXT NOT NULL,"
    "  window_start BIGINT NOT NULL,"
    "  hits INTEGER NOT NULL CHECK (hits >= 0),"
    "  PRIMARY KEY (kind, key)"
    ");"
    "CREATE INDEX limits_by_age ON limits (window_start);" },
  /* Change notifications, for the verify caches of every instance
   * (ts-verify-cache.c): any change to what a bearer token's lookup
   * returns — a row of credentials, access_tokens or accounts updated
   * or deleted, cascades included — notifies the channel tokens_changed
   * with the account id, when its transaction commits. A trigger, so no
   * flow can forget to, and neither can a person at psql. Inserts need
   * none (a new row is in no cache), nor an update of last_used_at
   * alone (it is not part of the answer a cache keeps). A TRUNCATE says
   * "all". The triggers fire ALWAYS: also under session_replication_role
   * replica (pg_restore --disable-triggers, logical replication). */
  { 3, 4,
    "CREATE FUNCTION tokens_changed () RETURNS trigger LANGUAGE plpgsql AS $$"
    " BEGIN"
    "  IF TG_OP = 'TRUNCATE' THEN"
    "    PERFORM pg_notify ('tokens_changed', 'all');"
    "    RETURN NULL;"
    "  END IF;"
    "  IF TG_OP = 'UPDATE' AND"
    "     (to_jsonb (OLD) - 'last_used_at') = (to_jsonb (NEW) - 'last_used_at') THEN"
    "    RETURN NULL;"
    "  END IF;"
    "  PERFORM pg_notify ('tokens_changed', to_jsonb (OLD) ->> TG_ARGV[0]);"
    "  RETURN NULL;"
    " END $$;"
    "CREATE TRIGGER accounts_changed AFTER UPDATE OR DELETE ON accounts"
    "  FOR EACH ROW EXECUTE FUNCTION tokens_changed ('id');"
    "CREATE TRIGGER access_tokens_changed AFTER UPDATE OR DELETE ON access_tokens"
    "  FOR EACH ROW EXECUTE FUNCTION tokens_changed ('account_id');"
    "CREATE TRIGGER credentials_changed AFTER UPDATE OR DELETE ON credentials"
    "  FOR EACH ROW EXECUTE FUNCTION tokens_changed ('account_id');"
    "CREATE TRIGGER accounts_truncated AFTER TRUNCATE ON accounts"
    "  FOR EACH STATEMENT EXECUTE FUNCTION tokens_changed ();"
    "CREATE TRIGGER access_tokens_truncated AFTER TRUNCATE ON access_tokens"
    "  FOR EACH STATEMENT EXECUTE FUNCTION tokens_changed ();"
    "CREATE TRIGGER credentials_truncated AFTER TRUNCATE ON credentials"
    "  FOR EACH STATEMENT EXECUTE FUNCTION tokens_changed ();"
    "ALTER TABLE accounts ENABLE ALWAYS TRIGGER accounts_changed;"
    "ALTER TABLE accounts ENABLE ALWAYS TRIGGER accounts_truncated;"
    "ALTER TABLE access_tokens ENABLE ALWAYS TRIGGER access_tokens_changed;"
    "ALTER TABLE access_tokens ENABLE ALWAYS TRIGGER access_tokens_truncated;"
    "ALTER TABLE credentials ENABLE ALWAYS TRIGGER credentials_changed;"
    "ALTER TABLE credentials ENABLE ALWAYS TRIGGER credentials_truncated;" },
};

/* Kinds of credential, as stored: the TokensTokenKind numbers. */
#define KIND_API_KEY  TOKENS_TOKEN_KIND_API_KEY
#define KIND_ACCESS   TOKENS_TOKEN_KIND_ACCESS
#define KIND_SESSION  TOKENS_TOKEN_KIND_SESSION

/* Parameters: text, except bytes. */

#define MAX_PARAMS 8

typedef struct
{
  int         n;
  const char *values[MAX_PARAMS];
  int         lengths[MAX_PARAMS];
  int         formats[MAX_PARAMS];
  char        numbers[MAX_PARAMS][24];
} Params;

static void
param_int (Params *p,
           gint64  value)
{
  g_assert (p->n < MAX_PARAMS);
  g_snprintf (p->numbers[p->n], sizeof p->numbers[p->n], "%" G_GINT64_FORMAT, value);
  p->values[p->n] = p->numbers[p->n];
  p->n++;
}

/* 0 is "none": NULL, as bind_time() in the SQLite store. */
static void
param_time (Params *p,
            gint64  value)
{
  if (value == 0)
    {
      g_assert (p->n < MAX_PARAMS);
      p->values[p->n++] = NULL;
    }
  else
    param_int (p, value);
}

static void
param_text (Params     *p,
            const char *value)
{
  g_assert (p->n < MAX_PARAMS);
  p->values[p->n++] = value;
}

static void
param_bytes (Params        *p,
             gconstpointer  data,
             gsize          size)
{
  g_assert (p->n < MAX_PARAMS && size <= G_MAXINT);
  p->values[p->n] = data ? data : "";
  p->lengths[p->n] = (int) size;
  p->formats[p->n] = 1;
  p->n++;
}

/* Results */

static gint64
get_int (PGresult *res,
         int       row,
         int       column)
{
  if (PQgetisnull (res, row, column))
    return 0;
  return g_ascii_strtoll (PQgetvalue (res, row, column), NULL, 10);
}

static gboolean
get_bool (PGresult *res,
          int       row,
          int       column)
{
  return !PQgetisnull (res, row, column) && PQgetvalue (res, row, column)[0] == 't';
}

static char *
get_text (PGresult *res,
          int       row,
          int       column)
{
  if (PQgetisnull (res, row, column))
    return NULL;
  return g_strdup (PQgetvalue (res, row, column));
}

static void
read_secret_info (PGresult     *res,
                  int           first,
                  TsSecretInfo *info)
{
  info->last4 = get_text (res, 0, first);
  info->created_at = get_int (res, 0, first + 1);
  info->expires_at = get_int (res, 0, first + 2);
  info->last_used_at = get_int (res, 0, first + 3);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* Errors */

static gboolean
unavailable (GError **error)
{
  g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_UNAVAILABLE, UNAVAILABLE_MESSAGE);
  return FALSE;
}

/* Whether @state says the server went away or could not do it now: a
 * connection error, a shutdown, a timeout. */
static gboolean
is_unavailable_state (const char *state)
{
  return g_str_has_prefix (state, "08") ||     /* connection exception */
         g_str_has_prefix (state, "57P") ||    /* shutdown, cannot connect now */
         g_str_equal (state, "57014") ||       /* statement timeout */
         g_str_equal (state, "55P03") ||       /* lock timeout */
         g_str_equal (state, "53300");         /* too many connections */
}

static gboolean
fail (TsPgStore  *self,
      PGresult   *res,
      GError    **error)
{
  const char *state = res ? PQresultErrorField (res, PG_DIAG_SQLSTATE) : NULL;
  const char *table = res ? PQresultErrorField (res, PG_DIAG_TABLE_NAME) : NULL;
  const char *constraint = res ? PQresultErrorField (res, PG_DIAG_CONSTRAINT_NAME) : NULL;

  g_strlcpy (self->sqlstate, state ? state : "", sizeof self->sqlstate);

  if (PQstatus (self->conn) != CONNECTION_OK || state == NULL || is_unavailable_state (state))
    {
      /* libpq's own words about the connection name hosts, not values. */
      g_warning ("Database unavailable (%s): %s", state ? state : "no SQLSTATE",
                 PQstatus (self->conn) != CONNECTION_OK ? PQerrorMessage (self->conn) : "");
      return unavailable (error);
    }

  /* The server's message may quote a value (an email, a hash): the
   * state and the names of the table and constraint say enough. */
  g_warning ("Database error: SQLSTATE %s%s%s%s%s", state,
             table ? ", table " : "", table ? table : "",
             constraint ? ", constraint " : "", constraint ? constraint : "");
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

/* The connection */

/* Before a call that starts on its own (not inside a flow's transaction:
 * a reset there would run the rest of the flow outside it), a broken
 * connection is made again, once. */
static gboolean
ensure_connected (TsPgStore  *self,
                  GError    **error)
{
  if (self->in_transaction)
    return PQstatus (self->conn) == CONNECTION_OK || unavailable (error);

  /* A connection the server ended while it sat idle (a restart, an
   * administrator) has said so on its socket: reading what is there,
   * without waiting, finds out before a request is spent on it. */
  if (PQstatus (self->conn) == CONNECTION_OK && PQconsumeInput (self->conn))
    return TRUE;

  /* Prepared statements die with the connection. */
  g_hash_table_remove_all (self->statements);
  PQreset (self->conn);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_warning ("Cannot reconnect to the database: %s", PQerrorMessage (self->conn));
      return unavailable (error);
    }

  g_message ("Reconnected to the database");
  return TRUE;
}

static PGresult *
execute_once (TsPgStore     *self,
         const char    *sql,
         const Params  *params,
         gboolean       binary_result,
         GError       **error)
{
  static const Params none;
  gpointer number;
  char name[16];
  PGresult *res;

  self->sqlstate[0] = '\0';

  if (params == NULL)
    params = &none;

  if (!ensure_connected (self, error))
    return NULL;

  number = g_hash_table_lookup (self->statements, sql);
  if (number == NULL)
    {
      guint n = ++self->n_prepared;

      g_snprintf (name, sizeof name, "ts%u", n);
      res = PQprepare (self->conn, name, sql, params->n, NULL);
      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        {
          fail (self, res, error);
          PQclear (res);
          return NULL;
        }
      PQclear (res);
      number = GUINT_TO_POINTER (n);
      g_hash_table_insert (self->statements, (gpointer) sql, number);
    }

  g_snprintf (name, sizeof name, "ts%u", GPOINTER_TO_UINT (number));
  res = PQexecPrepared (self->conn, name, params->n, params->values, params->lengths,
                        params->formats, binary_result ? 1 : 0);
  switch (PQresultStatus (res))
    {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
      return res;
    default:
      fail (self, res, error);
      PQclear (res);
      return NULL;
    }
}

/* Returns: (transfer full) (nullable): the result of @sql with @params
 * (NULL: none), in text unless @binary_result; NULL with @error set if
 * it failed.
 *
 * A connection the server ended while it sat idle (a restart, an
 * administrator) may still look fine until it is used: a call outside a
 * flow's transaction that finds it gone makes it again and runs once
 * more, so the first request after the database is back is not spent on
 * the old connection. */
static PGresult *
execute (TsPgStore     *self,
         const char    *sql,
         const Params  *params,
         gboolean       binary_result,
         GError       **error)
{
  g_autoptr(GError) first_error = NULL;
  PGresult *res;

  res = execute_once (self, sql, params, binary_result, &first_error);
  if (res != NULL)
    return res;

  if (self->in_transaction || PQstatus (self->conn) == CONNECTION_OK)
    {
      g_propagate_error (error, g_steal_pointer (&first_error));
      return NULL;
    }

  return execute_once (self, sql, params, binary_result, error);
}

/* Runs a statement whose result is not needed; *changed (if not NULL) is
 * the number of rows it changed. */
static gboolean
run (TsPgStore     *self,
     const char    *sql,
     const Params  *params,
     gint64        *changed,
     GError       **error)
{
  g_autoptr(PGresult) res = execute (self, sql, params, FALSE, error);

  if (res == NULL)
    return FALSE;
  if (changed != NULL)
    *changed = g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
  return TRUE;
}

/* A statement without parameters, not prepared: transaction control and
 * migrations (which may hold several statements). */
static gboolean
exec_simple (TsPgStore   *self,
             const char  *sql,
             GError     **error)
{
  g_autoptr(PGresult) res = PQexec (self->conn, sql);

  switch (PQresultStatus (res))
    {
    case PGRES_COMMAND_OK:
    case PGRES_TUPLES_OK:
      return TRUE;
    default:
      return fail (self, res, error);
    }
}

/* Transactions */

static gboolean
begin (TsPgStore  *self,
       GError    **error)
{
  if (!ensure_connected (self, error) ||
      !exec_simple (self, "BEGIN ISOLATION LEVEL READ COMMITTED", error))
    return FALSE;

  self->in_transaction = TRUE;
  return TRUE;
}

/* Always FALSE, so a failed step can `return rollback (self);`. */
static gboolean
rollback (TsPgStore *self)
{
  if (self->in_transaction && PQstatus (self->conn) == CONNECTION_OK &&
      PQtransactionStatus (self->conn) != PQTRANS_IDLE)
    {
      g_autoptr(PGresult) res = PQexec (self->conn, "ROLLBACK");

      if (PQresultStatus (res) != PGRES_COMMAND_OK)
        g_warning ("Rollback failed: %s", PQresultErrorField (res, PG_DIAG_SQLSTATE));
    }

  self->in_transaction = FALSE;
  return FALSE;
}

static gboolean
commit (TsPgStore  *self,
        GError    **error)
{
  if (!exec_simple (self, "COMMIT", error))
    return rollback (self);

  self->in_transaction = FALSE;
  return TRUE;
}

/* Takes the row lock of account @account_id for the flow's transaction
 * (see the header); NOT_FOUND if there is no such account. */
static gboolean
lock_account (TsPgStore  *self,
              gint64      account_id,
              GError    **error)
{
  static const char sql[] = "SELECT 1 FROM accounts WHERE id = $1 FOR NO KEY UPDATE";
  g_autoptr(PGresult) res = NULL;
  Params p = { 0 };

  param_int (&p, account_id);
  res = execute (self, sql, &p, FALSE, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return not_found (error, "No such account.");
  return TRUE;
}

/* Opening and migrating */

static int
read_schema_version (TsPgStore  *self,
                     GError    **error)
{
  /* Two statements: one naming a table that does not exist yet would
   * not even be planned. */
  static const char exists_sql[] = "SELECT to_regclass ('schema_version') IS NOT NULL";
  static const char sql[] = "SELECT version FROM schema_version";
  g_autoptr(PGresult) exists = execute (self, exists_sql, NULL, FALSE, error);
  g_autoptr(PGresult) res = NULL;

  if (exists == NULL)
    return -1;
  if (!get_bool (exists, 0, 0))
    return 0;

  res = execute (self, sql, NULL, FALSE, error);
  if (res == NULL)
    return -1;
  if (PQntuples (res) != 1)
    return 0;
  return (int) get_int (res, 0, 0);
}

static int
pg_get_schema_version (TsStore *store)
{
  return read_schema_version ((TsPgStore *) store, NULL);
}

static gboolean
migrate (TsPgStore  *self,
         GError    **error)
{
  int version = read_schema_version (self, error);

  if (version < 0)
    return FALSE;
  if (version == TS_STORE_SCHEMA_VERSION)
    return TRUE;

  /* One instance at a time: the others wait here for the lock and then
   * find the version already current. Migrations may take longer than a
   * request may. */
  if (!begin (self, error))
    return FALSE;
  if (!exec_simple (self, "SET LOCAL statement_timeout = 0; SET LOCAL lock_timeout = 0", error) ||
      !exec_simple (self, "SELECT pg_advisory_xact_lock (" MIGRATION_LOCK ")", error) ||
      !exec_simple (self, "CREATE TABLE IF NOT EXISTS schema_version ("
                          "  one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),"
                          "  version INTEGER NOT NULL);"
                          "INSERT INTO schema_version (version) VALUES (0) ON CONFLICT DO NOTHING",
                    error))
    return rollback (self);

  version = read_schema_version (self, error);
  if (version < 0)
    return rollback (self);

  if (version > TS_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TOKENS_ERROR, TOKENS_ERROR_STORAGE,
                   "The database has schema version %d, newer than this tokens-server knows (%d)",
                   version, TS_STORE_SCHEMA_VERSION);
      return rollback (self);
    }

  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *bump = NULL;

      if (migrations[i].from != version)
        continue;

      bump = g_strdup_printf ("UPDATE schema_version SET version = %d", migrations[i].to);
      if (!exec_simple (self, migrations[i].sql, error) ||
          !exec_simple (self, bump, error))
        return rollback (self);

      version = migrations[i].to;
      g_message ("Database schema migrated to version %d", version);
    }

  if (version != TS_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TOKENS_ERROR, TOKENS_ERROR_STORAGE,
                   "No migration brings the database from schema version %d to %d",
                   version, TS_STORE_SCHEMA_VERSION);
      return rollback (self);
    }

  return commit (self, error);
}

/* Notices ("relation already exists, skipping") are not for the log. */
static void
ignore_notice (void       *data,
               const char *message)
{
}

/**
 * ts_store_pg_connect:
 * @uri: a libpq connection URI
 *
 * A connection with the options every connection of ours has (timeouts,
 * encoding, application name, TCP keepalives, so a peer that vanished is
 * noticed), for a store or for the verify cache's @listener
 * (ts-verify-cache.c), which stays idle for hours by design and so is
 * exempt from a server-wide idle_session_timeout.
 *
 * Returns: (transfer full) (nullable): the connection, or %NULL with
 *   @error set; the error never quotes @uri, which may hold a password
 */
PGconn *
ts_store_pg_connect (const char  *uri,
                     gboolean     listener,
                     GError     **error)
{
  g_autoptr(GPtrArray) keywords = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autofree char *options = NULL;
  PQconninfoOption *conninfo;
  char *message = NULL;
  PGconn *conn;

  conninfo = PQconninfoParse (uri, &message);
  if (conninfo == NULL)
    {
      /* libpq's message may quote the URI, and with it a password. */
      PQfreemem (message);
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_STORAGE,
                           "The --database argument is not a valid PostgreSQL connection URI");
      return NULL;
    }

  for (PQconninfoOption *o = conninfo; o->keyword != NULL; o++)
    {
      const char *value = o->val;

      if (g_str_equal (o->keyword, "connect_timeout") && value == NULL)
        value = "3";
      else if (g_str_equal (o->keyword, "client_encoding") && value == NULL)
        value = "UTF8";
      else if (g_str_equal (o->keyword, "application_name") && value == NULL)
        value = listener ? "tokens-server listener" : "tokens-server";
      else if (g_str_equal (o->keyword, "keepalives_idle") && value == NULL)
        value = "30";
      else if (g_str_equal (o->keyword, "keepalives_interval") && value == NULL)
        value = "10";
      else if (g_str_equal (o->keyword, "keepalives_count") && value == NULL)
        value = "3";
      else if (g_str_equal (o->keyword, "tcp_user_timeout") && value == NULL)
        value = "30000";
      else if (g_str_equal (o->keyword, "options"))
        /* Ours first: the administrator's, later, win. */
        value = options = g_strjoin (" ", SESSION_OPTIONS,
                                     listener ? "-c idle_session_timeout=0" : "", value, NULL);

      if (value != NULL)
        {
          g_ptr_array_add (keywords, o->keyword);
          g_ptr_array_add (values, (gpointer) value);
        }
    }
  g_ptr_array_add (keywords, NULL);
  g_ptr_array_add (values, NULL);

  conn = PQconnectdbParams ((const char * const *) keywords->pdata,
                            (const char * const *) values->pdata, 0);
  PQconninfoFree (conninfo);

  if (conn == NULL || PQstatus (conn) != CONNECTION_OK)
    {
      g_set_error (error, TOKENS_ERROR, TOKENS_ERROR_UNAVAILABLE,
                   "Cannot connect to PostgreSQL: %s",
                   conn ? g_strchomp (PQerrorMessage (conn)) : "out of memory");
      g_clear_pointer (&conn, PQfinish);
      return NULL;
    }

  PQsetNoticeProcessor (conn, ignore_notice, NULL);
  return conn;
}

TsStore *
ts_store_pg_open (const char  *uri,
                  GError     **error)
{
  TsPgStore *self = g_new0 (TsPgStore, 1);
  g_autoptr(TsStore) store = &self->parent;

  self->parent.vtable = &pg_vtable;
  self->statements = g_hash_table_new (NULL, NULL);

  self->conn = ts_store_pg_connect (uri, FALSE, error);
  if (self->conn == NULL)
    return NULL;

  if (!migrate (self, error))
    return NULL;

  return g_steal_pointer (&store);
}

static void
pg_free (TsStore *store)
{
  TsPgStore *self = (TsPgStore *) store;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->conn, PQfinish);
  g_free (self);
}

/* Events */

static gboolean
add_event (TsPgStore   *self,
           gint64       account_id,
           const char  *kind,
           gint64       token_id,
           gint64       now,
           GError     **error)
{
  static const char sql[] =
    "INSERT INTO events (account_id, kind, token_id, created_at) VALUES ($1, $2, $3, $4)";
  Params p = { 0 };

  param_int (&p, account_id);
  param_text (&p, kind);
  param_time (&p, token_id);
  param_int (&p, now);
  return run (self, sql, &p, NULL, error);
}

static gboolean
pg_add_event (TsStore     *store,
              gint64       account_id,
              const char  *kind,
              gint64       token_id,
              gint64       now,
              GError     **error)
{
  return add_event ((TsPgStore *) store, account_id, kind, token_id, now, error);
}

static gboolean
pg_list_events (TsStore     *store,
                gint64       account_id,
                gint64       before_id,
                guint        limit,
                GPtrArray  **events,
                GError     **error)
{
  static const char sql[] =
    "SELECT id, kind, token_id, created_at FROM events"
    " WHERE account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";
  TsPgStore *self = (TsPgStore *) store;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ts_event_free);
  g_autoptr(PGresult) res = NULL;
  Params p = { 0 };

  param_int (&p, account_id);
  param_int (&p, before_id > 0 ? before_id : G_MAXINT64);
  param_int (&p, limit);
  res = execute (self, sql, &p, FALSE, error);
  if (res == NULL)
    return FALSE;

  for (int row = 0; row < PQntuples (res); row++)
    {
      TsEvent *event = g_new0 (TsEvent, 1);

      event->id = get_int (res, row, 0);
      event->kind = get_text (res, row, 1);
      event->token_id = get_int (res, row, 2);
      event->created_at = get_int (res, row, 3);
      g_ptr_array_add (list, event);
    }

  *events = g_steal_pointer (&list);
  return TRUE;
}

/* Accounts */

static gboolean
insert_credential (TsPgStore          *self,
                   const TsNewSecret  *secret,
                   TokensTokenKind     kind,
                   gint64              account_id,
                   gint64              access_token_id,
                   gint64              now,
                   gint64              expires_at,
                   GError            **error)
{
  static const char sql[] =
    "INSERT INTO credentials (hash, kind, account_id, access_token_id, previous, last4, created_at, expires_at)"
    " VALUES ($1, $2, $3, $4, 0, $5, $6, $7)";
  Params p = { 0 };

  param_text (&p, secret->hash);
  param_int (&p, kind);
  param_int (&p, account_id);
  param_time (&p, access_token_id);
  param_text (&p, secret->last4);
  param_int (&p, now);
  param_time (&p, expires_at);
  return run (self, sql, &p, NULL, error);
}

static TsAccount *
create_account (TsPgStore          *self,
                const char         *email,
                const char         *password_hash,
                const TsNewSecret  *api_key,
                gint64              now,
                GError            **error)
{
  static const char sql[] =
    "INSERT INTO accounts (email, password_hash, created_at) VALUES ($1, $2, $3) RETURNING id";
  g_autoptr(GError) local_error = NULL;
  g_autoptr(PGresult) res = NULL;
  TsAccount *account;
  Params p = { 0 };

  param_text (&p, email);
  param_text (&p, password_hash);
  param_int (&p, now);
  res = execute (self, sql, &p, FALSE, &local_error);
  if (res == NULL)
    {
      if (g_str_equal (self->sqlstate, "23505"))
        conflict (error, N_("An account with this email address already exists."));
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  account = g_new0 (TsAccount, 1);
  account->id = get_int (res, 0, 0);
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
pg_create_account (TsStore            *store,
                   const char         *email,
                   const char         *password_hash,
                   const TsNewSecret  *api_key,
                   gint64              now,
                   GError            **error)
{
  TsPgStore *self = (TsPgStore *) store;
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
pg_account_exists (TsStore     *store,
                   const char  *email,
                   gboolean    *exists,
                   GError     **error)
{
  static const char sql[] = "SELECT 1 FROM accounts WHERE email = $1";
  g_autoptr(PGresult) res = NULL;
  Params p = { 0 };

  param_text (&p, email);
  res = execute ((TsPgStore *) store, sql, &p, FALSE, error);
  if (res == NULL)
    return FALSE;

  *exists = PQntuples (res) > 0;
  return TRUE;
}

/* Sets *account_id to 0 when there is no such account: not an error. */
static gboolean
pg_find_password (TsStore     *store,
                  const char  *email,
                  gint64      *account_id,
                  char       **password_hash,
                  GError     **error)
{
  static const char sql[] = "SELECT id, password_hash FROM accounts WHERE email = $1";
  g_autoptr(PGresult) res = NULL;
  Params p = { 0 };

  *account_id = 0;
  *password_hash = NULL;

  param_text (&p, email);
  res = execute ((TsPgStore *) store, sql, &p, FALSE, error);
  if (res == NULL)
    return FALSE;

  if (PQntuples (res) > 0)
    {
      *account_id = get_int (res, 0, 0);
      *password_hash = get_text (res, 0, 1);
    }

  return TRUE;
}

static TsClientTokenState
client_token_state (gboolean configured,
                    gboolean active)
{
  if (!configured)
    return TS_CLIENT_TOKEN_NONE;
  return active ? TS_CLIENT_TOKEN_ACTIVE : TS_CLIENT_TOKEN_DISABLED;
}

static TsAccount *
pg_get_account (TsStore  *store,
                gint64    account_id,
                GError  **error)
{
  static const char sql[] =
    "SELECT email, created_at, client_token_hash IS NOT NULL, client_token_active"
    " FROM accounts WHERE id = $1";
  g_autoptr(PGresult) res = NULL;
  TsAccount *account;
  Params p = { 0 };

  param_int (&p, account_id);
  res = execute ((TsPgStore *) store, sql, &p, FALSE, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      not_found (error, "No such account.");
      return NULL;
    }

  account = g_new0 (TsAccount, 1);
  account->id = account_id;
  account->email = get_text (res, 0, 0);
  account->created_at = get_int (res, 0, 1);
  account->client_token_state = client_token_state (get_bool (res, 0, 2), get_int (res, 0, 3) != 0);
  return account;
}

/* Sets *principal to NULL when no credential has this hash. */
static gboolean
pg_lookup_credential (TsStore      *store,
                      const char   *hash,
                      TsPrincipal **principal,
                      GError      **error)
{
  static const char sql[] =
    "SELECT c.id, c.kind, c.hash, c.account_id, a.email, c.access_token_id, t.scopes,"
    "       c.previous, c.expires_at, c.last_used_at,"
    "       a.client_token_active, a.client_token_hash"
    " FROM credentials c"
    " JOIN accounts a ON a.id = c.account_id"
    " LEFT JOIN access_tokens t ON t.id = c.access_token_id"
    " WHERE c.hash = $1";
  g_autoptr(PGresult) res = NULL;
  TsPrincipal *pr;
  Params p = { 0 };

  *principal = NULL;

  param_text (&p, hash);
  res = execute ((TsPgStore *) store, sql, &p, FALSE, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return TRUE;

  pr = g_new0 (TsPrincipal, 1);
  pr->credential_id = get_int (res, 0, 0);
  pr->kind = (TokensTokenKind) get_int (res, 0, 1);
  pr->hash = get_text (res, 0, 2);
  pr->account_id = get_int (res, 0, 3);
  pr->email = get_text (res, 0, 4);
  pr->access_token_id = get_int (res, 0, 5);
  pr->scopes = pr->kind == KIND_ACCESS ? (guint) get_int (res, 0, 6) : TS_SCOPES_ALL;
  pr->is_previous = get_int (res, 0, 7) != 0;
  pr->expires_at = get_int (res, 0, 8);
  pr->last_used_at = get_int (res, 0, 9);
  pr->client_token_hash = get_text (res, 0, 11);
  pr->client_token_state = client_token_state (pr->client_token_hash != NULL,
                                               get_int (res, 0, 10) != 0);

  *principal = pr;
  return TRUE;
}

/* The caller writes at most once a minute per token; several instances
 * each do, so the row itself says whether someone already has: a write
 * that would move last_used_at by less than a minute is not made. */
static gboolean
pg_touch_credential (TsStore  *store,
                     gint64    credential_id,
                     gint64    now,
                     GError  **error)
{
  static const char sql[] =
    "UPDATE credentials SET last_used_at = $2"
    " WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::bigint - 60)";
  Params p = { 0 };

  param_int (&p, credential_id);
  param_int (&p, now);
  return run ((TsPgStore *) store, sql, &p, NULL, error);
}

static gboolean
pg_create_session (TsStore            *store,
                   gint64              account_id,
                   const TsNewSecret  *session,
                   gint64              now,
                   gint64              expires_at,
                   GError            **error)
{
  TsPgStore *self = (TsPgStore *) store;

  if (!begin (self, error))
    return FALSE;

  if (!insert_credential (self, session, KIND_SESSION, account_id, 0, now, expires_at, error) ||
      !add_event (self, account_id, "session.created", 0, now, error))
    return rollback (self);

  return commit (self, error);
}

static gboolean
pg_delete_session (TsStore  *store,
                   gint64    account_id,
                   gint64    credential_id,
                   gint64    now,
                   GError  **error)
{
  static const char sql[] =
    "DELETE FROM credentials WHERE id = $1 AND account_id = $2 AND kind = 3";
  TsPgStore *self = (TsPgStore *) store;
  gint64 changed = 0;
  Params p = { 0 };

  if (!begin (self, error))
    return FALSE;

  param_int (&p, credential_id);
  param_int (&p, account_id);
  if (!run (self, sql, &p, &changed, error))
    return rollback (self);
  if (changed == 0)
    {
      not_found (error, "This session has already ended.");
      return rollback (self);
    }

  if (!add_event (self, account_id, "session.deleted", 0, now, error))
    return rollback (self);

  return commit (self, error);
}

static gboolean
pg_purge_expired (TsStore  *store,
                  gint64    now,
                  GError  **error)
{
  static const char sql[] =
    "DELETE FROM credentials WHERE kind = 3 AND expires_at IS NOT NULL AND expires_at <= $1";
  /* No window is longer than a day. */
  static const char limits_sql[] = "DELETE FROM limits WHERE window_start <= $1::bigint - 86400";
  Params p = { 0 };

  param_int (&p, now);
  return run ((TsPgStore *) store, sql, &p, NULL, error) &&
         run ((TsPgStore *) store, limits_sql, &p, NULL, error);
}

/* Rate limits */

static gboolean
pg_limit_get (TsStore     *store,
              const char  *kind,
              const char  *key,
              guint       *hits,
              gint64      *window_start,
              GError     **error)
{
  static const char sql[] = "SELECT hits, window_start FROM limits WHERE kind = $1 AND key = $2";
  g_autoptr(PGresult) res = NULL;
  Params p = { 0 };

  *hits = 0;
  *window_start = 0;
  param_text (&p, kind);
  param_text (&p, key);
  res = execute ((TsPgStore *) store, sql, &p, FALSE, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) > 0)
    {
      *hits = (guint) get_int (res, 0, 0);
      *window_start = get_int (res, 0, 1);
    }
  return TRUE;
}

static gboolean
pg_limit_add (TsStore     *store,
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
  /* One statement, as in SQLite: ON CONFLICT locks the row, so the
   * check (WHERE) and the count (SET) of two instances cannot interleave. */
  static const char sql[] =
    "INSERT INTO limits (kind, key, window_start, hits)"
    " VALUES ($1, $2, $3::bigint, GREATEST ($4::integer, 0))"
    " ON CONFLICT (kind, key) DO UPDATE SET"
    "   hits = CASE WHEN $3::bigint - limits.window_start >= $5::bigint"
    "               THEN GREATEST ($4::integer, 0)"
    "               ELSE GREATEST (limits.hits + $4::integer, 0) END,"
    "   window_start = CASE WHEN $3::bigint - limits.window_start >= $5::bigint"
    "                       THEN $3::bigint ELSE limits.window_start END"
    " WHERE $4::integer <= 0 OR $6::integer = 0"
    "    OR $3::bigint - limits.window_start >= $5::bigint OR limits.hits < $6::integer"
    " RETURNING hits, window_start";
  g_autoptr(PGresult) res = NULL;
  Params p = { 0 };

  *added = FALSE;
  param_text (&p, kind);
  param_text (&p, key);
  param_int (&p, now);
  param_int (&p, delta);
  param_int (&p, window);
  param_int (&p, max);
  res = execute ((TsPgStore *) store, sql, &p, FALSE, error);
  if (res == NULL)
    return FALSE;

  if (PQntuples (res) > 0)
    {
      *added = TRUE;
      *hits = (guint) get_int (res, 0, 0);
      *window_start = get_int (res, 0, 1);
      return TRUE;
    }

  /* Over the maximum: nothing changed; say where the window stands. */
  return pg_limit_get (store, kind, key, hits, window_start, error);
}

static gboolean
pg_limit_clear (TsStore     *store,
                const char  *kind,
                const char  *key,
                GError     **error)
{
  static const char sql[] = "DELETE FROM limits WHERE kind = $1 AND key = $2";
  Params p = { 0 };

  param_text (&p, kind);
  param_text (&p, key);
  return run ((TsPgStore *) store, sql, &p, NULL, error);
}

/* The account API token */

static gboolean
pg_get_api_key (TsStore       *store,
                gint64         account_id,
                TsSecretInfo  *info,
                GError       **error)
{
  static const char sql[] =
    "SELECT last4, created_at, expires_at, last_used_at FROM credentials"
    " WHERE account_id = $1 AND kind = 0";
  g_autoptr(PGresult) res = NULL;
  Params p = { 0 };

  param_int (&p, account_id);
  res = execute ((TsPgStore *) store, sql, &p, FALSE, error);
  if (res == NULL)
    return FALSE;
  if (PQntuples (res) == 0)
    return not_found (error, "This account has no API token.");

  read_secret_info (res, 0, info);
  return TRUE;
}

static gboolean
pg_reset_api_key (TsStore            *store,
                  gint64              account_id,
                  const TsNewSecret  *api_key,
                  gint64              now,
                  GError            **error)
{
  static const char sql[] = "DELETE FROM credentials WHERE account_id = $1 AND kind = 0";
  TsPgStore *self = (TsPgStore *) store;
  Params p = { 0 };

  /* Two resets at once: the second waits for the first, then replaces
   * the key the first made (one API key per account, by index). */
  if (!begin (self, error))
    return FALSE;

  param_int (&p, account_id);
  if (!lock_account (self, account_id, error) ||
      !run (self, sql, &p, NULL, error) ||
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
read_access_token (PGresult *res,
                   int       row)
{
  TsAccessToken *token = g_new0 (TsAccessToken, 1);

  token->id = get_int (res, row, 0);
  token->name = get_text (res, row, 1);
  token->scopes = (guint) get_int (res, row, 2);
  token->duration_days = get_int (res, row, 3);
  token->created_at = get_int (res, row, 4);
  token->updated_at = get_int (res, row, 5);
  token->renewed_at = get_int (res, row, 6);
  token->current.last4 = get_text (res, row, 7);
  token->current.created_at = get_int (res, row, 8);
  token->current.expires_at = get_int (res, row, 9);
  token->current.last_used_at = get_int (res, row, 10);
  token->has_previous = !PQgetisnull (res, row, 11);
  if (token->has_previous)
    {
      token->previous.last4 = get_text (res, row, 11);
      token->previous.created_at = get_int (res, row, 12);
      token->previous.expires_at = get_int (res, row, 13);
      token->previous.last_used_at = get_int (res, row, 14);
    }

  return token;
}

static gboolean
pg_list_access_tokens (TsStore     *store,
                       gint64       account_id,
                       gint64       after_id,
                       guint        limit,
                       GPtrArray  **tokens,
                       gint64      *total,
                       GError     **error)
{
  static const char sql[] =
    ACCESS_TOKEN_COLUMNS " WHERE t.account_id = $1 AND t.id > $2 ORDER BY t.id LIMIT $3";
  static const char count_sql[] = "SELECT count(*) FROM access_tokens WHERE account_id = $1";
  TsPgStore *self = (TsPgStore *) store;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ts_access_token_free);

  {
    g_autoptr(PGresult) res = NULL;
    Params p = { 0 };

    param_int (&p, account_id);
    param_int (&p, after_id);
    param_int (&p, limit);
    res = execute (self, sql, &p, FALSE, error);
    if (res == NULL)
      return FALSE;
    for (int row = 0; row < PQntuples (res); row++)
      g_ptr_array_add (list, read_access_token (res, row));
  }

  {
    g_autoptr(PGresult) res = NULL;
    Params p = { 0 };

    param_int (&p, account_id);
    res = execute (self, count_sql, &p, FALSE, error);
    if (res == NULL)
      return FALSE;
    *total = get_int (res, 0, 0);
  }

  *tokens = g_steal_pointer (&list);
  return TRUE;
}

static TsAccessToken *
pg_get_access_token (TsStore  *store,
                     gint64    account_id,
                     gint64    token_id,
                     GError  **error)
{
  static const char sql[] = ACCESS_TOKEN_COLUMNS " WHERE t.account_id = $1 AND t.id = $2";
  g_autoptr(PGresult) res = NULL;
  Params p = { 0 };

  param_int (&p, account_id);
  param_int (&p, token_id);
  res = execute ((TsPgStore *) store, sql, &p, FALSE, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      not_found (error, NO_SUCH_TOKEN);
      return NULL;
    }

  return read_access_token (res, 0);
}

static gint64
expiry (gint64 now,
        gint64 duration_days)
{
  return duration_days > 0 ? now + duration_days * 24 * 60 * 60 : 0;
}

static gint64
create_access_token (TsPgStore          *self,
                     gint64              account_id,
                     const char         *name,
                     guint               scopes,
                     gint64              duration_days,
                     const TsNewSecret  *secret,
                     gint64              now,
                     GError            **error)
{
  static const char sql[] =
    "INSERT INTO access_tokens (account_id, name, scopes, duration_days, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $5) RETURNING id";
  g_autoptr(PGresult) res = NULL;
  Params p = { 0 };
  gint64 id;

  param_int (&p, account_id);
  param_text (&p, name);
  param_int (&p, scopes);
  param_time (&p, duration_days);
  param_int (&p, now);
  res = execute (self, sql, &p, FALSE, error);
  if (res == NULL)
    return 0;

  id = get_int (res, 0, 0);
  if (!insert_credential (self, secret, KIND_ACCESS, account_id, id, now,
                          expiry (now, duration_days), error) ||
      !add_event (self, account_id, "token.created", id, now, error))
    return 0;

  return id;
}

static gint64
pg_create_access_token (TsStore            *store,
                        gint64              account_id,
                        const char         *name,
                        guint               scopes,
                        gint64              duration_days,
                        const TsNewSecret  *secret,
                        gint64              now,
                        GError            **error)
{
  TsPgStore *self = (TsPgStore *) store;
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
pg_update_access_token (TsStore     *store,
                        gint64       account_id,
                        gint64       token_id,
                        const char  *name,
                        guint        scopes,
                        gint64       now,
                        GError     **error)
{
  static const char sql[] =
    "UPDATE access_tokens SET name = coalesce ($3, name), scopes = coalesce ($4, scopes),"
    " updated_at = $5 WHERE id = $1 AND account_id = $2";
  TsPgStore *self = (TsPgStore *) store;
  gint64 changed = 0;
  Params p = { 0 };

  if (!begin (self, error))
    return FALSE;

  param_int (&p, token_id);
  param_int (&p, account_id);
  param_text (&p, name);
  if (scopes != 0)
    param_int (&p, scopes);
  else
    param_text (&p, NULL);
  param_int (&p, now);
  if (!run (self, sql, &p, &changed, error))
    return rollback (self);
  if (changed == 0)
    {
      not_found (error, NO_SUCH_TOKEN);
      return rollback (self);
    }

  if (!add_event (self, account_id, "token.updated", token_id, now, error))
    return rollback (self);

  return commit (self, error);
}

static gboolean
pg_delete_access_token (TsStore  *store,
                        gint64    account_id,
                        gint64    token_id,
                        gint64    now,
                        GError  **error)
{
  static const char sql[] = "DELETE FROM access_tokens WHERE id = $1 AND account_id = $2";
  TsPgStore *self = (TsPgStore *) store;
  gint64 changed = 0;
  Params p = { 0 };

  if (!begin (self, error))
    return FALSE;

  /* Its secrets, current and previous, go with it (ON DELETE CASCADE);
   * the DELETE waits for a renewal that holds the row's lock. */
  param_int (&p, token_id);
  param_int (&p, account_id);
  if (!run (self, sql, &p, &changed, error))
    return rollback (self);
  if (changed == 0)
    {
      not_found (error, NO_SUCH_TOKEN);
      return rollback (self);
    }

  if (!add_event (self, account_id, "token.revoked", token_id, now, error))
    return rollback (self);

  return commit (self, error);
}

/* Locks the token's row for the flow's transaction, then reads what a
 * renewal step needs to know. Two statements on purpose: the second one's
 * snapshot is taken once the lock is held, so it sees the old secret as
 * the flow that held the lock before left it (a subquery of the locking
 * statement would see it as it was before the wait). */
static gboolean
renewal_state (TsPgStore  *self,
               gint64      account_id,
               gint64      token_id,
               gint64     *duration_days,
               gboolean   *has_previous,
               GError    **error)
{
  static const char lock_sql[] =
    "SELECT duration_days FROM access_tokens WHERE id = $1 AND account_id = $2"
    " FOR NO KEY UPDATE";
  static const char previous_sql[] =
    "SELECT EXISTS (SELECT 1 FROM credentials WHERE access_token_id = $1 AND previous = 1)";

  {
    g_autoptr(PGresult) res = NULL;
    Params p = { 0 };

    param_int (&p, token_id);
    param_int (&p, account_id);
    res = execute (self, lock_sql, &p, FALSE, error);
    if (res == NULL)
      return FALSE;
    if (PQntuples (res) == 0)
      return not_found (error, NO_SUCH_TOKEN);
    *duration_days = get_int (res, 0, 0);
  }

  {
    g_autoptr(PGresult) res = NULL;
    Params p = { 0 };

    param_int (&p, token_id);
    res = execute (self, previous_sql, &p, FALSE, error);
    if (res == NULL)
      return FALSE;
    *has_previous = get_bool (res, 0, 0);
  }

  return TRUE;
}

static gboolean
renew_access_token (TsPgStore          *self,
                    gint64              account_id,
                    gint64              token_id,
                    gboolean            keep_old,
                    gboolean            set_duration,
                    gint64              duration_days,
                    const TsNewSecret  *secret,
                    gint64              now,
                    GError            **error)
{
  static const char keep_sql[] =
    "UPDATE credentials SET previous = 1 WHERE access_token_id = $1 AND previous = 0";
  static const char drop_sql[] =
    "DELETE FROM credentials WHERE access_token_id = $1 AND previous = 0";
  /* The right-hand sides see the row as it was: the old duration is
   * kept for an undo, as long as the old secret is. */
  static const char token_sql[] =
    "UPDATE access_tokens SET previous_duration_days = CASE WHEN $4::boolean THEN duration_days END,"
    " duration_days = $2, renewed_at = $3, updated_at = $3 WHERE id = $1";
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
    Params p = { 0 };

    param_int (&p, token_id);
    if (!run (self, keep_old ? keep_sql : drop_sql, &p, NULL, error))
      return FALSE;
  }

  {
    Params p = { 0 };

    param_int (&p, token_id);
    param_time (&p, duration_days);
    param_int (&p, now);
    param_text (&p, keep_old ? "true" : "false");
    if (!run (self, token_sql, &p, NULL, error))
      return FALSE;
  }

  return insert_credential (self, secret, KIND_ACCESS, account_id, token_id, now,
                            expiry (now, duration_days), error) &&
         add_event (self, account_id, keep_old ? "token.renewed" : "token.renewed_old_deleted",
                    token_id, now, error);
}

static gboolean
pg_renew_access_token (TsStore            *store,
                       gint64              account_id,
                       gint64              token_id,
                       gboolean            keep_old,
                       gboolean            set_duration,
                       gint64              duration_days,
                       const TsNewSecret  *secret,
                       gint64              now,
                       GError            **error)
{
  TsPgStore *self = (TsPgStore *) store;

  if (!begin (self, error))
    return FALSE;

  if (!renew_access_token (self, account_id, token_id, keep_old, set_duration,
                           duration_days, secret, now, error))
    return rollback (self);

  return commit (self, error);
}

static gboolean
delete_previous (TsPgStore  *self,
                 gint64      account_id,
                 gint64      token_id,
                 gint64      now,
                 GError    **error)
{
  static const char sql[] =
    "DELETE FROM credentials WHERE access_token_id = $1 AND previous = 1";
  /* No undo without the old secret: its duration goes with it. */
  static const char token_sql[] =
    "UPDATE access_tokens SET previous_duration_days = NULL WHERE id = $1";
  gint64 duration_days;
  gboolean has_previous;
  Params p = { 0 };

  if (!renewal_state (self, account_id, token_id, &duration_days, &has_previous, error))
    return FALSE;

  if (!has_previous)
    return conflict (error,
                     N_("This token has no old token to delete: it was already deleted, "
                        "or the token was renewed with the old one deleted at once."));

  param_int (&p, token_id);
  return run (self, sql, &p, NULL, error) &&
         run (self, token_sql, &p, NULL, error) &&
         add_event (self, account_id, "token.previous_deleted", token_id, now, error);
}

static gboolean
pg_delete_previous (TsStore  *store,
                    gint64    account_id,
                    gint64    token_id,
                    gint64    now,
                    GError  **error)
{
  TsPgStore *self = (TsPgStore *) store;

  if (!begin (self, error))
    return FALSE;

  if (!delete_previous (self, account_id, token_id, now, error))
    return rollback (self);

  return commit (self, error);
}

static gboolean
undo_renewal (TsPgStore  *self,
              gint64      account_id,
              gint64      token_id,
              gint64      now,
              GError    **error)
{
  static const char drop_sql[] =
    "DELETE FROM credentials WHERE access_token_id = $1 AND previous = 0";
  static const char restore_sql[] =
    "UPDATE credentials SET previous = 0 WHERE access_token_id = $1 AND previous = 1";
  /* The old secret is current again, and so is the duration it was
   * made with, which the next renewal without a duration will use. */
  static const char token_sql[] =
    "UPDATE access_tokens SET duration_days = previous_duration_days,"
    " previous_duration_days = NULL, renewed_at = NULL, updated_at = $2 WHERE id = $1";
  gint64 duration_days;
  gboolean has_previous;
  Params p = { 0 };
  Params token_p = { 0 };

  if (!renewal_state (self, account_id, token_id, &duration_days, &has_previous, error))
    return FALSE;

  if (!has_previous)
    return conflict (error,
                     N_("There is no renewal to undo: the old token has been deleted, "
                        "or this token was not renewed."));

  param_int (&p, token_id);
  param_int (&token_p, token_id);
  param_int (&token_p, now);
  return run (self, drop_sql, &p, NULL, error) &&
         run (self, restore_sql, &p, NULL, error) &&
         run (self, token_sql, &token_p, NULL, error) &&
         add_event (self, account_id, "token.renewal_undone", token_id, now, error);
}

static gboolean
pg_undo_renewal (TsStore  *store,
                 gint64    account_id,
                 gint64    token_id,
                 gint64    now,
                 GError  **error)
{
  TsPgStore *self = (TsPgStore *) store;

  if (!begin (self, error))
    return FALSE;

  if (!undo_renewal (self, account_id, token_id, now, error))
    return rollback (self);

  return commit (self, error);
}

/* The account security token */

static TsClientToken *
pg_get_client_token (TsStore  *store,
                     gint64    account_id,
                     GError  **error)
{
  static const char sql[] =
    "SELECT client_token_last4, client_token_created_at, NULL, NULL, client_token_active"
    " FROM accounts WHERE id = $1";
  g_autoptr(PGresult) res = NULL;
  TsClientToken *token;
  Params p = { 0 };

  param_int (&p, account_id);
  res = execute ((TsPgStore *) store, sql, &p, FALSE, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      not_found (error, "No such account.");
      return NULL;
    }

  token = g_new0 (TsClientToken, 1);
  if (PQgetisnull (res, 0, 0))
    token->state = TS_CLIENT_TOKEN_NONE;
  else
    {
      read_secret_info (res, 0, &token->secret);
      token->state = get_int (res, 0, 4) ? TS_CLIENT_TOKEN_ACTIVE : TS_CLIENT_TOKEN_DISABLED;
    }

  return token;
}

/* Runs one UPDATE of the account row, in a transaction that holds the
 * row's lock, with its event; when it changes nothing, fails with @code
 * and @message. */
static gboolean
update_account_row (TsPgStore     *self,
                    const char    *sql,
                    const Params  *params,
                    gint64         account_id,
                    const char    *event,
                    TokensError    code,
                    const char    *message,
                    gint64         now,
                    GError       **error)
{
  gint64 changed = 0;

  if (!begin (self, error))
    return FALSE;

  if (!lock_account (self, account_id, error) ||
      !run (self, sql, params, &changed, error))
    return rollback (self);

  if (changed == 0)
    {
      g_set_error_literal (error, TOKENS_ERROR, code, message);
      return rollback (self);
    }

  if (!add_event (self, account_id, event, 0, now, error))
    return rollback (self);

  return commit (self, error);
}

static gboolean
pg_configure_client_token (TsStore            *store,
                           gint64              account_id,
                           const TsNewSecret  *secret,
                           gint64              now,
                           GError            **error)
{
  static const char sql[] =
    "UPDATE accounts SET client_token_hash = $2, client_token_last4 = $3,"
    " client_token_created_at = $4, client_token_active = 0"
    " WHERE id = $1 AND client_token_hash IS NULL";
  Params p = { 0 };

  param_int (&p, account_id);
  param_text (&p, secret->hash);
  param_text (&p, secret->last4);
  param_int (&p, now);
  return update_account_row ((TsPgStore *) store, sql, &p, account_id,
                             "client_token.configured", TOKENS_ERROR_CONFLICT,
                             N_("An account security token is already configured: "
                                "delete it before making a new one."),
                             now, error);
}

static gboolean
pg_set_client_token_active (TsStore   *store,
                            gint64     account_id,
                            gboolean   active,
                            gint64     now,
                            GError   **error)
{
  static const char sql[] =
    "UPDATE accounts SET client_token_active = $2"
    " WHERE id = $1 AND client_token_hash IS NOT NULL";
  Params p = { 0 };

  param_int (&p, account_id);
  param_int (&p, active ? 1 : 0);
  return update_account_row ((TsPgStore *) store, sql, &p, account_id,
                             active ? "client_token.activated" : "client_token.deactivated",
                             TOKENS_ERROR_CONFLICT,
                             N_("No account security token is configured: configure one first."),
                             now, error);
}

static gboolean
pg_delete_client_token (TsStore  *store,
                        gint64    account_id,
                        gint64    now,
                        GError  **error)
{
  static const char sql[] =
    "UPDATE accounts SET client_token_hash = NULL, client_token_last4 = NULL,"
    " client_token_created_at = NULL, client_token_active = 0"
    " WHERE id = $1 AND client_token_hash IS NOT NULL";
  Params p = { 0 };

  param_int (&p, account_id);
  return update_account_row ((TsPgStore *) store, sql, &p, account_id,
                             "client_token.deleted", TOKENS_ERROR_NOT_FOUND,
                             "No account security token is configured.",
                             now, error);
}

/* Files */

static gboolean
pg_list_files (TsStore     *store,
               gint64       account_id,
               GPtrArray  **files,
               GError     **error)
{
  static const char sql[] =
    "SELECT name, size, updated_at FROM files WHERE account_id = $1 ORDER BY name";
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) ts_file_free);
  g_autoptr(PGresult) res = NULL;
  Params p = { 0 };

  param_int (&p, account_id);
  res = execute ((TsPgStore *) store, sql, &p, FALSE, error);
  if (res == NULL)
    return FALSE;

  for (int row = 0; row < PQntuples (res); row++)
    {
      TsFile *file = g_new0 (TsFile, 1);

      file->name = get_text (res, row, 0);
      file->size = get_int (res, row, 1);
      file->updated_at = get_int (res, row, 2);
      g_ptr_array_add (list, file);
    }

  *files = g_steal_pointer (&list);
  return TRUE;
}

static GBytes *
pg_get_file (TsStore     *store,
             gint64       account_id,
             const char  *name,
             GError     **error)
{
  static const char sql[] = "SELECT content FROM files WHERE account_id = $1 AND name = $2";
  g_autoptr(PGresult) res = NULL;
  Params p = { 0 };

  param_int (&p, account_id);
  param_text (&p, name);
  /* In binary: the bytes themselves, not bytea's hex text. */
  res = execute ((TsPgStore *) store, sql, &p, TRUE, error);
  if (res == NULL)
    return NULL;
  if (PQntuples (res) == 0)
    {
      not_found (error, "No file with this name.");
      return NULL;
    }

  return g_bytes_new (PQgetvalue (res, 0, 0), PQgetlength (res, 0, 0));
}

static gboolean
put_file (TsPgStore   *self,
          gint64       account_id,
          const char  *name,
          GBytes      *content,
          guint        max_files,
          gint64       now,
          gboolean    *created,
          GError     **error)
{
  static const char count_sql[] =
    "SELECT count(*), EXISTS (SELECT 1 FROM files WHERE account_id = $1 AND name = $2)"
    " FROM files WHERE account_id = $1";
  static const char sql[] =
    "INSERT INTO files (account_id, name, content, size, updated_at) VALUES ($1, $2, $3, $4, $5)"
    " ON CONFLICT (account_id, name) DO UPDATE SET content = excluded.content,"
    " size = excluded.size, updated_at = excluded.updated_at";
  gsize size;
  gconstpointer data = g_bytes_get_data (content, &size);

  /* Two uploads to one account wait for each other here, so the count
   * below is the count the insert adds to. */
  if (!lock_account (self, account_id, error))
    return FALSE;

  {
    g_autoptr(PGresult) res = NULL;
    Params p = { 0 };

    param_int (&p, account_id);
    param_text (&p, name);
    res = execute (self, count_sql, &p, FALSE, error);
    if (res == NULL)
      return FALSE;

    *created = !get_bool (res, 0, 1);
    if (*created && get_int (res, 0, 0) >= max_files)
      return conflict (error, "This account holds as many files as it may: delete one first.");
  }

  {
    Params p = { 0 };

    param_int (&p, account_id);
    param_text (&p, name);
    param_bytes (&p, data, size);
    param_int (&p, size);
    param_int (&p, now);
    return run (self, sql, &p, NULL, error);
  }
}

static gboolean
pg_put_file (TsStore     *store,
             gint64       account_id,
             const char  *name,
             GBytes      *content,
             guint        max_files,
             gint64       now,
             gboolean    *created,
             GError     **error)
{
  TsPgStore *self = (TsPgStore *) store;

  if (!begin (self, error))
    return FALSE;

  if (!put_file (self, account_id, name, content, max_files, now, created, error))
    return rollback (self);

  return commit (self, error);
}

static gboolean
pg_delete_file (TsStore     *store,
                gint64       account_id,
                const char  *name,
                GError     **error)
{
  static const char sql[] = "DELETE FROM files WHERE account_id = $1 AND name = $2";
  gint64 changed = 0;
  Params p = { 0 };

  param_int (&p, account_id);
  param_text (&p, name);
  if (!run ((TsPgStore *) store, sql, &p, &changed, error))
    return FALSE;
  if (changed == 0)
    return not_found (error, "No file with this name.");

  return TRUE;
}

static const TsStoreVTable pg_vtable = {
  .free = pg_free,
  .get_schema_version = pg_get_schema_version,
  .create_account = pg_create_account,
  .account_exists = pg_account_exists,
  .find_password = pg_find_password,
  .get_account = pg_get_account,
  .lookup_credential = pg_lookup_credential,
  .touch_credential = pg_touch_credential,
  .create_session = pg_create_session,
  .delete_session = pg_delete_session,
  .purge_expired = pg_purge_expired,
  .limit_get = pg_limit_get,
  .limit_add = pg_limit_add,
  .limit_clear = pg_limit_clear,
  .add_event = pg_add_event,
  .list_events = pg_list_events,
  .get_api_key = pg_get_api_key,
  .reset_api_key = pg_reset_api_key,
  .list_access_tokens = pg_list_access_tokens,
  .get_access_token = pg_get_access_token,
  .create_access_token = pg_create_access_token,
  .update_access_token = pg_update_access_token,
  .delete_access_token = pg_delete_access_token,
  .renew_access_token = pg_renew_access_token,
  .delete_previous = pg_delete_previous,
  .undo_renewal = pg_undo_renewal,
  .get_client_token = pg_get_client_token,
  .configure_client_token = pg_configure_client_token,
  .set_client_token_active = pg_set_client_token_active,
  .delete_client_token = pg_delete_client_token,
  .list_files = pg_list_files,
  .get_file = pg_get_file,
  .put_file = pg_put_file,
  .delete_file = pg_delete_file,
};
