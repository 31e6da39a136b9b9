/* ts-ratelimit.c — counting hits per key in a time window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fixed window per key: the first hit opens it, `limit` hits inside it
 * close the door until it ends. What a hit is belongs to the caller: a
 * sign-up taken on (ts_rate_limiter_take(), which checks and counts in
 * one step), or a sign-in that failed.
 *
 * Sign-ins count only when they fail, and that is known only once their
 * password hash is done; guesses sent all at once would all pass a check
 * made before any of them failed. So an attempt also registers while it
 * runs (ts_rate_limiter_begin() / _end()): at most `max_running` at once
 * per key, and once a key has failures, the running ones count towards
 * the limit too (a new attempt is told to come back in a moment). A burst
 * of correct passwords goes through; a burst of guesses gets at most
 * `max_running` tries before the door closes.
 *
 * Requests are answered on several threads, so one lock guards the table
 * (held for a hash lookup, never across I/O). Memory stays bounded: ended
 * windows are dropped at most every few seconds once the table is large,
 * and past MAX_ENTRIES a new key is not recorded (an attacker with that
 * many addresses could not be slowed down by this table anyway; the
 * limits per account still hold). State is in this process's memory: a
 * restart forgets it.
 */

#include "config.h"

#include "ts-ratelimit.h"

#define PRUNE_ABOVE     4096
#define PRUNE_EVERY     10       /* seconds between two prunes */
#define MAX_ENTRIES     65536

typedef struct
{
  guint  hits;
  guint  running;
  gint64 window_start;
} Entry;

struct _TsRateLimiter
{
  GMutex      lock;
  GHashTable *entries;  /* key → Entry */
  guint       limit;
  gint64      window;
  gint64      pruned_at;
};

TsRateLimiter *
ts_rate_limiter_new (guint  limit,
                     gint64 window)
{
  TsRateLimiter *self = g_new0 (TsRateLimiter, 1);

  g_mutex_init (&self->lock);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->limit = limit;
  self->window = window;
  return self;
}

void
ts_rate_limiter_free (TsRateLimiter *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->entries);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static gboolean
expired (gpointer key,
         gpointer value,
         gpointer user_data)
{
  const Entry *entry = value;
  const gint64 *cutoff = user_data;

  return entry->running == 0 && entry->window_start <= *cutoff;
}

/* The key's entry in its current window, or NULL. */
static Entry *
lookup (TsRateLimiter *self,
        const char    *key,
        gint64         now)
{
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry != NULL && now - entry->window_start >= self->window)
    {
      /* A new window; attempts still running carry over. */
      entry->hits = 0;
      entry->window_start = now;
    }

  return entry;
}

/* The key's entry, made if need be; NULL when the table is full. */
static Entry *
ensure (TsRateLimiter *self,
        const char    *key,
        gint64         now)
{
  Entry *entry = lookup (self, key, now);

  if (entry != NULL)
    return entry;

  if (g_hash_table_size (self->entries) >= PRUNE_ABOVE && now - self->pruned_at >= PRUNE_EVERY)
    {
      gint64 cutoff = now - self->window;

      g_hash_table_foreach_remove (self->entries, expired, &cutoff);
      self->pruned_at = now;
    }

  if (g_hash_table_size (self->entries) >= MAX_ENTRIES)
    return NULL;

  entry = g_new0 (Entry, 1);
  entry->window_start = now;
  g_hash_table_insert (self->entries, g_strdup (key), entry);
  return entry;
}

static gint64
wait_for (TsRateLimiter *self,
          const Entry   *entry,
          gint64         now)
{
  return MAX (1, entry->window_start + self->window - now);
}

/* Returns: 0 when an attempt may go ahead, else the seconds to wait. */
gint64
ts_rate_limiter_retry_after (TsRateLimiter *self,
                             const char    *key,
                             gint64         now)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  Entry *entry = lookup (self, key, now);

  if (entry == NULL || entry->hits < self->limit)
    return 0;

  return wait_for (self, entry, now);
}

/* Counts one hit against @key. */
void
ts_rate_limiter_hit (TsRateLimiter *self,
                     const char    *key,
                     gint64         now)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  Entry *entry = ensure (self, key, now);

  if (entry != NULL)
    entry->hits++;
}

/* The check and the count in one step: 0 when the hit was counted, else
 * the seconds to wait (and nothing counted). Requests answered at the
 * same time on several threads cannot all pass a check made apart from
 * the count. */
gint64
ts_rate_limiter_take (TsRateLimiter *self,
                      const char    *key,
                      gint64         now)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  Entry *entry = ensure (self, key, now);

  if (entry == NULL)
    return 0;
  if (entry->hits >= self->limit)
    return wait_for (self, entry, now);

  entry->hits++;
  return 0;
}

/* Takes back a hit of ts_rate_limiter_take() whose work did not happen. */
void
ts_rate_limiter_give_back (TsRateLimiter *self,
                           const char    *key)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry != NULL && entry->hits > 0)
    entry->hits--;
}

/* An attempt that counts only if it fails starts: 0 when it may (call
 * ts_rate_limiter_end() when it is over), the seconds to wait when the
 * key is over its limit, or TS_RATE_LIMIT_BUSY when @max_running of its
 * attempts are running already. */
gint64
ts_rate_limiter_begin (TsRateLimiter *self,
                       const char    *key,
                       gint64         now,
                       guint          max_running)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  Entry *entry = ensure (self, key, now);

  if (entry == NULL)
    return 0;

  if (entry->hits >= self->limit)
    return wait_for (self, entry, now);

  /* Those running may yet succeed: come back in a moment. */
  if (entry->running >= max_running ||
      (entry->hits > 0 && entry->hits + entry->running >= self->limit))
    return TS_RATE_LIMIT_BUSY;

  entry->running++;
  return 0;
}

void
ts_rate_limiter_end (TsRateLimiter *self,
                     const char    *key,
                     gint64         now,
                     gboolean       failed)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  Entry *entry = g_hash_table_lookup (self->entries, key);

  /* No entry: the table was full when the attempt began. */
  if (entry == NULL)
    return;

  if (entry->running > 0)
    entry->running--;
  lookup (self, key, now);
  if (failed)
    entry->hits++;
}

void
ts_rate_limiter_reset (TsRateLimiter *self,
                       const char    *key)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry == NULL)
    return;
  if (entry->running > 0)
    entry->hits = 0;
  else
    g_hash_table_remove (self->entries, key);
}
