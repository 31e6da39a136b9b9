/* main.c — tokens, the app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <glib/gi18n.h>

#include "tokens-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(TokensApplication) app = NULL;
  const char *localedir = g_getenv ("TOKENS_LOCALEDIR");

  /* Each frame's pixels (megabytes, with the software renderer) come
   * and go. glibc's malloc starts by mapping blocks that big and giving
   * them back when freed, but after the first is freed it raises its
   * threshold and serves the next ones from the heap, which then stays
   * grown: a fixed threshold keeps them mapped, so memory a frame no
   * longer needs goes back to the system. */
#ifdef __GLIBC__
  mallopt (M_MMAP_THRESHOLD, 256 * 1024);
#endif

  setlocale (LC_ALL, "");

  /* TOKENS_LOCALEDIR: the build tree's translations, under `meson devenv`. */
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Tokens"));

  app = tokens_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
