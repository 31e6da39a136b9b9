/* ts-handlers-accounts.c — health, accounts, sessions, the API token, events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sign-up and sign-in hash a password with Argon2id, which takes a while
 * and a lot of memory: the request is paused, the hash runs on the
 * password pool (ts-passwords.c), and the reply is written when it is
 * done, so verification of tokens goes on meanwhile. A full pool says
 * 503 with Retry-After rather than queueing without end.
 */

#include "config.h"

/* N_(): messages the app shows translated (see ts-request.c) */
#include <glib/gi18n-lib.h>

#include <string.h>

#include "ts-http.h"
#include "ts-json.h"
#include "ts-log.h"
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
  tokens_json_add_int (builder, "id", account->id);
  tokens_json_add_string (builder, "email", account->email);
  tokens_json_add_time (builder, "created_at", account->created_at);
  tokens_json_add_string (builder, "client_token",
                          tokens_security_token_state_to_string (account->client_token_state));
  json_builder_end_object (builder);
}

static void
add_api_key (JsonBuilder        *builder,
             const char         *member,
             const TsSecretInfo *info)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  tokens_json_add_string (builder, "prefix", tokens_token_kind_prefix (TOKENS_TOKEN_KIND_API_KEY));
  tokens_json_add_string (builder, "last4", info->last4);
  tokens_json_add_time (builder, "created_at", info->created_at);
  tokens_json_add_time (builder, "last_used_at", info->last_used_at);
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
      ts_reply_gerror (request->exchange, error);
      return FALSE;
    }

  *email = normalize_email (raw_email, &error);
  if (*email == NULL)
    {
      ts_reply_gerror (request->exchange, error);
      return FALSE;
    }

  if (strlen (*password) > MAX_PASSWORD_BYTES)
    {
      g_clear_pointer (email, g_free);
      ts_reply_error (request->exchange, TOKENS_ERROR_INVALID_INPUT,
                      N_("The password is longer than 1024 bytes."));
      return FALSE;
    }

  return TRUE;
}

/* GET /v1/health: the process answers, nothing more */

static void
health (TsRequest *request)
{
  ts_reply_static (request->exchange, TS_STATUS_OK, "{\"status\": \"ok\"}");
}

/* GET /v1/ready: this instance can serve requests, its database too */

static void
ready (TsRequest *request)
{
  /* Reads the schema version from the file itself, not a cache. */
  if (ts_store_get_schema_version (request->store) != TS_STORE_SCHEMA_VERSION)
    {
      ts_reply_retry_later (request->exchange, TOKENS_ERROR_UNAVAILABLE, 5,
                            "The service cannot reach its database.");
      return;
    }

  ts_reply_static (request->exchange, TS_STATUS_OK, "{\"status\": \"ready\", \"database\": \"ok\"}");
}

static const char *
client_address (TsRequest *request)
{
  return request->exchange->remote_address ? request->exchange->remote_address : "unknown";
}

static void
refuse_signup (TsRequest *request,
               gint64     retry_after)
{
  g_autofree char *message = NULL;

  TS_LOG_LIMITED ("Sign-up limit reached for an address (%d an hour)", TS_SIGNUPS_PER_ADDRESS);
  message = g_strdup_printf ("Too many accounts were created from this address: "
                             "try again in %" G_GINT64_FORMAT " seconds.", retry_after);
  ts_reply_retry_later (request->exchange, TOKENS_ERROR_RATE_LIMITED, retry_after, message);
}

/* The sign-up limit: with @count, checked and counted in one statement
 * (on TRUE the sign-up is counted); without, the quick check before the
 * body is read. On FALSE the error is written. */
static gboolean
signup_limit (TsRequest *request,
              gboolean   count)
{
  TsRateLimiter *limiter = request->server->signup_limiter;
  g_autoptr(GError) error = NULL;
  gint64 retry_after;
  gboolean ok;

  if (count)
    ok = ts_rate_limiter_take (limiter, request->store, client_address (request),
                               request->now, &retry_after, &error);
  else
    ok = ts_rate_limiter_retry_after (limiter, request->store, client_address (request),
                                      request->now, &retry_after, &error);
  if (!ok)
    {
      ts_reply_gerror (request->exchange, error);
      return FALSE;
    }

  if (retry_after == 0)
    return TRUE;

  refuse_signup (request, retry_after);
  return FALSE;
}

/* POST /v1/accounts */

typedef struct
{
  TsServer *server;
  char     *email;
  gboolean  ok;
  char     *hash;
} SignUp;

static void
sign_up_free (gpointer data)
{
  SignUp *job = data;

  g_free (job->email);
  g_free (job->hash);
  g_free (job);
}

/* On a hashing thread */
static void
sign_up_hashed (gboolean  ok,
                char     *password_hash,
                gpointer  user_data)
{
  TsExchange *exchange = user_data;
  SignUp *job = exchange->continuation_data;

  job->ok = ok;
  job->hash = password_hash;
  ts_exchange_resume (exchange);
}

/* On a thread of the server, once hashed */
static void
sign_up_finish (TsExchange *exchange,
                gpointer    data)
{
  SignUp *job = data;
  g_autoptr(TsIssued) api_key = NULL;
  g_autoptr(TsAccount) account = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = ts_now ();
  TsStore *store;

  if (!job->ok)
    {
      ts_reply_error (exchange, TOKENS_ERROR_SERVER, NULL);
      return;
    }

  store = ts_server_get_store (job->server, &error);
  if (store == NULL)
    {
      ts_reply_retry_later (exchange, TOKENS_ERROR_UNAVAILABLE, 5, error->message);
      return;
    }

  api_key = ts_issued_new (TOKENS_TOKEN_KIND_API_KEY);
  account = ts_store_create_account (store, job->email, job->hash,
                                     &api_key->stored, now, &error);
  if (account == NULL)
    {
      ts_reply_gerror (exchange, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_account (builder, "account", account);
  tokens_json_add_string (builder, "token", api_key->secret);
  add_api_key (builder, "api_key", &(TsSecretInfo) {
                 .last4 = api_key->last4,
                 .created_at = now,
               });
  json_builder_end_object (builder);
  ts_reply_builder (exchange, TS_STATUS_CREATED, builder);
}

static void
sign_up_with_body (TsRequest  *request,
                   JsonObject *body)
{
  TsServer *server = request->server;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  const char *password;
  gboolean exists = FALSE;
  SignUp *job;

  if (!read_credentials (request, body, &email, &password))
    return;

  if (strlen (password) < MIN_PASSWORD_BYTES)
    {
      ts_reply_error (request->exchange, TOKENS_ERROR_INVALID_INPUT,
                      N_("The password is shorter than 8 characters."));
      return;
    }

  /* Checked again when the row goes in; this only spares a hash. */
  if (!ts_store_account_exists (request->store, email, &exists, &error))
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }
  if (exists)
    {
      ts_reply_error (request->exchange, TOKENS_ERROR_CONFLICT,
                      N_("An account with this email address already exists."));
      return;
    }

  /* The limit again, now checked and counted in one step: sign-ups
   * answered at once on several threads all passed the check above. */
  if (!signup_limit (request, TRUE))
    return;

  job = g_new0 (SignUp, 1);
  job->server = server;
  job->email = g_steal_pointer (&email);
  ts_exchange_pause (request->exchange, sign_up_finish, job, sign_up_free);

  if (!ts_passwords_hash_async (server->passwords, password, sign_up_hashed,
                                request->exchange, &error))
    {
      /* Not taken on: it costs the address nothing. */
      ts_rate_limiter_give_back (server->signup_limiter, request->store,
                                 client_address (request), request->now);
      ts_exchange_unpause (request->exchange);
      ts_reply_retry_later (request->exchange, TOKENS_ERROR_UNAVAILABLE, 1, error->message);
    }
}

/* The body is read here, not by the router: a closed service, or an
 * address over its limit, is told so whatever was sent. */
static void
sign_up (TsRequest *request)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;

  if (!request->server->allow_signup)
    {
      ts_reply_error (request->exchange, TOKENS_ERROR_SIGNUP_DISABLED,
                      "This service does not allow creating accounts: "
                      "its administrator starts it with --allow-signup to allow it.");
      return;
    }

  if (!signup_limit (request, FALSE))
    return;

  body = ts_request_get_json_object (request->exchange, FALSE, &root, &error);
  if (body == NULL)
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  sign_up_with_body (request, body);
  /* The password in it: the hash job has its own copy. */
  ts_json_wipe (root);
}

/* POST /v1/sessions */

typedef struct
{
  TsServer *server;
  char     *email;
  char     *address;
  gint64    account_id;
  gboolean  ok;
  gboolean  counted;   /* the limits know how it ended */
} SignIn;

/* Tells the limits how the attempt ended, once. @store (nullable) is
 * this thread's: the hits are in the database. */
static void
sign_in_count (SignIn   *job,
               TsStore  *store,
               gboolean  failed)
{
  TsServer *server = job->server;
  gint64 now = ts_now ();

  if (job->counted)
    return;
  job->counted = TRUE;

  ts_rate_limiter_end (server->account_limiter, store, job->email, now, failed);
  ts_rate_limiter_end (server->address_limiter, store, job->address, now, failed);
}

/* Also when the attempt never got to its end (the service stopping, a
 * full queue, no database): it must not stay running for ever, and it
 * neither counts nor clears anything. */
static void
sign_in_free (gpointer data)
{
  SignIn *job = data;

  sign_in_count (job, NULL, FALSE);

  g_free (job->email);
  g_free (job->address);
  g_free (job);
}

/* On a hashing thread */
static void
sign_in_checked (gboolean  ok,
                 char     *no_hash,
                 gpointer  user_data)
{
  TsExchange *exchange = user_data;
  SignIn *job = exchange->continuation_data;

  g_free (no_hash);
  job->ok = ok;
  ts_exchange_resume (exchange);
}

/* On a thread of the server, once checked */
static void
sign_in_finish (TsExchange *exchange,
                gpointer    data)
{
  SignIn *job = data;
  TsServer *server = job->server;
  g_autoptr(TsIssued) session = NULL;
  g_autoptr(TsAccount) account = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = ts_now ();
  TsStore *store;

  store = ts_server_get_store (server, &error);
  if (store == NULL)
    {
      ts_reply_retry_later (exchange, TOKENS_ERROR_UNAVAILABLE, 5, error->message);
      return;
    }

  /* Counted before the reply leaves: the client's next attempt already
   * meets this one's failure. A right password clears the account's
   * failures, not the address's. */
  sign_in_count (job, store, !job->ok);
  if (job->ok)
    ts_rate_limiter_reset (server->account_limiter, store, job->email);

  if (!job->ok)
    {
      if (job->account_id != 0 &&
          !ts_store_add_event (store, job->account_id, "sign_in.failed", 0, now, &error))
        g_clear_error (&error);

      ts_reply_error (exchange, TOKENS_ERROR_WRONG_CREDENTIALS,
                      "The email address or the password is wrong.");
      return;
    }

  session = ts_issued_new (TOKENS_TOKEN_KIND_SESSION);
  if (!ts_store_create_session (store, job->account_id, &session->stored,
                                now, now + SESSION_LIFETIME, &error) ||
      (account = ts_store_get_account (store, job->account_id, &error)) == NULL)
    {
      ts_reply_gerror (exchange, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  tokens_json_add_string (builder, "token", session->secret);
  tokens_json_add_time (builder, "expires_at", now + SESSION_LIFETIME);
  add_account (builder, "account", account);
  json_builder_end_object (builder);
  ts_reply_builder (exchange, TS_STATUS_CREATED, builder);
}

/* Starts an attempt against @limiter; on FALSE the error is written. */
static gboolean
begin_attempt (TsRequest     *request,
               TsRateLimiter *limiter,
               const char    *key,
               guint          max_running)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gint64 wait;

  if (!ts_rate_limiter_begin (limiter, request->store, key, request->now, max_running,
                              &wait, &error))
    {
      ts_reply_gerror (request->exchange, error);
      return FALSE;
    }

  if (wait == 0)
    return TRUE;

  if (wait == TS_RATE_LIMIT_BUSY)
    {
      ts_reply_retry_later (request->exchange, TOKENS_ERROR_UNAVAILABLE, 1,
                            "Other sign-ins to this account are being checked: try again in a moment.");
      return FALSE;
    }

  TS_LOG_LIMITED ("Failed sign-in limit reached for an account or an address");
  message = g_strdup_printf ("Too many failed sign-ins: try again in %" G_GINT64_FORMAT " seconds.",
                             wait);
  ts_reply_retry_later (request->exchange, TOKENS_ERROR_RATE_LIMITED, wait, message);
  return FALSE;
}

static void
sign_in (TsRequest *request)
{
  TsServer *server = request->server;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL;
  g_autofree char *password_hash = NULL;
  const char *password;
  const char *address = client_address (request);
  gint64 account_id;
  SignIn *job;

  if (!read_credentials (request, request->body, &email, &password))
    return;

  if (!ts_store_find_password (request->store, email, &account_id, &password_hash, &error))
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  /* Only failed sign-ins count, once they have failed; meanwhile each
   * runs as an attempt of its account and its address. */
  if (!begin_attempt (request, server->account_limiter, email, TS_ACCOUNT_RUNNING))
    return;
  if (!begin_attempt (request, server->address_limiter, address, TS_ADDRESS_RUNNING))
    {
      ts_rate_limiter_end (server->account_limiter, request->store, email, request->now, FALSE);
      return;
    }

  job = g_new0 (SignIn, 1);
  job->server = server;
  job->email = g_steal_pointer (&email);
  job->address = g_strdup (address);
  job->account_id = account_id;
  ts_exchange_pause (request->exchange, sign_in_finish, job, sign_in_free);

  if (!ts_passwords_verify_async (server->passwords, password, password_hash,
                                  sign_in_checked, request->exchange, &error))
    {
      /* Ends the attempts, uncounted (sign_in_free()). */
      ts_exchange_unpause (request->exchange);
      ts_reply_retry_later (request->exchange, TOKENS_ERROR_UNAVAILABLE, 1, error->message);
    }
}

/* DELETE /v1/sessions/current */

static void
sign_out (TsRequest *request)
{
  g_autoptr(GError) error = NULL;

  if (!ts_store_delete_session (request->store, request->principal->account_id,
                                request->principal->credential_id, request->now, &error))
    ts_reply_gerror (request->exchange, error);
  else
    ts_reply_no_content (request->exchange);
}

/* GET /v1/me */

static void
get_me (TsRequest *request)
{
  g_autoptr(TsAccount) account = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  account = ts_store_get_account (request->store, request->principal->account_id, &error);
  if (account == NULL)
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  /* add_account() writes a member; take the object out of a wrapper. */
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_account (builder, "account", account);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  ts_reply_json (request->exchange, TS_STATUS_OK,
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

  if (!ts_store_get_api_key (request->store, request->principal->account_id, &info, &error))
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_api_key (builder, "api_key", &info);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  ts_reply_json (request->exchange, TS_STATUS_OK,
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

  if (!ts_store_reset_api_key (request->store, request->principal->account_id,
                               &api_key->stored, request->now, &error))
    {
      ts_reply_gerror (request->exchange, error);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  tokens_json_add_string (builder, "token", api_key->secret);
  add_api_key (builder, "api_key", &(TsSecretInfo) {
                 .last4 = api_key->last4,
                 .created_at = request->now,
               });
  json_builder_end_object (builder);
  ts_reply_builder (request->exchange, TS_STATUS_OK, builder);
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
  if (!ts_store_list_events (request->store, request->principal->account_id,
                             cursor, size + 1, &events, &error))
    {
      ts_reply_gerror (request->exchange, error);
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
      tokens_json_add_int (builder, "id", event->id);
      tokens_json_add_string (builder, "kind", event->kind);
      tokens_json_add_time (builder, "created_at", event->created_at);
      tokens_json_add_int (builder, "token_id", event->token_id);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  ts_add_next_page_token (builder, next);
  json_builder_end_object (builder);
  ts_reply_builder (request->exchange, TS_STATUS_OK, builder);
}

static const TsRoute routes[] = {
  { "GET",    "/v1/health",             TS_AUTH_NONE,    0, TS_BODY_NONE, health, .stateless = TRUE },
  { "GET",    "/v1/ready",              TS_AUTH_NONE,    0, TS_BODY_NONE, ready },
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
