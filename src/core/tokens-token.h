/* tokens-token.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * TokensTokenKind:
 * @TOKENS_TOKEN_KIND_API_KEY: an account's personal API token (prefix `tkapi`)
 * @TOKENS_TOKEN_KIND_ACCESS: a named access token with scopes (prefix `tkacc`)
 * @TOKENS_TOKEN_KIND_CLIENT: an account security token, sent as `Client-Token` (prefix `tkcli`)
 * @TOKENS_TOKEN_KIND_SESSION: a signed-in session of the app (prefix `tkses`)
 *
 * The kinds of secret the service issues. Every pair of prefixes differs
 * in at least two characters, so no single typo turns one kind into another.
 */
typedef enum
{
  TOKENS_TOKEN_KIND_API_KEY,
  TOKENS_TOKEN_KIND_ACCESS,
  TOKENS_TOKEN_KIND_CLIENT,
  TOKENS_TOKEN_KIND_SESSION,
} TokensTokenKind;

#define TOKENS_TOKEN_N_KINDS       4
#define TOKENS_TOKEN_PREFIX_LEN    5
#define TOKENS_TOKEN_ENTROPY_LEN   32
#define TOKENS_TOKEN_CHECKSUM_LEN  6
/* prefix, '_', entropy, checksum */
#define TOKENS_TOKEN_LEN (TOKENS_TOKEN_PREFIX_LEN + 1 + TOKENS_TOKEN_ENTROPY_LEN + TOKENS_TOKEN_CHECKSUM_LEN)
/* lowercase hex of a SHA-256 digest */
#define TOKENS_TOKEN_HASH_LEN      64

/* A string holding a secret: freed with tokens_secret_free(), which wipes it. */
typedef char TokensSecret;

void          tokens_secret_free          (TokensSecret     *secret);

const char   *tokens_token_kind_prefix    (TokensTokenKind   kind);
TokensSecret *tokens_token_generate       (TokensTokenKind   kind);
gboolean      tokens_token_validate       (const char       *token,
                                           TokensTokenKind  *out_kind,
                                           GError          **error);
void          tokens_token_checksum       (const char       *entropy,
                                           gsize             len,
                                           char              out[TOKENS_TOKEN_CHECKSUM_LEN + 1]);
char         *tokens_token_hash           (const char       *token);
gboolean      tokens_token_hash_equal     (const char       *hash_a,
                                           const char       *hash_b);
char         *tokens_token_last4          (const char       *token);
char         *tokens_token_hint           (TokensTokenKind   kind,
                                           const char       *last4);
guint32       tokens_crc32                (const guint8     *data,
                                           gsize             len);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TokensSecret, tokens_secret_free)

G_END_DECLS
