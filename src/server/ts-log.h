/* ts-log.h — logging a limit being hit without flooding the log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE at most once per @interval_us for one @last: a flood of refused
 * requests says so in the log, not once per request. */
static inline gboolean
ts_log_due (gint64 *last,
            gint64  interval_us)
{
  static GMutex lock;
  gint64 now = g_get_monotonic_time ();
  gboolean due;

  g_mutex_lock (&lock);
  due = *last == 0 || now - *last >= interval_us;
  if (due)
    *last = now;
  g_mutex_unlock (&lock);
  return due;
}

/* g_message() at most every ten seconds from one place in the code. */
#define TS_LOG_LIMITED(...)                                  \
  G_STMT_START {                                             \
    static gint64 ts_log_last_;                              \
    if (ts_log_due (&ts_log_last_, 10 * G_USEC_PER_SEC))     \
      g_message (__VA_ARGS__);                               \
  } G_STMT_END

G_END_DECLS
