/* tokens-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TOKENS_TYPE_APPLICATION (tokens_application_get_type ())

G_DECLARE_FINAL_TYPE (TokensApplication, tokens_application, TOKENS, APPLICATION, AdwApplication)

TokensApplication *tokens_application_new (void);

G_END_DECLS
