/* tokens-best-practices.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TOKENS_TYPE_BEST_PRACTICES (tokens_best_practices_get_type ())

G_DECLARE_FINAL_TYPE (TokensBestPractices, tokens_best_practices, TOKENS, BEST_PRACTICES, GtkWidget)

G_END_DECLS
