/* ts-store.h — what tokens-server keeps, behind one small interface
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The handlers see only these calls and plain records: no SQL, no SQLite
 * or libpq type. Two stores implement them (ts-store.c picks one from the
 * database argument): ts-store-sqlite.c, the embedded default, and
 * ts-store-pg.c, for several instances of tokens-server on one PostgreSQL.
 *
 * Every call that changes more than one row runs in one transaction and
 * either does all of it or nothing. Secrets never reach the store: only
 * their SHA-256 (tokens_token_hash()) and their last four characters.
 *
 * Errors are in the TOKENS_ERROR domain with an English message fit for
 * the `error` field of a reply: NOT_FOUND, CONFLICT (with why), or
 * STORAGE when the database itself failed (details go to the log only),
 * UNAVAILABLE when a database server cannot be reached (try again soon).
 * Times are Unix seconds; 0 means "none" (never used, no expiry).
 */

#pragma once

#include <glib.h>

#include "tokens-token.h"

G_BEGIN_DECLS

/* The current schema; `PRAGMA user_version` in SQLite, the one row of
 * table schema_version in PostgreSQL. */
#define TS_STORE_SCHEMA_VERSION 4
/* The last version that changed SQLite's tables (4 added PostgreSQL's
 * change notifications only): what `import` can read. */
#define TS_STORE_SQLITE_TABLES_VERSION 3

typedef enum
{
  TS_SCOPE_READ  = 1 << 0,
  TS_SCOPE_WRITE = 1 << 1,
} TsScopes;

#define TS_SCOPES_ALL (TS_SCOPE_READ | TS_SCOPE_WRITE)

typedef enum
{
  TS_CLIENT_TOKEN_NONE,
  TS_CLIENT_TOKEN_DISABLED,
  TS_CLIENT_TOKEN_ACTIVE,
} TsClientTokenState;

typedef struct _TsStore TsStore;

typedef struct
{
  gint64              id;
  char               *email;
  gint64              created_at;
  TsClientTokenState  client_token_state;
} TsAccount;

/* Who a bearer token speaks for: the answer of one indexed lookup. */
typedef struct
{
  gint64              credential_id;
  TokensTokenKind     kind;
  char               *hash;
  gint64              account_id;
  char               *email;
  gint64              access_token_id;   /* 0 unless kind is ACCESS */
  guint               scopes;            /* TS_SCOPES_ALL unless kind is ACCESS */
  gboolean            is_previous;       /* the old secret of a renewal kept for later */
  gint64              expires_at;
  gint64              last_used_at;
  TsClientTokenState  client_token_state;
  char               *client_token_hash; /* NULL unless one is configured */
} TsPrincipal;

/* What may be shown of a secret: never the secret. */
typedef struct
{
  char   *last4;
  gint64  created_at;
  gint64  expires_at;
  gint64  last_used_at;
} TsSecretInfo;

typedef struct
{
  gint64        id;
  char         *name;
  guint         scopes;
  gint64        duration_days;  /* 0: no expiry */
  gint64        created_at;
  gint64        updated_at;
  gint64        renewed_at;
  TsSecretInfo  current;
  gboolean      has_previous;
  TsSecretInfo  previous;       /* valid if has_previous */
} TsAccessToken;

typedef struct
{
  TsClientTokenState  state;
  TsSecretInfo        secret;   /* valid unless state is NONE */
} TsClientToken;

typedef struct
{
  gint64  id;
  char   *kind;
  gint64  token_id;             /* 0: not about an access token */
  gint64  created_at;
} TsEvent;

typedef struct
{
  char   *name;
  gint64  size;
  gint64  updated_at;
} TsFile;

/* A new secret as the store keeps it. */
typedef struct
{
  const char *hash;
  const char *last4;
} TsNewSecret;

void      ts_account_free              (TsAccount       *account);
void      ts_principal_free            (TsPrincipal     *principal);
void      ts_access_token_free         (TsAccessToken   *token);
void      ts_client_token_free         (TsClientToken   *token);
void      ts_secret_info_clear         (TsSecretInfo    *info);
void      ts_event_free                (TsEvent         *event);
void      ts_file_free                 (TsFile          *file);

gboolean  ts_store_database_is_postgres (const char     *database);
TsStore  *ts_store_open                (const char      *database,
                                        GError         **error);
void      ts_store_free                (TsStore         *self);
int       ts_store_get_schema_version  (TsStore         *self);

/* Accounts and sessions */
TsAccount *ts_store_create_account     (TsStore         *self,
                                        const char      *email,
                                        const char      *password_hash,
                                        const TsNewSecret *api_key,
                                        gint64           now,
                                        GError         **error);
gboolean  ts_store_account_exists      (TsStore         *self,
                                        const char      *email,
                                        gboolean        *exists,
                                        GError         **error);
gboolean  ts_store_find_password       (TsStore         *self,
                                        const char      *email,
                                        gint64          *account_id,
                                        char           **password_hash,
                                        GError         **error);
TsAccount *ts_store_get_account        (TsStore         *self,
                                        gint64           account_id,
                                        GError         **error);
gboolean  ts_store_lookup_credential   (TsStore         *self,
                                        const char      *hash,
                                        TsPrincipal    **principal,
                                        GError         **error);
gboolean  ts_store_touch_credential    (TsStore         *self,
                                        gint64           credential_id,
                                        gint64           now,
                                        GError         **error);
gboolean  ts_store_create_session      (TsStore         *self,
                                        gint64           account_id,
                                        const TsNewSecret *session,
                                        gint64           now,
                                        gint64           expires_at,
                                        GError         **error);
gboolean  ts_store_delete_session      (TsStore         *self,
                                        gint64           account_id,
                                        gint64           credential_id,
                                        gint64           now,
                                        GError         **error);
gboolean  ts_store_purge_expired       (TsStore         *self,
                                        gint64           now,
                                        GError         **error);
gboolean  ts_store_add_event           (TsStore         *self,
                                        gint64           account_id,
                                        const char      *kind,
                                        gint64           token_id,
                                        gint64           now,
                                        GError         **error);
gboolean  ts_store_list_events         (TsStore         *self,
                                        gint64           account_id,
                                        gint64           before_id,
                                        guint            limit,
                                        GPtrArray      **events,
                                        GError         **error);

/* The account API token */
gboolean  ts_store_get_api_key         (TsStore         *self,
                                        gint64           account_id,
                                        TsSecretInfo    *info,
                                        GError         **error);
gboolean  ts_store_reset_api_key       (TsStore         *self,
                                        gint64           account_id,
                                        const TsNewSecret *api_key,
                                        gint64           now,
                                        GError         **error);

/* Access tokens */
gboolean  ts_store_list_access_tokens  (TsStore         *self,
                                        gint64           account_id,
                                        gint64           after_id,
                                        guint            limit,
                                        GPtrArray      **tokens,
                                        gint64          *total,
                                        GError         **error);
TsAccessToken *ts_store_get_access_token (TsStore       *self,
                                        gint64           account_id,
                                        gint64           token_id,
                                        GError         **error);
gint64    ts_store_create_access_token (TsStore         *self,
                                        gint64           account_id,
                                        const char      *name,
                                        guint            scopes,
                                        gint64           duration_days,
                                        const TsNewSecret *secret,
                                        gint64           now,
                                        GError         **error);
gboolean  ts_store_update_access_token (TsStore         *self,
                                        gint64           account_id,
                                        gint64           token_id,
                                        const char      *name,
                                        guint            scopes,
                                        gint64           now,
                                        GError         **error);
gboolean  ts_store_delete_access_token (TsStore         *self,
                                        gint64           account_id,
                                        gint64           token_id,
                                        gint64           now,
                                        GError         **error);
gboolean  ts_store_renew_access_token  (TsStore         *self,
                                        gint64           account_id,
                                        gint64           token_id,
                                        gboolean         keep_old,
                                        gboolean         set_duration,
                                        gint64           duration_days,
                                        const TsNewSecret *secret,
                                        gint64           now,
                                        GError         **error);
gboolean  ts_store_delete_previous     (TsStore         *self,
                                        gint64           account_id,
                                        gint64           token_id,
                                        gint64           now,
                                        GError         **error);
gboolean  ts_store_undo_renewal        (TsStore         *self,
                                        gint64           account_id,
                                        gint64           token_id,
                                        gint64           now,
                                        GError         **error);

/* The account security token (Client-Token) */
TsClientToken *ts_store_get_client_token (TsStore       *self,
                                        gint64           account_id,
                                        GError         **error);
gboolean  ts_store_configure_client_token (TsStore      *self,
                                        gint64           account_id,
                                        const TsNewSecret *secret,
                                        gint64           now,
                                        GError         **error);
gboolean  ts_store_set_client_token_active (TsStore     *self,
                                        gint64           account_id,
                                        gboolean         active,
                                        gint64           now,
                                        GError         **error);
gboolean  ts_store_delete_client_token (TsStore         *self,
                                        gint64           account_id,
                                        gint64           now,
                                        GError         **error);

/* Rate limits every instance shares (ts-ratelimit.c): hits counted per
 * (kind, key) in a fixed window of @window seconds that the first hit
 * opens. Keys are kept as the caller gives them: it hashes them. */
gboolean  ts_store_limit_get           (TsStore         *self,
                                        const char      *kind,
                                        const char      *key,
                                        gint64           now,
                                        gint64           window,
                                        guint           *hits,
                                        gint64          *window_start,
                                        GError         **error);
gboolean  ts_store_limit_add           (TsStore         *self,
                                        const char      *kind,
                                        const char      *key,
                                        gint64           now,
                                        gint64           window,
                                        int              delta,
                                        guint            max,
                                        gboolean        *added,
                                        guint           *hits,
                                        gint64          *window_start,
                                        GError         **error);
gboolean  ts_store_limit_clear         (TsStore         *self,
                                        const char      *kind,
                                        const char      *key,
                                        GError         **error);

/* Files: the small scoped resource */
gboolean  ts_store_list_files          (TsStore         *self,
                                        gint64           account_id,
                                        GPtrArray      **files,
                                        GError         **error);
GBytes   *ts_store_get_file            (TsStore         *self,
                                        gint64           account_id,
                                        const char      *name,
                                        GError         **error);
gboolean  ts_store_put_file            (TsStore         *self,
                                        gint64           account_id,
                                        const char      *name,
                                        GBytes          *content,
                                        guint            max_files,
                                        gint64           now,
                                        gboolean        *created,
                                        GError         **error);
gboolean  ts_store_delete_file         (TsStore         *self,
                                        gint64           account_id,
                                        const char      *name,
                                        GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsStore, ts_store_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsAccount, ts_account_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsPrincipal, ts_principal_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsAccessToken, ts_access_token_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsClientToken, ts_client_token_free)

G_END_DECLS
