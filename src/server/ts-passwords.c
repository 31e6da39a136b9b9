/* ts-passwords.c — Argon2id off the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsodium's crypto_pwhash_str at the INTERACTIVE limits: 64 MiB and a
 * few tens of milliseconds per hash. Run on the main loop, every sign-in
 * would stall every other request (token verification above all) for
 * that long, so hashing runs on a small pool of threads and its answer
 * comes back to the main thread, where the store lives. Two threads at
 * most: each hash holds 64 MiB, and a burst of sign-ins must not become a
 * burst of memory.
 */

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "ts-passwords.h"

#define MAX_THREADS 2

struct _TsPasswords
{
  GThreadPool *pool;
  guint        outstanding;  /* jobs whose answer has not been delivered */
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

static gboolean
deliver (gpointer data)
{
  Job *job = data;

  job->owner->outstanding--;
  job->done (job->ok, g_steal_pointer (&job->hash), job->user_data);
  job_free (job);

  return G_SOURCE_REMOVE;
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
  g_main_context_invoke (NULL, deliver, job);
}

TsPasswords *
ts_passwords_new (void)
{
  TsPasswords *self = g_new0 (TsPasswords, 1);

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");

  self->pool = g_thread_pool_new (work, self, MAX_THREADS, FALSE, NULL);
  return self;
}

/* Waits for every job and delivers its answer, so no request is left
 * paused and nothing leaks when the server stops. */
void
ts_passwords_free (TsPasswords *self)
{
  if (self == NULL)
    return;

  while (self->outstanding > 0)
    g_main_context_iteration (NULL, TRUE);

  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_free (self);
}

static void
push (TsPasswords     *self,
      const char      *password,
      const char      *hash,
      gboolean         verify,
      TsPasswordsDone  done,
      gpointer         user_data)
{
  Job *job = g_new0 (Job, 1);

  job->owner = self;
  job->password = g_strdup (password);
  job->hash = g_strdup (hash);
  job->verify = verify;
  job->done = done;
  job->user_data = user_data;

  self->outstanding++;
  g_thread_pool_push (self->pool, job, NULL);
}

void
ts_passwords_hash_async (TsPasswords     *self,
                         const char      *password,
                         TsPasswordsDone  done,
                         gpointer         user_data)
{
  push (self, password, NULL, FALSE, done, user_data);
}

/* @hash may be NULL: there is no such account, and the answer is no,
 * after the same work as for a real one. */
void
ts_passwords_verify_async (TsPasswords     *self,
                           const char      *password,
                           const char      *hash,
                           TsPasswordsDone  done,
                           gpointer         user_data)
{
  push (self, password, hash, TRUE, done, user_data);
}
