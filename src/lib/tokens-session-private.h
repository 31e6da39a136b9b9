/* tokens-session-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * TokensSession's insides, shared by the files of the one class:
 * tokens-session.c (the session, the account, the security token) and
 * tokens-session-tokens.c (the access tokens).
 */

#pragma once

#include "tokens-session.h"

G_BEGIN_DECLS

struct _TokensSession
{
  GObject             parent_instance;

  TokensAccount      *account;
  TokensStore        *store;
  TokensLocalService *local_service;   /* NULL unless the account is local */
  TokensClient       *client;          /* NULL until the service's address is known */
  TokensProfile      *profile;
  TokensApiKey       *api_key;
  TokensSecurityToken *security_token;  /* NONE until loaded */
  TokensTokenList    *tokens;          /* NULL until ready */
  GCancellable       *tokens_cancellable;
  GCancellable       *cancellable;     /* the keyring and list steps; cancelled on dispose */
  GError             *error;
  GError             *save_error;      /* why the last secret handed out was not saved */
  TokensSessionState  state;
};

/* A secret the service shows once (a sign-up's or a reset's API token, an
 * account security token, an access token made or renewed) goes to the
 * keyring before it is handed back. A call that hands one back starts its
 * task data with this; tokens_session_finish_shown_once() reads it. */
typedef struct
{
  gboolean    saved;
  const char *what;                 /* for the debug log, never the secret */
  void      (*then) (GTask *task);  /* after the keyring, saved or not */
} ShownOnce;

void          tokens_session_note_saved        (TokensSession  *self,
                                                const GError   *error);
TokensSecret *tokens_session_finish_shown_once (TokensSession  *self,
                                                GAsyncResult   *result,
                                                gboolean       *out_saved,
                                                GError        **error);

G_END_DECLS
