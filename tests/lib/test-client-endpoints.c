/* test-client-endpoints.c — every typed endpoint of TokensClient against a live tokens-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each endpoint and each error path the server has, as the TOKENS_ERROR
 * code the client gives; then what is not the server's doing: a closed
 * port, a service that never answers, plain http to another host, and a
 * call cancelled.
 */

#include "config.h"

#include <string.h>

#include "tokens.h"
#include "tokens-test-server.h"
#include "test-lib-util.h"

#define PASSWORD "correct horse battery"

static TokensClient *
new_client (TokensTestServer *server,
            const char       *bearer)
{
  g_autoptr(GError) error = NULL;
  TokensClient *client = tokens_client_new (tokens_test_server_get_url (server), FALSE, &error);

  g_assert_no_error (error);
  tokens_client_set_credential (client, bearer);
  return client;
}

/* A new account; the client speaks with its session. */
static TokensClient *
sign_up (TokensTestServer  *server,
         const char        *email,
         TokensSecret     **out_api_key)
{
  g_autoptr(TokensClient) client = new_client (server, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) api_key = NULL;
  g_autoptr(TokensSecret) session = NULL;

  tokens_client_sign_up_async (client, email, PASSWORD, NULL, test_lib_got_result, &result);
  api_key = tokens_client_sign_up_finish (client, AWAIT (result), NULL, NULL, &error);
  g_assert_no_error (error);

  g_clear_object (&result);
  tokens_client_sign_in_async (client, email, PASSWORD, NULL, test_lib_got_result, &result);
  session = tokens_client_sign_in_finish (client, AWAIT (result), NULL, NULL, &error);
  g_assert_no_error (error);

  tokens_client_set_credential (client, session);
  if (out_api_key != NULL)
    *out_api_key = g_steal_pointer (&api_key);

  return g_steal_pointer (&client);
}

static TokensProfile *
get_me (TokensClient  *client,
        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  tokens_client_get_me_async (client, NULL, test_lib_got_result, &result);
  return tokens_client_get_me_finish (client, AWAIT (result), error);
}

static void
assert_me_fails (TokensClient *client,
                 TokensError   code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensProfile) profile = get_me (client, &error);

  g_assert_null (profile);
  g_assert_error (error, TOKENS_ERROR, (int) code);
  /* Something a person can read: the service's sentence or ours. */
  g_assert_cmpuint (strlen (error->message), >, 0);
}

static TokensSecret *
create_token (TokensClient       *client,
              const char         *name,
              TokensScopes        scopes,
              guint               days,
              TokensAccessToken **out_token)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  TokensSecret *secret;

  tokens_client_create_token_async (client, name, scopes, days, NULL, test_lib_got_result, &result);
  secret = tokens_client_create_token_finish (client, AWAIT (result), out_token, &error);
  g_assert_no_error (error);
  g_assert_nonnull (secret);
  return secret;
}

static void
test_account_endpoints (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new ((const char *[]) { "--allow-signup", NULL });
  g_autoptr(TokensClient) client = new_client (server, NULL);
  g_autoptr(TokensClient) old_key_client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecret) api_key = NULL;
  g_autoptr(TokensSecret) new_api_key = NULL;
  g_autoptr(TokensSecret) session = NULL;
  g_autoptr(TokensProfile) profile = NULL;
  g_autoptr(TokensProfile) me = NULL;
  g_autoptr(TokensApiKey) key_info = NULL;
  g_autoptr(TokensApiKey) new_key_info = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *last4 = NULL;
  TokensTokenKind kind;

  tokens_client_health_async (client, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_client_health_finish (client, AWAIT (result), &error));
  g_assert_no_error (error);

  /* Sign-up: the API token once, the account kept in lower case. */
  g_clear_object (&result);
  tokens_client_sign_up_async (client, "Ana@Example.org", PASSWORD, NULL, test_lib_got_result, &result);
  api_key = tokens_client_sign_up_finish (client, AWAIT (result), &profile, &key_info, &error);
  g_assert_no_error (error);
  g_assert_true (tokens_token_validate (api_key, &kind, NULL));
  g_assert_cmpint (kind, ==, TOKENS_TOKEN_KIND_API_KEY);
  g_assert_cmpstr (tokens_profile_get_email (profile), ==, "ana@example.org");
  last4 = tokens_token_last4 (api_key);
  g_assert_cmpstr (tokens_api_key_get_last4 (key_info), ==, last4);
  g_clear_object (&profile);

  /* The same address again is a conflict. */
  g_clear_object (&result);
  tokens_client_sign_up_async (client, "ana@example.org", PASSWORD, NULL, test_lib_got_result, &result);
  g_assert_null (tokens_client_sign_up_finish (client, AWAIT (result), NULL, NULL, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Too short a password is bad input, with the service's sentence. */
  g_clear_object (&result);
  tokens_client_sign_up_async (client, "bia@example.org", "short", NULL, test_lib_got_result, &result);
  g_assert_null (tokens_client_sign_up_finish (client, AWAIT (result), NULL, NULL, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Sign-in: a session for 30 days. */
  g_clear_object (&result);
  tokens_client_sign_in_async (client, "ana@example.org", PASSWORD, NULL, test_lib_got_result, &result);
  session = tokens_client_sign_in_finish (client, AWAIT (result), &expires_at, &profile, &error);
  g_assert_no_error (error);
  g_assert_true (tokens_token_validate (session, &kind, NULL));
  g_assert_cmpint (kind, ==, TOKENS_TOKEN_KIND_SESSION);
  g_assert_cmpint (g_date_time_difference (expires_at, now) / G_TIME_SPAN_DAY, >=, 29);
  g_assert_cmpstr (tokens_profile_get_email (profile), ==, "ana@example.org");

  /* Without a credential, the account is not reachable. */
  assert_me_fails (client, TOKENS_ERROR_UNAUTHORIZED);

  tokens_client_set_credential (client, session);
  me = get_me (client, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens_profile_get_id (me), ==, tokens_profile_get_id (profile));

  g_clear_object (&result);
  g_clear_object (&key_info);
  tokens_client_get_api_key_async (client, NULL, test_lib_got_result, &result);
  key_info = tokens_client_get_api_key_finish (client, AWAIT (result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens_api_key_get_last4 (key_info), ==, last4);

  /* The API token works until it is reset, then never again. */
  old_key_client = new_client (server, api_key);
  g_clear_object (&me);
  me = get_me (old_key_client, &error);
  g_assert_no_error (error);

  g_clear_object (&result);
  tokens_client_reset_api_key_async (client, NULL, test_lib_got_result, &result);
  new_api_key = tokens_client_reset_api_key_finish (client, AWAIT (result), &new_key_info, &error);
  g_assert_no_error (error);
  g_assert_true (tokens_token_validate (new_api_key, NULL, NULL));
  g_assert_false (g_str_equal (new_api_key, api_key));
  g_assert_cmpstr (tokens_api_key_get_last4 (new_key_info), !=, NULL);
  assert_me_fails (old_key_client, TOKENS_ERROR_UNAUTHORIZED);

  /* A malformed bearer token is refused for what it is. */
  tokens_client_set_credential (old_key_client, "tkapi_short");
  assert_me_fails (old_key_client, TOKENS_ERROR_TOKEN_LENGTH);

  /* Sign-out: only a session may, and it is refused from then on. */
  g_clear_object (&result);
  tokens_client_set_credential (old_key_client, new_api_key);
  tokens_client_sign_out_async (old_key_client, NULL, test_lib_got_result, &result);
  g_assert_false (tokens_client_sign_out_finish (old_key_client, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_TOKEN_WRONG_KIND);
  g_clear_error (&error);

  g_clear_object (&result);
  tokens_client_sign_out_async (client, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_client_sign_out_finish (client, AWAIT (result), &error));
  g_assert_no_error (error);
  assert_me_fails (client, TOKENS_ERROR_UNAUTHORIZED);

  g_assert_cmpint (tokens_test_server_stop (server), ==, 0);
}

static void
test_wrong_password_then_rate_limited (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new ((const char *[]) { "--allow-signup", NULL });
  g_autoptr(TokensClient) client = sign_up (server, "ana@example.org", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint i;

  for (i = 0; i < 5; i++)
    {
      g_clear_object (&result);
      tokens_client_sign_in_async (client, "ana@example.org", "wrong password", NULL, test_lib_got_result, &result);
      g_assert_null (tokens_client_sign_in_finish (client, AWAIT (result), NULL, NULL, &error));
      g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_WRONG_CREDENTIALS);
      g_clear_error (&error);
    }

  /* Over the limit, even the right password waits. */
  g_clear_object (&result);
  tokens_client_sign_in_async (client, "ana@example.org", PASSWORD, NULL, test_lib_got_result, &result);
  g_assert_null (tokens_client_sign_in_finish (client, AWAIT (result), NULL, NULL, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_RATE_LIMITED);
  g_clear_error (&error);
}

static void
test_signup_disabled (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new (NULL);
  g_autoptr(TokensClient) client = new_client (server, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  tokens_client_sign_up_async (client, "ana@example.org", PASSWORD, NULL, test_lib_got_result, &result);
  g_assert_null (tokens_client_sign_up_finish (client, AWAIT (result), NULL, NULL, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_SIGNUP_DISABLED);
}

static void
test_events_page_through_newest_first (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new ((const char *[]) { "--allow-signup", NULL });
  g_autoptr(TokensClient) client = sign_up (server, "ana@example.org", NULL);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(TokensAccessToken) token = NULL;
  g_autofree char *page_token = NULL;
  guint pages = 0;

  secret = create_token (client, "CI", TOKENS_SCOPE_READ, 0, &token);

  do
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = NULL;
      g_autofree char *next = NULL;

      tokens_client_list_events_async (client, 1, page_token, NULL, test_lib_got_result, &result);
      page = tokens_client_list_events_finish (client, AWAIT (result), &next, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (page->len, <=, 1);
      g_ptr_array_extend_and_steal (all, g_steal_pointer (&page));
      g_free (page_token);
      page_token = g_steal_pointer (&next);
      pages++;
    }
  while (page_token != NULL && pages < 20);

  /* account.created, session.created, token.created: newest first. */
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpstr (tokens_event_get_kind (all->pdata[0]), ==, "token.created");
  g_assert_cmpstr (tokens_event_get_token_id (all->pdata[0]), ==, tokens_access_token_get_id (token));
  g_assert_cmpstr (tokens_event_get_kind (all->pdata[2]), ==, "account.created");
  g_assert_null (tokens_event_get_token_id (all->pdata[2]));
  g_assert_nonnull (tokens_event_get_created_at (all->pdata[2]));
}

static TokensAccessToken *
token_call_finish (TokensClient  *client,
                   GAsyncResult  *result,
                   GError       **error)
{
  gpointer tag = g_task_get_source_tag (G_TASK (result));

  if (tag == tokens_client_get_token_async)
    return tokens_client_get_token_finish (client, result, error);
  if (tag == tokens_client_undo_renewal_async)
    return tokens_client_undo_renewal_finish (client, result, error);
  if (tag == tokens_client_delete_previous_token_async)
    return tokens_client_delete_previous_token_finish (client, result, error);
  g_assert_not_reached ();
}

static TokensVerification *
verify (TokensTestServer  *server,
        const char        *secret,
        GError           **error)
{
  g_autoptr(TokensClient) client = new_client (server, secret);
  g_autoptr(GAsyncResult) result = NULL;

  tokens_client_verify_token_async (client, NULL, test_lib_got_result, &result);
  return tokens_client_verify_token_finish (client, AWAIT (result), error);
}

static void
test_access_token_lifecycle (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new ((const char *[]) { "--allow-signup", NULL });
  g_autoptr(TokensClient) client = sign_up (server, "ana@example.org", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensAccessToken) token = NULL;
  g_autoptr(TokensAccessToken) forever = NULL;
  g_autoptr(TokensAccessToken) got = NULL;
  g_autoptr(TokensAccessToken) updated = NULL;
  g_autoptr(TokensAccessToken) renewed = NULL;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(TokensSecret) forever_secret = NULL;
  g_autoptr(TokensSecret) new_secret = NULL;
  g_autoptr(TokensVerification) who = NULL;
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *next = NULL;
  g_autofree char *old_last4 = NULL;
  const char *id;
  guint total = 0;
  TokensTokenKind kind;

  secret = create_token (client, "CI server", TOKENS_SCOPE_READ, 30, &token);
  id = tokens_access_token_get_id (token);
  g_assert_true (tokens_token_validate (secret, &kind, NULL));
  g_assert_cmpint (kind, ==, TOKENS_TOKEN_KIND_ACCESS);
  g_assert_cmpstr (tokens_access_token_get_name (token), ==, "CI server");
  g_assert_cmpint (tokens_access_token_get_scopes (token), ==, TOKENS_SCOPE_READ);
  g_assert_cmpuint (tokens_access_token_get_duration_days (token), ==, 30);
  g_assert_nonnull (tokens_access_token_get_expires_at (token));
  g_assert_null (tokens_access_token_get_last_used_at (token));
  g_assert_false (tokens_access_token_get_has_previous (token));
  g_assert_false (tokens_access_token_is_expired (token, now));
  g_assert_cmpint (tokens_access_token_days_left (token, now), >=, 29);
  g_assert_cmpint (tokens_access_token_days_left (token, now), <=, 30);
  old_last4 = tokens_token_last4 (secret);
  g_assert_cmpstr (tokens_access_token_get_last4 (token), ==, old_last4);

  /* No expiry is a token like any other. */
  forever_secret = create_token (client, "Forever", TOKENS_SCOPE_READ | TOKENS_SCOPE_WRITE, 0, &forever);
  g_assert_null (tokens_access_token_get_expires_at (forever));
  g_assert_cmpuint (tokens_access_token_get_duration_days (forever), ==, 0);
  g_assert_cmpint (tokens_access_token_days_left (forever, now), ==, G_MAXINT);
  g_assert_false (tokens_access_token_is_expired (forever, now));

  /* A list page says the total and where the next page is. */
  tokens_client_list_tokens_async (client, 1, NULL, NULL, test_lib_got_result, &result);
  page = tokens_client_list_tokens_finish (client, AWAIT (result), &total, &next, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_cmpuint (total, ==, 2);
  g_assert_nonnull (next);
  g_assert_cmpstr (tokens_access_token_get_id (page->pdata[0]), ==, id);
  g_clear_pointer (&page, g_ptr_array_unref);
  g_clear_object (&result);
  tokens_client_list_tokens_async (client, 1, next, NULL, test_lib_got_result, &result);
  g_clear_pointer (&next, g_free);
  page = tokens_client_list_tokens_finish (client, AWAIT (result), &total, &next, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (page->len, ==, 1);
  g_assert_null (next);

  /* A page size out of range is the service's "invalid input". */
  g_clear_pointer (&page, g_ptr_array_unref);
  g_clear_object (&result);
  tokens_client_list_tokens_async (client, 101, NULL, NULL, test_lib_got_result, &result);
  g_assert_null (tokens_client_list_tokens_finish (client, AWAIT (result), NULL, NULL, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_clear_object (&result);
  tokens_client_get_token_async (client, id, NULL, test_lib_got_result, &result);
  got = token_call_finish (client, AWAIT (result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens_access_token_get_name (got), ==, "CI server");

  /* Edit name and scopes; the secret stays. */
  g_clear_object (&result);
  tokens_client_update_token_async (client, id, "CI runner", TOKENS_SCOPE_READ | TOKENS_SCOPE_WRITE,
                                    NULL, test_lib_got_result, &result);
  updated = tokens_client_update_token_finish (client, AWAIT (result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens_access_token_get_name (updated), ==, "CI runner");
  g_assert_cmpint (tokens_access_token_get_scopes (updated), ==, TOKENS_SCOPE_READ | TOKENS_SCOPE_WRITE);
  g_assert_cmpstr (tokens_access_token_get_last4 (updated), ==, old_last4);

  /* Verify: the access token speaks for itself. */
  who = verify (server, secret, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (who->kind, ==, "access");
  g_assert_cmpstr (who->token_id, ==, id);
  g_assert_cmpstr (who->email, ==, "ana@example.org");
  g_assert_cmpint (who->scopes, ==, TOKENS_SCOPE_READ | TOKENS_SCOPE_WRITE);
  g_assert_false (who->is_previous);
  g_clear_pointer (&who, tokens_verification_free);

  /* Renew, delete old later: both secrets valid, the old one listed as previous. */
  g_clear_object (&result);
  tokens_client_renew_token_async (client, id, TOKENS_DELETE_OLD_LATER, TOKENS_RENEW_SAME_DURATION,
                                   NULL, test_lib_got_result, &result);
  new_secret = tokens_client_renew_token_finish (client, AWAIT (result), &renewed, &error);
  g_assert_no_error (error);
  g_assert_false (g_str_equal (new_secret, secret));
  g_assert_true (tokens_access_token_get_has_previous (renewed));
  g_assert_cmpstr (tokens_access_token_get_previous_last4 (renewed), ==, old_last4);
  g_assert_nonnull (tokens_access_token_get_renewed_at (renewed));
  g_assert_nonnull (tokens_access_token_get_previous_expires_at (renewed));
  g_assert_cmpuint (tokens_access_token_get_duration_days (renewed), ==, 30);
  who = verify (server, secret, &error);
  g_assert_no_error (error);
  g_assert_true (who->is_previous);
  g_clear_pointer (&who, tokens_verification_free);

  /* One previous secret at a time. */
  g_clear_object (&result);
  tokens_client_renew_token_async (client, id, TOKENS_DELETE_OLD_LATER, TOKENS_RENEW_SAME_DURATION,
                                   NULL, test_lib_got_result, &result);
  g_assert_null (tokens_client_renew_token_finish (client, AWAIT (result), NULL, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Undo: the old secret is current again, the new one refused. */
  g_clear_object (&result);
  g_clear_object (&got);
  tokens_client_undo_renewal_async (client, id, NULL, test_lib_got_result, &result);
  got = token_call_finish (client, AWAIT (result), &error);
  g_assert_no_error (error);
  g_assert_false (tokens_access_token_get_has_previous (got));
  g_assert_cmpstr (tokens_access_token_get_last4 (got), ==, old_last4);
  g_assert_null (verify (server, new_secret, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* Renew again (no expiry this time), delete the old secret: undo is a conflict. */
  g_clear_pointer (&new_secret, tokens_secret_free);
  g_clear_object (&renewed);
  g_clear_object (&result);
  tokens_client_renew_token_async (client, id, TOKENS_DELETE_OLD_LATER, 0,
                                   NULL, test_lib_got_result, &result);
  new_secret = tokens_client_renew_token_finish (client, AWAIT (result), &renewed, &error);
  g_assert_no_error (error);
  g_assert_null (tokens_access_token_get_expires_at (renewed));
  g_clear_object (&result);
  g_clear_object (&got);
  tokens_client_delete_previous_token_async (client, id, NULL, test_lib_got_result, &result);
  got = token_call_finish (client, AWAIT (result), &error);
  g_assert_no_error (error);
  g_assert_false (tokens_access_token_get_has_previous (got));
  g_assert_null (verify (server, secret, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  g_clear_object (&result);
  tokens_client_undo_renewal_async (client, id, NULL, test_lib_got_result, &result);
  g_assert_null (token_call_finish (client, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_CONFLICT);
  g_clear_error (&error);

  g_clear_object (&result);
  tokens_client_delete_previous_token_async (client, id, NULL, test_lib_got_result, &result);
  g_assert_null (token_call_finish (client, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Renew, delete old now: only the new secret works. */
  g_clear_object (&renewed);
  g_clear_object (&result);
  g_clear_pointer (&secret, tokens_secret_free);
  secret = g_steal_pointer (&new_secret);
  tokens_client_renew_token_async (client, id, TOKENS_DELETE_OLD_NOW, 7,
                                   NULL, test_lib_got_result, &result);
  new_secret = tokens_client_renew_token_finish (client, AWAIT (result), &renewed, &error);
  g_assert_no_error (error);
  g_assert_false (tokens_access_token_get_has_previous (renewed));
  g_assert_cmpuint (tokens_access_token_get_duration_days (renewed), ==, 7);
  g_assert_null (verify (server, secret, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* An access token may not manage the account. */
  {
    g_autoptr(TokensClient) access = new_client (server, new_secret);

    assert_me_fails (access, TOKENS_ERROR_TOKEN_WRONG_KIND);
  }

  /* Revoke: gone, and its secret refused. */
  g_clear_object (&result);
  tokens_client_revoke_token_async (client, id, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_client_revoke_token_finish (client, AWAIT (result), &error));
  g_assert_no_error (error);
  g_assert_null (verify (server, new_secret, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  g_clear_object (&result);
  tokens_client_get_token_async (client, id, NULL, test_lib_got_result, &result);
  g_assert_null (token_call_finish (client, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_object (&result);
  tokens_client_revoke_token_async (client, "999999", NULL, test_lib_got_result, &result);
  g_assert_false (tokens_client_revoke_token_finish (client, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An id from outside is one path segment, escaped: never another route. */
  g_clear_object (&result);
  tokens_client_get_token_async (client, "../../v1/me", NULL, test_lib_got_result, &result);
  g_assert_null (token_call_finish (client, AWAIT (result), &error));
  g_assert_true (g_error_matches (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND) ||
                 g_error_matches (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT));
  g_clear_error (&error);
  g_clear_object (&result);
  tokens_client_get_token_async (client, "1?x=1", NULL, test_lib_got_result, &result);
  g_assert_null (token_call_finish (client, AWAIT (result), &error));
  g_assert_true (g_error_matches (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND) ||
                 g_error_matches (error, TOKENS_ERROR, TOKENS_ERROR_INVALID_INPUT));
  g_clear_error (&error);

  /* A body over the service's limit. */
  {
    g_autofree char *long_name = g_strnfill (20000, 'x');

    g_clear_object (&result);
    tokens_client_create_token_async (client, long_name, TOKENS_SCOPE_READ, 0, NULL, test_lib_got_result, &result);
    g_assert_null (tokens_client_create_token_finish (client, AWAIT (result), NULL, &error));
    g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_TOO_LARGE);
    g_clear_error (&error);
  }
}

static void
test_files_by_scope (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new ((const char *[]) { "--allow-signup", NULL });
  g_autoptr(TokensClient) client = sign_up (server, "ana@example.org", NULL);
  g_autoptr(TokensSecret) read_secret = create_token (client, "reader", TOKENS_SCOPE_READ, 0, NULL);
  g_autoptr(TokensSecret) write_secret = create_token (client, "writer", TOKENS_SCOPE_WRITE, 0, NULL);
  g_autoptr(TokensClient) reader = new_client (server, read_secret);
  g_autoptr(TokensClient) writer = new_client (server, write_secret);
  g_autoptr(GBytes) contents = g_bytes_new_static ("hello, files\n", 13);
  g_autoptr(GBytes) downloaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensFile) file = NULL;
  g_autoptr(GPtrArray) files = NULL;
  gboolean created = FALSE;

  tokens_client_upload_file_async (writer, "notes.txt", contents, "text/plain", NULL, test_lib_got_result, &result);
  file = tokens_client_upload_file_finish (writer, AWAIT (result), &created, &error);
  g_assert_no_error (error);
  g_assert_true (created);
  g_assert_cmpstr (tokens_file_get_name (file), ==, "notes.txt");
  g_assert_cmpuint (tokens_file_get_size (file), ==, 13);
  g_clear_object (&file);

  g_clear_object (&result);
  tokens_client_upload_file_async (writer, "notes.txt", contents, NULL, NULL, test_lib_got_result, &result);
  file = tokens_client_upload_file_finish (writer, AWAIT (result), &created, &error);
  g_assert_no_error (error);
  g_assert_false (created);

  g_clear_object (&result);
  tokens_client_list_files_async (reader, NULL, test_lib_got_result, &result);
  files = tokens_client_list_files_finish (reader, AWAIT (result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpstr (tokens_file_get_name (files->pdata[0]), ==, "notes.txt");
  g_assert_nonnull (tokens_file_get_updated_at (files->pdata[0]));

  g_clear_object (&result);
  tokens_client_download_file_async (reader, "notes.txt", NULL, test_lib_got_result, &result);
  downloaded = tokens_client_download_file_finish (reader, AWAIT (result), &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (downloaded, contents));

  /* Scopes mean something: read cannot write, write cannot read. */
  g_clear_object (&result);
  tokens_client_upload_file_async (reader, "other.txt", contents, NULL, NULL, test_lib_got_result, &result);
  g_assert_null (tokens_client_upload_file_finish (reader, AWAIT (result), NULL, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_FORBIDDEN);
  g_clear_error (&error);

  g_clear_object (&result);
  tokens_client_download_file_async (writer, "notes.txt", NULL, test_lib_got_result, &result);
  g_assert_null (tokens_client_download_file_finish (writer, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_FORBIDDEN);
  g_clear_error (&error);

  g_clear_object (&result);
  tokens_client_download_file_async (reader, "missing.txt", NULL, test_lib_got_result, &result);
  g_assert_null (tokens_client_download_file_finish (reader, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Over 65536 bytes. */
  {
    g_autofree char *big = g_malloc0 (65537);
    g_autoptr(GBytes) too_big = g_bytes_new_take (g_steal_pointer (&big), 65537);

    g_clear_object (&result);
    tokens_client_upload_file_async (writer, "big.bin", too_big, NULL, NULL, test_lib_got_result, &result);
    g_assert_null (tokens_client_upload_file_finish (writer, AWAIT (result), NULL, &error));
    g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_TOO_LARGE);
    g_clear_error (&error);
  }

  g_clear_object (&result);
  tokens_client_delete_file_async (writer, "notes.txt", NULL, test_lib_got_result, &result);
  g_assert_true (tokens_client_delete_file_finish (writer, AWAIT (result), &error));
  g_assert_no_error (error);

  g_clear_object (&result);
  tokens_client_delete_file_async (writer, "notes.txt", NULL, test_lib_got_result, &result);
  g_assert_false (tokens_client_delete_file_finish (writer, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND);
}

static TokensSecurityToken *
security_call (TokensClient  *client,
               gpointer       async_func,
               GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  ((void (*) (TokensClient *, GCancellable *, GAsyncReadyCallback, gpointer)) async_func)
    (client, NULL, test_lib_got_result, &result);
  AWAIT (result);

  if (async_func == tokens_client_get_security_token_async)
    return tokens_client_get_security_token_finish (client, result, error);
  if (async_func == tokens_client_activate_security_token_async)
    return tokens_client_activate_security_token_finish (client, result, error);
  if (async_func == tokens_client_deactivate_security_token_async)
    return tokens_client_deactivate_security_token_finish (client, result, error);
  g_assert_not_reached ();
}

static void
test_security_token_endpoints (void)
{
  g_autoptr(TokensTestServer) server = tokens_test_server_new ((const char *[]) { "--allow-signup", NULL });
  g_autoptr(TokensClient) client = sign_up (server, "ana@example.org", NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensSecurityToken) state = NULL;
  g_autoptr(TokensSecret) secret = NULL;
  g_autoptr(TokensSecret) wrong = tokens_token_generate (TOKENS_TOKEN_KIND_CLIENT);
  g_autoptr(TokensProfile) me = NULL;
  g_autofree char *last4 = NULL;
  TokensTokenKind kind;

  state = security_call (client, tokens_client_get_security_token_async, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tokens_security_token_get_state (state), ==, TOKENS_SECURITY_TOKEN_STATE_NONE);
  g_assert_null (tokens_security_token_get_last4 (state));
  g_clear_object (&state);

  /* Activating none is a conflict. */
  g_assert_null (security_call (client, tokens_client_activate_security_token_async, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Configure now: disabled, its secret once. */
  tokens_client_configure_security_token_async (client, NULL, test_lib_got_result, &result);
  secret = tokens_client_configure_security_token_finish (client, AWAIT (result), &state, &error);
  g_assert_no_error (error);
  g_assert_true (tokens_token_validate (secret, &kind, NULL));
  g_assert_cmpint (kind, ==, TOKENS_TOKEN_KIND_CLIENT);
  g_assert_cmpint (tokens_security_token_get_state (state), ==, TOKENS_SECURITY_TOKEN_STATE_DISABLED);
  last4 = tokens_token_last4 (secret);
  g_assert_cmpstr (tokens_security_token_get_last4 (state), ==, last4);
  g_assert_nonnull (tokens_security_token_get_created_at (state));
  g_clear_object (&state);

  g_clear_object (&result);
  tokens_client_configure_security_token_async (client, NULL, test_lib_got_result, &result);
  g_assert_null (tokens_client_configure_security_token_finish (client, AWAIT (result), NULL, &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Activate: without the header, the seed's exact answer; a wrong one is invalid. */
  state = security_call (client, tokens_client_activate_security_token_async, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tokens_security_token_get_state (state), ==, TOKENS_SECURITY_TOKEN_STATE_ACTIVE);
  g_clear_object (&state);

  assert_me_fails (client, TOKENS_ERROR_CLIENT_TOKEN_REQUIRED);
  tokens_client_set_client_token (client, wrong);
  assert_me_fails (client, TOKENS_ERROR_CLIENT_TOKEN_INVALID);
  tokens_client_set_client_token (client, secret);
  me = get_me (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (me);

  state = security_call (client, tokens_client_deactivate_security_token_async, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tokens_security_token_get_state (state), ==, TOKENS_SECURITY_TOKEN_STATE_DISABLED);
  g_clear_object (&state);

  tokens_client_set_client_token (client, NULL);
  g_clear_object (&me);
  me = get_me (client, &error);
  g_assert_no_error (error);

  g_clear_object (&result);
  tokens_client_delete_security_token_async (client, NULL, test_lib_got_result, &result);
  g_assert_true (tokens_client_delete_security_token_finish (client, AWAIT (result), &error));
  g_assert_no_error (error);

  g_clear_object (&result);
  tokens_client_delete_security_token_async (client, NULL, test_lib_got_result, &result);
  g_assert_false (tokens_client_delete_security_token_finish (client, AWAIT (result), &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  state = security_call (client, tokens_client_get_security_token_async, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tokens_security_token_get_state (state), ==, TOKENS_SECURITY_TOKEN_STATE_NONE);
}

/* Reaching the service: not the server's doing. */

static char *
closed_port_url (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  /* Bound, never listened on, closed: nothing answers there. */
  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

static void
test_closed_port_is_network_error (void)
{
  g_autofree char *url = closed_port_url ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensClient) client = tokens_client_new (url, FALSE, &error);

  g_assert_no_error (error);
  assert_me_fails (client, TOKENS_ERROR_NETWORK);
}

/* A service that takes the connection and never says a word. */
typedef struct
{
  GSocketService *service;
  GPtrArray      *connections;
  char           *url;
} Silent;

static gboolean
silent_incoming_cb (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source,
                    gpointer           user_data)
{
  Silent *silent = user_data;

  g_ptr_array_add (silent->connections, g_object_ref (connection));
  return TRUE;
}

static Silent *
silent_new (void)
{
  Silent *silent = g_new0 (Silent, 1);
  g_autoptr(GError) error = NULL;
  guint16 port;

  silent->service = g_socket_service_new ();
  silent->connections = g_ptr_array_new_with_free_func (g_object_unref);
  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (silent->service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (silent->service, "incoming", G_CALLBACK (silent_incoming_cb), silent);
  g_socket_service_start (silent->service);
  silent->url = g_strdup_printf ("http://127.0.0.1:%u", port);

  return silent;
}

static void
silent_free (Silent *silent)
{
  g_socket_service_stop (silent->service);
  g_socket_listener_close (G_SOCKET_LISTENER (silent->service));
  g_clear_object (&silent->service);
  g_ptr_array_unref (silent->connections);
  g_free (silent->url);
  g_free (silent);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Silent, silent_free)

static void
test_silent_service_times_out (void)
{
  g_autoptr(Silent) silent = silent_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensClient) client = tokens_client_new (silent->url, FALSE, &error);
  gint64 start = g_get_monotonic_time ();

  g_assert_no_error (error);
  tokens_client_set_timeout (client, 1);
  assert_me_fails (client, TOKENS_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancelled_calls_say_cancelled (void)
{
  g_autoptr(Silent) silent = silent_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensClient) client = tokens_client_new (silent->url, FALSE, &error);
  g_autoptr(GCancellable) before = g_cancellable_new ();
  g_autoptr(GCancellable) during = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_assert_no_error (error);

  /* Cancelled before it starts. */
  g_cancellable_cancel (before);
  tokens_client_get_me_async (client, before, test_lib_got_result, &result);
  g_assert_null (tokens_client_get_me_finish (client, AWAIT (result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Cancelled while the service keeps it waiting. */
  g_clear_object (&result);
  g_timeout_add (100, cancel_cb, during);
  tokens_client_list_tokens_async (client, 10, NULL, during, test_lib_got_result, &result);
  g_assert_null (tokens_client_list_tokens_finish (client, AWAIT (result), NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_plain_http_elsewhere_needs_consent (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TokensClient) client = NULL;
  g_autoptr(TokensClient) allowed = NULL;
  g_autoptr(TokensClient) secure = NULL;
  g_autoptr(TokensClient) local = NULL;

  client = tokens_client_new ("http://tokens.example.org", FALSE, &error);
  g_assert_null (client);
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_INSECURE_URL);
  g_assert_cmpstr (error->message, ==, tokens_error_describe (TOKENS_ERROR_INSECURE_URL));
  g_clear_error (&error);

  client = tokens_client_new ("http://192.0.2.10:8080", FALSE, &error);
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_INSECURE_URL);
  g_clear_error (&error);

  allowed = tokens_client_new ("http://tokens.example.org", TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (allowed);

  secure = tokens_client_new ("https://tokens.example.org/", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tokens_client_get_base_url (secure), ==, "https://tokens.example.org");

  /* Moving a client to plain http elsewhere is refused the same way. */
  g_assert_false (tokens_client_set_base_url (secure, "http://tokens.example.org", &error));
  g_assert_error (error, TOKENS_ERROR, TOKENS_ERROR_INSECURE_URL);
  g_clear_error (&error);
  g_assert_cmpstr (tokens_client_get_base_url (secure), ==, "https://tokens.example.org");

  local = tokens_client_new ("http://[::1]:4000", FALSE, &error);
  g_assert_no_error (error);
  g_clear_object (&local);
  local = tokens_client_new ("http://localhost:4000", FALSE, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  test_lib_init (&argc, &argv);

  g_test_add_func ("/client/account/every-endpoint", test_account_endpoints);
  g_test_add_func ("/client/account/wrong-password-then-rate-limited", test_wrong_password_then_rate_limited);
  g_test_add_func ("/client/account/signup-disabled", test_signup_disabled);
  g_test_add_func ("/client/account/events-page-through-newest-first", test_events_page_through_newest_first);
  g_test_add_func ("/client/tokens/lifecycle", test_access_token_lifecycle);
  g_test_add_func ("/client/files/by-scope", test_files_by_scope);
  g_test_add_func ("/client/security/client-token", test_security_token_endpoints);
  g_test_add_func ("/client/transport/closed-port-is-network-error", test_closed_port_is_network_error);
  g_test_add_func ("/client/transport/silent-service-times-out", test_silent_service_times_out);
  g_test_add_func ("/client/transport/cancelled-calls-say-cancelled", test_cancelled_calls_say_cancelled);
  g_test_add_func ("/client/transport/plain-http-elsewhere-needs-consent", test_plain_http_elsewhere_needs_consent);

  return g_test_run ();
}
