/* tokens-token-list.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tokens-access-token.h"
#include "tokens-client.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_TOKEN_LIST (tokens_token_list_get_type ())

G_DECLARE_FINAL_TYPE (TokensTokenList, tokens_token_list, TOKENS, TOKEN_LIST, GObject)

TokensTokenList   *tokens_token_list_new               (TokensClient     *client);
TokensClient      *tokens_token_list_get_client        (TokensTokenList  *self);
guint              tokens_token_list_get_page_size     (TokensTokenList  *self);
void               tokens_token_list_set_page_size     (TokensTokenList  *self,
                                                        guint             page_size);
gboolean           tokens_token_list_get_loading       (TokensTokenList  *self);
gboolean           tokens_token_list_get_loaded        (TokensTokenList  *self);
gboolean           tokens_token_list_get_has_more      (TokensTokenList  *self);
guint              tokens_token_list_get_total         (TokensTokenList  *self);
const GError      *tokens_token_list_get_error         (TokensTokenList  *self);

void               tokens_token_list_load_more_async   (TokensTokenList     *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean           tokens_token_list_load_more_finish  (TokensTokenList     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void               tokens_token_list_load_all_async    (TokensTokenList     *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean           tokens_token_list_load_all_finish   (TokensTokenList     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
void               tokens_token_list_reload_async      (TokensTokenList     *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean           tokens_token_list_reload_finish     (TokensTokenList     *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);

TokensAccessToken *tokens_token_list_find_by_id        (TokensTokenList   *self,
                                                        const char        *id,
                                                        guint             *out_position);
void               tokens_token_list_add               (TokensTokenList   *self,
                                                        TokensAccessToken *token);
gboolean           tokens_token_list_remove_by_id      (TokensTokenList   *self,
                                                        const char        *id);
gboolean           tokens_token_list_replace           (TokensTokenList   *self,
                                                        TokensAccessToken *token);

G_END_DECLS
