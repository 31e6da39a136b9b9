/* test-server-lifecycle.c — the server starts, answers, and stops cleanly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <sys/wait.h>
#include <string.h>

#include <libsoup/soup.h>

#include "tokens-test-server.h"

static void
test_listens_on_ephemeral_port_and_stops_on_sigterm (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (tokens_test_server_get_url (server), "/v1/health", NULL);

  g_assert_true (g_str_has_prefix (tokens_test_server_get_url (server), "http://127.0.0.1:"));
  g_assert_false (g_str_has_suffix (tokens_test_server_get_url (server), ":0"));

  msg = soup_message_new ("GET", url);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                   ==, "application/json");

  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);
}

static void
test_stops_cleanly_on_sigint (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new (NULL);
  GPid pid = tokens_test_server_get_pid (server);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strconcat (tokens_test_server_get_url (server), "/v1/health", NULL);

  msg = soup_message_new ("GET", url);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "{\"status\": \"ok\"}", 16);

  /* SIGINT first; the SIGTERM that stop() sends then finds it gone or
   * going, and the exit status is still the clean one. */
  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (kill (pid, SIGINT), ==, 0);
  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);
}

static char *
run_server (const char * const *args,
            int                *exit_status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TOKENS_SERVER_BIN"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, &err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  *exit_status = WEXITSTATUS (wait_status);

  /* --help goes to stdout, errors to stderr: give back both. */
  return g_strconcat (out, err, NULL);
}

static void
test_help_documents_every_option (void)
{
  const char *args[] = { "--help", NULL };
  g_autofree char *text = NULL;
  int status;

  text = run_server (args, &status);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (text, "--database=PATH"));
  g_assert_nonnull (strstr (text, "--listen=HOST:PORT"));
  g_assert_nonnull (strstr (text, "--allow-signup"));
  g_assert_nonnull (strstr (text, "--list-routes"));
}

static void
test_bad_command_lines_exit_2 (void)
{
  const char *no_database[] = { "--listen", "127.0.0.1:0", NULL };
  const char *bad_listen[] = { "--database", "/nonexistent/x.db", "--listen", "localhost:http", NULL };
  const char *bad_port[] = { "--database", "/nonexistent/x.db", "--listen", "127.0.0.1:70000", NULL };
  const char *unknown[] = { "--frobnicate", NULL };
  const char *const *cases[] = { no_database, bad_listen, bad_port, unknown };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = NULL;
      int status;

      text = run_server (cases[i], &status);
      g_assert_cmpint (status, ==, 2);
      g_assert_true (g_str_has_prefix (text, "tokens-server: "));
      g_assert_null (strstr (text, "listening on"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/lifecycle/listens-on-ephemeral-port-and-stops-on-sigterm",
                   test_listens_on_ephemeral_port_and_stops_on_sigterm);

  g_test_add_func ("/server/lifecycle/stops-cleanly-on-sigint", test_stops_cleanly_on_sigint);
  g_test_add_func ("/server/lifecycle/help-documents-every-option", test_help_documents_every_option);
  g_test_add_func ("/server/lifecycle/bad-command-lines-exit-2", test_bad_command_lines_exit_2);

  return g_test_run ();
}
