/* tokens-session-tokens.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TokensSession's access tokens: generate, edit, renew, revoke, delete
 * the old token of a renewal, undo a renewal, and the one route to a
 * saved secret. Each call goes to the service, then the keyring, then
 * the session's list (tokens_session_get_tokens()), which the app's
 * page, tray and expiry warnings observe.
 *
 * The keyring follows a renewal: with Later both secrets are saved (the
 * old one in the previous slot), deleting the old token drops it, an
 * undo makes it current again, Now replaces.
 */

#include "config.h"

#include "tokens-error.h"
#include "tokens-session-private.h"

static void
put_token (TokensSession     *self,
           TokensAccessToken *token)
{
  if (self->tokens != NULL && !tokens_token_list_replace (self->tokens, token))
    tokens_token_list_add (self->tokens, token);
}

/* Each call: the service, then the keyring, then the list. Once the
 * service has acted, the keyring and the list follow it on the session's
 * own cancellable, so a closed dialog does not leave them behind (a new
 * secret unsaved, an old one saved for a token that is gone). A call that
 * makes a secret (generate, renew) is sent on it too: a request on its
 * way is acted on by the service whatever the dialog does, and its
 * secret, shown once, must reach the keyring and its token the list. The
 * caller's cancellable still says CANCELLED to a caller that is gone. */

typedef TokensAccessToken *(*TokenFinish) (TokensClient  *client,
                                            GAsyncResult  *result,
                                            GError       **error);

typedef struct
{
  ShownOnce          shown;      /* first: tokens_session_finish_shown_once() */
  char              *id;
  TokensAccessToken *token;
  TokensSecret      *secret;     /* the new secret, shown once */
  TokensDeleteOld    delete_old;
  gboolean           save;
  TokenFinish        finish;     /* of the client call, for token_changed_cb() */
  void             (*then) (GTask *task);  /* the keyring's part after it */
} TokenOp;

static void
token_op_free (TokenOp *op)
{
  g_clear_pointer (&op->id, g_free);
  g_clear_object (&op->token);
  g_clear_pointer (&op->secret, tokens_secret_free);
  g_free (op);
}

static GTask *
token_op_new (TokensSession       *self,
              const char          *id,
              GCancellable        *cancellable,
              gpointer             source_tag,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  TokenOp *op = g_new0 (TokenOp, 1);

  g_task_set_source_tag (task, source_tag);
  op->id = g_strdup (id);
  g_task_set_task_data (task, op, (GDestroyNotify) token_op_free);
  return task;
}

/* The client call of an edit, a deletion of the old token or an undo:
 * the token as the service has it now, then the keyring's part. */
static void
token_changed_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokenOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->token = op->finish (TOKENS_CLIENT (object), result, &error);
  if (op->token == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  op->then (g_steal_pointer (&task));
}

static GTask *
token_change_new (TokensSession       *self,
                  const char          *id,
                  TokenFinish          finish,
                  void               (*then) (GTask *task),
                  GCancellable        *cancellable,
                  gpointer             source_tag,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = token_op_new (self, id, cancellable, source_tag, callback, user_data);
  TokenOp *op = g_task_get_task_data (task);

  op->finish = finish;
  op->then = then;
  return task;
}

/* The keyring's part failed: the service's change stands, and a secret
 * already shown is shown anyway (with "not saved"). */
static void
keyring_step_failed (const char   *what,
                     const GError *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Keyring: %s: %s", what, error->message);
}

static void
return_token (GTask *task)
{
  TokensSession *self = g_task_get_source_object (task);
  TokenOp *op = g_task_get_task_data (task);

  put_token (self, op->token);
  if (op->secret != NULL)
    g_task_return_pointer (task, g_steal_pointer (&op->secret), (GDestroyNotify) tokens_secret_free);
  else
    g_task_return_boolean (task, TRUE);
}

static void
token_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokenOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  op->shown.saved = tokens_store_save_finish (TOKENS_STORE (object), result, &error);
  /* Why not, for the dialog to say: locked is not "no keyring". */
  tokens_session_note_saved (g_task_get_source_object (task), error);
  if (!op->shown.saved)
    keyring_step_failed ("the new access token was not saved", error);

  return_token (task);
}

static void
save_new_secret (GTask *task)
{
  TokensSession *self = g_task_get_source_object (task);
  TokenOp *op = g_task_get_task_data (task);

  if (!op->save)
    {
      return_token (task);
      return;
    }

  tokens_store_save_access_token_async (self->store, self->account, op->token,
                                        TOKENS_STORE_SLOT_CURRENT, op->secret,
                                        self->cancellable, token_saved_cb, task);
}

/* Generate */

static void
created_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokenOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->secret = tokens_client_create_token_finish (TOKENS_CLIENT (object), result, &op->token, &error);
  if (op->secret == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* Shown once: into the keyring before it is handed back. */
  save_new_secret (g_steal_pointer (&task));
}

/**
 * tokens_session_create_token_async:
 * @name: the token's name
 * @scopes: what it may do
 * @expires_in_days: its duration; 0 for no expiry
 * @save: whether to save its secret to the keyring
 *
 * "Generate Token": the service makes it, its secret goes to the keyring
 * (unless the person opted out), the token into the list.
 */
void
tokens_session_create_token_async (TokensSession       *self,
                                   const char          *name,
                                   TokensScopes         scopes,
                                   guint                expires_in_days,
                                   gboolean             save,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TOKENS_IS_SESSION (self));
  g_return_if_fail (self->client != NULL);

  task = token_op_new (self, NULL, cancellable, tokens_session_create_token_async, callback, user_data);
  ((TokenOp *) g_task_get_task_data (task))->save = save;
  tokens_client_create_token_async (self->client, name, scopes, expires_in_days,
                                    self->cancellable, created_cb, task);
}

static TokensSecret *
secret_op_finish (TokensSession       *self,
                  GAsyncResult        *result,
                  TokensAccessToken  **out_token,
                  gboolean            *out_saved,
                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (out_token != NULL)
    {
      TokenOp *op = g_task_get_task_data (G_TASK (result));

      *out_token = op->token ? g_object_ref (op->token) : NULL;
    }

  return tokens_session_finish_shown_once (self, result, out_saved, error);
}

/**
 * tokens_session_create_token_finish:
 * @out_token: (out) (optional) (transfer full): the new token
 * @out_saved: (out) (optional): whether its secret is in the keyring
 *
 * Returns: (transfer full) (nullable): the new token's secret, shown once
 */
TokensSecret *
tokens_session_create_token_finish (TokensSession      *self,
                                    GAsyncResult       *result,
                                    TokensAccessToken **out_token,
                                    gboolean           *out_saved,
                                    GError            **error)
{
  return secret_op_finish (self, result, out_token, out_saved, error);
}

/* Renew */

static void
renew_previous_saved_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!tokens_store_save_finish (TOKENS_STORE (object), result, &error))
    keyring_step_failed ("the old access token was not kept", error);

  save_new_secret (g_steal_pointer (&task));
}

static void
renew_old_found_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokensSession *self = g_task_get_source_object (task);
  TokenOp *op = g_task_get_task_data (task);
  g_autoptr(TokensSecret) old = NULL;
  g_autoptr(GError) error = NULL;

  /* Both work until the old one is deleted: the keyring keeps both, the
   * old one as the previous secret. */
  old = tokens_store_lookup_finish (TOKENS_STORE (object), result, &error);
  if (old == NULL)
    {
      if (error != NULL)
        keyring_step_failed ("the old access token could not be read", error);
      save_new_secret (g_steal_pointer (&task));
      return;
    }

  tokens_store_save_access_token_async (self->store, self->account, op->token,
                                        TOKENS_STORE_SLOT_PREVIOUS, old,
                                        self->cancellable, renew_previous_saved_cb,
                                        g_steal_pointer (&task));
}

static void
renew_stale_previous_cleared_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!tokens_store_clear_finish (TOKENS_STORE (object), result, &error))
    keyring_step_failed ("an old access token was not removed", error);

  save_new_secret (g_steal_pointer (&task));
}

static void
renewed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokensSession *self = g_task_get_source_object (task);
  TokenOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->secret = tokens_client_renew_token_finish (TOKENS_CLIENT (object), result, &op->token, &error);
  if (op->secret == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (op->delete_old == TOKENS_DELETE_OLD_LATER && tokens_access_token_get_has_previous (op->token))
    tokens_store_lookup_async (self->store, self->account, TOKENS_TOKEN_KIND_ACCESS, op->id,
                               self->cancellable, renew_old_found_cb, g_steal_pointer (&task));
  else
    /* Now: the old secret is worth nothing, nor one kept from before. */
    tokens_store_clear_slot_async (self->store, self->account, TOKENS_TOKEN_KIND_ACCESS, op->id,
                                   TOKENS_STORE_SLOT_PREVIOUS, self->cancellable,
                                   renew_stale_previous_cleared_cb, g_steal_pointer (&task));
}

/**
 * tokens_session_renew_token_async:
 * @id: the access token's id
 * @delete_old: Later keeps the old token valid (and its secret in the
 *   keyring, as the previous one) until it is deleted or the renewal
 *   undone; Now invalidates it at once
 * @expires_in_days: %TOKENS_RENEW_SAME_DURATION, 0 for no expiry, or days
 *
 * Renews the token: the new secret is saved to the keyring and handed
 * back, once.
 */
void
tokens_session_renew_token_async (TokensSession       *self,
                                  const char          *id,
                                  TokensDeleteOld      delete_old,
                                  int                  expires_in_days,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  TokenOp *op;

  g_return_if_fail (TOKENS_IS_SESSION (self));
  g_return_if_fail (self->client != NULL);
  g_return_if_fail (id != NULL);

  task = token_op_new (self, id, cancellable, tokens_session_renew_token_async, callback, user_data);
  op = g_task_get_task_data (task);
  op->delete_old = delete_old;
  op->save = TRUE;
  tokens_client_renew_token_async (self->client, id, delete_old, expires_in_days,
                                   self->cancellable, renewed_cb, task);
}

/**
 * tokens_session_renew_token_finish:
 * @out_token: (out) (optional) (transfer full): the renewed token
 * @out_saved: (out) (optional): whether the new secret is in the keyring
 *
 * Returns: (transfer full) (nullable): the new secret, shown once
 */
TokensSecret *
tokens_session_renew_token_finish (TokensSession      *self,
                                   GAsyncResult       *result,
                                   TokensAccessToken **out_token,
                                   gboolean           *out_saved,
                                   GError            **error)
{
  return secret_op_finish (self, result, out_token, out_saved, error);
}

/* Edit */

static void
described_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!tokens_store_describe_access_token_finish (TOKENS_STORE (object), result, &error))
    keyring_step_failed ("the saved token was not renamed", error);

  return_token (task);
}

static void
describe_saved (GTask *task)
{
  TokensSession *self = g_task_get_source_object (task);
  TokenOp *op = g_task_get_task_data (task);

  tokens_store_describe_access_token_async (self->store, self->account, op->token,
                                            self->cancellable, described_cb, task);
}

/**
 * tokens_session_update_token_async:
 * @name: (nullable): the new name, or %NULL to keep it
 * @scopes: the new scopes, or %TOKENS_SCOPE_NONE to keep them
 *
 * Edits the token; its saved secrets take the new name.
 */
void
tokens_session_update_token_async (TokensSession       *self,
                                   const char          *id,
                                   const char          *name,
                                   TokensScopes         scopes,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TOKENS_IS_SESSION (self));
  g_return_if_fail (self->client != NULL);
  g_return_if_fail (id != NULL);

  task = token_change_new (self, id, tokens_client_update_token_finish, describe_saved,
                           cancellable, tokens_session_update_token_async, callback, user_data);
  tokens_client_update_token_async (self->client, id, name, scopes, cancellable, token_changed_cb, task);
}

static gboolean
token_op_finish (TokensSession  *self,
                 GAsyncResult   *result,
                 GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
tokens_session_update_token_finish (TokensSession  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return token_op_finish (self, result, error);
}

/* Revoke */

static void
revoke_cleared_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokensSession *self = g_task_get_source_object (task);
  TokenOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!tokens_store_clear_finish (TOKENS_STORE (object), result, &error))
    keyring_step_failed ("the revoked token's secrets were not removed", error);

  if (self->tokens != NULL)
    tokens_token_list_remove_by_id (self->tokens, op->id);
  g_task_return_boolean (task, TRUE);
}

static void
revoked_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokensSession *self = g_task_get_source_object (task);
  TokenOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  if (!tokens_client_revoke_token_finish (TOKENS_CLIENT (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* A revoked token's secrets are worth nothing: out of the keyring too. */
  tokens_store_clear_async (self->store, self->account, TOKENS_TOKEN_KIND_ACCESS, op->id,
                            self->cancellable, revoke_cleared_cb, g_steal_pointer (&task));
}

/**
 * tokens_session_revoke_token_async:
 *
 * Revokes the token: the service refuses it from now on, its saved
 * secrets leave the keyring, and it leaves the list.
 */
void
tokens_session_revoke_token_async (TokensSession       *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TOKENS_IS_SESSION (self));
  g_return_if_fail (self->client != NULL);
  g_return_if_fail (id != NULL);

  task = token_op_new (self, id, cancellable, tokens_session_revoke_token_async, callback, user_data);
  tokens_client_revoke_token_async (self->client, id, cancellable, revoked_cb, task);
}

gboolean
tokens_session_revoke_token_finish (TokensSession  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return token_op_finish (self, result, error);
}

/* Delete the old token of a renewal */

static void
slot_cleared_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!tokens_store_clear_finish (TOKENS_STORE (object), result, &error))
    keyring_step_failed ("a dead secret was not removed", error);

  return_token (task);
}

static void
clear_previous_secret (GTask *task)
{
  TokensSession *self = g_task_get_source_object (task);
  TokenOp *op = g_task_get_task_data (task);

  tokens_store_clear_slot_async (self->store, self->account, TOKENS_TOKEN_KIND_ACCESS, op->id,
                                 TOKENS_STORE_SLOT_PREVIOUS, self->cancellable,
                                 slot_cleared_cb, task);
}

/**
 * tokens_session_delete_previous_token_async:
 *
 * Deletes the old token of a renewal made with Later: the service
 * refuses it from now on and its saved secret leaves the keyring.
 */
void
tokens_session_delete_previous_token_async (TokensSession       *self,
                                            const char          *id,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TOKENS_IS_SESSION (self));
  g_return_if_fail (self->client != NULL);
  g_return_if_fail (id != NULL);

  task = token_change_new (self, id, tokens_client_delete_previous_token_finish, clear_previous_secret,
                           cancellable, tokens_session_delete_previous_token_async, callback, user_data);
  tokens_client_delete_previous_token_async (self->client, id, cancellable, token_changed_cb, task);
}

gboolean
tokens_session_delete_previous_token_finish (TokensSession  *self,
                                             GAsyncResult   *result,
                                             GError        **error)
{
  return token_op_finish (self, result, error);
}

/* Undo a renewal */

static void
undo_previous_cleared_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!tokens_store_clear_finish (TOKENS_STORE (object), result, &error))
    keyring_step_failed ("the old secret's second copy was not removed", error);

  return_token (task);
}

static void
undo_restored_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokensSession *self = g_task_get_source_object (task);
  TokenOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!tokens_store_save_finish (TOKENS_STORE (object), result, &error))
    {
      /* The previous copy stays where it is rather than be lost. */
      keyring_step_failed ("the old secret was not made current", error);
      return_token (task);
      return;
    }

  tokens_store_clear_slot_async (self->store, self->account, TOKENS_TOKEN_KIND_ACCESS, op->id,
                                 TOKENS_STORE_SLOT_PREVIOUS, self->cancellable,
                                 undo_previous_cleared_cb, g_steal_pointer (&task));
}

static void
undo_old_found_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  TokensSession *self = g_task_get_source_object (task);
  TokenOp *op = g_task_get_task_data (task);
  g_autoptr(TokensSecret) old = NULL;
  g_autoptr(GError) error = NULL;

  old = tokens_store_lookup_finish (TOKENS_STORE (object), result, &error);
  if (old != NULL)
    {
      /* The old secret is the current one again; it replaces the new. */
      tokens_store_save_access_token_async (self->store, self->account, op->token,
                                            TOKENS_STORE_SLOT_CURRENT, old,
                                            self->cancellable, undo_restored_cb,
                                            g_steal_pointer (&task));
      return;
    }

  if (error != NULL)
    {
      /* Unreadable (locked) is not absent: leave both where they are. */
      keyring_step_failed ("the old secret could not be read", error);
      return_token (task);
      return;
    }

  /* No copy of the old one: the new one's copy is worth nothing now. */
  tokens_store_clear_slot_async (self->store, self->account, TOKENS_TOKEN_KIND_ACCESS, op->id,
                                 TOKENS_STORE_SLOT_CURRENT, self->cancellable,
                                 slot_cleared_cb, g_steal_pointer (&task));
}

static void
find_previous_secret (GTask *task)
{
  TokensSession *self = g_task_get_source_object (task);
  TokenOp *op = g_task_get_task_data (task);

  tokens_store_lookup_slot_async (self->store, self->account, TOKENS_TOKEN_KIND_ACCESS, op->id,
                                  TOKENS_STORE_SLOT_PREVIOUS, self->cancellable,
                                  undo_old_found_cb, task);
}

/**
 * tokens_session_undo_renewal_async:
 *
 * Undoes a renewal made with Later: the new secret is refused from now
 * on and the old one is the current one again, in the keyring too.
 */
void
tokens_session_undo_renewal_async (TokensSession       *self,
                                   const char          *id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TOKENS_IS_SESSION (self));
  g_return_if_fail (self->client != NULL);
  g_return_if_fail (id != NULL);

  task = token_change_new (self, id, tokens_client_undo_renewal_finish, find_previous_secret,
                           cancellable, tokens_session_undo_renewal_async, callback, user_data);
  tokens_client_undo_renewal_async (self->client, id, cancellable, token_changed_cb, task);
}

gboolean
tokens_session_undo_renewal_finish (TokensSession  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return token_op_finish (self, result, error);
}

/* One route to a saved secret */

static void
lookup_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  TokensSecret *secret;

  secret = tokens_store_lookup_finish (TOKENS_STORE (object), result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, secret, (GDestroyNotify) tokens_secret_free);
}

/**
 * tokens_session_lookup_secret_async:
 * @kind: the API token, an access token or the account security token
 * @token_id: (nullable): the access token's id; %NULL for the others
 *
 * The saved copy of one of the account's secrets, from the keyring (its
 * unlock prompt shown if it is locked): what every Copy and every eye
 * icon reads.
 */
void
tokens_session_lookup_secret_async (TokensSession       *self,
                                    TokensTokenKind      kind,
                                    const char          *token_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (TOKENS_IS_SESSION (self));
  g_return_if_fail ((guint) kind < TOKENS_TOKEN_N_KINDS);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tokens_session_lookup_secret_async);
  tokens_store_lookup_async (self->store, self->account, kind, token_id,
                             cancellable, lookup_secret_cb, task);
}

/**
 * tokens_session_lookup_secret_finish:
 *
 * Returns: (transfer full) (nullable): the secret, or %NULL without an
 *   error when this computer has no copy of it
 */
TokensSecret *
tokens_session_lookup_secret_finish (TokensSession  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

