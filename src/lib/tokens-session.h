/* tokens-session.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "tokens-account.h"
#include "tokens-api-key.h"
#include "tokens-client.h"
#include "tokens-local-service.h"
#include "tokens-profile.h"
#include "tokens-security-token.h"
#include "tokens-store.h"
#include "tokens-token.h"
#include "tokens-token-list.h"

G_BEGIN_DECLS

typedef enum
{
  TOKENS_SESSION_STATE_IDLE,
  TOKENS_SESSION_STATE_CONNECTING,
  TOKENS_SESSION_STATE_SIGNED_OUT,
  TOKENS_SESSION_STATE_READY,
  TOKENS_SESSION_STATE_FAILED,
} TokensSessionState;

#define TOKENS_TYPE_SESSION_STATE (tokens_session_state_get_type ())
GType tokens_session_state_get_type (void) G_GNUC_CONST;

#define TOKENS_TYPE_SESSION (tokens_session_get_type ())

G_DECLARE_FINAL_TYPE (TokensSession, tokens_session, TOKENS, SESSION, GObject)

TokensSession      *tokens_session_new                   (TokensAccount        *account,
                                                          TokensStore          *store,
                                                          TokensLocalService   *local_service);
TokensAccount      *tokens_session_get_account           (TokensSession        *self);
TokensClient       *tokens_session_get_client            (TokensSession        *self);
TokensStore        *tokens_session_get_store             (TokensSession        *self);
TokensSessionState  tokens_session_get_state             (TokensSession        *self);
const GError       *tokens_session_get_error             (TokensSession        *self);
TokensProfile      *tokens_session_get_profile           (TokensSession        *self);
TokensApiKey       *tokens_session_get_api_key           (TokensSession        *self);
TokensSecurityToken *tokens_session_get_security_token   (TokensSession        *self);
TokensTokenList    *tokens_session_get_tokens            (TokensSession        *self);
void                tokens_session_reload_tokens         (TokensSession        *self);
void                tokens_session_refresh_tokens        (TokensSession        *self);

void                tokens_session_connect_async         (TokensSession        *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean            tokens_session_connect_finish        (TokensSession        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void                tokens_session_sign_in_async         (TokensSession        *self,
                                                          const char           *password,
                                                          gboolean              create_account,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
TokensSecret       *tokens_session_sign_in_finish        (TokensSession        *self,
                                                          GAsyncResult         *result,
                                                          gboolean             *out_saved,
                                                          GError              **error);

void                tokens_session_sign_out_async        (TokensSession        *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean            tokens_session_sign_out_finish       (TokensSession        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

void                tokens_session_lookup_secret_async   (TokensSession      *self,
                                                          TokensTokenKind     kind,
                                                          const char         *token_id,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
TokensSecret       *tokens_session_lookup_secret_finish  (TokensSession      *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);

void                tokens_session_reset_api_token_async   (TokensSession      *self,
                                                            GCancellable       *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer            user_data);
TokensSecret       *tokens_session_reset_api_token_finish  (TokensSession      *self,
                                                            GAsyncResult       *result,
                                                            gboolean           *out_saved,
                                                            GError            **error);

void                tokens_session_refresh_async         (TokensSession        *self,
                                                          GCancellable         *cancellable,
                                                          GAsyncReadyCallback   callback,
                                                          gpointer              user_data);
gboolean            tokens_session_refresh_finish        (TokensSession        *self,
                                                          GAsyncResult         *result,
                                                          GError              **error);

/* The account security token (Client-Token) */

void                tokens_session_configure_security_token_async   (TokensSession      *self,
                                                                     GCancellable       *cancellable,
                                                                     GAsyncReadyCallback callback,
                                                                     gpointer            user_data);
TokensSecret       *tokens_session_configure_security_token_finish  (TokensSession      *self,
                                                                     GAsyncResult       *result,
                                                                     gboolean           *out_saved,
                                                                     GError            **error);
void                tokens_session_activate_security_token_async    (TokensSession      *self,
                                                                     GCancellable       *cancellable,
                                                                     GAsyncReadyCallback callback,
                                                                     gpointer            user_data);
gboolean            tokens_session_activate_security_token_finish   (TokensSession      *self,
                                                                     GAsyncResult       *result,
                                                                     GError            **error);
void                tokens_session_deactivate_security_token_async  (TokensSession      *self,
                                                                     GCancellable       *cancellable,
                                                                     GAsyncReadyCallback callback,
                                                                     gpointer            user_data);
gboolean            tokens_session_deactivate_security_token_finish (TokensSession      *self,
                                                                     GAsyncResult       *result,
                                                                     GError            **error);
void                tokens_session_delete_security_token_async      (TokensSession      *self,
                                                                     GCancellable       *cancellable,
                                                                     GAsyncReadyCallback callback,
                                                                     gpointer            user_data);
gboolean            tokens_session_delete_security_token_finish     (TokensSession      *self,
                                                                     GAsyncResult       *result,
                                                                     GError            **error);

const GError       *tokens_session_get_save_error          (TokensSession      *self);

/* Access tokens: each call goes client → keyring → the tokens list. */

void                tokens_session_create_token_async    (TokensSession      *self,
                                                          const char         *name,
                                                          TokensScopes        scopes,
                                                          guint               expires_in_days,
                                                          gboolean            save,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
TokensSecret       *tokens_session_create_token_finish   (TokensSession      *self,
                                                          GAsyncResult       *result,
                                                          TokensAccessToken **out_token,
                                                          gboolean           *out_saved,
                                                          GError            **error);
void                tokens_session_update_token_async    (TokensSession      *self,
                                                          const char         *id,
                                                          const char         *name,
                                                          TokensScopes        scopes,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
gboolean            tokens_session_update_token_finish   (TokensSession      *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);
void                tokens_session_renew_token_async     (TokensSession      *self,
                                                          const char         *id,
                                                          TokensDeleteOld     delete_old,
                                                          int                 expires_in_days,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
TokensSecret       *tokens_session_renew_token_finish    (TokensSession      *self,
                                                          GAsyncResult       *result,
                                                          TokensAccessToken **out_token,
                                                          gboolean           *out_saved,
                                                          GError            **error);
void                tokens_session_revoke_token_async    (TokensSession      *self,
                                                          const char         *id,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
gboolean            tokens_session_revoke_token_finish   (TokensSession      *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);
void                tokens_session_delete_previous_token_async  (TokensSession      *self,
                                                                 const char         *id,
                                                                 GCancellable       *cancellable,
                                                                 GAsyncReadyCallback callback,
                                                                 gpointer            user_data);
gboolean            tokens_session_delete_previous_token_finish (TokensSession      *self,
                                                                 GAsyncResult       *result,
                                                                 GError            **error);
void                tokens_session_undo_renewal_async    (TokensSession      *self,
                                                          const char         *id,
                                                          GCancellable       *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer            user_data);
gboolean            tokens_session_undo_renewal_finish   (TokensSession      *self,
                                                          GAsyncResult       *result,
                                                          GError            **error);

G_END_DECLS
