/* tokens-format.h — which service a pasted secret belongs to, offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "tokens-token.h"

G_BEGIN_DECLS

/* The service id of a secret that no rule recognises. */
#define TOKENS_FORMAT_SERVICE_OTHER "other"

/**
 * TokensFormatChecksum:
 * @TOKENS_FORMAT_CHECKSUM_NONE: the format carries no checksum
 * @TOKENS_FORMAT_CHECKSUM_CRC32_BASE62: the last six characters are the
 *   CRC-32 (zlib's) of the characters between the prefix and them, in base62
 *   (`0-9A-Za-z`), most significant digit first: GitHub, npm and Tokens
 * @TOKENS_FORMAT_CHECKSUM_GITLAB_ROUTABLE: GitLab's routable tokens: the last
 *   seven characters are the CRC-32 of everything before them, prefix
 *   included, in lowercase base36; the two before them are the length of
 *   the base64url payload in base36
 *
 * How a format's checksum is computed. Rules files name them
 * "none", "crc32-base62" and "gitlab-routable".
 */
typedef enum
{
  TOKENS_FORMAT_CHECKSUM_NONE,
  TOKENS_FORMAT_CHECKSUM_CRC32_BASE62,
  TOKENS_FORMAT_CHECKSUM_GITLAB_ROUTABLE,
} TokensFormatChecksum;

/**
 * TokensFormatCheck:
 * @TOKENS_FORMAT_CHECK_OTHER: no rule recognises the secret: "other service"
 * @TOKENS_FORMAT_CHECK_VALID: the secret has its format's shape and its
 *   checksum matches
 * @TOKENS_FORMAT_CHECK_NO_CHECKSUM: the secret has its format's shape; the
 *   format has no checksum, so a typo cannot be told apart
 * @TOKENS_FORMAT_CHECK_MISTYPED: the prefix names a format, but the rest does
 *   not fit it (see #TokensFormatProblem): mistyped or truncated
 *
 * The verdict on a pasted secret.
 */
typedef enum
{
  TOKENS_FORMAT_CHECK_OTHER,
  TOKENS_FORMAT_CHECK_VALID,
  TOKENS_FORMAT_CHECK_NO_CHECKSUM,
  TOKENS_FORMAT_CHECK_MISTYPED,
} TokensFormatCheck;

/**
 * TokensFormatProblem:
 * @TOKENS_FORMAT_PROBLEM_NONE: nothing wrong (or nothing known)
 * @TOKENS_FORMAT_PROBLEM_TOO_SHORT: shorter than the format's tokens
 * @TOKENS_FORMAT_PROBLEM_TOO_LONG: longer than the format's tokens
 * @TOKENS_FORMAT_PROBLEM_CHARACTER: a character the format never has (a
 *   space inside, say)
 * @TOKENS_FORMAT_PROBLEM_SHAPE: the right characters in the wrong places
 * @TOKENS_FORMAT_PROBLEM_CHECKSUM: the checksum does not match
 *
 * Why a secret is %TOKENS_FORMAT_CHECK_MISTYPED, so a message can say more.
 */
typedef enum
{
  TOKENS_FORMAT_PROBLEM_NONE,
  TOKENS_FORMAT_PROBLEM_TOO_SHORT,
  TOKENS_FORMAT_PROBLEM_TOO_LONG,
  TOKENS_FORMAT_PROBLEM_CHARACTER,
  TOKENS_FORMAT_PROBLEM_SHAPE,
  TOKENS_FORMAT_PROBLEM_CHECKSUM,
} TokensFormatProblem;

/* A loaded rules file: immutable, reference counted, safe to share
 * between threads. */
typedef struct _TokensFormatRules TokensFormatRules;

/* One entry of a rules file; it lives as long as its rules. */
typedef struct _TokensFormat TokensFormat;

/**
 * TokensFormatMatch:
 * @format: (nullable): the recognised format, owned by the rules; %NULL for
 *   another service
 * @prefix: (nullable): which of @format's prefixes the secret starts with,
 *   owned by the rules
 * @check: the verdict
 * @problem: why, when @check is %TOKENS_FORMAT_CHECK_MISTYPED
 *
 * What tokens_format_recognize() found. It holds nothing of the secret.
 */
typedef struct
{
  const TokensFormat  *format;
  const char          *prefix;
  TokensFormatCheck    check;
  TokensFormatProblem  problem;
} TokensFormatMatch;

TokensFormatRules   *tokens_format_rules_get_default      (void);
TokensFormatRules   *tokens_format_rules_new_from_file    (const char         *path,
                                                           GError            **error);
TokensFormatRules   *tokens_format_rules_new_from_data    (const char         *data,
                                                           gssize              length,
                                                           const char         *origin,
                                                           GError            **error);
TokensFormatRules   *tokens_format_rules_ref              (TokensFormatRules  *rules);
void                 tokens_format_rules_unref            (TokensFormatRules  *rules);
guint                tokens_format_rules_get_n_formats    (TokensFormatRules  *rules);
const TokensFormat  *tokens_format_rules_get_format       (TokensFormatRules  *rules,
                                                           guint               index);
const TokensFormat  *tokens_format_rules_lookup           (TokensFormatRules  *rules,
                                                           const char         *id);

gboolean             tokens_format_recognize              (TokensFormatRules  *rules,
                                                           const char         *secret,
                                                           TokensFormatMatch  *match);
TokensSecret        *tokens_format_trim_pasted            (const char         *pasted);

const char          *tokens_format_get_id                 (const TokensFormat *format);
const char          *tokens_format_get_service_id         (const TokensFormat *format);
const char          *tokens_format_get_display_name       (const TokensFormat *format);
const char          *tokens_format_get_initial            (const TokensFormat *format);
const char          *tokens_format_get_manage_url         (const TokensFormat *format);
const char * const  *tokens_format_get_prefixes           (const TokensFormat *format);
TokensFormatChecksum tokens_format_get_checksum           (const TokensFormat *format);
gboolean             tokens_format_has_checksum           (const TokensFormat *format);

const char          *tokens_format_match_get_service_id   (const TokensFormatMatch *match);
const char          *tokens_format_match_get_display_name (const TokensFormatMatch *match);
const char          *tokens_format_match_describe         (const TokensFormatMatch *match);

const char          *tokens_format_checksum_to_string     (TokensFormatChecksum checksum);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TokensFormatRules, tokens_format_rules_unref)

G_END_DECLS
