/* test-server-lifecycle.c — the server starts, answers, and stops cleanly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/lifecycle/listens-on-ephemeral-port-and-stops-on-sigterm",
                   test_listens_on_ephemeral_port_and_stops_on_sigterm);

  return g_test_run ();
}
