/* tokens-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

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

G_END_DECLS
