/* ts-passwords.c — Argon2id on a small pool of threads, with a bounded queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsodium's crypto_pwhash_str at the INTERACTIVE limits: 64 MiB and a
 * few tens of milliseconds per hash. Run on the threads that answer
 * requests, every sign-in would stall the requests queued behind it
 * (token verification above all), so hashing runs on a pool of its own
 * and its answer goes back to the paused request (ts_exchange_resume()).
 * Two threads at most: each hash holds 64 MiB, and a burst of sign-ins
 * must not become a burst of memory. The queue is short: a flood of
 * sign-ups is told to come back later (503) instead of making a real
 * person's sign-in wait behind all of it.
 */

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "ts-log.h"
#include "ts-passwords.h"

#include "tokens-error.h"

struct _TsPasswords
{
  GThreadPool *pool;
  GMutex       lock;
  GCond        idle;
  guint        outstanding;  /* jobs whose answer has not been delivered */
  gboolean     draining;     /* stopping: no new jobs */
};

typedef struct
{
  TsPasswords     *owner;
  char            *password;
  char            *hash;      /* in: to check against; out: the new hash */
  gboolean         verify;
  gboolean         ok;
  TsPasswordsDone  done;
  gpointer         user_data;
} Job;

static void
job_free (Job *job)
{
  if (job->password != NULL)
    {
      sodium_memzero (job->password, strlen (job->password));
      g_free (job->password);
    }
  g_free (job->hash);
  g_free (job);
}

/* Checking a password of an account that does not exist costs the same
 * as one that does, against a hash of nothing anyone knows: the time of
 * an answer does not tell which email addresses have accounts. */
static const char *
dummy_hash (void)
{
  static char hash[crypto_pwhash_STRBYTES];
  static gsize done;

  if (g_once_init_enter (&done))
    {
      char password[32];

      randombytes_buf (password, sizeof password);
      if (crypto_pwhash_str (hash, password, sizeof password,
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        hash[0] = '\0';
      sodium_memzero (password, sizeof password);
      g_once_init_leave (&done, 1);
    }

  return hash;
}

static void
deliver (Job *job)
{
  TsPasswords *self = job->owner;

  job->done (job->ok, g_steal_pointer (&job->hash), job->user_data);
  job_free (job);

  g_mutex_lock (&self->lock);
  if (--self->outstanding == 0)
    g_cond_broadcast (&self->idle);
  g_mutex_unlock (&self->lock);
}

static void
work (gpointer data,
      gpointer user_data)
{
  Job *job = data;
  gsize len = strlen (job->password);

  if (job->verify)
    {
      const char *hash = job->hash ? job->hash : dummy_hash ();

      job->ok = crypto_pwhash_str_verify (hash, job->password, len) == 0 && job->hash != NULL;
      g_clear_pointer (&job->hash, g_free);
    }
  else
    {
      char hash[crypto_pwhash_STRBYTES];

      job->ok = crypto_pwhash_str (hash, job->password, len,
                                   crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                   crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
      job->hash = job->ok ? g_strdup (hash) : NULL;
    }

  sodium_memzero (job->password, len);
  deliver (job);
}

TsPasswords *
ts_passwords_new (void)
{
  TsPasswords *self = g_new0 (TsPasswords, 1);

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");

  g_mutex_init (&self->lock);
  g_cond_init (&self->idle);
  self->pool = g_thread_pool_new (work, self, TS_PASSWORDS_THREADS, FALSE, NULL);
  return self;
}

/* Takes no new job and waits until every answer is delivered, so no
 * request is left paused when the server stops. */
void
ts_passwords_drain (TsPasswords *self)
{
  g_mutex_lock (&self->lock);
  self->draining = TRUE;
  while (self->outstanding > 0)
    g_cond_wait (&self->idle, &self->lock);
  g_mutex_unlock (&self->lock);
}

void
ts_passwords_free (TsPasswords *self)
{
  if (self == NULL)
    return;

  ts_passwords_drain (self);
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_cond_clear (&self->idle);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static gboolean
push (TsPasswords     *self,
      const char      *password,
      const char      *hash,
      gboolean         verify,
      TsPasswordsDone  done,
      gpointer         user_data,
      GError         **error)
{
  Job *job;
  guint limit;

  /* New hashes (sign-ups) may not fill the queue: the last places are
   * kept for checks (sign-ins), so a flood of sign-ups never locks out
   * the people signing in. */
  limit = TS_PASSWORDS_THREADS + TS_PASSWORDS_WAITING - (verify ? 0 : TS_PASSWORDS_FOR_CHECKS);

  g_mutex_lock (&self->lock);
  if (self->draining || self->outstanding >= limit)
    {
      gboolean draining = self->draining;

      g_mutex_unlock (&self->lock);
      if (!draining)
        TS_LOG_LIMITED ("Password queue full (%u jobs): a %s was told to retry",
                        limit, verify ? "sign-in" : "sign-up");
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_UNAVAILABLE,
                           "The service is busy checking passwords: try again in a moment.");
      return FALSE;
    }
  self->outstanding++;
  g_mutex_unlock (&self->lock);

  job = g_new0 (Job, 1);

  job->owner = self;
  job->password = g_strdup (password);
  job->hash = g_strdup (hash);
  job->verify = verify;
  job->done = done;
  job->user_data = user_data;

  g_thread_pool_push (self->pool, job, NULL);
  return TRUE;
}

/* FALSE (TOKENS_ERROR_UNAVAILABLE) when the queue is full: @done is then
 * not called. */
gboolean
ts_passwords_hash_async (TsPasswords     *self,
                         const char      *password,
                         TsPasswordsDone  done,
                         gpointer         user_data,
                         GError         **error)
{
  return push (self, password, NULL, FALSE, done, user_data, error);
}

/* @hash may be NULL: there is no such account, and the answer is no,
 * after the same work as for a real one. */
gboolean
ts_passwords_verify_async (TsPasswords     *self,
                           const char      *password,
                           const char      *hash,
                           TsPasswordsDone  done,
                           gpointer         user_data,
                           GError         **error)
{
  return push (self, password, hash, TRUE, done, user_data, error);
}
