/* tokens-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One account on one service, as the app uses it: the service (started
 * first when it is the one on this computer), the client with the
 * session token from the keyring, who the service says we are and the
 * API token's metadata and the account security token's state, and the
 * account's access tokens: the one writer of all of it. Each change is
 * one call here that goes client → keyring → model (the access tokens'
 * calls are in tokens-session-tokens.c). Secrets
 * that the service shows once are saved to the keyring before they are
 * handed to the caller to show. The JSON is the typed endpoints' business
 * (tokens-client-*.c): nothing here reads a reply.
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tokens-error.h"
#include "tokens-session-private.h"


enum {
  PROP_0,
  PROP_ACCOUNT,
  PROP_STATE,
  PROP_PROFILE,
  PROP_API_KEY,
  PROP_SECURITY_TOKEN,
  PROP_TOKENS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (TokensSession, tokens_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (TokensSessionState, tokens_session_state,
                    G_DEFINE_ENUM_VALUE (TOKENS_SESSION_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (TOKENS_SESSION_STATE_CONNECTING, "connecting"),
                    G_DEFINE_ENUM_VALUE (TOKENS_SESSION_STATE_SIGNED_OUT, "signed-out"),
                    G_DEFINE_ENUM_VALUE (TOKENS_SESSION_STATE_READY, "ready"),
                    G_DEFINE_ENUM_VALUE (TOKENS_SESSION_STATE_FAILED, "failed"))

static GParamSpec *properties[N_PROPS];

static void follow_state (TokensSession *self);

static void
set_state (TokensSession      *self,
           TokensSessionState  state,
           const GError       *error)
{
  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);

  /* Notified even when unchanged with a new error: the UI shows the error. */
  self->state = state;
  follow_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* A secret the service showed once went to the keyring, or not: why not
 * is kept for the UI to say ("locked", not "no keyring"). */
void
tokens_session_note_saved (TokensSession *self,
                           const GError  *error)
{
  g_clear_error (&self->save_error);
  if (error != NULL)
    self->save_error = g_error_copy (error);
}

/**
 * tokens_session_get_save_error:
 *
 * Returns: (nullable): why the last secret this session received (a
 *   sign-up's or a reset's API token, an account security token, an
 *   access token made or renewed) was not saved to the keyring, or %NULL
 *   if it was
 */
const GError *
tokens_session_get_save_error (TokensSession *self)
{
  g_return_val_if_fail (TOKENS_IS_SESSION (self), NULL);

  return self->save_error;
}

/* Whether a secret shown once got to the keyring is kept for the call's
 * _finish(), why not for tokens_session_get_save_error(). Once the
 * service has made it, the keyring step runs on the session's own
 * cancellable, not the caller's: a page closed meanwhile must not leave
 * the only copy of a new API token unsaved (the old one is dead already). */

static void
shown_once_saved_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ShownOnce *shown = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  shown->saved = tokens_store_save_finish (TOKENS_STORE (object), result, &error);
  tokens_session_note_saved (g_task_get_source_object (task), error);
  if (!shown->saved)
    g_debug ("%s could not be saved: %s", shown->what, error->message);

  shown->then (g_steal_pointer (&task));
}

static void
save_shown_once (GTask              *task,
                 TokensTokenKind     kind,
                 const TokensSecret *secret)
{
  TokensSession *self = g_task_get_source_object (task);

  tokens_store_save_async (self->store, self->account, kind, NULL, NULL, secret,
                           self->cancellable, shown_once_saved_cb, task);
}

TokensSecret *
tokens_session_finish_shown_once (TokensSession  *self,
                                  GAsyncResult   *result,
                                  gboolean       *out_saved,
                                  GError        **error)
{
  ShownOnce *shown;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  shown = g_task_get_task_data (G_TASK (result));
  if (out_saved != NULL)
    *out_saved = shown->saved;

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
set_profile (TokensSession *self,
             TokensProfile *profile,
             TokensApiKey  *api_key)
{
  if (g_set_object (&self->profile, profile))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
  if (g_set_object (&self->api_key, api_key))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_KEY]);
}

static void
set_security_token (TokensSession       *self,
                    TokensSecurityToken *security_token)
{
  g_autoptr(TokensSecurityToken) none = NULL;

  if (security_token == NULL)
    security_token = none = tokens_security_token_new_none ();

  if (g_set_object (&self->security_token, security_token))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECURITY_TOKEN]);
}

TokensSession *
tokens_session_new (TokensAccount      *account,
                    TokensStore        *store,
                    TokensLocalService *local_service)
{
  TokensSession *self;

  g_return_val_if_fail (TOKENS_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (TOKENS_IS_STORE (store), NULL);
  g_return_val_if_fail (!local_service || TOKENS_IS_LOCAL_SERVICE (local_service), NULL);

  self = g_object_new (TOKENS_TYPE_SESSION, "account", account, NULL);
  self->store = g_object_ref (store);
  if (tokens_account_get_is_local (account))
    self->local_service = local_service ? g_object_ref (local_service) : tokens_local_service_new ();

  return self;
}

TokensAccount *
tokens_session_get_account (TokensSession *self)
{
  g_return_val_if_fail (TOKENS_IS_SESSION (self), NULL);
  return self->account;
}

/**
 * tokens_session_get_client:
 *
 * Returns: (transfer none) (nullable): the client, once the service's
 *   address is known
 */
TokensClient *
tokens_session_get_client (TokensSession *self)
{
  g_return_val_if_fail (TOKENS_IS_SESSION (self), NULL);
  return self->client;
}

TokensStore *
tokens_session_get_store (TokensSession *self)
{
  g_return_val_if_fail (TOKENS_IS_SESSION (self), NULL);
  return self->store;
}

TokensSessionState
tokens_session_get_state (TokensSession *self)
{
  g_return_val_if_fail (TOKENS_IS_SESSION (self), TOKENS_SESSION_STATE_IDLE);
  return self->state;
}

const GError *
tokens_session_get_error (TokensSession *self)
{
  g_return_val_if_fail (TOKENS_IS_SESSION (self), NULL);
  return self->error;
}

TokensProfile *
tokens_session_get_profile (TokensSession *self)
{
  g_return_val_if_fail (TOKENS_IS_SESSION (self), NULL);
  return self->profile;
}

TokensApiKey *
tokens_session_get_api_key (TokensSession *self)
{
  g_return_val_if_fail (TOKENS_IS_SESSION (self), NULL);
  return self->api_key;
}

/**
 * tokens_session_get_security_token:
 *
 * Returns: (transfer none): the account security token's state, loaded
 *   with the profile (%TOKENS_SECURITY_TOKEN_STATE_NONE until then)
 */
TokensSecurityToken *
tokens_session_get_security_token (TokensSession *self)
{
  g_return_val_if_fail (TOKENS_IS_SESSION (self), NULL);
  return self->security_token;
}

/* The service on this computer may come back on another port. */
static void
local_url_changed_cb (TokensSession *self)
{
  const char *url = tokens_local_service_get_url (self->local_service);

  if (self->client != NULL && url != NULL)
    tokens_client_set_base_url (self->client, url, NULL);
}

static gboolean
ensure_client (TokensSession  *self,
               GError        **error)
{
  const char *url;

  if (self->client != NULL)
    return TRUE;

  url = self->local_service
          ? tokens_local_service_get_url (self->local_service)
          : tokens_account_get_service_url (self->account);

  self->client = tokens_client_new (url, tokens_account_get_allow_insecure (self->account), error);
  if (self->client == NULL)
    return FALSE;

  if (self->local_service != NULL)
    g_signal_connect_object (self->local_service, "notify::url",
                             G_CALLBACK (local_url_changed_cb), self, G_CONNECT_SWAPPED);
  return TRUE;
}

/* Step 1 of everything: the service is there and the client knows it. */

static void
service_started_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokensSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (!tokens_local_service_start_finish (TOKENS_LOCAL_SERVICE (object), result, &error) ||
      !ensure_client (self, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
ensure_service_async (TokensSession       *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  if (self->local_service != NULL && !tokens_local_service_get_running (self->local_service))
    {
      tokens_local_service_start_async (self->local_service, cancellable,
                                        service_started_cb, g_steal_pointer (&task));
      return;
    }

  if (!ensure_client (self, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
ensure_service_finish (TokensSession  *self,
                       GAsyncResult   *result,
                       GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Who we are: GET /v1/me, then the API token's metadata, then the
 * account security token's state. */

typedef struct
{
  TokensProfile *profile;
  TokensApiKey  *api_key;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->profile);
  g_clear_object (&data->api_key);
  g_free (data);
}

static void
load_security_token_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokensSession *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(TokensSecurityToken) security_token = NULL;
  GError *error = NULL;

  security_token = tokens_client_get_security_token_finish (TOKENS_CLIENT (object), result, &error);
  if (security_token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  set_profile (self, data->profile, data->api_key);
  set_security_token (self, security_token);
  g_task_return_boolean (task, TRUE);
}

static void
load_api_key_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  LoadData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->api_key = tokens_client_get_api_key_finish (TOKENS_CLIENT (object), result, &error);
  if (data->api_key == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  tokens_client_get_security_token_async (TOKENS_CLIENT (object), cancellable,
                                          load_security_token_cb, g_steal_pointer (&task));
}

static void
load_me_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  LoadData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->profile = tokens_client_get_me_finish (TOKENS_CLIENT (object), result, &error);
  if (data->profile == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  tokens_client_get_api_key_async (TOKENS_CLIENT (object), cancellable,
                                   load_api_key_cb, g_steal_pointer (&task));
}

static void
load_profile_async (TokensSession       *self,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_task_data (task, g_new0 (LoadData, 1), (GDestroyNotify) load_data_free);
  tokens_client_get_me_async (self->client, cancellable, load_me_cb, task);
}

static gboolean
load_profile_finish (TokensSession  *self,
                     GAsyncResult   *result,
                     GError        **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Connect: the service, the session token from the keyring, who we are. */

static void
connect_fail (GTask        *task,
              GError       *error)
{
  TokensSession *self = g_task_get_source_object (task);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_state (self, TOKENS_SESSION_STATE_FAILED, error);
  g_task_return_error (task, error);
}

static void
connect_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokensSession *self = TOKENS_SESSION (object);
  GError *error = NULL;

  if (!load_profile_finish (self, result, &error))
    {
      /* The session ended (expired, signed out elsewhere, account reset):
       * sign in again, and forget the stale session. */
      if (g_error_matches (error, TOKENS_ERROR, TOKENS_ERROR_UNAUTHORIZED))
        {
          tokens_client_set_credential (self->client, NULL);
          tokens_store_clear_async (self->store, self->account, TOKENS_TOKEN_KIND_SESSION, NULL,
                                    NULL, NULL, NULL);
          set_state (self, TOKENS_SESSION_STATE_SIGNED_OUT, NULL);
          g_error_free (error);
          g_task_return_boolean (task, TRUE);
          return;
        }

      connect_fail (g_steal_pointer (&task), error);
      return;
    }

  set_state (self, TOKENS_SESSION_STATE_READY, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
connect_client_token_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  TokensSession *self = g_task_get_source_object (task);
  g_autoptr(TokensSecret) client_token = NULL;
  g_autoptr(GError) error = NULL;

  /* No account security token saved is the usual case, not a failure. */
  client_token = tokens_store_lookup_finish (TOKENS_STORE (object), result, &error);
  if (client_token != NULL)
    tokens_client_set_client_token (self->client, client_token);

  load_profile_async (self, cancellable, connect_loaded_cb, g_steal_pointer (&task));
}

static void
connect_session_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  TokensSession *self = g_task_get_source_object (task);
  g_autoptr(TokensSecret) session = NULL;
  GError *error = NULL;

  session = tokens_store_lookup_finish (TOKENS_STORE (object), result, &error);
  if (error != NULL)
    {
      connect_fail (g_steal_pointer (&task), error);
      return;
    }

  if (session == NULL)
    {
      set_state (self, TOKENS_SESSION_STATE_SIGNED_OUT, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }

  tokens_client_set_credential (self->client, session);
  tokens_store_lookup_async (self->store, self->account, TOKENS_TOKEN_KIND_CLIENT, NULL,
                             cancellable, connect_client_token_cb,
                             g_steal_pointer (&task));
}

static void
connect_service_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  TokensSession *self = TOKENS_SESSION (object);
  GError *error = NULL;

  if (!ensure_service_finish (self, result, &error))
    {
      connect_fail (g_steal_pointer (&task), error);
      return;
    }

  tokens_store_lookup_async (self->store, self->account, TOKENS_TOKEN_KIND_SESSION, NULL,
                             cancellable, connect_session_cb,
                             g_steal_pointer (&task));
}

/**
 * tokens_session_connect_async:
 *
 * Gets the session going: starts the service on this computer if that
 * is the account's, reads the session from the keyring and asks the
 * service who we are. Ends in state READY, SIGNED_OUT (sign in), or
 * FAILED (tokens_session_get_error() says why; connect again to retry).
 */
void
tokens_session_connect_async (TokensSession       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TOKENS_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tokens_session_connect_async);

  set_state (self, TOKENS_SESSION_STATE_CONNECTING, NULL);
  ensure_service_async (self, cancellable, connect_service_cb, task);
}

gboolean
tokens_session_connect_finish (TokensSession  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Sign in, or create the account first. */

typedef struct
{
  ShownOnce     shown;      /* the API token from sign-up */
  char         *password;   /* wiped */
  TokensSecret *api_token;  /* from sign-up, or NULL */
  gboolean      create;
} SignInData;

static void
sign_in_data_free (SignInData *data)
{
  g_clear_pointer (&data->password, tokens_secret_free);
  g_clear_pointer (&data->api_token, tokens_secret_free);
  g_free (data);
}

static void
sign_in_loaded_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokensSession *self = TOKENS_SESSION (object);
  SignInData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!load_profile_finish (self, result, &error))
    {
      connect_fail (g_steal_pointer (&task), error);
      return;
    }

  set_state (self, TOKENS_SESSION_STATE_READY, NULL);
  g_task_return_pointer (task, g_steal_pointer (&data->api_token), (GDestroyNotify) tokens_secret_free);
}

static void
sign_in_client_token_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  TokensSession *self = g_task_get_source_object (task);
  g_autoptr(TokensSecret) client_token = NULL;
  g_autoptr(GError) error = NULL;

  /* The account security token this computer saved, if any: an active
   * one is needed from the first request the new session makes. */
  client_token = tokens_store_lookup_finish (TOKENS_STORE (object), result, &error);
  if (client_token != NULL)
    tokens_client_set_client_token (self->client, client_token);

  load_profile_async (self, cancellable, sign_in_loaded_cb, g_steal_pointer (&task));
}

static void
sign_in_session_saved_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  TokensSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* Without the keyring the session still works until the app quits;
   * the person is told about the keyring where a secret is shown. */
  if (!tokens_store_save_finish (TOKENS_STORE (object), result, &error))
    g_debug ("The session could not be saved: %s", error->message);

  if (tokens_client_has_client_token (self->client))
    {
      load_profile_async (self, cancellable, sign_in_loaded_cb, g_steal_pointer (&task));
      return;
    }

  tokens_store_lookup_async (self->store, self->account, TOKENS_TOKEN_KIND_CLIENT, NULL,
                             cancellable, sign_in_client_token_cb, g_steal_pointer (&task));
}

static void
sign_in_session_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  TokensSession *self = g_task_get_source_object (task);
  g_autoptr(TokensSecret) session = NULL;
  GError *error = NULL;

  session = tokens_client_sign_in_finish (TOKENS_CLIENT (object), result, NULL, NULL, &error);
  /* The password has done its work: wiped now, not when the chain ends. */
  g_clear_pointer (&((SignInData *) g_task_get_task_data (task))->password, tokens_secret_free);
  if (session == NULL)
    {
      /* A wrong password is said as such, not as "unauthorized". */
      if (g_error_matches (error, TOKENS_ERROR, TOKENS_ERROR_UNAUTHORIZED))
        error->code = TOKENS_ERROR_WRONG_CREDENTIALS;
      g_task_return_error (task, error);
      return;
    }

  tokens_client_set_credential (self->client, session);
  tokens_store_save_async (self->store, self->account, TOKENS_TOKEN_KIND_SESSION, NULL, NULL,
                           session, cancellable,
                           sign_in_session_saved_cb, g_steal_pointer (&task));
}

static void
sign_in_post_session (GTask *task)
{
  TokensSession *self = g_task_get_source_object (task);
  SignInData *data = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  tokens_client_sign_in_async (self->client, tokens_account_get_email (self->account),
                               data->password, cancellable, sign_in_session_cb, task);
}

static void
sign_up_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignInData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->api_token = tokens_client_sign_up_finish (TOKENS_CLIENT (object), result, NULL, NULL, &error);
  if (data->api_token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  save_shown_once (g_steal_pointer (&task), TOKENS_TOKEN_KIND_API_KEY, data->api_token);
}

static void
sign_in_service_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokensSession *self = TOKENS_SESSION (object);
  SignInData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!ensure_service_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (data->create)
    {
      /* The session's cancellable, not the caller's: once asked, the
       * service makes the account and shows its API token once; a page
       * closed meanwhile must not lose it (the caller still gets
       * CANCELLED from its task). */
      tokens_client_sign_up_async (self->client, tokens_account_get_email (self->account),
                                   data->password, self->cancellable, sign_up_cb, g_steal_pointer (&task));
      return;
    }

  sign_in_post_session (g_steal_pointer (&task));
}

/**
 * tokens_session_sign_in_async:
 * @password: the account's password (copied, and wiped when done)
 * @create_account: create the account first (sign-up)
 *
 * Signs in as the account's email. With @create_account, the service's
 * new API token is saved to the keyring and handed back, once.
 */
void
tokens_session_sign_in_async (TokensSession       *self,
                              const char          *password,
                              gboolean             create_account,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;
  SignInData *data;

  g_return_if_fail (TOKENS_IS_SESSION (self));
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tokens_session_sign_in_async);

  data = g_new0 (SignInData, 1);
  data->shown.what = "The API token";
  data->shown.then = sign_in_post_session;
  data->password = g_strdup (password);
  data->create = create_account;
  g_task_set_task_data (task, data, (GDestroyNotify) sign_in_data_free);

  ensure_service_async (self, cancellable, sign_in_service_cb, task);
}

/**
 * tokens_session_sign_in_finish:
 * @out_saved: (out) (optional): whether the API token is in the keyring
 *
 * Returns: (transfer full) (nullable): the new API token after a sign-up,
 *   %NULL after a sign-in (check @error)
 */
TokensSecret *
tokens_session_sign_in_finish (TokensSession  *self,
                               GAsyncResult   *result,
                               gboolean       *out_saved,
                               GError        **error)
{
  return tokens_session_finish_shown_once (self, result, out_saved, error);
}

/* Sign out: end the session on the service, forget it here. */

static void
sign_out_cleared_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokensSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  set_profile (self, NULL, NULL);
  set_security_token (self, NULL);
  set_state (self, TOKENS_SESSION_STATE_SIGNED_OUT, NULL);

  if (!tokens_store_clear_finish (TOKENS_STORE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
sign_out_deleted_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  TokensSession *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* Signed out here whatever the service says: it may be unreachable,
   * and the session dies on its own when it expires. */
  if (!tokens_client_sign_out_finish (TOKENS_CLIENT (object), result, &error))
    g_debug ("The service did not end the session: %s", error->message);
  tokens_client_set_credential (self->client, NULL);

  tokens_store_clear_async (self->store, self->account, TOKENS_TOKEN_KIND_SESSION, NULL,
                            cancellable, sign_out_cleared_cb,
                            g_steal_pointer (&task));
}

void
tokens_session_sign_out_async (TokensSession       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TOKENS_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tokens_session_sign_out_async);

  if (self->client != NULL && tokens_client_has_credential (self->client))
    tokens_client_sign_out_async (self->client, cancellable, sign_out_deleted_cb, task);
  else
    tokens_store_clear_async (self->store, self->account, TOKENS_TOKEN_KIND_SESSION, NULL,
                              cancellable, sign_out_cleared_cb, task);
}

gboolean
tokens_session_sign_out_finish (TokensSession  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Reset the API token: a new one at once, the old one dead. */

typedef struct
{
  ShownOnce     shown;
  TokensSecret *secret;
} ResetData;

static void
reset_data_free (ResetData *data)
{
  g_clear_pointer (&data->secret, tokens_secret_free);
  g_free (data);
}

static void
reset_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ResetData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The reset happened; stale metadata is no reason to hide the secret. */
  if (!load_profile_finish (TOKENS_SESSION (object), result, &error))
    g_debug ("Could not refresh after a reset: %s", error->message);

  g_task_return_pointer (task, g_steal_pointer (&data->secret), (GDestroyNotify) tokens_secret_free);
}

/* Saved or not: the API token's metadata (its hint) is the new one's,
 * whoever is still waiting for it. */
static void
reset_reload (GTask *task)
{
  TokensSession *self = g_task_get_source_object (task);

  load_profile_async (self, self->cancellable, reset_loaded_cb, task);
}

static void
reset_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ResetData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->secret = tokens_client_reset_api_key_finish (TOKENS_CLIENT (object), result, NULL, &error);
  if (data->secret == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  save_shown_once (g_steal_pointer (&task), TOKENS_TOKEN_KIND_API_KEY, data->secret);
}

void
tokens_session_reset_api_token_async (TokensSession       *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  ResetData *data;

  g_return_if_fail (TOKENS_IS_SESSION (self));
  g_return_if_fail (self->client != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tokens_session_reset_api_token_async);
  data = g_new0 (ResetData, 1);
  data->shown.what = "The new API token";
  data->shown.then = reset_reload;
  g_task_set_task_data (task, data, (GDestroyNotify) reset_data_free);

  /* The session's cancellable: the service kills the old token as it
   * answers, so the new one must reach the keyring even if the page that
   * asked is gone (it still gets CANCELLED). */
  tokens_client_reset_api_key_async (self->client, self->cancellable, reset_cb, task);
}

/**
 * tokens_session_reset_api_token_finish:
 * @out_saved: (out) (optional): whether the new token is in the keyring
 *
 * Returns: (transfer full) (nullable): the new API token, shown once
 */
TokensSecret *
tokens_session_reset_api_token_finish (TokensSession  *self,
                                       GAsyncResult   *result,
                                       gboolean       *out_saved,
                                       GError        **error)
{
  return tokens_session_finish_shown_once (self, result, out_saved, error);
}

/* The account security token (Client-Token): configure, activate,
 * deactivate, delete. Each ends with the `security-token` property as the
 * service says it is now. */

typedef struct
{
  ShownOnce            shown;
  TokensSecret        *secret;
  TokensSecurityToken *state;
} SecurityTokenData;

static void
security_token_data_free (SecurityTokenData *data)
{
  g_clear_pointer (&data->secret, tokens_secret_free);
  g_clear_object (&data->state);
  g_free (data);
}

static void
configure_return (GTask *task)
{
  TokensSession *self = g_task_get_source_object (task);
  SecurityTokenData *data = g_task_get_task_data (task);

  /* Sent from now on, so the app keeps working once it is activated. */
  tokens_client_set_client_token (self->client, data->secret);
  set_security_token (self, data->state);

  g_task_return_pointer (task, g_steal_pointer (&data->secret), (GDestroyNotify) tokens_secret_free);
  g_object_unref (task);
}

static void
configure_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecurityTokenData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->secret = tokens_client_configure_security_token_finish (TOKENS_CLIENT (object), result,
                                                                &data->state, &error);
  if (data->secret == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  save_shown_once (g_steal_pointer (&task), TOKENS_TOKEN_KIND_CLIENT, data->secret);
}

/**
 * tokens_session_configure_security_token_async:
 *
 * "Configure now": the service makes the account security token, disabled.
 * Its secret is saved to the keyring, then sent by the client from now on,
 * then handed back to be shown once.
 */
void
tokens_session_configure_security_token_async (TokensSession       *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  GTask *task;
  SecurityTokenData *data;

  g_return_if_fail (TOKENS_IS_SESSION (self));
  g_return_if_fail (self->client != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tokens_session_configure_security_token_async);
  data = g_new0 (SecurityTokenData, 1);
  data->shown.what = "The account security token";
  data->shown.then = configure_return;
  g_task_set_task_data (task, data, (GDestroyNotify) security_token_data_free);

  /* As for a reset: a secret shown once is saved even if the page goes. */
  tokens_client_configure_security_token_async (self->client, self->cancellable, configure_cb, task);
}

/**
 * tokens_session_configure_security_token_finish:
 * @out_saved: (out) (optional): whether it is in the keyring
 *
 * Returns: (transfer full) (nullable): the `Client-Token` value, shown once
 */
TokensSecret *
tokens_session_configure_security_token_finish (TokensSession  *self,
                                                GAsyncResult   *result,
                                                gboolean       *out_saved,
                                                GError        **error)
{
  return tokens_session_finish_shown_once (self, result, out_saved, error);
}

typedef TokensSecurityToken *(*StateFinish) (TokensClient  *client,
                                             GAsyncResult  *result,
                                             GError       **error);

static void
state_changed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokensSession *self = g_task_get_source_object (task);
  StateFinish finish = g_task_get_task_data (task);
  g_autoptr(TokensSecurityToken) state = NULL;
  GError *error = NULL;

  state = finish (TOKENS_CLIENT (object), result, &error);
  if (state == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  set_security_token (self, state);
  g_task_return_boolean (task, TRUE);
}

/**
 * tokens_session_activate_security_token_async:
 *
 * "Activate token": from now on the service refuses every request for
 * the account that does not send it; this session sends it.
 */
void
tokens_session_activate_security_token_async (TokensSession       *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TOKENS_IS_SESSION (self));
  g_return_if_fail (self->client != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tokens_session_activate_security_token_async);
  g_task_set_task_data (task, tokens_client_activate_security_token_finish, NULL);

  tokens_client_activate_security_token_async (self->client, cancellable, state_changed_cb, task);
}

gboolean
tokens_session_activate_security_token_finish (TokensSession  *self,
                                               GAsyncResult   *result,
                                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
tokens_session_deactivate_security_token_async (TokensSession       *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TOKENS_IS_SESSION (self));
  g_return_if_fail (self->client != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tokens_session_deactivate_security_token_async);
  g_task_set_task_data (task, tokens_client_deactivate_security_token_finish, NULL);

  tokens_client_deactivate_security_token_async (self->client, cancellable, state_changed_cb, task);
}

gboolean
tokens_session_deactivate_security_token_finish (TokensSession  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
delete_cleared_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* A copy left in the keyring is harmless: the service has none now. */
  if (!tokens_store_clear_finish (TOKENS_STORE (object), result, &error))
    g_debug ("The account security token could not be cleared: %s", error->message);

  g_task_return_boolean (task, TRUE);
}

static void
delete_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  TokensSession *self = g_task_get_source_object (task);
  GError *error = NULL;

  /* Already gone on the service (deleted elsewhere) is where we wanted to be. */
  if (!tokens_client_delete_security_token_finish (TOKENS_CLIENT (object), result, &error))
    {
      if (!g_error_matches (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND))
        {
          g_task_return_error (task, error);
          return;
        }
      g_clear_error (&error);
    }

  tokens_client_set_client_token (self->client, NULL);
  set_security_token (self, NULL);

  tokens_store_clear_async (self->store, self->account, TOKENS_TOKEN_KIND_CLIENT, NULL,
                            cancellable, delete_cleared_cb, g_steal_pointer (&task));
}

/**
 * tokens_session_delete_security_token_async:
 *
 * Deletes the account security token on the service, then its copy in
 * the keyring; requests no longer send it.
 */
void
tokens_session_delete_security_token_async (TokensSession       *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TOKENS_IS_SESSION (self));
  g_return_if_fail (self->client != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tokens_session_delete_security_token_async);

  tokens_client_delete_security_token_async (self->client, cancellable, delete_cb, task);
}

gboolean
tokens_session_delete_security_token_finish (TokensSession  *self,
                                             GAsyncResult   *result,
                                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The account's access tokens: one list, loaded once the session is
 * ready, that the page, the tray and the expiry warnings all observe,
 * and that only the calls below change. */

static void
migrated_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!tokens_store_describe_access_token_finish (TOKENS_STORE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Keyring: an item saved before names were attributes was not described: %s",
             error->message);
}

/* Items saved before the keyring had names, slots and expiries (the name
 * was only in the translated label) get them from the service's list,
 * once: from then on nothing reads a label. */
/* The list's and the keyring's callbacks hold the session weakly: a
 * session let go of (the app quitting, another account) is not kept for
 * them. */
static GWeakRef *
weak_session (TokensSession *self)
{
  GWeakRef *weak = g_new0 (GWeakRef, 1);

  g_weak_ref_init (weak, self);
  return weak;
}

static TokensSession *
steal_weak_session (gpointer user_data)
{
  GWeakRef *weak = user_data;
  TokensSession *self = g_weak_ref_get (weak);

  g_weak_ref_clear (weak);
  g_free (weak);
  return self;
}

static void
migrate_listed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(TokensSession) self = steal_weak_session (user_data);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  items = tokens_store_list_finish (TOKENS_STORE (object), result, &error);
  if (items == NULL || self == NULL || self->tokens == NULL)
    return;

  for (guint i = 0; i < items->len; i++)
    {
      const TokensStoreItem *item = g_ptr_array_index (items, i);
      TokensAccessToken *token;

      if (item->kind != TOKENS_TOKEN_KIND_ACCESS || item->name != NULL)
        continue;

      token = tokens_token_list_find_by_id (self->tokens, item->token_id, NULL);
      if (token != NULL)
        tokens_store_describe_access_token_async (self->store, self->account, token,
                                                  self->tokens_cancellable, migrated_cb, NULL);
    }
}

static void
tokens_loaded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(TokensSession) self = steal_weak_session (user_data);
  g_autoptr(GError) error = NULL;

  /* The list keeps its error for whoever shows it. */
  if (!tokens_token_list_load_all_finish (TOKENS_TOKEN_LIST (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not list the access tokens: %s", error->message);
      return;
    }

  if (self != NULL && self->tokens == TOKENS_TOKEN_LIST (object))
    tokens_store_list_async (self->store, self->account, self->tokens_cancellable,
                             migrate_listed_cb, weak_session (self));
}

static void
drop_tokens (TokensSession *self)
{
  g_cancellable_cancel (self->tokens_cancellable);
  g_clear_object (&self->tokens_cancellable);
  if (self->tokens != NULL)
    {
      g_clear_object (&self->tokens);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKENS]);
    }
}

static void
load_tokens (TokensSession *self)
{
  drop_tokens (self);

  self->tokens_cancellable = g_cancellable_new ();
  self->tokens = tokens_token_list_new (self->client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKENS]);

  tokens_token_list_load_all_async (self->tokens, self->tokens_cancellable, tokens_loaded_cb,
                                    weak_session (self));
}

static void
follow_state (TokensSession *self)
{
  if (self->state == TOKENS_SESSION_STATE_READY && self->tokens == NULL)
    load_tokens (self);
  else if (self->state != TOKENS_SESSION_STATE_READY && self->state != TOKENS_SESSION_STATE_CONNECTING)
    drop_tokens (self);
}

/**
 * tokens_session_get_tokens:
 *
 * Returns: (transfer none) (nullable): the account's access tokens, once
 *   the session is ready
 */
TokensTokenList *
tokens_session_get_tokens (TokensSession *self)
{
  g_return_val_if_fail (TOKENS_IS_SESSION (self), NULL);
  return self->tokens;
}

/**
 * tokens_session_reload_tokens:
 *
 * Lists the access tokens again, as a new list: after a change made
 * elsewhere (another computer, the command line).
 */
void
tokens_session_reload_tokens (TokensSession *self)
{
  g_return_if_fail (TOKENS_IS_SESSION (self));

  if (self->state == TOKENS_SESSION_STATE_READY)
    load_tokens (self);
}

/**
 * tokens_session_refresh_tokens:
 *
 * Asks the service again for the tokens the list holds and updates them
 * in place (rows, selection and scrolling stay): when a token was last
 * used, or renewed elsewhere, is what the service knows now, not what it
 * knew when the list was loaded. Without this, a token used from a
 * terminal still said "Never used" until an edit brought its fresh copy.
 */
void
tokens_session_refresh_tokens (TokensSession *self)
{
  g_return_if_fail (TOKENS_IS_SESSION (self));

  if (self->tokens == NULL || tokens_token_list_get_loading (self->tokens))
    return;

  tokens_token_list_reload_async (self->tokens, self->tokens_cancellable, NULL, NULL);
}

/* Refresh: ask again who we are (after an edit elsewhere, say). */

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!load_profile_finish (TOKENS_SESSION (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
tokens_session_refresh_async (TokensSession       *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TOKENS_IS_SESSION (self));
  g_return_if_fail (self->client != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  load_profile_async (self, cancellable, refresh_cb, task);
}

gboolean
tokens_session_refresh_finish (TokensSession  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
tokens_session_dispose (GObject *object)
{
  TokensSession *self = (TokensSession *) object;

  g_cancellable_cancel (self->cancellable);
  drop_tokens (self);
  g_clear_object (&self->client);
  g_clear_object (&self->profile);
  g_clear_object (&self->api_key);
  g_clear_object (&self->security_token);

  G_OBJECT_CLASS (tokens_session_parent_class)->dispose (object);
}

static void
tokens_session_finalize (GObject *object)
{
  TokensSession *self = (TokensSession *) object;

  g_clear_object (&self->account);
  g_clear_object (&self->store);
  g_clear_object (&self->local_service);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_clear_error (&self->save_error);

  G_OBJECT_CLASS (tokens_session_parent_class)->finalize (object);
}

static void
tokens_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TokensSession *self = TOKENS_SESSION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      g_value_set_object (value, self->account);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;
    case PROP_API_KEY:
      g_value_set_object (value, self->api_key);
      break;
    case PROP_SECURITY_TOKEN:
      g_value_set_object (value, self->security_token);
      break;
    case PROP_TOKENS:
      g_value_set_object (value, self->tokens);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_session_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TokensSession *self = TOKENS_SESSION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT:
      self->account = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tokens_session_class_init (TokensSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tokens_session_dispose;
  object_class->finalize = tokens_session_finalize;
  object_class->get_property = tokens_session_get_property;
  object_class->set_property = tokens_session_set_property;

  properties[PROP_ACCOUNT] =
    g_param_spec_object ("account", NULL, NULL, TOKENS_TYPE_ACCOUNT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TOKENS_TYPE_SESSION_STATE, TOKENS_SESSION_STATE_IDLE,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL, TOKENS_TYPE_PROFILE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_API_KEY] =
    g_param_spec_object ("api-key", NULL, NULL, TOKENS_TYPE_API_KEY,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SECURITY_TOKEN] =
    g_param_spec_object ("security-token", NULL, NULL, TOKENS_TYPE_SECURITY_TOKEN,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * TokensSession:tokens:
   *
   * The account's access tokens (a #TokensTokenList), once the session
   * is ready; %NULL before and after.
   */
  properties[PROP_TOKENS] =
    g_param_spec_object ("tokens", NULL, NULL, TOKENS_TYPE_TOKEN_LIST,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tokens_session_init (TokensSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->security_token = tokens_security_token_new_none ();
}
