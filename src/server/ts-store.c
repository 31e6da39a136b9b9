/* ts-store.c — one interface, two stores
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The database argument picks the store: a libpq connection URI
 * (postgresql:// or postgres://) is PostgreSQL, for several instances of
 * tokens-server on one database; anything else is an SQLite file, the
 * embedded default. Every other call dispatches through the store's
 * TsStoreVTable (ts-store-private.h). The records are plain memory and
 * the same for both stores, so they are freed here.
 */

#include "config.h"

#include "tokens-error.h"
#include "ts-store-private.h"

/* Records */

void
ts_account_free (TsAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->email);
  g_free (account);
}

void
ts_principal_free (TsPrincipal *principal)
{
  if (principal == NULL)
    return;
  g_free (principal->hash);
  g_free (principal->email);
  g_free (principal->client_token_hash);
  g_free (principal);
}

void
ts_secret_info_clear (TsSecretInfo *info)
{
  g_clear_pointer (&info->last4, g_free);
}

void
ts_access_token_free (TsAccessToken *token)
{
  if (token == NULL)
    return;
  g_free (token->name);
  ts_secret_info_clear (&token->current);
  ts_secret_info_clear (&token->previous);
  g_free (token);
}

void
ts_client_token_free (TsClientToken *token)
{
  if (token == NULL)
    return;
  ts_secret_info_clear (&token->secret);
  g_free (token);
}

void
ts_event_free (TsEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->kind);
  g_free (event);
}

void
ts_file_free (TsFile *file)
{
  if (file == NULL)
    return;
  g_free (file->name);
  g_free (file);
}

/* Opening */

/**
 * ts_store_database_is_postgres:
 * @database: the --database argument
 *
 * Returns: whether @database is a libpq connection URI rather than the
 *   path of an SQLite file
 */
gboolean
ts_store_database_is_postgres (const char *database)
{
  return g_str_has_prefix (database, "postgresql://") ||
         g_str_has_prefix (database, "postgres://");
}

TsStore *
ts_store_open (const char  *database,
               GError     **error)
{
  if (ts_store_database_is_postgres (database))
    {
#ifdef HAVE_POSTGRES
      return ts_store_pg_open (database, error);
#else
      g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_STORAGE,
                           "this tokens-server was built without PostgreSQL support");
      return NULL;
#endif
    }

  return ts_store_sqlite_open (database, error);
}

/* Dispatch */

void
ts_store_free (TsStore  *self)
{
  if (self != NULL)
    self->vtable->free (self);
}

int
ts_store_get_schema_version (TsStore  *self)
{
  return self->vtable->get_schema_version (self);
}

TsAccount *
ts_store_create_account (TsStore            *self,
                         const char         *email,
                         const char         *password_hash,
                         const TsNewSecret  *api_key,
                         gint64              now,
                         GError            **error)
{
  return self->vtable->create_account (self, email, password_hash, api_key, now, error);
}

gboolean
ts_store_account_exists (TsStore     *self,
                         const char  *email,
                         gboolean    *exists,
                         GError     **error)
{
  return self->vtable->account_exists (self, email, exists, error);
}

gboolean
ts_store_find_password (TsStore     *self,
                        const char  *email,
                        gint64      *account_id,
                        char       **password_hash,
                        GError     **error)
{
  return self->vtable->find_password (self, email, account_id, password_hash, error);
}

TsAccount *
ts_store_get_account (TsStore  *self,
                      gint64    account_id,
                      GError  **error)
{
  return self->vtable->get_account (self, account_id, error);
}

gboolean
ts_store_lookup_credential (TsStore      *self,
                            const char   *hash,
                            TsPrincipal **principal,
                            GError      **error)
{
  return self->vtable->lookup_credential (self, hash, principal, error);
}

gboolean
ts_store_touch_credential (TsStore  *self,
                           gint64    credential_id,
                           gint64    now,
                           GError  **error)
{
  return self->vtable->touch_credential (self, credential_id, now, error);
}

gboolean
ts_store_create_session (TsStore            *self,
                         gint64              account_id,
                         const TsNewSecret  *session,
                         gint64              now,
                         gint64              expires_at,
                         GError            **error)
{
  return self->vtable->create_session (self, account_id, session, now, expires_at, error);
}

gboolean
ts_store_delete_session (TsStore  *self,
                         gint64    account_id,
                         gint64    credential_id,
                         gint64    now,
                         GError  **error)
{
  return self->vtable->delete_session (self, account_id, credential_id, now, error);
}

gboolean
ts_store_purge_expired (TsStore  *self,
                        gint64    now,
                        GError  **error)
{
  return self->vtable->purge_expired (self, now, error);
}

gboolean
ts_store_add_event (TsStore     *self,
                    gint64       account_id,
                    const char  *kind,
                    gint64       token_id,
                    gint64       now,
                    GError     **error)
{
  return self->vtable->add_event (self, account_id, kind, token_id, now, error);
}

gboolean
ts_store_list_events (TsStore    *self,
                      gint64      account_id,
                      gint64      before_id,
                      guint       limit,
                      GPtrArray **events,
                      GError    **error)
{
  return self->vtable->list_events (self, account_id, before_id, limit, events, error);
}

gboolean
ts_store_get_api_key (TsStore       *self,
                      gint64         account_id,
                      TsSecretInfo  *info,
                      GError       **error)
{
  return self->vtable->get_api_key (self, account_id, info, error);
}

gboolean
ts_store_reset_api_key (TsStore            *self,
                        gint64              account_id,
                        const TsNewSecret  *api_key,
                        gint64              now,
                        GError            **error)
{
  return self->vtable->reset_api_key (self, account_id, api_key, now, error);
}

gboolean
ts_store_list_access_tokens (TsStore    *self,
                             gint64      account_id,
                             gint64      after_id,
                             guint       limit,
                             GPtrArray **tokens,
                             gint64     *total,
                             GError    **error)
{
  return self->vtable->list_access_tokens (self, account_id, after_id, limit, tokens, total, error);
}

TsAccessToken *
ts_store_get_access_token (TsStore  *self,
                           gint64    account_id,
                           gint64    token_id,
                           GError  **error)
{
  return self->vtable->get_access_token (self, account_id, token_id, error);
}

gint64
ts_store_create_access_token (TsStore            *self,
                              gint64              account_id,
                              const char         *name,
                              guint               scopes,
                              gint64              duration_days,
                              const TsNewSecret  *secret,
                              gint64              now,
                              GError            **error)
{
  return self->vtable->create_access_token (self, account_id, name, scopes, duration_days, secret, now, error);
}

gboolean
ts_store_update_access_token (TsStore     *self,
                              gint64       account_id,
                              gint64       token_id,
                              const char  *name,
                              guint        scopes,
                              gint64       now,
                              GError     **error)
{
  return self->vtable->update_access_token (self, account_id, token_id, name, scopes, now, error);
}

gboolean
ts_store_delete_access_token (TsStore  *self,
                              gint64    account_id,
                              gint64    token_id,
                              gint64    now,
                              GError  **error)
{
  return self->vtable->delete_access_token (self, account_id, token_id, now, error);
}

gboolean
ts_store_renew_access_token (TsStore            *self,
                             gint64              account_id,
                             gint64              token_id,
                             gboolean            keep_old,
                             gboolean            set_duration,
                             gint64              duration_days,
                             const TsNewSecret  *secret,
                             gint64              now,
                             GError            **error)
{
  return self->vtable->renew_access_token (self, account_id, token_id, keep_old, set_duration, duration_days, secret, now, error);
}

gboolean
ts_store_delete_previous (TsStore  *self,
                          gint64    account_id,
                          gint64    token_id,
                          gint64    now,
                          GError  **error)
{
  return self->vtable->delete_previous (self, account_id, token_id, now, error);
}

gboolean
ts_store_undo_renewal (TsStore  *self,
                       gint64    account_id,
                       gint64    token_id,
                       gint64    now,
                       GError  **error)
{
  return self->vtable->undo_renewal (self, account_id, token_id, now, error);
}

TsClientToken *
ts_store_get_client_token (TsStore  *self,
                           gint64    account_id,
                           GError  **error)
{
  return self->vtable->get_client_token (self, account_id, error);
}

gboolean
ts_store_configure_client_token (TsStore            *self,
                                 gint64              account_id,
                                 const TsNewSecret  *secret,
                                 gint64              now,
                                 GError            **error)
{
  return self->vtable->configure_client_token (self, account_id, secret, now, error);
}

gboolean
ts_store_set_client_token_active (TsStore   *self,
                                  gint64     account_id,
                                  gboolean   active,
                                  gint64     now,
                                  GError   **error)
{
  return self->vtable->set_client_token_active (self, account_id, active, now, error);
}

gboolean
ts_store_delete_client_token (TsStore  *self,
                              gint64    account_id,
                              gint64    now,
                              GError  **error)
{
  return self->vtable->delete_client_token (self, account_id, now, error);
}

gboolean
ts_store_list_files (TsStore    *self,
                     gint64      account_id,
                     GPtrArray **files,
                     GError    **error)
{
  return self->vtable->list_files (self, account_id, files, error);
}

GBytes *
ts_store_get_file (TsStore     *self,
                   gint64       account_id,
                   const char  *name,
                   GError     **error)
{
  return self->vtable->get_file (self, account_id, name, error);
}

gboolean
ts_store_put_file (TsStore     *self,
                   gint64       account_id,
                   const char  *name,
                   GBytes      *content,
                   guint        max_files,
                   gint64       now,
                   gboolean    *created,
                   GError     **error)
{
  return self->vtable->put_file (self, account_id, name, content, max_files, now, created, error);
}

gboolean
ts_store_delete_file (TsStore     *self,
                      gint64       account_id,
                      const char  *name,
                      GError     **error)
{
  return self->vtable->delete_file (self, account_id, name, error);
}

/* Rate limits */

/* The key's hits in its current window: a window that has ended counts
 * as none (0, window_start 0). */
gboolean
ts_store_limit_get (TsStore     *self,
                    const char  *kind,
                    const char  *key,
                    gint64       now,
                    gint64       window,
                    guint       *hits,
                    gint64      *window_start,
                    GError     **error)
{
  if (!self->vtable->limit_get (self, kind, key, hits, window_start, error))
    return FALSE;

  if (*window_start == 0 || now - *window_start >= window)
    {
      *hits = 0;
      *window_start = 0;
    }
  return TRUE;
}

/**
 * ts_store_limit_add:
 * @delta: hits to add (negative: take back, never below 0)
 * @max: with @delta > 0, add only while the window has fewer hits than
 *   this (0: always)
 * @added: (out): whether the hits were added
 * @hits: (out): the hits in the window after this
 * @window_start: (out): when the window began
 *
 * Checks and counts in one statement, so instances and threads that
 * count at the same time cannot all pass one check.
 */
gboolean
ts_store_limit_add (TsStore     *self,
                    const char  *kind,
                    const char  *key,
                    gint64       now,
                    gint64       window,
                    int          delta,
                    guint        max,
                    gboolean    *added,
                    guint       *hits,
                    gint64      *window_start,
                    GError     **error)
{
  return self->vtable->limit_add (self, kind, key, now, window, delta, max,
                                  added, hits, window_start, error);
}

gboolean
ts_store_limit_clear (TsStore     *self,
                      const char  *kind,
                      const char  *key,
                      GError     **error)
{
  return self->vtable->limit_clear (self, kind, key, error);
}
