/* ts-handlers-accounts.c — health, accounts, sessions, the API token, events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sign-up and sign-in hash a password with Argon2id, which takes a while
 * and a lot of memory: the request is paused, the hash runs on the
 * password pool (ts-passwords.c), and the reply is written when it is
 * done, so verification of tokens goes on meanwhile.
 */

#include "config.h"

/* N_(): messages the app shows translated (see ts-request.c) */
#include <glib/gi18n-lib.h>

#include <string.h>

#include "ts-http.h"
#include "ts-json.h"
#include "ts-request.h"
#include "ts-server.h"

#define SESSION_LIFETIME   (30 * 24 * 60 * 60)
#define MIN_PASSWORD_BYTES 8
#define MAX_PASSWORD_BYTES 1024
#define MAX_EMAIL_BYTES    254

static const char *const credential_members[] = { "email", "password", NULL };

static void
add_account (JsonBuilder     *builder,
             const char      *member,
             const TsAccount *account)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  ts_json_add_int (builder, "id", account->id);
  ts_json_add_string (builder, "email", account->email);
  ts_json_add_time (builder, "created_at", account->created_at);
  ts_json_add_string (builder, "client_token", ts_client_token_state_name (account->client_token_state));
  json_builder_end_object (builder);
}

static void
add_api_key (JsonBuilder        *builder,
             const char         *member,
             const TsSecretInfo *info)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  ts_json_add_string (builder, "prefix", tokens_token_kind_prefix (TOKENS_TOKEN_KIND_API_KEY));
  ts_json_add_string (builder, "last4", info->last4);
  ts_json_add_time (builder, "created_at", info->created_at);
  ts_json_add_time (builder, "last_used_at", info->last_used_at);
  json_builder_end_object (builder);
}

/* An address people type: one '@' with something on both sides, no
 * spaces or control characters, kept in lower case so "Ana@x" and
 * "ana@x" are one account. */
static char *
normalize_email (const char  *email,
                 GError     **error)
{
  const char *at = strchr (email, '@');
  gsize len = strlen (email);

  if (len < 3 || len > MAX_EMAIL_BYTES || at == NULL || at == email ||
      at[1] == '\0' || strchr (at + 1, '@') != NULL)
    goto invalid;

  for (const char *p = email; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        goto invalid;
    }

  return g_utf8_strdown (email, -1);

invalid:
  g_set_error_literal (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT,
                       N_("The email address is not valid."));
  return NULL;
}

/* Reads {email, password}; on FALSE the error reply is written. */
static gboolean
read_credentials (TsRequest   *request,
                  JsonObject  *body,
                  char       **email,
                  const char **password)
{
  g_autoptr(GError) error = NULL;
  const char *raw_email;

  if (!ts_json_check_members (body, credential_members, &error) ||
      !ts_json_get_string (body, "email", TRUE, &raw_email, &error) ||
      !ts_json_get_string (body, "password", TRUE, password, &error))
    {
      ts_reply_gerror (request->msg, error);
      return FALSE;
    }

  *email = normalize_email (raw_email, &error);
  if (*email == NULL)
    {
      ts_reply_gerror (request->msg, error);
      return FALSE;
    }

  if (strlen (*password) > MAX_PASSWORD_BYTES)
    {
      g_clear_pointer (email, g_free);
      ts_reply_error (request->msg, TOKENS_ERROR_INVALID_INPUT,
                      N_("The password is longer than 1024 bytes."));
      return FALSE;
    }

  return TRUE;
}

/* GET /v1/health */

static void
health (TsRequest *request)
{
  static const char body[] = "{\"status\": \"ok\"}";

  soup_server_message_set_status (request->msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (request->msg, "application/json",
                                    SOUP_MEMORY_STATIC, body, sizeof body - 1);
}

/* POST /v1/accounts */

typedef struct
{
  TsServer          *server;
  SoupServerMessage *msg;
  char              *email;
} SignUp;

static void
sign_up_free (SignUp *job)
{
  g_object_unref (job->msg);
  g_free (job->email);
  g_free (job);
}

static void
sign_up_hashed (gboolean  ok,
                char     *password_hash,
                gpointer  user_data)
{
  SignUp *job = user_data;
  g_autofree char *hash = password_hash;
  g_autoptr(TsIssued) api_key = NULL;
  g_autoptr(TsAccount) account = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = ts_now ();

  if (!ok)
    {
      ts_reply_error (job->msg, TOKENS_ERROR_SERVER, NULL);
      goto out;
    }

  api_key = ts_issued_new (TOKENS_TOKEN_KIND_API_KEY);
  account = ts_store_create_account (job->server->store, job->email, hash,
                                     &api_key->stored, now, &error);
  if (account == NULL)
    {
      ts_reply_gerror (job->msg, error);
      goto out;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_account (builder, "account", account);
  ts_json_add_string (builder, "token", api_key->secret);
  add_api_key (builder, "api_key", &(TsSecretInfo) {
                 .last4 = api_key->last4,
                 .created_at = now,
               });
  json_builder_end_object (builder);
  ts_reply_builder (job->msg, SOUP_STATUS_CREATED, builder);

out:
  soup_server_message_unpause (job->msg);
  sign_up_free (job);
}

static void
sign_up (TsRequest *request)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  const char *password;
  JsonObject *body;
  gboolean exists = FALSE;
  SignUp *job;

  /* Before the body: a closed service says so whatever was sent. */
  if (!request->server->allow_signup)
    {
      ts_reply_error (request->msg, TOKENS_ERROR_SIGNUP_DISABLED,
                      "This service does not allow creating accounts: "
                      "its administrator starts it with --allow-signup to allow it.");
      return;
    }

  body = ts_request_get_json_object (request->msg, FALSE, &root, &error);
  if (body == NULL)
    {
      ts_reply_gerror (request->msg, error);
      return;
    }

  if (!read_credentials (request, body, &email, &password))
    return;

  if (strlen (password) < MIN_PASSWORD_BYTES)
    {
      ts_reply_error (request->msg, TOKENS_ERROR_INVALID_INPUT,
                      N_("The password is shorter than 8 characters."));
      return;
    }

  /* Checked again when the row goes in; this only spares a hash. */
  if (!ts_store_account_exists (request->server->store, email, &exists, &error))
    {
      ts_reply_gerror (request->msg, error);
      return;
    }
  if (exists)
    {
      ts_reply_error (request->msg, TOKENS_ERROR_CONFLICT,
                      N_("An account with this email address already exists."));
      return;
    }

  job = g_new0 (SignUp, 1);
  job->server = request->server;
  job->msg = g_object_ref (request->msg);
  job->email = g_steal_pointer (&email);

  soup_server_message_pause (request->msg);
  ts_passwords_hash_async (request->server->passwords, password, sign_up_hashed, job);
}

/* POST /v1/sessions */

typedef struct
{
  TsServer          *server;
  SoupServerMessage *msg;
  char              *email;
  char              *address;
  gint64             account_id;
} SignIn;

static void
sign_in_free (SignIn *job)
{
  g_object_unref (job->msg);
  g_free (job->email);
  g_free (job->address);
  g_free (job);
}

static void
sign_in_checked (gboolean  ok,
                 char     *no_hash,
                 gpointer  user_data)
{
  SignIn *job = user_data;
  TsServer *server = job->server;
  g_autoptr(TsIssued) session = NULL;
  g_autoptr(TsAccount) account = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = ts_now ();

  g_free (no_hash);

  if (!ok)
    {
      if (job->account_id != 0 &&
          !ts_store_add_event (server->store, job->account_id, "sign_in.failed", 0, now, &error))
        g_clear_error (&error);

      ts_reply_error (job->msg, TOKENS_ERROR_WRONG_CREDENTIALS,
                      "The email address or the password is wrong.");
      goto out;
    }

  ts_rate_limiter_reset (server->account_limiter, job->email);
  ts_rate_limiter_forgive (server->address_limiter, job->address);

  session = ts_issued_new (TOKENS_TOKEN_KIND_SESSION);
  if (!ts_store_create_session (server->store, job->account_id, &session->stored,
                                now, now + SESSION_LIFETIME, &error) ||
      (account = ts_store_get_account (server->store, job->account_id, &error)) == NULL)
    {
      ts_reply_gerror (job->msg, error);
      goto out;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  ts_json_add_string (builder, "token", session->secret);
  ts_json_add_time (builder, "expires_at", now + SESSION_LIFETIME);
  add_account (builder, "account", account);
  json_builder_end_object (builder);
  ts_reply_builder (job->msg, SOUP_STATUS_CREATED, builder);

out:
  soup_server_message_unpause (job->msg);
  sign_in_free (job);
}

static void
sign_in (TsRequest *request)
{
  TsServer *server = request->server;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  g_autofree char *password_hash = NULL;
  const char *password;
  const char *address;
  gint64 retry_after;
  gint64 account_id;
  SignIn *job;

  if (!read_credentials (request, request->body, &email, &password))
    return;

  address = soup_server_message_get_remote_host (request->msg);
  if (address == NULL)
    address = "unknown";

  retry_after = MAX (ts_rate_limiter_retry_after (server->account_limiter, email, request->now),
                     ts_rate_limiter_retry_after (server->address_limiter, address, request->now));
  if (retry_after > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, retry_after);
      g_autofree char *message =
        g_strdup_printf ("Too many failed sign-ins: try again in %" G_GINT64_FORMAT " seconds.",
                         retry_after);

      soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                    "Retry-After", seconds);
      ts_reply_error (request->msg, TOKENS_ERROR_RATE_LIMITED, message);
      return;
    }

  if (!ts_store_find_password (server->store, email, &account_id, &password_hash, &error))
    {
      ts_reply_gerror (request->msg, error);
      return;
    }

  ts_rate_limiter_hit (server->account_limiter, email, request->now);
  ts_rate_limiter_hit (server->address_limiter, address, request->now);

  job = g_new0 (SignIn, 1);
  job->server = server;
  job->msg = g_object_ref (request->msg);
  job->email = g_steal_pointer (&email);
  job->address = g_strdup (address);
  job->account_id = account_id;

  soup_server_message_pause (request->msg);
  ts_passwords_verify_async (server->passwords, password, password_hash, sign_in_checked, job);
}

/* DELETE /v1/sessions/current */

static void
sign_out (TsRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (!ts_store_delete_session (request->server->store, request->principal->account_id,
                                request->principal->credential_id, request->now, &error))
    ts_reply_gerror (request->msg, error);
  else
    ts_reply_no_content (request->msg);
}

/* GET /v1/me */

static void
get_me (TsRequest *request)
{
  g_autoptr(TsAccount) account = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  account = ts_store_get_account (request->server->store, request->principal->account_id, &error);
  if (account == NULL)
    {
      ts_reply_gerror (request->msg, error);
      return;
    }

  /* add_account() writes a member; take the object out of a wrapper. */
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_account (builder, "account", account);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  ts_reply_json (request->msg, SOUP_STATUS_OK,
                 json_object_get_member (json_node_get_object (root), "account"));
}

/* GET /v1/me/api-key */

static void
get_api_key (TsRequest *request)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  TsSecretInfo info = { 0 };

  if (!ts_store_get_api_key (request->server->store, request->principal->account_id, &info, &error))
    {
      ts_reply_gerror (request->msg, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_api_key (builder, "api_key", &info);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  ts_reply_json (request->msg, SOUP_STATUS_OK,
                 json_object_get_member (json_node_get_object (root), "api_key"));
  ts_secret_info_clear (&info);
}

/* POST /v1/me/api-key/reset */

static void
reset_api_key (TsRequest *request)
{
  g_autoptr(TsIssued) api_key = ts_issued_new (TOKENS_TOKEN_KIND_API_KEY);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;

  if (!ts_store_reset_api_key (request->server->store, request->principal->account_id,
                               &api_key->stored, request->now, &error))
    {
      ts_reply_gerror (request->msg, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  ts_json_add_string (builder, "token", api_key->secret);
  add_api_key (builder, "api_key", &(TsSecretInfo) {
                 .last4 = api_key->last4,
                 .created_at = request->now,
               });
  json_builder_end_object (builder);
  ts_reply_builder (request->msg, SOUP_STATUS_OK, builder);
}

/* GET /v1/me/events */

static void
list_events (TsRequest *request)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  gint64 cursor;
  gint64 next = 0;
  guint size;

  if (!ts_request_get_page (request, 50, &size, &cursor))
    return;

  /* One more than asked: whether it exists says whether a next page does. */
  if (!ts_store_list_events (request->server->store, request->principal->account_id,
                             cursor, size + 1, &events, &error))
    {
      ts_reply_gerror (request->msg, error);
      return;
    }

  if (events->len > size)
    {
      g_ptr_array_set_size (events, size);
      next = ((TsEvent *) g_ptr_array_index (events, size - 1))->id;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "events");
  json_builder_begin_array (builder);
  for (guint i = 0; i < events->len; i++)
    {
      const TsEvent *event = g_ptr_array_index (events, i);

      json_builder_begin_object (builder);
      ts_json_add_int (builder, "id", event->id);
      ts_json_add_string (builder, "kind", event->kind);
      ts_json_add_time (builder, "created_at", event->created_at);
      ts_json_add_int (builder, "token_id", event->token_id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  ts_add_next_page_token (builder, next);
  json_builder_end_object (builder);
  ts_reply_builder (request->msg, SOUP_STATUS_OK, builder);
}

static const TsRoute routes[] = {
  { "GET",    "/v1/health",             TS_AUTH_NONE,    0, TS_BODY_NONE, health },
  { "POST",   "/v1/accounts",           TS_AUTH_NONE,    0, TS_BODY_NONE, sign_up },
  { "POST",   "/v1/sessions",           TS_AUTH_NONE,    0, TS_BODY_JSON, sign_in },
  { "DELETE", "/v1/sessions/current",   TS_AUTH_SESSION, 0, TS_BODY_NONE, sign_out },
  { "GET",    "/v1/me",                 TS_AUTH_ACCOUNT, 0, TS_BODY_NONE, get_me },
  { "GET",    "/v1/me/api-key",         TS_AUTH_ACCOUNT, 0, TS_BODY_NONE, get_api_key },
  { "POST",   "/v1/me/api-key/reset",   TS_AUTH_ACCOUNT, 0, TS_BODY_NONE, reset_api_key },
  { "GET",    "/v1/me/events",          TS_AUTH_ACCOUNT, 0, TS_BODY_NONE, list_events },
};

const TsRoute *
ts_handlers_accounts_routes (guint *n_routes)
{
  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}
