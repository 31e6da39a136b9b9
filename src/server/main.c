/* main.c — tokens-server, the Tokens service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tokens-server --database PATH --listen HOST:PORT [--allow-signup]
 *
 * Port 0 picks a free port; the first line on stdout is always
 * "listening on http://HOST:PORT", so whoever started the server (the
 * app, a test, the benchmark) learns where it is. SIGTERM and SIGINT stop
 * it cleanly: answers in progress are delivered, the database is closed
 * (which folds the WAL back into the file), and the exit status is 0.
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "ts-server.h"

/* A burst of connections must queue, not be refused: libsoup's own
 * listen() leaves the backlog at 10. */
#define LISTEN_BACKLOG 1024
#define PURGE_INTERVAL (60 * 60)

static char *opt_database;
static char *opt_listen;
static gboolean opt_allow_signup;
static gboolean opt_list_routes;

static const GOptionEntry entries[] = {
  { "database", 0, 0, G_OPTION_ARG_FILENAME, &opt_database,
    "SQLite database file, created with its folder if missing (required)", "PATH" },
  { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen,
    "Address and port to listen on; port 0 picks a free port (default 127.0.0.1:8080)", "HOST:PORT" },
  { "allow-signup", 0, 0, G_OPTION_ARG_NONE, &opt_allow_signup,
    "Let anyone create an account with POST /v1/accounts", NULL },
  { "list-routes", 0, 0, G_OPTION_ARG_NONE, &opt_list_routes,
    "Print every route of the API, one \"METHOD /path\" per line, and exit", NULL },
  { NULL }
};

static gboolean
parse_listen (const char      *text,
              GInetAddress   **address,
              guint16         *port,
              GError         **error)
{
  const char *colon = strrchr (text, ':');
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

  *address = g_inet_address_new_from_string (host);
  if (*address == NULL)
    goto invalid;

  if (!g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    {
      g_clear_object (address);
      goto invalid;
    }

  *port = (guint16) value;
  return TRUE;

invalid:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--listen wants a numeric HOST:PORT, such as 127.0.0.1:8080, not “%s”", text);
  return FALSE;
}

/* Makes the listening socket here, with a real backlog, and hands it to
 * libsoup. Returns the socket's actual address (the port when 0 was asked). */
static GInetSocketAddress *
listen_on (SoupServer    *soup,
           GInetAddress  *address,
           guint16        port,
           GError       **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) wanted = g_inet_socket_address_new (address, port);

  socket = g_socket_new (g_inet_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;

  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, wanted, TRUE, error) ||
      !g_socket_listen (socket, error) ||
      !soup_server_listen_socket (soup, socket, 0, error))
    return NULL;

  return G_INET_SOCKET_ADDRESS (g_socket_get_local_address (socket, error));
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

  if (!ts_store_purge_expired (server->store, ts_now (), &error))
    g_warning ("Could not remove expired sessions: %s", error->message);

  return G_SOURCE_CONTINUE;
}

static int
run (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GInetSocketAddress) bound = NULL;
  g_autofree char *host = NULL;
  g_autofree char *folder = NULL;
  TsServer server = { 0 };
  guint16 port = 0;
  guint purge_id;

  if (opt_database == NULL)
    {
      g_printerr ("tokens-server: --database PATH is required (see --help)\n");
      return 2;
    }

  if (!parse_listen (opt_listen ? opt_listen : "127.0.0.1:8080", &address, &port, &error))
    {
      g_printerr ("tokens-server: %s\n", error->message);
      return 2;
    }

  /* The database holds hashes, not secrets, but still nobody else's
   * business: the file, its WAL and its folder are the owner's only. */
  umask (077);
  folder = g_path_get_dirname (opt_database);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      g_printerr ("tokens-server: cannot create %s: %s\n", folder, g_strerror (errno));
      return 1;
    }

  server.store = ts_store_open (opt_database, &error);
  if (server.store == NULL)
    {
      g_printerr ("tokens-server: %s\n", error->message);
      return 1;
    }

  server.allow_signup = opt_allow_signup;
  server.router = ts_router_new ();
  server.passwords = ts_passwords_new ();
  server.account_limiter = ts_rate_limiter_new (TS_ACCOUNT_ATTEMPTS, TS_ATTEMPT_WINDOW);
  server.address_limiter = ts_rate_limiter_new (TS_ADDRESS_ATTEMPTS, TS_ATTEMPT_WINDOW);
  server.soup = soup_server_new ("server-header", "tokens-server", NULL);
  ts_router_attach (server.router, &server);

  purge_cb (&server);

  bound = listen_on (server.soup, address, port, &error);
  if (bound == NULL)
    {
      g_printerr ("tokens-server: cannot listen on %s: %s\n",
                  opt_listen ? opt_listen : "127.0.0.1:8080", error->message);
      g_clear_object (&server.soup);
      ts_passwords_free (server.passwords);
      ts_router_free (server.router);
      ts_rate_limiter_free (server.account_limiter);
      ts_rate_limiter_free (server.address_limiter);
      ts_store_free (server.store);
      return 1;
    }

  /* Before the line that says we are up: whoever reads it may stop us
   * at once, and that must be the clean stop, not the default action. */
  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);

  host = g_inet_address_to_string (g_inet_socket_address_get_address (bound));
  if (g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6)
    printf ("listening on http://[%s]:%u\n", host, g_inet_socket_address_get_port (bound));
  else
    printf ("listening on http://%s:%u\n", host, g_inet_socket_address_get_port (bound));
  fflush (stdout);

  purge_id = g_timeout_add_seconds (PURGE_INTERVAL, purge_cb, &server);

  g_main_loop_run (loop);

  g_message ("Stopping");
  g_source_remove (purge_id);
  /* Answers waiting on a password hash are delivered first, while the
   * server and the store are still there to deliver them. */
  ts_passwords_free (server.passwords);
  soup_server_disconnect (server.soup);
  g_clear_object (&server.soup);
  ts_router_free (server.router);
  ts_rate_limiter_free (server.account_limiter);
  ts_rate_limiter_free (server.address_limiter);
  ts_store_free (server.store);

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

  context = g_option_context_new ("— the Tokens service");
  g_option_context_set_summary (context,
    "Serves the Tokens REST API (data/tokens-api.yaml) over HTTP, with its data in SQLite.\n"
    "The first line on stdout is “listening on http://HOST:PORT”. SIGTERM or SIGINT stop it.");
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
  g_clear_pointer (&opt_listen, g_free);
  return status;
}
