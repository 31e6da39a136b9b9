/* tc-run.h — a command with secrets in its environment, and out of its output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int tc_run (char       **argv,
            GStrv        env,
            const char * const *secrets,
            gboolean     masking,
            GError     **error);

G_END_DECLS
