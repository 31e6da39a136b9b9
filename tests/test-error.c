/* test-error.c — the TOKENS_ERROR domain
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>

#include "tokens-core.h"

static void
test_every_code_has_a_sentence_and_a_unique_nick (void)
{
  g_autoptr(GHashTable) nicks = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint code = 0; code <= TOKENS_ERROR_LAST; code++)
    {
      const char *nick = tokens_error_code_to_nick (code);
      const char *sentence = tokens_error_describe (code);
      TokensError back;

      g_assert_nonnull (nick);
      g_assert_false (g_hash_table_contains (nicks, nick));
      g_hash_table_add (nicks, (gpointer) nick);

      g_assert_true (tokens_error_code_from_nick (nick, &back));
      g_assert_cmpint (back, ==, code);

      /* A sentence: starts with a capital, ends with a full stop. */
      g_assert_nonnull (sentence);
      g_assert_true (g_unichar_isupper (g_utf8_get_char (sentence)));
      g_assert_true (g_str_has_suffix (sentence, "."));
    }
}

static void
test_unknown_nick_and_code (void)
{
  TokensError code = TOKENS_ERROR_CONFLICT;

  g_assert_false (tokens_error_code_from_nick ("no_such_code", &code));
  g_assert_false (tokens_error_code_from_nick (NULL, &code));
  g_assert_cmpint (code, ==, TOKENS_ERROR_CONFLICT);
  g_assert_cmpstr (tokens_error_code_to_nick (TOKENS_ERROR_LAST + 7), ==, "failed");
}

static void
test_new_described_carries_the_sentence (void)
{
  g_autoptr(GError) error = tokens_error_new_described (TOKENS_ERROR_KEYRING_UNAVAILABLE);

  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_KEYRING_UNAVAILABLE);
  g_assert_cmpstr (error->message, ==, "No keyring is available to keep secrets safe. Nothing was saved.");
}

static void
test_sentences_are_translated (void)
{
  const char *localedir = g_getenv ("TOKENS_LOCALEDIR");

  if (localedir == NULL)
    {
      g_test_skip ("TOKENS_LOCALEDIR is not set");
      return;
    }

  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_setenv ("LANGUAGE", "pt_BR", TRUE);
  setlocale (LC_ALL, "");

  g_assert_cmpstr (tokens_error_describe (TOKENS_ERROR_TOKEN_CHECKSUM), !=,
                   "This token looks mistyped or truncated.");
  g_assert_cmpstr (tokens_error_describe (TOKENS_ERROR_TOKEN_CHECKSUM), ==,
                   "Este token parece digitado errado ou incompleto.");

  g_setenv ("LANGUAGE", "en", TRUE);
  setlocale (LC_ALL, "");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error/every-code-has-a-sentence-and-a-unique-nick", test_every_code_has_a_sentence_and_a_unique_nick);
  g_test_add_func ("/error/unknown-nick-and-code", test_unknown_nick_and_code);
  g_test_add_func ("/error/new-described-carries-the-sentence", test_new_described_carries_the_sentence);
  g_test_add_func ("/error/sentences-are-translated", test_sentences_are_translated);

  return g_test_run ();
}
