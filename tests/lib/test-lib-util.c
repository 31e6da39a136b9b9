/* test-lib-util.c — what the libtokens tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "test-lib-util.h"

/* Translations from the build tree, so a test can check the pt_BR text. */
void
test_lib_init (int    *argc,
               char ***argv)
{
  const char *localedir = g_getenv ("TOKENS_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (argc, argv, NULL);
}

void
test_lib_got_result (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

GAsyncResult *
test_lib_await (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* The slot keeps its reference: a g_autoptr there frees it. */
  return *slot;
}

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until predicate (data) holds; FALSE after timeout_ms.
 * A tick wakes the loop now and then, for predicates on things outside it
 * (a process that is gone). */
gboolean
test_lib_wait_for (gboolean (*predicate) (gpointer data),
                   gpointer   data,
                   guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint source = g_timeout_add (timeout_ms, timeout_cb, &timed_out);
  guint tick = g_timeout_add (20, tick_cb, NULL);
  gboolean holds;

  while (!(holds = predicate (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (source);
  g_source_remove (tick);

  return holds;
}

/* Like memmem(), which needs _GNU_SOURCE: files may hold NUL bytes. */
static gboolean
contains (const char *haystack,
          gsize       len,
          const char *needle)
{
  gsize needle_len = strlen (needle);

  for (gsize i = 0; needle_len <= len && i <= len - needle_len; i++)
    {
      if (haystack[i] == needle[0] && memcmp (haystack + i, needle, needle_len) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The first regular file under root that contains needle, or NULL. */
char *
test_lib_find_file_containing (const char *root,
                               const char *needle)
{
  g_autoptr(GDir) dir = g_dir_open (root, 0, NULL);
  const char *name;

  if (dir == NULL)
    return NULL;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (root, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          char *found = test_lib_find_file_containing (path, needle);

          if (found != NULL)
            return found;
          continue;
        }

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;

      if (g_file_get_contents (path, &contents, &len, NULL) &&
          contains (contents, len, needle))
        return g_steal_pointer (&path);
    }

  return NULL;
}

/* Nothing under the session's HOME and XDG directories (session-run makes
 * them all under TOKENS_SESSION_ROOT) holds the secret in plain text. */
void
test_lib_assert_not_in_session_files (const char *secret)
{
  const char *roots[] = {
    g_getenv ("TOKENS_SESSION_ROOT"),
    g_get_home_dir (),
    g_get_user_config_dir (),
    g_get_user_data_dir (),
    g_get_user_cache_dir (),
    g_get_user_runtime_dir (),
  };

  g_assert_nonnull (g_getenv ("TOKENS_SESSION_ROOT"));

  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      g_autofree char *found = NULL;

      if (roots[i] == NULL)
        continue;
      found = test_lib_find_file_containing (roots[i], secret);
      if (found != NULL)
        g_error ("The secret was written in plain text to %s", found);
    }
}

void
test_lib_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        test_lib_remove_tree (child);
      else
        g_unlink (child);
    }

  g_rmdir (path);
}
