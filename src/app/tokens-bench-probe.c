/* tokens-bench-probe.c — the figures build-aux/bench/app.sh reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With `TOKENS_BENCH` set, the app says on stdout when a frame shows what
 * a person waits for, measured from the frame clock's after-paint:
 *
 *   bench: first-frame           the window's first frame
 *   bench: api-key-page          the API Key page of a signed-in account,
 *                                its service having answered
 *   bench: WHAT N us M rows K cpu-us
 *                                from a page's work starting (its list
 *                                loaded, a keystroke in its search) to the
 *                                frame that shows the list: N the time a
 *                                person waits, K the main thread's own
 *                                CPU time in it (what the app spent, apart
 *                                from other programs on a busy machine)
 *
 * `TOKENS_BENCH_PAGE` names the window's page to open on. The widgets call
 * in here with one line each; without `TOKENS_BENCH` every call returns
 * at once and nothing is connected.
 */

#include "config.h"

#include <time.h>

#include "tokens-application.h"
#include "tokens-bench-probe.h"

#define PROBE_KEY "tokens-bench-probe"

typedef struct
{
  GtkStack     *main_stack;   /* the window's template children */
  AdwViewStack *view_stack;
} WindowProbe;

typedef struct
{
  GtkStack   *stack;          /* the page's own, shows "list" when done */
  GListModel *rows;
  const char *what;           /* NULL: nothing being measured */
  gint64      start;
  gint64      cpu_start;
} PageProbe;

/* The calling thread's CPU time, µs: the main thread's, here. */
static gint64
thread_cpu_time (void)
{
  struct timespec now;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now) != 0)
    return 0;
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000;
}

static gboolean
enabled (void)
{
  static gsize once;
  static gboolean bench;

  if (g_once_init_enter (&once))
    {
      bench = g_getenv ("TOKENS_BENCH") != NULL;
      g_once_init_leave (&once, 1);
    }

  return bench;
}

static gboolean
api_key_page_shown (GtkWindow   *window,
                    WindowProbe *probe)
{
  GtkApplication *app = gtk_window_get_application (window);
  TokensSession *session = TOKENS_IS_APPLICATION (app)
                             ? tokens_application_get_session (TOKENS_APPLICATION (app))
                             : NULL;

  return g_strcmp0 (gtk_stack_get_visible_child_name (probe->main_stack), "main") == 0 &&
         g_strcmp0 (adw_view_stack_get_visible_child_name (probe->view_stack), "api-key") == 0 &&
         session != NULL && tokens_session_get_api_key (session) != NULL;
}

static void
window_after_paint_cb (GdkFrameClock *clock,
                       GtkWindow     *window)
{
  static gboolean first_frame_said;
  static gboolean page_said;
  WindowProbe *probe = g_object_get_data (G_OBJECT (window), PROBE_KEY);

  if (!first_frame_said)
    {
      first_frame_said = TRUE;
      g_print ("bench: first-frame\n");
    }

  if (!page_said && api_key_page_shown (window, probe))
    {
      page_said = TRUE;
      g_print ("bench: api-key-page\n");
      g_signal_handlers_disconnect_by_func (clock, window_after_paint_cb, window);
    }
}

static void
window_realize_cb (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  g_signal_connect_object (clock, "after-paint", G_CALLBACK (window_after_paint_cb), window, 0);
}

/**
 * tokens_bench_probe_window:
 *
 * Says when @window paints its first frame and first shows the API Key
 * page with a token; opens `TOKENS_BENCH_PAGE` on @view_stack.
 */
void
tokens_bench_probe_window (GtkWindow    *window,
                           GtkStack     *main_stack,
                           AdwViewStack *view_stack)
{
  WindowProbe *probe;
  const char *page;

  if (!enabled ())
    return;

  probe = g_new0 (WindowProbe, 1);
  probe->main_stack = main_stack;
  probe->view_stack = view_stack;
  g_object_set_data_full (G_OBJECT (window), PROBE_KEY, probe, g_free);
  g_signal_connect (window, "realize", G_CALLBACK (window_realize_cb), NULL);

  page = g_getenv ("TOKENS_BENCH_PAGE");
  if (page != NULL)
    adw_view_stack_set_visible_child_name (view_stack, page);
}

static void
page_after_paint_cb (GdkFrameClock *clock,
                     GtkWidget     *page)
{
  PageProbe *probe = g_object_get_data (G_OBJECT (page), PROBE_KEY);

  if (probe->what == NULL ||
      g_strcmp0 (gtk_stack_get_visible_child_name (probe->stack), "list") != 0)
    return;

  g_print ("bench: %s %" G_GINT64_FORMAT " us %u rows %" G_GINT64_FORMAT " cpu-us\n", probe->what,
           g_get_monotonic_time () - probe->start,
           g_list_model_get_n_items (probe->rows),
           thread_cpu_time () - probe->cpu_start);
  probe->what = NULL;
  g_signal_handlers_disconnect_by_func (clock, page_after_paint_cb, page);
}

/**
 * tokens_bench_probe_start:
 * @page: the page doing the work
 * @what: (not nullable): a static string: what is measured ("rows-frame")
 * @stack: the page's stack, whose "list" child shows the result
 * @rows: what the list shows
 *
 * Measures from now to the first frame that shows @stack's list; a new
 * start on the same page replaces the one under way.
 */
void
tokens_bench_probe_start (GtkWidget  *page,
                          const char *what,
                          GtkStack   *stack,
                          GListModel *rows)
{
  GtkRoot *root;
  GdkFrameClock *clock;
  PageProbe *probe;

  if (!enabled ())
    return;

  /* The window's clock: the page itself may not be realized yet. */
  root = gtk_widget_get_root (page);
  clock = root ? gtk_widget_get_frame_clock (GTK_WIDGET (root)) : NULL;
  if (clock == NULL)
    return;

  probe = g_object_get_data (G_OBJECT (page), PROBE_KEY);
  if (probe == NULL)
    {
      probe = g_new0 (PageProbe, 1);
      g_object_set_data_full (G_OBJECT (page), PROBE_KEY, probe, g_free);
    }

  probe->stack = stack;
  probe->rows = rows;
  probe->what = what;
  probe->start = g_get_monotonic_time ();
  probe->cpu_start = thread_cpu_time ();
  g_signal_handlers_disconnect_by_func (clock, page_after_paint_cb, page);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (page_after_paint_cb), page, 0);
}
