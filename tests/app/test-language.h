/* test-language.h — the app's translations in a unit test, and switching
 * language inside one test program
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <locale.h>

#include <glib/gi18n.h>

static inline void
use_language (const char *language)
{
  g_setenv ("LANGUAGE", language, TRUE);
  /* setlocale() also makes gettext forget the translations it looked up. */
  setlocale (LC_ALL, "");
}

/* The build's translations, as the app binds them: the sources' _() is
 * gettext() in the default domain. */
static inline void
use_translations (void)
{
  const char *localedir = g_getenv ("TOKENS_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* g_dngettext() decides once per process whether to translate at all,
   * from the language of its first call: make that pt_BR, as a person
   * running the app in Portuguese would, or its plurals stay English. */
  use_language ("pt_BR");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", 2), ==, "há %d dias");
  use_language ("en");
}
