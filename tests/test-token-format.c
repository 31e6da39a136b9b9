/* test-token-format.c — the token format, offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "tokens-core.h"

/* CRC-32/ISO-HDLC check value from the catalogue of parametrised CRCs. */
static void
test_crc32_matches_the_standard_check_value (void)
{
  g_assert_cmphex (tokens_crc32 ((const guint8 *) "123456789", 9), ==, 0xCBF43926u);
  g_assert_cmphex (tokens_crc32 ((const guint8 *) "", 0), ==, 0x00000000u);
  g_assert_cmphex (tokens_crc32 ((const guint8 *) "a", 1), ==, 0xE8B7BE43u);
}

/* Fixed vectors, computed independently with Python's zlib.crc32: they pin the
 * checksum encoding (six base62 digits, most significant first), so a
 * change to it that would invalidate every issued token fails here. */
static void
test_checksum_fixed_vectors (void)
{
  static const struct {
    const char *entropy;
    const char *checksum;
  } vectors[] = {
    /* 0xCBF43926 = 3421780262 */
    { "123456789", "3jZRME" },
    /* 0x00000000 */
    { "", "000000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (vectors); i++)
    {
      char out[TOKENS_TOKEN_CHECKSUM_LEN + 1];

      tokens_token_checksum (vectors[i].entropy, strlen (vectors[i].entropy), out);
      g_assert_cmpstr (out, ==, vectors[i].checksum);
    }
}

static void
test_fixed_token_is_accepted (void)
{
  /* Entropy 32 × 'a'; checksum from zlib.crc32 as above. */
  static const char token[] = "tkacc_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3i8aJj";
  g_autoptr(GError) error = NULL;
  TokensTokenKind kind = TOKENS_TOKEN_KIND_API_KEY;

  g_assert_true (tokens_token_validate (token, &kind, &error));
  g_assert_no_error (error);
  g_assert_cmpint (kind, ==, TOKENS_TOKEN_KIND_ACCESS);
}

static void
test_generated_tokens_have_the_documented_shape (void)
{
  for (guint kind = 0; kind < TOKENS_TOKEN_N_KINDS; kind++)
    {
      g_autoptr(TokensSecret) token = tokens_token_generate (kind);
      g_autofree char *prefix = g_strconcat (tokens_token_kind_prefix (kind), "_", NULL);
      g_autoptr(GError) error = NULL;
      TokensTokenKind parsed = (kind + 1) % TOKENS_TOKEN_N_KINDS;

      g_assert_cmpuint (strlen (token), ==, TOKENS_TOKEN_LEN);
      g_assert_true (g_str_has_prefix (token, prefix));
      for (const char *c = token + strlen (prefix); *c; c++)
        g_assert_true (g_ascii_isalnum (*c));

      g_assert_true (tokens_token_validate (token, &parsed, &error));
      g_assert_no_error (error);
      g_assert_cmpint (parsed, ==, kind);
    }
}

static void
test_generated_tokens_differ (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint counts[62] = { 0 };
  guint total = 0;

  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(TokensSecret) token = tokens_token_generate (TOKENS_TOKEN_KIND_ACCESS);
      const char *entropy = token + TOKENS_TOKEN_PREFIX_LEN + 1;

      g_assert_false (g_hash_table_contains (seen, token));
      g_hash_table_add (seen, g_strdup (token));

      for (guint j = 0; j < TOKENS_TOKEN_ENTROPY_LEN; j++, total++)
        {
          char c = entropy[j];
          guint index = g_ascii_isdigit (c) ? c - '0'
                      : g_ascii_isupper (c) ? 10 + c - 'A'
                      : 36 + c - 'a';
          counts[index]++;
        }
    }

  /* 64000 draws over 62 symbols: about 1032 each. A broken generator
   * (a fixed seed, a modulo of a single byte, a short alphabet) lands far
   * outside these loose bounds; a uniform one essentially never does. */
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      g_assert_cmpuint (counts[i], >, total / 62 * 3 / 4);
      g_assert_cmpuint (counts[i], <, total / 62 * 5 / 4);
    }
}

static void
assert_rejected (const char  *token,
                 TokensError  code)
{
  g_autoptr(GError) error = NULL;
  TokensTokenKind kind = TOKENS_TOKEN_KIND_CLIENT;

  g_assert_false (tokens_token_validate (token, &kind, &error));
  g_assert_error (error, TOKENS_ERROR, (int) code);
  g_assert_cmpint (kind, ==, TOKENS_TOKEN_KIND_CLIENT);
  /* The message is for people, and never repeats the token. */
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
  if (token != NULL && token[0] != '\0')
    g_assert_null (strstr (error->message, token));
}

static void
test_each_kind_of_bad_token_is_told_apart (void)
{
  g_autoptr(TokensSecret) good = tokens_token_generate (TOKENS_TOKEN_KIND_API_KEY);
  g_autofree char *other_vendor = g_strconcat ("ghp", good + TOKENS_TOKEN_PREFIX_LEN, NULL);
  g_autofree char *no_underscore = g_strdup (good);
  g_autofree char *truncated = g_strndup (good, TOKENS_TOKEN_LEN - 1);
  g_autofree char *longer = g_strconcat (good, "x", NULL);
  g_autofree char *space = g_strdup (good);
  g_autofree char *bad_sum = g_strdup (good);
  g_autofree char *newline = g_strconcat (good, "\n", NULL);

  no_underscore[TOKENS_TOKEN_PREFIX_LEN] = 'x';
  space[10] = ' ';
  bad_sum[TOKENS_TOKEN_LEN - 1] = bad_sum[TOKENS_TOKEN_LEN - 1] == 'z' ? 'y' : 'z';

  assert_rejected (NULL, TOKENS_ERROR_TOKEN_LENGTH);
  assert_rejected ("", TOKENS_ERROR_TOKEN_LENGTH);
  assert_rejected (other_vendor, TOKENS_ERROR_TOKEN_NOT_OURS);
  assert_rejected ("Bearer", TOKENS_ERROR_TOKEN_NOT_OURS);
  assert_rejected (no_underscore, TOKENS_ERROR_TOKEN_NOT_OURS);
  assert_rejected (truncated, TOKENS_ERROR_TOKEN_LENGTH);
  assert_rejected (longer, TOKENS_ERROR_TOKEN_LENGTH);
  assert_rejected (newline, TOKENS_ERROR_TOKEN_LENGTH);
  assert_rejected (space, TOKENS_ERROR_TOKEN_CHARACTER);
  assert_rejected (bad_sum, TOKENS_ERROR_TOKEN_CHECKSUM);
}

static void
test_checksum_error_says_mistyped_or_truncated (void)
{
  g_autoptr(TokensSecret) good = tokens_token_generate (TOKENS_TOKEN_KIND_ACCESS);
  g_autoptr(GError) error = NULL;

  good[8] = good[8] == 'A' ? 'B' : 'A';
  g_assert_false (tokens_token_validate (good, NULL, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_TOKEN_CHECKSUM);
  g_assert_cmpstr (error->message, ==, "This token looks mistyped or truncated.");
}

static const char alphabet[] =
  "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_- .+/=\t";

/* Every single-character substitution, anywhere, into any character a
 * person could paste: none is accepted, of any kind. */
static void
test_every_single_character_change_is_caught (void)
{
  for (guint kind = 0; kind < TOKENS_TOKEN_N_KINDS; kind++)
    {
      g_autoptr(TokensSecret) good = tokens_token_generate (kind);
      g_autofree char *copy = g_strdup (good);
      guint checked = 0;

      for (guint pos = 0; pos < TOKENS_TOKEN_LEN; pos++)
        {
          for (const char *c = alphabet; *c; c++)
            {
              if (*c == good[pos])
                continue;

              copy[pos] = *c;
              g_assert_false (tokens_token_validate (copy, NULL, NULL));
              checked++;
            }
          copy[pos] = good[pos];
        }

      g_assert_cmpuint (checked, ==, TOKENS_TOKEN_LEN * (strlen (alphabet) - 1));
      g_assert_true (tokens_token_validate (copy, NULL, NULL));
    }
}

/* Deletions, insertions and swaps of neighbours: the paste errors people make. */
static void
test_every_deletion_insertion_and_swap_is_caught (void)
{
  g_autoptr(TokensSecret) good = tokens_token_generate (TOKENS_TOKEN_KIND_CLIENT);

  for (guint pos = 0; pos < TOKENS_TOKEN_LEN; pos++)
    {
      g_autoptr(GString) deleted = g_string_new (good);
      g_autoptr(GString) inserted = g_string_new (good);

      g_string_erase (deleted, pos, 1);
      g_assert_false (tokens_token_validate (deleted->str, NULL, NULL));

      g_string_insert_c (inserted, pos, 'Q');
      g_assert_false (tokens_token_validate (inserted->str, NULL, NULL));

      if (pos + 1 < TOKENS_TOKEN_LEN && good[pos] != good[pos + 1])
        {
          g_autofree char *swapped = g_strdup (good);

          swapped[pos] = good[pos + 1];
          swapped[pos + 1] = good[pos];
          g_assert_false (tokens_token_validate (swapped, NULL, NULL));
        }
    }
}

/* Random multi-character mutations of the body: a CRC32 lets through about
 * one in 2^32 of these, so none of a few thousand may pass. */
static void
test_random_mutations_are_caught (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261123);

  for (guint round = 0; round < 20000; round++)
    {
      g_autoptr(TokensSecret) good = tokens_token_generate (round % TOKENS_TOKEN_N_KINDS);
      g_autofree char *copy = g_strdup (good);
      guint changes = g_rand_int_range (rand, 1, 6);

      for (guint i = 0; i < changes; i++)
        {
          guint pos = g_rand_int_range (rand, 0, TOKENS_TOKEN_LEN);
          copy[pos] = alphabet[g_rand_int_range (rand, 0, 62)];
        }

      if (g_str_equal (copy, good))
        continue;

      g_assert_false (tokens_token_validate (copy, NULL, NULL));
    }
}

static void
test_kinds_are_distinguishable (void)
{
  /* No two prefixes are one substitution apart. */
  for (guint a = 0; a < TOKENS_TOKEN_N_KINDS; a++)
    for (guint b = a + 1; b < TOKENS_TOKEN_N_KINDS; b++)
      {
        const char *pa = tokens_token_kind_prefix (a);
        const char *pb = tokens_token_kind_prefix (b);
        guint distance = 0;

        g_assert_cmpuint (strlen (pa), ==, TOKENS_TOKEN_PREFIX_LEN);
        for (guint i = 0; i < TOKENS_TOKEN_PREFIX_LEN; i++)
          distance += pa[i] != pb[i];
        g_assert_cmpuint (distance, >=, 2);
      }

  g_assert_cmpstr (tokens_token_kind_prefix (TOKENS_TOKEN_KIND_API_KEY), ==, "tkapi");
  g_assert_cmpstr (tokens_token_kind_prefix (TOKENS_TOKEN_KIND_ACCESS), ==, "tkacc");
  g_assert_cmpstr (tokens_token_kind_prefix (TOKENS_TOKEN_KIND_CLIENT), ==, "tkcli");
  g_assert_cmpstr (tokens_token_kind_prefix (TOKENS_TOKEN_KIND_SESSION), ==, "tkses");

  /* The same entropy under another prefix is still told apart by kind. */
  {
    g_autoptr(TokensSecret) api = tokens_token_generate (TOKENS_TOKEN_KIND_API_KEY);
    g_autofree char *as_access = g_strconcat ("tkacc", api + TOKENS_TOKEN_PREFIX_LEN, NULL);
    TokensTokenKind kind;

    g_assert_true (tokens_token_validate (as_access, &kind, NULL));
    g_assert_cmpint (kind, ==, TOKENS_TOKEN_KIND_ACCESS);
    g_assert_true (tokens_token_validate (api, &kind, NULL));
    g_assert_cmpint (kind, ==, TOKENS_TOKEN_KIND_API_KEY);
  }
}

static void
test_hash_is_sha256_hex (void)
{
  g_autofree char *hash = tokens_token_hash ("abc");

  /* FIPS 180-2, appendix B.1 */
  g_assert_cmpstr (hash, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
test_hash_equal_compares_whole_digests (void)
{
  g_autoptr(TokensSecret) a = tokens_token_generate (TOKENS_TOKEN_KIND_ACCESS);
  g_autoptr(TokensSecret) b = tokens_token_generate (TOKENS_TOKEN_KIND_ACCESS);
  g_autofree char *ha = tokens_token_hash (a);
  g_autofree char *ha2 = tokens_token_hash (a);
  g_autofree char *hb = tokens_token_hash (b);
  g_autofree char *last_differs = g_strdup (ha);

  last_differs[TOKENS_TOKEN_HASH_LEN - 1] = last_differs[TOKENS_TOKEN_HASH_LEN - 1] == '0' ? '1' : '0';

  g_assert_cmpuint (strlen (ha), ==, TOKENS_TOKEN_HASH_LEN);
  g_assert_true (tokens_token_hash_equal (ha, ha2));
  g_assert_false (tokens_token_hash_equal (ha, hb));
  g_assert_false (tokens_token_hash_equal (ha, last_differs));
  g_assert_false (tokens_token_hash_equal (ha, NULL));
  g_assert_false (tokens_token_hash_equal (ha, "abc"));
  /* A hash never looks like the token it came from. */
  g_assert_null (strstr (ha, a + TOKENS_TOKEN_PREFIX_LEN + 1));
}

static void
test_last4_gives_away_no_entropy (void)
{
  g_autoptr(TokensSecret) token = tokens_token_generate (TOKENS_TOKEN_KIND_API_KEY);
  g_autofree char *last4 = tokens_token_last4 (token);

  g_assert_cmpuint (strlen (last4), ==, 4);
  /* The last four characters are checksum digits, not entropy. */
  g_assert_cmpstr (last4, ==, token + TOKENS_TOKEN_LEN - 4);
  g_assert_cmpuint (TOKENS_TOKEN_CHECKSUM_LEN, >=, 4);
}

static void
test_secret_free_accepts_null (void)
{
  tokens_secret_free (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/token/crc32-matches-the-standard-check-value", test_crc32_matches_the_standard_check_value);
  g_test_add_func ("/token/checksum-fixed-vectors", test_checksum_fixed_vectors);
  g_test_add_func ("/token/fixed-token-is-accepted", test_fixed_token_is_accepted);
  g_test_add_func ("/token/generated-tokens-have-the-documented-shape", test_generated_tokens_have_the_documented_shape);
  g_test_add_func ("/token/generated-tokens-differ", test_generated_tokens_differ);
  g_test_add_func ("/token/each-kind-of-bad-token-is-told-apart", test_each_kind_of_bad_token_is_told_apart);
  g_test_add_func ("/token/checksum-error-says-mistyped-or-truncated", test_checksum_error_says_mistyped_or_truncated);
  g_test_add_func ("/token/every-single-character-change-is-caught", test_every_single_character_change_is_caught);
  g_test_add_func ("/token/every-deletion-insertion-and-swap-is-caught", test_every_deletion_insertion_and_swap_is_caught);
  g_test_add_func ("/token/random-mutations-are-caught", test_random_mutations_are_caught);
  g_test_add_func ("/token/kinds-are-distinguishable", test_kinds_are_distinguishable);
  g_test_add_func ("/token/hash-is-sha256-hex", test_hash_is_sha256_hex);
  g_test_add_func ("/token/hash-equal-compares-whole-digests", test_hash_equal_compares_whole_digests);
  g_test_add_func ("/token/last4-gives-away-no-entropy", test_last4_gives_away_no_entropy);
  g_test_add_func ("/token/secret-free-accepts-null", test_secret_free_accepts_null);

  return g_test_run ();
}
