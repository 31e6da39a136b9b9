/* tokens-onboarding.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "tokens.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_ONBOARDING (tokens_onboarding_get_type ())

G_DECLARE_FINAL_TYPE (TokensOnboarding, tokens_onboarding, TOKENS, ONBOARDING, GtkWidget)

void tokens_onboarding_restart       (TokensOnboarding *self,
                                      gboolean          can_cancel);
void tokens_onboarding_set_menu      (TokensOnboarding *self,
                                      GMenuModel       *menu);
void tokens_onboarding_sign_in_again (TokensOnboarding *self,
                                      TokensAccount    *account);

G_END_DECLS
