/* tokens-local-service.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TOKENS_TYPE_LOCAL_SERVICE (tokens_local_service_get_type ())

G_DECLARE_FINAL_TYPE (TokensLocalService, tokens_local_service, TOKENS, LOCAL_SERVICE, GObject)

TokensLocalService *tokens_local_service_new               (void);
TokensLocalService *tokens_local_service_new_for_database  (const char          *database);
const char         *tokens_local_service_get_database      (TokensLocalService  *self);
const char         *tokens_local_service_get_url           (TokensLocalService  *self);
gboolean            tokens_local_service_get_running       (TokensLocalService  *self);
const GError       *tokens_local_service_get_error         (TokensLocalService  *self);

void                tokens_local_service_start_async       (TokensLocalService  *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean            tokens_local_service_start_finish      (TokensLocalService  *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

void                tokens_local_service_stop              (TokensLocalService  *self);
void                tokens_local_service_stop_async        (TokensLocalService  *self,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
gboolean            tokens_local_service_stop_finish       (TokensLocalService  *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

G_END_DECLS
