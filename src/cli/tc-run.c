/* tc-run.c — a command with secrets in its environment, and out of its output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `tokens-cli run` starts COMMAND with the environment it was given (the
 * secrets only there: never in an argument, which every user of the
 * machine can read in /proc) and, unless --no-masking, reads its stdout
 * and stderr through pipes and writes them to ours with every secret
 * masked (tc-mask.c). Without masking the command has our stdout and
 * stderr itself.
 *
 * Signals. A terminal sends Ctrl-C (and hang-ups, window changes) to the
 * whole foreground process group, the command included: passing those on
 * would deliver them twice. A signal sent to tokens-cli by a process
 * (kill, systemd, a CI runner) is passed on, since only we received it.
 * siginfo's si_code tells the two apart (SI_USER or SI_QUEUE from kill(),
 * SI_KERNEL from the terminal).
 *
 * The status is the command's; killed by a signal, tokens-cli kills
 * itself with the same signal, so the caller sees what it would have.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "tc-mask.h"
#include "tc-refs.h"
#include "tc-run.h"

static const int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH };

static int signal_pipe[2] = { -1, -1 };

typedef struct
{
  int  signo;
  int  from_process;
} Caught;

static void
on_signal (int        signo,
           siginfo_t *info,
           void      *context)
{
  Caught caught = { signo, info != NULL && info->si_code <= 0 };
  int saved = errno;

  ssize_t n;

  /* A full pipe drops a signal; forty of them in a row are as good as one. */
  n = write (signal_pipe[1], &caught, sizeof caught);
  (void) n;
  errno = saved;
}

typedef struct
{
  int        fd;          /* the command's end, read; -1 once closed */
  int        out;         /* ours */
  gboolean   out_broken;  /* EPIPE: read and dropped from then on */
  TcMasker  *masker;
} Stream;

static void
write_all (Stream       *stream,
           const guint8 *data,
           gsize         len)
{
  while (len > 0 && !stream->out_broken)
    {
      ssize_t n = write (stream->out, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          stream->out_broken = TRUE;
          break;
        }
      data += n;
      len -= n;
    }
}

static void
pass_on (Stream *stream)
{
  guint8 buffer[16384];
  g_autoptr(GByteArray) out = g_byte_array_new ();
  ssize_t n;

  n = read (stream->fd, buffer, sizeof buffer);
  if (n < 0 && (errno == EINTR || errno == EAGAIN))
    return;

  if (n <= 0)
    {
      tc_masker_finish (stream->masker, out);
      close (stream->fd);
      stream->fd = -1;
    }
  else
    tc_masker_feed (stream->masker, buffer, n, out);

  write_all (stream, out->data, out->len);
  memset (buffer, 0, sizeof buffer);
  if (out->len > 0)
    memset (out->data, 0, out->len);
}

static gboolean
catch_signals (GError **error)
{
  struct sigaction action = { 0 };

  if (!g_unix_open_pipe (signal_pipe, FD_CLOEXEC, error) ||
      !g_unix_set_fd_nonblocking (signal_pipe[0], TRUE, error) ||
      !g_unix_set_fd_nonblocking (signal_pipe[1], TRUE, error))
    return FALSE;

  action.sa_sigaction = on_signal;
  action.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset (&action.sa_mask);
  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    sigaction (forwarded[i], &action, NULL);

  /* Our stdout may go away (`| head`): a write fails, we do not die. */
  signal (SIGPIPE, SIG_IGN);
  return TRUE;
}

/* What the child does to the signals we changed. */
static void
child_setup (gpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    signal (forwarded[i], SIG_DFL);
  signal (SIGPIPE, SIG_DFL);
}

/**
 * tc_run:
 * @argv: COMMAND and its arguments
 * @env: the whole environment for it
 * @secrets: what to mask in its output
 *
 * Returns: COMMAND's exit status; 126 or 127 with @error set when it
 *   could not be started (as shells do). A command killed by a signal
 *   kills us with it, so this does not return then.
 */
int
tc_run (char               **argv,
        GStrv                env,
        const char * const  *secrets,
        gboolean             masking,
        GError             **error)
{
  g_autoptr(TcMasker) out_masker = NULL;
  g_autoptr(TcMasker) err_masker = NULL;
  g_autoptr(GError) spawn_error = NULL;
  Stream streams[2] = { { -1, STDOUT_FILENO }, { -1, STDERR_FILENO } };
  GPid pid;
  int status = 0;
  gboolean exited = FALSE;

  if (!catch_signals (error))
    return 1;

  if (!g_spawn_async_with_pipes_and_fds (NULL, (const char * const *) argv,
                                         (const char * const *) env,
                                         G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
                                           G_SPAWN_CHILD_INHERITS_STDIN |
                                           (masking ? 0 : G_SPAWN_CHILD_INHERITS_STDOUT |
                                                          G_SPAWN_CHILD_INHERITS_STDERR),
                                         child_setup, NULL,
                                         -1, -1, -1, NULL, NULL, 0,
                                         &pid, NULL,
                                         masking ? &streams[0].fd : NULL,
                                         masking ? &streams[1].fd : NULL,
                                         &spawn_error))
    {
      gboolean missing = g_error_matches (spawn_error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT);

      /* GLib's message names the program, never the environment. */
      g_set_error (error, TC_ERROR, TC_EXIT_USAGE, "%s", spawn_error->message);
      return missing ? 127 : 126;
    }

  if (masking)
    {
      out_masker = tc_masker_new (secrets);
      err_masker = tc_masker_new (secrets);
      streams[0].masker = out_masker;
      streams[1].masker = err_masker;
    }

  while (!exited || streams[0].fd >= 0 || streams[1].fd >= 0)
    {
      struct pollfd fds[3] = {
        { .fd = signal_pipe[0], .events = POLLIN },
        { .fd = streams[0].fd, .events = POLLIN },
        { .fd = streams[1].fd, .events = POLLIN },
      };
      Caught caught;
      pid_t done;

      /* The command is gone: what it left in the pipes, and no waiting
       * for a child of its own that keeps them open. */
      if (exited)
        {
          for (guint i = 0; i < 2; i++)
            if (streams[i].fd >= 0)
              {
                g_unix_set_fd_nonblocking (streams[i].fd, TRUE, NULL);
                while (streams[i].fd >= 0)
                  {
                    struct pollfd one = { .fd = streams[i].fd, .events = POLLIN };

                    if (poll (&one, 1, 0) <= 0)
                      {
                        g_autoptr(GByteArray) rest = g_byte_array_new ();

                        tc_masker_finish (streams[i].masker, rest);
                        write_all (&streams[i], rest->data, rest->len);
                        close (streams[i].fd);
                        streams[i].fd = -1;
                        break;
                      }
                    pass_on (&streams[i]);
                  }
              }
          break;
        }

      if (poll (fds, 3, 200) < 0 && errno != EINTR)
        break;

      while (read (signal_pipe[0], &caught, sizeof caught) == sizeof caught)
        if (caught.from_process)
          kill (pid, caught.signo);

      for (guint i = 0; i < 2; i++)
        if (streams[i].fd >= 0 && (fds[i + 1].revents & (POLLIN | POLLHUP | POLLERR)))
          pass_on (&streams[i]);

      do
        done = waitpid (pid, &status, WNOHANG);
      while (done < 0 && errno == EINTR);
      if (done == pid)
        exited = TRUE;
    }

  if (!exited)
    while (waitpid (pid, &status, 0) < 0 && errno == EINTR)
      ;

  if (WIFSIGNALED (status))
    {
      int signo = WTERMSIG (status);

      signal (signo, SIG_DFL);
      kill (getpid (), signo);
      return 128 + signo;
    }

  return WIFEXITED (status) ? WEXITSTATUS (status) : 1;
}
