/* tokens-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "tokens-access-token.h"
#include "tokens-account.h"
#include "tokens-token.h"

G_BEGIN_DECLS

/**
 * TokensStoreSlot:
 * @TOKENS_STORE_SLOT_CURRENT: the secret the service takes now
 * @TOKENS_STORE_SLOT_PREVIOUS: the old secret of a renewal made with
 *   "delete the old token later", valid until it is deleted or undone
 *
 * Which of a token's secrets an item holds: its `slot` attribute. Items
 * saved before there were slots have no such attribute and are current.
 */
typedef enum
{
  TOKENS_STORE_SLOT_CURRENT,
  TOKENS_STORE_SLOT_PREVIOUS,
} TokensStoreSlot;

/**
 * TokensStoreItem:
 * @service_url: the `service` attribute: a service's base URL, or
 *   %TOKENS_LOCAL_SERVICE_URI
 * @email: the `account` attribute
 * @kind: the `kind` attribute
 * @token_id: the `token-id` attribute; empty for the kinds an account has
 *   one of
 * @label: the label a person sees in Passwords and Keys
 * @name: (nullable): the `name` attribute: an access token's name, as
 *   the service had it when the item was saved or described
 * @expires_at: (nullable): the `expires-at` attribute (ISO 8601), empty
 *   for a token that does not expire, %NULL when not known
 * @slot: the `slot` attribute
 *
 * A saved item as tokens_store_list_finish() describes it: what is around
 * the secret, never the secret itself.
 */
typedef struct
{
  char            *service_url;
  char            *email;
  TokensTokenKind  kind;
  char            *token_id;
  char            *label;
  char            *name;
  char            *expires_at;
  TokensStoreSlot  slot;
} TokensStoreItem;

#define TOKENS_TYPE_STORE_ITEM (tokens_store_item_get_type ())

GType            tokens_store_item_get_type    (void) G_GNUC_CONST;
TokensStoreItem *tokens_store_item_copy        (const TokensStoreItem *item);
void             tokens_store_item_free        (TokensStoreItem       *item);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TokensStoreItem, tokens_store_item_free)

#define TOKENS_TYPE_STORE (tokens_store_get_type ())

G_DECLARE_FINAL_TYPE (TokensStore, tokens_store, TOKENS, STORE, GObject)

const SecretSchema *tokens_store_get_schema           (void);
const char   *tokens_store_kind_to_string        (TokensTokenKind       kind);
gboolean      tokens_store_kind_from_string      (const char           *string,
                                                  TokensTokenKind      *kind);

TokensStore  *tokens_store_new                   (void);

void          tokens_store_save_async            (TokensStore          *self,
                                                  TokensAccount        *account,
                                                  TokensTokenKind       kind,
                                                  const char           *token_id,
                                                  const char           *token_name,
                                                  const char           *secret,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean      tokens_store_save_finish           (TokensStore          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void          tokens_store_save_access_token_async (TokensStore        *self,
                                                    TokensAccount      *account,
                                                    TokensAccessToken  *token,
                                                    TokensStoreSlot     slot,
                                                    const char         *secret,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
void          tokens_store_describe_access_token_async (TokensStore        *self,
                                                        TokensAccount      *account,
                                                        TokensAccessToken  *token,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
gboolean      tokens_store_describe_access_token_finish (TokensStore       *self,
                                                         GAsyncResult      *result,
                                                         GError           **error);

void          tokens_store_lookup_async          (TokensStore          *self,
                                                  TokensAccount        *account,
                                                  TokensTokenKind       kind,
                                                  const char           *token_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
TokensSecret *tokens_store_lookup_finish         (TokensStore          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void          tokens_store_lookup_slot_async     (TokensStore          *self,
                                                  TokensAccount        *account,
                                                  TokensTokenKind       kind,
                                                  const char           *token_id,
                                                  TokensStoreSlot       slot,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);

void          tokens_store_clear_async           (TokensStore          *self,
                                                  TokensAccount        *account,
                                                  TokensTokenKind       kind,
                                                  const char           *token_id,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean      tokens_store_clear_finish          (TokensStore          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void          tokens_store_clear_slot_async      (TokensStore          *self,
                                                  TokensAccount        *account,
                                                  TokensTokenKind       kind,
                                                  const char           *token_id,
                                                  TokensStoreSlot       slot,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);

void          tokens_store_clear_account_async   (TokensStore          *self,
                                                  TokensAccount        *account,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean      tokens_store_clear_account_finish  (TokensStore          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void          tokens_store_list_async            (TokensStore          *self,
                                                  TokensAccount        *account,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
GPtrArray    *tokens_store_list_finish           (TokensStore          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

void             tokens_store_find_secret_async  (TokensStore          *self,
                                                  const char           *secret,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
TokensStoreItem *tokens_store_find_secret_finish (TokensStore          *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

G_END_DECLS
