/* tokens-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TOKENS_ERROR (tokens_error_quark ())

/**
 * TokensError:
 *
 * The one error domain of libtokens, the app and the server. Each code has
 * a translatable sentence for people (tokens_error_describe()) and a stable
 * machine name (tokens_error_code_to_nick()) that the service puts in the
 * `code` field of its JSON errors.
 *
 * Append new codes at the end: the numbers are not part of any wire format,
 * but keeping them stable keeps logs comparable.
 */
typedef enum
{
  TOKENS_ERROR_FAILED,
  /* Token format, checked offline */
  TOKENS_ERROR_TOKEN_NOT_OURS,
  TOKENS_ERROR_TOKEN_LENGTH,
  TOKENS_ERROR_TOKEN_CHARACTER,
  TOKENS_ERROR_TOKEN_CHECKSUM,
  TOKENS_ERROR_TOKEN_WRONG_KIND,
  /* What the service answers */
  TOKENS_ERROR_INVALID_INPUT,
  TOKENS_ERROR_UNAUTHORIZED,
  TOKENS_ERROR_WRONG_CREDENTIALS,
  TOKENS_ERROR_FORBIDDEN,
  TOKENS_ERROR_NOT_FOUND,
  TOKENS_ERROR_CONFLICT,
  TOKENS_ERROR_RATE_LIMITED,
  TOKENS_ERROR_CLIENT_TOKEN_REQUIRED,
  TOKENS_ERROR_CLIENT_TOKEN_INVALID,
  TOKENS_ERROR_SIGNUP_DISABLED,
  TOKENS_ERROR_TOO_LARGE,
  TOKENS_ERROR_SERVER,
  TOKENS_ERROR_BAD_RESPONSE,
  /* Reaching the service */
  TOKENS_ERROR_NETWORK,
  TOKENS_ERROR_TIMEOUT,
  TOKENS_ERROR_TLS,
  TOKENS_ERROR_INSECURE_URL,
  /* The desktop */
  TOKENS_ERROR_KEYRING_UNAVAILABLE,
  TOKENS_ERROR_KEYRING_LOCKED,
  TOKENS_ERROR_LOCAL_SERVICE,
  TOKENS_ERROR_STORAGE,
  /* What the service answers (added later) */
  TOKENS_ERROR_METHOD_NOT_ALLOWED,
  TOKENS_ERROR_UNSUPPORTED_MEDIA_TYPE,
  TOKENS_ERROR_UNAVAILABLE,
} TokensError;

#define TOKENS_ERROR_LAST TOKENS_ERROR_UNAVAILABLE

GQuark       tokens_error_quark            (void);
const char  *tokens_error_describe         (TokensError  code);
const char  *tokens_error_code_to_nick     (TokensError  code);
gboolean     tokens_error_code_from_nick   (const char  *nick,
                                            TokensError *code);
GError      *tokens_error_new_described    (TokensError  code);

G_END_DECLS
