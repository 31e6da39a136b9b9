/* tokens-kept-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TOKENS_TYPE_KEPT_PAGE (tokens_kept_page_get_type ())

G_DECLARE_FINAL_TYPE (TokensKeptPage, tokens_kept_page, TOKENS, KEPT_PAGE, AdwBin)

void tokens_kept_page_select (TokensKeptPage *self,
                              const char     *token_id);

G_END_DECLS
