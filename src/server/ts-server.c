/* ts-server.c — what every thread of the server shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests are answered on a pool of threads (ts-daemon.c). An SQLite
 * connection must not be used by two threads at once, and a lock around
 * one connection would make every request wait for every other, so each
 * thread opens its own connection the first time it needs one: WAL lets
 * readers go on while one writer writes, and BEGIN IMMEDIATE with a busy
 * timeout queues writers. The schema is migrated once, by
 * ts_server_init(), before any thread exists. On PostgreSQL the same
 * per-thread stores are the instance's connection pool: one libpq
 * connection per worker, so workers never wait on each other for one.
 */

#include "config.h"

#include "ts-server.h"
#ifdef HAVE_POSTGRES
#include "ts-verify-cache.h"
#endif

typedef struct
{
  guint    generation;
  TsStore *store;
} ThreadStore;

static GPrivate thread_store = G_PRIVATE_INIT (g_free);
static guint generations;

/* Which TsServer a thread's store belongs to: a program (a test, the
 * fuzzer) may make more than one, one after the other. */
static guint current_generation;

gboolean
ts_server_init (TsServer    *server,
                const char  *database,
                GError     **error)
{
  TsStore *store;

  server->database = g_strdup (database);
  server->stores = g_ptr_array_new_with_free_func ((GDestroyNotify) ts_store_free);
  g_mutex_init (&server->stores_lock);
  g_atomic_int_set (&current_generation, g_atomic_int_add (&generations, 1) + 1);

  /* Opening migrates: done here, once, before there are other threads. */
  store = ts_server_get_store (server, error);
  if (store == NULL)
    return FALSE;

  server->router = ts_router_new ();
  server->passwords = ts_passwords_new ();
  server->account_limiter = ts_rate_limiter_new ("sign-in/account", TS_ACCOUNT_ATTEMPTS, TS_ATTEMPT_WINDOW);
  server->address_limiter = ts_rate_limiter_new ("sign-in/address", TS_ADDRESS_ATTEMPTS, TS_ATTEMPT_WINDOW);
  server->signup_limiter = ts_rate_limiter_new ("sign-up/address", TS_SIGNUPS_PER_ADDRESS, TS_SIGNUP_WINDOW);
  return TRUE;
}

/* On PostgreSQL, bearer tokens already looked up are kept, fresh
 * (ts-verify-cache.c); on SQLite a lookup costs less than keeping them. */
void
ts_server_start_verify_cache (TsServer *server)
{
#ifdef HAVE_POSTGRES
  if (server->verify_cache == NULL && ts_store_database_is_postgres (server->database))
    server->verify_cache = ts_verify_cache_new (server->database);
#endif
}

/* Once no thread answers requests any more. The store of the thread
 * that calls this closes last, which folds the WAL back into the file. */
void
ts_server_clear (TsServer *server)
{
  ThreadStore *mine = g_private_get (&thread_store);

#ifdef HAVE_POSTGRES
  g_clear_pointer (&server->verify_cache, ts_verify_cache_free);
#endif
  g_clear_pointer (&server->passwords, ts_passwords_free);
  g_clear_pointer (&server->router, ts_router_free);
  g_clear_pointer (&server->account_limiter, ts_rate_limiter_free);
  g_clear_pointer (&server->address_limiter, ts_rate_limiter_free);
  g_clear_pointer (&server->signup_limiter, ts_rate_limiter_free);

  if (server->stores != NULL)
    {
      TsStore *last = NULL;
      guint index;

      if (mine != NULL && g_ptr_array_find (server->stores, mine->store, &index))
        last = g_ptr_array_steal_index_fast (server->stores, index);
      g_ptr_array_set_size (server->stores, 0);
      g_clear_pointer (&last, ts_store_free);
      g_clear_pointer (&server->stores, g_ptr_array_unref);
      g_mutex_clear (&server->stores_lock);
    }
  g_private_replace (&thread_store, NULL);
  g_atomic_int_set (&current_generation, 0);
  g_clear_pointer (&server->database, g_free);
}

/**
 * ts_server_get_store:
 *
 * Returns: (transfer none) (nullable): the calling thread's connection to
 *   the database, opened now if it has none; %NULL when it cannot be
 *   opened (TOKENS_ERROR_UNAVAILABLE: try again later)
 */
TsStore *
ts_server_get_store (TsServer  *server,
                     GError   **error)
{
  ThreadStore *mine = g_private_get (&thread_store);
  guint generation = g_atomic_int_get (&current_generation);
  g_autoptr(GError) open_error = NULL;
  TsStore *store;

  if (mine != NULL && mine->generation == generation)
    return mine->store;

  store = ts_store_open (server->database, &open_error);
  if (store == NULL)
    {
      /* Out of descriptors, say, or the disk went away: this request
       * fails, the next one tries again. */
      g_warning ("Cannot open the database: %s", open_error->message);
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_UNAVAILABLE,
                           "The service cannot reach its database: try again in a moment.");
      return NULL;
    }

  g_mutex_lock (&server->stores_lock);
  g_ptr_array_add (server->stores, store);
  g_mutex_unlock (&server->stores_lock);

  mine = g_new0 (ThreadStore, 1);
  mine->generation = generation;
  mine->store = store;
  g_private_replace (&thread_store, mine);
  return store;
}
