/* tokens-account.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * TOKENS_LOCAL_SERVICE_URI:
 *
 * The service-url of every account on "This computer". The local service
 * listens on a port picked at each start, so accounts (in GSettings) and
 * keyring items name it by this stable URI; its address of the moment is
 * tokens_local_service_get_url().
 */
#define TOKENS_LOCAL_SERVICE_URI "local:"

#define TOKENS_TYPE_ACCOUNT (tokens_account_get_type ())

G_DECLARE_FINAL_TYPE (TokensAccount, tokens_account, TOKENS, ACCOUNT, GObject)

gboolean       tokens_account_check_service_url    (const char    *url,
                                                    gboolean       allow_insecure,
                                                    GError       **error);
TokensAccount *tokens_account_new                  (const char    *service_url,
                                                    const char    *email,
                                                    const char    *display_name);
TokensAccount *tokens_account_new_local            (const char    *email,
                                                    const char    *display_name);
TokensAccount *tokens_account_new_from_variant     (GVariant      *variant);
GVariant      *tokens_account_to_variant           (TokensAccount *self);

const char    *tokens_account_get_id               (TokensAccount *self);
const char    *tokens_account_get_service_url      (TokensAccount *self);
const char    *tokens_account_get_email            (TokensAccount *self);
const char    *tokens_account_get_display_name     (TokensAccount *self);
void           tokens_account_set_display_name     (TokensAccount *self,
                                                    const char    *display_name);
gboolean       tokens_account_get_is_local         (TokensAccount *self);
gboolean       tokens_account_get_allow_insecure   (TokensAccount *self);
void           tokens_account_set_allow_insecure   (TokensAccount *self,
                                                    gboolean       allow_insecure);
char          *tokens_account_dup_service_name     (TokensAccount *self);
char          *tokens_account_dup_label            (TokensAccount *self);
gboolean       tokens_account_matches              (TokensAccount *self,
                                                    const char    *service_url,
                                                    const char    *email);

char          *tokens_service_url_normalize        (const char    *service_url);
char          *tokens_service_url_describe         (const char    *service_url);

G_END_DECLS
