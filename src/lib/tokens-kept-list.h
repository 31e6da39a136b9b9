/* tokens-kept-list.h — the tokens a person keeps, as a list model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tokens-kept.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_KEPT_TOKEN (tokens_kept_token_get_type ())

G_DECLARE_FINAL_TYPE (TokensKeptToken, tokens_kept_token, TOKENS, KEPT_TOKEN, GObject)

const TokensKept *tokens_kept_token_get_details   (TokensKeptToken *self);
const char       *tokens_kept_token_get_id        (TokensKeptToken *self);
const char       *tokens_kept_token_get_name      (TokensKeptToken *self);
const char       *tokens_kept_token_get_service_name (TokensKeptToken *self);
gint64            tokens_kept_token_get_days_left (TokensKeptToken *self,
                                                   GDateTime       *now);

#define TOKENS_TYPE_KEPT_LIST (tokens_kept_list_get_type ())

G_DECLARE_FINAL_TYPE (TokensKeptList, tokens_kept_list, TOKENS, KEPT_LIST, GObject)

TokensKeptList  *tokens_kept_list_new             (void);
gboolean         tokens_kept_list_get_loaded      (TokensKeptList      *self);
TokensKeptToken *tokens_kept_list_find_by_id      (TokensKeptList      *self,
                                                   const char          *id);

void             tokens_kept_list_load_async      (TokensKeptList      *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean         tokens_kept_list_load_finish     (TokensKeptList      *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

void             tokens_kept_list_find_secret_async  (TokensKeptList      *self,
                                                      const char          *secret,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
TokensKeptToken *tokens_kept_list_find_secret_finish (TokensKeptList      *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

void             tokens_kept_list_save_async      (TokensKeptList      *self,
                                                   const TokensKept    *details,
                                                   const char          *secret,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
TokensKeptToken *tokens_kept_list_save_finish     (TokensKeptList      *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

void             tokens_kept_list_delete_async    (TokensKeptList      *self,
                                                   TokensKeptToken     *token,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean         tokens_kept_list_delete_finish   (TokensKeptList      *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

void             tokens_kept_list_read_async      (TokensKeptList      *self,
                                                   TokensKeptToken     *token,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
TokensSecret    *tokens_kept_list_read_finish     (TokensKeptList      *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

G_END_DECLS
