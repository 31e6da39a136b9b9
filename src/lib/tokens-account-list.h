/* tokens-account-list.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tokens-account.h"
#include "tokens-store.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_ACCOUNT_LIST (tokens_account_list_get_type ())

G_DECLARE_FINAL_TYPE (TokensAccountList, tokens_account_list, TOKENS, ACCOUNT_LIST, GObject)

TokensAccountList *tokens_account_list_new         (GSettings         *settings);
GSettings         *tokens_account_list_get_settings (TokensAccountList *self);
gboolean           tokens_account_list_add         (TokensAccountList *self,
                                                    TokensAccount     *account,
                                                    GError           **error);
gboolean           tokens_account_list_remove      (TokensAccountList *self,
                                                    TokensAccount     *account);
TokensAccount     *tokens_account_list_find_by_id  (TokensAccountList *self,
                                                    const char        *id);
TokensAccount     *tokens_account_list_find        (TokensAccountList *self,
                                                    const char        *service_url,
                                                    const char        *email);
TokensAccount     *tokens_account_list_get_active  (TokensAccountList *self);
void               tokens_account_list_set_active  (TokensAccountList *self,
                                                    TokensAccount     *account);
TokensStore       *tokens_account_list_get_store   (TokensAccountList *self);
void               tokens_account_list_list_saved_async  (TokensAccountList  *self,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
GPtrArray         *tokens_account_list_list_saved_finish (TokensAccountList  *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);
void               tokens_account_list_find_saved_secret_async  (TokensAccountList   *self,
                                                                 const char          *secret,
                                                                 GCancellable        *cancellable,
                                                                 GAsyncReadyCallback  callback,
                                                                 gpointer             user_data);
TokensStoreItem   *tokens_account_list_find_saved_secret_finish (TokensAccountList   *self,
                                                                 GAsyncResult        *result,
                                                                 TokensAccount      **account,
                                                                 GError             **error);

G_END_DECLS
