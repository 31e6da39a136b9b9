/* fuzz-token.c — any bytes into tokens_token_validate()
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server runs every Authorization and Client-Token header through
 * tokens_token_validate() before it looks anything up, so it meets
 * whatever a client sends. A token it accepts must have the documented
 * shape; one it refuses must be refused in the token codes, and the
 * error must not repeat the token.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "tokens-error.h"
#include "tokens-token.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_refused (const char   *token,
               const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == TOKENS_ERROR);
  g_assert_true (error->code == TOKENS_ERROR_TOKEN_NOT_OURS ||
                 error->code == TOKENS_ERROR_TOKEN_LENGTH ||
                 error->code == TOKENS_ERROR_TOKEN_CHARACTER ||
                 error->code == TOKENS_ERROR_TOKEN_CHECKSUM);

  /* "tk" + three letters + '_' + four more is in no sentence of ours: if
   * the message holds it, the message quotes the token. */
  if (strlen (token) >= TOKENS_TOKEN_PREFIX_LEN + 5 && g_str_has_prefix (token, "tk"))
    {
      g_autofree char *start = g_strndup (token, TOKENS_TOKEN_PREFIX_LEN + 5);

      g_assert_null (strstr (error->message, start));
    }
}

static void
check_accepted (const char      *token,
                TokensTokenKind  kind)
{
  const char *body = token + TOKENS_TOKEN_PREFIX_LEN + 1;
  char checksum[TOKENS_TOKEN_CHECKSUM_LEN + 1];
  g_autofree char *hash = NULL;
  g_autofree char *last4 = NULL;
  g_autofree char *typo = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (kind, <, TOKENS_TOKEN_N_KINDS);
  g_assert_cmpuint (strlen (token), ==, TOKENS_TOKEN_LEN);
  g_assert_true (strncmp (token, tokens_token_kind_prefix (kind), TOKENS_TOKEN_PREFIX_LEN) == 0);
  g_assert_cmpint (token[TOKENS_TOKEN_PREFIX_LEN], ==, '_');
  for (guint i = 0; i < TOKENS_TOKEN_ENTROPY_LEN + TOKENS_TOKEN_CHECKSUM_LEN; i++)
    g_assert_true (g_ascii_isalnum (body[i]));

  tokens_token_checksum (body, TOKENS_TOKEN_ENTROPY_LEN, checksum);
  g_assert_cmpmem (checksum, TOKENS_TOKEN_CHECKSUM_LEN,
                   body + TOKENS_TOKEN_ENTROPY_LEN, TOKENS_TOKEN_CHECKSUM_LEN);

  /* The form the service stores and compares. */
  hash = tokens_token_hash (token);
  g_assert_cmpuint (strlen (hash), ==, TOKENS_TOKEN_HASH_LEN);
  for (guint i = 0; i < TOKENS_TOKEN_HASH_LEN; i++)
    g_assert_true (g_ascii_isdigit (hash[i]) || (hash[i] >= 'a' && hash[i] <= 'f'));
  g_assert_true (tokens_token_hash_equal (hash, hash));

  last4 = tokens_token_last4 (token);
  g_assert_cmpstr (last4, ==, token + TOKENS_TOKEN_LEN - 4);

  /* The checksum's promise: one character mistyped is always caught. */
  typo = g_strdup (token);
  typo[TOKENS_TOKEN_PREFIX_LEN + 1] = typo[TOKENS_TOKEN_PREFIX_LEN + 1] == 'a' ? 'b' : 'a';
  g_assert_false (tokens_token_validate (typo, NULL, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_TOKEN_CHECKSUM);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GError) error = NULL;
  TokensTokenKind kind = TOKENS_TOKEN_N_KINDS;
  char *token;

  /* Exactly size + 1 bytes, so a read past the NUL is AddressSanitizer's. */
  token = g_malloc (size + 1);
  memcpy (token, data, size);
  token[size] = '\0';

  if (tokens_token_validate (token, &kind, &error))
    {
      g_assert_no_error (error);
      check_accepted (token, kind);
    }
  else
    {
      check_refused (token, error);
      g_assert_cmpint (kind, ==, TOKENS_TOKEN_N_KINDS);
    }

  g_free (token);
  return 0;
}
