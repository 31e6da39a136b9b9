/* ts-verify-cache.c — bearer tokens already looked up, kept fresh by PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On PostgreSQL every request's bearer token costs a query, and the
 * database, not this process, sets the pace. This cache keeps the answer
 * of the lookup (a TsPrincipal: who the token speaks for, its scopes,
 * expiry and the account's security-token state) by the token's SHA-256,
 * and keeps it true with the database's own change notifications:
 *
 * - Every change to what a lookup returns notifies the channel
 *   tokens_changed with the account id, when its transaction commits: a
 *   trigger on accounts, access_tokens and credentials (ts-store-pg.c,
 *   schema 4), so no flow can forget it.
 * - One thread of ours holds a connection of its own that LISTENs on the
 *   channel and drops the account's entries for each notification.
 *
 * A notification arrives a little after its commit, so that alone would
 * let a request that comes just after a revoke on another instance see
 * the token as it was. The contract is stronger — a revoke, reset,
 * renewal, undo or security-token change on one instance is honoured by
 * every other one on the very next request — and a barrier gives it:
 *
 *   A request whose token is in the cache waits (paused, its thread free)
 *   until a query sent on the listening connection *after the request
 *   came* has been answered, and only then takes the entry, if it is
 *   still there.
 *
 * Why that is enough, from PostgreSQL's source (15; async.c, postgres.c,
 * xact.c): a committing transaction queues its notifications before it
 * commits and signals every listening backend in AtCommit_Notify(), after
 * the commit is visible (ProcArrayEndTransaction()) and before the client
 * that committed is told so. A listening backend that has been signalled
 * sends the notifications to its client before ReadyForQuery of whatever
 * query it runs next (PostgresMain(): "if any notifies were received
 * during the just-finished transaction, they'll be seen by the client
 * before ReadyForQuery is"), or at once while idle. So when the change was
 * reported to the client that made it before our request came, the
 * signal was sent before our barrier's query was, and its notification
 * reaches us before the barrier's answer: the entry is gone by the time
 * the request looks.
 *
 * What that does not cover (seen with a debugger, and left alone): a
 * commit is visible, and its row locks free, a moment before the
 * listeners are signalled. In that moment another connection may already
 * read the new state and answer — the loser of a race for the row, or a
 * request on an instance that kept nothing — while a barrier passes
 * without the notification. So the guarantee is for changes whose own
 * request has been answered (the contract's "made on one instance"), not
 * for every order in which two other clients could read. Closing that
 * moment would take a NOTIFY of our own in every barrier: a transaction
 * and a wake-up of every listener, many times a second.
 *
 * Many requests share one barrier: those that come while one is under
 * way wait for the next, and barriers start at most every
 * BARRIER_INTERVAL_US. Under load that is one empty query for many
 * requests instead of a lookup each.
 *
 * Entries are filled by the ordinary lookup, with a ticket: the cache's
 * generation before the query, bumped by every notification, every loss
 * of the listening connection and every reconnection. An answer read
 * before a change whose notification has already been handled would be
 * stale; its ticket no longer matches and it is not kept. While the
 * listening connection is down the cache is empty and unused: every
 * request asks the database, as without a cache, and the thread connects
 * again every second.
 *
 * What the cache keeps is what the database keeps — hashes, never a
 * secret. Unknown tokens are not kept (each costs the lookup, as before).
 */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "ts-store-private.h"
#include "ts-verify-cache.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* More than a busy instance sees in a while; when full, it starts again. */
#define MAX_ENTRIES 100000
/* A barrier that takes longer means a database in trouble: the requests
 * waiting for it ask the database instead, with its own timeouts. */
#define BARRIER_TIMEOUT_MS 2000
#define RECONNECT_MS       1000
/* How often the listening session is checked to be the one answering. */
#define CHECK_LISTENING_US (60 * G_USEC_PER_SEC)
/* Barriers start at most this often: under load each one serves every
 * request that came in the meantime, and the listening backend is not
 * kept busy with one query per request. A request adds this much at
 * most to its wait, and nothing when it comes to an idle instance. */
#define BARRIER_INTERVAL_US 200

struct _TsVerifyCache
{
  char       *uri;
  GThread    *thread;
  int         wake_fd;

  GMutex      lock;
  GHashTable *entries;      /* hash → TsPrincipal */
  GHashTable *by_account;   /* account id → GPtrArray of hashes in entries */
  guint64     generation;   /* see above */
  gboolean    listening;
  gboolean    stopping;
  gboolean    disabled;     /* the connection does not keep LISTEN: off for good */
  GPtrArray  *waiting;      /* TsExchange: for the next barrier */
};

static TsPrincipal *
principal_copy (const TsPrincipal *principal)
{
  TsPrincipal *copy = g_memdup2 (principal, sizeof *principal);

  copy->hash = g_strdup (principal->hash);
  copy->email = g_strdup (principal->email);
  copy->client_token_hash = g_strdup (principal->client_token_hash);
  return copy;
}

static void
wake_thread (TsVerifyCache *self)
{
  guint64 one = 1;

  while (write (self->wake_fd, &one, sizeof one) < 0 && errno == EINTR)
    ;
}

/* Called with the lock held. */
static void
forget_all (TsVerifyCache *self)
{
  g_hash_table_remove_all (self->entries);
  g_hash_table_remove_all (self->by_account);
  self->generation++;
}

/* Called with the lock held. Each notification drops one account's
 * entries: found by the index, not by a walk over every entry with the
 * lock held (a purge of expired sessions notifies once per account). */
static void
forget_account (TsVerifyCache *self,
                gint64         id)
{
  GPtrArray *hashes = g_hash_table_lookup (self->by_account, &id);

  if (hashes != NULL)
    {
      for (guint i = 0; i < hashes->len; i++)
        {
          const char *hash = g_ptr_array_index (hashes, i);
          const TsPrincipal *entry = g_hash_table_lookup (self->entries, hash);

          if (entry != NULL && entry->account_id == id)
            g_hash_table_remove (self->entries, hash);
        }
      g_hash_table_remove (self->by_account, &id);
    }
  self->generation++;
}

/* Called with the lock held; takes @principal. */
static void
keep (TsVerifyCache *self,
      TsPrincipal   *principal)
{
  const TsPrincipal *old = g_hash_table_lookup (self->entries, principal->hash);
  GPtrArray *hashes;

  if (old == NULL || old->account_id != principal->account_id)
    {
      hashes = g_hash_table_lookup (self->by_account, &principal->account_id);
      if (hashes == NULL)
        {
          gint64 *key = g_new (gint64, 1);

          *key = principal->account_id;
          hashes = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (self->by_account, key, hashes);
        }
      g_ptr_array_add (hashes, g_strdup (principal->hash));
    }
  g_hash_table_replace (self->entries, principal->hash, principal);
}

/* Each notification says which account changed; anything else (there
 * should be nothing else) empties the cache. */
static void
handle_notifications (TsVerifyCache *self,
                      PGconn        *conn)
{
  PGnotify *notify;

  while ((notify = PQnotifies (conn)) != NULL)
    {
      guint64 account;

      g_mutex_lock (&self->lock);
      if (g_ascii_string_to_unsigned (notify->extra, 10, 1, G_MAXINT64, &account, NULL))
        forget_account (self, (gint64) account);
      else
        forget_all (self);
      g_mutex_unlock (&self->lock);
      PQfreemem (notify);
    }
}

/* The requests waiting for a barrier go on: with the cache when it
 * passed, to the database when it did not. */
static void
release (GPtrArray   *batch,
         TsFreshness  fresh)
{
  for (guint i = 0; i < batch->len; i++)
    {
      TsExchange *exchange = g_ptr_array_index (batch, i);

      exchange->fresh = fresh;
      ts_exchange_resume (exchange);
    }
  g_ptr_array_set_size (batch, 0);
}

static void
lost (TsVerifyCache  *self,
      PGconn        **conn,
      GPtrArray      *batch)
{
  g_autoptr(GPtrArray) waiting = NULL;
  gboolean was_listening;

  g_clear_pointer (conn, PQfinish);
  g_mutex_lock (&self->lock);
  was_listening = self->listening && !self->stopping && !self->disabled;
  self->listening = FALSE;
  forget_all (self);
  waiting = g_steal_pointer (&self->waiting);
  self->waiting = g_ptr_array_new ();
  g_mutex_unlock (&self->lock);

  if (was_listening)
    g_warning ("The verify cache lost its connection to PostgreSQL: every request "
               "asks the database until it is back");

  release (batch, TS_FRESH_FAILED);
  release (waiting, TS_FRESH_FAILED);
}

/* Waits for @conn's socket (and the wake-up descriptor) up to
 * @timeout_ms; FALSE when the wait itself failed. */
static gboolean
wait_for (TsVerifyCache *self,
          PGconn        *conn,
          int            timeout_ms)
{
  struct pollfd fds[2] = {
    { .fd = self->wake_fd, .events = POLLIN },
    { .fd = conn ? PQsocket (conn) : -1, .events = POLLIN },
  };
  guint64 count;

  if (poll (fds, conn ? 2 : 1, timeout_ms) < 0 && errno != EINTR)
    return FALSE;
  if (fds[0].revents & POLLIN)
    while (read (self->wake_fd, &count, sizeof count) < 0 && errno == EINTR)
      ;
  return TRUE;
}

/* Whether the server session answering on @conn is the one that
 * listens. Behind a pooler in transaction mode it may not be: LISTEN went
 * to one server session and this to another, and a barrier there would
 * pass without any notification. */
static gboolean
still_listening (PGconn *conn)
{
  g_autoptr(PGresult) res =
    PQexec (conn, "SELECT 1 FROM pg_listening_channels () c WHERE c = 'tokens_changed'");

  return PQresultStatus (res) == PGRES_TUPLES_OK && PQntuples (res) == 1;
}

static PGconn *
connect_and_listen (TsVerifyCache *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(PGresult) res = NULL;
  PGconn *conn;

  conn = ts_store_pg_connect (self->uri, TRUE, &error);
  if (conn == NULL)
    return NULL;

  res = PQexec (conn, "LISTEN tokens_changed");
  if (PQresultStatus (res) != PGRES_COMMAND_OK)
    {
      PQfinish (conn);
      return NULL;
    }

  if (!still_listening (conn))
    {
      g_warning ("The verify cache is off: the database connection does not keep LISTEN "
                 "(a pooler in transaction mode?); start tokens-server with --no-verify-cache");
      g_mutex_lock (&self->lock);
      self->disabled = TRUE;
      g_mutex_unlock (&self->lock);
      PQfinish (conn);
      return NULL;
    }

  if (PQsetnonblocking (conn, 1) != 0)
    {
      PQfinish (conn);
      return NULL;
    }

  /* What was kept before may have changed unheard: start again. */
  g_mutex_lock (&self->lock);
  forget_all (self);
  self->listening = TRUE;
  g_mutex_unlock (&self->lock);
  g_debug ("The verify cache listens for changes");
  return conn;
}

/* One empty query, and every notification that comes before its
 * answer. FALSE: the connection is lost. */
static gboolean
barrier (TsVerifyCache *self,
         PGconn        *conn)
{
  gint64 deadline = g_get_monotonic_time () + BARRIER_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND;
  gboolean ok = FALSE;

  /* The empty query: no parse, no plan, and still a ReadyForQuery. */
  if (!PQsendQuery (conn, ""))
    return FALSE;

  for (;;)
    {
      int flushed = PQflush (conn);
      struct pollfd out = { .fd = PQsocket (conn), .events = POLLOUT };

      if (flushed == 0)
        break;
      if (flushed < 0 || g_get_monotonic_time () >= deadline ||
          (poll (&out, 1, 10) < 0 && errno != EINTR))
        return FALSE;
    }

  for (;;)
    {
      PGresult *res;

      while (PQisBusy (conn))
        {
          gint64 left = (deadline - g_get_monotonic_time ()) / G_TIME_SPAN_MILLISECOND;
          gboolean stopping;

          if (left <= 0 || !wait_for (self, conn, (int) MIN (left, 100)) || !PQconsumeInput (conn))
            return FALSE;

          /* Stopping: the waiting requests ask the database instead. */
          g_mutex_lock (&self->lock);
          stopping = self->stopping;
          g_mutex_unlock (&self->lock);
          if (stopping)
            return FALSE;
        }

      res = PQgetResult (conn);
      if (res == NULL)
        break;
      ok = PQresultStatus (res) == PGRES_EMPTY_QUERY;
      PQclear (res);
    }

  handle_notifications (self, conn);
  return ok && PQstatus (conn) == CONNECTION_OK;
}

static gpointer
listen_thread (gpointer data)
{
  TsVerifyCache *self = data;
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  PGconn *conn = NULL;
  gint64 last_barrier = 0;
  gint64 last_check = 0;

  for (;;)
    {
      gboolean stopping;
      gint64 early;

      g_mutex_lock (&self->lock);
      stopping = self->stopping;
      early = last_barrier + BARRIER_INTERVAL_US - g_get_monotonic_time ();
      if (!stopping && self->waiting->len > 0 && early <= 0)
        {
          GPtrArray *next = self->waiting;

          self->waiting = batch;
          batch = next;
        }
      g_mutex_unlock (&self->lock);

      if (stopping || self->disabled)
        break;

      if (batch->len == 0 && early > 0 && conn != NULL)
        {
          /* Requests wait; more will join them. */
          g_usleep (early);
          continue;
        }

      if (conn == NULL)
        {
          conn = connect_and_listen (self);
          if (conn == NULL)
            {
              lost (self, &conn, batch);
              wait_for (self, NULL, RECONNECT_MS);
              continue;
            }
          last_check = g_get_monotonic_time ();
        }

      if (g_get_monotonic_time () - last_check > CHECK_LISTENING_US)
        {
          gboolean listening;

          PQsetnonblocking (conn, 0);
          listening = still_listening (conn);
          PQsetnonblocking (conn, 1);
          last_check = g_get_monotonic_time ();
          if (!listening)
            {
              g_warning ("The verify cache is off: the database connection stopped keeping "
                         "LISTEN (a pooler in transaction mode?); start tokens-server with "
                         "--no-verify-cache");
              g_mutex_lock (&self->lock);
              self->disabled = TRUE;
              g_mutex_unlock (&self->lock);
              break;
            }
          handle_notifications (self, conn);
        }

      if (batch->len > 0)
        {
          last_barrier = g_get_monotonic_time ();
          if (barrier (self, conn))
            release (batch, TS_FRESH_PASSED);
          else
            lost (self, &conn, batch);
          continue;
        }

      /* Idle: notifications as they come, and the next request. */
      if (!wait_for (self, conn, -1) || !PQconsumeInput (conn) ||
          PQstatus (conn) != CONNECTION_OK)
        {
          lost (self, &conn, batch);
          continue;
        }
      handle_notifications (self, conn);
    }

  lost (self, &conn, batch);
  return NULL;
}

/**
 * ts_verify_cache_new:
 * @uri: the database, a libpq connection URI
 *
 * Starts the listening thread; until it has connected, the cache is
 * empty and every request asks the database.
 */
TsVerifyCache *
ts_verify_cache_new (const char *uri)
{
  TsVerifyCache *self = g_new0 (TsVerifyCache, 1);

  self->uri = g_strdup (uri);
  self->wake_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (self->wake_fd < 0)
    g_error ("eventfd: %s", g_strerror (errno));
  g_mutex_init (&self->lock);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) ts_principal_free);
  self->by_account = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                            (GDestroyNotify) g_ptr_array_unref);
  self->waiting = g_ptr_array_new ();
  self->thread = g_thread_new ("verify-cache", listen_thread, self);
  return self;
}

/* No request waits from now on; those waiting go to the database. */
void
ts_verify_cache_drain (TsVerifyCache *self)
{
  if (self == NULL || self->thread == NULL)
    return;

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_mutex_unlock (&self->lock);
  wake_thread (self);
  g_clear_pointer (&self->thread, g_thread_join);
}

void
ts_verify_cache_free (TsVerifyCache *self)
{
  if (self == NULL)
    return;

  ts_verify_cache_drain (self);
  g_ptr_array_unref (self->waiting);
  g_hash_table_unref (self->entries);
  g_hash_table_unref (self->by_account);
  g_mutex_clear (&self->lock);
  close (self->wake_fd);
  g_free (self->uri);
  g_free (self);
}

/* Whether a request with this token should wait for a barrier. */
gboolean
ts_verify_cache_has (TsVerifyCache *self,
                     const char    *hash)
{
  gboolean has;

  g_mutex_lock (&self->lock);
  has = self->listening && g_hash_table_contains (self->entries, hash);
  g_mutex_unlock (&self->lock);
  return has;
}

/**
 * ts_verify_cache_wait:
 *
 * Pauses @exchange until the next barrier has passed (or failed), then
 * runs @continuation with exchange->fresh set.
 *
 * Returns: %FALSE when no barrier can be made (not listening, stopping):
 *   ask the database
 */
gboolean
ts_verify_cache_wait (TsVerifyCache  *self,
                      TsExchange     *exchange,
                      TsContinuation  continuation,
                      gpointer        data)
{
  gboolean first;

  g_mutex_lock (&self->lock);
  if (!self->listening || self->stopping)
    {
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  /* Paused before the thread can see it, so its resume cannot come first
   * and be lost (ts_exchange_resume() before the pause is honoured too). */
  ts_exchange_pause (exchange, continuation, data, NULL);
  g_ptr_array_add (self->waiting, exchange);
  first = self->waiting->len == 1;
  g_mutex_unlock (&self->lock);

  if (first)
    wake_thread (self);
  return TRUE;
}

/**
 * ts_verify_cache_lookup:
 *
 * Only after a barrier passed for this request (exchange->fresh).
 *
 * Returns: (transfer full) (nullable): a copy of the entry
 */
TsPrincipal *
ts_verify_cache_lookup (TsVerifyCache *self,
                        const char    *hash)
{
  TsPrincipal *principal = NULL;
  const TsPrincipal *entry;

  g_mutex_lock (&self->lock);
  entry = self->listening ? g_hash_table_lookup (self->entries, hash) : NULL;
  if (entry != NULL)
    principal = principal_copy (entry);
  g_mutex_unlock (&self->lock);
  return principal;
}

/* Taken before the database is asked; see ts_verify_cache_add(). */
guint64
ts_verify_cache_ticket (TsVerifyCache *self)
{
  guint64 ticket;

  g_mutex_lock (&self->lock);
  ticket = self->listening ? self->generation : 0;
  g_mutex_unlock (&self->lock);
  return ticket;
}

/* Keeps what the database answered, unless something changed (or was
 * missed) since @ticket was taken. */
void
ts_verify_cache_add (TsVerifyCache     *self,
                     const TsPrincipal *principal,
                     guint64            ticket)
{
  TsPrincipal *copy;

  if (ticket == 0)
    return;

  copy = principal_copy (principal);
  g_mutex_lock (&self->lock);
  if (self->listening && self->generation == ticket)
    {
      if (g_hash_table_size (self->entries) >= MAX_ENTRIES)
        forget_all (self);
      else
        keep (self, g_steal_pointer (&copy));
    }
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&copy, ts_principal_free);
}

/* last_used_at was written: the entry says so, so the next write waits a
 * minute, as without a cache. */
void
ts_verify_cache_touched (TsVerifyCache *self,
                         const char    *hash,
                         gint64         now)
{
  TsPrincipal *entry;

  g_mutex_lock (&self->lock);
  entry = g_hash_table_lookup (self->entries, hash);
  if (entry != NULL)
    entry->last_used_at = now;
  g_mutex_unlock (&self->lock);
}
