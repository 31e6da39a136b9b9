/* tokens-local-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "This computer": the tokens-server the app runs for itself, on
 * 127.0.0.1 with a port the kernel picks, its database under
 * $XDG_DATA_HOME/org.example.Tokens/. The server prints
 * `listening on http://127.0.0.1:NNNNN` as its first line; that line,
 * read asynchronously, is the only way the port is learnt, so nobody has
 * to know it.
 *
 * A server that dies while the app runs is started again after a short
 * backoff (its url changes and is notified); one that keeps dying is
 * left alone after MAX_FAILURES failures within FAILURE_WINDOW, with the
 * `error` property set for the UI to say so and offer Retry (which is
 * tokens_local_service_start_async() again). A start the caller asked for
 * that fails is reported at once rather than retried: the caller is
 * waiting, and Retry is theirs to offer.
 *
 * The server must not outlive the app: it is sent SIGTERM on stop and on
 * dispose, and on Linux the kernel sends it SIGTERM when the app dies
 * (PR_SET_PDEATHSIG), even when the app is killed.
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
# include <sys/prctl.h>
#endif

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "tokens-error.h"
#include "tokens-local-service.h"
#include "tokens-local-service-private.h"

#define LISTENING_PREFIX       "listening on http://127.0.0.1:"
#define FIRST_LINE_TIMEOUT_S   15
#define STOP_TIMEOUT_S         5
#define MAX_FAILURES           5
#define FAILURE_WINDOW_US      (60 * G_USEC_PER_SEC)
#define BACKOFF_BASE_MS        100
#define BACKOFF_MAX_MS         5000

typedef enum
{
  STATE_STOPPED,
  STATE_STARTING,
  STATE_RUNNING,
  STATE_BACKOFF,
  STATE_STOPPING,
  STATE_FAILED,
} State;

struct _TokensLocalService
{
  GObject           parent_instance;

  char             *database;
  char             *url;
  GError           *error;
  State             state;

  GSubprocess      *process;
  GDataInputStream *out;
  GCancellable     *run_cancellable;  /* the reads of the current process */
  GCancellable     *cancellable;      /* the service's life: dispose cancels */
  gboolean          restarting;       /* the current start is an automatic one */
  GArray           *failures;         /* gint64, monotonic time of each recent failure */

  GQueue            start_tasks;
  GQueue            stop_tasks;

  guint             restart_source;
  guint             first_line_source;
  guint             kill_source;
};

enum {
  PROP_0,
  PROP_DATABASE,
  PROP_URL,
  PROP_RUNNING,
  PROP_ERROR,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensLocalService, tokens_local_service, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void spawn (TokensLocalService *self);

static void
set_url (TokensLocalService *self,
         const char         *url)
{
  gboolean was_running = self->url != NULL;

  if (g_strcmp0 (self->url, url) == 0)
    return;

  g_free (self->url);
  self->url = g_strdup (url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);

  if (was_running != (self->url != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
set_error (TokensLocalService *self,
           GError             *error)
{
  if (self->error == NULL && error == NULL)
    return;

  g_clear_error (&self->error);
  self->error = error;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

static void
complete_tasks (GQueue       *queue,
                const GError *error)
{
  GTask *task;

  while ((task = g_queue_pop_head (queue)))
    {
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

static void
clear_source (guint *source)
{
  if (*source != 0)
    {
      g_source_remove (*source);
      *source = 0;
    }
}

static char *
find_server (void)
{
  g_autofree char *exe = NULL;
  const char *env = g_getenv ("TOKENS_SERVER_BIN");

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  if (g_file_test (BINDIR "/tokens-server", G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (BINDIR "/tokens-server");

  /* A build or an unpacked tree run from where it lies. */
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (exe);
      g_autofree char *beside = g_build_filename (dir, "tokens-server", NULL);

      if (g_file_test (beside, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&beside);
    }

  /* Spawning it fails with an error that names it. */
  return g_strdup (BINDIR "/tokens-server");
}

#ifdef __linux__
static void
child_setup (gpointer user_data)
{
  pid_t parent = GPOINTER_TO_INT (user_data);

  /* Only async-signal-safe calls here: this runs between fork and exec. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  /* The app may have died before prctl took effect. */
  if (getppid () != parent)
    _exit (1);
}
#endif

static void
fail (TokensLocalService *self,
      const char         *message)
{
  g_autoptr(GError) error = g_error_new_literal (TOKENS_ERROR, TOKENS_ERROR_LOCAL_SERVICE, message);

  clear_source (&self->restart_source);
  self->state = STATE_FAILED;
  set_error (self, g_error_copy (error));
  complete_tasks (&self->start_tasks, error);
}

static gboolean
restart_cb (gpointer user_data)
{
  TokensLocalService *self = user_data;

  self->restart_source = 0;
  spawn (self);

  return G_SOURCE_REMOVE;
}

/* The current process is gone, or never started: after a start the caller
 * asked for, say so; after a crash, try again later, or give up. */
static void
run_ended (TokensLocalService *self,
           const char         *why)
{
  gint64 now = g_get_monotonic_time ();
  guint n;

  g_message ("The local token service %s", why);

  if (!self->restarting)
    {
      fail (self, tokens_error_describe (TOKENS_ERROR_LOCAL_SERVICE));
      return;
    }

  for (n = 0; n < self->failures->len; n++)
    {
      if (now - g_array_index (self->failures, gint64, n) < FAILURE_WINDOW_US)
        break;
    }
  g_array_remove_range (self->failures, 0, n);
  g_array_append_val (self->failures, now);

  if (self->failures->len >= MAX_FAILURES)
    {
      fail (self, _("The token service on this computer keeps stopping, so it was not started again."));
      return;
    }

  self->state = STATE_BACKOFF;
  self->restart_source =
    g_timeout_add (MIN (BACKOFF_BASE_MS << (self->failures->len - 1), BACKOFF_MAX_MS),
                   restart_cb, self);
}

static void
end_process (TokensLocalService *self)
{
  if (self->run_cancellable != NULL)
    g_cancellable_cancel (self->run_cancellable);
  g_clear_object (&self->run_cancellable);
  g_clear_object (&self->out);
  g_clear_object (&self->process);
  clear_source (&self->first_line_source);
  clear_source (&self->kill_source);
  set_url (self, NULL);
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GSubprocess *process = G_SUBPROCESS (object);
  TokensLocalService *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;

  /* Cancelled only by dispose: then self is gone. */
  if (!g_subprocess_wait_finish (process, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = TOKENS_LOCAL_SERVICE (user_data);
  if (process != self->process)
    return;

  if (g_subprocess_get_if_signaled (process))
    why = g_strdup_printf ("was killed by signal %d", g_subprocess_get_term_sig (process));
  else
    why = g_strdup_printf ("exited with status %d", g_subprocess_get_exit_status (process));

  /* A server that ran and died is restarted; one that never got to run
   * fails the start that is waiting for it (run_ended()). */
  if (self->state == STATE_RUNNING)
    self->restarting = TRUE;

  end_process (self);

  if (self->state == STATE_STOPPING)
    {
      self->state = STATE_STOPPED;
      complete_tasks (&self->stop_tasks, NULL);
      /* Someone asked to start while it was stopping. */
      if (!g_queue_is_empty (&self->start_tasks))
        {
          self->restarting = FALSE;
          spawn (self);
        }
      return;
    }

  run_ended (self, why);
}

static void
drain_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GDataInputStream *out = G_DATA_INPUT_STREAM (object);
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  TokensLocalService *self;

  /* The rest of stdout is read so the server never blocks on a full pipe,
   * and dropped unread: the log is the server's stderr. */
  line = g_data_input_stream_read_line_finish (out, result, NULL, &error);
  if (line == NULL)
    return;

  self = TOKENS_LOCAL_SERVICE (user_data);
  g_data_input_stream_read_line_async (out, G_PRIORITY_LOW, self->run_cancellable, drain_cb, self);
}

static void
first_line_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GDataInputStream *out = G_DATA_INPUT_STREAM (object);
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  TokensLocalService *self;
  guint64 port = 0;

  line = g_data_input_stream_read_line_finish_utf8 (out, result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = TOKENS_LOCAL_SERVICE (user_data);
  if (out != self->out)
    return;

  clear_source (&self->first_line_source);

  /* Stopped while starting: it is on its way out, whatever it says. */
  if (self->state != STATE_STARTING)
    return;

  if (line == NULL ||
      !g_str_has_prefix (line, LISTENING_PREFIX) ||
      !g_ascii_string_to_unsigned (line + strlen (LISTENING_PREFIX), 10, 1, G_MAXUINT16, &port, NULL))
    {
      /* wait_cb takes it from here, once the process is gone. */
      g_debug ("The local token service did not say where it listens");
      g_subprocess_force_exit (self->process);
      return;
    }

  url = g_strdup_printf ("http://127.0.0.1:%u", (guint) port);
  g_debug ("The local token service listens on %s", url);

  self->state = STATE_RUNNING;
  set_error (self, NULL);
  set_url (self, url);
  complete_tasks (&self->start_tasks, NULL);

  g_data_input_stream_read_line_async (out, G_PRIORITY_LOW, self->run_cancellable, drain_cb, self);
}

static gboolean
first_line_timeout_cb (gpointer user_data)
{
  TokensLocalService *self = user_data;

  self->first_line_source = 0;
  g_debug ("The local token service did not start listening in time");
  g_subprocess_force_exit (self->process);

  return G_SOURCE_REMOVE;
}

static gboolean
kill_timeout_cb (gpointer user_data)
{
  TokensLocalService *self = user_data;

  self->kill_source = 0;
  g_debug ("The local token service did not stop on SIGTERM; killing it");
  g_subprocess_force_exit (self->process);

  return G_SOURCE_REMOVE;
}

static void
spawn (TokensLocalService *self)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *server = find_server ();
  g_autofree char *dir = g_path_get_dirname (self->database);

  self->state = STATE_STARTING;

  /* Only the user may read the database: it holds the accounts' hashes. */
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_autofree char *why = g_strdup_printf ("could not create %s: %s", dir, g_strerror (saved_errno));

      run_ended (self, why);
      return;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
#ifdef __linux__
  g_subprocess_launcher_set_child_setup (launcher, child_setup, GINT_TO_POINTER (getpid ()), NULL);
#endif

  self->process = g_subprocess_launcher_spawn (launcher, &error,
                                               server,
                                               "--database", self->database,
                                               "--listen", "127.0.0.1:0",
                                               "--allow-signup",
                                               NULL);
  if (self->process == NULL)
    {
      g_autofree char *why = g_strdup_printf ("could not be started: %s", error->message);

      run_ended (self, why);
      return;
    }

  g_debug ("Started the local token service, %s (pid %s)",
           server, g_subprocess_get_identifier (self->process));

  self->run_cancellable = g_cancellable_new ();
  self->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_read_line_async (self->out, G_PRIORITY_DEFAULT, self->run_cancellable,
                                       first_line_cb, self);
  g_subprocess_wait_async (self->process, self->cancellable, wait_cb, self);
  self->first_line_source = g_timeout_add_seconds (FIRST_LINE_TIMEOUT_S, first_line_timeout_cb, self);
}

static void
tokens_local_service_constructed (GObject *object)
{
  TokensLocalService *self = (TokensLocalService *)object;

  G_OBJECT_CLASS (tokens_local_service_parent_class)->constructed (object);

  if (self->database == NULL)
    self->database = g_build_filename (g_get_user_data_dir (), APP_ID, "tokens.db", NULL);
}

static void
tokens_local_service_dispose (GObject *object)
{
  TokensLocalService *self = (TokensLocalService *)object;

  /* Nothing may outlive the app. GSubprocess reaps the process itself
   * once it exits, so there is no need to wait for it here. */
  if (self->process != NULL)
    g_subprocess_send_signal (self->process, SIGTERM);

  g_cancellable_cancel (self->cancellable);
  end_process (self);
  clear_source (&self->restart_source);

  G_OBJECT_CLASS (tokens_local_service_parent_class)->dispose (object);
}

static void
tokens_local_service_finalize (GObject *object)
{
  TokensLocalService *self = (TokensLocalService *)object;

  g_assert (g_queue_is_empty (&self->start_tasks));
  g_assert (g_queue_is_empty (&self->stop_tasks));

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->failures, g_array_unref);
  g_clear_pointer (&self->database, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (tokens_local_service_parent_class)->finalize (object);
}

static void
tokens_local_service_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  TokensLocalService *self = TOKENS_LOCAL_SERVICE (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      g_value_set_string (value, self->database);
      break;

    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    case PROP_RUNNING:
      g_value_set_boolean (value, self->url != NULL);
      break;

    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_local_service_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TokensLocalService *self = TOKENS_LOCAL_SERVICE (object);

  switch (prop_id)
    {
    case PROP_DATABASE:
      self->database = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_local_service_class_init (TokensLocalServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tokens_local_service_constructed;
  object_class->dispose = tokens_local_service_dispose;
  object_class->finalize = tokens_local_service_finalize;
  object_class->get_property = tokens_local_service_get_property;
  object_class->set_property = tokens_local_service_set_property;

  /* The SQLite file; %NULL means $XDG_DATA_HOME/org.example.Tokens/tokens.db. */
  properties[PROP_DATABASE] =
    g_param_spec_string ("database", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Where the service answers now, or %NULL while it is not running. The
   * port changes with every start. */
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE |
                           G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Set when the service could not be started or kept running, with a
   * sentence for people; the UI offers Retry. Cleared once it runs. */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READABLE |
                         G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_local_service_init (TokensLocalService *self)
{
  self->cancellable = g_cancellable_new ();
  self->failures = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_queue_init (&self->start_tasks);
  g_queue_init (&self->stop_tasks);
}

/**
 * tokens_local_service_new:
 *
 * Returns: (transfer full): the service "This computer", not started yet,
 *   on $XDG_DATA_HOME/org.example.Tokens/tokens.db
 */
TokensLocalService *
tokens_local_service_new (void)
{
  return g_object_new (TOKENS_TYPE_LOCAL_SERVICE, NULL);
}

/**
 * tokens_local_service_new_for_database:
 * @database: a database file; its folder is made if missing
 *
 * Returns: (transfer full): a local service on @database, not started yet
 */
TokensLocalService *
tokens_local_service_new_for_database (const char *database)
{
  g_return_val_if_fail (database != NULL, NULL);

  return g_object_new (TOKENS_TYPE_LOCAL_SERVICE,
                       "database", database,
                       NULL);
}

const char *
tokens_local_service_get_database (TokensLocalService *self)
{
  g_return_val_if_fail (TOKENS_IS_LOCAL_SERVICE (self), NULL);

  return self->database;
}

/**
 * tokens_local_service_get_url:
 *
 * Returns: (nullable): where the service answers now, such as
 *   `http://127.0.0.1:40123`, or %NULL while it is not running
 */
const char *
tokens_local_service_get_url (TokensLocalService *self)
{
  g_return_val_if_fail (TOKENS_IS_LOCAL_SERVICE (self), NULL);

  return self->url;
}

gboolean
tokens_local_service_get_running (TokensLocalService *self)
{
  g_return_val_if_fail (TOKENS_IS_LOCAL_SERVICE (self), FALSE);

  return self->url != NULL;
}

/**
 * tokens_local_service_get_error:
 *
 * Returns: (nullable): why the service is not running, when it could not
 *   be started or kept running (%TOKENS_ERROR_LOCAL_SERVICE)
 */
const GError *
tokens_local_service_get_error (TokensLocalService *self)
{
  g_return_val_if_fail (TOKENS_IS_LOCAL_SERVICE (self), NULL);

  return self->error;
}

/**
 * tokens_local_service_start_async:
 *
 * Starts the service, or waits until the start under way is done; when it
 * runs already, completes at once. After a failure this is Retry: it
 * starts afresh. The service keeps starting when @cancellable is
 * cancelled; only this caller stops waiting.
 */
void
tokens_local_service_start_async (TokensLocalService  *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TOKENS_IS_LOCAL_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tokens_local_service_start_async);

  switch (self->state)
    {
    case STATE_RUNNING:
      g_task_return_boolean (task, TRUE);
      break;

    case STATE_STARTING:
    case STATE_BACKOFF:
    case STATE_STOPPING:
      g_queue_push_tail (&self->start_tasks, g_steal_pointer (&task));
      break;

    case STATE_STOPPED:
    case STATE_FAILED:
    default:
      g_queue_push_tail (&self->start_tasks, g_steal_pointer (&task));
      g_array_set_size (self->failures, 0);
      set_error (self, NULL);
      self->restarting = FALSE;
      spawn (self);
      break;
    }
}

/**
 * tokens_local_service_start_finish:
 *
 * Returns: %TRUE once the service answers at tokens_local_service_get_url();
 *   else %FALSE with %TOKENS_ERROR_LOCAL_SERVICE
 */
gboolean
tokens_local_service_start_finish (TokensLocalService  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (TOKENS_IS_LOCAL_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tokens_local_service_stop_async:
 *
 * Stops the service: SIGTERM, then SIGKILL if it has not exited within a
 * few seconds. Completes once the process is gone.
 */
void
tokens_local_service_stop_async (TokensLocalService  *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) stopped = NULL;

  g_return_if_fail (TOKENS_IS_LOCAL_SERVICE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tokens_local_service_stop_async);

  /* Whoever waits for a start learns that it will not happen. */
  stopped = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 "The local service was stopped");

  switch (self->state)
    {
    case STATE_STARTING:
    case STATE_RUNNING:
      self->state = STATE_STOPPING;
      complete_tasks (&self->start_tasks, stopped);
      g_queue_push_tail (&self->stop_tasks, g_steal_pointer (&task));
      g_subprocess_send_signal (self->process, SIGTERM);
      self->kill_source = g_timeout_add_seconds (STOP_TIMEOUT_S, kill_timeout_cb, self);
      break;

    case STATE_STOPPING:
      g_queue_push_tail (&self->stop_tasks, g_steal_pointer (&task));
      break;

    case STATE_BACKOFF:
      clear_source (&self->restart_source);
      self->state = STATE_STOPPED;
      complete_tasks (&self->start_tasks, stopped);
      g_task_return_boolean (task, TRUE);
      break;

    case STATE_STOPPED:
    case STATE_FAILED:
    default:
      g_task_return_boolean (task, TRUE);
      break;
    }
}

gboolean
tokens_local_service_stop_finish (TokensLocalService  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (TOKENS_IS_LOCAL_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tokens_local_service_stop:
 *
 * Stops the service without waiting for it: see
 * tokens_local_service_stop_async().
 */
void
tokens_local_service_stop (TokensLocalService *self)
{
  g_return_if_fail (TOKENS_IS_LOCAL_SERVICE (self));

  tokens_local_service_stop_async (self, NULL, NULL, NULL);
}

/**
 * tokens_local_service_get_pid:
 *
 * Returns: the server's process id, or 0 when there is none
 */
GPid
tokens_local_service_get_pid (TokensLocalService *self)
{
  const char *id;

  g_return_val_if_fail (TOKENS_IS_LOCAL_SERVICE (self), 0);

  id = self->process ? g_subprocess_get_identifier (self->process) : NULL;

  return id ? (GPid) g_ascii_strtoll (id, NULL, 10) : 0;
}
