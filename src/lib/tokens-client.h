/* tokens-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tokens-access-token.h"
#include "tokens-api-key.h"
#include "tokens-event.h"
#include "tokens-file.h"
#include "tokens-profile.h"
#include "tokens-security-token.h"
#include "tokens-token.h"

G_BEGIN_DECLS

#define TOKENS_TYPE_CLIENT (tokens_client_get_type ())

G_DECLARE_FINAL_TYPE (TokensClient, tokens_client, TOKENS, CLIENT, GObject)

gboolean      tokens_client_check_url            (const char           *url,
                                                  gboolean              allow_insecure,
                                                  GError              **error);

TokensClient *tokens_client_new                  (const char           *base_url,
                                                  gboolean              allow_insecure,
                                                  GError              **error);
const char   *tokens_client_get_base_url         (TokensClient         *self);
gboolean      tokens_client_set_base_url         (TokensClient         *self,
                                                  const char           *base_url,
                                                  GError              **error);
gboolean      tokens_client_get_allow_insecure   (TokensClient         *self);
void          tokens_client_set_credential       (TokensClient         *self,
                                                  const char           *bearer_token);
gboolean      tokens_client_has_credential       (TokensClient         *self);
void          tokens_client_set_client_token     (TokensClient         *self,
                                                  const char           *client_token);
gboolean      tokens_client_has_client_token     (TokensClient         *self);
guint         tokens_client_get_timeout          (TokensClient         *self);
void          tokens_client_set_timeout          (TokensClient         *self,
                                                  guint                 seconds);

/* The raw call under every endpoint: `body` is sent as JSON when not
 * %NULL, the reply's JSON object is returned (a JSON null for 204). */
void          tokens_client_call_async           (TokensClient         *self,
                                                  const char           *method,
                                                  const char           *path,
                                                  JsonNode             *body,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
JsonNode     *tokens_client_call_finish          (TokensClient         *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

GError       *tokens_client_error_from_reply     (guint                 status,
                                                  GBytes               *body);

/* What a renewal does with the old secret. */
typedef enum
{
  TOKENS_DELETE_OLD_LATER,
  TOKENS_DELETE_OLD_NOW,
} TokensDeleteOld;

#define TOKENS_TYPE_DELETE_OLD (tokens_delete_old_get_type ())
GType tokens_delete_old_get_type (void) G_GNUC_CONST;

/* expires_in_days of a renewal: keep the token's duration. */
#define TOKENS_RENEW_SAME_DURATION (-1)

/**
 * TokensVerification:
 * @account_id: the account the token speaks for
 * @email: its email address
 * @kind: "api_key", "session" or "access"
 * @token_id: (nullable): the access token's id; %NULL for other kinds
 * @scopes: what it may do
 * @expires_at: (nullable): %NULL for no expiry
 * @is_previous: the old secret of a renewed access token
 *
 * GET /v1/tokens/verify: whom the client's credential speaks for.
 */
typedef struct
{
  char         *account_id;
  char         *email;
  char         *kind;
  char         *token_id;
  TokensScopes  scopes;
  GDateTime    *expires_at;
  gboolean      is_previous;
} TokensVerification;

#define TOKENS_TYPE_VERIFICATION (tokens_verification_get_type ())
GType               tokens_verification_get_type (void) G_GNUC_CONST;
TokensVerification *tokens_verification_copy     (const TokensVerification *self);
void                tokens_verification_free     (TokensVerification       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TokensVerification, tokens_verification_free)

/* The service (tokens-client-account.c) */

void           tokens_client_health_async              (TokensClient         *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean       tokens_client_health_finish             (TokensClient         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

/* The account (tokens-client-account.c) */

void           tokens_client_sign_up_async             (TokensClient         *self,
                                                        const char           *email,
                                                        const char           *password,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
TokensSecret  *tokens_client_sign_up_finish            (TokensClient         *self,
                                                        GAsyncResult         *result,
                                                        TokensProfile       **out_profile,
                                                        TokensApiKey        **out_api_key,
                                                        GError              **error);
void           tokens_client_sign_in_async             (TokensClient         *self,
                                                        const char           *email,
                                                        const char           *password,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
TokensSecret  *tokens_client_sign_in_finish            (TokensClient         *self,
                                                        GAsyncResult         *result,
                                                        GDateTime           **out_expires_at,
                                                        TokensProfile       **out_profile,
                                                        GError              **error);
void           tokens_client_sign_out_async            (TokensClient         *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean       tokens_client_sign_out_finish           (TokensClient         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void           tokens_client_get_me_async              (TokensClient         *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
TokensProfile *tokens_client_get_me_finish             (TokensClient         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void           tokens_client_get_api_key_async         (TokensClient         *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
TokensApiKey  *tokens_client_get_api_key_finish        (TokensClient         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void           tokens_client_reset_api_key_async       (TokensClient         *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
TokensSecret  *tokens_client_reset_api_key_finish      (TokensClient         *self,
                                                        GAsyncResult         *result,
                                                        TokensApiKey        **out_api_key,
                                                        GError              **error);
/* page_size 0: the service's default; page_token NULL: the first page.
 * Returns a GPtrArray of TokensEvent, newest first. */
void           tokens_client_list_events_async         (TokensClient         *self,
                                                        guint                 page_size,
                                                        const char           *page_token,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray     *tokens_client_list_events_finish        (TokensClient         *self,
                                                        GAsyncResult         *result,
                                                        char                **out_next_page_token,
                                                        GError              **error);

/* Access tokens (tokens-client-tokens.c). Ids are the strings of
 * tokens_access_token_get_id(). */

/* Returns a GPtrArray of TokensAccessToken, oldest first. */
void               tokens_client_list_tokens_async          (TokensClient         *self,
                                                             guint                 page_size,
                                                             const char           *page_token,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
GPtrArray         *tokens_client_list_tokens_finish         (TokensClient         *self,
                                                             GAsyncResult         *result,
                                                             guint                *out_total,
                                                             char                **out_next_page_token,
                                                             GError              **error);
/* expires_in_days 0: no expiry. */
void               tokens_client_create_token_async         (TokensClient         *self,
                                                             const char           *name,
                                                             TokensScopes          scopes,
                                                             guint                 expires_in_days,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
TokensSecret      *tokens_client_create_token_finish        (TokensClient         *self,
                                                             GAsyncResult         *result,
                                                             TokensAccessToken   **out_token,
                                                             GError              **error);
void               tokens_client_get_token_async            (TokensClient         *self,
                                                             const char           *id,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
TokensAccessToken *tokens_client_get_token_finish           (TokensClient         *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
/* name NULL / scopes TOKENS_SCOPE_NONE: unchanged (not both). */
void               tokens_client_update_token_async         (TokensClient         *self,
                                                             const char           *id,
                                                             const char           *name,
                                                             TokensScopes          scopes,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
TokensAccessToken *tokens_client_update_token_finish        (TokensClient         *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void               tokens_client_revoke_token_async         (TokensClient         *self,
                                                             const char           *id,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
gboolean           tokens_client_revoke_token_finish        (TokensClient         *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
/* expires_in_days: TOKENS_RENEW_SAME_DURATION, 0 for no expiry, or days. */
void               tokens_client_renew_token_async          (TokensClient         *self,
                                                             const char           *id,
                                                             TokensDeleteOld       delete_old,
                                                             int                   expires_in_days,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
TokensSecret      *tokens_client_renew_token_finish         (TokensClient         *self,
                                                             GAsyncResult         *result,
                                                             TokensAccessToken   **out_token,
                                                             GError              **error);
void               tokens_client_delete_previous_token_async (TokensClient        *self,
                                                             const char           *id,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
TokensAccessToken *tokens_client_delete_previous_token_finish (TokensClient       *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
void               tokens_client_undo_renewal_async         (TokensClient         *self,
                                                             const char           *id,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
TokensAccessToken *tokens_client_undo_renewal_finish        (TokensClient         *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);
/* Whom the client's own credential speaks for. */
void               tokens_client_verify_token_async         (TokensClient         *self,
                                                             GCancellable         *cancellable,
                                                             GAsyncReadyCallback   callback,
                                                             gpointer              user_data);
TokensVerification *tokens_client_verify_token_finish       (TokensClient         *self,
                                                             GAsyncResult         *result,
                                                             GError              **error);

/* The account security token, sent as Client-Token (tokens-client-security.c) */

void                 tokens_client_get_security_token_async         (TokensClient        *self,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
TokensSecurityToken *tokens_client_get_security_token_finish        (TokensClient        *self,
                                                                     GAsyncResult        *result,
                                                                     GError             **error);
void                 tokens_client_configure_security_token_async   (TokensClient        *self,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
TokensSecret        *tokens_client_configure_security_token_finish  (TokensClient        *self,
                                                                     GAsyncResult        *result,
                                                                     TokensSecurityToken **out_state,
                                                                     GError             **error);
void                 tokens_client_activate_security_token_async    (TokensClient        *self,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
TokensSecurityToken *tokens_client_activate_security_token_finish   (TokensClient        *self,
                                                                     GAsyncResult        *result,
                                                                     GError             **error);
void                 tokens_client_deactivate_security_token_async  (TokensClient        *self,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
TokensSecurityToken *tokens_client_deactivate_security_token_finish (TokensClient        *self,
                                                                     GAsyncResult        *result,
                                                                     GError             **error);
void                 tokens_client_delete_security_token_async      (TokensClient        *self,
                                                                     GCancellable        *cancellable,
                                                                     GAsyncReadyCallback  callback,
                                                                     gpointer             user_data);
gboolean             tokens_client_delete_security_token_finish     (TokensClient        *self,
                                                                     GAsyncResult        *result,
                                                                     GError             **error);

/* Files, the scope-checked resource (tokens-client-files.c) */

/* Returns a GPtrArray of TokensFile, by name. */
void           tokens_client_list_files_async          (TokensClient         *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray     *tokens_client_list_files_finish         (TokensClient         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
void           tokens_client_download_file_async       (TokensClient         *self,
                                                        const char           *name,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GBytes        *tokens_client_download_file_finish      (TokensClient         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
/* content_type NULL: application/octet-stream. */
void           tokens_client_upload_file_async         (TokensClient         *self,
                                                        const char           *name,
                                                        GBytes               *contents,
                                                        const char           *content_type,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
TokensFile    *tokens_client_upload_file_finish        (TokensClient         *self,
                                                        GAsyncResult         *result,
                                                        gboolean             *out_created,
                                                        GError              **error);
void           tokens_client_delete_file_async         (TokensClient         *self,
                                                        const char           *name,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean       tokens_client_delete_file_finish        (TokensClient         *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

G_END_DECLS
