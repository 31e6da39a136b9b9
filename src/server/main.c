/* main.c — tokens-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <glib-unix.h>
#include <libsoup/soup.h>

#include "tokens.h"

static char *opt_database;
static char *opt_listen;
static gboolean opt_allow_signup;

static const GOptionEntry entries[] = {
  { "database", 0, 0, G_OPTION_ARG_FILENAME, &opt_database, "SQLite database file (created if missing)", "PATH" },
  { "listen", 0, 0, G_OPTION_ARG_STRING, &opt_listen, "Address to listen on; port 0 picks a free port", "HOST:PORT" },
  { "allow-signup", 0, 0, G_OPTION_ARG_NONE, &opt_allow_signup, "Allow anyone to create an account", NULL },
  { NULL }
};

static void
health_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  static const char body[] = "{\"status\": \"ok\"}";

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, body, sizeof body - 1);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(GSList) uris = NULL;
  g_autofree char *uri = NULL;

  context = g_option_context_new ("— the Tokens service");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tokens-server: %s\n", error->message);
      return 2;
    }

  if (opt_listen == NULL)
    opt_listen = g_strdup ("127.0.0.1:8080");

  address = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string ("127.0.0.1", 0));
  server = soup_server_new ("server-header", "tokens-server", NULL);
  soup_server_add_handler (server, "/v1/health", health_cb, NULL, NULL);
  if (!soup_server_listen (server, G_SOCKET_ADDRESS (address), 0, &error))
    {
      g_printerr ("tokens-server: %s\n", error->message);
      return 1;
    }

  uris = soup_server_get_uris (server);
  uri = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  if (g_str_has_suffix (uri, "/"))
    uri[strlen (uri) - 1] = '\0';
  printf ("listening on %s\n", uri);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);

  soup_server_disconnect (server);
  return 0;
}
