/* tokens-security-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tokens.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_SECURITY_PAGE (tokens_security_page_get_type ())

G_DECLARE_FINAL_TYPE (TokensSecurityPage, tokens_security_page, TOKENS, SECURITY_PAGE, AdwBin)

void tokens_security_page_set_session (TokensSecurityPage *self,
                                       TokensSession      *session);

G_END_DECLS
