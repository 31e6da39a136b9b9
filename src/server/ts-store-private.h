/* ts-store-private.h — what a store implements, for ts-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each store (ts-store-sqlite.c, ts-store-pg.c) has its own struct with
 * a TsStore as its first member, and fills one TsStoreVTable with its
 * implementation of every call of ts-store.h; the public ts_store_*
 * functions (ts-store.c) only dispatch. The contract of each call is the
 * one ts-store.h states, for every store alike.
 */

#pragma once

#include "ts-store.h"

G_BEGIN_DECLS

typedef struct
{
  void (*free) (TsStore *self);
  int (*get_schema_version) (TsStore *self);
  TsAccount *(*create_account) (TsStore *self, const char *email, const char *password_hash, const TsNewSecret *api_key, gint64 now, GError **error);
  gboolean (*account_exists) (TsStore *self, const char *email, gboolean *exists, GError **error);
  gboolean (*find_password) (TsStore *self, const char *email, gint64 *account_id, char **password_hash, GError **error);
  TsAccount *(*get_account) (TsStore *self, gint64 account_id, GError **error);
  gboolean (*lookup_credential) (TsStore *self, const char *hash, TsPrincipal **principal, GError **error);
  gboolean (*touch_credential) (TsStore *self, gint64 credential_id, gint64 now, GError **error);
  gboolean (*create_session) (TsStore *self, gint64 account_id, const TsNewSecret *session, gint64 now, gint64 expires_at, GError **error);
  gboolean (*delete_session) (TsStore *self, gint64 account_id, gint64 credential_id, gint64 now, GError **error);
  gboolean (*purge_expired) (TsStore *self, gint64 now, GError **error);
  gboolean (*add_event) (TsStore *self, gint64 account_id, const char *kind, gint64 token_id, gint64 now, GError **error);
  gboolean (*list_events) (TsStore *self, gint64 account_id, gint64 before_id, guint limit, GPtrArray **events, GError **error);
  gboolean (*get_api_key) (TsStore *self, gint64 account_id, TsSecretInfo *info, GError **error);
  gboolean (*reset_api_key) (TsStore *self, gint64 account_id, const TsNewSecret *api_key, gint64 now, GError **error);
  gboolean (*list_access_tokens) (TsStore *self, gint64 account_id, gint64 after_id, guint limit, GPtrArray **tokens, gint64 *total, GError **error);
  TsAccessToken *(*get_access_token) (TsStore *self, gint64 account_id, gint64 token_id, GError **error);
  gint64 (*create_access_token) (TsStore *self, gint64 account_id, const char *name, guint scopes, gint64 duration_days, const TsNewSecret *secret, gint64 now, GError **error);
  gboolean (*update_access_token) (TsStore *self, gint64 account_id, gint64 token_id, const char *name, guint scopes, gint64 now, GError **error);
  gboolean (*delete_access_token) (TsStore *self, gint64 account_id, gint64 token_id, gint64 now, GError **error);
  gboolean (*renew_access_token) (TsStore *self, gint64 account_id, gint64 token_id, gboolean keep_old, gboolean set_duration, gint64 duration_days, const TsNewSecret *secret, gint64 now, GError **error);
  gboolean (*delete_previous) (TsStore *self, gint64 account_id, gint64 token_id, gint64 now, GError **error);
  gboolean (*undo_renewal) (TsStore *self, gint64 account_id, gint64 token_id, gint64 now, GError **error);
  TsClientToken *(*get_client_token) (TsStore *self, gint64 account_id, GError **error);
  gboolean (*configure_client_token) (TsStore *self, gint64 account_id, const TsNewSecret *secret, gint64 now, GError **error);
  gboolean (*set_client_token_active) (TsStore *self, gint64 account_id, gboolean active, gint64 now, GError **error);
  gboolean (*delete_client_token) (TsStore *self, gint64 account_id, gint64 now, GError **error);
  gboolean (*list_files) (TsStore *self, gint64 account_id, GPtrArray **files, GError **error);
  GBytes *(*get_file) (TsStore *self, gint64 account_id, const char *name, GError **error);
  gboolean (*put_file) (TsStore *self, gint64 account_id, const char *name, GBytes *content, guint max_files, gint64 now, gboolean *created, GError **error);
  gboolean (*delete_file) (TsStore *self, gint64 account_id, const char *name, GError **error);
  gboolean (*limit_get) (TsStore *self, const char *kind, const char *key, guint *hits, gint64 *window_start, GError **error);
  gboolean (*limit_add) (TsStore *self, const char *kind, const char *key, gint64 now, gint64 window, int delta, guint max, gboolean *added, guint *hits, gint64 *window_start, GError **error);
  gboolean (*limit_clear) (TsStore *self, const char *kind, const char *key, GError **error);
} TsStoreVTable;

struct _TsStore
{
  const TsStoreVTable *vtable;
};

TsStore *ts_store_sqlite_open (const char  *path,
                               GError     **error);
#ifdef HAVE_POSTGRES
typedef struct pg_conn PGconn;

TsStore *ts_store_pg_open     (const char  *uri,
                               GError     **error);
PGconn  *ts_store_pg_connect  (const char  *uri,
                               gboolean     listener,
                               GError     **error);
#endif

G_END_DECLS
