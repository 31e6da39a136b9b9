/* ts-passwords.h — Argon2id off the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TsPasswords TsPasswords;

/* Called on the main thread. For a hash, @hash is the encoded Argon2id
 * string (NULL if hashing failed); for a check, @ok says whether the
 * password matched. */
typedef void (*TsPasswordsDone) (gboolean  ok,
                                 char     *hash,
                                 gpointer  user_data);

TsPasswords *ts_passwords_new          (void);
void         ts_passwords_free         (TsPasswords     *self);
void         ts_passwords_hash_async   (TsPasswords     *self,
                                        const char      *password,
                                        TsPasswordsDone  done,
                                        gpointer         user_data);
void         ts_passwords_verify_async (TsPasswords     *self,
                                        const char      *password,
                                        const char      *hash,
                                        TsPasswordsDone  done,
                                        gpointer         user_data);

G_END_DECLS
