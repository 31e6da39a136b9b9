/* test-local-service.c — "This computer": the tokens-server the app runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real tokens-server of the build (TOKENS_SERVER_BIN), over real HTTP,
 * with XDG_DATA_HOME in a fresh temporary folder. (Not
 * G_TEST_OPTION_ISOLATE_DIRS: GLib 2.74 leaks its strings, which fails
 * the sanitizer build, and it hides the system's GSettings schemas.)
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "tokens.h"
#include "tokens-local-service-private.h"
#include "test-lib-util.h"

static char *server_bin;

/* A process is gone once it no longer exists or is a zombie nobody reaps. */
static gboolean
process_is_gone (GPid pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *close_paren;

  if (kill (pid, 0) != 0 && errno == ESRCH)
    return TRUE;

  if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
    return TRUE;
  close_paren = strrchr (stat, ')');

  return close_paren != NULL && close_paren[1] == ' ' && close_paren[2] == 'Z';
}

static gboolean
pid_gone_predicate (gpointer data)
{
  return process_is_gone (GPOINTER_TO_INT (data));
}

static void
start (TokensLocalService *service)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tokens_local_service_start_async (service, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_local_service_start_finish (service, AWAIT (result), &error));
  g_assert_no_error (error);
}

static char *
get_health (const char *url)
{
  /* A proxy has nothing to do with loopback. */
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autofree char *uri = g_strconcat (url, "/v1/health", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    test_lib_got_result, &result);
  body = soup_session_send_and_read_finish (session, AWAIT (result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);

  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
count_cb (guint *count)
{
  (*count)++;
}

static void
test_starts_on_loopback_and_answers_health (void)
{
  g_autoptr(TokensLocalService) service = tokens_local_service_new ();
  g_autofree char *health = NULL;
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "org.example.Tokens", NULL);
  g_autofree char *database = g_build_filename (data_dir, "tokens.db", NULL);
  guint url_notified = 0;
  GStatBuf st;

  g_signal_connect_swapped (service, "notify::url", G_CALLBACK (count_cb), &url_notified);
  g_assert_false (tokens_local_service_get_running (service));
  g_assert_cmpstr (tokens_local_service_get_database (service), ==, database);

  start (service);

  g_assert_true (tokens_local_service_get_running (service));
  g_assert_true (g_str_has_prefix (tokens_local_service_get_url (service), "http://127.0.0.1:"));
  g_assert_cmpuint (url_notified, ==, 1);
  g_assert_null (tokens_local_service_get_error (service));

  health = get_health (tokens_local_service_get_url (service));
  g_assert_nonnull (strstr (health, "ok"));

  /* Its data folder is the user's alone. */
  g_assert_cmpint (g_stat (data_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* Asking again while it runs changes nothing. */
  start (service);
  g_assert_cmpuint (url_notified, ==, 1);
}

typedef struct
{
  TokensLocalService *service;
  GPid                old_pid;
} CameBack;

static gboolean
came_back_predicate (gpointer data)
{
  CameBack *came_back = data;

  GPid pid = tokens_local_service_get_pid (came_back->service);

  /* The old process may be reaped before the service hears of it. */
  return tokens_local_service_get_running (came_back->service) &&
         pid != 0 && pid != came_back->old_pid;
}

static void
test_killed_server_comes_back_and_url_is_notified (void)
{
  g_autoptr(TokensLocalService) service = tokens_local_service_new ();
  g_autofree char *health = NULL;
  CameBack came_back = { service, 0 };
  guint url_notified = 0;
  GPid first_pid;

  start (service);
  first_pid = tokens_local_service_get_pid (service);
  g_assert_cmpint (first_pid, >, 0);
  came_back.old_pid = first_pid;
  g_signal_connect_swapped (service, "notify::url", G_CALLBACK (count_cb), &url_notified);

  g_assert_cmpint (kill (first_pid, SIGKILL), ==, 0);

  /* It goes away (url unset, notified), then comes back (notified again). */
  g_assert_true (test_lib_wait_for (pid_gone_predicate, GINT_TO_POINTER (first_pid), 5000));
  g_assert_true (test_lib_wait_for (came_back_predicate, &came_back, 5000));
  g_assert_cmpint (tokens_local_service_get_pid (service), !=, first_pid);
  g_assert_cmpuint (url_notified, ==, 2);
  g_assert_null (tokens_local_service_get_error (service));

  health = get_health (tokens_local_service_get_url (service));
  g_assert_nonnull (strstr (health, "ok"));
}

static void
test_stop_ends_the_process (void)
{
  g_autoptr(TokensLocalService) service = tokens_local_service_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPid pid;

  start (service);
  pid = tokens_local_service_get_pid (service);

  tokens_local_service_stop_async (service, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_local_service_stop_finish (service, AWAIT (result), &error));
  g_assert_no_error (error);

  g_assert_false (tokens_local_service_get_running (service));
  g_assert_null (tokens_local_service_get_url (service));
  g_assert_true (test_lib_wait_for (pid_gone_predicate, GINT_TO_POINTER (pid), 5000));
  /* A clean stop is no failure. */
  g_assert_null (tokens_local_service_get_error (service));

  /* And it can be started again. */
  start (service);
  g_assert_true (tokens_local_service_get_running (service));
}

static void
test_server_does_not_outlive_the_service_object (void)
{
  TokensLocalService *service = tokens_local_service_new ();
  GPid pid;

  start (service);
  pid = tokens_local_service_get_pid (service);
  g_assert_false (process_is_gone (pid));

  g_object_unref (service);
  g_assert_true (test_lib_wait_for (pid_gone_predicate, GINT_TO_POINTER (pid), 5000));
}

static void
test_server_dies_when_the_app_is_killed (void)
{
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *self_exe = NULL;
  GPid pid;

  if (g_test_subprocess ())
    {
      TokensLocalService *service = tokens_local_service_new ();

      start (service);
      g_print ("server-pid=%d\n", tokens_local_service_get_pid (service));
      /* Wait to be killed. */
      for (;;)
        g_main_context_iteration (NULL, TRUE);
    }

  /* An "app" that starts the service and is then killed with SIGKILL:
   * no dispose runs, only the kernel's PR_SET_PDEATHSIG can stop it. */
  self_exe = g_file_read_link ("/proc/self/exe", &error);
  g_assert_no_error (error);
  app = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                          self_exe,
                          "-p", "/local-service/server-dies-when-the-app-is-killed",
                          "--GTestSubprocess", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (app));
  /* The test framework may print the test's name before it on the line. */
  do
    {
      g_free (line);
      line = g_data_input_stream_read_line (out, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (line);
    }
  while (strstr (line, "server-pid=") == NULL);
  pid = (GPid) g_ascii_strtoll (strstr (line, "server-pid=") + strlen ("server-pid="), NULL, 10);
  g_assert_cmpint (pid, >, 0);
  g_assert_false (process_is_gone (pid));

  g_subprocess_force_exit (app);
  g_subprocess_wait (app, NULL, NULL);

  g_assert_true (test_lib_wait_for (pid_gone_predicate, GINT_TO_POINTER (pid), 5000));
}

static void
test_missing_binary_is_reported_at_once (void)
{
  g_autoptr(TokensLocalService) service = tokens_local_service_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint error_notified = 0;

  g_setenv ("TOKENS_SERVER_BIN", "/nonexistent/tokens-server", TRUE);
  g_signal_connect_swapped (service, "notify::error", G_CALLBACK (count_cb), &error_notified);

  tokens_local_service_start_async (service, NULL, test_lib_got_result, &result);
  g_assert_false (tokens_local_service_start_finish (service, AWAIT (result), &error));
  g_setenv ("TOKENS_SERVER_BIN", server_bin, TRUE);

  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_LOCAL_SERVICE);
  g_assert_cmpstr (error->message, ==, "The token service on this computer could not be started.");
  g_assert_false (tokens_local_service_get_running (service));
  g_assert_null (tokens_local_service_get_url (service));
  g_assert_nonnull (tokens_local_service_get_error (service));
  g_assert_cmpuint (error_notified, ==, 1);

  /* Retry, once the program is there, works and clears the error. */
  start (service);
  g_assert_true (tokens_local_service_get_running (service));
  g_assert_null (tokens_local_service_get_error (service));
}

static void
test_unusable_data_folder_is_reported (void)
{
  g_autofree char *file = g_build_filename (g_get_user_data_dir (), "not-a-folder", NULL);
  g_autofree char *database = g_build_filename (file, "sub", "tokens.db", NULL);
  g_autoptr(TokensLocalService) service = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Root may write anywhere, so the folder is made impossible rather than
   * forbidden: its parent is a plain file. */
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_data_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  service = tokens_local_service_new_for_database (database);

  tokens_local_service_start_async (service, NULL, test_lib_got_result, &result);
  g_assert_false (tokens_local_service_start_finish (service, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_LOCAL_SERVICE);
  g_assert_false (tokens_local_service_get_running (service));
}

static void
test_server_that_never_listens_is_reported (void)
{
  g_autoptr(TokensLocalService) service = tokens_local_service_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Runs and exits at once without saying where it listens. */
  g_setenv ("TOKENS_SERVER_BIN", "/bin/true", TRUE);
  tokens_local_service_start_async (service, NULL, test_lib_got_result, &result);
  g_assert_false (tokens_local_service_start_finish (service, AWAIT (result), &error));
  g_setenv ("TOKENS_SERVER_BIN", server_bin, TRUE);

  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_LOCAL_SERVICE);
  g_assert_false (tokens_local_service_get_running (service));
}

static gboolean
has_error_predicate (gpointer data)
{
  return tokens_local_service_get_error (data) != NULL;
}

static void
test_server_that_keeps_dying_is_given_up_with_an_error (void)
{
  g_autoptr(TokensLocalService) service = tokens_local_service_new ();
  const GError *error;
  GPid pid;

  start (service);
  pid = tokens_local_service_get_pid (service);

  /* From now on every restart fails at once. */
  g_setenv ("TOKENS_SERVER_BIN", "/bin/false", TRUE);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);

  g_assert_true (test_lib_wait_for (has_error_predicate, service, 10000));
  g_setenv ("TOKENS_SERVER_BIN", server_bin, TRUE);

  error = tokens_local_service_get_error (service);
  g_assert_error ((GError *) error, TOKENS_ERROR, TOKENS_ERROR_LOCAL_SERVICE);
  g_assert_cmpstr (error->message, ==,
                   "The token service on this computer keeps stopping, so it was not started again.");
  g_assert_false (tokens_local_service_get_running (service));

  /* Retry */
  start (service);
  g_assert_true (tokens_local_service_get_running (service));
  g_assert_null (tokens_local_service_get_error (service));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int ret;

  /* Before anything reads it: GLib keeps the first value it sees. */
  data_home = g_dir_make_tmp ("tokens-local-service-XXXXXX", NULL);
  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  test_lib_init (&argc, &argv);
  server_bin = g_strdup (g_getenv ("TOKENS_SERVER_BIN"));
  g_assert_nonnull (server_bin);

  g_test_add_func ("/local-service/starts-on-loopback-and-answers-health",
                   test_starts_on_loopback_and_answers_health);
  g_test_add_func ("/local-service/killed-server-comes-back-and-url-is-notified",
                   test_killed_server_comes_back_and_url_is_notified);
  g_test_add_func ("/local-service/stop-ends-the-process",
                   test_stop_ends_the_process);
  g_test_add_func ("/local-service/server-does-not-outlive-the-service-object",
                   test_server_does_not_outlive_the_service_object);
  g_test_add_func ("/local-service/server-dies-when-the-app-is-killed",
                   test_server_dies_when_the_app_is_killed);
  g_test_add_func ("/local-service/missing-binary-is-reported-at-once",
                   test_missing_binary_is_reported_at_once);
  g_test_add_func ("/local-service/unusable-data-folder-is-reported",
                   test_unusable_data_folder_is_reported);
  g_test_add_func ("/local-service/server-that-never-listens-is-reported",
                   test_server_that_never_listens_is_reported);
  g_test_add_func ("/local-service/server-that-keeps-dying-is-given-up-with-an-error",
                   test_server_that_keeps_dying_is_given_up_with_an_error);

  ret = g_test_run ();
  g_free (server_bin);
  test_lib_remove_tree (data_home);

  return ret;
}
