/* main.c — tokens-server, the Tokens service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tokens-server --database PATH|URI --listen HOST:PORT [--allow-signup]
 * tokens-server import --from PATH --database URI   (ts-import.c)
 *
 * Port 0 picks a free port; the first line on stdout is always
 * "listening on http://HOST:PORT", so whoever started the server (the
 * app, a test, the benchmark) learns where it is. SIGTERM and SIGINT stop
 * it cleanly: answers in progress are delivered, the database is closed
 * (which folds the WAL back into the file), and the exit status is 0.
 */

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib-unix.h>
#include <glib/gstdio.h>

#include "ts-daemon.h"
#include "ts-import.h"
#include "ts-server.h"

#define PURGE_INTERVAL (60 * 60)

static char *opt_database;
static char *opt_listen;
static gboolean opt_allow_signup;
static gboolean opt_list_routes;
static int opt_max_connections;
static int opt_per_address;
static int opt_timeout;
static int opt_threads;
static char **opt_trusted;
static gboolean opt_no_verify_cache;

static const GOptionEntry entries[] = {
  { "database", 0, 0, G_OPTION_ARG_FILENAME, &opt_database,
    "SQLite file, created with its folder if missing, or a postgresql:// URI "
    "(several instances may share one PostgreSQL database) (required)", "PATH|URI" },
  { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen,
    "Address and port to listen on; port 0 picks a free port (default 127.0.0.1:8080)", "HOST:PORT" },
  { "allow-signup", 0, 0, G_OPTION_ARG_NONE, &opt_allow_signup,
    "Let anyone create an account with POST /v1/accounts (10 an hour per client address)", NULL },
  { "max-connections", 0, 0, G_OPTION_ARG_INT, &opt_max_connections,
    "Connections held at once (default: what the descriptor limit allows)", "N" },
  { "max-connections-per-address", 0, 0, G_OPTION_ARG_INT, &opt_per_address,
    "Connections held at once from one client address (default 1000)", "N" },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout,
    "Seconds a connection may take to send a request's headers or stay idle (default 15)", "SECONDS" },
  { "threads", 0, 0, G_OPTION_ARG_INT, &opt_threads,
    "Threads that answer requests (default: one per core)", "N" },
  { "trusted-proxy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_trusted,
    "A proxy in front (ADDRESS or ADDRESS/BITS; repeat for more) whose X-Real-IP header names the client, for the limits per address", "ADDRESS" },
  { "no-verify-cache", 0, 0, G_OPTION_ARG_NONE, &opt_no_verify_cache,
    "On PostgreSQL, look every bearer token up in the database instead of keeping those "
    "already seen (kept fresh with LISTEN/NOTIFY; turn it off behind a pooler in transaction mode)", NULL },
  { "list-routes", 0, 0, G_OPTION_ARG_NONE, &opt_list_routes,
    "Print every route of the API, one \"METHOD /path\" per line, and exit", NULL },
  { NULL }
};

static GInetSocketAddress *
parse_listen (const char  *text,
              GError     **error)
{
  const char *colon = strrchr (text, ':');
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *host = NULL;
  guint64 value;

  if (colon == NULL || colon == text)
    goto invalid;

  host = g_strndup (text, colon - text);
  /* [::1]:8080 */
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      char *inner = g_strndup (host + 1, strlen (host) - 2);

      g_free (host);
      host = inner;
    }

  address = g_inet_address_new_from_string (host);
  if (address == NULL)
    goto invalid;

  if (!g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    goto invalid;

  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, (guint16) value));

invalid:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--listen wants a numeric HOST:PORT, such as 127.0.0.1:8080, not “%s”", text);
  return NULL;
}

/* "127.0.0.1", "10.0.0.0/8", "::1" */
static GInetAddressMask *
parse_mask (const char  *text,
            GError     **error)
{
  g_autoptr(GError) mask_error = NULL;
  GInetAddressMask *mask;

  if (strchr (text, '/') != NULL)
    mask = g_inet_address_mask_new_from_string (text, &mask_error);
  else
    {
      g_autoptr(GInetAddress) address = g_inet_address_new_from_string (text);

      mask = address ? g_inet_address_mask_new (address, g_inet_address_get_native_size (address) * 8,
                                                 &mask_error)
                     : NULL;
    }

  if (mask == NULL)
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "--trusted-proxy wants an address or ADDRESS/BITS, such as 127.0.0.1, not “%s”", text);
  return mask;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
purge_cb (gpointer user_data)
{
  TsServer *server = user_data;
  g_autoptr(GError) error = NULL;
  TsStore *store = ts_server_get_store (server, &error);

  if (store == NULL || !ts_store_purge_expired (store, ts_now (), &error))
    g_warning ("Could not remove expired sessions: %s", error->message);

  return G_SOURCE_CONTINUE;
}

/* The database holds hashes, not secrets, but still nobody else's
 * business: its folder is the owner's only. */
static gboolean
prepare_folder (const char *database)
{
  g_autofree char *folder = g_path_get_dirname (database);

  umask (077);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      g_printerr ("tokens-server: cannot create %s: %s\n", folder, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_count (const char *option,
             int         value,
             int         min)
{
  if (value != 0 && value < min)
    {
      g_printerr ("tokens-server: %s must be at least %d (see --help)\n", option, min);
      return FALSE;
    }
  return TRUE;
}

static int
run (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autofree char *host = NULL;
  const char *listen = opt_listen ? opt_listen : "127.0.0.1:8080";
  TsServer server = { 0 };
  TsDaemonOptions options = { 0 };
  TsDaemon *daemon;
  guint purge_id;

  if (opt_database == NULL)
    {
      g_printerr ("tokens-server: --database PATH is required (see --help)\n");
      return 2;
    }

#ifndef HAVE_POSTGRES
  if (ts_store_database_is_postgres (opt_database))
    {
      g_printerr ("tokens-server: this tokens-server was built without PostgreSQL support\n");
      return 2;
    }
#endif

  address = parse_listen (listen, &error);
  if (address == NULL)
    {
      g_printerr ("tokens-server: %s\n", error->message);
      return 2;
    }

  if (!check_count ("--max-connections", opt_max_connections, 1) ||
      !check_count ("--max-connections-per-address", opt_per_address, 1) ||
      !check_count ("--timeout", opt_timeout, 1) ||
      !check_count ("--threads", opt_threads, 1))
    return 2;

  /* A PostgreSQL database has no folder here; the umask still holds. */
  if (ts_store_database_is_postgres (opt_database))
    umask (077);
  else if (!prepare_folder (opt_database))
    return 1;

  /* Before anything holds a descriptor: every connection is one. */
  ts_raise_fd_limit ();

  if (!ts_server_init (&server, opt_database, &error))
    {
      g_printerr ("tokens-server: %s\n", error->message);
      ts_server_clear (&server);
      return 1;
    }
  server.allow_signup = opt_allow_signup;
  if (!opt_no_verify_cache)
    ts_server_start_verify_cache (&server);

  purge_cb (&server);

  options.max_connections = opt_max_connections;
  options.per_address = opt_per_address;
  options.timeout = opt_timeout;
  options.threads = opt_threads;
  options.trusted = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; opt_trusted != NULL && opt_trusted[i] != NULL; i++)
    {
      GInetAddressMask *mask = parse_mask (opt_trusted[i], &error);

      if (mask == NULL)
        {
          g_printerr ("tokens-server: %s\n", error->message);
          g_ptr_array_unref (options.trusted);
          ts_server_clear (&server);
          return 2;
        }
      g_ptr_array_add (options.trusted, mask);
    }
  daemon = ts_daemon_start (&server, address, &options, &error);
  g_clear_pointer (&options.trusted, g_ptr_array_unref);
  if (daemon == NULL)
    {
      g_printerr ("tokens-server: cannot listen on %s: %s\n", listen, error->message);
      ts_server_clear (&server);
      return 1;
    }

  /* Before the line that says we are up: whoever reads it may stop us
   * at once, and that must be the clean stop, not the default action. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);

  host = g_inet_address_to_string (g_inet_socket_address_get_address (address));
  if (g_inet_address_get_family (g_inet_socket_address_get_address (address)) == G_SOCKET_FAMILY_IPV6)
    printf ("listening on http://[%s]:%u\n", host, ts_daemon_get_port (daemon));
  else
    printf ("listening on http://%s:%u\n", host, ts_daemon_get_port (daemon));
  fflush (stdout);

  purge_id = g_timeout_add_seconds (PURGE_INTERVAL, purge_cb, &server);

  g_main_loop_run (loop);

  g_message ("Stopping");
  g_source_remove (purge_id);
  /* Answers waiting on a password hash are delivered first, while the
   * store is still there to deliver them; the store of this thread
   * closes last, which folds the WAL back into the file. */
  ts_daemon_stop (daemon);
  ts_server_clear (&server);

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  /* The person's character set, for --help; but messages stay in the C
   * locale: the API's `error` texts (some come from libtokens, which is
   * translated) are English on the wire whatever the server's locale. */
  setlocale (LC_ALL, "");
  setlocale (LC_MESSAGES, "C");

  if (argc > 1 && g_str_equal (argv[1], "import"))
    return ts_import_main (argc - 1, argv + 1);

  context = g_option_context_new ("— the Tokens service");
  g_option_context_set_summary (context,
    "Serves the Tokens REST API (data/tokens-api.yaml) over HTTP, with its data in SQLite\n"
    "or, for several instances, in one PostgreSQL database.\n"
    "GET /v1/health says it runs; GET /v1/ready also checks the database;\n"
    "GET /v1/gateway/check answers nginx auth_request (data/nginx-gateway.conf).\n"
    "The first line on stdout is “listening on http://HOST:PORT”. SIGTERM or SIGINT stop it.");
  g_option_context_set_description (context,
    "Commands:\n"
    "  import    Copy an SQLite database into an empty PostgreSQL one, every token kept\n"
    "            (tokens-server import --help)");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tokens-server: %s\n", error->message);
      return 2;
    }

  if (argc > 1)
    {
      g_printerr ("tokens-server: unexpected argument “%s” (see --help)\n", argv[1]);
      return 2;
    }

  if (opt_list_routes)
    {
      g_autoptr(TsRouter) router = ts_router_new ();

      ts_router_print_routes (router);
      return 0;
    }

  status = run ();

  g_clear_pointer (&opt_database, g_free);
  g_clear_pointer (&opt_trusted, g_strfreev);
  g_clear_pointer (&opt_listen, g_free);
  return status;
}
