/* tokens-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "tokens.h"
#include "tokens-background.h"
#include "tokens-clipboard.h"
#include "tokens-expiry-monitor.h"
#include "tokens-tray.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_APPLICATION (tokens_application_get_type ())

G_DECLARE_FINAL_TYPE (TokensApplication, tokens_application, TOKENS, APPLICATION, AdwApplication)

TokensApplication  *tokens_application_new               (void);
GSettings          *tokens_application_get_settings      (TokensApplication *self);
TokensClipboard    *tokens_application_get_clipboard     (TokensApplication *self);
TokensStore        *tokens_application_get_store         (TokensApplication *self);
TokensAccountList  *tokens_application_get_accounts      (TokensApplication *self);
TokensLocalService *tokens_application_get_local_service (TokensApplication *self);
TokensSession      *tokens_application_get_session       (TokensApplication *self);
void                tokens_application_set_session       (TokensApplication *self,
                                                          TokensSession     *session);
TokensSession      *tokens_application_create_session    (TokensApplication *self,
                                                          TokensAccount     *account);
TokensExpiryMonitor *tokens_application_get_expiry_monitor (TokensApplication *self);
TokensKeptList     *tokens_application_get_kept_list     (TokensApplication *self);
TokensBackground   *tokens_application_get_background    (TokensApplication *self);
TokensTray         *tokens_application_get_tray          (TokensApplication *self);
void                tokens_application_open_account      (TokensApplication *self,
                                                          TokensAccount     *account);

G_END_DECLS
