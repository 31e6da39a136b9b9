/* tokens-access-tokens-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tokens.h"
#include "tokens-access-token.h"
#include "tokens-token-list.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_ACCESS_TOKENS_PAGE (tokens_access_tokens_page_get_type ())

G_DECLARE_FINAL_TYPE (TokensAccessTokensPage, tokens_access_tokens_page, TOKENS, ACCESS_TOKENS_PAGE, AdwBin)

void     tokens_access_tokens_page_set_session (TokensAccessTokensPage *self,
                                                TokensSession          *session);
gboolean tokens_access_tokens_page_select      (TokensAccessTokensPage *self,
                                                const char             *token_id);

G_END_DECLS
