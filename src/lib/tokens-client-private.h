/* tokens-client-private.h — what the endpoint files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "tokens-client.h"

G_BEGIN_DECLS

/* Turns a successful reply's JSON into the endpoint's result; %NULL with
 * @error set when the reply is not what the API document says. */
typedef gpointer (*TokensReplyParser) (JsonNode  *reply,
                                       GError   **error);

/* A call whose result is parser (reply), or TRUE when parser is NULL. */
void          tokens_client_request_async          (TokensClient         *self,
                                                    const char           *method,
                                                    const char           *path,
                                                    JsonNode             *body,
                                                    TokensReplyParser     parser,
                                                    GDestroyNotify        result_free,
                                                    gpointer              source_tag,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gpointer      tokens_client_request_finish         (TokensClient         *self,
                                                    GAsyncResult         *result,
                                                    gpointer              source_tag,
                                                    GError              **error);
gboolean      tokens_client_request_finish_boolean (TokensClient         *self,
                                                    GAsyncResult         *result,
                                                    gpointer              source_tag,
                                                    GError              **error);

/* A call with any body and any reply: the reply's bytes and status. */
void          tokens_client_call_bytes_async       (TokensClient         *self,
                                                    const char           *method,
                                                    const char           *path,
                                                    const char           *content_type,
                                                    GBytes               *body,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GBytes       *tokens_client_call_bytes_finish      (TokensClient         *self,
                                                    GAsyncResult         *result,
                                                    guint                *out_status,
                                                    GError              **error);

JsonNode     *tokens_client_parse_reply            (GBytes               *body,
                                                    GError              **error);
char         *tokens_client_build_path             (const char           *first,
                                                    ...) G_GNUC_NULL_TERMINATED;
char         *tokens_client_page_query             (const char           *path,
                                                    guint                 page_size,
                                                    const char           *page_token);
TokensSecret *tokens_client_dup_secret             (JsonObject           *object,
                                                    const char           *member,
                                                    TokensTokenKind       kind,
                                                    GError              **error);
gboolean      tokens_client_get_next_page_token    (JsonObject           *object,
                                                    char                **out,
                                                    GError              **error);

/* What a call that makes a secret gives back, until the finish hands it out. */
typedef struct
{
  TokensSecret *secret;
  gpointer      model;     /* a GObject, or NULL */
  gpointer      model2;    /* a GObject, or NULL */
  GDateTime    *expires_at;
} TokensSecretReply;

void          tokens_secret_reply_free             (TokensSecretReply    *reply);
TokensSecret *tokens_secret_reply_steal            (TokensSecretReply    *reply,
                                                    gpointer             *out_model,
                                                    gpointer             *out_model2);

/* A page of a list. */
typedef struct
{
  GPtrArray *items;
  char      *next_page_token;
  gint64     total;
} TokensPage;

void          tokens_page_free                     (TokensPage           *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TokensSecretReply, tokens_secret_reply_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TokensPage, tokens_page_free)

G_END_DECLS
