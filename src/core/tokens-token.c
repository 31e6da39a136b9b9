/* tokens-token.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The token format: `<prefix>_<entropy><checksum>`, in the manner of
 * GitHub's tokens. The entropy is base62 from libsodium's CSPRNG; the
 * checksum is the CRC32 of the entropy characters, in six base62 digits,
 * so a paste error or a truncated token is caught offline and a leaked
 * token can be recognised by a scanner. The service keeps only a SHA-256
 * of a token and compares digests in constant time.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "tokens-error.h"
#include "tokens-token.h"

static const char base62[] =
  "0123456789"
  "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
  "abcdefghijklmnopqrstuvwxyz";

static const char *const kind_prefixes[TOKENS_TOKEN_N_KINDS] = {
  [TOKENS_TOKEN_KIND_API_KEY] = "tkapi",
  [TOKENS_TOKEN_KIND_ACCESS] = "tkacc",
  [TOKENS_TOKEN_KIND_CLIENT] = "tkcli",
  [TOKENS_TOKEN_KIND_SESSION] = "tkses",
};

static void
ensure_sodium (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      /* Without a working CSPRNG no secret can be made safely: stop. */
      if (sodium_init () < 0)
        g_error ("libsodium could not be initialised");
      g_once_init_leave (&initialized, 1);
    }
}

static inline gboolean
is_base62 (char c)
{
  return g_ascii_isalnum (c);
}

/**
 * tokens_secret_free:
 * @secret: (nullable): a secret string
 *
 * Wipes @secret's bytes, then frees it.
 */
void
tokens_secret_free (TokensSecret *secret)
{
  if (secret == NULL)
    return;

  sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

const char *
tokens_token_kind_prefix (TokensTokenKind kind)
{
  g_return_val_if_fail ((guint) kind < TOKENS_TOKEN_N_KINDS, NULL);

  return kind_prefixes[kind];
}

/**
 * tokens_crc32:
 *
 * CRC-32 as in zlib and PNG (IEEE 802.3, reflected, poly 0xEDB88320).
 * Computed bitwise: tokens are short, and no table sits in memory.
 */
guint32
tokens_crc32 (const guint8 *data,
              gsize         len)
{
  guint32 crc = 0xFFFFFFFFu;

  for (gsize i = 0; i < len; i++)
    {
      crc ^= data[i];
      for (guint bit = 0; bit < 8; bit++)
        crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }

  return crc ^ 0xFFFFFFFFu;
}

/**
 * tokens_token_checksum:
 * @entropy: the entropy characters
 * @len: how many
 * @out: where to write six base62 digits and a NUL
 *
 * Writes the CRC32 of @entropy as six base62 digits, most significant first.
 */
void
tokens_token_checksum (const char *entropy,
                       gsize       len,
                       char        out[TOKENS_TOKEN_CHECKSUM_LEN + 1])
{
  guint32 crc = tokens_crc32 ((const guint8 *) entropy, len);

  for (int i = TOKENS_TOKEN_CHECKSUM_LEN - 1; i >= 0; i--)
    {
      out[i] = base62[crc % 62];
      crc /= 62;
    }
  out[TOKENS_TOKEN_CHECKSUM_LEN] = '\0';
}

/**
 * tokens_token_generate:
 * @kind: the kind of token
 *
 * Returns: (transfer full): a new secret, from libsodium's CSPRNG; free it
 *   with tokens_secret_free()
 */
TokensSecret *
tokens_token_generate (TokensTokenKind kind)
{
  char *token;
  char *entropy;

  g_return_val_if_fail ((guint) kind < TOKENS_TOKEN_N_KINDS, NULL);

  ensure_sodium ();

  token = g_malloc (TOKENS_TOKEN_LEN + 1);
  memcpy (token, kind_prefixes[kind], TOKENS_TOKEN_PREFIX_LEN);
  token[TOKENS_TOKEN_PREFIX_LEN] = '_';

  entropy = token + TOKENS_TOKEN_PREFIX_LEN + 1;
  /* randombytes_uniform() rejects samples past the largest multiple of 62,
   * so every character is uniform: 32 of them carry 190 bits. */
  for (guint i = 0; i < TOKENS_TOKEN_ENTROPY_LEN; i++)
    entropy[i] = base62[randombytes_uniform (62)];

  tokens_token_checksum (entropy, TOKENS_TOKEN_ENTROPY_LEN, entropy + TOKENS_TOKEN_ENTROPY_LEN);

  return token;
}

/**
 * tokens_token_validate:
 * @token: (nullable): what claims to be one of our tokens
 * @out_kind: (out) (optional): its kind
 * @error: where to put why it is not
 *
 * Checks @token offline, without asking anyone: its prefix, its length,
 * its alphabet and its checksum, in that order, so the error says the
 * most useful thing. Nothing of @token is ever put in @error.
 *
 * Returns: %TRUE if @token is well formed
 */
gboolean
tokens_token_validate (const char       *token,
                       TokensTokenKind  *out_kind,
                       GError          **error)
{
  const char *body;
  char checksum[TOKENS_TOKEN_CHECKSUM_LEN + 1];
  gsize len;
  guint kind;

  if (token == NULL || token[0] == '\0')
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_TOKEN_LENGTH,
                           _("The token is empty."));
      return FALSE;
    }

  for (kind = 0; kind < TOKENS_TOKEN_N_KINDS; kind++)
    {
      if (strncmp (token, kind_prefixes[kind], TOKENS_TOKEN_PREFIX_LEN) == 0 &&
          token[TOKENS_TOKEN_PREFIX_LEN] == '_')
        break;
    }

  if (kind == TOKENS_TOKEN_N_KINDS)
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_TOKEN_NOT_OURS,
                           tokens_error_describe (TOKENS_ERROR_TOKEN_NOT_OURS));
      return FALSE;
    }

  /* Bounded: never walk far into a huge header value. */
  len = strnlen (token, TOKENS_TOKEN_LEN + 1);
  if (len != TOKENS_TOKEN_LEN)
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_TOKEN_LENGTH,
                           tokens_error_describe (TOKENS_ERROR_TOKEN_LENGTH));
      return FALSE;
    }

  body = token + TOKENS_TOKEN_PREFIX_LEN + 1;
  for (guint i = 0; i < TOKENS_TOKEN_ENTROPY_LEN + TOKENS_TOKEN_CHECKSUM_LEN; i++)
    {
      if (!is_base62 (body[i]))
        {
          g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_TOKEN_CHARACTER,
                               tokens_error_describe (TOKENS_ERROR_TOKEN_CHARACTER));
          return FALSE;
        }
    }

  tokens_token_checksum (body, TOKENS_TOKEN_ENTROPY_LEN, checksum);
  if (memcmp (checksum, body + TOKENS_TOKEN_ENTROPY_LEN, TOKENS_TOKEN_CHECKSUM_LEN) != 0)
    {
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_TOKEN_CHECKSUM,
                           tokens_error_describe (TOKENS_ERROR_TOKEN_CHECKSUM));
      return FALSE;
    }

  if (out_kind != NULL)
    *out_kind = (TokensTokenKind) kind;

  return TRUE;
}

/**
 * tokens_token_hash:
 * @token: a token
 *
 * Returns: (transfer full): the lowercase hex SHA-256 of @token, the only
 *   form in which the service stores it
 */
char *
tokens_token_hash (const char *token)
{
  guint8 digest[crypto_hash_sha256_BYTES];
  char *hex;

  g_return_val_if_fail (token != NULL, NULL);

  ensure_sodium ();

  crypto_hash_sha256 (digest, (const guint8 *) token, strlen (token));
  hex = g_malloc (TOKENS_TOKEN_HASH_LEN + 1);
  sodium_bin2hex (hex, TOKENS_TOKEN_HASH_LEN + 1, digest, sizeof digest);
  sodium_memzero (digest, sizeof digest);

  return hex;
}

/**
 * tokens_token_hash_equal:
 *
 * Compares two hashes from tokens_token_hash() in constant time.
 *
 * Returns: %TRUE if both are well formed and equal
 */
gboolean
tokens_token_hash_equal (const char *hash_a,
                         const char *hash_b)
{
  if (hash_a == NULL || hash_b == NULL)
    return FALSE;

  if (strnlen (hash_a, TOKENS_TOKEN_HASH_LEN + 1) != TOKENS_TOKEN_HASH_LEN ||
      strnlen (hash_b, TOKENS_TOKEN_HASH_LEN + 1) != TOKENS_TOKEN_HASH_LEN)
    return FALSE;

  ensure_sodium ();

  return sodium_memcmp (hash_a, hash_b, TOKENS_TOKEN_HASH_LEN) == 0;
}

/**
 * tokens_token_last4:
 * @token: a token
 *
 * Returns: (transfer full): the last four characters, which are shown
 *   beside a hidden token so a person can tell tokens apart; they are
 *   checksum digits, so they give away no entropy
 */
char *
tokens_token_last4 (const char *token)
{
  gsize len;

  g_return_val_if_fail (token != NULL, NULL);

  len = strlen (token);
  return g_strdup (len >= 4 ? token + len - 4 : token);
}

/**
 * tokens_token_hint:
 * @kind: the token's kind
 * @last4: (nullable): its last four characters
 *
 * Returns: (transfer full): the token as shown while hidden: its prefix,
 *   dots, and the last four characters a person can tell tokens apart by
 */
char *
tokens_token_hint (TokensTokenKind  kind,
                   const char      *last4)
{
  g_return_val_if_fail ((guint) kind < TOKENS_TOKEN_N_KINDS, NULL);

  return g_strdup_printf ("%s_••••••••••••••••%s", kind_prefixes[kind], last4 ? last4 : "");
}
