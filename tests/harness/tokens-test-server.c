/* tokens-test-server.c — a real tokens-server for a test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts the tokens-server the build made (TOKENS_SERVER_BIN, set by
 * tests/meson.build) on 127.0.0.1 port 0 with a database in a fresh
 * temporary directory, and reads the first line it prints to learn the
 * port. Stopping sends SIGTERM and waits, so a test also checks that the
 * server shuts down cleanly.
 *
 * Under harness/with-postgres (TOKENS_TEST_POSTGRES set to a libpq URI
 * naming the cluster's socket but no database), each new server gets a
 * fresh database of its own in that cluster, made with createdb, and its
 * --database is that database's URI.
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "tokens-test-server.h"

struct _TokensTestServer
{
  GSubprocess *process;
  char        *tmpdir;
  char        *database;
  char        *url;
  gboolean     own_tmpdir;
};

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }

  g_rmdir (path);
}

/* The value of parameter @key in the query of libpq URI @uri. */
static char *
uri_parameter (const char *uri,
               const char *key)
{
  const char *query = strchr (uri, '?');
  g_auto(GStrv) pairs = NULL;
  gsize key_len = strlen (key);

  if (query == NULL)
    return NULL;

  pairs = g_strsplit (query + 1, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    if (strncmp (pairs[i], key, key_len) == 0 && pairs[i][key_len] == '=')
      return g_uri_unescape_string (pairs[i] + key_len + 1, NULL);

  return NULL;
}

/* Makes a new database in the cluster of TOKENS_TEST_POSTGRES and
 * returns its URI. */
static char *
create_postgres_database (const char *cluster)
{
  static gint counter;
  const char *bindir = g_getenv ("TOKENS_TEST_POSTGRES_BINDIR");
  g_autofree char *host = uri_parameter (cluster, "host");
  g_autofree char *user = uri_parameter (cluster, "user");
  g_autofree char *createdb = g_build_filename (bindir ? bindir : "/usr/lib/postgresql/15/bin",
                                                "createdb", NULL);
  g_autofree char *name = g_strdup_printf ("tokens_%d_%d", (int) getpid (),
                                           g_atomic_int_add (&counter, 1));
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { createdb, "-h", host, "-U", user ? user : "postgres", name, NULL };

  g_assert_nonnull (host);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("createdb %s failed: %s", name, err);

  return g_strdup_printf ("postgresql:///%s?host=%s&user=%s", name, host, user ? user : "postgres");
}

/* A test that aborts must not leave its server behind holding the test's
 * stderr open (meson would then wait for its whole timeout). */
static void
die_with_parent (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGKILL);
#endif
}

static TokensTestServer *
start (char               *tmpdir,
       gboolean            own_tmpdir,
       const char         *database,
       const char * const *extra_args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *line = NULL;
  TokensTestServer *self;
  const char *bin = g_getenv ("TOKENS_SERVER_BIN");

  if (bin == NULL)
    bin = "tokens-server";

  self = g_new0 (TokensTestServer, 1);
  self->tmpdir = tmpdir;
  self->own_tmpdir = own_tmpdir;
  self->database = g_strdup (database);

  g_ptr_array_add (argv, (gpointer) bin);
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, self->database);
  g_ptr_array_add (argv, (gpointer) "--listen");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1:0");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  /* stderr stays the test's own, so the server's log is in the test log. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "listening on http://127.0.0.1:"))
    g_error ("tokens-server did not say where it listens; its first line was: %s",
             line ? line : "(none: it exited)");

  self->url = g_strdup (line + strlen ("listening on "));
  return self;
}

/**
 * tokens_test_server_new:
 * @extra_args: (nullable): more arguments, such as "--allow-signup"
 *
 * Returns: a running server with an empty database of its own
 */
TokensTestServer *
tokens_test_server_new (const char * const *extra_args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  char *tmpdir;

  const char *cluster = g_getenv ("TOKENS_TEST_POSTGRES");

  tmpdir = g_dir_make_tmp ("tokens-test-XXXXXX", &error);
  g_assert_no_error (error);
  if (cluster != NULL && cluster[0] != '\0')
    database = create_postgres_database (cluster);
  else
    database = g_build_filename (tmpdir, "tokens.db", NULL);

  return start (tmpdir, TRUE, database, extra_args);
}

/**
 * tokens_test_server_new_for_path:
 * @database: an existing or new database file (or the PostgreSQL URI of
 *   another test server), kept after the server stops
 *
 * Returns: a running server on @database, to test a restart
 */
TokensTestServer *
tokens_test_server_new_for_path (const char         *database,
                                 const char * const *extra_args)
{
  gboolean postgres = g_str_has_prefix (database, "postgresql://") ||
                      g_str_has_prefix (database, "postgres://");

  return start (postgres ? NULL : g_path_get_dirname (database), FALSE, database, extra_args);
}

const char *
tokens_test_server_get_url (TokensTestServer *self)
{
  return self->url;
}

const char *
tokens_test_server_get_database (TokensTestServer *self)
{
  return self->database;
}

const char *
tokens_test_server_get_tmpdir (TokensTestServer *self)
{
  return self->tmpdir;
}

GPid
tokens_test_server_get_pid (TokensTestServer *self)
{
  const char *id = self->process ? g_subprocess_get_identifier (self->process) : NULL;

  return id ? (GPid) g_ascii_strtoll (id, NULL, 10) : 0;
}

/**
 * tokens_test_server_stop:
 *
 * Sends SIGTERM and waits for the server to exit.
 *
 * Returns: its exit status (0 for a clean stop), or -1 if it was killed
 *   by a signal
 */
int
tokens_test_server_stop (TokensTestServer *self)
{
  g_autoptr(GError) error = NULL;
  int status;

  if (self->process == NULL)
    return 0;

  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, &error);
  g_assert_no_error (error);

  status = g_subprocess_get_if_exited (self->process)
             ? g_subprocess_get_exit_status (self->process)
             : -1;
  g_clear_object (&self->process);

  return status;
}

void
tokens_test_server_free (TokensTestServer *self)
{
  if (self == NULL)
    return;

  if (self->process != NULL)
    {
      g_subprocess_force_exit (self->process);
      g_subprocess_wait (self->process, NULL, NULL);
      g_clear_object (&self->process);
    }

  if (self->own_tmpdir)
    remove_tree (self->tmpdir);

  g_free (self->tmpdir);
  g_free (self->database);
  g_free (self->url);
  g_free (self);
}
