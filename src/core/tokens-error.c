/* tokens-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tokens-error.h"

G_DEFINE_QUARK (tokens-error-quark, tokens_error)

typedef struct
{
  const char *nick;
  const char *sentence;
} ErrorInfo;

/* Indexed by TokensError. The sentences are for people: they say what
 * happened and, where there is one, what to do about it. */
static const ErrorInfo error_info[] = {
  [TOKENS_ERROR_FAILED] =
    { "failed", N_("Something went wrong.") },
  [TOKENS_ERROR_TOKEN_NOT_OURS] =
    { "token_not_ours", N_("This is not a token issued by a Tokens service.") },
  [TOKENS_ERROR_TOKEN_LENGTH] =
    { "token_length", N_("This token has the wrong length: it looks mistyped or truncated.") },
  [TOKENS_ERROR_TOKEN_CHARACTER] =
    { "token_character", N_("This token contains a character tokens never have: it looks mistyped.") },
  [TOKENS_ERROR_TOKEN_CHECKSUM] =
    { "token_checksum", N_("This token looks mistyped or truncated.") },
  [TOKENS_ERROR_TOKEN_WRONG_KIND] =
    { "token_wrong_kind", N_("This kind of token cannot be used here.") },
  [TOKENS_ERROR_INVALID_INPUT] =
    { "invalid_input", N_("The service did not accept what was sent.") },
  [TOKENS_ERROR_UNAUTHORIZED] =
    { "unauthorized", N_("The service did not accept the token: it may have been reset, revoked or expired.") },
  [TOKENS_ERROR_WRONG_CREDENTIALS] =
    { "wrong_credentials", N_("The email address or the password is wrong.") },
  [TOKENS_ERROR_FORBIDDEN] =
    { "forbidden", N_("This token is not allowed to do that.") },
  [TOKENS_ERROR_NOT_FOUND] =
    { "not_found", N_("The service does not know this item: it may have been deleted.") },
  [TOKENS_ERROR_CONFLICT] =
    { "conflict", N_("This cannot be done in the item’s current state.") },
  [TOKENS_ERROR_RATE_LIMITED] =
    { "rate_limited", N_("Too many attempts. Wait a moment and try again.") },
  [TOKENS_ERROR_CLIENT_TOKEN_REQUIRED] =
    { "client_token_required", N_("The account security token is active and was not sent.") },
  [TOKENS_ERROR_CLIENT_TOKEN_INVALID] =
    { "client_token_invalid", N_("The account security token that was sent is wrong.") },
  [TOKENS_ERROR_SIGNUP_DISABLED] =
    { "signup_disabled", N_("This service does not allow creating accounts.") },
  [TOKENS_ERROR_TOO_LARGE] =
    { "too_large", N_("The request is too large.") },
  [TOKENS_ERROR_SERVER] =
    { "server_error", N_("The service had a problem. Try again later.") },
  [TOKENS_ERROR_BAD_RESPONSE] =
    { "bad_response", N_("The service sent a reply that could not be understood.") },
  [TOKENS_ERROR_NETWORK] =
    { "network", N_("The service cannot be reached. Check the address and your connection.") },
  [TOKENS_ERROR_TIMEOUT] =
    { "timeout", N_("The service took too long to answer.") },
  [TOKENS_ERROR_TLS] =
    { "tls", N_("The service’s identity could not be verified: its certificate is not trusted.") },
  [TOKENS_ERROR_INSECURE_URL] =
    { "insecure_url", N_("This address is not encrypted (http://). Use https://, or allow unencrypted connections for this service.") },
  [TOKENS_ERROR_KEYRING_UNAVAILABLE] =
    { "keyring_unavailable", N_("No keyring is available to keep secrets safe. Nothing was saved.") },
  [TOKENS_ERROR_KEYRING_LOCKED] =
    { "keyring_locked", N_("The keyring is locked. Unlock it to use saved tokens.") },
  [TOKENS_ERROR_LOCAL_SERVICE] =
    { "local_service", N_("The token service on this computer could not be started.") },
  [TOKENS_ERROR_STORAGE] =
    { "storage", N_("The service could not save the change. Nothing was changed.") },
  [TOKENS_ERROR_METHOD_NOT_ALLOWED] =
    { "method_not_allowed", N_("The service does not allow this action here.") },
  [TOKENS_ERROR_UNSUPPORTED_MEDIA_TYPE] =
    { "unsupported_media_type", N_("The service did not accept the format of what was sent.") },
  [TOKENS_ERROR_UNAVAILABLE] =
    { "unavailable", N_("The service is busy or cannot reach its database. Try again in a moment.") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (error_info) == TOKENS_ERROR_LAST + 1);

static const ErrorInfo *
lookup (TokensError code)
{
  if ((guint) code > TOKENS_ERROR_LAST)
    code = TOKENS_ERROR_FAILED;

  return &error_info[code];
}

/**
 * tokens_error_describe:
 * @code: a #TokensError
 *
 * Returns: (transfer none): a translated sentence a person can read
 */
const char *
tokens_error_describe (TokensError code)
{
  return g_dgettext (GETTEXT_PACKAGE, lookup (code)->sentence);
}

/**
 * tokens_error_code_to_nick:
 * @code: a #TokensError
 *
 * Returns: (transfer none): the stable machine name of @code, as the
 *   service writes it in the `code` field of its errors
 */
const char *
tokens_error_code_to_nick (TokensError code)
{
  return lookup (code)->nick;
}

/**
 * tokens_error_code_from_nick:
 * @nick: a machine name, such as "unauthorized"
 * @code: (out): where to put the code
 *
 * Returns: %TRUE if @nick names a code
 */
gboolean
tokens_error_code_from_nick (const char  *nick,
                             TokensError *code)
{
  g_return_val_if_fail (code != NULL, FALSE);

  if (nick == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (error_info); i++)
    {
      if (g_str_equal (nick, error_info[i].nick))
        {
          *code = (TokensError) i;
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * tokens_error_new_described:
 * @code: a #TokensError
 *
 * Returns: (transfer full): a #GError of @code whose message is its
 *   translated sentence
 */
GError *
tokens_error_new_described (TokensError code)
{
  return g_error_new_literal (TOKENS_ERROR, code, tokens_error_describe (code));
}
