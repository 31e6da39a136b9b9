/* ts-passwords.h — Argon2id on a small pool of threads, with a bounded queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TsPasswords TsPasswords;

/* Hashing threads, and jobs that may wait for one: beyond that a request
 * is told to come back (503) rather than wait behind everyone else. A
 * hash takes tens of milliseconds, so a full queue is about a second of
 * work; waiting jobs hold no memory beyond their request. */
#define TS_PASSWORDS_THREADS 2
#define TS_PASSWORDS_WAITING 30
/* Of those places, kept for checking passwords (sign-ins) */
#define TS_PASSWORDS_FOR_CHECKS 8

/* Called on a hashing thread when the work is done. For a hash, @hash is
 * the encoded Argon2id string (NULL if hashing failed); for a check, @ok
 * says whether the password matched. */
typedef void (*TsPasswordsDone) (gboolean  ok,
                                 char     *hash,
                                 gpointer  user_data);

TsPasswords *ts_passwords_new          (void);
void         ts_passwords_drain        (TsPasswords     *self);
void         ts_passwords_free         (TsPasswords     *self);
gboolean     ts_passwords_hash_async   (TsPasswords     *self,
                                        const char      *password,
                                        TsPasswordsDone  done,
                                        gpointer         user_data,
                                        GError         **error);
gboolean     ts_passwords_verify_async (TsPasswords     *self,
                                        const char      *password,
                                        const char      *hash,
                                        TsPasswordsDone  done,
                                        gpointer         user_data,
                                        GError         **error);

G_END_DECLS
