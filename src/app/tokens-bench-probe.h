/* tokens-bench-probe.h — the figures build-aux/bench/app.sh reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

void tokens_bench_probe_window (GtkWindow    *window,
                                GtkStack     *main_stack,
                                AdwViewStack *view_stack);
void tokens_bench_probe_start  (GtkWidget    *page,
                                const char   *what,
                                GtkStack     *stack,
                                GListModel   *rows);

G_END_DECLS
