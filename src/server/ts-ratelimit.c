/* ts-ratelimit.c — counting hits per key in a time window, in the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fixed window per key: the first hit opens it, `limit` hits inside it
 * close the door until it ends. The hits live in the database
 * (ts_store_limit_*), so every instance of the service counts the same
 * sign-ups and failed sign-ins, and a restart forgets nothing. Keys (an
 * email address, a client address) are stored as their SHA-256 only.
 * What a hit is belongs to the caller: a sign-up taken on
 * (ts_rate_limiter_take(), which checks and counts in one statement), or
 * a sign-in that failed.
 *
 * Sign-ins count only when they fail, and that is known only once their
 * password hash is done; guesses sent all at once would all pass a check
 * made before any of them failed. So an attempt also registers while it
 * runs (ts_rate_limiter_begin() / _end()): at most `max_running` at once
 * per key, and once a key has failures, the running ones count towards
 * the limit too (a new attempt is told to come back in a moment). Those
 * running are counted in this instance's memory: they last a hash, and a
 * burst of guesses spread over instances gets at most `max_running` more
 * tries per instance before the door closes for all of them.
 */

#include "config.h"

#include "ts-ratelimit.h"

struct _TsRateLimiter
{
  char       *kind;
  guint       limit;
  gint64      window;
  GMutex      lock;
  GHashTable *running;  /* hashed key → attempts running (guint) */
};

TsRateLimiter *
ts_rate_limiter_new (const char *kind,
                     guint       limit,
                     gint64      window)
{
  TsRateLimiter *self = g_new0 (TsRateLimiter, 1);

  self->kind = g_strdup (kind);
  self->limit = limit;
  self->window = window;
  g_mutex_init (&self->lock);
  self->running = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
ts_rate_limiter_free (TsRateLimiter *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->running);
  g_mutex_clear (&self->lock);
  g_free (self->kind);
  g_free (self);
}

static char *
hash_key (const char *key)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
}

static gint64
wait_for (TsRateLimiter *self,
          gint64         window_start,
          gint64         now)
{
  return MAX (1, window_start + self->window - now);
}

/* *wait: 0 when an attempt may go ahead, else the seconds to wait. */
gboolean
ts_rate_limiter_retry_after (TsRateLimiter  *self,
                             TsStore        *store,
                             const char     *key,
                             gint64          now,
                             gint64         *wait,
                             GError        **error)
{
  g_autofree char *hashed = hash_key (key);
  gint64 window_start;
  guint hits;

  *wait = 0;
  if (!ts_store_limit_get (store, self->kind, hashed, now, self->window, &hits, &window_start, error))
    return FALSE;
  if (hits >= self->limit)
    *wait = wait_for (self, window_start, now);
  return TRUE;
}

/* The check and the count in one step: *wait is 0 when the hit was
 * counted, else the seconds to wait (and nothing counted). Requests
 * answered at the same time, on several threads or instances, cannot
 * all pass a check made apart from the count. */
gboolean
ts_rate_limiter_take (TsRateLimiter  *self,
                      TsStore        *store,
                      const char     *key,
                      gint64          now,
                      gint64         *wait,
                      GError        **error)
{
  g_autofree char *hashed = hash_key (key);
  gboolean added;
  gint64 window_start;
  guint hits;

  *wait = 0;
  if (!ts_store_limit_add (store, self->kind, hashed, now, self->window, 1, self->limit,
                           &added, &hits, &window_start, error))
    return FALSE;
  if (!added)
    *wait = wait_for (self, window_start, now);
  return TRUE;
}

static void
add_logged (TsRateLimiter *self,
            TsStore       *store,
            const char    *hashed,
            gint64         now,
            int            delta)
{
  g_autoptr(GError) error = NULL;
  gboolean added;
  gint64 window_start;
  guint hits;

  /* The database said why in the log already (ts-store-*.c). */
  if (!ts_store_limit_add (store, self->kind, hashed, now, self->window, delta, 0,
                           &added, &hits, &window_start, &error))
    g_message ("A %s limit could not be counted", self->kind);
}

/* Takes back a hit of ts_rate_limiter_take() whose work did not happen. */
void
ts_rate_limiter_give_back (TsRateLimiter *self,
                           TsStore       *store,
                           const char    *key,
                           gint64         now)
{
  g_autofree char *hashed = hash_key (key);

  add_logged (self, store, hashed, now, -1);
}

/* An attempt that counts only if it fails starts. *wait: 0 when it may
 * (call ts_rate_limiter_end() when it is over), the seconds to wait
 * when the key is over its limit, or TS_RATE_LIMIT_BUSY when it should
 * come back in a moment. */
gboolean
ts_rate_limiter_begin (TsRateLimiter  *self,
                       TsStore        *store,
                       const char     *key,
                       gint64          now,
                       guint           max_running,
                       gint64         *wait,
                       GError        **error)
{
  g_autofree char *hashed = hash_key (key);
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 window_start;
  guint hits;
  guint running;

  *wait = 0;
  if (!ts_store_limit_get (store, self->kind, hashed, now, self->window, &hits, &window_start, error))
    return FALSE;

  if (hits >= self->limit)
    {
      *wait = wait_for (self, window_start, now);
      return TRUE;
    }

  locker = g_mutex_locker_new (&self->lock);
  running = GPOINTER_TO_UINT (g_hash_table_lookup (self->running, hashed));

  /* Those running may yet succeed: come back in a moment. */
  if (running >= max_running || (hits > 0 && hits + running >= self->limit))
    {
      *wait = TS_RATE_LIMIT_BUSY;
      return TRUE;
    }

  g_hash_table_insert (self->running, g_steal_pointer (&hashed), GUINT_TO_POINTER (running + 1));
  return TRUE;
}

void
ts_rate_limiter_end (TsRateLimiter *self,
                     TsStore       *store,
                     const char    *key,
                     gint64         now,
                     gboolean       failed)
{
  g_autofree char *hashed = hash_key (key);
  guint running;

  g_mutex_lock (&self->lock);
  running = GPOINTER_TO_UINT (g_hash_table_lookup (self->running, hashed));
  if (running > 1)
    g_hash_table_insert (self->running, g_strdup (hashed), GUINT_TO_POINTER (running - 1));
  else
    g_hash_table_remove (self->running, hashed);
  g_mutex_unlock (&self->lock);

  /* @store NULL: this thread has no database; the attempt ends all the
   * same, only its failure (if any) goes uncounted. */
  if (failed && store != NULL)
    add_logged (self, store, hashed, now, 1);
}

/* A right password clears the account's failures. */
void
ts_rate_limiter_reset (TsRateLimiter *self,
                       TsStore       *store,
                       const char    *key)
{
  g_autofree char *hashed = hash_key (key);
  g_autoptr(GError) error = NULL;

  if (!ts_store_limit_clear (store, self->kind, hashed, &error))
    g_message ("A %s limit could not be cleared", self->kind);
}
