/* ts-ratelimit.c — counting failures per key in a time window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A fixed window per key: the first hit opens it, `limit` hits inside it
 * close the door until it ends. Memory stays bounded: when the table
 * grows, windows that have ended are dropped. Requests are answered on
 * several threads, so one lock guards the table (held for a hash lookup,
 * never across I/O). State is in memory only, so a restart forgets it;
 * that is acceptable for slowing down password guessing on one instance
 * (several instances would share it in their database).
 */

#include "config.h"

#include "ts-ratelimit.h"

#define PRUNE_ABOVE 4096

typedef struct
{
  guint  failures;
  gint64 window_start;
} Entry;

struct _TsRateLimiter
{
  GMutex      lock;
  GHashTable *entries;  /* key → Entry */
  guint       limit;
  gint64      window;
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

  return entry->window_start <= *cutoff;
}

static Entry *
lookup (TsRateLimiter *self,
        const char    *key,
        gint64         now)
{
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry != NULL && now - entry->window_start >= self->window)
    {
      g_hash_table_remove (self->entries, key);
      entry = NULL;
    }

  return entry;
}

/* Returns: 0 when an attempt may go ahead, else the seconds to wait. */
gint64
ts_rate_limiter_retry_after (TsRateLimiter *self,
                             const char    *key,
                             gint64         now)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  Entry *entry = lookup (self, key, now);

  if (entry == NULL || entry->failures < self->limit)
    return 0;

  return MAX (1, entry->window_start + self->window - now);
}

/* Counts one hit against @key. */
void
ts_rate_limiter_hit (TsRateLimiter *self,
                     const char    *key,
                     gint64         now)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  Entry *entry = lookup (self, key, now);

  if (entry == NULL)
    {
      if (g_hash_table_size (self->entries) >= PRUNE_ABOVE)
        {
          gint64 cutoff = now - self->window;

          g_hash_table_foreach_remove (self->entries, expired, &cutoff);
        }

      entry = g_new0 (Entry, 1);
      entry->window_start = now;
      g_hash_table_insert (self->entries, g_strdup (key), entry);
    }

  entry->failures++;
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
  Entry *entry = lookup (self, key, now);

  if (entry != NULL && entry->failures >= self->limit)
    return MAX (1, entry->window_start + self->window - now);

  if (entry == NULL)
    {
      if (g_hash_table_size (self->entries) >= PRUNE_ABOVE)
        {
          gint64 cutoff = now - self->window;

          g_hash_table_foreach_remove (self->entries, expired, &cutoff);
        }

      entry = g_new0 (Entry, 1);
      entry->window_start = now;
      g_hash_table_insert (self->entries, g_strdup (key), entry);
    }

  entry->failures++;
  return 0;
}

/* Takes back a hit of ts_rate_limiter_take() whose work did not happen. */
void
ts_rate_limiter_give_back (TsRateLimiter *self,
                           const char    *key)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  Entry *entry = g_hash_table_lookup (self->entries, key);

  if (entry != NULL && entry->failures > 0)
    entry->failures--;
}

void
ts_rate_limiter_reset (TsRateLimiter *self,
                       const char    *key)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  g_hash_table_remove (self->entries, key);
}
