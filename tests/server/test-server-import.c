/* test-server-import.c — tokens-server import: from SQLite to PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under harness/with-postgres only. A real tokens-server on an SQLite
 * file is taken through every flow as a client would (sign-up, sessions,
 * tokens renewed every way, a revoke, a security token, files, failed
 * sign-ins), and everything a client can see is written down: each
 * secret's verify answer, the token lists and each token, the audit log,
 * the files. Then `tokens-server import` copies the file into a new
 * PostgreSQL database, a server starts on that, and a client must see
 * exactly the same, byte for byte; ids go on from above every old one.
 */

#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "tt-http.h"

static const char *const signup[] = { "--allow-signup", NULL };

#define SEED_MISSING_CLIENT_TOKEN "{\"error\": \"null not allowed\"}"

/* Helpers */

static const char *
cluster (void)
{
  const char *uri = g_getenv ("TOKENS_TEST_POSTGRES");

  return uri != NULL && uri[0] != '\0' ? uri : NULL;
}

static gboolean
needs_postgres (void)
{
  if (cluster () != NULL)
    return FALSE;

  g_test_skip ("needs PostgreSQL: run through tests/harness/with-postgres");
  return TRUE;
}

/* A new database in the cluster, with no schema at all, as createdb
 * makes one (tokens-test-server.c does the same for its servers). */
static char *
new_postgres_database (void)
{
  static int counter;
  g_autofree char *name = g_strdup_printf ("tokens_import_%d_%d", (int) getpid (), counter++);
  g_autofree char *sql = g_strdup_printf ("CREATE DATABASE %s", name);
  const char *query = strchr (cluster (), '?');
  PGconn *conn = PQconnectdb (cluster ());
  PGresult *res;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("cannot connect to the test cluster: %s", PQerrorMessage (conn));
  res = PQexec (conn, sql);
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQresultErrorMessage (res));
  PQclear (res);
  PQfinish (conn);

  return g_strdup_printf ("postgresql:///%s%s", name, query ? query : "");
}

/* Runs `tokens-server import` with @from and @database (either may be
 * NULL: not given) and returns its exit status. */
static int
run_import (const char  *from,
            const char  *database,
            char       **out,
            char       **err)
{
  const char *bin = g_getenv ("TOKENS_SERVER_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) (bin ? bin : "tokens-server"));
  g_ptr_array_add (argv, (gpointer) "import");
  if (from != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--from");
      g_ptr_array_add (argv, (gpointer) from);
    }
  if (database != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "--database");
      g_ptr_array_add (argv, (gpointer) database);
    }
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &stdout_text, &stderr_text, &status, &error);
  g_assert_no_error (error);
  g_test_message ("import: stdout «%s», stderr «%s»", stdout_text, stderr_text);

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);

  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

/* A call as a client of the account: its bearer token and, once its
 * security token is active, the Client-Token header. */
static TtReply *
call_as (TokensTestServer *server,
         const char       *method,
         const char       *path,
         const char       *bearer,
         const char       *client_token,
         const char       *json_body)
{
  g_autofree char *authorization = g_strconcat ("Bearer ", bearer, NULL);
  const char *headers[] = { "Authorization", authorization, "Client-Token", client_token, NULL };

  if (client_token == NULL)
    headers[2] = NULL;

  return tt_call_full (server, method, path, headers,
                       json_body ? "application/json" : NULL, json_body, -1);
}

/* The world: what the SQLite server was taken through */

typedef struct
{
  const char *email;
  char       *api_key;
  char       *client_token;   /* once active: every request sends it */
} Account;

/* A secret a client holds, and what verify says of it. */
typedef struct
{
  char     *label;
  char     *secret;
  Account  *account;
  guint     status;
  gboolean  is_previous;
  char     *answer;           /* verify's body, on the SQLite server */
} Secret;

typedef struct
{
  char       *tmpdir;
  char       *sqlite_path;
  Account     ana;
  Account     ben;
  Account     cy;
  GPtrArray  *secrets;        /* Secret */
  gint64      max_token_id;   /* of every token ever made, the revoked too */
  char       *ben_ci;         /* an access token of Ben's */
  gint64      later_id;       /* renewed for 7 days, its old 30-day secret kept */
  GBytes     *blob;
} Fixture;

static void
secret_free (Secret *secret)
{
  g_free (secret->label);
  g_free (secret->secret);
  g_free (secret->answer);
  g_free (secret);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("tokens-import-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->sqlite_path = g_build_filename (fixture->tmpdir, "tokens.db", NULL);
  fixture->ana.email = "ana@example.com";
  fixture->ben.email = "ben@example.com";
  fixture->cy.email = "cy@example.com";
  fixture->secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) secret_free);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  Account *accounts[] = { &fixture->ana, &fixture->ben, &fixture->cy };

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      g_free (accounts[i]->api_key);
      g_free (accounts[i]->client_token);
    }
  g_clear_pointer (&fixture->secrets, g_ptr_array_unref);
  g_clear_pointer (&fixture->blob, g_bytes_unref);
  g_free (fixture->ben_ci);
  remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->sqlite_path);
}

static Secret *
remember (Fixture    *fixture,
          const char *label,
          const char *secret,
          Account    *account,
          guint       status,
          gboolean    is_previous)
{
  Secret *s = g_new0 (Secret, 1);

  s->label = g_strdup (label);
  s->secret = g_strdup (secret);
  s->account = account;
  s->status = status;
  s->is_previous = is_previous;
  g_ptr_array_add (fixture->secrets, s);
  return s;
}

static char *
create_token (Fixture    *fixture,
              TokensTestServer *server,
              const char *name,
              const char *scopes,
              const char *days,
              gint64     *id)
{
  char *secret = tt_create_token (server, fixture->ana.api_key, name, scopes, days, id);

  fixture->max_token_id = MAX (fixture->max_token_id, *id);
  return secret;
}

/* Renews token @id of Ana; returns the new secret. */
static char *
renew (TokensTestServer *server,
       Fixture          *fixture,
       gint64            id,
       const char       *body)
{
  g_autofree char *path = g_strdup_printf ("/v1/tokens/%" G_GINT64_FORMAT "/renew", id);
  g_autoptr(TtReply) reply = tt_call (server, "POST", path, fixture->ana.api_key, body);

  g_assert_cmpuint (reply->status, ==, 200);
  return g_strdup (tt_reply_string (reply, "token"));
}

/* @method on /v1/tokens/@id@suffix as Ana, which must answer @status. */
static void
ana_call (TokensTestServer *server,
          Fixture          *fixture,
          const char       *method,
          gint64            id,
          const char       *suffix,
          guint             status)
{
  g_autofree char *path = g_strdup_printf ("/v1/tokens/%" G_GINT64_FORMAT "%s", id, suffix);
  g_autoptr(TtReply) reply = tt_call (server, method, path, fixture->ana.api_key, NULL);

  if (reply->status != status)
    g_error ("%s %s: expected %u, got %u: %s", method, path, status, reply->status, reply->text);
}

static void
fail_sign_in (TokensTestServer *server,
              const char       *email)
{
  g_autofree char *body = g_strdup_printf ("{\"email\": \"%s\", \"password\": \"wrong horse\"}", email);
  g_autoptr(TtReply) reply = tt_call (server, "POST", "/v1/sessions", NULL, body);

  g_assert_cmpuint (reply->status, ==, 401);
}

/* Every flow the service has, on @server; every secret remembered with
 * what verify must say of it. */
static void
populate (Fixture          *fixture,
          TokensTestServer *server)
{
  g_autofree char *session = NULL;
  g_autofree char *ended = NULL;
  g_autofree char *reader = NULL, *writer = NULL;
  g_autofree char *later_old = NULL, *later_new = NULL;
  g_autofree char *now_old = NULL, *now_new = NULL;
  g_autofree char *undo_old = NULL, *undo_new = NULL;
  g_autofree char *delete_old = NULL, *delete_new = NULL;
  g_autofree char *revoked = NULL, *ci = NULL;
  g_autoptr(TtReply) configured = NULL;
  g_autoptr(TtReply) activated = NULL;
  g_autoptr(TtReply) upload = NULL;
  g_autoptr(TtReply) notes = NULL;
  g_autofree char *writer_auth = NULL;
  guint8 blob[512];
  gint64 id;

  tt_sign_up (server, fixture->ana.email, "correct horse", &fixture->ana.api_key);
  tt_sign_up (server, fixture->ben.email, "battery staple", &fixture->ben.api_key);
  tt_sign_up (server, fixture->cy.email, "stapled battery", &fixture->cy.api_key);

  /* Sessions: one kept, one ended; sign-ins that failed are in the log. */
  session = tt_sign_in (server, fixture->ana.email, "correct horse");
  ended = tt_sign_in (server, fixture->ana.email, "correct horse");
  g_assert_cmpuint (tt_status (server, "DELETE", "/v1/sessions/current", ended), ==, 204);
  fail_sign_in (server, fixture->ana.email);
  fail_sign_in (server, fixture->ana.email);
  fail_sign_in (server, fixture->cy.email);

  /* Ana's access tokens, taken through every flow. */
  reader = create_token (fixture, server, "reader", "[\"read\"]", "30", &id);
  writer = create_token (fixture, server, "writer", "[\"read\", \"write\"]", NULL, &id);

  later_old = create_token (fixture, server, "renewed later", "[\"read\"]", "30", &id);
  later_new = renew (server, fixture, id, "{\"delete_old\": \"later\", \"expires_in_days\": 7}");
  fixture->later_id = id;

  now_old = create_token (fixture, server, "renewed now", "[\"write\"]", "10", &id);
  now_new = renew (server, fixture, id, "{\"delete_old\": \"now\"}");

  undo_old = create_token (fixture, server, "renewal undone", "[\"read\"]", "30", &id);
  undo_new = renew (server, fixture, id, "{\"delete_old\": \"later\", \"expires_in_days\": 5}");
  ana_call (server, fixture, "POST", id, "/undo-renewal", 200);

  delete_old = create_token (fixture, server, "old deleted", "[\"read\", \"write\"]", "30", &id);
  delete_new = renew (server, fixture, id, "{\"delete_old\": \"later\"}");
  ana_call (server, fixture, "DELETE", id, "/previous", 200);

  /* Files, one of every byte, through the writer token. */
  for (guint i = 0; i < sizeof blob; i++)
    blob[i] = (guint8) (i * 7);
  fixture->blob = g_bytes_new (blob, sizeof blob);
  writer_auth = g_strconcat ("Bearer ", writer, NULL);
  {
    const char *headers[] = { "Authorization", writer_auth, NULL };

    upload = tt_call_full (server, "PUT", "/v1/files/data.bin", headers,
                           "application/octet-stream", blob, sizeof blob);
    g_assert_cmpuint (upload->status, ==, 201);
    notes = tt_call_full (server, "PUT", "/v1/files/notes.txt", headers, "text/plain", "hello", 5);
    g_assert_cmpuint (notes->status, ==, 201);
  }

  /* Ben: a token, then his security token configured and active. */
  ci = tt_create_token (server, fixture->ben.api_key, "ci", "[\"read\"]", "90", &id);
  fixture->max_token_id = MAX (fixture->max_token_id, id);
  configured = tt_call (server, "POST", "/v1/security/client-token", fixture->ben.api_key, NULL);
  g_assert_cmpuint (configured->status, ==, 201);
  fixture->ben.client_token = g_strdup (tt_reply_string (configured, "token"));
  activated = tt_call (server, "POST", "/v1/security/client-token/activate", fixture->ben.api_key, NULL);
  g_assert_cmpuint (activated->status, ==, 200);

  /* The newest token revoked: its id must not come back after the move. */
  revoked = create_token (fixture, server, "revoked", "[\"read\"]", "5", &id);
  ana_call (server, fixture, "DELETE", id, "", 204);

  remember (fixture, "ana api token", fixture->ana.api_key, &fixture->ana, 200, FALSE);
  remember (fixture, "ana session", session, &fixture->ana, 200, FALSE);
  remember (fixture, "ana ended session", ended, &fixture->ana, 401, FALSE);
  remember (fixture, "reader", reader, &fixture->ana, 200, FALSE);
  remember (fixture, "writer", writer, &fixture->ana, 200, FALSE);
  remember (fixture, "renewed later, old", later_old, &fixture->ana, 200, TRUE);
  remember (fixture, "renewed later, new", later_new, &fixture->ana, 200, FALSE);
  remember (fixture, "renewed now, old", now_old, &fixture->ana, 401, FALSE);
  remember (fixture, "renewed now, new", now_new, &fixture->ana, 200, FALSE);
  remember (fixture, "renewal undone, old", undo_old, &fixture->ana, 200, FALSE);
  remember (fixture, "renewal undone, new", undo_new, &fixture->ana, 401, FALSE);
  remember (fixture, "old deleted, old", delete_old, &fixture->ana, 401, FALSE);
  remember (fixture, "old deleted, new", delete_new, &fixture->ana, 200, FALSE);
  remember (fixture, "revoked", revoked, &fixture->ana, 401, FALSE);
  remember (fixture, "ben api token", fixture->ben.api_key, &fixture->ben, 200, FALSE);
  remember (fixture, "ben ci", ci, &fixture->ben, 200, FALSE);
  fixture->ben_ci = g_strdup (ci);
  remember (fixture, "cy api token", fixture->cy.api_key, &fixture->cy, 200, FALSE);
}

static const char *
find_secret (Fixture    *fixture,
             const char *label)
{
  for (guint i = 0; i < fixture->secrets->len; i++)
    {
      Secret *secret = g_ptr_array_index (fixture->secrets, i);

      if (g_str_equal (secret->label, label))
        return secret->secret;
    }
  g_assert_not_reached ();
}

/* What verify says of @secret, checked against what it must say. */
static char *
verify (TokensTestServer *server,
        Secret           *secret)
{
  g_autoptr(TtReply) reply = call_as (server, "GET", "/v1/tokens/verify", secret->secret,
                                      secret->account->client_token, NULL);

  if (reply->status != secret->status)
    g_error ("verify %s: expected %u, got %u: %s", secret->label, secret->status,
             reply->status, reply->text);

  if (reply->status == 200)
    {
      JsonObject *who = tt_reply_object (reply);

      g_assert_cmpstr (json_object_get_string_member (who, "email"), ==, secret->account->email);
      g_assert_true (json_object_get_boolean_member (who, "is_previous") == secret->is_previous);
    }
  else
    tt_assert_error (reply, 401, "unauthorized");

  return g_strdup (reply->text);
}

/* All pages of @path (which has a query already) into @out; the ids of
 * the items of member @items into @ids, if not NULL. */
static void
add_pages (GString          *out,
           TokensTestServer *server,
           Account          *account,
           const char       *path,
           const char       *items,
           GArray           *ids)
{
  g_autofree char *token = NULL;

  do
    {
      g_autofree char *page = token ? g_strdup_printf ("%s&page_token=%s", path, token)
                                    : g_strdup (path);
      g_autoptr(TtReply) reply = call_as (server, "GET", page, account->api_key,
                                          account->client_token, NULL);
      JsonObject *object;
      JsonArray *array;

      g_assert_cmpuint (reply->status, ==, 200);
      g_string_append_printf (out, "GET %s\n%s\n", page, reply->text);

      object = tt_reply_object (reply);
      array = json_object_get_array_member (object, items);
      for (guint i = 0; ids != NULL && i < json_array_get_length (array); i++)
        {
          gint64 id = json_object_get_int_member (json_array_get_object_element (array, i), "id");

          g_array_append_val (ids, id);
        }

      g_clear_pointer (&token, g_free);
      if (!json_object_get_null_member (object, "next_page_token"))
        token = g_strdup (json_object_get_string_member (object, "next_page_token"));
    }
  while (token != NULL);
}

static void
add_get (GString          *out,
         TokensTestServer *server,
         Account          *account,
         const char       *path)
{
  g_autoptr(TtReply) reply = call_as (server, "GET", path, account->api_key,
                                      account->client_token, NULL);
  g_autofree char *checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, reply->body);
  const char *type = soup_message_headers_get_content_type (reply->headers, NULL);

  /* A body that is not JSON (a file) by its size and checksum. */
  g_string_append_printf (out, "GET %s → %u %s\n", path, reply->status, type ? type : "-");
  if (reply->json != NULL)
    g_string_append_printf (out, "%s\n", reply->text);
  else
    g_string_append_printf (out, "%" G_GSIZE_FORMAT " bytes, SHA-256 %s\n",
                            g_bytes_get_size (reply->body), checksum);
}

/* Everything account @account can read of itself, as one text: two
 * are equal exactly when a client sees the same. Reads only, so taking
 * it changes nothing it shows. */
static char *
snapshot (TokensTestServer *server,
          Account          *account)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  add_get (out, server, account, "/v1/me");
  add_get (out, server, account, "/v1/security/client-token");
  add_pages (out, server, account, "/v1/tokens?page_size=3", "tokens", ids);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/v1/tokens/%" G_GINT64_FORMAT,
                                               g_array_index (ids, gint64, i));

      add_get (out, server, account, path);
    }
  add_pages (out, server, account, "/v1/me/events?page_size=4", "events", NULL);
  add_get (out, server, account, "/v1/files");
  add_get (out, server, account, "/v1/files/data.bin");
  add_get (out, server, account, "/v1/files/notes.txt");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Every hash and secret the source keeps: none may be printed. */
static GPtrArray *
stored_hashes (const char *path)
{
  GPtrArray *hashes = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT hash FROM credentials"
                                       " UNION ALL SELECT password_hash FROM accounts"
                                       " UNION ALL SELECT client_token_hash FROM accounts"
                                       "   WHERE client_token_hash IS NOT NULL",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (hashes, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return hashes;
}

static char *
expected_summary (const char *path)
{
  return g_strdup_printf ("imported %" G_GINT64_FORMAT " accounts, %" G_GINT64_FORMAT " access tokens, "
                          "%" G_GINT64_FORMAT " credentials, %" G_GINT64_FORMAT " events, "
                          "%" G_GINT64_FORMAT " files\n",
                          tt_db_count (path, "SELECT count (*) FROM accounts"),
                          tt_db_count (path, "SELECT count (*) FROM access_tokens"),
                          tt_db_count (path, "SELECT count (*) FROM credentials"),
                          tt_db_count (path, "SELECT count (*) FROM events"),
                          tt_db_count (path, "SELECT count (*) FROM files"));
}

/* Tests */

static void
test_import_keeps_every_token (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(TokensTestServer) before = NULL;
  g_autoptr(TokensTestServer) after = NULL;
  g_autoptr(GPtrArray) hashes = NULL;
  g_autoptr(TtReply) missing = NULL;
  g_autoptr(TtReply) missing_access = NULL;
  g_autofree char *database = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *fresh = NULL;
  Account *accounts[] = { &fixture->ana, &fixture->ben, &fixture->cy };
  char *snapshots[G_N_ELEMENTS (accounts)];
  gint64 id;

  if (needs_postgres ())
    return;

  /* The SQLite side: a path, not the cluster the harness would pick. */
  before = tokens_test_server_new_for_path (fixture->sqlite_path, signup);
  populate (fixture, before);
  for (guint i = 0; i < fixture->secrets->len; i++)
    {
      Secret *secret = g_ptr_array_index (fixture->secrets, i);

      secret->answer = verify (before, secret);
    }
  /* After the verifies, whose last use the lists show. */
  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    snapshots[i] = snapshot (before, accounts[i]);
  g_assert_cmpint (tokens_test_server_stop (before), ==, 0);

  /* The move. */
  summary = expected_summary (fixture->sqlite_path);
  hashes = stored_hashes (fixture->sqlite_path);
  database = new_postgres_database ();
  g_assert_cmpint (run_import (fixture->sqlite_path, database, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, summary);
  for (guint i = 0; i < fixture->secrets->len; i++)
    {
      Secret *secret = g_ptr_array_index (fixture->secrets, i);

      g_assert_null (strstr (out, secret->secret));
      g_assert_null (strstr (err, secret->secret));
    }
  for (guint i = 0; i < hashes->len; i++)
    {
      g_assert_null (strstr (out, g_ptr_array_index (hashes, i)));
      g_assert_null (strstr (err, g_ptr_array_index (hashes, i)));
    }

  /* The PostgreSQL side: first what each account sees, before any
   * verify there writes a last use. */
  after = tokens_test_server_new_for_path (database, signup);
  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      g_autofree char *now = snapshot (after, accounts[i]);

      g_assert_cmpstr (now, ==, snapshots[i]);
      g_free (snapshots[i]);
    }

  /* The file, byte for byte. */
  {
    g_autoptr(TtReply) download = tt_call (after, "GET", "/v1/files/data.bin", fixture->ana.api_key, NULL);

    g_assert_cmpuint (download->status, ==, 200);
    g_assert_true (g_bytes_equal (download->body, fixture->blob));
  }

  /* Every secret says the same: account, token id, scopes, expiry,
   * which one is the old one kept; the dead ones stay dead. */
  for (guint i = 0; i < fixture->secrets->len; i++)
    {
      Secret *secret = g_ptr_array_index (fixture->secrets, i);
      g_autofree char *answer = verify (after, secret);

      g_assert_cmpstr (answer, ==, secret->answer);
    }

  /* The renewal state is whole, down to the duration from before the
   * renewal: undoing it on PostgreSQL gives back the 30 days. */
  {
    g_autofree char *path = g_strdup_printf ("/v1/tokens/%" G_GINT64_FORMAT "/undo-renewal", fixture->later_id);
    g_autoptr(TtReply) undone = tt_call (after, "POST", path, fixture->ana.api_key, NULL);
    g_autoptr(TtReply) as_old = NULL;

    g_assert_cmpuint (undone->status, ==, 200);
    g_assert_cmpint (tt_reply_int (undone, "duration_days"), ==, 30);
    g_assert_true (json_object_get_null_member (tt_reply_object (undone), "previous"));
    as_old = tt_call (after, "GET", "/v1/tokens/verify", find_secret (fixture, "renewed later, old"), NULL);
    g_assert_cmpuint (as_old->status, ==, 200);
    g_assert_false (json_object_get_boolean_member (tt_reply_object (as_old), "is_previous"));
    g_assert_cmpuint (tt_status (after, "GET", "/v1/tokens/verify",
                                 find_secret (fixture, "renewed later, new")), ==, 401);
  }

  /* Ben's security token is still active: without it, the seed's answer. */
  missing = tt_call (after, "GET", "/v1/me", fixture->ben.api_key, NULL);
  g_assert_cmpuint (missing->status, ==, 403);
  g_assert_cmpstr (missing->text, ==, SEED_MISSING_CLIENT_TOKEN);
  missing_access = tt_call (after, "GET", "/v1/tokens/verify", fixture->ben_ci, NULL);
  g_assert_cmpuint (missing_access->status, ==, 403);
  g_assert_cmpstr (missing_access->text, ==, SEED_MISSING_CLIENT_TOKEN);

  /* Ids go on from above every old one, the revoked newest included. */
  fresh = tt_create_token (after, fixture->ana.api_key, "after the move", "[\"read\"]", "30", &id);
  g_assert_cmpint (id, >, fixture->max_token_id);
  g_assert_cmpuint (tt_status (after, "GET", "/v1/tokens/verify", fresh), ==, 200);
  g_assert_cmpint (tt_sign_up (after, "dee@example.com", "correct horse", NULL), >, 3);

  g_assert_cmpint (tokens_test_server_stop (after), ==, 0);
}

/* A database that has rows is someone's data: refused, nothing written. */
static void
test_import_refuses_a_database_with_rows (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(TokensTestServer) source = NULL;
  g_autoptr(TokensTestServer) target = NULL;
  g_autofree char *database = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *dump_after = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  static const char next_id[] =
    "SELECT coalesce (pg_sequence_last_value (pg_get_serial_sequence ('accounts', 'id')::regclass), 0)";
  gint64 sequence;

  if (needs_postgres ())
    return;

  source = tokens_test_server_new_for_path (fixture->sqlite_path, signup);
  tt_sign_up (source, fixture->ana.email, "correct horse", &fixture->ana.api_key);
  g_assert_cmpint (tokens_test_server_stop (source), ==, 0);

  /* A database in use, with an account of its own. */
  database = new_postgres_database ();
  target = tokens_test_server_new_for_path (database, signup);
  tt_sign_up (target, fixture->ben.email, "battery staple", &fixture->ben.api_key);
  g_assert_cmpint (tokens_test_server_stop (target), ==, 0);

  dump = tt_db_dump (database);
  sequence = tt_db_count (database, next_id);
  g_assert_cmpint (run_import (fixture->sqlite_path, database, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "the PostgreSQL database is not empty (rows in "));
  g_assert_nonnull (strstr (err, "accounts"));
  g_assert_nonnull (strstr (err, "nothing was imported"));
  dump_after = tt_db_dump (database);
  g_assert_cmpstr (dump_after, ==, dump);
  g_assert_cmpint (tt_db_count (database, next_id), ==, sequence);
}

/* Twice into one database: the second finds the first's rows. */
static void
test_import_twice_is_refused (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(TokensTestServer) source = NULL;
  g_autofree char *database = NULL;
  g_autofree char *dump = NULL;
  g_autofree char *dump_after = NULL;
  g_autofree char *err = NULL;

  if (needs_postgres ())
    return;

  source = tokens_test_server_new_for_path (fixture->sqlite_path, signup);
  tt_sign_up (source, fixture->ana.email, "correct horse", &fixture->ana.api_key);
  g_assert_cmpint (tokens_test_server_stop (source), ==, 0);

  database = new_postgres_database ();
  g_assert_cmpint (run_import (fixture->sqlite_path, database, NULL, NULL), ==, 0);
  dump = tt_db_dump (database);
  g_assert_cmpint (run_import (fixture->sqlite_path, database, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, "not empty"));
  dump_after = tt_db_dump (database);
  g_assert_cmpstr (dump_after, ==, dump);
}

/* A row PostgreSQL refuses half-way through the copy (an event of an
 * account that is not there, which SQLite let in with its foreign keys
 * off): the whole copy is rolled back, the target stays empty. */
static void
test_import_failure_leaves_the_target_empty (Fixture       *fixture,
                                             gconstpointer  data)
{
  g_autoptr(TokensTestServer) source = NULL;
  g_autofree char *database = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  static const char *const counts[] = {
    "SELECT count (*) FROM accounts", "SELECT count (*) FROM access_tokens",
    "SELECT count (*) FROM credentials", "SELECT count (*) FROM events",
    "SELECT count (*) FROM files",
    "SELECT coalesce (pg_sequence_last_value (pg_get_serial_sequence ('accounts', 'id')::regclass), 0)",
  };

  if (needs_postgres ())
    return;

  source = tokens_test_server_new_for_path (fixture->sqlite_path, signup);
  tt_sign_up (source, fixture->ana.email, "correct horse", &fixture->ana.api_key);
  g_free (tt_create_token (source, fixture->ana.api_key, "reader", "[\"read\"]", "30", NULL));
  g_assert_cmpint (tokens_test_server_stop (source), ==, 0);
  tt_db_exec (fixture->sqlite_path,
              "INSERT INTO events (account_id, kind, created_at) VALUES (42, 'account.created', 1)");

  database = new_postgres_database ();
  g_assert_cmpint (run_import (fixture->sqlite_path, database, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "copying table events failed (SQLSTATE 23503, table events"));
  g_assert_nonnull (strstr (err, "points to a row that is not there; nothing was imported"));
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    g_assert_cmpint (tt_db_count (database, counts[i]), ==, 0);
}

/* No file, or a file that is not a tokens database: refused before
 * anything is made, on either side. */
static void
test_import_refuses_a_missing_source (Fixture       *fixture,
                                      gconstpointer  data)
{
  g_autofree char *database = NULL;
  g_autofree char *text = g_build_filename (fixture->tmpdir, "notes.db", NULL);
  g_autofree char *empty = g_build_filename (fixture->tmpdir, "empty.db", NULL);
  g_autofree char *err = NULL;
  g_autofree char *err_text = NULL;
  g_autofree char *err_empty = NULL;
  g_autofree char *out = NULL;
  static const char tables[] = "SELECT count (*) FROM pg_tables WHERE schemaname = 'public'";
  GStatBuf st;

  if (needs_postgres ())
    return;

  database = new_postgres_database ();

  g_assert_cmpint (run_import (fixture->sqlite_path, database, &out, &err), ==, 1);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "tokens.db: no such file; nothing was imported"));
  g_assert_false (g_file_test (fixture->sqlite_path, G_FILE_TEST_EXISTS));

  g_assert_true (g_file_set_contents (text, "not a database\n", -1, NULL));
  g_assert_cmpint (run_import (text, database, NULL, &err_text), ==, 1);
  g_assert_nonnull (strstr (err_text, "notes.db is not an SQLite database"));

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_cmpint (run_import (empty, database, NULL, &err_empty), ==, 1);
  g_assert_nonnull (strstr (err_empty, "empty.db is not a tokens-server database"));
  g_assert_cmpint (g_stat (empty, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, 0);

  g_assert_cmpint (tt_db_count (database, tables), ==, 0);
}

static void
test_import_usage (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *bin = g_getenv ("TOKENS_SERVER_BIN");
  g_autofree char *err_from = NULL;
  g_autofree char *err_database = NULL;
  g_autofree char *err_sqlite = NULL;
  g_autofree char *help = NULL;
  g_autofree char *import_help = NULL;
  g_autoptr(GError) error = NULL;
  const char *help_argv[] = { bin ? bin : "tokens-server", "--help", NULL };
  const char *import_help_argv[] = { bin ? bin : "tokens-server", "import", "--help", NULL };
  int status;

  g_assert_cmpint (run_import (NULL, "postgresql:///tokens", NULL, &err_from), ==, 2);
  g_assert_nonnull (strstr (err_from, "--from PATH is required"));
  g_assert_cmpint (run_import (fixture->sqlite_path, NULL, NULL, &err_database), ==, 2);
  g_assert_nonnull (strstr (err_database, "--database URI is required"));
  g_assert_cmpint (run_import (fixture->sqlite_path, "/var/lib/tokens/other.db", NULL, &err_sqlite), ==, 2);
  g_assert_nonnull (strstr (err_sqlite, "--database must be a PostgreSQL URI"));

  g_spawn_sync (NULL, (char **) help_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &help, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (help, "\n  import "));

  g_spawn_sync (NULL, (char **) import_help_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &import_help, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (import_help, "tokens-server import [OPTION"));
  g_assert_nonnull (strstr (import_help, "--from=PATH"));
  g_assert_nonnull (strstr (import_help, "must have no rows"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/server/import/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("keeps-every-token", test_import_keeps_every_token);
  ADD ("refuses-a-database-with-rows", test_import_refuses_a_database_with_rows);
  ADD ("twice-is-refused", test_import_twice_is_refused);
  ADD ("failure-leaves-the-target-empty", test_import_failure_leaves_the_target_empty);
  ADD ("refuses-a-missing-source", test_import_refuses_a_missing_source);
  ADD ("usage", test_import_usage);

  return g_test_run ();
}
