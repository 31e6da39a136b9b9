/* tokens-api-key-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tokens.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_API_KEY_PAGE (tokens_api_key_page_get_type ())

G_DECLARE_FINAL_TYPE (TokensApiKeyPage, tokens_api_key_page, TOKENS, API_KEY_PAGE, AdwBin)

void tokens_api_key_page_set_session (TokensApiKeyPage *self,
                                      TokensSession    *session);

G_END_DECLS
