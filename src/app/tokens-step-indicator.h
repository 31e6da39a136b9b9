/* tokens-step-indicator.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TOKENS_TYPE_STEP_INDICATOR (tokens_step_indicator_get_type ())

G_DECLARE_FINAL_TYPE (TokensStepIndicator, tokens_step_indicator, TOKENS, STEP_INDICATOR, GtkWidget)

void  tokens_step_indicator_set_steps   (TokensStepIndicator *self,
                                         const char * const  *titles);
guint tokens_step_indicator_get_current (TokensStepIndicator *self);
void  tokens_step_indicator_set_current (TokensStepIndicator *self,
                                         guint                current);

G_END_DECLS
