/* test-token-formats.c — recognising other services' tokens, offline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every example token is made here, from a fixed seed, and its checksum
 * computed by this file's own CRC-32 (table-driven, unlike libtokens'
 * bitwise one) and its own base62 and base36 encoders: a shared mistake
 * between the library and the test cannot pass. The fixed vectors were
 * computed with Python's zlib.crc32. No token here was issued by anyone.
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include "test-lib-util.h"
#include "tokens.h"

#define SEED 20261202

static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
static const char base36[] = "0123456789abcdefghijklmnopqrstuvwxyz";
static const char base64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
static const char digits[] = "0123456789";
static const char hex[] = "0123456789abcdef";

static guint log_messages;

/* From the resource compiled into libtokens. */
GResource *tokens_lib_get_resource (void);

/* Independent CRC-32 (ISO-HDLC, zlib's), from a table. */
static guint32
ref_crc32 (const char *data,
           gsize       len)
{
  static guint32 table[256];
  guint32 crc = 0xFFFFFFFFu;

  if (table[1] == 0)
    for (guint32 n = 0; n < 256; n++)
      {
        guint32 c = n;

        for (int k = 0; k < 8; k++)
          c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
      }

  for (gsize i = 0; i < len; i++)
    crc = table[(crc ^ (guchar) data[i]) & 0xFF] ^ (crc >> 8);

  return crc ^ 0xFFFFFFFFu;
}

static void
append_number (GString    *out,
               guint64     value,
               const char *digit_set,
               guint       width)
{
  guint base = strlen (digit_set);
  char buf[32];
  guint n = 0;

  do
    {
      buf[n++] = digit_set[value % base];
      value /= base;
    }
  while (value > 0);
  while (n < width)
    buf[n++] = digit_set[0];
  while (n > 0)
    g_string_append_c (out, buf[--n]);
}

static void
append_random (GString    *out,
               GRand      *rand,
               const char *alphabet,
               guint       count)
{
  gint32 n = strlen (alphabet);

  for (guint i = 0; i < count; i++)
    g_string_append_c (out, alphabet[g_rand_int_range (rand, 0, n)]);
}

/* prefix + random base62 + CRC-32 of the random part in six base62 digits */
static char *
make_crc32_base62 (GRand      *rand,
                   const char *prefix,
                   guint       random_len)
{
  GString *token = g_string_new (prefix);
  gsize start = token->len;

  append_random (token, rand, base62, random_len);
  append_number (token, ref_crc32 (token->str + start, token->len - start), base62, 6);

  return g_string_free (token, FALSE);
}

/* GitLab's routable token: prefix, the base64url of a routing payload, 16
 * random bytes and their count, a version (or none, as before April 2025),
 * the payload's length and the CRC-32 of all that in base36. */
static char *
make_gitlab_routable (GRand    *rand,
                      gboolean  versioned)
{
  g_autoptr(GString) raw = g_string_new ("o:1\nu:");
  g_autofree char *encoded = NULL;
  GString *token = g_string_new ("glpat-");
  gsize payload_len;

  append_random (raw, rand, base36, g_rand_int_range (rand, 1, 13));
  for (int i = 0; i < 16; i++)
    g_string_append_c (raw, (char) g_rand_int_range (rand, 0, 256));
  g_string_append_c (raw, 16);

  encoded = g_base64_encode ((const guchar *) raw->str, raw->len);
  for (char *c = encoded; *c; c++)
    *c = *c == '+' ? '-' : *c == '/' ? '_' : *c;
  payload_len = strcspn (encoded, "=");
  g_string_append_len (token, encoded, payload_len);
  g_string_append_c (token, '.');
  if (versioned)
    g_string_append (token, "01.");
  append_number (token, payload_len, base36, 2);
  append_number (token, ref_crc32 (token->str, token->len), base36, 7);

  return g_string_free (token, FALSE);
}

typedef char *(*MakeFunc) (GRand *rand, const char *prefix);

static char *
make_github_classic (GRand *rand, const char *prefix)
{
  return make_crc32_base62 (rand, prefix, 30);
}

static char *
make_npm (GRand *rand, const char *prefix)
{
  return make_crc32_base62 (rand, prefix, 30);
}

static char *
make_tokens (GRand *rand, const char *prefix)
{
  return make_crc32_base62 (rand, prefix, 32);
}

static char *
make_github_fine_grained (GRand *rand, const char *prefix)
{
  GString *token = g_string_new (prefix);

  append_random (token, rand, base62, 22);
  g_string_append_c (token, '_');
  append_random (token, rand, base62, 59);
  return g_string_free (token, FALSE);
}

static char *
make_gitlab_pat (GRand *rand, const char *prefix)
{
  GString *token = g_string_new (prefix);

  append_random (token, rand, base64url, 20);
  return g_string_free (token, FALSE);
}

static char *
make_gitlab_versioned (GRand *rand, const char *prefix)
{
  return make_gitlab_routable (rand, TRUE);
}

static char *
make_huggingface (GRand *rand, const char *prefix)
{
  GString *token = g_string_new (prefix);

  append_random (token, rand, letters, 34);
  return g_string_free (token, FALSE);
}

static char *
make_slack (GRand *rand, const char *prefix)
{
  GString *token = g_string_new (prefix);

  append_random (token, rand, digits, 12);
  g_string_append_c (token, '-');
  append_random (token, rand, digits, 13);
  g_string_append_c (token, '-');
  if (strstr (prefix, "xoxp") != NULL)
    {
      append_random (token, rand, digits, 13);
      g_string_append_c (token, '-');
      append_random (token, rand, hex, 32);
    }
  else
    append_random (token, rand, base62, 24);
  return g_string_free (token, FALSE);
}

static char *
make_stripe (GRand *rand, const char *prefix)
{
  GString *token = g_string_new (prefix);

  append_random (token, rand, base62, g_rand_boolean (rand) ? 24 : 99);
  return g_string_free (token, FALSE);
}

static char *
make_openai_project (GRand *rand, const char *prefix)
{
  GString *token = g_string_new (prefix);
  guint half = g_rand_boolean (rand) ? 74 : 58;

  append_random (token, rand, base64url, half);
  g_string_append (token, "T3BlbkFJ");
  append_random (token, rand, base64url, half);
  return g_string_free (token, FALSE);
}

static char *
make_openai_legacy (GRand *rand, const char *prefix)
{
  GString *token = g_string_new (prefix);

  append_random (token, rand, base62, 20);
  g_string_append (token, "T3BlbkFJ");
  append_random (token, rand, base62, 20);
  return g_string_free (token, FALSE);
}

static const struct {
  const char       *id;
  const char       *service;
  const char       *name;
  TokensFormatCheck check;
  MakeFunc          make;
} examples[] = {
  { "github-classic", "github", "GitHub", TOKENS_FORMAT_CHECK_VALID, make_github_classic },
  { "github-fine-grained", "github", "GitHub", TOKENS_FORMAT_CHECK_NO_CHECKSUM, make_github_fine_grained },
  { "gitlab-pat", "gitlab", "GitLab", TOKENS_FORMAT_CHECK_NO_CHECKSUM, make_gitlab_pat },
  { "gitlab-pat-routable", "gitlab", "GitLab", TOKENS_FORMAT_CHECK_VALID, make_gitlab_versioned },
  { "huggingface", "huggingface", "Hugging Face", TOKENS_FORMAT_CHECK_NO_CHECKSUM, make_huggingface },
  { "npm", "npm", "npm", TOKENS_FORMAT_CHECK_VALID, make_npm },
  { "slack", "slack", "Slack", TOKENS_FORMAT_CHECK_NO_CHECKSUM, make_slack },
  { "stripe-live", "stripe", "Stripe", TOKENS_FORMAT_CHECK_NO_CHECKSUM, make_stripe },
  { "stripe-test", "stripe", "Stripe", TOKENS_FORMAT_CHECK_NO_CHECKSUM, make_stripe },
  { "openai-project", "openai", "OpenAI", TOKENS_FORMAT_CHECK_NO_CHECKSUM, make_openai_project },
  { "openai-legacy", "openai", "OpenAI", TOKENS_FORMAT_CHECK_NO_CHECKSUM, make_openai_legacy },
  { "tokens", "tokens", "Tokens", TOKENS_FORMAT_CHECK_VALID, make_tokens },
};

static void
assert_recognised (const char        *token,
                   const char        *id,
                   TokensFormatCheck  check,
                   TokensFormatProblem problem)
{
  TokensFormatMatch match;
  gboolean found = tokens_format_recognize (tokens_format_rules_get_default (), token, &match);

  if (id == NULL)
    {
      g_assert_false (found);
      g_assert_null (match.format);
      g_assert_null (match.prefix);
      g_assert_cmpint (match.check, ==, TOKENS_FORMAT_CHECK_OTHER);
      g_assert_cmpstr (tokens_format_match_get_service_id (&match), ==, TOKENS_FORMAT_SERVICE_OTHER);
      g_assert_cmpstr (tokens_format_match_get_display_name (&match), ==, "Other service");
      return;
    }

  g_assert_true (found);
  g_assert_nonnull (match.format);
  g_assert_cmpstr (tokens_format_get_id (match.format), ==, id);
  g_assert_cmpint (match.check, ==, check);
  g_assert_cmpint (match.problem, ==, problem);
  g_assert_nonnull (match.prefix);
  {
    g_autoptr(TokensSecret) trimmed = tokens_format_trim_pasted (token);

    g_assert_true (g_str_has_prefix (trimmed, match.prefix));
  }
}

/* Every rule has an example, and every example is recognised, with its
 * service, and with the verdict its format allows. */
static void
test_every_rule_recognises_its_generated_tokens (void)
{
  TokensFormatRules *rules = tokens_format_rules_get_default ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED);

  g_assert_cmpuint (tokens_format_rules_get_n_formats (rules), ==, G_N_ELEMENTS (examples));

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      const TokensFormat *format = tokens_format_rules_lookup (rules, examples[i].id);
      const char * const *prefixes;

      g_assert_nonnull (format);
      g_assert_cmpstr (tokens_format_get_service_id (format), ==, examples[i].service);
      g_assert_cmpstr (tokens_format_get_display_name (format), ==, examples[i].name);
      g_assert_cmpuint (strlen (tokens_format_get_initial (format)), ==, 1);
      g_assert_true (g_ascii_isupper (tokens_format_get_initial (format)[0]));
      g_assert_cmpint (tokens_format_has_checksum (format), ==,
                       examples[i].check == TOKENS_FORMAT_CHECK_VALID);
      if (!g_str_equal (examples[i].id, "tokens"))
        g_assert_true (g_str_has_prefix (tokens_format_get_manage_url (format), "https://"));

      prefixes = tokens_format_get_prefixes (format);
      for (guint p = 0; prefixes[p] != NULL; p++)
        for (guint round = 0; round < 50; round++)
          {
            g_autoptr(TokensSecret) token = examples[i].make (rand, prefixes[p]);
            TokensFormatMatch match;

            g_test_message ("%s, prefix %s, round %u", examples[i].id, prefixes[p], round);
            g_assert_true (tokens_format_recognize (rules, token, &match));
            g_assert_cmpstr (tokens_format_get_id (match.format), ==, examples[i].id);
            g_assert_cmpstr (match.prefix, ==, prefixes[p]);
            g_assert_cmpint (match.check, ==, examples[i].check);
            g_assert_cmpint (match.problem, ==, TOKENS_FORMAT_PROBLEM_NONE);
            g_assert_cmpstr (tokens_format_match_get_service_id (&match), ==, examples[i].service);
            g_assert_cmpstr (tokens_format_match_get_display_name (&match), ==, examples[i].name);
          }
    }
}

/* One character changed in the random part, or in the checksum, of a
 * format with a checksum: "mistyped", never another format. */
static void
test_a_flipped_character_is_mistyped (void)
{
  TokensFormatRules *rules = tokens_format_rules_get_default ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED + 1);

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      const TokensFormat *format = tokens_format_rules_lookup (rules, examples[i].id);
      const char *prefix = tokens_format_get_prefixes (format)[0];

      if (!tokens_format_has_checksum (format))
        continue;

      for (guint round = 0; round < 200; round++)
        {
          g_autoptr(TokensSecret) token = examples[i].make (rand, prefix);
          gsize len = strlen (token);
          /* anywhere after the prefix that holds a letter or a digit */
          gsize pos;
          char was;
          TokensFormatMatch match;

          do
            pos = g_rand_int_range (rand, strlen (prefix), len);
          while (!g_ascii_isalnum (token[pos]));
          was = token[pos];
          do
            token[pos] = base62[g_rand_int_range (rand, 0, 62)];
          while (token[pos] == was ||
                 /* GitLab's tail is lowercase base36: keep its shape */
                 (g_str_equal (examples[i].id, "gitlab-pat-routable") && pos > (gsize) (strchr (token, '.') - token) &&
                  !(g_ascii_isdigit (token[pos]) || g_ascii_islower (token[pos]))));

          g_assert_true (tokens_format_recognize (rules, token, &match));
          g_assert_cmpstr (tokens_format_get_id (match.format), ==, examples[i].id);
          g_assert_cmpint (match.check, ==, TOKENS_FORMAT_CHECK_MISTYPED);
          /* a changed payload-length digit fails the CRC first */
          g_assert_cmpint (match.problem, ==, TOKENS_FORMAT_PROBLEM_CHECKSUM);
          g_assert_cmpstr (tokens_format_match_describe (&match), ==,
                           "This token looks mistyped or truncated.");
        }
    }
}

/* Computed with Python: zlib.crc32 and the encodings of the public
 * descriptions (GitHub's 2021 post; GitLab's routable tokens design
 * document, which puts the prefix under the CRC). */
static void
test_fixed_vectors (void)
{
  assert_recognised ("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", "github-classic",
                     TOKENS_FORMAT_CHECK_VALID, TOKENS_FORMAT_PROBLEM_NONE);
  assert_recognised ("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", "npm",
                     TOKENS_FORMAT_CHECK_VALID, TOKENS_FORMAT_PROBLEM_NONE);
  assert_recognised ("tkacc_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa3i8aJj", "tokens",
                     TOKENS_FORMAT_CHECK_VALID, TOKENS_FORMAT_PROBLEM_NONE);
  assert_recognised ("glpat-bzoxd_Rb5_cHeWe1JH56wr2FCBA.01.0r1hzrrl4", "gitlab-pat-routable",
                     TOKENS_FORMAT_CHECK_VALID, TOKENS_FORMAT_PROBLEM_NONE);
  /* the unversioned form, issued from November 2024 to April 2025 */
  assert_recognised ("glpat-bzoxd_Rb5_cHeWe1JH56wr2FCBA.0r1t0wp16", "gitlab-pat-routable",
                     TOKENS_FORMAT_CHECK_VALID, TOKENS_FORMAT_PROBLEM_NONE);
  /* The CRC of the prefix and the random part would be another: GitHub's
   * covers the random part only. */
  assert_recognised ("ghp_0123456789ABCDEFGHIJabcdefghij4Us3ax", "github-classic",
                     TOKENS_FORMAT_CHECK_MISTYPED, TOKENS_FORMAT_PROBLEM_CHECKSUM);
  assert_recognised ("glpat-bzoxd_Rb5_cHeWe1JH56wr2FCBA.01.0r1hzrrl5", "gitlab-pat-routable",
                     TOKENS_FORMAT_CHECK_MISTYPED, TOKENS_FORMAT_PROBLEM_CHECKSUM);
  /* The payload-length field must say the payload's length (28 here, for
   * 27), even under a CRC that matches. */
  assert_recognised ("glpat-bzoxd_Rb5_cHeWe1JH56wr2FCBA.01.0s1ee6m7y", "gitlab-pat-routable",
                     TOKENS_FORMAT_CHECK_MISTYPED, TOKENS_FORMAT_PROBLEM_SHAPE);
}

static void
test_unversioned_gitlab_routable_tokens_are_recognised (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED + 2);

  for (guint round = 0; round < 100; round++)
    {
      g_autofree char *token = make_gitlab_routable (rand, FALSE);

      assert_recognised (token, "gitlab-pat-routable", TOKENS_FORMAT_CHECK_VALID, TOKENS_FORMAT_PROBLEM_NONE);
    }
}

/* What tokens-server issues (tokens_token_generate()) is Tokens' own. */
static void
test_tokens_own_secrets_are_recognised (void)
{
  for (guint kind = 0; kind < TOKENS_TOKEN_N_KINDS; kind++)
    {
      g_autoptr(TokensSecret) token = tokens_token_generate (kind);
      g_autofree char *prefix = g_strconcat (tokens_token_kind_prefix (kind), "_", NULL);
      TokensFormatMatch match;

      g_assert_true (tokens_format_recognize (tokens_format_rules_get_default (), token, &match));
      g_assert_cmpstr (tokens_format_get_id (match.format), ==, "tokens");
      g_assert_cmpstr (match.prefix, ==, prefix);
      g_assert_cmpint (match.check, ==, TOKENS_FORMAT_CHECK_VALID);

      token[10] = token[10] == 'A' ? 'B' : 'A';
      g_assert_true (tokens_format_recognize (tokens_format_rules_get_default (), token, &match));
      g_assert_cmpint (match.check, ==, TOKENS_FORMAT_CHECK_MISTYPED);
      g_assert_cmpint (match.problem, ==, TOKENS_FORMAT_PROBLEM_CHECKSUM);
    }
}

/* Every substitution of one character, anywhere after the prefix, in a
 * GitHub token: none passes. */
static void
test_every_single_substitution_is_caught (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED + 3);
  g_autoptr(TokensSecret) good = make_github_classic (rand, "ghp_");
  g_autofree char *copy = g_strdup (good);
  TokensFormatMatch match;

  for (gsize pos = 4; pos < strlen (good); pos++)
    {
      for (const char *c = base62; *c; c++)
        {
          if (*c == good[pos])
            continue;
          copy[pos] = *c;
          tokens_format_recognize (tokens_format_rules_get_default (), copy, &match);
          g_assert_cmpint (match.check, ==, TOKENS_FORMAT_CHECK_MISTYPED);
        }
      copy[pos] = good[pos];
    }
}

static void
test_longer_prefix_wins_and_short_prefixes_claim_nothing (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED + 4);
  g_autoptr(TokensSecret) project = make_openai_project (rand, "sk-proj-");
  g_autoptr(TokensSecret) legacy = make_openai_legacy (rand, "sk-");
  g_autoptr(TokensSecret) live = make_stripe (rand, "sk_live_");
  g_autoptr(TokensSecret) restricted = make_stripe (rand, "rk_live_");
  g_autoptr(TokensSecret) test = make_stripe (rand, "sk_test_");
  g_autoptr(TokensSecret) gitlab = make_gitlab_pat (rand, "glpat-");
  g_autoptr(TokensSecret) routable = make_gitlab_routable (rand, TRUE);
  /* cut before its T3BlbkFJ ("OpenAI" in base64), long enough still */
  g_autoptr(TokensSecret) project_short = g_strndup (project, strlen ("sk-proj-") + 50);
  g_autoptr(TokensSecret) anthropic = g_strconcat ("sk-ant-api03-", project + 8, NULL);
  TokensFormatMatch match;

  assert_recognised (project, "openai-project", TOKENS_FORMAT_CHECK_NO_CHECKSUM, TOKENS_FORMAT_PROBLEM_NONE);
  assert_recognised (legacy, "openai-legacy", TOKENS_FORMAT_CHECK_NO_CHECKSUM, TOKENS_FORMAT_PROBLEM_NONE);

  /* sk-proj- cut short is still OpenAI's project key, mistyped; not a
   * legacy key, whose "sk-" alone means nothing. */
  assert_recognised (project_short, "openai-project", TOKENS_FORMAT_CHECK_MISTYPED, TOKENS_FORMAT_PROBLEM_SHAPE);
  /* Another vendor's sk- key is not OpenAI's. */
  assert_recognised (anthropic, NULL, 0, 0);
  assert_recognised ("sk-", NULL, 0, 0);
  assert_recognised ("sk-abc", NULL, 0, 0);

  g_assert_true (tokens_format_recognize (tokens_format_rules_get_default (), live, &match));
  g_assert_cmpstr (tokens_format_get_id (match.format), ==, "stripe-live");
  g_assert_cmpstr (match.prefix, ==, "sk_live_");
  g_assert_true (tokens_format_recognize (tokens_format_rules_get_default (), restricted, &match));
  g_assert_cmpstr (tokens_format_get_id (match.format), ==, "stripe-live");
  g_assert_cmpstr (match.prefix, ==, "rk_live_");
  g_assert_true (tokens_format_recognize (tokens_format_rules_get_default (), test, &match));
  g_assert_cmpstr (tokens_format_get_id (match.format), ==, "stripe-test");
  g_assert_cmpstr (tokens_format_get_manage_url (match.format), ==, "https://dashboard.stripe.com/test/apikeys");

  /* glpat- is two formats: the shape decides. */
  assert_recognised (gitlab, "gitlab-pat", TOKENS_FORMAT_CHECK_NO_CHECKSUM, TOKENS_FORMAT_PROBLEM_NONE);
  assert_recognised (routable, "gitlab-pat-routable", TOKENS_FORMAT_CHECK_VALID, TOKENS_FORMAT_PROBLEM_NONE);

  /* github_pat_ is not a GitHub classic prefix with a typo */
  assert_recognised ("gh_", NULL, 0, 0);
}

static void
test_spaces_and_line_breaks_around_a_paste_are_ignored (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED + 5);
  g_autoptr(TokensSecret) token = make_github_classic (rand, "ghp_");
  const char *wrappers[][2] = {
    { "", "\n" }, { "", "\r\n" }, { "  ", "  " }, { "\t", "\n\n" }, { "\n", "" }, { " \r\n", " \t\r\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (wrappers); i++)
    {
      g_autoptr(TokensSecret) pasted = g_strconcat (wrappers[i][0], token, wrappers[i][1], NULL);
      g_autoptr(TokensSecret) kept = tokens_format_trim_pasted (pasted);

      assert_recognised (pasted, "github-classic", TOKENS_FORMAT_CHECK_VALID, TOKENS_FORMAT_PROBLEM_NONE);
      g_assert_cmpstr (kept, ==, token);
    }

  /* Inside the token, a space or a line break is a character too many. */
  {
    g_autoptr(TokensSecret) split = g_strdup (token);
    g_autoptr(TokensSecret) broken = g_strdup (token);

    split[20] = ' ';
    broken[20] = '\n';
    assert_recognised (split, "github-classic", TOKENS_FORMAT_CHECK_MISTYPED, TOKENS_FORMAT_PROBLEM_CHARACTER);
    assert_recognised (broken, "github-classic", TOKENS_FORMAT_CHECK_MISTYPED, TOKENS_FORMAT_PROBLEM_CHARACTER);
  }
}

static void
test_too_short_and_too_long_are_told (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED + 6);
  TokensFormatMatch match;

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      const TokensFormat *format = tokens_format_rules_lookup (tokens_format_rules_get_default (), examples[i].id);
      const char *prefix = tokens_format_get_prefixes (format)[0];
      g_autoptr(TokensSecret) token = examples[i].make (rand, prefix);
      g_autofree char *padding = g_strnfill (320, 'a');
      g_autoptr(TokensSecret) longer = g_strconcat (token, padding, NULL);
      g_autoptr(TokensSecret) cut = g_strndup (token, strlen (prefix) + 5);
      gboolean found;

      /* A prefix that claims nothing (sk-) makes the wrong length another
       * service's; every other is the format, too long or too short. */
      found = tokens_format_recognize (tokens_format_rules_get_default (), longer, &match);
      if (g_str_equal (examples[i].id, "openai-legacy"))
        {
          g_assert_false (found);
          continue;
        }
      g_assert_true (found);
      g_assert_cmpstr (tokens_format_get_service_id (match.format), ==, examples[i].service);
      g_assert_cmpint (match.check, ==, TOKENS_FORMAT_CHECK_MISTYPED);
      g_assert_cmpint (match.problem, ==, TOKENS_FORMAT_PROBLEM_TOO_LONG);

      g_assert_true (tokens_format_recognize (tokens_format_rules_get_default (), cut, &match));
      g_assert_cmpstr (tokens_format_get_service_id (match.format), ==, examples[i].service);
      g_assert_cmpint (match.check, ==, TOKENS_FORMAT_CHECK_MISTYPED);
      g_assert_cmpint (match.problem, ==, TOKENS_FORMAT_PROBLEM_TOO_SHORT);
      g_assert_cmpstr (tokens_format_match_describe (&match), ==,
                       "This token is too short for its format: it looks truncated.");
    }

  {
    g_autoptr(TokensSecret) token = make_github_classic (rand, "ghu_");
    g_autoptr(TokensSecret) one_less = g_strndup (token, strlen (token) - 1);
    g_autoptr(TokensSecret) one_more = g_strconcat (token, "a", NULL);

    assert_recognised (one_less, "github-classic", TOKENS_FORMAT_CHECK_MISTYPED, TOKENS_FORMAT_PROBLEM_TOO_SHORT);
    assert_recognised (one_more, "github-classic", TOKENS_FORMAT_CHECK_MISTYPED, TOKENS_FORMAT_PROBLEM_TOO_LONG);
    assert_recognised ("ghp_", "github-classic", TOKENS_FORMAT_CHECK_MISTYPED, TOKENS_FORMAT_PROBLEM_TOO_SHORT);
  }
}

static void
test_unknown_is_other_service (void)
{
  const char *unknown[] = {
    NULL, "", "   ", "\n", "hello", "password123", "AKIAIOSFODNN7EXAMPLE",
    "Bearer", "ghx_0123456789ABCDEFGHIJabcdefghij4Us3aw", "GHP_0123456789ABCDEFGHIJabcdefghij4Us3aw",
    "xox", "hf", "npm", "tk", "é", "\xff\xfe",
  };

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    assert_recognised (unknown[i], NULL, 0, 0);

  {
    TokensFormatMatch match;

    tokens_format_recognize (tokens_format_rules_get_default (), "whatever", &match);
    g_assert_cmpstr (tokens_format_match_describe (&match), ==,
                     "Tokens does not know this format. The token can still be kept, as another service’s.");
  }
}

/* Recognising logs nothing, and no sentence repeats the secret. */
static void
test_recognising_logs_nothing_and_repeats_nothing (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED + 7);
  guint before = log_messages;

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      const TokensFormat *format = tokens_format_rules_lookup (tokens_format_rules_get_default (), examples[i].id);
      g_autoptr(TokensSecret) token = examples[i].make (rand, tokens_format_get_prefixes (format)[0]);
      const char *body = token + strlen (tokens_format_get_prefixes (format)[0]);
      g_autofree char *cut = g_strndup (token, strlen (token) - 1);
      TokensFormatMatch match;

      for (guint k = 0; k < 2; k++)
        {
          tokens_format_recognize (tokens_format_rules_get_default (), k == 0 ? token : cut, &match);
          g_assert_null (strstr (tokens_format_match_describe (&match), body));
          g_assert_null (strstr (tokens_format_match_get_display_name (&match), body));
        }
    }

  g_assert_cmpuint (log_messages, ==, before);
}

/* The file that is installed is the one compiled in. */
static void
test_installed_file_is_the_compiled_in_one (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "token-formats.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensFormatRules) rules = tokens_format_rules_new_from_file (path, &error);
  TokensFormatRules *compiled = tokens_format_rules_get_default ();

  g_assert_no_error (error);
  g_assert_nonnull (rules);
  g_assert_cmpuint (tokens_format_rules_get_n_formats (rules), ==, tokens_format_rules_get_n_formats (compiled));
  for (guint i = 0; i < tokens_format_rules_get_n_formats (rules); i++)
    g_assert_cmpstr (tokens_format_get_id (tokens_format_rules_get_format (rules, i)), ==,
                     tokens_format_get_id (tokens_format_rules_get_format (compiled, i)));

  /* and its bytes */
  {
    g_autofree char *contents = NULL;
    g_autoptr(GBytes) bytes = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    bytes = g_resource_lookup_data (tokens_lib_get_resource (), "/org/example/Tokens/lib/token-formats.json",
                                    G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (contents, length, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  }
}

static void
test_rules_from_a_path_are_used (void)
{
  static const char json[] =
    "{ \"version\": 1, \"formats\": [ { \"id\": \"acme\", \"service\": \"acme\", \"name\": \"ácme\","
    "  \"prefixes\": [\"acme_\"], \"min-length\": 3, \"max-length\": 5, \"alphabet\": \"a-c\","
    "  \"checksum\": \"none\" } ] }";
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensFormatRules) rules = tokens_format_rules_new_from_data (json, -1, "acme.json", &error);
  TokensFormatMatch match;

  g_assert_no_error (error);
  g_assert_true (tokens_format_recognize (rules, "acme_abc", &match));
  g_assert_cmpint (match.check, ==, TOKENS_FORMAT_CHECK_NO_CHECKSUM);
  g_assert_cmpstr (tokens_format_get_initial (match.format), ==, "Á");
  g_assert_null (tokens_format_get_manage_url (match.format));
  g_assert_true (tokens_format_recognize (rules, "acme_abd", &match));
  g_assert_cmpint (match.problem, ==, TOKENS_FORMAT_PROBLEM_CHARACTER);
  g_assert_false (tokens_format_recognize (rules, "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", &match));

  g_assert_true (tokens_format_rules_ref (rules) == rules);
  tokens_format_rules_unref (rules);
}

#define ENTRY(extra) \
  "{ \"version\": 1, \"formats\": [" \
  "  { \"id\": \"good\", \"service\": \"good\", \"name\": \"Good\", \"prefixes\": [\"good_\"]," \
  "    \"length\": 10, \"alphabet\": \"a-z\", \"checksum\": \"none\" }," \
  "  { \"id\": \"bad\", \"service\": \"bad\", \"name\": \"Bad\", \"prefixes\": [\"bad_\"]," \
  "    \"alphabet\": \"a-z\", \"checksum\": \"none\"" extra " } ] }"

static void
test_a_broken_rules_file_is_refused_naming_the_entry (void)
{
  static const struct {
    const char *json;
    const char *message;
  } broken[] = {
    { "{ \"version\": 1, \"formats\": [ ", "rules.json: not valid JSON: " },
    { "[]", "rules.json: must hold one object, with “version” and “formats”" },
    { "{ \"formats\": [] }", "rules.json: “version” must be 1" },
    { "{ \"version\": 2, \"formats\": [] }", "rules.json: “version” must be 1" },
    { "{ \"version\": 1, \"formats\": [] }", "rules.json: “formats” must be a list of at least one format" },
    { "{ \"version\": 1, \"format\": [] }", "rules.json: unknown key “format”" },
    { "{ \"comment\": [], \"version\": 1, \"formats\": [] }", "rules.json: “comment” must be a string" },
    { "{ \"version\": 1, \"formats\": [ 3 ] }", "rules.json: format 1: must be an object" },
    { ENTRY (""), "rules.json: format 2 (“bad”): “length”, or “min-length” and “max-length”, is missing" },
    { ENTRY (", \"length\": 5, \"lenght\": 6"), "rules.json: format 2 (“bad”): unknown key “lenght”" },
    { ENTRY (", \"length\": 5, \"min-length\": 2, \"max-length\": 8"),
      "rules.json: format 2 (“bad”): give either “length” or “min-length” and “max-length”, not both" },
    { ENTRY (", \"min-length\": 9, \"max-length\": 8"), "rules.json: format 2 (“bad”): “min-length” is more than “max-length”" },
    { ENTRY (", \"length\": 0"), "rules.json: format 2 (“bad”): “length” must be between 1 and 4096" },
    { ENTRY (", \"length\": 5.5"), "rules.json: format 2 (“bad”): “length” must be an integer" },
    { ENTRY (", \"length\": \"5\""), "rules.json: format 2 (“bad”): “length” must be an integer" },
    { ENTRY (", \"length\": 5, \"pattern\": \"bad_[a-z]+\""),
      "rules.json: format 2 (“bad”): “pattern” must match the whole token, from ^ to $" },
    { ENTRY (", \"length\": 5, \"pattern\": \"^bad_[a-z+$\""),
      "rules.json: format 2 (“bad”): “pattern” is not a regular expression: " },
    { ENTRY (", \"length\": 5, \"manage-url\": \"http://example.com/tokens\""),
      "rules.json: format 2 (“bad”): “manage-url” must be an https:// address" },
    { ENTRY (", \"length\": 5, \"claims-prefix\": \"no\""), "rules.json: format 2 (“bad”): “claims-prefix” must be true or false" },
    { ENTRY (", \"length\": 5, \"comment\": 5"), "rules.json: format 2 (“bad”): “comment” must be a string" },
    { "{ \"version\": 1, \"formats\": [ { \"id\": \"x\", \"service\": \"x\", \"name\": \"X\", \"prefixes\": [],"
      " \"length\": 5, \"alphabet\": \"a\", \"checksum\": \"none\" } ] }",
      "rules.json: format 1 (“x”): “prefixes” must be a list of at least one prefix" },
    { "{ \"version\": 1, \"formats\": [ { \"id\": \"x\", \"service\": \"x\", \"name\": \"X\", \"prefixes\": [\"a b\"],"
      " \"length\": 5, \"alphabet\": \"a\", \"checksum\": \"none\" } ] }",
      "rules.json: format 1 (“x”): prefix “a b” may only hold printable ASCII characters other than space" },
    { "{ \"version\": 1, \"formats\": [ { \"id\": \"x\", \"service\": \"x\", \"name\": \"X\", \"prefixes\": [\"a\", \"a\"],"
      " \"length\": 5, \"alphabet\": \"a\", \"checksum\": \"none\" } ] }",
      "rules.json: format 1 (“x”): prefix “a” is listed twice" },
    { "{ \"version\": 1, \"formats\": [ { \"id\": \"x\", \"service\": \"x\", \"name\": \"X\", \"prefixes\": [\"a\"],"
      " \"length\": 5, \"alphabet\": \"z-a\", \"checksum\": \"none\" } ] }",
      "rules.json: format 1 (“x”): “alphabet” has a backwards range “z-a”" },
    { "{ \"version\": 1, \"formats\": [ { \"id\": \"x\", \"service\": \"x\", \"name\": \"X\", \"prefixes\": [\"a\"],"
      " \"length\": 5, \"alphabet\": \"a\", \"checksum\": \"crc64\" } ] }",
      "rules.json: format 1 (“x”): unknown “checksum” “crc64”: one of none, crc32-base62, gitlab-routable" },
    { "{ \"version\": 1, \"formats\": [ { \"id\": \"x\", \"service\": \"x\", \"name\": \"X\", \"prefixes\": [\"a\"],"
      " \"length\": 36, \"alphabet\": \"0-9A-Za-z_\", \"checksum\": \"crc32-base62\" } ] }",
      "rules.json: format 1 (“x”): checksum crc32-base62 needs more than 6 characters, all of them 0-9A-Za-z" },
    { "{ \"version\": 1, \"formats\": [ { \"id\": \"x\", \"service\": \"x\", \"name\": \"X\", \"prefixes\": [\"a\"],"
      " \"length\": 5, \"checksum\": \"none\" } ] }",
      "rules.json: format 1 (“x”): “alphabet” is missing" },
    { "{ \"version\": 1, \"formats\": [ { \"id\": \"X\", \"service\": \"x\", \"name\": \"X\", \"prefixes\": [\"a\"],"
      " \"length\": 5, \"alphabet\": \"a\", \"checksum\": \"none\" } ] }",
      "rules.json: format 1 (“X”): “id” may only hold a-z, 0-9 and “-”" },
    { "{ \"version\": 1, \"formats\": [ { \"service\": \"x\" } ] }", "rules.json: format 1: “id” is missing" },
    /* null is never a value in a rules file */
    { "{ \"version\": null, \"formats\": [] }", "rules.json: “version” must be 1" },
    { "{ \"comment\": null, \"version\": 1, \"formats\": [] }", "rules.json: “comment” must be a string" },
    { "{ \"version\": 1, \"formats\": [ { \"id\": null } ] }", "rules.json: format 1: “id” must be a string" },
    { "{ \"version\": 1, \"formats\": [ { \"id\": \"x\", \"service\": \"x\", \"name\": \"X\", \"prefixes\": [\"a\"],"
      " \"length\": null, \"alphabet\": \"a\", \"checksum\": \"none\" } ] }",
      "rules.json: format 1 (“x”): “length” must be an integer" },
    { "{ \"version\": 1, \"formats\": [ { \"id\": \"x\", \"service\": \"x\", \"name\": \"X\", \"prefixes\": [\"a\"],"
      " \"length\": 5, \"alphabet\": \"a\", \"checksum\": \"none\", \"claims-prefix\": null } ] }",
      "rules.json: format 1 (“x”): “claims-prefix” must be true or false" },
    { "{ \"version\": 1, \"formats\": [ { \"id\": \"x\", \"service\": \"other\", \"name\": \"X\", \"prefixes\": [\"a\"],"
      " \"length\": 5, \"alphabet\": \"a\", \"checksum\": \"none\" } ] }",
      "rules.json: format 1 (“x”): “service” may only hold a-z, 0-9 and “-”, and is not “other”" },
    { "{ \"version\": 1, \"formats\": [ { \"id\": \"x\", \"service\": \"x\", \"name\": \"\", \"prefixes\": [\"a\"],"
      " \"length\": 5, \"alphabet\": \"a\", \"checksum\": \"none\" } ] }",
      "rules.json: format 1 (“x”): “name” must be a name" },
    { "{ \"version\": 1, \"formats\": ["
      "  { \"id\": \"x\", \"service\": \"x\", \"name\": \"X\", \"prefixes\": [\"a\"], \"length\": 5, \"alphabet\": \"a\", \"checksum\": \"none\" },"
      "  { \"id\": \"x\", \"service\": \"x\", \"name\": \"X\", \"prefixes\": [\"b\"], \"length\": 5, \"alphabet\": \"a\", \"checksum\": \"none\" } ] }",
      "rules.json: format 2 (“x”): “id” is used by an earlier format too" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TokensFormatRules) rules = NULL;

      g_test_message ("case %u: %s", i, broken[i].json);
      rules = tokens_format_rules_new_from_data (broken[i].json, -1, "rules.json", &error);
      g_assert_null (rules);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      g_assert_true (g_str_has_prefix (error->message, broken[i].message));
      /* refused as well by a caller that does not ask why */
      g_assert_null (tokens_format_rules_new_from_data (broken[i].json, -1, "rules.json", NULL));
    }

  /* and the good half of those loads */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(TokensFormatRules) rules = tokens_format_rules_new_from_data (ENTRY (", \"length\": 5"), -1, "rules.json", &error);

    g_assert_no_error (error);
    g_assert_cmpuint (tokens_format_rules_get_n_formats (rules), ==, 2);
  }

  /* A file that is not there says so. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (tokens_format_rules_new_from_file ("/nonexistent/token-formats.json", &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  }
}

/* "Other service" is a phrase, translated; a service's name is its own. */
static void
test_other_service_is_translated_and_names_are_not (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (SEED + 8);
  g_autoptr(TokensSecret) token = make_huggingface (rand, "hf_");
  g_autoptr(TokensSecret) cut = g_strndup (token, 10);
  TokensFormatMatch other, huggingface, truncated;

  tokens_format_recognize (tokens_format_rules_get_default (), "whatever", &other);
  tokens_format_recognize (tokens_format_rules_get_default (), token, &huggingface);
  tokens_format_recognize (tokens_format_rules_get_default (), cut, &truncated);

  g_setenv ("LANGUAGE", "pt_BR", TRUE);
  setlocale (LC_ALL, "");
  g_assert_cmpstr (tokens_format_match_get_display_name (&other), ==, "Outro serviço");
  g_assert_cmpstr (tokens_format_match_get_display_name (&huggingface), ==, "Hugging Face");
  g_assert_cmpstr (tokens_format_match_describe (&truncated), ==,
                   "Este token é curto demais para o seu formato: parece incompleto.");
  g_setenv ("LANGUAGE", "en", TRUE);
  setlocale (LC_ALL, "");

  g_assert_cmpstr (tokens_format_match_get_display_name (&other), ==, "Other service");
}

static GLogWriterOutput
count_messages (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  log_messages++;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

int
main (int   argc,
      char *argv[])
{
  test_lib_init (&argc, &argv);
  g_log_set_writer_func (count_messages, NULL, NULL);

  g_test_add_func ("/token-formats/every-rule-recognises-its-generated-tokens", test_every_rule_recognises_its_generated_tokens);
  g_test_add_func ("/token-formats/a-flipped-character-is-mistyped", test_a_flipped_character_is_mistyped);
  g_test_add_func ("/token-formats/fixed-vectors", test_fixed_vectors);
  g_test_add_func ("/token-formats/unversioned-gitlab-routable-tokens-are-recognised", test_unversioned_gitlab_routable_tokens_are_recognised);
  g_test_add_func ("/token-formats/tokens-own-secrets-are-recognised", test_tokens_own_secrets_are_recognised);
  g_test_add_func ("/token-formats/every-single-substitution-is-caught", test_every_single_substitution_is_caught);
  g_test_add_func ("/token-formats/longer-prefix-wins-and-short-prefixes-claim-nothing", test_longer_prefix_wins_and_short_prefixes_claim_nothing);
  g_test_add_func ("/token-formats/spaces-and-line-breaks-around-a-paste-are-ignored", test_spaces_and_line_breaks_around_a_paste_are_ignored);
  g_test_add_func ("/token-formats/too-short-and-too-long-are-told", test_too_short_and_too_long_are_told);
  g_test_add_func ("/token-formats/unknown-is-other-service", test_unknown_is_other_service);
  g_test_add_func ("/token-formats/recognising-logs-nothing-and-repeats-nothing", test_recognising_logs_nothing_and_repeats_nothing);
  g_test_add_func ("/token-formats/installed-file-is-the-compiled-in-one", test_installed_file_is_the_compiled_in_one);
  g_test_add_func ("/token-formats/rules-from-a-path-are-used", test_rules_from_a_path_are_used);
  g_test_add_func ("/token-formats/a-broken-rules-file-is-refused-naming-the-entry", test_a_broken_rules_file_is_refused_naming_the_entry);
  g_test_add_func ("/token-formats/other-service-is-translated-and-names-are-not", test_other_service_is_translated_and_names_are_not);

  return g_test_run ();
}
