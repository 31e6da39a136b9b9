/* test-lib-util.h — what the libtokens tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void           test_lib_init                    (int          *argc,
                                                 char       ***argv);
GAsyncResult  *test_lib_await                   (GAsyncResult **slot);
void           test_lib_got_result              (GObject      *object,
                                                 GAsyncResult *result,
                                                 gpointer      user_data);
gboolean       test_lib_wait_for                (gboolean     (*predicate) (gpointer data),
                                                 gpointer       data,
                                                 guint          timeout_ms);
char          *test_lib_find_file_containing    (const char    *root,
                                                 const char    *needle);
void           test_lib_assert_not_in_session_files (const char *secret);
void           test_lib_remove_tree             (const char    *path);

/* Runs the main loop until the callback test_lib_got_result() fills
 * `res` (a g_autoptr(GAsyncResult)), and gives it; `res` keeps the
 * reference, so clear it before using it for another call. */
#define AWAIT(res) test_lib_await (&(res))

G_END_DECLS
