/* fuzz-token-formats.c — any bytes into tokens_format_recognize(), and into
 * the rules loader
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A person pastes anything into the add-a-token dialog, and tokens-cli reads
 * a rules file it is given. Input starting with '{' is a rules file: it
 * loads or is refused with an error, and rules that load recognise the
 * input itself without crashing. Anything else is a pasted secret, checked
 * against the compiled-in rules: the verdict must agree with the format
 * found, and no sentence may quote the paste.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include <gio/gio.h>

#include "tokens-format.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
check_match (TokensFormatRules *rules,
             const char        *pasted)
{
  g_autoptr(TokensSecret) kept = tokens_format_trim_pasted (pasted);
  TokensFormatMatch match;
  gboolean found = tokens_format_recognize (rules, pasted, &match);

  g_assert_true (found == (match.format != NULL));
  g_assert_nonnull (tokens_format_match_describe (&match));
  g_assert_nonnull (tokens_format_match_get_display_name (&match));

  if (!found)
    {
      g_assert_null (match.prefix);
      g_assert_cmpint (match.check, ==, TOKENS_FORMAT_CHECK_OTHER);
      g_assert_cmpstr (tokens_format_match_get_service_id (&match), ==, TOKENS_FORMAT_SERVICE_OTHER);
      return;
    }

  g_assert_true (g_str_has_prefix (kept, match.prefix));
  switch (match.check)
    {
    case TOKENS_FORMAT_CHECK_VALID:
      g_assert_true (tokens_format_has_checksum (match.format));
      g_assert_cmpint (match.problem, ==, TOKENS_FORMAT_PROBLEM_NONE);
      break;
    case TOKENS_FORMAT_CHECK_NO_CHECKSUM:
      g_assert_false (tokens_format_has_checksum (match.format));
      g_assert_cmpint (match.problem, ==, TOKENS_FORMAT_PROBLEM_NONE);
      break;
    case TOKENS_FORMAT_CHECK_MISTYPED:
      g_assert_cmpint (match.problem, !=, TOKENS_FORMAT_PROBLEM_NONE);
      break;
    case TOKENS_FORMAT_CHECK_OTHER:
    default:
      g_assert_not_reached ();
    }

  /* Past its prefix, eight characters of a paste are in no sentence of ours. */
  if (strlen (kept) >= strlen (match.prefix) + 8)
    {
      g_autofree char *piece = g_strndup (kept + strlen (match.prefix), 8);

      g_assert_null (strstr (tokens_format_match_describe (&match), piece));
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  char *text;

  /* Exactly size + 1 bytes, so a read past the NUL is AddressSanitizer's. */
  text = g_malloc (size + 1);
  memcpy (text, data, size);
  text[size] = '\0';

  if (size > 0 && data[0] == '{')
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TokensFormatRules) rules = tokens_format_rules_new_from_data (text, size, "fuzz.json", &error);

      if (rules != NULL)
        {
          g_assert_no_error (error);
          check_match (rules, text);
        }
      else
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
    }
  else
    check_match (tokens_format_rules_get_default (), text);

  g_free (text);
  return 0;
}
