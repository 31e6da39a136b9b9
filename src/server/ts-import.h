/* ts-import.h — tokens-server import: from SQLite to PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `tokens-server import …`, with @argv[0] the word "import". Returns the
 * exit status: 0 done, 1 failed (nothing imported), 2 wrong usage. */
int ts_import_main (int    argc,
                    char **argv);

G_END_DECLS
