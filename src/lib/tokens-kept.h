/* tokens-kept.h — the tokens of any service that a person keeps in Tokens
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "tokens-token.h"

G_BEGIN_DECLS

/* The `service` of a token no format recognises (TOKENS_FORMAT_SERVICE_OTHER). */
#define TOKENS_KEPT_SERVICE_OTHER "other"

/**
 * TokensKept:
 * @id: the `id` attribute: stable, made when the token is first kept
 * @service: the `service` attribute: a format's service id ("github", …,
 *   tokens-format.h) or "other"
 * @service_name: what the app shows: the `service-name` attribute, or
 *   for service "other" (whose attribute is empty) "Other service" in
 *   the language of the moment it was read
 * @name: the `name` attribute
 * @used_in: (nullable): the `used-in` attribute: where the token is used
 *   ("CI server"; a host name such as "github.com" for git)
 * @expires_on: (nullable): the `expires-on` attribute, YYYY-MM-DD;
 *   %NULL: no expiry
 * @note: (nullable): the `note` attribute
 *
 * What is around a kept secret, never the secret itself.
 */
typedef struct
{
  char *id;
  char *service;
  char *service_name;
  char *name;
  char *used_in;
  char *expires_on;
  char *note;
} TokensKept;

#define TOKENS_TYPE_KEPT (tokens_kept_get_type ())

GType               tokens_kept_get_type          (void) G_GNUC_CONST;
TokensKept         *tokens_kept_copy              (const TokensKept  *kept);
void                tokens_kept_free              (TokensKept        *kept);
const SecretSchema *tokens_kept_get_schema        (void);
GError             *tokens_kept_keyring_error     (GError            *error);

gboolean            tokens_kept_get_expiry        (const TokensKept  *kept,
                                                   GDateTime        **expires);
gint64              tokens_kept_days_until        (GDateTime         *day,
                                                   GDateTime         *now);
gint64              tokens_kept_days_left         (const TokensKept  *kept,
                                                   GDateTime         *now);

GPtrArray          *tokens_kept_list_sync         (GCancellable      *cancellable,
                                                   GError           **error);
TokensSecret       *tokens_kept_read_sync         (const char        *id,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
gboolean            tokens_kept_save_sync         (TokensKept        *kept,
                                                   const char        *secret,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
char               *tokens_kept_find_secret_sync  (const char        *secret,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
gboolean            tokens_kept_delete_sync       (const char        *id,
                                                   GCancellable      *cancellable,
                                                   GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TokensKept, tokens_kept_free)

G_END_DECLS
